//! The independent checker of behaviour profiles: expected payoffs and regret computed directly
//! on the tree. Nothing here is shared with the solvers (no sequence form, no strategic form),
//! so a solver's bug cannot hide in its own certificate.
//!
//! The best response of a player is found by dynamic programming over the player's information
//! sets: under perfect recall, the best action at a set depends only on the sets below it, and
//! the value of an action sums, over the set's nodes, the payoffs weighted by the probability
//! that chance and the other players reach each leaf.

use crate::error::{Error, Result};
use crate::game::{GameTree, NodeKind};
use crate::tolerance::Tolerance;

/// Checks that `b` is a behaviour profile of `t`: one vector per information set, of the
/// set's length, with finite non-negative entries summing to 1 (up to [`Tolerance::LP`]).
///
/// # Errors
/// [`Error::InvalidArgument`] naming the information set.
pub fn check_behaviour(t: &GameTree, b: &[Vec<f64>]) -> Result<()> {
    if b.len() != t.infosets().len() {
        return Err(Error::invalid_argument(format!(
            "behaviour profile has {} vectors for {} information sets",
            b.len(),
            t.infosets().len()
        )));
    }
    let tol = Tolerance::LP;
    for (s, (set, v)) in t.infosets().iter().zip(b).enumerate() {
        let name = || format!("information set {s} (`{}`)", set.label);
        if v.len() != set.actions.len() {
            return Err(Error::invalid_argument(format!(
                "{}: {} probabilities for {} actions",
                name(),
                v.len(),
                set.actions.len()
            )));
        }
        if v.iter().any(|&p| !p.is_finite() || p < -tol.abs) {
            return Err(Error::invalid_argument(format!(
                "{}: probabilities {v:?} are not all finite and non-negative",
                name()
            )));
        }
        let sum: f64 = v.iter().sum();
        if !tol.eq(sum, 1.0) {
            return Err(Error::invalid_argument(format!(
                "{}: probabilities sum to {sum}, not 1",
                name()
            )));
        }
    }
    Ok(())
}

/// The value of every node for every player under `b` (`values[node][player]`).
fn node_values(t: &GameTree, b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = t.num_players();
    let mut val = vec![vec![0.0; n]; t.num_nodes()];
    for i in (0..t.num_nodes()).rev() {
        let node = t.node(i);
        match &node.kind {
            NodeKind::Terminal { values, .. } => val[i].clone_from(values),
            NodeKind::Chance { values, .. } => {
                let mut acc = vec![0.0; n];
                for (&c, &p) in node.children.iter().zip(values) {
                    for (a, v) in acc.iter_mut().zip(&val[c]) {
                        *a += p * v;
                    }
                }
                val[i] = acc;
            }
            NodeKind::Decision { infoset } => {
                let mut acc = vec![0.0; n];
                for (&c, &p) in node.children.iter().zip(&b[*infoset]) {
                    if p != 0.0 {
                        for (a, v) in acc.iter_mut().zip(&val[c]) {
                            *a += p * v;
                        }
                    }
                }
                val[i] = acc;
            }
        }
    }
    val
}

/// Expected payoff of each player under behaviour profile `b`.
///
/// # Errors
/// [`Error::InvalidArgument`] when `b` is not a behaviour profile of `t`.
///
/// # Complexity
/// O(nodes · players).
pub fn expected_payoffs(t: &GameTree, b: &[Vec<f64>]) -> Result<Vec<f64>> {
    check_behaviour(t, b)?;
    Ok(node_values(t, b).swap_remove(0))
}

/// One past the last node of the subtree at `i` (nodes are in prefix order).
fn subtree_ends(t: &GameTree) -> Vec<usize> {
    let mut end: Vec<usize> = (1..=t.num_nodes()).collect();
    for i in (0..t.num_nodes()).rev() {
        if let Some(&last) = t.node(i).children.last() {
            end[i] = end[last];
        }
    }
    end
}

struct BestResponse<'a> {
    t: &'a GameTree,
    player: usize,
    lo: usize,
    hi: usize,
    reach: Vec<f64>,
    w: Vec<Option<f64>>,
    best: Vec<Option<usize>>,
}

impl BestResponse<'_> {
    /// Payoff of `player` below node `i`, weighted by the others' and chance's reach of each
    /// leaf, when the player best-responds below `i`.
    fn w(&mut self, i: usize) -> f64 {
        if let Some(v) = self.w[i] {
            return v;
        }
        let node = self.t.node(i);
        let v = match &node.kind {
            NodeKind::Terminal { values, .. } => self.reach[i] * values[self.player],
            NodeKind::Decision { infoset } if self.t.infosets()[*infoset].player == self.player => {
                let a = self.best_action(*infoset);
                self.w(node.children[a])
            }
            _ => {
                let children = node.children.clone();
                children.into_iter().map(|c| self.w(c)).sum()
            }
        };
        self.w[i] = Some(v);
        v
    }

    fn best_action(&mut self, s: usize) -> usize {
        if let Some(a) = self.best[s] {
            return a;
        }
        let set = &self.t.infosets()[s];
        let nodes: Vec<usize> = set
            .nodes
            .iter()
            .copied()
            .filter(|&h| h >= self.lo && h < self.hi)
            .collect();
        let mut best = (0, f64::NEG_INFINITY);
        for a in 0..set.actions.len() {
            let q: f64 = nodes
                .iter()
                .map(|&h| self.w(self.t.node(h).children[a]))
                .sum();
            if q > best.1 {
                best = (a, q);
            }
        }
        self.best[s] = Some(best.0);
        best.0
    }
}

/// The payoff `player` gets from a best response to `b` in the subgame rooted at `root`
/// (node 0 for the whole game), every other player following `b`.
///
/// # Errors
/// [`Error::InvalidArgument`] for a bad profile, player or node; [`Error::InvalidGame`] when
/// the tree lacks perfect recall (the set is named).
///
/// # Complexity
/// O(nodes) after the O(nodes · depth) perfect-recall check.
pub fn best_response_value(
    t: &GameTree,
    b: &[Vec<f64>],
    player: usize,
    root: usize,
) -> Result<f64> {
    check_behaviour(t, b)?;
    t.check_perfect_recall()?;
    if player >= t.num_players() || root >= t.num_nodes() {
        return Err(Error::invalid_argument(format!(
            "player {player} or node {root} out of range"
        )));
    }
    Ok(br_value(t, b, player, root, &subtree_ends(t)))
}

fn br_value(t: &GameTree, b: &[Vec<f64>], player: usize, root: usize, ends: &[usize]) -> f64 {
    let (lo, hi) = (root, ends[root]);
    let mut reach = vec![0.0; t.num_nodes()];
    reach[root] = 1.0;
    for i in lo..hi {
        let node = t.node(i);
        match &node.kind {
            NodeKind::Terminal { .. } => {}
            NodeKind::Chance { values, .. } => {
                for (&c, &p) in node.children.iter().zip(values) {
                    reach[c] = reach[i] * p;
                }
            }
            NodeKind::Decision { infoset } => {
                let own = t.infosets()[*infoset].player == player;
                for (&c, &p) in node.children.iter().zip(&b[*infoset]) {
                    reach[c] = if own { reach[i] } else { reach[i] * p };
                }
            }
        }
    }
    let mut br = BestResponse {
        t,
        player,
        lo,
        hi,
        reach,
        w: vec![None; t.num_nodes()],
        best: vec![None; t.infosets().len()],
    };
    br.w(root)
}

/// Regret of `b` in the subgame rooted at `root`: the largest gain any player gets there by
/// switching to a best response (a proper subgame is assumed: every information set meeting
/// the subtree lies inside it).
///
/// # Errors
/// As [`best_response_value`].
pub fn subgame_regret(t: &GameTree, b: &[Vec<f64>], root: usize) -> Result<f64> {
    check_behaviour(t, b)?;
    t.check_perfect_recall()?;
    if root >= t.num_nodes() {
        return Err(Error::invalid_argument(format!("node {root} out of range")));
    }
    let ends = subtree_ends(t);
    let values = node_values(t, b);
    Ok(values[root]
        .iter()
        .enumerate()
        .map(|(p, v)| br_value(t, b, p, root, &ends) - v)
        .fold(0.0f64, f64::max))
}

/// [`subgame_regret`] at several subgame roots, checking the profile and perfect recall once.
///
/// # Errors
/// As [`best_response_value`].
pub fn subgame_regrets(t: &GameTree, b: &[Vec<f64>], roots: &[usize]) -> Result<Vec<f64>> {
    check_behaviour(t, b)?;
    t.check_perfect_recall()?;
    let ends = subtree_ends(t);
    let values = node_values(t, b);
    roots
        .iter()
        .map(|&root| {
            if root >= t.num_nodes() {
                return Err(Error::invalid_argument(format!("node {root} out of range")));
            }
            Ok(values[root]
                .iter()
                .enumerate()
                .map(|(p, v)| br_value(t, b, p, root, &ends) - v)
                .fold(0.0f64, f64::max))
        })
        .collect()
}

/// The roots of the proper subgames: non-terminal nodes whose subtree contains every node of
/// each information set it meets (the root, node 0, is always one).
pub fn subgame_roots(t: &GameTree) -> Vec<usize> {
    let ends = subtree_ends(t);
    let span: Vec<(usize, usize)> = t
        .infosets()
        .iter()
        .map(|s| (s.nodes[0], *s.nodes.last().unwrap_or(&s.nodes[0])))
        .collect();
    (0..t.num_nodes())
        .filter(|&h| {
            !t.node(h).children.is_empty()
                && (h..ends[h]).all(|i| match t.node(i).kind {
                    NodeKind::Decision { infoset } => {
                        span[infoset].0 >= h && span[infoset].1 < ends[h]
                    }
                    _ => true,
                })
        })
        .collect()
}

/// Regret of behaviour profile `b`: the largest gain of any player from switching to any
/// strategy of the tree (a best response, computed on the tree).
///
/// # Errors
/// [`Error::InvalidArgument`] when `b` is not a behaviour profile of `t`;
/// [`Error::InvalidGame`] when `t` lacks perfect recall.
///
/// # Complexity
/// O(players · nodes) plus the perfect-recall check.
///
/// # Example
/// ```
/// use covenant::game::{GameTree, TreeSpec};
/// use covenant::extensive::tree_regret;
/// let t = GameTree::new(vec!["A".into(), "B".into()],
///     TreeSpec::decision(0, "a", vec![
///         ("L", TreeSpec::leaf(&[1, 0])),
///         ("R", TreeSpec::leaf(&[3, 0])),
///     ]))?;
/// assert_eq!(tree_regret(&t, &[vec![1.0, 0.0]])?, 2.0);
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn tree_regret(t: &GameTree, b: &[Vec<f64>]) -> Result<f64> {
    subgame_regret(t, b, 0)
}
