//! Random game trees for the extensive-form property tests (deterministic from a seed).
#![allow(dead_code)]

use covenant::game::{GameTree, TreeSpec};
use num_rational::BigRational;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Shape of the random trees.
#[derive(Clone, Copy)]
pub struct Shape {
    pub players: usize,
    /// Every player sees every earlier move (perfect information).
    pub perfect_information: bool,
    pub zero_sum: bool,
    pub max_depth: usize,
    pub chance: bool,
}

fn r(p: i64, q: i64) -> BigRational {
    BigRational::new(p.into(), q.into())
}

/// A random tree with perfect recall. Without perfect information a player's information set
/// is determined by its own earlier moves and the depth: it never sees the others' moves or
/// chance.
pub fn random_tree(seed: u64, shape: Shape) -> GameTree {
    let mut rng = StdRng::seed_from_u64(seed);
    let players = (0..shape.players).map(|p| format!("P{p}")).collect();
    let root = node(
        &mut rng,
        shape,
        0,
        &mut vec![Vec::new(); shape.players],
        &mut Vec::new(),
    );
    GameTree::new(players, root).expect("random trees are valid")
}

fn node(
    rng: &mut StdRng,
    shape: Shape,
    depth: usize,
    own: &mut Vec<Vec<String>>,
    history: &mut Vec<String>,
) -> TreeSpec {
    let stop = depth >= shape.max_depth || (depth >= 1 && rng.random_range(0..4) == 0);
    if stop {
        let a: i64 = rng.random_range(-5..=5);
        let mut pay = vec![a];
        for _ in 1..shape.players {
            pay.push(if shape.zero_sum {
                -a
            } else {
                rng.random_range(-5..=5)
            });
        }
        if shape.zero_sum && shape.players > 2 {
            pay = vec![a; shape.players];
        }
        return TreeSpec::leaf(&pay);
    }
    if shape.chance && rng.random_range(0..4) == 0 {
        let k: i64 = rng.random_range(1..=3);
        let l: i64 = rng.random_range(1..=3);
        let mut branches = Vec::new();
        for (name, p) in [("c0", r(k, k + l)), ("c1", r(l, k + l))] {
            history.push(name.to_string());
            let child = node(rng, shape, depth + 1, own, history);
            history.pop();
            branches.push((name, p, child));
        }
        return TreeSpec::chance(branches);
    }
    let player = rng.random_range(0..shape.players);
    let key = if shape.perfect_information {
        format!("{player}|{}", history.join(","))
    } else {
        format!("{player}|{}|{depth}", own[player].join(","))
    };
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    let count = 2 + (h.finish() % 2) as usize;
    let mut moves = Vec::new();
    for a in 0..count {
        let name = format!("a{a}");
        own[player].push(format!("{key}:{a}"));
        history.push(format!("{player}{a}"));
        let child = node(rng, shape, depth + 1, own, history);
        history.pop();
        own[player].pop();
        moves.push((name, child));
    }
    let moves_ref: Vec<(&str, TreeSpec)> =
        moves.iter().map(|(a, c)| (a.as_str(), c.clone())).collect();
    TreeSpec::decision(player, &key, moves_ref)
}

/// The same game with the actions of every node (and the branches of every chance node) in
/// reverse order: a relabelling that changes no equilibrium.
pub fn reversed(spec: &TreeSpec) -> TreeSpec {
    match spec {
        TreeSpec::Terminal { .. } => spec.clone(),
        TreeSpec::Chance { label, branches } => TreeSpec::Chance {
            label: label.clone(),
            branches: branches
                .iter()
                .rev()
                .map(|(a, p, c)| (a.clone(), p.clone(), reversed(c)))
                .collect(),
        },
        TreeSpec::Decision {
            label,
            player,
            infoset,
            moves,
        } => TreeSpec::Decision {
            label: label.clone(),
            player: *player,
            infoset: infoset.clone(),
            moves: moves
                .iter()
                .rev()
                .map(|(a, c)| (a.clone(), reversed(c)))
                .collect(),
        },
    }
}

/// Kuhn poker with cards `0..n` (Kuhn 1950 is `n = 3`): ante 1, one bet of 1.
pub fn kuhn(n: usize) -> GameTree {
    let mut deals = Vec::new();
    for a in 0..n {
        for b in 0..n {
            if a == b {
                continue;
            }
            let w: i64 = if a > b { 1 } else { -1 };
            let (p1, p2c, p1cb, p2b) = (
                format!("1:{a}"),
                format!("2:{b}c"),
                format!("1:{a}cb"),
                format!("2:{b}b"),
            );
            let after_check_bet = TreeSpec::decision(
                0,
                &p1cb,
                vec![
                    ("Fold", TreeSpec::leaf(&[-1, 1])),
                    ("Call", TreeSpec::leaf(&[2 * w, -2 * w])),
                ],
            );
            let tree = TreeSpec::decision(
                0,
                &p1,
                vec![
                    (
                        "Check",
                        TreeSpec::decision(
                            1,
                            &p2c,
                            vec![
                                ("Check", TreeSpec::leaf(&[w, -w])),
                                ("Bet", after_check_bet),
                            ],
                        ),
                    ),
                    (
                        "Bet",
                        TreeSpec::decision(
                            1,
                            &p2b,
                            vec![
                                ("Fold", TreeSpec::leaf(&[1, -1])),
                                ("Call", TreeSpec::leaf(&[2 * w, -2 * w])),
                            ],
                        ),
                    ),
                ],
            );
            deals.push((format!("{a}{b}"), tree));
        }
    }
    let p = r(1, deals.len() as i64);
    let root = TreeSpec::chance(
        deals
            .iter()
            .map(|(name, t)| (name.as_str(), p.clone(), t.clone()))
            .collect(),
    );
    GameTree::new(vec!["1".into(), "2".into()], root).expect("Kuhn poker is valid")
}
