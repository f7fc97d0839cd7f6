//! Pure-strategy Nash equilibria: textbook games, peer answers, and a brute force.

mod common;

use covenant::game::NormalForm;
use covenant::noncoop::{pure_equilibria, pure_profile};
use covenant::Tolerance;
use ndarray::{ArrayD, IxDyn};
use proptest::prelude::*;
use std::collections::BTreeSet;

const REF: &str = common::NONCOOP;

fn profiles(g: &NormalForm) -> Vec<Vec<usize>> {
    pure_equilibria(g)
        .iter()
        .map(|e| pure_profile(&e.strategies).expect("a pure equilibrium is pure"))
        .collect()
}

/// Brute force straight from the definition: no player gains from any unilateral deviation.
fn brute_force(g: &NormalForm) -> Vec<Vec<usize>> {
    g.profiles()
        .filter(|s| {
            (0..g.num_players()).all(|p| {
                (0..g.shape()[p]).all(|b| {
                    let mut t = s.clone();
                    t[p] = b;
                    g.payoff(p, &t) <= g.payoff(p, s)
                })
            })
        })
        .collect()
}

#[test]
fn prisoners_dilemma_has_only_defect_defect() {
    let g = NormalForm::from_matrices(
        &[vec![3.0, 0.0], vec![5.0, 1.0]],
        &[vec![3.0, 5.0], vec![0.0, 1.0]],
    )
    .unwrap();
    let eqs = pure_equilibria(&g);
    assert_eq!(eqs.len(), 1);
    assert_eq!(eqs[0].strategies, vec![vec![0.0, 1.0], vec![0.0, 1.0]]);
    assert_eq!(eqs[0].payoffs, vec![1.0, 1.0]);
    assert_eq!(eqs[0].regret, 0.0);
}

#[test]
fn battle_of_the_sexes_has_two_and_matching_pennies_none() {
    let bos = NormalForm::from_matrices(
        &[vec![3.0, 0.0], vec![0.0, 2.0]],
        &[vec![2.0, 0.0], vec![0.0, 3.0]],
    )
    .unwrap();
    assert_eq!(profiles(&bos), vec![vec![0, 0], vec![1, 1]]);
    let pennies = NormalForm::from_matrices(
        &[vec![1.0, -1.0], vec![-1.0, 1.0]],
        &[vec![-1.0, 1.0], vec![1.0, -1.0]],
    )
    .unwrap();
    assert!(pure_equilibria(&pennies).is_empty());
}

#[test]
fn classic_games_match_the_known_pure_equilibria() {
    let doc = common::read_json(&format!("{REF}/classic.json"));
    for (name, game) in doc["games"].as_object().unwrap() {
        let g = NormalForm::from_matrices(&common::matrix(&game["A"]), &common::matrix(&game["B"]))
            .unwrap();
        let known: BTreeSet<Vec<usize>> = game["known"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|eq| {
                eq.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| {
                        let x: Vec<&str> = x
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v.as_str().unwrap())
                            .collect();
                        let ones: Vec<usize> = (0..x.len()).filter(|&i| x[i] == "1").collect();
                        (ones.len() == 1 && x.iter().all(|v| *v == "0" || *v == "1"))
                            .then(|| ones[0])
                    })
                    .collect::<Option<Vec<usize>>>()
            })
            .collect();
        let ours: BTreeSet<Vec<usize>> = profiles(&g).into_iter().collect();
        assert_eq!(ours, known, "{name}");
    }
}

#[test]
fn reference_games_match_gambit_enumpure_and_quantecon_brute_force() {
    let names = [
        "bimatrix_5x5_0",
        "bimatrix_5x5_1",
        "bimatrix_5x5_2",
        "bimatrix_10x10_0",
        "bimatrix_10x10_1",
        "bimatrix_10x10_2",
        "bimatrix_20x20_0",
        "bimatrix_20x20_1",
        "bimatrix_50x50_0",
        "bimatrix_50x50_1",
        "bimatrix_100x100_0",
        "bimatrix_100x100_1",
    ];
    for name in names {
        let game = common::read_json(&format!("{REF}/{name}.json"));
        let g = NormalForm::from_matrices(&common::matrix(&game["A"]), &common::matrix(&game["B"]))
            .unwrap();
        let ours: BTreeSet<Vec<usize>> = profiles(&g).into_iter().collect();
        for peer in ["gambit_enumpure", "quantecon_pure_nash_brute"] {
            let answer = common::read_json(&format!("{REF}/equilibria/{name}__{peer}.json"));
            let theirs: BTreeSet<Vec<usize>> = answer["equilibria"]
                .as_array()
                .unwrap()
                .iter()
                .map(|eq| {
                    eq.as_array()
                        .unwrap()
                        .iter()
                        .map(|x| {
                            let x = x.as_array().unwrap();
                            (0..x.len())
                                .find(|&i| x[i].as_f64().unwrap() == 1.0)
                                .unwrap()
                        })
                        .collect()
                })
                .collect();
            assert_eq!(ours, theirs, "{name} vs {peer}");
        }
    }
}

#[test]
fn three_player_coordination_has_the_two_unanimous_profiles() {
    // Everybody gets 1 when all three choose the same action, 0 otherwise.
    let t = ArrayD::from_shape_fn(IxDyn(&[2, 2, 2]), |ix| {
        f64::from(u8::from(ix[0] == ix[1] && ix[1] == ix[2]))
    });
    let g = NormalForm::new(vec![t.clone(), t.clone(), t]).unwrap();
    assert_eq!(profiles(&g), vec![vec![0, 0, 0], vec![1, 1, 1]]);
}

#[test]
fn one_player_game_equilibria_are_the_maximisers() {
    let g = NormalForm::new(vec![ArrayD::from_shape_vec(
        IxDyn(&[4]),
        vec![1.0, 3.0, 2.0, 3.0],
    )
    .unwrap()])
    .unwrap();
    assert_eq!(profiles(&g), vec![vec![1], vec![3]]);
}

#[test]
fn a_game_without_players_cannot_be_built() {
    assert!(NormalForm::new(vec![]).is_err());
}

fn small_game() -> impl Strategy<Value = NormalForm> {
    (1usize..=3)
        .prop_flat_map(|n| prop::collection::vec(1usize..=3, n))
        .prop_flat_map(|shape| {
            let n = shape.len();
            let cells: usize = shape.iter().product();
            prop::collection::vec(prop::collection::vec(0i8..4, cells), n).prop_map(move |ps| {
                let tensors = ps
                    .into_iter()
                    .map(|v| {
                        ArrayD::from_shape_vec(
                            IxDyn(&shape),
                            v.into_iter().map(f64::from).collect(),
                        )
                        .unwrap()
                    })
                    .collect();
                NormalForm::new(tensors).unwrap()
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn pure_equilibria_equal_the_brute_force(g in small_game()) {
        prop_assert_eq!(profiles(&g), brute_force(&g));
        for e in pure_equilibria(&g) {
            prop_assert!(Tolerance::DEFAULT.is_zero(e.regret));
        }
    }

    #[test]
    fn relabelling_strategies_permutes_the_equilibria(
        g in small_game(),
        seed in any::<u64>(),
    ) {
        // Reverse-rotate each player's actions by a seed-dependent amount.
        let shape = g.shape().to_vec();
        let shift: Vec<usize> =
            shape.iter().enumerate().map(|(p, &k)| ((seed >> (8 * p)) as usize) % k).collect();
        let relabel = |s: &[usize]| -> Vec<usize> {
            s.iter().zip(&shape).zip(&shift).map(|((&a, &k), &r)| (a + r) % k).collect()
        };
        let tensors = g
            .payoff_tensors()
            .iter()
            .map(|t| {
                ArrayD::from_shape_fn(IxDyn(&shape), |ix| {
                    // New action a' = old action a + r (mod k): new[a'] = old[a' - r].
                    let old: Vec<usize> = (0..shape.len())
                        .map(|d| (ix[d] + shape[d] - shift[d]) % shape[d])
                        .collect();
                    t[IxDyn(&old)]
                })
            })
            .collect();
        let h = NormalForm::new(tensors).unwrap();
        let expected: BTreeSet<Vec<usize>> = profiles(&g).iter().map(|s| relabel(s)).collect();
        let got: BTreeSet<Vec<usize>> = profiles(&h).into_iter().collect();
        prop_assert_eq!(got, expected);
    }
}
