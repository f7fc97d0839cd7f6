//! Sequence form: the zero-sum LP and Lemke's algorithm on the LCP, certified on the tree.

mod extensive_common;

use approx::assert_abs_diff_eq;
use covenant::extensive::{
    reduced_strategic_form, sequence_lcp, sequence_lcp_with, sequence_lp, tree_regret, Covering,
    Pivoting, SequenceLcpOptions,
};
use covenant::game::Bimatrix;
use covenant::io::read_efg;
use covenant::noncoop::{solve_zero_sum, Arithmetic};
use extensive_common::{random_tree, Shape};
use proptest::prelude::*;
use std::path::Path;

fn kuhn() -> covenant::game::GameTree {
    read_efg(Path::new("models/games/kuhn_poker.efg")).unwrap()
}

#[test]
fn kuhn_poker_value_is_minus_one_eighteenth_by_the_lp() {
    // Kuhn (1950): the game's value to player 1 is -1/18.
    let z = sequence_lp(&kuhn()).unwrap();
    assert_abs_diff_eq!(z.value, -1.0 / 18.0, epsilon = 1e-9);
    assert!(
        z.equilibrium.regret < 1e-9,
        "regret {}",
        z.equilibrium.regret
    );
    assert_abs_diff_eq!(z.equilibrium.payoffs[0], -1.0 / 18.0, epsilon = 1e-9);
}

#[test]
fn kuhn_poker_by_lemke_is_an_equilibrium_with_the_value() {
    let eq = sequence_lcp(&kuhn()).unwrap();
    assert!(eq.regret < 1e-9, "regret {}", eq.regret);
    assert_abs_diff_eq!(eq.payoffs[0], -1.0 / 18.0, epsilon = 1e-9);
}

#[test]
fn kuhn_poker_exact_lemke_gives_rationals() {
    let eq = covenant::extensive::sequence_lcp_with(
        &kuhn(),
        &SequenceLcpOptions {
            arithmetic: Arithmetic::Exact,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(eq.regret < 1e-12, "regret {}", eq.regret);
    assert!(eq.exact.is_some());
    // Player 2 with the King always calls a bet (a strictly dominant action).
    let t = kuhn();
    let s = t.infosets().iter().position(|s| s.label == "2Kb").unwrap();
    assert_eq!(eq.exact.as_ref().unwrap()[s][1].to_string(), "1");
}

#[test]
fn non_zero_sum_tree_is_refused_by_the_lp() {
    let t = read_efg(Path::new("models/games/deterrence_credible.efg")).unwrap();
    let e = sequence_lp(&t).unwrap_err().to_string();
    assert!(e.contains("zero-sum"), "{e}");
}

#[test]
fn bad_covering_vector_is_an_error() {
    let e = sequence_lcp_with(
        &kuhn(),
        &SequenceLcpOptions {
            covering: Covering::Vector(vec![1, 2]),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("covering vector"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn lp_value_equals_the_zero_sum_value_of_the_reduced_form(seed in any::<u64>()) {
        let t = random_tree(seed, Shape { players: 2, perfect_information: false, zero_sum: true, max_depth: 4, chance: true });
        let z = sequence_lp(&t).unwrap();
        prop_assert!(z.equilibrium.regret < 1e-6, "regret {}", z.equilibrium.regret);
        let r = reduced_strategic_form(&t).unwrap();
        let b = Bimatrix::try_from(&r.game).unwrap();
        let v = solve_zero_sum(&b).unwrap().value;
        prop_assert!((z.value - v).abs() < 1e-6, "sequence LP {} vs reduced form {}", z.value, v);
    }

    #[test]
    fn lemke_finds_an_equilibrium_of_random_general_sum_trees(seed in any::<u64>(), cover in 0u64..4) {
        let t = random_tree(seed, Shape { players: 2, perfect_information: false, zero_sum: false, max_depth: 4, chance: true });
        let covering = if cover == 0 { Covering::Ones } else { Covering::Random(cover) };
        let eq = sequence_lcp_with(&t, &SequenceLcpOptions { covering, ..Default::default() }).unwrap();
        prop_assert!(eq.regret < 1e-6, "regret {}", eq.regret);
        prop_assert_eq!(tree_regret(&t, &eq.behaviour).unwrap(), eq.regret);
    }

    #[test]
    fn exact_lemke_has_zero_regret(seed in any::<u64>()) {
        let t = random_tree(seed, Shape { players: 2, perfect_information: false, zero_sum: false, max_depth: 3, chance: true });
        let eq = sequence_lcp_with(&t, &SequenceLcpOptions { arithmetic: Arithmetic::Exact, ..Default::default() }).unwrap();
        prop_assert!(eq.regret < 1e-12, "regret {}", eq.regret);
        prop_assert!(eq.exact.is_some());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn relabelling_actions_keeps_the_lp_value(seed in any::<u64>()) {
        let t = random_tree(seed, Shape { players: 2, perfect_information: false, zero_sum: true, max_depth: 4, chance: true });
        let u = covenant::game::GameTree::new(t.players().to_vec(), extensive_common::reversed(&t.to_spec())).unwrap();
        let (a, b) = (sequence_lp(&t).unwrap().value, sequence_lp(&u).unwrap().value);
        prop_assert!((a - b).abs() < 1e-7, "{} vs {}", a, b);
    }

    #[test]
    fn lemke_equilibrium_is_a_nash_equilibrium_of_the_reduced_form(seed in any::<u64>()) {
        let t = random_tree(seed, Shape { players: 2, perfect_information: false, zero_sum: false, max_depth: 3, chance: true });
        let eq = sequence_lcp(&t).unwrap();
        let r = reduced_strategic_form(&t).unwrap();
        let mixed = covenant::extensive::behaviour_to_mixed(&t, &r, &eq.behaviour).unwrap();
        prop_assert!(covenant::verify::regret(&r.game, &mixed).unwrap() < 1e-6);
        let back = covenant::extensive::mixed_to_behaviour(&t, &r, &mixed).unwrap();
        prop_assert!(tree_regret(&t, &back).unwrap() < 1e-6);
    }
}

#[test]
fn several_covering_vectors_find_several_equilibria() {
    // A coordination game in sequence (player 2 does not see player 1's move): two pure
    // equilibria and a mixed one; ones and random covering vectors reach more than one.
    use covenant::game::{GameTree, TreeSpec};
    let t = GameTree::new(
        vec!["1".into(), "2".into()],
        TreeSpec::decision(
            0,
            "a",
            vec![
                (
                    "A",
                    TreeSpec::decision(
                        1,
                        "b",
                        vec![
                            ("A", TreeSpec::leaf(&[2, 1])),
                            ("B", TreeSpec::leaf(&[0, 0])),
                        ],
                    ),
                ),
                (
                    "B",
                    TreeSpec::decision(
                        1,
                        "b",
                        vec![
                            ("A", TreeSpec::leaf(&[0, 0])),
                            ("B", TreeSpec::leaf(&[1, 2])),
                        ],
                    ),
                ),
            ],
        ),
    )
    .unwrap();
    let all = covenant::extensive::sequence_lcp_many(&t, 12, 7).unwrap();
    assert!(all.len() >= 2, "found {}", all.len());
    assert!(all.iter().all(|e| e.regret < 1e-9));
}

#[test]
fn kuhn_poker_with_13_cards_is_solved_on_the_float_path() {
    // The float path must not need the (much slower) exact redo on this degenerate LCP: a
    // version that built the LCP in floating point ended on a wrong basis here.
    let t = extensive_common::kuhn(13);
    let eq = sequence_lcp(&t).unwrap();
    assert!(eq.regret < 1e-9, "regret {}", eq.regret);
    assert!(
        eq.exact.is_none(),
        "the float path failed and the exact redo ran"
    );
    let z = sequence_lp(&t).unwrap();
    assert!((z.value - eq.payoffs[0]).abs() < 1e-7);
}

fn lcp_with(
    t: &covenant::game::GameTree,
    pivoting: Pivoting,
    arithmetic: Arithmetic,
    covering: Covering,
) -> covenant::Result<covenant::extensive::TreeEquilibrium> {
    sequence_lcp_with(
        t,
        &SequenceLcpOptions {
            covering,
            arithmetic,
            pivoting,
            ..Default::default()
        },
    )
}

fn assert_same_behaviour(a: &[Vec<f64>], b: &[Vec<f64>], what: &str) {
    for (s, (u, v)) in a.iter().zip(b).enumerate() {
        for (x, y) in u.iter().zip(v) {
            assert!((x - y).abs() < 1e-7, "{what}: set {s}: {u:?} vs {v:?}");
        }
    }
}

#[test]
fn revised_and_dense_pivoting_reach_the_same_equilibrium_on_every_bundled_tree() {
    let mut files = Vec::new();
    for dir in ["models/games", "tests/data/efg"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "efg") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut solved = 0;
    for p in &files {
        let t = read_efg(p).unwrap();
        for covering in [Covering::Ones, Covering::Random(1), Covering::Random(2)] {
            let what = format!("{} {covering:?}", p.display());
            let dense = lcp_with(&t, Pivoting::Dense, Arithmetic::Exact, covering.clone());
            let revised = lcp_with(&t, Pivoting::Revised, Arithmetic::Exact, covering.clone());
            let (dense, revised) = match (dense, revised) {
                (Ok(d), Ok(r)) => (d, r),
                // Trees that are not two-player or lack perfect recall: the same error.
                (Err(d), Err(r)) => {
                    assert_eq!(d.to_string(), r.to_string(), "{what}");
                    continue;
                }
                (d, r) => panic!("{what}: dense {d:?} vs revised {r:?}"),
            };
            // In exact arithmetic both take the same pivots: the same rationals.
            assert_eq!(dense.exact, revised.exact, "{what}");
            assert!(revised.regret < 1e-12, "{what}: regret {}", revised.regret);
            let float = lcp_with(&t, Pivoting::Revised, Arithmetic::FloatThenExact, covering);
            let float = float.unwrap();
            assert!(float.regret < 1e-9, "{what}: regret {}", float.regret);
            assert_same_behaviour(&float.behaviour, &dense.behaviour, &what);
            solved += 1;
        }
    }
    // Kuhn poker, the four deterrence trees and the Gambit examples with two players.
    assert!(solved >= 3 * 7, "solved {solved}");
}

#[test]
fn leduc_poker_value_and_lemke_equilibrium_by_revised_pivoting() {
    // Leduc hold'em: value -0.0856 to the first player (Southey et al. 2005's game, as solved
    // in the counterfactual-regret literature, e.g. Lanctot et al., NIPS 2009).
    let t = extensive_common::leduc(3, 2);
    let z = sequence_lp(&t).unwrap();
    assert_abs_diff_eq!(z.value, -0.0856, epsilon = 5e-5);
    let eq = lcp_with(
        &t,
        Pivoting::Revised,
        Arithmetic::FloatThenExact,
        Covering::Ones,
    )
    .unwrap();
    assert!(eq.regret < 1e-9, "regret {}", eq.regret);
    assert!(eq.exact.is_none(), "the float path failed");
    assert_abs_diff_eq!(eq.payoffs[0], z.value, epsilon = 1e-7);
}

#[test]
#[ignore = "the dense tableau takes about 20 s on Leduc hold'em"]
fn leduc_poker_by_dense_and_revised_pivoting_is_the_same_equilibrium() {
    let t = extensive_common::leduc(3, 2);
    let revised = lcp_with(
        &t,
        Pivoting::Revised,
        Arithmetic::FloatThenExact,
        Covering::Ones,
    );
    let dense = lcp_with(
        &t,
        Pivoting::Dense,
        Arithmetic::FloatThenExact,
        Covering::Ones,
    );
    assert_same_behaviour(
        &revised.unwrap().behaviour,
        &dense.unwrap().behaviour,
        "Leduc",
    );
}

#[test]
fn every_covering_vector_of_many_gives_a_certified_equilibrium_by_revised_pivoting() {
    // Kuhn poker with 13 cards has an LCP of dimension 214, above DENSE_MAX: the default
    // pivoting is revised.
    let t = extensive_common::kuhn(13);
    let sf = covenant::extensive::SequenceForm::new(&t).unwrap();
    let n = sf.num_sequences[0]
        + sf.num_sequences[1]
        + 2 * (sf.infosets[0].len() + 1)
        + 2 * (sf.infosets[1].len() + 1);
    assert!(n > covenant::extensive::DENSE_MAX, "dimension {n}");
    let all = covenant::extensive::sequence_lcp_many(&t, 5, 11).unwrap();
    assert!(!all.is_empty());
    for eq in &all {
        assert!(eq.regret < 1e-9, "regret {}", eq.regret);
        assert_eq!(tree_regret(&t, &eq.behaviour).unwrap(), eq.regret);
    }
}

#[test]
fn degenerate_trees_terminate_with_both_pivotings() {
    use covenant::game::{GameTree, TreeSpec};
    // Every leaf pays the same: every profile is an equilibrium, the LCP is as degenerate as
    // it gets.
    let flat = GameTree::new(
        vec!["1".into(), "2".into()],
        TreeSpec::decision(
            0,
            "a",
            vec![
                (
                    "L",
                    TreeSpec::decision(
                        1,
                        "b",
                        vec![
                            ("l", TreeSpec::leaf(&[0, 0])),
                            ("r", TreeSpec::leaf(&[0, 0])),
                        ],
                    ),
                ),
                (
                    "R",
                    TreeSpec::decision(
                        1,
                        "b",
                        vec![
                            ("l", TreeSpec::leaf(&[0, 0])),
                            ("r", TreeSpec::leaf(&[0, 0])),
                        ],
                    ),
                ),
            ],
        ),
    )
    .unwrap();
    // A chance branch of probability 0 leads to a whole subgame nobody reaches.
    let zero = |p: i64| num_rational::BigRational::new(p.into(), 1.into());
    let unreached = GameTree::new(
        vec!["1".into(), "2".into()],
        TreeSpec::chance(vec![
            (
                "never",
                zero(0),
                TreeSpec::decision(
                    0,
                    "x",
                    vec![
                        ("A", TreeSpec::leaf(&[3, 1])),
                        ("B", TreeSpec::leaf(&[1, 3])),
                    ],
                ),
            ),
            (
                "always",
                zero(1),
                TreeSpec::decision(
                    0,
                    "y",
                    vec![
                        (
                            "A",
                            TreeSpec::decision(
                                1,
                                "z",
                                vec![
                                    ("a", TreeSpec::leaf(&[1, 1])),
                                    ("b", TreeSpec::leaf(&[1, 1])),
                                ],
                            ),
                        ),
                        ("B", TreeSpec::leaf(&[1, 1])),
                    ],
                ),
            ),
        ]),
    )
    .unwrap();
    for (name, t) in [
        ("flat", &flat),
        ("unreached", &unreached),
        ("ties", &extensive_common::kuhn(3)),
    ] {
        for pivoting in [Pivoting::Dense, Pivoting::Revised] {
            for arithmetic in [Arithmetic::FloatThenExact, Arithmetic::Exact] {
                let eq = lcp_with(t, pivoting, arithmetic, Covering::Ones).unwrap();
                assert!(
                    eq.regret < 1e-9,
                    "{name} {pivoting:?} {arithmetic:?}: regret {}",
                    eq.regret
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn revised_pivoting_takes_the_dense_path_on_random_trees(seed in any::<u64>(), cover in 0u64..3) {
        let t = random_tree(seed, Shape { players: 2, perfect_information: false, zero_sum: false, max_depth: 4, chance: true });
        let covering = if cover == 0 { Covering::Ones } else { Covering::Random(cover) };
        let d = lcp_with(&t, Pivoting::Dense, Arithmetic::Exact, covering.clone()).unwrap();
        let r = lcp_with(&t, Pivoting::Revised, Arithmetic::Exact, covering.clone()).unwrap();
        prop_assert_eq!(&d.exact, &r.exact);
        let f = lcp_with(&t, Pivoting::Revised, Arithmetic::FloatThenExact, covering).unwrap();
        prop_assert!(f.regret < 1e-9, "regret {}", f.regret);
        prop_assert_eq!(tree_regret(&t, &f.behaviour).unwrap(), f.regret);
    }
}
