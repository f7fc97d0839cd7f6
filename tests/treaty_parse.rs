//! TOML treaty models: the template parses with its documented meaning and defaults, and every
//! kind of invalid model is an error naming the file, line and field.

use covenant::treaty::{
    load_treaty, parse_treaty, DecisionRule, ObligationCondition, ObligationKind, Settlement,
    StateSet, Treaty,
};
use covenant::Error;
use std::path::Path;

const TEMPLATE: &str = include_str!("../models/TEMPLATE.toml");

fn parse(text: &str) -> covenant::Result<Treaty> {
    parse_treaty(text, Path::new("m.toml"))
}

/// A valid base model; the tests below append or replace lines.
const BASE: &str = r#"[treaty]
name = "T"

[[states]]
id = "A"
capability = 0.5

[[states]]
id = "B"
capability = 0.3

[[states]]
id = "Z"
capability = 0.4
member = false

[[obligations]]
kind = "defense"
pledgers = "members"
protects = "members"
"#;

/// Asserts a Model error at `line` whose field is `field`.
fn model_err(text: &str, line: usize, field: &str) -> String {
    match parse(text) {
        Err(Error::Model {
            file,
            line: l,
            field: f,
            message,
        }) => {
            assert_eq!(file, Path::new("m.toml"));
            assert_eq!((l, f.as_str()), (line, field), "message: {message}");
            message
        }
        other => panic!("expected a Model error at {line} `{field}`, got {other:?}"),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("needle in text")]
        .matches('\n')
        .count()
        + 1
}

#[test]
fn template_parses_with_documented_meaning_and_defaults() {
    let t = parse(TEMPLATE).unwrap();
    assert_eq!(t.name, "Example Mutual Defence Treaty");
    assert_eq!(t.year, Some(2000));
    assert_eq!(t.states.len(), 4);
    let a = &t.states[0];
    assert_eq!((a.id.as_str(), a.name.as_str()), ("AAA", "Alpha"));
    assert_eq!(
        (a.capability, a.value, a.loss, a.war_cost),
        (0.30, 1.0, 1.0, 0.1)
    );
    assert_eq!(a.reliability, 0.75);
    assert_eq!(a.capacity, 0.30, "capacity = \"capability\"");
    assert_eq!(a.region.as_deref(), Some("north"));
    assert!(a.member && !t.states[3].member);
    assert_eq!(t.obligations.len(), 3);
    let o = &t.obligations[0];
    assert_eq!(o.kind, ObligationKind::Defense);
    assert_eq!(o.article.as_deref(), Some("Art. 5"));
    assert_eq!(
        (&o.pledgers, &o.protects, &o.against),
        (&StateSet::Members, &StateSet::Members, &StateSet::All)
    );
    assert_eq!(t.obligations[2].kind, ObligationKind::Consultation);
    assert_eq!(
        t.obligations[2].against,
        StateSet::All,
        "against defaults to any"
    );
    assert_eq!(t.decision.rule, DecisionRule::Consensus);
    assert_eq!(t.decision.body, StateSet::Members);
    assert!(t.decision.veto.is_empty() && !t.decision.parties_abstain);
    assert_eq!(t.settlement, Settlement::Capability);
    assert_eq!(t.disputes, None);
    assert_eq!(t.sanctions.cost, 0.0);
}

#[test]
fn load_treaty_reads_files_and_reports_missing_ones() {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/models/TEMPLATE.toml");
    assert_eq!(load_treaty(Path::new(p)).unwrap().states.len(), 4);
    assert!(matches!(
        load_treaty(Path::new("/nonexistent/x.toml")),
        Err(Error::Io { .. })
    ));
}

#[test]
fn optional_fields_override_defaults() {
    let text = format!(
        "{BASE}\n[defaults]\nreliability = 0.5\ncapacity = 2\n\n[decision]\nrule = \"weighted\"\n\
         quota = 3\nweights = {{ A = 2 }}\nveto = [\"A\"]\nparties_abstain = true\n\n\
         [settlement]\nrule = \"status_quo\"\nstatus_quo = 0.4\n\n[[disputes]]\na = \"A\"\nb = \"Z\"\n\n\
         [sanctions]\ncost = 0.2\nagainst = \"non_members\"\n"
    )
    // [defaults] must come before the arrays of tables in TOML? No: any order is valid.
    ;
    let t = parse(&text).unwrap();
    assert!(t
        .states
        .iter()
        .all(|s| s.reliability == 0.5 && s.capacity == 2.0));
    assert_eq!(
        t.decision.rule,
        DecisionRule::Weighted {
            quota: 3,
            weights: [("A".to_string(), 2)].into_iter().collect()
        }
    );
    assert!(t.decision.parties_abstain);
    assert_eq!(t.settlement, Settlement::StatusQuo { status_quo: 0.4 });
    assert_eq!(t.disputes.as_ref().unwrap()[0].b, "Z");
    assert_eq!(t.sanctions.against, StateSet::NonMembers);
}

#[test]
fn conditions_and_named_sets_parse() {
    let text = BASE.replace(
        "protects = \"members\"\n",
        "protects = [\"A\"]\nagainst = [\"Z\"]\nconditions = [\"non_provocation\", \"region:west\"]\nreliability = 0.9\n",
    )
    .replace("capability = 0.5\n", "capability = 0.5\nregion = \"west\"\n");
    let t = parse(&text).unwrap();
    let o = &t.obligations[0];
    assert_eq!(o.protects, StateSet::ids(&["A"]));
    assert_eq!(
        o.conditions,
        vec![
            ObligationCondition::NonProvocation,
            ObligationCondition::Region("west".into())
        ]
    );
    assert_eq!(o.reliability, Some(0.9));
}

#[test]
fn unknown_state_in_obligation_names_line_and_field() {
    let text = BASE.replace("protects = \"members\"", "protects = [\"A\", \"QQQ\"]");
    let m = model_err(
        &text,
        line_of(&text, "protects ="),
        "obligations[0].protects",
    );
    assert!(m.contains("QQQ"));
}

#[test]
fn unknown_state_in_decision_disputes_weights_veto() {
    let t = format!("{BASE}\n[decision]\nbody = [\"A\", \"XX\"]\n");
    model_err(&t, line_of(&t, "body ="), "decision.body");
    let t = format!("{BASE}\n[decision]\nveto = [\"XX\"]\n");
    model_err(&t, line_of(&t, "veto ="), "decision.veto");
    let t = format!("{BASE}\n[decision]\nrule = \"weighted\"\nquota = 1\nweights = {{ XX = 3 }}\n");
    model_err(&t, line_of(&t, "weights ="), "decision.weights");
    let t = format!("{BASE}\n[[disputes]]\na = \"A\"\nb = \"XX\"\n");
    model_err(&t, line_of(&t, "b = \"XX\""), "disputes[0].b");
    let t = format!("{BASE}\n[sanctions]\ncost = 1\nagainst = [\"XX\"]\n");
    model_err(&t, line_of(&t, "against = [\"XX\"]"), "sanctions.against");
}

#[test]
fn veto_holder_outside_the_body_is_an_error() {
    let t = format!("{BASE}\n[decision]\nbody = [\"A\"]\nveto = [\"B\"]\n");
    let m = model_err(&t, line_of(&t, "veto ="), "decision.veto");
    assert!(m.contains("not in the decision body"));
}

#[test]
fn non_positive_capability_is_an_error() {
    for bad in ["0", "-0.2", "nan"] {
        let text = BASE.replace("capability = 0.3", &format!("capability = {bad}"));
        model_err(
            &text,
            line_of(&text, &format!("capability = {bad}\n")),
            "states[1].capability",
        );
    }
}

#[test]
fn reliability_outside_unit_interval_is_an_error() {
    let text = BASE.replace(
        "capability = 0.3\n",
        "capability = 0.3\nreliability = 1.5\n",
    );
    model_err(
        &text,
        line_of(&text, "reliability = 1.5"),
        "states[1].reliability",
    );
    let text = format!("{BASE}reliability = -0.1\n");
    model_err(
        &text,
        line_of(&text, "reliability = -0.1"),
        "obligations[0].reliability",
    );
    let text = format!("{BASE}\n[defaults]\nreliability = 2\n");
    model_err(
        &text,
        line_of(&text, "reliability = 2"),
        "defaults.reliability",
    );
}

#[test]
fn duplicate_ids_are_an_error() {
    let text = BASE.replace("id = \"B\"", "id = \"A\"");
    let m = model_err(
        &text,
        line_of(&text, "capability = 0.3") - 1,
        "states[1].id",
    );
    assert!(m.contains("duplicate"));
}

#[test]
fn obligation_binding_nobody_is_an_error() {
    let text = BASE.replace("pledgers = \"members\"", "pledgers = []");
    model_err(
        &text,
        line_of(&text, "pledgers = []"),
        "obligations[0].pledgers",
    );
    let text = BASE
        .replace("protects = \"members\"", "protects = \"non_members\"")
        .replace("member = false\n", "member = true\n");
    model_err(
        &text,
        line_of(&text, "protects ="),
        "obligations[0].protects",
    );
    let text = BASE
        .replace("pledgers = \"members\"", "pledgers = [\"A\"]")
        .replace("protects = \"members\"", "protects = [\"A\"]");
    let m = model_err(
        &text,
        line_of(&text, "pledgers ="),
        "obligations[0].pledgers",
    );
    assert!(m.contains("binds nobody"));
}

#[test]
fn unknown_kind_rule_condition_and_field_are_errors() {
    let text = BASE.replace("kind = \"defense\"", "kind = \"alliance\"");
    model_err(&text, line_of(&text, "kind ="), "obligations[0].kind");
    let t = format!("{BASE}\n[decision]\nrule = \"dictator\"\n");
    model_err(&t, line_of(&t, "rule ="), "decision.rule");
    let t = format!("{BASE}\n[settlement]\nrule = \"coin_flip\"\n");
    model_err(&t, line_of(&t, "rule ="), "settlement.rule");
    let t = format!("{BASE}conditions = [\"if_sunny\"]\n");
    model_err(&t, line_of(&t, "conditions ="), "obligations[0].conditions");
    let t = format!("{BASE}conditions = [\"region:mars\"]\n");
    model_err(&t, line_of(&t, "conditions ="), "obligations[0].conditions");
    let t = BASE.replace("capability = 0.3\n", "capability = 0.3\ncolour = \"red\"\n");
    let m = model_err(&t, line_of(&t, "colour"), "states[1].colour");
    assert!(m.contains("colour"), "{m}");
}

#[test]
fn missing_required_fields_and_wrong_types_are_errors() {
    let t = BASE.replace("capability = 0.3\n", "");
    match parse(&t) {
        Err(Error::Model { line, message, .. }) => {
            assert!(
                line > 0 && message.contains("capability"),
                "{line} {message}"
            )
        }
        other => panic!("{other:?}"),
    }
    let t = BASE.replace("capability = 0.3", "capability = \"big\"");
    model_err(&t, line_of(&t, "\"big\""), "states[1].capability");
    // A missing field points at its table.
    let t = format!("{BASE}\n[decision]\nrule = \"weighted\"\n");
    model_err(&t, line_of(&t, "[decision]"), "decision.quota");
    let t = format!("{BASE}\n[decision]\nrule = \"weighted\"\nquota = 99\n");
    model_err(&t, line_of(&t, "quota ="), "decision.quota");
    let t = format!("{BASE}\n[decision]\nrule = \"qualified_majority\"\nthreshold = 1.2\n");
    model_err(&t, line_of(&t, "threshold ="), "decision.threshold");
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    let text = BASE.replace("capability = 0.3", "capability = = 0.3");
    match parse(&text) {
        Err(Error::Parse {
            file, line, column, ..
        }) => {
            assert_eq!(file, Path::new("m.toml"));
            assert_eq!(line, line_of(&text, "= = 0.3"));
            assert!(column > 1);
        }
        other => panic!("expected a Parse error, got {other:?}"),
    }
}

#[test]
fn treaty_round_trips_through_json() {
    let t = parse(TEMPLATE).unwrap();
    let j = serde_json::to_string(&t).unwrap();
    let back: Treaty = serde_json::from_str(&j).unwrap();
    assert_eq!(back, t);
}
