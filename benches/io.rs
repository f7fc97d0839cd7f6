//! Parsing speed of the game readers (issue 11: `.nfg` and game JSON at 200 MB/s or more).
//!
//! The files are generated here, seeded: bimatrix games of 100x100 and 300x300 with two-digit
//! integer payoffs, as the reference games have, written as Gambit `.nfg` (payoff dialect)
//! and as bimatrix JSON; and a 300x300 game with three-decimal payoffs (`0.317`), which are
//! not binary64 numbers, to time the exact-payoff bookkeeping. Criterion reports MB/s.

use covenant::game::NormalForm;
use covenant::io::{parse_game_json, parse_game_json_file, parse_nfg, parse_nfg_file, write_nfg};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::{rngs::SmallRng, Rng, SeedableRng};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

/// A seeded m x n bimatrix game with payoffs drawn by `draw`.
fn game(m: usize, n: usize, seed: u64, draw: impl Fn(&mut SmallRng) -> f64) -> NormalForm {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut matrix = || -> Vec<Vec<f64>> {
        (0..m)
            .map(|_| (0..n).map(|_| draw(&mut rng)).collect())
            .collect()
    };
    let (a, b) = (matrix(), matrix());
    NormalForm::from_matrices(&a, &b).expect("a valid game")
}

/// The bimatrix JSON form `{"A": [[..]], "B": [[..]]}`, one row per line, as the reference
/// files are written.
fn bimatrix_json(g: &NormalForm) -> String {
    let (m, n) = (g.shape()[0], g.shape()[1]);
    let mut s = String::from("{");
    for (p, key) in ["A", "B"].into_iter().enumerate() {
        let _ = write!(s, "{}\"{key}\": [", if p == 0 { "" } else { ", " });
        for i in 0..m {
            s.push_str(if i == 0 { "[" } else { ",\n  [" });
            for j in 0..n {
                let _ = write!(
                    s,
                    "{}{}",
                    if j == 0 { "" } else { ", " },
                    g.payoff(p, &[i, j])
                );
            }
            s.push(']');
        }
        s.push(']');
    }
    s.push('}');
    s
}

fn parsing(c: &mut Criterion) {
    let file = Path::new("<bench>");
    let integers = |rng: &mut SmallRng| f64::from(rng.random_range(0..100u8));
    let decimals = |rng: &mut SmallRng| f64::from(rng.random_range(0..1000u16)) / 1000.0;
    let mut group = c.benchmark_group("parse");
    for (label, g) in [
        ("100x100", game(100, 100, 1, integers)),
        ("300x300", game(300, 300, 2, integers)),
        ("300x300_decimal", game(300, 300, 3, decimals)),
    ] {
        let nfg = write_nfg(&g);
        let json = bimatrix_json(&g);
        group.throughput(Throughput::Bytes(nfg.len() as u64));
        group.bench_function(format!("nfg_{label}"), |b| {
            assert_eq!(parse_nfg(&nfg, file).unwrap(), g);
            b.iter(|| parse_nfg_file(black_box(&nfg), file).unwrap())
        });
        group.throughput(Throughput::Bytes(json.len() as u64));
        group.bench_function(format!("json_{label}"), |b| {
            let back = parse_game_json(&json, file).unwrap();
            assert_eq!(back.payoff_tensors(), g.payoff_tensors());
            b.iter(|| parse_game_json_file(black_box(&json), file).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, parsing);
criterion_main!(benches);
