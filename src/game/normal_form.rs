//! n-player normal-form games.

use crate::error::{Error, Result};
use ndarray::{ArrayD, Dimension, IxDyn};

/// An n-player game in strategic (normal) form.
///
/// Player `p` has `shape[p]` actions; `payoffs[p][[a_0, ..., a_{n-1}]]` is player `p`'s payoff
/// when each player `q` plays action `a_q`. All payoffs are finite.
#[derive(Debug, Clone, PartialEq)]
pub struct NormalForm {
    players: Vec<String>,
    strategies: Vec<Vec<String>>,
    payoffs: Vec<ArrayD<f64>>,
    title: String,
}

impl NormalForm {
    /// Most players a game may have. Each player's payoff tensor has one axis per player, so
    /// the shape and stride data alone grow with the square of the player count (16·n² bytes:
    /// 6 GB for 20,000 one-strategy players); a game with more than a few dozen players that
    /// have two or more strategies is beyond every solver here anyway.
    pub const MAX_PLAYERS: usize = 1024;

    /// Checks a player count against [`NormalForm::MAX_PLAYERS`] — for readers of game files,
    /// before they build any tensor.
    ///
    /// # Errors
    /// [`Error::TooLarge`] stating the memory the tensors' shapes would need and the limit.
    pub fn check_players(n: usize) -> Result<()> {
        if n > Self::MAX_PLAYERS {
            let shape_bytes = |n: usize| 16.0 * n as f64 * n as f64;
            return Err(Error::TooLarge(format!(
                "a normal-form game of {n} players keeps {n} payoff tensors of {n} axes each, \
                 {} of shapes alone before any payoff; the limit is {} players ({})",
                crate::error::bytes(shape_bytes(n)),
                Self::MAX_PLAYERS,
                crate::error::bytes(shape_bytes(Self::MAX_PLAYERS))
            )));
        }
        Ok(())
    }

    /// Builds a game from one payoff tensor per player, with default names
    /// (`"1"`, `"2"`, … for players, `"1"`, `"2"`, … for actions).
    ///
    /// # Errors
    /// [`Error::InvalidGame`] for zero players, an empty strategy set, tensors of different
    /// shapes or the wrong rank, or a non-finite payoff (the message names the cell);
    /// [`Error::TooLarge`] for more than [`NormalForm::MAX_PLAYERS`] players.
    pub fn new(payoffs: Vec<ArrayD<f64>>) -> Result<Self> {
        let n = payoffs.len();
        Self::check_players(n)?;
        let shape = payoffs
            .first()
            .map(|a| a.shape().to_vec())
            .unwrap_or_default();
        let players = (0..n).map(|i| i.to_string()).collect();
        let strategies = shape
            .iter()
            .map(|&k| (0..k).map(|i| i.to_string()).collect())
            .collect();
        Self::with_names(players, strategies, payoffs)
    }

    /// Builds a game with player and strategy names.
    ///
    /// # Errors
    /// As [`NormalForm::new`], and when the name lists disagree with the tensor shape.
    pub fn with_names(
        players: Vec<String>,
        strategies: Vec<Vec<String>>,
        payoffs: Vec<ArrayD<f64>>,
    ) -> Result<Self> {
        let n = payoffs.len();
        Self::check_players(n)?;
        if n == 0 {
            return Err(Error::invalid_game("a game needs at least one player"));
        }
        if players.len() != n {
            return Err(Error::invalid_game(format!(
                "{} player names for {n} payoff tensors",
                players.len()
            )));
        }
        let shape = payoffs[0].shape().to_vec();
        if shape.len() != n {
            return Err(Error::invalid_game(format!(
                "payoff tensors must have one axis per player: {n} players but rank {}",
                shape.len()
            )));
        }
        for (p, &k) in shape.iter().enumerate() {
            if k == 0 {
                return Err(Error::invalid_game(format!(
                    "player {p} ({}) has no strategies",
                    players[p]
                )));
            }
        }
        for (p, a) in payoffs.iter().enumerate() {
            if a.shape() != shape.as_slice() {
                return Err(Error::invalid_game(format!(
                    "payoff tensor of player {p} has shape {:?}, expected {shape:?}",
                    a.shape()
                )));
            }
            // Scan the values first; build the index (slow for dynamic rank) only on failure.
            let bad = a.iter().position(|v| !v.is_finite());
            if let Some((idx, v)) = bad.and_then(|k| a.indexed_iter().nth(k)) {
                return Err(Error::invalid_game(format!(
                    "payoff of player {p} at profile {:?} is {v}",
                    (0..idx.ndim()).map(|d| idx[d]).collect::<Vec<_>>()
                )));
            }
        }
        if strategies.len() != n {
            return Err(Error::invalid_game(format!(
                "{} strategy-name lists for {n} players",
                strategies.len()
            )));
        }
        for (p, names) in strategies.iter().enumerate() {
            if names.len() != shape[p] {
                return Err(Error::invalid_game(format!(
                    "player {p} has {} strategy names but {} strategies",
                    names.len(),
                    shape[p]
                )));
            }
        }
        Ok(NormalForm {
            players,
            strategies,
            payoffs,
            title: String::new(),
        })
    }

    /// A two-player game from row-major payoff matrices (`a[i][j]`: row player's payoff), rows
    /// as `Vec<f64>`, arrays or slices.
    ///
    /// # Errors
    /// Ragged or empty matrices, different shapes, non-finite entries.
    pub fn from_matrices<R: AsRef<[f64]>>(a: &[R], b: &[R]) -> Result<Self> {
        let m = a.len();
        let n = a.first().map_or(0, |r| r.as_ref().len());
        let to_tensor = |name: &str, x: &[R]| -> Result<ArrayD<f64>> {
            if x.len() != m || x.iter().any(|r| r.as_ref().len() != n) {
                return Err(Error::invalid_game(format!(
                    "matrix {name} is not {m}x{n} (ragged or of a different shape)"
                )));
            }
            let flat: Vec<f64> = x.iter().flat_map(|r| r.as_ref()).copied().collect();
            ArrayD::from_shape_vec(IxDyn(&[m, n]), flat)
                .map_err(|e| Error::invalid_game(format!("matrix {name}: {e}")))
        };
        if m == 0 || n == 0 {
            return Err(Error::invalid_game(
                "a player has no strategies (empty matrix)",
            ));
        }
        Self::new(vec![to_tensor("A", a)?, to_tensor("B", b)?])
    }

    /// Sets the game's title (as in a Gambit file).
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Number of players.
    pub fn num_players(&self) -> usize {
        self.payoffs.len()
    }

    /// Number of actions of each player.
    pub fn shape(&self) -> &[usize] {
        self.payoffs[0].shape()
    }

    /// Number of pure-strategy profiles (product of the shape).
    pub fn num_profiles(&self) -> usize {
        self.payoffs[0].len()
    }

    /// Player names.
    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// Strategy names per player.
    pub fn strategies(&self) -> &[Vec<String>] {
        &self.strategies
    }

    /// Player `p`'s payoff tensor.
    pub fn payoff_tensor(&self, p: usize) -> &ArrayD<f64> {
        &self.payoffs[p]
    }

    /// All payoff tensors.
    pub fn payoff_tensors(&self) -> &[ArrayD<f64>] {
        &self.payoffs
    }

    /// Player `p`'s payoff at a pure profile.
    pub fn payoff(&self, p: usize, profile: &[usize]) -> f64 {
        self.payoffs[p][IxDyn(profile)]
    }

    /// Iterates over all pure profiles in row-major order (the last player's action varies
    /// fastest), matching the memory order of the payoff tensors.
    pub fn profiles(&self) -> impl Iterator<Item = Vec<usize>> + '_ {
        let shape = self.shape().to_vec();
        let total = self.num_profiles();
        (0..total).map(move |mut k| {
            let mut prof = vec![0; shape.len()];
            for (d, &s) in shape.iter().enumerate().rev() {
                prof[d] = k % s;
                k /= s;
            }
            prof
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_players_are_refused_before_any_tensor_is_built() {
        let e = NormalForm::check_players(20_000).unwrap_err();
        let m = e.to_string();
        assert!(matches!(e, Error::TooLarge(_)));
        assert!(m.contains("20000 players") && m.contains("6.0 GiB"), "{m}");
        assert!(m.contains("limit is 1024 players (16.0 MiB)"), "{m}");
        assert!(NormalForm::check_players(NormalForm::MAX_PLAYERS).is_ok());
    }

    #[test]
    fn a_game_at_the_player_limit_is_built_and_one_over_is_refused() {
        // One-strategy players: one profile, tensors of rank n with every axis of length 1.
        let tensors = |n: usize| vec![ArrayD::from_elem(IxDyn(&vec![1; n]), 1.0); n];
        let g = NormalForm::new(tensors(NormalForm::MAX_PLAYERS)).unwrap();
        assert_eq!(g.num_profiles(), 1);
        assert!(matches!(
            NormalForm::new(tensors(NormalForm::MAX_PLAYERS + 1)),
            Err(Error::TooLarge(_))
        ));
    }
}
