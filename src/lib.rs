//! # covenant
//!
//! Game-theoretic solvers for treaties and collective security.
//!
//! covenant encodes mutual-assistance treaties (NATO Art. 5, the UN Charter, the League
//! Covenant, …) as games, solves them with equilibrium and cooperative solvers over a
//! linear-programming backend, and checks collective-security conditions — deterrence,
//! credible assistance, participation and coalitional stability, equal rules, burden sharing,
//! peaceful settlement, liveness — with a witness whenever one fails.
//!
//! Layers (dependencies point down only):
//!
//! - [`sweep`]: a treaty check over a grid of model parameters (edits of the TOML document).
//! - [`treaty`]: treaty models (TOML) → games; collective-security conditions → a report.
//! - [`noncoop`], [`coop`]: the solvers. Every result carries its certificate (regret,
//!   excess, Kohlberg check), computed by code that shares nothing with the solver
//!   ([`verify`] for equilibria).
//! - [`extensive`]: extensive-form solvers (backward induction, sequence-form LP and LCP),
//!   certified on the tree.
//! - [`game`]: [`game::NormalForm`], [`game::Bimatrix`], [`game::TuGame`],
//!   [`game::WeightedVoting`], [`game::GameTree`].
//! - [`io`]: Gambit `.nfg` and `.efg`, JSON games and trees, coalitional-game JSON.
//! - [`lp`]: the only module that names an LP backend (pure-Rust microlp by default).
//!
//! ## From a payoff matrix to a verified equilibrium
//!
//! ```
//! use covenant::game::Bimatrix;
//! use covenant::noncoop::{enumerate_extreme, lemke_howson};
//! use covenant::verify;
//!
//! // Battle of the sexes: two pure equilibria and one mixed.
//! let g = Bimatrix::from_rows(&[vec![3.0, 0.0], vec![0.0, 2.0]],
//!                             &[vec![2.0, 0.0], vec![0.0, 3.0]])?;
//! let all = enumerate_extreme(&g)?;
//! assert!(all.complete);
//! assert_eq!(all.equilibria.len(), 3);
//!
//! // One equilibrium by Lemke–Howson from label 0, and its certificate.
//! let eq = lemke_howson(&g, 0)?;
//! assert!(eq.regret < 1e-9);
//! // The independent checker agrees: nobody gains by deviating.
//! assert!(verify::regret(&g.to_normal_form(), &eq.strategies)? < 1e-9);
//! // The mixed equilibrium is exact: the row player mixes (3/5, 2/5).
//! let mixed = all.equilibria.iter().find(|e| e.strategies[0][0] > 0.0 && e.strategies[0][0] < 1.0)
//!     .expect("battle of the sexes has a mixed equilibrium");
//! let exact = mixed.exact.as_ref().expect("enumeration is exact");
//! assert_eq!(exact[0][0].to_string(), "3/5");
//! # Ok::<(), covenant::Error>(())
//! ```
//!
//! ## Deterrence as a game tree
//!
//! ```
//! use covenant::extensive::{pure_subgame_perfect, sequence_lcp};
//! use covenant::game::extensive::deterrence::{deterrence_tree, Deterrence};
//!
//! // The defender is Hard with probability 1/4, below the threshold
//! // (u(W) − u(SQ)) / (u(W) − u(DD)) = 1/3 of Zagare & Kilgour: deterrence fails.
//! let t = deterrence_tree(&Deterrence { p_hard: 0.25, ..Default::default() })?;
//! let spe = pure_subgame_perfect(&t)?;
//! assert!(spe.iter().all(|e| e.behaviour[0] == vec![0.0, 1.0])); // Challenge
//! // Lemke on the sequence form; the regret is computed on the tree by independent code.
//! let eq = sequence_lcp(&t)?;
//! assert!(eq.regret < 1e-9);
//! # Ok::<(), covenant::Error>(())
//! ```
//!
//! ## A treaty check
//!
//! ```
//! use covenant::treaty::{check, parse_treaty, CheckOptions, ConditionId, ConditionScope, Verdict};
//!
//! // Two members pledge mutual defence (NATO Art. 5 style: each decides individually).
//! let model = r#"
//! [treaty]
//! name = "Pact"
//! kind = "collective_defense"
//! [[states]]
//! id = "AAA"
//! [[states]]
//! id = "BBB"
//! [[states]]
//! id = "ZZZ"
//! [[obligations]]
//! kind = "defense"
//! trigger = "individual"
//! [[snapshots]]
//! year = 2000
//! members = ["AAA", "BBB"]
//! [snapshots.capability]
//! AAA = 0.3
//! BBB = 0.2
//! ZZZ = 0.4
//! "#;
//! let treaty = parse_treaty(model, "pact.toml".as_ref())?;
//! let report = check(&treaty, &CheckOptions::default())?;
//! for c in &report.conditions {
//!     println!("{} ({}): {} (margin {:.3})", c.id, c.scope.as_str(), c.verdict, c.margin);
//! }
//! let liveness = report.verdict(ConditionId::Liveness, ConditionScope::External);
//! assert_eq!(liveness, Some(Verdict::Holds)); // individual pledges need no organ
//! # Ok::<(), covenant::Error>(())
//! ```
#![warn(missing_docs)]
// The only unsafe code is the calls of the AVX2 kernels (the elimination in noncoop::tableau, the
// row addition of the power-index tables in coop::power), each behind a run-time CPU check, and
// allowed there alone.
#![deny(unsafe_code)]

pub mod coop;
pub mod error;
pub mod extensive;
pub mod game;
pub mod io;
pub mod lp;
pub mod noncoop;
pub mod progress;
pub mod sweep;
pub mod tolerance;
pub mod treaty;
pub mod verify;

pub use error::{Error, Result};
/// Exact rationals, as in [`noncoop::Equilibrium::exact`] and [`coop::PowerIndex::exact`]
/// (re-exported so that research code need not name `num-rational` itself).
pub use num_rational::BigRational;
pub use tolerance::Tolerance;
