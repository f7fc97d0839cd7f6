//! The war model and the expected payoff of aggression, by an exact counting DP over
//! discretised helper capability.
//!
//! With helpers `H ⊆ R(j, i)` fighting, aggressor `i` wins with
//! `π(H) = cap_i / (cap_i + cap_j + Σ_{k∈H} cap_k)`, and
//! `EU_i(j) = E_H[π(H)·V_j − (1−π(H))·L_i] − κ_i − s_i`, each responder `k` helping
//! independently with probability `ρ_k`.
//!
//! **Discretisation.** Capabilities are rounded to the nearest multiple of a unit
//! `u = (Σ_k cap_k) / resolution`; the distribution of the total helper capability over units
//! is computed exactly by the subset-sum DP `P ← (1−ρ_k)·P + ρ_k·shift(P, c_k)` (O(|R|·B) for
//! B units, never 2^|R|). With `δ_k` the rounding error of `k` and `E = Σ_{k∈R} |δ_k|`, every
//! realisation satisfies `|D(H) − D̃(H)| ≤ E`, and `π` is decreasing in `D`, so
//! `E[π(D̃ + E)] ≤ E[π(D)] ≤ E[π(max(D̃ − E, 0))]`: the reported bracket `[eu_lo, eu_hi]`
//! contains the exact `EU` (up to float rounding; `E` is rounded up to whole units so one table of
//! `π` serves the three sums). Pairs whose bracket straddles 0 are
//! recomputed at a finer resolution.
//!
//! **All pairs.** For a target `j` the responder sets of different aggressors usually differ
//! in a few states (the aggressor itself drops out). The DP of one base set is computed once and
//! adjusted per aggressor by removing and adding items; removal inverts one DP step
//! (deconvolution) in the direction whose error factor is `min(ρ, 1−ρ)/max(ρ, 1−ρ) ≤ 1`, so it
//! is numerically stable.

use super::model::Resolved;
use serde::Serialize;

/// Default number of capability units the total capability of the model is divided into.
pub const DEFAULT_RESOLUTION: usize = 4096;

/// Most item changes from the base responder set applied by deconvolution before the DP is
/// recomputed from scratch.
const MAX_DIFF: usize = 8;

/// Resolution multiplier for pairs whose bracket straddles zero.
const REFINE_FACTOR: usize = 16;

/// The outcome of one attack scenario.
#[derive(Debug, Clone, Serialize)]
pub struct PairOutcome {
    /// Aggressor index.
    pub aggressor: usize,
    /// Target index.
    pub target: usize,
    /// Point estimate of `EU_i(j)` (nearest-unit rounding).
    pub eu: f64,
    /// Lower end of the rigorous bracket.
    pub eu_lo: f64,
    /// Upper end of the rigorous bracket.
    pub eu_hi: f64,
    /// Expected win probability of the aggressor (point estimate).
    pub win_probability: f64,
    /// Responders `R(j, i)` with their reliabilities.
    pub responders: Vec<(usize, f64)>,
    /// Sanction cost applied to the aggressor.
    pub sanction: f64,
}

impl PairOutcome {
    /// Whether the aggression is deterred: `EU < 0` (decided by the bracket; by the point
    /// estimate only if the bracket still straddles 0 at the finest resolution).
    pub fn deterred(&self) -> bool {
        if self.eu_hi < 0.0 {
            true
        } else if self.eu_lo >= 0.0 {
            false
        } else {
            self.eu < 0.0
        }
    }
}

/// Distribution of total helper capability in units.
#[derive(Debug, Clone)]
pub(crate) struct HelperDist {
    pub p: Vec<f64>,
}

impl HelperDist {
    pub fn point() -> Self {
        HelperDist { p: vec![1.0] }
    }

    /// Adds an independent Bernoulli item of `c` units helping with probability `rho`.
    pub fn add(&mut self, c: usize, rho: f64) {
        if c == 0 || rho <= 0.0 {
            return;
        }
        let old = self.p.len();
        self.p.resize(old + c, 0.0);
        for d in (0..old).rev() {
            let x = self.p[d];
            self.p[d] = x * (1.0 - rho);
            self.p[d + c] += x * rho;
        }
    }

    /// Removes an item previously added (exact inverse of [`HelperDist::add`] up to rounding).
    pub fn remove(&mut self, c: usize, rho: f64, scratch: &mut Vec<f64>) {
        if c == 0 || rho <= 0.0 || self.p.len() <= c {
            return;
        }
        let len = self.p.len() - c;
        scratch.clear();
        scratch.resize(len, 0.0);
        if rho >= 0.5 {
            // p[d + c] = (1−ρ) q[d + c] + ρ q[d]  →  q[d] = (p[d + c] − (1−ρ) q[d + c]) / ρ.
            for d in (0..len).rev() {
                let above = if d + c < len { scratch[d + c] } else { 0.0 };
                scratch[d] = ((self.p[d + c] - (1.0 - rho) * above) / rho).max(0.0);
            }
        } else {
            // p[d] = (1−ρ) q[d] + ρ q[d − c]  →  q[d] = (p[d] − ρ q[d − c]) / (1−ρ).
            for d in 0..len {
                let below = if d >= c { scratch[d - c] } else { 0.0 };
                scratch[d] = ((self.p[d] - rho * below) / (1.0 - rho)).max(0.0);
            }
        }
        std::mem::swap(&mut self.p, scratch);
    }

    /// `(E[π(uD)], upper, lower)` with `π(x) = a/(b + x)`, where `upper ≥ E[π(max(uD − e, 0))]`
    /// and `lower ≤ E[π(uD + e)]` for the rounding bound `e` (in capability): the shift is
    /// rounded up to `k = ⌈e/u⌉` whole units, so one table of `π` serves all three sums (one
    /// division per unit).
    pub fn expected_pi(&self, unit: f64, a: f64, b: f64, err: f64) -> (f64, f64, f64) {
        let len = self.p.len();
        let k = if err > 0.0 {
            (err / unit).ceil() as usize
        } else {
            0
        };
        let table: Vec<f64> = (0..len + k).map(|d| a / (b + d as f64 * unit)).collect();
        let (mut mid, mut hi, mut lo) = (0.0, 0.0, 0.0);
        for (d, &p) in self.p.iter().enumerate() {
            mid += p * table[d];
            hi += p * table[d.saturating_sub(k)];
            lo += p * table[d + k];
        }
        (mid, hi, lo)
    }
}

/// The war-model parameters of the engine.
pub(crate) struct Engine<'a> {
    pub r: &'a Resolved,
    /// Sanction cost per aggressor.
    pub sanction: Vec<f64>,
    pub resolution: usize,
}

/// Rounds capability `c` to units of `unit`: (units, |error|).
fn to_units(c: f64, unit: f64) -> (usize, f64) {
    let k = (c / unit).round();
    (k as usize, (c - k * unit).abs())
}

impl Engine<'_> {
    fn unit(&self, resolution: usize) -> f64 {
        let total: f64 = self.r.states.iter().map(|s| s.capability).sum();
        total / resolution.max(1) as f64
    }

    fn finish(
        &self,
        i: usize,
        j: usize,
        dist: &HelperDist,
        unit: f64,
        err: f64,
        responders: Vec<(usize, f64)>,
    ) -> PairOutcome {
        let si = &self.r.states[i];
        let sj = &self.r.states[j];
        let a = si.capability;
        let b = si.capability + sj.capability;
        let (mid, hi, lo) = dist.expected_pi(unit, a, b, err);
        let stake = sj.value + si.loss;
        let fixed = si.loss + si.war_cost + self.sanction[i];
        let eu = |pi: f64| pi * stake - fixed;
        PairOutcome {
            aggressor: i,
            target: j,
            eu: eu(mid),
            eu_lo: eu(lo),
            eu_hi: eu(hi),
            win_probability: mid,
            responders,
            sanction: self.sanction[i],
        }
    }

    /// One pair from scratch at a given resolution.
    pub fn pair_fresh(
        &self,
        i: usize,
        j: usize,
        responders: Vec<(usize, f64)>,
        resolution: usize,
    ) -> PairOutcome {
        let unit = self.unit(resolution);
        let mut dist = HelperDist::point();
        let mut err = 0.0;
        for &(k, rho) in &responders {
            let (c, e) = to_units(self.r.states[k].capability, unit);
            dist.add(c, rho);
            if rho > 0.0 {
                err += e;
            }
        }
        self.finish(i, j, &dist, unit, err, responders)
    }

    /// Refines an undecided pair.
    fn settle(&self, o: PairOutcome) -> PairOutcome {
        if o.eu_lo < 0.0 && o.eu_hi >= 0.0 {
            let (i, j) = (o.aggressor, o.target);
            self.pair_fresh(i, j, o.responders, self.resolution * REFINE_FACTOR)
        } else {
            o
        }
    }

    /// Every (aggressor, member target) pair, with responders from `responders(j, i)`.
    pub fn all_pairs_with(
        &self,
        responders: impl FnMut(usize, usize) -> Vec<(usize, f64)>,
    ) -> Vec<PairOutcome> {
        let n = self.r.n();
        let targets: Vec<(usize, Vec<usize>)> = self
            .r
            .members
            .iter()
            .map(|&j| (j, (0..n).filter(|&i| i != j).collect()))
            .collect();
        self.pairs_for(&targets, responders)
    }

    /// The listed pairs `(target, aggressors)`, sharing one base DP per target.
    pub fn pairs_for(
        &self,
        targets: &[(usize, Vec<usize>)],
        mut responders: impl FnMut(usize, usize) -> Vec<(usize, f64)>,
    ) -> Vec<PairOutcome> {
        let unit = self.unit(self.resolution);
        let units: Vec<(usize, f64)> = self
            .r
            .states
            .iter()
            .map(|s| to_units(s.capability, unit))
            .collect();
        let mut out = Vec::with_capacity(targets.iter().map(|t| t.1.len()).sum());
        let mut scratch = Vec::new();
        let mut work = HelperDist { p: Vec::new() };
        for (j, aggressors) in targets {
            let j = *j;
            let mut base: Option<(Vec<(usize, f64)>, HelperDist)> = None;
            for &i in aggressors {
                let resp = responders(j, i);
                let Some((bl, bd)) = &base else {
                    let o = self.pair_fresh(i, j, resp.clone(), self.resolution);
                    let mut d = HelperDist::point();
                    for &(k, rho) in &resp {
                        d.add(units[k].0, rho);
                    }
                    base = Some((resp, d));
                    out.push(self.settle(o));
                    continue;
                };
                // Merge the sorted lists: items to remove from / add to the base.
                let (mut rem, mut add) = (Vec::new(), Vec::new());
                let (mut x, mut y) = (0, 0);
                while x < bl.len() || y < resp.len() {
                    match (bl.get(x), resp.get(y)) {
                        (Some(&(kb, rb)), Some(&(kr, rr))) if kb == kr => {
                            if rb != rr {
                                rem.push((kb, rb));
                                add.push((kr, rr));
                            }
                            x += 1;
                            y += 1;
                        }
                        (Some(&(kb, rb)), Some(&(kr, _))) if kb < kr => {
                            rem.push((kb, rb));
                            x += 1;
                        }
                        (Some(_), Some(&(kr, rr))) => {
                            add.push((kr, rr));
                            y += 1;
                        }
                        (Some(&(kb, rb)), None) => {
                            rem.push((kb, rb));
                            x += 1;
                        }
                        (None, Some(&(kr, rr))) => {
                            add.push((kr, rr));
                            y += 1;
                        }
                        (None, None) => break,
                    }
                }
                let o = if rem.len() + add.len() > MAX_DIFF {
                    self.pair_fresh(i, j, resp, self.resolution)
                } else {
                    work.p.clear();
                    work.p.extend_from_slice(&bd.p);
                    for &(k, rho) in &rem {
                        work.remove(units[k].0, rho, &mut scratch);
                    }
                    for &(k, rho) in &add {
                        work.add(units[k].0, rho);
                    }
                    let err: f64 = resp
                        .iter()
                        .filter(|(_, r)| *r > 0.0)
                        .map(|&(k, _)| units[k].1)
                        .sum();
                    self.finish(i, j, &work, unit, err, resp)
                };
                out.push(self.settle(o));
            }
        }
        out
    }

    /// EU of a pair when exactly the helpers `h` fight (deterministic, no discretisation).
    pub fn eu_with_helpers(&self, i: usize, j: usize, h: &[usize]) -> f64 {
        let si = &self.r.states[i];
        let sj = &self.r.states[j];
        let d: f64 = h.iter().map(|&k| self.r.states[k].capability).sum();
        let pi = si.capability / (si.capability + sj.capability + d);
        pi * (sj.value + si.loss) - si.loss - si.war_cost - self.sanction[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remove_inverts_add_in_both_directions() {
        for &rho in &[0.0, 0.2, 0.5, 0.75, 1.0] {
            let mut d = HelperDist::point();
            d.add(3, 0.6);
            d.add(5, 0.3);
            let before = d.p.clone();
            d.add(4, rho);
            let mut s = Vec::new();
            d.remove(4, rho, &mut s);
            d.p.resize(before.len(), 0.0);
            for (x, y) in d.p.iter().zip(&before) {
                assert!((x - y).abs() < 1e-12, "rho {rho}: {:?} vs {before:?}", d.p);
            }
        }
    }

    #[test]
    fn distribution_sums_to_one() {
        let mut d = HelperDist::point();
        for (c, r) in [(2, 0.75), (7, 0.5), (1, 0.1)] {
            d.add(c, r);
        }
        assert!((d.p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // P(D = 0) = 0.25 · 0.5 · 0.9
        assert!((d.p[0] - 0.1125).abs() < 1e-12);
    }
}
