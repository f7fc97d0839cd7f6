//! The report of a treaty check: typed verdicts per condition and scope, with witnesses.

use super::model::{Scope, TreatyKind};
use super::procedures::BlockingCoalition;
use serde::Serialize;

/// A verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The condition holds.
    Holds,
    /// It fails (a witness says where).
    Fails,
    /// It could not be decided (the detail says why); never reported as holding.
    Unknown,
}

impl Verdict {
    /// `holds` / `fails` / `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The collective-security conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionId {
    /// (a) Aggression does not pay against equilibrium help.
    Deterrence,
    /// (b) Members are better off in than out, with transfers into the core.
    Participation,
    /// (c) Reciprocal obligations; nobody judges its own cause.
    EqualRules,
    /// (d) Equilibrium help keeps the promised deterrence.
    Credibility,
    /// (e) Some division of the defence burden deters every in-scope threat.
    BurdenSharing,
    /// (f) A binding settlement awards inside every bargaining range.
    PeacefulSettlement,
    /// (g) Some response can be set in motion against every aggressor.
    Liveness,
}

impl ConditionId {
    /// All conditions in report order.
    pub const ALL: [ConditionId; 7] = [
        ConditionId::Deterrence,
        ConditionId::Participation,
        ConditionId::EqualRules,
        ConditionId::Credibility,
        ConditionId::BurdenSharing,
        ConditionId::PeacefulSettlement,
        ConditionId::Liveness,
    ];

    /// The JSON / CLI id.
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionId::Deterrence => "deterrence",
            ConditionId::Participation => "participation",
            ConditionId::EqualRules => "equal_rules",
            ConditionId::Credibility => "credibility",
            ConditionId::BurdenSharing => "burden_sharing",
            ConditionId::PeacefulSettlement => "peaceful_settlement",
            ConditionId::Liveness => "liveness",
        }
    }

    /// Parses an id (`peaceful_resolution` is accepted for `peaceful_settlement`).
    ///
    /// # Errors
    /// A message listing the ids.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s == "peaceful_resolution" {
            return Ok(ConditionId::PeacefulSettlement);
        }
        ConditionId::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let ids: Vec<&str> = ConditionId::ALL.iter().map(|c| c.as_str()).collect();
                format!(
                    "unknown condition `{s}`: expected one of {}",
                    ids.join(", ")
                )
            })
    }
}

impl std::str::FromStr for ConditionId {
    type Err = crate::error::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ConditionId::parse(s).map_err(crate::error::Error::InvalidArgument)
    }
}

impl std::fmt::Display for ConditionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The scope a condition is reported for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionScope {
    /// Non-member aggressors.
    External,
    /// Member aggressors.
    Internal,
    /// Not scoped (equal rules).
    All,
}

impl From<Scope> for ConditionScope {
    fn from(s: Scope) -> Self {
        match s {
            Scope::External => ConditionScope::External,
            Scope::Internal => ConditionScope::Internal,
        }
    }
}

impl ConditionScope {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionScope::External => "external",
            ConditionScope::Internal => "internal",
            ConditionScope::All => "all",
        }
    }
}

/// One scenario named in a witness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioRef {
    /// Aggressor id.
    pub aggressor: String,
    /// Target id.
    pub target: String,
    /// `EU` with equilibrium help.
    pub eu: f64,
    /// `EU` without the treaty.
    pub eu_without: f64,
}

/// Why deterrence fails: the scenario where aggression pays most.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeterrenceWitness {
    /// The scenario.
    pub scenario: ScenarioRef,
    /// Pledged helpers whose trigger can act.
    pub pledged: usize,
    /// Equilibrium helpers.
    pub helpers: Vec<String>,
    /// Whether an enforcement procedure can act.
    pub enforcement_can_act: bool,
    /// Failing scenarios in the scope.
    pub failing: usize,
}

/// Why credibility fails: equilibrium help loses the promised deterrence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredibilityWitness {
    /// The scenario.
    pub scenario: ScenarioRef,
    /// `EU` if every pledge were honoured (at reliability).
    pub eu_promise: f64,
    /// Pledged helpers.
    pub pledged: usize,
    /// Equilibrium helpers.
    pub helpers: Vec<String>,
    /// The strongest pledgers who defect in equilibrium (at most 10).
    pub defectors: Vec<String>,
}

/// Credibility figures reported whatever the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredibilitySummary {
    /// Uniform reneging cost that makes every pledge an equilibrium in every scenario.
    pub r_star: f64,
    /// Scenarios (with pledges) where every pledge honoured is an equilibrium.
    pub pledges_equilibrium: usize,
    /// Scenarios (with pledges) where nobody helping is an equilibrium.
    pub abandonment_equilibrium: usize,
    /// Scenarios with pledges.
    pub scenarios: usize,
    /// Mean of `|H*| / |pledged|` over those scenarios.
    pub predicted_reliability: Option<f64>,
}

/// Why participation fails.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipationWitness {
    /// A coalition that can do better on its own (when the core is empty).
    pub blocking_coalition: Vec<String>,
    /// Members better off as free-riding non-members under the remaining treaty.
    pub better_outside: Vec<String>,
}

/// Participation figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipationSummary {
    /// Least-core ε (core non-empty iff ≤ 0).
    pub epsilon: f64,
    /// Per member: natural payoff, transfer into the core, outside option.
    pub members: Vec<MemberShare>,
    /// Total transfer needed (sum of positive transfers).
    pub total_transfer: f64,
}

/// One member's position in the alliance game.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberShare {
    /// Id.
    pub id: String,
    /// Payoff without transfers.
    pub natural: f64,
    /// Smallest transfer (positive: received) that puts the allocation in the core.
    pub transfer: f64,
    /// Payoff as a free-riding non-member.
    pub outside: f64,
    /// Nucleolus share (fair share), when computed.
    pub nucleolus: Option<f64>,
}

/// Why equal rules fail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EqualRulesWitness {
    /// Members who can block action against themselves, per procedure.
    pub judges_in_own_cause: Vec<(String, Vec<String>)>,
    /// Members whose obligations are not reciprocal (pledge without protection or the reverse).
    pub non_reciprocal: Vec<String>,
}

/// Voting power in one procedure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedurePower {
    /// Procedure id.
    pub procedure: String,
    /// Per body member: Shapley–Shubik and normalised Banzhaf.
    pub power: Vec<VoterPower>,
    /// Gini of Shapley–Shubik power over all members (non-voters count as 0).
    pub gini: f64,
    /// Largest over smallest Shapley–Shubik power among body members.
    pub max_min: f64,
}

/// One voter's power.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoterPower {
    /// Id.
    pub id: String,
    /// Shapley–Shubik index.
    pub shapley_shubik: f64,
    /// Normalised Banzhaf index.
    pub banzhaf: f64,
}

/// Why burden sharing fails.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurdenWitness {
    /// The threat that binds (or cannot be met).
    pub binding_threat: (String, String),
    /// Threats no pledged helper can meet.
    pub unmet: usize,
}

/// Burden-sharing figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurdenSummary {
    /// Smallest uniform share of capacity that deters every in-scope threat (mean field).
    pub max_capacity_share: Option<f64>,
    /// Contribution per member at that share.
    pub contributions: Vec<(String, f64)>,
    /// Observed Olson–Zeckhauser test: Spearman ρ of size (GDP) against burden (milex/GDP).
    pub olson_zeckhauser: Option<RankTest>,
}

/// A Spearman rank correlation with its two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RankTest {
    /// Spearman's ρ.
    pub rho: f64,
    /// Two-sided p-value (t approximation with n − 2 degrees of freedom).
    pub p_value: f64,
    /// Sample size.
    pub n: usize,
}

/// Why peaceful settlement fails.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettlementWitness {
    /// The dispute (first party, second party).
    pub dispute: (String, String),
    /// Alliance-adjusted win probability of the first party.
    pub p: f64,
    /// Bargaining range `[p − c_a, p + c_b]`.
    pub range: (f64, f64),
    /// The outcome (award or status quo).
    pub outcome: f64,
    /// Fearon's risk–return probability of war under private information.
    pub war_probability: f64,
}

/// Why liveness fails: an aggressor no procedure can act against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LivenessWitness {
    /// The aggressor.
    pub aggressor: String,
    /// Per procedure that could set a response in motion: its minimal blocking coalitions.
    pub blocked_by: Vec<(String, Vec<BlockingCoalition>)>,
    /// In-scope aggressors against whom nothing can act.
    pub blocked_aggressors: Vec<String>,
}

/// A typed witness.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Witness {
    /// Deterrence.
    Deterrence(DeterrenceWitness),
    /// Credibility.
    Credibility(CredibilityWitness),
    /// Participation.
    Participation(ParticipationWitness),
    /// Equal rules.
    EqualRules(EqualRulesWitness),
    /// Burden sharing.
    BurdenSharing(BurdenWitness),
    /// Peaceful settlement.
    PeacefulSettlement(SettlementWitness),
    /// Liveness.
    Liveness(LivenessWitness),
}

/// Figures reported with a condition whatever its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Figures {
    /// Credibility.
    Credibility(CredibilitySummary),
    /// Participation.
    Participation(ParticipationSummary),
    /// Equal rules.
    EqualRules(Vec<ProcedurePower>),
    /// Burden sharing.
    BurdenSharing(BurdenSummary),
}

/// One condition for one scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    /// Which condition.
    pub id: ConditionId,
    /// Which scope.
    pub scope: ConditionScope,
    /// Whether the treaty's kind promises this scope (its verdict counts).
    pub judged: bool,
    /// The verdict.
    pub verdict: Verdict,
    /// Positive slack when it holds, negative size of the worst violation when it fails, 0
    /// when unknown. Always a finite number.
    pub margin: f64,
    /// P(holds) under the model's prior (with `--samples`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// One sentence.
    pub detail: String,
    /// Where it fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<Witness>,
    /// Figures reported whatever the verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures: Option<Figures>,
}

impl Condition {
    pub(crate) fn new(id: ConditionId, scope: ConditionScope, judged: bool) -> Self {
        Condition {
            id,
            scope,
            judged,
            verdict: Verdict::Unknown,
            margin: 0.0,
            probability: None,
            detail: String::new(),
            witness: None,
            figures: None,
        }
    }

    pub(crate) fn unknown(mut self, detail: impl Into<String>) -> Self {
        self.verdict = Verdict::Unknown;
        self.margin = 0.0;
        self.detail = detail.into();
        self
    }

    pub(crate) fn decided(mut self, holds: bool, margin: f64, detail: impl Into<String>) -> Self {
        self.verdict = if holds {
            Verdict::Holds
        } else {
            Verdict::Fails
        };
        self.margin = if margin.is_finite() {
            margin
        } else if holds {
            f64::MAX
        } else {
            f64::MIN
        };
        self.detail = detail.into();
        self
    }
}

/// One attack scenario in the report's pair table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairRow {
    /// Aggressor id.
    pub aggressor: String,
    /// Target id.
    pub target: String,
    /// Scope.
    pub scope: Scope,
    /// `EU` with equilibrium help.
    pub eu: f64,
    /// `EU` without the treaty.
    pub eu_without: f64,
    /// The treaty's effect `eu_without − eu`.
    pub effect: f64,
    /// The aggressor's expected win probability with equilibrium help.
    pub win_probability: f64,
    /// Deterred?
    pub deterred: bool,
    /// P(deterred) under the prior (with `--samples`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_deterred: Option<f64>,
    /// Beyond the system's reach?
    pub beyond_reach: bool,
    /// Pledged helpers whose trigger can act.
    pub pledged: Vec<String>,
    /// Equilibrium helpers.
    pub equilibrium_helpers: Vec<String>,
    /// Can an enforcement procedure act against the aggressor?
    pub enforcement_can_act: bool,
    /// Procedures that can act against the aggressor.
    pub procedures_can_act: Vec<String>,
}

/// The result of [`super::check`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Treaty name.
    pub treaty: String,
    /// Snapshot year.
    pub year: i32,
    /// Year of the capability data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_year: Option<i32>,
    /// Kind.
    pub kind: TreatyKind,
    /// Member ids.
    pub members: Vec<String>,
    /// States beyond the system's reach: some member target they could attack profitably even
    /// if every pledged helper fought for sure.
    pub preponderant: Vec<String>,
    /// Mean `|H*| / |pledged|` over scenarios with pledges (Leeds et al. 2000: about 0.75).
    pub predicted_reliability: Option<f64>,
    /// Monte Carlo samples behind `probability` / `p_deterred` (0: none).
    pub samples: usize,
    /// The verdicts.
    pub conditions: Vec<Condition>,
    /// The scenario table (with `pairs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Vec<PairRow>>,
}

impl Report {
    /// The condition for an id and scope.
    pub fn condition(&self, id: ConditionId, scope: ConditionScope) -> Option<&Condition> {
        self.conditions
            .iter()
            .find(|c| c.id == id && c.scope == scope)
    }

    /// The verdict for an id and scope (`None` when not computed).
    pub fn verdict(&self, id: ConditionId, scope: ConditionScope) -> Option<Verdict> {
        self.condition(id, scope).map(|c| c.verdict)
    }
}
