//! Treaty benches: full checks of the bundled UN Charter (193 states) and NATO (32 members)
//! snapshots, and their Monte Carlo checks with 100 samples (the CLI's `--samples 1000` takes
//! ten times as long).

use covenant::treaty::{check, load_treaty, CheckOptions, Treaty};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;

fn model(name: &str) -> Treaty {
    let p = format!("{}/models/{name}", env!("CARGO_MANIFEST_DIR"));
    load_treaty(Path::new(&p)).expect("bundled model")
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("treaty");
    g.sample_size(10);
    for (name, file) in [("un_2022", "un_charter.toml"), ("nato_2024", "nato.toml")] {
        let t = model(file);
        g.bench_function(format!("check/{name}"), |b| {
            b.iter(|| check(black_box(&t), &CheckOptions::default()).expect("checkable"))
        });
        let mc = CheckOptions {
            samples: 100,
            seed: 1,
            ..CheckOptions::default()
        };
        if !t.prior.is_empty() {
            g.bench_function(format!("check_samples_100/{name}"), |b| {
                b.iter(|| check(black_box(&t), &mc).expect("checkable"))
            });
        }
    }
    g.finish();
}

criterion_group!(treaty, benches);
criterion_main!(treaty);
