//! The sequence form of a two-player tree with perfect recall (Koller, Megiddo & von Stengel,
//! "Efficient computation of equilibria for extensive two-person games", *Games and Economic
//! Behavior* 14 (1996) 247–259; von Stengel, "Efficient computation of behavior strategies",
//! GEB 14 (1996) 220–246).
//!
//! A player's *sequences* are the empty sequence and one sequence per (information set,
//! action); a *realisation plan* `x` gives each sequence the probability that the player's own
//! moves follow it. Plans are the solutions of `E x = e, x ≥ 0`, where row 0 says `x_∅ = 1`
//! and the row of set `J` says that the probabilities of `J`'s actions add up to that of the
//! sequence leading to `J`. The payoff matrices are sparse: entry `(σ, τ)` sums, over the
//! leaves reached by the pair of sequences, chance's probability times the payoff; the game
//! has size linear in the tree, unlike the (reduced) strategic form.

use crate::error::{Error, Result};
use crate::game::{GameTree, NodeKind};
use num_rational::BigRational;
use num_traits::{FromPrimitive, Num, One, Zero};
use std::collections::BTreeMap;

/// The sequence form of a two-player tree.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceForm {
    /// Per player: the number of sequences (sequence 0 is the empty sequence).
    pub num_sequences: [usize; 2],
    /// Per player: its information sets (global indices, in tree order); set `infosets[p][k]`
    /// is constraint row `k + 1`.
    pub infosets: [Vec<usize>; 2],
    /// Per player and own set `k`: the sequence of action `a` at the set is
    /// `first_sequence[p][k] + a`.
    pub first_sequence: [Vec<usize>; 2],
    /// Per player and own set `k`: the sequence that leads to the set.
    pub parent_sequence: [Vec<usize>; 2],
    /// Sparse payoff entries `(σ, τ, a, b)`: chance-weighted payoffs of players 1 and 2 summed
    /// over the leaves the pair of sequences reaches, in floating point; sorted by `(σ, τ)`.
    /// [`SequenceForm::exact_payoffs`] gives the same entries exactly.
    pub payoffs: Vec<(usize, usize, f64, f64)>,
    /// Parallel to `payoffs`: the chance probability of the leaves each pair reaches (their
    /// sum over all pairs is 1), so that payoffs can be shifted by a constant.
    pub chance: Vec<f64>,
    /// Each leaf and the index of its pair in `payoffs`.
    leaves: Vec<(usize, usize)>,
}

impl SequenceForm {
    /// Builds the sequence form.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless the tree has exactly two players;
    /// [`Error::InvalidGame`] when it lacks perfect recall (the set is named).
    ///
    /// # Complexity
    /// O(nodes), plus the perfect-recall check.
    pub fn new(t: &GameTree) -> Result<Self> {
        if t.num_players() != 2 {
            return Err(Error::invalid_argument(format!(
                "the sequence form is built for two-player trees; this one has {} players",
                t.num_players()
            )));
        }
        t.check_perfect_recall()?;
        let mut infosets: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        let mut local = vec![0usize; t.infosets().len()];
        for (s, set) in t.infosets().iter().enumerate() {
            local[s] = infosets[set.player].len();
            infosets[set.player].push(s);
        }
        let mut first_sequence: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        let mut num_sequences = [1usize, 1usize];
        for p in 0..2 {
            for &s in &infosets[p] {
                first_sequence[p].push(num_sequences[p]);
                num_sequences[p] += t.infosets()[s].actions.len();
            }
        }
        // Top-down: each node's current sequence per player and chance probability.
        let mut seq = vec![[0usize; 2]; t.num_nodes()];
        let mut chance = vec![1.0f64; t.num_nodes()];
        let mut parent_sequence: [Vec<usize>; 2] =
            [vec![0; infosets[0].len()], vec![0; infosets[1].len()]];
        let mut acc: BTreeMap<(usize, usize), (f64, f64, f64)> = BTreeMap::new();
        let mut leaf_pairs: Vec<(usize, (usize, usize))> = Vec::new();
        for i in 0..t.num_nodes() {
            let node = t.node(i);
            match &node.kind {
                NodeKind::Terminal { values, .. } => {
                    let e = acc.entry((seq[i][0], seq[i][1])).or_insert((0.0, 0.0, 0.0));
                    e.0 += chance[i] * values[0];
                    e.1 += chance[i] * values[1];
                    e.2 += chance[i];
                    leaf_pairs.push((i, (seq[i][0], seq[i][1])));
                }
                NodeKind::Chance { values, .. } => {
                    for (&c, &q) in node.children.iter().zip(values) {
                        seq[c] = seq[i];
                        chance[c] = chance[i] * q;
                    }
                }
                NodeKind::Decision { infoset } => {
                    let p = t.infosets()[*infoset].player;
                    let k = local[*infoset];
                    parent_sequence[p][k] = seq[i][p];
                    for (a, &c) in node.children.iter().enumerate() {
                        seq[c] = seq[i];
                        seq[c][p] = first_sequence[p][k] + a;
                        chance[c] = chance[i];
                    }
                }
            }
        }
        let mut payoffs = Vec::with_capacity(acc.len());
        let mut mass = Vec::with_capacity(acc.len());
        let mut index = BTreeMap::new();
        for (k, ((s, u), (a, b, c))) in acc.into_iter().enumerate() {
            payoffs.push((s, u, a, b));
            mass.push(c);
            index.insert((s, u), k);
        }
        let leaves = leaf_pairs
            .into_iter()
            .map(|(node, pair)| (node, index[&pair]))
            .collect();
        Ok(SequenceForm {
            num_sequences,
            infosets,
            first_sequence,
            parent_sequence,
            payoffs,
            chance: mass,
            leaves,
        })
    }

    /// The payoff entries of [`SequenceForm::payoffs`] in exact arithmetic: `(σ, τ, a, b, c)`
    /// with `c` the chance probability of the pair's leaves. `t` must be the tree the form was
    /// built from.
    pub fn exact_payoffs(
        &self,
        t: &GameTree,
    ) -> Vec<(usize, usize, BigRational, BigRational, BigRational)> {
        let mut out: Vec<(usize, usize, BigRational, BigRational, BigRational)> = self
            .payoffs
            .iter()
            .map(|&(s, u, _, _)| {
                (
                    s,
                    u,
                    BigRational::zero(),
                    BigRational::zero(),
                    BigRational::zero(),
                )
            })
            .collect();
        for &(leaf, k) in &self.leaves {
            let mut c = BigRational::one();
            let mut cur = leaf;
            while let Some((parent, a)) = t.node(cur).parent {
                if let NodeKind::Chance { probs, .. } = &t.node(parent).kind {
                    c *= &probs[a];
                }
                cur = parent;
            }
            let pay = t.exact_payoffs(leaf);
            out[k].2 += &c * &pay[0];
            out[k].3 += &c * &pay[1];
            out[k].4 += c;
        }
        out
    }

    /// The constraint rows `E` (player 0) or `F` (player 1) as sparse `(sequence, ±1)` lists;
    /// the right-hand side is 1 for row 0 and 0 otherwise.
    pub fn constraints(&self, p: usize) -> Vec<Vec<(usize, i8)>> {
        let mut rows = vec![vec![(0usize, 1i8)]];
        for (k, &first) in self.first_sequence[p].iter().enumerate() {
            let count = self.sequence_count_of_set(p, k);
            let mut row = vec![(self.parent_sequence[p][k], -1i8)];
            row.extend((first..first + count).map(|s| (s, 1i8)));
            rows.push(row);
        }
        rows
    }

    fn sequence_count_of_set(&self, p: usize, k: usize) -> usize {
        let next = self.first_sequence[p]
            .get(k + 1)
            .copied()
            .unwrap_or(self.num_sequences[p]);
        next - self.first_sequence[p][k]
    }

    /// The realisation plan of player `p` induced by behaviour profile `b`.
    pub fn realisation_plan<T: Num + Clone>(&self, p: usize, b: &[Vec<T>]) -> Vec<T> {
        let mut x = vec![T::zero(); self.num_sequences[p]];
        x[0] = T::one();
        // Sets are in tree order, so a set's parent sequence is filled before the set.
        for (k, &s) in self.infosets[p].iter().enumerate() {
            let parent = x[self.parent_sequence[p][k]].clone();
            for (a, q) in b[s].iter().enumerate() {
                x[self.first_sequence[p][k] + a] = parent.clone() * q.clone();
            }
        }
        x
    }

    /// Writes player `p`'s behaviour strategy from realisation plan `x` into `out` (one vector
    /// per global information set): action probabilities are ratios of plan entries; at a set
    /// the plan never reaches (parent entry `≤ eps`) the behaviour is uniform.
    pub fn behaviour_from_plan<T>(&self, p: usize, x: &[T], eps: &T, out: &mut [Vec<T>])
    where
        T: Num + Clone + PartialOrd + FromPrimitive,
    {
        for (k, &s) in self.infosets[p].iter().enumerate() {
            let count = self.sequence_count_of_set(p, k);
            let first = self.first_sequence[p][k];
            let parent = x[self.parent_sequence[p][k]].clone();
            out[s] = if parent <= *eps {
                let u = T::one() / T::from_usize(count).unwrap_or_else(T::one);
                vec![u; count]
            } else {
                // Normalise by the sum of the children (equal to the parent in exact
                // arithmetic, and a renormalisation against round-off in floating point).
                let kids: Vec<T> = (first..first + count)
                    .map(|j| {
                        if x[j] < T::zero() {
                            T::zero()
                        } else {
                            x[j].clone()
                        }
                    })
                    .collect();
                let sum = kids.iter().fold(T::zero(), |a, v| a + v.clone());
                if sum <= *eps {
                    let u = T::one() / T::from_usize(count).unwrap_or_else(T::one);
                    vec![u; count]
                } else {
                    kids.into_iter().map(|v| v / sum.clone()).collect()
                }
            };
        }
    }
}
