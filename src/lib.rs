//! # covenant
//!
//! Game-theoretic solvers for treaties and collective security (crate docs with the doctest
//! land with the solvers).
#![warn(missing_docs)]

pub mod coop;
pub mod error;
pub mod game;
pub mod io;
pub mod lp;
pub mod noncoop;
pub mod tolerance;
pub mod treaty;
pub mod verify;

pub use error::{Error, Result};
pub use tolerance::Tolerance;
