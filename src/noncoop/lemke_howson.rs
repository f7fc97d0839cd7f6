//! The Lemke–Howson algorithm for one Nash equilibrium of a bimatrix game, and the traversal of
//! the Lemke–Howson graph from every label (the set Gambit's `lcp_solve` returns).

use super::scale::PayoffScale;
use super::tableau::{
    bimatrix_equilibrium, integer_payoffs, normalise_exact, regret_threshold, scaled_payoffs,
    to_f64, BlockedTableau, FloatTableau, IntTableau, Side, Tableau,
};
use super::Equilibrium;
use crate::error::{Error, Result};
use crate::game::Bimatrix;
use crate::progress::ProgressFn;
use num_rational::BigRational;
use num_traits::Zero;
use std::collections::{HashSet, VecDeque};

/// Which arithmetic a bimatrix solver pivots in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Arithmetic {
    /// Floating point first; when a result fails verification (or a decision was too close to
    /// call), the same computation is redone in exact integer arithmetic.
    #[default]
    FloatThenExact,
    /// Exact fraction-free integer pivoting throughout (slower, never wrong).
    Exact,
}

/// Options for [`lemke_howson_with`] and [`lemke_howson_all_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LemkeHowsonOptions {
    /// Cap on the number of pivots of one path; `None` (the default) means
    /// `10_000 + 100·(m+n)`.
    pub max_pivots: Option<usize>,
    /// Arithmetic to pivot in.
    pub arithmetic: Arithmetic,
    /// Cap, in bytes, on what [`lemke_howson_all`] keeps: the tableau pair of every equilibrium
    /// found (about `2·(m+n)·(m+n+1)` numbers each). Above it the search stops with
    /// [`Error::TooLarge`] stating the need. Default [`LemkeHowsonOptions::DEFAULT_MAX_MEMORY`].
    pub max_memory: usize,
}

impl LemkeHowsonOptions {
    /// Default [`LemkeHowsonOptions::max_memory`]: 1 GiB.
    pub const DEFAULT_MAX_MEMORY: usize = 1 << 30;

    fn cap(&self, g: &Bimatrix) -> usize {
        self.max_pivots
            .unwrap_or_else(|| 10_000 + 100 * (g.rows() + g.cols()))
    }
}

impl Default for LemkeHowsonOptions {
    fn default() -> Self {
        LemkeHowsonOptions {
            max_pivots: None,
            arithmetic: Arithmetic::FloatThenExact,
            max_memory: Self::DEFAULT_MAX_MEMORY,
        }
    }
}

/// Estimated bytes of one stored tableau pair: `(m+n)` rows of `m+n+1` entries per side,
/// 8 bytes per float entry, 48 per exact integer entry (a `BigInt` and a small heap buffer;
/// entries grow along a path, so this is a floor).
fn pair_bytes(m: usize, n: usize, exact: bool) -> f64 {
    let entries = 2.0 * (m + n) as f64 * (m + n + 1) as f64;
    entries * if exact { 48.0 } else { 8.0 }
}

/// One Lemke–Howson equilibrium of `g`, dropping `label` at the artificial equilibrium, with the
/// default options.
///
/// Lemke & Howson (1964), in the labelled-polytope form of Shapley (1974), with the
/// lexicographic minimum-ratio rule of von Stengel, "Computing equilibria for two-person
/// games" (Handbook of Game Theory vol. 3, 2002), so that degenerate games cannot cycle.
///
/// # Arguments
/// * `g` — the game; payoffs are shifted and scaled internally (equilibria are invariant).
/// * `label` — `0..m` are the row player's strategies, `m..m+n` the column player's.
///
/// # Returns
/// The equilibrium at the end of the path, its regret computed by [`crate::verify`]. Pivoting
/// is in floating point; if that result fails verification the path is redone in exact
/// fraction-free integer arithmetic, and then the result carries `exact` rationals
/// (`exact.is_some()` says the exact path produced it).
///
/// # Errors
/// [`Error::InvalidArgument`] when `label >= m + n`; [`Error::IterationLimit`] when a path is
/// longer than the cap; [`Error::Numerical`] if even the exact path fails (a bug).
///
/// # Complexity
/// Each pivot costs O(m·(m+n)) or O(n·(m+n)); paths can be exponentially long in the worst
/// case (Savani & von Stengel 2006) but are short on random games.
///
/// # Example
/// ```
/// use covenant::game::Bimatrix;
/// use covenant::noncoop::lemke_howson;
/// // Battle of the sexes.
/// let g = Bimatrix::from_rows(&[vec![3.0, 0.0], vec![0.0, 2.0]],
///                             &[vec![2.0, 0.0], vec![0.0, 3.0]]).unwrap();
/// let eq = lemke_howson(&g, 0).unwrap();
/// assert!(eq.regret < 1e-9);
/// assert_eq!(eq.strategies, vec![vec![1.0, 0.0], vec![1.0, 0.0]]);
/// ```
pub fn lemke_howson(g: &Bimatrix, label: usize) -> Result<Equilibrium> {
    lemke_howson_with(g, label, &LemkeHowsonOptions::default())
}

/// [`lemke_howson`] with explicit options.
///
/// # Errors
/// As [`lemke_howson`].
pub fn lemke_howson_with(
    g: &Bimatrix,
    label: usize,
    opts: &LemkeHowsonOptions,
) -> Result<Equilibrium> {
    if let Some((scaled, s)) = PayoffScale::bimatrix(g)? {
        return lemke_howson_with(&scaled, label, opts).map(|e| s.equilibrium(e));
    }
    let (m, n) = (g.rows(), g.cols());
    if label >= m + n {
        return Err(Error::invalid_argument(format!(
            "label {label} is out of range: a {m}x{n} game has labels 0 to {} (the row \
             player's strategies 0 to {}, the column player's {m} to {})",
            m + n - 1,
            m - 1,
            m + n - 1
        )));
    }
    let cap = opts.cap(g);
    if opts.arithmetic == Arithmetic::FloatThenExact {
        let (a, b) = scaled_payoffs(g);
        let mut tp = FloatTableau::new(Side::P, &a, &b);
        let mut tq = FloatTableau::new(Side::Q, &a, &b);
        match lh_path_float(&mut tp, &mut tq, label, cap) {
            Ok(()) => {
                if let Some((x, y)) = float_profile(&tp, &tq, m, n) {
                    let eq = bimatrix_equilibrium(g, x, y, None)?;
                    if eq.regret <= regret_threshold(g) {
                        return Ok(eq);
                    }
                }
            }
            Err(e @ Error::IterationLimit { .. }) => return Err(e),
            Err(_) => {}
        }
    }
    let (a, b) = integer_payoffs(g)?;
    let mut tp = IntTableau::new(Side::P, &a, &b);
    let mut tq = IntTableau::new(Side::Q, &a, &b);
    lh_path(&mut tp, &mut tq, label, cap)?;
    exact_equilibrium(g, &tp, &tq, m, n)
}

/// All equilibria reachable in the Lemke–Howson graph, as Gambit's `lcp_solve` finds them:
/// from the artificial equilibrium follow every label, then from every equilibrium found follow
/// every label again, until nothing new appears. Deduplicated, sorted lexicographically by
/// strategies.
///
/// # Errors
/// As [`lemke_howson`].
///
/// # Complexity
/// `(m+n)` paths per equilibrium found; the set can miss equilibria (the graph need not be
/// connected): use [`super::enumerate_extreme`] for all of them.
pub fn lemke_howson_all(g: &Bimatrix) -> Result<Vec<Equilibrium>> {
    lemke_howson_all_with(g, &LemkeHowsonOptions::default())
}

/// [`lemke_howson_all`] with explicit options.
///
/// # Errors
/// As [`lemke_howson`].
pub fn lemke_howson_all_with(g: &Bimatrix, opts: &LemkeHowsonOptions) -> Result<Vec<Equilibrium>> {
    lemke_howson_all_with_progress(g, opts, None)
}

/// [`lemke_howson_all_with`] reporting progress: `(equilibria whose paths were all followed,
/// equilibria found so far)`; the total grows as the traversal discovers equilibria.
///
/// # Errors
/// As [`lemke_howson`], and [`Error::TooLarge`] above [`LemkeHowsonOptions::max_memory`].
pub fn lemke_howson_all_with_progress(
    g: &Bimatrix,
    opts: &LemkeHowsonOptions,
    mut progress: Option<ProgressFn>,
) -> Result<Vec<Equilibrium>> {
    if let Some((scaled, s)) = PayoffScale::bimatrix(g)? {
        let all = lemke_howson_all_with_progress(&scaled, opts, progress)?;
        return Ok(all.into_iter().map(|e| s.equilibrium(e)).collect());
    }
    let (m, n) = (g.rows(), g.cols());
    let cap = opts.cap(g);
    if opts.arithmetic == Arithmetic::FloatThenExact {
        let (a, b) = scaled_payoffs(g);
        let tp = FloatTableau::new(Side::P, &a, &b);
        let tq = FloatTableau::new(Side::Q, &a, &b);
        let walk = Walk {
            labels: m + n,
            cap,
            path: lh_path_float,
            budget: Budget::new(opts, m, n, false)?,
        };
        let ends = traverse(tp, tq, &walk, &mut progress)?;
        let thr = regret_threshold(g);
        let mut out = Vec::new();
        let mut ok = true;
        for (tp, tq) in &ends {
            match float_profile(tp, tq, m, n) {
                Some((x, y)) => {
                    let eq = bimatrix_equilibrium(g, x, y, None)?;
                    if eq.regret > thr {
                        ok = false;
                        break;
                    }
                    out.push(eq);
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            return Ok(dedup_sorted(out));
        }
    }
    let (a, b) = integer_payoffs(g)?;
    let tp = IntTableau::new(Side::P, &a, &b);
    let tq = IntTableau::new(Side::Q, &a, &b);
    let walk = Walk {
        labels: m + n,
        cap,
        path: lh_path,
        budget: Budget::new(opts, m, n, true)?,
    };
    let ends = traverse(tp, tq, &walk, &mut progress)?;
    let out = ends
        .iter()
        .map(|(tp, tq)| exact_equilibrium(g, tp, tq, m, n))
        .collect::<Result<Vec<_>>>()?;
    Ok(dedup_sorted(out))
}

/// A path follower: [`lh_path`], or [`lh_path_float`] for float tableaux.
type PathFn<T> = fn(&mut T, &mut T, usize, usize) -> Result<()>;

/// The memory [`traverse`] may use for stored tableau pairs.
#[derive(Debug, Clone, Copy)]
struct Budget {
    pair: f64,
    max: usize,
}

impl Budget {
    /// Refuses before any work when even the first two pairs do not fit.
    fn new(opts: &LemkeHowsonOptions, m: usize, n: usize, exact: bool) -> Result<Self> {
        let b = Budget {
            pair: pair_bytes(m, n, exact),
            max: opts.max_memory,
        };
        b.check(2)?;
        Ok(b)
    }

    fn check(&self, pairs: usize) -> Result<()> {
        let need = self.pair * pairs as f64;
        if need > self.max as f64 {
            return Err(Error::TooLarge(format!(
                "lemke_howson_all keeps the tableau pair of every equilibrium it reaches ({} \
                 each); {} pairs need {}, over the cap of {} (LemkeHowsonOptions::max_memory): \
                 raise the cap, or ask for one equilibrium (lemke_howson)",
                crate::error::bytes(self.pair),
                pairs,
                crate::error::bytes(need),
                crate::error::bytes(self.max as f64)
            )));
        }
        Ok(())
    }
}

/// How [`traverse`] walks the LH graph: the labels to drop from each equilibrium, the pivot cap
/// of one path, the path follower, and the memory budget for the pairs it keeps.
struct Walk<T> {
    /// Number of labels (`m + n`): every one is dropped from every equilibrium reached.
    labels: usize,
    /// Pivot cap of one path.
    cap: usize,
    path: PathFn<T>,
    budget: Budget,
}

/// Breadth-first traversal of the LH graph from the artificial equilibrium; returns the
/// tableau pairs of the (non-artificial) equilibria, distinct by basis.
fn traverse<T: Tableau>(
    tp: T,
    tq: T,
    walk: &Walk<T>,
    progress: &mut Option<ProgressFn>,
) -> Result<Vec<(T, T)>> {
    let key = |tp: &T, tq: &T| {
        let mut kp = tp.basis().to_vec();
        kp.sort_unstable();
        let mut kq = tq.basis().to_vec();
        kq.sort_unstable();
        (kp, kq)
    };
    let mut seen = HashSet::new();
    seen.insert(key(&tp, &tq));
    let mut queue = VecDeque::from([(tp, tq)]);
    let mut found = Vec::new();
    let mut done = 0;
    while let Some((tp, tq)) = queue.pop_front() {
        if let Some(report) = progress.as_mut() {
            report(done, done + 1 + queue.len());
        }
        done += 1;
        for label in 0..walk.labels {
            let (mut p2, mut q2) = (tp.clone(), tq.clone());
            (walk.path)(&mut p2, &mut q2, label, walk.cap)?;
            if seen.insert(key(&p2, &q2)) {
                walk.budget.check(found.len() + queue.len() + 2)?;
                found.push((p2.clone(), q2.clone()));
                queue.push_back((p2, q2));
            }
        }
    }
    if let Some(report) = progress.as_mut() {
        report(done, done);
    }
    Ok(found)
}

/// Follows the path that drops `label` from the completely labelled basis pair `(tp, tq)`
/// until it is completely labelled again.
pub(crate) fn lh_path<T: Tableau>(tp: &mut T, tq: &mut T, label: usize, cap: usize) -> Result<()> {
    let mut in_p = !tp.basis().contains(&label);
    let mut entering = label;
    for _ in 0..cap {
        let t = if in_p { &mut *tp } else { &mut *tq };
        let row = t
            .lex_min_ratio(entering)
            .ok_or_else(|| unbounded(entering))?;
        let leaving = t.basis()[row];
        t.pivot(row, entering);
        if leaving == label {
            return Ok(());
        }
        entering = leaving;
        in_p = !in_p;
    }
    Err(Error::IterationLimit {
        algorithm: "Lemke-Howson",
        limit: cap,
    })
}

/// [`lh_path`] on floating-point tableaux with pivots applied in blocks
/// ([`BlockedTableau`]): the same pivots, each tableau streamed through the cache once per
/// [`super::tableau::PIVOT_BLOCK`] pivots instead of once per pivot.
fn lh_path_float(
    tp: &mut FloatTableau,
    tq: &mut FloatTableau,
    label: usize,
    cap: usize,
) -> Result<()> {
    let mut bp = BlockedTableau::new(tp);
    let mut bq = BlockedTableau::new(tq);
    let mut in_p = !bp.basis().contains(&label);
    let mut entering = label;
    for _ in 0..cap {
        let t = if in_p { &mut bp } else { &mut bq };
        let row = t
            .lex_min_ratio(entering)
            .ok_or_else(|| unbounded(entering))?;
        let leaving = t.basis()[row];
        t.pivot(row, entering);
        if leaving == label {
            bp.flush();
            bq.flush();
            return Ok(());
        }
        entering = leaving;
        in_p = !in_p;
    }
    Err(Error::IterationLimit {
        algorithm: "Lemke-Howson",
        limit: cap,
    })
}

fn unbounded(entering: usize) -> Error {
    Error::Numerical {
        context: "Lemke-Howson",
        message: format!("no positive entry in the entering column {entering} (unbounded ray)"),
    }
}

/// Normalised strategies of a float basis pair; `None` if a vector is (numerically) zero or
/// negative.
fn float_profile(
    tp: &FloatTableau,
    tq: &FloatTableau,
    m: usize,
    n: usize,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let mut x = vec![0.0; m];
    for (row, &v) in tp.basis().iter().enumerate() {
        if v < m {
            x[v] = tp.rhs(row).max(0.0);
        }
    }
    let mut y = vec![0.0; n];
    for (row, &v) in tq.basis().iter().enumerate() {
        if v >= m {
            y[v - m] = tq.rhs(row).max(0.0);
        }
    }
    let (sx, sy): (f64, f64) = (x.iter().sum(), y.iter().sum());
    if !(sx > 0.0 && sy > 0.0) {
        return None;
    }
    x.iter_mut().for_each(|v| *v /= sx);
    y.iter_mut().for_each(|v| *v /= sy);
    Some((x, y))
}

fn exact_equilibrium(
    g: &Bimatrix,
    tp: &IntTableau,
    tq: &IntTableau,
    m: usize,
    n: usize,
) -> Result<Equilibrium> {
    let mut x = vec![BigRational::zero(); m];
    for (row, &v) in tp.basis().iter().enumerate() {
        if v < m {
            x[v] = tp.rhs(row);
        }
    }
    let mut y = vec![BigRational::zero(); n];
    for (row, &v) in tq.basis().iter().enumerate() {
        if v >= m {
            y[v - m] = tq.rhs(row);
        }
    }
    let bad = || Error::Numerical {
        context: "Lemke-Howson (exact)",
        message: "the path ended at the artificial equilibrium".into(),
    };
    let x = normalise_exact(&x).ok_or_else(bad)?;
    let y = normalise_exact(&y).ok_or_else(bad)?;
    bimatrix_equilibrium(g, to_f64(&x), to_f64(&y), Some(vec![x, y]))
}

/// Sorts equilibria by strategies and removes duplicates (exactly equal when both are exact,
/// else equal within [`crate::Tolerance::REPORT`]).
pub(crate) fn dedup_sorted(mut v: Vec<Equilibrium>) -> Vec<Equilibrium> {
    v.sort_by(|p, q| {
        let a = p.strategies.iter().flatten();
        let b = q.strategies.iter().flatten();
        a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal)
    });
    let same = |p: &Equilibrium, q: &Equilibrium| match (&p.exact, &q.exact) {
        (Some(a), Some(b)) => a == b,
        _ => p
            .strategies
            .iter()
            .flatten()
            .zip(q.strategies.iter().flatten())
            .all(|(a, b)| crate::Tolerance::REPORT.eq(*a, *b)),
    };
    let mut out: Vec<Equilibrium> = Vec::with_capacity(v.len());
    for e in v {
        if !out.iter().any(|o| same(o, &e)) {
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn random_game(m: usize, n: usize, seed: u64) -> Bimatrix {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(seed);
        let mut draw = || -> Vec<Vec<f64>> {
            (0..m)
                .map(|_| {
                    (0..n)
                        .map(|_| f64::from(rng.random_range(0..=20u32)))
                        .collect()
                })
                .collect()
        };
        let (a, b) = (draw(), draw());
        Bimatrix::from_rows(&a, &b).unwrap()
    }

    /// The blocked path takes exactly the pivots of the eager one (same bases at the end, same
    /// tableau up to rounding), on games with ties (payoffs 0..=20) and paths longer than a
    /// block, from every label.
    #[test]
    fn blocked_path_pivots_like_the_eager_path() {
        for (seed, (m, n)) in [(1, (7, 9)), (2, (12, 12)), (3, (20, 15)), (4, (3, 30))] {
            let g = random_game(m, n, seed);
            let (a, b) = scaled_payoffs(&g);
            for label in 0..m + n {
                let mut ep = FloatTableau::new(Side::P, &a, &b);
                let mut eq = FloatTableau::new(Side::Q, &a, &b);
                let eager = lh_path(&mut ep, &mut eq, label, 10_000);
                let mut bp = FloatTableau::new(Side::P, &a, &b);
                let mut bq = FloatTableau::new(Side::Q, &a, &b);
                let blocked = lh_path_float(&mut bp, &mut bq, label, 10_000);
                assert_eq!(eager.is_ok(), blocked.is_ok(), "seed {seed} label {label}");
                assert_eq!(ep.basis(), bp.basis(), "seed {seed} label {label}");
                assert_eq!(eq.basis(), bq.basis(), "seed {seed} label {label}");
                for (e, b) in [(&ep, &bp), (&eq, &bq)] {
                    for row in 0..e.basis().len() {
                        assert!((e.rhs(row) - b.rhs(row)).abs() < 1e-9);
                    }
                }
            }
        }
    }
}
