//! Backward induction: every subgame-perfect equilibrium in pure behaviour strategies of a
//! perfect-information game.

use super::TreeEquilibrium;
use crate::error::{Error, Result};
use crate::game::{GameTree, NodeKind};
use num_rational::BigRational;
use num_traits::{One, Zero};

/// Cap on the number of pure subgame-perfect equilibria of one subtree (ties multiply them).
pub const SPE_LIMIT: usize = 100_000;

#[derive(Clone)]
struct Partial {
    /// `(infoset, action)` for every decision node of the subtree.
    moves: Vec<(usize, usize)>,
    /// Exact payoffs of the subtree's play.
    value: Vec<BigRational>,
}

/// Calls `f` with every combination of one index per list (odometer order, first list
/// slowest).
fn for_each_combination(sizes: &[usize], mut f: impl FnMut(&[usize]) -> Result<()>) -> Result<()> {
    if sizes.contains(&0) {
        return Ok(());
    }
    let mut idx = vec![0usize; sizes.len()];
    loop {
        f(&idx)?;
        let mut k = sizes.len();
        loop {
            if k == 0 {
                return Ok(());
            }
            k -= 1;
            idx[k] += 1;
            if idx[k] < sizes[k] {
                break;
            }
            idx[k] = 0;
        }
    }
}

/// Every subgame-perfect equilibrium in pure behaviour strategies of a perfect-information
/// game, by backward induction with exact arithmetic.
///
/// Zermelo's backward induction (Kuhn 1953 for the general finite case; Selten 1965 for
/// subgame perfection). At a decision node every action that maximises the mover's exact
/// payoff, given one equilibrium of each subtree, yields an equilibrium: with ties the set of
/// equilibria is not a product over nodes (a tie below changes what is optimal above), so
/// equilibria of the subtrees are combined and extended one by one. Chance nodes take exact
/// expectations.
///
/// # Arguments
/// * `t` — a tree in which every information set is a single node (chance nodes allowed).
///
/// # Returns
/// All pure subgame-perfect equilibria (each a complete plan: an action at every decision
/// node, on or off the path), exact, with payoffs and regret computed by
/// [`super::certify`]. There is at least one.
///
/// # Errors
/// [`Error::InvalidArgument`] when an information set has more than one node (use
/// [`super::pure_subgame_perfect`] or the sequence form); [`Error::TooLarge`] when a subtree
/// has more than [`SPE_LIMIT`] equilibria.
///
/// # Complexity
/// O(nodes · players) without ties; with ties, proportional to the number of equilibria of
/// the subtrees combined.
///
/// # Example
/// ```
/// use covenant::game::{GameTree, TreeSpec};
/// use covenant::extensive::backward_induction;
/// // Two-step deterrence without a credible threat: the defender would concede, so the
/// // challenger challenges.
/// let t = GameTree::new(vec!["Ch".into(), "Def".into()],
///     TreeSpec::decision(0, "ch", vec![
///         ("Not", TreeSpec::leaf(&[0, 0])),
///         ("Challenge", TreeSpec::decision(1, "def", vec![
///             ("Concede", TreeSpec::leaf(&[1, -1])),
///             ("Resist", TreeSpec::leaf(&[-2, -2])),
///         ])),
///     ]))?;
/// let spe = backward_induction(&t)?;
/// assert_eq!(spe.len(), 1);
/// assert_eq!(spe[0].pure_actions(), Some(vec![1, 0]));
/// assert_eq!(spe[0].payoffs, vec![1.0, -1.0]);
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn backward_induction(t: &GameTree) -> Result<Vec<TreeEquilibrium>> {
    if let Some(s) = t.infosets().iter().find(|s| s.nodes.len() > 1) {
        return Err(Error::invalid_argument(format!(
            "backward induction needs perfect information, but information set `{}` of \
             player {} has {} nodes (use pure_subgame_perfect or the sequence form)",
            s.label,
            t.players()[s.player],
            s.nodes.len()
        )));
    }
    let n = t.num_players();
    let mut sols: Vec<Vec<Partial>> = vec![Vec::new(); t.num_nodes()];
    for i in (0..t.num_nodes()).rev() {
        let node = t.node(i);
        let children: Vec<Vec<Partial>> = node
            .children
            .iter()
            .map(|&c| std::mem::take(&mut sols[c]))
            .collect();
        let sizes: Vec<usize> = children.iter().map(Vec::len).collect();
        let mut out = Vec::new();
        let too_large = || {
            Error::TooLarge(format!(
                "more than {SPE_LIMIT} pure subgame-perfect equilibria below {}",
                t.node_name(i)
            ))
        };
        match &node.kind {
            NodeKind::Terminal { payoffs, .. } => out.push(Partial {
                moves: Vec::new(),
                value: payoffs.clone(),
            }),
            NodeKind::Chance { probs, .. } => {
                for_each_combination(&sizes, |idx| {
                    let mut value = vec![BigRational::zero(); n];
                    let mut moves = Vec::new();
                    for (k, &j) in idx.iter().enumerate() {
                        let part = &children[k][j];
                        for (v, x) in value.iter_mut().zip(&part.value) {
                            *v += &probs[k] * x;
                        }
                        moves.extend_from_slice(&part.moves);
                    }
                    out.push(Partial { moves, value });
                    if out.len() > SPE_LIMIT {
                        return Err(too_large());
                    }
                    Ok(())
                })?;
            }
            NodeKind::Decision { infoset } => {
                let mover = t.infosets()[*infoset].player;
                for_each_combination(&sizes, |idx| {
                    let best = idx
                        .iter()
                        .enumerate()
                        .map(|(k, &j)| &children[k][j].value[mover])
                        .max()
                        .cloned()
                        .unwrap_or_else(BigRational::one);
                    let mut below = Vec::new();
                    for (k, &j) in idx.iter().enumerate() {
                        below.extend_from_slice(&children[k][j].moves);
                    }
                    for (k, &j) in idx.iter().enumerate() {
                        if children[k][j].value[mover] == best {
                            let mut moves = below.clone();
                            moves.push((*infoset, k));
                            out.push(Partial {
                                moves,
                                value: children[k][j].value.clone(),
                            });
                            if out.len() > SPE_LIMIT {
                                return Err(too_large());
                            }
                        }
                    }
                    Ok(())
                })?;
            }
        }
        sols[i] = out;
    }
    let zero = BigRational::zero();
    let one = BigRational::one();
    std::mem::take(&mut sols[0])
        .into_iter()
        .map(|p| {
            let mut exact: Vec<Vec<BigRational>> = t
                .infosets()
                .iter()
                .map(|s| vec![zero.clone(); s.actions.len()])
                .collect();
            for (s, a) in p.moves {
                exact[s][a] = one.clone();
            }
            TreeEquilibrium::certify_exact(t, exact)
        })
        .collect()
}
