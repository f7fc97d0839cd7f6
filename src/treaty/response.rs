//! The response game after an attack: pledged responders choose to help or abstain.
//!
//! Responder `k` (projected capability `c_k`, stake `W_k` in the target, war cost `κ_k`,
//! reneging cost `R_k`) gets, with `H` the helpers,
//!
//! `u_k(H) = (1 − π(H))·W_k − κ_k·[k ∈ H] − R_k·[k ∉ H]`,
//! `π(H) = a / (a + t + Σ_{h∈H} c_h)`.
//!
//! It is a weighted potential game (Monderer & Shapley 1996): for `W_k > 0`,
//! `u_k / W_k` differs from `Φ(H) = −π(H) − Σ_{h∈H} κ_h/W_h − Σ_{h∉H} R_h/W_h` by a term that
//! does not depend on `k`'s action, and a responder with `W_k = 0` has a dominant action. Every
//! improvement path is therefore finite and ends in a pure equilibrium.
//!
//! **Selection.** covenant selects the equilibrium reached by improvement steps from the
//! promise — every pledger helping — visiting responders from the strongest to the weakest:
//! pledges are honoured unless a pledger gains by defecting given what the others do. It is
//! the equilibrium "closest to the promise" in the sense that nobody defects who would not
//! defect at some point of that path; with strategic substitutes (help is worth less when others
//! help) the first defectors are the weakest, whose help changes `π` least.

use crate::error::{Error, Result};
use crate::game::NormalForm;
use ndarray::{ArrayD, IxDyn};

/// Largest response game compiled into a dense [`NormalForm`] (2^12 profiles).
pub const MAX_NORMAL_FORM_RESPONDERS: usize = 12;

/// Action index of "help".
pub const HELP: usize = 0;
/// Action index of "abstain".
pub const ABSTAIN: usize = 1;

/// One responder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Responder {
    /// State index.
    pub state: usize,
    /// Projected capability `c_k→j`.
    pub capability: f64,
    /// Stake `W_kj`.
    pub stake: f64,
    /// War cost `κ_k`.
    pub war_cost: f64,
    /// Reneging cost `R_k`.
    pub reneging_cost: f64,
}

/// The response game of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseGame {
    /// Aggressor's projected capability `a`.
    pub aggressor_capability: f64,
    /// Target's own capability `t`.
    pub target_capability: f64,
    /// The players, strongest first.
    pub responders: Vec<Responder>,
}

impl ResponseGame {
    /// Builds the game; responders are sorted strongest first (ties by state index).
    pub fn new(a: f64, t: f64, mut responders: Vec<Responder>) -> Self {
        // The order is total (ties by state), so an unstable sort gives the same order.
        responders.sort_unstable_by(|x, y| {
            y.capability
                .total_cmp(&x.capability)
                .then(x.state.cmp(&y.state))
        });
        ResponseGame {
            aggressor_capability: a,
            target_capability: t,
            responders,
        }
    }

    fn pi(&self, d: f64) -> f64 {
        super::war::win_probability(self.aggressor_capability, self.target_capability, d)
    }

    /// Total capability of a help profile.
    fn help_sum(&self, help: &[bool]) -> f64 {
        self.responders
            .iter()
            .zip(help)
            .filter(|(_, &h)| h)
            .map(|(r, _)| r.capability)
            .sum()
    }

    /// Payoff of responder `k` in a pure profile.
    pub fn payoff(&self, k: usize, help: &[bool]) -> f64 {
        let r = &self.responders[k];
        let survive = 1.0 - self.pi(self.help_sum(help));
        survive * r.stake - if help[k] { r.war_cost } else { r.reneging_cost }
    }

    /// `u_k(help) − u_k(abstain)` given the others' profile.
    pub fn gain_from_helping(&self, k: usize, help: &[bool]) -> f64 {
        let r = &self.responders[k];
        let others = self.help_sum(help) - if help[k] { r.capability } else { 0.0 };
        (self.pi(others) - self.pi(others + r.capability)) * r.stake - r.war_cost + r.reneging_cost
    }

    /// The selected equilibrium (see the module docs): improvement steps from "everyone
    /// helps", strongest responder first.
    pub fn select_equilibrium(&self) -> Vec<bool> {
        let m = self.responders.len();
        let mut help = vec![true; m];
        let mut sum = self.help_sum(&help);
        // The weighted potential strictly rises at every step, so this terminates; the cap
        // guards against float cycles on exact ties.
        for _ in 0..(4 * m + 4) {
            let mut changed = false;
            for (k, r) in self.responders.iter().enumerate() {
                let others = sum - if help[k] { r.capability } else { 0.0 };
                let gain = (self.pi(others) - self.pi(others + r.capability)) * r.stake
                    - r.war_cost
                    + r.reneging_cost;
                let want = gain >= 0.0;
                if want != help[k] {
                    help[k] = want;
                    sum = others + if want { r.capability } else { 0.0 };
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        help
    }

    /// Whether a pure profile is an equilibrium (no responder gains by switching).
    pub fn is_equilibrium(&self, help: &[bool]) -> bool {
        (0..self.responders.len()).all(|k| {
            let g = self.gain_from_helping(k, help);
            if help[k] {
                g >= -1e-12
            } else {
                g <= 1e-12
            }
        })
    }

    /// The uniform reneging cost `R*` that makes "everyone helps" an equilibrium:
    /// `max(0, max_k κ_k − (π(K∖k) − π(K))·W_k)`.
    pub fn uniform_reneging_cost(&self) -> f64 {
        let all = vec![true; self.responders.len()];
        let sum = self.help_sum(&all);
        self.responders
            .iter()
            .map(|r| r.war_cost - (self.pi(sum - r.capability) - self.pi(sum)) * r.stake)
            .fold(0.0, f64::max)
    }

    /// The dense normal form (players = responders, actions help/abstain), for the independent
    /// certificate by [`crate::verify`].
    ///
    /// # Errors
    /// [`Error::TooLarge`] above [`MAX_NORMAL_FORM_RESPONDERS`] responders (or none).
    pub fn to_normal_form(&self) -> Result<NormalForm> {
        let m = self.responders.len();
        if m == 0 || m > MAX_NORMAL_FORM_RESPONDERS {
            return Err(Error::TooLarge(format!(
                "a response game with {m} responders: the dense normal form is built for 1 to \
                 {MAX_NORMAL_FORM_RESPONDERS} (2^{MAX_NORMAL_FORM_RESPONDERS} profiles)"
            )));
        }
        let shape = vec![2usize; m];
        let mut payoffs: Vec<ArrayD<f64>> = (0..m).map(|_| ArrayD::zeros(IxDyn(&shape))).collect();
        let mut help = vec![false; m];
        let mut idx = vec![0usize; m];
        for mask in 0..(1usize << m) {
            for k in 0..m {
                let abstain = mask >> k & 1 == 1;
                help[k] = !abstain;
                idx[k] = if abstain { ABSTAIN } else { HELP };
            }
            for (k, table) in payoffs.iter_mut().enumerate() {
                table[IxDyn(&idx)] = self.payoff(k, &help);
            }
        }
        NormalForm::new(payoffs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn responder(state: usize, c: f64, w: f64, kappa: f64, r: f64) -> Responder {
        Responder {
            state,
            capability: c,
            stake: w,
            war_cost: kappa,
            reneging_cost: r,
        }
    }

    #[test]
    fn a_helper_whose_help_barely_moves_pi_defects_without_reneging_costs() {
        // a = 1, t = 0.1; big helper c = 1 moves π a lot, tiny helper c = 0.001 barely.
        let g = ResponseGame::new(
            1.0,
            0.1,
            vec![
                responder(0, 1.0, 1.0, 0.1, 0.0),
                responder(1, 0.001, 1.0, 0.1, 0.0),
            ],
        );
        let h = g.select_equilibrium();
        assert_eq!(h, vec![true, false]);
        assert!(g.is_equilibrium(&h));
        // Reneging cost above κ makes helping dominant.
        let g2 = ResponseGame::new(
            1.0,
            0.1,
            vec![
                responder(0, 1.0, 1.0, 0.1, 0.0),
                responder(1, 0.001, 1.0, 0.1, 0.2),
            ],
        );
        assert_eq!(g2.select_equilibrium(), vec![true, true]);
        // R* is the tiny helper's κ minus its tiny effect.
        let rstar = g.uniform_reneging_cost();
        assert!(rstar > 0.099 && rstar < 0.1, "{rstar}");
    }
}
