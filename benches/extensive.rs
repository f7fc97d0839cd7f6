//! Benchmarks of the extensive-form solvers on the bundled trees, on scaled-up Kuhn poker
//! (the same betting rounds with an `n`-card deck) and on Leduc hold'em with `r` ranks in two
//! suits (`leduc_r`; Leduc itself is `r = 3`), where the sequence-form LCP has thousands of
//! rows and revised (sparse) pivoting is compared with the dense tableau.

use covenant::extensive::{
    backward_induction, reduced_strategic_form, sequence_lcp, sequence_lcp_with, sequence_lp,
    Pivoting, SequenceLcpOptions,
};
use covenant::game::GameTree;
use covenant::io::read_efg;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;

#[path = "../tests/extensive_common/mod.rs"]
mod extensive_common;
use extensive_common::{kuhn, leduc};

fn model(name: &str) -> GameTree {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models/games")
        .join(name);
    read_efg(&path).unwrap()
}

fn zero_sum(c: &mut Criterion) {
    let k3 = model("kuhn_poker.efg");
    c.bench_function("extensive/sequence_lp/kuhn_poker", |b| {
        b.iter(|| sequence_lp(black_box(&k3)).unwrap())
    });
    for n in [13, 52] {
        let t = kuhn(n);
        c.bench_function(&format!("extensive/sequence_lp/kuhn_poker_{n}"), |b| {
            b.iter(|| sequence_lp(black_box(&t)).unwrap())
        });
    }
}

fn general_sum(c: &mut Criterion) {
    for name in [
        "kuhn_poker",
        "deterrence_incomplete_information",
        "deterrence_credible",
        "deterrence_not_credible",
        "escalation_ladder",
    ] {
        let t = model(&format!("{name}.efg"));
        c.bench_function(&format!("extensive/sequence_lcp/{name}"), |b| {
            b.iter(|| sequence_lcp(black_box(&t)).unwrap())
        });
    }
    let t = kuhn(13);
    c.bench_function("extensive/sequence_lcp/kuhn_poker_13", |b| {
        b.iter(|| sequence_lcp(black_box(&t)).unwrap())
    });
}

/// Dense tableau against revised pivoting on Leduc hold'em (seconds per solve: ten samples).
fn large_trees(c: &mut Criterion) {
    let mut g = c.benchmark_group("extensive/sequence_lcp_large");
    g.sample_size(10);
    for (ranks, ways) in [
        (3, &[Pivoting::Dense, Pivoting::Revised][..]),
        (5, &[Pivoting::Revised][..]),
    ] {
        let t = leduc(ranks, 2);
        for &pivoting in ways {
            let opts = SequenceLcpOptions {
                pivoting,
                ..Default::default()
            };
            let name = format!("leduc_{ranks}/{}", format!("{pivoting:?}").to_lowercase());
            g.bench_function(&name, |b| {
                b.iter(|| sequence_lcp_with(black_box(&t), &opts).unwrap())
            });
        }
    }
    g.finish();
}

fn perfect_information(c: &mut Criterion) {
    let t = model("escalation_ladder.efg");
    c.bench_function("extensive/spe/escalation_ladder", |b| {
        b.iter(|| backward_induction(black_box(&t)).unwrap())
    });
    let k = model("kuhn_poker.efg");
    c.bench_function("extensive/reduced_form/kuhn_poker", |b| {
        b.iter(|| reduced_strategic_form(black_box(&k)).unwrap())
    });
}

criterion_group!(
    benches,
    zero_sum,
    general_sum,
    perfect_information,
    large_trees
);
criterion_main!(benches);
