//! Sequence form: the zero-sum LP and Lemke's algorithm on the LCP, certified on the tree.

mod extensive_common;

use approx::assert_abs_diff_eq;
use covenant::extensive::{
    reduced_strategic_form, sequence_lcp, sequence_lcp_with, sequence_lp, tree_regret, Covering,
    SequenceLcpOptions,
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
