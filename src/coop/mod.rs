//! Cooperative solvers: core, least core, nucleolus, Shapley and Banzhaf values, power indices
//! of weighted voting games, and coalition structures.
