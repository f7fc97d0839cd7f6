//! Non-cooperative solvers: equilibria of normal-form games.
//!
//! Every solver returns [`Equilibrium`] values whose `regret` was computed by
//! [`crate::verify`], which shares no code with the solvers.

use crate::error::Result;
use crate::game::NormalForm;
use crate::verify;
use num_rational::BigRational;

/// A strategy profile with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium {
    /// One probability vector per player.
    pub strategies: Vec<Vec<f64>>,
    /// Expected payoff of each player.
    pub payoffs: Vec<f64>,
    /// Max gain of any player from a unilateral deviation (0 at an exact equilibrium),
    /// computed by [`verify::regret`].
    pub regret: f64,
    /// The same profile as exact rationals, when the solver computed it exactly. Exact for
    /// the game's `f64` payoffs: a game read from a file whose payoffs are not all binary64
    /// numbers (`0.3`, `1/3`) has been rounded first; see [`crate::io::GameFile`], which
    /// says whether that happened and keeps the payoffs as written.
    pub exact: Option<Vec<Vec<BigRational>>>,
}

impl Equilibrium {
    /// Wraps a profile, computing payoffs and regret with the independent checker.
    ///
    /// # Errors
    /// When the profile is malformed for `g`.
    pub fn certify(g: &NormalForm, strategies: Vec<Vec<f64>>) -> Result<Self> {
        let regret = verify::regret(g, &strategies)?;
        let payoffs = verify::expected_payoffs(g, &strategies);
        Ok(Equilibrium {
            strategies,
            payoffs,
            regret,
            exact: None,
        })
    }

    /// Attaches the exact form of the profile.
    pub fn with_exact(mut self, exact: Vec<Vec<BigRational>>) -> Self {
        self.exact = Some(exact);
        self
    }
}

pub mod lemke_howson;
mod reverse_search;
mod scale;
mod tableau;
pub mod vertex_enumeration;

pub use lemke_howson::{
    lemke_howson, lemke_howson_all, lemke_howson_all_with, lemke_howson_all_with_progress,
    lemke_howson_with, Arithmetic, LemkeHowsonOptions,
};
pub use vertex_enumeration::{
    enumerate_extreme, enumerate_extreme_with, EnumerateOptions, Enumeration,
};

pub mod zero_sum;

pub use zero_sum::{solve_zero_sum, solve_zero_sum_with, ZeroSum};
pub mod correlated;
pub mod dominance;
pub mod pure;
pub mod stackelberg;

pub use correlated::{
    correlated_equilibrium, correlated_equilibrium_with_progress, CeKind, CeObjective,
    CorrelatedEquilibrium, CE_SIZE_LIMIT,
};
pub use dominance::{iterated_strict_dominance, Dominance, Elimination};
pub use pure::{pure_equilibria, pure_profile};
pub use stackelberg::{stackelberg, Stackelberg};
