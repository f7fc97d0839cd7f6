//! Shapley and Banzhaf values: peer reference values, the Shapley axioms, a brute force by
//! permutations written here, and Monte Carlo intervals against exact values.

use covenant::coop::{
    banzhaf, banzhaf_normalized, banzhaf_sampled, shapley, shapley_sampled, shapley_shubik,
};
use covenant::game::{Coalition, CoalitionalGame, TuGame, WeightedVoting};
use covenant::{Error, Tolerance};
use proptest::prelude::*;
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/coop/");

fn load(name: &str) -> TuGame {
    let text = std::fs::read_to_string(format!("{DIR}{name}.json")).expect("game file");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let n = doc["n"].as_u64().unwrap() as usize;
    let v = doc["v"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    TuGame::new(n, v).unwrap()
}

fn assert_close(got: &[f64], want: &Value, what: &str) {
    let want: Vec<f64> = want
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(got.len(), want.len(), "{what}");
    // Relative 1e-6 of the largest entry (entries near 0 are compared at that scale).
    let scale = want.iter().fold(1.0f64, |m, x| m.max(x.abs()));
    let tol = Tolerance::new(1e-6 * scale, 1e-6);
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert!(tol.eq(*g, *w), "{what} player {i}: {g} vs {w}");
    }
}

#[test]
fn shapley_and_banzhaf_match_the_peer_values_of_every_reference_game() {
    let text = std::fs::read_to_string(format!("{DIR}expected.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let games = doc.as_object().unwrap();
    assert_eq!(games.len(), 24);
    for (name, e) in games {
        let g = load(name);
        assert_eq!(g.num_players() as u64, e["n"].as_u64().unwrap());
        assert_close(
            &shapley(&g).unwrap(),
            &e["shapley"],
            &format!("{name} Shapley"),
        );
        assert_close(
            &banzhaf(&g).unwrap(),
            &e["banzhaf_raw"],
            &format!("{name} Banzhaf"),
        );
    }
}

#[test]
fn glove_game_shapley_is_one_sixth_one_sixth_two_thirds() {
    let g = TuGame::from_fn(3, |s| {
        let left = s.contains(0) as u8 + s.contains(1) as u8;
        f64::from(left.min(s.contains(2) as u8))
    })
    .unwrap();
    let phi = shapley(&g).unwrap();
    for (x, y) in phi.iter().zip([1.0 / 6.0, 1.0 / 6.0, 2.0 / 3.0]) {
        assert!(Tolerance::DEFAULT.eq(*x, y));
    }
    // Raw Banzhaf: left owners swing only with {2}: 1/4; player 2 with 3 of 4 coalitions.
    let b = banzhaf(&g).unwrap();
    for (x, y) in b.iter().zip([0.25, 0.25, 0.75]) {
        assert!(Tolerance::DEFAULT.eq(*x, y));
    }
    let nb = banzhaf_normalized(&g).unwrap();
    for (x, y) in nb.iter().zip([0.2, 0.2, 0.6]) {
        assert!(Tolerance::DEFAULT.eq(*x, y));
    }
}

#[test]
fn banzhaf_normalized_of_a_zero_game_is_an_error() {
    let g = TuGame::new(2, vec![0.0; 4]).unwrap();
    assert!(matches!(banzhaf_normalized(&g), Err(Error::InvalidGame(_))));
}

#[test]
fn an_empty_game_is_rejected() {
    assert!(matches!(
        TuGame::new(0, vec![0.0]),
        Err(Error::InvalidGame(_))
    ));
    struct Empty;
    impl CoalitionalGame for Empty {
        fn num_players(&self) -> usize {
            0
        }
        fn value(&self, _: Coalition) -> f64 {
            0.0
        }
    }
    assert!(matches!(
        shapley_sampled(&Empty, 10, 1, 0.9),
        Err(Error::InvalidGame(_))
    ));
    assert!(matches!(
        banzhaf_sampled(&Empty, 10, 1, 0.9),
        Err(Error::InvalidGame(_))
    ));
    assert!(matches!(shapley(&Empty), Err(Error::InvalidGame(_))));
    assert!(matches!(banzhaf(&Empty), Err(Error::InvalidGame(_))));
    assert!(matches!(
        banzhaf_normalized(&Empty),
        Err(Error::InvalidGame(_))
    ));
}

#[test]
fn shapley_of_an_oracle_game_is_a_i_times_a_n() {
    // v(S) = a(S)^2 / 10 gives φ_i = a_i · a(N) / 10: each pair {i, j} contributes 2 a_i a_j,
    // split equally, and the diagonal a_i^2 goes to i.
    let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let g = Quadratic(a.to_vec());
    let phi = shapley(&g).unwrap();
    for (i, x) in phi.iter().enumerate() {
        assert!((x - a[i] * 21.0 / 10.0).abs() < 1e-12, "φ_{i} = {x}");
    }
    // The oracle path and the stored table agree.
    let dense = TuGame::from_game(&g).unwrap();
    assert_eq!(banzhaf(&g).unwrap(), banzhaf(&dense).unwrap());
    assert_eq!(
        banzhaf_normalized(&g).unwrap(),
        banzhaf_normalized(&dense).unwrap()
    );
}

#[test]
fn exact_values_of_oversized_or_broken_oracle_games_are_refused() {
    // 40 players: a table of 2^40 values, 8 TiB.
    let big = Quadratic(vec![1.0; 40]);
    for r in [shapley(&big), banzhaf(&big), banzhaf_normalized(&big)] {
        match r {
            Err(Error::TooLarge(m)) => {
                assert!(m.contains("8.0 TiB") && m.contains("30 players"), "{m}")
            }
            other => panic!("{other:?}"),
        }
    }
    struct Broken;
    impl CoalitionalGame for Broken {
        fn num_players(&self) -> usize {
            3
        }
        fn value(&self, s: Coalition) -> f64 {
            if s.0 == 0b101 {
                f64::NAN
            } else {
                1.0
            }
        }
    }
    assert!(matches!(shapley(&Broken), Err(Error::InvalidGame(_))));
}

/// An oracle game: v(S) = (Σ_{i∈S} a_i)^2 / 10 for n players.
struct Quadratic(Vec<f64>);

impl CoalitionalGame for Quadratic {
    fn num_players(&self) -> usize {
        self.0.len()
    }
    fn value(&self, s: Coalition) -> f64 {
        let t: f64 = s.members().map(|i| self.0[i]).sum();
        t * t / 10.0
    }
}

#[test]
fn bad_sampling_arguments_are_errors() {
    let g = Quadratic(vec![1.0; 4]);
    for c in [0.0, 1.0, f64::NAN, -0.5] {
        assert!(matches!(
            shapley_sampled(&g, 100, 1, c),
            Err(Error::InvalidArgument(_))
        ));
    }
    assert!(matches!(
        shapley_sampled(&g, 1, 1, 0.9),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        banzhaf_sampled(&g, 0, 1, 0.9),
        Err(Error::InvalidArgument(_))
    ));
    let big = Quadratic(vec![1.0; 65]);
    assert!(matches!(
        shapley_sampled(&big, 10, 1, 0.9),
        Err(Error::TooLarge(_))
    ));
    struct Nan;
    impl CoalitionalGame for Nan {
        fn num_players(&self) -> usize {
            3
        }
        fn value(&self, s: Coalition) -> f64 {
            if s.len() == 2 {
                f64::NAN
            } else {
                0.0
            }
        }
    }
    assert!(matches!(
        shapley_sampled(&Nan, 10, 1, 0.9),
        Err(Error::InvalidGame(_))
    ));
    assert!(matches!(
        banzhaf_sampled(&Nan, 10, 1, 0.9),
        Err(Error::InvalidGame(_))
    ));
}

/// Shapley value by averaging over all n! orders (n ≤ 7), independent of the solver.
fn shapley_by_permutations(g: &TuGame) -> Vec<f64> {
    let n = g.num_players();
    let mut perm: Vec<usize> = (0..n).collect();
    let mut phi = vec![0.0; n];
    let mut count = 0.0;
    // Heap's algorithm, iterative.
    let mut c = vec![0usize; n];
    let mut visit = |perm: &[usize]| {
        let mut s = Coalition::EMPTY;
        for &i in perm {
            let before = g.value(s);
            s = s.with(i);
            phi[i] += g.value(s) - before;
        }
        count += 1.0;
    };
    visit(&perm);
    let mut i = 0;
    while i < n {
        if c[i] < i {
            if i % 2 == 0 {
                perm.swap(0, i);
            } else {
                perm.swap(c[i], i);
            }
            visit(&perm);
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    phi.iter().map(|x| x / count).collect()
}

fn tu_game(max_n: usize) -> impl Strategy<Value = TuGame> {
    (1usize..=max_n).prop_flat_map(|n| {
        prop::collection::vec(-50i32..=100, 1 << n).prop_map(move |v| {
            let mut v: Vec<f64> = v.into_iter().map(f64::from).collect();
            v[0] = 0.0;
            TuGame::new(n, v).unwrap()
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn shapley_equals_the_average_over_all_orders(g in tu_game(6)) {
        let phi = shapley(&g).unwrap();
        for (x, y) in phi.iter().zip(shapley_by_permutations(&g)) {
            prop_assert!(Tolerance::DEFAULT.eq(*x, y), "{x} vs {y}");
        }
    }

    #[test]
    fn shapley_is_efficient(g in tu_game(10)) {
        let total: f64 = shapley(&g).unwrap().iter().sum();
        prop_assert!(Tolerance::DEFAULT.eq(total, g.grand_value()));
    }

    #[test]
    fn shapley_and_banzhaf_are_additive(a in tu_game(8), seed in 0u64..1000) {
        let n = a.num_players();
        let b = TuGame::from_fn(n, |s| ((s.0.wrapping_mul(seed + 7) % 97) as f64) - 30.0).unwrap();
        let sum = TuGame::from_fn(n, |s| a.value(s) + b.value(s)).unwrap();
        let (pa, pb, ps) = (shapley(&a).unwrap(), shapley(&b).unwrap(), shapley(&sum).unwrap());
        let (ba, bb, bs) = (banzhaf(&a).unwrap(), banzhaf(&b).unwrap(), banzhaf(&sum).unwrap());
        for i in 0..n {
            prop_assert!(Tolerance::DEFAULT.eq(pa[i] + pb[i], ps[i]));
            prop_assert!(Tolerance::DEFAULT.eq(ba[i] + bb[i], bs[i]));
        }
    }

    #[test]
    fn null_players_get_zero_and_symmetric_players_equal(g in tu_game(7)) {
        // Make player 0 null (v(S ∪ 0) = v(S)) and players 1, 2 symmetric (v depends on
        // S ∩ {1, 2} only through its size).
        let n = g.num_players() + 3;
        let h = TuGame::from_fn(n, |s| {
            let rest = Coalition(s.0 >> 3);
            let pair = s.contains(1) as u64 + s.contains(2) as u64;
            let base = g.value(rest);
            base * (1.0 + pair as f64) + if pair == 2 && !rest.is_empty() { 5.0 } else { 0.0 }
        })
        .unwrap();
        for values in [shapley(&h).unwrap(), banzhaf(&h).unwrap()] {
            prop_assert!(Tolerance::DEFAULT.is_zero(values[0]));
            prop_assert!(Tolerance::DEFAULT.eq(values[1], values[2]));
        }
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

#[test]
fn monte_carlo_shapley_intervals_cover_the_exact_value() {
    // Five seeded runs on four reference games: every interval must cover the exact value
    // (all n intervals hold jointly with probability ≥ 0.95 per run), and the intervals must be
    // narrow enough to mean something: within 15% of the largest value (random games, whose
    // coalition values are independent draws, only have to be covered).
    for name in [
        "convex_n10",
        "random_n10",
        "synergy_n12",
        "superadditive_n12",
    ] {
        let g = load(name);
        let exact = shapley(&g).unwrap();
        for seed in 0..5 {
            let est = shapley_sampled(&g, 4000, seed, 0.95).unwrap();
            assert_eq!(est.samples, 4000);
            let covered = (0..g.num_players())
                .filter(|&i| (est.estimate[i] - exact[i]).abs() <= est.half_width[i])
                .count();
            assert_eq!(covered, g.num_players(), "{name} seed {seed}");
            let (w, x) = (max_abs(&est.half_width), max_abs(&exact));
            assert!(
                name.starts_with("random") || w < 0.15 * x,
                "{name}: too wide {w} vs {x}"
            );
        }
    }
}

#[test]
fn monte_carlo_banzhaf_intervals_cover_the_exact_value() {
    for name in ["convex_n10", "synergy_n12", "random_n12"] {
        let g = load(name);
        let exact = banzhaf(&g).unwrap();
        for seed in 0..5 {
            let est = banzhaf_sampled(&g, 4000, seed, 0.95).unwrap();
            let covered = (0..g.num_players())
                .filter(|&i| (est.estimate[i] - exact[i]).abs() <= est.half_width[i])
                .count();
            assert_eq!(covered, g.num_players(), "{name} seed {seed}");
            let (w, x) = (max_abs(&est.half_width), max_abs(&exact));
            assert!(
                name.starts_with("random") || w < 0.15 * x,
                "{name}: too wide {w} vs {x}"
            );
        }
    }
}

#[test]
fn monte_carlo_beyond_the_dense_limit_agrees_with_exact_shapley_shubik() {
    // 40 players: 2^40 coalitions, no dense table; the exact values come from the DP.
    let w: Vec<u64> = (0..40).map(|i| 1 + (i * 7 % 13)).collect();
    let total: u64 = w.iter().sum();
    let g = WeightedVoting::new(w, total / 2 + 1).unwrap();
    let exact = shapley_shubik(&g).unwrap().values;
    let est = shapley_sampled(&g, 3000, 11, 0.95).unwrap();
    for (i, x) in exact.iter().enumerate() {
        assert!(
            (est.estimate[i] - x).abs() <= est.half_width[i],
            "player {i}"
        );
        assert!(est.half_width[i] < 0.05);
    }
    let again = shapley_sampled(&g, 3000, 11, 0.95).unwrap();
    assert_eq!(again, est, "same seed, same answer");
}

#[test]
fn values_near_the_largest_float_give_finite_shapley_and_banzhaf_values() {
    // v = (0, 1e308, 2, 3) over masks: φ_1 = ½·1e308 + ½·(3 − 2), φ_2 = ½·2 + ½·(3 − 1e308).
    // Before, v(S ∪ i) − v(S) overflowed and inf − inf gave NaN.
    let g = covenant::game::TuGame::new(2, vec![0.0, 1e308, 2.0, 3.0]).unwrap();
    let phi = covenant::coop::shapley(&g).unwrap();
    assert!(phi.iter().all(|x| x.is_finite()), "{phi:?}");
    assert!(
        (phi[0] - 5e307).abs() <= 1e292 && (phi[1] + 5e307).abs() <= 1e292,
        "{phi:?}"
    );
    let g = covenant::game::TuGame::new(2, vec![0.0, -f64::MAX, f64::MAX, 0.0]).unwrap();
    let beta = covenant::coop::banzhaf(&g).unwrap();
    // β_1 = ½·((0 − MAX) + (−MAX − 0)) = −MAX, β_2 = ½·((0 + MAX) + (MAX − 0)) = MAX.
    assert_eq!(beta, vec![-f64::MAX, f64::MAX]);
}
