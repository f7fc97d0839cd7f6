//! Benchmarks of the extensive-form solvers on the bundled trees and on scaled-up Kuhn poker
//! (the same betting rounds with an `n`-card deck).

use covenant::extensive::{backward_induction, reduced_strategic_form, sequence_lcp, sequence_lp};
use covenant::game::{GameTree, TreeSpec};
use covenant::io::read_efg;
use criterion::{criterion_group, criterion_main, Criterion};
use num_rational::BigRational;
use std::hint::black_box;
use std::path::Path;

fn model(name: &str) -> GameTree {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models/games")
        .join(name);
    read_efg(&path).unwrap()
}

/// Kuhn poker with cards `0..n` (Kuhn 1950 is `n = 3`): ante 1, one bet of 1.
fn kuhn(n: usize) -> GameTree {
    let mut deals = Vec::new();
    for a in 0..n {
        for b in 0..n {
            if a == b {
                continue;
            }
            let win: i64 = if a > b { 1 } else { -1 };
            let p1 = format!("1:{a}");
            let p2c = format!("2:{b}c");
            let p1cb = format!("1:{a}cb");
            let p2b = format!("2:{b}b");
            let tree = TreeSpec::decision(
                0,
                &p1,
                vec![
                    (
                        "Check",
                        TreeSpec::decision(
                            1,
                            &p2c,
                            vec![
                                ("Check", TreeSpec::leaf(&[win, -win])),
                                (
                                    "Bet",
                                    TreeSpec::decision(
                                        0,
                                        &p1cb,
                                        vec![
                                            ("Fold", TreeSpec::leaf(&[-1, 1])),
                                            ("Call", TreeSpec::leaf(&[2 * win, -2 * win])),
                                        ],
                                    ),
                                ),
                            ],
                        ),
                    ),
                    (
                        "Bet",
                        TreeSpec::decision(
                            1,
                            &p2b,
                            vec![
                                ("Fold", TreeSpec::leaf(&[1, -1])),
                                ("Call", TreeSpec::leaf(&[2 * win, -2 * win])),
                            ],
                        ),
                    ),
                ],
            );
            deals.push((format!("{a}{b}"), tree));
        }
    }
    let p = BigRational::new(1.into(), (deals.len() as i64).into());
    let root = TreeSpec::chance(
        deals
            .iter()
            .map(|(name, t)| (name.as_str(), p.clone(), t.clone()))
            .collect(),
    );
    GameTree::new(vec!["1".into(), "2".into()], root).unwrap()
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

criterion_group!(benches, zero_sum, general_sum, perfect_information);
criterion_main!(benches);
