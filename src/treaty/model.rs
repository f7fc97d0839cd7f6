//! The treaty model: states, obligations (ATOP terms), decision, settlement and sanction rules.
//!
//! A [`Treaty`] is plain data (serde both ways); [`Treaty::validate`] checks it and the
//! conditions work on its resolved, index-based view ([`Resolved`]). Treaties come from TOML
//! models ([`crate::treaty::load_treaty`]) or from code ([`TreatyBuilder`]).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Default reliability of a pledge: about 75% of alliance commitments were honoured
/// (Leeds, "Do Alliances Deter Aggression?", AJPS 2003; Leeds, Long & Mitchell 2000).
pub const DEFAULT_RELIABILITY: f64 = 0.75;

/// A state of the model (member or not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Unique id (ISO 3166 alpha-3 in the bundled models).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Capability share (> 0; only ratios matter).
    pub capability: f64,
    /// `V`: what an aggressor gains by conquering this state.
    pub value: f64,
    /// `L`: what this state loses when it attacks and is defeated.
    pub loss: f64,
    /// `κ`: cost of fighting a war, paid win or lose.
    pub war_cost: f64,
    /// `ρ`: probability it honours a pledge, in `[0, 1]`.
    pub reliability: f64,
    /// Party to the treaty?
    pub member: bool,
    /// Region, for `region:NAME` obligation conditions.
    pub region: Option<String>,
    /// Burden capacity (capability units it can commit), `>= 0`.
    pub capacity: f64,
}

/// A set of states named in an obligation, decision or sanction clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StateSetRepr", into = "StateSetRepr")]
pub enum StateSet {
    /// Every state in the model (`"all"` or `"any"`).
    All,
    /// The members (`"members"`).
    Members,
    /// The non-members (`"non_members"`).
    NonMembers,
    /// The listed ids.
    Ids(Vec<String>),
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum StateSetRepr {
    Word(String),
    Ids(Vec<String>),
}

impl TryFrom<StateSetRepr> for StateSet {
    type Error = String;
    fn try_from(r: StateSetRepr) -> std::result::Result<Self, String> {
        match r {
            StateSetRepr::Ids(v) => Ok(StateSet::Ids(v)),
            StateSetRepr::Word(w) => StateSet::from_word(&w),
        }
    }
}

impl From<StateSet> for StateSetRepr {
    fn from(s: StateSet) -> Self {
        match s {
            StateSet::All => StateSetRepr::Word("any".into()),
            StateSet::Members => StateSetRepr::Word("members".into()),
            StateSet::NonMembers => StateSetRepr::Word("non_members".into()),
            StateSet::Ids(v) => StateSetRepr::Ids(v),
        }
    }
}

impl StateSet {
    /// Parses `"all"`/`"any"`, `"members"`, `"non_members"`.
    ///
    /// # Errors
    /// A message for any other word.
    pub fn from_word(w: &str) -> std::result::Result<Self, String> {
        match w {
            "all" | "any" => Ok(StateSet::All),
            "members" => Ok(StateSet::Members),
            "non_members" => Ok(StateSet::NonMembers),
            other => Err(format!(
                "unknown state set `{other}`: expected \"members\", \"non_members\", \"all\", \
                 \"any\" or a list of ids"
            )),
        }
    }

    /// The listed ids set from a slice of ids.
    pub fn ids<S: AsRef<str>>(ids: &[S]) -> Self {
        StateSet::Ids(ids.iter().map(|s| s.as_ref().to_string()).collect())
    }
}

/// ATOP obligation kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// Active military support if the protected state is attacked.
    Defense,
    /// Support in a war the ally starts (does not enter the deterrence war model).
    Offense,
    /// Staying out of wars against the protected state.
    Neutrality,
    /// Not attacking the protected state.
    NonAggression,
    /// Consulting when the protected state is threatened.
    Consultation,
}

impl ObligationKind {
    /// Parses the TOML spelling.
    ///
    /// # Errors
    /// A message naming the accepted kinds.
    pub fn from_word(w: &str) -> std::result::Result<Self, String> {
        Ok(match w {
            "defense" | "defence" => ObligationKind::Defense,
            "offense" | "offence" => ObligationKind::Offense,
            "neutrality" => ObligationKind::Neutrality,
            "non_aggression" => ObligationKind::NonAggression,
            "consultation" => ObligationKind::Consultation,
            other => {
                return Err(format!(
                    "unknown obligation kind `{other}`: expected defense, offense, neutrality, \
                     non_aggression or consultation"
                ))
            }
        })
    }

    /// All kinds, in ATOP order.
    pub const ALL: [ObligationKind; 5] = [
        ObligationKind::Defense,
        ObligationKind::Offense,
        ObligationKind::Neutrality,
        ObligationKind::NonAggression,
        ObligationKind::Consultation,
    ];
}

/// A condition attached to an obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ObligationCondition {
    /// Only if the protected state did not attack first: always met in the aggression
    /// scenarios checked here (the target is attacked).
    NonProvocation,
    /// Only when the target's region is the named one.
    Region(String),
}

impl TryFrom<String> for ObligationCondition {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        if s == "non_provocation" {
            Ok(ObligationCondition::NonProvocation)
        } else if let Some(r) = s.strip_prefix("region:") {
            if r.is_empty() {
                Err("`region:` needs a region name".into())
            } else {
                Ok(ObligationCondition::Region(r.to_string()))
            }
        } else {
            Err(format!(
                "unknown condition `{s}`: expected \"non_provocation\" or \"region:NAME\""
            ))
        }
    }
}

impl From<ObligationCondition> for String {
    fn from(c: ObligationCondition) -> String {
        match c {
            ObligationCondition::NonProvocation => "non_provocation".into(),
            ObligationCondition::Region(r) => format!("region:{r}"),
        }
    }
}

/// One obligation, coded as ATOP codes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Obligation {
    /// What is promised.
    pub kind: ObligationKind,
    /// The article it comes from.
    pub article: Option<String>,
    /// Who pledges.
    pub pledgers: StateSet,
    /// Whom it protects.
    pub protects: StateSet,
    /// Against whom (aggressors it applies to).
    pub against: StateSet,
    /// Conditions.
    pub conditions: Vec<ObligationCondition>,
    /// Reliability of this pledge, overriding the pledgers' own.
    pub reliability: Option<f64>,
}

/// The voting rule of the decision body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DecisionRule {
    /// Every body member must vote yes.
    Unanimity,
    /// Nobody voting may object (= unanimity of those voting; as a simple game, unanimity).
    Consensus,
    /// More than `threshold · |body|` yes votes: quota `⌊threshold·|body|⌋ + 1`.
    QualifiedMajority {
        /// Share of the body, in `[0, 1)`.
        threshold: f64,
    },
    /// Total weight of the yes votes at least `quota`.
    Weighted {
        /// Weight needed.
        quota: u64,
        /// Weight per voter; body members not listed weigh 1.
        weights: BTreeMap<String, u64>,
    },
}

/// How the treaty decides to act against an aggressor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The rule.
    pub rule: DecisionRule,
    /// Who votes.
    pub body: StateSet,
    /// Ids whose "no" blocks any decision.
    pub veto: Vec<String>,
    /// Do the parties to a dispute abstain (UN Charter Art. 27(3))?
    pub parties_abstain: bool,
}

impl Default for Decision {
    fn default() -> Self {
        Decision {
            rule: DecisionRule::Consensus,
            body: StateSet::Members,
            veto: Vec::new(),
            parties_abstain: false,
        }
    }
}

/// The settlement rule: the share of a disputed good the first state of a pair gets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Settlement {
    /// The first state's win probability in a bilateral war.
    #[default]
    Capability,
    /// One half.
    Equal,
    /// A fixed status quo share.
    StatusQuo {
        /// The share, in `[0, 1]`.
        status_quo: f64,
    },
}

/// A dispute dyad whose bargaining range is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    /// First state (its share is the settlement `x`).
    pub a: String,
    /// Second state.
    pub b: String,
}

/// Collective sanctions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sanctions {
    /// `s`: cost imposed on an aggressor (only when the decision rule can act against it).
    pub cost: f64,
    /// Whom they hit.
    pub against: StateSet,
}

impl Default for Sanctions {
    fn default() -> Self {
        Sanctions {
            cost: 0.0,
            against: StateSet::All,
        }
    }
}

/// A treaty model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Treaty {
    /// Name shown in reports.
    pub name: String,
    /// Year the model describes.
    pub year: Option<i64>,
    /// Where the obligations come from.
    pub source: Option<String>,
    /// Members and non-members.
    pub states: Vec<State>,
    /// The obligations.
    pub obligations: Vec<Obligation>,
    /// The decision rule.
    pub decision: Decision,
    /// The settlement rule.
    pub settlement: Settlement,
    /// Disputes to check; `None`: every pair of members.
    pub disputes: Option<Vec<Dispute>>,
    /// Collective sanctions.
    pub sanctions: Sanctions,
}

/// A validation failure: the dotted field path and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Invalid {
    pub field: String,
    pub message: String,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

impl Treaty {
    /// Checks the model: unique ids, capabilities > 0, reliabilities in `[0, 1]`, every id
    /// named anywhere exists, every obligation binds somebody, the rules are well-formed.
    ///
    /// # Errors
    /// [`Error::Model`] naming the field (file `<treaty>`, line 0; models loaded from files
    /// report their file and line instead).
    pub fn validate(&self) -> Result<()> {
        self.check().map_err(|e| Error::Model {
            file: PathBuf::from("<treaty>"),
            line: 0,
            field: e.field,
            message: e.message,
        })
    }

    /// The index of a state id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.states.iter().position(|s| s.id == id)
    }

    /// Indices of the members.
    pub fn member_indices(&self) -> Vec<usize> {
        (0..self.states.len())
            .filter(|&i| self.states[i].member)
            .collect()
    }

    pub(crate) fn check(&self) -> std::result::Result<(), Invalid> {
        if self.name.trim().is_empty() {
            return Err(invalid("treaty.name", "the treaty needs a name"));
        }
        if self.states.is_empty() {
            return Err(invalid("states", "the model has no states"));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (k, s) in self.states.iter().enumerate() {
            let f = |x: &str| format!("states[{k}].{x}");
            if s.id.is_empty() {
                return Err(invalid(f("id"), "empty id"));
            }
            if let Some(prev) = seen.insert(&s.id, k) {
                return Err(invalid(
                    f("id"),
                    format!("duplicate id `{}` (also states[{prev}])", s.id),
                ));
            }
            if !(s.capability.is_finite() && s.capability > 0.0) {
                return Err(invalid(
                    f("capability"),
                    format!("capability of `{}` must be > 0, got {}", s.id, s.capability),
                ));
            }
            if !(0.0..=1.0).contains(&s.reliability) {
                return Err(invalid(
                    f("reliability"),
                    format!(
                        "reliability of `{}` must be in [0, 1], got {}",
                        s.id, s.reliability
                    ),
                ));
            }
            for (name, x) in [
                ("value", s.value),
                ("loss", s.loss),
                ("war_cost", s.war_cost),
                ("capacity", s.capacity),
            ] {
                if !(x.is_finite() && x >= 0.0) {
                    return Err(invalid(
                        f(name),
                        format!("{name} of `{}` must be finite and >= 0, got {x}", s.id),
                    ));
                }
            }
        }
        if !self.states.iter().any(|s| s.member) {
            return Err(invalid("states", "no state is a member of the treaty"));
        }
        let regions: Vec<&str> = self
            .states
            .iter()
            .filter_map(|s| s.region.as_deref())
            .collect();
        for (k, o) in self.obligations.iter().enumerate() {
            let f = |x: &str| format!("obligations[{k}].{x}");
            let pledgers = self.resolve_set(&o.pledgers, &f("pledgers"))?;
            let protects = self.resolve_set(&o.protects, &f("protects"))?;
            self.resolve_set(&o.against, &f("against"))?;
            if let Some(r) = o.reliability {
                if !(0.0..=1.0).contains(&r) {
                    return Err(invalid(
                        f("reliability"),
                        format!("reliability must be in [0, 1], got {r}"),
                    ));
                }
            }
            for c in &o.conditions {
                if let ObligationCondition::Region(r) = c {
                    if !regions.contains(&r.as_str()) {
                        return Err(invalid(
                            f("conditions"),
                            format!("region `{r}` is no state's region"),
                        ));
                    }
                }
            }
            if pledgers.is_empty() {
                return Err(invalid(
                    f("pledgers"),
                    "the obligation has no pledgers: it binds nobody",
                ));
            }
            if protects.is_empty() {
                return Err(invalid(
                    f("protects"),
                    "the obligation protects nobody: it binds nobody",
                ));
            }
            if !pledgers.iter().any(|&p| protects.iter().any(|&q| q != p)) {
                return Err(invalid(
                    f("pledgers"),
                    "every pledger only protects itself: the obligation binds nobody",
                ));
            }
        }
        let d = &self.decision;
        let body = self.resolve_set(&d.body, "decision.body")?;
        if body.is_empty() {
            return Err(invalid("decision.body", "the decision body is empty"));
        }
        for v in &d.veto {
            match self.index_of(v) {
                None => return Err(invalid("decision.veto", format!("unknown state id `{v}`"))),
                Some(i) if !body.contains(&i) => {
                    return Err(invalid(
                        "decision.veto",
                        format!("veto holder `{v}` is not in the decision body"),
                    ))
                }
                _ => {}
            }
        }
        match &d.rule {
            DecisionRule::QualifiedMajority { threshold } => {
                if !(0.0..1.0).contains(threshold) {
                    return Err(invalid(
                        "decision.threshold",
                        format!("threshold must be in [0, 1), got {threshold}"),
                    ));
                }
            }
            DecisionRule::Weighted { quota, weights } => {
                for id in weights.keys() {
                    match self.index_of(id) {
                        None => {
                            return Err(invalid(
                                "decision.weights",
                                format!("unknown state id `{id}`"),
                            ))
                        }
                        Some(i) if !body.contains(&i) => {
                            return Err(invalid(
                                "decision.weights",
                                format!("`{id}` has a weight but is not in the decision body"),
                            ))
                        }
                        _ => {}
                    }
                }
                let total: u128 = body
                    .iter()
                    .map(|&i| *weights.get(&self.states[i].id).unwrap_or(&1) as u128)
                    .sum();
                if *quota == 0 || *quota as u128 > total {
                    return Err(invalid(
                        "decision.quota",
                        format!(
                            "quota must be in [1, {total}] (the body's total weight), got {quota}"
                        ),
                    ));
                }
            }
            DecisionRule::Unanimity | DecisionRule::Consensus => {}
        }
        if let Settlement::StatusQuo { status_quo } = self.settlement {
            if !(0.0..=1.0).contains(&status_quo) {
                return Err(invalid(
                    "settlement.status_quo",
                    format!("status_quo must be in [0, 1], got {status_quo}"),
                ));
            }
        }
        if let Some(ds) = &self.disputes {
            for (k, dsp) in ds.iter().enumerate() {
                for (name, id) in [("a", &dsp.a), ("b", &dsp.b)] {
                    if self.index_of(id).is_none() {
                        return Err(invalid(
                            format!("disputes[{k}].{name}"),
                            format!("unknown state id `{id}`"),
                        ));
                    }
                }
                if dsp.a == dsp.b {
                    return Err(invalid(
                        format!("disputes[{k}].b"),
                        "a dispute needs two different states",
                    ));
                }
            }
        }
        if !(self.sanctions.cost.is_finite() && self.sanctions.cost >= 0.0) {
            return Err(invalid(
                "sanctions.cost",
                format!("must be finite and >= 0, got {}", self.sanctions.cost),
            ));
        }
        self.resolve_set(&self.sanctions.against, "sanctions.against")?;
        Ok(())
    }

    /// Resolves a state set to sorted indices (errors name `field`).
    pub(crate) fn resolve_set(
        &self,
        set: &StateSet,
        field: &str,
    ) -> std::result::Result<Vec<usize>, Invalid> {
        let n = self.states.len();
        Ok(match set {
            StateSet::All => (0..n).collect(),
            StateSet::Members => (0..n).filter(|&i| self.states[i].member).collect(),
            StateSet::NonMembers => (0..n).filter(|&i| !self.states[i].member).collect(),
            StateSet::Ids(ids) => {
                let mut v = Vec::with_capacity(ids.len());
                for id in ids {
                    let i = self
                        .index_of(id)
                        .ok_or_else(|| invalid(field, format!("unknown state id `{id}`")))?;
                    v.push(i);
                }
                v.sort_unstable();
                v.dedup();
                v
            }
        })
    }

    /// The index-based view used by the conditions.
    ///
    /// # Errors
    /// As [`Treaty::validate`].
    pub fn resolve(&self) -> Result<Resolved> {
        self.validate()?;
        Resolved::new(self).map_err(|e| Error::Model {
            file: PathBuf::from("<treaty>"),
            line: 0,
            field: e.field,
            message: e.message,
        })
    }
}

/// One obligation over state indices.
#[derive(Debug, Clone)]
pub struct ResolvedObligation {
    /// Kind.
    pub kind: ObligationKind,
    /// Pledger flags, per state.
    pub pledgers: Vec<bool>,
    /// Protected flags, per state.
    pub protects: Vec<bool>,
    /// Aggressors it applies to, per state.
    pub against: Vec<bool>,
    /// Region the target must be in, if conditioned.
    pub region: Option<String>,
    /// Reliability override.
    pub reliability: Option<f64>,
}

impl ResolvedObligation {
    /// Whether `k` is pledged by this obligation to act for target `j` against aggressor `i`.
    pub fn binds(&self, k: usize, j: usize, i: usize, states: &[State]) -> bool {
        k != i
            && k != j
            && self.pledgers[k]
            && self.protects[j]
            && self.against[i]
            && self
                .region
                .as_ref()
                .map_or(true, |r| states[j].region.as_deref() == Some(r.as_str()))
    }
}

/// The validated treaty over indices: what the conditions compute with.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The states (as in the treaty).
    pub states: Vec<State>,
    /// Members, sorted.
    pub members: Vec<usize>,
    /// Obligations over indices.
    pub obligations: Vec<ResolvedObligation>,
    /// Decision body, sorted.
    pub body: Vec<usize>,
    /// Sanctions hit these states.
    pub sanctioned: Vec<bool>,
    /// Sanction cost.
    pub sanction_cost: f64,
    /// The decision rule (ids as in the treaty).
    pub decision: Decision,
    /// The settlement rule.
    pub settlement: Settlement,
    /// Dispute dyads (every member pair when the treaty lists none).
    pub disputes: Vec<(usize, usize)>,
    /// The treaty's name.
    pub name: String,
}

fn flags(n: usize, idx: &[usize]) -> Vec<bool> {
    let mut f = vec![false; n];
    for &i in idx {
        f[i] = true;
    }
    f
}

impl Resolved {
    fn new(t: &Treaty) -> std::result::Result<Self, Invalid> {
        let n = t.states.len();
        let mut obligations = Vec::new();
        for (k, o) in t.obligations.iter().enumerate() {
            let f = |x: &str| format!("obligations[{k}].{x}");
            let region = o.conditions.iter().find_map(|c| match c {
                ObligationCondition::Region(r) => Some(r.clone()),
                ObligationCondition::NonProvocation => None,
            });
            obligations.push(ResolvedObligation {
                kind: o.kind,
                pledgers: flags(n, &t.resolve_set(&o.pledgers, &f("pledgers"))?),
                protects: flags(n, &t.resolve_set(&o.protects, &f("protects"))?),
                against: flags(n, &t.resolve_set(&o.against, &f("against"))?),
                region,
                reliability: o.reliability,
            });
        }
        Ok(Resolved {
            states: t.states.clone(),
            members: t.member_indices(),
            obligations,
            body: t.resolve_set(&t.decision.body, "decision.body")?,
            sanctioned: flags(
                n,
                &t.resolve_set(&t.sanctions.against, "sanctions.against")?,
            ),
            sanction_cost: t.sanctions.cost,
            decision: t.decision.clone(),
            settlement: t.settlement,
            disputes: match &t.disputes {
                Some(ds) => ds
                    .iter()
                    .enumerate()
                    .map(|(k, d)| {
                        let f = |x: &str| format!("disputes[{k}].{x}");
                        let a = t
                            .index_of(&d.a)
                            .ok_or_else(|| invalid(f("a"), "unknown id"))?;
                        let b = t
                            .index_of(&d.b)
                            .ok_or_else(|| invalid(f("b"), "unknown id"))?;
                        Ok((a, b))
                    })
                    .collect::<std::result::Result<_, Invalid>>()?,
                None => {
                    let m = t.member_indices();
                    let mut v = Vec::new();
                    for (x, &a) in m.iter().enumerate() {
                        for &b in &m[x + 1..] {
                            v.push((a, b));
                        }
                    }
                    v
                }
            },
            name: t.name.clone(),
        })
    }

    /// Number of states.
    pub fn n(&self) -> usize {
        self.states.len()
    }

    /// The responders `R(j, i)` with their reliabilities: states pledged by a `defense`
    /// obligation to help target `j` against aggressor `i` (the highest reliability when several
    /// obligations bind the same state). Sorted by index.
    ///
    /// Only `defense` obligations put states into the war: `offense` concerns wars the allies
    /// start, `neutrality`, `non_aggression` and `consultation` add no fighting capability.
    pub fn responders(&self, j: usize, i: usize) -> Vec<(usize, f64)> {
        let n = self.n();
        let mut rho = vec![f64::NAN; n];
        for o in &self.obligations {
            if o.kind != ObligationKind::Defense {
                continue;
            }
            if !(o.protects[j] && o.against[i]) {
                continue;
            }
            if let Some(r) = &o.region {
                if self.states[j].region.as_deref() != Some(r.as_str()) {
                    continue;
                }
            }
            for (k, slot) in rho.iter_mut().enumerate() {
                if k != i && k != j && o.pledgers[k] {
                    let r = o.reliability.unwrap_or(self.states[k].reliability);
                    if slot.is_nan() || r > *slot {
                        *slot = r;
                    }
                }
            }
        }
        rho.iter()
            .enumerate()
            .filter(|(_, r)| !r.is_nan())
            .map(|(k, &r)| (k, r))
            .collect()
    }

    /// Whether `k` has an obligation of `kind` towards `j` (for some aggressor).
    pub fn pledges(&self, kind: ObligationKind, k: usize, j: usize) -> bool {
        k != j
            && self.obligations.iter().any(|o| {
                o.kind == kind
                    && o.pledgers[k]
                    && o.protects[j]
                    && o.region.as_ref().map_or(true, |r| {
                        self.states[j].region.as_deref() == Some(r.as_str())
                    })
            })
    }

    /// Ids of a set of indices.
    pub fn ids(&self, idx: impl IntoIterator<Item = usize>) -> Vec<String> {
        idx.into_iter().map(|i| self.states[i].id.clone()).collect()
    }
}

/// Builds a [`Treaty`] in code.
///
/// # Example
/// ```
/// use covenant::treaty::{TreatyBuilder, ObligationKind, StateSet};
/// let t = TreatyBuilder::new("Pact")
///     .state("A", 0.3)
///     .state("B", 0.2)
///     .non_member("Z", 0.4)
///     .obligation(ObligationKind::Defense, StateSet::Members, StateSet::Members, StateSet::All)
///     .build()
///     .unwrap();
/// assert_eq!(t.states.len(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct TreatyBuilder {
    t: Treaty,
    default_reliability: f64,
}

impl TreatyBuilder {
    /// An empty treaty with the template's defaults (reliability 0.75, value 1, loss 1,
    /// war cost 0.1, capacity = capability, consensus of members, capability settlement).
    pub fn new(name: impl Into<String>) -> Self {
        TreatyBuilder {
            t: Treaty {
                name: name.into(),
                year: None,
                source: None,
                states: Vec::new(),
                obligations: Vec::new(),
                decision: Decision::default(),
                settlement: Settlement::default(),
                disputes: None,
                sanctions: Sanctions::default(),
            },
            default_reliability: DEFAULT_RELIABILITY,
        }
    }

    fn push(mut self, id: &str, capability: f64, member: bool) -> Self {
        self.t.states.push(State {
            id: id.into(),
            name: id.into(),
            capability,
            value: 1.0,
            loss: 1.0,
            war_cost: 0.1,
            reliability: self.default_reliability,
            member,
            region: None,
            capacity: capability,
        });
        self
    }

    /// Adds a member with the default parameters.
    pub fn state(self, id: &str, capability: f64) -> Self {
        self.push(id, capability, true)
    }

    /// Adds a non-member.
    pub fn non_member(self, id: &str, capability: f64) -> Self {
        self.push(id, capability, false)
    }

    /// Adds a fully specified state.
    pub fn state_full(mut self, s: State) -> Self {
        self.t.states.push(s);
        self
    }

    /// Edits the last added state (e.g. `|s| s.war_cost = 0.3`).
    pub fn with_last(mut self, f: impl FnOnce(&mut State)) -> Self {
        if let Some(s) = self.t.states.last_mut() {
            f(s);
        }
        self
    }

    /// Reliability given to states added from now on.
    pub fn default_reliability(mut self, r: f64) -> Self {
        self.default_reliability = r;
        self
    }

    /// Adds an obligation without conditions.
    pub fn obligation(
        mut self,
        kind: ObligationKind,
        pledgers: StateSet,
        protects: StateSet,
        against: StateSet,
    ) -> Self {
        self.t.obligations.push(Obligation {
            kind,
            article: None,
            pledgers,
            protects,
            against,
            conditions: Vec::new(),
            reliability: None,
        });
        self
    }

    /// Adds a fully specified obligation.
    pub fn obligation_full(mut self, o: Obligation) -> Self {
        self.t.obligations.push(o);
        self
    }

    /// Sets the decision rule.
    pub fn decision(mut self, d: Decision) -> Self {
        self.t.decision = d;
        self
    }

    /// Sets the settlement rule.
    pub fn settlement(mut self, s: Settlement) -> Self {
        self.t.settlement = s;
        self
    }

    /// Sets the sanctions.
    pub fn sanctions(mut self, cost: f64, against: StateSet) -> Self {
        self.t.sanctions = Sanctions { cost, against };
        self
    }

    /// Adds a dispute dyad (the default of all member pairs is replaced).
    pub fn dispute(mut self, a: &str, b: &str) -> Self {
        self.t.disputes.get_or_insert_with(Vec::new).push(Dispute {
            a: a.into(),
            b: b.into(),
        });
        self
    }

    /// The treaty, validated.
    ///
    /// # Errors
    /// As [`Treaty::validate`].
    pub fn build(self) -> Result<Treaty> {
        self.t.validate()?;
        Ok(self.t)
    }
}

/// Maps a validation failure to an [`Error::Model`] in `file`.
pub(crate) fn model_error(file: &Path, line: usize, e: Invalid) -> Error {
    Error::Model {
        file: file.to_path_buf(),
        line,
        field: e.field,
        message: e.message,
    }
}
