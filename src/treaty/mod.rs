//! Treaties as games: the model, the war and response games it compiles to, and the
//! collective-security conditions.
//!
//! - [`model`]: [`Treaty`] (format 2, `models/TEMPLATE.toml`), one [`Snapshot`] per year.
//! - [`parse`]: TOML models ([`load_treaty`], [`parse_treaty`]) with file/line/field errors.
//! - [`System`]: one year resolved into indices (projected capability with the
//!   loss-of-strength gradient, stakes `W_kj`, clauses in force).
//! - [`war`]: `π(H)` and the aggressor's expected utility with helpers fighting at their
//!   reliability (independent or common shock), with a rigorous bracket.
//! - [`response`]: the response game after an attack (a weighted potential game), its selected
//!   equilibrium `H*` and its dense [`crate::game::NormalForm`] for an independent certificate.
//! - [`procedures`]: whether an organ can act against an aggressor; minimal blocking coalitions.
//! - [`alliance`]: the alliance's coalitional game with an exact separation oracle.
//! - [`check`] → [`Report`]: seven conditions, each per scope (`external`: non-member
//!   aggressors; `internal`: member aggressors), `holds | fails | unknown`, a margin, a typed
//!   [`Witness`]; optional Monte Carlo under the model's prior. [`solve`] → [`Solutions`].
//!
//! Formulas, scopes and sources of every condition: `docs/treaty-conditions.md`.

pub mod alliance;
pub mod analysis;
mod burden;
mod check;
mod conditions;
pub mod deterrence_tree;
pub mod model;
pub mod parse;
pub mod procedures;
mod report;
pub mod response;
mod solve;
mod system;
pub mod war;

pub use analysis::{analyse, Analysis, Scenario};
pub use burden::spearman;
pub use check::{check, check_with_progress, CheckOptions, MAX_SAMPLES};
pub use model::{
    Award, Capacity, Defaults, Dispute, Gradient, HelpCorrelation, Obligation, ObligationCondition,
    ObligationKind, Power, Prior, Procedure, ReliabilityProfile, Sanction, Scope, Settlement,
    Snapshot, StakeRule, State, StateOverrides, StateSet, Treaty, TreatyKind, Trigger, Validity,
    VotingRule, WarModel, DEFAULT_RELIABILITY, MAX_STATES,
};
pub use parse::{load_treaty, parse_treaty, treaty_from_table, MAX_MODEL_BYTES};
pub use procedures::{BlockKind, BlockingCoalition};
pub use report::{
    BurdenSummary, BurdenWitness, Condition, ConditionId, ConditionScope, CredibilitySummary,
    CredibilityWitness, DeterrenceWitness, EqualRulesWitness, Figures, LivenessWitness,
    MemberShare, PairRow, ParticipationSummary, ParticipationWitness, ProcedurePower, RankTest,
    Report, ScenarioRef, SettlementWitness, Verdict, VoterPower, Witness,
};
pub use response::{Responder, ResponseGame};
pub use solve::{solve, solve_with, AllianceSolution, ResponseSolution, Solutions};
pub use system::{ObligationR, ProcedureR, RuleR, SanctionR, System};
