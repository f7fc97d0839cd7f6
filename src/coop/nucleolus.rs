//! Nucleolus and prenucleolus by sequential LPs with constraint generation, and Kohlberg's
//! criterion as an independent certificate.
//!
//! The stage machinery (`Stages`) is shared with the least core (its first stage).

use std::cell::RefCell;
use std::collections::HashSet;

use crate::coop::core::Domain;
use crate::coop::separation::{top_excess, top_excess_above};
use crate::error::{Error, Result};
use crate::game::tu::{Coalition, CoalitionalGame};
use crate::lp::{Backend, LinearProgram, LpStatus, Relation, Sense, Var};
use crate::progress::ProgressFn;
use crate::tolerance::Tolerance;

/// The nucleolus (or prenucleolus) of a game, with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Nucleolus {
    /// The allocation, one entry per player.
    pub allocation: Vec<f64>,
    /// The successive stage optima `ε_1 > ε_2 > …`: the distinct excess levels fixed on the
    /// way (the first is the least-core ε of the domain). Levels of coalitions whose excess
    /// was already settled by earlier stages (indicator in the span of the fixed ones) do not
    /// constrain the allocation and are not listed.
    pub excess_levels: Vec<f64>,
    /// Whether the allocation passes [`kohlberg_criterion`] (computed independently of the
    /// stage loop).
    pub kohlberg: bool,
}

/// A set of coalitions: a bitset while `2^n` bits are cheap, a hash set beyond.
pub(crate) enum CoalitionSet {
    Bits(Vec<u64>),
    Hash(HashSet<u64>),
}

/// Most players for which [`CoalitionSet`] uses a bitset (2^26 bits = 8 MiB).
const MAX_BITSET_PLAYERS: usize = 26;

impl CoalitionSet {
    pub(crate) fn new(n: usize) -> Self {
        if n <= MAX_BITSET_PLAYERS {
            CoalitionSet::Bits(vec![0; (1usize << n).div_ceil(64)])
        } else {
            CoalitionSet::Hash(HashSet::new())
        }
    }

    pub(crate) fn insert(&mut self, s: Coalition) -> bool {
        match self {
            CoalitionSet::Bits(b) => {
                let (w, bit) = ((s.0 >> 6) as usize, 1u64 << (s.0 & 63));
                let fresh = b[w] & bit == 0;
                b[w] |= bit;
                fresh
            }
            CoalitionSet::Hash(h) => h.insert(s.0),
        }
    }

    pub(crate) fn remove(&mut self, s: Coalition) {
        match self {
            CoalitionSet::Bits(b) => b[(s.0 >> 6) as usize] &= !(1u64 << (s.0 & 63)),
            CoalitionSet::Hash(h) => {
                h.remove(&s.0);
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        match self {
            CoalitionSet::Bits(b) => b.iter_mut().for_each(|w| *w = 0),
            CoalitionSet::Hash(h) => h.clear(),
        }
    }

    #[inline]
    pub(crate) fn contains(&self, s: Coalition) -> bool {
        match self {
            CoalitionSet::Bits(b) => b[(s.0 >> 6) as usize] >> (s.0 & 63) & 1 == 1,
            CoalitionSet::Hash(h) => h.contains(&s.0),
        }
    }
}

/// An incrementally built basis of coalition indicator vectors (Gaussian elimination).
pub(crate) struct SpanBasis {
    n: usize,
    /// Reduced rows with their pivot column.
    rows: Vec<(usize, Vec<f64>)>,
}

/// Pivot threshold of the elimination on 0/1 vectors.
const PIVOT_TOL: f64 = 1e-9;

impl SpanBasis {
    pub(crate) fn new(n: usize) -> Self {
        SpanBasis {
            n,
            rows: Vec::new(),
        }
    }

    pub(crate) fn rank(&self) -> usize {
        self.rows.len()
    }

    /// Whether the indicator of `s` lies in the span of the basis. The rows are kept reduced
    /// (pivot 1, zero in every other row's pivot column), so the residual is `v − Σ v[p]·row`.
    pub(crate) fn spans(&self, s: Coalition) -> bool {
        // On the stack: the separation asks this of many coalitions per scan.
        let mut v = [0.0f64; Coalition::MAX_PLAYERS];
        let v = &mut v[..self.n];
        for i in s.members() {
            v[i] = 1.0;
        }
        for (p, r) in &self.rows {
            let f = v[*p];
            if f != 0.0 {
                for (a, b) in v.iter_mut().zip(r) {
                    *a -= f * b;
                }
            }
        }
        v.iter().all(|a| a.abs() <= PIVOT_TOL)
    }

    /// Adds the indicator of `s`; returns whether the rank grew.
    pub(crate) fn add(&mut self, s: Coalition) -> bool {
        let mut v: Vec<f64> = (0..self.n)
            .map(|i| if s.contains(i) { 1.0 } else { 0.0 })
            .collect();
        for (p, r) in &self.rows {
            let f = v[*p];
            if f != 0.0 {
                for (a, b) in v.iter_mut().zip(r) {
                    *a -= f * b;
                }
            }
        }
        let Some(p) = (0..self.n).max_by(|&a, &b| v[a].abs().total_cmp(&v[b].abs())) else {
            return false;
        };
        if v[p].abs() <= PIVOT_TOL {
            return false;
        }
        let pv = v[p];
        v.iter_mut().for_each(|a| *a /= pv);
        // Keep the basis reduced: eliminate the new pivot from the older rows.
        for (_, r) in &mut self.rows {
            let f = r[p];
            if f != 0.0 {
                for (a, b) in r.iter_mut().zip(&v) {
                    *a -= f * b;
                }
            }
        }
        self.rows.push((p, v));
        true
    }
}

/// Cap on LP solves of one stage loop (constraint-generation rounds plus check LPs).
const MAX_SOLVES_PER_STAGE: usize = 100_000;

/// The sequential-LP state shared by the least core and the (pre)nucleolus: the coalitions
/// fixed so far with their excess levels, and the working set of generated constraints.
pub(crate) struct Stages<'a, G: CoalitionalGame + ?Sized> {
    g: &'a G,
    n: usize,
    v_grand: f64,
    /// Lower bound of each `x_i` (`v({i})` on imputations, `-∞` on preimputations).
    lower: Vec<f64>,
    /// Magnitude of the values seen when seeding (for the floor on ε).
    scale: f64,
    /// Tolerance for "tight" and "violated", scaled to the game's values.
    tol: f64,
    /// The fixed coalitions that raised the rank of the fixed set, with the value `x(S)` they
    /// are held at (`x(S) = v(S) − level`, taken at the stage optimum so that the rows stay
    /// consistent with the bounds despite rounding). Being linearly independent, these
    /// equalities can never contradict each other; the other fixed coalitions are linear
    /// combinations of them, so their excess is constant from then on and they leave the LPs.
    fixed: Vec<(Coalition, f64)>,
    fixed_set: CoalitionSet,
    /// Coalitions found in the span of the fixed ones (a cache of [`SpanBasis::spans`]).
    spanned: RefCell<CoalitionSet>,
    /// Coalitions found outside that span since the basis last grew.
    not_spanned: RefCell<CoalitionSet>,
    /// Generated constraints `e(S, x) ≤ ε` of the current stage.
    work: Vec<Coalition>,
    work_set: CoalitionSet,
    basis: SpanBasis,
    /// Successive stage optima (distinct levels).
    pub(crate) levels: Vec<f64>,
    /// The current point (optimal for the last stage solved).
    pub(crate) x: Vec<f64>,
}

/// Result of one stage LP with constraint generation.
struct StageOptimum {
    eps: f64,
    x: Vec<f64>,
}

impl<'a, G: CoalitionalGame + ?Sized> Stages<'a, G> {
    /// Validates the game for `domain` and seeds the working set with the singletons and
    /// their complements.
    pub(crate) fn new(g: &'a G, domain: Domain) -> Result<Self> {
        let n = g.num_players();
        if n < 2 {
            return Err(Error::invalid_argument(
                "a game of one player has no proper coalition: its least core and stage LPs \
                 are undefined (the allocation is v(N))",
            ));
        }
        if n > 64 {
            return Err(Error::TooLarge(format!(
                "{n} players: coalitions are 64-bit masks"
            )));
        }
        let grand = Coalition::grand(n);
        let v_grand = g.value(grand);
        let singles: Vec<f64> = (0..n).map(|i| g.value(Coalition::singleton(i))).collect();
        if let Some((i, v)) = std::iter::once((usize::MAX, v_grand))
            .chain(singles.iter().copied().enumerate())
            .find(|(_, v)| !v.is_finite())
        {
            return Err(Error::invalid_game(format!(
                "the value of {} is {v}",
                if i == usize::MAX {
                    "the grand coalition".to_string()
                } else {
                    format!("player {i}")
                }
            )));
        }
        let mut scale = v_grand.abs();
        let mut seeds = Vec::with_capacity(2 * n);
        for i in 0..n {
            seeds.push(Coalition::singleton(i));
            seeds.push(grand.without(i));
        }
        for &s in &seeds {
            let v = g.value(s);
            if !v.is_finite() {
                return Err(Error::invalid_game(format!(
                    "the value of coalition {:?} is {v}",
                    s.members().collect::<Vec<_>>()
                )));
            }
            scale = scale.max(v.abs());
        }
        let tol = Tolerance::LP.threshold(scale);
        let lower = match domain {
            Domain::Preimputations => vec![f64::NEG_INFINITY; n],
            Domain::Imputations => {
                let sum: f64 = singles.iter().sum();
                if sum > v_grand + tol {
                    return Err(Error::invalid_argument(format!(
                        "the imputation set is empty: the players' stand-alone values sum to \
                         {sum} > v(N) = {v_grand} (use the preimputation domain)"
                    )));
                }
                singles
            }
        };
        let mut st = Stages {
            g,
            n,
            v_grand,
            lower,
            scale,
            tol,
            fixed: Vec::new(),
            fixed_set: CoalitionSet::new(n),
            spanned: RefCell::new(CoalitionSet::new(n)),
            not_spanned: RefCell::new(CoalitionSet::new(n)),
            work: Vec::new(),
            work_set: CoalitionSet::new(n),
            basis: SpanBasis::new(n),
            levels: Vec::new(),
            x: Vec::new(),
        };
        st.basis.add(grand);
        for s in seeds {
            st.add_work(s);
        }
        Ok(st)
    }

    /// The generated constraints of the current stage.
    pub(crate) fn work(&self) -> &[Coalition] {
        &self.work
    }

    /// Whether the excess of `s` is settled: `s` is fixed, or its indicator lies in the span of
    /// the fixed coalitions (and `N`), so that `x(S)` — hence `e(S, x)` — is the same at every
    /// point the later stages can choose. Such a coalition cannot move the allocation; left in
    /// the LPs it only adds stages at its constant level (many, in bankruptcy games).
    ///
    /// Only for games whose separation stays cheap when `skip` rejects many coalitions
    /// ([`CoalitionalGame::skip_is_cheap`]); for the others only fixed coalitions are skipped
    /// and the settled ones cost extra stages instead.
    fn settled(&self, s: Coalition) -> bool {
        if self.fixed_set.contains(s) || self.spanned.borrow().contains(s) {
            return true;
        }
        if !self.g.skip_is_cheap() || self.not_spanned.borrow().contains(s) {
            return false;
        }
        // The separation scans meet the same high-excess coalitions again and again: the
        // answers are remembered (a coalition in the span stays there as the basis grows; the
        // negative answers are forgotten whenever it grows).
        let spanned = self.basis.spans(s);
        if spanned {
            self.spanned.borrow_mut().insert(s);
        } else {
            self.not_spanned.borrow_mut().insert(s);
        }
        spanned
    }

    fn add_work(&mut self, s: Coalition) -> bool {
        if self.settled(s) || !self.work_set.insert(s) {
            return false;
        }
        self.work.push(s);
        true
    }

    fn sum_terms(xs: &[Var], s: Coalition) -> impl Iterator<Item = (Var, f64)> + '_ {
        s.members().map(move |i| (xs[i], 1.0))
    }

    /// The x variables, the efficiency row and the rows of the fixed coalitions.
    fn base_lp(&self, sense: Sense) -> (LinearProgram, Vec<Var>) {
        let mut lp = LinearProgram::new(sense);
        let xs: Vec<Var> = self
            .lower
            .iter()
            .map(|&lo| lp.add_variable(lo, f64::INFINITY, 0.0))
            .collect();
        lp.add_constraint(xs.iter().map(|&v| (v, 1.0)), Relation::Eq, self.v_grand);
        for &(s, value) in &self.fixed {
            lp.add_constraint(Self::sum_terms(&xs, s), Relation::Eq, value);
        }
        (lp, xs)
    }

    fn solve(lp: &LinearProgram, what: &'static str) -> Result<Vec<f64>> {
        let mut sol = lp.solve()?;
        if sol.status != LpStatus::Optimal {
            // These LPs are feasible and bounded by construction; the simplex backend
            // occasionally declares a degenerate one infeasible. An interior-point solve is the
            // second opinion (its point lies in the relative interior of the optimal face,
            // which suits the stage logic as well as a vertex does).
            if let Some(b) = Backend::all_available()
                .into_iter()
                .find(|b| !b.returns_vertices())
            {
                sol = lp.solve_with(b)?;
            }
        }
        match sol.status {
            LpStatus::Optimal => Ok(sol.values),
            other => Err(Error::Numerical {
                context: what,
                message: format!("an LP that must have an optimum is {other:?}"),
            }),
        }
    }

    /// Violated coalitions at `x` (excess above `eps + tol`), at most `n` of them.
    fn violated(&self, x: &[f64], eps: f64) -> Result<Vec<Coalition>> {
        let skip = |s: Coalition| self.settled(s);
        Ok(top_excess_above(self.g, x, &skip, self.n, eps + self.tol)?
            .into_iter()
            .map(|(s, _)| s)
            .collect())
    }

    /// Whether any coalition is still unfixed.
    fn any_unfixed(&self, x: &[f64]) -> Result<bool> {
        let skip = |s: Coalition| self.settled(s);
        Ok(!top_excess(self.g, x, &skip, 1)?.is_empty())
    }

    /// Solves the current stage: `min ε` s.t. `e(S, x) ≤ ε` for every unfixed coalition,
    /// generating the constraints on demand.
    fn solve_stage(&mut self) -> Result<StageOptimum> {
        // A floor on ε keeps the restricted LP bounded when the working set does not bound it
        // (possible after fixing); hitting the floor without a violated coalition lowers it.
        let top = self.levels.last().copied().unwrap_or(0.0).max(0.0);
        let mut span = 4.0 * (self.scale + 1.0) * self.n as f64;
        let mut floor = top - span;
        for _ in 0..MAX_SOLVES_PER_STAGE {
            let (mut lp, xs) = self.base_lp(Sense::Minimize);
            let eps_var = lp.add_variable(floor, f64::INFINITY, 1.0);
            for &s in &self.work {
                lp.add_constraint(
                    Self::sum_terms(&xs, s).chain([(eps_var, 1.0)]),
                    Relation::Ge,
                    self.g.value(s),
                );
            }
            let values = Self::solve(&lp, "nucleolus stage LP")?;
            let eps = values[eps_var.0];
            let x = values[..self.n].to_vec();
            let violated = self.violated(&x, eps)?;
            let mut added = false;
            for s in violated {
                added |= self.add_work(s);
            }
            if added {
                continue;
            }
            if eps <= floor + self.tol {
                if !self.any_unfixed(&x)? {
                    return Err(Error::Numerical {
                        context: "nucleolus stage LP",
                        message: "every coalition is fixed but the point is not determined".into(),
                    });
                }
                span *= 4.0;
                floor = top - span;
                continue;
            }
            return Ok(StageOptimum { eps, x });
        }
        Err(Error::IterationLimit {
            algorithm: "nucleolus constraint generation",
            limit: MAX_SOLVES_PER_STAGE,
        })
    }

    /// The coalitions of the working set that are tight on the whole optimal face of the
    /// stage, found by check LPs: with ε fixed, maximise `Σ t_S` over the candidates with
    /// `0 ≤ t_S ≤ 1`, `t_S ≤ slack_S`; a candidate with `t_S > 0` is slack somewhere on the
    /// face; repeat on the rest until the optimum is zero.
    fn tight_on_face(&mut self, opt: &StageOptimum) -> Result<Vec<Coalition>> {
        let slack =
            |s: Coalition| s.members().map(|i| opt.x[i]).sum::<f64>() - self.g.value(s) + opt.eps;
        let mut cands: Vec<Coalition> = self
            .work
            .iter()
            .copied()
            .filter(|&s| slack(s) <= self.tol)
            .collect();
        // Relaxation of the fixed ε (so rounding in ε* cannot make the check LP infeasible),
        // and the threshold above which a t_S counts as positive.
        // The loosening is kept far below the threshold: a loosened face is slightly thicker,
        // and its thickness, amplified by the geometry, must not pass for a real slack.
        let relax = 1e-3 * self.tol;
        let positive = self.tol;
        for _ in 0..MAX_SOLVES_PER_STAGE {
            if cands.len() <= 1 {
                break;
            }
            let (mut lp, xs) = self.base_lp(Sense::Maximize);
            let in_cands: HashSet<u64> = cands.iter().map(|s| s.0).collect();
            let mut ts = Vec::with_capacity(cands.len());
            for &s in &self.work {
                let rhs = self.g.value(s) - opt.eps - relax;
                if in_cands.contains(&s.0) {
                    let t = lp.add_variable(0.0, 1.0, 1.0);
                    ts.push((s, t));
                    lp.add_constraint(
                        Self::sum_terms(&xs, s).chain([(t, -1.0)]),
                        Relation::Ge,
                        rhs,
                    );
                } else {
                    lp.add_constraint(Self::sum_terms(&xs, s), Relation::Ge, rhs);
                }
            }
            let values = Self::solve(&lp, "nucleolus check LP")?;
            let y = &values[..self.n];
            let violated = self.violated(y, opt.eps)?;
            let mut added = false;
            for s in violated {
                added |= self.add_work(s);
            }
            if added {
                continue;
            }
            let slack_somewhere: HashSet<u64> = ts
                .iter()
                .filter(|&&(_, t)| values[t.0] > positive)
                .map(|(s, _)| s.0)
                .collect();
            if slack_somewhere.is_empty() {
                break;
            }
            cands.retain(|s| !slack_somewhere.contains(&s.0));
        }
        if cands.is_empty() {
            return Err(Error::Numerical {
                context: "nucleolus check LP",
                message: format!(
                    "no coalition is tight on the whole optimal face at ε = {}",
                    opt.eps
                ),
            });
        }
        Ok(cands)
    }

    /// Runs one stage and fixes the coalitions tight on its whole optimal face.
    /// Returns the stage's ε.
    pub(crate) fn step(&mut self) -> Result<f64> {
        let opt = self.solve_stage()?;
        let tight = self.tight_on_face(&opt)?;
        for &s in &tight {
            self.work_set.remove(s);
            self.fixed_set.insert(s);
            if self.basis.add(s) {
                let at_optimum: f64 = s.members().map(|i| opt.x[i]).sum();
                self.fixed.push((s, at_optimum));
                self.not_spanned.borrow_mut().clear();
            }
        }
        let (work, settled): (Vec<Coalition>, Vec<Coalition>) =
            self.work.iter().partition(|&&s| !self.settled(s));
        for s in settled {
            self.work_set.remove(s);
        }
        self.work = work;
        if self
            .levels
            .last()
            .is_none_or(|&l| (l - opt.eps).abs() > self.tol)
        {
            self.levels.push(opt.eps);
        }
        self.x = opt.x;
        Ok(opt.eps)
    }

    /// The first stage only: the least-core ε and a least-core point.
    pub(crate) fn first_stage(&mut self) -> Result<(f64, Vec<f64>)> {
        let opt = self.solve_stage()?;
        self.x.clone_from(&opt.x);
        Ok((opt.eps, opt.x))
    }

    /// Stages until the fixed coalitions (with `N`) have rank `n`: the point is determined.
    /// Reports `(rank, n + 1)` before each stage and `(n, n + 1)` at the end.
    pub(crate) fn run(&mut self, report: &mut dyn FnMut(usize, usize)) -> Result<Vec<f64>> {
        while self.basis.rank() < self.n {
            report(self.basis.rank(), self.n + 1);
            self.step()?;
        }
        report(self.n, self.n + 1);
        Ok(self.x.clone())
    }

    pub(crate) fn tolerance(&self) -> f64 {
        self.tol
    }
}

fn one_player<G: CoalitionalGame + ?Sized>(g: &G) -> Result<Option<Nucleolus>> {
    if g.num_players() != 1 {
        return Ok(None);
    }
    let v = g.value(Coalition::grand(1));
    if !v.is_finite() {
        return Err(Error::invalid_game(format!("v(N) is {v}")));
    }
    Ok(Some(Nucleolus {
        allocation: vec![v],
        excess_levels: Vec::new(),
        kohlberg: true,
    }))
}

fn solve_nucleolus<G: CoalitionalGame + ?Sized>(
    g: &G,
    domain: Domain,
    mut progress: Option<ProgressFn>,
) -> Result<Nucleolus> {
    if let Some(trivial) = one_player(g)? {
        if let Some(report) = progress.as_mut() {
            report(1, 1);
        }
        return Ok(trivial);
    }
    let mut st = Stages::new(g, domain)?;
    let mut report = |done, total| {
        if let Some(r) = progress.as_mut() {
            r(done, total)
        }
    };
    let allocation = st.run(&mut report)?;
    let kohlberg = kohlberg_criterion(g, &allocation, domain)?;
    let n = g.num_players();
    report(n + 1, n + 1);
    Ok(Nucleolus {
        allocation,
        excess_levels: st.levels,
        kohlberg,
    })
}

/// The nucleolus (Schmeidler 1969): the imputation that lexicographically minimises the
/// non-increasingly sorted vector of coalition excesses `e(S, x) = v(S) − x(S)`.
///
/// Sequential LPs (Maschler, Peleg & Shapley 1979) with constraint generation: each stage
/// solves `min ε` s.t. `e(S, x) ≤ ε` for the unfixed coalitions, starting from the singletons
/// and their complements and adding the most violated coalitions found by
/// [`CoalitionalGame::most_excess_coalitions`] until none exceeds ε; so oracle games never
/// need a `2^n` table. At each stage only the coalitions tight on the *whole* optimal face are
/// fixed (found by check LPs that look for a point of the face where each candidate is slack);
/// fixing the ones merely tight at one optimal vertex gives wrong nucleoli. The loop stops when
/// the fixed coalitions span `R^n`. The answer is certified by [`kohlberg_criterion`].
///
/// # Arguments
/// * `g` — any coalitional game (dense table or oracle).
///
/// # Returns
/// The allocation, the successive excess levels and the Kohlberg certificate.
///
/// # Errors
/// [`Error::InvalidArgument`] when the imputation set is empty (`Σ v({i}) > v(N)`);
/// [`Error::InvalidGame`] for non-finite values; [`Error::TooLarge`] from the default
/// separation beyond 30 players; [`Error::Numerical`] / [`Error::IterationLimit`] if the LPs
/// misbehave.
///
/// # Complexity
/// A stage LP per excess level (at most `n` levels raise the rank, plus levels of
/// dependent coalitions), each with a few separation scans (`O(2^n)` by default).
///
/// # Example
/// ```
/// use covenant::coop::nucleolus;
/// use covenant::game::TuGame;
/// // Talmud bankruptcy game, estate 200, claims 100/200/300 (Aumann & Maschler 1985).
/// let g = TuGame::new(3, vec![0., 0., 0., 0., 0., 0., 100., 200.]).unwrap();
/// let nu = nucleolus(&g).unwrap();
/// assert!(nu.kohlberg);
/// for (a, b) in nu.allocation.iter().zip([50.0, 75.0, 75.0]) {
///     assert!((a - b).abs() < 1e-6);
/// }
/// ```
pub fn nucleolus<G: CoalitionalGame + ?Sized>(g: &G) -> Result<Nucleolus> {
    solve_nucleolus(g, Domain::Imputations, None)
}

/// [`nucleolus`] reporting progress as `(rank, n + 1)`: the rank of the fixed coalitions
/// (with `N`) before each stage (the stages end when it reaches `n`), then `n + 1` of `n + 1`
/// once the Kohlberg certificate is checked. A stage that fixes only coalitions dependent on
/// earlier ones repeats the same position; the count never goes back.
///
/// # Errors
/// As [`nucleolus`].
///
/// # Example
/// ```
/// use covenant::coop::nucleolus_with_progress;
/// use covenant::game::TuGame;
/// // Talmud bankruptcy game, estate 200, claims 100/200/300 (Aumann & Maschler 1985).
/// let g = TuGame::new(3, vec![0., 0., 0., 0., 0., 0., 100., 200.]).unwrap();
/// let mut seen = Vec::new();
/// let nu = nucleolus_with_progress(&g, Some(&mut |done, total| seen.push((done, total))))
///     .unwrap();
/// assert!(nu.kohlberg);
/// assert_eq!(seen.first(), Some(&(1, 4)));
/// assert_eq!(seen.last(), Some(&(4, 4)));
/// assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
/// ```
pub fn nucleolus_with_progress<G: CoalitionalGame + ?Sized>(
    g: &G,
    progress: Option<ProgressFn>,
) -> Result<Nucleolus> {
    solve_nucleolus(g, Domain::Imputations, progress)
}

/// The prenucleolus: as [`nucleolus`] over the preimputations (efficient allocations, no
/// individual-rationality bound).
///
/// # Errors
/// As [`nucleolus`], except that the imputation set may be empty.
///
/// # Example
/// ```
/// use covenant::coop::prenucleolus;
/// use covenant::game::TuGame;
/// // v({0,1}) = 10, v(N) = 2: the prenucleolus is (3, 3, -4).
/// let g = TuGame::new(3, vec![0., 0., 0., 10., 0., 0., 0., 2.]).unwrap();
/// let pn = prenucleolus(&g).unwrap();
/// assert!((pn.allocation[2] + 4.0).abs() < 1e-6);
/// ```
pub fn prenucleolus<G: CoalitionalGame + ?Sized>(g: &G) -> Result<Nucleolus> {
    solve_nucleolus(g, Domain::Preimputations, None)
}

/// [`prenucleolus`] reporting progress as [`nucleolus_with_progress`] does.
///
/// # Errors
/// As [`prenucleolus`].
pub fn prenucleolus_with_progress<G: CoalitionalGame + ?Sized>(
    g: &G,
    progress: Option<ProgressFn>,
) -> Result<Nucleolus> {
    solve_nucleolus(g, Domain::Preimputations, progress)
}

/// Cap on coalitions the Kohlberg check asks the separation oracle for in one batch.
const KOHLBERG_BATCH: usize = 256;

/// Largest batch the Kohlberg check grows to: batches double while a level is incomplete, so
/// that an oracle which re-walks the coalitions already seen (to skip them) does `O(log)`
/// walks rather than one per 256 coalitions of a large tie level.
const KOHLBERG_MAX_BATCH: usize = 1 << 14;

/// Kohlberg's criterion (Kohlberg 1971): whether `x` is the prenucleolus
/// ([`Domain::Preimputations`]) or the nucleolus ([`Domain::Imputations`]) of `g`.
///
/// `x` must be efficient (and, for the nucleolus, an imputation). Group the proper coalitions
/// by excess level, highest first, and let `B_k` be the coalitions of the first `k` levels.
/// For the prenucleolus every `B_k` must be balanced (weights `λ_S > 0` with
/// `Σ λ_S 1_S = 1_N`); for the nucleolus `B_k ∪ Z` must be weakly balanced with positive
/// weights on `B_k`, where `Z` holds the singletons `{i}` with `x_i = v({i})`. Each test is an
/// LP maximising the smallest weight, solved only where the rank of `B_k` grows: a level
/// inside the span of the ones before it cannot unbalance the collection. Once a balanced
/// collection of coalitions of `B_k` spans `R^n`, `B_k` and every larger collection are
/// balanced too, so the check stops there. A level larger than the first batch (a large tie,
/// as at the nucleolus of a weighted voting game, where every coalition of weight exactly the
/// quota is tied) is first tested by column generation: balanced sub-collections of it are
/// grown with coalitions priced by the separation oracle at a slightly moved point, and a
/// balanced one of rank `n` certifies the rest without enumerating the level; only when that
/// fails is the level enumerated. This shares no code with the stage loop of [`nucleolus`]:
/// coalitions come from the game's separation oracle, their level is checked by their excess
/// at `x`, and only LPs of balancedness (and of directions that unbalance a collection) are
/// solved.
///
/// # Errors
/// [`Error::InvalidArgument`] when `x` has the wrong length or a non-finite entry;
/// [`Error::TooLarge`] from the default separation beyond 30 players.
///
/// # Complexity
/// One separation call per batch of coalitions (256, doubling up to 16384) and at most `n`
/// balancedness LPs; on a large tie level, at most `8n` pricing rounds (a balancedness LP,
/// a direction LP and a few separation calls each) before the enumeration.
pub fn kohlberg_criterion<G: CoalitionalGame + ?Sized>(
    g: &G,
    x: &[f64],
    domain: Domain,
) -> Result<bool> {
    kohlberg_in_batches(g, x, domain, KOHLBERG_BATCH)
}

/// [`kohlberg_criterion`] with the first batch size given (tests make levels "large" with a
/// small one, to exercise the column generation on games they can also enumerate).
fn kohlberg_in_batches<G: CoalitionalGame + ?Sized>(
    g: &G,
    x: &[f64],
    domain: Domain,
    first_batch: usize,
) -> Result<bool> {
    let n = g.num_players();
    if x.len() != n {
        return Err(Error::invalid_argument(format!(
            "an allocation for {n} players has {} entries",
            x.len()
        )));
    }
    if let Some((i, v)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::invalid_argument(format!(
            "allocation entry of player {i} is {v}"
        )));
    }
    let v_grand = g.value(Coalition::grand(n));
    let scale = x.iter().fold(v_grand.abs(), |m, v| m.max(v.abs()));
    let tol = Tolerance::LP.threshold(scale);
    if (x.iter().sum::<f64>() - v_grand).abs() > tol {
        return Ok(false);
    }
    if n == 1 {
        return Ok(true);
    }
    let mut zero_slack = Vec::new();
    if domain == Domain::Imputations {
        for (i, &xi) in x.iter().enumerate() {
            let slack = xi - g.value(Coalition::singleton(i));
            if slack < -tol {
                return Ok(false);
            }
            if slack <= tol {
                zero_slack.push(i);
            }
        }
    }
    // Coalitions in decreasing order of excess, fetched in batches; a level is processed only
    // once it is known to be complete.
    let mut seen: HashSet<u64> = HashSet::new();
    let mut pending: Vec<(Coalition, f64)> = Vec::new();
    let mut exhausted = false;
    let mut collection: Vec<Coalition> = Vec::new();
    let mut rank = 0;
    let mut batch_size = first_batch.max(1);
    let mut columns_tried_at: Option<f64> = None;
    loop {
        if !exhausted {
            let skip = |s: Coalition| seen.contains(&s.0);
            let batch = top_excess(g, x, &skip, batch_size)?;
            exhausted = batch.len() < batch_size;
            batch_size = (2 * batch_size).min(KOHLBERG_MAX_BATCH);
            for &(s, _) in &batch {
                seen.insert(s.0);
            }
            pending.extend(batch);
        }
        // Complete levels: all but the last group unless the enumeration is exhausted.
        let mut start = 0;
        while start < pending.len() {
            let mut end = start + 1;
            while end < pending.len() && pending[end - 1].1 - pending[end].1 <= tol {
                end += 1;
            }
            if end == pending.len() && !exhausted {
                // The level is larger than what has been fetched. Before enumerating the rest
                // of it, try to certify it by column generation over the level: a balanced
                // sub-collection that spans `R^n` certifies every later `B_k` too.
                if columns_tried_at != Some(pending[start].1) {
                    columns_tried_at = Some(pending[start].1);
                    if balanced_by_columns(
                        g,
                        x,
                        tol,
                        &collection,
                        &pending[start..end],
                        &seen,
                        &zero_slack,
                    )? {
                        return Ok(true);
                    }
                }
                break;
            }
            collection.extend(pending[start..end].iter().map(|&(s, _)| s));
            // A level inside the span of the levels before it keeps the collection balanced:
            // if `Σ λ_S 1_S (+ Σ μ_i 1_{i}) = 1_N` with `λ > 0` and `1_T = Σ α_S 1_S`, then
            // `λ_S − t α_S` on the old members and `t` on `T` are still positive for a small
            // `t > 0`. So the balancedness LP is only needed where the rank grows.
            let r = coalition_rank(n, &collection);
            if r > rank && !balanced(n, &collection, &zero_slack)? {
                return Ok(false);
            }
            if r == n {
                return Ok(true);
            }
            rank = r;
            start = end;
        }
        pending.drain(..start);
        if exhausted && pending.is_empty() {
            // Every proper coalition was examined (they span R^n for n ≥ 2, so this is only
            // reached through rounding).
            return Ok(true);
        }
    }
}

/// Most pricing rounds of [`balanced_by_columns`] per player.
const COLUMN_ROUNDS_PER_PLAYER: usize = 8;

/// Most times [`price_level`] shrinks its perturbation before giving up.
const PERTURBATION_SHRINKS: usize = 24;

/// How negative `y(T)` must be for a priced coalition to count as cutting the direction `y`
/// (directions are scaled to entries in `[-1, 1]`).
const DIRECTION_TOL: f64 = 1e-7;

/// Kohlberg's test of one tie level by column generation, for a level too large to enumerate.
///
/// `base` holds the complete levels above (their union `B_{k-1}`), `level` the members of level
/// `k` fetched so far (in decreasing excess order, the first at the level's top excess), `seen`
/// every coalition fetched so far. Returns `true` only with a certificate: a sub-collection
/// `C ⊆ B_k` of rank `n` with `C ∪ Z` balanced (positive weights on `C`), which makes `B_k`
/// and every later `B_j` balanced (the span argument of [`kohlberg_criterion`]). `false` means
/// "not shown": the caller enumerates the level instead.
///
/// Columns come from the game's separation oracle at a perturbed point: while `C` is not
/// balanced, an LP gives a direction `y` with `y(N) = 0`, `y ≥ 0` on `Z` and `y(S) ≥ 0` on `C`,
/// not all zero (Kohlberg's dual characterisation); the level member minimising `y(T)` is the
/// top coalition at `x + ηy` for a small `η`, and joins `C` if `y(T) < 0`. While `C` has rank
/// below `n`, the directions are a basis of its orthogonal complement (both signs), so the
/// member found lies outside the span of `C`. Every coalition added is checked to belong to
/// the level by its excess at `x` itself, computed from [`CoalitionalGame::value`]; `η`
/// shrinks until the top coalition at `x + ηy` is one. This is the pricing step of the
/// column generation that Maschler, Peleg & Shapley's sequential LPs call for on degenerate
/// levels (see also Benedek, Fliege & Nguyen 2021, "Finding and verifying the nucleolus of
/// cooperative games", Math. Programming, where the balancedness of the tight set certifies a
/// stage).
fn balanced_by_columns<G: CoalitionalGame + ?Sized>(
    g: &G,
    x: &[f64],
    tol: f64,
    base: &[Coalition],
    level: &[(Coalition, f64)],
    seen: &HashSet<u64>,
    zero_slack: &[usize],
) -> Result<bool> {
    let n = x.len();
    let Some(&(_, top)) = level.first() else {
        return Ok(false);
    };
    let mut collection: Vec<Coalition> = base
        .iter()
        .copied()
        .chain(level.iter().map(|&(s, _)| s))
        .collect();
    let mut added: HashSet<u64> = HashSet::new();
    let scale = x.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let mut eta = 1e-3 * scale / n as f64;
    for _ in 0..COLUMN_ROUNDS_PER_PLAYER * n {
        let rank = coalition_rank(n, &collection);
        let directions = if rank == n {
            if balanced(n, &collection, zero_slack)? {
                return Ok(true);
            }
            match improving_direction(n, &collection, zero_slack)? {
                Some(y) => vec![y],
                None => return Ok(false),
            }
        } else {
            null_space(n, &collection)
                .into_iter()
                .flat_map(|y| {
                    let minus = y.iter().map(|v| -v).collect();
                    [y, minus]
                })
                .collect()
        };
        let mut fresh = Vec::new();
        for y in &directions {
            let skip = |s: Coalition| seen.contains(&s.0) || added.contains(&s.0);
            fresh = price_level(g, x, y, top, tol, &mut eta, &skip)?;
            if !fresh.is_empty() {
                break;
            }
        }
        if fresh.is_empty() {
            return Ok(false);
        }
        for s in fresh {
            if added.insert(s.0) {
                collection.push(s);
            }
        }
    }
    Ok(false)
}

/// The members `T` of the level at excess `top` (not skipped) with `y(T) < 0`, most negative
/// first, found as the top coalitions at `x + ηy`; `η` shrinks while the top coalition there
/// is not a member of the level. Empty when no member has `y(T) < 0` (or none could be
/// shown).
fn price_level<G: CoalitionalGame + ?Sized>(
    g: &G,
    x: &[f64],
    y: &[f64],
    top: f64,
    tol: f64,
    eta: &mut f64,
    skip: &dyn Fn(Coalition) -> bool,
) -> Result<Vec<Coalition>> {
    let n = x.len();
    let excess = |s: Coalition| g.value(s) - s.members().map(|i| x[i]).sum::<f64>();
    let along = |s: Coalition| s.members().map(|i| y[i]).sum::<f64>();
    for _ in 0..PERTURBATION_SHRINKS {
        let moved: Vec<f64> = x.iter().zip(y).map(|(a, b)| a + *eta * b).collect();
        let batch = top_excess(g, &moved, skip, n)?;
        let Some(&(first, _)) = batch.first() else {
            return Ok(Vec::new());
        };
        if excess(first) < top - tol {
            *eta *= 0.125;
            continue;
        }
        return Ok(batch
            .into_iter()
            .map(|(s, _)| s)
            .filter(|&s| excess(s) >= top - tol && along(s) < -DIRECTION_TOL)
            .collect());
    }
    Ok(Vec::new())
}

/// A direction `y ∈ [-1, 1]^n` with `y(N) = 0`, `y_i ≥ 0` on `zero_slack` and `y(S) ≥ 0` on
/// `collection`, maximising `Σ_S y(S)`; `None` when that maximum is (numerically) zero, i.e.
/// when the collection is balanced.
fn improving_direction(
    n: usize,
    collection: &[Coalition],
    zero_slack: &[usize],
) -> Result<Option<Vec<f64>>> {
    let mut count = vec![0.0; n];
    for s in collection {
        for i in s.members() {
            count[i] += 1.0;
        }
    }
    let mut lp = LinearProgram::new(Sense::Maximize);
    let ys: Vec<Var> = (0..n)
        .map(|i| {
            let lo = if zero_slack.contains(&i) { 0.0 } else { -1.0 };
            lp.add_variable(lo, 1.0, count[i])
        })
        .collect();
    lp.add_constraint(ys.iter().map(|&v| (v, 1.0)), Relation::Eq, 0.0);
    for s in collection {
        lp.add_constraint(s.members().map(|i| (ys[i], 1.0)), Relation::Ge, 0.0);
    }
    let sol = lp.solve()?;
    if !sol.is_optimal() || sol.objective <= DIRECTION_TOL {
        return Ok(None);
    }
    Ok(Some(sol.values[..n].to_vec()))
}

/// A basis of the vectors orthogonal to every indicator of `collection`, each scaled to
/// largest entry 1.
fn null_space(n: usize, collection: &[Coalition]) -> Vec<Vec<f64>> {
    // Reduced row echelon form of the indicator matrix.
    let mut rows: Vec<Vec<f64>> = collection
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| if s.contains(i) { 1.0 } else { 0.0 })
                .collect()
        })
        .collect();
    let mut pivots: Vec<usize> = Vec::new();
    let mut rank = 0;
    for col in 0..n {
        let Some(p) =
            (rank..rows.len()).max_by(|&a, &b| rows[a][col].abs().total_cmp(&rows[b][col].abs()))
        else {
            break;
        };
        if rows[p][col].abs() <= PIVOT_TOL {
            continue;
        }
        rows.swap(rank, p);
        let pv = rows[rank][col];
        rows[rank].iter_mut().for_each(|a| *a /= pv);
        let pivot = rows[rank].clone();
        for (k, r) in rows.iter_mut().enumerate() {
            let f = r[col];
            if k != rank && f != 0.0 {
                for (a, b) in r.iter_mut().zip(&pivot) {
                    *a -= f * b;
                }
            }
        }
        pivots.push(col);
        rank += 1;
    }
    (0..n)
        .filter(|c| !pivots.contains(c))
        .map(|free| {
            let mut y = vec![0.0; n];
            y[free] = 1.0;
            for (k, &p) in pivots.iter().enumerate() {
                y[p] = -rows[k][free];
            }
            let m = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            y.iter_mut().for_each(|v| *v /= m);
            y
        })
        .collect()
}

/// Smallest weight a balanced collection must show to count as strictly positive.
const BALANCE_WEIGHT_TOL: f64 = 1e-9;

/// Whether `collection ∪ zero_slack` is balanced with positive weights on `collection`.
fn balanced(n: usize, collection: &[Coalition], zero_slack: &[usize]) -> Result<bool> {
    // max δ  s.t.  Σ λ_S 1_S + Σ_{i∈Z} ν_i 1_{i} = 1_N,  λ_S ≥ δ,  written with λ_S = δ + μ_S
    // (μ, ν ≥ 0) so that the program has only the n rows of the players, not one per member.
    let mut lp = LinearProgram::new(Sense::Maximize);
    let delta = lp.add_variable(0.0, 1.0, 1.0);
    let mut per_player: Vec<Vec<(Var, f64)>> = vec![Vec::new(); n];
    let mut count = vec![0.0; n];
    for &s in collection {
        let mu = lp.add_variable(0.0, f64::INFINITY, 0.0);
        for i in s.members() {
            per_player[i].push((mu, 1.0));
            count[i] += 1.0;
        }
    }
    for &i in zero_slack {
        let nu = lp.add_variable(0.0, f64::INFINITY, 0.0);
        per_player[i].push((nu, 1.0));
    }
    for (mut terms, c) in per_player.into_iter().zip(count) {
        if c > 0.0 {
            terms.push((delta, c));
        }
        lp.add_constraint(terms, Relation::Eq, 1.0);
    }
    let sol = lp.solve()?;
    Ok(sol.is_optimal() && sol.value(delta) > BALANCE_WEIGHT_TOL)
}

/// Rank of the indicator vectors of `collection`.
fn coalition_rank(n: usize, collection: &[Coalition]) -> usize {
    let mut rows: Vec<Vec<f64>> = collection
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| if s.contains(i) { 1.0 } else { 0.0 })
                .collect()
        })
        .collect();
    let mut rank = 0;
    for col in 0..n {
        let Some(p) =
            (rank..rows.len()).max_by(|&a, &b| rows[a][col].abs().total_cmp(&rows[b][col].abs()))
        else {
            break;
        };
        if rows[p][col].abs() <= PIVOT_TOL {
            continue;
        }
        rows.swap(rank, p);
        let pivot = rows[rank].clone();
        for r in rows.iter_mut().skip(rank + 1) {
            let f = r[col] / pivot[col];
            if f != 0.0 {
                for (a, b) in r.iter_mut().zip(&pivot) {
                    *a -= f * b;
                }
            }
        }
        rank += 1;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::tu::TuGame;
    use crate::game::WeightedVoting;

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    /// Seeded weighted voting games of 6..=9 players, some with equal weights (big ties).
    fn voting_games() -> Vec<WeightedVoting> {
        let mut seed = 2021;
        let mut out = Vec::new();
        for n in 6..=9usize {
            for spread in [3u64, 12] {
                let w: Vec<u64> = (0..n).map(|_| lcg(&mut seed) % spread + 1).collect();
                let total: u64 = w.iter().sum();
                out.push(WeightedVoting::new(w.clone(), total / 2 + 1).unwrap());
                out.push(WeightedVoting::new(w, (2 * total).div_ceil(3)).unwrap());
            }
        }
        out
    }

    /// Kohlberg's criterion straight from its definition on a dense table: every coalition
    /// sorted by excess, a balancedness LP per level (no oracle, no span shortcut except the
    /// stop at a balanced collection of rank `n`, after which every larger one is balanced).
    fn brute_force_kohlberg(g: &TuGame, x: &[f64], domain: Domain) -> bool {
        let n = g.num_players();
        let tol = Tolerance::LP.threshold(1.0);
        let zero: Vec<usize> = match domain {
            Domain::Preimputations => Vec::new(),
            Domain::Imputations => (0..n)
                .filter(|&i| x[i] - g.value(Coalition::singleton(i)) <= tol)
                .collect(),
        };
        let mut all: Vec<(Coalition, f64)> = (1..Coalition::grand(n).0)
            .map(|m| {
                let s = Coalition(m);
                (s, g.value(s) - s.members().map(|i| x[i]).sum::<f64>())
            })
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut collection = Vec::new();
        let mut k = 0;
        while k < all.len() {
            let mut end = k + 1;
            while end < all.len() && all[end - 1].1 - all[end].1 <= tol {
                end += 1;
            }
            collection.extend(all[k..end].iter().map(|&(s, _)| s));
            if !balanced(n, &collection, &zero).unwrap() {
                return false;
            }
            if coalition_rank(n, &collection) == n {
                return true;
            }
            k = end;
        }
        true
    }

    #[test]
    fn column_generation_on_large_ties_agrees_with_the_definition() {
        // First batches of 2 and 8 coalitions make every level of these games "large", so the
        // certificate goes through the column generation; the verdict must be the one of the
        // definition, at the nucleolus and at points moved off it.
        let mut seed = 7;
        let mut certified_by_columns = 0;
        let mut refuted = 0;
        let tol = Tolerance::LP.threshold(1.0);
        for g in voting_games() {
            let dense = TuGame::from_game(&g).unwrap();
            let n = g.len();
            for domain in [Domain::Imputations, Domain::Preimputations] {
                let nu = match domain {
                    Domain::Imputations => nucleolus(&dense).unwrap(),
                    Domain::Preimputations => prenucleolus(&dense).unwrap(),
                };
                let mut points = vec![nu.allocation.clone()];
                for _ in 0..3 {
                    let (i, j) = (lcg(&mut seed) as usize % n, lcg(&mut seed) as usize % n);
                    let d = (1 + lcg(&mut seed) % 50) as f64 * 1e-3;
                    let mut y = nu.allocation.clone();
                    if i != j && y[i] >= d {
                        y[i] -= d;
                        y[j] += d;
                        points.push(y);
                    }
                }
                for x in &points {
                    let want = brute_force_kohlberg(&dense, x, domain);
                    refuted += usize::from(!want);
                    for batch in [2, 8, KOHLBERG_BATCH] {
                        assert_eq!(
                            kohlberg_in_batches(&g, x, domain, batch).unwrap(),
                            want,
                            "{:?} at {x:?}, batch {batch}",
                            g.rules()
                        );
                    }
                }
                assert!(brute_force_kohlberg(&dense, &nu.allocation, domain));
                // The column generation alone, from the first two coalitions of the top level.
                let x = &nu.allocation;
                let zero: Vec<usize> = match domain {
                    Domain::Preimputations => Vec::new(),
                    Domain::Imputations => (0..n).filter(|&i| x[i] <= tol).collect(),
                };
                let top = g.most_excess_coalitions(x, &|_| false, 2).unwrap();
                let seen: HashSet<u64> = top.iter().map(|(s, _)| s.0).collect();
                let level: Vec<(Coalition, f64)> = top
                    .iter()
                    .copied()
                    .filter(|&(_, e)| top[0].1 - e <= tol)
                    .collect();
                if balanced_by_columns(&g, x, tol, &[], &level, &seen, &zero).unwrap() {
                    certified_by_columns += 1;
                }
            }
        }
        // Most of these nucleoli are determined at their first level, whose certificate the
        // pricing finds from two of its coalitions.
        assert!(certified_by_columns >= 10, "{certified_by_columns}");
        assert!(refuted >= 10, "{refuted}");
    }

    #[test]
    fn a_balanced_spanning_part_of_a_level_is_found_by_pricing() {
        // [3; 1, 1, 1, 1, 1]: the nucleolus is (1/5, ..., 1/5) and its top level is the ten
        // coalitions of three players. From the first two of them, pricing must complete a
        // balanced collection of rank 5.
        let g = WeightedVoting::new(vec![1; 5], 3).unwrap();
        let x = vec![0.2; 5];
        let tol = Tolerance::LP.threshold(1.0);
        let level = g.most_excess_coalitions(&x, &|_| false, 2).unwrap();
        assert!((level[0].1 - 0.4).abs() < 1e-12 && (level[1].1 - 0.4).abs() < 1e-12);
        let seen: HashSet<u64> = level.iter().map(|(s, _)| s.0).collect();
        assert!(balanced_by_columns(&g, &x, tol, &[], &level, &seen, &[]).unwrap());
        // Off the nucleolus the same level is not balanced: no certificate.
        let y = vec![0.3, 0.1, 0.2, 0.2, 0.2];
        let top = g.most_excess_coalitions(&y, &|_| false, 1).unwrap();
        let seen: HashSet<u64> = top.iter().map(|(s, _)| s.0).collect();
        assert!(!balanced_by_columns(&g, &y, tol, &[], &top, &seen, &[]).unwrap());
    }

    #[test]
    fn null_space_is_orthogonal_to_the_collection() {
        let c = [
            Coalition::from_members([0, 1]),
            Coalition::from_members([1, 2]),
            Coalition::from_members([0, 1, 2]),
        ];
        let ys = null_space(4, &c);
        assert_eq!(ys.len(), 4 - coalition_rank(4, &c));
        for y in &ys {
            assert!(y.iter().any(|v| v.abs() == 1.0));
            for s in &c {
                assert!(s.members().map(|i| y[i]).sum::<f64>().abs() < 1e-12);
            }
        }
    }
}
