//! Cooperative solvers: core, least core, nucleolus, Shapley and Banzhaf values, power indices
//! of weighted voting games, and coalition structures.

pub mod bankruptcy_nucleolus;
pub mod core;
pub mod nucleolus;
pub mod structure;

pub use self::bankruptcy_nucleolus::{
    bankruptcy_nucleolus, certify_contested_garment, BankruptcyNucleolus,
    ContestedGarmentCertificate,
};
pub use self::core::{
    core_check, core_nonempty, least_core, CoreCheck, CoreStatus, Domain, LeastCore,
};
pub use self::nucleolus::{
    kohlberg_criterion, nucleolus, nucleolus_with_progress, prenucleolus,
    prenucleolus_with_progress, Nucleolus,
};
pub use self::structure::{
    optimal_coalition_structure, stable_structure, structure_core, CoalitionStructure,
    StableStructure, StructureCore, MAX_STRUCTURE_PLAYERS,
};
pub mod power;
pub mod separation;
pub mod shapley;

pub use power::{
    banzhaf_power, banzhaf_power_with_progress, shapley_shubik, shapley_shubik_with_limit,
    shapley_shubik_with_progress, swing_counts, BanzhafPower, PowerIndex,
};
pub use shapley::{
    banzhaf, banzhaf_normalized, banzhaf_sampled, shapley, shapley_sampled, SampledValues,
};
