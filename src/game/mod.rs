//! Game representations. This layer knows nothing of solvers.
//!
//! - [`NormalForm`]: n-player strategic games with dense payoff tensors.
//! - [`Bimatrix`]: the two-player view used by the bimatrix algorithms.
//! - [`tu`]: transferable-utility (coalitional) games.
//! - [`voting`]: weighted voting games.
//! - [`Bankruptcy`]: bankruptcy (claims) games.
//! - [`extensive`]: extensive-form games ([`GameTree`]) and the bundled deterrence trees.

mod bankruptcy;
mod bimatrix;
mod normal_form;

pub use bankruptcy::Bankruptcy;
pub use bimatrix::Bimatrix;
pub use normal_form::NormalForm;
pub mod extensive;
pub mod tu;
pub mod voting;

pub use extensive::tree;
pub use extensive::{GameTree, InfoSet, Node, NodeKind, TreeSpec};
pub use tu::{Coalition, CoalitionalGame, TuGame};
pub use voting::WeightedVoting;
