//! Linear programming: the one module that names an LP backend.
//!
//! Solvers in covenant build a [`LinearProgram`] (variables with bounds, linear rows, a linear
//! objective) and call [`LinearProgram::solve`] (the default backend) or
//! [`LinearProgram::solve_with`]. The outcome is an [`LpSolution`] whose [`LpStatus`] tells
//! optimal, infeasible and unbounded apart: those are mathematical outcomes, not errors. An
//! [`Error::Lp`] means the backend itself failed.
//!
//! Backends (cargo features), all through `good_lp`:
//!
//! | backend | feature | kind | duals | system packages |
//! |---|---|---|---|---|
//! | [`Backend::Microlp`] | `microlp` (default) | pure-Rust simplex, vertex solutions | no | none |
//! | [`Backend::Clarabel`] | `clarabel` (default) | pure-Rust interior point | yes | none |
//! | [`Backend::Highs`] | `highs` | HiGHS (C++) | yes | `cmake`, `libclang-dev` |
//! | [`Backend::CoinCbc`] | `coin_cbc` | COIN-OR CBC | no | `coinor-libcbc-dev` |
//!
//! The default is the first compiled-in of HiGHS, Microlp, CBC, Clarabel: a simplex backend,
//! because several solvers (dominance, Stackelberg, nucleolus) rely on vertex solutions.

mod backend;
pub mod dense;

use crate::error::{Error, Result};

/// Direction of optimisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Minimise the objective.
    Minimize,
    /// Maximise the objective.
    Maximize,
}

/// Relation of a row to its right-hand side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// `row · x <= rhs`
    Le,
    /// `row · x >= rhs`
    Ge,
    /// `row · x == rhs`
    Eq,
}

/// A variable of a [`LinearProgram`] (its index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Var(pub usize);

/// A row (constraint) of a [`LinearProgram`] (its index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowId(pub usize);

/// One linear constraint `Σ coef·x  (<=|>=|==)  rhs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Sparse coefficients.
    pub terms: Vec<(Var, f64)>,
    /// The relation.
    pub relation: Relation,
    /// Right-hand side.
    pub rhs: f64,
}

/// A linear program in a backend-neutral form.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearProgram {
    sense: Sense,
    objective: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    rows: Vec<Row>,
}

/// How an LP turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LpStatus {
    /// An optimal solution was found.
    Optimal,
    /// No point satisfies the constraints.
    Infeasible,
    /// The objective is unbounded in the optimisation direction.
    Unbounded,
}

/// The result of solving a [`LinearProgram`].
#[derive(Debug, Clone, PartialEq)]
pub struct LpSolution {
    /// Optimal, infeasible or unbounded.
    pub status: LpStatus,
    /// Variable values (empty unless `status == Optimal`).
    pub values: Vec<f64>,
    /// Objective value (NaN unless `status == Optimal`).
    pub objective: f64,
    /// Dual values per row, when the backend provides them and the solve was optimal.
    /// Sign convention: the change of the optimal objective per unit increase of the row's rhs.
    pub duals: Option<Vec<f64>>,
}

impl LpSolution {
    /// `true` when the status is [`LpStatus::Optimal`].
    pub fn is_optimal(&self) -> bool {
        self.status == LpStatus::Optimal
    }

    /// Value of a variable (panics only on a `Var` from another program).
    pub fn value(&self, v: Var) -> f64 {
        self.values[v.0]
    }

    pub(crate) fn not_optimal(status: LpStatus) -> Self {
        LpSolution {
            status,
            values: Vec::new(),
            objective: f64::NAN,
            duals: None,
        }
    }
}

/// Largest magnitude of a coefficient, right-hand side, cost or finite bound an LP may have.
/// The backends work with absolute tolerances near 1e-9: far beyond this they cannot tell
/// feasible from infeasible, and microlp was seen to loop without end on a coalitional game
/// with values of ±1e308. Such programs are refused with [`Error::InvalidArgument`]; the
/// non-cooperative solvers rescale payoffs by a power of two first, so they never reach it.
pub const MAX_MAGNITUDE: f64 = 1e100;

/// An LP backend compiled into this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// microlp: pure-Rust simplex (feature `microlp`).
    Microlp,
    /// Clarabel: pure-Rust interior point, with duals (feature `clarabel`).
    Clarabel,
    /// HiGHS (feature `highs`).
    Highs,
    /// COIN-OR CBC (feature `coin_cbc`).
    CoinCbc,
}

impl Backend {
    /// The backend used by [`LinearProgram::solve`]: a simplex backend when one is compiled in.
    pub fn default_backend() -> Result<Backend> {
        Backend::all_available()
            .into_iter()
            .find(|b| b.returns_vertices())
            .or_else(|| Backend::all_available().into_iter().next())
            .ok_or_else(|| Error::Unavailable("no LP backend feature is enabled".into()))
    }

    /// A backend that reports dual values, if one is compiled in (HiGHS first, then Clarabel).
    pub fn with_duals() -> Option<Backend> {
        [Backend::Highs, Backend::Clarabel]
            .into_iter()
            .find(|b| b.is_available())
    }

    /// All backends compiled into this build, fastest simplex first.
    pub fn all_available() -> Vec<Backend> {
        [
            Backend::Highs,
            Backend::Microlp,
            Backend::CoinCbc,
            Backend::Clarabel,
        ]
        .into_iter()
        .filter(|b| b.is_available())
        .collect()
    }

    /// Whether this backend was compiled in.
    pub fn is_available(self) -> bool {
        match self {
            Backend::Microlp => cfg!(feature = "microlp"),
            Backend::Clarabel => cfg!(feature = "clarabel"),
            Backend::Highs => cfg!(feature = "highs"),
            Backend::CoinCbc => cfg!(feature = "coin_cbc"),
        }
    }

    /// Whether optimal solutions are vertices of the feasible region (simplex backends).
    pub fn returns_vertices(self) -> bool {
        !matches!(self, Backend::Clarabel)
    }

    /// Whether the backend reports dual values.
    pub fn has_duals(self) -> bool {
        matches!(self, Backend::Clarabel | Backend::Highs)
    }

    /// Short name.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Microlp => "microlp",
            Backend::Clarabel => "clarabel",
            Backend::Highs => "highs",
            Backend::CoinCbc => "coin_cbc",
        }
    }
}

impl LinearProgram {
    /// An empty program with the given direction.
    pub fn new(sense: Sense) -> Self {
        LinearProgram {
            sense,
            objective: Vec::new(),
            lower: Vec::new(),
            upper: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Adds a variable with bounds `lower <= x <= upper` (use `f64::NEG_INFINITY` /
    /// `f64::INFINITY` for free sides) and objective coefficient `cost`.
    pub fn add_variable(&mut self, lower: f64, upper: f64, cost: f64) -> Var {
        self.objective.push(cost);
        self.lower.push(lower);
        self.upper.push(upper);
        Var(self.objective.len() - 1)
    }

    /// Adds `count` variables with the same bounds and cost; returns the first.
    pub fn add_variables(&mut self, count: usize, lower: f64, upper: f64, cost: f64) -> Vec<Var> {
        (0..count)
            .map(|_| self.add_variable(lower, upper, cost))
            .collect()
    }

    /// Adds the row `Σ terms (relation) rhs`.
    pub fn add_constraint(
        &mut self,
        terms: impl IntoIterator<Item = (Var, f64)>,
        relation: Relation,
        rhs: f64,
    ) -> RowId {
        self.rows.push(Row {
            terms: terms.into_iter().collect(),
            relation,
            rhs,
        });
        RowId(self.rows.len() - 1)
    }

    /// Sets the objective coefficient of `v`.
    pub fn set_cost(&mut self, v: Var, cost: f64) {
        self.objective[v.0] = cost;
    }

    /// Changes the right-hand side of a row.
    pub fn set_rhs(&mut self, row: RowId, rhs: f64) {
        self.rows[row.0].rhs = rhs;
    }

    /// Changes the relation of a row (e.g. to fix an inequality as an equality).
    pub fn set_relation(&mut self, row: RowId, relation: Relation) {
        self.rows[row.0].relation = relation;
    }

    /// Changes the bounds of a variable.
    pub fn set_bounds(&mut self, v: Var, lower: f64, upper: f64) {
        self.lower[v.0] = lower;
        self.upper[v.0] = upper;
    }

    /// Changes the optimisation direction.
    pub fn set_sense(&mut self, sense: Sense) {
        self.sense = sense;
    }

    /// Number of variables.
    pub fn num_variables(&self) -> usize {
        self.objective.len()
    }

    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.rows.len()
    }

    /// The rows.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The objective coefficients.
    pub fn objective(&self) -> &[f64] {
        &self.objective
    }

    /// The optimisation direction.
    pub fn sense(&self) -> Sense {
        self.sense
    }

    /// Variable bounds `(lower, upper)`.
    pub fn bounds(&self, v: Var) -> (f64, f64) {
        (self.lower[v.0], self.upper[v.0])
    }

    /// Checks that every number in the program is usable (no NaN; infinite only as bounds).
    fn validate(&self) -> Result<()> {
        let huge = |x: f64| x.abs() > MAX_MAGNITUDE;
        const LIMIT: &str = " (numbers in an LP must be finite and at most 1e100 in magnitude: \
                             rescale the game)";
        for (i, c) in self.objective.iter().enumerate() {
            if !c.is_finite() || huge(*c) {
                return Err(Error::invalid_argument(format!(
                    "LP objective coefficient of variable {i} is {c}{LIMIT}"
                )));
            }
        }
        for (i, (&lo, &hi)) in self.lower.iter().zip(&self.upper).enumerate() {
            let huge_bound = (lo.is_finite() && huge(lo)) || (hi.is_finite() && huge(hi));
            if lo.is_nan()
                || hi.is_nan()
                || lo == f64::INFINITY
                || hi == f64::NEG_INFINITY
                || huge_bound
            {
                return Err(Error::invalid_argument(format!(
                    "LP variable {i} has bounds [{lo}, {hi}]{LIMIT}"
                )));
            }
        }
        for (r, row) in self.rows.iter().enumerate() {
            if !row.rhs.is_finite() || huge(row.rhs) {
                return Err(Error::invalid_argument(format!(
                    "LP row {r} has right-hand side {}{LIMIT}",
                    row.rhs
                )));
            }
            for &(v, c) in &row.terms {
                if !c.is_finite() || huge(c) || v.0 >= self.objective.len() {
                    return Err(Error::invalid_argument(format!(
                        "LP row {r} has coefficient {c} on variable {}{LIMIT}",
                        v.0
                    )));
                }
            }
        }
        Ok(())
    }

    /// Solves with the default backend ([`Backend::default_backend`]).
    pub fn solve(&self) -> Result<LpSolution> {
        self.solve_with(Backend::default_backend()?)
    }

    /// Solves with a chosen backend. Asks for duals where the backend has them.
    pub fn solve_with(&self, backend: Backend) -> Result<LpSolution> {
        self.validate()?;
        if !backend.is_available() {
            return Err(Error::Unavailable(format!(
                "LP backend `{}` (enable the cargo feature of that name)",
                backend.name()
            )));
        }
        // Bounds that contradict each other make the program infeasible, whatever the backend
        // would do with them.
        if self.lower.iter().zip(&self.upper).any(|(lo, hi)| lo > hi) {
            return Ok(LpSolution::not_optimal(LpStatus::Infeasible));
        }
        backend::solve(self, backend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small_lp() -> LinearProgram {
        // max x + y  s.t. x + 2y <= 4, 3x + y <= 6, x, y >= 0  → x = 8/5, y = 6/5, obj 14/5
        let mut lp = LinearProgram::new(Sense::Maximize);
        let x = lp.add_variable(0.0, f64::INFINITY, 1.0);
        let y = lp.add_variable(0.0, f64::INFINITY, 1.0);
        lp.add_constraint([(x, 1.0), (y, 2.0)], Relation::Le, 4.0);
        lp.add_constraint([(x, 3.0), (y, 1.0)], Relation::Le, 6.0);
        lp
    }

    #[test]
    fn every_backend_solves_a_textbook_lp() {
        for b in Backend::all_available() {
            let s = small_lp().solve_with(b).unwrap();
            assert_eq!(s.status, LpStatus::Optimal, "{}", b.name());
            assert!(
                (s.objective - 2.8).abs() < 1e-6,
                "{}: {}",
                b.name(),
                s.objective
            );
            assert!((s.values[0] - 1.6).abs() < 1e-6);
            assert!((s.values[1] - 1.2).abs() < 1e-6);
            if b.has_duals() {
                let d = s.duals.unwrap();
                // Shadow prices: 2/5 and 1/5.
                assert!((d[0] - 0.4).abs() < 1e-6, "{}: {d:?}", b.name());
                assert!((d[1] - 0.2).abs() < 1e-6, "{}: {d:?}", b.name());
            }
        }
    }

    #[test]
    fn infeasible_and_unbounded_are_statuses_not_errors() {
        for b in Backend::all_available() {
            let mut lp = LinearProgram::new(Sense::Minimize);
            let x = lp.add_variable(f64::NEG_INFINITY, f64::INFINITY, 1.0);
            lp.add_constraint([(x, 1.0)], Relation::Ge, 10.0);
            lp.add_constraint([(x, 1.0)], Relation::Le, 9.0);
            assert_eq!(
                lp.solve_with(b).unwrap().status,
                LpStatus::Infeasible,
                "{}",
                b.name()
            );

            let mut lp = LinearProgram::new(Sense::Maximize);
            let x = lp.add_variable(0.0, f64::INFINITY, 1.0);
            lp.add_constraint([(x, -1.0)], Relation::Le, 3.0);
            assert_eq!(
                lp.solve_with(b).unwrap().status,
                LpStatus::Unbounded,
                "{}",
                b.name()
            );
        }
    }

    #[test]
    fn equality_and_ge_rows_and_free_variables() {
        // min x - y s.t. x + y == 2, x - y >= -4, y <= 5 (x free) → x = -1, y = 3, obj -4
        for b in Backend::all_available() {
            let mut lp = LinearProgram::new(Sense::Minimize);
            let x = lp.add_variable(f64::NEG_INFINITY, f64::INFINITY, 1.0);
            let y = lp.add_variable(f64::NEG_INFINITY, 5.0, -1.0);
            lp.add_constraint([(x, 1.0), (y, 1.0)], Relation::Eq, 2.0);
            lp.add_constraint([(x, 1.0), (y, -1.0)], Relation::Ge, -4.0);
            let s = lp.solve_with(b).unwrap();
            assert!(s.is_optimal());
            assert!((s.objective + 4.0).abs() < 1e-6, "{}", b.name());
            assert!((s.value(x) + 1.0).abs() < 1e-6);
            if let Some(d) = s.duals {
                // x - y with x + y = 2 + t, x - y = -4 + u: obj = -4 + u, so the >= row has
                // dual 1 and the == row dual 0.
                assert!((d[0]).abs() < 1e-6, "{}: {d:?}", b.name());
                assert!((d[1] - 1.0).abs() < 1e-6, "{}: {d:?}", b.name());
            }
        }
    }

    #[test]
    fn nan_coefficients_are_rejected() {
        let mut lp = LinearProgram::new(Sense::Minimize);
        let x = lp.add_variable(0.0, 1.0, f64::NAN);
        lp.add_constraint([(x, 1.0)], Relation::Le, 1.0);
        assert!(matches!(lp.solve(), Err(Error::InvalidArgument(_))));
    }

    #[test]
    fn crossed_bounds_are_infeasible() {
        let mut lp = LinearProgram::new(Sense::Minimize);
        lp.add_variable(2.0, 1.0, 1.0);
        assert_eq!(lp.solve().unwrap().status, LpStatus::Infeasible);
    }
}
