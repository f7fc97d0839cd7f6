//! The treaty layer: parse errors, hand-computed war-model values, the response game's
//! independent certificate, and properties of scope, gating, credibility and relabelling.

use covenant::treaty::{
    check, parse_treaty, CheckOptions, ConditionId, ConditionScope, Report, Responder,
    ResponseGame, Scope, Verdict,
};
use covenant::Error;
use proptest::prelude::*;

/// A model with members `m` (capabilities), outsiders `o`, an individual defense pledge, and
/// a council with the given veto holders that triggers sanctions of `sanction`.
fn model(m: &[f64], o: &[f64], veto: &[usize], audience: f64, reverse: bool) -> String {
    let mut s = String::from(
        "[treaty]\nname = \"Generated\"\nkind = \"collective_security\"\n[defaults]\n",
    );
    s += &format!("audience_cost = {audience}\n");
    let ids: Vec<String> = (0..m.len())
        .map(|k| format!("M{k}"))
        .chain((0..o.len()).map(|k| format!("O{k}")))
        .collect();
    for id in &ids {
        s += &format!("[[states]]\nid = \"{id}\"\n");
    }
    let vetoes: Vec<String> = veto.iter().map(|&k| format!("\"M{k}\"")).collect();
    s += &format!(
        "[[procedures]]\nid = \"council\"\nrule = \"qualified_majority\"\nthreshold = 0.5\n\
         veto = [{}]\ntriggers = [\"sanctions\"]\n",
        vetoes.join(", ")
    );
    s += "[[obligations]]\nkind = \"defense\"\ntrigger = \"individual\"\n";
    s += "[[sanctions]]\ncost = 0.05\ntrigger = \"collective:council\"\n";
    let members: Vec<String> = (0..m.len()).map(|k| format!("\"M{k}\"")).collect();
    s += &format!(
        "[[snapshots]]\nyear = 2000\nmembers = [{}]\ndemocracies = [{}]\n[snapshots.capability]\n",
        members.join(", "),
        members.join(", ")
    );
    let mut caps: Vec<(String, f64)> = ids
        .iter()
        .cloned()
        .zip(m.iter().chain(o).copied())
        .collect();
    if reverse {
        caps.reverse();
    }
    for (id, c) in caps {
        s += &format!("{id} = {c}\n");
    }
    s
}

fn run(text: &str, pairs: bool) -> Report {
    let t = parse_treaty(text, "gen.toml".as_ref()).expect("generated model parses");
    check(
        &t,
        &CheckOptions {
            pairs,
            ..CheckOptions::default()
        },
    )
    .expect("generated model checks")
}

fn model_error(text: &str) -> (usize, String, String) {
    match parse_treaty(text, "m.toml".as_ref()) {
        Err(Error::Model {
            line,
            field,
            message,
            ..
        }) => (line, field, message),
        other => panic!("expected a model error, got {other:?}"),
    }
}

#[test]
fn an_unknown_field_is_named_with_its_line() {
    let text = model(&[0.3, 0.2], &[0.4], &[], 0.0, false)
        .replace("[[obligations]]\n", "[[obligations]]\nforce = 3\n");
    let (line, field, message) = model_error(&text);
    assert!(line > 1);
    assert!(field.starts_with("obligations[0]"), "{field}");
    assert!(message.contains("force"), "{message}");
}

#[test]
fn a_capability_of_1e308_is_out_of_range_not_a_nan_margin() {
    let text = model(&[0.3, 0.2], &[0.4], &[], 0.0, false).replace("O0 = 0.4", "O0 = 1e308");
    let (line, field, message) = model_error(&text);
    assert_eq!(field, "snapshots[0].capability.O0");
    assert!(message.contains("out of range"), "{message}");
    assert_eq!(
        text.lines().nth(line - 1).map(str::trim),
        Some("O0 = 1e308"),
        "the error points at the offending line"
    );
}

#[test]
fn an_unknown_procedure_in_a_trigger_is_refused() {
    let text = model(&[0.3, 0.2], &[0.4], &[], 0.0, false)
        .replace("collective:council", "collective:assembly");
    let (_, field, message) = model_error(&text);
    assert_eq!(field, "sanctions[0].trigger");
    assert!(message.contains("assembly"));
}

#[test]
fn a_year_without_a_snapshot_names_the_years_there_are() {
    let t = parse_treaty(&model(&[0.3], &[0.4], &[], 0.0, false), "m.toml".as_ref()).unwrap();
    let e = check(
        &t,
        &CheckOptions {
            year: Some(1999),
            ..CheckOptions::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("2000"), "{e}");
}

/// One member and one sure helper, no gradient: π = a / (a + t + c) and
/// EU = π (V + L) − L − κ − s exactly (s: sanctions the council can vote against an outsider).
#[test]
fn deterrence_eu_matches_the_hand_computed_formula() {
    let text = model(&[0.3, 0.2], &[0.4], &[], 0.0, false)
        .replace("[defaults]\n", "[defaults]\nreliability = 1.0\n");
    let r = run(&text, true);
    let p = r
        .pairs
        .as_ref()
        .unwrap()
        .iter()
        .find(|p| p.aggressor == "O0" && p.target == "M0")
        .unwrap();
    let pi = 0.4 / (0.4 + 0.3 + 0.2);
    let expect = pi * 2.0 - 1.0 - 0.1 - 0.05;
    if p.equilibrium_helpers == ["M1"] {
        assert!((p.eu - expect).abs() < 1e-9, "{} vs {expect}", p.eu);
    } else {
        let alone = 0.4 / 0.7 * 2.0 - 1.0 - 0.1 - 0.05;
        assert!((p.eu - alone).abs() < 1e-9, "{} vs {alone}", p.eu);
    }
    assert!((p.eu_without - (0.4 / 0.7 * 2.0 - 1.1)).abs() < 1e-12);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The selected equilibrium has zero regret by `verify` on the compiled normal form: the
    /// certificate shares no code with the selection.
    #[test]
    fn the_selected_response_is_a_nash_equilibrium_by_verify(
        a in 0.01f64..1.0,
        t in 0.01f64..1.0,
        rs in prop::collection::vec((0.001f64..1.0, 0.0f64..1.0, 0.0f64..0.3, 0.0f64..0.3), 1..=12),
    ) {
        let g = ResponseGame::new(a, t, rs.iter().enumerate().map(|(k, &(c, w, kappa, r))| Responder {
            state: k, capability: c, stake: w, war_cost: kappa, reneging_cost: r,
        }).collect());
        let eq = g.select_equilibrium();
        let nf = g.to_normal_form().unwrap();
        let profile: Vec<Vec<f64>> = eq.iter()
            .map(|&h| if h { vec![1.0, 0.0] } else { vec![0.0, 1.0] }).collect();
        let regret = covenant::verify::regret(&nf, &profile).unwrap();
        prop_assert!(regret <= 1e-9, "regret {regret}");
        prop_assert!(g.is_equilibrium(&eq));
    }

    /// Adding a non-member (an external aggressor) never changes an internal verdict.
    #[test]
    fn a_new_outsider_never_changes_an_internal_verdict(
        m in prop::collection::vec(0.01f64..0.5, 2..5),
        o in 0.01f64..0.8,
    ) {
        let before = run(&model(&m, &[0.3], &[], 0.0, false), false);
        let after = run(&model(&m, &[0.3, o], &[], 0.0, false), false);
        for id in [ConditionId::Deterrence, ConditionId::Credibility, ConditionId::Liveness] {
            prop_assert_eq!(
                before.verdict(id, ConditionScope::Internal),
                after.verdict(id, ConditionScope::Internal),
                "{}", id
            );
        }
    }

    /// Removing a veto never shrinks the set of procedures that can act against anybody.
    #[test]
    fn removing_a_veto_never_shrinks_what_can_act(
        m in prop::collection::vec(0.01f64..0.5, 2..5),
    ) {
        let with = run(&model(&m, &[0.3], &[0], 0.0, false), true);
        let without = run(&model(&m, &[0.3], &[], 0.0, false), true);
        for (p, q) in with.pairs.unwrap().iter().zip(without.pairs.unwrap().iter()) {
            prop_assert_eq!(&p.aggressor, &q.aggressor);
            for proc_id in &p.procedures_can_act {
                prop_assert!(q.procedures_can_act.contains(proc_id));
            }
        }
    }

    /// Raising reneging costs never lowers the predicted reliability.
    #[test]
    fn higher_reneging_costs_never_lower_predicted_reliability(
        m in prop::collection::vec(0.01f64..0.5, 2..6),
        extra in 0.0f64..0.5,
    ) {
        let lo = run(&model(&m, &[0.4], &[], 0.0, false), false);
        let hi = run(&model(&m, &[0.4], &[], extra, false), false);
        if let (Some(a), Some(b)) = (lo.predicted_reliability, hi.predicted_reliability) {
            prop_assert!(b >= a - 1e-12, "{a} -> {b}");
        }
    }

    /// Listing the states in another order permutes the results and changes no verdict.
    #[test]
    fn relabelling_the_states_changes_no_verdict(
        m in prop::collection::vec(0.01f64..0.5, 2..5),
        o in 0.01f64..0.8,
    ) {
        let a = run(&model(&m, &[o], &[0], 0.0, false), false);
        let b = run(&model(&m, &[o], &[0], 0.0, true), false);
        for (x, y) in a.conditions.iter().zip(&b.conditions) {
            prop_assert_eq!(x.verdict, y.verdict, "{} {:?}", x.id, x.scope);
            prop_assert!((x.margin - y.margin).abs() <= 1e-9 * (1.0 + x.margin.abs()));
        }
    }
}

#[test]
fn every_margin_is_a_finite_number_and_unknown_never_holds() {
    let r = run(&model(&[0.3, 0.2, 0.01], &[0.4], &[0], 0.0, false), false);
    for c in &r.conditions {
        assert!(c.margin.is_finite(), "{} {:?}", c.id, c.scope);
        if c.verdict == Verdict::Unknown {
            assert_eq!(c.margin, 0.0);
        }
    }
    // A collective-security treaty is judged on both scopes.
    assert!(r
        .conditions
        .iter()
        .filter(|c| c.scope != ConditionScope::All)
        .all(|c| c.judged));
    let _ = Scope::External;
}
