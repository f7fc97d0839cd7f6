//! Benchmarks of the non-cooperative solvers on the reference instances (see
//! `benches/peers/RESULTS.md` for the peers' times on the same games).

use covenant::game::{Bimatrix, NormalForm};
use covenant::lp::Backend;
use covenant::noncoop::{
    correlated_equilibrium, iterated_strict_dominance, pure_equilibria, solve_zero_sum,
    solve_zero_sum_with, stackelberg, CeKind, CeObjective,
};
use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::{ArrayD, IxDyn};
use rand::{rngs::SmallRng, Rng, SeedableRng};
use std::hint::black_box;

const REF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/noncoop");

fn load(name: &str) -> Bimatrix {
    let path = format!("{REF}/{name}.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let m = |k: &str| -> Vec<Vec<f64>> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect()
            })
            .collect()
    };
    Bimatrix::from_rows(&m("A"), &m("B")).unwrap()
}

fn random_game(shape: &[usize], seed: u64) -> NormalForm {
    let mut rng = SmallRng::seed_from_u64(seed);
    let tensors = (0..shape.len())
        .map(|_| ArrayD::from_shape_fn(IxDyn(shape), |_| f64::from(rng.random_range(0..100u8))))
        .collect();
    NormalForm::new(tensors).unwrap()
}

fn zero_sum(c: &mut Criterion) {
    for name in [
        "zerosum_100x100_0",
        "zerosum_300x300_0",
        "zerosum_300x300_1",
    ] {
        let g = load(name);
        c.bench_function(&format!("zero_sum/{name}"), |b| {
            b.iter(|| solve_zero_sum(black_box(&g)).unwrap())
        });
    }
    // The general path (two LPs through good_lp + microlp), for comparison.
    let g = load("zerosum_100x100_0");
    c.bench_function("zero_sum_two_lps_microlp/zerosum_100x100_0", |b| {
        b.iter(|| solve_zero_sum_with(black_box(&g), Backend::Microlp).unwrap())
    });
}

fn pure(c: &mut Criterion) {
    for name in ["bimatrix_100x100_0", "bimatrix_100x100_1"] {
        let g = load(name).to_normal_form();
        c.bench_function(&format!("pure/{name}"), |b| {
            b.iter(|| pure_equilibria(black_box(&g)))
        });
    }
    let g = random_game(&[10, 10, 10, 10], 7);
    c.bench_function("pure/random_10x10x10x10", |b| {
        b.iter(|| pure_equilibria(black_box(&g)))
    });
}

fn dominance(c: &mut Criterion) {
    for name in ["bimatrix_20x20_0", "bimatrix_50x50_0"] {
        let g = load(name).to_normal_form();
        c.bench_function(&format!("dominance/{name}"), |b| {
            b.iter(|| iterated_strict_dominance(black_box(&g)).unwrap())
        });
    }
    let g = random_game(&[6, 6, 6], 11);
    c.bench_function("dominance/random_6x6x6", |b| {
        b.iter(|| iterated_strict_dominance(black_box(&g)).unwrap())
    });
}

fn correlated(c: &mut Criterion) {
    let chicken = NormalForm::from_matrices(
        &[vec![0.0, 7.0], vec![2.0, 6.0]],
        &[vec![0.0, 2.0], vec![7.0, 6.0]],
    )
    .unwrap();
    let g3 = random_game(&[4, 4, 4], 3);
    let g10 = load("bimatrix_10x10_0").to_normal_form();
    for (name, g) in [
        ("chicken", &chicken),
        ("random_4x4x4", &g3),
        ("bimatrix_10x10_0", &g10),
    ] {
        c.bench_function(&format!("correlated/{name}"), |b| {
            b.iter(|| {
                correlated_equilibrium(black_box(g), CeKind::Correlated, CeObjective::Welfare)
                    .unwrap()
            })
        });
        c.bench_function(&format!("coarse_correlated/{name}"), |b| {
            b.iter(|| {
                correlated_equilibrium(black_box(g), CeKind::Coarse, CeObjective::Welfare).unwrap()
            })
        });
    }
}

fn stackelberg_bench(c: &mut Criterion) {
    for name in ["bimatrix_20x20_0", "bimatrix_50x50_0"] {
        let g = load(name);
        c.bench_function(&format!("stackelberg/{name}"), |b| {
            b.iter(|| stackelberg(black_box(&g), 0).unwrap())
        });
    }
}

criterion_group!(
    benches,
    zero_sum,
    pure,
    dominance,
    correlated,
    stackelberg_bench
);
criterion_main!(benches);
