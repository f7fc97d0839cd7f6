//! Correlated and coarse correlated equilibria of n-player games, by linear programming.

use super::scale::PayoffScale;
use crate::error::{Error, Result};
use crate::game::NormalForm;
use crate::lp::{Backend, LinearProgram, LpSolution, Relation, Sense};
use crate::progress::ProgressFn;
use crate::tolerance::Tolerance;
use crate::verify;

/// Which kind of correlated equilibrium to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CeKind {
    /// Correlated equilibrium (Aumann 1974): no player gains by replacing a recommended action
    /// by another one, knowing the recommendation.
    #[default]
    Correlated,
    /// Coarse correlated equilibrium (Hannan; Moulin & Vial 1978): no player gains by ignoring
    /// the device and always playing one fixed action.
    Coarse,
}

/// The linear objective optimised over the equilibrium polytope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CeObjective {
    /// Maximise the sum of all players' expected payoffs (utilitarian welfare).
    #[default]
    Welfare,
    /// Maximise one player's expected payoff.
    MaxPlayer(usize),
    /// Minimise one player's expected payoff.
    MinPlayer(usize),
}

/// A (coarse) correlated equilibrium with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelatedEquilibrium {
    /// The profiles with positive probability (row-major profile order) and their
    /// probabilities, summing to 1.
    pub distribution: Vec<(Vec<usize>, f64)>,
    /// Each player's expected payoff under the distribution.
    pub payoffs: Vec<f64>,
    /// The value of the objective (welfare, or the chosen player's payoff).
    pub objective: f64,
    /// The largest gain of any deviation of the requested kind, computed by
    /// [`verify::correlated_regret`] (0 up to LP tolerance).
    pub regret: f64,
}

/// The size limit of [`correlated_equilibrium`]: profiles × incentive constraints. At this
/// limit the dense equivalent of the constraint matrix has 2·10⁷ entries.
pub const CE_SIZE_LIMIT: usize = 20_000_000;

/// An optimal (coarse) correlated equilibrium of `g` for a linear objective.
///
/// The variables are the probabilities `μ(s)` of the `N` pure profiles. Correlated: for every
/// player `p` and actions `a ≠ b`, `Σ_{s: s_p = a} μ(s)(u_p(s) − u_p(b, s_{−p})) >= 0`. Coarse:
/// for every `p` and `b`, `Σ_s μ(s)(u_p(s) − u_p(b, s_{−p})) >= 0`. Plus `Σ μ = 1`, `μ >= 0`.
/// The simplex backend returns a vertex of the polytope, so the support is small.
///
/// # Arguments
/// - `g`: any normal-form game.
/// - `kind`: [`CeKind::Correlated`] or [`CeKind::Coarse`].
/// - `objective`: what to optimise ([`CeObjective::Welfare`] by default).
///
/// # Returns
/// The distribution (positive-probability profiles), payoffs, objective value and the regret
/// recomputed by [`verify::correlated_regret`].
///
/// # Errors
/// - [`Error::InvalidArgument`] for a player index out of range in the objective.
/// - [`Error::TooLarge`] when profiles × constraints exceeds [`CE_SIZE_LIMIT`].
/// - [`Error::Numerical`] when the LP (always feasible: every Nash equilibrium is a CE) is not
///   solved to optimality; LP backend errors are passed through.
///
/// # Complexity
/// One LP with `N` variables and `Σ_p k_p(k_p − 1)` rows (`Σ_p k_p` for coarse), each row with
/// `N / k_p` (coarse: `N`) nonzeros.
///
/// # Example
/// ```
/// use covenant::game::NormalForm;
/// use covenant::noncoop::{correlated_equilibrium, CeKind, CeObjective};
///
/// // Chicken: the welfare-maximising CE puts 1/4, 1/4, 1/2 on (D,C), (C,D), (C,C).
/// let g = NormalForm::from_matrices(
///     &[vec![0.0, 7.0], vec![2.0, 6.0]],
///     &[vec![0.0, 2.0], vec![7.0, 6.0]],
/// ).unwrap();
/// let ce = correlated_equilibrium(&g, CeKind::Correlated, CeObjective::Welfare).unwrap();
/// assert!((ce.objective - 10.5).abs() < 1e-6);
/// assert!(ce.regret < 1e-6);
/// ```
pub fn correlated_equilibrium(
    g: &NormalForm,
    kind: CeKind,
    objective: CeObjective,
) -> Result<CorrelatedEquilibrium> {
    correlated_equilibrium_with_progress(g, kind, objective, None)
}

/// [`correlated_equilibrium`] reporting progress: `(players whose incentive constraints are
/// built, players + 1)`, and the last step when the LP is solved (the solve itself is one step:
/// the backends report nothing while they run).
///
/// # Errors
/// As [`correlated_equilibrium`].
pub fn correlated_equilibrium_with_progress(
    g: &NormalForm,
    kind: CeKind,
    objective: CeObjective,
    mut progress: Option<ProgressFn>,
) -> Result<CorrelatedEquilibrium> {
    if let Some((scaled, s)) = PayoffScale::normal_form(g)? {
        let ce = correlated_equilibrium_with_progress(&scaled, kind, objective, progress)?;
        return Ok(CorrelatedEquilibrium {
            payoffs: ce.payoffs.iter().map(|&x| s.unscale(x)).collect(),
            objective: s.unscale(ce.objective),
            regret: s.unscale(ce.regret),
            ..ce
        });
    }
    let mut report = |done, total| {
        if let Some(r) = progress.as_mut() {
            r(done, total)
        }
    };
    let (lp, profiles) = program(g, kind, objective, &mut report)?;
    let n = g.num_players();
    let ce = solve_with_fallback(g, &lp, kind, objective, &profiles, &|b| lp.solve_with(b))?;
    if let Some(report) = progress.as_mut() {
        report(n + 1, n + 1);
    }
    Ok(ce)
}

/// The CE program of `g` (variables: the probabilities of the pure profiles, row-major) and
/// the profiles in variable order, after checking the objective's player and the size limit.
/// Reports `(p, n + 1)` before each player's rows and `(n, n + 1)` at the end.
fn program(
    g: &NormalForm,
    kind: CeKind,
    objective: CeObjective,
    report: &mut dyn FnMut(usize, usize),
) -> Result<(LinearProgram, Vec<Vec<usize>>)> {
    let n = g.num_players();
    let shape = g.shape().to_vec();
    if let CeObjective::MaxPlayer(p) | CeObjective::MinPlayer(p) = objective {
        if p >= n {
            return Err(Error::invalid_argument(format!(
                "objective names player {p}, but the game has {n} players (0-based)"
            )));
        }
    }
    let total = g.num_profiles();
    let rows: usize = shape
        .iter()
        .map(|&k| match kind {
            CeKind::Correlated => k * (k - 1),
            CeKind::Coarse => k,
        })
        .sum();
    if total.saturating_mul(rows) > CE_SIZE_LIMIT {
        return Err(Error::TooLarge(format!(
            "{total} profiles x {rows} incentive constraints exceeds the limit of \
             {CE_SIZE_LIMIT} (CE_SIZE_LIMIT)"
        )));
    }
    let tensors: Vec<Vec<f64>> = g
        .payoff_tensors()
        .iter()
        .map(|t| t.iter().copied().collect())
        .collect();
    let strides: Vec<usize> = (0..n).map(|p| shape[p + 1..].iter().product()).collect();
    let profiles: Vec<Vec<usize>> = g.profiles().collect();

    let tensors_ref = &tensors;
    let (sense, cost): (Sense, Box<dyn Fn(usize) -> f64>) = match objective {
        CeObjective::Welfare => (
            Sense::Maximize,
            Box::new(move |f| tensors_ref.iter().map(|t| t[f]).sum()),
        ),
        CeObjective::MaxPlayer(p) => (Sense::Maximize, Box::new(move |f| tensors_ref[p][f])),
        CeObjective::MinPlayer(p) => (Sense::Minimize, Box::new(move |f| tensors_ref[p][f])),
    };
    let mut lp = LinearProgram::new(sense);
    let mu: Vec<_> = (0..total)
        .map(|f| lp.add_variable(0.0, f64::INFINITY, cost(f)))
        .collect();
    for p in 0..n {
        report(p, n + 1);
        let (k, stride) = (shape[p], strides[p]);
        let t = &tensors[p];
        match kind {
            CeKind::Correlated => {
                for a in 0..k {
                    for b in (0..k).filter(|&b| b != a) {
                        // Profiles with s_p = a; switching to b moves the flat index.
                        let terms =
                            profiles
                                .iter()
                                .enumerate()
                                .filter(|(_, s)| s[p] == a)
                                .map(|(f, _)| {
                                    let g_dev = f + b * stride - a * stride;
                                    (mu[f], t[f] - t[g_dev])
                                });
                        lp.add_constraint(terms, Relation::Ge, 0.0);
                    }
                }
            }
            CeKind::Coarse => {
                for b in 0..k {
                    let terms = profiles.iter().enumerate().map(|(f, s)| {
                        let g_dev = f + b * stride - s[p] * stride;
                        (mu[f], t[f] - t[g_dev])
                    });
                    lp.add_constraint(terms, Relation::Ge, 0.0);
                }
            }
        }
    }
    lp.add_constraint(mu.iter().map(|&v| (v, 1.0)), Relation::Eq, 1.0);
    report(n, n + 1);
    Ok((lp, profiles))
}

/// Solves the CE program with the default backend and, when that fails, with every other
/// compiled-in backend in turn (with the default features: microlp, then Clarabel). A failure
/// is any error of the backend itself (microlp was reported to answer "Singular matrix" on a
/// 30x30 game), a status other than optimal, or an optimal point whose regret, recomputed by
/// [`verify::correlated_regret`], exceeds the LP tolerance. The LP is feasible and bounded
/// (every Nash equilibrium is a CE), so a failure is the backend's, not the game's. Only
/// [`Error::InvalidArgument`] (a program no backend accepts) ends the search at once.
///
/// `solve` runs the program on one backend: `|b| lp.solve_with(b)`, or in the tests a
/// wrapper that makes a backend fail, so that the fallback itself is exercised.
fn solve_with_fallback(
    g: &NormalForm,
    lp: &LinearProgram,
    kind: CeKind,
    objective: CeObjective,
    profiles: &[Vec<usize>],
    solve: &dyn Fn(Backend) -> Result<LpSolution>,
) -> Result<CorrelatedEquilibrium> {
    let range = g
        .payoff_tensors()
        .iter()
        .flat_map(|t| t.iter())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    let threshold = Tolerance::LP.threshold(range);
    let order = backend_order(profiles.len())?;
    let mut failures = Vec::new();
    let mut best: Option<CorrelatedEquilibrium> = None;
    for backend in order {
        let sol = match solve(backend) {
            Ok(sol) => sol,
            Err(e @ Error::InvalidArgument(_)) => return Err(e),
            Err(e) => {
                failures.push(format!("{}: {e}", backend.name()));
                continue;
            }
        };
        if !sol.is_optimal() || sol.values.len() != lp.num_variables() {
            failures.push(format!("{}: {:?}", backend.name(), sol.status));
            continue;
        }
        // The game and objective were checked before the LP was built: a point the checker
        // refuses (no mass left after dropping LP dust, NaN) is the backend's failure too.
        let ce = match certified(g, profiles, sol.values, kind, objective) {
            Ok(ce) => ce,
            Err(e) => {
                failures.push(format!("{}: {e}", backend.name()));
                continue;
            }
        };
        if ce.regret <= threshold {
            return Ok(ce);
        }
        failures.push(format!("{}: regret {:e}", backend.name(), ce.regret));
        if best.as_ref().is_none_or(|b| ce.regret < b.regret) {
            best = Some(ce);
        }
    }
    // Every backend solved it only loosely: the least-regret answer, its regret reported.
    best.ok_or_else(|| Error::Numerical {
        context: "correlated-equilibrium LP",
        message: format!(
            "the LP is feasible (Nash equilibria exist) and bounded, but every backend failed: {}",
            failures.join("; ")
        ),
    })
}

/// Joint profiles above which the interior-point backend is tried first: on a 30x30 game
/// (900 profiles) microlp took 85 s for the welfare objective and did not finish `max:0` in 35
/// minutes, where Clarabel took 1.7 s. The answer is certified by the same checker either way;
/// an interior-point optimum may spread its mass over more profiles than a vertex would.
pub const LARGE_CE_PROFILES: usize = 256;

/// Backends in the order the CE program tries them: the default (simplex) backend first up to
/// [`LARGE_CE_PROFILES`] joint profiles, the interior-point one first above; then the rest.
fn backend_order(profiles: usize) -> Result<Vec<Backend>> {
    let mut order = Backend::all_available();
    if order.is_empty() {
        return Err(Error::Unavailable(
            "no LP backend feature is enabled".into(),
        ));
    }
    let first = if profiles > LARGE_CE_PROFILES {
        order
            .iter()
            .copied()
            .find(|b| !b.returns_vertices())
            .map_or_else(Backend::default_backend, Ok)?
    } else {
        Backend::default_backend()?
    };
    order.retain(|&b| b != first);
    order.insert(0, first);
    Ok(order)
}

/// The distribution an LP solution describes, with payoffs and regret from the definition.
fn certified(
    g: &NormalForm,
    profiles: &[Vec<usize>],
    values: Vec<f64>,
    kind: CeKind,
    objective: CeObjective,
) -> Result<CorrelatedEquilibrium> {
    let n = g.num_players();
    let probs = super::zero_sum::normalise(values);
    let distribution: Vec<(Vec<usize>, f64)> = profiles
        .iter()
        .cloned()
        .zip(probs)
        .filter(|(_, pr)| *pr > Tolerance::DEFAULT.abs)
        .collect();
    // Renormalise after dropping LP dust so that the certificate sees a distribution.
    let mass: f64 = distribution.iter().map(|(_, pr)| pr).sum();
    let distribution: Vec<(Vec<usize>, f64)> = distribution
        .into_iter()
        .map(|(s, pr)| (s, pr / mass))
        .collect();
    let payoffs: Vec<f64> = (0..n)
        .map(|p| distribution.iter().map(|(s, pr)| pr * g.payoff(p, s)).sum())
        .collect();
    let objective = match objective {
        CeObjective::Welfare => payoffs.iter().sum(),
        CeObjective::MaxPlayer(p) | CeObjective::MinPlayer(p) => payoffs[p],
    };
    let regret = verify::correlated_regret(g, &distribution, kind == CeKind::Coarse)?;
    Ok(CorrelatedEquilibrium {
        distribution,
        payoffs,
        objective,
        regret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// A seeded n x n game with integer payoffs in [-10, 10], and its CE program.
    fn seeded(n: usize, seed: u64, kind: CeKind) -> (NormalForm, LinearProgram, Vec<Vec<usize>>) {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut matrix = || -> Vec<Vec<f64>> {
            (0..n)
                .map(|_| {
                    (0..n)
                        .map(|_| rng.random_range(-10i32..=10) as f64)
                        .collect()
                })
                .collect()
        };
        let (a, b) = (matrix(), matrix());
        let g = NormalForm::from_matrices(&a, &b).unwrap();
        let (lp, profiles) = program(&g, kind, CeObjective::Welfare, &mut |_, _| {}).unwrap();
        (g, lp, profiles)
    }

    fn lp_error(backend: Backend) -> Error {
        Error::Lp {
            backend: backend.name(),
            message: "Singular matrix (injected by the test)".into(),
        }
    }

    #[test]
    fn a_failing_first_backend_falls_back_and_the_answer_is_certified() {
        if Backend::all_available().len() < 2 {
            return; // nothing to fall back to in this build
        }
        for kind in [CeKind::Correlated, CeKind::Coarse] {
            // 12x12: 144 profiles, the simplex backend first, Clarabel the fallback.
            let (g, lp, profiles) = seeded(12, 7, kind);
            let first = backend_order(profiles.len()).unwrap()[0];
            let asked = std::cell::RefCell::new(Vec::new());
            let ce = solve_with_fallback(&g, &lp, kind, CeObjective::Welfare, &profiles, &|b| {
                asked.borrow_mut().push(b);
                if b == first {
                    Err(lp_error(b))
                } else {
                    lp.solve_with(b)
                }
            })
            .unwrap();
            assert_eq!(asked.borrow()[0], first);
            assert!(asked.borrow().len() >= 2);
            // Certified by the independent checker, and optimal: welfare at least that of the
            // best pure profile that is itself a CE, and equal to the other backend's optimum.
            let again =
                verify::correlated_regret(&g, &ce.distribution, kind == CeKind::Coarse).unwrap();
            assert!(
                again <= Tolerance::LP.threshold(10.0),
                "{kind:?}: regret {again}"
            );
            assert_eq!(again, ce.regret);
            let mass: f64 = ce.distribution.iter().map(|(_, p)| p).sum();
            assert!((mass - 1.0).abs() < 1e-9);
            let fallback = asked.borrow()[1];
            let direct = lp.solve_with(fallback).unwrap();
            assert!((direct.objective - ce.objective).abs() < 1e-5, "{kind:?}");
        }
    }

    /// A 30x30 game (900 profiles) goes to the interior-point backend first, which answers,
    /// certified, without the simplex backend being asked.
    #[test]
    fn a_large_program_goes_to_the_interior_point_backend_first() {
        let Some(ipm) = Backend::all_available()
            .into_iter()
            .find(|b| !b.returns_vertices())
        else {
            return;
        };
        let (g, lp, profiles) = seeded(30, 7, CeKind::Correlated);
        assert!(profiles.len() > LARGE_CE_PROFILES);
        let asked = std::cell::RefCell::new(Vec::new());
        let ce = solve_with_fallback(
            &g,
            &lp,
            CeKind::Correlated,
            CeObjective::Welfare,
            &profiles,
            &|b| {
                asked.borrow_mut().push(b);
                lp.solve_with(b)
            },
        )
        .unwrap();
        assert_eq!(*asked.borrow(), vec![ipm]);
        let again = verify::correlated_regret(&g, &ce.distribution, false).unwrap();
        assert!(again <= Tolerance::LP.threshold(10.0), "regret {again}");
    }

    #[test]
    fn a_backend_answer_that_fails_the_certificate_is_not_returned() {
        let first = Backend::default_backend().unwrap();
        if Backend::all_available().len() < 2 {
            return;
        }
        let (g, lp, profiles) = seeded(6, 11, CeKind::Correlated);
        // The first backend "solves" with all mass on the profile of worst welfare that is not
        // a CE: the certificate must reject it and the next backend answer.
        let bad = (0..profiles.len())
            .find(|&f| {
                let d = vec![(profiles[f].clone(), 1.0)];
                verify::correlated_regret(&g, &d, false).unwrap() > 1.0
            })
            .expect("a seeded 6x6 game has a pure profile that is not a CE");
        let ce = solve_with_fallback(
            &g,
            &lp,
            CeKind::Correlated,
            CeObjective::Welfare,
            &profiles,
            &|b| {
                if b == first {
                    let mut values = vec![0.0; profiles.len()];
                    values[bad] = 1.0;
                    Ok(LpSolution {
                        status: crate::lp::LpStatus::Optimal,
                        values,
                        objective: 0.0,
                        duals: None,
                    })
                } else {
                    lp.solve_with(b)
                }
            },
        )
        .unwrap();
        assert!(ce.regret <= Tolerance::LP.threshold(10.0));
        assert!(
            ce.distribution.iter().all(|(s, _)| *s != profiles[bad]) || ce.distribution.len() > 1
        );
    }

    #[test]
    fn when_every_backend_fails_the_error_names_each_failure() {
        let (g, lp, profiles) = seeded(3, 1, CeKind::Coarse);
        let err = solve_with_fallback(
            &g,
            &lp,
            CeKind::Coarse,
            CeObjective::Welfare,
            &profiles,
            &|b| Err(lp_error(b)),
        )
        .unwrap_err();
        match err {
            Error::Numerical { message, .. } => {
                for b in Backend::all_available() {
                    assert!(message.contains(b.name()), "{message}");
                }
                assert!(message.contains("Singular matrix"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // A program no backend accepts is an error at once, not a list of failures.
        let once = solve_with_fallback(
            &g,
            &lp,
            CeKind::Coarse,
            CeObjective::Welfare,
            &profiles,
            &|_| Err(Error::invalid_argument("LP row 0 has coefficient inf")),
        );
        assert!(matches!(once, Err(Error::InvalidArgument(_))));
    }
}
