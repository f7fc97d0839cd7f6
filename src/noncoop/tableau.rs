//! Pivoting tableaux for the best-response polytopes of a bimatrix game, in floating point and
//! in exact fraction-free integer arithmetic.
//!
//! A tableau stores a system `s_k + Σ_j M[k][j] z_j = 1` (one row per constraint `k`, slack
//! `s_k`) over `vars` variables, the right-hand side in the last column. Variables are numbered
//! by their *label* in the sense of Shapley (1974): for the row player's polytope
//! `P = {x ≥ 0 : Bᵀx ≤ 1}` the variable `x_i` has label `i` and the slack of column `j` has label
//! `m + j`; for `Q = {y ≥ 0 : Ay ≤ 1}` the slack of row `i` has label `i` and `y_j` label `m + j`.
//! This module is internal: [`super::lemke_howson`] and [`super::vertex_enumeration`] use it.

use crate::error::{Error, Result};
use crate::game::Bimatrix;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;

/// Entries whose magnitude is at most this are zero in floating-point pivoting (payoffs are
/// scaled into (0, 1] first, so this is relative to the payoff range).
pub(crate) const FLOAT_ZERO: f64 = 1e-10;
/// Floating-point decisions whose margin is below this (but above [`FLOAT_ZERO`]) are flagged as
/// uncertain so the caller can redo the computation exactly.
pub(crate) const FLOAT_GREY: f64 = 1e-7;

/// Which polytope a tableau describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// `P = {x ≥ 0 : Bᵀx ≤ 1}`: `n` rows, structural variables `x_i` (labels `0..m`).
    P,
    /// `Q = {y ≥ 0 : Ay ≤ 1}`: `m` rows, structural variables `y_j` (labels `m..m+n`).
    Q,
}

/// Common interface of the float and exact tableaux.
pub(crate) trait Tableau: Clone {
    /// Number of variables (`m + n`).
    fn vars(&self) -> usize;
    /// `basis()[row]` is the variable basic in `row`.
    fn basis(&self) -> &[usize];
    /// Pivots `col` into the basis in `row` (the entry must be non-zero; it is positive on
    /// the feasibility-preserving pivots of a path).
    fn pivot(&mut self, row: usize, col: usize);
    /// Magnitude of the entry of variable `col` in `row` for choosing a pivot when moving to a
    /// given basis: zero exactly when the entry is (treated as) zero.
    fn pivot_score(&self, row: usize, col: usize) -> f64;
    /// The row chosen by the lexicographic minimum-ratio rule for entering column `col`, or
    /// `None` when no entry of the column is positive.
    fn lex_min_ratio(&self, col: usize) -> Option<usize>;
    /// All rows attaining the (plain) minimum ratio for entering column `col`, written to
    /// `out` (cleared first); sets `*unsure` when a float decision was too close to call.
    fn min_ratio_rows(&self, col: usize, unsure: &mut bool, out: &mut Vec<usize>);
    /// Every pivot of a feasible-basis search: for each nonbasic variable `col` (ascending)
    /// and each row attaining its minimum ratio (as [`Tableau::min_ratio_rows`]), a pair
    /// `(col, row)` is appended to `out` (cleared first). `scratch` is working space.
    fn all_min_ratio_pivots(
        &self,
        unsure: &mut bool,
        scratch: &mut Vec<f64>,
        out: &mut Vec<(usize, usize)>,
    ) {
        let _ = scratch;
        out.clear();
        let mut rows = Vec::new();
        for col in 0..self.vars() {
            if self.basis().contains(&col) {
                continue;
            }
            self.min_ratio_rows(col, unsure, &mut rows);
            out.extend(rows.iter().map(|&r| (col, r)));
        }
    }
    /// Whether the basic variable of `row` is zero; sets `*unsure` when too close to call.
    fn rhs_is_zero(&self, row: usize, unsure: &mut bool) -> bool;
}

/// Label of the slack of constraint `row` and the structural variable range on each side.
pub(crate) fn layout(side: Side, m: usize, n: usize) -> (usize, std::ops::Range<usize>) {
    match side {
        Side::P => (n, 0..m),
        Side::Q => (m, m..m + n),
    }
}

pub(crate) fn slack_var(side: Side, m: usize, row: usize) -> usize {
    match side {
        Side::P => m + row,
        Side::Q => row,
    }
}

/// The payoff coefficient of structural variable `var` in constraint `row`.
pub(crate) fn coeff<T: Clone>(
    side: Side,
    m: usize,
    a: &[Vec<T>],
    b: &[Vec<T>],
    row: usize,
    var: usize,
) -> T {
    match side {
        Side::P => b[var][row].clone(),
        Side::Q => a[row][var - m].clone(),
    }
}

/// Pivots `t` to the basis with mask `target` (same size), choosing for each entering variable
/// the leaving row with the largest entry among rows whose basic variable must leave. Returns
/// the number of pivots, or `None` if the target basis is (numerically) singular.
pub(crate) fn move_to<T: Tableau>(t: &mut T, target: u128) -> Option<usize> {
    let mut pivots = 0;
    let current = t.basis().iter().fold(0u128, |k, &v| k | (1u128 << v));
    let mut entering = target & !current;
    while entering != 0 {
        let col = entering.trailing_zeros() as usize;
        entering &= entering - 1;
        let mut best = (0.0, usize::MAX);
        for (row, &v) in t.basis().iter().enumerate() {
            if target >> v & 1 == 0 {
                let s = t.pivot_score(row, col);
                if s > best.0 {
                    best = (s, row);
                }
            }
        }
        if best.1 == usize::MAX || best.0 <= FLOAT_ZERO {
            return None;
        }
        t.pivot(best.1, col);
        pivots += 1;
    }
    Some(pivots)
}

// ---------------------------------------------------------------------------------------------
// Floating point

/// Marks a variable that is basic in [`FloatTableau::pos`].
const BASIC: usize = usize::MAX;

/// A dense floating-point tableau in compact (Tucker) form: one column per *nonbasic*
/// variable plus the right-hand side, row-major and contiguous, so a pivot touches
/// `rows × (nonbasic + 1)` entries (the unit columns of basic variables are implicit).
///
/// Row `k` reads `basis[k] + Σ_c data[k][c] · nonbasic[c] = rhs[k]`.
#[derive(Debug, Clone)]
pub(crate) struct FloatTableau {
    rows: usize,
    vars: usize,
    /// Logical row length: number of nonbasic variables plus one (right-hand side last).
    width: usize,
    /// Row length in `data`: `width` rounded up to a multiple of 4 (zero padding), so the
    /// elimination kernel runs in whole 4-lane chunks.
    stride: usize,
    data: Vec<f64>,
    basis: Vec<usize>,
    /// `nonbasic[c]` is the variable of compact column `c`.
    nonbasic: Vec<usize>,
    /// `pos[v]` is the compact column of variable `v`, or [`BASIC`].
    pos: Vec<usize>,
    /// Initial basic (slack) variables in row order: their columns hold the basis inverse, used
    /// for lexicographic tie-breaking.
    lex_cols: Vec<usize>,
}

/// Payoff matrices shifted and scaled into `[1/(range+1), 1]`, row-major (`a[i][j]`).
pub(crate) fn scaled_payoffs(g: &Bimatrix) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let scale = |x: &nalgebra::DMatrix<f64>| {
        let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let range = hi - lo;
        // Shift so the smallest entry is `range/…` > 0; a constant matrix becomes all ones.
        let span = if range > 0.0 { range } else { 1.0 };
        (0..x.nrows())
            .map(|i| {
                (0..x.ncols())
                    .map(|j| (x[(i, j)] - lo + span) / (2.0 * span))
                    .collect()
            })
            .collect()
    };
    (scale(g.a()), scale(g.b()))
}

impl FloatTableau {
    /// The tableau of `side` at the origin (all slacks basic). `a`, `b` must be positive.
    pub(crate) fn new(side: Side, a: &[Vec<f64>], b: &[Vec<f64>]) -> Self {
        let (m, n) = (a.len(), a[0].len());
        let (rows, structural) = layout(side, m, n);
        let vars = m + n;
        let nonbasic: Vec<usize> = structural.clone().collect();
        let width = nonbasic.len() + 1;
        let stride = width.div_ceil(4) * 4;
        let mut data = vec![0.0; rows * stride];
        let mut basis = Vec::with_capacity(rows);
        let mut pos = vec![BASIC; vars];
        for (c, &v) in nonbasic.iter().enumerate() {
            pos[v] = c;
        }
        for k in 0..rows {
            for (c, &v) in nonbasic.iter().enumerate() {
                data[k * stride + c] = coeff(side, m, a, b, k, v);
            }
            data[k * stride + width - 1] = 1.0;
            basis.push(slack_var(side, m, k));
        }
        FloatTableau {
            rows,
            vars,
            width,
            stride,
            lex_cols: basis.clone(),
            data,
            basis,
            nonbasic,
            pos,
        }
    }

    /// Entry of variable `var`'s column in `row` (a unit column when `var` is basic).
    #[inline]
    fn entry(&self, row: usize, var: usize) -> f64 {
        match self.pos[var] {
            BASIC => f64::from(u8::from(self.basis[row] == var)),
            c => self.data[row * self.stride + c],
        }
    }

    /// Value of the basic variable in `row`.
    #[inline]
    pub(crate) fn rhs(&self, row: usize) -> f64 {
        self.data[row * self.stride + self.width - 1]
    }
}

/// Subtracts `row[q]` times the (already scaled) pivot row from every other row, leaving
/// `-row[q] · prow[q]` in column `q`.
#[inline(always)]
fn eliminate(data: &mut [f64], width: usize, prow_idx: usize, q: usize) {
    let (before, rest) = data.split_at_mut(prow_idx * width);
    let (prow, after) = rest.split_at_mut(width);
    let prow: &[f64] = prow;
    for chunk in before
        .chunks_exact_mut(width)
        .chain(after.chunks_exact_mut(width))
    {
        let f = chunk[q];
        if f != 0.0 {
            chunk[q] = 0.0;
            for (t, &r) in chunk.iter_mut().zip(prow) {
                *t -= f * r;
            }
        }
    }
}

/// [`eliminate`] compiled for AVX2 (4 lanes). FMA contraction is not enabled by Rust, so the
/// results are bit-identical to the portable version.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn eliminate_avx2(data: &mut [f64], width: usize, prow_idx: usize, q: usize) {
    eliminate(data, width, prow_idx, q);
}

// Calling a `#[target_feature]` function is unsafe: justified by the run-time AVX2 check.
#[allow(unsafe_code)]
fn eliminate_dispatch(data: &mut [f64], width: usize, prow_idx: usize, q: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked at run time just above).
            unsafe { eliminate_avx2(data, width, prow_idx, q) };
            return;
        }
    }
    eliminate(data, width, prow_idx, q);
}

impl Tableau for FloatTableau {
    fn vars(&self) -> usize {
        self.vars
    }

    fn basis(&self) -> &[usize] {
        &self.basis
    }

    fn pivot(&mut self, row: usize, col: usize) {
        let w = self.stride;
        let q = self.pos[col];
        debug_assert!(q != BASIC, "entering variable {col} is already basic");
        let inv = 1.0 / self.data[row * w + q];
        for v in &mut self.data[row * w..(row + 1) * w] {
            *v *= inv;
        }
        // The leaving variable takes compact column q: its coefficient in the new pivot row
        // is 1/p, in another row -f/p (eliminate leaves exactly that).
        self.data[row * w + q] = inv;
        eliminate_dispatch(&mut self.data, w, row, q);
        let leaving = self.basis[row];
        self.nonbasic[q] = leaving;
        self.pos[leaving] = q;
        self.pos[col] = BASIC;
        self.basis[row] = col;
    }

    fn pivot_score(&self, row: usize, col: usize) -> f64 {
        self.entry(row, col).abs()
    }

    fn lex_min_ratio(&self, col: usize) -> Option<usize> {
        let (w, rc) = (self.stride, self.width - 1);
        let q = self.pos[col];
        let mut best = f64::INFINITY;
        let mut best_row = usize::MAX;
        for k in 0..self.rows {
            let e = self.data[k * w + q];
            if e > FLOAT_ZERO {
                let r = self.data[k * w + rc] / e;
                if r < best {
                    best = r;
                    best_row = k;
                }
            }
        }
        if best_row == usize::MAX {
            return None;
        }
        // Ties only: gather the rows within tolerance of the minimum ratio (`r <= t` tested as
        // `rhs <= t·e`, e > 0, without a division; the slack `tol·e` dwarfs the product's
        // rounding, so the minimum row always qualifies).
        let tol = FLOAT_ZERO * (1.0 + best.abs());
        let unique = (0..self.rows)
            .filter(|&k| {
                let e = self.data[k * w + q];
                e > FLOAT_ZERO && self.data[k * w + rc] <= (best + tol) * e
            })
            .nth(1)
            .is_none();
        if unique {
            return Some(best_row);
        }
        let mut cand: Vec<usize> = (0..self.rows)
            .filter(|&k| {
                let e = self.data[k * w + q];
                e > FLOAT_ZERO && self.data[k * w + rc] <= (best + tol) * e
            })
            .collect();
        for &kc in &self.lex_cols {
            if cand.len() == 1 {
                break;
            }
            let ratio = |k: usize| self.entry(k, kc) / self.data[k * w + q];
            let best = cand.iter().map(|&k| ratio(k)).fold(f64::INFINITY, f64::min);
            let tol = FLOAT_ZERO * (1.0 + best.abs());
            cand.retain(|&k| ratio(k) <= best + tol);
        }
        Some(cand[0])
    }

    fn min_ratio_rows(&self, col: usize, unsure: &mut bool, out: &mut Vec<usize>) {
        out.clear();
        let (w, rc) = (self.stride, self.width - 1);
        let q = self.pos[col];
        let mut best = f64::INFINITY;
        for k in 0..self.rows {
            let e = self.data[k * w + q];
            if e > FLOAT_ZERO {
                best = best.min(self.data[k * w + rc].max(0.0) / e);
            }
        }
        if best == f64::INFINITY {
            return;
        }
        let tol = FLOAT_ZERO * (1.0 + best);
        let grey = FLOAT_GREY * (1.0 + best);
        for k in 0..self.rows {
            let e = self.data[k * w + q];
            if e > FLOAT_ZERO {
                if e <= FLOAT_GREY {
                    *unsure = true;
                }
                let r = self.data[k * w + rc].max(0.0) / e;
                if r <= best + tol {
                    out.push(k);
                } else if r <= best + grey {
                    *unsure = true;
                }
            } else if e.abs() <= FLOAT_ZERO && e.abs() > FLOAT_ZERO * 1e-3 {
                // A tiny entry we treat as zero.
                *unsure = true;
            }
        }
    }

    fn all_min_ratio_pivots(
        &self,
        unsure: &mut bool,
        scratch: &mut Vec<f64>,
        out: &mut Vec<(usize, usize)>,
    ) {
        // Row-major over the compact tableau (the same decisions as `min_ratio_rows` column by
        // column, vectorisable across columns).
        out.clear();
        let (w, rc) = (self.stride, self.width - 1);
        let nb = rc;
        scratch.clear();
        scratch.resize(nb, f64::INFINITY);
        let best = &mut scratch[..];
        for k in 0..self.rows {
            let row = &self.data[k * w..k * w + nb];
            let rk = self.data[k * w + rc].max(0.0);
            for (b, &e) in best.iter_mut().zip(row) {
                let r = if e > FLOAT_ZERO {
                    rk / e
                } else {
                    f64::INFINITY
                };
                *b = if r < *b { r } else { *b };
            }
        }
        // Thresholds per column: ratios within `tol` of the minimum tie, those within `grey`
        // (but not `tol`) make the decision uncertain. `r <= t` is tested as `rk <= t·e`
        // (e > 0), avoiding a division per entry; the slack `FLOAT_ZERO·(1+b)·e` dwarfs the
        // rounding of the product, so the minimum-ratio row always passes.
        for b in best.iter_mut() {
            if *b == f64::INFINITY {
                *b = f64::NAN;
            }
        }
        for k in 0..self.rows {
            let row = &self.data[k * w..k * w + nb];
            let rk = self.data[k * w + rc].max(0.0);
            for (c, (&b, &e)) in best.iter().zip(row).enumerate() {
                let grey_at = (b + FLOAT_GREY * (1.0 + b)) * e;
                // Columns without a positive entry have b = NaN: every comparison is false.
                let near = rk <= grey_at;
                if e.abs() > FLOAT_GREY && !near {
                    continue;
                }
                if b.is_nan() {
                    continue;
                }
                if e > FLOAT_ZERO {
                    if e <= FLOAT_GREY {
                        *unsure = true;
                    }
                    if rk <= (b + FLOAT_ZERO * (1.0 + b)) * e {
                        out.push((self.nonbasic[c], k));
                    } else if rk <= grey_at {
                        *unsure = true;
                    }
                } else if e.abs() <= FLOAT_ZERO && e.abs() > FLOAT_ZERO * 1e-3 {
                    *unsure = true;
                }
            }
        }
    }

    fn rhs_is_zero(&self, row: usize, unsure: &mut bool) -> bool {
        let v = self.rhs(row).abs();
        if v > FLOAT_ZERO && v <= FLOAT_GREY {
            *unsure = true;
        }
        v <= FLOAT_ZERO
    }
}

// ---------------------------------------------------------------------------------------------
// Floating point, pivots applied in blocks

/// Pivots a path applies to one [`FloatTableau`] before they are written back as one rank-k
/// update. Each pending pivot costs `O(rows · k)` for its ratio test and `O(k · width)` for its
/// pivot row; the write-back reads and writes every row once for all `k` pivots, where eager
/// pivoting streams the whole tableau through the cache once per pivot.
pub(crate) const PIVOT_BLOCK: usize = 8;

/// A [`FloatTableau`] with up to [`PIVOT_BLOCK`] pivots pending (delayed rank-one updates, as
/// in the blocked Gauss–Jordan updates of dense linear algebra).
///
/// A pivot on `(r, q)` is, for every row `k ≠ r`, `row_k ← row_k − row_k[q] · v` where `v` is
/// the scaled pivot row with `v[q] = 1 + 1/p` (which leaves `−row_k[q]/p`, the leaving
/// variable's entry, in compact column `q`), while row `r` becomes the scaled pivot row. With
/// pivots `1..j` pending, the current entry of a row in the column of pivot `j` is its stored
/// entry minus `Σ_{i<j} c_i · v_i[q_j]`, where `c_i` are that row's coefficients of the earlier
/// pending pivots: the ratio test needs only those `O(k)` corrections per row. Pivot rows are
/// kept explicitly (current) until the write-back.
#[derive(Debug)]
pub(crate) struct BlockedTableau<'t> {
    t: &'t mut FloatTableau,
    /// Number of pending pivots.
    pending: usize,
    /// Update vectors, `PIVOT_BLOCK × stride`.
    v: Vec<f64>,
    /// The update vectors interleaved for the write-back (see [`block_update`]).
    vt: Vec<f64>,
    /// Coefficients, `PIVOT_BLOCK × rows`: `c[j][k]` is row `k`'s entry in pending pivot `j`'s
    /// column at the time of that pivot (unused for explicit rows).
    c: Vec<f64>,
    /// Current right-hand side of every row.
    rhs: Vec<f64>,
    /// Current contents of the rows pivoted on in this block, `PIVOT_BLOCK × stride`.
    explicit: Vec<f64>,
    /// Row of each explicit slot.
    explicit_rows: [usize; PIVOT_BLOCK],
    n_explicit: usize,
    /// `slot[k]` is row `k`'s explicit slot, or `usize::MAX`.
    slot: Vec<usize>,
    /// Scratch: minimum ratio candidates per row.
    ratio: Vec<f64>,
}

impl<'t> BlockedTableau<'t> {
    /// Wraps `t`; nothing is pending.
    pub(crate) fn new(t: &'t mut FloatTableau) -> Self {
        let (rows, stride) = (t.rows, t.stride);
        let rhs = (0..rows).map(|k| t.rhs(k)).collect();
        BlockedTableau {
            pending: 0,
            v: vec![0.0; PIVOT_BLOCK * stride],
            vt: vec![0.0; PIVOT_BLOCK * stride],
            c: vec![0.0; rows * PIVOT_BLOCK],
            rhs,
            explicit: vec![0.0; PIVOT_BLOCK * stride],
            explicit_rows: [0; PIVOT_BLOCK],
            n_explicit: 0,
            slot: vec![usize::MAX; rows],
            ratio: vec![0.0; rows],
            t,
        }
    }

    /// `basis()[row]` is the variable basic in `row` (pending pivots included).
    pub(crate) fn basis(&self) -> &[usize] {
        &self.t.basis
    }

    /// Writes the current column `q` (pending pivots included) into `c[pending]`.
    fn current_column(&mut self, q: usize) {
        let (rows, w, j) = (self.t.rows, self.t.stride, self.pending);
        let (done, rest) = self.c.split_at_mut(j * rows);
        let col = &mut rest[..rows];
        for (k, e) in col.iter_mut().enumerate() {
            *e = self.t.data[k * w + q];
        }
        for (ci, vi) in done.chunks_exact(rows).zip(self.v.chunks_exact(w)) {
            let vq = vi[q];
            if vq != 0.0 {
                for (e, &c) in col.iter_mut().zip(ci) {
                    *e -= c * vq;
                }
            }
        }
        for (s, &row) in self.explicit_rows[..self.n_explicit].iter().enumerate() {
            col[row] = self.explicit[s * w + q];
        }
    }

    /// The lexicographic minimum-ratio row for entering variable `var`, as
    /// [`FloatTableau::lex_min_ratio`] (which decides whenever the plain minimum ratio is tied:
    /// the pending pivots are written back first).
    pub(crate) fn lex_min_ratio(&mut self, var: usize) -> Option<usize> {
        let q = self.t.pos[var];
        debug_assert!(q != BASIC, "entering variable {var} is already basic");
        let rows = self.t.rows;
        self.current_column(q);
        let j = self.pending;
        let col = &self.c[j * rows..(j + 1) * rows];
        let (_, best_row, near) = ratio_scan_dispatch(col, &self.rhs, &mut self.ratio);
        if best_row == usize::MAX {
            return None;
        }
        if near <= 1 {
            return Some(best_row);
        }
        self.flush();
        let w = self.t.stride;
        for k in 0..rows {
            self.c[k] = self.t.data[k * w + q];
        }
        self.t.lex_min_ratio(var)
    }

    /// Pivots `var` into the basis in `row`; must follow [`BlockedTableau::lex_min_ratio`] for
    /// `var` (whose column it reuses) with no other call in between.
    pub(crate) fn pivot(&mut self, row: usize, var: usize) {
        // lex_min_ratio left room: a full block is written back at the end of a pivot.
        debug_assert!(self.pending < PIVOT_BLOCK);
        let (w, rows) = (self.t.stride, self.t.rows);
        let rc = self.t.width - 1;
        let q = self.t.pos[var];
        let j = self.pending;
        // The pivot row, current.
        let s = match self.slot[row] {
            usize::MAX => {
                let s = self.n_explicit;
                self.n_explicit += 1;
                self.slot[row] = s;
                self.explicit_rows[s] = row;
                let dst = &mut self.explicit[s * w..(s + 1) * w];
                dst.copy_from_slice(&self.t.data[row * w..(row + 1) * w]);
                for i in 0..j {
                    let ci = self.c[i * rows + row];
                    if ci != 0.0 {
                        for (d, &vi) in dst.iter_mut().zip(&self.v[i * w..(i + 1) * w]) {
                            *d -= ci * vi;
                        }
                    }
                }
                s
            }
            s => s,
        };
        let inv = 1.0 / self.explicit[s * w + q];
        {
            let prow = &mut self.explicit[s * w..(s + 1) * w];
            for x in prow.iter_mut() {
                *x *= inv;
            }
            prow[q] = inv;
            let v = &mut self.v[j * w..(j + 1) * w];
            v.copy_from_slice(prow);
            v[q] = 1.0 + inv;
        }
        // Other explicit rows are kept current.
        let vj = &self.v[j * w..(j + 1) * w];
        for (e, dst) in self.explicit[..self.n_explicit * w]
            .chunks_exact_mut(w)
            .enumerate()
        {
            let f = dst[q];
            if e != s && f != 0.0 {
                for (d, &x) in dst.iter_mut().zip(vj) {
                    *d -= f * x;
                }
            }
        }
        // Right-hand sides of every row (explicit rows: their current entry).
        let vr = vj[rc];
        for (r, &c) in self.rhs.iter_mut().zip(&self.c[j * rows..(j + 1) * rows]) {
            *r -= c * vr;
        }
        for (e, &k) in self.explicit_rows[..self.n_explicit].iter().enumerate() {
            self.rhs[k] = self.explicit[e * w + rc];
        }
        self.pending += 1;
        let t = &mut *self.t;
        let leaving = t.basis[row];
        t.nonbasic[q] = leaving;
        t.pos[leaving] = q;
        t.pos[var] = BASIC;
        t.basis[row] = var;
        if self.pending == PIVOT_BLOCK {
            self.flush();
        }
    }

    /// Writes the pending pivots back into the tableau.
    pub(crate) fn flush(&mut self) {
        if self.pending == 0 {
            return;
        }
        let (w, rows) = (self.t.stride, self.t.rows);
        // Interleave the update vectors by groups of four columns (zero beyond `pending`).
        self.vt.fill(0.0);
        for (j, vj) in self.v.chunks_exact(w).take(self.pending).enumerate() {
            for (x, v4) in vj.chunks_exact(4).enumerate() {
                let at = (x * PIVOT_BLOCK + j) * 4;
                self.vt[at..at + 4].copy_from_slice(v4);
            }
        }
        block_update_dispatch(
            &mut self.t.data,
            w,
            &self.vt,
            &self.c[..self.pending * rows],
            &self.slot,
        );
        for e in 0..self.n_explicit {
            let row = self.explicit_rows[e];
            self.t.data[row * w..(row + 1) * w].copy_from_slice(&self.explicit[e * w..(e + 1) * w]);
            self.slot[row] = usize::MAX;
        }
        for (k, r) in self.rhs.iter_mut().enumerate() {
            *r = self.t.data[k * w + self.t.width - 1];
        }
        self.pending = 0;
        self.n_explicit = 0;
    }
}

impl Drop for BlockedTableau<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Minimum ratio `rhs[k] / col[k]` over the rows with `col[k] > FLOAT_ZERO`: returns the
/// minimum, the first row attaining it (`usize::MAX` when no entry is positive) and how many
/// rows are within the tie tolerance of it (`rhs <= (best + tol)·e`, as
/// [`FloatTableau::lex_min_ratio`]). Branch-free over contiguous data, so it vectorises.
#[inline(always)]
fn ratio_scan(col: &[f64], rhs: &[f64], ratio: &mut [f64]) -> (f64, usize, usize) {
    for ((r, &e), &b) in ratio.iter_mut().zip(col).zip(rhs) {
        let q = b / e;
        *r = if e > FLOAT_ZERO { q } else { f64::INFINITY };
    }
    let mut lanes = [f64::INFINITY; 4];
    let chunks = ratio.chunks_exact(4);
    let tail = chunks.remainder();
    for ch in chunks {
        for l in 0..4 {
            lanes[l] = if ch[l] < lanes[l] { ch[l] } else { lanes[l] };
        }
    }
    let best = tail
        .iter()
        .chain(&lanes)
        .fold(f64::INFINITY, |m, &r| if r < m { r } else { m });
    if best == f64::INFINITY {
        return (best, usize::MAX, 0);
    }
    let best_row = ratio.iter().position(|&r| r == best).unwrap_or(usize::MAX);
    let t = best + FLOAT_ZERO * (1.0 + best.abs());
    let near = col
        .iter()
        .zip(rhs)
        .map(|(&e, &b)| u64::from((e > FLOAT_ZERO) & (b <= t * e)))
        .sum::<u64>() as usize;
    (best, best_row, near)
}

/// [`ratio_scan`] compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn ratio_scan_avx2(col: &[f64], rhs: &[f64], ratio: &mut [f64]) -> (f64, usize, usize) {
    ratio_scan(col, rhs, ratio)
}

// Calling a `#[target_feature]` function is unsafe: justified by the run-time AVX2 check.
#[allow(unsafe_code)]
fn ratio_scan_dispatch(col: &[f64], rhs: &[f64], ratio: &mut [f64]) -> (f64, usize, usize) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked at run time just above).
            return unsafe { ratio_scan_avx2(col, rhs, ratio) };
        }
    }
    ratio_scan(col, rhs, ratio)
}

/// `row_k ← row_k − Σ_j c[j][k] · v_j` for every row that is not explicit (`slot[k] == MAX`).
/// `vt` holds the update vectors interleaved by groups of four columns
/// (`vt[(x·PIVOT_BLOCK + j)·4 + l] = v_j[4x + l]`, zero for unused `j`), `c` the coefficients
/// (`rows` per pending pivot). Each group of four entries of a row is loaded once, takes all
/// the updates in registers (in pivot order, so the rounding is that of one pivot after the
/// other) and is stored once.
#[inline(always)]
fn block_update(data: &mut [f64], w: usize, vt: &[f64], c: &[f64], slot: &[usize]) {
    let rows = slot.len();
    let k = c.len() / rows;
    let mut coef = [0.0; PIVOT_BLOCK];
    for (r, (row, &s)) in data.chunks_exact_mut(w).zip(slot).enumerate() {
        if s != usize::MAX {
            continue;
        }
        for (j, x) in coef[..k].iter_mut().enumerate() {
            *x = c[j * rows + r];
        }
        if coef.iter().all(|&x| x == 0.0) {
            continue;
        }
        for (chunk, vx) in row
            .chunks_exact_mut(4)
            .zip(vt.chunks_exact(4 * PIVOT_BLOCK))
        {
            let mut acc = [chunk[0], chunk[1], chunk[2], chunk[3]];
            for (&cj, vj) in coef.iter().zip(vx.chunks_exact(4)) {
                for l in 0..4 {
                    acc[l] -= cj * vj[l];
                }
            }
            chunk.copy_from_slice(&acc);
        }
    }
}

/// [`block_update`] with AVX2 intrinsics: the four-column group of a row stays in one register
/// while all [`PIVOT_BLOCK`] updates are applied (multiply, then subtract: the same rounding as
/// the portable version).
#[cfg(target_arch = "x86_64")]
// Raw-pointer loads and stores of 4 doubles: every index is bounds-checked against the row
// length before the loop (the assert at the top).
#[allow(unsafe_code)]
#[target_feature(enable = "avx2")]
fn block_update_avx2(data: &mut [f64], w: usize, vt: &[f64], c: &[f64], slot: &[usize]) {
    use std::arch::x86_64::{
        __m256d, _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_storeu_pd, _mm256_sub_pd,
    };
    let rows = slot.len();
    let k = c.len() / rows;
    let groups = w / 4;
    assert!(w.is_multiple_of(4) && data.len() >= rows * w && vt.len() >= groups * 4 * PIVOT_BLOCK);
    let mut coef = [0.0; PIVOT_BLOCK];
    for (r, (row, &s)) in data.chunks_exact_mut(w).zip(slot).enumerate() {
        if s != usize::MAX {
            continue;
        }
        for (j, x) in coef[..k].iter_mut().enumerate() {
            *x = c[j * rows + r];
        }
        if coef.iter().all(|&x| x == 0.0) {
            continue;
        }
        let cs: [__m256d; PIVOT_BLOCK] = std::array::from_fn(|j| _mm256_set1_pd(coef[j]));
        let rp = row.as_mut_ptr();
        let vp = vt.as_ptr();
        for x in 0..groups {
            // SAFETY: `row` has `w = 4·groups` entries and `vt` at least `groups·4·PIVOT_BLOCK`
            // (asserted above), so every access is in bounds; unaligned loads and stores.
            unsafe {
                let mut acc = _mm256_loadu_pd(rp.add(4 * x));
                let vx = vp.add(4 * PIVOT_BLOCK * x);
                for (j, &cj) in cs.iter().enumerate() {
                    acc = _mm256_sub_pd(acc, _mm256_mul_pd(cj, _mm256_loadu_pd(vx.add(4 * j))));
                }
                _mm256_storeu_pd(rp.add(4 * x), acc);
            }
        }
    }
}

// Calling a `#[target_feature]` function is unsafe: justified by the run-time AVX2 check.
#[allow(unsafe_code)]
fn block_update_dispatch(data: &mut [f64], w: usize, vt: &[f64], c: &[f64], slot: &[usize]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked at run time just above).
            unsafe { block_update_avx2(data, w, vt, c, slot) };
            return;
        }
    }
    block_update(data, w, vt, c, slot);
}

// ---------------------------------------------------------------------------------------------
// Exact

/// A row-major integer matrix.
pub(crate) type IntMatrix = Vec<Vec<BigInt>>;

/// Payoffs converted exactly to integers: every f64 is a dyadic rational, so after shifting
/// both matrices to be positive and multiplying by a common power of two they are integers.
/// The equilibria of the scaled game are those of the original (positive affine transforms of
/// each player's payoffs).
pub(crate) fn integer_payoffs(g: &Bimatrix) -> Result<(IntMatrix, IntMatrix)> {
    let conv = |x: &nalgebra::DMatrix<f64>| -> Result<Vec<Vec<BigInt>>> {
        let mut q = Vec::with_capacity(x.nrows());
        for i in 0..x.nrows() {
            let mut row = Vec::with_capacity(x.ncols());
            for j in 0..x.ncols() {
                let r = BigRational::from_float(x[(i, j)]).ok_or_else(|| {
                    Error::invalid_game(format!("payoff {} is not finite", x[(i, j)]))
                })?;
                row.push(r);
            }
            q.push(row);
        }
        let lo = q
            .iter()
            .flatten()
            .min()
            .cloned()
            .unwrap_or_else(BigRational::zero);
        // Denominators are powers of two: their lcm is the largest one.
        let den = q
            .iter()
            .flatten()
            .map(|r| r.denom().clone())
            .max()
            .unwrap_or_else(BigInt::one);
        let shift = BigRational::one() - lo;
        Ok(q.into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|r| {
                        let v = (r + &shift) * BigRational::from_integer(den.clone());
                        v.to_integer()
                    })
                    .collect()
            })
            .collect())
    };
    Ok((conv(g.a())?, conv(g.b())?))
}

/// A tableau in fraction-free integer form (Edmonds; Bareiss): the true tableau is
/// `data / det`, and every pivot divides exactly by the previous pivot element.
#[derive(Debug, Clone)]
pub(crate) struct IntTableau {
    rows: usize,
    stride: usize,
    data: Vec<BigInt>,
    det: BigInt,
    basis: Vec<usize>,
    lex_cols: Vec<usize>,
}

impl IntTableau {
    /// The tableau of `side` at the origin, from positive integer payoffs.
    pub(crate) fn new(side: Side, a: &[Vec<BigInt>], b: &[Vec<BigInt>]) -> Self {
        let (m, n) = (a.len(), a[0].len());
        let (rows, structural) = layout(side, m, n);
        let vars = m + n;
        let stride = vars + 1;
        let mut data = vec![BigInt::zero(); rows * stride];
        let mut basis = Vec::with_capacity(rows);
        for k in 0..rows {
            let s = slack_var(side, m, k);
            data[k * stride + s] = BigInt::one();
            for v in structural.clone() {
                data[k * stride + v] = coeff(side, m, a, b, k, v);
            }
            data[k * stride + vars] = BigInt::one();
            basis.push(s);
        }
        IntTableau {
            rows,
            stride,
            lex_cols: basis.clone(),
            data,
            det: BigInt::one(),
            basis,
        }
    }

    /// Entry of variable `col`'s column in `row`, times [`IntTableau::det`] (the right-hand
    /// side is column `vars`).
    #[inline]
    pub(crate) fn at(&self, row: usize, col: usize) -> &BigInt {
        &self.data[row * self.stride + col]
    }

    /// The common denominator of the entries (positive).
    pub(crate) fn det(&self) -> &BigInt {
        &self.det
    }

    /// Value of the basic variable in `row`, exactly.
    pub(crate) fn rhs(&self, row: usize) -> BigRational {
        BigRational::new(self.at(row, self.stride - 1).clone(), self.det.clone())
    }

    /// `at(k1, c1)/at(k1, col)` compared with `at(k2, c2)/at(k2, col)` (denominators positive).
    fn cmp_ratio(&self, k1: usize, k2: usize, num_col: usize, col: usize) -> Ordering {
        let l = self.at(k1, num_col) * self.at(k2, col);
        let r = self.at(k2, num_col) * self.at(k1, col);
        l.cmp(&r)
    }

    fn lex_filter(&self, cand: &mut Vec<usize>, num_col: usize, col: usize) {
        let mut best = cand[0];
        for &k in &cand[1..] {
            if self.cmp_ratio(k, best, num_col, col) == Ordering::Less {
                best = k;
            }
        }
        cand.retain(|&k| self.cmp_ratio(k, best, num_col, col) == Ordering::Equal);
    }
}

impl Tableau for IntTableau {
    fn vars(&self) -> usize {
        self.stride - 1
    }

    fn basis(&self) -> &[usize] {
        &self.basis
    }

    fn pivot(&mut self, row: usize, col: usize) {
        let s = self.stride;
        let p = self.data[row * s + col].clone();
        let prow: Vec<BigInt> = self.data[row * s..(row + 1) * s].to_vec();
        for k in 0..self.rows {
            if k == row {
                continue;
            }
            let f = self.data[k * s + col].clone();
            let chunk = &mut self.data[k * s..(k + 1) * s];
            for (t, r) in chunk.iter_mut().zip(&prow) {
                let v = &*t * &p - &f * r;
                *t = v / &self.det;
            }
        }
        self.det = p;
        // A negative pivot (moving to a given basis) leaves a negative determinant: negate
        // everything so `det > 0` again (the true tableau `data / det` is unchanged, and the
        // next fraction-free step still divides exactly).
        if self.det.is_negative() {
            self.det = -std::mem::take(&mut self.det);
            for v in &mut self.data {
                *v = -std::mem::take(v);
            }
        }
        self.basis[row] = col;
    }

    fn pivot_score(&self, row: usize, col: usize) -> f64 {
        if self.at(row, col).is_zero() {
            0.0
        } else {
            1.0
        }
    }

    fn lex_min_ratio(&self, col: usize) -> Option<usize> {
        let mut cand: Vec<usize> = (0..self.rows)
            .filter(|&k| self.at(k, col).is_positive())
            .collect();
        if cand.is_empty() {
            return None;
        }
        let rhs = self.stride - 1;
        for kc in std::iter::once(rhs).chain(self.lex_cols.iter().copied()) {
            if cand.len() == 1 {
                break;
            }
            self.lex_filter(&mut cand, kc, col);
        }
        Some(cand[0])
    }

    fn min_ratio_rows(&self, col: usize, _unsure: &mut bool, out: &mut Vec<usize>) {
        out.clear();
        out.extend((0..self.rows).filter(|&k| self.at(k, col).is_positive()));
        if !out.is_empty() {
            self.lex_filter(out, self.stride - 1, col);
        }
    }

    fn rhs_is_zero(&self, row: usize, _unsure: &mut bool) -> bool {
        self.at(row, self.stride - 1).is_zero()
    }
}

/// The exact basic solution of `side` for `basis` (any order), from integer payoffs, in
/// integer form: structural values `z[v] = num[v] / det` and slack values
/// `slack[k] / det`. `None` when the basis matrix is singular.
///
/// Only the square block (tight constraints × basic structural variables) is solved, by
/// fraction-free Gauss–Jordan elimination; slacks follow by substitution.
pub(crate) fn exact_basic_solution(
    side: Side,
    a: &[Vec<BigInt>],
    b: &[Vec<BigInt>],
    basis: &[usize],
) -> Option<ExactPoint> {
    let (m, n) = (a.len(), a[0].len());
    let (rows, structural) = layout(side, m, n);
    let basic_struct: Vec<usize> = basis
        .iter()
        .copied()
        .filter(|v| structural.contains(v))
        .collect();
    let tight: Vec<usize> = (0..rows)
        .filter(|&k| !basis.contains(&slack_var(side, m, k)))
        .collect();
    let d = basic_struct.len();
    if tight.len() != d {
        return None;
    }
    let mut num = vec![BigInt::zero(); structural.len()];
    let mut det = BigInt::one();
    if d > 0 {
        // Augmented d x (d+1) integer matrix.
        let mut mat: Vec<Vec<BigInt>> = tight
            .iter()
            .map(|&k| {
                let mut r: Vec<BigInt> = basic_struct
                    .iter()
                    .map(|&v| coeff(side, m, a, b, k, v))
                    .collect();
                r.push(BigInt::one());
                r
            })
            .collect();
        for c in 0..d {
            let pr = (c..d).find(|&r| !mat[r][c].is_zero())?;
            mat.swap(c, pr);
            let p = mat[c][c].clone();
            let prow = mat[c].clone();
            for (r, row) in mat.iter_mut().enumerate() {
                if r == c {
                    continue;
                }
                let f = row[c].clone();
                for (t, pv) in row.iter_mut().zip(&prow) {
                    let v = &*t * &p - &f * pv;
                    *t = v / &det;
                }
            }
            det = p;
        }
        // Now mat = det * I | det * z.
        let base = structural.start;
        for (c, &v) in basic_struct.iter().enumerate() {
            num[v - base] = mat[c][d].clone();
        }
    }
    let slack = (0..rows)
        .map(|k| {
            let mut s = det.clone();
            for (off, v) in structural.clone().enumerate() {
                if !num[off].is_zero() {
                    s -= coeff(side, m, a, b, k, v) * &num[off];
                }
            }
            s
        })
        .collect();
    Some(ExactPoint { num, slack, det })
}

/// An exact point of a best-response polytope in integer form (see
/// [`exact_basic_solution`]).
#[derive(Debug, Clone)]
pub(crate) struct ExactPoint {
    /// Structural values times `det`.
    pub num: Vec<BigInt>,
    /// Slack values times `det`.
    pub slack: Vec<BigInt>,
    /// Common denominator (non-zero, any sign).
    pub det: BigInt,
}

impl ExactPoint {
    /// Whether every structural and slack value is non-negative.
    pub(crate) fn feasible(&self) -> bool {
        let s = self.det.sign();
        self.num
            .iter()
            .chain(&self.slack)
            .all(|v| v.is_zero() || v.sign() == s)
    }

    /// Label bitmask: structural variables and slacks that are zero, numbered as in the tableau
    /// of `side` (structural first on P, slacks first on Q).
    pub(crate) fn labels(&self, side: Side, m: usize) -> u128 {
        let mut mask = 0u128;
        let (zs, ss) = match side {
            Side::P => (0, m),
            Side::Q => (m, 0),
        };
        for (i, v) in self.num.iter().enumerate() {
            if v.is_zero() {
                mask |= 1u128 << (zs + i);
            }
        }
        for (k, v) in self.slack.iter().enumerate() {
            if v.is_zero() {
                mask |= 1u128 << (ss + k);
            }
        }
        mask
    }

    /// The structural vector normalised to sum 1 (`None` at the origin).
    pub(crate) fn normalised(&self) -> Option<Vec<BigRational>> {
        let s: BigInt = self.num.iter().sum();
        if s.is_zero() {
            return None;
        }
        Some(
            self.num
                .iter()
                .map(|v| BigRational::new(v.clone(), s.clone()))
                .collect(),
        )
    }
}

/// Wraps a bimatrix profile as an [`super::Equilibrium`], its regret and payoffs computed by
/// [`crate::verify`], attaching `exact` when given.
pub(crate) fn bimatrix_equilibrium(
    g: &Bimatrix,
    x: Vec<f64>,
    y: Vec<f64>,
    exact: Option<Vec<Vec<BigRational>>>,
) -> Result<super::Equilibrium> {
    let regret = crate::verify::bimatrix_regret(g.a(), g.b(), &x, &y)?;
    let payoffs = crate::verify::bimatrix_payoffs(g.a(), g.b(), &x, &y).to_vec();
    Ok(super::Equilibrium {
        strategies: vec![x, y],
        payoffs,
        regret,
        exact,
    })
}

/// The regret threshold an equilibrium of `g` computed in floating point must meet.
pub(crate) fn regret_threshold(g: &Bimatrix) -> f64 {
    let scale = g
        .a()
        .iter()
        .chain(g.b().iter())
        .fold(0.0_f64, |s, v| s.max(v.abs()));
    crate::Tolerance::DEFAULT.threshold(scale.max(1.0)) * 10.0
}

/// Normalises a non-negative exact vector to sum 1 (`None` when it is zero).
pub(crate) fn normalise_exact(v: &[BigRational]) -> Option<Vec<BigRational>> {
    let s: BigRational = v.iter().cloned().sum();
    if !s.is_positive() {
        return None;
    }
    Some(v.iter().map(|z| z / &s).collect())
}

/// Float form of an exact vector.
pub(crate) fn to_f64(v: &[BigRational]) -> Vec<f64> {
    use num_traits::ToPrimitive;
    v.iter().map(|z| z.to_f64().unwrap_or(f64::NAN)).collect()
}
