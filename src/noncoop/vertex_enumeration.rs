//! All extreme Nash equilibria of a bimatrix game by vertex enumeration of the best-response
//! polytopes, exact on degenerate games, with the connected components of the equilibrium set.

use super::lemke_howson::Arithmetic;
use super::reverse_search::{reverse_search, Outcome};
use super::scale::PayoffScale;
use super::tableau::{
    bimatrix_equilibrium, exact_basic_solution, integer_payoffs, move_to, scaled_payoffs, to_f64,
    ExactPoint, FloatTableau, IntTableau, Side, Tableau,
};
use super::Equilibrium;
use crate::error::{Error, Result};
use crate::game::Bimatrix;
use num_bigint::BigInt;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The extreme equilibria of a bimatrix game and how they group into components.
#[derive(Debug, Clone, PartialEq)]
pub struct Enumeration {
    /// Every extreme equilibrium, exact (`exact` is always set), sorted lexicographically by
    /// strategies.
    pub equilibria: Vec<Equilibrium>,
    /// `true` when the list is all extreme equilibria: the enumeration ran to the end (no cap
    /// was hit) and either ran in exact arithmetic or no floating-point decision came within
    /// the uncertainty band (otherwise it is redone exactly).
    pub complete: bool,
    /// Connected components of the equilibrium set, as indices into `equilibria` (each sorted,
    /// components ordered by their first index). Two extreme equilibria are in one component
    /// when a chain of extreme equilibria sharing a strategy links them: the union of the
    /// maximal Nash subsets (bipartite cliques) of Audet, Hansen, Jaumard & Savard (2001).
    pub components: Vec<Vec<usize>>,
    /// Whether the final pass pivoted in exact integer arithmetic (rather than floats checked
    /// exactly afterwards).
    pub exact_pivoting: bool,
}

/// Options for [`enumerate_extreme_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumerateOptions {
    /// Arithmetic for the vertex search (every returned equilibrium is exact either way).
    pub arithmetic: Arithmetic,
    /// Cap on the number of bases visited per polytope; when hit, the search stops and the
    /// result has `complete = false` (its equilibria are still exact and verified). Memory is
    /// about `max_bases · 48` bytes (the set of basis masks seen and the depth-first stack of
    /// the one-polytope search), up to about `max_bases · 250` bytes when a degenerate game
    /// sends the search to both polytopes. The default, 5·10⁶, completes random 20x20 games.
    pub max_bases: usize,
}

impl Default for EnumerateOptions {
    fn default() -> Self {
        EnumerateOptions {
            arithmetic: Arithmetic::FloatThenExact,
            max_bases: 5_000_000,
        }
    }
}

/// Largest `m + n` accepted (labels are kept in a 128-bit mask; vertex enumeration is
/// exponential long before that size).
pub const MAX_LABELS: usize = 128;

/// All extreme equilibria of `g`, exact, with the components of the equilibrium set.
///
/// Vertex enumeration of the best-response polytopes `P = {x ≥ 0 : Bᵀx ≤ 1}` and
/// `Q = {y ≥ 0 : Ay ≤ 1}` with complementary-label matching, as in Avis, Rosenberg, Savani &
/// von Stengel, "Enumeration of Nash equilibria for two-player games" (Economic Theory 42,
/// 2010). The polytope of the player with fewer strategies is searched first by lexicographic
/// reverse search (Avis & Fukuda 1992), carrying the complementary point of the other polytope
/// along; when that cannot decide (a singular complementary system), vertices are found by a
/// depth-first search over feasible bases (every tied leaving row is followed, so degenerate
/// vertices are reached through all their bases);
/// pairs with complementary labels are then re-solved and checked in exact integer
/// arithmetic (payoffs are converted from f64 exactly). Components are the connected components
/// of the bipartite graph "x and y form an extreme equilibrium" (Audet, Hansen, Jaumard &
/// Savard, "Enumeration of all extreme equilibria of bimatrix games", SIAM J. Sci. Comput.
/// 23, 2001).
///
/// # Returns
/// An [`Enumeration`]; `equilibria` carry `exact` rationals and a regret from
/// [`crate::verify`].
///
/// # Errors
/// [`Error::TooLarge`] when `m + n > 128`.
///
/// # Complexity
/// Proportional to the number of feasible bases of `P` and `Q` (exponential in the worst
/// case; about 10⁴–10⁵ for random 20x20 games), times O(mn) per basis.
///
/// # Example
/// ```
/// use covenant::game::Bimatrix;
/// use covenant::noncoop::enumerate_extreme;
/// // Battle of the sexes: two pure equilibria and one mixed, three components.
/// let g = Bimatrix::from_rows(&[vec![3.0, 0.0], vec![0.0, 2.0]],
///                             &[vec![2.0, 0.0], vec![0.0, 3.0]]).unwrap();
/// let e = enumerate_extreme(&g).unwrap();
/// assert!(e.complete);
/// assert_eq!(e.equilibria.len(), 3);
/// assert_eq!(e.components.len(), 3);
/// ```
pub fn enumerate_extreme(g: &Bimatrix) -> Result<Enumeration> {
    enumerate_extreme_with(g, &EnumerateOptions::default(), None)
}

/// [`enumerate_extreme`] with options and an optional progress callback, called now and then
/// with `(bases processed, bases discovered so far)` summed over both polytopes.
///
/// # Errors
/// As [`enumerate_extreme`].
pub fn enumerate_extreme_with(
    g: &Bimatrix,
    opts: &EnumerateOptions,
    mut progress: Option<&mut dyn FnMut(usize, usize)>,
) -> Result<Enumeration> {
    if let Some((scaled, s)) = PayoffScale::bimatrix(g)? {
        let mut e = enumerate_extreme_with(&scaled, opts, progress)?;
        e.equilibria = e.equilibria.into_iter().map(|q| s.equilibrium(q)).collect();
        return Ok(e);
    }
    let (m, n) = (g.rows(), g.cols());
    if m + n > MAX_LABELS {
        return Err(Error::TooLarge(format!(
            "vertex enumeration handles m + n <= {MAX_LABELS}; this game is {m}x{n}"
        )));
    }
    let (ai, bi) = integer_payoffs(g)?;
    if opts.arithmetic == Arithmetic::FloatThenExact {
        let (a, b) = scaled_payoffs(g);
        let mut counter = Progress::new(&mut progress);
        let fast = one_sided_reverse(g, &ai, &bi, &a, &b, opts.max_bases, &mut counter)?;
        if let Some((found, complete)) = fast {
            counter.finish();
            return finish(found, complete, false);
        }
    }
    if opts.arithmetic == Arithmetic::FloatThenExact {
        let (a, b) = scaled_payoffs(g);
        let mut counter = Progress::new(&mut progress);
        let one = one_sided(g, &ai, &bi, &a, &b, opts.max_bases, &mut counter)?;
        if let Some((found, complete)) = one {
            counter.finish();
            return finish(found, complete, false);
        }
    }
    if opts.arithmetic == Arithmetic::FloatThenExact {
        let (a, b) = scaled_payoffs(g);
        let mut unsure = false;
        let mut counter = Progress::new(&mut progress);
        let (vp, cp) = vertices(
            FloatTableau::new(Side::P, &a, &b),
            opts.max_bases,
            &mut unsure,
            &mut counter,
        );
        let (vq, cq) = vertices(
            FloatTableau::new(Side::Q, &a, &b),
            opts.max_bases,
            &mut unsure,
            &mut counter,
        );
        counter.finish();
        let out = assemble(g, &ai, &bi, &vp, &vq, &mut unsure)?;
        // Every returned pair is certified exactly; an uncertain float decision only puts
        // completeness in doubt. A search that hit the cap is incomplete anyway, and redoing
        // it exactly would hit the same cap, so it is returned as it is.
        if !(unsure && cp && cq) {
            return finish(out, cp && cq && !unsure, false);
        }
    }
    let mut unsure = false;
    let mut counter = Progress::new(&mut progress);
    let (vp, cp) = vertices(
        IntTableau::new(Side::P, &ai, &bi),
        opts.max_bases,
        &mut unsure,
        &mut counter,
    );
    let (vq, cq) = vertices(
        IntTableau::new(Side::Q, &ai, &bi),
        opts.max_bases,
        &mut unsure,
        &mut counter,
    );
    counter.finish();
    let out = assemble(g, &ai, &bi, &vp, &vq, &mut unsure)?;
    if unsure {
        return Err(Error::Numerical {
            context: "vertex enumeration (exact)",
            message: "an exactly computed vertex failed its exact check".into(),
        });
    }
    finish(out, cp && cq, true)
}

struct Progress<'a, 'b> {
    cb: &'a mut Option<&'b mut dyn FnMut(usize, usize)>,
    done: usize,
    total: usize,
}

impl<'a, 'b> Progress<'a, 'b> {
    fn new(cb: &'a mut Option<&'b mut dyn FnMut(usize, usize)>) -> Self {
        Progress {
            cb,
            done: 0,
            total: 1,
        }
    }
    #[inline]
    fn step(&mut self, new: usize) {
        self.done += 1;
        self.total += new;
        if self.done.is_multiple_of(4096) {
            if let Some(cb) = self.cb.as_mut() {
                cb(self.done, self.total);
            }
        }
    }
    fn finish(&mut self) {
        if let Some(cb) = self.cb.as_mut() {
            cb(self.done, self.done);
        }
    }
}

/// A fast hasher for the 128-bit masks (FxHash-style multiply-rotate).
#[derive(Default)]
struct MaskHasher(u64);

impl Hasher for MaskHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u128(&mut self, v: u128) {
        self.write_u64(v as u64);
        self.write_u64((v >> 64) as u64);
    }
}

type MaskBuild = BuildHasherDefault<MaskHasher>;

/// A vertex of a best-response polytope: its label mask (zero variables) and one basis (mask).
struct Vertex {
    labels: u128,
    basis: u128,
}

/// The fastest path: reverse search over the vertices of the smaller player's polytope with
/// the complementary partner carried along ([`reverse_search`]), then exact certification of
/// the candidates. `None` when the polytope is degenerate, a float decision was too close to
/// call, or a partner system is singular: the caller then runs the general searches.
fn one_sided_reverse(
    g: &Bimatrix,
    ai: &[Vec<BigInt>],
    bi: &[Vec<BigInt>],
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    max_bases: usize,
    progress: &mut Progress,
) -> Result<Option<(Vec<Found>, bool)>> {
    let side = if g.rows() <= g.cols() {
        Side::P
    } else {
        Side::Q
    };
    let outcome = reverse_search(side, a, b, ai, bi, max_bases, |new| progress.step(new));
    let Outcome::Done {
        candidates,
        degenerate,
        complete,
        visited,
    } = outcome
    else {
        return Ok(None);
    };
    debug_assert_eq!(visited, progress.done, "one progress step per basis");
    let mut triples: Vec<(u128, u128, u128)> = candidates
        .into_iter()
        .map(|c| (c.labels, c.basis, c.labels))
        .collect();
    let other = match side {
        Side::P => Side::Q,
        Side::Q => Side::P,
    };
    let dim = match side {
        Side::P => g.rows(),
        Side::Q => g.cols(),
    };
    let mut solver = FloatSolver::default();
    for d in degenerate {
        let extra = d.labels.count_ones() as usize - dim;
        if !partner_bases(
            &mut solver,
            other,
            a,
            b,
            d.labels,
            d.basis,
            extra,
            &mut triples,
        ) {
            return Ok(None);
        }
    }
    let found = certify_partners(g, side, ai, bi, triples, true)?;
    Ok(found.map(|f| (f, complete)))
}

/// Nondegenerate fast path (Avis, Rosenberg, Savani & von Stengel 2010, section 4): search
/// the vertices of the polytope of the player with fewer strategies only; at a nondegenerate
/// vertex with labels `L`, the only candidate partner is the point of the other polytope with
/// the complementary labels, i.e. the basic solution whose basis is `L` itself, found by one
/// small linear solve. Candidates that are feasible (or too close to call) are certified
/// exactly as in [`assemble`].
///
/// Returns `None` (the caller then enumerates both polytopes) when a visited vertex is
/// degenerate, a float decision was uncertain, a partner system is singular, or an exact check
/// disagrees with the floats.
fn one_sided(
    g: &Bimatrix,
    ai: &[Vec<BigInt>],
    bi: &[Vec<BigInt>],
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    max_bases: usize,
    progress: &mut Progress,
) -> Result<Option<(Vec<Found>, bool)>> {
    let (m, n) = (g.rows(), g.cols());
    let (side, other) = if m <= n {
        (Side::P, Side::Q)
    } else {
        (Side::Q, Side::P)
    };
    let (_, own_struct) = super::tableau::layout(side, m, n);
    let (_, other_struct) = super::tableau::layout(other, m, n);
    let own_zero = own_struct.clone().fold(0u128, |k, v| k | (1u128 << v));
    let other_zero = other_struct.clone().fold(0u128, |k, v| k | (1u128 << v));
    let dim = own_struct.len();
    let mut unsure = false;
    let mut bail = false;
    // (own labels, own basis mask, partner basis mask)
    let mut candidates: Vec<(u128, u128, u128)> = Vec::new();
    let mut degenerate_seen: HashSet<u128, MaskBuild> = HashSet::default();
    let mut solver = FloatSolver::default();
    let vars = m + n;
    let origin_exact = IntTableau::new(side, ai, bi);
    let mut exact_resolve = |k: u128, pivots: &mut Vec<(usize, usize)>| -> Option<u128> {
        let mut t = origin_exact.clone();
        move_to(&mut t, k)?;
        let mut never = false;
        let mut labels = !k & lowbits(vars);
        for (row, &v) in t.basis().iter().enumerate() {
            if t.rhs_is_zero(row, &mut never) {
                labels |= 1u128 << v;
            }
        }
        t.all_min_ratio_pivots(&mut never, &mut Vec::new(), pivots);
        for p in pivots.iter_mut() {
            p.1 = t.basis()[p.1];
        }
        Some(labels)
    };
    let complete = search(
        FloatTableau::new(side, a, b),
        max_bases,
        &mut unsure,
        progress,
        Some(&mut exact_resolve),
        |labels, basis| {
            // Skip the own origin (x = 0) and vertices whose partner bases have no structural
            // variable of the other player (their point is the other origin, y = 0).
            if labels & own_zero == own_zero || labels & other_zero == 0 {
                return true;
            }
            let extra = labels.count_ones() as usize - dim;
            if extra > 0 && !degenerate_seen.insert(labels) {
                return true;
            }
            let own_basis = basis.iter().fold(0u128, |k, &v| k | (1u128 << v));
            if !partner_bases(
                &mut solver,
                other,
                a,
                b,
                labels,
                own_basis,
                extra,
                &mut candidates,
            ) {
                bail = true;
                return false;
            }
            true
        },
    );
    // An uncertain decision only matters for completeness: an incomplete (capped) search is
    // returned as it is, its equilibria certified below.
    if bail || (unsure && complete) {
        return Ok(None);
    }
    let found = certify_partners(g, side, ai, bi, candidates, false)?;
    Ok(found.map(|f| (f, complete)))
}

/// Certifies the candidates of a one-polytope search exactly: `(own labels, own basis mask,
/// partner basis mask)` triples, where `side` is the searched polytope. Each own vertex and
/// partner point is recomputed in exact integer arithmetic; pairs that are feasible with
/// complementary labels become equilibria (each pair once).
///
/// Returns `None` (the caller then enumerates both polytopes) when an own vertex fails its
/// exact check, or, with `singular_gives_up`, when the partner system of a nondegenerate own
/// vertex is exactly singular (its complementary set may then be a whole face).
fn certify_partners(
    g: &Bimatrix,
    side: Side,
    ai: &[Vec<BigInt>],
    bi: &[Vec<BigInt>],
    candidates: Vec<(u128, u128, u128)>,
    singular_gives_up: bool,
) -> Result<Option<Vec<Found>>> {
    let (m, n) = (g.rows(), g.cols());
    let other = match side {
        Side::P => Side::Q,
        Side::Q => Side::P,
    };
    let full = lowbits(m + n);
    let mut ids: [HashMap<u128, usize, MaskBuild>; 2] = Default::default();
    let mut done: HashSet<(u128, u128), MaskBuild> = HashSet::default();
    let mut own_cache: HashMap<u128, Option<ExactPoint>, MaskBuild> = HashMap::default();
    let mut out = Vec::with_capacity(candidates.len());
    let list = |mask: u128| -> Vec<usize> { (0..m + n).filter(|&v| mask >> v & 1 == 1).collect() };
    for (labels, own_basis, pb) in candidates {
        let need = full & !labels;
        let xo = own_cache
            .entry(labels)
            .or_insert_with(|| {
                let own = Vertex {
                    labels,
                    basis: own_basis,
                };
                certified_vertex(side, ai, bi, &own, m)
            })
            .clone();
        let Some(xo) = xo else {
            return Ok(None);
        };
        let Some(po) = exact_basic_solution(other, ai, bi, &list(pb)) else {
            if singular_gives_up && labels.count_ones() as usize == m.min(n) {
                return Ok(None);
            }
            continue;
        };
        let plabels = po.labels(other, m);
        if !po.feasible() || plabels & need != need {
            continue;
        }
        if !done.insert((labels, plabels)) {
            continue;
        }
        let (xp, yq) = match side {
            Side::P => (xo, po),
            Side::Q => (po, xo),
        };
        let (Some(x), Some(y)) = (xp.normalised(), yq.normalised()) else {
            return Ok(None);
        };
        let (lp, lq) = match side {
            Side::P => (labels, plabels),
            Side::Q => (plabels, labels),
        };
        let next = ids[0].len();
        let px = *ids[0].entry(lp).or_insert(next);
        let next = ids[1].len();
        let qy = *ids[1].entry(lq).or_insert(next);
        let eq = bimatrix_equilibrium(g, to_f64(&x), to_f64(&y), Some(vec![x, y]))?;
        out.push(Found { eq, px, qy });
    }
    Ok(Some(out))
}

/// The partner bases of the own vertex with `labels` (one of its bases: `own_basis`; `extra`
/// labels beyond the dimension): every basis of the `other` polytope within `labels` (one when
/// the vertex is nondegenerate), classified in floats; those not clearly infeasible are
/// appended to `out` as `(labels, own_basis, partner basis)`. `false` when there are too many
/// such bases or all are singular (the general search must decide).
#[allow(clippy::too_many_arguments)]
fn partner_bases(
    solver: &mut FloatSolver,
    other: Side,
    a: &[Vec<f64>],
    b: &[Vec<f64>],
    labels: u128,
    own_basis: u128,
    extra: usize,
    out: &mut Vec<(u128, u128, u128)>,
) -> bool {
    let (m, n) = (a.len(), a[0].len());
    // The partner's zero variables must include every label the own vertex lacks, so its
    // basis lies within `labels`: drop `extra` of them (one way when the vertex is
    // nondegenerate).
    let elems: Vec<usize> = (0..m + n).filter(|&v| labels >> v & 1 == 1).collect();
    let Some(subsets) = subsets_bounded(elems.len(), extra, MAX_PARTNER_BASES) else {
        return false;
    };
    let mut all_singular = true;
    for drop in subsets {
        let pb = drop.iter().fold(labels, |k, &i| k & !(1u128 << elems[i]));
        match solver.classify(other, a, b, m, n, pb) {
            Partner::Infeasible => all_singular = false,
            Partner::Candidate => {
                all_singular = false;
                out.push((labels, own_basis, pb));
            }
            // Possibly only numerically singular: let the exact check decide.
            Partner::Singular => out.push((labels, own_basis, pb)),
        }
    }
    !all_singular
}

/// Most partner bases tried at one degenerate vertex before falling back to enumerating both
/// polytopes.
const MAX_PARTNER_BASES: usize = 4096;

/// All `k`-subsets of `0..len` (as index lists), or `None` when there are more than `cap`.
fn subsets_bounded(len: usize, k: usize, cap: usize) -> Option<Vec<Vec<usize>>> {
    if k > len {
        return Some(Vec::new());
    }
    // C(len, k) without overflow, stopping once above the cap.
    let mut count: usize = 1;
    for i in 0..k {
        count = count * (len - i) / (i + 1);
        if count > cap {
            return None;
        }
    }
    let mut out = Vec::with_capacity(count);
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        out.push(idx.clone());
        // Advance to the next combination in lexicographic order.
        let mut i = k;
        loop {
            if i == 0 {
                return Some(out);
            }
            i -= 1;
            if idx[i] < len - k + i {
                break;
            }
            if i == 0 {
                return Some(out);
            }
        }
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
}

/// What the float solve says about a partner basis.
enum Partner {
    /// Some basic value is clearly negative.
    Infeasible,
    /// Feasible, or too close to call: certify exactly.
    Candidate,
    /// The system is (numerically) singular.
    Singular,
}

/// Dense Gaussian elimination with partial pivoting for the partner systems, reusing buffers.
#[derive(Default)]
struct FloatSolver {
    mat: Vec<f64>,
    z: Vec<f64>,
    cols: Vec<usize>,
    rows: Vec<usize>,
}

impl FloatSolver {
    /// Solves the basic solution of `side` with basis mask `basis` and classifies it.
    fn classify(
        &mut self,
        side: Side,
        a: &[Vec<f64>],
        b: &[Vec<f64>],
        m: usize,
        n: usize,
        basis: u128,
    ) -> Partner {
        use super::tableau::{coeff, layout, slack_var, FLOAT_GREY};
        let (nrows, structural) = layout(side, m, n);
        self.cols.clear();
        self.cols
            .extend(structural.clone().filter(|&v| basis >> v & 1 == 1));
        self.rows.clear();
        self.rows
            .extend((0..nrows).filter(|&k| basis >> slack_var(side, m, k) & 1 == 0));
        let d = self.cols.len();
        if self.rows.len() != d {
            return Partner::Singular;
        }
        let w = d + 1;
        self.mat.clear();
        for &k in &self.rows {
            for &v in &self.cols {
                self.mat.push(coeff(side, m, a, b, k, v));
            }
            self.mat.push(1.0);
        }
        for c in 0..d {
            let mut p = c;
            for r in c + 1..d {
                if self.mat[r * w + c].abs() > self.mat[p * w + c].abs() {
                    p = r;
                }
            }
            if self.mat[p * w + c].abs() < 1e-12 {
                return Partner::Singular;
            }
            if p != c {
                for j in 0..w {
                    self.mat.swap(p * w + j, c * w + j);
                }
            }
            let inv = 1.0 / self.mat[c * w + c];
            let (upper, lower) = self.mat.split_at_mut((c + 1) * w);
            let prow = &upper[c * w + c..];
            for row in lower[..(d - c - 1) * w].chunks_exact_mut(w) {
                let f = row[c] * inv;
                if f != 0.0 {
                    for (t, &p) in row[c..].iter_mut().zip(prow) {
                        *t -= f * p;
                    }
                }
            }
        }
        self.z.clear();
        self.z.resize(d, 0.0);
        for c in (0..d).rev() {
            let mut v = self.mat[c * w + d];
            for j in c + 1..d {
                v -= self.mat[c * w + j] * self.z[j];
            }
            self.z[c] = v / self.mat[c * w + c];
        }
        // Clearly negative values rule the partner out; anything else (including values within
        // the grey band of zero) is certified exactly.
        let judge = |v: f64| v >= -FLOAT_GREY;
        for &v in &self.z {
            if !judge(v) {
                return Partner::Infeasible;
            }
        }
        for k in 0..nrows {
            if basis >> slack_var(side, m, k) & 1 == 0 {
                continue;
            }
            let mut s = 1.0;
            for (&v, &z) in self.cols.iter().zip(&self.z) {
                s -= coeff(side, m, a, b, k, v) * z;
            }
            if !judge(s) {
                return Partner::Infeasible;
            }
        }
        Partner::Candidate
    }
}

/// After this many pivots chained from the origin tableau, a floating-point search rebuilds
/// its working tableau from the origin (bounding the accumulated rounding error).
const REFRESH_PIVOTS: usize = 256;

/// Depth-first search over the feasible bases of the polytope whose origin tableau is `t0`.
/// Only basis masks are stored (the set of bases seen and the stack of bases still to expand),
/// never a tableau per basis: one working tableau is moved from basis to basis (usually by the
/// single pivot that discovered the next basis, since the stack pops the newest child first).
/// Returns the distinct vertices and whether the search ran to the end.
fn vertices<T: Tableau>(
    t0: T,
    max_bases: usize,
    unsure: &mut bool,
    progress: &mut Progress,
) -> (Vec<Vertex>, bool) {
    let mut verts: HashMap<u128, usize, MaskBuild> = HashMap::default();
    let mut out = Vec::new();
    let complete = search(t0, max_bases, unsure, progress, None, |labels, basis| {
        if let std::collections::hash_map::Entry::Vacant(e) = verts.entry(labels) {
            e.insert(out.len());
            out.push(Vertex {
                labels,
                basis: basis.iter().fold(0u128, |k, &v| k | (1u128 << v)),
            });
        }
        true
    });
    (out, complete)
}

/// The depth-first basis search behind [`vertices`]: calls `visit(labels, basis)` at every
/// feasible basis (labels = variables that are zero there); `visit` returning `false` stops
/// the search. Returns whether the search ran to the end (no cap hit, not stopped).
/// Decides one basis (mask) exactly: returns its labels and writes its ratio-test pivots as
/// `(entering, leaving)` variable pairs; `None` when it cannot.
type Resolver<'a> = dyn FnMut(u128, &mut Vec<(usize, usize)>) -> Option<u128> + 'a;

fn search<T: Tableau>(
    t0: T,
    max_bases: usize,
    unsure: &mut bool,
    progress: &mut Progress,
    mut resolve: Option<&mut Resolver>,
    mut visit: impl FnMut(u128, &[usize]) -> bool,
) -> bool {
    let vars = t0.vars();
    let key = |t: &T| t.basis().iter().fold(0u128, |k, &v| k | (1u128 << v));
    let mut seen: HashSet<u128, MaskBuild> = HashSet::default();
    let origin = t0.clone();
    let mut cur = t0;
    let mut chained = 0usize;
    seen.insert(key(&cur));
    let mut stack = vec![key(&cur)];
    let mut complete = true;
    let mut pivots = Vec::new();
    let mut scratch = Vec::new();
    while let Some(k) = stack.pop() {
        let ck = key(&cur);
        if ck != k {
            let diff = (k & !ck).count_ones() as usize;
            if chained + diff > REFRESH_PIVOTS {
                cur = origin.clone();
                chained = 0;
            }
            match move_to(&mut cur, k) {
                Some(p) => chained += p,
                None => {
                    // A basis reached by a ratio test is non-singular: only rounding can say
                    // otherwise.
                    *unsure = true;
                    cur = origin.clone();
                    chained = 0;
                    continue;
                }
            }
        }
        let t = &cur;
        let mut doubt = false;
        let mut labels = !k & lowbits(vars);
        for (row, &v) in t.basis().iter().enumerate() {
            if t.rhs_is_zero(row, &mut doubt) {
                labels |= 1u128 << v;
            }
        }
        t.all_min_ratio_pivots(&mut doubt, &mut scratch, &mut pivots);
        for p in &mut pivots {
            p.1 = t.basis()[p.1];
        }
        if doubt {
            // Too close to call in floats: decide this basis exactly when we can.
            match resolve.as_mut().and_then(|r| r(k, &mut pivots)) {
                Some(exact_labels) => labels = exact_labels,
                None => *unsure = true,
            }
        }
        if !visit(labels, t.basis()) {
            return false;
        }
        let before = stack.len();
        for &(col, leaving) in &pivots {
            let nk = (k & !(1u128 << leaving)) | (1u128 << col);
            if seen.contains(&nk) {
                continue;
            }
            if seen.len() >= max_bases {
                complete = false;
                continue;
            }
            seen.insert(nk);
            stack.push(nk);
        }
        progress.step(stack.len() - before);
    }
    complete
}

/// The set bits of a mask, ascending.
fn mask_list(mask: u128) -> Vec<usize> {
    (0..128).filter(|&v| mask >> v & 1 == 1).collect()
}

fn lowbits(k: usize) -> u128 {
    if k >= 128 {
        u128::MAX
    } else {
        (1u128 << k) - 1
    }
}

/// A certified extreme equilibrium with the polytope vertices it came from.
struct Found {
    eq: Equilibrium,
    px: usize,
    qy: usize,
}

/// Matches vertices of P and Q with complementary labels and certifies each pair exactly.
fn assemble(
    g: &Bimatrix,
    ai: &[Vec<BigInt>],
    bi: &[Vec<BigInt>],
    vp: &[Vertex],
    vq: &[Vertex],
    unsure: &mut bool,
) -> Result<Vec<Found>> {
    let (m, n) = (g.rows(), g.cols());
    let full = lowbits(m + n);
    let x_zero = lowbits(m);
    let y_zero = lowbits(m + n) & !lowbits(m);
    let mut by_mask: HashMap<u128, usize, MaskBuild> = HashMap::default();
    let mut degenerate_q = Vec::new();
    for (i, v) in vq.iter().enumerate() {
        if v.labels & y_zero == y_zero {
            continue;
        }
        if v.labels.count_ones() as usize > n {
            degenerate_q.push(i);
        } else {
            by_mask.insert(v.labels, i);
        }
    }
    let q_nonorigin: Vec<usize> = (0..vq.len())
        .filter(|&i| vq[i].labels & y_zero != y_zero)
        .collect();
    let mut pairs = Vec::new();
    for (i, v) in vp.iter().enumerate() {
        if v.labels & x_zero == x_zero {
            continue;
        }
        let need = full & !v.labels;
        if v.labels.count_ones() as usize == m {
            if let Some(&j) = by_mask.get(&need) {
                pairs.push((i, j));
            }
            for &j in &degenerate_q {
                if vq[j].labels & need == need {
                    pairs.push((i, j));
                }
            }
        } else {
            for &j in &q_nonorigin {
                if vq[j].labels & need == need {
                    pairs.push((i, j));
                }
            }
        }
    }
    let mut exact_p: HashMap<usize, Option<ExactPoint>> = HashMap::new();
    let mut exact_q: HashMap<usize, Option<ExactPoint>> = HashMap::new();
    let mut out = Vec::with_capacity(pairs.len());
    for (i, j) in pairs {
        let xp = exact_p
            .entry(i)
            .or_insert_with(|| certified_vertex(Side::P, ai, bi, &vp[i], m))
            .clone();
        let yq = exact_q
            .entry(j)
            .or_insert_with(|| certified_vertex(Side::Q, ai, bi, &vq[j], m))
            .clone();
        let (Some(xp), Some(yq)) = (xp, yq) else {
            *unsure = true;
            continue;
        };
        if xp.labels(Side::P, m) | yq.labels(Side::Q, m) != full {
            *unsure = true;
            continue;
        }
        let (Some(x), Some(y)) = (xp.normalised(), yq.normalised()) else {
            *unsure = true;
            continue;
        };
        let eq = bimatrix_equilibrium(g, to_f64(&x), to_f64(&y), Some(vec![x, y]))?;
        out.push(Found { eq, px: i, qy: j });
    }
    Ok(out)
}

/// The exact point of a vertex's basis, if it is feasible and has exactly the labels the float
/// search gave it.
fn certified_vertex(
    side: Side,
    ai: &[Vec<BigInt>],
    bi: &[Vec<BigInt>],
    v: &Vertex,
    m: usize,
) -> Option<ExactPoint> {
    let p = exact_basic_solution(side, ai, bi, &mask_list(v.basis))?;
    (p.feasible() && p.labels(side, m) == v.labels).then_some(p)
}

fn finish(mut found: Vec<Found>, complete: bool, exact_pivoting: bool) -> Result<Enumeration> {
    found.sort_by(|p, q| {
        let a = p.eq.strategies.iter().flatten();
        let b = q.eq.strategies.iter().flatten();
        a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal)
    });
    // Union-find over equilibria sharing a P vertex or a Q vertex.
    let k = found.len();
    let mut parent: Vec<usize> = (0..k).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut first_x: HashMap<usize, usize> = HashMap::new();
    let mut first_y: HashMap<usize, usize> = HashMap::new();
    for (idx, f) in found.iter().enumerate() {
        for other in [
            *first_x.entry(f.px).or_insert(idx),
            *first_y.entry(f.qy).or_insert(idx),
        ] {
            let (ra, rb) = (root(&mut parent, idx), root(&mut parent, other));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for idx in 0..k {
        let r = root(&mut parent, idx);
        let gi = *group_of.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[gi].push(idx);
    }
    Ok(Enumeration {
        equilibria: found.into_iter().map(|f| f.eq).collect(),
        complete,
        components: groups,
        exact_pivoting,
    })
}
