//! Zero-sum and constant-sum games: textbook values, peer values, and invariances.

mod common;

use covenant::game::Bimatrix;
use covenant::lp::dense::solve_packing;
use covenant::lp::{Backend, LpStatus};
use covenant::noncoop::{solve_zero_sum, solve_zero_sum_with, ZeroSum};
use covenant::{Error, Tolerance};
use nalgebra::{dmatrix, DMatrix};
use proptest::prelude::*;
use serde_json::Value;

const REF: &str = common::NONCOOP;

/// A reference matrix as nalgebra's.
fn matrix(v: &Value) -> DMatrix<f64> {
    let rows = common::matrix(v);
    DMatrix::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j])
}

/// Checks the certificate from the definitions, sharing nothing with the solver.
fn assert_certified(a: &DMatrix<f64>, z: &ZeroSum) {
    let (m, n) = a.shape();
    for s in [&z.row, &z.col] {
        assert!(s.iter().all(|&p| p >= 0.0));
        assert!(Tolerance::DEFAULT.eq(s.iter().sum(), 1.0));
    }
    let worst_col = (0..n)
        .map(|j| (0..m).map(|i| z.row[i] * a[(i, j)]).sum::<f64>())
        .fold(f64::INFINITY, f64::min);
    let best_row = (0..m)
        .map(|i| (0..n).map(|j| a[(i, j)] * z.col[j]).sum::<f64>())
        .fold(f64::NEG_INFINITY, f64::max);
    assert!(
        Tolerance::REPORT.eq(worst_col, z.value),
        "{worst_col} vs {}",
        z.value
    );
    assert!(
        Tolerance::REPORT.eq(best_row, z.value),
        "{best_row} vs {}",
        z.value
    );
    assert!(Tolerance::REPORT.eq(z.row_guarantee, worst_col));
    assert!(Tolerance::REPORT.eq(z.col_guarantee, best_row));
}

#[test]
fn rock_paper_scissors_has_value_zero_and_uniform_strategies() {
    let a = dmatrix![0.0, -1.0, 1.0; 1.0, 0.0, -1.0; -1.0, 1.0, 0.0];
    let z = solve_zero_sum(&Bimatrix::zero_sum(a.clone()).unwrap()).unwrap();
    assert!(Tolerance::REPORT.eq(z.value, 0.0));
    for p in z.row.iter().chain(&z.col) {
        assert!(Tolerance::REPORT.eq(*p, 1.0 / 3.0));
    }
    assert_eq!(z.constant, 0.0);
    assert_certified(&a, &z);
}

#[test]
fn a_two_by_two_without_saddle_point_has_value_one_seventh() {
    // x = 3/7: 3x − 2(1−x) = −x + (1−x) = 1/7; y = 2/7: 3y − (1−y) = −2y + (1−y) = 1/7.
    let a = dmatrix![3.0, -1.0; -2.0, 1.0];
    let z = solve_zero_sum(&Bimatrix::zero_sum(a.clone()).unwrap()).unwrap();
    assert!(Tolerance::REPORT.eq(z.value, 1.0 / 7.0));
    assert!(Tolerance::REPORT.eq(z.row[0], 3.0 / 7.0));
    assert!(Tolerance::REPORT.eq(z.col[0], 2.0 / 7.0));
    assert_certified(&a, &z);
}

#[test]
fn a_saddle_point_is_found_as_pure_strategies() {
    // Row 1 / column 0 is a saddle point with value 4 (max of row minima = min of column maxima).
    let a = dmatrix![1.0, 8.0, 2.0; 4.0, 5.0, 6.0; 3.0, 0.0, 7.0];
    let z = solve_zero_sum(&Bimatrix::zero_sum(a.clone()).unwrap()).unwrap();
    assert!(Tolerance::REPORT.eq(z.value, 4.0));
    assert!(Tolerance::REPORT.eq(z.row[1], 1.0));
    assert!(Tolerance::REPORT.eq(z.col[0], 1.0));
}

#[test]
fn constant_sum_games_are_solved_for_the_row_player() {
    // Matching pennies with payoffs in {0, 1} and a + b = 1: value 1/2 for the row player.
    let a = dmatrix![1.0, 0.0; 0.0, 1.0];
    let b = a.map(|v| 1.0 - v);
    let z = solve_zero_sum(&Bimatrix::new(a.clone(), b).unwrap()).unwrap();
    assert!(Tolerance::REPORT.eq(z.value, 0.5));
    assert!(Tolerance::REPORT.eq(z.constant, 1.0));
    assert_certified(&a, &z);
}

#[test]
fn a_non_constant_sum_game_is_rejected_with_its_deviation() {
    // Prisoner's dilemma: a + b ranges over 6, 5, 5, 2: deviation 4 from a00 + b00 = 6.
    let g = Bimatrix::new(dmatrix![3.0, 0.0; 5.0, 1.0], dmatrix![3.0, 5.0; 0.0, 1.0]).unwrap();
    match solve_zero_sum(&g) {
        Err(Error::InvalidArgument(msg)) => assert!(msg.contains("by up to 4"), "{msg}"),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

#[test]
fn one_by_one_and_single_row_games() {
    let z = solve_zero_sum(&Bimatrix::zero_sum(dmatrix![-2.5]).unwrap()).unwrap();
    assert!(Tolerance::REPORT.eq(z.value, -2.5));
    let a = dmatrix![4.0, -1.0, 3.0];
    let z = solve_zero_sum(&Bimatrix::zero_sum(a.clone()).unwrap()).unwrap();
    assert!(Tolerance::REPORT.eq(z.value, -1.0));
    assert!(Tolerance::REPORT.eq(z.col[1], 1.0));
    assert_certified(&a, &z);
}

#[test]
fn reference_values_agree_with_scipy_highs_and_gambit() {
    for name in [
        "zerosum_10x10_0",
        "zerosum_10x10_1",
        "zerosum_10x10_2",
        "zerosum_100x100_0",
        "zerosum_100x100_1",
        "zerosum_300x300_0",
        "zerosum_300x300_1",
    ] {
        let game = common::read_json(&format!("{REF}/{name}.json"));
        let (a, b) = (matrix(&game["A"]), matrix(&game["B"]));
        let z = solve_zero_sum(&Bimatrix::new(a.clone(), b).unwrap()).unwrap();
        assert_certified(&a, &z);
        let scipy = common::read_json(&format!(
            "{REF}/equilibria/{name}__scipy_linprog_highs.json"
        ));
        let v = scipy["value"].as_f64().unwrap();
        assert!(
            Tolerance::REPORT.eq(z.value, v),
            "{name}: {} vs scipy {v}",
            z.value
        );
        let gambit = common::read_json(&format!("{REF}/equilibria/{name}__gambit_lp_dbl.json"));
        let v: f64 = gambit["value"].as_str().unwrap().parse().unwrap();
        assert!(
            Tolerance::REPORT.eq(z.value, v),
            "{name}: {} vs gambit {v}",
            z.value
        );
    }
}

#[test]
fn the_dense_packing_lp_solves_the_reference_games_without_fallback() {
    // solve_zero_sum falls back to another method when the dense simplex fails to certify;
    // check the dense simplex itself: optimal, primal and dual feasible, objectives equal.
    for name in ["zerosum_100x100_0", "zerosum_300x300_1"] {
        let a = matrix(&common::read_json(&format!("{REF}/{name}.json"))["A"]);
        let (lo, hi) = (a.min(), a.max());
        let scaled = a.map(|v| 1.0 + (v - lo) / (hi - lo));
        let (m, n) = scaled.shape();
        let s = solve_packing(&scaled, &vec![1.0; n], &vec![1.0; m], 1e-11).unwrap();
        assert_eq!(s.status, LpStatus::Optimal);
        let primal_slack = (0..m)
            .map(|i| (0..n).map(|j| scaled[(i, j)] * s.primal[j]).sum::<f64>())
            .fold(f64::NEG_INFINITY, f64::max);
        let dual_slack = (0..n)
            .map(|j| (0..m).map(|i| scaled[(i, j)] * s.dual[i]).sum::<f64>())
            .fold(f64::INFINITY, f64::min);
        assert!(Tolerance::LP.le(primal_slack, 1.0) && Tolerance::LP.le(1.0, dual_slack));
        assert!(Tolerance::LP.eq(s.dual.iter().sum(), s.objective));
        // Value of the original game from the LP value 1 / Σw of the scaled one.
        let v = lo + (hi - lo) * (1.0 / s.objective - 1.0);
        let scipy = common::read_json(&format!(
            "{REF}/equilibria/{name}__scipy_linprog_highs.json"
        ));
        assert!(
            Tolerance::REPORT.eq(v, scipy["value"].as_f64().unwrap()),
            "{name}: {v}"
        );
    }
}

#[test]
fn a_constant_matrix_has_its_constant_as_value() {
    let a = DMatrix::from_element(3, 4, 2.5);
    let z = solve_zero_sum(&Bimatrix::zero_sum(a.clone()).unwrap()).unwrap();
    assert!(Tolerance::REPORT.eq(z.value, 2.5));
    assert_certified(&a, &z);
}

#[test]
fn every_backend_gives_the_same_value() {
    let game = common::read_json(&format!("{REF}/zerosum_10x10_0.json"));
    let a = matrix(&game["A"]);
    let g = Bimatrix::zero_sum(a.clone()).unwrap();
    for backend in Backend::all_available() {
        let z = solve_zero_sum_with(&g, backend).unwrap();
        assert!(
            Tolerance::REPORT.eq(z.value, 52.91797401230001),
            "{}",
            backend.name()
        );
        assert_certified(&a, &z);
    }
}

fn small_matrix() -> impl Strategy<Value = DMatrix<f64>> {
    (1usize..=5, 1usize..=5).prop_flat_map(|(m, n)| {
        prop::collection::vec(-20i32..=20, m * n)
            .prop_map(move |v| DMatrix::from_fn(m, n, |i, j| f64::from(v[i * n + j])))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_value_equals_both_guarantees(a in small_matrix()) {
        let z = solve_zero_sum(&Bimatrix::zero_sum(a.clone()).unwrap()).unwrap();
        assert_certified(&a, &z);
    }

    #[test]
    fn the_value_shifts_and_scales_with_the_payoffs(
        a in small_matrix(),
        c in -50i32..=50,
        s in 1u32..=8,
    ) {
        let (c, s) = (f64::from(c), f64::from(s) / 4.0);
        let v = solve_zero_sum(&Bimatrix::zero_sum(a.clone()).unwrap()).unwrap().value;
        let shifted = a.map(|x| x + c);
        let vs = solve_zero_sum(&Bimatrix::zero_sum(shifted).unwrap()).unwrap().value;
        prop_assert!(Tolerance::REPORT.eq(vs, v + c), "{vs} vs {v} + {c}");
        let scaled = a.map(|x| x * s);
        let vk = solve_zero_sum(&Bimatrix::zero_sum(scaled).unwrap()).unwrap().value;
        prop_assert!(Tolerance::REPORT.eq(vk, s * v), "{vk} vs {s} * {v}");
    }

    #[test]
    fn transposing_and_negating_swaps_the_players(a in small_matrix()) {
        let z = solve_zero_sum(&Bimatrix::zero_sum(a.clone()).unwrap()).unwrap();
        let t = solve_zero_sum(&Bimatrix::zero_sum(-a.transpose()).unwrap()).unwrap();
        prop_assert!(Tolerance::REPORT.eq(t.value, -z.value));
    }
}
