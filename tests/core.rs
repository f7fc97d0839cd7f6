//! Core membership, core non-emptiness with its certificates, and the least core.

mod common;

use covenant::coop::{core_check, core_nonempty, least_core, Domain};
use covenant::game::{Coalition, CoalitionalGame, TuGame};
use covenant::{Error, Tolerance};
use proptest::prelude::*;
use serde_json::Value;

fn read_json(name: &str) -> Value {
    common::read_json(&format!("{}/{name}", common::COOP))
}

fn game_of(v: &Value) -> TuGame {
    let vals = v["v"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();

    TuGame::new(v["n"].as_u64().unwrap() as usize, vals).unwrap()
}

fn x_of(x: &[f64], s: Coalition) -> f64 {
    s.members().map(|i| x[i]).sum()
}

/// Core membership straight from the definition: every coalition, efficiency.
fn in_core_brute(g: &TuGame, x: &[f64], tol: f64) -> bool {
    let n = g.num_players();
    (x_of(x, Coalition::grand(n)) - g.grand_value()).abs() <= tol
        && (1..1u64 << n).all(|m| x_of(x, Coalition(m)) >= g.value(Coalition(m)) - tol)
}

/// The Bondareva–Shapley witness is balanced and over-demands v(N).
fn check_witness(g: &TuGame, w: &[(Coalition, f64)]) {
    let n = g.num_players();
    for i in 0..n {
        let cover: f64 = w
            .iter()
            .filter(|(s, _)| s.contains(i))
            .map(|(_, l)| l)
            .sum();
        assert!((cover - 1.0).abs() < 1e-7, "player {i} covered {cover}");
    }
    assert!(w
        .iter()
        .all(|&(s, l)| l > 0.0 && !s.is_empty() && s != Coalition::grand(n)));
    let demand: f64 = w.iter().map(|&(s, l)| l * g.value(s)).sum();
    assert!(
        demand > g.grand_value() + 1e-9,
        "Σλv = {demand} vs v(N) = {}",
        g.grand_value()
    );
}

#[test]
fn reference_games_core_status_and_least_core_epsilon() {
    let expected = read_json("expected.json");
    for (stem, want) in expected.as_object().unwrap() {
        let g = game_of(&read_json(&format!("{stem}.json")));
        let status = core_nonempty(&g).unwrap();
        assert_eq!(
            status.nonempty,
            want["core_nonempty"].as_bool().unwrap(),
            "{stem}"
        );
        match (&status.point, &status.balanced_witness) {
            (Some(x), None) => assert!(in_core_brute(&g, x, 1e-6), "{stem}: {x:?}"),
            (None, Some(w)) => check_witness(&g, w),
            other => panic!("{stem}: inconsistent status {other:?}"),
        }
        let eps = want["least_core_epsilon_preimputation"].as_f64().unwrap();
        let lc = least_core(&g, Domain::Preimputations).unwrap();
        assert!(
            Tolerance::REPORT.eq(lc.epsilon, eps),
            "{stem}: ε {} vs {eps}",
            lc.epsilon
        );
        // The allocation attains ε: its largest proper excess, from the definition.
        let n = g.num_players();
        let worst = (1..(1u64 << n) - 1)
            .map(|m| g.value(Coalition(m)) - x_of(&lc.allocation, Coalition(m)))
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(Tolerance::REPORT.eq(worst, eps), "{stem}: {worst} vs {eps}");
        assert!((x_of(&lc.allocation, Coalition::grand(n)) - g.grand_value()).abs() < 1e-6);
    }
}

#[test]
fn glove_game_core_is_the_point_0_0_1() {
    let g = TuGame::new(3, vec![0., 0., 0., 0., 0., 1., 1., 1.]).unwrap();
    let c = core_check(&g, &[0.0, 0.0, 1.0]).unwrap();
    assert!(c.in_core && c.efficiency_gap == 0.0);
    let c = core_check(&g, &[0.1, 0.0, 0.9]).unwrap();
    assert!(!c.in_core);
    // {1, 2} gets 0.9 but is worth 1.
    let (s, e) = c.most_violated.unwrap();
    assert_eq!(s, Coalition::from_members([1, 2]));
    assert!((e - 0.1).abs() < 1e-12);
    let lc = least_core(&g, Domain::Imputations).unwrap();
    assert!(lc.epsilon.abs() < 1e-9);
    let status = core_nonempty(&g).unwrap();
    assert!(status.nonempty);
    let p = status.point.unwrap();
    assert!(
        p.iter()
            .zip([0.0, 0.0, 1.0])
            .all(|(a, b)| (a - b).abs() < 1e-7),
        "{p:?}"
    );
}

#[test]
fn majority_game_has_an_empty_core_witnessed_by_the_three_pairs() {
    let g = TuGame::from_fn(3, |s| if s.len() >= 2 { 1.0 } else { 0.0 }).unwrap();
    let status = core_nonempty(&g).unwrap();
    assert!(!status.nonempty && status.point.is_none());
    let w = status.balanced_witness.unwrap();
    check_witness(&g, &w);
    // The only balanced collection over-demanding v(N) = 1 here: the pairs at 1/2 (value 3/2).
    let demand: f64 = w.iter().map(|&(s, l)| l * g.value(s)).sum();
    assert!((demand - 1.5).abs() < 1e-9);
    let c = core_check(&g, &[1.0 / 3.0; 3]).unwrap();
    assert!(!c.in_core && (c.most_violated.unwrap().1 - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn inefficient_allocations_are_not_in_the_core() {
    let g = TuGame::from_fn(2, |s| s.len() as f64).unwrap();
    let c = core_check(&g, &[2.0, 2.0]).unwrap();
    assert!(!c.in_core && (c.efficiency_gap - 2.0).abs() < 1e-12);
}

#[test]
fn bad_inputs_are_errors() {
    let g = TuGame::from_fn(3, |s| s.len() as f64).unwrap();
    assert!(matches!(
        core_check(&g, &[1.0, f64::NAN, 1.0]),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        core_check(&g, &[1.0, 1.0]),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        core_check(&g, &[1.0, 1.0, f64::INFINITY]),
        Err(Error::InvalidArgument(_))
    ));
    let empty_imputations = TuGame::from_fn(2, |_| 1.0).unwrap();
    assert!(matches!(
        least_core(&empty_imputations, Domain::Imputations),
        Err(Error::InvalidArgument(m)) if m.contains("imputation set is empty")
    ));
    // The preimputation least core still exists: ε = 1/2 at (1/2, 1/2).
    let lc = least_core(&empty_imputations, Domain::Preimputations).unwrap();
    assert!((lc.epsilon - 0.5).abs() < 1e-9);
    let one = TuGame::new(1, vec![0.0, 3.0]).unwrap();
    assert_eq!(core_nonempty(&one).unwrap().point, Some(vec![3.0]));
}

/// Random games of 2..=6 players with integer values.
fn arb_game() -> impl Strategy<Value = TuGame> {
    (2usize..=6).prop_flat_map(|n| {
        proptest::collection::vec(0u32..=30, 1usize << n).prop_map(move |raw| {
            TuGame::new(
                n,
                std::iter::once(0.0)
                    .chain(raw[1..].iter().map(|&r| r as f64))
                    .collect(),
            )
            .unwrap()
        })
    })
}

/// Convex games: a positive combination of unanimity games plus an additive part (every
/// unanimity game u_T is convex, and so is a non-negative sum).
fn arb_convex_game() -> impl Strategy<Value = TuGame> {
    (2usize..=6).prop_flat_map(|n| {
        (
            proptest::collection::vec((1u64..(1u64 << n), 0.1f64..10.0), 1..8),
            proptest::collection::vec(-5.0f64..5.0, n),
        )
            .prop_map(move |(terms, additive)| {
                TuGame::from_fn(n, |s| {
                    terms
                        .iter()
                        .filter(|(t, _)| Coalition(*t).is_subset_of(s))
                        .map(|(_, w)| w)
                        .sum::<f64>()
                        + s.members().map(|i| additive[i]).sum::<f64>()
                })
                .unwrap()
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn core_nonempty_iff_least_core_epsilon_at_most_zero(g in arb_game()) {
        let lc = least_core(&g, Domain::Preimputations).unwrap();
        let status = core_nonempty(&g).unwrap();
        prop_assert_eq!(status.nonempty, lc.epsilon <= 1e-7, "ε = {}", lc.epsilon);
        if let Some(x) = &status.point {
            prop_assert!(in_core_brute(&g, x, 1e-6));
            prop_assert!(core_check(&g, x).unwrap().in_core);
        }
        if let Some(w) = &status.balanced_witness {
            check_witness(&g, w);
        }
        // The least-core point is in the core exactly when ε ≤ 0.
        prop_assert_eq!(core_check(&g, &lc.allocation).unwrap().in_core, lc.epsilon <= 1e-7);
    }

    #[test]
    fn convex_games_have_a_nonempty_core_containing_marginal_vectors(g in arb_convex_game()) {
        let status = core_nonempty(&g).unwrap();
        prop_assert!(status.nonempty);
        // Shapley 1971: the marginal vector of the order 0, 1, …, n−1 is a core point.
        let n = g.num_players();
        let mut x = vec![0.0; n];
        let mut s = Coalition::EMPTY;
        for (i, xi) in x.iter_mut().enumerate() {
            *xi = g.value(s.with(i)) - g.value(s);
            s = s.with(i);
        }
        prop_assert!(core_check(&g, &x).unwrap().in_core);
        prop_assert!(least_core(&g, Domain::Preimputations).unwrap().epsilon <= 1e-7);
    }
}
