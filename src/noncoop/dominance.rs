//! Iterated elimination of strictly dominated strategies, including domination by mixed
//! strategies.

use super::scale::PayoffScale;
use crate::error::{Error, Result};
use crate::game::NormalForm;
use crate::lp::{LinearProgram, Relation, Sense};
use crate::tolerance::Tolerance;
use ndarray::{ArrayD, Axis};

/// The outcome of iterated strict dominance.
#[derive(Debug, Clone, PartialEq)]
pub struct Dominance {
    /// The game that survives, with the original player and strategy names.
    pub reduced: NormalForm,
    /// For each player, the original indices of the surviving strategies (increasing).
    pub kept: Vec<Vec<usize>>,
    /// Every elimination, in the order performed.
    pub trace: Vec<Elimination>,
}

/// One eliminated strategy with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Elimination {
    /// 1-based round in which it was eliminated.
    pub round: usize,
    /// The player.
    pub player: usize,
    /// The eliminated strategy (original index).
    pub strategy: usize,
    /// The dominating (possibly mixed) strategy: original indices with probabilities.
    pub dominated_by: Vec<(usize, f64)>,
    /// The smallest payoff advantage of the dominating strategy over the eliminated one, over
    /// every opponent profile still present in that round (> 0).
    pub margin: f64,
}

/// Eliminates strictly dominated strategies, pure or mixed, until none is left.
///
/// Each round looks at every player's strategies in the game that survived the previous round
/// and removes all that are strictly dominated: first by a single other strategy (cheap), else
/// by a mixture, found by the LP `max δ s.t. Σ_t σ_t u(t, o) − u(s, o) >= δ` for every remaining
/// opponent profile `o`, `Σ σ = 1`, `σ >= 0` over the player's other remaining strategies
/// (Myerson 1991, Thm. 1.6: dominated by a mix iff never a best response); dominated iff the
/// optimal `δ` exceeds [`Tolerance::LP`] at the game's payoff scale. Because strict dominance
/// survives the removal of other dominated strategies, the final game does not depend on the
/// order of elimination.
///
/// # Arguments
/// - `g`: any normal-form game.
///
/// # Returns
/// The reduced game, the surviving original indices and the trace with each elimination's
/// dominating strategy and margin.
///
/// # Errors
/// LP backend failures ([`Error::Lp`]), or [`Error::Numerical`] when an LP that is feasible
/// and bounded by construction is reported otherwise.
///
/// # Complexity
/// At most `Σ k_p` rounds; each checks every remaining strategy against the others over the
/// remaining profiles (`O(k_p · N)` per strategy), and solves an LP with `k_p` variables and
/// `N / k_p` rows only when no pure strategy dominates.
///
/// # Example
/// ```
/// use covenant::game::NormalForm;
/// use covenant::noncoop::iterated_strict_dominance;
///
/// // The row player's Middle is dominated by the 50/50 mix of Top and Bottom only.
/// let g = NormalForm::from_matrices(
///     &[vec![3.0, 0.0], vec![1.0, 1.0], vec![0.0, 3.0]],
///     &[vec![1.0, 0.0], vec![1.0, 0.0], vec![0.0, 1.0]],
/// ).unwrap();
/// let d = iterated_strict_dominance(&g).unwrap();
/// assert_eq!(d.kept[0], vec![0, 2]);
/// let by = &d.trace[0].dominated_by;
/// assert_eq!((by[0].0, by[1].0), (0, 2));
/// assert!((by[0].1 - 0.5).abs() < 1e-9 && (by[1].1 - 0.5).abs() < 1e-9);
/// ```
pub fn iterated_strict_dominance(g: &NormalForm) -> Result<Dominance> {
    if let Some((scaled, s)) = PayoffScale::normal_form(g)? {
        let d = iterated_strict_dominance(&scaled)?;
        let mut trace = d.trace;
        trace
            .iter_mut()
            .for_each(|e| e.margin = s.unscale(e.margin));
        return Ok(Dominance {
            reduced: s.restore(&d.reduced)?,
            kept: d.kept,
            trace,
        });
    }
    let n = g.num_players();
    let scale = g
        .payoff_tensors()
        .iter()
        .flat_map(|t| t.iter())
        .fold(0.0f64, |acc, v| acc.max(v.abs()));
    let tol = Tolerance::LP.threshold(scale);
    let mut kept: Vec<Vec<usize>> = g.shape().iter().map(|&k| (0..k).collect()).collect();
    let mut tensors: Vec<ArrayD<f64>> = g.payoff_tensors().to_vec();
    let mut trace = Vec::new();
    let mut round = 0;
    loop {
        round += 1;
        let mut removed: Vec<Vec<usize>> = vec![Vec::new(); n];
        for p in 0..n {
            // rows[s] = player p's payoffs for strategy s over the remaining opponent profiles,
            // in one fixed order.
            let rows: Vec<Vec<f64>> = tensors[p]
                .axis_iter(Axis(p))
                .map(|lane| lane.iter().copied().collect())
                .collect();
            for s in 0..rows.len() {
                if let Some((by, margin)) = dominator(&rows, s, tol)? {
                    trace.push(Elimination {
                        round,
                        player: p,
                        strategy: kept[p][s],
                        dominated_by: by.into_iter().map(|(t, w)| (kept[p][t], w)).collect(),
                        margin,
                    });
                    removed[p].push(s);
                }
            }
        }
        if removed.iter().all(Vec::is_empty) {
            break;
        }
        for p in 0..n {
            if removed[p].is_empty() {
                continue;
            }
            let keep: Vec<usize> = (0..kept[p].len())
                .filter(|s| !removed[p].contains(s))
                .collect();
            for t in tensors.iter_mut() {
                *t = t.select(Axis(p), &keep);
            }
            kept[p] = keep.iter().map(|&s| kept[p][s]).collect();
        }
    }
    let strategies = kept
        .iter()
        .zip(g.strategies())
        .map(|(ks, names)| ks.iter().map(|&s| names[s].clone()).collect())
        .collect();
    let reduced =
        NormalForm::with_names(g.players().to_vec(), strategies, tensors)?.with_title(g.title());
    Ok(Dominance {
        reduced,
        kept,
        trace,
    })
}

/// A dominating strategy with its margin, as original-row indices with weights.
type Dominator = (Vec<(usize, f64)>, f64);

/// A strategy (pure first, then mixed by LP) that strictly dominates row `s` by more than
/// `tol`, with the margin; `None` when there is none.
fn dominator(rows: &[Vec<f64>], s: usize, tol: f64) -> Result<Option<Dominator>> {
    let target = &rows[s];
    let margin_of = |t: &Vec<f64>| {
        t.iter()
            .zip(target)
            .map(|(u, v)| u - v)
            .fold(f64::INFINITY, f64::min)
    };
    let mut best_pure: Option<(usize, f64)> = None;
    for (t, row) in rows.iter().enumerate() {
        if t == s {
            continue;
        }
        let m = margin_of(row);
        if best_pure.is_none_or(|(_, b)| m > b) {
            best_pure = Some((t, m));
        }
    }
    match best_pure {
        None => return Ok(None),
        Some((t, m)) if m > tol => return Ok(Some((vec![(t, 1.0)], m))),
        _ => {}
    }
    // With one other strategy, mixing adds nothing to the pure check.
    if rows.len() < 3 {
        return Ok(None);
    }
    let others: Vec<usize> = (0..rows.len()).filter(|&t| t != s).collect();
    let mut lp = LinearProgram::new(Sense::Maximize);
    let sigma = lp.add_variables(others.len(), 0.0, f64::INFINITY, 0.0);
    let delta = lp.add_variable(f64::NEG_INFINITY, f64::INFINITY, 1.0);
    for (o, &v) in target.iter().enumerate() {
        let terms = others
            .iter()
            .zip(&sigma)
            .map(|(&t, &x)| (x, rows[t][o]))
            .chain(std::iter::once((delta, -1.0)));
        lp.add_constraint(terms, Relation::Ge, v);
    }
    lp.add_constraint(sigma.iter().map(|&x| (x, 1.0)), Relation::Eq, 1.0);
    let sol = lp.solve()?;
    if !sol.is_optimal() {
        return Err(Error::Numerical {
            context: "mixed-dominance LP",
            message: format!("feasible and bounded by construction, but {:?}", sol.status),
        });
    }
    let weights = super::zero_sum::normalise(sigma.iter().map(|&x| sol.value(x)).collect());
    // Recompute the margin of the cleaned mixture from the definition.
    let margin = (0..target.len())
        .map(|o| {
            others
                .iter()
                .zip(&weights)
                .map(|(&t, w)| w * rows[t][o])
                .sum::<f64>()
                - target[o]
        })
        .fold(f64::INFINITY, f64::min);
    if margin > tol {
        let by = others
            .into_iter()
            .zip(weights)
            .filter(|&(_, w)| w > 0.0)
            .collect();
        Ok(Some((by, margin)))
    } else {
        Ok(None)
    }
}
