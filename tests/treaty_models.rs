//! The bundled treaty models: which conditions each passes and fails (pinned), with the
//! headline facts the model files' comments promise.

use covenant::treaty::{check, load_treaty, ConditionId, Report};
use std::path::Path;

fn report(name: &str) -> Report {
    let p = format!("{}/models/{name}", env!("CARGO_MANIFEST_DIR"));
    let t = load_treaty(Path::new(&p)).unwrap_or_else(|e| panic!("{name}: {e}"));
    check(&t, &[]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Verdicts in the order deterrence, participation, equal_rules, credibility, burden_sharing,
/// peaceful_resolution, liveness.
fn pin(name: &str, expected: [bool; 7]) -> Report {
    let r = report(name);
    let got: Vec<bool> = ConditionId::ALL
        .iter()
        .map(|&c| r.verdict(c).expect("all conditions checked").holds)
        .collect();
    assert_eq!(got, expected, "{name}:\n{}", r.to_table());
    // Margins agree in sign with the verdicts (0 allowed at the boundary).
    for v in &r.conditions {
        assert!(
            if v.holds {
                v.margin >= 0.0
            } else {
                v.margin <= 0.0
            },
            "{name} {}: holds {} margin {}",
            v.id,
            v.holds,
            v.margin
        );
    }
    r
}

fn witness(r: &Report, c: ConditionId) -> &serde_json::Value {
    r.verdict(c).unwrap().witness.as_ref().unwrap()
}

#[test]
fn template() {
    pin(
        "TEMPLATE.toml",
        [false, true, false, false, false, true, false],
    );
}

#[test]
fn anzus() {
    let r = pin(
        "anzus.toml",
        [false, false, false, false, false, true, false],
    );
    // The natural allocation is blocked (the USA does better outside), yet the core is not
    // empty: the grand coalition is the stable structure and a reallocation would hold it.
    let w = witness(&r, ConditionId::Participation);
    assert_eq!(w["better_off_outside"], serde_json::json!(["USA"]));
    assert!(w["least_core_epsilon"].as_f64().unwrap() < 0.0);
    assert_eq!(
        w["stable_structure"]["core_nonempty"],
        serde_json::json!(true)
    );
    assert_eq!(
        w["stable_structure"]["parts"],
        serde_json::json!([["AUS", "NZL", "USA"]])
    );
}

#[test]
fn csto() {
    pin(
        "csto.toml",
        [false, false, false, false, false, true, false],
    );
}

#[test]
fn us_japan_1960_is_asymmetric() {
    let r = pin(
        "us_japan_1960.toml",
        [false, false, false, false, false, true, false],
    );
    assert!(!witness(&r, ConditionId::EqualRules)["asymmetric_obligation"].is_null());
}

#[test]
fn nato_1949() {
    pin(
        "nato_1949.toml",
        [false, false, false, false, false, true, false],
    );
}

#[test]
fn nato_2024_us_attacking_a_small_ally_pays_and_members_block_action_on_themselves() {
    let r = pin(
        "nato_2024.toml",
        [false, false, false, false, false, true, false],
    );
    assert_eq!(witness(&r, ConditionId::Deterrence)["aggressor"], "USA");
    let blocked = witness(&r, ConditionId::Liveness)["blocked_aggressors"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(blocked, 32, "consensus: every member, never RUS or CHN");
}

#[test]
fn league_covenant() {
    pin(
        "league_covenant.toml",
        [true, false, false, false, true, false, true],
    );
}

#[test]
fn rio_treaty() {
    pin(
        "rio_treaty.toml",
        [false, false, true, false, false, false, true],
    );
}

#[test]
fn warsaw_pact() {
    pin(
        "warsaw_pact.toml",
        [false, false, false, false, false, true, false],
    );
}

#[test]
fn un_charter_fails_equal_rules_and_liveness_by_the_p5_veto() {
    let r = pin(
        "un_charter.toml",
        [true, true, false, false, true, true, false],
    );
    let mut p5: Vec<String> = witness(&r, ConditionId::Liveness)["blocked_aggressors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    p5.sort();
    assert_eq!(p5, ["CHN", "FRA", "GBR", "RUS", "USA"]);
    let e = r.verdict(ConditionId::EqualRules).unwrap();
    assert!(
        e.detail.contains("block action against themselves"),
        "{}",
        e.detail
    );
}
