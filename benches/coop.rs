//! Cooperative solvers on the reference games (tests/data/coop, the same instances the
//! peers timed: benches/peers/RESULTS.md) and on a generated 20-player game.

use std::hint::black_box;

use covenant::coop::{least_core, nucleolus, optimal_coalition_structure, prenucleolus, Domain};
use covenant::game::{Coalition, TuGame};
use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};

const REF_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/coop");

const KINDS: [&str; 4] = ["synergy", "superadditive", "convex", "random"];
const SIZES: [usize; 6] = [5, 8, 10, 12, 14, 16];

/// A reference game by stem, or `None` when the vendored file is missing or unreadable.
fn reference_game(stem: &str) -> Option<TuGame> {
    let text = std::fs::read_to_string(format!("{REF_DIR}/{stem}.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let n = v["n"].as_u64()? as usize;
    let vals = v["v"]
        .as_array()?
        .iter()
        .map(|x| x.as_f64())
        .collect::<Option<Vec<_>>>()?;
    TuGame::new(n, vals).ok()
}

/// `random` kind of the peers' generator: v(S) ~ U{0..10|S|}, v(N) raised to keep the
/// imputation set non-empty (seeded).
fn random_game(n: usize, seed: u64) -> TuGame {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut v: Vec<f64> = (0..1u64 << n)
        .map(|m| rng.random_range(0..=10 * Coalition(m).len() as u64) as f64)
        .collect();
    v[0] = 0.0;
    let single: f64 = (0..n).map(|i| v[1 << i]).sum();
    let last = v.len() - 1;
    v[last] = v[last].max(single);
    TuGame::new(n, v).expect("generated values are finite with v(∅) = 0")
}

fn games() -> Vec<(String, TuGame)> {
    let mut out = Vec::new();
    for n in SIZES {
        for kind in KINDS {
            let stem = format!("{kind}_n{n:02}");
            if let Some(g) = reference_game(&stem) {
                out.push((stem, g));
            }
        }
    }
    out.push(("random_n20".into(), random_game(20, 20_260_420)));
    out
}

type Solver = fn(&TuGame) -> covenant::Result<covenant::coop::Nucleolus>;

fn bench_nucleolus(c: &mut Criterion) {
    let games = games();
    let solvers: [(&str, Solver); 2] = [("nucleolus", nucleolus), ("prenucleolus", prenucleolus)];
    for (name, solve) in solvers {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        for (stem, g) in &games {
            group.bench_function(stem.as_str(), |b| b.iter(|| solve(black_box(g)).unwrap()));
        }
        group.finish();
    }
    let mut group = c.benchmark_group("least_core");
    group.sample_size(10);
    for (stem, g) in &games {
        group.bench_function(stem.as_str(), |b| {
            b.iter(|| least_core(black_box(g), Domain::Preimputations).unwrap())
        });
    }
    group.finish();
}

fn bench_structure(c: &mut Criterion) {
    let mut group = c.benchmark_group("structure");
    group.sample_size(10);
    for n in [12usize, 14, 16] {
        for kind in ["superadditive", "random"] {
            let stem = format!("{kind}_n{n}");
            let g = reference_game(&stem).unwrap_or_else(|| random_game(n, n as u64));
            group.bench_function(stem.as_str(), |b| {
                b.iter(|| optimal_coalition_structure(black_box(&g)).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_nucleolus, bench_structure);
criterion_main!(benches);
