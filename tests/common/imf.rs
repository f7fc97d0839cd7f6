//! A seeded synthetic weighted voting game at the IMF's scale, shared by `tests/power.rs` and
//! `benches/power.rs` (each includes this file with `#[path]`), so the test checks the very
//! instance the bench times.

use covenant::game::WeightedVoting;

/// A seeded heavy-tailed weighted voting game at the scale of the IMF Board of Governors:
/// every member has the same basic votes (5.5% of the total, shared equally, as in the IMF's
/// 2008 reform) plus quota votes drawn from a Pareto law with tail index 1.5, scaled so the
/// weights sum to about `total`; simple majority of the votes.
pub fn imf_like(n: usize, total: u64, seed: u64) -> WeightedVoting {
    let mut s = seed;
    let mut uniform = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let raw: Vec<f64> = (0..n).map(|_| uniform().powf(-1.0 / 1.5)).collect();
    let basic = (total as f64 * 0.055 / n as f64).round();
    let rest = total as f64 - basic * n as f64;
    let sum: f64 = raw.iter().sum();
    let w: Vec<u64> = raw
        .iter()
        .map(|r| (basic + (r / sum * rest).round()) as u64)
        .collect();
    let votes: u64 = w.iter().sum();
    WeightedVoting::new(w, votes / 2 + 1).expect("valid game")
}
