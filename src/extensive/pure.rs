//! Pure equilibria of small trees by enumeration: agent-form equilibria, and subgame-perfect
//! equilibria of trees with imperfect information.

use super::certify::{subgame_regrets, subgame_roots};
use super::TreeEquilibrium;
use crate::error::{Error, Result};
use crate::game::{GameTree, NodeKind};
use crate::tolerance::Tolerance;
use num_rational::BigRational;
use num_traits::{One, Zero};

/// Cap on the number of pure behaviour profiles enumerated.
pub const PURE_LIMIT: usize = 200_000;

fn profile_count(t: &GameTree) -> Result<usize> {
    t.infosets()
        .iter()
        .try_fold(1usize, |acc, s| acc.checked_mul(s.actions.len()))
        .filter(|&k| k <= PURE_LIMIT)
        .ok_or_else(|| {
            Error::TooLarge(format!(
                "the tree has more than {PURE_LIMIT} pure behaviour profiles"
            ))
        })
}

/// Calls `f` on every pure behaviour profile (an action per information set).
fn for_each_profile(t: &GameTree, mut f: impl FnMut(&[usize]) -> Result<()>) -> Result<()> {
    let total = profile_count(t)?;
    let sizes: Vec<usize> = t.infosets().iter().map(|s| s.actions.len()).collect();
    let mut idx = vec![0usize; sizes.len()];
    for _ in 0..total {
        f(&idx)?;
        for k in (0..sizes.len()).rev() {
            idx[k] += 1;
            if idx[k] < sizes[k] {
                break;
            }
            idx[k] = 0;
        }
    }
    Ok(())
}

fn payoffs_of(t: &GameTree, actions: &[usize], stack: &mut Vec<(usize, f64)>) -> Vec<f64> {
    let mut out = vec![0.0; t.num_players()];
    stack.clear();
    stack.push((0, 1.0));
    while let Some((i, pr)) = stack.pop() {
        let node = t.node(i);
        match &node.kind {
            NodeKind::Terminal { values, .. } => {
                for (o, v) in out.iter_mut().zip(values) {
                    *o += pr * v;
                }
            }
            NodeKind::Chance { values, .. } => {
                for (&c, &q) in node.children.iter().zip(values) {
                    stack.push((c, pr * q));
                }
            }
            NodeKind::Decision { infoset } => stack.push((node.children[actions[*infoset]], pr)),
        }
    }
    out
}

fn one_hot(t: &GameTree, actions: &[usize]) -> Vec<Vec<BigRational>> {
    t.infosets()
        .iter()
        .zip(actions)
        .map(|(s, &a)| {
            (0..s.actions.len())
                .map(|k| {
                    if k == a {
                        BigRational::one()
                    } else {
                        BigRational::zero()
                    }
                })
                .collect()
        })
        .collect()
}

/// All pure equilibria of the agent form: profiles where no player gains by changing the action
/// at one information set, everything else fixed (Selten 1975's agent normal form).
///
/// Every pure Nash equilibrium is an agent-form equilibrium; the converse fails when a player
/// gains only by changing several of its own moves at once.
///
/// # Returns
/// The equilibria in odometer order of the profiles (last information set fastest), each with
/// its regret in the whole game (an agent-form equilibrium can have positive regret).
///
/// # Errors
/// [`Error::TooLarge`] beyond [`PURE_LIMIT`] profiles; [`Error::InvalidGame`] when the tree
/// lacks perfect recall (needed by the regret certificate).
///
/// # Complexity
/// O(profiles · actions · nodes).
pub fn agent_form_pure_equilibria(t: &GameTree) -> Result<Vec<TreeEquilibrium>> {
    t.check_perfect_recall()?;
    let tol = Tolerance::DEFAULT;
    let mut stack = Vec::new();
    let mut found = Vec::new();
    for_each_profile(t, |actions| {
        let base = payoffs_of(t, actions, &mut stack);
        let mut dev = actions.to_vec();
        for (s, set) in t.infosets().iter().enumerate() {
            for a in 0..set.actions.len() {
                if a == actions[s] {
                    continue;
                }
                dev[s] = a;
                let v = payoffs_of(t, &dev, &mut stack);
                dev[s] = actions[s];
                if tol.lt(base[set.player], v[set.player]) {
                    return Ok(());
                }
            }
        }
        found.push(actions.to_vec());
        Ok(())
    })?;
    found
        .into_iter()
        .map(|a| TreeEquilibrium::certify_exact(t, one_hot(t, &a)))
        .collect()
}

/// All subgame-perfect equilibria in pure behaviour strategies, for trees with imperfect
/// information too: the pure profiles that are Nash equilibria (regret 0, checked by
/// [`super::certify`]) of every proper subgame (Selten 1965).
///
/// For perfect-information trees [`super::backward_induction`] gives the same set far faster.
///
/// # Errors
/// [`Error::TooLarge`] beyond [`PURE_LIMIT`] profiles; [`Error::InvalidGame`] when the tree
/// lacks perfect recall.
///
/// # Complexity
/// O(profiles · subgames · players · nodes).
///
/// # Example
/// ```
/// use covenant::game::extensive::deterrence::{deterrence_tree, Deterrence};
/// use covenant::extensive::pure_subgame_perfect;
/// // P(Hard) = 1/2 exceeds the threshold 1/3: the challenger is deterred.
/// let t = deterrence_tree(&Deterrence::default())?;
/// let spe = pure_subgame_perfect(&t)?;
/// assert_eq!(spe.len(), 1);
/// assert_eq!(spe[0].behaviour[0], vec![1.0, 0.0]); // Not challenge
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn pure_subgame_perfect(t: &GameTree) -> Result<Vec<TreeEquilibrium>> {
    t.check_perfect_recall()?;
    let roots = subgame_roots(t);
    let tol = Tolerance::DEFAULT;
    let scale = t
        .terminals()
        .flat_map(|z| t.payoffs(z).iter().map(|x| x.abs()).collect::<Vec<_>>())
        .fold(1.0f64, f64::max);
    let mut found = Vec::new();
    for_each_profile(t, |actions| {
        let b: Vec<Vec<f64>> = t
            .infosets()
            .iter()
            .zip(actions)
            .map(|(s, &a)| {
                (0..s.actions.len())
                    .map(|k| f64::from(u8::from(k == a)))
                    .collect()
            })
            .collect();
        let regrets = subgame_regrets(t, &b, &roots)?;
        if regrets.iter().all(|&r| r <= tol.threshold(scale)) {
            found.push(actions.to_vec());
        }
        Ok(())
    })?;
    found
        .into_iter()
        .map(|a| TreeEquilibrium::certify_exact(t, one_hot(t, &a)))
        .collect()
}
