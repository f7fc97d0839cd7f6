//! Coalition-structure generation and the core of a coalition structure.

mod common;

use covenant::coop::{
    optimal_coalition_structure, stable_structure, structure_core, MAX_STRUCTURE_PLAYERS,
};
use covenant::game::{Coalition, CoalitionalGame, TuGame};
use covenant::Error;
use proptest::prelude::*;
use serde_json::Value;

fn read_json(name: &str) -> Value {
    common::read_json(&format!("{}/{name}", common::COOP))
}

/// All set partitions of {0..n} (restricted growth strings), as lists of bitmasks.
fn all_partitions(n: usize) -> Vec<Vec<u64>> {
    fn rec(i: usize, n: usize, blocks: &mut Vec<u64>, out: &mut Vec<Vec<u64>>) {
        if i == n {
            out.push(blocks.clone());

            return;
        }
        for b in 0..blocks.len() {
            blocks[b] |= 1 << i;
            rec(i + 1, n, blocks, out);
            blocks[b] &= !(1 << i);
        }
        blocks.push(1 << i);
        rec(i + 1, n, blocks, out);
        blocks.pop();
    }
    let mut out = Vec::new();
    rec(0, n, &mut Vec::new(), &mut out);
    out
}

fn is_partition(n: usize, parts: &[Coalition]) -> bool {
    let mut seen = 0u64;
    for p in parts {
        if p.is_empty() || seen & p.0 != 0 {
            return false;
        }
        seen |= p.0;
    }
    seen == Coalition::grand(n).0
}

fn x_of(x: &[f64], s: Coalition) -> f64 {
    s.members().map(|i| x[i]).sum()
}

#[test]
fn bell_numbers_check_the_partition_enumerator() {
    let bell = [1, 1, 2, 5, 15, 52, 203, 877, 4140];
    for (n, &b) in bell.iter().enumerate().skip(1) {
        assert_eq!(all_partitions(n).len(), b);
    }
}

#[test]
fn odp_ip_readme_example_is_150() {
    let reference = read_json("reference.json");
    for game in reference["csg_games"].as_array().unwrap() {
        let n = game["n"].as_u64().unwrap() as usize;
        let v = game["v"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        let g = TuGame::new(n, v).unwrap();
        let cs = optimal_coalition_structure(&g).unwrap();
        assert_eq!(
            cs.value,
            game["expected"]["optimal_value"].as_f64().unwrap()
        );
        let mut want: Vec<Coalition> = game["expected"]["optimal_structure"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                Coalition::from_members(
                    p.as_array()
                        .unwrap()
                        .iter()
                        .map(|i| i.as_u64().unwrap() as usize),
                )
            })
            .collect();
        let mut got = cs.parts.clone();
        want.sort();
        got.sort();
        assert_eq!(got, want);
    }
}

#[test]
fn majority_game_structures_are_blocked() {
    // Three players, v = 1 for pairs and N: every structure's core is empty (the core is).
    let g = TuGame::from_fn(3, |s| if s.len() >= 2 { 1.0 } else { 0.0 }).unwrap();
    let st = stable_structure(&g).unwrap();
    assert_eq!(st.structure.value, 1.0);
    assert!(!st.core.nonempty && st.core.allocation.is_none());
    let (t, e) = st.core.blocking.unwrap();
    assert!(e > 0.0 && (e - st.core.epsilon).abs() < 1e-9);
    assert!(t.len() >= 2);
}

#[test]
fn singletons_are_stable_when_cooperation_is_worthless() {
    // v(S) = Σ_{i∈S} i − (|S| − 1): merging loses 1 per merge.
    let g = TuGame::from_fn(4, |s| {
        s.members().map(|i| i as f64).sum::<f64>() - (s.len() as f64 - 1.0)
    })
    .unwrap();
    let st = stable_structure(&g).unwrap();
    assert_eq!(st.structure.parts.len(), 4);
    assert!(st.core.nonempty);
    let x = st.core.allocation.unwrap();
    assert!(
        x.iter()
            .enumerate()
            .all(|(i, &xi)| (xi - i as f64).abs() < 1e-9),
        "{x:?}"
    );
    // The grand coalition as a structure is blocked by the players who leave with more.
    let sc = structure_core(&g, &[Coalition::grand(4)]).unwrap();
    assert!(!sc.nonempty && sc.blocking.unwrap().1 > 0.0);
}

#[test]
fn bad_inputs_are_errors() {
    let big = TuGame::from_fn(MAX_STRUCTURE_PLAYERS + 1, |s| s.len() as f64).unwrap();
    assert!(matches!(
        optimal_coalition_structure(&big),
        Err(Error::TooLarge(_))
    ));
    assert!(matches!(stable_structure(&big), Err(Error::TooLarge(_))));
    let g = TuGame::from_fn(3, |s| s.len() as f64).unwrap();
    for bad in [
        vec![Coalition(0b011)],
        vec![Coalition(0b011), Coalition(0b110)],
        vec![Coalition(0b111), Coalition(0)],
        vec![Coalition(0b1011)],
    ] {
        assert!(
            matches!(structure_core(&g, &bad), Err(Error::InvalidArgument(_))),
            "{bad:?}"
        );
    }
}

fn arb_game(max_n: usize) -> impl Strategy<Value = TuGame> {
    (1usize..=max_n).prop_flat_map(|n| {
        proptest::collection::vec(-10i32..=40, 1usize << n).prop_map(move |raw| {
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn optimal_structure_equals_brute_force_over_all_partitions(g in arb_game(8)) {
        let n = g.num_players();
        let cs = optimal_coalition_structure(&g).unwrap();
        prop_assert!(is_partition(n, &cs.parts));
        let claimed: f64 = cs.parts.iter().map(|&p| g.value(p)).sum();
        prop_assert!((claimed - cs.value).abs() < 1e-9);
        let best = all_partitions(n)
            .iter()
            .map(|p| p.iter().map(|&m| g.value(Coalition(m))).sum::<f64>())
            .fold(f64::NEG_INFINITY, f64::max);
        prop_assert!((best - cs.value).abs() < 1e-9, "DP {} vs brute {best}", cs.value);
    }

    #[test]
    fn structure_core_certificates_hold(g in arb_game(5), pick in any::<prop::sample::Index>()) {
        let n = g.num_players();
        let partitions = all_partitions(n);
        let parts: Vec<Coalition> = pick.get(&partitions).iter().map(|&m| Coalition(m)).collect();
        let sc = structure_core(&g, &parts).unwrap();
        let optimum = optimal_coalition_structure(&g).unwrap().value;
        let value: f64 = parts.iter().map(|&p| g.value(p)).sum();
        if sc.nonempty {
            let x = sc.allocation.clone().unwrap();
            for &p in &parts {
                prop_assert!((x_of(&x, p) - g.value(p)).abs() < 1e-6);
            }
            for m in 1..1u64 << n {
                prop_assert!(x_of(&x, Coalition(m)) >= g.value(Coalition(m)) - 1e-6);
            }
            // Aumann–Drèze: a structure with a non-empty core is welfare-maximising.
            prop_assert!((value - optimum).abs() < 1e-6);
        } else {
            let (t, e) = sc.blocking.unwrap();
            prop_assert!(e > 0.0 && !parts.contains(&t));
            prop_assert!((e - sc.epsilon).abs() < 1e-6);
        }
        // The contrapositive: a structure that is not welfare-maximising is always blocked.
        if value < optimum - 1e-6 {
            prop_assert!(!sc.nonempty);
        }
    }
}
