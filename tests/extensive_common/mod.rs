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

/// Leduc hold'em (Southey et al., "Bayes' bluff", UAI 2005) generalised to a deck of `ranks`
/// ranks in `suits` suits (Leduc is 3 and 2): ante 1; each player gets a private card; a
/// betting round with bets of 2; a public card; a betting round with bets of 4; at most two
/// bets (a bet and a raise) per round. At the showdown a player whose card pairs the public
/// card wins, else the higher rank wins, equal ranks split. Players see their own rank, the
/// public rank and all bets. About `45·ranks³` leaves and `20·ranks²` sequences per player.
pub fn leduc(ranks: usize, suits: usize) -> GameTree {
    assert!(ranks >= 2 && suits >= 1 && ranks * suits >= 3);
    let deck = (ranks * suits) as i64;
    let mut deals = Vec::new();
    for a in 0..ranks {
        for b in 0..ranks {
            let nb = suits - usize::from(a == b);
            if nb == 0 {
                continue;
            }
            let p = r((suits * nb) as i64, deck * (deck - 1));
            let info = [a.to_string(), b.to_string()];
            let public_card = |h1: &str, pot: i64| -> TreeSpec {
                let mut cards = Vec::new();
                for c in 0..ranks {
                    let left = suits - usize::from(a == c) - usize::from(b == c);
                    if left == 0 {
                        continue;
                    }
                    let showdown = |_: &str, pot: i64| -> TreeSpec {
                        let score = |x: usize| if x == c { ranks + x } else { x };
                        let w = (score(a) as i64 - score(b) as i64).signum();
                        TreeSpec::leaf(&[w * pot, -w * pot])
                    };
                    let public = format!("{h1}/{c}/");
                    let second = betting(&info, &public, "", 4, [pot, pot], 0, &showdown);
                    cards.push((c.to_string(), r(left as i64, deck - 2), second));
                }
                TreeSpec::chance(
                    cards
                        .iter()
                        .map(|(n, q, t)| (n.as_str(), q.clone(), t.clone()))
                        .collect(),
                )
            };
            let tree = betting(&info, "", "", 2, [1, 1], 0, &public_card);
            deals.push((format!("{a}{b}"), p, tree));
        }
    }
    let root = TreeSpec::chance(
        deals
            .iter()
            .map(|(n, p, t)| (n.as_str(), p.clone(), t.clone()))
            .collect(),
    );
    GameTree::new(vec!["1".into(), "2".into()], root).expect("Leduc poker is valid")
}

/// One betting round of [`leduc`]: `public` is everything both players saw before the round,
/// `history` the round's moves so far (`c`heck, `b`et, `r`aise), `paid` what each player has
/// put in, `bets` the bets made in the round. `next(history, pot)` continues the game once both
/// have paid `pot`.
fn betting(
    info: &[String; 2],
    public: &str,
    history: &str,
    bet: i64,
    paid: [i64; 2],
    bets: usize,
    next: &dyn Fn(&str, i64) -> TreeSpec,
) -> TreeSpec {
    let p = history.len() % 2;
    let o = 1 - p;
    let label = format!("{}:{}|{public}{history}", p + 1, info[p]);
    let mut moves: Vec<(&str, TreeSpec)> = Vec::new();
    let go =
        |h: String, paid: [i64; 2], bets: usize| betting(info, public, &h, bet, paid, bets, next);
    if paid[p] == paid[o] {
        let check = if history.is_empty() {
            go(format!("{history}c"), paid, bets)
        } else {
            next(&format!("{history}c"), paid[p])
        };
        moves.push(("Check", check));
        let mut raised = paid;
        raised[p] += bet;
        moves.push(("Bet", go(format!("{history}b"), raised, bets + 1)));
    } else {
        let mut fold = [0i64; 2];
        fold[p] = -paid[p];
        fold[o] = paid[p];
        moves.push(("Fold", TreeSpec::leaf(&fold)));
        moves.push(("Call", next(&format!("{history}c"), paid[o])));
        if bets < 2 {
            let mut raised = paid;
            raised[p] = paid[o] + bet;
            moves.push(("Raise", go(format!("{history}r"), raised, bets + 1)));
        }
    }
    TreeSpec::decision(p, &label, moves)
}
