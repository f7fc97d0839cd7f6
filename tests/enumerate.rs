//! All extreme equilibria of bimatrix games: reference sets from Gambit's rational vertex
//! enumeration, the classic games, and properties on random (often degenerate) games.

mod common;

use covenant::game::{Bimatrix, NormalForm};
use covenant::noncoop::{enumerate_extreme, enumerate_extreme_with, Arithmetic, EnumerateOptions};
use covenant::verify;
use num_rational::BigRational;
use proptest::prelude::*;
use serde_json::Value;
use std::str::FromStr;

/// Regret allowed for a returned equilibrium (it is exact; this is float rounding only).
const REGRET_TOL: f64 = 1e-9;

fn game_from_json(v: &Value) -> Bimatrix {
    Bimatrix::from_rows(&common::matrix(&v["A"]), &common::matrix(&v["B"])).unwrap()
}

fn rational(s: &str) -> BigRational {
    BigRational::from_str(s).unwrap()
}

/// An equilibrium set as sorted exact profiles, from JSON `[[[x..],[y..]], ...]` of strings.
fn exact_set(v: &Value) -> Vec<Vec<Vec<BigRational>>> {
    let mut out: Vec<Vec<Vec<BigRational>>> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|prof| {
            prof.as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    s.as_array()
                        .unwrap()
                        .iter()
                        .map(|x| rational(x.as_str().unwrap()))
                        .collect()
                })
                .collect()
        })
        .collect();
    out.sort();
    out
}

fn our_exact_set(g: &Bimatrix) -> Vec<Vec<Vec<BigRational>>> {
    let e = enumerate_extreme(g).unwrap();
    assert!(e.complete);
    let mut out: Vec<_> = e
        .equilibria
        .iter()
        .map(|q| q.exact.clone().unwrap())
        .collect();
    out.sort();
    out
}

#[test]
fn classic_games_have_exactly_the_known_equilibria() {
    let doc = common::read_json(&format!("{}/classic.json", common::NONCOOP));
    assert!(doc["convention"]
        .as_str()
        .unwrap()
        .starts_with("A[i][j]=row payoff"));
    for (name, game) in doc["games"].as_object().unwrap() {
        let g = game_from_json(game);
        assert_eq!(our_exact_set(&g), exact_set(&game["known"]), "{name}");
    }
}

#[test]
fn degenerate_3x2_has_three_extreme_equilibria_in_two_components() {
    let doc = common::read_json(&format!("{}/classic.json", common::NONCOOP));
    let g = game_from_json(&doc["games"]["degenerate_3x2"]);
    let e = enumerate_extreme(&g).unwrap();
    assert_eq!(e.equilibria.len(), 3);
    // The two endpoints of x = T, y in [2/3, 1] form one component; the mixed one is alone.
    let mut sizes: Vec<usize> = e.components.iter().map(Vec::len).collect();
    sizes.sort();
    assert_eq!(sizes, vec![1, 2]);
    let big = e.components.iter().find(|c| c.len() == 2).unwrap();
    for &i in big {
        assert_eq!(e.equilibria[i].strategies[0], vec![1.0, 0.0, 0.0]);
    }
}

#[test]
fn reference_games_match_gambit_rational_enummixed() {
    for stem in [
        "bimatrix_5x5_0",
        "bimatrix_5x5_1",
        "bimatrix_5x5_2",
        "bimatrix_10x10_0",
        "bimatrix_10x10_1",
        "bimatrix_10x10_2",
    ] {
        let g = game_from_json(&common::read_json(&format!(
            "{}/{stem}.json",
            common::NONCOOP
        )));
        let answer = common::read_json(&format!(
            "{}/equilibria/{stem}__gambit_enummixed_rat.json",
            common::NONCOOP
        ));
        let ours = our_exact_set(&g);
        assert_eq!(ours, exact_set(&answer["exact"]), "{stem}");
        // And the float forms agree within 1e-6 (sorted the same way).
        let e = enumerate_extreme(&g).unwrap();
        let mut theirs = common::peer_profiles(stem, "gambit_enummixed_rat");
        theirs.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let ours: Vec<Vec<f64>> = e.equilibria.iter().map(|q| q.strategies.concat()).collect();
        assert_eq!(ours.len(), theirs.len(), "{stem}");
        for (a, b) in ours.iter().zip(&theirs) {
            for (u, v) in a.iter().zip(b) {
                assert!((u - v).abs() < 1e-6, "{stem}: {u} vs {v}");
            }
        }
        for q in &e.equilibria {
            let r = verify::regret(&g.to_normal_form(), &q.strategies).unwrap();
            assert!(r <= REGRET_TOL, "{stem}: regret {r}");
        }
    }
}

#[test]
fn bimatrix_10x10_1_has_24_extreme_equilibria() {
    let g = game_from_json(&common::read_json(&format!(
        "{}/bimatrix_10x10_1.json",
        common::NONCOOP
    )));
    let e = enumerate_extreme(&g).unwrap();
    assert_eq!(e.equilibria.len(), 24);
    assert!(e.complete);
}

#[test]
fn exact_pivoting_gives_the_same_set() {
    let g = game_from_json(&common::read_json(&format!(
        "{}/bimatrix_10x10_1.json",
        common::NONCOOP
    )));
    let opts = EnumerateOptions {
        arithmetic: Arithmetic::Exact,
        ..Default::default()
    };
    let e = enumerate_extreme_with(&g, &opts, None).unwrap();
    assert!(e.exact_pivoting && e.complete);
    let f = enumerate_extreme(&g).unwrap();
    assert_eq!(e.equilibria, f.equilibria);
    assert_eq!(e.components, f.components);
}

#[test]
fn constant_game_has_every_pure_profile_in_one_component() {
    let g = Bimatrix::from_rows(&vec![vec![2.0; 3]; 2], &vec![vec![2.0; 3]; 2]).unwrap();
    let e = enumerate_extreme(&g).unwrap();
    assert!(e.complete);
    assert_eq!(e.equilibria.len(), 6);
    for q in &e.equilibria {
        assert!(q
            .strategies
            .iter()
            .all(|s| s.iter().filter(|&&p| p == 1.0).count() == 1));
    }
    assert_eq!(e.components, vec![(0..6).collect::<Vec<_>>()]);
}

#[test]
fn progress_callback_reaches_the_end() {
    let g = game_from_json(&common::read_json(&format!(
        "{}/bimatrix_10x10_0.json",
        common::NONCOOP
    )));
    let mut last = (0, 0);
    let mut cb = |d: usize, t: usize| last = (d, t);
    enumerate_extreme_with(&g, &EnumerateOptions::default(), Some(&mut cb)).unwrap();
    assert!(last.0 > 0 && last.0 == last.1);
}

#[test]
fn a_base_cap_makes_the_result_incomplete() {
    let g = game_from_json(&common::read_json(&format!(
        "{}/bimatrix_10x10_1.json",
        common::NONCOOP
    )));
    let opts = EnumerateOptions {
        max_bases: 20,
        ..Default::default()
    };
    let e = enumerate_extreme_with(&g, &opts, None).unwrap();
    assert!(!e.complete);
    for q in &e.equilibria {
        assert!(q.regret <= REGRET_TOL);
    }
}

#[test]
#[ignore = "slow: 5.2 million feasible bases over the two games, about 20 s of CPU in release"]
fn random_20x20_reference_games_enumerate() {
    for stem in ["bimatrix_20x20_0", "bimatrix_20x20_1"] {
        let g = game_from_json(&common::read_json(&format!(
            "{}/{stem}.json",
            common::NONCOOP
        )));
        let opts = EnumerateOptions {
            max_bases: 5_000_000,
            ..Default::default()
        };
        let e = enumerate_extreme_with(&g, &opts, None).unwrap();
        assert!(e.complete);
        // Gambit's lcp_solve (LH graph) finds a subset: 79 and 117.
        for p in common::peer_profiles(stem, "gambit_lcpall_dbl") {
            assert!(
                e.equilibria.iter().any(|q| q
                    .strategies
                    .concat()
                    .iter()
                    .zip(&p)
                    .all(|(u, v)| (u - v).abs() < 1e-6)),
                "{stem}: LH equilibrium missing"
            );
        }
        for q in &e.equilibria {
            assert!(q.regret <= REGRET_TOL);
        }
    }
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

/// Brute force: is `(x, y)` an equilibrium, checked by support conditions in exact arithmetic?
fn support_condition_holds(g: &Bimatrix, x: &[BigRational], y: &[BigRational]) -> bool {
    let (m, n) = (g.rows(), g.cols());
    let q = |v: f64| BigRational::from_float(v).unwrap();
    let row: Vec<BigRational> = (0..m)
        .map(|i| (0..n).map(|j| q(g.a()[(i, j)]) * &y[j]).sum())
        .collect();
    let col: Vec<BigRational> = (0..n)
        .map(|j| (0..m).map(|i| q(g.b()[(i, j)]) * &x[i]).sum())
        .collect();
    let best_r = row.iter().max().unwrap();
    let best_c = col.iter().max().unwrap();
    let zero = BigRational::from_integer(0.into());
    (0..m).all(|i| x[i] == zero || &row[i] == best_r)
        && (0..n).all(|j| y[j] == zero || &col[j] == best_c)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_games_give_verified_extreme_equilibria(g in small_game(6, -5..6)) {
        let e = enumerate_extreme(&g).unwrap();
        prop_assert!(e.complete);
        prop_assert!(!e.equilibria.is_empty());
        let nf: NormalForm = g.to_normal_form();
        for q in &e.equilibria {
            prop_assert!(verify::regret(&nf, &q.strategies).unwrap() <= REGRET_TOL);
            let ex = q.exact.as_ref().unwrap();
            prop_assert!(support_condition_holds(&g, &ex[0], &ex[1]));
        }
        let mut all: Vec<usize> = e.components.concat();
        all.sort();
        prop_assert_eq!(all, (0..e.equilibria.len()).collect::<Vec<_>>());
    }

    #[test]
    fn degenerate_small_integer_games_agree_with_exact_pivoting(g in small_game(5, 0..3)) {
        let e = enumerate_extreme(&g).unwrap();
        let opts = EnumerateOptions { arithmetic: Arithmetic::Exact, ..Default::default() };
        let x = enumerate_extreme_with(&g, &opts, None).unwrap();
        prop_assert_eq!(&e.equilibria, &x.equilibria);
        prop_assert_eq!(&e.components, &x.components);
        for q in &e.equilibria {
            let ex = q.exact.as_ref().unwrap();
            prop_assert!(support_condition_holds(&g, &ex[0], &ex[1]));
        }
    }

    #[test]
    fn permuting_rows_and_columns_permutes_the_equilibria(
        g in small_game(5, 0..4),
        seed in any::<u64>(),
    ) {
        use rand::{seq::SliceRandom, SeedableRng};
        let (m, n) = (g.rows(), g.cols());
        let mut rng = rand::rngs::SmallRng::seed_from_u64(seed);
        let mut pr: Vec<usize> = (0..m).collect();
        let mut pc: Vec<usize> = (0..n).collect();
        pr.shuffle(&mut rng);
        pc.shuffle(&mut rng);
        let h = Bimatrix::new(
            nalgebra::DMatrix::from_fn(m, n, |i, j| g.a()[(pr[i], pc[j])]),
            nalgebra::DMatrix::from_fn(m, n, |i, j| g.b()[(pr[i], pc[j])]),
        ).unwrap();
        let mut mapped: Vec<Vec<Vec<BigRational>>> = enumerate_extreme(&g).unwrap().equilibria.iter().map(|q| {
            let ex = q.exact.as_ref().unwrap();
            vec![
                (0..m).map(|i| ex[0][pr[i]].clone()).collect(),
                (0..n).map(|j| ex[1][pc[j]].clone()).collect(),
            ]
        }).collect();
        mapped.sort();
        prop_assert_eq!(mapped, our_exact_set(&h));
    }
}
