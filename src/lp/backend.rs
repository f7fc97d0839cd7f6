//! Translation of a [`LinearProgram`] into good_lp and back. Each backend is behind its feature.

use super::{Backend, LinearProgram, LpSolution, LpStatus, Relation, Sense};
use crate::error::{Error, Result};
#[allow(unused_imports)]
use good_lp::{
    constraint::ConstraintReference, variable, variable::UnsolvedProblem, Constraint, Expression,
    ProblemVariables, ResolutionError, Solution, SolutionWithDual, SolverModel, Variable,
};

/// The good_lp form of a program: its variables, objective and constraints.
struct Translated {
    vars: Vec<Variable>,
    constraints: Vec<Constraint>,
}

fn translate(lp: &LinearProgram) -> (UnsolvedProblem, Translated) {
    let mut pv = ProblemVariables::new();
    let vars: Vec<Variable> = (0..lp.num_variables())
        .map(|i| {
            let (lo, hi) = lp.bounds(super::Var(i));
            let mut def = variable();
            if lo.is_finite() {
                def = def.min(lo);
            }
            if hi.is_finite() {
                def = def.max(hi);
            }
            pv.add(def)
        })
        .collect();
    let mut objective = Expression::with_capacity(vars.len());
    for (v, &c) in vars.iter().zip(lp.objective()) {
        if c != 0.0 {
            objective.add_mul(c, *v);
        }
    }
    let constraints = lp
        .rows()
        .iter()
        .map(|row| {
            let mut e = Expression::with_capacity(row.terms.len());
            // Explicit zeros (ties in a game's payoffs give many) are left out: they are no
            // part of the program, and a sparse factorisation need not carry them.
            for &(v, c) in row.terms.iter().filter(|(_, c)| *c != 0.0) {
                e.add_mul(c, vars[v.0]);
            }
            match row.relation {
                Relation::Le => e.leq(row.rhs),
                Relation::Ge => e.geq(row.rhs),
                Relation::Eq => e.eq(row.rhs),
            }
        })
        .collect();
    let unsolved = match lp.sense() {
        Sense::Minimize => pv.minimise(objective),
        Sense::Maximize => pv.maximise(objective),
    };
    (unsolved, Translated { vars, constraints })
}

fn status_of(backend: Backend, e: ResolutionError) -> Result<LpSolution> {
    match e {
        ResolutionError::Infeasible => Ok(LpSolution::not_optimal(LpStatus::Infeasible)),
        ResolutionError::Unbounded => Ok(LpSolution::not_optimal(LpStatus::Unbounded)),
        other => Err(Error::Lp {
            backend: backend.name(),
            message: other.to_string(),
        }),
    }
}

fn primal<S: Solution>(lp: &LinearProgram, vars: &[Variable], s: &S) -> LpSolution {
    let values: Vec<f64> = vars.iter().map(|v| s.value(*v)).collect();
    let objective = values.iter().zip(lp.objective()).map(|(x, c)| x * c).sum();
    LpSolution {
        status: LpStatus::Optimal,
        values,
        objective,
        duals: None,
    }
}

/// Solves a model whose backend gives no duals.
#[allow(dead_code)]
fn solve_primal<M>(
    lp: &LinearProgram,
    t: Translated,
    model: M,
    backend: Backend,
) -> Result<LpSolution>
where
    M: SolverModel<Error = ResolutionError>,
{
    let model = model.with_all(t.constraints);
    match model.solve() {
        Ok(s) => Ok(primal(lp, &t.vars, &s)),
        Err(e) => status_of(backend, e),
    }
}

/// good_lp reports duals as d(objective)/d(rhs) of the row as written (it already undoes its
/// own `>=` normalisation); the module's tests pin the convention for `<=`, `>=` and `==` rows.
/// `unbounded` recognises a "solution" that is really a certificate of unboundedness (good_lp
/// 1.15 passes Clarabel's dual-infeasible status through as a solution).
#[allow(dead_code)]
fn solve_with_duals<M>(
    lp: &LinearProgram,
    t: Translated,
    mut model: M,
    backend: Backend,
    unbounded: fn(&M::Solution) -> bool,
) -> Result<LpSolution>
where
    M: SolverModel<Error = ResolutionError>,
    for<'a> M::Solution: SolutionWithDual<'a>,
{
    let refs: Vec<ConstraintReference> = t
        .constraints
        .into_iter()
        .map(|c| model.add_constraint(c))
        .collect();
    match model.solve() {
        Ok(s) if unbounded(&s) => Ok(LpSolution::not_optimal(LpStatus::Unbounded)),
        Ok(mut s) => {
            let mut out = primal(lp, &t.vars, &s);
            let dual = s.compute_dual();
            let duals = refs
                .iter()
                .map(|r| good_lp::DualValues::dual(&dual, r.clone()))
                .collect();
            out.duals = Some(duals);
            Ok(out)
        }
        Err(e) => status_of(backend, e),
    }
}

pub(super) fn solve(lp: &LinearProgram, backend: Backend) -> Result<LpSolution> {
    let (unsolved, t) = translate(lp);
    match backend {
        #[cfg(feature = "microlp")]
        Backend::Microlp => {
            let model = unsolved.using(good_lp::solvers::microlp::microlp);
            solve_primal(lp, t, model, backend)
        }
        #[cfg(feature = "clarabel")]
        Backend::Clarabel => {
            let model = unsolved.using(good_lp::solvers::clarabel::clarabel);
            solve_with_duals(lp, t, model, backend, |s| {
                format!("{:?}", s.inner().status).contains("DualInfeasible")
            })
        }
        #[cfg(feature = "highs")]
        Backend::Highs => {
            let model = unsolved.using(good_lp::solvers::highs::highs);
            solve_with_duals(lp, t, model, backend, |_| false)
        }
        #[cfg(feature = "coin_cbc")]
        Backend::CoinCbc => {
            let model = unsolved.using(good_lp::solvers::coin_cbc::coin_cbc);
            solve_primal(lp, t, model, backend)
        }
        #[allow(unreachable_patterns)]
        other => Err(Error::Unavailable(format!(
            "LP backend `{}` (enable the cargo feature of that name)",
            other.name()
        ))),
    }
}
