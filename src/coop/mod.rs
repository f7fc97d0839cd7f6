//! Cooperative solvers: core, least core, nucleolus, Shapley and Banzhaf values, power indices
//! of weighted voting games, and coalition structures.

pub mod power;
pub mod shapley;

pub use power::{banzhaf_power, shapley_shubik, swing_counts, BanzhafPower, PowerIndex};
pub use shapley::{
    banzhaf, banzhaf_normalized, banzhaf_sampled, shapley, shapley_sampled, SampledValues,
};
