//! The war model: the aggressor's win probability and expected utility, with helpers who fight
//! with their reliability (independently or under a common shock).
//!
//! With helpers `H` fighting, aggressor `i` wins against target `j` with
//! `π(H) = a / (a + t + Σ_{k∈H} c_k)`, `a = c_i→j`, `t = c_j→j`, `c_k = c_k→j` (capabilities
//! projected with the loss-of-strength gradient). The aggressor's expected utility is
//! `EU = E[π]·(V_j + L_i) − L_i − κ_i − s_i`; the status quo is worth 0, so the attack is
//! deterred iff `EU < 0`.
//!
//! **Exact bracket.** `E[π]` is computed by a subset-sum DP over the helpers' capability in
//! units `u`; "big" helpers (`c_k ≥ u`) are rounded to whole units (total rounding error `E`),
//! "small" ones are bounded analytically: given the big helpers' total `D_b`, `π` is convex
//! and decreasing in the small helpers' total `S ∈ [0, C_s]` with mean `μ_s`, so Jensen gives
//! `π(D_b + μ_s) ≤ E[π | D_b]` and the chord gives
//! `E[π | D_b] ≤ π(D_b)·(1 − μ_s/C_s) + π(D_b + C_s)·μ_s/C_s`. With `D_b ∈ [D̃ − E, D̃ + E]` the
//! returned `[lo, hi]` contains the exact `E[π]`; when it straddles the deterrence threshold the
//! caller refines with a finer unit.
//!
//! **Common shock.** With probability `λ` a helper follows a coin `U` shared by all helpers,
//! else its own: given `U = u`, helper `k` fights independently with probability
//! `λ·[u < ρ_k] + (1 − λ)·ρ_k`. That is constant between consecutive distinct `ρ_k`, so
//! `E[π]` is an exact finite mixture of independent models. Marginals stay `ρ_k`.

use super::model::HelpCorrelation;

/// Default number of units the scale `a + t` is divided into.
pub const DEFAULT_RESOLUTION: usize = 256;
/// Finest resolution, used when coarser brackets straddle the threshold.
pub const FINE_RESOLUTION: usize = 16384;
/// The passes: (resolution, longest DP in units). Each pass is tried only while the bracket
/// still straddles the threshold; the unit cap bounds the time per scenario when the helpers
/// dwarf the aggressor and the target.
const PASSES: [(usize, usize); 3] = [
    (DEFAULT_RESOLUTION, 1024),
    (2048, 8192),
    (FINE_RESOLUTION, 1 << 16),
];

/// `π(D) = a / (a + t + D)`.
#[inline]
pub fn win_probability(a: f64, t: f64, d: f64) -> f64 {
    a / (a + t + d)
}

/// `E[π]` with a rigorous bracket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExpectedWin {
    /// Point estimate.
    pub point: f64,
    /// Lower end of the bracket.
    pub lo: f64,
    /// Upper end of the bracket.
    pub hi: f64,
}

/// `E[π]` when each helper `(c_k, ρ_k)` fights with its reliability.
pub fn expected_win(
    a: f64,
    t: f64,
    helpers: &[(f64, f64)],
    help: HelpCorrelation,
    resolution: usize,
) -> ExpectedWin {
    match help {
        HelpCorrelation::CommonShock(lambda) if lambda > 0.0 && helpers.len() > 1 => {
            let mut cuts: Vec<f64> = helpers.iter().map(|h| h.1).collect();
            cuts.push(0.0);
            cuts.push(1.0);
            cuts.sort_by(f64::total_cmp);
            cuts.dedup();
            let mut acc = ExpectedWin {
                point: 0.0,
                lo: 0.0,
                hi: 0.0,
            };
            let mut q = Vec::with_capacity(helpers.len());
            for w in cuts.windows(2) {
                let len = w[1] - w[0];
                if len <= 0.0 {
                    continue;
                }
                let mid = 0.5 * (w[0] + w[1]);
                q.clear();
                q.extend(helpers.iter().map(|&(c, r)| {
                    let common = if mid < r { 1.0 } else { 0.0 };
                    (c, lambda * common + (1.0 - lambda) * r)
                }));
                let e = independent(a, t, &q, resolution);
                acc.point += len * e.point;
                acc.lo += len * e.lo;
                acc.hi += len * e.hi;
            }
            acc
        }
        _ => independent(a, t, helpers, resolution),
    }
}

fn independent(a: f64, t: f64, helpers: &[(f64, f64)], resolution: usize) -> ExpectedWin {
    let live: Vec<(f64, f64)> = helpers
        .iter()
        .copied()
        .filter(|&(c, r)| c > 0.0 && r > 0.0)
        .collect();
    if live.is_empty() {
        let p = win_probability(a, t, 0.0);
        return ExpectedWin {
            point: p,
            lo: p,
            hi: p,
        };
    }
    let total: f64 = live.iter().map(|h| h.0).sum();
    let scale = a + t;
    let max_units = PASSES
        .iter()
        .find(|p| p.0 >= resolution)
        .map_or(1 << 16, |p| p.1);
    let unit = (scale / resolution as f64).max(total / max_units as f64);
    let (mut c_small, mut mu_small, mut err, mut shift) = (0.0, 0.0, 0.0, 0.0);
    let mut dist = vec![1.0];
    let mut next: Vec<f64> = Vec::new();
    for &(c, r) in &live {
        if c < unit {
            c_small += c;
            mu_small += r * c;
            continue;
        }
        let units = (c / unit).round();
        err += (c - units * unit).abs();
        // The point estimate puts back each item's mean rounding error (exact for sure helpers).
        shift += r * (c - units * unit);
        // next[d] = (1 − r)·dist[d] + r·dist[d − k], in two passes over separate buffers so
        // that both vectorise.
        let k = units as usize;
        let old = dist.len();
        next.clear();
        next.resize(old + k, 0.0);
        for (n, &x) in next.iter_mut().zip(&dist) {
            *n = x * (1.0 - r);
        }
        for (n, &x) in next[k..].iter_mut().zip(&dist) {
            *n += x * r;
        }
        std::mem::swap(&mut dist, &mut next);
    }
    let f = if c_small > 0.0 {
        mu_small / c_small
    } else {
        0.0
    };
    let (mut point, mut lo, mut hi) = (0.0, 0.0, 0.0);
    for (d, &p) in dist.iter().enumerate() {
        if p == 0.0 {
            continue;
        }
        let dt = d as f64 * unit;
        point += p * win_probability(a, t, (dt + mu_small + shift).max(0.0));
        lo += p * win_probability(a, t, dt + err + mu_small);
        let x = (dt - err).max(0.0);
        hi += p * (win_probability(a, t, x) * (1.0 - f) + win_probability(a, t, x + c_small) * f);
    }
    ExpectedWin {
        point,
        lo: lo.min(point),
        hi: hi.max(point),
    }
}

/// The aggressor's expected utility, with its bracket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Eu {
    /// Point estimate.
    pub eu: f64,
    /// Lower end of the rigorous bracket.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Expected win probability (point).
    pub win: f64,
}

impl Eu {
    /// Deterred: `EU < 0`, decided by the bracket, by the point estimate only when the bracket
    /// still straddles 0 at the finest resolution.
    pub fn deterred(&self) -> bool {
        if self.hi < 0.0 {
            true
        } else if self.lo >= 0.0 {
            false
        } else {
            self.eu < 0.0
        }
    }
}

/// Stakes of the attack: what the aggressor gains, loses, pays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stakes {
    /// `V_j`.
    pub value: f64,
    /// `L_i`.
    pub loss: f64,
    /// `κ_i + s_i`.
    pub cost: f64,
}

impl Stakes {
    /// `EU` at a win probability.
    #[inline]
    pub fn eu(&self, win: f64) -> f64 {
        win * (self.value + self.loss) - self.loss - self.cost
    }
}

/// `EU` with helpers fighting with their reliability, refined while the bracket straddles 0.
///
/// With `point = false` only the verdict is wanted (Monte Carlo): when certain help by every
/// helper still leaves `EU >= 0`, or no help at all leaves `EU < 0`, or Jensen's lower bound
/// `π(E[D])` or the chord upper bound of `E[π]` already decides the sign, the verdict is
/// decided without the DP and `eu` is that bound (on the verdict's side of 0).
pub fn expected_utility(
    a: f64,
    t: f64,
    helpers: &[(f64, f64)],
    help: HelpCorrelation,
    stakes: Stakes,
    point: bool,
) -> Eu {
    if !point {
        let total: f64 = helpers.iter().map(|h| h.0).sum();
        let none = win_probability(a, t, 0.0);
        let all = win_probability(a, t, total);
        let (lo, hi) = (stakes.eu(all), stakes.eu(none));
        if hi < 0.0 {
            return Eu {
                eu: hi,
                lo,
                hi,
                win: none,
            };
        }
        if lo >= 0.0 {
            return Eu {
                eu: lo,
                lo,
                hi,
                win: all,
            };
        }
        // Two more bounds that need no DP, valid for any joint law of the help `D ∈ [0, C]`
        // with mean `μ = Σ ρ_k c_k` (independent or common shock alike), since `π` is convex
        // and decreasing in `D`: Jensen, `E[π] ≥ π(μ)`; and the chord through `(0, π(0))` and
        // `(C, π(C))`, `E[π] ≤ π(0)(1 − μ/C) + π(C) μ/C` (the all-or-nothing law). `EU` grows
        // with `E[π]`, so either may settle the verdict.
        let mean: f64 = helpers.iter().map(|h| h.0 * h.1).sum();
        let jensen = win_probability(a, t, mean);
        if stakes.eu(jensen) >= 0.0 {
            return Eu {
                eu: stakes.eu(jensen),
                lo: stakes.eu(jensen),
                hi,
                win: jensen,
            };
        }
        if total > 0.0 {
            let f = (mean / total).clamp(0.0, 1.0);
            let chord = none * (1.0 - f) + all * f;
            if stakes.eu(chord) < 0.0 {
                return Eu {
                    eu: stakes.eu(chord),
                    lo,
                    hi: stakes.eu(chord),
                    win: chord,
                };
            }
        }
    }
    let mut w = expected_win(a, t, helpers, help, PASSES[0].0);
    for &(res, _) in &PASSES[1..] {
        if !(stakes.eu(w.lo) < 0.0 && stakes.eu(w.hi) >= 0.0) {
            break;
        }
        w = expected_win(a, t, helpers, help, res);
    }
    Eu {
        eu: stakes.eu(w.point),
        lo: stakes.eu(w.lo),
        hi: stakes.eu(w.hi),
        win: w.point,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over all 2^m helper subsets.
    fn brute(a: f64, t: f64, h: &[(f64, f64)]) -> f64 {
        let m = h.len();
        (0..1u32 << m)
            .map(|mask| {
                let (mut p, mut d) = (1.0, 0.0);
                for (k, &(c, r)) in h.iter().enumerate() {
                    if mask >> k & 1 == 1 {
                        p *= r;
                        d += c;
                    } else {
                        p *= 1.0 - r;
                    }
                }
                p * win_probability(a, t, d)
            })
            .sum()
    }

    #[test]
    fn bracket_contains_the_brute_force_expectation() {
        let h = [
            (0.3, 0.75),
            (0.01, 0.5),
            (0.002, 0.9),
            (0.12, 0.6),
            (0.0004, 0.75),
        ];
        let exact = brute(0.2, 0.05, &h);
        for res in [16, 256, 8192] {
            let e = expected_win(0.2, 0.05, &h, HelpCorrelation::Independent, res);
            assert!(
                e.lo <= exact + 1e-12 && exact <= e.hi + 1e-12,
                "{res}: {e:?} vs {exact}"
            );
        }
        let fine = expected_win(0.2, 0.05, &h, HelpCorrelation::Independent, 8192);
        assert!((fine.point - exact).abs() < 1e-3);
    }

    #[test]
    fn common_shock_with_lambda_one_is_all_or_nothing_for_equal_reliability() {
        // λ = 1, every ρ = 0.5: all help (prob 1/2) or none (prob 1/2).
        let h = [(0.1, 0.5), (0.2, 0.5)];
        let e = expected_win(0.3, 0.1, &h, HelpCorrelation::CommonShock(1.0), 8192);
        let expect = 0.5 * win_probability(0.3, 0.1, 0.3) + 0.5 * win_probability(0.3, 0.1, 0.0);
        assert!((e.point - expect).abs() < 1e-3, "{e:?} vs {expect}");
        assert!(e.lo <= expect + 1e-12 && expect <= e.hi + 1e-12);
    }

    #[test]
    fn common_shock_keeps_the_mean_help_but_raises_the_win_probability() {
        // Correlated help is riskier for the target: π is convex, so E[π] rises with variance.
        let h = [(0.1, 0.75), (0.1, 0.75), (0.1, 0.75)];
        let ind = expected_win(0.2, 0.1, &h, HelpCorrelation::Independent, 8192).point;
        let cor = expected_win(0.2, 0.1, &h, HelpCorrelation::CommonShock(0.8), 8192).point;
        assert!(cor > ind, "{cor} <= {ind}");
    }

    #[test]
    fn eu_is_negative_when_the_target_side_is_overwhelming() {
        let s = Stakes {
            value: 1.0,
            loss: 1.0,
            cost: 0.1,
        };
        let eu = expected_utility(
            0.1,
            0.1,
            &[(1.0, 1.0)],
            HelpCorrelation::Independent,
            s,
            true,
        );
        // π = 0.1 / 1.2; EU = π·2 − 1.1.
        assert!((eu.eu - (0.1 / 1.2 * 2.0 - 1.1)).abs() < 1e-9);
        assert!(eu.deterred());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// The verdict-only path (Monte Carlo: the no-help / all-help bounds, Jensen and the
        /// chord before any DP) gives the same verdict as the exact bracket and as brute force.
        #[test]
        fn verdict_only_agrees_with_the_exact_expectation(
            a in 0.01f64..1.0,
            t in 0.0f64..0.5,
            h in proptest::collection::vec((0.0f64..1.0, 0.0f64..1.0), 0..9),
            cost in 0.0f64..0.5,
            shock in proptest::option::of(0.0f64..1.0),
        ) {
            let st = Stakes { value: 1.0, loss: 1.0, cost };
            let help = shock.map_or(HelpCorrelation::Independent, HelpCorrelation::CommonShock);
            let fast = expected_utility(a, t, &h, help, st, false);
            let full = expected_utility(a, t, &h, help, st, true);
            // Independent help: compare with brute force (bracket-free).
            if shock.is_none() {
                let exact = st.eu(brute(a, t, &h));
                if exact.abs() > 1e-3 {
                    proptest::prop_assert_eq!(fast.deterred(), exact < 0.0, "{:?} vs {}", fast, exact);
                }
            }
            if full.lo >= 0.0 || full.hi < 0.0 {
                proptest::prop_assert_eq!(fast.deterred(), full.deterred());
            }
        }
    }
}
