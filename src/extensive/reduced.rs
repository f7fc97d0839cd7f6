//! The reduced strategic form of a tree, and conversions between mixed and behaviour
//! strategies (Kuhn 1953: under perfect recall they are realisation-equivalent).
//!
//! A *reduced* pure strategy chooses an action only at the information sets its own earlier
//! choices do not exclude (Gambit's `*` entries); strategies that differ only at excluded sets
//! are the same reduced strategy.

use crate::error::{Error, Result};
use crate::game::{GameTree, NodeKind, NormalForm};
use ndarray::{ArrayD, IxDyn};
use num_traits::{FromPrimitive, Num};
use std::collections::HashMap;

/// Cap on the number of pure-strategy profiles of a reduced strategic form.
pub const REDUCED_LIMIT: usize = 1_000_000;

/// A tree's reduced strategic form and the plans behind its strategies.
#[derive(Debug, Clone, PartialEq)]
pub struct ReducedForm {
    /// The normal-form game: strategy `k` of player `p` is `plans[p][k]`.
    pub game: NormalForm,
    /// Per player, the global indices of the player's information sets.
    pub infosets: Vec<Vec<usize>>,
    /// Per player and reduced strategy: the action at each of the player's information sets
    /// (in the order of `infosets[p]`), `None` where the strategy's own moves exclude the set.
    pub plans: Vec<Vec<Vec<Option<usize>>>>,
}

/// The last own move `(infoset, action)` before each information set (perfect recall makes it
/// the same at every node of the set).
fn parent_moves(t: &GameTree) -> Vec<Option<(usize, usize)>> {
    t.infosets()
        .iter()
        .map(|s| t.own_moves(s.nodes[0], s.player).last().copied())
        .collect()
}

fn plans_of(t: &GameTree, player: usize, sets: &[usize]) -> Result<Vec<Vec<Option<usize>>>> {
    let parents = parent_moves(t);
    let pos: HashMap<usize, usize> = sets.iter().enumerate().map(|(k, &s)| (s, k)).collect();
    let mut below: HashMap<Option<(usize, usize)>, Vec<usize>> = HashMap::new();
    for &s in sets {
        below.entry(parents[s]).or_default().push(s);
    }
    let mut out = Vec::new();
    let mut plan = vec![None; sets.len()];
    let frontier = below.get(&None).cloned().unwrap_or_default();
    fn rec(
        t: &GameTree,
        frontier: &[usize],
        below: &HashMap<Option<(usize, usize)>, Vec<usize>>,
        pos: &HashMap<usize, usize>,
        plan: &mut Vec<Option<usize>>,
        out: &mut Vec<Vec<Option<usize>>>,
        player: usize,
    ) -> Result<()> {
        let Some((&s, rest)) = frontier.split_first() else {
            out.push(plan.clone());
            if out.len() > REDUCED_LIMIT {
                return Err(Error::TooLarge(format!(
                    "player {} has more than {REDUCED_LIMIT} reduced strategies",
                    t.players()[player]
                )));
            }
            return Ok(());
        };
        for a in 0..t.infosets()[s].actions.len() {
            plan[pos[&s]] = Some(a);
            let mut next = rest.to_vec();
            if let Some(more) = below.get(&Some((s, a))) {
                next.extend_from_slice(more);
            }
            rec(t, &next, below, pos, plan, out, player)?;
        }
        plan[pos[&s]] = None;
        Ok(())
    }
    rec(t, &frontier, &below, &pos, &mut plan, &mut out, player)?;
    Ok(out)
}

fn plan_name(t: &GameTree, sets: &[usize], plan: &[Option<usize>]) -> String {
    if sets.len() == 1 {
        if let Some(a) = plan[0] {
            return t.infosets()[sets[0]].actions[a].clone();
        }
    }
    plan.iter()
        .zip(sets)
        .map(|(a, &s)| a.map_or("*".to_string(), |a| t.infosets()[s].actions[a].clone()))
        .collect::<Vec<_>>()
        .join("/")
}

/// The reduced strategic form of a tree.
///
/// # Returns
/// A [`ReducedForm`]: the [`NormalForm`] (expected payoffs over chance, strategies named by
/// their actions, `*` at excluded sets, joined by `/`) and the plan of every strategy. A player
/// without information sets has one (empty) strategy named `-`.
///
/// # Errors
/// [`Error::InvalidGame`] when `t` lacks perfect recall; [`Error::TooLarge`] beyond
/// [`REDUCED_LIMIT`] strategies or profiles.
///
/// # Complexity
/// O(profiles · nodes); the number of reduced strategies can be exponential in the tree size
/// (the sequence form avoids this).
///
/// # Example
/// ```
/// use covenant::game::{GameTree, TreeSpec};
/// use covenant::extensive::reduced_strategic_form;
/// let t = GameTree::new(vec!["A".into(), "B".into()],
///     TreeSpec::decision(0, "a", vec![
///         ("Out", TreeSpec::leaf(&[1, 1])),
///         ("In", TreeSpec::decision(1, "b", vec![
///             ("x", TreeSpec::leaf(&[2, 0])),
///             ("y", TreeSpec::leaf(&[0, 2])),
///         ])),
///     ]))?;
/// let r = reduced_strategic_form(&t)?;
/// assert_eq!(r.game.shape(), &[2, 2]);
/// assert_eq!(r.game.payoff(0, &[1, 0]), 2.0);
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn reduced_strategic_form(t: &GameTree) -> Result<ReducedForm> {
    t.check_perfect_recall()?;
    let n = t.num_players();
    let infosets: Vec<Vec<usize>> = (0..n).map(|p| t.infosets_of(p)).collect();
    let plans: Vec<Vec<Vec<Option<usize>>>> = (0..n)
        .map(|p| plans_of(t, p, &infosets[p]))
        .collect::<Result<_>>()?;
    let shape: Vec<usize> = plans.iter().map(Vec::len).collect();
    let total = shape
        .iter()
        .try_fold(1usize, |acc, &k| acc.checked_mul(k))
        .filter(|&x| x <= REDUCED_LIMIT)
        .ok_or_else(|| {
            Error::TooLarge(format!(
                "the reduced strategic form has {shape:?} strategies, more than \
                 {REDUCED_LIMIT} profiles (use the sequence form)"
            ))
        })?;
    let pos: Vec<HashMap<usize, usize>> = infosets
        .iter()
        .map(|sets| sets.iter().enumerate().map(|(k, &s)| (s, k)).collect())
        .collect();
    let mut flat = vec![vec![0.0; total]; n];
    let mut profile = vec![0usize; n];
    let mut stack: Vec<(usize, f64)> = Vec::new();
    #[allow(clippy::needless_range_loop)] // k indexes every player's tensor and the odometer
    for k in 0..total {
        let mut rest = k;
        for d in (0..n).rev() {
            profile[d] = rest % shape[d];
            rest /= shape[d];
        }
        stack.push((0, 1.0));
        while let Some((i, pr)) = stack.pop() {
            let node = t.node(i);
            match &node.kind {
                NodeKind::Terminal { values, .. } => {
                    for (p, v) in values.iter().enumerate() {
                        flat[p][k] += pr * v;
                    }
                }
                NodeKind::Chance { values, .. } => {
                    for (&c, &q) in node.children.iter().zip(values) {
                        if q > 0.0 {
                            stack.push((c, pr * q));
                        }
                    }
                }
                NodeKind::Decision { infoset } => {
                    let p = t.infosets()[*infoset].player;
                    let a =
                        plans[p][profile[p]][pos[p][infoset]].ok_or_else(|| Error::Numerical {
                            context: "reduced strategic form",
                            message: format!(
                                "a reduced strategy reaches information set `{}` without an \
                                 action there",
                                t.infosets()[*infoset].label
                            ),
                        })?;
                    stack.push((node.children[a], pr));
                }
            }
        }
    }
    let payoffs = flat
        .into_iter()
        .map(|f| {
            ArrayD::from_shape_vec(IxDyn(&shape), f)
                .map_err(|e| Error::invalid_game(format!("reduced form: {e}")))
        })
        .collect::<Result<Vec<_>>>()?;
    let names = (0..n)
        .map(|p| {
            plans[p]
                .iter()
                .map(|plan| {
                    if plan.is_empty() {
                        "-".to_string()
                    } else {
                        plan_name(t, &infosets[p], plan)
                    }
                })
                .collect()
        })
        .collect();
    let game = NormalForm::with_names(t.players().to_vec(), names, payoffs)?
        .with_title(t.title().to_string());
    Ok(ReducedForm {
        game,
        infosets,
        plans,
    })
}

/// The behaviour profile realisation-equivalent to a mixed profile over reduced strategies.
///
/// Kuhn (1953): the probability of action `a` at set `J` is the probability of the player's
/// sequence to `J` followed by `a`, divided by the probability of the sequence to `J`. At a
/// set the mixed strategy never reaches, the behaviour is uniform (any choice is
/// realisation-equivalent). Works over `f64` and exact rationals.
///
/// # Errors
/// [`Error::InvalidArgument`] when `mixed` does not match the reduced form's shape.
pub fn mixed_to_behaviour<T>(t: &GameTree, r: &ReducedForm, mixed: &[Vec<T>]) -> Result<Vec<Vec<T>>>
where
    T: Num + Clone + FromPrimitive,
{
    if mixed.len() != r.plans.len() || mixed.iter().zip(&r.plans).any(|(m, p)| m.len() != p.len()) {
        return Err(Error::invalid_argument(
            "mixed profile does not match the reduced strategic form's shape",
        ));
    }
    let mut out: Vec<Vec<T>> = t
        .infosets()
        .iter()
        .map(|s| vec![T::zero(); s.actions.len()])
        .collect();
    for (p, sets) in r.infosets.iter().enumerate() {
        let pos: HashMap<usize, usize> = sets.iter().enumerate().map(|(k, &s)| (s, k)).collect();
        for &s in sets {
            let path = t.own_moves(t.infosets()[s].nodes[0], p);
            let k = t.infosets()[s].actions.len();
            let mut reach = T::zero();
            let mut by_action = vec![T::zero(); k];
            for (plan, w) in r.plans[p].iter().zip(&mixed[p]) {
                if path.iter().all(|&(j, a)| plan[pos[&j]] == Some(a)) {
                    reach = reach + w.clone();
                    if let Some(a) = plan[pos[&s]] {
                        by_action[a] = by_action[a].clone() + w.clone();
                    }
                }
            }
            out[s] = if reach.is_zero() {
                let u = T::one() / T::from_usize(k).unwrap_or_else(T::one);
                vec![u; k]
            } else {
                by_action.into_iter().map(|x| x / reach.clone()).collect()
            };
        }
    }
    Ok(out)
}

/// The mixed profile over reduced strategies that a behaviour profile induces: each reduced
/// strategy's probability is the product of the behaviour probabilities of its actions.
///
/// # Errors
/// [`Error::InvalidArgument`] when `b` has the wrong shape.
pub fn behaviour_to_mixed<T>(t: &GameTree, r: &ReducedForm, b: &[Vec<T>]) -> Result<Vec<Vec<T>>>
where
    T: Num + Clone,
{
    if b.len() != t.infosets().len()
        || b.iter()
            .zip(t.infosets())
            .any(|(v, s)| v.len() != s.actions.len())
    {
        return Err(Error::invalid_argument(
            "behaviour profile does not match the tree's information sets",
        ));
    }
    Ok(r.plans
        .iter()
        .zip(&r.infosets)
        .map(|(plans, sets)| {
            plans
                .iter()
                .map(|plan| {
                    plan.iter()
                        .zip(sets)
                        .filter_map(|(a, &s)| a.map(|a| b[s][a].clone()))
                        .fold(T::one(), |acc, x| acc * x)
                })
                .collect()
        })
        .collect())
}
