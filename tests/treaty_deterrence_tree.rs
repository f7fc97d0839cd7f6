//! A treaty pair compiled to the extended-deterrence tree: the tree's verdict against the
//! Zagare–Kilgour threshold (computed here, independently), against the library's enumeration
//! of subgame-perfect equilibria, and against the treaty's own headline on NATO 1949.

use covenant::extensive::pure_subgame_perfect;
use covenant::game::extensive::{extended_deterrence_tree, ExtendedDeterrence, OutcomePayoffs};
use covenant::treaty::deterrence_tree::{
    deterrence_trees, solve_extended_deterrence, zagare_kilgour_threshold, PairStrategy,
};
use covenant::treaty::{check, load_treaty, CheckOptions, Scope, Treaty};
use covenant::Error;
use proptest::prelude::*;
use std::path::Path;

fn nato() -> Treaty {
    load_treaty(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/nato.toml"
    )))
    .expect("bundled model parses")
}

fn outcome(sq: f64, c: f64, a: f64, d: f64) -> OutcomePayoffs {
    OutcomePayoffs {
        status_quo: sq,
        concession: c,
        abandonment: a,
        defence: d,
    }
}

/// The pure actions `[challenge, resist, hard defends, soft defends]` of every pure
/// subgame-perfect equilibrium the library enumerates.
fn enumerated_spe(d: &ExtendedDeterrence) -> Vec<[bool; 4]> {
    let t = extended_deterrence_tree(d).unwrap();
    let idx = |label: &str| t.infosets().iter().position(|s| s.label == label).unwrap();
    let sets = [
        idx("Challenger"),
        idx("Protégé"),
        idx("Patron Hard"),
        idx("Patron Soft"),
    ];
    pure_subgame_perfect(&t)
        .unwrap()
        .iter()
        .map(|e| sets.map(|s| e.behaviour[s][1] == 1.0))
        .collect()
}

fn as_array(s: &PairStrategy) -> [bool; 4] {
    [s.challenge, s.resist, s.hard_defends, s.soft_defends]
}

/// Payoffs with the orderings under which the threshold formula applies: the protégé prefers
/// resisting with or without help to conceding, Hard prefers defence, Soft abandonment, and
/// the challenger ranks concession > abandonment, SQ > defence.
fn formula_game() -> impl Strategy<Value = ExtendedDeterrence> {
    (
        0.0f64..=1.0,
        (0.1f64..3.0, -2.0f64..2.0, -4.0f64..-0.05),
        (0.1f64..2.0, 0.1f64..2.0),
        (0.1f64..0.9, 0.1f64..2.0),
    )
        .prop_map(|(p, (gain, aband, loss), (hd, sa), (pa, pd))| {
            let aband = aband.min(gain - 0.05);
            ExtendedDeterrence {
                p_hard: p,
                challenger: outcome(0.0, gain, aband, loss.min(aband) - 0.05),
                protege: outcome(1.0, -2.0, -1.0 - pa, -1.0 + pd),
                patron_hard: outcome(0.0, -0.5, -1.0 - hd, -1.0),
                patron_soft: outcome(0.0, -0.5, -1.0, -1.0 - sa),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tree_verdict_is_the_zagare_kilgour_threshold_when_its_assumptions_hold(d in formula_game()) {
        let s = solve_extended_deterrence(&d).unwrap();
        prop_assert!(s.resist && s.hard_defends && !s.soft_defends);
        // Zagare & Kilgour (2000): deterred iff P(Hard) > (u(A) − u(SQ)) / (u(A) − u(D)),
        // written out here from the payoffs, not through the library's function.
        let c = &d.challenger;
        let threshold = (c.abandonment - c.status_quo) / (c.abandonment - c.defence);
        let value = d.p_hard * c.defence + (1.0 - d.p_hard) * c.abandonment;
        // Away from the knife edge the formula decides; on it, the tie rule (challenge).
        prop_assume!((value - c.status_quo).abs() > 1e-9);
        prop_assert_eq!(!s.challenge, d.p_hard > threshold);
        prop_assert!((zagare_kilgour_threshold(&d).unwrap() - threshold).abs() < 1e-12);
    }

    #[test]
    fn the_solved_profile_is_one_of_the_enumerated_subgame_perfect_equilibria(
        p in 0.0f64..=1.0,
        x in proptest::collection::vec(-3.0f64..3.0, 16),
    ) {
        let o = |k: usize| outcome(x[k], x[k + 1], x[k + 2], x[k + 3]);
        let d = ExtendedDeterrence {
            p_hard: p,
            challenger: o(0),
            protege: o(4),
            patron_hard: o(8),
            patron_soft: o(12),
        };
        let s = solve_extended_deterrence(&d).unwrap();
        prop_assert!(enumerated_spe(&d).contains(&as_array(&s)), "{:?}", s);
    }
}

#[test]
fn a_soft_patron_that_fights_anyway_deters_below_the_threshold() {
    // P(Hard) = 0.1 is below the threshold (1 − 0)/(1 + 2) = 1/3, but the Soft patron's own
    // stake makes it defend too: the challenger meets defence for sure and is deterred.
    let d = ExtendedDeterrence {
        p_hard: 0.1,
        patron_soft: outcome(0.0, -0.5, -2.0, -1.5),
        challenger: outcome(0.0, 2.0, 1.0, -2.0),
        ..Default::default()
    };
    assert!((zagare_kilgour_threshold(&d).unwrap() - 1.0 / 3.0).abs() < 1e-15);
    let s = solve_extended_deterrence(&d).unwrap();
    assert!(s.soft_defends && s.hard_defends && s.resist && !s.challenge);
    assert!(enumerated_spe(&d).contains(&as_array(&s)));
}

#[test]
fn a_protege_that_concedes_invites_the_challenge_whatever_the_patron() {
    let d = ExtendedDeterrence {
        p_hard: 1.0,
        protege: outcome(0.0, -0.5, -3.0, -1.0),
        ..Default::default()
    };
    let s = solve_extended_deterrence(&d).unwrap();
    assert!(!s.resist && s.challenge);
}

#[test]
fn a_probability_outside_the_unit_interval_or_a_nan_payoff_is_an_error() {
    for p in [-0.1, 1.5, f64::NAN] {
        let d = ExtendedDeterrence {
            p_hard: p,
            ..Default::default()
        };
        assert!(matches!(
            solve_extended_deterrence(&d),
            Err(Error::InvalidArgument(_))
        ));
    }
    let d = ExtendedDeterrence {
        challenger: outcome(0.0, f64::INFINITY, 0.0, 0.0),
        ..Default::default()
    };
    assert!(matches!(
        solve_extended_deterrence(&d),
        Err(Error::InvalidArgument(_))
    ));
}

/// NATO 1949: no Soviet attack on a member during the Cold War (Gaddis 2005, "The Cold War");
/// the treaty's headline verdict deters every SUN attack (tests/history.rs). The compiled
/// trees agree pair by pair, their equilibria are certified on the tree, and the challenger's
/// value of a challenge is the treaty's EU when the threshold formula applies.
#[test]
fn nato_1949_soviet_attacks_are_deterred_in_the_tree_as_in_the_treaty() {
    let t = nato();
    let r = check(
        &t,
        &CheckOptions {
            year: Some(1949),
            pairs: true,
            ..CheckOptions::default()
        },
    )
    .unwrap();
    let pairs = r.pairs.as_ref().unwrap();
    let trees: Vec<_> = deterrence_trees(&t, Some(1949), None)
        .unwrap()
        .into_iter()
        .filter(|d| d.aggressor == "SUN")
        .collect();
    assert_eq!(trees.len(), r.members.len());
    for d in &trees {
        let row = pairs
            .iter()
            .find(|p| p.aggressor == "SUN" && p.target == d.target)
            .unwrap();
        assert_eq!(d.scope, Scope::External);
        assert!(
            d.deterred && d.treaty_deterred && row.deterred,
            "SUN -> {}",
            d.target
        );
        assert_eq!(d.path, vec!["Not challenge".to_string()]);
        assert_eq!(d.regret, 0.0);
        // The patron is a pledged NATO member, its resolve the model's reliability (0.75).
        assert!(r.members.contains(&d.patron) && d.patron != d.target);
        assert_eq!(d.p_hard, 0.75);
        if d.formula_applies {
            // ρ·u(D) + (1 − ρ)·u(A) is E[π]·(V + L) − L − κ: the treaty's EU, up to the
            // resolution of the expected win probabilities.
            assert!(
                (d.challenge_value - row.eu).abs() < 2e-3,
                "SUN -> {}: {} vs {}",
                d.target,
                d.challenge_value,
                row.eu
            );
            assert_eq!(d.formula_deterred, Some(true));
        }
    }
    // The United States is the patron wherever the target is neither it nor out of its reach
    // (at least for the continental Western European members).
    for tgt in ["BEL", "NLD", "NOR", "DNK", "ITA"] {
        let d = trees.iter().find(|d| d.target == tgt).unwrap();
        assert_eq!(d.patron, "USA", "SUN -> {tgt}");
    }
}

#[test]
fn every_nato_1949_tree_agrees_with_the_treaty_headline() {
    let trees = deterrence_trees(&nato(), Some(1949), None).unwrap();
    assert!(trees.len() > 100);
    for d in &trees {
        assert_eq!(
            d.deterred, d.treaty_deterred,
            "{} -> {}",
            d.aggressor, d.target
        );
        if d.formula_applies {
            assert_eq!(d.formula_deterred, Some(d.deterred));
        }
        assert_eq!(d.regret, 0.0);
    }
}

#[test]
fn a_pair_selects_one_tree_and_a_bad_pair_is_an_error() {
    let t = nato();
    let one = deterrence_trees(&t, Some(1949), Some(("SUN", "LUX"))).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(
        (one[0].aggressor.as_str(), one[0].target.as_str()),
        ("SUN", "LUX")
    );
    for bad in [("XXX", "LUX"), ("SUN", "SUN"), ("LUX", "SUN")] {
        match deterrence_trees(&t, Some(1949), Some(bad)) {
            Err(Error::InvalidArgument(m)) => assert!(m.contains("--pair"), "{m}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}

/// NATO 2024, CHN → ISL: the one kind of disagreement found on the bundled models. P(Hard) =
/// 0.75 is below the threshold, so the formula and the treaty (which lets the United States
/// fail with probability 1 − ρ whatever its stake) say "not deterred"; but in the tree even a
/// Soft United States defends — its stake in Iceland outweighs its cost of fighting — so the
/// challenger meets defence for sure and is deterred.
#[test]
fn nato_2024_china_iceland_is_deterred_in_the_tree_because_even_a_soft_patron_fights() {
    let d = deterrence_trees(&nato(), Some(2024), Some(("CHN", "ISL")))
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(d.patron, "USA");
    let th = d.threshold.unwrap();
    assert!(d.p_hard < th, "{} vs {th}", d.p_hard);
    assert!(d.strategy.soft_defends && d.strategy.hard_defends && d.strategy.resist);
    assert!(!d.formula_applies && d.formula_deterred == Some(false));
    assert!(d.deterred && !d.treaty_deterred);
    let soft = &d.game.patron_soft;
    assert!(soft.defence >= soft.abandonment);
    assert_eq!(d.challenge_value, d.game.challenger.defence);
}
