//! The alliance as a coalitional game, with an exact separation oracle.
//!
//! Players are the members. For a coalition `S` (the treaty as if only `S` had signed it), each
//! member `j ∈ S` facing its worst in-scope threat gains the drop in its (mean-field) defeat
//! probability that `S`'s pledges to it bring, valued at `V_j`; each pledger pays its expected
//! war cost once per war it would fight, that is once per distinct aggressor among the worst
//! threats of the members of `S` it is pledged to:
//!
//! `v(S) = Σ_{j∈S} V_j·(π̄_j(∅) − π̄_j(S∖j)) − Σ_{k∈S} Σ_{i ∈ A_k(S)} ρ_k κ_k`,
//!
//! with `π̄_j(X) = max_i a_ij / (a_ij + t_j + Σ_{k∈X} ρ_k c_k→j)` over the scope's aggressors
//! `i` (mean field: expected help in the denominator) and `A_k(S)` the aggressors `i*(j)`
//! (`j`'s strongest threat) of the members `j ∈ S∖k` that `k` is pledged to. This is "per
//! attack on a member": every member is the target of one attack by its worst threat, and a
//! helper defending several members against the same aggressor fights one war, not several
//! (the first version charged a war per protected member, so the cost of an alliance grew
//! with the square of its size and every large alliance had an empty core by construction).
//!
//! **Separation** (`max_S v(S) − x(S)`) is exact, by branch and bound over members (strongest
//! first) with a bound from the concavity of each member's security gain in the help it
//! receives (see [`AllianceGame::separate_top`]). A node cap turns an unfinished search into an
//! error, never into a guess.

use crate::error::{Error, Result};
use crate::game::tu::check_allocation;
use crate::game::{Coalition, CoalitionalGame};

/// Most members the alliance game is built for (coalitions are 64-bit masks).
pub const MAX_ALLIANCE_MEMBERS: usize = 32;
/// Most branch-and-bound nodes one separation call may visit.
pub const MAX_SEPARATION_NODES: usize = 2_000_000;

/// The alliance game of one scope.
#[derive(Debug, Clone)]
pub struct AllianceGame {
    /// Member ids (the players), strongest first.
    pub players: Vec<String>,
    value: Vec<f64>,
    /// `worst[j]`: `j`'s strongest threat `(aggressor id, a_ij)`, if any. Since `a/(a+t+h)`
    /// grows with `a`, it attains `π̄_j`'s maximum whatever the help.
    worst: Vec<Option<(usize, f64)>>,
    own: Vec<f64>,
    /// `help[j][k]`: `ρ_k c_k→j` if `k` is pledged to `j` (against some threat), else 0.
    help: Vec<Vec<f64>>,
    /// `help` as one row-major `m × m` block (the bound's inner loop).
    help_rows: Vec<f64>,
    /// `cost[j][k]`: `ρ_k κ_k` if `k` is pledged to `j`, else 0.
    cost: Vec<Vec<f64>>,
    /// `wars[k]`: the wars `k` may fight, one per aggressor of the members it is pledged to.
    wars: Vec<Vec<War>>,
    base: Vec<f64>,
}

/// The members a helper defends against one aggressor.
#[derive(Debug, Clone)]
struct War {
    /// Mask of those members.
    protects: u64,
    /// `(member, ρ_k κ_k)` by decreasing cost (ties by member).
    by_cost: Vec<(usize, f64)>,
}

impl AllianceGame {
    /// Builds the game from per-member data (indices are player positions; `threats[j]` holds
    /// `(aggressor id, a_ij)` pairs, the ids being any labels that tell aggressors apart).
    ///
    /// # Errors
    /// [`Error::TooLarge`] above [`MAX_ALLIANCE_MEMBERS`] players; [`Error::InvalidArgument`]
    /// when the tables do not all have one entry (row) per player.
    pub fn new(
        players: Vec<String>,
        value: Vec<f64>,
        own: Vec<f64>,
        threats: Vec<Vec<(usize, f64)>>,
        help: Vec<Vec<f64>>,
        cost: Vec<Vec<f64>>,
    ) -> Result<Self> {
        let m = players.len();
        if m > MAX_ALLIANCE_MEMBERS {
            return Err(Error::TooLarge(format!(
                "the alliance game has {m} members; the exact separation search is attempted up to \
                 {MAX_ALLIANCE_MEMBERS}"
            )));
        }
        let square = |rows: &[Vec<f64>]| rows.len() == m && rows.iter().all(|r| r.len() == m);
        if value.len() != m
            || own.len() != m
            || threats.len() != m
            || !square(&help)
            || !square(&cost)
        {
            return Err(Error::invalid_argument(format!(
                "the alliance game of {m} members needs {m} values, own strengths and threat \
                 lists and {m}×{m} help and cost tables"
            )));
        }
        // Ties between aggressors go to the smaller id.
        let worst = threats
            .iter()
            .map(|t| {
                t.iter().copied().reduce(|p, q| {
                    if q.1 > p.1 || (q.1 == p.1 && q.0 < p.0) {
                        q
                    } else {
                        p
                    }
                })
            })
            .collect();
        let mut g = AllianceGame {
            players,
            value,
            worst,
            own,
            help_rows: help.iter().flatten().copied().collect(),
            help,
            cost,
            wars: Vec::new(),
            base: Vec::new(),
        };
        g.wars = (0..m)
            .map(|k| {
                let mut wars: Vec<(usize, War)> = Vec::new();
                for j in (0..m).filter(|&j| j != k && g.cost[j][k] > 0.0) {
                    let Some((i, _)) = g.worst[j] else { continue };
                    let at = match wars.iter().position(|w| w.0 == i) {
                        Some(at) => at,
                        None => {
                            wars.push((
                                i,
                                War {
                                    protects: 0,
                                    by_cost: Vec::new(),
                                },
                            ));
                            wars.len() - 1
                        }
                    };
                    wars[at].1.protects |= 1u64 << j;
                    wars[at].1.by_cost.push((j, g.cost[j][k]));
                }
                wars.into_iter()
                    .map(|(_, mut w)| {
                        w.by_cost
                            .sort_by(|p, q| q.1.total_cmp(&p.1).then(p.0.cmp(&q.0)));
                        w
                    })
                    .collect()
            })
            .collect();
        g.base = (0..m).map(|j| g.pi_bar(j, 0.0)).collect();
        Ok(g)
    }

    fn pi_bar(&self, j: usize, help: f64) -> f64 {
        self.worst[j].map_or(0.0, |(_, a)| {
            super::war::win_probability(a, self.own[j], help)
        })
    }

    /// Member `j`'s term when the helpers in `mask` (and targets) are present.
    fn gain(&self, j: usize, helpers: u64) -> f64 {
        let h: f64 = bits(helpers & !(1u64 << j)).map(|k| self.help[j][k]).sum();
        self.value[j] * (self.base[j] - self.pi_bar(j, h))
    }

    /// What member `k` pays when the members in `mask` are present: `ρ_k κ_k` once per distinct
    /// worst aggressor of the members of `mask ∖ k` it is pledged to (the largest such cost
    /// per aggressor).
    fn war_costs(&self, k: usize, mask: u64) -> f64 {
        let mask = mask & !(1u64 << k);
        self.wars[k]
            .iter()
            .filter(|w| w.protects & mask != 0)
            .map(|w| {
                w.by_cost
                    .iter()
                    .find(|&&(j, _)| mask >> j & 1 == 1)
                    .map_or(0.0, |&(_, c)| c)
            })
            .sum()
    }

    /// `v(mask)`.
    pub fn value_of(&self, mask: u64) -> f64 {
        bits(mask)
            .map(|j| self.gain(j, mask) - self.war_costs(j, mask))
            .sum()
    }

    /// Each member's own term in the grand coalition (the allocation without transfers): its
    /// security gain minus the war costs it pays for the others.
    pub fn natural_allocation(&self) -> Vec<f64> {
        let m = self.players.len();
        let all = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
        (0..m)
            .map(|k| self.gain(k, all) - self.war_costs(k, all))
            .collect()
    }

    /// Exact `max_{∅≠S≠N} v(S) − x(S)` over non-skipped coalitions, by branch and bound.
    ///
    /// Ties are broken towards the smallest coalition mask, so the answer does not depend on
    /// the search order.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when the search exceeds [`MAX_SEPARATION_NODES`].
    pub fn separate(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
    ) -> Result<Option<(Coalition, f64)>> {
        Ok(self.separate_top(x, skip, 1)?.pop())
    }

    /// The `k` proper, non-skipped coalitions of largest excess `v(S) − x(S)`, best first
    /// (ties towards the smaller mask), by one branch and bound that prunes against the
    /// `k`-th best found so far. Greedy ascents with one-member flips seed the list.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when the search exceeds [`MAX_SEPARATION_NODES`].
    pub fn separate_top(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
        k: usize,
    ) -> Result<Vec<(Coalition, f64)>> {
        self.separate_top_above(x, skip, k, f64::NEG_INFINITY)
    }

    /// [`Self::separate_top`] keeping only excesses above `floor`; the search prunes every
    /// node whose bound is below the floor from the start.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when the search exceeds [`MAX_SEPARATION_NODES`].
    pub fn separate_top_above(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
        k: usize,
        floor: f64,
    ) -> Result<Vec<(Coalition, f64)>> {
        let m = self.players.len();
        if k == 0 {
            return Ok(Vec::new());
        }
        let all = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
        let mut top: Vec<(u64, f64)> = Vec::with_capacity(k + 1);
        let offer = |mask: u64, top: &mut Vec<(u64, f64)>| {
            if mask == 0 || mask == all || top.iter().any(|t| t.0 == mask) || skip(Coalition(mask))
            {
                return;
            }
            let e = self.value_of(mask) - x_of(x, mask);
            if e <= floor {
                return;
            }
            let better = |t: &(u64, f64)| e > t.1 + 1e-12 || (e >= t.1 - 1e-12 && mask < t.0);
            let at = top.iter().position(better).unwrap_or(top.len());
            if at < k {
                top.insert(at, (mask, e));
                top.truncate(k);
            }
        };
        for mask in self.ascent(x) {
            offer(mask, &mut top);
        }
        // Depth-first over members (strongest first), deciding member `d` at depth `d`; the
        // help sums of the bound are carried down the tree (one `O(m)` update per node)
        // instead of being recomputed (`O(m²)`).
        let mut dfs = Dfs {
            x,
            k,
            floor,
            all,
            nodes: 0,
            hc: vec![0.0; (m + 1) * m],
            hr: vec![0.0; (m + 1) * m],
            scratch: Scratch::new(m),
        };
        for j in 0..m {
            dfs.hr[j] = (0..m).filter(|&q| q != j).map(|q| self.help[j][q]).sum();
        }
        self.descend(&mut dfs, 0, 0, &mut |mask, top| offer(mask, top), &mut top)?;
        Ok(top
            .into_iter()
            .map(|(mask, e)| (Coalition(mask), e))
            .collect())
    }

    /// One node of [`Self::separate_top`]'s search: members below `d` are decided (`chosen`),
    /// the level-`d` rows of `dfs.hc` / `dfs.hr` hold each member's help from `chosen` and from
    /// `chosen` plus the undecided members.
    fn descend(
        &self,
        dfs: &mut Dfs,
        d: usize,
        chosen: u64,
        offer: &mut dyn FnMut(u64, &mut Top),
        top: &mut Top,
    ) -> Result<()> {
        let m = self.players.len();
        dfs.nodes += 1;
        if dfs.nodes > MAX_SEPARATION_NODES {
            return Err(Error::TooLarge(format!(
                "the alliance game's separation search passed {MAX_SEPARATION_NODES} nodes \
                 ({m} members)"
            )));
        }
        if d == m {
            offer(chosen, top);
            return Ok(());
        }
        let threshold = if top.len() == dfs.k {
            dfs.floor.max(top[dfs.k - 1].1 - 1e-12)
        } else {
            dfs.floor
        };
        if threshold > f64::NEG_INFINITY {
            let undecided = dfs.all & !((1u64 << d) - 1);
            let (hc, hr) = (&dfs.hc[d * m..(d + 1) * m], &dfs.hr[d * m..(d + 1) * m]);
            let b = self.bound_with(
                chosen,
                undecided,
                dfs.x,
                (hc, hr),
                &mut dfs.scratch,
                threshold,
            );
            if b < threshold {
                return Ok(());
            }
        }
        // Include member d first (strong members first find good coalitions early).
        let (lo, hi) = dfs.hc.split_at_mut((d + 1) * m);
        for j in 0..m {
            hi[j] = lo[d * m + j] + if j == d { 0.0 } else { self.help[j][d] };
        }
        let (lo, hi) = dfs.hr.split_at_mut((d + 1) * m);
        hi[..m].copy_from_slice(&lo[d * m..(d + 1) * m]);
        self.descend(dfs, d + 1, chosen | 1u64 << d, offer, top)?;
        let (lo, hi) = dfs.hc.split_at_mut((d + 1) * m);
        hi[..m].copy_from_slice(&lo[d * m..(d + 1) * m]);
        let (lo, hi) = dfs.hr.split_at_mut((d + 1) * m);
        for j in 0..m {
            hi[j] = lo[d * m + j] - if j == d { 0.0 } else { self.help[j][d] };
        }
        self.descend(dfs, d + 1, chosen, offer, top)
    }

    /// Local optima of `v(S) − x(S)`: greedy ascent from the empty coalition and from the
    /// grand coalition, each finished by one-member flips while they improve.
    fn ascent(&self, x: &[f64]) -> Vec<u64> {
        let m = self.players.len();
        let all = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
        let f = |mask: u64| self.value_of(mask) - x_of(x, mask);
        let mut out = Vec::new();
        for start in [0u64, all] {
            let mut cur = start;
            let mut val = f(cur);
            // Bounded: each accepted flip raises the objective by more than 1e-12, and
            // there are finitely many coalitions; the cap guards against float cycling.
            for _ in 0..4 * m + 4 {
                let mut step: Option<(u64, f64)> = None;
                for k in 0..m {
                    let cand = cur ^ (1u64 << k);
                    if cand == 0 || cand == all {
                        continue;
                    }
                    let v = f(cand);
                    if v > val + 1e-12 && step.is_none_or(|s| v > s.1) {
                        step = Some((cand, v));
                    }
                }
                match step {
                    Some((c, v)) => {
                        cur = c;
                        val = v;
                    }
                    None => break,
                }
            }
            out.push(cur);
        }
        out
    }

    /// Upper bound on `v(S) − x(S)` over `C ⊆ S ⊆ C ∪ U` (`C` = `chosen`, `U` = `undecided`).
    ///
    /// Each `g_j(h) = V_j (π̄_j(0) − π̄_j(h))` is concave and increasing in the help `h` it
    /// receives (`π̄_j` is a maximum of convex decreasing functions of `h`), and help adds up, so
    /// the gain that a set `T ⊆ U` brings a chosen member is at most the sum of the gains each
    /// `k ∈ T` brings alone, and an undecided member's own gain is at most its gain from all of
    /// `C ∪ U`. War costs only grow with the coalition, so a chosen member pays at least its
    /// costs in `C` and an undecided `k` at least those of `C + k`. Hence, with
    /// `w_k = Σ_{j∈C} [g_j(C+k) − g_j(C)] + g_k(C ∪ U) − war_k(C + k) − x_k`,
    ///
    /// `v(C ∪ T) − x(C ∪ T) ≤ Σ_{j∈C} [g_j(C) − war_j(C) − x_j] + Σ_{k∈T} w_k
    ///                      ≤ Σ_{j∈C} [g_j(C) − war_j(C) − x_j] + Σ_{k∈U} max(0, w_k)`.
    ///
    /// (Capping each undecided member's help by the size of `T` tightened nothing measurable on
    /// the bundled models, at `O(|U|² log |U|)` per node.)
    #[cfg(test)]
    fn bound(
        &self,
        chosen: u64,
        undecided: u64,
        x: &[f64],
        s: &mut Scratch,
        threshold: f64,
    ) -> f64 {
        let m = self.players.len();
        let reach = chosen | undecided;
        let (mut hc, mut hr) = (vec![0.0; m], vec![0.0; m]);
        for j in 0..m {
            for (k, &h) in self.help[j].iter().enumerate() {
                if k != j && reach >> k & 1 == 1 {
                    hr[j] += h;
                    if chosen >> k & 1 == 1 {
                        hc[j] += h;
                    }
                }
            }
        }
        self.bound_with(chosen, undecided, x, (&hc, &hr), s, threshold)
    }

    /// [`Self::bound`] from the help sums `hc[j]` (from `C`) and `hr[j]` (from `C ∪ U`). When
    /// the cheaper tangent form already falls below `threshold` it is returned instead: for
    /// concave `g_j`, `g_j(h + δ) − g_j(h) ≤ g_j'(h)·δ`, with
    /// `g_j'(h) = V_j a_j / (a_j + t_j + h)²`, so the tangent bound is an upper bound too (only
    /// looser), and it costs one multiply-add per (chosen, undecided) pair instead of a
    /// division.
    fn bound_with(
        &self,
        chosen: u64,
        undecided: u64,
        x: &[f64],
        (hc, hr): (&[f64], &[f64]),
        s: &mut Scratch,
        threshold: f64,
    ) -> f64 {
        let g = |j: usize, h: f64| self.value[j] * (self.base[j] - self.pi_bar(j, h));
        let mut b = 0.0;
        for j in bits(chosen) {
            s.gain_chosen[j] = g(j, hc[j]);
            s.slope[j] = self.worst[j].map_or(0.0, |(_, a)| {
                let den = a + self.own[j] + hc[j];
                self.value[j] * a / (den * den)
            });
            b += s.gain_chosen[j] - self.war_costs(j, chosen) - x[j];
        }
        // cross[k] = Σ_{j∈C} g_j'(h_j) help[j][k], row by row (contiguous, vectorisable).
        let m = self.players.len();
        s.cross.fill(0.0);
        for j in bits(chosen) {
            let slope = s.slope[j];
            for (c, h) in s.cross.iter_mut().zip(&self.help_rows[j * m..(j + 1) * m]) {
                *c += slope * h;
            }
        }
        let mut tangent = b;
        for k in bits(undecided) {
            let own = g(k, hr[k]) - x[k] - self.war_costs(k, chosen | 1u64 << k);
            s.own[k] = own;
            tangent += (own + s.cross[k]).max(0.0);
        }
        if tangent < threshold {
            return tangent;
        }
        for k in bits(undecided) {
            let mut w = s.own[k];
            for j in bits(chosen) {
                let h = self.help[j][k];
                if h > 0.0 {
                    w += g(j, hc[j] + h) - s.gain_chosen[j];
                }
            }
            b += w.max(0.0);
        }
        b
    }
}

/// The members of a mask, in increasing order.
fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let k = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            k
        })
    })
}

/// The best coalitions found so far: `(mask, excess)`, best first.
type Top = Vec<(u64, f64)>;

/// State of one separation search.
struct Dfs<'a> {
    x: &'a [f64],
    k: usize,
    /// Only excesses above this are wanted.
    floor: f64,
    all: u64,
    nodes: usize,
    /// `hc[d·m + j]`: help `j` receives from the chosen members at depth `d`.
    hc: Vec<f64>,
    /// `hr[d·m + j]`: help `j` receives from the chosen and undecided members at depth `d`.
    hr: Vec<f64>,
    scratch: Scratch,
}

/// Per-node work space of the separation search.
struct Scratch {
    gain_chosen: Vec<f64>,
    slope: Vec<f64>,
    own: Vec<f64>,
    cross: Vec<f64>,
}

impl Scratch {
    fn new(m: usize) -> Self {
        Scratch {
            gain_chosen: vec![0.0; m],
            slope: vec![0.0; m],
            own: vec![0.0; m],
            cross: vec![0.0; m],
        }
    }
}

fn x_of(x: &[f64], mask: u64) -> f64 {
    x.iter()
        .enumerate()
        .filter(|(k, _)| mask >> k & 1 == 1)
        .map(|(_, v)| v)
        .sum()
}

impl CoalitionalGame for AllianceGame {
    fn num_players(&self) -> usize {
        self.players.len()
    }

    fn value(&self, s: Coalition) -> f64 {
        self.value_of(s.0)
    }

    fn most_excess_coalition(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
    ) -> Result<Option<(Coalition, f64)>> {
        check_allocation(self.players.len(), x)?;
        self.separate(x, skip)
    }

    fn most_excess_coalitions(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
        k: usize,
    ) -> Result<Vec<(Coalition, f64)>> {
        check_allocation(self.players.len(), x)?;
        self.separate_top(x, skip, k)
    }

    fn most_excess_coalitions_above(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
        k: usize,
        floor: f64,
    ) -> Result<Vec<(Coalition, f64)>> {
        check_allocation(self.players.len(), x)?;
        self.separate_top_above(x, skip, k, floor)
    }

    // `skip_is_cheap` keeps its default (true): the branch and bound tests `skip` only at its
    // leaves, but the stage LPs ask for coalitions above a floor
    // (`most_excess_coalitions_above`), which prunes the settled coalitions below it; on the
    // bundled models the nucleolus is the same either way and Rio 1982's takes a third of the
    // instructions (fewer stages at dependent levels).
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A random alliance game: `m` members, each with one to three threats, sparse pledges.
    fn game(m: usize, seed: &[f64]) -> AllianceGame {
        let mut it = seed.iter().cycle().copied();
        let mut next = move || it.next().unwrap_or(0.5);
        let players = (0..m).map(|k| format!("S{k}")).collect();
        let value = (0..m).map(|_| 0.2 + next()).collect();
        let own = (0..m).map(|_| 0.01 + next()).collect();
        let threats = (0..m)
            .map(|_| {
                (0..1 + (next() * 3.0) as usize)
                    .map(|_| ((next() * 3.0) as usize, 0.05 + 2.0 * next()))
                    .collect()
            })
            .collect();
        let mut help = vec![vec![0.0; m]; m];
        let mut cost = vec![vec![0.0; m]; m];
        for j in 0..m {
            for k in 0..m {
                if j != k && next() < 0.7 {
                    help[j][k] = next();
                    cost[j][k] = 0.1 * next();
                }
            }
        }
        AllianceGame::new(players, value, own, threats, help, cost).unwrap()
    }

    fn brute(g: &AllianceGame, x: &[f64], skip: &dyn Fn(Coalition) -> bool) -> Option<f64> {
        let m = g.players.len();
        let all = (1u64 << m) - 1;
        (1..all)
            .filter(|&s| !skip(Coalition(s)))
            .map(|s| g.value_of(s) - x_of(x, s))
            .reduce(f64::max)
    }

    /// Three members, each pledged to the others with help 1 and cost 0.1, own strength 1.
    fn triangle(threats: Vec<Vec<(usize, f64)>>) -> AllianceGame {
        let off = |x: f64| {
            (0..3)
                .map(|j| (0..3).map(|k| if j == k { 0.0 } else { x }).collect())
                .collect()
        };
        let players = ["A", "B", "C"].map(String::from).to_vec();
        AllianceGame::new(
            players,
            vec![1.0; 3],
            vec![1.0; 3],
            threats,
            off(1.0),
            off(0.1),
        )
        .unwrap()
    }

    /// Hand-computed: one aggressor (a = 1) against all three. `π̄(∅) = 1/2`; in `N` each
    /// member has help 2, `π̄ = 1/4`, gain 1/4; each helper fights one war (0.1), not one per
    /// member it defends: `v(N) = 3/4 − 3·0.1`. In `{A, B}`: gains `2·(1/2 − 1/3)`, two wars.
    #[test]
    fn one_aggressor_one_war_per_helper() {
        let g = triangle(vec![vec![(7, 1.0)]; 3]);
        assert!((g.value_of(0b111) - 0.45).abs() < 1e-12);
        assert!((g.value_of(0b011) - (1.0 / 3.0 - 0.2)).abs() < 1e-12);
        assert_eq!(g.value_of(0b001), 0.0);
        for (x, want) in g.natural_allocation().iter().zip([0.15; 3]) {
            assert!((x - want).abs() < 1e-12);
        }
    }

    /// C's worst threat is another aggressor (8, a = 1.5 > 1): A and B each fight two wars,
    /// C one. C's gain: `1.5/2.5 − 1.5/4.5`. `v(N) = 1/4 + 1/4 + 4/15 − 0.5`.
    #[test]
    fn two_aggressors_two_wars() {
        let g = triangle(vec![
            vec![(7, 1.0)],
            vec![(7, 1.0)],
            vec![(7, 1.0), (8, 1.5)],
        ]);
        assert!((g.value_of(0b111) - (0.5 + 4.0 / 15.0 - 0.5)).abs() < 1e-12);
        let nat = g.natural_allocation();
        assert!((nat[0] - (0.25 - 0.2)).abs() < 1e-12);
        assert!((nat[2] - (4.0 / 15.0 - 0.1)).abs() < 1e-12);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// The branch and bound finds the brute-force maximum excess (and its own excess is the
        /// coalition's true excess), with and without coalitions skipped.
        #[test]
        fn separation_is_exact(
            m in 2usize..9,
            seed in proptest::collection::vec(0.0f64..1.0, 40),
            xs in proptest::collection::vec(-0.5f64..1.5, 9),
            banned in proptest::collection::vec(1u64..256, 0..6),
        ) {
            let g = game(m, &seed);
            let x = &xs[..m];
            let skip = |c: Coalition| banned.contains(&c.0);
            let got = g.separate(x, &skip).unwrap();
            let want = brute(&g, x, &skip);
            match (got, want) {
                (Some((c, e)), Some(w)) => {
                    prop_assert!(!skip(c));
                    prop_assert!((e - (g.value_of(c.0) - x_of(x, c.0))).abs() < 1e-12);
                    prop_assert!((e - w).abs() < 1e-9, "b&b {e} brute {w}");
                }
                (None, None) => {}
                (a, b) => prop_assert!(false, "b&b {a:?} brute {b:?}"),
            }
        }

        /// The node bound (tangent and exact forms) is an upper bound on every completion of
        /// the node.
        #[test]
        fn bound_dominates_completions(
            m in 2usize..8,
            seed in proptest::collection::vec(0.0f64..1.0, 40),
            xs in proptest::collection::vec(-0.5f64..1.5, 8),
            chosen in 0u64..256,
            depth in 0usize..8,
        ) {
            let g = game(m, &seed);
            let x = &xs[..m];
            let d = depth.min(m);
            let all = (1u64 << m) - 1;
            let chosen = chosen & ((1u64 << d) - 1);
            let undecided = all & !((1u64 << d) - 1);
            // +∞: the tangent form is returned; −∞: the exact differences (never looser).
            let tangent = g.bound(chosen, undecided, x, &mut Scratch::new(m), f64::INFINITY);
            let b = g.bound(chosen, undecided, x, &mut Scratch::new(m), f64::NEG_INFINITY);
            prop_assert!(b <= tangent + 1e-12, "exact {b} tangent {tangent}");
            let mut t = undecided;
            loop {
                let s = chosen | t;
                prop_assert!(g.value_of(s) - x_of(x, s) <= b + 1e-9);
                if t == 0 { break; }
                t = (t - 1) & undecided;
            }
        }
    }
}
