//! Treaties as games: the model, its compilation into games, and collective-security checks.
//!
//! - [`model`]: [`Treaty`] (serde), [`TreatyBuilder`] for treaties in code.
//! - [`parse`]: TOML models ([`load_treaty`], [`parse_treaty`]) with file/line/field errors.
//! - [`compile`]: the response game ([`response_game`]), the alliance's coalitional game
//!   ([`AllianceGame`]), the decision rule ([`decision_game`]) and each dyad's bargaining
//!   problem ([`bargaining`]).
//! - [`deterrence`]: the war model's counting DP.
//! - [`check`] → [`Report`] of [`Verdict`]s; [`solve`] → [`Solutions`].

pub mod compile;
mod conditions;
pub mod deterrence;
pub mod model;
pub mod parse;
mod report;
mod solve;

pub use compile::{
    bargaining, can_act_against, decision_game, response_game, ActionAgainst, AllianceGame,
    Bargaining, DecisionGame, ResponseGame,
};
pub use conditions::credibility::ResponseSummary;
pub use conditions::participation::CoreStatus;
pub use deterrence::{PairOutcome, DEFAULT_RESOLUTION};
pub use model::{
    Decision, DecisionRule, Dispute, Obligation, ObligationCondition, ObligationKind, Resolved,
    Sanctions, Settlement, State, StateSet, Treaty, TreatyBuilder, DEFAULT_RELIABILITY,
};
pub use parse::{load_treaty, parse_treaty};
pub use report::{check, check_with, CheckOptions, ConditionId, Report, Verdict};
pub use solve::{deterrence_pairs, lowest_reliability, solve, Solutions};
