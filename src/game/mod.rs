//! Game representations. This layer knows nothing of solvers.
//!
//! - [`NormalForm`]: n-player strategic games with dense payoff tensors.
//! - [`Bimatrix`]: the two-player view used by the bimatrix algorithms.
//! - [`tu`]: transferable-utility (coalitional) games.
//! - [`voting`]: weighted voting games.

mod bimatrix;
mod normal_form;

pub use bimatrix::Bimatrix;
pub use normal_form::NormalForm;
pub mod tu;
pub mod voting;

pub use tu::{Coalition, CoalitionalGame, TuGame};
pub use voting::WeightedVoting;
