//! Lemke–Howson: every label on the reference and classic games lands in the set of extreme
//! equilibria; bad labels and iteration caps are errors; degenerate games terminate.

mod common;

use covenant::game::Bimatrix;
use covenant::noncoop::{
    enumerate_extreme, lemke_howson, lemke_howson_all, lemke_howson_all_with, lemke_howson_with,
    Arithmetic, Equilibrium, LemkeHowsonOptions,
};
use covenant::{verify, Error};
use proptest::prelude::*;

/// Regret allowed for a float Lemke–Howson result on payoffs of size ~100.
const REGRET_TOL: f64 = 1e-7;
/// Distance at which two profiles count as the same equilibrium.
const SAME: f64 = 1e-6;

fn game(stem: &str) -> Bimatrix {
    let v = common::read_json(&format!("{}/{stem}.json", common::NONCOOP));
    Bimatrix::from_rows(&common::matrix(&v["A"]), &common::matrix(&v["B"])).unwrap()
}

fn contains(set: &[Vec<f64>], p: &[f64]) -> bool {
    set.iter()
        .any(|q| q.iter().zip(p).all(|(a, b)| (a - b).abs() < SAME))
}

fn flat(e: &Equilibrium) -> Vec<f64> {
    e.strategies.concat()
}

#[test]
fn every_label_on_reference_games_lands_in_gambits_enummixed_set() {
    for stem in [
        "bimatrix_5x5_0",
        "bimatrix_5x5_1",
        "bimatrix_5x5_2",
        "bimatrix_10x10_0",
        "bimatrix_10x10_1",
        "bimatrix_10x10_2",
    ] {
        let g = game(stem);
        let set = common::peer_profiles(stem, "gambit_enummixed_rat");
        for label in 0..g.rows() + g.cols() {
            let e = lemke_howson(&g, label).unwrap();
            assert!(contains(&set, &flat(&e)), "{stem} label {label}");
            let r = verify::regret(&g.to_normal_form(), &e.strategies).unwrap();
            assert!(r <= REGRET_TOL, "{stem} label {label}: regret {r}");
        }
    }
}

/// Gambit's `lcp_solve` follows the same LH graph; where a degenerate component has several
/// extreme equilibria the two lexicographic conventions may end at different endpoints of it,
/// so the sets are compared component by component.
#[test]
fn lemke_howson_all_matches_gambits_lcp_solve_up_to_components() {
    for stem in [
        "bimatrix_5x5_0",
        "bimatrix_5x5_1",
        "bimatrix_5x5_2",
        "bimatrix_10x10_0",
        "bimatrix_10x10_1",
        "bimatrix_10x10_2",
        "bimatrix_20x20_0",
        "bimatrix_20x20_1",
    ] {
        let g = game(stem);
        let theirs = common::peer_profiles(stem, "gambit_lcpall_dbl");
        let ours: Vec<Vec<f64>> = lemke_howson_all(&g).unwrap().iter().map(flat).collect();
        assert_eq!(ours.len(), theirs.len(), "{stem}");
        if g.rows() > 10 {
            // Too large to enumerate in a unit test: the counts must agree.
            continue;
        }
        let e = enumerate_extreme(&g).unwrap();
        let set: Vec<Vec<f64>> = e.equilibria.iter().map(flat).collect();
        let component = |p: &[f64]| -> usize {
            let i = set
                .iter()
                .position(|q| q.iter().zip(p).all(|(a, b)| (a - b).abs() < SAME))
                .unwrap_or_else(|| panic!("{stem}: {p:?} is not an extreme equilibrium"));
            e.components.iter().position(|c| c.contains(&i)).unwrap()
        };
        let mut co: Vec<usize> = ours.iter().map(|p| component(p)).collect();
        let mut ct: Vec<usize> = theirs.iter().map(|p| component(p)).collect();
        co.sort();
        ct.sort();
        assert_eq!(co, ct, "{stem}");
    }
}

/// The 12 games of the LH timing table (where Nashpy's Lemke–Howson hangs on six) all
/// terminate with a verified equilibrium from label 0.
#[test]
fn lemke_howson_terminates_on_all_reference_games() {
    let manifest = common::read_json(&format!("{}/manifest.json", common::NONCOOP));
    for entry in manifest.as_array().unwrap() {
        let stem = entry["name"].as_str().unwrap();
        let size = entry["size"].as_u64().unwrap();
        if size > 100 {
            continue; // the 300x300 games are in the (release-mode) bench
        }
        let g = game(stem);
        let e = lemke_howson(&g, 0).unwrap();
        let r = verify::bimatrix_regret(g.a(), g.b(), &e.strategies[0], &e.strategies[1]).unwrap();
        assert!(r <= REGRET_TOL, "{stem}: regret {r}");
    }
}

#[test]
fn classic_games_lemke_howson_all_finds_the_known_equilibria() {
    let doc = common::read_json(&format!("{}/classic.json", common::NONCOOP));
    for (name, v) in doc["games"].as_object().unwrap() {
        let g = Bimatrix::from_rows(&common::matrix(&v["A"]), &common::matrix(&v["B"])).unwrap();
        let known = enumerate_extreme(&g).unwrap();
        let known: Vec<Vec<f64>> = known.equilibria.iter().map(flat).collect();
        for label in 0..g.rows() + g.cols() {
            let e = lemke_howson(&g, label).unwrap();
            assert!(contains(&known, &flat(&e)), "{name} label {label}");
        }
        let all = lemke_howson_all(&g).unwrap();
        assert!(!all.is_empty());
        for e in &all {
            assert!(contains(&known, &flat(e)), "{name}");
        }
    }
}

#[test]
fn battle_of_the_sexes_labels_reach_both_pure_equilibria_and_all_finds_three() {
    let g = Bimatrix::from_rows(
        &[vec![3.0, 0.0], vec![0.0, 2.0]],
        &[vec![2.0, 0.0], vec![0.0, 3.0]],
    )
    .unwrap();
    assert_eq!(
        lemke_howson(&g, 0).unwrap().strategies,
        vec![vec![1.0, 0.0], vec![1.0, 0.0]]
    );
    assert_eq!(
        lemke_howson(&g, 1).unwrap().strategies,
        vec![vec![0.0, 1.0], vec![0.0, 1.0]]
    );
    let all = lemke_howson_all(&g).unwrap();
    assert_eq!(all.len(), 3);
    let mixed = &all[1];
    assert!((mixed.strategies[0][0] - 0.6).abs() < 1e-12);
    assert!((mixed.strategies[1][0] - 0.4).abs() < 1e-12);
}

#[test]
fn a_label_out_of_range_is_an_invalid_argument() {
    let g = game("bimatrix_5x5_0");
    assert!(matches!(
        lemke_howson(&g, 10),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        lemke_howson(&g, usize::MAX),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn hitting_the_pivot_cap_is_an_iteration_limit_error() {
    let g = game("bimatrix_20x20_0");
    let opts = LemkeHowsonOptions {
        max_pivots: Some(1),
        ..Default::default()
    };
    let r = lemke_howson_with(&g, 0, &opts);
    assert!(matches!(r, Err(Error::IterationLimit { limit: 1, .. })));
    assert!(matches!(
        lemke_howson_all_with(&g, &opts),
        Err(Error::IterationLimit { .. })
    ));
}

#[test]
fn exact_arithmetic_gives_the_same_equilibrium_with_rationals() {
    let g = game("bimatrix_10x10_1");
    let opts = LemkeHowsonOptions {
        arithmetic: Arithmetic::Exact,
        ..Default::default()
    };
    for label in 0..20 {
        let f = lemke_howson(&g, label).unwrap();
        let x = lemke_howson_with(&g, label, &opts).unwrap();
        assert!(x.exact.is_some());
        assert!(x.regret <= 1e-12);
        for (a, b) in flat(&f).iter().zip(flat(&x)) {
            assert!((a - b).abs() < SAME);
        }
    }
}

#[test]
fn constant_game_gives_a_pure_profile_from_every_label() {
    let g = Bimatrix::from_rows(&vec![vec![1.0; 4]; 3], &vec![vec![1.0; 4]; 3]).unwrap();
    for label in 0..7 {
        let e = lemke_howson(&g, label).unwrap();
        assert_eq!(e.regret, 0.0);
        for s in &e.strategies {
            assert_eq!(s.iter().filter(|&&p| p == 1.0).count(), 1);
        }
    }
    // Every pure profile is an equilibrium; the LH graph reaches some of them.
    let all = lemke_howson_all(&g).unwrap();
    assert!(!all.is_empty() && all.len() <= 12);
}

fn small_game(max_dim: usize, values: std::ops::Range<i32>) -> impl Strategy<Value = Bimatrix> {
    (1..=max_dim, 1..=max_dim).prop_flat_map(move |(m, n)| {
        let cell = values.clone().prop_map(f64::from);
        (
            prop::collection::vec(prop::collection::vec(cell.clone(), n), m),
            prop::collection::vec(prop::collection::vec(cell, n), m),
        )
            .prop_map(|(a, b)| Bimatrix::from_rows(&a, &b).unwrap())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_label_lands_in_the_enumerated_set(g in small_game(6, -4..5)) {
        let set: Vec<Vec<f64>> = enumerate_extreme(&g).unwrap().equilibria.iter().map(flat).collect();
        for label in 0..g.rows() + g.cols() {
            let e = lemke_howson(&g, label).unwrap();
            prop_assert!(verify::regret(&g.to_normal_form(), &e.strategies).unwrap() <= REGRET_TOL);
            prop_assert!(contains(&set, &flat(&e)));
        }
        for e in lemke_howson_all(&g).unwrap() {
            prop_assert!(contains(&set, &flat(&e)));
        }
    }

    #[test]
    fn degenerate_games_in_0_to_2_terminate_with_equilibria(g in small_game(6, 0..3)) {
        let set: Vec<Vec<f64>> = enumerate_extreme(&g).unwrap().equilibria.iter().map(flat).collect();
        for label in 0..g.rows() + g.cols() {
            let e = lemke_howson(&g, label).unwrap();
            prop_assert!(verify::regret(&g.to_normal_form(), &e.strategies).unwrap() <= REGRET_TOL);
            prop_assert!(contains(&set, &flat(&e)));
        }
    }
}

#[test]
fn lemke_howson_all_stops_at_its_memory_cap_with_the_need_stated() {
    let g = game("bimatrix_10x10_1");
    // Float pairs of a 10x10 game: 2·20·21 entries · 8 bytes = 6,720 bytes (6.6 KiB).
    let opts = LemkeHowsonOptions {
        max_memory: 25_000,
        ..Default::default()
    };
    match lemke_howson_all_with(&g, &opts) {
        Err(Error::TooLarge(m)) => {
            assert!(
                m.contains("6.6 KiB each") && m.contains("cap of 24.4 KiB"),
                "{m}"
            )
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    // Refused before any pivot when not even the first pairs fit.
    let tiny = LemkeHowsonOptions {
        max_memory: 100,
        ..Default::default()
    };
    assert!(matches!(
        lemke_howson_all_with(&g, &tiny),
        Err(Error::TooLarge(_))
    ));
    // The default cap leaves ordinary games alone.
    assert!(!lemke_howson_all(&g).unwrap().is_empty());
}
