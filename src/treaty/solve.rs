//! `solve`: the solutions of a treaty year's compiled games (what `covenant solve` prints).

use super::analysis::{analyse, response_game};
use super::conditions::{alliance_game, equal_rules};
use super::deterrence_tree::{trees_of, PairDeterrence};
use super::model::{Scope, Treaty};
use super::report::{Figures, MemberShare, ProcedurePower};
use super::response::MAX_NORMAL_FORM_RESPONDERS;
use super::system::System;
use crate::coop::{least_core, nucleolus, Domain};
use crate::error::Result;
use serde::Serialize;

/// The response game of the scenario where aggression pays most, solved and certified.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseSolution {
    /// Scope.
    pub scope: Scope,
    /// Aggressor id.
    pub aggressor: String,
    /// Target id.
    pub target: String,
    /// Pledged responders.
    pub responders: Vec<String>,
    /// The selected equilibrium's helpers.
    pub helpers: Vec<String>,
    /// Regret of the selected profile, computed by [`crate::verify`] on the compiled normal
    /// form (responders ≤ 12), else by the response game's own deviation check.
    pub regret: f64,
    /// Whether `regret` comes from the independent checker.
    pub certified: bool,
    /// Uniform reneging cost making every pledge an equilibrium.
    pub r_star: f64,
}

/// The alliance game of one scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllianceSolution {
    /// Scope.
    pub scope: Scope,
    /// `v(M)`.
    pub value: f64,
    /// Least-core ε (preimputations).
    pub epsilon: f64,
    /// Nucleolus, natural shares and outside options.
    pub shares: Vec<MemberShare>,
    /// Whether the nucleolus passes Kohlberg's criterion.
    pub kohlberg: bool,
}

/// The result of [`solve`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solutions {
    /// Treaty name.
    pub treaty: String,
    /// Year.
    pub year: i32,
    /// Scenarios analysed.
    pub scenarios: usize,
    /// Voting power per procedure.
    pub power: Vec<ProcedurePower>,
    /// Alliance games (members ≤ 64).
    pub alliance: Vec<AllianceSolution>,
    /// Worst response game per scope.
    pub responses: Vec<ResponseSolution>,
    /// The extended-deterrence tree of every scenario with a pledged helper (or of the pair
    /// asked for), solved: [`super::deterrence_tree`].
    pub deterrence_trees: Vec<PairDeterrence>,
}

/// Solves the games of one treaty year: voting power per procedure, the alliance game's least
/// core and nucleolus per scope, and the response game of the worst scenario per scope with
/// its certificate.
///
/// # Errors
/// As [`super::check`].
pub fn solve(treaty: &Treaty, year: Option<i32>) -> Result<Solutions> {
    solve_with(treaty, year, None)
}

/// [`solve`], with the extended-deterrence trees of one `(aggressor, target)` pair only.
///
/// # Errors
/// As [`super::check`], and as [`super::deterrence_tree::deterrence_trees`] for `pair`.
pub fn solve_with(
    treaty: &Treaty,
    year: Option<i32>,
    pair: Option<(&str, &str)>,
) -> Result<Solutions> {
    let sys = System::new(treaty, year)?;
    let a = analyse(&sys);
    let power = match equal_rules(&sys)?.figures {
        Some(Figures::EqualRules(p)) => p,
        _ => Vec::new(),
    };
    let mut alliance = Vec::new();
    let mut responses = Vec::new();
    for scope in Scope::BOTH {
        if let Ok((g, players)) = alliance_game(&sys, &a, scope) {
            if players.len() >= 2 && a.scenarios.iter().any(|s| s.scope == scope) {
                if let (Ok(lc), Ok(nu)) = (least_core(&g, Domain::Preimputations), nucleolus(&g)) {
                    let nat = g.natural_allocation();
                    alliance.push(AllianceSolution {
                        scope,
                        value: g.value_of(if players.len() == 64 {
                            u64::MAX
                        } else {
                            (1u64 << players.len()) - 1
                        }),
                        epsilon: lc.epsilon,
                        shares: players
                            .iter()
                            .enumerate()
                            .map(|(q, &k)| MemberShare {
                                id: sys.ids[k].clone(),
                                natural: nat[q],
                                transfer: 0.0,
                                outside: 0.0,
                                nucleolus: Some(nu.allocation[q]),
                            })
                            .collect(),
                        kohlberg: nu.kohlberg,
                    });
                }
            }
        }
        let worst = a
            .scenarios
            .iter()
            .filter(|s| s.scope == scope && !s.pledged.is_empty() && !s.beyond_reach())
            .max_by(|x, y| x.eu.eu.total_cmp(&y.eu.eu));
        if let Some(s) = worst {
            let g = response_game(&sys, &a, s);
            let eq = g.select_equilibrium();
            let (regret, certified) = if g.responders.len() <= MAX_NORMAL_FORM_RESPONDERS {
                let nf = g.to_normal_form()?;
                let profile: Vec<Vec<f64>> = eq
                    .iter()
                    .map(|&h| if h { vec![1.0, 0.0] } else { vec![0.0, 1.0] })
                    .collect();
                (crate::verify::regret(&nf, &profile)?, true)
            } else {
                let r = (0..eq.len())
                    .map(|k| {
                        let gain = g.gain_from_helping(k, &eq);
                        if eq[k] {
                            -gain
                        } else {
                            gain
                        }
                    })
                    .fold(0.0, f64::max);
                (r, false)
            };
            responses.push(ResponseSolution {
                scope,
                aggressor: sys.ids[s.aggressor].clone(),
                target: sys.ids[s.target].clone(),
                responders: g
                    .responders
                    .iter()
                    .map(|r| sys.ids[r.state].clone())
                    .collect(),
                helpers: g
                    .responders
                    .iter()
                    .zip(&eq)
                    .filter(|(_, &h)| h)
                    .map(|(r, _)| sys.ids[r.state].clone())
                    .collect(),
                regret,
                certified,
                r_star: s.r_star,
            });
        }
    }
    Ok(Solutions {
        treaty: treaty.name.clone(),
        year: sys.year(),
        scenarios: a.scenarios.len(),
        power,
        alliance,
        responses,
        deterrence_trees: trees_of(&sys, &a, pair)?,
    })
}
