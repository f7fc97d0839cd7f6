//! Deterrence trees: the textbook thresholds, from the bundled files and the parameterised
//! constructors the treaty layer uses.

use covenant::extensive::{pure_subgame_perfect, sequence_lcp, TreeEquilibrium};
use covenant::game::extensive::deterrence::{deterrence_tree, Deterrence};
use covenant::game::extensive::{extended_deterrence_tree, ExtendedDeterrence};
use covenant::game::GameTree;
use covenant::io::efg::parse_efg;
use proptest::prelude::*;
use std::path::Path;

/// Probability that the challenger challenges in an equilibrium (its set is the first one).
fn challenges(e: &TreeEquilibrium) -> f64 {
    e.behaviour[0][1]
}

fn spe_challenge_set(t: &GameTree) -> Vec<bool> {
    let mut v: Vec<bool> = pure_subgame_perfect(t)
        .unwrap()
        .iter()
        .map(|e| challenges(e) == 1.0)
        .collect();
    v.sort();
    v.dedup();
    v
}

fn with_p(p: f64) -> GameTree {
    deterrence_tree(&Deterrence {
        p_hard: p,
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn deterrence_holds_iff_p_hard_exceeds_one_third() {
    // Zagare & Kilgour (2000): threshold (u(W) − u(SQ)) / (u(W) − u(DD)) = (1 − 0)/(1 + 2).
    for p in [0.0, 0.1, 0.25, 0.33] {
        assert_eq!(spe_challenge_set(&with_p(p)), vec![true], "P(Hard) = {p}");
    }
    for p in [0.34, 0.5, 0.9, 1.0] {
        assert_eq!(spe_challenge_set(&with_p(p)), vec![false], "P(Hard) = {p}");
    }
}

#[test]
fn at_exactly_one_third_the_challenger_is_indifferent() {
    // The bundled file has P(Hard) = 1/2; at exactly 1/3 both choices are subgame perfect.
    let text = std::fs::read_to_string("models/games/deterrence_incomplete_information.efg")
        .unwrap()
        .replace("\"Hard\" 1/2 \"Soft\" 1/2", "\"Hard\" 1/3 \"Soft\" 2/3");
    let t = parse_efg(&text, Path::new("<edited>")).unwrap();
    assert_eq!(spe_challenge_set(&t), vec![false, true]);
}

#[test]
fn bundled_incomplete_information_file_agrees_with_the_constructor() {
    let file = covenant::io::read_efg(Path::new(
        "models/games/deterrence_incomplete_information.efg",
    ))
    .unwrap();
    let built = with_p(0.5);
    let pay = |t: &GameTree| -> Vec<Vec<f64>> {
        pure_subgame_perfect(t)
            .unwrap()
            .iter()
            .map(|e| e.payoffs.clone())
            .collect()
    };
    assert_eq!(pay(&file), pay(&built));
    assert_eq!(pay(&file), vec![vec![0.0, 0.0]]);
}

#[test]
fn lemke_on_the_deterrence_tree_is_an_equilibrium() {
    let eq = sequence_lcp(&with_p(0.5)).unwrap();
    assert!(eq.regret < 1e-9);
}

fn extended(p: f64) -> GameTree {
    extended_deterrence_tree(&ExtendedDeterrence {
        p_hard: p,
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn extended_deterrence_regimes() {
    // Default payoffs: the protégé resists iff −p/2 − 3(1 − p) ≥ −1, i.e. p ≥ 4/5; facing
    // resistance the challenger challenges iff 1 − 3p > 0. Below 1/3 the challenger challenges
    // and the protégé concedes; above 4/5 the protégé would resist and the challenger is
    // deterred; in between both are subgame perfect (the protégé's resistance is then a threat
    // it would not carry out).
    for p in [0.0, 0.2, 0.3] {
        assert_eq!(spe_challenge_set(&extended(p)), vec![true], "P(Hard) = {p}");
    }
    for p in [0.5, 0.7] {
        assert_eq!(
            spe_challenge_set(&extended(p)),
            vec![false, true],
            "P(Hard) = {p}"
        );
    }
    for p in [0.85, 1.0] {
        assert_eq!(
            spe_challenge_set(&extended(p)),
            vec![false],
            "P(Hard) = {p}"
        );
    }
}

#[test]
fn extended_deterrence_file_is_the_default_constructor() {
    let file = covenant::io::read_efg(Path::new("models/games/extended_deterrence.efg")).unwrap();
    let built = extended(0.5);
    let r1 = covenant::extensive::reduced_strategic_form(&file).unwrap();
    let r2 = covenant::extensive::reduced_strategic_form(&built).unwrap();
    assert_eq!(r1.game.payoff_tensors(), r2.game.payoff_tensors());
}

#[test]
fn constructors_reject_bad_parameters() {
    assert!(deterrence_tree(&Deterrence {
        p_hard: 1.5,
        ..Default::default()
    })
    .is_err());
    assert!(extended_deterrence_tree(&ExtendedDeterrence {
        p_hard: f64::NAN,
        ..Default::default()
    })
    .is_err());
    let mut d = ExtendedDeterrence::default();
    d.protege.defence = f64::INFINITY;
    let e = extended_deterrence_tree(&d).unwrap_err().to_string();
    assert!(e.contains("protégé payoff"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn threshold_holds_for_any_payoffs_with_the_textbook_orderings(
        w in 1u8..10, dd in 1u8..10, p_num in 0u32..=1000,
    ) {
        // Challenger: W > SQ = 0 > DD; Hard resists, Soft concedes.
        let (w, dd) = (f64::from(w), -f64::from(dd));
        let p = f64::from(p_num) / 1000.0;
        let threshold = w / (w - dd);
        prop_assume!((p - threshold).abs() > 1e-6);
        let t = deterrence_tree(&Deterrence {
            p_hard: p,
            challenger: [0.0, w, dd],
            ..Default::default()
        }).unwrap();
        let deterred = p > threshold;
        prop_assert_eq!(spe_challenge_set(&t), vec![!deterred]);
    }
}
