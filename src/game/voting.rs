//! Weighted voting games (simple games given by weights and quotas).
//!
//! Their [`CoalitionalGame`](super::CoalitionalGame) implementation, with an exact separation
//! oracle, lives with the solvers (`crate::coop::separation`).

use super::tu::Coalition;
use crate::error::{Error, Result};

/// One weighted majority rule: a coalition meets it when its total weight reaches `quota`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightRule {
    /// Non-negative integer weight of each player.
    pub weights: Vec<u64>,
    /// The total weight needed (≥ 1).
    pub quota: u64,
}

/// A weighted voting game: a coalition wins when it meets every [`WeightRule`] (several rules
/// express double majorities) and contains every veto player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightedVoting {
    players: Vec<String>,
    rules: Vec<WeightRule>,
    veto: Vec<usize>,
}

impl WeightedVoting {
    /// `[quota; w_1, ..., w_n]`.
    ///
    /// # Errors
    /// [`Error::InvalidGame`] for no players, a zero quota, or a quota above the total weight.
    pub fn new(weights: Vec<u64>, quota: u64) -> Result<Self> {
        let n = weights.len();
        let g = WeightedVoting {
            players: (0..n).map(|i| i.to_string()).collect(),
            rules: Vec::new(),
            veto: Vec::new(),
        };
        g.with_rule(weights, quota)
    }

    /// Adds another rule that a winning coalition must also meet.
    ///
    /// # Errors
    /// As [`WeightedVoting::new`], and a weight vector of another length.
    pub fn with_rule(mut self, weights: Vec<u64>, quota: u64) -> Result<Self> {
        let n = self.players.len();
        if n == 0 {
            return Err(Error::invalid_game(
                "a voting game needs at least one player",
            ));
        }
        if weights.len() != n {
            return Err(Error::invalid_game(format!(
                "rule {} has {} weights for {n} players",
                self.rules.len(),
                weights.len()
            )));
        }
        let total: u128 = weights.iter().map(|&w| w as u128).sum();
        if quota == 0 {
            return Err(Error::invalid_game("the quota must be at least 1"));
        }
        if quota as u128 > total {
            return Err(Error::invalid_game(format!(
                "quota {quota} is above the total weight {total}: no coalition can win"
            )));
        }
        self.rules.push(WeightRule { weights, quota });
        Ok(self)
    }

    /// Declares veto players (0-based): every winning coalition must contain them.
    ///
    /// # Errors
    /// [`Error::InvalidGame`] for an index out of range.
    pub fn with_veto(mut self, veto: Vec<usize>) -> Result<Self> {
        let n = self.players.len();
        if let Some(&i) = veto.iter().find(|&&i| i >= n) {
            return Err(Error::invalid_game(format!(
                "veto player {i} out of range (n = {n})"
            )));
        }
        let mut veto = veto;
        veto.sort_unstable();
        veto.dedup();
        self.veto = veto;
        Ok(self)
    }

    /// Names the players.
    ///
    /// # Errors
    /// [`Error::InvalidGame`] when the count differs.
    pub fn with_players(mut self, names: Vec<String>) -> Result<Self> {
        if names.len() != self.players.len() {
            return Err(Error::invalid_game(format!(
                "{} names for {} players",
                names.len(),
                self.players.len()
            )));
        }
        self.players = names;
        Ok(self)
    }

    /// Number of players.
    pub fn len(&self) -> usize {
        self.players.len()
    }

    /// Always false: a voting game has at least one player.
    pub fn is_empty(&self) -> bool {
        self.players.is_empty()
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// The weight rules.
    pub fn rules(&self) -> &[WeightRule] {
        &self.rules
    }

    /// The veto players (sorted).
    pub fn veto(&self) -> &[usize] {
        &self.veto
    }

    /// Whether the coalition of the players flagged in `members` wins (any number of players).
    pub fn is_winning_members(&self, members: &[bool]) -> bool {
        self.veto
            .iter()
            .all(|&i| members.get(i).copied().unwrap_or(false))
            && self.rules.iter().all(|r| {
                let w: u128 = r
                    .weights
                    .iter()
                    .zip(members)
                    .filter(|(_, &m)| m)
                    .map(|(&w, _)| w as u128)
                    .sum();
                w >= r.quota as u128
            })
    }

    /// Whether a bitmask coalition wins (games of at most 64 players).
    pub fn is_winning(&self, s: Coalition) -> bool {
        self.veto.iter().all(|&i| s.contains(i))
            && self.rules.iter().all(|r| {
                let w: u128 = s.members().map(|i| r.weights[i] as u128).sum();
                w >= r.quota as u128
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_council_winning_coalitions() {
        let mut w = vec![7u64; 5];
        w.extend([1u64; 10]);
        let g = WeightedVoting::new(w, 39).unwrap();
        // P5 + 4 elected: 35 + 4 = 39 wins.
        assert!(g.is_winning(Coalition::from_members([0, 1, 2, 3, 4, 5, 6, 7, 8])));
        // Four permanent members + all ten elected: 28 + 10 = 38 fails (a veto).
        assert!(!g.is_winning(Coalition::from_members(1..15)));
    }

    #[test]
    fn invalid_rules_are_errors() {
        assert!(WeightedVoting::new(vec![1, 2], 4).is_err());
        assert!(WeightedVoting::new(vec![1, 2], 0).is_err());
        assert!(WeightedVoting::new(vec![], 1).is_err());
        assert!(WeightedVoting::new(vec![1, 2], 2)
            .unwrap()
            .with_veto(vec![2])
            .is_err());
        assert!(WeightedVoting::new(vec![1, 2], 2)
            .unwrap()
            .with_rule(vec![1], 1)
            .is_err());
    }

    #[test]
    fn veto_players_must_be_present() {
        let g = WeightedVoting::new(vec![1, 1, 1], 2)
            .unwrap()
            .with_veto(vec![0])
            .unwrap();
        assert!(!g.is_winning(Coalition::from_members([1, 2])));
        assert!(g.is_winning(Coalition::from_members([0, 2])));
        assert!(g.is_winning_members(&[true, true, false]));
    }
}
