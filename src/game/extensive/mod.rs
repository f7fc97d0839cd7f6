//! Extensive-form games: the [`GameTree`] type ([`tree`]) and constructors of the deterrence
//! trees of the international-relations literature ([`deterrence`]).

pub mod deterrence;
pub mod tree;

pub use deterrence::{
    deterrence_tree, extended_deterrence_tree, Deterrence, ExtendedDeterrence, OutcomePayoffs,
};
pub use tree::{rational_from_f64, rational_to_f64, GameTree, InfoSet, Node, NodeKind, TreeSpec};
