//! The alliance as a coalitional game, with an exact separation oracle.
//!
//! Players are the members. For a coalition `S` (the treaty as if only `S` had signed it), each
//! member `j ∈ S` facing its worst in-scope threat gains the drop in its (mean-field) defeat
//! probability that `S`'s pledges to it bring, valued at `V_j`, and `S`'s pledgers pay their
//! expected war costs:
//!
//! `v(S) = Σ_{j∈S} [ V_j·(π̄_j(∅) − π̄_j(S∖j)) − Σ_{k∈S∖j, k pledged to j} ρ_k κ_k ]`,
//!
//! with `π̄_j(X) = max_i a_ij / (a_ij + t_j + Σ_{k∈X} ρ_k c_k→j)` over the scope's aggressors
//! `i` (mean field: expected help in the denominator). This is "per attack on a member":
//! every member is the target of one attack by its worst threat.
//!
//! **Separation** (`max_S v(S) − x(S)`) is exact, by branch and bound over members (strongest
//! first): a node's bound adds every undecided member's help and target term (both monotone)
//! but only the decided members' costs, plus `max(0, −x_k)` for undecided `k`. A node cap turns
//! an unfinished search into an error, never into a guess.

use crate::error::{Error, Result};
use crate::game::{Coalition, CoalitionalGame};

/// Most members the alliance game is built for (coalitions are 64-bit masks).
pub const MAX_ALLIANCE_MEMBERS: usize = 32;
/// Most branch-and-bound nodes one separation call may visit.
pub const MAX_SEPARATION_NODES: usize = 30_000;

/// The alliance game of one scope.
#[derive(Debug, Clone)]
pub struct AllianceGame {
    /// Member ids (the players), strongest first.
    pub players: Vec<String>,
    value: Vec<f64>,
    /// `threats[j]`: `(a_ij, t_j)` of every aggressor of the scope against member `j`.
    threats: Vec<Vec<f64>>,
    own: Vec<f64>,
    /// `help[j][k]`: `ρ_k c_k→j` if `k` is pledged to `j` (against some threat), else 0.
    help: Vec<Vec<f64>>,
    /// `cost[j][k]`: `ρ_k κ_k` if `k` is pledged to `j`, else 0.
    cost: Vec<Vec<f64>>,
    base: Vec<f64>,
}

impl AllianceGame {
    /// Builds the game from per-member data (indices are player positions).
    ///
    /// # Errors
    /// [`Error::TooLarge`] above [`MAX_ALLIANCE_MEMBERS`] players.
    pub fn new(
        players: Vec<String>,
        value: Vec<f64>,
        own: Vec<f64>,
        threats: Vec<Vec<f64>>,
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
        let mut g = AllianceGame {
            players,
            value,
            threats,
            own,
            help,
            cost,
            base: Vec::new(),
        };
        g.base = (0..m).map(|j| g.pi_bar(j, 0.0)).collect();
        Ok(g)
    }

    fn pi_bar(&self, j: usize, help: f64) -> f64 {
        self.threats[j]
            .iter()
            .map(|&a| super::war::win_probability(a, self.own[j], help))
            .fold(0.0, f64::max)
    }

    /// Member `j`'s term when the helpers in `mask` (and targets) are present.
    fn gain(&self, j: usize, helpers: u64) -> f64 {
        let h: f64 = (0..self.players.len())
            .filter(|&k| k != j && helpers >> k & 1 == 1)
            .map(|k| self.help[j][k])
            .sum();
        self.value[j] * (self.base[j] - self.pi_bar(j, h))
    }

    fn costs(&self, j: usize, mask: u64) -> f64 {
        (0..self.players.len())
            .filter(|&k| k != j && mask >> k & 1 == 1)
            .map(|k| self.cost[j][k])
            .sum()
    }

    /// `v(mask)`.
    pub fn value_of(&self, mask: u64) -> f64 {
        (0..self.players.len())
            .filter(|&j| mask >> j & 1 == 1)
            .map(|j| self.gain(j, mask) - self.costs(j, mask))
            .sum()
    }

    /// Each member's own term in the grand coalition (the allocation without transfers): its
    /// security gain minus the war costs it pays for the others.
    pub fn natural_allocation(&self) -> Vec<f64> {
        let m = self.players.len();
        let all = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
        (0..m)
            .map(|k| {
                let paid: f64 = (0..m).filter(|&j| j != k).map(|j| self.cost[j][k]).sum();
                self.gain(k, all) - paid
            })
            .collect()
    }

    /// Exact `max_{∅≠S≠N} v(S) − x(S)` over non-skipped coalitions, by branch and bound.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when the search exceeds [`MAX_SEPARATION_NODES`].
    pub fn separate(
        &self,
        x: &[f64],
        skip: &dyn Fn(Coalition) -> bool,
    ) -> Result<Option<(Coalition, f64)>> {
        let m = self.players.len();
        let mut best: Option<(u64, f64)> = None;
        let mut nodes = 0usize;
        let all = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
        // Depth-first: (depth, chosen mask).
        let mut stack = vec![(0usize, 0u64)];
        while let Some((d, mask)) = stack.pop() {
            nodes += 1;
            if nodes > MAX_SEPARATION_NODES {
                return Err(Error::TooLarge(format!(
                    "the alliance game's separation search passed {MAX_SEPARATION_NODES} nodes \
                     ({m} members)"
                )));
            }
            if d == m {
                if mask != 0 && mask != all {
                    let c = Coalition(mask);
                    if !skip(c) {
                        let e = self.value_of(mask) - x_of(x, mask);
                        if best.is_none_or(|b| e > b.1 + 1e-12 || (e >= b.1 - 1e-12 && mask < b.0))
                        {
                            best = Some((mask, e));
                        }
                    }
                }
                continue;
            }
            let undecided = all & !((1u64 << d) - 1);
            let bound = self.bound(mask, undecided, x);
            if let Some(b) = best {
                if bound < b.1 - 1e-12 {
                    continue;
                }
            }
            stack.push((d + 1, mask));
            stack.push((d + 1, mask | 1u64 << d));
        }
        Ok(best.map(|(mask, e)| (Coalition(mask), e)))
    }

    /// Upper bound on `v(S) − x(S)` over `chosen ⊆ S ⊆ chosen ∪ undecided`: a chosen member's
    /// term is at most its gain with every possible helper minus the costs already certain; an
    /// undecided member adds its term only if positive.
    fn bound(&self, chosen: u64, undecided: u64, x: &[f64]) -> f64 {
        let m = self.players.len();
        let reach = chosen | undecided;
        let mut b = 0.0;
        for (j, &xj) in x.iter().enumerate().take(m) {
            if chosen >> j & 1 == 1 {
                b += self.gain(j, reach) - self.costs(j, chosen) - xj;
            } else if undecided >> j & 1 == 1 {
                b += (self.gain(j, reach) - xj).max(0.0);
            }
        }
        b
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
        if x.len() != self.players.len() || x.iter().any(|v| !v.is_finite()) {
            return Err(Error::InvalidArgument(format!(
                "an allocation needs {} finite entries",
                self.players.len()
            )));
        }
        self.separate(x, skip)
    }
}
