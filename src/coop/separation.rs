//! Exact separation oracles for structured games: the coalitions of largest excess
//! `e(S, x) = v(S) − x(S)` of a weighted voting game and of a bankruptcy game, found by
//! best-first branch and bound instead of a scan of all `2^n` coalitions.
//!
//! # Method
//! Players are decided in index order; a node of the search fixes players `0..t` (its members
//! `P`) and carries an upper bound on the excess of every coalition that extends it with some
//! of the players `t..n`. Nodes are expanded highest bound first, so leaves (complete
//! coalitions, whose bound is their exact excess) come out in non-increasing order of excess:
//! the first `k` proper leaves that `skip` lets through are the answer, exactly. The bound
//! decides the cost:
//!
//! - **Bankruptcy**: `v(S) = max(0, E − C + c(S))`, so `e(S, x)` is the larger of two functions
//!   that are additive over the players, and the best completion of each is found player by
//!   player: the bound is exact, and each coalition returned costs `O(n log n)` heap work.
//! - **Weighted voting**: `v(S) ∈ {0, 1}`. The best winning completion is a min-cost covering
//!   knapsack (`min x(T)` over `T ⊆ {t..n}` with `w(T) ≥ q − w(P)`), the best losing one a
//!   min-cost packing knapsack; both are tabulated once per call by a DP over the suffixes and
//!   the integer weights (`O(n q)` per rule, Martello & Toth 1990 ch. 2), which makes the bound
//!   exact for one rule. Several rules (and veto players, treated as rules "weight 1, quota 1")
//!   take the largest of the per-rule covering costs, still a valid bound. A rule whose table
//!   would exceed [`MAX_KNAPSACK_CELLS`] falls back to the bound "every negative `x_j` joins",
//!   which is valid but looser: the answer stays exact, the search explores more.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::error::Result;
use crate::game::tu::{check_allocation, Coalition, CoalitionalGame};
use crate::game::voting::WeightedVoting;
use crate::game::Bankruptcy;

/// Most cells (`f64`, two tables) the knapsack bounds of one voting rule may take:
/// `(n + 1)(q + 1) ≤ 2^22`, 64 MiB for both tables at most.
pub const MAX_KNAPSACK_CELLS: usize = 1 << 22;

/// A relaxation of "the best completion of a partial coalition".
trait Relaxation {
    type State: Clone;
    fn root(&self) -> Self::State;
    /// The state after deciding player `t`.
    fn decide(&self, st: &Self::State, t: usize, include: bool) -> Self::State;
    /// An upper bound on `e(S, x)` over the coalitions `S` that agree with the state on the
    /// players `0..t`; exact at `t = n`.
    fn bound(&self, st: &Self::State, t: usize) -> f64;
}

struct Node<S> {
    bound: f64,
    depth: usize,
    mask: u64,
    state: S,
    leaf: bool,
}

impl<S> PartialEq for Node<S> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<S> Eq for Node<S> {}
impl<S> PartialOrd for Node<S> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<S> Ord for Node<S> {
    /// Greater pops first: higher bound; on a tie, interior nodes (which may still hold a leaf
    /// of that excess with a smaller mask) before leaves; then the smaller mask.
    fn cmp(&self, other: &Self) -> Ordering {
        self.bound
            .total_cmp(&other.bound)
            .then(other.leaf.cmp(&self.leaf))
            .then(other.mask.cmp(&self.mask))
    }
}

/// Up to `k` proper coalitions (`∅ ≠ S ≠ N`) with `skip(S) == false`, largest excess first.
fn best_first<R: Relaxation>(
    r: &R,
    n: usize,
    skip: &dyn Fn(Coalition) -> bool,
    k: usize,
) -> Vec<(Coalition, f64)> {
    let mut out = Vec::with_capacity(k.min(1 << 12));
    if n < 2 || k == 0 {
        return out;
    }
    let grand = Coalition::grand(n).0;
    let root = r.root();
    let mut heap = BinaryHeap::new();
    heap.push(Node {
        bound: r.bound(&root, 0),
        depth: 0,
        mask: 0,
        state: root,
        leaf: false,
    });
    while let Some(node) = heap.pop() {
        if node.leaf {
            let s = Coalition(node.mask);
            if node.mask != 0 && node.mask != grand && !skip(s) {
                out.push((s, node.bound));
                if out.len() == k {
                    break;
                }
            }
            continue;
        }
        let t = node.depth;
        for include in [false, true] {
            let state = r.decide(&node.state, t, include);
            let mask = if include {
                node.mask | 1 << t
            } else {
                node.mask
            };
            let bound = r.bound(&state, t + 1);
            if bound == f64::NEG_INFINITY {
                continue;
            }
            heap.push(Node {
                bound,
                depth: t + 1,
                mask,
                state,
                leaf: t + 1 == n,
            });
        }
    }
    out
}

/// Bankruptcy relaxation: `e(S) = max(−x(S), E − C + Σ_{i∈S} (c_i − x_i))`.
struct BankruptcyBound {
    base: f64,
    x: Vec<f64>,
    claims: Vec<f64>,
    /// `Σ_{j ≥ t} max(0, −x_j)`: the most the low branch can still gain.
    low_gain: Vec<f64>,
    /// `Σ_{j ≥ t} max(0, c_j − x_j)`: the most the high branch can still gain.
    high_gain: Vec<f64>,
}

impl BankruptcyBound {
    fn new(g: &Bankruptcy, x: &[f64]) -> Self {
        let n = x.len();
        let mut low_gain = vec![0.0; n + 1];
        let mut high_gain = vec![0.0; n + 1];
        for t in (0..n).rev() {
            low_gain[t] = low_gain[t + 1] + (-x[t]).max(0.0);
            high_gain[t] = high_gain[t + 1] + (g.claims()[t] - x[t]).max(0.0);
        }
        BankruptcyBound {
            base: g.estate() - g.total_claim(),
            x: x.to_vec(),
            claims: g.claims().to_vec(),
            low_gain,
            high_gain,
        }
    }
}

/// `(x(P), c(P))`.
type ClaimState = (f64, f64);

impl Relaxation for BankruptcyBound {
    type State = ClaimState;
    fn root(&self) -> ClaimState {
        (0.0, 0.0)
    }
    fn decide(&self, st: &ClaimState, t: usize, include: bool) -> ClaimState {
        if include {
            (st.0 + self.x[t], st.1 + self.claims[t])
        } else {
            *st
        }
    }
    fn bound(&self, &(xp, cp): &ClaimState, t: usize) -> f64 {
        if t == self.x.len() {
            // The excess itself, computed as the game computes v(S).
            return (self.base + cp).max(0.0) - xp;
        }
        let low = -xp + self.low_gain[t];
        let high = self.base + cp - xp + self.high_gain[t];
        low.max(high)
    }
}

/// One weight rule with its knapsack tables (or `None`: the loose bound).
struct RuleBound {
    weights: Vec<u64>,
    quota: u64,
    /// `Σ_{j ≥ t} w_j` (saturated at the quota).
    reach: Vec<u64>,
    /// `cover[t·(q+1) + d] = min x(T)`, `T ⊆ {t..n}`, `w(T) ≥ d`; `+∞` when impossible.
    cover: Option<Vec<f64>>,
    /// `pack[t·q + c] = min x(T)`, `T ⊆ {t..n}`, `w(T) ≤ c`, `c < q`.
    pack: Option<Vec<f64>>,
}

impl RuleBound {
    fn new(weights: &[u64], quota: u64, x: &[f64]) -> Self {
        let n = x.len();
        let weights: Vec<u64> = weights.iter().map(|&w| w.min(quota)).collect();
        let mut reach = vec![0u64; n + 1];
        for t in (0..n).rev() {
            reach[t] = reach[t + 1].saturating_add(weights[t]).min(quota);
        }
        let q = usize::try_from(quota).unwrap_or(usize::MAX);
        let fits = q
            .checked_add(1)
            .and_then(|w| w.checked_mul(n + 1))
            .is_some_and(|cells| cells <= MAX_KNAPSACK_CELLS);
        let (cover, pack) = if fits {
            let wq = q + 1;
            let mut cover = vec![f64::INFINITY; (n + 1) * wq];
            cover[n * wq] = 0.0;
            let mut pack = vec![0.0f64; (n + 1) * q];
            for t in (0..n).rev() {
                let w = weights[t] as usize;
                let (head, tail) = cover.split_at_mut((t + 1) * wq);
                let (row, next) = (&mut head[t * wq..], &tail[..wq]);
                for d in 0..wq {
                    let take = x[t] + next[d.saturating_sub(w)];
                    row[d] = next[d].min(take);
                }
                let (head, tail) = pack.split_at_mut((t + 1) * q);
                let (row, next) = (&mut head[t * q..], &tail[..q]);
                for c in 0..q {
                    row[c] = if c >= w {
                        next[c].min(x[t] + next[c - w])
                    } else {
                        next[c]
                    };
                }
            }
            (Some(cover), Some(pack))
        } else {
            (None, None)
        };
        RuleBound {
            weights,
            quota,
            reach,
            cover,
            pack,
        }
    }

    /// Lower bound on `x(T)`, `T ⊆ {t..n}`, bringing the partial weight `have` to the quota.
    fn cover_cost(&self, t: usize, have: u64, neg: f64) -> f64 {
        let d = self.quota.saturating_sub(have);
        if d == 0 {
            return neg;
        }
        if self.reach[t] < d {
            return f64::INFINITY;
        }
        match &self.cover {
            Some(c) => c[t * (self.quota as usize + 1) + d as usize],
            None => neg,
        }
    }

    /// Lower bound on `x(T)`, `T ⊆ {t..n}`, keeping the partial weight `have` below the
    /// quota; `+∞` when it is already met.
    fn pack_cost(&self, t: usize, have: u64, neg: f64) -> f64 {
        if have >= self.quota {
            return f64::INFINITY;
        }
        let c = (self.quota - 1 - have) as usize;
        match &self.pack {
            Some(p) => p[t * self.quota as usize + c],
            None => neg,
        }
    }
}

struct VotingBound {
    x: Vec<f64>,
    rules: Vec<RuleBound>,
    /// `Σ_{j ≥ t} min(0, x_j)`.
    neg: Vec<f64>,
}

impl VotingBound {
    fn new(g: &WeightedVoting, x: &[f64]) -> Self {
        let n = x.len();
        let mut rules: Vec<RuleBound> = g
            .rules()
            .iter()
            .map(|r| RuleBound::new(&r.weights, r.quota, x))
            .collect();
        for &i in g.veto() {
            let mut w = vec![0u64; n];
            w[i] = 1;
            rules.push(RuleBound::new(&w, 1, x));
        }
        let mut neg = vec![0.0; n + 1];
        for t in (0..n).rev() {
            neg[t] = neg[t + 1] + x[t].min(0.0);
        }
        VotingBound {
            x: x.to_vec(),
            rules,
            neg,
        }
    }
}

/// `(x(P), w_r(P) for each rule)`.
type VoteState = (f64, Vec<u64>);

impl Relaxation for VotingBound {
    type State = VoteState;
    fn root(&self) -> VoteState {
        (0.0, vec![0; self.rules.len()])
    }
    fn decide(&self, st: &VoteState, t: usize, include: bool) -> VoteState {
        if !include {
            return st.clone();
        }
        let w =
            st.1.iter()
                .zip(&self.rules)
                .map(|(&have, r)| have.saturating_add(r.weights[t]).min(r.quota))
                .collect();
        (st.0 + self.x[t], w)
    }
    fn bound(&self, (xp, have): &VoteState, t: usize) -> f64 {
        let neg = self.neg[t];
        let win_cost = self
            .rules
            .iter()
            .zip(have)
            .map(|(r, &h)| r.cover_cost(t, h, neg))
            .fold(neg, f64::max);
        let lose_cost = self
            .rules
            .iter()
            .zip(have)
            .map(|(r, &h)| r.pack_cost(t, h, neg))
            .fold(f64::INFINITY, f64::min);
        (1.0 - xp - win_cost).max(-xp - lose_cost)
    }
}

impl CoalitionalGame for WeightedVoting {
    fn num_players(&self) -> usize {
        self.len()
    }

    fn value(&self, s: Coalition) -> f64 {
        if self.is_winning(s) {
            1.0
        } else {
            0.0
        }
    }

    /// Exact best-first branch and bound with knapsack bounds (module documentation of
    /// `coop::separation`); no `2^n` scan, so games of up to 64 players are separated.
    fn most_excess_coalition(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
    ) -> Result<Option<(Coalition, f64)>> {
        Ok(self.most_excess_coalitions(x, skip, 1)?.pop())
    }

    fn most_excess_coalitions(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
        k: usize,
    ) -> Result<Vec<(Coalition, f64)>> {
        let n = self.len();
        check_allocation(n, x)?;
        check_bitmask_players(n)?;
        Ok(best_first(&VotingBound::new(self, x), n, skip, k))
    }
}

impl CoalitionalGame for Bankruptcy {
    fn num_players(&self) -> usize {
        self.len()
    }

    fn value(&self, s: Coalition) -> f64 {
        let claimed: f64 = s.members().map(|i| self.claims()[i]).sum();
        self.value_of_claim(claimed)
    }

    /// Exact best-first branch and bound with an exact bound (module documentation of
    /// `coop::separation`).
    fn most_excess_coalition(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
    ) -> Result<Option<(Coalition, f64)>> {
        Ok(self.most_excess_coalitions(x, skip, 1)?.pop())
    }

    fn most_excess_coalitions(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
        k: usize,
    ) -> Result<Vec<(Coalition, f64)>> {
        let n = self.len();
        check_allocation(n, x)?;
        check_bitmask_players(n)?;
        Ok(best_first(&BankruptcyBound::new(self, x), n, skip, k))
    }
}

/// Candidates per block of the inner loop of [`dense_top_excess`].
const DENSE_BLOCK: usize = 8;

/// The separation the coalitional solvers use: a table scan blocked for the vector unit when
/// the game lends its value table ([`CoalitionalGame::dense_values`]), the game's own oracle
/// otherwise. Same answer as [`CoalitionalGame::most_excess_coalitions`] on a [`TuGame`]
/// (whose oracle is the plain table scan), ties included.
///
/// # Errors
/// As [`CoalitionalGame::most_excess_coalitions`].
///
/// [`TuGame`]: crate::game::TuGame
pub(crate) fn top_excess<G: CoalitionalGame + ?Sized>(
    g: &G,
    x: &[f64],
    skip: &dyn Fn(Coalition) -> bool,
    k: usize,
) -> Result<Vec<(Coalition, f64)>> {
    match g.dense_values() {
        Some(v) if v.len() == 1usize << g.num_players() => {
            check_allocation(g.num_players(), x)?;
            Ok(dense_top_excess(v, x, skip, k))
        }
        _ => g.most_excess_coalitions(x, skip, k),
    }
}

/// [`top_excess`] keeping only excesses above `floor`: the table scan is filtered, the oracle
/// is asked through [`CoalitionalGame::most_excess_coalitions_above`] so that a branch and
/// bound can prune against the floor.
///
/// # Errors
/// As [`CoalitionalGame::most_excess_coalitions`].
pub(crate) fn top_excess_above<G: CoalitionalGame + ?Sized>(
    g: &G,
    x: &[f64],
    skip: &dyn Fn(Coalition) -> bool,
    k: usize,
    floor: f64,
) -> Result<Vec<(Coalition, f64)>> {
    match g.dense_values() {
        Some(v) if v.len() == 1usize << g.num_players() => {
            check_allocation(g.num_players(), x)?;
            let mut top = dense_top_excess(v, x, skip, k);
            top.retain(|&(_, e)| e > floor);
            Ok(top)
        }
        _ => g.most_excess_coalitions_above(x, skip, k, floor),
    }
}

/// Up to `k` proper coalitions of largest excess `v[S] − x(S)` with `skip(S) == false`, largest
/// first (ties: smaller mask first), from a value table of `2^n` entries (`n = x.len()`).
///
/// The mask splits into a high part `h` (outer loop) and the low `⌊n/2⌋` bits `l` (the split of
/// [`top_excess_coalitions`], so that every excess is rounded the same way), so
/// `x(S) = lo[l] + hi[h]` from two tables of partial sums, and the inner loop runs over
/// a contiguous slice of `v`. Blocks of [`DENSE_BLOCK`] coalitions are first tested all at once
/// (`v − lo > floor + hi − slack`, no branch per coalition, so the compiler vectorises it);
/// only a block holding a coalition that may beat the current `k`-th excess is examined one by
/// one, with the excess computed as `v[S] − (lo[l] + hi[h])` exactly as the plain scan does.
/// A small slack covers the rounding difference between the two groupings of the sum.
///
/// # Complexity
/// `O(2^n)` time with a small constant, `O(2^(n/2) + k)` memory.
pub(crate) fn dense_top_excess(
    v: &[f64],
    x: &[f64],
    skip: &dyn Fn(Coalition) -> bool,
    k: usize,
) -> Vec<(Coalition, f64)> {
    let n = x.len();
    let mut best: Vec<(Coalition, f64)> = Vec::with_capacity(k + 1);
    if n < 2 || k == 0 {
        return best;
    }
    let inner = n / 2;
    let subset_sums = |offset: usize, len: usize| {
        let mut s = vec![0.0; 1usize << len];
        for m in 1..s.len() {
            s[m] = s[m & (m - 1)] + x[offset + m.trailing_zeros() as usize];
        }
        s
    };
    let lo = subset_sums(0, inner);
    let hi = subset_sums(inner, n - inner);
    // A coalition that beats `floor` has `|v[S]| ≤ |floor| + Σ|x_i|`, so both groupings of
    // its excess round within a few ulps of that magnitude (a margin of 4x on top).
    let sum_abs: f64 = x.iter().map(|a| a.abs()).sum();
    let slack = |floor: f64| 16.0 * f64::EPSILON * (1.0 + floor.abs() + 2.0 * sum_abs);
    let grand = Coalition::grand(n).0;
    let width = 1usize << inner;
    // Both powers of two: blocks tile the rows exactly.
    let block = DENSE_BLOCK.min(width);
    let mut floor = f64::NEG_INFINITY;
    for (h, &xh) in hi.iter().enumerate() {
        let row = &v[h * width..(h + 1) * width];
        let mut cut = floor + xh - slack(floor);
        for (b, (vb, lb)) in row
            .chunks_exact(block)
            .zip(lo.chunks_exact(block))
            .enumerate()
        {
            let hit = vb
                .iter()
                .zip(lb)
                .fold(false, |any, (a, l)| any | (a - l > cut));
            if !hit {
                continue;
            }
            for j in 0..block {
                let l = b * block + j;
                let m = ((h * width) | l) as u64;
                if m == 0 || m == grand {
                    continue;
                }
                let e = vb[j] - (lb[j] + xh);
                let s = Coalition(m);
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
                    cut = floor + xh - slack(floor);
                }
            }
        }
    }
    best
}

fn check_bitmask_players(n: usize) -> Result<()> {
    if n > Coalition::MAX_PLAYERS {
        return Err(crate::error::Error::TooLarge(format!(
            "{n} players: coalitions are {}-bit masks",
            Coalition::MAX_PLAYERS
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::tu::top_excess_coalitions;

    /// The default scan over all coalitions, through a game that hides the oracle.
    struct Dense<'a, G: CoalitionalGame>(&'a G);
    impl<G: CoalitionalGame> CoalitionalGame for Dense<'_, G> {
        fn num_players(&self) -> usize {
            self.0.num_players()
        }
        fn value(&self, s: Coalition) -> f64 {
            self.0.value(s)
        }
    }

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    fn assert_same_excesses<G: CoalitionalGame>(g: &G, x: &[f64], k: usize) {
        let skip_odd = |s: Coalition| s.0 % 3 == 1;
        for skip in [
            &|_: Coalition| false,
            &skip_odd as &dyn Fn(Coalition) -> bool,
        ] {
            let fast = g.most_excess_coalitions(x, skip, k).unwrap();
            let slow = top_excess_coalitions(&Dense(g), x, skip, k).unwrap();
            assert_eq!(fast.len(), slow.len());
            for ((s, e), (_, f)) in fast.iter().zip(&slow) {
                assert!((e - f).abs() < 1e-9, "{fast:?}\n{slow:?}");
                let direct = g.value(*s) - s.members().map(|i| x[i]).sum::<f64>();
                assert!((e - direct).abs() < 1e-9);
                assert!(!skip(*s) && !s.is_empty() && s.len() < g.num_players());
            }
        }
    }

    #[test]
    fn voting_oracle_matches_the_full_scan() {
        let mut seed = 7;
        for n in 2..=9 {
            for round in 0..6 {
                let w: Vec<u64> = (0..n).map(|_| lcg(&mut seed) % 9).collect();
                let total: u64 = w.iter().sum::<u64>().max(1);
                let mut g =
                    WeightedVoting::new(w.iter().map(|&v| v.max(1)).collect(), total / 2 + 1)
                        .unwrap();
                if round % 3 == 1 {
                    let w2: Vec<u64> = (0..n).map(|_| lcg(&mut seed) % 4 + 1).collect();
                    let q2 = w2.iter().sum::<u64>() / 3 + 1;
                    g = g.with_rule(w2, q2).unwrap();
                }
                if round % 3 == 2 {
                    g = g.with_veto(vec![0]).unwrap();
                }
                // Allocations with negative entries too (prenucleolus domain).
                let x: Vec<f64> = (0..n)
                    .map(|_| (lcg(&mut seed) % 200) as f64 / 100.0 - 0.5)
                    .collect();
                for k in [1, 3, 1 << n] {
                    assert_same_excesses(&g, &x, k);
                }
            }
        }
    }

    #[test]
    fn voting_oracle_without_tables_is_still_exact() {
        // A quota so large the knapsack tables are refused: the loose bound must agree.
        let w: Vec<u64> = vec![1 << 40, 3 << 39, 1 << 41, 5 << 38, 1 << 39, 7 << 37];
        let total: u64 = w.iter().sum();
        let g = WeightedVoting::new(w, total / 2 + 1).unwrap();
        let x = [0.3, -0.1, 0.4, 0.2, 0.25, -0.05];
        assert_same_excesses(&g, &x, 64);
    }

    #[test]
    fn bankruptcy_oracle_matches_the_full_scan() {
        let mut seed = 11;
        for n in 2..=9 {
            for _ in 0..6 {
                let claims: Vec<f64> = (0..n).map(|_| (lcg(&mut seed) % 50) as f64).collect();
                let total: f64 = claims.iter().sum();
                let estate = total * (lcg(&mut seed) % 100) as f64 / 100.0;
                let g = Bankruptcy::new(estate, claims).unwrap();
                let x: Vec<f64> = (0..n)
                    .map(|_| (lcg(&mut seed) % 400) as f64 / 10.0 - 5.0)
                    .collect();
                for k in [1, 4, 1 << n] {
                    assert_same_excesses(&g, &x, k);
                }
            }
        }
    }

    #[test]
    fn blocked_table_scan_is_the_plain_scan() {
        // Integer values make exact ties common: the order among them must be the plain
        // scan's (smaller mask first), and so must the skipped coalitions.
        let mut seed = 3;
        for n in [2usize, 3, 4, 5, 7, 11, 12, 14] {
            for round in 0..3 {
                let v: Vec<f64> = (0..1u64 << n)
                    .map(|m| {
                        if m == 0 {
                            0.0
                        } else {
                            (lcg(&mut seed) % (4 * Coalition(m).len() as u64 + 1)) as f64
                        }
                    })
                    .collect();
                let g = crate::game::TuGame::new(n, v.clone()).unwrap();
                let x: Vec<f64> = (0..n)
                    .map(|_| (lcg(&mut seed) % 8) as f64 * if round == 2 { 0.37 } else { 1.0 })
                    .collect();
                let skip_some = |s: Coalition| s.0 % 5 == 2;
                for skip in [
                    &|_: Coalition| false,
                    &skip_some as &dyn Fn(Coalition) -> bool,
                ] {
                    for k in [1, 3, n, 300] {
                        let fast = dense_top_excess(&v, &x, skip, k);
                        let slow = top_excess_coalitions(&g, &x, skip, k).unwrap();
                        assert_eq!(fast, slow, "n = {n}, k = {k}");
                        assert_eq!(top_excess(&g, &x, skip, k).unwrap(), slow);
                    }
                }
            }
        }
    }

    #[test]
    fn oracles_refuse_wrong_allocations() {
        let g = WeightedVoting::new(vec![1, 1, 1], 2).unwrap();
        assert!(g.most_excess_coalition(&[0.5, 0.5], &|_| false).is_err());
        let b = Bankruptcy::new(1.0, vec![1.0, 1.0]).unwrap();
        assert!(b
            .most_excess_coalition(&[f64::NAN, 0.5], &|_| false)
            .is_err());
    }
}
