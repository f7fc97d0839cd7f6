//! Stackelberg commitment in two-player games: the leader's optimal mixed strategy to commit
//! to against a best-responding follower.

use super::scale::PayoffScale;
use crate::error::{Error, Result};
use crate::game::Bimatrix;
use crate::lp::{LinearProgram, Relation, Sense};
use crate::tolerance::Tolerance;
use nalgebra::DMatrix;

/// A strong Stackelberg equilibrium with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Stackelberg {
    /// The leader: 0 = row player, 1 = column player.
    pub leader: usize,
    /// The mixed strategy the leader commits to.
    pub leader_strategy: Vec<f64>,
    /// The follower's best response (ties broken in the leader's favour).
    pub follower_action: usize,
    /// The leader's expected payoff.
    pub leader_payoff: f64,
    /// The follower's expected payoff.
    pub follower_payoff: f64,
    /// The follower's gain from deviating to its best other action, recomputed from the
    /// definition (<= 0 up to LP tolerance: the action is a best response).
    pub follower_regret: f64,
}

/// The leader's optimal commitment (strong Stackelberg equilibrium) in a two-player game.
///
/// Conitzer & Sandholm (2006), "Computing the optimal strategy to commit to": for every
/// follower action `j`, the LP `max Σ_i x_i L_ij  s.t.  Σ_i x_i (F_ij − F_ik) >= 0 ∀k,
/// Σ x = 1, x >= 0` finds the leader's best commitment that makes `j` a follower best
/// response; the best of these LPs over `j` is the answer. Weak inequalities mean the follower
/// breaks ties in the leader's favour (strong Stackelberg). LPs whose upper bound
/// `max_i L_ij` cannot beat the best value so far are skipped.
///
/// # Arguments
/// - `g`: the game.
/// - `leader`: 0 for the row player, 1 for the column player.
///
/// # Returns
/// The commitment, the induced follower action (the smallest index among optimal ones),
/// both payoffs and the follower's regret.
///
/// # Errors
/// - [`Error::InvalidArgument`] for a leader index other than 0 or 1.
/// - [`Error::Numerical`] when no LP is feasible (impossible in exact arithmetic: some action
///   is a best response to any commitment); LP backend errors are passed through.
///
/// # Complexity
/// At most `n` LPs (follower actions) with `m` variables and `n` rows each.
///
/// # Example
/// ```
/// use covenant::game::Bimatrix;
/// use covenant::noncoop::stackelberg;
///
/// // Conitzer & Sandholm's example: Up dominates Down for the leader, so the only Nash
/// // equilibrium is (Up, Left) paying the leader 2; committing to (1/2, 1/2) makes the
/// // follower play Right and earns the leader 3.5.
/// let g = Bimatrix::from_rows(
///     &[vec![2.0, 4.0], vec![1.0, 3.0]],
///     &[vec![1.0, 0.0], vec![0.0, 1.0]],
/// ).unwrap();
/// let s = stackelberg(&g, 0).unwrap();
/// assert!((s.leader_payoff - 3.5).abs() < 1e-6);
/// assert_eq!(s.follower_action, 1);
/// ```
pub fn stackelberg(g: &Bimatrix, leader: usize) -> Result<Stackelberg> {
    if let Some((scaled, s)) = PayoffScale::bimatrix(g)? {
        let st = stackelberg(&scaled, leader)?;
        return Ok(Stackelberg {
            leader_payoff: s.unscale(st.leader_payoff),
            follower_payoff: s.unscale(st.follower_payoff),
            follower_regret: s.unscale(st.follower_regret),
            ..st
        });
    }
    // (L, F): leader's and follower's payoffs with the leader choosing rows.
    let (l, f): (DMatrix<f64>, DMatrix<f64>) = match leader {
        0 => (g.a().clone(), g.b().clone()),
        1 => (g.b().transpose(), g.a().transpose()),
        _ => {
            return Err(Error::invalid_argument(format!(
                "leader must be 0 (row player) or 1 (column player), got {leader}"
            )))
        }
    };
    let (m, n) = l.shape();
    let mut order: Vec<(usize, f64)> = (0..n)
        .map(|j| {
            (
                j,
                (0..m).map(|i| l[(i, j)]).fold(f64::NEG_INFINITY, f64::max),
            )
        })
        .collect();
    // Most promising first, so that the bound prunes more; ties by index.
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut best: Option<(usize, Vec<f64>, f64)> = None;
    for (j, bound) in order {
        if let Some((bj, _, bv)) = &best {
            // Cannot beat the incumbent (or only ties it with a larger index).
            if bound < *bv || (bound == *bv && j > *bj) {
                continue;
            }
        }
        let mut lp = LinearProgram::new(Sense::Maximize);
        let x: Vec<_> = (0..m)
            .map(|i| lp.add_variable(0.0, f64::INFINITY, l[(i, j)]))
            .collect();
        for k in (0..n).filter(|&k| k != j) {
            lp.add_constraint(
                (0..m).map(|i| (x[i], f[(i, j)] - f[(i, k)])),
                Relation::Ge,
                0.0,
            );
        }
        lp.add_constraint(x.iter().map(|&v| (v, 1.0)), Relation::Eq, 1.0);
        let sol = lp.solve()?;
        if !sol.is_optimal() {
            continue;
        }
        let strategy = super::zero_sum::normalise(sol.values);
        let value: f64 = (0..m).map(|i| strategy[i] * l[(i, j)]).sum();
        let better = match &best {
            None => true,
            Some((bj, _, bv)) => {
                Tolerance::LP.lt(*bv, value) || (Tolerance::LP.eq(*bv, value) && j < *bj)
            }
        };
        if better {
            best = Some((j, strategy, value));
        }
    }
    let (j, strategy, leader_payoff) = best.ok_or_else(|| Error::Numerical {
        context: "Stackelberg LPs",
        message: "no follower action is a best response to any commitment".into(),
    })?;
    let follower_of = |k: usize| (0..m).map(|i| strategy[i] * f[(i, k)]).sum::<f64>();
    let follower_payoff = follower_of(j);
    let follower_regret = (0..n)
        .map(|k| follower_of(k) - follower_payoff)
        .fold(0.0f64, f64::max);
    Ok(Stackelberg {
        leader,
        leader_strategy: strategy,
        follower_action: j,
        leader_payoff,
        follower_payoff,
        follower_regret,
    })
}
