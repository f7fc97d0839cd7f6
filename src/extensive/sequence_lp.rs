//! Two-player zero-sum trees: value and optimal behaviour strategies by the sequence-form LP.

use super::sequence::SequenceForm;
use super::TreeEquilibrium;
use crate::error::{Error, Result};
use crate::game::GameTree;
use crate::lp::{Backend, LinearProgram, LpStatus, Relation, Sense, Var};
use crate::tolerance::Tolerance;

/// The solution of a zero-sum tree.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeZeroSum {
    /// The value of the game to player 1 (player 2 gets the constant sum minus this).
    pub value: f64,
    /// Optimal behaviour strategies of both players with payoffs and regret (from
    /// [`super::certify`]).
    pub equilibrium: TreeEquilibrium,
    /// The optimal realisation plans of the two players.
    pub plans: [Vec<f64>; 2],
}

/// Value and optimal behaviour strategies of a two-player zero-sum (or constant-sum) tree.
///
/// Koller, Megiddo & von Stengel (1996): with realisation plans `x` (`Ex = e`),
/// `y` (`Fy = f`) and the sparse sequence-form payoff matrix `A` of player 1, player 1's
/// optimal plan solves `max f·q s.t. Fᵀq − Aᵀx ≤ 0, Ex = e, x ≥ 0` and player 2's solves the
/// dual `min e·p s.t. Eᵀp − Ay ≥ 0, Fy = f, y ≥ 0`. Both LPs are solved (through
/// [`crate::lp`]); their optimal values must agree, and the resulting behaviour profile is
/// certified on the tree.
///
/// # Arguments
/// * `t` — a two-player tree with perfect recall whose payoffs sum to the same constant at
///   every leaf.
///
/// # Returns
/// The value to player 1, optimal behaviour strategies (uniform at sets the optimal plan never
/// reaches) and the realisation plans.
///
/// # Errors
/// [`Error::InvalidArgument`] for a tree that is not two-player constant-sum;
/// [`Error::InvalidGame`] without perfect recall; [`Error::Numerical`] when the two LPs
/// disagree or the backend reports them infeasible (impossible in exact arithmetic).
///
/// # Complexity
/// Two LPs with O(sequences) variables and rows, nonzeros linear in the tree.
///
/// # Example
/// ```
/// use covenant::game::{GameTree, TreeSpec};
/// use covenant::extensive::sequence_lp;
/// // Matching pennies in sequence: player 2 does not see player 1's coin.
/// let t = GameTree::new(vec!["1".into(), "2".into()],
///     TreeSpec::decision(0, "a", vec![
///         ("H", TreeSpec::decision(1, "b", vec![("h", TreeSpec::leaf(&[1, -1])),
///                                                ("t", TreeSpec::leaf(&[-1, 1]))])),
///         ("T", TreeSpec::decision(1, "b", vec![("h", TreeSpec::leaf(&[-1, 1])),
///                                                ("t", TreeSpec::leaf(&[1, -1]))])),
///     ]))?;
/// let z = sequence_lp(&t)?;
/// assert!(z.value.abs() < 1e-9);
/// assert!((z.equilibrium.behaviour[0][0] - 0.5).abs() < 1e-9);
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn sequence_lp(t: &GameTree) -> Result<TreeZeroSum> {
    sequence_lp_with(t, Backend::default_backend()?)
}

/// [`sequence_lp`] with a chosen LP backend.
///
/// # Errors
/// As [`sequence_lp`], and [`Error::Unavailable`] for a backend not compiled in.
pub fn sequence_lp_with(t: &GameTree, backend: Backend) -> Result<TreeZeroSum> {
    if t.num_players() != 2 {
        return Err(Error::invalid_argument(format!(
            "the sequence-form LP needs a two-player tree; this one has {} players",
            t.num_players()
        )));
    }
    if t.constant_sum().is_none() {
        return Err(Error::invalid_argument(
            "the sequence-form LP needs a zero-sum or constant-sum tree (the payoffs do not sum \
             to the same constant at every leaf); use the sequence-form LCP",
        ));
    }
    let sf = SequenceForm::new(t)?;
    let [n1, n2] = sf.num_sequences;
    let e = sf.constraints(0);
    let f = sf.constraints(1);
    let a: Vec<(usize, usize, f64)> = sf.payoffs.iter().map(|&(s, u, x, _)| (s, u, x)).collect();

    // Player 1: max q_0 s.t. Fᵀq − Aᵀx ≤ 0, Ex = e, x ≥ 0.
    let mut lp1 = LinearProgram::new(Sense::Maximize);
    let x = lp1.add_variables(n1, 0.0, f64::INFINITY, 0.0);
    let q = lp1.add_variables(f.len(), f64::NEG_INFINITY, f64::INFINITY, 0.0);
    lp1.set_cost(q[0], 1.0);
    let mut cols: Vec<Vec<(Var, f64)>> = vec![Vec::new(); n2];
    for (k, row) in f.iter().enumerate() {
        for &(j, c) in row {
            cols[j].push((q[k], f64::from(c)));
        }
    }
    for &(s, u, v) in &a {
        if v != 0.0 {
            cols[u].push((x[s], -v));
        }
    }
    for col in cols {
        lp1.add_constraint(col, Relation::Le, 0.0);
    }
    for (k, row) in e.iter().enumerate() {
        let rhs = if k == 0 { 1.0 } else { 0.0 };
        lp1.add_constraint(
            row.iter().map(|&(s, c)| (x[s], f64::from(c))),
            Relation::Eq,
            rhs,
        );
    }

    // Player 2: min p_0 s.t. Eᵀp − Ay ≥ 0, Fy = f, y ≥ 0.
    let mut lp2 = LinearProgram::new(Sense::Minimize);
    let y = lp2.add_variables(n2, 0.0, f64::INFINITY, 0.0);
    let p = lp2.add_variables(e.len(), f64::NEG_INFINITY, f64::INFINITY, 0.0);
    lp2.set_cost(p[0], 1.0);
    let mut rows: Vec<Vec<(Var, f64)>> = vec![Vec::new(); n1];
    for (k, row) in e.iter().enumerate() {
        for &(i, c) in row {
            rows[i].push((p[k], f64::from(c)));
        }
    }
    for &(s, u, v) in &a {
        if v != 0.0 {
            rows[s].push((y[u], -v));
        }
    }
    for row in rows {
        lp2.add_constraint(row, Relation::Ge, 0.0);
    }
    for (k, row) in f.iter().enumerate() {
        let rhs = if k == 0 { 1.0 } else { 0.0 };
        lp2.add_constraint(
            row.iter().map(|&(s, c)| (y[s], f64::from(c))),
            Relation::Eq,
            rhs,
        );
    }

    let s1 = lp1.solve_with(backend)?;
    let s2 = lp2.solve_with(backend)?;
    if s1.status != LpStatus::Optimal || s2.status != LpStatus::Optimal {
        return Err(Error::Numerical {
            context: "sequence-form LP",
            message: format!(
                "the LPs of a finite zero-sum game must be optimal, but the backend reported \
                 {:?} and {:?}",
                s1.status, s2.status
            ),
        });
    }
    let scale = a.iter().fold(1.0f64, |m, &(_, _, v)| m.max(v.abs()));
    if !Tolerance::LP.eq(s1.objective / scale, s2.objective / scale) {
        return Err(Error::Numerical {
            context: "sequence-form LP",
            message: format!(
                "the two players' LPs disagree on the value: {} and {}",
                s1.objective, s2.objective
            ),
        });
    }
    let xs: Vec<f64> = x.iter().map(|&v| s1.value(v).max(0.0)).collect();
    let ys: Vec<f64> = y.iter().map(|&v| s2.value(v).max(0.0)).collect();
    let mut behaviour: Vec<Vec<f64>> = t
        .infosets()
        .iter()
        .map(|s| vec![0.0; s.actions.len()])
        .collect();
    let eps = Tolerance::LP.abs;
    sf.behaviour_from_plan(0, &xs, &eps, &mut behaviour);
    sf.behaviour_from_plan(1, &ys, &eps, &mut behaviour);
    let equilibrium = TreeEquilibrium::certify(t, behaviour)?;
    Ok(TreeZeroSum {
        value: s1.objective,
        equilibrium,
        plans: [xs, ys],
    })
}
