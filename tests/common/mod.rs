//! Helpers shared by the integration tests: reading the peers' reference data in
//! `tests/data` (vendored, see tests/data/README.md). Each test binary uses a subset.
#![allow(dead_code)]

use serde_json::Value;

/// `tests/data/noncoop`.
pub const NONCOOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/noncoop");
/// `tests/data/coop`.
pub const COOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/coop");

/// Parses a JSON file, panicking with the path on failure.
pub fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A JSON array of arrays of numbers as rows.
pub fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .expect("a matrix is an array of rows")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("a row is an array")
                .iter()
                .map(|x| x.as_f64().expect("an entry is a number"))
                .collect()
        })
        .collect()
}

/// A peer's equilibria of a reference game, `equilibria/<stem>__<peer>.json`, each profile
/// flattened (row player's probabilities, then the column player's), in file order.
pub fn peer_profiles(stem: &str, peer: &str) -> Vec<Vec<f64>> {
    let answer = read_json(&format!("{NONCOOP}/equilibria/{stem}__{peer}.json"));
    answer["equilibria"]
        .as_array()
        .expect("a peer answer lists its equilibria")
        .iter()
        .map(|p| matrix(p).concat())
        .collect()
}
