//! Two-player zero-sum and constant-sum games: value and optimal (minimax) strategies by LP.

use super::scale::PayoffScale;
use crate::error::{Error, Result};
use crate::game::Bimatrix;
use crate::lp::{dense, Backend, LinearProgram, LpStatus, Relation, Sense};
use crate::tolerance::Tolerance;
use nalgebra::DMatrix;

/// The solution of a two-player constant-sum game, with its certificate.
///
/// `row_guarantee <= value <= col_guarantee` always holds up to rounding, and at an optimal pair
/// the two guarantees agree: the gap `col_guarantee - row_guarantee` is the certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct ZeroSum {
    /// The row player's value (the column player's value is `constant - value`).
    pub value: f64,
    /// The row player's optimal (maximin) mixed strategy.
    pub row: Vec<f64>,
    /// The column player's optimal (minimax) mixed strategy.
    pub col: Vec<f64>,
    /// `min_j (x·A)_j`: what `row` guarantees the row player, recomputed from the definition.
    pub row_guarantee: f64,
    /// `max_i (A·y)_i`: the most `col` lets the row player get, recomputed from the definition.
    pub col_guarantee: f64,
    /// The constant `a_ij + b_ij` (0 for a zero-sum game).
    pub constant: f64,
}

/// Solves a two-player zero-sum or constant-sum game (`a_ij + b_ij = c` for all cells).
///
/// von Neumann's minimax theorem as one LP in the classic normalisation (Dantzig 1951): scale
/// `A` affinely so that every entry lies in `[1, 2]`; then `max Σw  s.t.  A'w <= 1, w >= 0`
/// gives the column player's strategy `y = w / Σw` and the value `1 / Σw` of `A'`, and its dual
/// `min Σu  s.t.  A'ᵀu >= 1` gives the row player's `x = u / Σu`. The LP has only `<=` rows
/// with a feasible origin, so it is solved by the dense packing simplex
/// [`crate::lp::dense::solve_packing`], which returns both solutions from one tableau. The
/// pair is accepted only when its guarantees, recomputed from the definition, agree within
/// [`Tolerance::LP`]; otherwise the game is re-solved by [`solve_zero_sum_with`] on the default
/// backend.
///
/// # Arguments
/// - `g`: the game; only the row player's matrix `A` matters once `A + B` is checked constant.
///
/// # Returns
/// The value, both optimal strategies and both guarantees recomputed from the definitions.
///
/// # Errors
/// - [`Error::InvalidArgument`] when `A + B` is not constant (the message gives the largest
///   deviation from the constant `a_00 + b_00`).
/// - [`Error::Numerical`] when no method certifies a solution; LP errors are passed through.
///
/// # Complexity
/// One dense simplex on an `m x n` tableau, `O(m·n)` per pivot.
///
/// # Example
/// ```
/// use covenant::game::Bimatrix;
/// use covenant::noncoop::solve_zero_sum;
/// use nalgebra::dmatrix;
///
/// // Rock-paper-scissors: value 0, both players uniform.
/// let g = Bimatrix::zero_sum(dmatrix![0.0, -1.0, 1.0; 1.0, 0.0, -1.0; -1.0, 1.0, 0.0]).unwrap();
/// let s = solve_zero_sum(&g).unwrap();
/// assert!(s.value.abs() < 1e-9);
/// assert!(s.row.iter().all(|p| (p - 1.0 / 3.0).abs() < 1e-9));
/// ```
pub fn solve_zero_sum(g: &Bimatrix) -> Result<ZeroSum> {
    let constant = check_constant_sum(g)?;
    let a = g.a();
    let (m, n) = a.shape();
    let (lo, hi) = a
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let range = if hi > lo { hi - lo } else { 1.0 };
    let scaled = a.map(|v| 1.0 + (v - lo) / range);
    // An iteration limit or a failed certificate sends the game to the general LP path.
    if let Ok(sol) = dense::solve_packing(&scaled, &vec![1.0; n], &vec![1.0; m], PIVOT_EPS) {
        if sol.status == LpStatus::Optimal && sol.objective > 0.0 {
            let y = normalise(sol.primal);
            let x = normalise(sol.dual);
            if let Some(z) = certified(a, x, y, constant) {
                return Ok(z);
            }
        }
    }
    solve_zero_sum_with(g, Backend::default_backend()?)
}

/// Pivot and optimality tolerance of the dense simplex on the `[1, 2]`-scaled game.
const PIVOT_EPS: f64 = 1e-11;

/// Solves a two-player zero-sum or constant-sum game with a chosen LP backend, as two LPs
/// through [`LinearProgram`] (one per player; see [`solve_zero_sum`] for the normalisation).
///
/// # Arguments
/// - `g`: the game.
/// - `backend`: the LP backend.
///
/// # Returns
/// As [`solve_zero_sum`].
///
/// # Errors
/// As [`solve_zero_sum`], and [`Error::Unavailable`] for a backend not compiled in.
///
/// # Complexity
/// Two LPs with `m` (resp. `n`) variables and `n` (resp. `m`) rows.
pub fn solve_zero_sum_with(g: &Bimatrix, backend: Backend) -> Result<ZeroSum> {
    if let Some((scaled, s)) = PayoffScale::bimatrix(g)? {
        let z = solve_zero_sum_with(&scaled, backend)?;
        return Ok(ZeroSum {
            value: s.unscale(z.value),
            row_guarantee: s.unscale(z.row_guarantee),
            col_guarantee: s.unscale(z.col_guarantee),
            constant: s.unscale(z.constant),
            ..z
        });
    }
    let constant = check_constant_sum(g)?;
    let a = g.a();
    let y = minimax_column(a, backend)?;
    let x = minimax_column(&(-a.transpose()), backend)?;
    certified(a, x, y, constant).ok_or_else(|| Error::Numerical {
        context: "zero-sum LP",
        message: format!(
            "backend {}: the optimal strategies' guarantees differ by more than the LP tolerance",
            backend.name()
        ),
    })
}

/// `a_00 + b_00` when `A + B` is constant up to [`Tolerance::DEFAULT`].
fn check_constant_sum(g: &Bimatrix) -> Result<f64> {
    let (m, n) = (g.rows(), g.cols());
    let constant = g.a()[(0, 0)] + g.b()[(0, 0)];
    let scale = g
        .a()
        .iter()
        .chain(g.b().iter())
        .fold(0.0f64, |acc, v| acc.max(v.abs()));
    let mut deviation = 0.0f64;
    for i in 0..m {
        for j in 0..n {
            deviation = deviation.max((g.a()[(i, j)] + g.b()[(i, j)] - constant).abs());
        }
    }
    if deviation > Tolerance::DEFAULT.threshold(scale) {
        return Err(Error::invalid_argument(format!(
            "not a constant-sum game: a+b deviates from a[0][0]+b[0][0] = {constant} by up to \
             {deviation}"
        )));
    }
    Ok(constant)
}

/// The solution if the guarantees of `x` and `y`, recomputed from the definition, agree within
/// [`Tolerance::LP`].
fn certified(a: &DMatrix<f64>, x: Vec<f64>, y: Vec<f64>, constant: f64) -> Option<ZeroSum> {
    let (m, n) = a.shape();
    if x.len() != m || y.len() != n {
        return None;
    }
    let row_guarantee = (0..n)
        .map(|j| (0..m).map(|i| x[i] * a[(i, j)]).sum::<f64>())
        .fold(f64::INFINITY, f64::min);
    let col_guarantee = (0..m)
        .map(|i| (0..n).map(|j| a[(i, j)] * y[j]).sum::<f64>())
        .fold(f64::NEG_INFINITY, f64::max);
    let spread = a.iter().fold(0.0f64, |acc, v| acc.max(v.abs()));
    let sums_ok = [&x, &y]
        .iter()
        .all(|s| Tolerance::DEFAULT.eq(s.iter().sum(), 1.0));
    let ok = sums_ok && col_guarantee - row_guarantee <= Tolerance::LP.threshold(spread);
    ok.then_some(ZeroSum {
        value: 0.5 * (row_guarantee + col_guarantee),
        row: x,
        col: y,
        row_guarantee,
        col_guarantee,
        constant,
    })
}

/// The minimising (column) player's optimal strategy in the zero-sum game `a` (row maximises),
/// and the LP's value. See [`solve_zero_sum_with`] for the formulation.
fn minimax_column(a: &DMatrix<f64>, backend: Backend) -> Result<Vec<f64>> {
    let (m, n) = a.shape();
    let min = a.iter().copied().fold(f64::INFINITY, f64::min);
    // Every entry of the shifted matrix is >= 1, so the value is >= 1 and Σw = 1/value <= 1.
    let shift = 1.0 - min;
    let mut lp = LinearProgram::new(Sense::Maximize);
    let w = lp.add_variables(n, 0.0, f64::INFINITY, 1.0);
    for i in 0..m {
        lp.add_constraint((0..n).map(|j| (w[j], a[(i, j)] + shift)), Relation::Le, 1.0);
    }
    let sol = lp.solve_with(backend)?;
    if !sol.is_optimal() || sol.objective <= 0.0 {
        return Err(Error::Numerical {
            context: "zero-sum LP",
            message: format!(
                "the minimax LP (feasible and bounded by construction) returned {:?} with \
                 objective {}",
                sol.status, sol.objective
            ),
        });
    }
    Ok(normalise(sol.values))
}

/// Clamps tiny negative LP values to 0 and rescales to sum 1 (the sum is positive here).
pub(crate) fn normalise(mut v: Vec<f64>) -> Vec<f64> {
    for p in v.iter_mut() {
        if *p < 0.0 {
            *p = 0.0;
        }
    }
    let s: f64 = v.iter().sum();
    if s > 0.0 {
        for p in v.iter_mut() {
            *p /= s;
        }
    }
    v
}
