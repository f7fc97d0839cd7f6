//! Two-player zero-sum and constant-sum games: value and optimal (minimax) strategies by LP.

use crate::error::{Error, Result};
use crate::game::Bimatrix;
use crate::lp::{Backend, LinearProgram, Relation, Sense};
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

/// Solves a two-player zero-sum or constant-sum game with the default LP backend.
///
/// See [`solve_zero_sum_with`].
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
    solve_zero_sum_with(g, Backend::default_backend()?)
}

/// Solves a two-player zero-sum or constant-sum game (`a_ij + b_ij = c` for all cells) with a
/// chosen LP backend.
///
/// von Neumann's minimax theorem as a pair of LPs in the classic normalisation (Dantzig 1951):
/// shift `A` so that every entry is at least 1, then the column player's problem is
/// `max Σ w  s.t.  A' w <= 1, w >= 0` (`y = w / Σw`, value `1/Σw`), and the row player's is the
/// same problem for the game `-Aᵀ` shifted positive. Both LPs have only nonnegative variables
/// and `<=` rows with a feasible origin, so a simplex needs no phase 1.
///
/// # Arguments
/// - `g`: the game; only the row player's matrix `A` matters once `A + B` is checked constant.
/// - `backend`: the LP backend.
///
/// # Returns
/// The value, both optimal strategies and both guarantees recomputed from the definitions.
///
/// # Errors
/// - [`Error::InvalidArgument`] when `A + B` is not constant (the message gives the largest
///   deviation from the constant `a_00 + b_00`).
/// - [`Error::Numerical`] when the LP solution does not certify (guarantees disagree beyond
///   [`Tolerance::LP`]); LP backend errors are passed through.
///
/// # Complexity
/// Two LPs with `m` (resp. `n`) variables and `n` (resp. `m`) rows.
pub fn solve_zero_sum_with(g: &Bimatrix, backend: Backend) -> Result<ZeroSum> {
    let (m, n) = (g.rows(), g.cols());
    let constant = g.a[(0, 0)] + g.b[(0, 0)];
    let scale =
        g.a.iter()
            .chain(g.b.iter())
            .fold(0.0f64, |acc, v| acc.max(v.abs()));
    let mut deviation = 0.0f64;
    for i in 0..m {
        for j in 0..n {
            deviation = deviation.max((g.a[(i, j)] + g.b[(i, j)] - constant).abs());
        }
    }
    if deviation > Tolerance::DEFAULT.threshold(scale) {
        return Err(Error::invalid_argument(format!(
            "not a constant-sum game: a+b deviates from a[0][0]+b[0][0] = {constant} by up to \
             {deviation}"
        )));
    }
    let a = &g.a;
    let (y, _) = minimax_column(a, backend)?;
    let (x, _) = minimax_column(&(-a.transpose()), backend)?;
    let row_guarantee = (0..n)
        .map(|j| (0..m).map(|i| x[i] * a[(i, j)]).sum::<f64>())
        .fold(f64::INFINITY, f64::min);
    let col_guarantee = (0..m)
        .map(|i| (0..n).map(|j| a[(i, j)] * y[j]).sum::<f64>())
        .fold(f64::NEG_INFINITY, f64::max);
    let spread = a.iter().fold(0.0f64, |acc, v| acc.max(v.abs()));
    if col_guarantee - row_guarantee > Tolerance::LP.threshold(spread) {
        return Err(Error::Numerical {
            context: "zero-sum LP",
            message: format!(
                "row guarantee {row_guarantee} and column guarantee {col_guarantee} differ"
            ),
        });
    }
    Ok(ZeroSum {
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
fn minimax_column(a: &DMatrix<f64>, backend: Backend) -> Result<(Vec<f64>, f64)> {
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
    let y = normalise(sol.values);
    Ok((y, 1.0 / sol.objective - shift))
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
