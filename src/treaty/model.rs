//! The treaty model (format 2, `models/TEMPLATE.toml`): plain data, as written in a model file.
//!
//! A [`Treaty`] holds the static facts (states, procedures, obligations, sanctions, settlement)
//! and one [`Snapshot`] per year (membership, capabilities, regime). [`Treaty::validate`] checks
//! cross-references; [`super::System`] is the resolved, index-based view of one year that the
//! conditions work on.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Default reliability of a helper: about 75% of alliance commitments were honoured
/// (Leeds, Long & Mitchell 2000, "Reevaluating Alliance Reliability", JCR 44(5)).
pub const DEFAULT_RELIABILITY: f64 = 0.75;

/// Largest number of states a model may hold in one snapshot (the war model keeps a
/// states × states table of projected capability and stakes).
pub const MAX_STATES: usize = 1024;

/// What the treaty promises, and so which scopes it is judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TreatyKind {
    /// Protect the members against outsiders (NATO, ANZUS): judged on the external scope.
    CollectiveDefense,
    /// Act against any aggressor, member or not (UN Charter, League Covenant): judged on both.
    CollectiveSecurity,
    /// Both promises (the Rio Treaty): judged on both scopes.
    Hybrid,
}

impl TreatyKind {
    /// The TOML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TreatyKind::CollectiveDefense => "collective_defense",
            TreatyKind::CollectiveSecurity => "collective_security",
            TreatyKind::Hybrid => "hybrid",
        }
    }

    /// Whether a treaty of this kind is judged on `scope`.
    pub fn promises(self, scope: Scope) -> bool {
        match self {
            TreatyKind::CollectiveDefense => scope == Scope::External,
            TreatyKind::CollectiveSecurity | TreatyKind::Hybrid => true,
        }
    }
}

/// Who the aggressor is, relative to the treaty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Non-member aggressors: the promise of collective defense.
    External,
    /// Member aggressors: collective security proper.
    Internal,
}

impl Scope {
    /// Both scopes, external first.
    pub const BOTH: [Scope; 2] = [Scope::External, Scope::Internal];

    /// The JSON / CLI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::External => "external",
            Scope::Internal => "internal",
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of states named in an obligation, procedure or sanction clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StateSet {
    /// Every state of the snapshot (`"all"` or `"any"`).
    All,
    /// The members of the snapshot (`"members"`).
    Members,
    /// The non-members (`"non_members"`).
    NonMembers,
    /// The listed ids.
    Ids(Vec<String>),
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

    /// The set from a slice of ids.
    pub fn ids<S: AsRef<str>>(ids: &[S]) -> Self {
        StateSet::Ids(ids.iter().map(|s| s.as_ref().to_string()).collect())
    }

    /// Whether a state with this id and membership is in the set.
    pub fn contains(&self, id: &str, member: bool) -> bool {
        match self {
            StateSet::All => true,
            StateSet::Members => member,
            StateSet::NonMembers => !member,
            StateSet::Ids(v) => v.iter().any(|x| x == id),
        }
    }
}

/// ATOP obligation kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// Active support if the protected state is attacked.
    Defense,
    /// Support in a war the ally starts (not part of the deterrence war model).
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
}

/// What sets an obligation or a sanction in motion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    /// Each pledger decides for itself (NATO Art. 5: "such action as it deems necessary").
    Individual,
    /// Only when the named procedure can act against the aggressor (UN Charter Ch. VII).
    Collective(String),
}

impl Trigger {
    /// Parses `individual` or `collective:ID`.
    ///
    /// # Errors
    /// A message for anything else.
    pub fn from_word(w: &str) -> std::result::Result<Self, String> {
        if w == "individual" {
            Ok(Trigger::Individual)
        } else if let Some(id) = w.strip_prefix("collective:") {
            if id.is_empty() {
                Err("`collective:` needs a procedure id".into())
            } else {
                Ok(Trigger::Collective(id.to_string()))
            }
        } else {
            Err(format!(
                "unknown trigger `{w}`: expected \"individual\" or \"collective:PROCEDURE\""
            ))
        }
    }
}

impl std::fmt::Display for Trigger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Trigger::Individual => f.write_str("individual"),
            Trigger::Collective(p) => write!(f, "collective:{p}"),
        }
    }
}

/// A condition attached to an obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObligationCondition {
    /// Only if the protected state did not attack first: always met in the scenarios checked.
    NonProvocation,
    /// Only when the target's region is the named one.
    Region(String),
}

impl ObligationCondition {
    /// Parses `non_provocation` or `region:NAME`.
    ///
    /// # Errors
    /// A message for anything else.
    pub fn from_word(s: &str) -> std::result::Result<Self, String> {
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

/// Years in which a clause is in force (inclusive; `None` = unbounded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    /// First year in force.
    pub since: Option<i32>,
    /// Last year in force.
    pub until: Option<i32>,
}

impl Validity {
    /// Whether the clause is in force in `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.since.is_none_or(|s| year >= s) && self.until.is_none_or(|u| year <= u)
    }
}

/// How a procedure counts votes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum VotingRule {
    /// Every body member must vote yes: an absent or abstaining member blocks.
    Unanimity,
    /// No body member objects (an abstention does not block).
    Consensus,
    /// At least `quota` yes votes, or at least `threshold` × |voting body|.
    QualifiedMajority {
        /// Share of the voting body needed, in (0, 1].
        threshold: Option<f64>,
        /// Number of yes votes needed (takes precedence over `threshold`).
        quota: Option<u64>,
    },
    /// Sum of the yes voters' weights at least `quota`.
    Weighted {
        /// Weight needed.
        quota: u64,
        /// Weight per voter (voters not listed weigh 1).
        weights: BTreeMap<String, u64>,
    },
}

/// What a procedure can decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Power {
    /// Armed enforcement (UN Art. 42).
    Enforcement,
    /// Economic and diplomatic sanctions (UN Art. 41, League Art. 16(1)).
    Sanctions,
    /// Settlement of disputes (awards, binding or not).
    Settlement,
    /// Recommendations only.
    Recommendation,
}

impl Power {
    /// Parses the TOML spelling.
    ///
    /// # Errors
    /// A message naming the accepted words.
    pub fn from_word(w: &str) -> std::result::Result<Self, String> {
        Ok(match w {
            "enforcement" => Power::Enforcement,
            "sanctions" => Power::Sanctions,
            "settlement" => Power::Settlement,
            "recommendation" => Power::Recommendation,
            other => {
                return Err(format!(
                    "unknown trigger power `{other}`: expected enforcement, sanctions, \
                     settlement or recommendation"
                ))
            }
        })
    }
}

/// A decision procedure of one of the treaty's organs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// Unique id among the procedures in force in a year.
    pub id: String,
    /// Who votes.
    pub body: StateSet,
    /// How votes are counted.
    pub rule: VotingRule,
    /// Ids whose "no" blocks any decision.
    pub veto: Vec<String>,
    /// Does a veto holder's abstention block? (UN practice: no; ICJ Namibia 1971 para. 22.)
    pub abstention_is_veto: bool,
    /// Must a party to the dispute abstain (UN Charter Art. 27(3))?
    pub parties_abstain: bool,
    /// What the procedure can decide.
    pub triggers: Vec<Power>,
    /// Another procedure that must act first (Rio: convening, then deciding).
    pub requires: Option<String>,
    /// Article.
    pub article: Option<String>,
    /// Years in force.
    pub validity: Validity,
}

/// One obligation, coded as ATOP codes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Obligation {
    /// What is promised.
    pub kind: ObligationKind,
    /// The article it comes from.
    pub article: Option<String>,
    /// What sets it in motion.
    pub trigger: Trigger,
    /// Does it commit armed force? (Rio Art. 20: not without consent.)
    pub armed: bool,
    /// Who pledges.
    pub pledgers: StateSet,
    /// Whom it protects.
    pub protects: StateSet,
    /// Against whom.
    pub against: StateSet,
    /// Conditions on the scenario.
    pub conditions: Vec<ObligationCondition>,
    /// Overrides the pledgers' reliability.
    pub reliability: Option<f64>,
    /// Years in force.
    pub validity: Validity,
}

/// Sanctions on an aggressor (and on members who renege).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sanction {
    /// Cost imposed on an aggressor.
    pub cost: f64,
    /// What sets the sanctions in motion.
    pub trigger: Trigger,
    /// Whom they can hit.
    pub against: StateSet,
    /// Cost imposed on a pledger that reneges (League Art. 16(4)); adds to `R_k`.
    pub on_defectors: f64,
    /// Article.
    pub article: Option<String>,
    /// Years in force.
    pub validity: Validity,
}

/// What a settlement procedure awards the first party of a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Award {
    /// The dispute's status quo.
    StatusQuo,
    /// One half.
    Equal,
    /// Raw dyadic capability share `c_a / (c_a + c_b)` (ignores alliances and distance).
    Capability,
}

/// Peaceful settlement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settlement {
    /// The procedure that settles disputes, if any.
    pub procedure: Option<String>,
    /// Is its award binding?
    pub binding: bool,
    /// What it awards.
    pub award: Award,
    /// Fearon (1995) risk–return: `c_b ~ U[0, cost_uncertainty · c_b]`.
    pub cost_uncertainty: f64,
}

impl Default for Settlement {
    fn default() -> Self {
        Settlement {
            procedure: None,
            binding: false,
            award: Award::StatusQuo,
            cost_uncertainty: 2.0,
        }
    }
}

/// A dispute whose bargaining range is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispute {
    /// First party.
    pub a: String,
    /// Second party.
    pub b: String,
    /// Share of the good `a` holds today (default: `a`'s win probability without the treaty).
    pub status_quo: Option<f64>,
}

/// A state: static facts (per-year data are in [`Snapshot`]s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Unique id (ISO 3166-1 alpha-3 in the bundled models).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Capital latitude, degrees north.
    pub lat: Option<f64>,
    /// Capital longitude, degrees east.
    pub lon: Option<f64>,
    /// Region, for `region:NAME` conditions and the same-region stake.
    pub region: Option<String>,
    /// States where this one has forces stationed.
    pub presence: Vec<String>,
    /// Overrides of [`Defaults`].
    pub overrides: StateOverrides,
}

/// Per-state overrides of [`Defaults`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StateOverrides {
    /// `V`.
    pub value: Option<f64>,
    /// `L`.
    pub loss: Option<f64>,
    /// `κ`.
    pub war_cost: Option<f64>,
    /// `ρ`.
    pub reliability: Option<f64>,
    /// Audience cost.
    pub audience_cost: Option<f64>,
    /// Burden capacity.
    pub capacity: Option<Capacity>,
}

/// Burden capacity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Capacity {
    /// The state's capability.
    Capability,
    /// A fixed number.
    Fixed(f64),
}

/// Defaults for every state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Defaults {
    /// `ρ`.
    pub reliability: f64,
    /// `V`.
    pub value: f64,
    /// `L`.
    pub loss: f64,
    /// `κ`.
    pub war_cost: f64,
    /// Audience cost of democracies (Fearon 1994).
    pub audience_cost: f64,
    /// `δ`: share of own membership value lost by reneging.
    pub reputation: f64,
    /// Burden capacity.
    pub capacity: Capacity,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            reliability: DEFAULT_RELIABILITY,
            value: 1.0,
            loss: 1.0,
            war_cost: 0.1,
            audience_cost: 0.0,
            reputation: 1.0,
            capacity: Capacity::Capability,
        }
    }
}

/// Loss of strength over distance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Gradient {
    /// No loss: `c_k→j = c_k`.
    None,
    /// Bueno de Mesquita (1981): `c_k→j = c_k ^ log10(miles / miles_per_day + 10 − e)`.
    Bdm {
        /// Miles an army covers per day.
        miles_per_day: f64,
    },
}

/// How equilibrium helpers' fighting is correlated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum HelpCorrelation {
    /// Each helper on its own coin.
    Independent,
    /// With probability `λ` a helper follows one coin shared by all helpers.
    CommonShock(f64),
}

/// The war model's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WarModel {
    /// Loss of strength gradient.
    pub gradient: Gradient,
    /// Correlation of help.
    pub help: HelpCorrelation,
}

impl Default for WarModel {
    fn default() -> Self {
        WarModel {
            gradient: Gradient::None,
            help: HelpCorrelation::Independent,
        }
    }
}

/// How responder stakes `W_kj` are derived where not declared (shares of `V_j`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StakeRule {
    /// The target itself.
    pub own: f64,
    /// Same region.
    pub same_region: f64,
    /// Forward presence.
    pub presence: f64,
    /// Anyone else.
    pub other: f64,
    /// Declared stakes `(from, to, W)` in utility units.
    pub declared: Vec<(String, String, f64)>,
}

impl Default for StakeRule {
    fn default() -> Self {
        StakeRule {
            own: 1.0,
            same_region: 0.5,
            presence: 0.8,
            other: 0.1,
            declared: Vec::new(),
        }
    }
}

/// Reliability profile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ReliabilityProfile {
    /// Each state's reliability as given.
    Uniform,
    /// Leeds (2003) covariates: democracy and major-to-minor adjustments (model assumptions).
    Leeds2003 {
        /// Added for democratic helpers.
        democracy: f64,
        /// Added when a major power helps a minor power.
        major_to_minor: f64,
    },
}

/// One year of the treaty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The year checked.
    pub year: i32,
    /// Year of the capability data.
    pub data_year: Option<i32>,
    /// Data source.
    pub source: Option<String>,
    /// Members in this year.
    pub members: Vec<String>,
    /// Democracies in this year.
    pub democracies: Vec<String>,
    /// Major powers in this year.
    pub major_powers: Vec<String>,
    /// Third parties that shield a state in the treaty's organs: `protected -> [protectors]`.
    pub patrons: BTreeMap<String, Vec<String>>,
    /// Capability of every state present, in file order.
    pub capability: Vec<(String, f64)>,
    /// Military expenditure.
    pub milex: BTreeMap<String, f64>,
    /// GDP.
    pub gdp: BTreeMap<String, f64>,
}

/// A prior over parameters for Monte Carlo checks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prior {
    /// Reliability of every helper ~ Beta(a, b) (drawn per state and sample).
    pub reliability_beta: Option<(f64, f64)>,
    /// Multiplicative capability error: `c · exp(σ·z)`, z standard normal.
    pub capability_sigma: f64,
    /// Stakes multiplied by U[lo, hi].
    pub stake_range: Option<(f64, f64)>,
    /// War costs multiplied by U[lo, hi].
    pub war_cost_range: Option<(f64, f64)>,
}

impl Prior {
    /// Whether the prior declares anything.
    pub fn is_empty(&self) -> bool {
        self.reliability_beta.is_none()
            && self.capability_sigma == 0.0
            && self.stake_range.is_none()
            && self.war_cost_range.is_none()
    }
}

/// A treaty model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Treaty {
    /// Shown in reports.
    pub name: String,
    /// What it promises.
    pub kind: TreatyKind,
    /// Where the obligations come from.
    pub source: Option<String>,
    /// Year of signature.
    pub signed: Option<i32>,
    /// A declared quid pro quo for asymmetric obligations (US–Japan 1960 Art. VI: bases for
    /// protection); makes non-reciprocal pledges count as equal rules.
    pub quid_pro_quo: Option<String>,
    /// Defaults for every state.
    pub defaults: Defaults,
    /// War model.
    pub war: WarModel,
    /// Stakes.
    pub stakes: StakeRule,
    /// Reliability profile.
    pub reliability: ReliabilityProfile,
    /// All states ever present.
    pub states: Vec<State>,
    /// Procedures.
    pub procedures: Vec<Procedure>,
    /// Obligations.
    pub obligations: Vec<Obligation>,
    /// Sanctions.
    pub sanctions: Vec<Sanction>,
    /// Peaceful settlement.
    pub settlement: Settlement,
    /// Disputes checked (empty: every in-scope pair).
    pub disputes: Vec<Dispute>,
    /// Snapshots, by year.
    pub snapshots: Vec<Snapshot>,
    /// Parameter prior.
    pub prior: Prior,
}

/// A validation failure: the dotted field path and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    /// Dotted path of the field, e.g. `states[3].lat`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

pub(crate) fn bad(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Largest magnitude accepted for a capability, value, cost or stake: keeps every product and
/// sum of the war model finite.
pub const MAX_MAGNITUDE: f64 = 1e12;

pub(crate) fn check_number(field: &str, x: f64, lo: f64, lo_open: bool) -> Result<f64, Invalid> {
    if !x.is_finite() {
        return Err(bad(field, format!("must be a finite number, got {x}")));
    }
    if x.abs() > MAX_MAGNITUDE {
        return Err(bad(
            field,
            format!("{x:e} is out of range: magnitudes above {MAX_MAGNITUDE:e} are refused"),
        ));
    }
    if (lo_open && x <= lo) || (!lo_open && x < lo) {
        let rel = if lo_open { ">" } else { ">=" };
        return Err(bad(field, format!("must be {rel} {lo}, got {x}")));
    }
    Ok(x)
}

pub(crate) fn check_probability(field: &str, x: f64) -> Result<f64, Invalid> {
    if !(0.0..=1.0).contains(&x) {
        return Err(bad(field, format!("must be in [0, 1], got {x}")));
    }
    Ok(x)
}

impl Treaty {
    /// The snapshot of `year`, or the latest when `year` is `None`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the years the model has.
    pub fn snapshot(&self, year: Option<i32>) -> Result<&Snapshot> {
        let found = match year {
            None => self.snapshots.iter().max_by_key(|s| s.year),
            Some(y) => self.snapshots.iter().find(|s| s.year == y),
        };
        found.ok_or_else(|| {
            let years: Vec<String> = self.snapshots.iter().map(|s| s.year.to_string()).collect();
            Error::InvalidArgument(format!(
                "{} has no snapshot for {}; its years are {}",
                self.name,
                year.map_or("any year".to_string(), |y| y.to_string()),
                if years.is_empty() {
                    "none".to_string()
                } else {
                    years.join(", ")
                }
            ))
        })
    }

    /// The years of the snapshots, ascending.
    pub fn years(&self) -> Vec<i32> {
        let mut y: Vec<i32> = self.snapshots.iter().map(|s| s.year).collect();
        y.sort_unstable();
        y
    }

    /// Checks every cross-reference and range.
    ///
    /// # Errors
    /// The first problem found, with the field path.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.name.trim().is_empty() {
            return Err(bad("treaty.name", "the treaty needs a name"));
        }
        let d = &self.defaults;
        check_probability("defaults.reliability", d.reliability)?;
        check_number("defaults.value", d.value, 0.0, false)?;
        check_number("defaults.loss", d.loss, 0.0, false)?;
        check_number("defaults.war_cost", d.war_cost, 0.0, false)?;
        check_number("defaults.audience_cost", d.audience_cost, 0.0, false)?;
        check_number("defaults.reputation", d.reputation, 0.0, false)?;
        if let Capacity::Fixed(c) = d.capacity {
            check_number("defaults.capacity", c, 0.0, false)?;
        }
        if let Gradient::Bdm { miles_per_day } = self.war.gradient {
            check_number("war.miles_per_day", miles_per_day, 0.0, true)?;
        }
        if let HelpCorrelation::CommonShock(l) = self.war.help {
            check_probability("war.common_shock", l)?;
        }
        for (f, x) in [
            ("stakes.self", self.stakes.own),
            ("stakes.same_region", self.stakes.same_region),
            ("stakes.presence", self.stakes.presence),
            ("stakes.other", self.stakes.other),
        ] {
            check_number(f, x, 0.0, false)?;
        }
        let mut ids = HashSet::new();
        for (k, s) in self.states.iter().enumerate() {
            let f = |x: &str| format!("states[{k}].{x}");
            if s.id.trim().is_empty() {
                return Err(bad(f("id"), "a state id cannot be empty"));
            }
            if !ids.insert(s.id.as_str()) {
                return Err(bad(f("id"), format!("duplicate state id `{}`", s.id)));
            }
            if let Some(lat) = s.lat {
                if !(-90.0..=90.0).contains(&lat) {
                    return Err(bad(f("lat"), format!("must be in [-90, 90], got {lat}")));
                }
            }
            if let Some(lon) = s.lon {
                if !(-180.0..=360.0).contains(&lon) {
                    return Err(bad(f("lon"), format!("must be in [-180, 360], got {lon}")));
                }
            }
            if s.lat.is_some() != s.lon.is_some() {
                return Err(bad(f("lat"), "give both lat and lon, or neither"));
            }
            let o = &s.overrides;
            if let Some(r) = o.reliability {
                check_probability(&f("reliability"), r)?;
            }
            for (name, x) in [
                ("value", o.value),
                ("loss", o.loss),
                ("war_cost", o.war_cost),
                ("audience_cost", o.audience_cost),
            ] {
                if let Some(x) = x {
                    check_number(&f(name), x, 0.0, false)?;
                }
            }
            if let Some(Capacity::Fixed(c)) = o.capacity {
                check_number(&f("capacity"), c, 0.0, false)?;
            }
        }
        for (k, s) in self.states.iter().enumerate() {
            for p in &s.presence {
                if !ids.contains(p.as_str()) {
                    return Err(bad(
                        format!("states[{k}].presence"),
                        format!("unknown state id `{p}`"),
                    ));
                }
            }
        }
        let known = |field: String, id: &str| -> Result<(), Invalid> {
            if ids.contains(id) {
                Ok(())
            } else {
                Err(bad(field, format!("unknown state id `{id}`")))
            }
        };
        let check_set = |field: String, s: &StateSet| -> Result<(), Invalid> {
            if let StateSet::Ids(v) = s {
                for id in v {
                    known(field.clone(), id)?;
                }
            }
            Ok(())
        };
        for (k, (from, to, w)) in self.stakes.declared.iter().enumerate() {
            let f = format!("stakes.declared[{k}]");
            known(format!("{f}.from"), from)?;
            known(format!("{f}.to"), to)?;
            check_number(&format!("{f}.stake"), *w, 0.0, false)?;
        }
        for (k, p) in self.procedures.iter().enumerate() {
            let f = |x: &str| format!("procedures[{k}].{x}");
            if p.id.trim().is_empty() {
                return Err(bad(f("id"), "a procedure id cannot be empty"));
            }
            check_set(f("body"), &p.body)?;
            for v in &p.veto {
                known(f("veto"), v)?;
            }
            match &p.rule {
                VotingRule::QualifiedMajority { threshold, quota } => {
                    if let Some(t) = threshold {
                        if !(*t > 0.0 && *t <= 1.0) {
                            return Err(bad(f("threshold"), format!("must be in (0, 1], got {t}")));
                        }
                    }
                    if threshold.is_none() && quota.is_none() {
                        return Err(bad(
                            f("rule"),
                            "qualified_majority needs a `threshold` (share) or a `quota` (votes)",
                        ));
                    }
                    if *quota == Some(0) {
                        return Err(bad(f("quota"), "the quota must be at least 1"));
                    }
                }
                VotingRule::Weighted { quota, weights } => {
                    if *quota == 0 {
                        return Err(bad(f("quota"), "the quota must be at least 1"));
                    }
                    for id in weights.keys() {
                        known(f("weights"), id)?;
                    }
                }
                VotingRule::Unanimity | VotingRule::Consensus => {}
            }
            if let Some(r) = &p.requires {
                if r == &p.id {
                    return Err(bad(f("requires"), "a procedure cannot require itself"));
                }
                if !self.procedures.iter().any(|q| &q.id == r) {
                    return Err(bad(f("requires"), format!("unknown procedure `{r}`")));
                }
            }
            // Two procedures with one id must not be in force in the same year.
            for q in &self.procedures[..k] {
                if q.id == p.id && overlaps(q.validity, p.validity) {
                    return Err(bad(
                        f("id"),
                        format!(
                            "procedure `{}` is defined twice for overlapping years (use \
                             since/until to split it by year)",
                            p.id
                        ),
                    ));
                }
            }
        }
        let check_trigger = |field: String, t: &Trigger| -> Result<(), Invalid> {
            if let Trigger::Collective(p) = t {
                if !self.procedures.iter().any(|q| &q.id == p) {
                    return Err(bad(field, format!("unknown procedure `{p}`")));
                }
            }
            Ok(())
        };
        for (k, o) in self.obligations.iter().enumerate() {
            let f = |x: &str| format!("obligations[{k}].{x}");
            check_set(f("pledgers"), &o.pledgers)?;
            check_set(f("protects"), &o.protects)?;
            check_set(f("against"), &o.against)?;
            check_trigger(f("trigger"), &o.trigger)?;
            if let Some(r) = o.reliability {
                check_probability(&f("reliability"), r)?;
            }
        }
        for (k, s) in self.sanctions.iter().enumerate() {
            let f = |x: &str| format!("sanctions[{k}].{x}");
            check_number(&f("cost"), s.cost, 0.0, false)?;
            check_number(&f("on_defectors"), s.on_defectors, 0.0, false)?;
            check_set(f("against"), &s.against)?;
            check_trigger(f("trigger"), &s.trigger)?;
        }
        if let Some(p) = &self.settlement.procedure {
            match self.procedures.iter().find(|q| &q.id == p) {
                None => {
                    return Err(bad(
                        "settlement.procedure",
                        format!("unknown procedure `{p}`"),
                    ))
                }
                Some(q) if !q.triggers.contains(&Power::Settlement) => {
                    return Err(bad(
                        "settlement.procedure",
                        format!("procedure `{p}` does not list \"settlement\" in its triggers"),
                    ))
                }
                Some(_) => {}
            }
        }
        check_number(
            "settlement.cost_uncertainty",
            self.settlement.cost_uncertainty,
            0.0,
            true,
        )?;
        for (k, d) in self.disputes.iter().enumerate() {
            known(format!("disputes[{k}].a"), &d.a)?;
            known(format!("disputes[{k}].b"), &d.b)?;
            if d.a == d.b {
                return Err(bad(
                    format!("disputes[{k}].b"),
                    "a dispute needs two parties",
                ));
            }
            if let Some(q) = d.status_quo {
                check_probability(&format!("disputes[{k}].status_quo"), q)?;
            }
        }
        if self.snapshots.is_empty() {
            return Err(bad(
                "snapshots",
                "a model needs at least one [[snapshots]] table",
            ));
        }
        for (k, s) in self.snapshots.iter().enumerate() {
            self.validate_snapshot(k, s, &known)?;
        }
        if let Some((a, b)) = self.prior.reliability_beta {
            check_number("prior.reliability_beta", a, 0.0, true)?;
            check_number("prior.reliability_beta", b, 0.0, true)?;
        }
        check_number(
            "prior.capability_sigma",
            self.prior.capability_sigma,
            0.0,
            false,
        )?;
        for (f, r) in [
            ("prior.stake_range", self.prior.stake_range),
            ("prior.war_cost_range", self.prior.war_cost_range),
        ] {
            if let Some((lo, hi)) = r {
                check_number(f, lo, 0.0, false)?;
                check_number(f, hi, lo, false)?;
            }
        }
        Ok(())
    }

    fn validate_snapshot(
        &self,
        k: usize,
        s: &Snapshot,
        known: &dyn Fn(String, &str) -> Result<(), Invalid>,
    ) -> Result<(), Invalid> {
        let f = |x: &str| format!("snapshots[{k}].{x}");
        if self.snapshots[..k].iter().any(|t| t.year == s.year) {
            return Err(bad(f("year"), format!("two snapshots for {}", s.year)));
        }
        if s.capability.is_empty() {
            return Err(bad(
                f("capability"),
                "a snapshot needs the capability of its states",
            ));
        }
        if s.capability.len() > MAX_STATES {
            return Err(bad(
                f("capability"),
                format!(
                    "{} states; the limit is {MAX_STATES} (the war model keeps a states x states \
                     table, {} MiB at the limit)",
                    s.capability.len(),
                    MAX_STATES * MAX_STATES * 8 * 3 / (1 << 20)
                ),
            ));
        }
        let mut present = HashSet::new();
        for (id, c) in &s.capability {
            known(f("capability"), id)?;
            if !present.insert(id.as_str()) {
                return Err(bad(f("capability"), format!("`{id}` is listed twice")));
            }
            check_number(&format!("{}.{id}", f("capability")), *c, 0.0, true)?;
        }
        let in_snapshot = |field: String, id: &str| -> Result<(), Invalid> {
            known(field.clone(), id)?;
            if present.contains(id) {
                Ok(())
            } else {
                Err(bad(
                    field,
                    format!("`{id}` has no capability in the {} snapshot", s.year),
                ))
            }
        };
        if s.members.is_empty() {
            return Err(bad(f("members"), "a snapshot needs at least one member"));
        }
        let mut seen = HashSet::new();
        for m in &s.members {
            in_snapshot(f("members"), m)?;
            if !seen.insert(m.as_str()) {
                return Err(bad(f("members"), format!("`{m}` is listed twice")));
            }
        }
        for m in s.democracies.iter().chain(&s.major_powers) {
            known(f("democracies"), m)?;
        }
        for (p, pats) in &s.patrons {
            known(f("patrons"), p)?;
            for q in pats {
                known(f("patrons"), q)?;
            }
        }
        for (name, table) in [("milex", &s.milex), ("gdp", &s.gdp)] {
            for (id, x) in table {
                known(f(name), id)?;
                check_number(&format!("{}.{id}", f(name)), *x, 0.0, false)?;
            }
        }
        Ok(())
    }
}

fn overlaps(a: Validity, b: Validity) -> bool {
    let lo = a.since.unwrap_or(i32::MIN).max(b.since.unwrap_or(i32::MIN));
    let hi = a.until.unwrap_or(i32::MAX).min(b.until.unwrap_or(i32::MAX));
    lo <= hi
}

pub(crate) fn model_error(file: &std::path::Path, line: usize, e: Invalid) -> Error {
    Error::Model {
        file: file.to_path_buf(),
        line,
        field: e.field,
        message: e.message,
    }
}
