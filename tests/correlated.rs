//! Correlated and coarse correlated equilibria: chicken's known optimum, incentive
//! constraints checked by `verify`, and Nash equilibria as feasible points.

use covenant::game::NormalForm;
use covenant::noncoop::{correlated_equilibrium, pure_equilibria, CeKind, CeObjective};
use covenant::verify::correlated_regret;
use covenant::{Error, Tolerance};
use ndarray::{ArrayD, IxDyn};
use proptest::prelude::*;

fn chicken() -> NormalForm {
    // D = 0, C = 1: (D,D) = 0,0; (D,C) = 7,2; (C,D) = 2,7; (C,C) = 6,6.
    NormalForm::from_matrices(
        &[vec![0.0, 7.0], vec![2.0, 6.0]],
        &[vec![0.0, 2.0], vec![7.0, 6.0]],
    )
    .unwrap()
}

fn prob(ce: &[(Vec<usize>, f64)], s: &[usize]) -> f64 {
    ce.iter().find(|(t, _)| t == s).map_or(0.0, |(_, p)| *p)
}

#[test]
fn chicken_max_welfare_ce_is_ten_and_a_half() {
    // Known optimum: 1/4 (D,C), 1/4 (C,D), 1/2 (C,C); welfare 9/4 + 9/4 + 6 = 10.5.
    let ce = correlated_equilibrium(&chicken(), CeKind::Correlated, CeObjective::Welfare).unwrap();
    assert!(Tolerance::REPORT.eq(ce.objective, 10.5));
    assert!(Tolerance::REPORT.eq(prob(&ce.distribution, &[0, 1]), 0.25));
    assert!(Tolerance::REPORT.eq(prob(&ce.distribution, &[1, 0]), 0.25));
    assert!(Tolerance::REPORT.eq(prob(&ce.distribution, &[1, 1]), 0.5));
    assert!(Tolerance::REPORT.eq(ce.payoffs[0], 5.25));
    assert!(ce.regret <= Tolerance::LP.abs);
    let own = correlated_regret(&chicken(), &ce.distribution, false).unwrap();
    assert!(own <= Tolerance::LP.abs);
}

#[test]
fn chicken_coarse_welfare_optimum_is_also_ten_and_a_half() {
    // With μ = (a, b, c, d) on DD, DC, CD, CC the coarse constraints are b >= 2a, c >= 2a,
    // d <= 2c, d <= 2b; welfare 9(b + c) + 12d = 9 + 3d with d <= 1/2.
    let ce = correlated_equilibrium(&chicken(), CeKind::Coarse, CeObjective::Welfare).unwrap();
    assert!(Tolerance::REPORT.eq(ce.objective, 10.5));
    assert!(correlated_regret(&chicken(), &ce.distribution, true).unwrap() <= Tolerance::LP.abs);
}

#[test]
fn chicken_player_objectives() {
    // Player 0 can get 7 (the pure equilibrium (D,C)) and, in the worst CE, its minmax value 2.
    let hi =
        correlated_equilibrium(&chicken(), CeKind::Correlated, CeObjective::MaxPlayer(0)).unwrap();
    assert!(Tolerance::REPORT.eq(hi.objective, 7.0));
    let lo =
        correlated_equilibrium(&chicken(), CeKind::Correlated, CeObjective::MinPlayer(0)).unwrap();
    assert!(Tolerance::REPORT.eq(lo.objective, 2.0));
    assert!(Tolerance::REPORT.eq(lo.payoffs[0], 2.0));
}

#[test]
fn bad_player_index_and_oversized_games_are_errors() {
    let r = correlated_equilibrium(&chicken(), CeKind::Correlated, CeObjective::MaxPlayer(2));
    assert!(matches!(r, Err(Error::InvalidArgument(_))));
    let r = correlated_equilibrium(&chicken(), CeKind::Coarse, CeObjective::MinPlayer(7));
    assert!(matches!(r, Err(Error::InvalidArgument(_))));
    let big = ArrayD::zeros(IxDyn(&[200, 200]));
    let g = NormalForm::new(vec![big.clone(), big]).unwrap();
    match correlated_equilibrium(&g, CeKind::Correlated, CeObjective::Welfare) {
        Err(Error::TooLarge(msg)) => assert!(msg.contains("20000000"), "{msg}"),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn one_player_ce_is_the_best_action() {
    let t = ArrayD::from_shape_vec(IxDyn(&[3]), vec![1.0, 4.0, 2.0]).unwrap();
    let g = NormalForm::new(vec![t]).unwrap();
    let ce = correlated_equilibrium(&g, CeKind::Correlated, CeObjective::MinPlayer(0)).unwrap();
    assert_eq!(ce.distribution, vec![(vec![1], 1.0)]);
}

fn small_game() -> impl Strategy<Value = NormalForm> {
    prop_oneof![
        Just(vec![2usize, 2]),
        Just(vec![3, 3]),
        Just(vec![2, 3]),
        Just(vec![2, 2, 2])
    ]
    .prop_flat_map(|shape| {
        let n = shape.len();
        let cells: usize = shape.iter().product();
        prop::collection::vec(prop::collection::vec(-5i8..=5, cells), n).prop_map(move |ps| {
            let tensors = ps
                .into_iter()
                .map(|v| {
                    ArrayD::from_shape_vec(IxDyn(&shape), v.into_iter().map(f64::from).collect())
                        .unwrap()
                })
                .collect();
            NormalForm::new(tensors).unwrap()
        })
    })
}

/// The mixed equilibria of a 2x2 game with a fully mixed equilibrium (each player indifferent),
/// by the indifference conditions, as a product distribution.
fn fully_mixed_2x2(g: &NormalForm) -> Option<Vec<(Vec<usize>, f64)>> {
    if g.shape() != [2, 2] {
        return None;
    }
    let u = |p: usize, i: usize, j: usize| g.payoff(p, &[i, j]);
    // Column mixes q on 0 making the row player indifferent, row mixes x making the column one.
    let dq = u(0, 0, 0) - u(0, 0, 1) - u(0, 1, 0) + u(0, 1, 1);
    let dx = u(1, 0, 0) - u(1, 1, 0) - u(1, 0, 1) + u(1, 1, 1);
    if dq == 0.0 || dx == 0.0 {
        return None;
    }
    let q = (u(0, 1, 1) - u(0, 0, 1)) / dq;
    let x = (u(1, 1, 1) - u(1, 1, 0)) / dx;
    if !(0.0..=1.0).contains(&q) || !(0.0..=1.0).contains(&x) {
        return None;
    }
    let (xs, qs) = ([x, 1.0 - x], [q, 1.0 - q]);
    Some(
        (0..2)
            .flat_map(|i| (0..2).map(move |j| (vec![i, j], xs[i] * qs[j])))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn every_ce_satisfies_its_incentive_constraints(g in small_game()) {
        for (kind, coarse) in [(CeKind::Correlated, false), (CeKind::Coarse, true)] {
            for obj in [CeObjective::Welfare, CeObjective::MaxPlayer(1), CeObjective::MinPlayer(0)] {
                let ce = correlated_equilibrium(&g, kind, obj).unwrap();
                let r = correlated_regret(&g, &ce.distribution, coarse).unwrap();
                prop_assert!(r <= Tolerance::LP.abs, "{kind:?} {obj:?}: regret {r}");
                prop_assert!(Tolerance::LP.eq(ce.regret, r));
            }
        }
    }

    #[test]
    fn nash_equilibria_are_feasible_and_bound_the_optimum(g in small_game()) {
        let ce = correlated_equilibrium(&g, CeKind::Correlated, CeObjective::Welfare).unwrap();
        let cce = correlated_equilibrium(&g, CeKind::Coarse, CeObjective::Welfare).unwrap();
        // Every CE is a CCE, so the coarse optimum is at least as good.
        prop_assert!(Tolerance::LP.le(ce.objective, cce.objective));
        let mut nash: Vec<Vec<(Vec<usize>, f64)>> = pure_equilibria(&g)
            .iter()
            .map(|e| {
                let s = e.strategies.iter().map(|x| x.iter().position(|&p| p == 1.0).unwrap());
                vec![(s.collect(), 1.0)]
            })
            .collect();
        nash.extend(fully_mixed_2x2(&g));
        for d in nash {
            prop_assert!(correlated_regret(&g, &d, false).unwrap() <= Tolerance::LP.abs);
            let welfare: f64 = d
                .iter()
                .map(|(s, p)| p * (0..g.num_players()).map(|q| g.payoff(q, s)).sum::<f64>())
                .sum();
            prop_assert!(Tolerance::LP.le(welfare, ce.objective), "{welfare} > {}", ce.objective);
        }
    }
}

#[test]
fn progress_reports_each_player_then_the_solve() {
    use covenant::noncoop::correlated_equilibrium_with_progress;
    // Chicken (Aumann 1974's example), 2 players: steps 0, 1, 2 of 3, then 3 of 3.
    let g = covenant::game::NormalForm::from_matrices(
        &[[0.0, 7.0], [2.0, 6.0]],
        &[[0.0, 2.0], [7.0, 6.0]],
    )
    .unwrap();
    let mut seen = Vec::new();
    let mut report = |done: usize, total: usize| seen.push((done, total));
    let ce = correlated_equilibrium_with_progress(
        &g,
        covenant::noncoop::CeKind::Correlated,
        covenant::noncoop::CeObjective::Welfare,
        Some(&mut report),
    )
    .unwrap();
    assert_eq!(seen, vec![(0, 3), (1, 3), (2, 3), (3, 3)]);
    assert!(ce.regret < 1e-6);
}
