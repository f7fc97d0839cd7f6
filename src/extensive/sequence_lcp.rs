//! Lemke's algorithm on the sequence-form LCP of a two-player tree (general sum).
//!
//! **The LCP.** Koller, Megiddo & von Stengel ("Efficient computation of equilibria for
//! extensive two-person games", *Games and Economic Behavior* 14 (1996) 247–259) write the
//! equilibria of a tree with perfect recall as the solutions of a linear complementarity
//! problem `w = q + M z ≥ 0, z ≥ 0, zᵀw = 0` whose size is linear in the tree:
//! `z = (x, y, u⁺, u⁻, v⁺, v⁻)` holds the two realisation plans and the split free duals, and
//! `M` is made of the sequence-form payoff matrices (one non-zero per pair of sequences that
//! reaches a leaf) and the plan constraints `E`, `F` (one non-zero per incidence of a sequence
//! and an information set). See `build` in the source for the exact layout.
//!
//! **Lemke's algorithm** (Lemke, "Bimatrix equilibrium points and mathematical programming",
//! *Management Science* 11 (1965) 681–689) adds an artificial variable `z₀` with a covering
//! vector `d` ([`Covering`]) and follows complementary pivots until `z₀` leaves the basis.
//! The leaving row is chosen by the lexicographic minimum-ratio rule over the rows of the basis
//! inverse `B⁻¹`, so degenerate trees (ties in payoffs, unreached subtrees) terminate.
//!
//! **Two ways to pivot** ([`Pivoting`]), taking the same pivots:
//! - a dense tableau `[B⁻¹ | B⁻¹(−M) | B⁻¹(−d) | B⁻¹q]` of `N × (2N + 2)` entries, the fastest
//!   for small trees (`N ≤` [`DENSE_MAX`], the crossover measured in instruction counts);
//! - revised pivoting: `M` is kept sparse by columns and `B⁻¹` in product form, as a file of
//!   eta columns that is rebuilt from the basic columns every 64 pivots (Dantzig &
//!   Orchard-Hays 1954; Chvátal, *Linear Programming*, 1983, ch. 24; see `product_form`). Each
//!   pivot transforms the entering column (FTRAN) and, when rows tie for the minimum ratio,
//!   the tied rows of `B⁻¹` (BTRAN). Memory is linear in the non-zeros of `M` and of the eta
//!   file: Leduc hold'em (`N = 1254`) needs a few megabytes where the dense tableau needs 25 MB,
//!   and a 13-rank Leduc (`N ≈ 22000`) would need 7.7 GB dense.
//!
//! **Arithmetic.** The LCP is built in exact rationals and rounded once to `f64`. The float
//! path's answer is certified on the tree ([`super::certify`]); if the certificate fails, the
//! final basis of the float path is re-solved in exact rationals (`B z_B = q`) and accepted
//! when it is feasible and complementary; only if that fails too is the whole path redone in
//! exact arithmetic (with the same choice of pivoting).

use super::product_form::{Columns, EtaFile, Field, SparseVec};
use super::sequence::SequenceForm;
use super::TreeEquilibrium;
use crate::error::{Error, Result};
use crate::game::tree::rational_to_f64;
use crate::game::GameTree;
use crate::noncoop::Arithmetic;
use crate::tolerance::Tolerance;
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use rand::{Rng, SeedableRng};

/// The covering vector `d` of Lemke's algorithm on the rows of the players' sequences (the rows
/// of the constraints `Ex = e`, `Fy = f` always use 1). Different covering vectors start
/// Lemke's path in different directions and can end at different equilibria.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Covering {
    /// `d = 1` on every row.
    #[default]
    Ones,
    /// Integers drawn uniformly from `1..=1000` by a seeded generator (reproducible).
    Random(u64),
    /// Given positive integers, one per sequence of player 1 then player 2.
    Vector(Vec<u64>),
}

/// Options of [`sequence_lcp_with`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SequenceLcpOptions {
    /// The covering vector.
    pub covering: Covering,
    /// Pivot cap; 0 means `10_000 + 100·N` for an LCP of dimension `N`.
    pub max_pivots: usize,
    /// Floating point with an exact redo (default), or exact throughout.
    pub arithmetic: Arithmetic,
    /// How the pivots are carried out (by default chosen by the size of the LCP).
    pub pivoting: Pivoting,
}

/// How Lemke's pivots are carried out. Both ways take the same pivots (the same lexicographic
/// rule on the same basis inverse) and so reach the same equilibrium; they differ in time and
/// memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pivoting {
    /// The dense tableau up to [`DENSE_MAX`] rows, revised pivoting above.
    #[default]
    Auto,
    /// A dense tableau of `N × (2N + 2)` entries: memory O(N²), each pivot O(N·k) for the `k`
    /// non-zeros of the pivot row. Fastest on small trees.
    Dense,
    /// Revised pivoting on the sparse LCP matrix with the basis inverse in product form
    /// (see the module documentation): memory linear in the non-zeros of the LCP and of the
    /// eta file.
    Revised,
}

/// The largest LCP dimension `N` that [`Pivoting::Auto`] pivots on a dense tableau.
pub const DENSE_MAX: usize = 150;

/// The LCP `w = q + M z + d z0 ≥ 0, z ≥ 0, zᵀw = 0` with `M` sparse by rows.
struct Lcp<T> {
    n: usize,
    /// Rows of `M`: `(column, value)`.
    m: Vec<Vec<(usize, T)>>,
    q: Vec<T>,
    d: Vec<T>,
    /// Sequence counts and constraint-row counts of the two players.
    n1: usize,
    n2: usize,
}

/// Builds the sequence-form LCP (Koller, Megiddo & von Stengel 1996, section 4):
/// `z = (x, y, u⁺, u⁻, v⁺, v⁻)` with the free duals `u = u⁻ − u⁺`, `v = v⁻ − v⁺`,
/// `w_x = Eᵀu − A'y`, `w_y = Fᵀv − B'ᵀx`, `w_{u±} = ±(Ex − e)`, `w_{v±} = ±(Fy − f)` (each
/// half of an equality is complementary to its own non-negative multiplier), where
/// `A'`, `B'` are the payoffs shifted so that every leaf pays at most −1 (a constant shift of
/// all leaves changes no equilibrium, since the leaves' reach probabilities sum to 1).
fn build<T: Field>(
    sf: &SequenceForm,
    entries: &[(usize, usize, T, T, T)],
    covering: &Covering,
) -> Result<Lcp<T>> {
    let [n1, n2] = sf.num_sequences;
    let e = sf.constraints(0);
    let f = sf.constraints(1);
    let (m1, m2) = (e.len(), f.len());
    let n = n1 + n2 + 2 * m1 + 2 * m2;
    let (ou, ov) = (n1 + n2, n1 + n2 + 2 * m1);
    let max = |k: usize| {
        entries
            .iter()
            .filter(|p| p.4 > T::zero())
            .map(|p| {
                if k == 0 {
                    p.2.clone() / p.4.clone()
                } else {
                    p.3.clone() / p.4.clone()
                }
            })
            .fold(None::<T>, |m, v| match m {
                Some(m) if m >= v => Some(m),
                _ => Some(v),
            })
            .unwrap_or_else(T::zero)
    };
    // Shift per leaf: u − (max + 1); entry-wise, a − (max + 1)·(chance mass of the pair).
    let (s1, s2) = (max(0) + T::one(), max(1) + T::one());
    let mut m: Vec<Vec<(usize, T)>> = vec![Vec::new(); n];
    for (s, t, a, b, c) in entries {
        let a = a.clone() - s1.clone() * c.clone();
        let b = b.clone() - s2.clone() * c.clone();
        if !a.is_zero() {
            m[*s].push((n1 + *t, -a));
        }
        if !b.is_zero() {
            m[n1 + *t].push((*s, -b));
        }
    }
    let one = T::one();
    for (k, row) in e.iter().enumerate() {
        for &(i, c) in row {
            let c = T::int(i64::from(c));
            m[i].push((ou + k, -c.clone()));
            m[i].push((ou + m1 + k, c.clone()));
            m[ou + k].push((i, c.clone()));
            m[ou + m1 + k].push((i, -c));
        }
    }
    for (k, row) in f.iter().enumerate() {
        for &(j, c) in row {
            let c = T::int(i64::from(c));
            m[n1 + j].push((ov + k, -c.clone()));
            m[n1 + j].push((ov + m2 + k, c.clone()));
            m[ov + k].push((n1 + j, c.clone()));
            m[ov + m2 + k].push((n1 + j, -c));
        }
    }
    let mut q = vec![T::zero(); n];
    q[ou] = -one.clone();
    q[ou + m1] = one.clone();
    q[ov] = -one.clone();
    q[ov + m2] = one.clone();
    let dx: Vec<u64> = match covering {
        Covering::Ones => vec![1; n1 + n2],
        Covering::Random(seed) => {
            let mut rng = rand::rngs::StdRng::seed_from_u64(*seed);
            (0..n1 + n2)
                .map(|_| rng.random_range(1..=1000u64))
                .collect()
        }
        Covering::Vector(v) => {
            if v.len() != n1 + n2 || v.contains(&0) {
                return Err(Error::invalid_argument(format!(
                    "the covering vector needs {} positive entries (one per sequence of each \
                     player), got {}",
                    n1 + n2,
                    v.len()
                )));
            }
            v.clone()
        }
    };
    let mut d: Vec<T> = dx
        .into_iter()
        .map(|x| T::int(i64::try_from(x).unwrap_or(i64::MAX)))
        .collect();
    d.resize(n, one);
    Ok(Lcp { n, m, q, d, n1, n2 })
}

impl Lcp<BigRational> {
    /// The same LCP with every entry rounded once to the nearest float.
    fn to_f64(&self) -> Lcp<f64> {
        let f = rational_to_f64;
        Lcp {
            n: self.n,
            m: self
                .m
                .iter()
                .map(|r| r.iter().map(|(j, v)| (*j, f(v))).collect())
                .collect(),
            q: self.q.iter().map(f).collect(),
            d: self.d.iter().map(f).collect(),
            n1: self.n1,
            n2: self.n2,
        }
    }
}

/// Why a pivoting run stopped without a solution.
enum Stop {
    Ray,
    Cap(usize),
    /// A reinversion found the basis singular to working precision (floating point only).
    Singular,
}

/// Where Lemke's path ended: the two realisation plans and the basic variables of the final
/// basis (indices into `(w, z)`, `w_i = i`, `z_j = N + j`).
struct Solution<T> {
    x: Vec<T>,
    y: Vec<T>,
    basis: Vec<usize>,
}

impl<T: Field> Solution<T> {
    /// Reads the plans off the basic values `values[r]` of `basis[r]`.
    fn read(lcp: &Lcp<T>, basis: Vec<usize>, values: impl Fn(usize) -> T) -> Self {
        let n = lcp.n;
        let mut z = vec![T::zero(); n];
        for (r, &b) in basis.iter().enumerate() {
            if (n..2 * n).contains(&b) {
                z[b - n] = values(r);
            }
        }
        let y = z[lcp.n1..lcp.n1 + lcp.n2].to_vec();
        z.truncate(lcp.n1);
        Solution { x: z, y, basis }
    }
}

/// Lemke's complementary pivoting (Lemke 1965) with the lexicographic minimum-ratio rule, on a
/// dense tableau over `T`.
fn lemke_dense<T: Field>(lcp: &Lcp<T>, cap: usize) -> std::result::Result<Solution<T>, Stop> {
    let n = lcp.n;
    let width = 2 * n + 2;
    let (z0, rhs) = (2 * n, 2 * n + 1);
    let mut tab = vec![T::zero(); n * width];
    for i in 0..n {
        let row = &mut tab[i * width..(i + 1) * width];
        row[i] = T::one();
        for (j, v) in &lcp.m[i] {
            row[n + j] = row[n + j].clone() - v.clone();
        }
        row[z0] = -lcp.d[i].clone();
        row[rhs] = lcp.q[i].clone();
    }
    let mut basis: Vec<usize> = (0..n).collect();
    let eps = T::eps();
    // z0 enters; the row with the largest −q_i/d_i leaves.
    let mut r = 0;
    let mut best: Option<T> = None;
    for i in 0..n {
        let qi = tab[i * width + rhs].clone();
        if qi < T::zero() {
            let ratio = -qi / lcp.d[i].clone();
            if best.as_ref().is_none_or(|b| ratio > *b) {
                best = Some(ratio);
                r = i;
            }
        }
    }
    pivot(&mut tab, width, n, r, z0, &mut PivotScratch::default());
    let mut leaving = basis[r];
    basis[r] = z0;
    let mut cand: Vec<usize> = Vec::with_capacity(n);
    let mut scratch = PivotScratch::default();
    for _ in 0..cap {
        // The complement of the variable that just left enters.
        let c = if leaving < n {
            leaving + n
        } else {
            leaving - n
        };
        // Minimum ratio over rows with a positive entry in column c.
        cand.clear();
        let mut min: Option<T> = None;
        for i in 0..n {
            let a = tab[i * width + c].clone();
            if a > eps {
                let ratio = tab[i * width + rhs].clone() / a;
                match &min {
                    None => {
                        min = Some(ratio);
                        cand.push(i);
                    }
                    Some(mv) => {
                        let diff = ratio.clone() - mv.clone();
                        if diff.abs() <= eps {
                            cand.push(i);
                        } else if ratio < *mv {
                            min = Some(ratio);
                            cand.clear();
                            cand.push(i);
                        }
                    }
                }
            }
        }
        if cand.is_empty() {
            return Err(Stop::Ray);
        }
        let r = if let Some(&i) = cand.iter().find(|&&i| basis[i] == z0) {
            i
        } else {
            // Lexicographic rule: among the tied rows keep those whose entry of the next
            // column of B⁻¹ (the w columns), divided by the pivot entry, is smallest.
            let mut k = 0;
            while cand.len() > 1 && k < n {
                let ratio = |i: usize| tab[i * width + k].clone() / tab[i * width + c].clone();
                let mut lo = ratio(cand[0]);
                for &i in &cand[1..] {
                    let v = ratio(i);
                    if v < lo {
                        lo = v;
                    }
                }
                cand.retain(|&i| (ratio(i) - lo.clone()).abs() <= eps);
                k += 1;
            }
            cand[0]
        };
        pivot(&mut tab, width, n, r, c, &mut scratch);
        leaving = basis[r];
        basis[r] = c;
        if leaving == z0 {
            return Ok(Solution::read(lcp, basis, |i| tab[i * width + rhs].clone()));
        }
    }
    Err(Stop::Cap(cap))
}

/// Buffers reused across pivots.
struct PivotScratch<T> {
    prow: Vec<T>,
    nz: Vec<usize>,
}

impl<T> Default for PivotScratch<T> {
    fn default() -> Self {
        PivotScratch {
            prow: Vec::new(),
            nz: Vec::new(),
        }
    }
}

/// Gauss–Jordan pivot on `(r, c)`, touching only the pivot row's non-zero columns.
fn pivot<T: Field>(
    tab: &mut [T],
    width: usize,
    n: usize,
    r: usize,
    c: usize,
    scratch: &mut PivotScratch<T>,
) {
    let p = tab[r * width + c].clone();
    for v in &mut tab[r * width..(r + 1) * width] {
        if !v.is_zero() {
            *v = v.clone() / p.clone();
        }
    }
    scratch.prow.clear();
    scratch
        .prow
        .extend_from_slice(&tab[r * width..(r + 1) * width]);
    scratch.nz.clear();
    scratch
        .nz
        .extend((0..width).filter(|&j| !scratch.prow[j].is_zero()));
    let (prow, nz) = (&scratch.prow, &scratch.nz);
    for i in 0..n {
        if i == r {
            continue;
        }
        let f = tab[i * width + c].clone();
        if f.is_zero() {
            continue;
        }
        let row = &mut tab[i * width..(i + 1) * width];
        for &j in nz {
            row[j] = row[j].clone() - f.clone() * prow[j].clone();
        }
        row[c] = T::zero();
    }
}

/// Pivots between two reinversions of the eta file in [`lemke_revised`].
const REINVERT_EVERY: usize = 64;

/// The columns `[I | −M | −d]` of the LCP in tableau form `w − M z − d z₀ = q`: variable
/// `w_i` is column `i`, `z_j` column `N + j`, `z₀` column `2N`.
fn lcp_columns<T: Field>(lcp: &Lcp<T>) -> Columns<T> {
    let n = lcp.n;
    let mut lists: Vec<Vec<(usize, T)>> = (0..n).map(|i| vec![(i, T::one())]).collect();
    lists.resize(2 * n + 1, Vec::new());
    for (i, row) in lcp.m.iter().enumerate() {
        for (j, v) in row {
            lists[n + j].push((i, -v.clone()));
        }
    }
    lists[2 * n] = lcp
        .d
        .iter()
        .enumerate()
        .map(|(i, v)| (i, -v.clone()))
        .collect();
    Columns::from_lists(lists)
}

/// [`lemke_dense`] in revised form: the LCP matrix stays sparse by columns and the basis
/// inverse is an eta file ([`EtaFile`], the product form of the inverse; Chvátal 1983,
/// ch. 24), reinverted every `reinvert_every` pivots ([`REINVERT_EVERY`] in use) or when the file has doubled since the
/// last reinversion. Each pivot transforms the entering column (FTRAN) for the ratio test and,
/// only when several rows tie for the minimum ratio, the tied rows of `B⁻¹` (one BTRAN each)
/// for the lexicographic rule, which compares exactly the entries the dense tableau keeps in
/// its `w` columns. In exact arithmetic both take the same pivots.
fn lemke_revised<T: Field>(
    lcp: &Lcp<T>,
    cap: usize,
    reinvert_every: usize,
) -> std::result::Result<Solution<T>, Stop> {
    let n = lcp.n;
    let cols = lcp_columns(lcp);
    let z0 = 2 * n;
    let eps = T::eps();
    let mut basis: Vec<usize> = (0..n).collect();
    let mut etas = EtaFile::new(n);
    let mut col = SparseVec::new(n);
    let mut work = SparseVec::new(n);
    let mut xb = lcp.q.clone();
    // z0 enters; the row with the largest −q_i/d_i leaves (the first such row, as the dense
    // tableau does).
    let mut r = 0;
    let mut best: Option<T> = None;
    for i in 0..n {
        if lcp.q[i] < T::zero() {
            let ratio = -lcp.q[i].clone() / lcp.d[i].clone();
            if best.as_ref().is_none_or(|b| ratio > *b) {
                best = Some(ratio);
                r = i;
            }
        }
    }
    col.load(&cols, z0);
    let mut leaving = pivot_revised(&mut etas, &mut xb, &mut basis, &col, r, z0);
    let mut since = 1;
    let mut limit = 2 * etas.nnz() + 4 * n;
    let mut rows: Vec<usize> = Vec::with_capacity(n);
    let mut cand: Vec<usize> = Vec::with_capacity(n);
    for _ in 0..cap {
        let c = if leaving < n {
            leaving + n
        } else {
            leaving - n
        };
        col.load(&cols, c);
        etas.ftran(&mut col);
        // Minimum ratio over rows with a positive entry, in row order as in the dense code.
        rows.clear();
        rows.extend(col.pattern().iter().copied().filter(|&i| *col.get(i) > eps));
        rows.sort_unstable();
        cand.clear();
        let mut min: Option<T> = None;
        for &i in &rows {
            let ratio = xb[i].clone() / col.get(i).clone();
            match &min {
                None => {
                    min = Some(ratio);
                    cand.push(i);
                }
                Some(mv) => {
                    let diff = ratio.clone() - mv.clone();
                    if diff.abs() <= eps {
                        cand.push(i);
                    } else if ratio < *mv {
                        min = Some(ratio);
                        cand.clear();
                        cand.push(i);
                    }
                }
            }
        }
        if cand.is_empty() {
            return Err(Stop::Ray);
        }
        let r = if cand.len() == 1 {
            cand[0]
        } else if let Some(&i) = cand.iter().find(|&&i| basis[i] == z0) {
            i
        } else {
            lex_min_row(&etas, &cand, &col, &mut work)
        };
        leaving = pivot_revised(&mut etas, &mut xb, &mut basis, &col, r, c);
        if leaving == z0 {
            return Ok(Solution::read(lcp, basis, |i| xb[i].clone()));
        }
        since += 1;
        if since >= reinvert_every || etas.nnz() > limit {
            etas.reinvert(&cols, &mut basis, &mut work)
                .map_err(|_| Stop::Singular)?;
            basic_values(&etas, &lcp.q, &mut work, &mut xb);
            since = 0;
            limit = 2 * etas.nnz() + 4 * n;
        }
    }
    Err(Stop::Cap(cap))
}

/// Pivots the transformed column `col` in at row `r` as variable `c`; returns the variable
/// that left.
fn pivot_revised<T: Field>(
    etas: &mut EtaFile<T>,
    xb: &mut [T],
    basis: &mut [usize],
    col: &SparseVec<T>,
    r: usize,
    c: usize,
) -> usize {
    let theta = xb[r].clone() / col.get(r).clone();
    for &i in col.pattern() {
        if i != r {
            xb[i] = xb[i].clone() - theta.clone() * col.get(i).clone();
        }
    }
    xb[r] = theta;
    etas.push(r, col);
    std::mem::replace(&mut basis[r], c)
}

/// `xb ← B⁻¹ q`.
fn basic_values<T: Field>(etas: &EtaFile<T>, q: &[T], work: &mut SparseVec<T>, xb: &mut [T]) {
    work.clear();
    for (i, v) in q.iter().enumerate() {
        if !v.is_zero() {
            work.set(i, v.clone());
        }
    }
    etas.ftran(work);
    for (i, x) in xb.iter_mut().enumerate() {
        *x = work.get(i).clone();
    }
}

/// The lexicographic minimum-ratio rule among the tied rows `cand` (at least two): the row
/// `i` whose row of `B⁻¹` divided by the pivot entry `col_i` is lexicographically smallest
/// (compared column by column up to [`Field::eps`], as the dense tableau does).
fn lex_min_row<T: Field>(
    etas: &EtaFile<T>,
    cand: &[usize],
    col: &SparseVec<T>,
    work: &mut SparseVec<T>,
) -> usize {
    let eps = T::eps();
    let rows: Vec<Vec<(usize, T)>> = cand
        .iter()
        .map(|&i| {
            work.clear();
            work.set(i, T::one());
            etas.btran(work);
            let a = col.get(i).clone();
            let mut v: Vec<(usize, T)> = work
                .pattern()
                .iter()
                .filter(|&&k| !work.get(k).is_zero())
                .map(|&k| (k, work.get(k).clone() / a.clone()))
                .collect();
            v.sort_unstable_by_key(|e| e.0);
            v
        })
        .collect();
    let mut alive: Vec<usize> = (0..cand.len()).collect();
    let mut cursor = vec![0usize; cand.len()];
    while alive.len() > 1 {
        // The next column in which some remaining row has an entry (all others are 0 there).
        let Some(k) = alive
            .iter()
            .filter_map(|&a| rows[a].get(cursor[a]).map(|e| e.0))
            .min()
        else {
            break;
        };
        let value = |a: usize| match rows[a].get(cursor[a]) {
            Some((j, v)) if *j == k => v.clone(),
            _ => T::zero(),
        };
        let mut lo = value(alive[0]);
        for &a in &alive[1..] {
            let v = value(a);
            if v < lo {
                lo = v;
            }
        }
        alive.retain(|&a| (value(a) - lo.clone()).abs() <= eps);
        for &a in &alive {
            if rows[a].get(cursor[a]).is_some_and(|e| e.0 == k) {
                cursor[a] += 1;
            }
        }
    }
    cand[alive[0]]
}

/// Re-solves a final basis of a float path exactly: `B z_B = q` in rationals, accepted when
/// `z_B ≥ 0`, `z₀` is not basic and no complementary pair is basic (then `(w, z)` solves the
/// LCP exactly). `None` when the basis is singular or the solution is infeasible.
fn exact_basis_solution(lcp: &Lcp<BigRational>, basis: &[usize]) -> Option<Solution<BigRational>> {
    let n = lcp.n;
    let mut basic = vec![false; 2 * n + 1];
    for &b in basis {
        if b > 2 * n || basic[b] {
            return None;
        }
        basic[b] = true;
    }
    if basic[2 * n] || (0..n).any(|i| basic[i] && basic[n + i]) {
        return None;
    }
    let cols = lcp_columns(lcp);
    let mut basis = basis.to_vec();
    let mut etas = EtaFile::new(n);
    let mut work = SparseVec::new(n);
    etas.reinvert(&cols, &mut basis, &mut work).ok()?;
    let mut xb = vec![BigRational::zero(); n];
    basic_values(&etas, &lcp.q, &mut work, &mut xb);
    if xb.iter().any(|v| v.is_negative()) {
        return None;
    }
    Some(Solution::read(lcp, basis, |r| xb[r].clone()))
}

/// One equilibrium of a two-player tree by Lemke's algorithm on the sequence-form LCP, with
/// the default options (covering vector of ones, floating point with an exact redo).
///
/// Koller, Megiddo & von Stengel, "Efficient computation of equilibria for extensive two-person
/// games", *Games and Economic Behavior* 14 (1996) 247–259: the equilibria of the tree are the
/// solutions of an LCP whose size is linear in the tree (the sequence form), and Lemke's
/// algorithm (Lemke 1965), with the lexicographic rule against degeneracy, finds one.
///
/// # Returns
/// An equilibrium in behaviour strategies (uniform at sets its own player never reaches),
/// certified on the tree by [`super::certify`]. When the float path fails verification (or
/// stops early), the path is redone in exact rational arithmetic and the result carries the
/// exact behaviour profile.
///
/// # Errors
/// [`Error::InvalidArgument`] unless the tree has two players; [`Error::InvalidGame`] without
/// perfect recall; [`Error::IterationLimit`] at the pivot cap; [`Error::Numerical`] if even the
/// exact path ends on a ray (the theory rules this out).
///
/// # Complexity
/// For an LCP of dimension `N = sequences + 2·(sets + 2)`: on the dense tableau (small trees)
/// each pivot is O(N²) and memory O(N²); with revised pivoting (above [`DENSE_MAX`]) each
/// pivot is linear in the size of the eta file and memory linear in the tree. The number of
/// pivots is a small multiple of `N` in practice and exponential in the worst case.
///
/// # Example
/// ```
/// use covenant::game::{GameTree, TreeSpec};
/// use covenant::extensive::sequence_lcp;
/// let t = GameTree::new(vec!["A".into(), "B".into()],
///     TreeSpec::decision(0, "a", vec![
///         ("Out", TreeSpec::leaf(&[1, 3])),
///         ("In", TreeSpec::decision(1, "b", vec![
///             ("Fight", TreeSpec::leaf(&[0, 0])),
///             ("Yield", TreeSpec::leaf(&[2, 1])),
///         ])),
///     ]))?;
/// let eq = sequence_lcp(&t)?;
/// assert!(eq.regret < 1e-9);
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn sequence_lcp(t: &GameTree) -> Result<TreeEquilibrium> {
    sequence_lcp_with(t, &SequenceLcpOptions::default())
}

/// [`sequence_lcp`] with options (covering vector, pivot cap, arithmetic).
///
/// # Errors
/// As [`sequence_lcp`], and [`Error::InvalidArgument`] for a covering vector of the wrong
/// length or with a zero entry.
pub fn sequence_lcp_with(t: &GameTree, opts: &SequenceLcpOptions) -> Result<TreeEquilibrium> {
    let sf = SequenceForm::new(t)?;
    // The LCP is built exactly and rounded once: building it in floating point (several
    // roundings per entry) sent the float path of Kuhn poker with 13 cards to a wrong
    // solution through near-ties, where the once-rounded entries do not.
    let exact = build(&sf, &sf.exact_payoffs(t), &opts.covering)?;
    let lcp = exact.to_f64();
    let cap = if opts.max_pivots == 0 {
        10_000 + 100 * lcp.n
    } else {
        opts.max_pivots
    };
    let scale = t
        .terminals()
        .flat_map(|z| t.payoffs(z).to_vec())
        .fold(1.0f64, |m, v| m.max(v.abs()));
    let dense = match opts.pivoting {
        Pivoting::Auto => lcp.n <= DENSE_MAX,
        Pivoting::Dense => true,
        Pivoting::Revised => false,
    };
    if opts.arithmetic == Arithmetic::FloatThenExact {
        let path = if dense {
            lemke_dense::<f64>(&lcp, cap)
        } else {
            lemke_revised::<f64>(&lcp, cap, REINVERT_EVERY)
        };
        if let Ok(sol) = path {
            let mut b: Vec<Vec<f64>> = t
                .infosets()
                .iter()
                .map(|s| vec![0.0; s.actions.len()])
                .collect();
            let eps = 1e-9;
            sf.behaviour_from_plan(0, &sol.x, &eps, &mut b);
            sf.behaviour_from_plan(1, &sol.y, &eps, &mut b);
            if let Ok(eq) = TreeEquilibrium::certify(t, b) {
                if eq.regret <= Tolerance::LP.threshold(scale) {
                    return Ok(eq);
                }
            }
            // The float path may have ended on the right basis with values spoilt by
            // round-off: re-solve that basis exactly before redoing the whole path.
            if let Some(sol) = exact_basis_solution(&exact, &sol.basis) {
                return exact_equilibrium(t, &sf, &sol);
            }
        }
    }
    let path = if dense {
        lemke_dense::<BigRational>(&exact, cap)
    } else {
        lemke_revised::<BigRational>(&exact, cap, REINVERT_EVERY)
    };
    match path {
        Ok(sol) => exact_equilibrium(t, &sf, &sol),
        Err(Stop::Cap(limit)) => Err(Error::IterationLimit {
            algorithm: "Lemke on the sequence form",
            limit,
        }),
        Err(Stop::Ray) => Err(Error::Numerical {
            context: "Lemke on the sequence form",
            message: "the exact path ended on a secondary ray".into(),
        }),
        Err(Stop::Singular) => Err(Error::Numerical {
            context: "Lemke on the sequence form",
            message: "the exact path reached a singular basis".into(),
        }),
    }
}

/// The behaviour profile of exact realisation plans, certified on the tree.
fn exact_equilibrium(
    t: &GameTree,
    sf: &SequenceForm,
    sol: &Solution<BigRational>,
) -> Result<TreeEquilibrium> {
    let mut b: Vec<Vec<BigRational>> = t
        .infosets()
        .iter()
        .map(|s| vec![BigRational::zero(); s.actions.len()])
        .collect();
    let zero = BigRational::zero();
    sf.behaviour_from_plan(0, &sol.x, &zero, &mut b);
    sf.behaviour_from_plan(1, &sol.y, &zero, &mut b);
    TreeEquilibrium::certify_exact(t, b)
}

/// Equilibria found by Lemke's algorithm from `runs` covering vectors: ones first, then
/// [`Covering::Random`] with seeds `seed`, `seed + 1`, …; duplicates (equal behaviour up to
/// [`Tolerance::REPORT`]) are dropped. Not a complete enumeration.
///
/// # Errors
/// As [`sequence_lcp_with`].
pub fn sequence_lcp_many(t: &GameTree, runs: usize, seed: u64) -> Result<Vec<TreeEquilibrium>> {
    let mut out: Vec<TreeEquilibrium> = Vec::new();
    for k in 0..runs {
        let covering = if k == 0 {
            Covering::Ones
        } else {
            Covering::Random(seed.wrapping_add(k as u64 - 1))
        };
        let eq = sequence_lcp_with(
            t,
            &SequenceLcpOptions {
                covering,
                ..Default::default()
            },
        )?;
        let same = |a: &TreeEquilibrium| {
            a.behaviour
                .iter()
                .flatten()
                .zip(eq.behaviour.iter().flatten())
                .all(|(x, y)| Tolerance::REPORT.eq(*x, *y))
        };
        if !out.iter().any(same) {
            out.push(eq);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_efg;
    use std::path::Path;

    fn kuhn() -> GameTree {
        read_efg(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models/games/kuhn_poker.efg"))
            .unwrap()
    }

    #[test]
    fn exact_re_solve_of_the_float_final_basis_is_the_exact_path_solution() {
        let t = kuhn();
        let sf = SequenceForm::new(&t).unwrap();
        let exact = build(&sf, &sf.exact_payoffs(&t), &Covering::Random(3)).unwrap();
        let float = lemke_revised::<f64>(&exact.to_f64(), 10_000, REINVERT_EVERY)
            .ok()
            .unwrap();
        let resolved = exact_basis_solution(&exact, &float.basis).unwrap();
        let path = lemke_dense::<BigRational>(&exact, 10_000).ok().unwrap();
        assert_eq!(resolved.x, path.x);
        assert_eq!(resolved.y, path.y);
        // Bases that are not complementary, or name a variable twice, are refused.
        let n = exact.n;
        let mut both = float.basis.clone();
        let complement = |v: usize| if v < n { v + n } else { v - n };
        let k = (1..n)
            .find(|&k| !float.basis.contains(&complement(float.basis[k])))
            .unwrap();
        both[0] = complement(float.basis[k]);
        assert!(exact_basis_solution(&exact, &both).is_none());
        let mut twice = float.basis.clone();
        twice[0] = twice[1];
        assert!(exact_basis_solution(&exact, &twice).is_none());
    }

    #[test]
    fn revised_path_with_frequent_reinversion_matches_the_dense_path() {
        // Reinverting every 3 pivots reorders the rows of the basis again and again; the
        // lexicographic rule does not depend on that order, so the exact paths agree, and the
        // float path with the same reinversions ends at the same plans.
        let t = kuhn();
        let sf = SequenceForm::new(&t).unwrap();
        for seed in 0..4 {
            let exact = build(&sf, &sf.exact_payoffs(&t), &Covering::Random(seed)).unwrap();
            let d = lemke_dense::<BigRational>(&exact, 10_000).ok().unwrap();
            let r = lemke_revised::<BigRational>(&exact, 10_000, 3)
                .ok()
                .unwrap();
            let f = lemke_revised::<f64>(&exact.to_f64(), 10_000, 3)
                .ok()
                .unwrap();
            for (a, b) in d.x.iter().chain(&d.y).zip(f.x.iter().chain(&f.y)) {
                assert!((rational_to_f64(a) - b).abs() < 1e-9, "seed {seed}");
            }
            assert_eq!((d.x, d.y), (r.x, r.y), "seed {seed}");
        }
    }
}
