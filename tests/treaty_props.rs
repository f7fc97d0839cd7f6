//! Metamorphic properties of the treaty conditions on random small treaties, and the deterrence
//! DP against brute-force enumeration of helper subsets.

use covenant::treaty::{
    check, deterrence_pairs, CheckOptions, ConditionId, Decision, DecisionRule, ObligationKind,
    PairOutcome, StateSet, Treaty, TreatyBuilder,
};
use proptest::prelude::*;

/// (capability, reliability, war cost) of each state.
fn states(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
    prop::collection::vec((0.05f64..1.0, 0.0f64..=1.0, 0.0f64..0.5), n)
}

/// All-against-one: every member defends every member against anybody; the last state is an
/// outsider.
fn all_against_one(st: &[(f64, f64, f64)], sanction: f64) -> Treaty {
    let mut b = TreatyBuilder::new("random");
    for (k, &(cap, rho, cost)) in st.iter().enumerate() {
        let id = format!("S{k}");
        b = if k + 1 == st.len() {
            b.non_member(&id, cap)
        } else {
            b.state(&id, cap)
        };
        b = b.with_last(|s| {
            s.reliability = rho;
            s.war_cost = cost;
        });
    }
    b.obligation(
        ObligationKind::Defense,
        StateSet::Members,
        StateSet::Members,
        StateSet::All,
    )
    .sanctions(sanction, StateSet::All)
    .decision(Decision {
        parties_abstain: true,
        ..Decision::default()
    })
    .build()
    .expect("valid random treaty")
}

fn pairs(t: &Treaty) -> Vec<PairOutcome> {
    deterrence_pairs(t, CheckOptions::default()).unwrap()
}

fn key(t: &Treaty, p: &PairOutcome) -> (String, String) {
    (
        t.states[p.aggressor].id.clone(),
        t.states[p.target].id.clone(),
    )
}

fn half_width(p: &PairOutcome) -> f64 {
    (p.eu_hi - p.eu).max(p.eu - p.eu_lo)
}

/// Exact `EU` by enumerating every subset of helpers (independent of the DP).
fn brute_force_eu(t: &Treaty, p: &PairOutcome, sanction: f64) -> f64 {
    let (si, sj) = (&t.states[p.aggressor], &t.states[p.target]);
    let m = p.responders.len();
    let mut e = 0.0;
    for mask in 0u32..1 << m {
        let mut prob = 1.0;
        let mut d = 0.0;
        for (b, &(k, rho)) in p.responders.iter().enumerate() {
            if mask >> b & 1 == 1 {
                prob *= rho;
                d += t.states[k].capability;
            } else {
                prob *= 1.0 - rho;
            }
        }
        let pi = si.capability / (si.capability + sj.capability + d);
        e += prob * (pi * sj.value - (1.0 - pi) * si.loss);
    }
    e - si.war_cost - sanction
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn dp_matches_brute_force_within_its_bracket(st in states(3..14), res in 8usize..600) {
        // Up to 12 responders; a coarse resolution makes the discretisation visible.
        let t = all_against_one(&st, 0.0);
        for p in deterrence_pairs(&t, CheckOptions { resolution: res }).unwrap() {
            let exact = brute_force_eu(&t, &p, p.sanction);
            let slack = 1e-9;
            prop_assert!(p.eu_lo - slack <= exact && exact <= p.eu_hi + slack,
                "{:?}: exact {} not in [{}, {}]", key(&t, &p), exact, p.eu_lo, p.eu_hi);
        }
    }

    #[test]
    fn sanctions_and_war_costs_never_lower_deterrence_margins(
        st in states(3..7), s in 0.0f64..0.5, ds in 0.0f64..0.5, who in 0usize..7, dk in 0.0f64..0.5,
    ) {
        let t0 = all_against_one(&st, s);
        let mut st1 = st.clone();
        let w = who % st.len();
        st1[w].2 += dk;
        let t1 = all_against_one(&st1, s + ds);
        let (p0, p1) = (pairs(&t0), pairs(&t1));
        for (a, b) in p0.iter().zip(&p1) {
            prop_assert_eq!(key(&t0, a), key(&t1, b));
            prop_assert!(b.eu <= a.eu + half_width(a) + half_width(b) + 1e-9,
                "{:?}: {} -> {}", key(&t0, a), a.eu, b.eu);
        }
        let m0 = check(&t0, &[ConditionId::Deterrence]).unwrap().conditions[0].margin;
        let m1 = check(&t1, &[ConditionId::Deterrence]).unwrap().conditions[0].margin;
        let err = p0.iter().chain(&p1).map(half_width).fold(0.0, f64::max);
        prop_assert!(m1 >= m0 - 2.0 * err - 1e-9);
    }

    #[test]
    fn adding_a_reliable_member_never_lowers_a_members_margin(
        st in states(3..7), cap in 0.05f64..1.0,
    ) {
        let t0 = all_against_one(&st, 0.0);
        // The new member goes before the outsider, reliability 1.
        let mut st1 = st.clone();
        st1.insert(st.len() - 1, (cap, 1.0, 0.1));
        let mut t1 = all_against_one(&st1, 0.0);
        // Keep the old ids: the new state is "NEW".
        let n1 = t1.states.len();
        for (k, s) in t1.states.iter_mut().enumerate() {
            if k == n1 - 2 { s.id = "NEW".into(); s.name = "NEW".into(); }
            if k == n1 - 1 { s.id = format!("S{}", st.len() - 1); s.name = s.id.clone(); }
        }
        let p1 = pairs(&t1);
        for a in pairs(&t0) {
            let b = p1.iter().find(|b| key(&t1, b) == key(&t0, &a)).unwrap();
            prop_assert!(b.eu <= a.eu + half_width(&a) + half_width(b) + 1e-9,
                "{:?}: {} -> {}", key(&t0, &a), a.eu, b.eu);
        }
    }

    #[test]
    fn relabelling_states_permutes_every_result(st in states(3..7), seed in any::<u64>()) {
        let t0 = all_against_one(&st, 0.05);
        let mut t1 = t0.clone();
        // A permutation from the seed (Fisher–Yates with a tiny LCG).
        let mut x = seed;
        for k in (1..t1.states.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (x >> 33) as usize % (k + 1);
            t1.states.swap(k, j);
        }
        let (p0, p1) = (pairs(&t0), pairs(&t1));
        prop_assert_eq!(p0.len(), p1.len());
        for a in &p0 {
            let b = p1.iter().find(|b| key(&t1, b) == key(&t0, a)).unwrap();
            prop_assert!((a.eu - b.eu).abs() < 1e-9, "{:?}: {} vs {}", key(&t0, a), a.eu, b.eu);
        }
        let r0 = check(&t0, &[]).unwrap();
        let r1 = check(&t1, &[]).unwrap();
        for (a, b) in r0.conditions.iter().zip(&r1.conditions) {
            prop_assert_eq!(a.holds, b.holds, "{}", a.id);
            prop_assert!((a.margin - b.margin).abs() < 1e-6 || a.margin == b.margin,
                "{}: {} vs {}", a.id, a.margin, b.margin);
        }
    }

    #[test]
    fn symmetric_treaties_pass_equal_rules(st in states(3..7), threshold in 0.0f64..0.99) {
        let mut t = all_against_one(&st, 0.0);
        t.decision.rule = DecisionRule::QualifiedMajority { threshold };
        let v = &check(&t, &[ConditionId::EqualRules]).unwrap().conditions[0];
        prop_assert!(v.holds, "{}", v.detail);
    }

    #[test]
    fn a_veto_makes_liveness_fail_against_its_holder(st in states(3..7), who in 0usize..6) {
        let mut t = all_against_one(&st, 0.0);
        let members = st.len() - 1;
        let holder = format!("S{}", who % members);
        t.decision = Decision {
            rule: DecisionRule::QualifiedMajority { threshold: 0.5 },
            body: StateSet::Members,
            veto: vec![holder.clone()],
            parties_abstain: false,
        };
        let v = &check(&t, &[ConditionId::Liveness]).unwrap().conditions[0];
        prop_assert!(!v.holds);
        let blocked = v.witness.as_ref().unwrap()["blocked_aggressors"].as_array().unwrap().clone();
        prop_assert!(blocked.iter().any(|x| x == &serde_json::json!(holder)));
    }
}
