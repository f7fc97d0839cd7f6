//! Stackelberg commitment: Conitzer–Sandholm's example, peer equilibria as lower bounds, and
//! the follower's best-response certificate.

mod common;

use covenant::game::Bimatrix;
use covenant::noncoop::{pure_equilibria, stackelberg, Stackelberg};
use covenant::{Error, Tolerance};
use nalgebra::{dmatrix, DMatrix};
use num_rational::BigRational;
use proptest::prelude::*;
use serde_json::Value;

const REF: &str = common::NONCOOP;

/// A reference matrix as nalgebra's.
fn matrix(v: &Value) -> DMatrix<f64> {
    let rows = common::matrix(v);
    DMatrix::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j])
}

/// Leader's and follower's payoff matrices with the leader on rows.
fn oriented(g: &Bimatrix, leader: usize) -> (DMatrix<f64>, DMatrix<f64>) {
    if leader == 0 {
        (g.a().clone(), g.b().clone())
    } else {
        (g.b().transpose(), g.a().transpose())
    }
}

/// Recomputes payoffs and the follower's regret from the definition.
fn assert_certified(g: &Bimatrix, s: &Stackelberg) {
    let (l, f) = oriented(g, s.leader);
    let x = &s.leader_strategy;
    assert!(x.iter().all(|&p| p >= 0.0));
    assert!(Tolerance::DEFAULT.eq(x.iter().sum(), 1.0));
    let follower: Vec<f64> = (0..f.ncols())
        .map(|k| (0..f.nrows()).map(|i| x[i] * f[(i, k)]).sum())
        .collect();
    let best = follower.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let j = s.follower_action;
    assert!(
        Tolerance::LP.eq(follower[j], best),
        "follower action is not a best response"
    );
    assert!(Tolerance::LP.eq(s.follower_payoff, follower[j]));
    assert!(s.follower_regret <= Tolerance::LP.threshold(best));
    let leader: f64 = (0..l.nrows()).map(|i| x[i] * l[(i, j)]).sum();
    assert!(Tolerance::LP.eq(s.leader_payoff, leader));
}

fn conitzer_sandholm() -> Bimatrix {
    // Conitzer & Sandholm (2006), Fig. 1: Up strictly dominates Down for the leader, so the
    // unique Nash equilibrium is (Up, Left) with leader payoff 2. Committing to Up with
    // probability x makes Right a best response iff 1 − x >= x; the leader then gets
    // 4x + 3(1 − x) = 3 + x, maximised at x = 1/2: payoff 3.5, follower 1/2.
    Bimatrix::new(dmatrix![2.0, 4.0; 1.0, 3.0], dmatrix![1.0, 0.0; 0.0, 1.0]).unwrap()
}

#[test]
fn commitment_beats_nash_in_conitzer_sandholms_example() {
    let g = conitzer_sandholm();
    let s = stackelberg(&g, 0).unwrap();
    assert!(Tolerance::REPORT.eq(s.leader_payoff, 3.5));
    assert!(Tolerance::REPORT.eq(s.follower_payoff, 0.5));
    assert_eq!(s.follower_action, 1);
    assert!(Tolerance::REPORT.eq(s.leader_strategy[0], 0.5));
    assert_certified(&g, &s);
    let nash = pure_equilibria(&g.to_normal_form());
    assert_eq!(nash.len(), 1);
    assert_eq!(nash[0].payoffs[0], 2.0);
}

#[test]
fn the_column_player_can_lead_too() {
    // The same game with the roles swapped: the column player leads.
    let g = conitzer_sandholm();
    let swapped = Bimatrix::new(g.b().transpose(), g.a().transpose()).unwrap();
    let s = stackelberg(&swapped, 1).unwrap();
    assert_eq!(s.leader, 1);
    assert!(Tolerance::REPORT.eq(s.leader_payoff, 3.5));
    assert_eq!(s.follower_action, 1);
    assert_certified(&swapped, &s);
}

#[test]
fn leader_index_two_is_rejected() {
    let r = stackelberg(&conitzer_sandholm(), 2);
    assert!(matches!(r, Err(Error::InvalidArgument(_))));
}

#[test]
fn a_single_follower_action_means_the_leader_picks_its_best_row() {
    let g = Bimatrix::new(dmatrix![1.0; 5.0; 3.0], dmatrix![0.0; 0.0; 0.0]).unwrap();
    let s = stackelberg(&g, 0).unwrap();
    assert!(Tolerance::REPORT.eq(s.leader_payoff, 5.0));
    assert!(Tolerance::REPORT.eq(s.leader_strategy[1], 1.0));
}

fn parse_fraction(s: &str) -> f64 {
    let r: BigRational = s.parse().unwrap();
    let (n, d) = (r.numer().to_string(), r.denom().to_string());
    n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap()
}

#[test]
fn commitment_is_worth_at_least_every_nash_equilibrium_of_the_reference_games() {
    // von Stengel & Zamir (2010): the leader's commitment payoff is at least its payoff in any
    // Nash equilibrium. Gambit's exact enumeration gives all extreme equilibria.
    for name in [
        "bimatrix_5x5_0",
        "bimatrix_5x5_1",
        "bimatrix_5x5_2",
        "bimatrix_10x10_0",
        "bimatrix_10x10_1",
        "bimatrix_10x10_2",
    ] {
        let game = common::read_json(&format!("{REF}/{name}.json"));
        let g = Bimatrix::new(matrix(&game["A"]), matrix(&game["B"])).unwrap();
        let eqs = common::read_json(&format!(
            "{REF}/equilibria/{name}__gambit_enummixed_rat.json"
        ));
        for leader in [0, 1] {
            let s = stackelberg(&g, leader).unwrap();
            assert_certified(&g, &s);
            let (l, _) = oriented(&g, leader);
            for eq in eqs["exact"].as_array().unwrap() {
                let prof: Vec<Vec<f64>> = eq
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| {
                        x.as_array()
                            .unwrap()
                            .iter()
                            .map(|v| parse_fraction(v.as_str().unwrap()))
                            .collect()
                    })
                    .collect();
                let (x, y) = if leader == 0 {
                    (&prof[0], &prof[1])
                } else {
                    (&prof[1], &prof[0])
                };
                let nash: f64 = (0..l.nrows())
                    .flat_map(|i| (0..l.ncols()).map(move |j| (i, j)))
                    .map(|(i, j)| x[i] * y[j] * l[(i, j)])
                    .sum();
                assert!(
                    Tolerance::LP.le(nash, s.leader_payoff),
                    "{name} leader {leader}: {nash} > {}",
                    s.leader_payoff
                );
            }
        }
    }
}

#[test]
fn bimatrix_50x50_commitment_is_certified() {
    let game = common::read_json(&format!("{REF}/bimatrix_50x50_0.json"));
    let g = Bimatrix::new(matrix(&game["A"]), matrix(&game["B"])).unwrap();
    let s = stackelberg(&g, 0).unwrap();
    assert_certified(&g, &s);
    for e in pure_equilibria(&g.to_normal_form()) {
        assert!(Tolerance::LP.le(e.payoffs[0], s.leader_payoff));
    }
}

fn small_bimatrix() -> impl Strategy<Value = Bimatrix> {
    (1usize..=4, 1usize..=4).prop_flat_map(|(m, n)| {
        (
            prop::collection::vec(-9i8..=9, m * n),
            prop::collection::vec(-9i8..=9, m * n),
        )
            .prop_map(move |(a, b)| {
                Bimatrix::new(
                    DMatrix::from_fn(m, n, |i, j| f64::from(a[i * n + j])),
                    DMatrix::from_fn(m, n, |i, j| f64::from(b[i * n + j])),
                )
                .unwrap()
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn commitment_value_is_at_least_every_pure_nash_and_pure_commitment(g in small_bimatrix()) {
        for leader in [0, 1] {
            let s = stackelberg(&g, leader).unwrap();
            assert_certified(&g, &s);
            for e in pure_equilibria(&g.to_normal_form()) {
                prop_assert!(Tolerance::LP.le(e.payoffs[leader], s.leader_payoff));
            }
            // Committing to a pure action i, with ties broken for the leader.
            let (l, f) = oriented(&g, leader);
            for i in 0..l.nrows() {
                let best = (0..f.ncols()).map(|k| f[(i, k)]).fold(f64::NEG_INFINITY, f64::max);
                let pure = (0..f.ncols())
                    .filter(|&k| f[(i, k)] == best)
                    .map(|k| l[(i, k)])
                    .fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(Tolerance::LP.le(pure, s.leader_payoff));
            }
        }
    }
}
