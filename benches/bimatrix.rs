//! Bimatrix equilibria: Lemke–Howson and extreme-equilibrium enumeration on the reference
//! games (the peers' times on the same games: benches/peers/RESULTS.md) and a seeded random 300x300 game.

use covenant::game::Bimatrix;
use covenant::noncoop::{enumerate_extreme, lemke_howson};
use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use std::hint::black_box;

fn reference(stem: &str) -> Bimatrix {
    let path = format!(
        "{}/tests/data/noncoop/{stem}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable reference"))
            .expect("valid JSON");
    let mat = |v: &serde_json::Value| -> Vec<Vec<f64>> {
        v.as_array()
            .expect("matrix")
            .iter()
            .map(|r| {
                r.as_array()
                    .expect("row")
                    .iter()
                    .map(|x| x.as_f64().expect("number"))
                    .collect()
            })
            .collect()
    };
    Bimatrix::from_rows(&mat(&v["A"]), &mat(&v["B"])).expect("valid game")
}

/// Integer payoffs in 0..=100, like the reference games.
fn random_game(m: usize, n: usize, seed: u64) -> Bimatrix {
    let mut rng = rand::rngs::SmallRng::seed_from_u64(seed);
    let mut draw = || {
        (0..m)
            .map(|_| {
                (0..n)
                    .map(|_| f64::from(rng.random_range(0..=100u32)))
                    .collect()
            })
            .collect::<Vec<Vec<f64>>>()
    };
    let (a, b) = (draw(), draw());
    Bimatrix::from_rows(&a, &b).expect("valid game")
}

fn bench_lemke_howson(c: &mut Criterion) {
    // The zero-sum 300x300 game is the one QuantEcon's 300x300 LH time was measured on.
    for stem in [
        "bimatrix_100x100_0",
        "bimatrix_100x100_1",
        "zerosum_300x300_0",
    ] {
        let g = reference(stem);
        c.bench_function(&format!("lemke_howson/{stem}"), |b| {
            b.iter(|| lemke_howson(black_box(&g), 0).expect("equilibrium"))
        });
    }
    let g = random_game(300, 300, 300);
    c.bench_function("lemke_howson/random_300x300", |b| {
        b.iter(|| lemke_howson(black_box(&g), 0).expect("equilibrium"))
    });
}

fn bench_enumerate(c: &mut Criterion) {
    for stem in ["bimatrix_10x10_0", "bimatrix_10x10_1"] {
        let g = reference(stem);
        c.bench_function(&format!("enumerate/{stem}"), |b| {
            b.iter(|| enumerate_extreme(black_box(&g)).expect("enumeration"))
        });
    }
}

fn bench_enumerate_large(c: &mut Criterion) {
    let mut group = c.benchmark_group("enumerate");
    group.sample_size(10);
    let g = reference("bimatrix_20x20_0");
    group.bench_function("bimatrix_20x20_0", |b| {
        b.iter(|| enumerate_extreme(black_box(&g)).expect("enumeration"))
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_lemke_howson,
    bench_enumerate,
    bench_enumerate_large
);
criterion_main!(benches);
