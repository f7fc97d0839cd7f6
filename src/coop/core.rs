//! The core: membership, non-emptiness (Bondareva–Shapley) and the least core.

use crate::coop::nucleolus::Stages;
use crate::error::{Error, Result};
use crate::game::tu::{check_allocation, Coalition, CoalitionalGame};
use crate::lp::{LinearProgram, Relation, Sense, Var};
use crate::tolerance::Tolerance;

/// The allocations a solution concept ranges over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Domain {
    /// Efficient and individually rational: `x(N) = v(N)`, `x_i ≥ v({i})`.
    Imputations,
    /// Efficient only: `x(N) = v(N)`.
    Preimputations,
}

/// Whether an allocation is in the core, with the witness.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreCheck {
    /// `x(N) = v(N)` and no proper coalition has positive excess (within [`Tolerance::LP`]).
    pub in_core: bool,
    /// `x(N) − v(N)`.
    pub efficiency_gap: f64,
    /// The proper coalition of largest excess `v(S) − x(S)` with that excess (the blocking
    /// coalition when positive); `None` only for one-player games.
    pub most_violated: Option<(Coalition, f64)>,
}

/// Whether the core is non-empty, with a certificate either way.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreStatus {
    /// Whether the core has a point.
    pub nonempty: bool,
    /// A core point when non-empty.
    pub point: Option<Vec<f64>>,
    /// When empty (Bondareva 1963, Shapley 1967): a balanced collection of proper coalitions
    /// with weights `λ_S > 0`, `Σ_{S∋i} λ_S = 1` for every player, and `Σ λ_S v(S) > v(N)`.
    pub balanced_witness: Option<Vec<(Coalition, f64)>>,
}

/// A least-core point and its ε.
#[derive(Debug, Clone, PartialEq)]
pub struct LeastCore {
    /// `min_x max_{∅≠S≠N} e(S, x)` over the domain; the core is non-empty iff `ε ≤ 0`.
    pub epsilon: f64,
    /// An allocation attaining ε (a vertex of the least core).
    pub allocation: Vec<f64>,
}

fn grand_value<G: CoalitionalGame + ?Sized>(g: &G) -> Result<f64> {
    let v = g.value(Coalition::grand(g.num_players()));
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::invalid_game(format!("v(N) is {v}")))
    }
}

/// Checks whether `x` is in the core of `g`: `x(N) = v(N)` and `x(S) ≥ v(S)` for all `S`.
///
/// # Returns
/// The verdict, the efficiency gap and the coalition of largest excess (from
/// [`CoalitionalGame::most_excess_coalition`], so oracle games are checked without a table).
///
/// # Errors
/// [`Error::InvalidArgument`] for a wrong-length or non-finite `x`; [`Error::TooLarge`] from
/// the default separation beyond 30 players.
///
/// # Complexity
/// One separation call (`O(2^n)` for a dense game).
///
/// # Example
/// ```
/// use covenant::coop::core_check;
/// use covenant::game::TuGame;
/// // Glove game: the core is the single point (0, 0, 1).
/// let g = TuGame::new(3, vec![0., 0., 0., 0., 0., 1., 1., 1.]).unwrap();
/// assert!(core_check(&g, &[0.0, 0.0, 1.0]).unwrap().in_core);
/// let c = core_check(&g, &[0.5, 0.0, 0.5]).unwrap();
/// assert!(!c.in_core && c.most_violated.unwrap().1 > 0.0);
/// ```
pub fn core_check<G: CoalitionalGame + ?Sized>(g: &G, x: &[f64]) -> Result<CoreCheck> {
    let n = g.num_players();
    check_allocation(n, x)?;
    let v_grand = grand_value(g)?;
    let efficiency_gap = x.iter().sum::<f64>() - v_grand;
    let most_violated = g.most_excess_coalition(x, &|_| false)?;
    let scale = x.iter().fold(v_grand.abs(), |m, v| m.max(v.abs()));
    let tol = Tolerance::LP.threshold(scale);
    let in_core = efficiency_gap.abs() <= tol && most_violated.is_none_or(|(_, e)| e <= tol);
    Ok(CoreCheck {
        in_core,
        efficiency_gap,
        most_violated,
    })
}

/// The least core (Maschler, Peleg & Shapley 1979): `ε = min_x max_{∅≠S≠N} (v(S) − x(S))`
/// over the domain, with a point attaining it.
///
/// Constraint generation: an LP over the singletons and their complements, adding the most
/// violated coalitions found by [`CoalitionalGame::most_excess_coalitions`] until none
/// exceeds ε (the first stage of [`crate::coop::nucleolus()`]).
///
/// # Errors
/// [`Error::InvalidArgument`] for a one-player game (no proper coalition) and, with
/// [`Domain::Imputations`], an empty imputation set (`Σ v({i}) > v(N)`); [`Error::TooLarge`]
/// from the default separation beyond 30 players.
///
/// # Example
/// ```
/// use covenant::coop::{least_core, Domain};
/// use covenant::game::TuGame;
/// // Majority game of 3 players: empty core, ε = 1/3 at (1/3, 1/3, 1/3).
/// let g = TuGame::from_fn(3, |s| if s.len() >= 2 { 1.0 } else { 0.0 }).unwrap();
/// let lc = least_core(&g, Domain::Preimputations).unwrap();
/// assert!((lc.epsilon - 1.0 / 3.0).abs() < 1e-9);
/// ```
pub fn least_core<G: CoalitionalGame + ?Sized>(g: &G, domain: Domain) -> Result<LeastCore> {
    let mut st = Stages::new(g, domain)?;
    let (epsilon, allocation) = st.first_stage()?;
    Ok(LeastCore {
        epsilon,
        allocation,
    })
}

/// Whether the core of `g` is non-empty, with a core point or, when empty, a balanced
/// collection `λ` with `Σ λ_S v(S) > v(N)` (Bondareva–Shapley theorem).
///
/// The preimputation least core decides it (`ε ≤ 0` within [`Tolerance::LP`]); the witness is
/// an optimal vertex of the Bondareva LP `max Σ λ_S v(S)` s.t. `Σ_{S∋i} λ_S = 1`, `λ ≥ 0`,
/// over the coalitions generated for the least core (enough, by LP duality).
///
/// # Errors
/// As [`least_core`], except that a one-player game has the core `{v(N)}`.
pub fn core_nonempty<G: CoalitionalGame + ?Sized>(g: &G) -> Result<CoreStatus> {
    let n = g.num_players();
    if n == 1 {
        return Ok(CoreStatus {
            nonempty: true,
            point: Some(vec![grand_value(g)?]),
            balanced_witness: None,
        });
    }
    let mut st = Stages::new(g, Domain::Preimputations)?;
    let (eps, x) = st.first_stage()?;
    if eps <= st.tolerance() {
        return Ok(CoreStatus {
            nonempty: true,
            point: Some(x),
            balanced_witness: None,
        });
    }
    let work: Vec<Coalition> = st.work().to_vec();
    let mut lp = LinearProgram::new(Sense::Maximize);
    let lambdas: Vec<Var> = work
        .iter()
        .map(|&s| lp.add_variable(0.0, f64::INFINITY, g.value(s)))
        .collect();
    for i in 0..n {
        let terms: Vec<(Var, f64)> = work
            .iter()
            .zip(&lambdas)
            .filter(|(s, _)| s.contains(i))
            .map(|(_, &l)| (l, 1.0))
            .collect();
        lp.add_constraint(terms, Relation::Eq, 1.0);
    }
    let sol = lp.solve()?;
    let v_grand = grand_value(g)?;
    if !sol.is_optimal() || sol.objective <= v_grand {
        return Err(Error::Numerical {
            context: "Bondareva–Shapley witness",
            message: format!(
                "least-core ε = {eps} > 0 but the balanced-collection LP gives {:?} with value \
                 {} ≤ v(N) = {v_grand}",
                sol.status, sol.objective
            ),
        });
    }
    let witness = work
        .iter()
        .zip(&lambdas)
        .map(|(&s, &l)| (s, sol.value(l)))
        .filter(|&(_, w)| w > Tolerance::DEFAULT.abs)
        .collect();
    Ok(CoreStatus {
        nonempty: false,
        point: None,
        balanced_witness: Some(witness),
    })
}
