//! Every attack scenario of a year: aggressor `i` (any state) against member target `j`.
//!
//! For each scenario: the pledged helpers whose obligation's trigger can act against `i`, the
//! response game's selected equilibrium `H*` ([`super::response`]), the aggressor's expected
//! utility with `H*` fighting at their reliability ([`super::war`]), without the treaty, with
//! the full promise, and with every pledger fighting for sure (the preponderance test).

use super::model::{ObligationKind, Power, Scope};
use super::procedures::{can_act, trigger_can_act};
use super::response::{Responder, ResponseGame};
use super::system::System;
use super::war::{expected_utility, win_probability, Eu, Stakes};
use rayon::prelude::*;

/// One attack scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Aggressor index.
    pub aggressor: usize,
    /// Target index (a member).
    pub target: usize,
    /// Scope of the attack.
    pub scope: Scope,
    /// Pledged helpers whose trigger can act against the aggressor, with reliabilities.
    pub pledged: Vec<(usize, f64)>,
    /// Pledgers before gating by procedures.
    pub pledged_ungated: usize,
    /// Equilibrium helpers `H*`.
    pub helpers: Vec<usize>,
    /// Sanction cost the aggressor faces.
    pub sanction: f64,
    /// `EU` with `H*` fighting at their reliability (the headline).
    pub eu: Eu,
    /// `EU` with every pledged helper fighting at its reliability (the promise).
    pub eu_promise: Eu,
    /// `EU` without the treaty (no help, no sanctions).
    pub eu_without: f64,
    /// `EU` when every pledger fights for sure and every sanction applies: if this is still
    /// `>= 0`, the aggressor is beyond the system's reach for this target.
    pub eu_full: f64,
    /// Whether an enforcement procedure can act against the aggressor.
    pub enforcement_can_act: bool,
    /// Procedures (indices) that can act against the aggressor.
    pub procedures_can_act: Vec<usize>,
    /// Is "every pledge honoured" an equilibrium of the response game?
    pub pledges_equilibrium: bool,
    /// Is "nobody helps" an equilibrium?
    pub abandonment_equilibrium: bool,
    /// Uniform reneging cost that makes every pledge an equilibrium.
    pub r_star: f64,
}

impl Scenario {
    /// Beyond the system's reach: even certain help by every pledger does not deter.
    pub fn beyond_reach(&self) -> bool {
        self.eu_full >= 0.0
    }

    /// The treaty's effect on the aggressor: `EU without − EU with`.
    pub fn effect(&self) -> f64 {
        self.eu_without - self.eu.eu
    }
}

/// The scenarios of a year, with the per-state quantities they share.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Every scenario, by aggressor then target.
    pub scenarios: Vec<Scenario>,
    /// Reneging cost `R_k` of every state, per scope (`[external, internal]`).
    pub reneging_cost: Vec<[f64; 2]>,
    /// Value of membership `M_k` per scope (`[external, internal]`; 0 for non-members).
    pub membership_value: Vec<[f64; 2]>,
    /// `can_act[i][p]`: procedure `p` can act against aggressor `i`.
    pub can_act: Vec<Vec<bool>>,
}

struct Pledges {
    /// Per obligation: can its trigger act against each aggressor?
    active: Vec<Vec<bool>>,
}

fn pledges_of(sys: &System) -> Pledges {
    let n = sys.n();
    let active = sys
        .obligations
        .iter()
        .map(|o| (0..n).map(|i| trigger_can_act(sys, o.trigger, i)).collect())
        .collect();
    Pledges { active }
}

/// Pledged armed helpers of `j` against `i`: `(k, ρ_kj, gated_in)`.
fn pledged(sys: &System, pl: &Pledges, i: usize, j: usize, out: &mut Vec<(usize, f64, bool)>) {
    out.clear();
    for (oi, o) in sys.obligations.iter().enumerate() {
        if o.kind != ObligationKind::Defense || !o.armed || !o.protects[j] || !o.against[i] {
            continue;
        }
        if let Some(r) = &o.region {
            if sys.region[j].as_deref() != Some(r.as_str()) {
                continue;
            }
        }
        let active = pl.active[oi][i];
        for k in 0..sys.n() {
            if !o.pledgers[k] || k == i || k == j {
                continue;
            }
            let rho = sys.reliability_of(k, j, o.reliability);
            // `out` stays sorted by state (k runs upwards within an obligation).
            match out.binary_search_by_key(&k, |e| e.0) {
                Ok(at) => {
                    let e = &mut out[at];
                    if active && (!e.2 || rho > e.1) {
                        e.1 = rho;
                    }
                    e.2 |= active;
                }
                Err(at) => out.insert(at, (k, rho, active)),
            }
        }
    }
}

fn stakes_of(sys: &System, i: usize, j: usize, sanction: f64) -> Stakes {
    Stakes {
        value: sys.value[j],
        loss: sys.loss[i],
        cost: sys.war_cost[i] + sanction,
    }
}

fn scope_index(s: Scope) -> usize {
    match s {
        Scope::External => 0,
        Scope::Internal => 1,
    }
}

/// Runs every scenario of the system.
pub fn analyse(sys: &System) -> Analysis {
    analyse_with(sys, true)
}

/// Runs every scenario; with `point = false` (Monte Carlo) an `EU` whose verdict is decided by
/// its bounds is not computed exactly (see [`super::war::expected_utility`]).
pub fn analyse_with(sys: &System, point: bool) -> Analysis {
    let n = sys.n();
    let pl = pledges_of(sys);
    let can: Vec<Vec<bool>> = (0..n)
        .map(|i| {
            (0..sys.procedures.len())
                .map(|p| can_act(sys, p, i))
                .collect()
        })
        .collect();
    // Value of membership, per scope: the largest drop in k's defeat probability against any
    // single aggressor of that scope that the treaty's (gated) pledges bring, in mean field. A
    // pledger's reputation in a scenario is measured against protection of the same scope, so
    // adding an outsider never changes an internal verdict.
    let membership_value: Vec<[f64; 2]> = (0..n)
        .into_par_iter()
        .map(|k| {
            if !sys.member[k] {
                return [0.0, 0.0];
            }
            let mut buf = Vec::new();
            let mut best = [0.0f64; 2];
            for i in (0..n).filter(|&i| i != k) {
                pledged(sys, &pl, i, k, &mut buf);
                let help: f64 = buf
                    .iter()
                    .filter(|e| e.2)
                    .map(|e| e.1 * sys.proj(e.0, k))
                    .sum();
                let a = sys.proj(i, k);
                let t = sys.proj(k, k);
                let s = scope_index(sys.scope_of(i));
                best[s] = best[s].max(win_probability(a, t, 0.0) - win_probability(a, t, help));
            }
            [sys.value[k] * best[0], sys.value[k] * best[1]]
        })
        .collect();
    let on_defectors: f64 = sys.sanctions.iter().map(|s| s.on_defectors).sum();
    let delta = sys.treaty.defaults.reputation;
    let reneging_cost: Vec<[f64; 2]> = (0..n)
        .map(|k| {
            let r = |s: usize| sys.audience[k] + delta * membership_value[k][s] + on_defectors;
            [r(0), r(1)]
        })
        .collect();
    let help = sys.treaty.war.help;
    let scenarios: Vec<Scenario> = (0..n)
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut buf = Vec::new();
            let mut out = Vec::new();
            let procedures_can_act: Vec<usize> =
                (0..sys.procedures.len()).filter(|&p| can[i][p]).collect();
            let enforcement_can_act = procedures_can_act
                .iter()
                .any(|&p| sys.procedures[p].triggers.contains(&Power::Enforcement));
            let sanction: f64 = sys
                .sanctions
                .iter()
                .filter(|s| s.against[i] && trigger_can_act(sys, s.trigger, i))
                .map(|s| s.cost)
                .sum();
            let sanction_all: f64 = sys
                .sanctions
                .iter()
                .filter(|s| s.against[i])
                .map(|s| s.cost)
                .sum();
            for &j in &sys.members {
                if j == i {
                    continue;
                }
                pledged(sys, &pl, i, j, &mut buf);
                let a = sys.proj(i, j);
                let t = sys.proj(j, j);
                let gated: Vec<(usize, f64)> =
                    buf.iter().filter(|e| e.2).map(|e| (e.0, e.1)).collect();
                let game = ResponseGame::new(
                    a,
                    t,
                    gated
                        .iter()
                        .map(|&(k, _)| Responder {
                            state: k,
                            capability: sys.proj(k, j),
                            stake: sys.stake(k, j),
                            war_cost: sys.war_cost[k],
                            reneging_cost: reneging_cost[k][scope_index(sys.scope_of(i))],
                        })
                        .collect(),
                );
                let eq = game.select_equilibrium();
                let mut helpers: Vec<usize> = game
                    .responders
                    .iter()
                    .zip(&eq)
                    .filter(|(_, &h)| h)
                    .map(|(r, _)| r.state)
                    .collect();
                helpers.sort_unstable();
                let all = vec![true; eq.len()];
                let none = vec![false; eq.len()];
                let st = stakes_of(sys, i, j, sanction);
                let fighting: Vec<(f64, f64)> = gated
                    .iter()
                    .filter(|(k, _)| helpers.binary_search(k).is_ok())
                    .map(|&(k, r)| (sys.proj(k, j), r))
                    .collect();
                let eu = expected_utility(a, t, &fighting, help, st, point);
                let eu_promise = if fighting.len() == gated.len() {
                    eu
                } else {
                    let promised: Vec<(f64, f64)> =
                        gated.iter().map(|&(k, r)| (sys.proj(k, j), r)).collect();
                    expected_utility(a, t, &promised, help, st, point)
                };
                let full: f64 = buf.iter().map(|e| sys.proj(e.0, j)).sum();
                let eu_full = stakes_of(sys, i, j, sanction_all).eu(win_probability(a, t, full));
                let eu_without = stakes_of(sys, i, j, 0.0).eu(win_probability(a, t, 0.0));
                out.push(Scenario {
                    aggressor: i,
                    target: j,
                    scope: sys.scope_of(i),
                    pledged: gated,
                    pledged_ungated: buf.len(),
                    helpers,
                    sanction,
                    eu,
                    eu_promise,
                    eu_without,
                    eu_full,
                    enforcement_can_act,
                    procedures_can_act: procedures_can_act.clone(),
                    pledges_equilibrium: game.is_equilibrium(&all),
                    abandonment_equilibrium: game.is_equilibrium(&none),
                    r_star: game.uniform_reneging_cost(),
                });
            }
            out
        })
        .collect();
    Analysis {
        scenarios,
        reneging_cost,
        membership_value,
        can_act: can,
    }
}

/// The response game of one scenario (for certificates and `covenant solve`).
pub fn response_game(sys: &System, a: &Analysis, s: &Scenario) -> ResponseGame {
    let j = s.target;
    ResponseGame::new(
        sys.proj(s.aggressor, j),
        sys.proj(j, j),
        s.pledged
            .iter()
            .map(|&(k, _)| Responder {
                state: k,
                capability: sys.proj(k, j),
                stake: sys.stake(k, j),
                war_cost: sys.war_cost[k],
                reneging_cost: a.reneging_cost[k][scope_index(s.scope)],
            })
            .collect(),
    )
}
