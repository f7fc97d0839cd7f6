//! Finite extensive-form games (game trees): players, chance nodes with exact probabilities,
//! information sets, actions and terminal payoffs, with perfect or imperfect information.
//!
//! A [`GameTree`] is built from a recursive [`TreeSpec`] (or read from a Gambit `.efg` file by
//! [`crate::io::efg`]). Construction validates the tree: every information set belongs to one
//! player and has the same actions at each of its nodes, chance probabilities are exact
//! rationals in `[0, 1]` summing to exactly 1, and every terminal node has one payoff per
//! player. Perfect recall is checked separately by [`GameTree::check_perfect_recall`], because a
//! tree without it is still a game (Gambit reads such files); the sequence-form solvers and the
//! reduced strategic form call the check and report the information set that fails it.
//!
//! Payoffs and probabilities are stored exactly ([`BigRational`]) with an `f64` copy, so that
//! exact solvers (backward induction with exact ties, the exact Lemke redo) see the numbers the
//! file gave.

use crate::error::{Error, Result};
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::collections::HashMap;

/// A node of a tree, as the user describes it before validation.
#[derive(Debug, Clone, PartialEq)]
pub enum TreeSpec {
    /// A terminal node with one payoff per player.
    Terminal {
        /// Node label (may be empty).
        label: String,
        /// Name of the outcome (may be empty).
        outcome: String,
        /// One payoff per player.
        payoffs: Vec<BigRational>,
    },
    /// A move of nature.
    Chance {
        /// Node label (may be empty).
        label: String,
        /// `(action, probability, child)` per branch.
        branches: Vec<(String, BigRational, TreeSpec)>,
    },
    /// A move of a player.
    Decision {
        /// Node label (may be empty).
        label: String,
        /// 0-based player index.
        player: usize,
        /// The information set's key: nodes of the same player with the same key form one
        /// information set. It is also the set's label.
        infoset: String,
        /// `(action, child)` per action, in the same order at every node of the set.
        moves: Vec<(String, TreeSpec)>,
    },
}

impl TreeSpec {
    /// A terminal node with integer payoffs.
    pub fn leaf(payoffs: &[i64]) -> Self {
        TreeSpec::Terminal {
            label: String::new(),
            outcome: String::new(),
            payoffs: payoffs
                .iter()
                .map(|&x| BigRational::from_integer(x.into()))
                .collect(),
        }
    }

    /// A terminal node with exact rational payoffs and an outcome name.
    pub fn outcome(name: &str, payoffs: Vec<BigRational>) -> Self {
        TreeSpec::Terminal {
            label: String::new(),
            outcome: name.to_string(),
            payoffs,
        }
    }

    /// A terminal node with float payoffs (converted exactly to rationals).
    ///
    /// # Errors
    /// [`Error::InvalidGame`] for a NaN or infinite payoff.
    pub fn leaf_f64(name: &str, payoffs: &[f64]) -> Result<Self> {
        let exact = payoffs
            .iter()
            .enumerate()
            .map(|(p, &x)| {
                rational_from_f64(x).ok_or_else(|| {
                    Error::invalid_game(format!(
                        "outcome `{name}`: payoff of player {p} is {x} (payoffs must be finite)"
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TreeSpec::outcome(name, exact))
    }

    /// A decision node of `player` in information set `infoset`.
    pub fn decision(player: usize, infoset: &str, moves: Vec<(&str, TreeSpec)>) -> Self {
        TreeSpec::Decision {
            label: String::new(),
            player,
            infoset: infoset.to_string(),
            moves: moves.into_iter().map(|(a, c)| (a.to_string(), c)).collect(),
        }
    }

    /// A chance node.
    pub fn chance(branches: Vec<(&str, BigRational, TreeSpec)>) -> Self {
        TreeSpec::Chance {
            label: String::new(),
            branches: branches
                .into_iter()
                .map(|(a, p, c)| (a.to_string(), p, c))
                .collect(),
        }
    }

    /// The same node with a label.
    pub fn labelled(mut self, name: &str) -> Self {
        match &mut self {
            TreeSpec::Terminal { label, .. }
            | TreeSpec::Chance { label, .. }
            | TreeSpec::Decision { label, .. } => *label = name.to_string(),
        }
        self
    }
}

/// The exact rational value of a finite float (`None` for NaN or ±∞).
pub fn rational_from_f64(x: f64) -> Option<BigRational> {
    if x.is_finite() {
        BigRational::from_float(x)
    } else {
        None
    }
}

/// The nearest float of a rational.
pub fn rational_to_f64(x: &BigRational) -> f64 {
    x.to_f64().unwrap_or_else(|| {
        // Huge numerators and denominators: divide in floating point after scaling.
        let (n, d) = (x.numer().to_f64(), x.denom().to_f64());
        match (n, d) {
            (Some(n), Some(d)) => n / d,
            _ => f64::NAN,
        }
    })
}

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A leaf.
    Terminal {
        /// Outcome name (may be empty).
        outcome: String,
        /// Exact payoffs, one per player.
        payoffs: Vec<BigRational>,
        /// The same payoffs as floats.
        values: Vec<f64>,
    },
    /// Nature moves.
    Chance {
        /// Action names.
        actions: Vec<String>,
        /// Exact probabilities (sum 1).
        probs: Vec<BigRational>,
        /// The same probabilities as floats.
        values: Vec<f64>,
    },
    /// A player moves; the player and actions are those of the information set.
    Decision {
        /// Index into [`GameTree::infosets`].
        infoset: usize,
    },
}

/// A node of a validated tree. Nodes are stored in prefix (depth-first) order, so a parent's
/// index is smaller than its children's and the root is node 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Label (may be empty).
    pub label: String,
    /// Parent node and the index of the action that leads here.
    pub parent: Option<(usize, usize)>,
    /// What the node is.
    pub kind: NodeKind,
    /// Children, one per action.
    pub children: Vec<usize>,
}

/// An information set of a player.
#[derive(Debug, Clone, PartialEq)]
pub struct InfoSet {
    /// 0-based player.
    pub player: usize,
    /// Label (the key it was declared with).
    pub label: String,
    /// Action names.
    pub actions: Vec<String>,
    /// Its nodes, in prefix order.
    pub nodes: Vec<usize>,
}

/// A validated finite game tree.
#[derive(Debug, Clone, PartialEq)]
pub struct GameTree {
    title: String,
    comment: String,
    players: Vec<String>,
    nodes: Vec<Node>,
    infosets: Vec<InfoSet>,
    /// Why perfect recall fails (computed once at construction), `None` when it holds.
    recall_failure: Option<String>,
}

impl GameTree {
    /// Builds and validates a tree.
    ///
    /// # Arguments
    /// * `players` — player names (at least one).
    /// * `root` — the root node.
    ///
    /// # Returns
    /// The tree with information sets numbered in order of first appearance (prefix order).
    ///
    /// # Errors
    /// [`Error::InvalidGame`] naming the node or information set: a decision node of a player
    /// that does not exist or with no actions; an information set whose nodes disagree on the
    /// actions; a chance node with no branches, a probability outside `[0, 1]` or probabilities
    /// not summing to exactly 1; a terminal node with the wrong number of payoffs.
    ///
    /// # Complexity
    /// Linear in the size of the tree.
    ///
    /// # Example
    /// ```
    /// use covenant::game::{GameTree, TreeSpec};
    /// // The two-step deterrence game: the challenger challenges or not, the defender then
    /// // concedes or resists.
    /// let t = GameTree::new(
    ///     vec!["Challenger".into(), "Defender".into()],
    ///     TreeSpec::decision(0, "Ch", vec![
    ///         ("Not", TreeSpec::leaf(&[0, 0])),
    ///         ("Challenge", TreeSpec::decision(1, "Def", vec![
    ///             ("Concede", TreeSpec::leaf(&[1, -1])),
    ///             ("Resist", TreeSpec::leaf(&[-2, -2])),
    ///         ])),
    ///     ]),
    /// )?;
    /// assert_eq!(t.num_nodes(), 5);
    /// assert!(t.is_perfect_information());
    /// # Ok::<(), covenant::Error>(())
    /// ```
    pub fn new(players: Vec<String>, root: TreeSpec) -> Result<Self> {
        if players.is_empty() {
            return Err(Error::invalid_game("a game tree needs at least one player"));
        }
        let mut b = Builder {
            n: players.len(),
            players: &players,
            nodes: Vec::new(),
            infosets: Vec::new(),
            index: HashMap::new(),
        };
        b.add(root, None)?;
        let (nodes, infosets) = (b.nodes, b.infosets);
        let mut t = GameTree {
            title: String::new(),
            comment: String::new(),
            players,
            nodes,
            infosets,
            recall_failure: None,
        };
        t.recall_failure = t.find_recall_failure();
        Ok(t)
    }

    /// Sets the title.
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Sets the comment (Gambit files carry one after the player list: sources, notes).
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = comment.into();
        self
    }

    /// The comment.
    pub fn comment(&self) -> &str {
        &self.comment
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// Number of players (chance not counted).
    pub fn num_players(&self) -> usize {
        self.players.len()
    }

    /// All nodes in prefix order (root first).
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Node `i`.
    pub fn node(&self, i: usize) -> &Node {
        &self.nodes[i]
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.nodes.len()
    }

    /// The information sets of the players (chance nodes have none).
    pub fn infosets(&self) -> &[InfoSet] {
        &self.infosets
    }

    /// Indices of the information sets of `player`.
    pub fn infosets_of(&self, player: usize) -> Vec<usize> {
        (0..self.infosets.len())
            .filter(|&i| self.infosets[i].player == player)
            .collect()
    }

    /// Actions available at node `i` (empty at a terminal node).
    pub fn actions(&self, i: usize) -> &[String] {
        match &self.nodes[i].kind {
            NodeKind::Terminal { .. } => &[],
            NodeKind::Chance { actions, .. } => actions,
            NodeKind::Decision { infoset } => &self.infosets[*infoset].actions,
        }
    }

    /// Indices of the terminal nodes.
    pub fn terminals(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&i| matches!(self.nodes[i].kind, NodeKind::Terminal { .. }))
    }

    /// Float payoffs at terminal node `i` (empty slice elsewhere).
    pub fn payoffs(&self, i: usize) -> &[f64] {
        match &self.nodes[i].kind {
            NodeKind::Terminal { values, .. } => values,
            _ => &[],
        }
    }

    /// Exact payoffs at terminal node `i` (empty slice elsewhere).
    pub fn exact_payoffs(&self, i: usize) -> &[BigRational] {
        match &self.nodes[i].kind {
            NodeKind::Terminal { payoffs, .. } => payoffs,
            _ => &[],
        }
    }

    /// Whether every information set is a single node (no chance restriction).
    pub fn is_perfect_information(&self) -> bool {
        self.infosets.iter().all(|s| s.nodes.len() == 1)
    }

    /// Whether the sum of payoffs is the same constant at every terminal node (two or more
    /// players), returned exactly.
    pub fn constant_sum(&self) -> Option<BigRational> {
        let mut sum: Option<BigRational> = None;
        for t in self.terminals() {
            let s: BigRational = self.exact_payoffs(t).iter().sum();
            match &sum {
                None => sum = Some(s),
                Some(c) if *c == s => {}
                Some(_) => return None,
            }
        }
        sum
    }

    /// The moves of `player` on the path from the root to node `i`, as `(infoset, action)`
    /// pairs from the root down.
    pub fn own_moves(&self, i: usize, player: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut cur = i;
        while let Some((parent, action)) = self.nodes[cur].parent {
            if let NodeKind::Decision { infoset } = self.nodes[parent].kind {
                if self.infosets[infoset].player == player {
                    out.push((infoset, action));
                }
            }
            cur = parent;
        }
        out.reverse();
        out
    }

    /// Checks perfect recall: at every node of an information set, its player has made the same
    /// moves (same information sets, same actions) on the way from the root. This also rules
    /// out absent-mindedness (a set containing a node and one of its descendants).
    ///
    /// # Errors
    /// [`Error::InvalidGame`] naming the first information set (in prefix order) that fails,
    /// its player and two nodes with different histories.
    ///
    /// # Complexity
    /// O(1): the check runs once, when the tree is built (O(nodes · depth)).
    pub fn check_perfect_recall(&self) -> Result<()> {
        match &self.recall_failure {
            None => Ok(()),
            Some(msg) => Err(Error::invalid_game(msg.clone())),
        }
    }

    fn find_recall_failure(&self) -> Option<String> {
        for s in &self.infosets {
            let first = s.nodes[0];
            let want = self.own_moves(first, s.player);
            for &other in &s.nodes[1..] {
                let got = self.own_moves(other, s.player);
                if got != want {
                    return Some(format!(
                        "perfect recall fails at information set `{}` of player {}: node {} is \
                         reached by the player's own moves {} but node {} by {}",
                        s.label,
                        self.players[s.player],
                        self.node_name(first),
                        self.describe_moves(&want),
                        self.node_name(other),
                        self.describe_moves(&got)
                    ));
                }
            }
        }
        None
    }

    /// A readable name of node `i`: its label, or its path of actions from the root.
    pub fn node_name(&self, i: usize) -> String {
        if !self.nodes[i].label.is_empty() {
            return format!("`{}`", self.nodes[i].label);
        }
        let mut path = Vec::new();
        let mut cur = i;
        while let Some((parent, action)) = self.nodes[cur].parent {
            path.push(self.actions(parent)[action].clone());
            cur = parent;
        }
        path.reverse();
        if path.is_empty() {
            "(root)".into()
        } else {
            format!("({})", path.join(", "))
        }
    }

    fn describe_moves(&self, moves: &[(usize, usize)]) -> String {
        if moves.is_empty() {
            return "(none)".into();
        }
        let parts: Vec<String> = moves
            .iter()
            .map(|&(s, a)| format!("{}:{}", self.infosets[s].label, self.infosets[s].actions[a]))
            .collect();
        format!("[{}]", parts.join(", "))
    }

    /// Renames the information sets (`name(player, current label)`); a name that another set
    /// of the same player already has gets ` #k` appended (k its 1-based number among the
    /// player's sets), so labels stay unique per player and [`GameTree::to_spec`] stays exact.
    pub(crate) fn relabel_infosets(mut self, name: impl Fn(usize, &str) -> String) -> Self {
        let mut seen: std::collections::HashSet<(usize, String)> = Default::default();
        let mut count = vec![0usize; self.players.len()];
        for s in &mut self.infosets {
            count[s.player] += 1;
            let mut label = name(s.player, &s.label);
            if seen.contains(&(s.player, label.clone())) {
                label = format!("{label} #{}", count[s.player]);
            }
            seen.insert((s.player, label.clone()));
            s.label = label;
        }
        self.recall_failure = self.find_recall_failure();
        self
    }

    /// The tree as a [`TreeSpec`] (the inverse of [`GameTree::new`]).
    pub fn to_spec(&self) -> TreeSpec {
        self.spec_of(0)
    }

    fn spec_of(&self, i: usize) -> TreeSpec {
        let n = &self.nodes[i];
        match &n.kind {
            NodeKind::Terminal {
                outcome, payoffs, ..
            } => TreeSpec::Terminal {
                label: n.label.clone(),
                outcome: outcome.clone(),
                payoffs: payoffs.clone(),
            },
            NodeKind::Chance { actions, probs, .. } => TreeSpec::Chance {
                label: n.label.clone(),
                branches: actions
                    .iter()
                    .zip(probs)
                    .zip(&n.children)
                    .map(|((a, p), &c)| (a.clone(), p.clone(), self.spec_of(c)))
                    .collect(),
            },
            NodeKind::Decision { infoset } => {
                let s = &self.infosets[*infoset];
                TreeSpec::Decision {
                    label: n.label.clone(),
                    player: s.player,
                    infoset: s.label.clone(),
                    moves: s
                        .actions
                        .iter()
                        .zip(&n.children)
                        .map(|(a, &c)| (a.clone(), self.spec_of(c)))
                        .collect(),
                }
            }
        }
    }
}

struct Builder<'a> {
    n: usize,
    players: &'a [String],
    nodes: Vec<Node>,
    infosets: Vec<InfoSet>,
    index: HashMap<(usize, String), usize>,
}

impl Builder<'_> {
    fn path_name(&self, parent: Option<(usize, usize)>, label: &str) -> String {
        if !label.is_empty() {
            return format!("node `{label}`");
        }
        let mut path = Vec::new();
        let mut cur = parent;
        while let Some((p, a)) = cur {
            let name = match &self.nodes[p].kind {
                NodeKind::Chance { actions, .. } => actions[a].clone(),
                NodeKind::Decision { infoset } => self.infosets[*infoset].actions[a].clone(),
                NodeKind::Terminal { .. } => String::new(),
            };
            path.push(name);
            cur = self.nodes[p].parent;
        }
        path.reverse();
        if path.is_empty() {
            "the root".into()
        } else {
            format!("node ({})", path.join(", "))
        }
    }

    fn add(&mut self, spec: TreeSpec, parent: Option<(usize, usize)>) -> Result<usize> {
        let id = self.nodes.len();
        match spec {
            TreeSpec::Terminal {
                label,
                outcome,
                payoffs,
            } => {
                if payoffs.len() != self.n {
                    return Err(Error::invalid_game(format!(
                        "terminal {} has {} payoffs for {} players",
                        self.path_name(parent, &label),
                        payoffs.len(),
                        self.n
                    )));
                }
                let values = payoffs.iter().map(rational_to_f64).collect();
                self.nodes.push(Node {
                    label,
                    parent,
                    kind: NodeKind::Terminal {
                        outcome,
                        payoffs,
                        values,
                    },
                    children: Vec::new(),
                });
            }
            TreeSpec::Chance { label, branches } => {
                let here = self.path_name(parent, &label);
                if branches.is_empty() {
                    return Err(Error::invalid_game(format!(
                        "chance {here} has no branches"
                    )));
                }
                let mut total = BigRational::zero();
                for (a, p, _) in &branches {
                    if p.is_negative() || *p > BigRational::one() {
                        return Err(Error::invalid_game(format!(
                            "chance {here}: probability of `{a}` is {p}, outside [0, 1]"
                        )));
                    }
                    total += p;
                }
                if !total.is_one() {
                    return Err(Error::invalid_game(format!(
                        "chance {here}: probabilities sum to {total}, not 1"
                    )));
                }
                let actions: Vec<String> = branches.iter().map(|b| b.0.clone()).collect();
                let probs: Vec<BigRational> = branches.iter().map(|b| b.1.clone()).collect();
                let values = probs.iter().map(rational_to_f64).collect();
                self.nodes.push(Node {
                    label,
                    parent,
                    kind: NodeKind::Chance {
                        actions,
                        probs,
                        values,
                    },
                    children: Vec::new(),
                });
                for (k, (_, _, child)) in branches.into_iter().enumerate() {
                    let c = self.add(child, Some((id, k)))?;
                    self.nodes[id].children.push(c);
                }
            }
            TreeSpec::Decision {
                label,
                player,
                infoset,
                moves,
            } => {
                let here = self.path_name(parent, &label);
                if player >= self.n {
                    return Err(Error::invalid_game(format!(
                        "decision {here} belongs to player {player}, but the game has {} players",
                        self.n
                    )));
                }
                if moves.is_empty() {
                    return Err(Error::invalid_game(format!(
                        "decision {here} (information set `{infoset}`) has no actions"
                    )));
                }
                let actions: Vec<String> = moves.iter().map(|m| m.0.clone()).collect();
                let key = (player, infoset.clone());
                let s = match self.index.get(&key) {
                    Some(&s) => {
                        if self.infosets[s].actions != actions {
                            return Err(Error::invalid_game(format!(
                                "information set `{infoset}` of player {}: {here} has actions \
                                 {actions:?} but an earlier node of the set has {:?}",
                                self.players[player], self.infosets[s].actions
                            )));
                        }
                        s
                    }
                    None => {
                        let s = self.infosets.len();
                        self.infosets.push(InfoSet {
                            player,
                            label: infoset,
                            actions,
                            nodes: Vec::new(),
                        });
                        self.index.insert(key, s);
                        s
                    }
                };
                self.infosets[s].nodes.push(id);
                self.nodes.push(Node {
                    label,
                    parent,
                    kind: NodeKind::Decision { infoset: s },
                    children: Vec::new(),
                });
                for (k, (_, child)) in moves.into_iter().enumerate() {
                    let c = self.add(child, Some((id, k)))?;
                    self.nodes[id].children.push(c);
                }
            }
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(p: i64, q: i64) -> BigRational {
        BigRational::new(p.into(), q.into())
    }

    #[test]
    fn chance_probabilities_must_sum_to_one_exactly() {
        let bad = TreeSpec::chance(vec![
            ("a", r(1, 3), TreeSpec::leaf(&[0])),
            ("b", r(1, 3), TreeSpec::leaf(&[0])),
        ]);
        let e = GameTree::new(vec!["P".into()], bad).unwrap_err();
        assert!(e.to_string().contains("sum to 2/3"), "{e}");
    }

    #[test]
    fn imperfect_recall_names_the_information_set() {
        // Player 0 forgets its first move: both second-stage nodes are in one set.
        let t = GameTree::new(
            vec!["A".into()],
            TreeSpec::decision(
                0,
                "first",
                vec![
                    (
                        "L",
                        TreeSpec::decision(
                            0,
                            "forgot",
                            vec![("x", TreeSpec::leaf(&[1])), ("y", TreeSpec::leaf(&[0]))],
                        ),
                    ),
                    (
                        "R",
                        TreeSpec::decision(
                            0,
                            "forgot",
                            vec![("x", TreeSpec::leaf(&[0])), ("y", TreeSpec::leaf(&[1]))],
                        ),
                    ),
                ],
            ),
        )
        .unwrap();
        let e = t.check_perfect_recall().unwrap_err().to_string();
        assert!(e.contains("`forgot`") && e.contains("first:L"), "{e}");
    }

    #[test]
    fn inconsistent_actions_in_a_set_are_rejected() {
        let e = GameTree::new(
            vec!["A".into(), "B".into()],
            TreeSpec::decision(
                0,
                "r",
                vec![
                    (
                        "L",
                        TreeSpec::decision(1, "s", vec![("x", TreeSpec::leaf(&[0, 0]))]),
                    ),
                    (
                        "R",
                        TreeSpec::decision(1, "s", vec![("y", TreeSpec::leaf(&[0, 0]))]),
                    ),
                ],
            ),
        )
        .unwrap_err();
        assert!(e.to_string().contains("information set `s`"), "{e}");
    }

    #[test]
    fn wrong_payoff_count_names_the_node() {
        let e = GameTree::new(
            vec!["A".into(), "B".into()],
            TreeSpec::decision(0, "r", vec![("L", TreeSpec::leaf(&[1]))]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("node (L)"), "{e}");
    }

    #[test]
    fn nan_payoff_is_an_error() {
        assert!(TreeSpec::leaf_f64("o", &[f64::NAN]).is_err());
    }
}
