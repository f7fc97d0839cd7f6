//! A treaty pair compiled to the extended-deterrence tree and solved.
//!
//! For one attack scenario (aggressor `i`, target `j`) the treaty's pledged help becomes the
//! patron of [`extended_deterrence_tree`]: the challenger is `i`, the protégé `j`, and the
//! patron `P` is the strongest equilibrium helper of the response game (`H*`, strongest by
//! capability projected to `j`), or the strongest gated pledger when nobody helps in
//! equilibrium. The other helpers of `H*` keep fighting at their reliabilities whatever the
//! patron does. Its private resolve is the treaty's: `P(Hard) = ρ_P`, its reliability (0 when
//! it is not an equilibrium helper). The payoffs are the treaty's own quantities, with
//! `π_D = E[π | P fights]` and `π_A = E[π | P does not]` the aggressor's expected win
//! probabilities ([`super::war`], under the model's help correlation):
//!
//! | outcome | challenger `i` | protégé `j` | patron Hard | patron Soft |
//! |---|---|---|---|---|
//! | status quo | 0 | `W_jj` | `W_Pj` | `W_Pj` |
//! | concession | `V_j − s_i` | 0 | 0 | 0 |
//! | abandonment | `π_A·(V_j+L_i) − L_i − κ_i − s_i` | `(1−π_A)·W_jj − κ_j` | `(1−π_A)·W_Pj − R_P` | `(1−π_A)·W_Pj` |
//! | defence | `π_D·(V_j+L_i) − L_i − κ_i − s_i` | `(1−π_D)·W_jj − κ_j` | `(1−π_D)·W_Pj − κ_P` | `(1−π_D)·W_Pj − κ_P` |
//!
//! A Hard patron is bound by its pledge (abandoning costs its reneging cost `R_P` of the
//! scenario's scope); a Soft one is not. Because `ρ_P·π_D + (1 − ρ_P)·π_A = E[π]`, when the
//! protégé resists, Hard defends and Soft abandons, the challenger's value of a challenge is
//! exactly the treaty's `EU` (up to the resolution of `E[π]`), and the tree's verdict, the
//! Zagare–Kilgour threshold and the treaty's headline agree. Where the tree's players choose
//! otherwise — a protégé that concedes, a Soft patron whose own stake makes it fight, a Hard
//! one whose reneging cost is too low — the tree is the finer model and the report says which
//! assumption failed.

use super::analysis::{analyse, Analysis, Scenario};
use super::model::HelpCorrelation;
use super::model::{Scope, Treaty};
use super::system::System;
use super::war::{expected_win, Stakes};
use crate::error::{Error, Result};
use crate::extensive::certify::{subgame_regrets, subgame_roots};
use crate::extensive::TreeEquilibrium;
use crate::game::extensive::{extended_deterrence_tree, ExtendedDeterrence, OutcomePayoffs};
use crate::game::tree::rational_from_f64;
use crate::game::GameTree;
use num_rational::BigRational;
use num_traits::{One, Zero};
use rayon::prelude::*;
use serde::Serialize;

/// The solved extended-deterrence tree of one treaty pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairDeterrence {
    /// Aggressor (challenger) id.
    pub aggressor: String,
    /// Target (protégé) id.
    pub target: String,
    /// Scope of the attack.
    pub scope: Scope,
    /// The patron: the strongest equilibrium helper, or the strongest gated pledger when
    /// nobody helps in equilibrium.
    pub patron: String,
    /// The other equilibrium helpers (fighting at their reliabilities in both branches).
    pub other_helpers: Vec<String>,
    /// Gated pledgers of the scenario.
    pub pledged: usize,
    /// `P(Hard)`: the patron's reliability, 0 when it is not an equilibrium helper.
    pub p_hard: f64,
    /// The tree's parameters (payoffs of every player at the four outcomes).
    pub game: ExtendedDeterrence,
    /// Zagare–Kilgour threshold `(u_Ch(A) − u_Ch(SQ)) / (u_Ch(A) − u_Ch(D))` (abandonment `A`,
    /// defence `D`): with a resisting protégé, a Hard patron that defends and a Soft one that
    /// abandons, the challenge is deterred iff `P(Hard)` exceeds it. `None` when help does not
    /// change the challenger's payoff (`u_Ch(A) = u_Ch(D)`).
    pub threshold: Option<f64>,
    /// Whether the threshold formula's assumptions hold in the solved tree (the protégé
    /// resists, Hard defends, Soft abandons).
    pub formula_applies: bool,
    /// The verdict of the threshold formula, `P(Hard) > threshold`.
    pub formula_deterred: Option<bool>,
    /// Deterrence holds in the tree: the challenger does not challenge in the equilibrium.
    pub deterred: bool,
    /// The treaty's headline verdict for the pair (`EU < 0` with equilibrium help).
    pub treaty_deterred: bool,
    /// The challenger's expected payoff from challenging in the equilibrium.
    pub challenge_value: f64,
    /// The equilibrium: the challenger's, the protégé's, the Hard and the Soft patron's
    /// actions (the protégé's and the patron's also where they are off the path).
    pub strategy: PairStrategy,
    /// The equilibrium path, e.g. `["Challenge", "Resist", "Hard: Defend", "Soft: Abandon"]`.
    pub path: Vec<String>,
    /// Largest gain from a deviation in any subgame, computed on the tree by
    /// [`crate::extensive::certify`] (0 at a subgame-perfect equilibrium).
    pub regret: f64,
}

/// The pure equilibrium of the tree, one action per information set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PairStrategy {
    /// The challenger challenges.
    pub challenge: bool,
    /// The protégé resists a challenge.
    pub resist: bool,
    /// A Hard patron defends.
    pub hard_defends: bool,
    /// A Soft patron defends.
    pub soft_defends: bool,
}

/// Resolution of the expected win probabilities in the compiled trees (units of `a + t`).
const TREE_RESOLUTION: usize = 2048;

/// `(E[π | the patron fights], E[π | it does not])`, the patron `(c, ρ)` and the others
/// `(c_k, ρ_k)` fighting as the war model says (independently, or under a common shock with
/// `λ`: given the shared coin `u`, helper `k` fights independently with probability
/// `q_k(u) = λ·[u < ρ_k] + (1 − λ)·ρ_k`, so conditioning on the patron reweights each piece of
/// `u` by `q_P(u)` or `1 − q_P(u)`).
fn conditional_wins(
    a: f64,
    t: f64,
    patron: (f64, f64),
    others: &[(f64, f64)],
    help: HelpCorrelation,
) -> (f64, f64) {
    let win = |hs: &[(f64, f64)]| {
        expected_win(a, t, hs, HelpCorrelation::Independent, TREE_RESOLUTION).point
    };
    let with = |hs: &[(f64, f64)]| {
        let mut v = hs.to_vec();
        v.push((patron.0, 1.0));
        win(&v)
    };
    let lambda = match help {
        HelpCorrelation::CommonShock(l) if l > 0.0 && !others.is_empty() => l,
        _ => return (with(others), win(others)),
    };
    let mut cuts: Vec<f64> = others.iter().map(|h| h.1).collect();
    cuts.extend([0.0, 1.0, patron.1]);
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let (mut wf, mut wa, mut f, mut ab) = (0.0, 0.0, 0.0, 0.0);
    let mut q = Vec::with_capacity(others.len());
    for w in cuts.windows(2) {
        let len = w[1] - w[0];
        if len <= 0.0 {
            continue;
        }
        let mid = 0.5 * (w[0] + w[1]);
        let shock = |r: f64| lambda * f64::from(u8::from(mid < r)) + (1.0 - lambda) * r;
        q.clear();
        q.extend(others.iter().map(|&(c, r)| (c, shock(r))));
        let qp = shock(patron.1);
        if qp > 0.0 {
            wf += len * qp;
            f += len * qp * with(&q);
        }
        if qp < 1.0 {
            wa += len * (1.0 - qp);
            ab += len * (1.0 - qp) * win(&q);
        }
    }
    // A patron that always (never) fights has no other branch; its value is never weighted.
    (
        if wf > 0.0 { f / wf } else { with(others) },
        if wa > 0.0 { ab / wa } else { win(others) },
    )
}

/// The extended-deterrence game of one scenario (module docs), or `None` when the scenario
/// has no gated pledger (there is no patron).
///
/// # Arguments
/// * `sys`, `a` — the resolved year and its analysis ([`analyse`]); `s` — one of
///   `a.scenarios`.
///
/// # Returns
/// The tree's parameters, the patron and the other equilibrium helpers (state indices).
pub fn compile_pair(
    sys: &System,
    a: &Analysis,
    s: &Scenario,
) -> Option<(ExtendedDeterrence, usize, Vec<usize>)> {
    let (i, j) = (s.aggressor, s.target);
    let strongest = |ks: &mut dyn Iterator<Item = (usize, f64)>| {
        ks.max_by(|x, y| {
            sys.proj(x.0, j)
                .total_cmp(&sys.proj(y.0, j))
                .then(y.0.cmp(&x.0))
        })
    };
    let in_h = |k: usize| s.helpers.binary_search(&k).is_ok();
    let (patron, rho) = strongest(&mut s.pledged.iter().copied().filter(|&(k, _)| in_h(k)))
        .or_else(|| strongest(&mut s.pledged.iter().copied()).map(|(k, _)| (k, 0.0)))?;
    let others: Vec<(usize, f64)> = s
        .pledged
        .iter()
        .copied()
        .filter(|&(k, _)| k != patron && in_h(k))
        .collect();
    let scope = match s.scope {
        Scope::External => 0,
        Scope::Internal => 1,
    };
    let help: Vec<(f64, f64)> = others.iter().map(|&(k, r)| (sys.proj(k, j), r)).collect();
    let (pi_d, pi_a) = conditional_wins(
        sys.proj(i, j),
        sys.proj(j, j),
        (sys.proj(patron, j), rho),
        &help,
        sys.treaty.war.help,
    );
    let st = Stakes {
        value: sys.value[j],
        loss: sys.loss[i],
        cost: sys.war_cost[i] + s.sanction,
    };
    let (w_j, w_p) = (sys.stake(j, j), sys.stake(patron, j));
    let patron_type = |reneging: f64| OutcomePayoffs {
        status_quo: w_p,
        concession: 0.0,
        abandonment: (1.0 - pi_a) * w_p - reneging,
        defence: (1.0 - pi_d) * w_p - sys.war_cost[patron],
    };
    let game = ExtendedDeterrence {
        p_hard: rho,
        challenger: OutcomePayoffs {
            status_quo: 0.0,
            concession: sys.value[j] - s.sanction,
            abandonment: st.eu(pi_a),
            defence: st.eu(pi_d),
        },
        protege: OutcomePayoffs {
            status_quo: w_j,
            concession: 0.0,
            abandonment: (1.0 - pi_a) * w_j - sys.war_cost[j],
            defence: (1.0 - pi_d) * w_j - sys.war_cost[j],
        },
        patron_hard: patron_type(a.reneging_cost[patron][scope]),
        patron_soft: patron_type(0.0),
    };
    Some((game, patron, others.into_iter().map(|(k, _)| k).collect()))
}

/// The Zagare–Kilgour threshold of an extended-deterrence game (see
/// [`PairDeterrence::threshold`]): Zagare & Kilgour, *Perfect Deterrence* (2000), ch. 6, with
/// the patron's defence in place of the defender's resistance.
pub fn zagare_kilgour_threshold(d: &ExtendedDeterrence) -> Option<f64> {
    let c = &d.challenger;
    (c.abandonment > c.defence)
        .then(|| (c.abandonment - c.status_quo) / (c.abandonment - c.defence))
}

fn exact(x: f64) -> Result<BigRational> {
    rational_from_f64(x).ok_or_else(|| Error::invalid_argument(format!("payoff {x} is not finite")))
}

/// Exact payoffs `[SQ, concession, abandonment, defence]`.
fn exact4(o: &OutcomePayoffs) -> Result<[BigRational; 4]> {
    Ok([
        exact(o.status_quo)?,
        exact(o.concession)?,
        exact(o.abandonment)?,
        exact(o.defence)?,
    ])
}

/// The equilibrium of [`extended_deterrence_tree`] by backward induction in exact arithmetic.
///
/// Only the patron learns its type and it moves last, so the challenger's and the protégé's
/// beliefs are the prior at every node of their information sets, on the path or off it:
/// backward induction under the prior gives the sequential equilibrium (Kreps & Wilson 1982),
/// which is subgame perfect. Ties follow the pledge and the treaty layer's convention
/// that deterrence needs a strictly negative value of attacking: an indifferent patron defends, an indifferent
/// protégé resists, and an indifferent challenger challenges.
///
/// # Errors
/// [`Error::InvalidArgument`] for a non-finite payoff or `p_hard` outside `[0, 1]`.
pub fn solve_extended_deterrence(d: &ExtendedDeterrence) -> Result<PairStrategy> {
    if !(0.0..=1.0).contains(&d.p_hard) {
        return Err(Error::invalid_argument(format!(
            "P(Hard) is {}; a probability must lie in [0, 1]",
            d.p_hard
        )));
    }
    let p = exact(d.p_hard)?;
    let q = BigRational::one() - &p;
    let ch = exact4(&d.challenger)?;
    let pr = exact4(&d.protege)?;
    let hard = exact4(&d.patron_hard)?;
    let soft = exact4(&d.patron_soft)?;
    let hard_defends = hard[3] >= hard[2];
    let soft_defends = soft[3] >= soft[2];
    let outcome = |defends: bool| if defends { 3 } else { 2 };
    let (oh, os) = (outcome(hard_defends), outcome(soft_defends));
    let resist_value = &p * &pr[oh] + &q * &pr[os];
    let resist = resist_value >= pr[1];
    let challenge_value = if resist {
        &p * &ch[oh] + &q * &ch[os]
    } else {
        ch[1].clone()
    };
    Ok(PairStrategy {
        challenge: challenge_value >= ch[0],
        resist,
        hard_defends,
        soft_defends,
    })
}

/// The behaviour profile of a [`PairStrategy`] on [`extended_deterrence_tree`]'s information
/// sets (found by label).
fn behaviour(t: &GameTree, s: &PairStrategy) -> Result<Vec<Vec<BigRational>>> {
    t.infosets()
        .iter()
        .map(|set| {
            // Action 1 is "Challenge", "Resist", "Defend" at the respective sets.
            let second = match set.label.as_str() {
                "Challenger" => s.challenge,
                "Protégé" => s.resist,
                "Patron Hard" => s.hard_defends,
                "Patron Soft" => s.soft_defends,
                other => {
                    return Err(Error::invalid_argument(format!(
                        "unexpected information set `{other}` in the extended-deterrence tree"
                    )))
                }
            };
            Ok(if second {
                vec![BigRational::zero(), BigRational::one()]
            } else {
                vec![BigRational::one(), BigRational::zero()]
            })
        })
        .collect()
}

fn path_of(s: &PairStrategy) -> Vec<String> {
    if !s.challenge {
        return vec!["Not challenge".into()];
    }
    if !s.resist {
        return vec!["Challenge".into(), "Concede".into()];
    }
    let act = |d: bool| if d { "Defend" } else { "Abandon" };
    vec![
        "Challenge".into(),
        "Resist".into(),
        format!("Hard: {}", act(s.hard_defends)),
        format!("Soft: {}", act(s.soft_defends)),
    ]
}

/// Compiles one scenario to its extended-deterrence tree, solves it and certifies the
/// equilibrium on the tree; `None` when the scenario has no gated pledger.
///
/// # Errors
/// [`Error::InvalidArgument`] when a payoff is not finite.
pub fn pair_deterrence(sys: &System, a: &Analysis, s: &Scenario) -> Result<Option<PairDeterrence>> {
    let Some((game, patron, others)) = compile_pair(sys, a, s) else {
        return Ok(None);
    };
    let strategy = solve_extended_deterrence(&game)?;
    let tree = extended_deterrence_tree(&game)?;
    let eq = TreeEquilibrium::certify_exact(&tree, behaviour(&tree, &strategy)?)?;
    let regret = subgame_regrets(&tree, &eq.behaviour, &subgame_roots(&tree))?
        .into_iter()
        .fold(eq.regret, f64::max);
    let c = &game.challenger;
    let p = game.p_hard;
    let (oh, os) = (
        if strategy.hard_defends {
            c.defence
        } else {
            c.abandonment
        },
        if strategy.soft_defends {
            c.defence
        } else {
            c.abandonment
        },
    );
    let challenge_value = if strategy.resist {
        p * oh + (1.0 - p) * os
    } else {
        c.concession
    };
    let threshold = zagare_kilgour_threshold(&game);
    Ok(Some(PairDeterrence {
        aggressor: sys.ids[s.aggressor].clone(),
        target: sys.ids[s.target].clone(),
        scope: s.scope,
        patron: sys.ids[patron].clone(),
        other_helpers: others.iter().map(|&k| sys.ids[k].clone()).collect(),
        pledged: s.pledged.len(),
        p_hard: p,
        threshold,
        formula_applies: strategy.resist && strategy.hard_defends && !strategy.soft_defends,
        formula_deterred: threshold.map(|th| p > th),
        deterred: !strategy.challenge,
        treaty_deterred: s.eu.deterred(),
        challenge_value,
        path: path_of(&strategy),
        strategy,
        regret,
        game,
    }))
}

/// The extended-deterrence trees of a treaty year: every scenario with a gated pledger, or
/// the one scenario `pair = (aggressor, target)`.
///
/// # Errors
/// As [`super::check`]; [`Error::InvalidArgument`] when `pair` names an unknown state or a
/// pair that is not an attack scenario of the year (the target must be a member).
pub fn deterrence_trees(
    treaty: &Treaty,
    year: Option<i32>,
    pair: Option<(&str, &str)>,
) -> Result<Vec<PairDeterrence>> {
    let sys = System::new(treaty, year)?;
    let a = analyse(&sys);
    trees_of(&sys, &a, pair)
}

/// [`deterrence_trees`] on an already analysed year.
pub(crate) fn trees_of(
    sys: &System,
    a: &Analysis,
    pair: Option<(&str, &str)>,
) -> Result<Vec<PairDeterrence>> {
    let wanted = match pair {
        None => None,
        Some((ag, tg)) => {
            let idx = |id: &str| {
                sys.index_of(id).ok_or_else(|| {
                    Error::invalid_argument(format!(
                        "--pair: no state `{id}` in the {} snapshot",
                        sys.year()
                    ))
                })
            };
            let (i, j) = (idx(ag)?, idx(tg)?);
            if !a
                .scenarios
                .iter()
                .any(|s| s.aggressor == i && s.target == j)
            {
                return Err(Error::invalid_argument(format!(
                    "--pair: {ag} -> {tg} is not an attack scenario of {} (the target must be \
                     a member and differ from the aggressor)",
                    sys.year()
                )));
            }
            Some((i, j))
        }
    };
    let trees: Vec<Option<PairDeterrence>> = a
        .scenarios
        .par_iter()
        .filter(|s| wanted.is_none_or(|w| w == (s.aggressor, s.target)))
        .map(|s| pair_deterrence(sys, a, s))
        .collect::<Result<_>>()?;
    Ok(trees.into_iter().flatten().collect())
}
