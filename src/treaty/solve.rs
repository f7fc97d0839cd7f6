//! `covenant solve`: the games a treaty compiles to, solved.

use super::compile::{bargaining, decision_game, AllianceGame, Bargaining};
use super::conditions;
use super::conditions::credibility::ResponseSummary;
use super::deterrence::PairOutcome;
use super::model::Treaty;
use super::report::{CheckOptions, Context};
use crate::error::Result;
use serde::Serialize;

/// Most attack scenarios listed one by one in [`Solutions::responses`]; above it only the
/// counts are given.
pub const MAX_LISTED_SCENARIOS: usize = 2000;

/// Power of one voter under the decision rule.
#[derive(Debug, Clone, Serialize)]
pub struct VoterPower {
    /// State id.
    pub id: String,
    /// Shapley–Shubik index.
    pub shapley_shubik: Option<f64>,
    /// Normalised Banzhaf index.
    pub banzhaf: Option<f64>,
}

/// A member's share of the alliance game's value.
#[derive(Debug, Clone, Serialize)]
pub struct MemberShare {
    /// State id.
    pub id: String,
    /// Its own security gain minus its own expected burden.
    pub share: f64,
}

/// What [`solve`] returns.
#[derive(Debug, Clone, Serialize)]
pub struct Solutions {
    /// The treaty's name.
    pub treaty: String,
    /// Number of attack scenarios (aggressor, member target).
    pub scenarios: usize,
    /// Scenarios in which the pledge profile is a Nash equilibrium of the response game.
    pub pledges_are_equilibrium: usize,
    /// Scenarios in which nobody helping is a Nash equilibrium.
    pub abandonment_is_equilibrium: usize,
    /// Per-scenario response-game summaries (when at most [`MAX_LISTED_SCENARIOS`]).
    pub responses: Option<Vec<ResponseSummary>>,
    /// The alliance game's value `v(M)` and each member's natural share.
    pub alliance_value: f64,
    /// Natural allocation of the alliance game.
    pub alliance_shares: Vec<MemberShare>,
    /// Nucleolus of the alliance game (a fair division of its value), for at most
    /// `MAX_NUCLEOLUS_MEMBERS` (12) members and a non-negative `v(N)` (imputations exist).
    pub nucleolus: Option<Vec<MemberShare>>,
    /// Power of each voter in the decision body.
    pub power: Vec<VoterPower>,
    /// Bargaining problems of the dispute dyads.
    pub bargaining: Vec<Bargaining>,
}

/// Solves the games a treaty compiles to: the response game of every attack scenario
/// (equilibria reached from the pledges, pledge and abandonment equilibrium checks), the
/// alliance game's natural allocation, the decision rule's power indices, and each dyad's
/// bargaining solutions.
///
/// # Errors
/// As [`super::check`].
pub fn solve(treaty: &Treaty) -> Result<Solutions> {
    let ctx = Context::new(treaty, CheckOptions::default())?;
    let r = &ctx.r;
    let s = conditions::credibility::summaries(&ctx)?;
    let g = AllianceGame::new(r)?;
    let shares = g.own_shares_of(&vec![true; g.members.len()]);
    let dg = decision_game(r)?;
    let ss = conditions::equal_rules::shapley_shubik(&ctx)?;
    let bz = match crate::coop::banzhaf_power(&dg.voting) {
        Ok(b) => Some(b.normalized_f64()),
        Err(crate::Error::TooLarge(_)) => None,
        Err(e) => return Err(e),
    };
    // v({i}) = 0, so imputations exist iff v(N) ≥ 0.
    let nucleolus = if g.members.len() <= conditions::participation::MAX_NUCLEOLUS_MEMBERS
        && shares.iter().sum::<f64>() >= 0.0
    {
        Some(crate::coop::nucleolus(&g)?.allocation)
    } else {
        None
    };
    Ok(Solutions {
        treaty: treaty.name.clone(),
        scenarios: s.len(),
        pledges_are_equilibrium: s
            .iter()
            .filter(|x| x.responders > 0 && x.pledge_regret <= crate::Tolerance::DEFAULT.abs)
            .count(),
        abandonment_is_equilibrium: s.iter().filter(|x| x.abandonment_is_equilibrium).count(),
        alliance_value: shares.iter().sum(),
        alliance_shares: g
            .members
            .iter()
            .zip(&shares)
            .map(|(&k, &x)| MemberShare {
                id: r.states[k].id.clone(),
                share: x,
            })
            .collect(),
        nucleolus: nucleolus.map(|nu| {
            g.members
                .iter()
                .zip(nu)
                .map(|(&k, x)| MemberShare {
                    id: r.states[k].id.clone(),
                    share: x,
                })
                .collect()
        }),
        responses: (s.len() <= MAX_LISTED_SCENARIOS).then_some(s),
        power: dg
            .body
            .iter()
            .enumerate()
            .map(|(p, &k)| VoterPower {
                id: r.states[k].id.clone(),
                shapley_shubik: ss.as_ref().map(|v| v[p]),
                banzhaf: bz.as_ref().map(|v| v[p]),
            })
            .collect(),
        bargaining: r
            .disputes
            .iter()
            .map(|&(a, b)| bargaining(r, a, b))
            .collect(),
    })
}

/// Every attack scenario's expected payoff of aggression (the deterrence DP), in the order
/// member target, then aggressor.
///
/// # Errors
/// As [`super::check`].
pub fn deterrence_pairs(treaty: &Treaty, opts: CheckOptions) -> Result<Vec<PairOutcome>> {
    let ctx = Context::new(treaty, opts)?;
    Ok(conditions::deterrence::pairs(&ctx))
}

/// The lowest uniform reliability at which every aggression is deterred (`None`: not even
/// certain help deters).
///
/// # Errors
/// As [`super::check`].
pub fn lowest_reliability(treaty: &Treaty, opts: CheckOptions) -> Result<Option<f64>> {
    let ctx = Context::new(treaty, opts)?;
    Ok(conditions::deterrence::lowest_reliability(&ctx))
}
