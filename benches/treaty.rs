//! Treaty benches: the deterrence DP over every attack scenario of a 193-state charter, and a
//! full check of NATO (32 members).

use covenant::treaty::{
    check, deterrence_pairs, load_treaty, CheckOptions, ObligationKind, StateSet, Treaty,
    TreatyBuilder,
};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;

fn model(name: &str) -> Option<Treaty> {
    let p = format!("{}/models/{name}", env!("CARGO_MANIFEST_DIR"));
    load_treaty(Path::new(&p)).ok()
}

/// 193 members, every member defending every member against anybody; capabilities spread over
/// three orders of magnitude like CINC shares.
fn all_against_one_193() -> Treaty {
    let mut b = TreatyBuilder::new("193 states");
    for k in 0..193 {
        let cap = 0.2 / (1.0 + k as f64).powf(1.3) + 1e-4;
        b = b.state(&format!("S{k:03}"), cap);
    }
    b.obligation(
        ObligationKind::Defense,
        StateSet::Members,
        StateSet::Members,
        StateSet::All,
    )
    .build()
    .expect("valid generated treaty")
}

fn benches(c: &mut Criterion) {
    let un = model("un_charter.toml").unwrap_or_else(all_against_one_193);
    let pairs = deterrence_pairs(&un, CheckOptions::default()).expect("checkable");
    assert_eq!(pairs.len(), 193 * 192, "all ordered pairs");
    c.bench_function("deterrence/un_193_all_pairs", |b| {
        b.iter(|| deterrence_pairs(black_box(&un), CheckOptions::default()))
    });
    if let Some(nato) = model("nato_2024.toml") {
        c.bench_function("check/nato_32", |b| b.iter(|| check(black_box(&nato), &[])));
    }
}

criterion_group! {
    name = treaty;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(treaty);
