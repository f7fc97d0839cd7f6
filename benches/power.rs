//! Shapley/Banzhaf values of the reference TU games and power indices of weighted voting
//! games. Peer timings (benches/peers/RESULTS.md;coopgame-py exact Shapley n = 16:
//! 4–8 ms; tucoopy's Shapley–Shubik DP: 7.7 s at 50 members, 150 s at 100).

use std::hint::black_box;

use covenant::coop::{bankruptcy_nucleolus, banzhaf, banzhaf_power, shapley, shapley_shubik};
use covenant::game::{Bankruptcy, TuGame, WeightedVoting};
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "../tests/common/imf.rs"]
mod imf;
use imf::imf_like;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/coop/");

fn load(stem: &str) -> TuGame {
    let text = std::fs::read_to_string(format!("{DIR}{stem}.json")).expect("reference game");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let n = doc["n"].as_u64().expect("n") as usize;
    let v = doc["v"]
        .as_array()
        .expect("v")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect();
    TuGame::new(n, v).expect("valid game")
}

fn values(c: &mut Criterion) {
    for kind in ["convex", "random", "superadditive", "synergy"] {
        for n in [12, 14, 16] {
            let stem = format!("{kind}_n{n}");
            let g = load(&stem);
            c.bench_function(&format!("shapley/{stem}"), |b| {
                b.iter(|| shapley(black_box(&g)).unwrap())
            });
            c.bench_function(&format!("banzhaf/{stem}"), |b| {
                b.iter(|| banzhaf(black_box(&g)).unwrap())
            });
        }
    }
}

/// Weights 1..=1000 from a fixed linear congruential stream (reproducible without rand).
fn wvg(n: usize, max: u64, seed: u64) -> WeightedVoting {
    let mut s = seed;
    let w: Vec<u64> = (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 33) % max + 1
        })
        .collect();
    let total: u64 = w.iter().sum();
    WeightedVoting::new(w, total / 2 + 1).expect("valid game")
}

fn power(c: &mut Criterion) {
    let mut w = vec![7u64; 5];
    w.extend([1u64; 10]);
    let unsc = WeightedVoting::new(w, 39).expect("valid game");
    c.bench_function("banzhaf_power/un_security_council", |b| {
        b.iter(|| banzhaf_power(black_box(&unsc)))
    });
    c.bench_function("shapley_shubik/un_security_council", |b| {
        b.iter(|| shapley_shubik(black_box(&unsc)))
    });
    let big = wvg(200, 1000, 2024);
    c.bench_function("banzhaf_power/wvg_200_w1000", |b| {
        b.iter(|| banzhaf_power(black_box(&big)))
    });
    let unga = WeightedVoting::new(vec![1; 193], 129).expect("valid game");
    c.bench_function("shapley_shubik/un_general_assembly_193", |b| {
        b.iter(|| shapley_shubik(black_box(&unga)))
    });
    // IMF Board of Governors scale (Kurz 2016): 190 members, about 2.1 million votes.
    let imf = imf_like(190, 2_100_000, 2016);
    c.bench_function("banzhaf_power/imf_like_190", |b| {
        b.iter(|| banzhaf_power(black_box(&imf)))
    });
    let mut slow = c.benchmark_group("shapley_shubik");
    slow.sample_size(10);
    slow.bench_function("wvg_200_w1000", |b| {
        b.iter(|| shapley_shubik(black_box(&big)))
    });
    // Exact, within the default memory cap (98,146,278 cells, 375 MiB).
    slow.bench_function("imf_like_190", |b| {
        b.iter(|| shapley_shubik(black_box(&imf)).unwrap())
    });
    slow.finish();
}

/// The Talmud rule with its contested-garment certificate at 100 claimants (issue 11: coopgame
/// takes 15 s by constraint generation), claims 1..=1000 seeded, estate a third of the total.
fn bankruptcy(c: &mut Criterion) {
    let claims: Vec<f64> = wvg(100, 1000, 2026).rules()[0]
        .weights
        .iter()
        .map(|&w| w as f64)
        .collect();
    let estate = (claims.iter().sum::<f64>() / 3.0).round();
    let g = Bankruptcy::new(estate, claims).expect("valid game");
    c.bench_function("bankruptcy_nucleolus/claims_100", |b| {
        b.iter(|| bankruptcy_nucleolus(black_box(&g)).unwrap())
    });
}

criterion_group!(benches, values, power, bankruptcy);
criterion_main!(benches);
