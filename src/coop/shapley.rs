//! Shapley and Banzhaf values of TU games: exact for dense games, Monte Carlo with a stated
//! confidence bound for oracle games beyond the dense limit.

use std::borrow::Cow;

use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::error::{Error, Result};
use crate::game::tu::{dense_bytes, Coalition, CoalitionalGame, TuGame, MAX_DENSE_PLAYERS};
use crate::tolerance::Tolerance;

/// Sums `weight(S) · (v(S ∪ i) − v(S))` over the coalitions `S` without `i`, for every `i`.
///
/// Player `i`'s coalitions pair up inside blocks of `2^(i+1)` masks: the lower half of a block
/// lacks `i`, the upper half is the same masks with `i`; so each player is one sweep over
/// contiguous slices (vectorisable), and `weight` is a table indexed by mask.
fn weighted_marginals(n: usize, v: &[f64], weight: impl Fn(usize) -> f64, post: f64) -> Vec<f64> {
    // Differences of values near ±f64::MAX overflow (and inf − inf is NaN), and a sum of 2^(n−1)
    // of them overflows sooner: work on the values times 2^-shift (exact but for subnormal
    // dust far below the result's precision) and multiply back at the end, saturating.
    let largest = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let shift = if largest > 2f64.powi(1000 - n as i32) {
        n as i32 + 24
    } else {
        0
    };
    let down = 2f64.powi(-shift);
    let mut out = vec![0.0; n];
    for (i, o) in out.iter_mut().enumerate() {
        let half = 1usize << i;
        let mut acc = 0.0;
        for block in v.chunks_exact(2 * half).enumerate() {
            let (b, chunk) = block;
            let (lo, hi) = chunk.split_at(half);
            let base = b * 2 * half;
            acc += lo
                .iter()
                .zip(hi)
                .enumerate()
                .map(|(j, (a, c))| weight(base + j) * (c * down - a * down))
                .sum::<f64>();
        }
        let back = acc * post * 2f64.powi(shift);
        *o = if back.is_infinite() {
            f64::MAX.copysign(back)
        } else {
            back
        };
    }
    out
}

/// Every coalition's value of `g`: its own table when it stores one, else `2^n` calls to
/// [`CoalitionalGame::value`] (checked finite, `v(∅)` taken as 0) into a new table.
///
/// # Errors
/// [`Error::InvalidGame`] without players or with a non-finite value; [`Error::TooLarge`]
/// beyond [`MAX_DENSE_PLAYERS`], stating the memory the table would take and pointing to the
/// sampled estimate `sampled` instead.
fn value_table<'a, G: CoalitionalGame + ?Sized>(g: &'a G, sampled: &str) -> Result<Cow<'a, [f64]>> {
    let n = g.num_players();
    if n == 0 {
        return Err(Error::invalid_game("the game has no players"));
    }
    if let Some(v) = g.dense_values() {
        return Ok(Cow::Borrowed(v));
    }
    if n > MAX_DENSE_PLAYERS {
        return Err(Error::TooLarge(format!(
            "the exact value of a {n}-player game reads all 2^{n} coalition values, a table of \
             {}; the limit is {MAX_DENSE_PLAYERS} players ({}): estimate it with {sampled}",
            crate::error::bytes(dense_bytes(n)),
            crate::error::bytes(dense_bytes(MAX_DENSE_PLAYERS))
        )));
    }
    Ok(Cow::Owned(TuGame::from_game(g)?.values().to_vec()))
}

/// The exact Shapley value of a coalitional game.
///
/// `φ_i = Σ_{S ⊆ N∖{i}} |S|! (n−|S|−1)! / n! · (v(S ∪ {i}) − v(S))` (Shapley 1953).
///
/// # Arguments
/// * `g` — any coalitional game of `n ≤ 30` players: a [`TuGame`] is read in place, other
///   games are asked for all `2^n` values first.
///
/// # Returns
/// One value per player; they sum to `v(N)` (efficiency) up to rounding.
///
/// # Errors
/// [`Error::InvalidGame`] for a game without players or a non-finite value;
/// [`Error::TooLarge`] beyond [`MAX_DENSE_PLAYERS`] players, with the memory the value table
/// would need (use [`shapley_sampled`] there).
///
/// # Complexity
/// `O(n · 2^n)` time: one table of the `n` size weights and one contiguous sweep per player
/// over the value table; `O(2^n)` memory for the weights (and for the values of a game that
/// does not store them).
///
/// # Example
/// ```
/// use covenant::coop::shapley;
/// use covenant::game::TuGame;
/// // Glove game: players 0, 1 own left gloves, player 2 a right glove.
/// let g = TuGame::new(3, vec![0., 0., 0., 0., 0., 1., 1., 1.]).unwrap();
/// let phi = shapley(&g).unwrap();
/// assert!((phi[2] - 2.0 / 3.0).abs() < 1e-12 && (phi[0] - 1.0 / 6.0).abs() < 1e-12);
/// ```
pub fn shapley<G: CoalitionalGame + ?Sized>(g: &G) -> Result<Vec<f64>> {
    let v = value_table(g, "shapley_sampled")?;
    let n = g.num_players();
    // w[s] = s! (n-s-1)! / n!, built by the ratio w[s+1] / w[s] = (s+1) / (n-s-1).
    let mut by_size = vec![0.0; n + 1];
    by_size[0] = 1.0 / n as f64;
    for s in 0..n - 1 {
        by_size[s + 1] = by_size[s] * (s + 1) as f64 / (n - s - 1) as f64;
    }
    let by_mask: Vec<f64> = (0..1usize << n)
        .map(|m| by_size[m.count_ones() as usize])
        .collect();
    Ok(weighted_marginals(n, &v, |m| by_mask[m], 1.0))
}

/// The raw (non-normalised) Banzhaf value of a coalitional game: each player's average
/// marginal contribution over the `2^(n−1)` coalitions without it (Banzhaf 1965; Owen 1975).
///
/// # Errors
/// As [`shapley`] (use [`banzhaf_sampled`] beyond [`MAX_DENSE_PLAYERS`] players).
///
/// # Complexity
/// `O(n · 2^n)` time, no allocation beyond the result for a [`TuGame`].
///
/// # Example
/// ```
/// use covenant::coop::banzhaf;
/// use covenant::game::TuGame;
/// let g = TuGame::new(2, vec![0., 1., 1., 4.]).unwrap();
/// assert_eq!(banzhaf(&g).unwrap(), vec![2.0, 2.0]);
/// ```
pub fn banzhaf<G: CoalitionalGame + ?Sized>(g: &G) -> Result<Vec<f64>> {
    let v = value_table(g, "banzhaf_sampled")?;
    Ok(raw_banzhaf(g.num_players(), &v))
}

fn raw_banzhaf(n: usize, v: &[f64]) -> Vec<f64> {
    let scale = 1.0 / (1u64 << (n - 1)) as f64;
    weighted_marginals(n, v, |_| 1.0, scale)
}

/// The normalised Banzhaf value: the raw Banzhaf value rescaled to be efficient,
/// `β_i · v(N) / Σ_j β_j` (van den Brink & van der Laan 1998). For a simple game this is the
/// normalised Banzhaf index.
///
/// # Errors
/// As [`banzhaf`]; [`Error::InvalidGame`] when the raw values sum to zero (relative to the
/// largest `|v(S)|`), so that no rescaling exists.
///
/// # Complexity
/// As [`banzhaf`].
pub fn banzhaf_normalized<G: CoalitionalGame + ?Sized>(g: &G) -> Result<Vec<f64>> {
    let v = value_table(g, "banzhaf_sampled")?;
    let raw = raw_banzhaf(g.num_players(), &v);
    let total: f64 = raw.iter().sum();
    let scale = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if Tolerance::DEFAULT.is_zero(total / scale.max(1.0)) {
        return Err(Error::invalid_game(format!(
            "the raw Banzhaf values sum to {total}: the normalised Banzhaf value is undefined"
        )));
    }
    let k = v[v.len() - 1] / total;
    Ok(raw.into_iter().map(|b| b * k).collect())
}

/// Monte Carlo estimates of a value with a confidence bound per player.
#[derive(Debug, Clone, PartialEq)]
pub struct SampledValues {
    /// The sample mean of each player's marginal contributions.
    pub estimate: Vec<f64>,
    /// Half-width of each player's interval `estimate ± half_width`. All `n` intervals hold
    /// simultaneously with probability at least `confidence`, by the empirical-Bernstein bound
    /// of Maurer & Pontil (2009, Thm. 4) for each player at level `(1 − confidence) / n`
    /// (union bound), two-sided. The bound needs the range of the player's marginal
    /// contributions, which an oracle game does not state: the observed range of the sample is
    /// used (a plug-in), so a contribution far outside everything sampled is not covered.
    pub half_width: Vec<f64>,
    /// The confidence level the intervals were computed for.
    pub confidence: f64,
    /// Number of samples drawn (permutations for Shapley, coalitions for Banzhaf).
    pub samples: usize,
}

/// Running mean, variance (Welford), and range of one player's samples.
#[derive(Debug, Clone, Copy)]
struct Moments {
    count: f64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Moments {
    const EMPTY: Moments = Moments {
        count: 0.0,
        mean: 0.0,
        m2: 0.0,
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
    };

    #[inline]
    fn push(&mut self, x: f64) {
        self.count += 1.0;
        let d = x - self.mean;
        self.mean += d / self.count;
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Empirical-Bernstein half-width at failure probability `delta` (two-sided):
    /// `sqrt(2 V ln(4/δ) / t) + 7 R ln(4/δ) / (3 (t − 1))`, with `V` the unbiased sample
    /// variance and `R` the range.
    fn half_width(&self, delta: f64) -> f64 {
        let t = self.count;
        if t < 2.0 {
            return f64::INFINITY;
        }
        let range = self.max - self.min;
        let var = (self.m2 / (t - 1.0)).max(0.0);
        let l = (4.0 / delta).ln();
        (2.0 * var * l / t).sqrt() + 7.0 * range * l / (3.0 * (t - 1.0))
    }
}

fn check_sampling(n: usize, samples: usize, confidence: f64) -> Result<()> {
    if n == 0 {
        return Err(Error::invalid_game("the game has no players"));
    }
    if n > 64 {
        return Err(Error::TooLarge(format!(
            "{n} players: coalitions are 64-bit masks, so oracle games have at most 64 players"
        )));
    }
    if samples < 2 {
        return Err(Error::invalid_argument(format!(
            "{samples} samples: at least 2 are needed for a variance"
        )));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(Error::invalid_argument(format!(
            "confidence {confidence} is not in (0, 1)"
        )));
    }
    Ok(())
}

fn finite_value<G: CoalitionalGame + ?Sized>(g: &G, s: Coalition) -> Result<f64> {
    let x = g.value(s);
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Error::invalid_game(format!(
            "v({:?}) = {x}",
            s.members().collect::<Vec<_>>()
        )))
    }
}

fn finish(moments: &[Moments], samples: usize, confidence: f64) -> SampledValues {
    let delta = (1.0 - confidence) / moments.len() as f64;
    SampledValues {
        estimate: moments.iter().map(|m| m.mean).collect(),
        half_width: moments.iter().map(|m| m.half_width(delta)).collect(),
        confidence,
        samples,
    }
}

/// Estimates the Shapley value of any coalitional game from random permutations (Castro,
/// Gómez & Tejada 2009): each permutation gives one marginal contribution per player, the
/// contribution to the players before it.
///
/// # Arguments
/// * `g` — any game of at most 64 players (values computed on demand).
/// * `samples` — number of permutations (`≥ 2`); the cost is `samples · n` value queries.
/// * `seed` — seed of the random generator (same seed, same answer).
/// * `confidence` — in `(0, 1)`; see [`SampledValues::half_width`] for the bound.
///
/// # Errors
/// [`Error::InvalidGame`] for a game without players or a non-finite value (naming the
/// coalition); [`Error::TooLarge`] above 64 players; [`Error::InvalidArgument`] for fewer than
/// 2 samples or a confidence outside `(0, 1)`.
///
/// # Complexity
/// `O(samples · n)` value queries and `O(samples · n)` arithmetic.
pub fn shapley_sampled<G: CoalitionalGame + ?Sized>(
    g: &G,
    samples: usize,
    seed: u64,
    confidence: f64,
) -> Result<SampledValues> {
    let n = g.num_players();
    check_sampling(n, samples, confidence)?;
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..n).collect();
    let mut moments = vec![Moments::EMPTY; n];
    let v_empty = finite_value(g, Coalition::EMPTY)?;
    for _ in 0..samples {
        order.shuffle(&mut rng);
        let mut s = Coalition::EMPTY;
        let mut prev = v_empty;
        for &i in &order {
            s = s.with(i);
            let cur = finite_value(g, s)?;
            moments[i].push(cur - prev);
            prev = cur;
        }
    }
    Ok(finish(&moments, samples, confidence))
}

/// Estimates the raw Banzhaf value of any coalitional game: each sample is a uniformly random
/// coalition `S` of all players, and gives every player `i` the contribution
/// `v(S ∪ {i}) − v(S ∖ {i})` — `S ∖ {i}` is uniform over the coalitions without `i`.
///
/// # Arguments, Errors
/// As [`shapley_sampled`]; `samples` counts coalitions, each costing `n + 1` value queries.
///
/// # Complexity
/// `O(samples · n)` value queries.
pub fn banzhaf_sampled<G: CoalitionalGame + ?Sized>(
    g: &G,
    samples: usize,
    seed: u64,
    confidence: f64,
) -> Result<SampledValues> {
    let n = g.num_players();
    check_sampling(n, samples, confidence)?;
    let mut rng = SmallRng::seed_from_u64(seed);
    let grand = Coalition::grand(n).0;
    let mut moments = vec![Moments::EMPTY; n];
    for _ in 0..samples {
        let s = Coalition(rng.random::<u64>() & grand);
        let vs = finite_value(g, s)?;
        for (i, m) in moments.iter_mut().enumerate() {
            let other = finite_value(g, Coalition(s.0 ^ (1u64 << i)))?;
            m.push(if s.contains(i) {
                vs - other
            } else {
                other - vs
            });
        }
    }
    Ok(finish(&moments, samples, confidence))
}
