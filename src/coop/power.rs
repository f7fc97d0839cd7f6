//! Shapley–Shubik and Banzhaf power of weighted voting games, counted exactly.
//!
//! # Method
//! A player's power is a count of *swings*: coalitions `S` without `i` that lose while
//! `S ∪ {i}` wins (Banzhaf), weighted by `|S|! (n−|S|−1)! / n!` (Shapley–Shubik). Every count is
//! computed exactly by a pseudo-polynomial counting DP over partial weights (Brams & Affuso
//! 1976; Bilbao, Fernández, Jiménez Losada & López 2000), done modulo several primes just below
//! 2^31 and rebuilt by the Chinese remainder theorem (Garner's algorithm) with enough primes
//! that their product exceeds `2^(n+1)`, above every count. Results are exact rationals.
//!
//! **Veto players** are forced into every coalition that matters, which lowers each quota by
//! their weight: a veto player's swings are the coalitions of the others that meet every
//! (lowered) quota; another player's swings are counted among the non-veto players alone.
//!
//! **One rule** (the fast path). With `C(y, z) = Π_j (1 + y z^{w_j})` truncated to `z^x`,
//! `x < q`, the coalitions without player `i` are counted by `C / (1 + y z^{w_i})`, and only
//! the window `q − w_i ≤ x < q` is needed. Expanding `1/(1 + y z^w) = Σ_k (−y z^w)^k` turns that
//! window into an alternating sum of window sums of `C` itself, each `O(1)` from prefix sums:
//! `swings_i = Σ_k (−1)^k #{T : q − (k+1) w_i ≤ w(T) < q − k w_i}` — the inverse update of
//! Uno (2012), "Efficient computation of power indices for weighted majority games", applied
//! to the window only. One table serves all players; players of equal weight share one
//! evaluation, and weights are divided by their gcd.
//!
//! **By coalition size** (Shapley–Shubik). The same rule with `F[s][x] = #{T : |T| = s,
//! w(T) = x}` kept per size: swings of `i` with `s` others are
//! `Σ_k (−1)^k #{T : |T| = s − k, q − (k+1) w_i ≤ w(T) < q − k w_i}`, read from the prefix sums
//! of rows `s − k` of one table for all players. The table is the whole cost, and three facts
//! about it bound that cost:
//! - *Bands.* Row `s` can only be non-zero between the `s` smallest and the `s` largest
//!   weights, below `q`: only that band is stored (the memory figure, computed before
//!   anything is allocated, is the sum of the bands).
//! - *Reach.* Players are added in ascending weight; after the first `t` of them row `s` is
//!   zero above the sum of the `s` largest of those `t`, so the update
//!   `F[s][x] += F[s−1][x − w_t]` stops there. The expensive players are the few heavy ones,
//!   added last; on the seeded IMF-scale game (190 members, 2.1 million votes) this skips 81%
//!   of the cell updates (1.2·10¹⁰ → 2.3·10⁹ per prime).
//! - *Primes by size.* A count at size `s` is at most `C(m, s)`, so it is rebuilt from the
//!   fewest primes whose product exceeds `C(m, s)`; since row `s` depends only on the rows
//!   below it, the table modulo the `k`-th prime is computed only up to the largest size that
//!   needs `k` primes (at the IMF scale: 6 primes instead of 7, the last of them to size 139
//!   of 190).
//!
//! The update is a streaming add of two rows modulo `p < 2^31`, so it runs at memory speed:
//! eight lanes under AVX2 (checked at run time), long rows split in halves across rayon's
//! threads, and one table reused from prime to prime. Counting modulo four primes of 62 bits
//! instead of six of 31 was considered: the bytes moved per cell are the same (32 against 24)
//! and 64-bit lanes have no unsigned `min`, so it would be slower.
//!
//! **Several rules** (double majorities): the DP runs over the vector of partial weights, each
//! saturated at its quota; the table of "everybody but one class of equal players" comes from a
//! divide and conquer over the classes, so each class is added `O(log c)` times rather than
//! once per player.
//!
//! Every table is bounded by [`MAX_DP_STATES`] cells; a larger request is
//! [`Error::TooLarge`], never an out-of-memory abort.

use std::collections::BTreeMap;

use num_bigint::{BigInt, BigUint};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::game::voting::WeightedVoting;
use crate::progress::ProgressFn;

/// Most cells (counters modulo one prime, 4 bytes each) the counting tables may hold at once:
/// 2^27 cells, 512 MiB — enough for Shapley–Shubik at the IMF's scale (a seeded 190-member
/// game of 2.1 million votes needs 98,146,278 cells, 375 MiB).
pub const MAX_DP_STATES: usize = 1 << 27;

/// A power index of every player, as floats and exactly.
///
/// The crate's one shape for results that have a float and an exact form (as
/// [`crate::noncoop::Equilibrium`]): the `f64` numbers under the name of what they are
/// (`values` here, `strategies` there), and `exact`, the same numbers as rationals of the same
/// shape, `Some` when the solver computed them exactly. The counting solvers of this module
/// always do ([`PowerIndex::is_exact`]); the `Option` keeps one shape for every result.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerIndex {
    /// The index as `f64`, one per player (correctly rounded from `exact`).
    pub values: Vec<f64>,
    /// The exact index, one per player, when computed exactly.
    pub exact: Option<Vec<BigRational>>,
}

impl PowerIndex {
    /// An exactly computed index, with its correctly rounded `f64` values.
    pub fn from_exact(exact: Vec<BigRational>) -> Self {
        PowerIndex {
            values: exact.iter().map(ratio_f64).collect(),
            exact: Some(exact),
        }
    }

    /// Whether the exact form is present.
    pub fn is_exact(&self) -> bool {
        self.exact.is_some()
    }
}

/// Banzhaf power of every player: swing counts and the two indices built from them.
#[derive(Debug, Clone, PartialEq)]
pub struct BanzhafPower {
    /// Swings: coalitions without the player that lose, and win with it.
    pub swings: Vec<BigUint>,
    /// Normalised Banzhaf index: swings over the total of all players' swings (sums to 1).
    pub normalized: PowerIndex,
    /// Absolute (Penrose–Banzhaf) index: swings over `2^(n−1)`.
    pub absolute: PowerIndex,
}

fn ratio_f64(r: &BigRational) -> f64 {
    // Ratio<BigInt>::to_f64 rounds correctly and only fails on values outside f64's range,
    // which an index in [0, 1] never is.
    r.to_f64().unwrap_or(f64::NAN)
}

/// The Shapley–Shubik power index of a weighted voting game (Shapley & Shubik 1954), exactly.
///
/// # Arguments
/// * `g` — any weighted voting game: one or several weight rules, veto players, any number of
///   players.
///
/// # Returns
/// Each player's probability of being pivotal in a uniformly random order, exactly and as
/// `f64`.
///
/// # Errors
/// [`Error::TooLarge`] when the counting table would exceed [`MAX_DP_STATES`] cells (the
/// message names the limit and the size needed).
///
/// # Complexity
/// One rule, `m` non-veto players, reduced quota `q`, `d` distinct weights: at most
/// `O(m² q)` for the table of counts by size and weight (in practice far less: each update
/// stops at the weight the players added so far can reach, see the module docs),
/// `O(Σ_d m q / w)` for the windows, per prime, with at most `⌈(n+1)/30⌉` primes; memory: the
/// bands of reachable weights per size, at most `(m+1) q` cells of 4 bytes, one table at a
/// time. The seeded IMF-scale game (190 members, 2.1 million votes) takes a few seconds and
/// 375 MiB. Several rules with saturated state space `Q` and `c` classes:
/// `O(c log c · m · Q · m)` per prime.
///
/// # Example
/// ```
/// use covenant::coop::shapley_shubik;
/// use covenant::game::WeightedVoting;
/// // UN Security Council: five permanent members of weight 7, ten elected of weight 1.
/// let mut w = vec![7u64; 5];
/// w.extend([1u64; 10]);
/// let ss = shapley_shubik(&WeightedVoting::new(w, 39).unwrap()).unwrap();
/// let exact = ss.exact.unwrap();
/// assert_eq!(exact[0].to_string(), "421/2145");
/// assert_eq!(exact[14].to_string(), "4/2145");
/// ```
pub fn shapley_shubik(g: &WeightedVoting) -> Result<PowerIndex> {
    shapley_shubik_with_progress(g, None)
}

/// [`shapley_shubik`] reporting progress: `(k, primes + 1)` after the counting tables modulo
/// the `k`-th prime, and the last step after the exact rebuild. A game of `n` players needs
/// `⌈(n+1)/30⌉` primes, so the count is fine-grained exactly where the run is long (the UN
/// General Assembly, 193 members: 7 primes).
///
/// # Errors
/// As [`shapley_shubik`].
pub fn shapley_shubik_with_progress(
    g: &WeightedVoting,
    progress: Option<ProgressFn>,
) -> Result<PowerIndex> {
    shapley_shubik_impl(g, MAX_DP_STATES, progress)
}

/// [`shapley_shubik`] with the memory cap as a parameter: `max_cells` counters of 4 bytes in
/// the largest table (one prime at a time), so the peak memory is `4 · max_cells` bytes plus
/// `O(n²)` for the results.
///
/// The one-rule table holds, for every coalition size `s`, the weights `x < q` that `s` of the
/// players can reach (at least the `s` smallest weights, at most the `s` largest): at most
/// `(m + 1) q` cells, much fewer for spread weights. A seeded game at the IMF scale (190 members,
/// 2.1 million votes, benches/power.rs) needs 98,146,278 cells (375 MiB), within the default.
///
/// # Errors
/// [`Error::TooLarge`] when the table would exceed `max_cells` (the message names the size
/// needed), before anything is allocated.
pub fn shapley_shubik_with_limit(g: &WeightedVoting, max_cells: usize) -> Result<PowerIndex> {
    shapley_shubik_impl(g, max_cells, None)
}

fn shapley_shubik_impl(
    g: &WeightedVoting,
    max_cells: usize,
    mut progress: Option<ProgressFn>,
) -> Result<PowerIndex> {
    let plan = Plan::new(g)?;
    let counts = plan.count(true, max_cells, &mut |done, total| {
        if let Some(r) = progress.as_mut() {
            r(done, total)
        }
    })?;
    let n = plan.n;
    let fact = factorials(n);
    let v = plan.veto.len();
    // Numerator n! · SS of a player whose swings with the other players at size s are `a[s]`
    // and whose coalitions have `base + s` members.
    let numerator = |a: &[BigUint], base: usize| -> BigUint {
        a.iter()
            .enumerate()
            .filter(|(_, c)| !c.is_zero())
            .map(|(s, c)| c * &fact[base + s] * &fact[n - 1 - base - s])
            .sum()
    };
    let class_num: Vec<BigUint> = counts.classes.iter().map(|a| numerator(a, v)).collect();
    let veto_num = if v > 0 {
        numerator(&counts.veto, v - 1)
    } else {
        BigUint::zero()
    };
    let denom = BigInt::from(fact[n].clone());
    let exact: Vec<BigRational> = (0..n)
        .map(|i| {
            let num = match plan.role[i] {
                Role::Veto => veto_num.clone(),
                Role::Class(c) => class_num[c].clone(),
            };
            BigRational::new(BigInt::from(num), denom.clone())
        })
        .collect();
    check_sums_to_one(&exact, "Shapley–Shubik")?;
    Ok(PowerIndex::from_exact(exact))
}

/// Each player's Banzhaf swing count: the coalitions without the player that lose, and win
/// with it.
///
/// # Errors
/// As [`banzhaf_power`].
///
/// # Complexity
/// As [`banzhaf_power`].
pub fn swing_counts(g: &WeightedVoting) -> Result<Vec<BigUint>> {
    swings_with_progress(g, &mut |_, _| {})
}

fn swings_with_progress(
    g: &WeightedVoting,
    report: &mut dyn FnMut(usize, usize),
) -> Result<Vec<BigUint>> {
    let plan = Plan::new(g)?;
    let counts = plan.count(false, MAX_DP_STATES, report)?;
    Ok((0..plan.n)
        .map(|i| match plan.role[i] {
            Role::Veto => counts.veto[0].clone(),
            Role::Class(c) => counts.classes[c][0].clone(),
        })
        .collect())
}

/// Banzhaf power of a weighted voting game (Banzhaf 1965; Penrose 1946), exactly: swings,
/// normalised index and absolute index.
///
/// # Errors
/// [`Error::TooLarge`] when the counting table would exceed [`MAX_DP_STATES`] cells.
///
/// # Complexity
/// One rule: `O(m q)` for the table and `O(Σ_d q / w)` for the windows, per prime
/// (`⌈(n+1)/30⌉` primes), memory `q` cells. Several rules: `O(c log c · Q)` per prime.
///
/// # Example
/// ```
/// use covenant::coop::banzhaf_power;
/// use covenant::game::WeightedVoting;
/// // EEC Council of Ministers 1958: Luxembourg (weight 1) is a dummy.
/// let b = banzhaf_power(&WeightedVoting::new(vec![4, 4, 4, 2, 2, 1], 12).unwrap()).unwrap();
/// assert_eq!(b.swings.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
///            ["10", "10", "10", "6", "6", "0"]);
/// assert_eq!(b.normalized.exact.unwrap()[0].to_string(), "5/21");
/// ```
pub fn banzhaf_power(g: &WeightedVoting) -> Result<BanzhafPower> {
    banzhaf_power_with_progress(g, None)
}

/// [`banzhaf_power`] reporting progress as [`shapley_shubik_with_progress`] does.
///
/// # Errors
/// As [`banzhaf_power`].
pub fn banzhaf_power_with_progress(
    g: &WeightedVoting,
    mut progress: Option<ProgressFn>,
) -> Result<BanzhafPower> {
    let swings = swings_with_progress(g, &mut |done, total| {
        if let Some(r) = progress.as_mut() {
            r(done, total)
        }
    })?;
    let n = swings.len();
    let total: BigUint = swings.iter().sum();
    if total.is_zero() {
        // The grand coalition wins and the empty one loses, so somebody swings.
        return Err(Error::Numerical {
            context: "banzhaf_power",
            message: "no player has a swing".into(),
        });
    }
    let total = BigInt::from(total);
    let half = BigInt::one() << (n - 1);
    let normalized = swings
        .iter()
        .map(|s| BigRational::new(BigInt::from(s.clone()), total.clone()))
        .collect();
    let absolute = swings
        .iter()
        .map(|s| BigRational::new(BigInt::from(s.clone()), half.clone()))
        .collect();
    Ok(BanzhafPower {
        swings,
        normalized: PowerIndex::from_exact(normalized),
        absolute: PowerIndex::from_exact(absolute),
    })
}

fn check_sums_to_one(x: &[BigRational], what: &'static str) -> Result<()> {
    let s: BigRational = x.iter().sum();
    if s.is_one() {
        Ok(())
    } else {
        Err(Error::Numerical {
            context: "power index",
            message: format!("{what} values sum to {s}, not 1"),
        })
    }
}

fn factorials(n: usize) -> Vec<BigUint> {
    let mut f = Vec::with_capacity(n + 1);
    f.push(BigUint::one());
    for k in 1..=n {
        let next = &f[k - 1] * BigUint::from(k);
        f.push(next);
    }
    f
}

/// What a player is in the reduced game.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Veto,
    /// A non-veto player of the given class (equal reduced weights in every rule).
    Class(usize),
}

/// The game after forcing in the veto players: rules still unmet by the veto players alone,
/// with quotas lowered by their weight, weights divided by their gcd and capped at the quota,
/// and the non-veto players grouped into classes of equal weight vectors.
#[derive(Debug)]
struct Plan {
    n: usize,
    veto: Vec<usize>,
    role: Vec<Role>,
    /// Number of non-veto players.
    m: usize,
    /// Reduced weight vector of each class (one entry per remaining rule).
    class_weights: Vec<Vec<u64>>,
    /// Members per class.
    class_size: Vec<usize>,
    /// Remaining quotas (each ≥ 1).
    quotas: Vec<u64>,
}

/// Exact counts: per class, the swings of one member by size of the coalition of non-veto
/// others (`[s]`, `s ≤ m`; only `[0]` when sizes are not tracked); for veto players, the
/// coalitions of non-veto players meeting every remaining quota, by size.
struct Counts {
    classes: Vec<Vec<BigUint>>,
    veto: Vec<BigUint>,
}

/// Residues of [`Counts`] modulo one prime.
struct Residues {
    classes: Vec<Vec<u32>>,
    veto: Vec<u32>,
}

impl Plan {
    fn new(g: &WeightedVoting) -> Result<Plan> {
        let n = g.len();
        let veto = g.veto().to_vec();
        let is_veto = {
            let mut f = vec![false; n];
            veto.iter().for_each(|&i| f[i] = true);
            f
        };
        let rest: Vec<usize> = (0..n).filter(|&i| !is_veto[i]).collect();
        let mut quotas = Vec::new();
        let mut rest_weights: Vec<Vec<u64>> = vec![Vec::new(); rest.len()];
        for rule in g.rules() {
            let veto_weight: u128 = veto.iter().map(|&i| rule.weights[i] as u128).sum();
            if veto_weight >= rule.quota as u128 {
                continue; // met by the veto players, who are in every coalition that counts
            }
            let mut q = rule.quota - veto_weight as u64;
            let g = rest.iter().fold(0u64, |a, &i| a.gcd(&rule.weights[i]));
            if g > 1 {
                q = q.div_ceil(g);
            }
            let g = g.max(1);
            for (k, &i) in rest.iter().enumerate() {
                rest_weights[k].push((rule.weights[i] / g).min(q));
            }
            quotas.push(q);
        }
        let mut class_of: BTreeMap<Vec<u64>, usize> = BTreeMap::new();
        let mut class_weights = Vec::new();
        let mut class_size = Vec::new();
        let mut role = vec![Role::Veto; n];
        for (k, &i) in rest.iter().enumerate() {
            let c = *class_of.entry(rest_weights[k].clone()).or_insert_with(|| {
                class_weights.push(rest_weights[k].clone());
                class_size.push(0);
                class_weights.len() - 1
            });
            class_size[c] += 1;
            role[i] = Role::Class(c);
        }
        Ok(Plan {
            n,
            veto,
            role,
            m: rest.len(),
            class_weights,
            class_size,
            quotas,
        })
    }

    /// The counts modulo each prime, rebuilt exactly, refused above `limit` table cells.
    /// Reports `(primes done, primes + 1)` after each prime's tables and the last step after
    /// the rebuild.
    fn count(
        &self,
        sizes: bool,
        limit: usize,
        report: &mut dyn FnMut(usize, usize),
    ) -> Result<Counts> {
        let slots = if sizes { self.m + 1 } else { 1 };
        let primes = primes_above_2_30(self.n.saturating_add(1).div_ceil(30));
        let single = self.quotas.len() <= 1;
        if single {
            let q = self.quotas.first().copied().unwrap_or(0);
            self.check_single_size(q, sizes, limit)?;
        } else {
            self.check_multi_size(slots, limit)?;
        }
        // need[s]: primes whose product exceeds every count at coalition size s. By size, a
        // count is at most C(m, s), far below 2^(n+1) away from s = m/2, so the later primes
        // are needed only for the middle sizes — and the table modulo prime k only up to the
        // largest size that needs it (row s depends on the rows below it alone).
        let need: Vec<usize> = if sizes && single {
            primes_needed_by_size(self.m, &primes)
        } else {
            vec![primes.len(); slots]
        };
        let steps = primes.len() + 1;
        report(0, steps);
        let mut table = Vec::new();
        let residues: Vec<Residues> = primes
            .iter()
            .enumerate()
            .map(|(k, &p)| {
                let r = if single {
                    let q = self.quotas.first().copied().unwrap_or(0) as usize;
                    if sizes {
                        match need.iter().rposition(|&c| c > k) {
                            Some(top) => self.single_rule_by_size(q, top, p, &mut table),
                            None => Residues {
                                classes: vec![vec![0; slots]; self.class_weights.len()],
                                veto: vec![0; slots],
                            },
                        }
                    } else {
                        self.single_rule(q, p)
                    }
                } else {
                    self.multi_rule(slots, p)
                };
                report(k + 1, steps);
                r
            })
            .collect();
        let crt = Crt::new(&primes);
        let mut buf = vec![0u32; primes.len()];
        let mut rebuild = |s: usize, get: &dyn Fn(&Residues) -> u32| -> BigUint {
            for (b, r) in buf.iter_mut().zip(&residues) {
                *b = get(r);
            }
            crt.rebuild(&buf[..need[s]])
        };
        let classes = (0..self.class_weights.len())
            .map(|c| {
                (0..slots)
                    .map(|s| rebuild(s, &|r| r.classes[c][s]))
                    .collect()
            })
            .collect();
        let veto = (0..slots).map(|s| rebuild(s, &|r| r.veto[s])).collect();
        report(steps, steps);
        Ok(Counts { classes, veto })
    }

    fn too_large(&self, needed: u128, what: &str, limit: usize) -> Error {
        Error::TooLarge(format!(
            "the counting DP needs {needed} cells = {} MiB ({what}); the limit is {} cells \
             ({} MiB; the default is MAX_DP_STATES): raise it (shapley_shubik_with_limit) or \
             scale the weights down",
            needed.saturating_mul(4).div_ceil(1 << 20),
            limit,
            limit.saturating_mul(4) >> 20
        ))
    }

    fn check_single_size(&self, q: u64, sizes: bool, limit: usize) -> Result<()> {
        if !sizes {
            if q as u128 + 1 > limit as u128 {
                return Err(self.too_large(
                    q as u128 + 1,
                    &format!("quota {q} after reduction"),
                    limit,
                ));
            }
            return Ok(());
        }
        // The size-by-weight table needs at most (q + 1)(m + 1) cells; count them exactly
        // only when that bound is over the limit (and q itself is small enough to count).
        let bound = (q as u128 + 1) * (self.m as u128 + 1);
        if bound <= limit as u128 {
            return Ok(());
        }
        let needed = if q as u128 <= limit as u128 {
            SizeRows::cells_needed(&self.sorted_single_weights(), q as usize) as u128
        } else {
            bound
        };
        if needed > limit as u128 {
            return Err(self.too_large(
                needed,
                &format!(
                    "quota {q} after reduction, by {} coalition sizes",
                    self.m + 1
                ),
                limit,
            ));
        }
        Ok(())
    }

    fn check_multi_size(&self, slots: usize, limit: usize) -> Result<()> {
        let states = self
            .quotas
            .iter()
            .fold(1u128, |a, &q| a.saturating_mul(q as u128 + 1));
        let depth = (usize::BITS - self.class_weights.len().leading_zeros()) as u128 + 2;
        let needed = states.saturating_mul(slots as u128).saturating_mul(depth);
        if needed > limit as u128 {
            return Err(self.too_large(
                needed,
                &format!(
                    "{states} weight vectors (quotas {:?} after reduction) × {slots} coalition \
                     sizes × {depth} tables",
                    self.quotas
                ),
                limit,
            ));
        }
        Ok(())
    }

    /// The class weights in the single rule (empty rules: every weight counts as 0).
    fn single_weight(&self, c: usize) -> usize {
        self.class_weights[c].first().copied().unwrap_or(0) as usize
    }

    /// Non-veto players' weights, ascending (one entry per player).
    fn sorted_single_weights(&self) -> Vec<usize> {
        let mut w: Vec<usize> = (0..self.class_weights.len())
            .flat_map(|c| std::iter::repeat_n(self.single_weight(c), self.class_size[c]))
            .collect();
        w.sort_unstable();
        w
    }

    /// Banzhaf counts for one rule with quota `q` (0: the veto players alone win), mod `p`.
    fn single_rule(&self, q: usize, p: u32) -> Residues {
        let weights = self.sorted_single_weights();
        // d[x] = #{T ⊆ non-veto : w(T) = x}, x < q.
        let mut d = vec![0u32; q];
        if q > 0 {
            d[0] = 1;
        }
        let mut reach = 0usize; // largest x with d[x] possibly non-zero
        for &w in &weights {
            if w == 0 {
                d.iter_mut().for_each(|x| *x = madd(*x, *x, p));
            } else if w < q {
                reach = (reach + w).min(q - 1);
                add_shifted(&mut d, w, reach, p);
            }
        }
        // ps[x] = #{T : w(T) < x}, x ≤ q.
        let mut ps = vec![0u32; q + 1];
        for x in 0..q {
            ps[x + 1] = madd(ps[x], d[x], p);
        }
        let classes = (0..self.class_weights.len())
            .map(|c| {
                let w = self.single_weight(c);
                let mut acc = 0u32;
                if w > 0 {
                    let mut hi = q;
                    let mut k = 0usize;
                    while hi > 0 {
                        let lo = hi.saturating_sub(w);
                        let win = msub(ps[hi], ps[lo], p);
                        acc = if k.is_multiple_of(2) {
                            madd(acc, win, p)
                        } else {
                            msub(acc, win, p)
                        };
                        hi = lo;
                        k += 1;
                    }
                }
                vec![acc]
            })
            .collect();
        let all = pow2_mod(self.m, p);
        Residues {
            classes,
            veto: vec![msub(all, ps[q], p)],
        }
    }

    /// Shapley–Shubik counts by coalition size for one rule with quota `q`, mod `p`, exact for
    /// the sizes `s ≤ top` (the rows above `top` are neither stored nor computed: the caller
    /// needs this prime only for the sizes whose counts can exceed the product of the earlier
    /// primes, and row `s` depends on the rows below it alone).
    ///
    /// The table is stored by size: row `s` holds `#{T : |T| = s, w(T) = x}` for `x` in the
    /// band `lo_s ≤ x ≤ hi_s` that a coalition of `s` players can weigh (see [`SizeRows`]).
    /// Adding a player of weight `w` is `row_s[x] += row_{s−1}[x − w]` for `s` descending.
    /// Players are added in ascending weight, so after the first `t` of them row `s` is zero
    /// above the sum of the `s` largest of those `t`: each update stops there (on the IMF-scale
    /// game this skips 80% of the cells). Players are added [`WAVEFRONT`] at a time, each one
    /// row behind the previous, so that a group touches each row while it is still in cache
    /// instead of streaming the whole table once per player.
    ///
    /// `table` is scratch memory, reused from one prime to the next (a fresh allocation of a
    /// few hundred MB per prime costs more in page faults than the counting itself).
    fn single_rule_by_size(&self, q: usize, top: usize, p: u32, table: &mut Vec<u32>) -> Residues {
        let m = self.m;
        let stride = m + 1;
        let top = top.min(m);
        let weights = self.sorted_single_weights();
        let rows = SizeRows::new(&weights, q);
        table.clear();
        table.resize(rows.start[top + 1], 0);
        let c = &mut table[..];
        if q > 0 {
            c[0] = 1; // the empty coalition: row 0 is the single cell x = 0
        }
        // prefix[t] = sum of the t smallest weights (saturating: only compared with q).
        let mut prefix = Vec::with_capacity(m + 1);
        prefix.push(0usize);
        for &w in &weights {
            prefix.push(prefix[prefix.len() - 1].saturating_add(w));
        }
        // Players of weight ≥ q never enter the table.
        let active: Vec<(usize, usize)> = weights
            .iter()
            .enumerate()
            .filter(|&(_, &w)| w < q)
            .map(|(t, &w)| (t, w))
            .collect();
        for group in active.chunks(WAVEFRONT) {
            // Player j of the group (the `t`-th smallest) may fill rows up to `tops[j]`.
            let tops: Vec<usize> = group.iter().map(|&(t, _)| (t + 1).min(top)).collect();
            let s0 = tops[0];
            for tau in 0..s0 + group.len() {
                for (j, &(t, w)) in group.iter().enumerate() {
                    let Some(s) = (s0 + j).checked_sub(tau) else {
                        continue;
                    };
                    if s == 0 || s > tops[j] {
                        continue;
                    }
                    // The s largest of the first t + 1 players are the last s of them.
                    let reach = prefix[t + 1] - prefix[t + 1 - s];
                    rows.add_player_row(c, s, w, reach, p);
                }
            }
        }
        // Inclusive prefix sums along each row, rows in parallel.
        let mut row_slices = Vec::with_capacity(top + 1);
        let mut rest = &mut c[..];
        for s in 0..=top {
            let (row, tail) = rest.split_at_mut(rows.range(s).len());
            row_slices.push(row);
            rest = tail;
        }
        row_slices.into_par_iter().for_each(|row| {
            for x in 1..row.len() {
                row[x] = madd(row[x], row[x - 1], p);
            }
        });
        let c = &*c;
        let classes = (0..self.class_weights.len())
            .into_par_iter()
            .map(|cl| {
                let w = self.single_weight(cl);
                let mut acc = vec![0u32; stride];
                if w == 0 || m == 0 {
                    return acc;
                }
                // acc[r + k] ±= #{T : |T| = r, q − (k+1)w ≤ w(T) < q − kw}, sign (−1)^k, for the
                // coalitions of the m − 1 others (r + k < m; only r + k ≤ top is kept).
                for r in 0..m.min(top + 1) {
                    let mut hi = q;
                    let mut upper = rows.below(c, r, hi);
                    let mut k = 0usize;
                    while hi > 0 && r + k < m && r + k <= top {
                        let lo = hi.saturating_sub(w);
                        let lower = rows.below(c, r, lo);
                        let win = msub(upper, lower, p);
                        let a = &mut acc[r + k];
                        *a = if k.is_multiple_of(2) {
                            madd(*a, win, p)
                        } else {
                            msub(*a, win, p)
                        };
                        if lo <= rows.lo[r] {
                            break; // every further window lies below the band: empty
                        }
                        upper = lower;
                        hi = lo;
                        k += 1;
                    }
                }
                acc
            })
            .collect();
        let binom = binomials_mod(m, p);
        let veto = (0..stride)
            .map(|s| {
                if s <= top {
                    msub(binom[s], rows.below(c, s, q), p)
                } else {
                    0 // not needed modulo this prime
                }
            })
            .collect();
        Residues { classes, veto }
    }

    /// Counts for several rules (saturated weight vectors), mod `p`; `slots` is 1 (Banzhaf) or
    /// `m + 1` (by coalition size).
    fn multi_rule(&self, slots: usize, p: u32) -> Residues {
        let space = StateSpace::new(&self.quotas);
        let moves: Vec<Vec<u32>> = self.class_weights.iter().map(|w| space.moves(w)).collect();
        let mut empty = vec![0u32; space.len * slots];
        empty[0] = 1;
        let nc = self.class_weights.len();
        let mut classes = vec![Vec::new(); nc];
        if nc > 0 {
            self.leave_one_out(&space, &moves, &empty, 0, nc, slots, p, &mut classes);
        }
        let full = self.add_classes(&empty, &moves, 0..nc, slots, p);
        let top = space.len - 1; // every coordinate saturated: every quota met
        let veto = full[top * slots..(top + 1) * slots].to_vec();
        Residues { classes, veto }
    }

    /// `table` with every member of the classes in `range` added.
    fn add_classes(
        &self,
        table: &[u32],
        moves: &[Vec<u32>],
        range: std::ops::Range<usize>,
        slots: usize,
        p: u32,
    ) -> Vec<u32> {
        let mut t = table.to_vec();
        for (mv, &size) in moves[range.clone()].iter().zip(&self.class_size[range]) {
            for _ in 0..size {
                t = add_move(&t, mv, slots, p);
            }
        }
        t
    }

    /// Divide and conquer: `table` counts the coalitions of every class outside `lo..hi`.
    #[allow(clippy::too_many_arguments)]
    fn leave_one_out(
        &self,
        space: &StateSpace,
        moves: &[Vec<u32>],
        table: &[u32],
        lo: usize,
        hi: usize,
        slots: usize,
        p: u32,
        out: &mut [Vec<u32>],
    ) {
        if hi - lo == 1 {
            let mut t = table.to_vec();
            for _ in 1..self.class_size[lo] {
                t = add_move(&t, &moves[lo], slots, p);
            }
            let w = &self.class_weights[lo];
            let mut acc = vec![0u32; slots];
            for x in 0..space.len {
                let coords = space.decode(x);
                let loses = coords.iter().zip(&space.quotas).any(|(&c, &q)| c < q);
                let wins = coords
                    .iter()
                    .zip(&space.quotas)
                    .zip(w)
                    .all(|((&c, &q), &wi)| c as u64 + wi >= q as u64);
                if loses && wins {
                    for (a, &b) in acc.iter_mut().zip(&t[x * slots..(x + 1) * slots]) {
                        *a = madd(*a, b, p);
                    }
                }
            }
            out[lo] = acc;
            return;
        }
        let mid = lo + (hi - lo) / 2;
        let left = self.add_classes(table, moves, mid..hi, slots, p);
        self.leave_one_out(space, moves, &left, lo, mid, slots, p, out);
        drop(left);
        let right = self.add_classes(table, moves, lo..mid, slots, p);
        self.leave_one_out(space, moves, &right, mid, hi, slots, p, out);
    }
}

/// Saturated weight vectors `x_r ∈ 0..=q_r`, mixed radix (rule 0 fastest).
struct StateSpace {
    quotas: Vec<usize>,
    len: usize,
}

impl StateSpace {
    fn new(quotas: &[u64]) -> StateSpace {
        let quotas: Vec<usize> = quotas.iter().map(|&q| q as usize).collect();
        let len = quotas.iter().map(|&q| q + 1).product();
        StateSpace { quotas, len }
    }

    fn decode(&self, mut x: usize) -> Vec<usize> {
        self.quotas
            .iter()
            .map(|&q| {
                let c = x % (q + 1);
                x /= q + 1;
                c
            })
            .collect()
    }

    /// For each state, the state after adding a player of weights `w` (saturating).
    fn moves(&self, w: &[u64]) -> Vec<u32> {
        (0..self.len)
            .map(|x| {
                let coords = self.decode(x);
                let mut idx = 0usize;
                let mut stride = 1usize;
                for ((&c, &q), &wi) in coords.iter().zip(&self.quotas).zip(w) {
                    let y = (c as u64 + wi).min(q as u64) as usize;
                    idx += y * stride;
                    stride *= q + 1;
                }
                idx as u32
            })
            .collect()
    }
}

/// The table after adding one player whose saturated move is `mv` (one more member: size
/// slot `s` goes to `s + 1` when sizes are tracked).
fn add_move(old: &[u32], mv: &[u32], slots: usize, p: u32) -> Vec<u32> {
    let mut new = old.to_vec();
    for (x, &y) in mv.iter().enumerate() {
        let y = y as usize;
        if slots == 1 {
            new[y] = madd(new[y], old[x], p);
        } else {
            for s in 0..slots - 1 {
                new[y * slots + s + 1] = madd(new[y * slots + s + 1], old[x * slots + s], p);
            }
        }
    }
    new
}

/// Players added per sweep of the size-by-weight table (see `single_rule_by_size`).
const WAVEFRONT: usize = 8;

/// Row layout of the size-by-weight table: row `s` covers the weights `lo[s] ..= hi[s]` that
/// `s` of the players can have (at least the `s` smallest weights, at most the `s` largest,
/// below the quota); rows are stored one after another.
struct SizeRows {
    lo: Vec<usize>,
    hi: Vec<usize>,
    start: Vec<usize>,
    cells: usize,
}

impl SizeRows {
    /// `weights` ascending; quota `q`.
    fn new(weights: &[usize], q: usize) -> SizeRows {
        let m = weights.len();
        let mut lo = vec![0usize; m + 1];
        let mut hi = vec![0usize; m + 1];
        let (mut small, mut large) = (0usize, 0usize);
        for s in 0..=m {
            if s > 0 {
                small = small.saturating_add(weights[s - 1]);
                large = large.saturating_add(weights[m - s]);
            }
            lo[s] = small;
            hi[s] = large.min(q.saturating_sub(1));
        }
        let mut start = Vec::with_capacity(m + 2);
        let mut cells = 0usize;
        for s in 0..=m {
            start.push(cells);
            if q > 0 && lo[s] <= hi[s] {
                cells += hi[s] - lo[s] + 1;
            }
        }
        start.push(cells);
        SizeRows {
            lo,
            hi,
            start,
            cells,
        }
    }

    /// Cells a table of these weights below quota `q` needs.
    fn cells_needed(weights: &[usize], q: usize) -> usize {
        SizeRows::new(weights, q).cells
    }

    fn range(&self, s: usize) -> std::ops::Range<usize> {
        self.start[s]..self.start[s + 1]
    }

    /// `row_s[x] += row_{s−1}[x − w]` over the overlap of the two bands, for `x ≤ reach` (the
    /// heaviest weight `s` of the players added so far can have).
    #[inline]
    fn add_player_row(&self, c: &mut [u32], s: usize, w: usize, reach: usize, p: u32) {
        let (a, b) = (self.range(s - 1), self.range(s));
        if a.is_empty() || b.is_empty() {
            return;
        }
        let x0 = self.lo[s].max(self.lo[s - 1] + w);
        let x1 = self.hi[s].min(self.hi[s - 1] + w).min(reach);
        if x0 > x1 {
            return;
        }
        let (head, tail) = c.split_at_mut(b.start);
        let src =
            &head[a.start + (x0 - w - self.lo[s - 1])..a.start + (x1 - w - self.lo[s - 1]) + 1];
        let dst = &mut tail[x0 - self.lo[s]..x1 - self.lo[s] + 1];
        add_rows(dst, src, p);
    }

    /// After the inclusive prefix pass: `#{T : |T| = s, w(T) < x}`.
    #[inline]
    fn below(&self, c: &[u32], s: usize, x: usize) -> u32 {
        let r = self.range(s);
        if r.is_empty() || x <= self.lo[s] {
            0
        } else {
            c[r.start + (x - 1).min(self.hi[s]) - self.lo[s]]
        }
    }
}

/// `d[x] += d[x − w]` (old values) for `w ≤ x ≤ reach`, in place: blocks of at most `w` cells
/// from the top never read a cell already updated, and each block is a vectorisable zip.
fn add_shifted(d: &mut [u32], w: usize, reach: usize, p: u32) {
    let mut end = reach + 1;
    while end > w {
        let start = w.max(end.saturating_sub(w));
        let (head, tail) = d.split_at_mut(start);
        for (a, b) in tail[..end - start]
            .iter_mut()
            .zip(&head[start - w..end - w])
        {
            *a = madd(*a, *b, p);
        }
        end = start;
    }
}

/// `dst[x] += src[x]` modulo `p`, elementwise.
fn add_rows_portable(dst: &mut [u32], src: &[u32], p: u32) {
    for (d, v) in dst.iter_mut().zip(src) {
        *d = madd(*d, *v, p);
    }
}

/// [`add_rows_portable`] compiled for AVX2: eight lanes, and `min` of unsigned 32-bit lanes is
/// one instruction there (SSE2 has none), so `madd` is three instructions per eight cells.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn add_rows_avx2(dst: &mut [u32], src: &[u32], p: u32) {
    add_rows_portable(dst, src, p);
}

/// Rows longer than this are added in halves on rayon's threads.
const PARALLEL_CELLS: usize = 1 << 16;

/// `dst[x] += src[x]` modulo `p`: halves in parallel above [`PARALLEL_CELLS`], then the AVX2
/// kernel where the CPU has it.
fn add_rows(dst: &mut [u32], src: &[u32], p: u32) {
    if dst.len() >= 2 * PARALLEL_CELLS {
        let mid = dst.len() / 2;
        let (d0, d1) = dst.split_at_mut(mid);
        let (s0, s1) = src.split_at(mid);
        rayon::join(|| add_rows(d0, s0, p), || add_rows(d1, s1, p));
    } else {
        add_rows_kernel(dst, src, p);
    }
}

// Calling a `#[target_feature]` function is unsafe: justified by the run-time AVX2 check.
#[allow(unsafe_code)]
fn add_rows_kernel(dst: &mut [u32], src: &[u32], p: u32) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked at run time just above).
            unsafe { add_rows_avx2(dst, src, p) };
            return;
        }
    }
    add_rows_portable(dst, src, p);
}

#[inline(always)]
fn madd(a: u32, b: u32, p: u32) -> u32 {
    // a, b < p < 2^31: no overflow; t - p wraps above t exactly when t < p.
    let t = a + b;
    t.min(t.wrapping_sub(p))
}

#[inline(always)]
fn msub(a: u32, b: u32, p: u32) -> u32 {
    madd(a, p - b, p)
}

fn mmul(a: u32, b: u32, p: u32) -> u32 {
    ((a as u64 * b as u64) % p as u64) as u32
}

fn mpow(mut a: u32, mut e: u64, p: u32) -> u32 {
    let mut r = 1u32 % p;
    while e > 0 {
        if e & 1 == 1 {
            r = mmul(r, a, p);
        }
        a = mmul(a, a, p);
        e >>= 1;
    }
    r
}

fn pow2_mod(m: usize, p: u32) -> u32 {
    mpow(2, m as u64, p)
}

/// `C(m, s) mod p` for `s ≤ m` (Pascal's triangle).
fn binomials_mod(m: usize, p: u32) -> Vec<u32> {
    let mut row = vec![0u32; m + 1];
    row[0] = 1;
    for k in 1..=m {
        for s in (1..=k).rev() {
            row[s] = madd(row[s], row[s - 1], p);
        }
    }
    row
}

/// Deterministic Miller–Rabin for 32-bit integers (bases 2, 7, 61 suffice below 4.7·10^9).
fn is_prime_u32(n: u32) -> bool {
    if n < 2 {
        return false;
    }
    for sp in [2u32, 3, 5, 7, 11, 13, 61] {
        if n.is_multiple_of(sp) {
            return n == sp;
        }
    }
    let d0 = (n - 1) >> (n - 1).trailing_zeros();
    let r = (n - 1).trailing_zeros();
    [2u32, 7, 61].iter().all(|&a| {
        let mut x = mpow(a % n, d0 as u64, n);
        if x == 1 || x == n - 1 {
            return true;
        }
        for _ in 1..r {
            x = mmul(x, x, n);
            if x == n - 1 {
                return true;
            }
        }
        false
    })
}

/// The `k` largest primes below 2^31 (each above 2^30).
fn primes_above_2_30(k: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(k);
    let mut c = (1u32 << 31) - 1;
    while out.len() < k {
        if is_prime_u32(c) {
            out.push(c);
        }
        c -= 2;
    }
    out
}

/// For each coalition size `s ≤ m`, how many of `primes` (a prefix) have a product above
/// `C(m, s)`, the most coalitions of size `s`: counts by size are rebuilt from that many.
fn primes_needed_by_size(m: usize, primes: &[u32]) -> Vec<usize> {
    let mut products = Vec::with_capacity(primes.len() + 1);
    products.push(BigUint::one());
    for &p in primes {
        let next = &products[products.len() - 1] * p;
        products.push(next);
    }
    let mut binom = BigUint::one();
    (0..=m)
        .map(|s| {
            if s > 0 {
                binom = binom.clone() * (m + 1 - s) / s;
            }
            // The caller's primes cover 2^(m+1) > C(m, s), so this always finds one.
            products
                .iter()
                .position(|pr| *pr > binom)
                .unwrap_or(primes.len())
                .max(1)
        })
        .collect()
}

/// Chinese remaindering by Garner's mixed-radix algorithm.
struct Crt {
    primes: Vec<u32>,
    /// inv[j][k] = p_k^{-1} mod p_j, k < j.
    inv: Vec<Vec<u32>>,
}

impl Crt {
    fn new(primes: &[u32]) -> Crt {
        let inv = primes
            .iter()
            .enumerate()
            .map(|(j, &pj)| {
                primes[..j]
                    .iter()
                    .map(|&pk| mpow(pk % pj, pj as u64 - 2, pj))
                    .collect()
            })
            .collect();
        Crt {
            primes: primes.to_vec(),
            inv,
        }
    }

    /// The unique integer in `[0, Π p)` with the given residues, one per prime of a prefix of
    /// the primes (`r.len()` of them).
    fn rebuild(&self, r: &[u32]) -> BigUint {
        let k = r.len().min(self.primes.len());
        let mut digits = [0u32; 64];
        let mut digits_vec;
        let c: &mut [u32] = if k <= 64 {
            &mut digits[..k]
        } else {
            digits_vec = vec![0u32; k];
            &mut digits_vec
        };
        for j in 0..k {
            let pj = self.primes[j];
            let mut x = r[j];
            for (&ci, &inv) in c[..j].iter().zip(&self.inv[j]) {
                x = mmul(msub(x, ci % pj, pj), inv, pj);
            }
            c[j] = x;
        }
        let top = c.iter().rposition(|&d| d != 0);
        let Some(top) = top else {
            return BigUint::zero();
        };
        let mut acc = BigUint::from(c[top]);
        for j in (0..top).rev() {
            acc *= self.primes[j];
            acc += c[j];
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primes_are_prime_and_crt_round_trips() {
        let ps = primes_above_2_30(5);
        for &p in &ps {
            assert!(p > 1 << 30);
            let r = (p as f64).sqrt() as u32 + 1;
            assert!((2..=r).all(|d| p % d != 0), "{p}");
        }
        let crt = Crt::new(&ps);
        let x: BigUint = (BigUint::one() << 140u32) + 12345u32;
        let r: Vec<u32> = ps
            .iter()
            .map(|&p| (&x % BigUint::from(p)).to_u32().unwrap())
            .collect();
        assert_eq!(crt.rebuild(&r), x);
        assert_eq!(crt.rebuild(&[0; 5]), BigUint::zero());
    }

    #[test]
    fn size_rows_cover_every_subset_weight() {
        let w = [1, 2, 2, 5];
        let rows = SizeRows::new(&w, 9);
        // Row 2 spans the two smallest (3) to the two largest (7); row 4 (weight 10) is empty.
        assert_eq!((rows.lo[2], rows.hi[2]), (3, 7));
        assert!(rows.range(4).is_empty());
        assert_eq!(rows.cells, 1 + 5 + 5 + 4);
        for mask in 0u32..16 {
            let s = mask.count_ones() as usize;
            let x: usize = (0..4).filter(|i| mask >> i & 1 == 1).map(|i| w[i]).sum();
            if x < 9 {
                assert!(rows.lo[s] <= x && x <= rows.hi[s], "{mask}");
            }
        }
    }
}
