//! Transferable-utility (coalitional) games.

use crate::error::{Error, Result};

/// A coalition of at most 64 players as a bitmask: player `i` is a member iff bit `i` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Coalition(pub u64);

/// Panics with a message naming the player: a shift by 64 or more would silently wrap to
/// another player in release builds.
#[inline]
#[track_caller]
fn bit(i: usize) -> u64 {
    assert!(
        i < Coalition::MAX_PLAYERS,
        "player {i} does not fit a coalition bitmask (players 0..{})",
        Coalition::MAX_PLAYERS
    );
    1u64 << i
}

impl Coalition {
    /// The empty coalition.
    pub const EMPTY: Coalition = Coalition(0);

    /// Players a coalition can name: `0..64`.
    pub const MAX_PLAYERS: usize = 64;

    /// The coalition `{i}`, or `None` when `i >= 64`.
    pub fn try_singleton(i: usize) -> Option<Coalition> {
        (i < Self::MAX_PLAYERS).then(|| Coalition(1u64 << i))
    }

    /// The grand coalition of `n` players (`n <= 64`).
    pub fn grand(n: usize) -> Coalition {
        if n >= 64 {
            Coalition(u64::MAX)
        } else {
            Coalition((1u64 << n) - 1)
        }
    }

    /// The coalition `{i}`.
    ///
    /// # Panics
    /// When `i >= 64` (see [`Coalition::try_singleton`]).
    #[track_caller]
    pub fn singleton(i: usize) -> Coalition {
        Coalition(bit(i))
    }

    /// The coalition of the listed players.
    ///
    /// # Panics
    /// When a player is `>= 64`.
    #[track_caller]
    pub fn from_members(members: impl IntoIterator<Item = usize>) -> Coalition {
        Coalition(members.into_iter().fold(0, |m, i| m | bit(i)))
    }

    /// Whether player `i` is a member (`false` for `i >= 64`).
    #[inline]
    pub fn contains(self, i: usize) -> bool {
        i < Self::MAX_PLAYERS && self.0 >> i & 1 == 1
    }

    /// The coalition with `i` added.
    ///
    /// # Panics
    /// When `i >= 64`.
    #[inline]
    #[track_caller]
    pub fn with(self, i: usize) -> Coalition {
        Coalition(self.0 | bit(i))
    }

    /// The coalition with `i` removed (`self` for `i >= 64`: no such member).
    #[inline]
    pub fn without(self, i: usize) -> Coalition {
        if i < Self::MAX_PLAYERS {
            Coalition(self.0 & !(1u64 << i))
        } else {
            self
        }
    }

    /// Number of members.
    #[inline]
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the coalition is empty.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every member of `self` is in `other`.
    #[inline]
    pub fn is_subset_of(self, other: Coalition) -> bool {
        self.0 & !other.0 == 0
    }

    /// The players of `n` not in `self`.
    #[inline]
    pub fn complement(self, n: usize) -> Coalition {
        Coalition(Coalition::grand(n).0 & !self.0)
    }

    /// The members in increasing order.
    pub fn members(self) -> impl Iterator<Item = usize> {
        let mut m = self.0;
        std::iter::from_fn(move || {
            if m == 0 {
                None
            } else {
                let i = m.trailing_zeros() as usize;
                m &= m - 1;
                Some(i)
            }
        })
    }

    /// The bitmask as an index into a dense value table.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A game whose coalition values can be asked for one at a time: a dense table ([`TuGame`]) or
/// an oracle that computes values on demand (weighted voting, treaty security games), so that
/// constraint-generation solvers never need all 2^n values.
pub trait CoalitionalGame {
    /// Number of players (at most 64 for bitmask coalitions).
    fn num_players(&self) -> usize;
    /// The value `v(S)`; `v(∅) = 0`.
    fn value(&self, s: Coalition) -> f64;

    /// The whole value table `v[mask]` (player `i` = bit `i`), when the game stores one.
    /// Solvers that read every coalition ([`crate::coop::shapley`], [`crate::coop::banzhaf`])
    /// use it instead of `2^n` calls to [`CoalitionalGame::value`] and a copy; the default is
    /// `None` (values computed on demand).
    fn dense_values(&self) -> Option<&[f64]> {
        None
    }

    /// Separation oracle of the constraint-generation solvers (least core, nucleolus): the
    /// proper coalition `S` (`∅ ≠ S ≠ N`) with `skip(S) == false` of largest excess
    /// `e(S, x) = v(S) − x(S)`, ties broken towards the smaller bitmask.
    ///
    /// The default scans all `2^n − 2` proper coalitions ([`top_excess_coalitions`]);
    /// structured games (weighted voting, treaty games) override it with something smarter.
    ///
    /// # Returns
    /// `None` when every proper coalition is skipped (or `n = 1`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `x` does not have one finite entry per player;
    /// [`Error::TooLarge`] from the default scan beyond [`MAX_DENSE_PLAYERS`] players.
    fn most_excess_coalition(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
    ) -> Result<Option<(Coalition, f64)>> {
        Ok(top_excess_coalitions(self, x, skip, 1)?.pop())
    }

    /// Whether [`CoalitionalGame::most_excess_coalition`] stays cheap when `skip` rejects many
    /// coalitions. A table scan does; a branch and bound that can test `skip` only at its
    /// leaves does not (its bound cannot see which coalitions are skipped), and then the
    /// nucleolus skips only the fixed coalitions, not every one whose excess is settled.
    /// Default `true`.
    fn skip_is_cheap(&self) -> bool {
        true
    }

    /// Up to `k` proper, non-skipped coalitions of largest excess, in decreasing order of
    /// excess (the solvers add several violated constraints per round).
    ///
    /// The default calls [`CoalitionalGame::most_excess_coalition`] `k` times, skipping the
    /// ones already found, so a game that overrides only that method stays correct; dense games
    /// override this with one scan.
    ///
    /// # Errors
    /// As [`CoalitionalGame::most_excess_coalition`].
    fn most_excess_coalitions(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
        k: usize,
    ) -> Result<Vec<(Coalition, f64)>> {
        let mut found: Vec<(Coalition, f64)> = Vec::with_capacity(k);
        while found.len() < k {
            let next = {
                let seen = |s: Coalition| skip(s) || found.iter().any(|&(t, _)| t == s);
                self.most_excess_coalition(x, &seen)?
            };
            match next {
                Some(p) => found.push(p),
                None => break,
            }
        }
        Ok(found)
    }

    /// [`CoalitionalGame::most_excess_coalitions`] restricted to excesses above `floor`: up to
    /// `k` proper, non-skipped coalitions with `e(S, x) > floor`, in decreasing order of
    /// excess. The constraint-generation loops ask only for violated coalitions, and a
    /// branch-and-bound oracle prunes against the floor from its first node instead of
    /// searching for `k` coalitions that would be thrown away.
    ///
    /// The default filters [`CoalitionalGame::most_excess_coalitions`].
    ///
    /// # Errors
    /// As [`CoalitionalGame::most_excess_coalition`].
    fn most_excess_coalitions_above(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
        k: usize,
        floor: f64,
    ) -> Result<Vec<(Coalition, f64)>> {
        let mut top = self.most_excess_coalitions(x, skip, k)?;
        top.retain(|&(_, e)| e > floor);
        Ok(top)
    }
}

/// Checks that `x` has one finite entry per player (shared by the coalitional solvers).
pub(crate) fn check_allocation(n: usize, x: &[f64]) -> Result<()> {
    if x.len() != n {
        return Err(Error::invalid_argument(format!(
            "an allocation for {n} players has {} entries",
            x.len()
        )));
    }
    if let Some((i, v)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::invalid_argument(format!(
            "allocation entry of player {i} is {v}"
        )));
    }
    Ok(())
}

/// Brute-force separation: up to `k` proper coalitions (`∅ ≠ S ≠ N`) with `skip(S) == false`
/// of largest excess `v(S) − x(S)`, in decreasing order of excess (ties: smaller bitmask
/// first).
///
/// `x(S)` is the sum of two table look-ups (the players split into a low and a high half, each
/// half's subset sums precomputed), so a scan costs one `value` call and one addition per
/// coalition, and `skip` is only asked about coalitions that would enter the top `k`.
///
/// # Complexity
/// `O(2^n · (1 + k))` time in the worst case, `O(2^(n/2) + k)` memory.
///
/// # Errors
/// [`Error::InvalidArgument`] when `x` does not have one finite entry per player;
/// [`Error::TooLarge`] for more than [`MAX_DENSE_PLAYERS`] players.
pub fn top_excess_coalitions<G: CoalitionalGame + ?Sized>(
    g: &G,
    x: &[f64],
    skip: &dyn Fn(Coalition) -> bool,
    k: usize,
) -> Result<Vec<(Coalition, f64)>> {
    let n = g.num_players();
    check_allocation(n, x)?;
    if n > MAX_DENSE_PLAYERS {
        return Err(Error::TooLarge(format!(
            "scanning all 2^{n} coalitions of a {n}-player game (the limit is {} players): \
             the game needs its own separation oracle (CoalitionalGame::most_excess_coalition)",
            MAX_DENSE_PLAYERS
        )));
    }
    if n < 2 || k == 0 {
        return Ok(Vec::new());
    }
    let half = n / 2;
    let subset_sums = |offset: usize, len: usize| {
        let mut s = vec![0.0; 1usize << len];
        for m in 1..s.len() {
            s[m] = s[m & (m - 1)] + x[offset + m.trailing_zeros() as usize];
        }
        s
    };
    let lo = subset_sums(0, half);
    let hi = subset_sums(half, n - half);
    let lo_mask = (1u64 << half) - 1;
    let grand = Coalition::grand(n).0;
    // `best` is kept sorted by decreasing excess; `floor` is the excess a coalition must beat.
    let mut best: Vec<(Coalition, f64)> = Vec::with_capacity(k + 1);
    let mut floor = f64::NEG_INFINITY;
    for m in 1..grand {
        let s = Coalition(m);
        let e = g.value(s) - (lo[(m & lo_mask) as usize] + hi[(m >> half) as usize]);
        if e <= floor || skip(s) {
            continue;
        }
        let at = best.partition_point(|&(_, b)| b >= e);
        best.insert(at, (s, e));
        if best.len() > k {
            best.pop();
        }
        if best.len() == k {
            floor = best[k - 1].1;
        }
    }
    Ok(best)
}

/// Most players a dense [`TuGame`] may have (2^30 values = 8 GiB).
pub const MAX_DENSE_PLAYERS: usize = 30;

/// A TU game with every coalition's value stored: `v[mask]`, player `i` = bit `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct TuGame {
    n: usize,
    v: Vec<f64>,
    players: Option<Vec<String>>,
}

/// Bytes a dense table of `n` players needs, as a float (`2^n · 8` overflows every integer
/// type long before the question stops being meaningful).
pub(crate) fn dense_bytes(n: usize) -> f64 {
    let n = i32::try_from(n).unwrap_or(i32::MAX);
    2f64.powi(n) * std::mem::size_of::<f64>() as f64
}

fn check_dense_size(n: usize) -> Result<()> {
    if n > MAX_DENSE_PLAYERS {
        let need = if n > Coalition::MAX_PLAYERS {
            format!(
                "more than 2^{} values, and coalitions of more than {} players cannot be named",
                Coalition::MAX_PLAYERS,
                Coalition::MAX_PLAYERS
            )
        } else {
            format!("2^{n} values = {}", crate::error::bytes(dense_bytes(n)))
        };
        return Err(Error::TooLarge(format!(
            "a dense TU game of {n} players needs {need}; the limit is {MAX_DENSE_PLAYERS} \
             players ({}): use an oracle game (CoalitionalGame) instead",
            crate::error::bytes(dense_bytes(MAX_DENSE_PLAYERS))
        )));
    }
    Ok(())
}

impl TuGame {
    /// A game from its value table (`v.len() == 2^n`, `v[0] == 0`, all finite).
    ///
    /// # Errors
    /// [`Error::TooLarge`] for `n > 30`; [`Error::InvalidGame`] for a table of the wrong length,
    /// a non-finite value (the message names the coalition) or `v(∅) != 0`.
    pub fn new(n: usize, v: Vec<f64>) -> Result<Self> {
        check_dense_size(n)?;
        if n == 0 {
            return Err(Error::invalid_game("a TU game needs at least one player"));
        }
        if v.len() != 1usize << n {
            return Err(Error::invalid_game(format!(
                "a game of {n} players needs 2^{n} = {} values, got {}",
                1usize << n,
                v.len()
            )));
        }
        if let Some((mask, x)) = v.iter().enumerate().find(|(_, x)| !x.is_finite()) {
            return Err(Error::invalid_game(format!(
                "v of coalition {mask} ({:?}) is {x}",
                Coalition(mask as u64).members().collect::<Vec<_>>()
            )));
        }
        if v[0] != 0.0 {
            return Err(Error::invalid_game(format!(
                "the empty coalition must have value 0, got {}",
                v[0]
            )));
        }
        Ok(TuGame {
            n,
            v,
            players: None,
        })
    }

    /// A game with values computed by `f` for every coalition (`f(∅)` is ignored: 0).
    ///
    /// # Errors
    /// As [`TuGame::new`].
    pub fn from_fn(n: usize, mut f: impl FnMut(Coalition) -> f64) -> Result<Self> {
        check_dense_size(n)?;
        let v = (0..1u64 << n)
            .map(|m| if m == 0 { 0.0 } else { f(Coalition(m)) })
            .collect();
        Self::new(n, v)
    }

    /// Materialises any coalitional game of at most 30 players.
    ///
    /// # Errors
    /// As [`TuGame::new`].
    pub fn from_game<G: CoalitionalGame + ?Sized>(g: &G) -> Result<Self> {
        Self::from_fn(g.num_players(), |s| g.value(s))
    }

    /// Attaches player names (one per player).
    ///
    /// # Errors
    /// [`Error::InvalidGame`] when the count differs from `n`.
    pub fn with_players(mut self, names: Vec<String>) -> Result<Self> {
        if names.len() != self.n {
            return Err(Error::invalid_game(format!(
                "{} player names for a game of {} players",
                names.len(),
                self.n
            )));
        }
        self.players = Some(names);
        Ok(self)
    }

    /// Player names, if given.
    pub fn players(&self) -> Option<&[String]> {
        self.players.as_deref()
    }

    /// The value table.
    pub fn values(&self) -> &[f64] {
        &self.v
    }

    /// `v(N)`.
    pub fn grand_value(&self) -> f64 {
        self.v[self.v.len() - 1]
    }
}

impl CoalitionalGame for TuGame {
    fn num_players(&self) -> usize {
        self.n
    }

    #[inline]
    fn value(&self, s: Coalition) -> f64 {
        self.v[s.index()]
    }

    fn dense_values(&self) -> Option<&[f64]> {
        Some(&self.v)
    }

    fn most_excess_coalitions(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
        k: usize,
    ) -> Result<Vec<(Coalition, f64)>> {
        top_excess_coalitions(self, x, skip, k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalition_helpers() {
        let s = Coalition::from_members([0, 2, 5]);
        assert_eq!(s.len(), 3);
        assert!(s.contains(2) && !s.contains(1));
        assert_eq!(s.members().collect::<Vec<_>>(), vec![0, 2, 5]);
        assert_eq!(s.complement(6), Coalition::from_members([1, 3, 4]));
        assert!(Coalition::singleton(2).is_subset_of(s));
        assert_eq!(Coalition::grand(3).0, 7);
        assert_eq!(Coalition::grand(64).0, u64::MAX);
    }

    #[test]
    fn separation_finds_the_largest_excesses() {
        // v(S) = |S|^2 on 4 players, x = (1, 2, 3, 4): check against a direct scan.
        let g = TuGame::from_fn(4, |s| (s.len() * s.len()) as f64).unwrap();
        let x = [1.0, 2.0, 3.0, 4.0];
        let excess = |s: Coalition| g.value(s) - s.members().map(|i| x[i]).sum::<f64>();
        let mut all: Vec<(Coalition, f64)> = (1..15)
            .map(|m| (Coalition(m), excess(Coalition(m))))
            .collect();
        all.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap().then(a.0.cmp(&b.0)));
        let none = |_: Coalition| false;
        assert_eq!(
            g.most_excess_coalitions(&x, &none, 3).unwrap(),
            all[..3].to_vec()
        );
        assert_eq!(g.most_excess_coalition(&x, &none).unwrap(), Some(all[0]));
        let skip_top = |s: Coalition| s == all[0].0;
        assert_eq!(
            g.most_excess_coalition(&x, &skip_top).unwrap(),
            Some(all[1])
        );
        // The trait's default (repeated single calls) agrees with the one-scan override.
        struct Plain<'a>(&'a TuGame);
        impl CoalitionalGame for Plain<'_> {
            fn num_players(&self) -> usize {
                4
            }
            fn value(&self, s: Coalition) -> f64 {
                self.0.value(s)
            }
        }
        assert_eq!(
            Plain(&g).most_excess_coalitions(&x, &none, 5).unwrap(),
            all[..5].to_vec()
        );
        assert!(matches!(
            g.most_excess_coalition(&x[..3], &none),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            g.most_excess_coalition(&[1.0, f64::NAN, 0.0, 0.0], &none),
            Err(Error::InvalidArgument(_))
        ));
        let all_skipped = |_: Coalition| true;
        assert_eq!(g.most_excess_coalition(&x, &all_skipped).unwrap(), None);
    }

    #[test]
    fn bad_tables_are_errors() {
        assert!(matches!(
            TuGame::new(2, vec![0.0, 1.0]),
            Err(Error::InvalidGame(_))
        ));
        assert!(matches!(
            TuGame::new(2, vec![0.0, 1.0, f64::NAN, 2.0]),
            Err(Error::InvalidGame(m)) if m.contains("[1]")
        ));
        assert!(matches!(
            TuGame::new(1, vec![1.0, 1.0]),
            Err(Error::InvalidGame(_))
        ));
        assert!(matches!(TuGame::new(31, vec![]), Err(Error::TooLarge(m)) if m.contains("GiB")));
        assert!(matches!(
            TuGame::new(0, vec![0.0]),
            Err(Error::InvalidGame(_))
        ));
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn oversized_tu_games_state_their_memory_without_overflowing() {
        let msg = |n: usize| match TuGame::new(n, vec![]) {
            Err(Error::TooLarge(m)) => m,
            other => panic!("n = {n}: {other:?}"),
        };
        assert!(msg(31).contains("2^31 values = 16.0 GiB"), "{}", msg(31));
        assert!(
            msg(31).contains("limit is 30 players (8.0 GiB)"),
            "{}",
            msg(31)
        );
        assert!(msg(64).contains("2^64 values = 128.0 EiB"), "{}", msg(64));
        // Shifts by n >= 125 overflowed u128 (a debug panic); n = 10^4 wrapped to 0.0 GiB.
        for n in [65, 125, 128, 10_000, usize::MAX] {
            let m = msg(n);
            assert!(m.contains("more than 2^64 values"), "{m}");
            assert!(
                !m.contains("0.0 GiB") && !m.contains("18446744073709551615 values"),
                "{m}"
            );
        }
    }

    #[test]
    fn coalitions_refuse_players_beyond_63_instead_of_wrapping() {
        assert_eq!(Coalition::try_singleton(63), Some(Coalition(1 << 63)));
        assert_eq!(Coalition::try_singleton(64), None);
        assert!(!Coalition::grand(64).contains(64));
        assert_eq!(Coalition::grand(64).without(64), Coalition::grand(64));
        let r = std::panic::catch_unwind(|| Coalition::singleton(64));
        assert!(r.is_err(), "singleton(64) wrapped to {:?}", r);
        assert!(std::panic::catch_unwind(|| Coalition::EMPTY.with(64)).is_err());
        assert!(std::panic::catch_unwind(|| Coalition::from_members([1, 64])).is_err());
    }
}
