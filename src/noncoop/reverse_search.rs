//! The vertices of a nondegenerate best-response polytope by reverse search, with the point of
//! the other polytope that has the complementary labels carried along in a second tableau.
//!
//! This is the fast path of [`super::vertex_enumeration`]: no set of visited bases and no
//! solve per vertex. It gives up (and the caller falls back to its general search) as soon as
//! the polytope turns out to be degenerate, a floating-point decision is too close to call, or
//! a complementary system is singular; it never guesses.

use super::tableau::{
    coeff, layout, move_to, slack_var, IntTableau, Side, Tableau, FLOAT_GREY, FLOAT_ZERO,
};
use num_bigint::BigInt;
use num_traits::{Signed, Zero};
use std::cmp::Ordering;

/// A lockstep pivot of the complementary tableau whose element is smaller than this fraction
/// of the largest entry of its column is not taken: the tableau is rebuilt from its origin with
/// partial pivoting instead, so rounding cannot build up through badly conditioned pivots.
const PARTNER_PIVOT_REL: f64 = 1e-3;

/// Every this many levels of the search tree, the tableaux are rebuilt from the origin with
/// partial pivoting rather than pivoted from their parent: rounding then builds up over at
/// most this many pivots, however deep the tree (Dantzig's rule keeps the tree shallow, about
/// 20 levels on random 20x20 games, where Bland's rule went thousands deep).
const REFRESH_DEPTH: usize = 16;

/// A rebuilt complementary system whose best pivot (partial pivoting) is below this is singular.
const PARTNER_SINGULAR: f64 = 1e-12;

/// A vertex whose complementary point may be feasible (its float values are nowhere clearly
/// negative): `labels` are the vertex's labels (its nonbasic variables) and `basis` the mask of
/// its basic variables; the complementary basis is `labels` itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub labels: u128,
    pub basis: u128,
}

/// Result of [`reverse_search`].
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The search ran (`complete`: to the end, else it stopped at the cap).
    Done {
        /// Nondegenerate vertices whose partner may be feasible.
        candidates: Vec<Candidate>,
        /// Degenerate vertices (more labels than the dimension), each once, with one of their
        /// bases: their partners are for the caller to find.
        degenerate: Vec<Candidate>,
        complete: bool,
        /// Number of (lexicographically feasible) bases visited.
        visited: usize,
    },
    /// Degenerate polytope, a decision too close to call, or a singular complementary system:
    /// the general search must decide.
    GiveUp,
}

/// A dense tableau in compact form, `basis[k] + Σ_c data[k][c]·nonbasic[c] = rhs[k]` (the
/// right-hand side in column `width - 1`), with optional extra rows below the constraint rows
/// that are pivoted along but never pivoted on (the objective row).
#[derive(Debug, Clone)]
struct Dense {
    /// Constraint rows.
    rows: usize,
    width: usize,
    stride: usize,
    data: Vec<f64>,
    basis: Vec<usize>,
    nonbasic: Vec<usize>,
    /// Masks of `basis` and `nonbasic`, kept up to date by the pivots.
    basis_bits: u128,
    nonbasic_bits: u128,
}

impl Dense {
    /// The origin tableau of `side` (all slacks basic), with the objective row of
    /// [`objective_weight`] when `objective` is set.
    fn origin(side: Side, a: &[Vec<f64>], b: &[Vec<f64>], objective: bool) -> Self {
        let (m, n) = (a.len(), a[0].len());
        let (rows, structural) = layout(side, m, n);
        let nonbasic: Vec<usize> = structural.collect();
        let width = nonbasic.len() + 1;
        let stride = width.div_ceil(4) * 4;
        let all_rows = rows + usize::from(objective);
        let mut data = vec![0.0; all_rows * stride];
        for k in 0..rows {
            for (c, &v) in nonbasic.iter().enumerate() {
                data[k * stride + c] = coeff(side, m, a, b, k, v);
            }
            data[k * stride + width - 1] = 1.0;
        }
        if objective {
            // Maximising -Σ w_c x_c: the stored row is minus the reduced costs, +w_c at the
            // origin (the unique optimum).
            for c in 0..width - 1 {
                data[rows * stride + c] = objective_weight(c);
            }
        }
        let basis: Vec<usize> = (0..rows).map(|k| slack_var(side, m, k)).collect();
        Dense {
            rows,
            width,
            stride,
            data,
            basis_bits: basis.iter().fold(0, |k, &v| k | 1u128 << v),
            nonbasic_bits: nonbasic.iter().fold(0, |k, &v| k | 1u128 << v),
            basis,
            nonbasic,
        }
    }

    #[inline]
    fn at(&self, row: usize, col: usize) -> f64 {
        self.data[row * self.stride + col]
    }

    #[inline]
    fn rhs(&self, row: usize) -> f64 {
        self.at(row, self.width - 1)
    }

    #[inline]
    fn nonbasic_mask(&self) -> u128 {
        self.nonbasic_bits
    }

    #[inline]
    fn basis_mask(&self) -> u128 {
        self.basis_bits
    }

    /// Writes into `dst` this tableau pivoted on `(r, q)` (the variable of compact column `q`
    /// enters in row `r`, the leaving variable takes column `q`). `v` is working space.
    #[inline(always)]
    fn pivot_into<const FMA: bool>(&self, dst: &mut Dense, r: usize, q: usize, v: &mut Vec<f64>) {
        let w = self.stride;
        dst.basis.clone_from(&self.basis);
        dst.nonbasic.clone_from(&self.nonbasic);
        let (leaving, entering) = (self.basis[r], self.nonbasic[q]);
        dst.basis[r] = entering;
        dst.nonbasic[q] = leaving;
        let swap = 1u128 << leaving | 1u128 << entering;
        dst.basis_bits = self.basis_bits ^ swap;
        dst.nonbasic_bits = self.nonbasic_bits ^ swap;
        let inv = 1.0 / self.data[r * w + q];
        v.clear();
        v.extend(self.data[r * w..(r + 1) * w].iter().map(|&x| x * inv));
        // With v[q] = 1 + 1/p, row_k - f·v leaves -f/p in column q: the leaving variable's
        // entry in the new tableau.
        v[q] = 1.0 + inv;
        // The row length as a constant for the common sizes, so the pivot row stays in
        // registers and every row is a fixed run of four-lane multiply-adds.
        let (src, out) = (&self.data[..], &mut dst.data[..]);
        match w / 4 {
            1 => update_rows::<1, FMA>(src, out, v, w, r, q, inv),
            2 => update_rows::<2, FMA>(src, out, v, w, r, q, inv),
            3 => update_rows::<3, FMA>(src, out, v, w, r, q, inv),
            4 => update_rows::<4, FMA>(src, out, v, w, r, q, inv),
            5 => update_rows::<5, FMA>(src, out, v, w, r, q, inv),
            6 => update_rows::<6, FMA>(src, out, v, w, r, q, inv),
            7 => update_rows::<7, FMA>(src, out, v, w, r, q, inv),
            8 => update_rows::<8, FMA>(src, out, v, w, r, q, inv),
            _ => update_rows_any::<FMA>(src, out, v, w, r, q, inv),
        }
    }

    /// Rebuilds this tableau at the basis `target` from the origin tableau `origin` by
    /// Gauss–Jordan elimination with partial pivoting; `false` when the basis is singular.
    #[inline(always)]
    fn rebuild<const FMA: bool>(&mut self, origin: &Dense, target: u128, v: &mut Vec<f64>) -> bool {
        let mut cur = origin.clone();
        let mut next = origin.clone();
        let mut entering = target & !cur.basis_mask();
        while entering != 0 {
            let var = entering.trailing_zeros() as usize;
            entering &= entering - 1;
            let Some(q) = cur.nonbasic.iter().position(|&x| x == var) else {
                return false;
            };
            let mut best = (0.0, usize::MAX);
            for (k, &bv) in cur.basis.iter().enumerate() {
                if target >> bv & 1 == 0 {
                    let e = cur.at(k, q).abs();
                    if e > best.0 {
                        best = (e, k);
                    }
                }
            }
            if best.1 == usize::MAX || best.0 <= PARTNER_SINGULAR {
                return false;
            }
            cur.pivot_into::<FMA>(&mut next, best.1, q, v);
            std::mem::swap(&mut cur, &mut next);
        }
        *self = cur;
        true
    }
}

/// The rank-one update of [`Dense::pivot_into`] for rows of `4·G` entries (`w = 4·G`): row `r`
/// becomes `v` with `inv` in column `q`, every other row `k` becomes `row_k − row_k[q]·v`. With
/// `FMA` (only ever set by [`search_avx2_fma`], after the run-time check) the pivot row is held
/// in `G` AVX registers and every row is `G` fused multiply-adds.
// The AVX2 call is sound: `FMA` is only set on the path entered after the feature check.
#[allow(unsafe_code)]
#[inline(always)]
fn update_rows<const G: usize, const FMA: bool>(
    src: &[f64],
    out: &mut [f64],
    v: &[f64],
    w: usize,
    r: usize,
    q: usize,
    inv: f64,
) {
    #[cfg(target_arch = "x86_64")]
    if FMA {
        // SAFETY: `FMA` is set only inside `search_avx2_fma`, which runs after the CPU was
        // found to support AVX2 and FMA.
        unsafe { update_rows_avx2::<G>(src, out, v, w, r, q, inv) };
        return;
    }
    update_rows_any::<false>(src, out, v, w, r, q, inv);
}

/// [`update_rows`] with AVX2 and FMA intrinsics.
#[cfg(target_arch = "x86_64")]
// Raw-pointer loads and stores of 4 doubles: every row slice has `w = 4·G` entries (asserted).
#[allow(unsafe_code)]
#[target_feature(enable = "avx2,fma")]
fn update_rows_avx2<const G: usize>(
    src: &[f64],
    out: &mut [f64],
    v: &[f64],
    w: usize,
    r: usize,
    q: usize,
    inv: f64,
) {
    use std::arch::x86_64::{
        __m256d, _mm256_fmadd_pd, _mm256_loadu_pd, _mm256_set1_pd, _mm256_storeu_pd,
    };
    assert!(w == 4 * G && v.len() == w && src.len() == out.len() && q < w);
    // SAFETY: `v` has `4·G` entries (asserted above).
    let pv: [__m256d; G] =
        std::array::from_fn(|g| unsafe { _mm256_loadu_pd(v.as_ptr().add(4 * g)) });
    for (k, (s, o)) in src.chunks_exact(w).zip(out.chunks_exact_mut(w)).enumerate() {
        if k == r {
            o.copy_from_slice(v);
            o[q] = inv;
            continue;
        }
        let nf = _mm256_set1_pd(-s[q]);
        let (sp, op) = (s.as_ptr(), o.as_mut_ptr());
        for (g, &p) in pv.iter().enumerate() {
            // SAFETY: `s` and `o` have `w = 4·G` entries and `g < G`.
            unsafe {
                let x = _mm256_loadu_pd(sp.add(4 * g));
                _mm256_storeu_pd(op.add(4 * g), _mm256_fmadd_pd(nf, p, x));
            }
        }
    }
}

/// [`update_rows`] for any row length.
#[inline(always)]
fn update_rows_any<const FMA: bool>(
    src: &[f64],
    out: &mut [f64],
    v: &[f64],
    w: usize,
    r: usize,
    q: usize,
    inv: f64,
) {
    for (k, (s, o)) in src.chunks_exact(w).zip(out.chunks_exact_mut(w)).enumerate() {
        if k == r {
            o.copy_from_slice(v);
            o[q] = inv;
            continue;
        }
        let nf = -s[q];
        for ((o, &s), &p) in o.iter_mut().zip(s).zip(v) {
            *o = if FMA { nf.mul_add(p, s) } else { s + nf * p };
        }
    }
}

/// The objective weight of the `c`-th structural variable, in `[1, 2)`: distinct weights
/// spread by the golden ratio, so that no edge of a polytope with integer-like data is
/// parallel to the objective's level sets (`Σ x` would be, along every edge that trades two
/// equal payoffs) and reduced costs stay clear of zero.
fn objective_weight(c: usize) -> f64 {
    1.0 + ((c + 1) as f64 * 0.618_033_988_749_894_9).fract()
}

/// One node of the reverse-search tree: the basis's tableau, its complementary tableau, and
/// the pivots to its children not yet taken.
#[derive(Debug, Clone)]
struct Level {
    own: Dense,
    partner: Dense,
    /// Whether `partner` holds the complementary basis (it is singular otherwise).
    partner_ok: bool,
    /// `(compact column, row)` of each child pivot.
    children: Vec<(usize, usize)>,
    next: usize,
}

/// Working space of the ratio scan.
#[derive(Debug, Default)]
struct Scan {
    /// Largest `entry / rhs` over rows with a positive entry and a positive right-hand side
    /// (the inverse of the minimum ratio), per column.
    best: Vec<f64>,
    /// Second largest.
    second: Vec<f64>,
    /// Row attaining `best`, as f64 (kept in the same lanes as `best`).
    arg: Vec<f64>,
    /// `1 / rhs` per row, 0 for rows whose right-hand side is zero.
    inv_rhs: Vec<f64>,
    /// Rows whose right-hand side is zero.
    zero_rows: Vec<usize>,
    /// Rows tied for a minimum ratio.
    tied: Vec<usize>,
}

/// Why the search stops early.
enum Stop {
    GiveUp,
    Cap,
}

/// Visits every vertex of the best-response polytope of `side` by lexicographic reverse
/// search (Avis & Fukuda, "A pivoting algorithm for convex hulls and vertex enumeration of
/// arrangements and polyhedra", Discrete Comput. Geom. 8, 1992; the lexicographic rule as in
/// Avis's lrs), as lrsnash does for one of the two polytopes (Avis, Rosenberg, Savani & von
/// Stengel, "Enumeration of Nash equilibria for two-player games", Economic Theory 42, 2010).
///
/// The search runs over the lexicographically feasible bases, the vertices of the polytope
/// with its right-hand side perturbed symbolically (`1 + ε^k` in row `k`), which is simple:
/// every vertex of the polytope is reached through at least one of its bases. The tree: the
/// origin is the unique optimum of `max -Σ w_c z_c` (`z` the structural variables, `w` the
/// weights of [`objective_weight`]); the parent of
/// any other basis is the one reached by the simplex pivot with Dantzig's rule (most
/// improving variable entering, ties to the smaller-numbered; lexicographic minimum ratio
/// leaving). A basis's children are
/// found from its own tableau alone (ratio test, then one look at the objective row), so
/// nothing is stored but the path from the root: one tableau per level, each obtained from
/// its parent by one pivot, so rounding grows with the depth and not with the number of
/// vertices.
///
/// At a nondegenerate vertex with labels `L`, the only candidate partner is the point of the
/// other polytope whose basis is `L` (its labels are then the complement of `L`). Neighbouring
/// bases differ by one nonbasic variable, so that partner tableau moves by one pivot too, in
/// lockstep (rebuilt with partial pivoting when the lockstep pivot is small). The partner is
/// reported when none of its basic values is clearly negative; the caller certifies it
/// exactly. Degenerate vertices are reported once each, for the caller to match.
///
/// A basis where a decision (a basic value, a ratio comparison, an objective coefficient's
/// sign) is within [`FLOAT_GREY`] of changing is decided exactly instead ([`Oracle`]), so every
/// basis's children are those of the exact tree. Gives up when a nondegenerate vertex's
/// partner system is singular.
///
/// `a`, `b` are the scaled payoffs (entries in `(0, 1]`); at most `max_bases` bases are
/// visited; `progress` is called at every basis with the number of its children.
///
/// On x86-64 processors with AVX2 and FMA (checked at run time) the search is compiled for
/// them: the pivots and the ratio scan then run four lanes wide with fused multiply-adds.
// Calling a `#[target_feature]` function is unsafe: justified by the run-time feature check.
#[allow(unsafe_code)]
pub(crate) fn reverse_search(
    side: Side,
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    ai: &[Vec<BigInt>],
    bi: &[Vec<BigInt>],
    max_bases: usize,
    progress: impl FnMut(usize),
) -> Outcome {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA (checked at run time just above).
            return unsafe { search_avx2_fma(side, a, b, ai, bi, max_bases, progress) };
        }
    }
    search::<false>(side, a, b, ai, bi, max_bases, progress)
}

/// [`search`] compiled for AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn search_avx2_fma(
    side: Side,
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    ai: &[Vec<BigInt>],
    bi: &[Vec<BigInt>],
    max_bases: usize,
    progress: impl FnMut(usize),
) -> Outcome {
    search::<true>(side, a, b, ai, bi, max_bases, progress)
}

/// The body of [`reverse_search`]; `FMA`: pivot with fused multiply-adds.
#[inline(always)]
fn search<const FMA: bool>(
    side: Side,
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    ai: &[Vec<BigInt>],
    bi: &[Vec<BigInt>],
    max_bases: usize,
    mut progress: impl FnMut(usize),
) -> Outcome {
    let (m, n) = (a.len(), a[0].len());
    let other = match side {
        Side::P => Side::Q,
        Side::Q => Side::P,
    };
    let own0 = Dense::origin(side, a, b, true);
    let partner0 = Dense::origin(other, a, b, false);
    let own_zero = own0.nonbasic_mask();
    let other_zero = partner0.nonbasic_mask();
    // The lexicographic order: the initial slacks in row order (their columns form the basis
    // inverse).
    let lex: Vec<usize> = own0.basis.clone();
    let oracle = Oracle::new(side, ai, bi);
    let _ = (m, n);
    let mut levels = vec![Level {
        own: own0.clone(),
        partner: partner0.clone(),
        partner_ok: true,
        children: Vec::new(),
        next: 0,
    }];
    let mut scan = Scan::default();
    let mut v = Vec::new();
    let mut candidates = Vec::new();
    let mut degenerate = Vec::new();
    let mut degenerate_seen: std::collections::HashSet<u128> = Default::default();
    let mut visited = 0usize;
    let mut depth = 0usize;
    let stop = 'search: {
        // Arrived at the basis of `levels[depth]`.
        loop {
            if visited >= max_bases {
                break 'search Some(Stop::Cap);
            }
            visited += 1;
            let lv = &mut levels[depth];
            let decided = children(&lv.own, &lex, &mut scan, &mut lv.children)
                .or_else(|| oracle.children(&lv.own, &mut lv.children));
            let Some(zero) = decided else {
                break 'search Some(Stop::GiveUp);
            };
            let labels = lv.own.nonbasic_mask() | zero;
            if labels & own_zero != own_zero && labels & other_zero != 0 {
                if zero != 0 {
                    if degenerate_seen.insert(labels) {
                        degenerate.push(Candidate {
                            labels,
                            basis: lv.own.basis_mask(),
                        });
                    }
                } else {
                    if !lv.partner_ok {
                        break 'search Some(Stop::GiveUp);
                    }
                    let p = &lv.partner;
                    if (0..p.rows).all(|k| p.rhs(k) >= -FLOAT_GREY) {
                        candidates.push(Candidate {
                            labels,
                            basis: lv.own.basis_mask(),
                        });
                    }
                }
            }
            lv.next = 0;
            progress(lv.children.len());
            // Next unexplored child, climbing up as needed.
            loop {
                let lv = &mut levels[depth];
                if let Some(&(q, r)) = lv.children.get(lv.next) {
                    lv.next += 1;
                    if levels.len() == depth + 1 {
                        let copy = levels[depth].clone();
                        levels.push(copy);
                    }
                    let (up, down) = levels.split_at_mut(depth + 1);
                    let refresh = (depth + 1).is_multiple_of(REFRESH_DEPTH);
                    if !descend::<FMA>(
                        &up[depth],
                        &mut down[0],
                        (q, r),
                        (&own0, &partner0),
                        refresh,
                        &mut v,
                    ) {
                        break 'search Some(Stop::GiveUp);
                    }
                    depth += 1;
                    break;
                }
                if depth == 0 {
                    break 'search None;
                }
                depth -= 1;
            }
        }
    };
    match stop {
        Some(Stop::GiveUp) => Outcome::GiveUp,
        Some(Stop::Cap) => Outcome::Done {
            candidates,
            degenerate,
            complete: false,
            visited,
        },
        None => Outcome::Done {
            candidates,
            degenerate,
            complete: true,
            visited,
        },
    }
}

/// Pivots `parent` on `(r, q)` into `child`, moving the partner tableau in lockstep (the own
/// entering variable leaves the partner basis, the own leaving variable enters it); the
/// child's partner is marked singular when that basis is.
#[inline(always)]
fn descend<const FMA: bool>(
    parent: &Level,
    child: &mut Level,
    (q, r): (usize, usize),
    origins: (&Dense, &Dense),
    refresh: bool,
    v: &mut Vec<f64>,
) -> bool {
    let (own0, partner0) = origins;
    parent.own.pivot_into::<FMA>(&mut child.own, r, q, v);
    if refresh {
        let target = child.own.basis_mask();
        if !child.own.rebuild::<FMA>(own0, target, v) {
            return false;
        }
    }
    let (entering, leaving) = (parent.own.nonbasic[q], parent.own.basis[r]);
    if parent.partner_ok && !refresh {
        let p = &parent.partner;
        let pr = p.basis.iter().position(|&x| x == entering);
        let pc = p.nonbasic.iter().position(|&x| x == leaving);
        if let (Some(pr), Some(pc)) = (pr, pc) {
            let e = p.at(pr, pc).abs();
            let col_max = (0..p.rows).fold(0.0_f64, |s, k| s.max(p.at(k, pc).abs()));
            if e > PARTNER_SINGULAR && e >= PARTNER_PIVOT_REL * col_max {
                p.pivot_into::<FMA>(&mut child.partner, pr, pc, v);
                child.partner_ok = true;
                return true;
            }
        }
    }
    let target = child.own.nonbasic_mask();
    child.partner_ok = child.partner.rebuild::<FMA>(partner0, target, v);
    true
}

/// Compares `x` with the minimum `best` of a set of ratios: `Some(true)` when tied within
/// [`FLOAT_ZERO`], `Some(false)` when clearly above, `None` when too close to call.
#[inline]
fn tied(x: f64, best: f64) -> Option<bool> {
    let scale = 1.0 + best.abs();
    if x <= best + FLOAT_ZERO * scale {
        Some(true)
    } else if x <= best + FLOAT_GREY * scale {
        None
    } else {
        Some(false)
    }
}

/// Breaks a tie among the rows `cand` (at least two) for entering compact column `q` by the
/// lexicographic rule: compare `column(s) / entry` for the initial slacks `s` in order. `None`
/// when a comparison is too close to call.
fn lex_break(t: &Dense, q: usize, lex: &[usize], cand: &mut Vec<usize>) -> Option<usize> {
    for &s in lex {
        if cand.len() == 1 {
            break;
        }
        let pos = t.nonbasic.iter().position(|&x| x == s);
        let entry = |k: usize| match pos {
            Some(c) => t.at(k, c),
            None => f64::from(u8::from(t.basis[k] == s)),
        };
        let ratio = |k: usize| entry(k) / t.at(k, q);
        let best = cand.iter().map(|&k| ratio(k)).fold(f64::INFINITY, f64::min);
        let mut keep = Vec::with_capacity(cand.len());
        for &k in cand.iter() {
            if tied(ratio(k), best)? {
                keep.push(k);
            }
        }
        *cand = keep;
    }
    (cand.len() == 1).then(|| cand[0])
}

/// The child pivots of the basis of `t` (see [`reverse_search`]), written to `out`. Returns
/// the mask of the basic variables that are zero (nonzero at a degenerate vertex), or `None`
/// when a decision is too close to call.
#[inline(always)]
fn children(
    t: &Dense,
    lex: &[usize],
    scan: &mut Scan,
    out: &mut Vec<(usize, usize)>,
) -> Option<u128> {
    out.clear();
    let (rows, w, nb) = (t.rows, t.stride, t.width - 1);
    scan.inv_rhs.clear();
    scan.zero_rows.clear();
    let mut zero = 0u128;
    let mut min_pos = f64::INFINITY;
    for k in 0..rows {
        let r = t.rhs(k);
        if r.abs() <= FLOAT_ZERO {
            zero |= 1u128 << t.basis[k];
            scan.zero_rows.push(k);
            scan.inv_rhs.push(0.0);
        } else if r > FLOAT_GREY {
            min_pos = min_pos.min(r);
            scan.inv_rhs.push(1.0 / r);
        } else {
            // Too close to zero to call (or negative: rounding gone wrong).
            return None;
        }
    }
    // Whole groups of four columns (the stride is a multiple of four), so the loop below runs
    // in vector lanes without a remainder; lanes past the last column are never read.
    let nbp = nb.div_ceil(4) * 4;
    scan.best.clear();
    scan.best.resize(nbp, 0.0);
    scan.second.clear();
    scan.second.resize(nbp, 0.0);
    scan.arg.clear();
    scan.arg.resize(nbp, 0.0);
    // Minimum ratio rhs/e over positive entries and positive right-hand sides = the maximum
    // of e/rhs, one multiplication per entry; rows are streamed, columns run in lanes. Zero
    // rows would give 0 everywhere, which changes nothing: they are skipped.
    let (best, second, arg) = (
        &mut scan.best[..nbp],
        &mut scan.second[..nbp],
        &mut scan.arg[..nbp],
    );
    for (k, &ir) in scan.inv_rhs.iter().enumerate() {
        if ir == 0.0 {
            continue;
        }
        let row = &t.data[k * w..k * w + nbp];
        let kf = k as f64;
        for j in 0..nbp {
            let e = row[j];
            let x = if e > FLOAT_ZERO { e * ir } else { 0.0 };
            let (b, s) = (best[j], second[j]);
            let better = x > b;
            second[j] = if better {
                b
            } else if x > s {
                x
            } else {
                s
            };
            arg[j] = if better { kf } else { arg[j] };
            best[j] = if better { x } else { b };
        }
    }
    let z = &t.data[rows * w..rows * w + nb];
    let degenerate = !scan.zero_rows.is_empty();
    let mut max_ratio = 0.0_f64;
    for (q, &zq) in z.iter().enumerate() {
        if zq.abs() <= FLOAT_GREY {
            return None;
        }
        // Improving here: the neighbour is better, not a child, and nothing of this column's
        // ratio test is used, unless the basis is degenerate: then the ratio test still runs,
        // as the entries of its zero rows decide the labels' doubt.
        if zq < 0.0 && !degenerate {
            continue;
        }
        let r = leaving_row(t, q, lex, scan)?;
        if let Some(r) = r {
            max_ratio = max_ratio.max(t.rhs(r) / t.at(r, q));
        }
        if zq < 0.0 {
            continue;
        }
        let Some(r) = r else {
            // No positive entry: an unbounded edge, impossible in a polytope (rounding).
            return None;
        };
        // The neighbour has this basis as its parent when the leaving variable is the most
        // improving there (Dantzig's rule; it is improving: zq > 0), ties going to the
        // smaller-numbered variable.
        let ratio = zq / t.at(r, q);
        let zl = -ratio;
        let grey = FLOAT_GREY * (1.0 + ratio);
        let mut is_child = true;
        let row_r = &t.data[r * w..r * w + nb];
        for (c, (&zc, &e)) in z.iter().zip(row_r).enumerate() {
            if c == q {
                continue;
            }
            let d = zc - ratio * e - zl;
            if d > grey {
                continue;
            }
            if d < -grey {
                is_child = false;
                break;
            }
            return None;
        }
        if is_child {
            out.push((q, r));
        }
    }
    // An entry treated as zero (or one of doubtful sign) could only change a positive-ratio
    // decision if its ratio came near a minimum, which needs a right-hand side of order
    // FLOAT_GREY · max ratio. (Zero rows were checked in `leaving_row`.)
    if min_pos <= (max_ratio + 1.0) * FLOAT_GREY {
        for k in 0..rows {
            let rk = t.rhs(k);
            if rk.abs() <= FLOAT_ZERO {
                continue;
            }
            for c in 0..nb {
                let e = t.at(k, c).abs();
                if e > FLOAT_ZERO * 1e-3 && e <= FLOAT_GREY && rk <= (max_ratio + 1.0) * e {
                    return None;
                }
            }
        }
    }
    Some(zero)
}

/// The lexicographic minimum-ratio row for compact column `q` (`Ok(None)` when the column has
/// no positive entry), from the scan; `None` when a decision is too close to call.
#[inline(always)]
fn leaving_row(t: &Dense, q: usize, lex: &[usize], scan: &mut Scan) -> Option<Option<usize>> {
    if !scan.zero_rows.is_empty() {
        // A degenerate basis: a positive entry in a zero row means a ratio of 0.
        scan.tied.clear();
        for &k in &scan.zero_rows {
            let e = t.at(k, q);
            if e > FLOAT_ZERO {
                scan.tied.push(k);
            } else if e.abs() > FLOAT_ZERO * 1e-3 && e.abs() <= FLOAT_GREY {
                return None;
            }
        }
        if !scan.tied.is_empty() {
            let mut cand = std::mem::take(&mut scan.tied);
            let row = lex_break(t, q, lex, &mut cand);
            scan.tied = cand;
            return row.map(Some);
        }
    }
    let b = scan.best[q];
    if b <= 0.0 {
        return Some(None);
    }
    let r1 = 1.0 / b;
    let s = scan.second[q];
    if s <= 0.0 || tied(1.0 / s, r1) == Some(false) {
        return Some(Some(scan.arg[q] as usize));
    }
    // Tied (or nearly) with another row: gather every row within the tie band.
    scan.tied.clear();
    for k in 0..t.rows {
        let e = t.at(k, q);
        if e > FLOAT_ZERO && scan.inv_rhs[k] > 0.0 && tied(t.rhs(k) / e, r1)? {
            scan.tied.push(k);
        }
    }
    let mut cand = std::mem::take(&mut scan.tied);
    let row = if cand.len() == 1 {
        Some(cand[0])
    } else {
        lex_break(t, q, lex, &mut cand)
    };
    scan.tied = cand;
    row.map(Some)
}

/// Exact decisions at a basis whose floating-point decisions were too close to call: the
/// tableau is recomputed in fraction-free integer arithmetic from the integer payoffs.
struct Oracle {
    origin: IntTableau,
    /// Objective weight of each variable times 2^52 (exact: the weights are binary64 numbers
    /// in `[1, 2)`), zero for slacks.
    weight: Vec<BigInt>,
}

impl Oracle {
    fn new(side: Side, ai: &[Vec<BigInt>], bi: &[Vec<BigInt>]) -> Self {
        let (m, n) = (ai.len(), ai[0].len());
        let (_, structural) = layout(side, m, n);
        let mut weight = vec![BigInt::zero(); m + n];
        for (c, v) in structural.enumerate() {
            // Exact: w·2^52 is an integer below 2^53.
            weight[v] = BigInt::from((objective_weight(c) * 4_503_599_627_370_496.0) as i64);
        }
        Oracle {
            origin: IntTableau::new(side, ai, bi),
            weight,
        }
    }

    /// [`children`] decided exactly for the basis of `t` (whose row and column positions the
    /// returned pivots use). `None` when the basis is singular in exact arithmetic (rounding
    /// went astray).
    fn children(&self, t: &Dense, out: &mut Vec<(usize, usize)>) -> Option<u128> {
        out.clear();
        let mut e = self.origin.clone();
        move_to(&mut e, t.basis_mask())?;
        let vars = e.vars();
        let det = e.det().clone();
        let mut zero = 0u128;
        for (k, &v) in e.basis().iter().enumerate() {
            if e.at(k, vars).is_zero() {
                zero |= 1u128 << v;
            }
        }
        // Stored objective entries times det: z_u = w_u·det − Σ_k w_{basis k}·entry(k, u).
        let z = |u: usize| -> BigInt {
            let mut s = &self.weight[u] * &det;
            for (k, &bv) in e.basis().iter().enumerate() {
                if !self.weight[bv].is_zero() {
                    s -= &self.weight[bv] * e.at(k, u);
                }
            }
            s
        };
        let zs: Vec<BigInt> = t.nonbasic.iter().map(|&u| z(u)).collect();
        for (q, &u) in t.nonbasic.iter().enumerate() {
            if !zs[q].is_positive() {
                // Improving here (a better neighbour) or level (not improving back).
                continue;
            }
            let er = e.lex_min_ratio(u)?;
            let leaving = e.basis()[er];
            let piv = e.at(er, u);
            // In the neighbour, variable j's stored entry times det·piv is
            // z_j·piv − z_u·entry(er, j), the leaving variable's is −z_u·det; the most
            // negative enters (ties: the smaller-numbered).
            let zl = -(&zs[q] * &det);
            let is_child = t.nonbasic.iter().enumerate().all(|(c, &j)| {
                if c == q {
                    return true;
                }
                let zj = &zs[c] * piv - &zs[q] * e.at(er, j);
                match zj.cmp(&zl) {
                    Ordering::Greater => true,
                    Ordering::Equal => j > leaving,
                    Ordering::Less => false,
                }
            });
            if is_child {
                let r = t.basis.iter().position(|&x| x == leaving)?;
                out.push((q, r));
            }
        }
        Some(zero)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::noncoop::tableau::exact_basic_solution;
    use rand::{Rng, SeedableRng};

    /// Every feasible basis of `side`, by trying every basis exactly (brute force).
    fn feasible_bases(side: Side, ai: &[Vec<BigInt>], bi: &[Vec<BigInt>]) -> usize {
        let (m, n) = (ai.len(), ai[0].len());
        let (rows, _) = layout(side, m, n);
        let vars = m + n;
        (0u32..1 << vars)
            .filter(|mask| mask.count_ones() as usize == rows)
            .filter(|&mask| {
                let basis: Vec<usize> = (0..vars).filter(|&v| mask >> v & 1 == 1).collect();
                exact_basic_solution(side, ai, bi, &basis).is_some_and(|p| p.feasible())
            })
            .count()
    }

    #[test]
    fn reverse_search_visits_every_vertex_of_nondegenerate_polytopes() {
        // Continuous random payoffs: nondegenerate with probability one, so every feasible
        // basis is one vertex and the search must visit each exactly once.
        let mut rng = rand::rngs::SmallRng::seed_from_u64(11);
        for (m, n) in [(2, 2), (3, 3), (3, 5), (4, 4), (5, 3), (5, 6)] {
            let mut draw = || -> Vec<Vec<f64>> {
                (0..m)
                    .map(|_| (0..n).map(|_| rng.random_range(0.5..1.0)).collect())
                    .collect()
            };
            let (a, b) = (draw(), draw());
            let g = crate::game::Bimatrix::from_rows(&a, &b).unwrap();
            let (ai, bi) = crate::noncoop::tableau::integer_payoffs(&g).unwrap();
            let (sa, sb) = crate::noncoop::tableau::scaled_payoffs(&g);
            for side in [Side::P, Side::Q] {
                let want = feasible_bases(side, &ai, &bi);
                match reverse_search(side, &sa, &sb, &ai, &bi, usize::MAX, |_| {}) {
                    Outcome::Done {
                        complete,
                        visited,
                        degenerate,
                        ..
                    } => {
                        assert!(complete);
                        assert!(degenerate.is_empty());
                        assert_eq!(visited, want, "{m}x{n} {side:?}");
                    }
                    Outcome::GiveUp => panic!("{m}x{n} {side:?}: gave up"),
                }
            }
        }
    }

    /// Every lexicographically feasible basis of `side`, by trying every basis exactly
    /// (brute force): nonsingular, and each row of `[rhs | columns of the initial slacks]`
    /// lexicographically positive (the perturbed right-hand side `1 + ε^k` is then positive).
    fn lex_feasible_bases(side: Side, ai: &[Vec<BigInt>], bi: &[Vec<BigInt>]) -> usize {
        let (m, n) = (ai.len(), ai[0].len());
        let (rows, _) = layout(side, m, n);
        let vars = m + n;
        let origin = IntTableau::new(side, ai, bi);
        let lex: Vec<usize> = origin.basis().to_vec();
        (0u128..1 << vars)
            .filter(|mask| mask.count_ones() as usize == rows)
            .filter(|&mask| {
                let mut t = origin.clone();
                if move_to(&mut t, mask).is_none() {
                    return false;
                }
                (0..rows).all(|k| {
                    let first = std::iter::once(vars)
                        .chain(lex.iter().copied())
                        .map(|c| t.at(k, c))
                        .find(|x| !x.is_zero());
                    first.is_some_and(|x| x.is_positive())
                })
            })
            .count()
    }

    #[test]
    fn reverse_search_visits_every_lexicographic_basis_of_degenerate_polytopes() {
        // Payoffs in {1, 2, 3}: ties everywhere, so most polytopes are degenerate and the
        // search runs over lexicographically feasible bases, each exactly once.
        let mut rng = rand::rngs::SmallRng::seed_from_u64(12);
        let mut checked = 0;
        for (m, n) in [(2, 3), (3, 3), (3, 4), (4, 3), (4, 4), (4, 5)] {
            for _ in 0..6 {
                let mut draw = || -> Vec<Vec<f64>> {
                    (0..m)
                        .map(|_| {
                            (0..n)
                                .map(|_| f64::from(rng.random_range(1..4u8)))
                                .collect()
                        })
                        .collect()
                };
                let (a, b) = (draw(), draw());
                let g = crate::game::Bimatrix::from_rows(&a, &b).unwrap();
                let (ai, bi) = crate::noncoop::tableau::integer_payoffs(&g).unwrap();
                let (sa, sb) = crate::noncoop::tableau::scaled_payoffs(&g);
                for side in [Side::P, Side::Q] {
                    let want = lex_feasible_bases(side, &ai, &bi);
                    // The dispatched search (AVX2 and FMA where available) and the portable one.
                    let runs = [
                        reverse_search(side, &sa, &sb, &ai, &bi, usize::MAX, |_| {}),
                        search::<false>(side, &sa, &sb, &ai, &bi, usize::MAX, |_| {}),
                    ];
                    for run in runs {
                        match run {
                            Outcome::Done {
                                complete, visited, ..
                            } => {
                                assert!(complete);
                                assert_eq!(visited, want, "{m}x{n} {side:?} {a:?} {b:?}");
                                checked += 1;
                            }
                            // A singular partner system: allowed, the caller falls back.
                            Outcome::GiveUp => {}
                        }
                    }
                }
            }
        }
        assert!(checked >= 100, "only {checked} searches completed");
    }

    #[test]
    fn reverse_search_stops_at_the_cap_as_incomplete() {
        let a = vec![
            vec![0.9, 0.6, 0.7],
            vec![0.55, 0.8, 0.65],
            vec![0.75, 0.7, 0.95],
        ];
        let b = vec![
            vec![0.6, 0.85, 0.7],
            vec![0.9, 0.65, 0.8],
            vec![0.7, 0.75, 0.55],
        ];
        let g = crate::game::Bimatrix::from_rows(&a, &b).unwrap();
        let (ai, bi) = crate::noncoop::tableau::integer_payoffs(&g).unwrap();
        let (sa, sb) = crate::noncoop::tableau::scaled_payoffs(&g);
        match reverse_search(Side::P, &sa, &sb, &ai, &bi, 3, |_| {}) {
            Outcome::Done {
                complete, visited, ..
            } => {
                assert!(!complete);
                assert_eq!(visited, 3);
            }
            Outcome::GiveUp => panic!("gave up"),
        }
    }
}
