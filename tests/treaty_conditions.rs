//! Each collective-security condition on hand-computable 2–4 state treaties (the numbers are
//! worked out in the comments).

use covenant::game::{Coalition, CoalitionalGame};
use covenant::treaty::{
    bargaining, check, decision_game, deterrence_pairs, lowest_reliability, response_game, solve,
    AllianceGame, CheckOptions, ConditionId, Decision, DecisionRule, ObligationKind, Settlement,
    StateSet, Treaty, TreatyBuilder,
};
use covenant::verify;

const TOL: f64 = 1e-6;

/// A (cap 1) and B (cap 1) pledge mutual defence against anybody (ρ = 0.5); outsider Z has
/// cap 2. V = L = 1, κ = 0.1.
fn pair_vs_outsider(rho: f64) -> TreatyBuilder {
    TreatyBuilder::new("pair")
        .default_reliability(rho)
        .state("A", 1.0)
        .state("B", 1.0)
        .non_member("Z", 2.0)
        .obligation(
            ObligationKind::Defense,
            StateSet::Members,
            StateSet::Members,
            StateSet::All,
        )
}

fn verdict(t: &Treaty, c: ConditionId) -> covenant::treaty::Verdict {
    check(t, &[c]).unwrap().conditions.remove(0)
}

#[test]
fn deterrence_fails_when_half_reliable_ally_is_not_enough() {
    // Z attacks A; B helps with prob 1/2: E[π] = ½·2/3 + ½·2/4 = 7/12.
    // EU = 7/12·(1 + 1) − 1 − 0.1 = 1/15 ≈ 0.066667 > 0.
    // A attacks B: nobody else is pledged, π = 1/2, EU = 1 − 1.1 = −0.1.
    let t = pair_vs_outsider(0.5).build().unwrap();
    let v = verdict(&t, ConditionId::Deterrence);
    assert!(!v.holds);
    assert!((v.margin + 1.0 / 15.0).abs() < TOL, "{}", v.margin);
    let w = v.witness.unwrap();
    assert_eq!(w["aggressor"], "Z");
    assert_eq!(w["failing_pairs"], 2);
    // The lowest uniform reliability: (2/3 − r/6)·2 < 1.1 ⇔ r > 0.7.
    assert!((w["lowest_uniform_reliability"].as_f64().unwrap() - 0.7).abs() < 1e-5);
    let r = lowest_reliability(&t, CheckOptions::default())
        .unwrap()
        .unwrap();
    assert!((r - 0.7).abs() < 1e-5, "{r}");
}

#[test]
fn sanctions_restore_deterrence() {
    // A sanction of 0.1 on non-members (the body of members can always act against Z):
    // EU(Z→A) = 1/15 − 0.1 = −1/30.
    let t = pair_vs_outsider(0.5)
        .sanctions(0.1, StateSet::NonMembers)
        .build()
        .unwrap();
    let v = verdict(&t, ConditionId::Deterrence);
    assert!(v.holds);
    assert!((v.margin - 1.0 / 30.0).abs() < TOL, "{}", v.margin);
}

#[test]
fn deterrence_pairs_expose_brackets_and_exact_values() {
    let t = pair_vs_outsider(0.5).build().unwrap();
    let pairs = deterrence_pairs(&t, CheckOptions::default()).unwrap();
    assert_eq!(pairs.len(), 4, "2 members × 2 other states");
    let za = pairs
        .iter()
        .find(|p| p.aggressor == 2 && p.target == 0)
        .unwrap();
    assert!(
        (za.eu - 1.0 / 15.0).abs() < 1e-12,
        "capabilities are whole units here"
    );
    assert!(za.eu_lo <= za.eu && za.eu <= za.eu_hi);
}

#[test]
fn state_with_unit_resolution_is_still_bracketed() {
    // Resolution 1: every capability rounds to whole multiples of the total (4): the bracket
    // must still contain the exact EU 1/15, and the verdict is refined.
    let t = pair_vs_outsider(0.5).build().unwrap();
    let pairs = deterrence_pairs(&t, CheckOptions { resolution: 1 }).unwrap();
    let za = pairs
        .iter()
        .find(|p| p.aggressor == 2 && p.target == 0)
        .unwrap();
    assert!(
        za.eu_lo <= 1.0 / 15.0 + 1e-12 && 1.0 / 15.0 <= za.eu_hi + 1e-12,
        "{za:?}"
    );
    assert!(!za.deterred());
}

#[test]
fn credibility_pledge_is_equilibrium_when_help_pays() {
    // Response game Z→A, player B: help gives (1 − 1/2)·1 − 0.1 = 0.4, abstain (1 − 2/3) = 1/3:
    // helping is strictly better by 1/15, so the pledge is an equilibrium with margin 1/15 and
    // nobody-helps is not (B would join).
    let t = pair_vs_outsider(0.5).build().unwrap();
    let v = verdict(&t, ConditionId::Credibility);
    assert!(v.holds, "{}", v.detail);
    assert!((v.margin - 1.0 / 15.0).abs() < TOL, "{}", v.margin);
    // Equilibrium responses: B helps for sure, EU(Z→A) = ½·2 − 1.1 = −0.1.
    let w = v.witness.unwrap();
    assert_eq!(w["equilibrium_deterrence_failures"], 0);
}

#[test]
fn volunteers_dilemma_abandonment_is_also_an_equilibrium() {
    // A, B, C (cap 1 each, κ = 0.3) vs Z (cap 3). Z→A, responders B and C.
    // All help: π = 3/6; B abstains: π = 3/5: gain = −0.1 + 0.3 = 0.2 > 0: pledges are not
    // an equilibrium. Nobody helps: π = 3/4; B joins: π = 3/5, gain 0.15 − 0.3 < 0: abandonment
    // is an equilibrium.
    let t = TreatyBuilder::new("three")
        .state("A", 1.0)
        .with_last(|s| s.war_cost = 0.3)
        .state("B", 1.0)
        .with_last(|s| s.war_cost = 0.3)
        .state("C", 1.0)
        .with_last(|s| s.war_cost = 0.3)
        .non_member("Z", 3.0)
        .obligation(
            ObligationKind::Defense,
            StateSet::Members,
            StateSet::Members,
            StateSet::All,
        )
        .build()
        .unwrap();
    let v = verdict(&t, ConditionId::Credibility);
    assert!(!v.holds);
    assert!((v.margin + 0.2).abs() < TOL, "{}", v.margin);
    assert_eq!(
        v.witness.as_ref().unwrap()["abandonment_is_equilibrium"],
        true
    );
    // The same answer from the dense game and the independent regret checker.
    let r = t.resolve().unwrap();
    let g = response_game(&r, 3, 0).unwrap();
    assert_eq!(g.num_players(), 2);
    let help = vec![vec![1.0, 0.0], vec![1.0, 0.0]];
    assert!((verify::regret(&g, &help).unwrap() - 0.2).abs() < 1e-12);
    let none = vec![vec![0.0, 1.0], vec![0.0, 1.0]];
    assert!(verify::regret(&g, &none).unwrap() < 1e-12);
}

#[test]
fn response_game_over_twelve_players_is_too_large() {
    let mut b = TreatyBuilder::new("big").non_member("Z", 1.0);
    for k in 0..14 {
        b = b.state(&format!("S{k}"), 0.1);
    }
    let t = b
        .obligation(
            ObligationKind::Defense,
            StateSet::Members,
            StateSet::Members,
            StateSet::All,
        )
        .build()
        .unwrap();
    let r = t.resolve().unwrap();
    assert!(matches!(
        response_game(&r, 0, 1),
        Err(covenant::Error::TooLarge(_))
    ));
    // The condition itself needs no tensor.
    assert!(check(&t, &[ConditionId::Credibility]).is_ok());
}

#[test]
fn burden_sharing_needs_more_than_capacity_at_half_reliability() {
    // Z→A: π* = (1 + 0.1)/(1 + 1) = 0.55, need = 2/0.55 − 2 − 1 = 7/11.
    // ½·c_B ≥ 7/11 ⇒ c_B ≥ 14/11 > capacity 1: t* = 14/11, margin −3/11.
    let t = pair_vs_outsider(0.5).build().unwrap();
    let v = verdict(&t, ConditionId::BurdenSharing);
    assert!(!v.holds);
    assert!((v.margin + 3.0 / 11.0).abs() < 1e-5, "{}", v.margin);
    // With certain help, c_B = 7/11: t* = 7/11, margin 4/11.
    let t = pair_vs_outsider(1.0).build().unwrap();
    let v = verdict(&t, ConditionId::BurdenSharing);
    assert!(v.holds);
    assert!((v.margin - 4.0 / 11.0).abs() < 1e-5, "{}", v.margin);
}

#[test]
fn participation_of_the_pair() {
    // Alone, A's worst aggressor is Z: π = 2/3. Together only Z is outside:
    // π = 2/(2 + 1 + ½·1) = 4/7. Gain 2/3 − 4/7 = 2/21; burden charged to A for helping B:
    // ρκ/m = 0.5·0.1/2 = 0.025. Share = 2/21 − 0.025 ≈ 0.070238 each, v(N) = twice that.
    let t = pair_vs_outsider(0.5).build().unwrap();
    let v = verdict(&t, ConditionId::Participation);
    assert!(v.holds, "{}", v.detail);
    let share = 2.0 / 21.0 - 0.025;
    assert!((v.margin - share).abs() < TOL, "{}", v.margin);
    let w = v.witness.unwrap();
    assert_eq!(w["core_status"], "in_core");
    let r = t.resolve().unwrap();
    let g = AllianceGame::new(&r).unwrap();
    assert!((g.value(Coalition::grand(2)) - 2.0 * share).abs() < 1e-12);
    assert_eq!(g.value(Coalition::singleton(0)), 0.0);
}

#[test]
fn participation_fails_for_a_member_that_only_pays() {
    // One-way pledge: B defends A, nobody defends B. B only pays: share −ρκ/m < 0.
    let t = TreatyBuilder::new("one way")
        .default_reliability(0.5)
        .state("A", 1.0)
        .state("B", 1.0)
        .non_member("Z", 2.0)
        .obligation(
            ObligationKind::Defense,
            StateSet::ids(&["B"]),
            StateSet::ids(&["A"]),
            StateSet::All,
        )
        .build()
        .unwrap();
    let v = verdict(&t, ConditionId::Participation);
    assert!(!v.holds);
    assert!((v.margin + 0.025).abs() < TOL, "{}", v.margin);
    assert_eq!(v.witness.unwrap()["better_off_outside"][0], "B");
}

#[test]
fn equal_rules_symmetric_treaty_with_abstention_holds() {
    let t = pair_vs_outsider(0.75)
        .decision(Decision {
            rule: DecisionRule::Consensus,
            body: StateSet::Members,
            veto: vec![],
            parties_abstain: true,
        })
        .build()
        .unwrap();
    let v = verdict(&t, ConditionId::EqualRules);
    assert!(v.holds, "{}", v.detail);
}

#[test]
fn equal_rules_consensus_lets_a_member_block_action_against_itself() {
    // Consensus without abstention: A's "no" blocks action against A.
    let t = pair_vs_outsider(0.75).build().unwrap();
    let v = verdict(&t, ConditionId::EqualRules);
    assert!(!v.holds);
    assert!(
        v.detail.contains("block action against themselves"),
        "{}",
        v.detail
    );
}

#[test]
fn equal_rules_asymmetric_pledge_fails_like_us_japan() {
    // US pledges to defend JPN; JPN does not pledge to defend the US (1960 Art. V, simplified).
    let t = TreatyBuilder::new("us-japan")
        .state("USA", 0.15)
        .state("JPN", 0.05)
        .non_member("ZZZ", 0.2)
        .obligation(
            ObligationKind::Defense,
            StateSet::ids(&["USA"]),
            StateSet::ids(&["JPN"]),
            StateSet::All,
        )
        .decision(Decision {
            parties_abstain: true,
            ..Decision::default()
        })
        .build()
        .unwrap();
    let v = verdict(&t, ConditionId::EqualRules);
    assert!(!v.holds);
    // 1 of the 2 ordered member pairs differs.
    assert!((v.margin + 0.5).abs() < TOL, "{}", v.margin);
    let w = v.witness.unwrap();
    assert_eq!(w["asymmetric_obligation"]["kind"], "defense");
}

#[test]
fn equal_rules_weighted_votes_give_unequal_power() {
    // [3; 2, 1, 1]: A pivots in 4 of 6 orders → SS = (2/3, 1/6, 1/6).
    let t = TreatyBuilder::new("weighted")
        .state("A", 1.0)
        .state("B", 1.0)
        .state("C", 1.0)
        .non_member("Z", 1.0)
        .obligation(
            ObligationKind::Defense,
            StateSet::Members,
            StateSet::Members,
            StateSet::All,
        )
        .decision(Decision {
            rule: DecisionRule::Weighted {
                quota: 3,
                weights: [("A".to_string(), 2)].into_iter().collect(),
            },
            body: StateSet::Members,
            veto: vec![],
            parties_abstain: true,
        })
        .build()
        .unwrap();
    let v = verdict(&t, ConditionId::EqualRules);
    assert!(!v.holds);
    assert!(
        (v.margin + 0.5).abs() < TOL,
        "spread 2/3 − 1/6: {}",
        v.margin
    );
    let s = solve(&t).unwrap();
    let a = s.power.iter().find(|p| p.id == "A").unwrap();
    assert!((a.shapley_shubik.unwrap() - 2.0 / 3.0).abs() < 1e-12);
}

/// The UN Security Council in miniature: 2 permanent members with a veto and weight 7, 3
/// elected with weight 1; quota 15 (both permanent + 1 elected).
fn mini_council(parties_abstain: bool) -> Treaty {
    TreatyBuilder::new("council")
        .state("P1", 0.3)
        .state("P2", 0.3)
        .state("E1", 0.1)
        .state("E2", 0.1)
        .state("E3", 0.1)
        .obligation(
            ObligationKind::Defense,
            StateSet::Members,
            StateSet::Members,
            StateSet::All,
        )
        .decision(Decision {
            rule: DecisionRule::Weighted {
                quota: 15,
                weights: [("P1".to_string(), 7), ("P2".to_string(), 7)]
                    .into_iter()
                    .collect(),
            },
            body: StateSet::Members,
            veto: vec!["P1".into(), "P2".into()],
            parties_abstain,
        })
        .build()
        .unwrap()
}

#[test]
fn liveness_fails_against_a_veto_holder() {
    let t = mini_council(false);
    let v = verdict(&t, ConditionId::Liveness);
    assert!(!v.holds);
    let w = v.witness.unwrap();
    let blocked: Vec<&str> = w["blocked_aggressors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    // P1 and P2 veto; an elected aggressor leaves 7 + 7 + 1 = 15 ≥ 15: the body acts.
    assert_eq!(blocked, vec!["P1", "P2"]);
    let dg = decision_game(&t.resolve().unwrap()).unwrap();
    assert_eq!(dg.voting.veto(), &[0, 1]);
}

#[test]
fn liveness_with_abstaining_parties_still_needs_the_quota() {
    // P1 abstains: 7 + 3 = 10 < 15 even without its veto: still blocked (margin (10 − 15)/17).
    let t = mini_council(true);
    let v = verdict(&t, ConditionId::Liveness);
    assert!(!v.holds);
    assert!((v.margin + 5.0 / 17.0).abs() < TOL, "{}", v.margin);
}

#[test]
fn liveness_holds_with_qualified_majority_and_abstention() {
    let t = pair_vs_outsider(0.75)
        .decision(Decision {
            rule: DecisionRule::QualifiedMajority { threshold: 0.5 },
            body: StateSet::Members,
            veto: vec![],
            parties_abstain: true,
        })
        .build()
        .unwrap();
    assert!(verdict(&t, ConditionId::Liveness).holds);
}

#[test]
fn peaceful_resolution_and_bargaining_solutions() {
    // A cap 3, B cap 1, κ = 0.1: p = 3/4, range [0.65, 0.85]. Capability settlement 0.75 sits
    // 0.1 inside; Nash = KS = p + (c_b − c_a)/2 = 0.75.
    let t = TreatyBuilder::new("dyad")
        .state("A", 3.0)
        .state("B", 1.0)
        .obligation(
            ObligationKind::Defense,
            StateSet::Members,
            StateSet::Members,
            StateSet::All,
        )
        .build()
        .unwrap();
    let v = verdict(&t, ConditionId::PeacefulResolution);
    assert!(v.holds);
    assert!((v.margin - 0.1).abs() < TOL);
    let b = bargaining(&t.resolve().unwrap(), 0, 1);
    let (lo, hi) = b.range.unwrap();
    assert!((lo - 0.65).abs() < 1e-12 && (hi - 0.85).abs() < 1e-12);
    assert!((b.nash.unwrap() - 0.75).abs() < 1e-12);
    assert!((b.kalai_smorodinsky.unwrap() - 0.75).abs() < 1e-12);
    // An equal split is outside: 0.5 < 0.65 by 0.15.
    let mut t2 = t.clone();
    t2.settlement = Settlement::Equal;
    let v = verdict(&t2, ConditionId::PeacefulResolution);
    assert!(!v.holds);
    assert!((v.margin + 0.15).abs() < TOL);
}

#[test]
fn asymmetric_costs_move_nash_and_ks() {
    // p = 1/2, c_a = 0.1, c_b = 0.3: range [0.4, 0.8]; Nash = 0.5 + 0.1 = 0.6.
    let t = TreatyBuilder::new("dyad")
        .state("A", 1.0)
        .state("B", 1.0)
        .with_last(|s| s.war_cost = 0.3)
        .obligation(
            ObligationKind::Defense,
            StateSet::Members,
            StateSet::Members,
            StateSet::All,
        )
        .build()
        .unwrap();
    let b = bargaining(&t.resolve().unwrap(), 0, 1);
    let (lo, hi) = b.range.unwrap();
    assert!((lo - 0.4).abs() < 1e-12 && (hi - 0.8).abs() < 1e-12);
    assert!((b.nash.unwrap() - 0.6).abs() < 1e-12);
    assert!((b.kalai_smorodinsky.unwrap() - 0.6).abs() < 1e-12);
}

#[test]
fn full_report_serialises_with_stable_ids() {
    let t = pair_vs_outsider(0.5).build().unwrap();
    let r = check(&t, &[]).unwrap();
    let ids: Vec<&str> = r.conditions.iter().map(|v| v.id).collect();
    assert_eq!(
        ids,
        vec![
            "deterrence",
            "participation",
            "equal_rules",
            "credibility",
            "burden_sharing",
            "peaceful_resolution",
            "liveness"
        ]
    );
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["treaty"], "pair");
    assert!(j["conditions"][0]["witness"]["aggressor"].is_string());
    assert!(r.to_table().contains("deterrence"));
    assert_eq!(
        "liveness".parse::<ConditionId>().unwrap(),
        ConditionId::Liveness
    );
    assert!("nope".parse::<ConditionId>().is_err());
}

#[test]
fn zero_resolution_is_an_error() {
    let t = pair_vs_outsider(0.5).build().unwrap();
    assert!(covenant::treaty::check_with(&t, &[], CheckOptions { resolution: 0 }).is_err());
}
