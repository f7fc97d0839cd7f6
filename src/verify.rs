//! Independent certificate checks.
//!
//! This module shares no code with the solvers: it recomputes expected payoffs by summing over
//! pure profiles, straight from the definitions, so that a solver bug cannot hide behind its own
//! arithmetic. Solvers use it to attach a regret to each result; tests use it to check them.

use crate::error::{Error, Result};
use crate::game::NormalForm;
use crate::tolerance::Tolerance;

/// Checks that `profile` has one probability vector per player, of the right length, with
/// non-negative finite entries summing to 1 (within `tol`).
///
/// # Errors
/// [`Error::InvalidArgument`] naming the player and the defect.
pub fn check_profile(g: &NormalForm, profile: &[Vec<f64>], tol: Tolerance) -> Result<()> {
    if profile.len() != g.num_players() {
        return Err(Error::invalid_argument(format!(
            "profile has {} strategies for {} players",
            profile.len(),
            g.num_players()
        )));
    }
    for (p, (x, &k)) in profile.iter().zip(g.shape()).enumerate() {
        if x.len() != k {
            return Err(Error::invalid_argument(format!(
                "player {p}'s strategy has {} entries, expected {k}",
                x.len()
            )));
        }
        if let Some(v) = x.iter().find(|v| !v.is_finite() || **v < -tol.abs) {
            return Err(Error::invalid_argument(format!(
                "player {p}'s strategy has entry {v}"
            )));
        }
        let s: f64 = x.iter().sum();
        if !tol.eq(s, 1.0) {
            return Err(Error::invalid_argument(format!(
                "player {p}'s strategy sums to {s}, not 1"
            )));
        }
    }
    Ok(())
}

/// For each player `p` and each of `p`'s actions `a`, the expected payoff of playing `a`
/// against the others' mixed strategies: `deviation[p][a]`.
pub fn deviation_payoffs(g: &NormalForm, profile: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = g.num_players();
    let mut out: Vec<Vec<f64>> = g.shape().iter().map(|&k| vec![0.0; k]).collect();
    // Payoffs in the same row-major order as `profiles()`.
    let tensors: Vec<Vec<f64>> = g
        .payoff_tensors()
        .iter()
        .map(|t| t.iter().copied().collect())
        .collect();
    for (flat, prof) in g.profiles().enumerate() {
        for p in 0..n {
            let mut w = 1.0;
            for (q, &a) in prof.iter().enumerate() {
                if q != p {
                    w *= profile[q][a];
                }
            }
            if w != 0.0 {
                out[p][prof[p]] += w * tensors[p][flat];
            }
        }
    }
    out
}

/// Expected payoff of each player under a mixed profile.
pub fn expected_payoffs(g: &NormalForm, profile: &[Vec<f64>]) -> Vec<f64> {
    deviation_payoffs(g, profile)
        .iter()
        .zip(profile)
        .map(|(dev, x)| dev.iter().zip(x).map(|(u, p)| u * p).sum())
        .collect()
}

/// The regret of a mixed profile: the most any player gains by switching to a pure strategy,
/// `max_p (max_a u_p(a, x_{-p}) - u_p(x))`, never below 0. A Nash equilibrium has regret 0.
///
/// # Errors
/// When the profile is malformed ([`check_profile`] with [`Tolerance::LP`]).
pub fn regret(g: &NormalForm, profile: &[Vec<f64>]) -> Result<f64> {
    check_profile(g, profile, Tolerance::LP)?;
    let dev = deviation_payoffs(g, profile);
    let mut worst: f64 = 0.0;
    for (d, x) in dev.iter().zip(profile) {
        let current: f64 = d.iter().zip(x).map(|(u, p)| u * p).sum();
        let best = d.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        worst = worst.max(best - current);
    }
    Ok(worst)
}

/// The regret of a distribution over pure profiles as a correlated equilibrium (`coarse =
/// false`: the largest gain of any player from replacing a recommended action by another) or
/// as a coarse correlated equilibrium (`coarse = true`: the largest gain from ignoring the
/// recommendation altogether and always playing one action).
///
/// Gains are in expectation over the whole distribution (unconditional), so the value is 0
/// exactly for a (coarse) correlated equilibrium.
///
/// # Errors
/// A profile of the wrong length or an action out of range, a negative or non-finite
/// probability, or probabilities not summing to 1.
pub fn correlated_regret(g: &NormalForm, dist: &[(Vec<usize>, f64)], coarse: bool) -> Result<f64> {
    let n = g.num_players();
    let shape = g.shape();
    let mut total = 0.0;
    for (prof, pr) in dist {
        if prof.len() != n || prof.iter().zip(shape).any(|(&a, &k)| a >= k) {
            return Err(Error::invalid_argument(format!(
                "profile {prof:?} does not fit the game's shape {shape:?}"
            )));
        }
        if !pr.is_finite() || *pr < -Tolerance::LP.abs {
            return Err(Error::invalid_argument(format!(
                "profile {prof:?} has probability {pr}"
            )));
        }
        total += pr;
    }
    if !Tolerance::LP.eq(total, 1.0) {
        return Err(Error::invalid_argument(format!(
            "probabilities sum to {total}, not 1"
        )));
    }
    let mut worst: f64 = 0.0;
    for p in 0..n {
        let k = shape[p];
        if coarse {
            let current: f64 = dist.iter().map(|(s, pr)| pr * g.payoff(p, s)).sum();
            for b in 0..k {
                let dev: f64 = dist
                    .iter()
                    .map(|(s, pr)| {
                        let mut t = s.clone();
                        t[p] = b;
                        pr * g.payoff(p, &t)
                    })
                    .sum();
                worst = worst.max(dev - current);
            }
        } else {
            for a in 0..k {
                for b in 0..k {
                    if a == b {
                        continue;
                    }
                    let gain: f64 = dist
                        .iter()
                        .filter(|(s, _)| s[p] == a)
                        .map(|(s, pr)| {
                            let mut t = s.clone();
                            t[p] = b;
                            pr * (g.payoff(p, &t) - g.payoff(p, s))
                        })
                        .sum();
                    worst = worst.max(gain);
                }
            }
        }
    }
    Ok(worst)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pennies() -> NormalForm {
        NormalForm::from_matrices(
            &[vec![1.0, -1.0], vec![-1.0, 1.0]],
            &[vec![-1.0, 1.0], vec![1.0, -1.0]],
        )
        .unwrap()
    }

    #[test]
    fn matching_pennies_half_half_has_zero_regret() {
        let g = pennies();
        let x = vec![vec![0.5, 0.5], vec![0.5, 0.5]];
        assert!(regret(&g, &x).unwrap().abs() < 1e-12);
        assert_eq!(expected_payoffs(&g, &x), vec![0.0, 0.0]);
    }

    #[test]
    fn pure_profile_of_pennies_has_regret_two() {
        let g = pennies();
        let x = vec![vec![1.0, 0.0], vec![1.0, 0.0]];
        assert!((regret(&g, &x).unwrap() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn malformed_profiles_are_errors() {
        let g = pennies();
        assert!(regret(&g, &[vec![1.0, 0.0]]).is_err());
        assert!(regret(&g, &[vec![0.7, 0.7], vec![0.5, 0.5]]).is_err());
        assert!(regret(&g, &[vec![f64::NAN, 1.0], vec![0.5, 0.5]]).is_err());
        assert!(regret(&g, &[vec![1.0], vec![0.5, 0.5]]).is_err());
    }

    #[test]
    fn chicken_traffic_light_is_a_correlated_equilibrium() {
        // Chicken: (D,D)=0,0 (D,C)=7,2 (C,D)=2,7 (C,C)=6,6 with D=0, C=1.
        let g = NormalForm::from_matrices(
            &[vec![0.0, 7.0], vec![2.0, 6.0]],
            &[vec![0.0, 2.0], vec![7.0, 6.0]],
        )
        .unwrap();
        let d = vec![
            (vec![0, 1], 1.0 / 3.0),
            (vec![1, 0], 1.0 / 3.0),
            (vec![1, 1], 1.0 / 3.0),
        ];
        assert!(correlated_regret(&g, &d, false).unwrap() < 1e-12);
        assert!(correlated_regret(&g, &d, true).unwrap() < 1e-12);
        // Recommending (C,C) always is not: each would rather dare.
        let d = vec![(vec![1, 1], 1.0)];
        assert!((correlated_regret(&g, &d, false).unwrap() - 1.0).abs() < 1e-12);
    }
}
