//! A dense simplex for packing LPs `max c·w  s.t.  M w <= b, w >= 0` with `b >= 0`.
//!
//! The origin is feasible, so there is no phase 1; the compact (Tucker) tableau keeps one
//! `m x n` array and pivots in `O(m·n)`, and the final tableau holds the dual solution too.
//! On small dense problems (matrix games, where every payoff is a nonzero) this is several
//! times faster than a sparse LU simplex. Callers should check a certificate of the answer,
//! as for any floating-point simplex.

use super::LpStatus;
use crate::error::{Error, Result};
use nalgebra::DMatrix;

/// The outcome of [`solve_packing`].
#[derive(Debug, Clone, PartialEq)]
pub struct PackingSolution {
    /// [`LpStatus::Optimal`] or [`LpStatus::Unbounded`] (the origin is always feasible).
    pub status: LpStatus,
    /// Optimal `w` (empty unless optimal).
    pub primal: Vec<f64>,
    /// Optimal dual `u >= 0` of the rows, solving `min b·u  s.t.  Mᵀu >= c` (empty unless
    /// optimal): the change of the optimum per unit increase of each `b_i`.
    pub dual: Vec<f64>,
    /// `c·w` (NaN unless optimal).
    pub objective: f64,
    /// Number of pivots performed.
    pub pivots: usize,
}

/// Consecutive degenerate pivots after which Bland's rule takes over (it cannot cycle).
const DEGENERATE_RUN: usize = 50;

/// Solves `max c·w  s.t.  M w <= b, w >= 0` for `b >= 0` by the primal simplex method on a
/// dense compact tableau (Dantzig's rule, ratio-test ties broken by the largest pivot,
/// Bland's rule after a run of degenerate pivots).
///
/// # Arguments
/// - `m`: the `rows x cols` constraint matrix.
/// - `c`: objective, length `cols`.
/// - `b`: right-hand side, length `rows`, all `>= 0`.
/// - `eps`: the optimality and pivot tolerance (entries are compared with it directly, so
///   scale the problem to order 1).
///
/// # Errors
/// [`Error::InvalidArgument`] for mismatched lengths, a negative `b_i` or a non-finite
/// number; [`Error::IterationLimit`] if the pivot cap `50·(rows + cols) + 1000` is reached.
///
/// # Complexity
/// `O(rows·cols)` per pivot.
pub fn solve_packing(m: &DMatrix<f64>, c: &[f64], b: &[f64], eps: f64) -> Result<PackingSolution> {
    let (rows, cols) = m.shape();
    if c.len() != cols || b.len() != rows {
        return Err(Error::invalid_argument(format!(
            "packing LP: matrix is {rows}x{cols} but c has {} and b has {} entries",
            c.len(),
            b.len()
        )));
    }
    if let Some(v) = b.iter().find(|v| !v.is_finite() || **v < 0.0) {
        return Err(Error::invalid_argument(format!(
            "packing LP: right-hand side entry {v} (must be finite and >= 0)"
        )));
    }
    if m.iter().chain(c).any(|v| !v.is_finite()) {
        return Err(Error::invalid_argument(
            "packing LP: non-finite coefficient",
        ));
    }
    // Labels: 0..cols are the structural variables w_j, cols..cols+rows the slacks s_i.
    let mut t: Vec<f64> = (0..rows)
        .flat_map(|i| (0..cols).map(move |j| m[(i, j)]))
        .collect();
    let mut rhs = b.to_vec();
    let mut d = c.to_vec();
    let mut z = 0.0;
    let mut basic: Vec<usize> = (cols..cols + rows).collect();
    let mut nonbasic: Vec<usize> = (0..cols).collect();
    let limit = 50 * (rows + cols) + 1000;
    let mut pivots = 0;
    let mut degenerate = 0;
    let mut pivot_row = vec![0.0; cols];
    loop {
        let bland = degenerate >= DEGENERATE_RUN;
        let entering = if bland {
            (0..cols)
                .filter(|&j| d[j] > eps)
                .min_by_key(|&j| nonbasic[j])
        } else {
            (0..cols)
                .filter(|&j| d[j] > eps)
                .max_by(|&a, &b| d[a].total_cmp(&d[b]))
        };
        let Some(s) = entering else { break };
        // Ratio test.
        let mut leave: Option<(usize, f64, f64)> = None;
        for i in 0..rows {
            let a = t[i * cols + s];
            if a <= eps {
                continue;
            }
            let ratio = rhs[i] / a;
            let take = match leave {
                None => true,
                Some((r, best, piv)) => {
                    if ratio < best - eps * best.abs().max(1.0) {
                        true
                    } else if ratio <= best + eps * best.abs().max(1.0) {
                        if bland {
                            basic[i] < basic[r]
                        } else {
                            a > piv
                        }
                    } else {
                        false
                    }
                }
            };
            if take {
                leave = Some((i, ratio, a));
            }
        }
        let Some((r, _, p)) = leave else {
            return Ok(PackingSolution {
                status: LpStatus::Unbounded,
                primal: Vec::new(),
                dual: Vec::new(),
                objective: f64::NAN,
                pivots,
            });
        };
        pivots += 1;
        if pivots > limit {
            return Err(Error::IterationLimit {
                algorithm: "dense packing simplex",
                limit,
            });
        }
        if rhs[r] <= eps {
            degenerate += 1;
        } else {
            degenerate = 0;
        }
        // Pivot on (r, s): the basic variable of row r and the nonbasic one of column s swap.
        let inv = 1.0 / p;
        {
            let row = &mut t[r * cols..(r + 1) * cols];
            for v in row.iter_mut() {
                *v *= inv;
            }
            row[s] = inv;
            pivot_row.copy_from_slice(row);
        }
        rhs[r] *= inv;
        let rr = rhs[r];
        for i in 0..rows {
            if i == r {
                continue;
            }
            let row = &mut t[i * cols..(i + 1) * cols];
            let f = row[s];
            if f == 0.0 {
                continue;
            }
            for (v, &pr) in row.iter_mut().zip(&pivot_row) {
                *v -= f * pr;
            }
            row[s] = -f * inv;
            rhs[i] -= f * rr;
            if rhs[i] < 0.0 {
                // Rounding only: the ratio test keeps every basic value nonnegative.
                rhs[i] = 0.0;
            }
        }
        let ds = d[s];
        for (v, &pr) in d.iter_mut().zip(&pivot_row) {
            *v -= ds * pr;
        }
        d[s] = -ds * inv;
        z += ds * rr;
        std::mem::swap(&mut basic[r], &mut nonbasic[s]);
    }
    let mut primal = vec![0.0; cols];
    let mut dual = vec![0.0; rows];
    for (i, &label) in basic.iter().enumerate() {
        if label < cols {
            primal[label] = rhs[i];
        }
    }
    for (j, &label) in nonbasic.iter().enumerate() {
        if label >= cols {
            dual[label - cols] = (-d[j]).max(0.0);
        }
    }
    let objective: f64 = primal.iter().zip(c).map(|(w, c)| w * c).sum();
    debug_assert!((objective - z).abs() <= 1e-6 * (1.0 + z.abs()));
    Ok(PackingSolution {
        status: LpStatus::Optimal,
        primal,
        dual,
        objective,
        pivots,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::dmatrix;
    use proptest::strategy::Strategy;

    #[test]
    fn textbook_packing_lp_with_duals() {
        // max x + y  s.t. x + 2y <= 4, 3x + y <= 6 → x = 8/5, y = 6/5; duals 2/5, 1/5.
        let s = solve_packing(
            &dmatrix![1.0, 2.0; 3.0, 1.0],
            &[1.0, 1.0],
            &[4.0, 6.0],
            1e-12,
        )
        .unwrap();
        assert_eq!(s.status, LpStatus::Optimal);
        assert!((s.objective - 2.8).abs() < 1e-12);
        assert!((s.primal[0] - 1.6).abs() < 1e-12 && (s.primal[1] - 1.2).abs() < 1e-12);
        assert!((s.dual[0] - 0.4).abs() < 1e-12 && (s.dual[1] - 0.2).abs() < 1e-12);
    }

    #[test]
    fn unbounded_and_bad_input() {
        let s = solve_packing(&dmatrix![1.0, -1.0], &[0.0, 1.0], &[1.0], 1e-12).unwrap();
        assert_eq!(s.status, LpStatus::Unbounded);
        assert!(solve_packing(&dmatrix![1.0], &[1.0], &[-1.0], 1e-12).is_err());
        assert!(solve_packing(&dmatrix![f64::NAN], &[1.0], &[1.0], 1e-12).is_err());
        assert!(solve_packing(&dmatrix![1.0], &[1.0, 2.0], &[1.0], 1e-12).is_err());
    }

    #[test]
    fn degenerate_lp_terminates() {
        // Beale's cycling example in packing form (cycles under the textbook rule without an
        // anti-cycling safeguard): max 3/4 x4 − 20 x5 + 1/2 x6 − 6 x7.
        let m = dmatrix![
            0.25, -8.0, -1.0, 9.0;
            0.5, -12.0, -0.5, 3.0;
            0.0, 0.0, 1.0, 0.0
        ];
        let s = solve_packing(&m, &[0.75, -20.0, 0.5, -6.0], &[0.0, 0.0, 1.0], 1e-12).unwrap();
        assert_eq!(s.status, LpStatus::Optimal);
        assert!((s.objective - 1.25).abs() < 1e-9, "{}", s.objective);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Primal and dual are feasible and their objectives meet (strong duality), on small
        /// integer matrices, which are often degenerate.
        #[test]
        fn primal_and_dual_certify_each_other(
            (rows, cols, entries) in (1usize..=6, 1usize..=6).prop_flat_map(|(r, c)| {
                (proptest::strategy::Just(r), proptest::strategy::Just(c),
                 proptest::collection::vec(1i32..=4, r * c))
            }),
        ) {
            let m = DMatrix::from_fn(rows, cols, |i, j| f64::from(entries[i * cols + j]));
            let s = solve_packing(&m, &vec![1.0; cols], &vec![1.0; rows], 1e-11).unwrap();
            proptest::prop_assert_eq!(s.status, LpStatus::Optimal);
            for i in 0..rows {
                let lhs: f64 = (0..cols).map(|j| m[(i, j)] * s.primal[j]).sum();
                proptest::prop_assert!(lhs <= 1.0 + 1e-9 && s.primal.iter().all(|&w| w >= 0.0));
            }
            for j in 0..cols {
                let lhs: f64 = (0..rows).map(|i| m[(i, j)] * s.dual[i]).sum();
                proptest::prop_assert!(lhs >= 1.0 - 1e-9);
            }
            let dual_obj: f64 = s.dual.iter().sum();
            proptest::prop_assert!((dual_obj - s.objective).abs() <= 1e-9);
        }
    }
}
