//! Solvers for extensive-form games ([`GameTree`]).
//!
//! - [`spe`]: backward induction, every subgame-perfect equilibrium in pure behaviour
//!   strategies of a perfect-information game (exact ties).
//! - [`pure`]: pure equilibria by enumeration for small trees: agent-form equilibria and
//!   subgame-perfect equilibria of games with imperfect information.
//! - [`reduced`]: the reduced strategic form ([`crate::game::NormalForm`]) of a tree, so every
//!   normal-form solver applies, and the conversions between mixed and behaviour strategies.
//! - [`sequence`]: the sequence form (Koller, Megiddo & von Stengel 1996) and realisation plans.
//! - [`sequence_lp`]: value and optimal behaviour strategies of two-player zero-sum trees.
//! - [`sequence_lcp`]: Lemke's algorithm on the sequence-form LCP of two-player trees.
//! - [`certify`]: expected payoffs and regret of a behaviour profile, computed on the tree by
//!   code that shares nothing with the solvers.
//!
//! A behaviour profile is a `Vec<Vec<f64>>` with one probability vector per information set,
//! in the order of [`GameTree::infosets`].

pub mod certify;
mod product_form;
pub mod pure;
pub mod reduced;
pub mod sequence;
pub mod sequence_lcp;
pub mod sequence_lp;
pub mod spe;

pub use certify::{best_response_value, expected_payoffs, tree_regret};
pub use pure::{agent_form_pure_equilibria, pure_subgame_perfect};
pub use reduced::{behaviour_to_mixed, mixed_to_behaviour, reduced_strategic_form, ReducedForm};
pub use sequence::SequenceForm;
pub use sequence_lcp::{
    sequence_lcp, sequence_lcp_many, sequence_lcp_with, Covering, Pivoting, SequenceLcpOptions,
    DENSE_MAX,
};
pub use sequence_lp::{sequence_lp, sequence_lp_with, TreeZeroSum};
pub use spe::backward_induction;

use crate::error::Result;
use crate::game::GameTree;
use num_rational::BigRational;

/// A behaviour profile of a tree with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeEquilibrium {
    /// One probability vector per information set (order of [`GameTree::infosets`]).
    pub behaviour: Vec<Vec<f64>>,
    /// Expected payoff of each player, computed by [`certify::expected_payoffs`].
    pub payoffs: Vec<f64>,
    /// Largest gain of any player from a deviation to any strategy of the tree, computed by
    /// [`certify::tree_regret`] (0 at an exact equilibrium).
    pub regret: f64,
    /// The same profile as exact rationals, when the solver computed it exactly.
    pub exact: Option<Vec<Vec<BigRational>>>,
}

impl TreeEquilibrium {
    /// Wraps a behaviour profile, computing payoffs and regret with the independent checker.
    ///
    /// # Errors
    /// When the profile is malformed for `t` or `t` lacks perfect recall.
    pub fn certify(t: &GameTree, behaviour: Vec<Vec<f64>>) -> Result<Self> {
        let regret = certify::tree_regret(t, &behaviour)?;
        let payoffs = certify::expected_payoffs(t, &behaviour)?;
        Ok(TreeEquilibrium {
            behaviour,
            payoffs,
            regret,
            exact: None,
        })
    }

    /// Certifies an exact profile (its float image is certified; the exact form is kept).
    ///
    /// # Errors
    /// As [`TreeEquilibrium::certify`].
    pub fn certify_exact(t: &GameTree, exact: Vec<Vec<BigRational>>) -> Result<Self> {
        let float = exact
            .iter()
            .map(|v| v.iter().map(crate::game::tree::rational_to_f64).collect())
            .collect();
        let mut e = Self::certify(t, float)?;
        e.exact = Some(exact);
        Ok(e)
    }

    /// The pure action at each information set, when the profile is pure.
    pub fn pure_actions(&self) -> Option<Vec<usize>> {
        self.behaviour
            .iter()
            .map(|b| b.iter().position(|&p| p == 1.0))
            .collect()
    }
}
