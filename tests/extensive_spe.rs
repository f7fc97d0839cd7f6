//! Backward induction (all pure subgame-perfect equilibria), pure enumeration and the agent form.

mod extensive_common;

use covenant::extensive::{
    agent_form_pure_equilibria, backward_induction, behaviour_to_mixed, mixed_to_behaviour,
    pure_subgame_perfect, reduced_strategic_form, tree_regret,
};
use covenant::game::{GameTree, TreeSpec};
use covenant::io::read_efg;
use covenant::noncoop::pure_equilibria;
use covenant::verify;
use extensive_common::{random_tree, reversed, Shape};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

fn model(name: &str) -> GameTree {
    read_efg(&Path::new("models/games").join(name)).unwrap()
}

fn action_names(t: &GameTree, actions: &[usize]) -> Vec<String> {
    actions
        .iter()
        .zip(t.infosets())
        .map(|(&a, s)| format!("{}:{}", s.label, s.actions[a]))
        .collect()
}

#[test]
fn credible_threat_deters_the_challenger() {
    // Zagare & Kilgour (2000): a defender who prefers conflict to conceding deters.
    let t = model("deterrence_credible.efg");
    let spe = backward_induction(&t).unwrap();
    assert_eq!(spe.len(), 1);
    assert_eq!(
        action_names(&t, &spe[0].pure_actions().unwrap()),
        ["Challenger:Not challenge", "Defender:Resist"]
    );
    assert_eq!(spe[0].payoffs, vec![0.0, 0.0]);
}

#[test]
fn incredible_threat_fails_and_its_nash_equilibrium_is_not_subgame_perfect() {
    let t = model("deterrence_not_credible.efg");
    let spe = backward_induction(&t).unwrap();
    assert_eq!(spe.len(), 1);
    assert_eq!(
        action_names(&t, &spe[0].pure_actions().unwrap()),
        ["Challenger:Challenge", "Defender:Concede"]
    );
    // The reduced strategic form has a second pure Nash equilibrium, (Not challenge, Resist):
    // the threat that subgame perfection removes.
    let r = reduced_strategic_form(&t).unwrap();
    let nash = pure_equilibria(&r.game);
    assert_eq!(nash.len(), 2);
    assert_eq!(pure_subgame_perfect(&t).unwrap().len(), 1);
    // The agent form keeps the incredible threat (the defender's node is off the path).
    assert_eq!(agent_form_pure_equilibria(&t).unwrap().len(), 2);
}

#[test]
fn escalation_ladder_ends_with_the_defender_conceding() {
    let t = model("escalation_ladder.efg");
    let spe = backward_induction(&t).unwrap();
    assert_eq!(spe.len(), 1);
    assert_eq!(
        action_names(&t, &spe[0].pure_actions().unwrap()),
        [
            "A round 1:Escalate",
            "B round 1:Concede",
            "A round 2:Escalate again",
            "B round 2:Back down"
        ]
    );
    assert_eq!(spe[0].payoffs, vec![2.0, -2.0]);
}

#[test]
fn ties_give_every_subgame_perfect_equilibrium() {
    // B is indifferent between x and y; when B plays x, A is indifferent between L and R.
    // The SPE are (L, x), (R, x) and (L, y): three, not a product of per-node choices.
    let t = GameTree::new(
        vec!["A".into(), "B".into()],
        TreeSpec::decision(
            0,
            "a",
            vec![
                ("L", TreeSpec::leaf(&[1, 5])),
                (
                    "R",
                    TreeSpec::decision(
                        1,
                        "b",
                        vec![
                            ("x", TreeSpec::leaf(&[1, 0])),
                            ("y", TreeSpec::leaf(&[0, 0])),
                        ],
                    ),
                ),
            ],
        ),
    )
    .unwrap();
    let spe = backward_induction(&t).unwrap();
    let got: BTreeSet<Vec<usize>> = spe.iter().map(|e| e.pure_actions().unwrap()).collect();
    let want: BTreeSet<Vec<usize>> = [vec![0, 0], vec![1, 0], vec![0, 1]].into_iter().collect();
    assert_eq!(got, want);
    assert!(spe.iter().all(|e| e.regret == 0.0));
}

#[test]
fn imperfect_information_is_refused_by_backward_induction() {
    let t = model("kuhn_poker.efg");
    let e = backward_induction(&t).unwrap_err().to_string();
    assert!(e.contains("perfect information"), "{e}");
}

#[test]
fn agent_form_equilibrium_need_not_be_nash() {
    // One player moving twice: (Out, x) survives one-set deviations but not (In, y).
    let t = GameTree::new(
        vec!["A".into()],
        TreeSpec::decision(
            0,
            "a",
            vec![
                ("Out", TreeSpec::leaf(&[1])),
                (
                    "In",
                    TreeSpec::decision(
                        0,
                        "b",
                        vec![("x", TreeSpec::leaf(&[0])), ("y", TreeSpec::leaf(&[2]))],
                    ),
                ),
            ],
        ),
    )
    .unwrap();
    let agent = agent_form_pure_equilibria(&t).unwrap();
    let out_x = agent
        .iter()
        .find(|e| e.pure_actions() == Some(vec![0, 0]))
        .expect("(Out, x) is an agent-form equilibrium");
    assert_eq!(out_x.regret, 1.0);
    assert!(agent.iter().any(|e| e.pure_actions() == Some(vec![1, 1])));
}

#[test]
fn horse_has_one_proper_subgame() {
    let t = read_efg(Path::new("tests/data/efg/horse.efg")).unwrap();
    assert_eq!(covenant::extensive::certify::subgame_roots(&t), vec![0]);
    for e in agent_form_pure_equilibria(&t).unwrap() {
        assert!(e.regret >= 0.0);
    }
}

fn pi_shape(players: usize) -> Shape {
    Shape {
        players,
        perfect_information: true,
        zero_sum: false,
        max_depth: 4,
        chance: true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn backward_induction_equals_enumeration_of_pure_spe(seed in any::<u64>(), players in 2usize..4) {
        let t = random_tree(seed, Shape { max_depth: 3, ..pi_shape(players) });
        let bi: BTreeSet<Vec<usize>> = backward_induction(&t).unwrap().iter().map(|e| e.pure_actions().unwrap()).collect();
        let en = pure_subgame_perfect(&t);
        prop_assume!(!matches!(en, Err(covenant::Error::TooLarge(_))));
        let en: BTreeSet<Vec<usize>> = en.unwrap().iter().map(|e| e.pure_actions().unwrap()).collect();
        prop_assert!(!bi.is_empty());
        prop_assert_eq!(bi, en);
    }

    #[test]
    fn spe_are_nash_equilibria_of_the_reduced_strategic_form(seed in any::<u64>(), players in 2usize..4) {
        let t = random_tree(seed, pi_shape(players));
        let r = reduced_strategic_form(&t).unwrap();
        for e in backward_induction(&t).unwrap() {
            prop_assert!(e.regret <= 1e-12);
            let mixed = behaviour_to_mixed(&t, &r, &e.behaviour).unwrap();
            prop_assert!(verify::regret(&r.game, &mixed).unwrap() <= 1e-9);
            let payoffs = verify::expected_payoffs(&r.game, &mixed);
            for (a, b) in payoffs.iter().zip(&e.payoffs) {
                prop_assert!((a - b).abs() <= 1e-9);
            }
            // Mixed back to behaviour is the same pure profile where the path reaches, and an
            // equilibrium.
            let back = mixed_to_behaviour(&t, &r, &mixed).unwrap();
            prop_assert!(tree_regret(&t, &back).unwrap() <= 1e-9);
        }
    }

    #[test]
    fn relabelling_actions_keeps_the_spe_payoffs(seed in any::<u64>()) {
        let t = random_tree(seed, pi_shape(2));
        let u = GameTree::new(t.players().to_vec(), reversed(&t.to_spec())).unwrap();
        let pay = |t: &GameTree| -> BTreeSet<Vec<String>> {
            backward_induction(t).unwrap().iter().map(|e| e.payoffs.iter().map(|x| format!("{x:.9}")).collect()).collect()
        };
        prop_assert_eq!(pay(&t), pay(&u));
    }
}
