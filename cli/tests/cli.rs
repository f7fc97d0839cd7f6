//! The `covenant` binary: exit codes, stderr on bad input, and the JSON contract of the README.

use serde_json::Value;
use std::process::{Command, Output};

fn covenant(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_covenant"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("the covenant binary runs")
}

fn json(args: &[&str]) -> Value {
    let out = covenant(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn nash_enumerate_json_lists_the_three_exact_equilibria_of_the_degenerate_game() {
    let v = json(&[
        "nash",
        "models/games/degenerate_3x2.nfg",
        "--format",
        "json",
    ]);
    assert_eq!(v["method"], "enumerate");
    assert_eq!(v["complete"], true);
    let eqs = v["equilibria"].as_array().unwrap();
    assert_eq!(eqs.len(), 3);
    for e in eqs {
        assert!(e["regret"].as_f64().unwrap() <= 1e-9);
        assert_eq!(e["strategies"].as_array().unwrap().len(), 2);
        assert!(e["exact"].is_array());
    }
}

#[test]
fn zero_sum_method_on_rock_paper_scissors_is_uniform() {
    let v = json(&[
        "nash",
        "models/games/rock_paper_scissors.nfg",
        "--method",
        "zero-sum",
        "--format",
        "json",
    ]);
    let x = v["equilibria"][0]["strategies"][0].as_array().unwrap();
    for p in x {
        assert!((p.as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-6);
    }
}

#[test]
fn a_bad_file_exits_non_zero_with_file_line_and_column_on_stderr() {
    let dir = std::env::temp_dir().join(format!("covenant-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.nfg");
    std::fs::write(&bad, "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n1 2 3\n").unwrap();
    let out = covenant(&["nash", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.nfg:"), "{err}");
    assert!(err.contains("covenant: error"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);

    let out = covenant(&["nash", "models/games/no_such_game.nfg"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_game.nfg"));
}

#[test]
fn a_method_for_two_players_on_a_three_player_game_is_an_error() {
    let out = covenant(&[
        "nash",
        "models/games/volunteers_dilemma_3.nfg",
        "--method",
        "lemke-howson",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("two-player"));
}

#[test]
fn power_from_the_command_line_gives_the_security_council_values() {
    let v = json(&[
        "power",
        "--quota",
        "39",
        "--weights",
        "7,7,7,7,7,1,1,1,1,1,1,1,1,1,1",
        "--format",
        "json",
    ]);
    assert_eq!(v["index"], "shapley-shubik");
    assert_eq!(v["exact"][0], "421/2145");
    assert_eq!(v["exact"][14], "4/2145");
}

#[test]
fn coop_nucleolus_of_the_talmud_estate_is_50_75_75() {
    let v = json(&[
        "coop",
        "models/coop/talmud_estate_200.json",
        "--solution",
        "nucleolus",
        "--format",
        "json",
    ]);
    let x: Vec<f64> = v["allocation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    for (a, b) in x.iter().zip([50.0, 75.0, 75.0]) {
        assert!((a - b).abs() < 1e-6, "{x:?}");
    }
}

#[test]
fn check_json_reports_the_p5_veto_of_the_un_charter() {
    let v = json(&[
        "check",
        "models/un_charter.toml",
        "--condition",
        "equal_rules,liveness",
        "--format",
        "json",
    ]);
    let conds = v["conditions"].as_array().unwrap();
    let ids: Vec<&str> = conds.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["equal_rules", "liveness"]);
    for c in conds {
        assert_eq!(c["holds"], false);
        assert!(c["margin"].as_f64().unwrap() < 0.0);
        assert!(c["witness"].is_object());
    }
}

#[test]
fn an_unknown_condition_is_a_usage_error() {
    let out = covenant(&["check", "models/nato_1949.toml", "--condition", "peace"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown condition"));
}

#[test]
fn nash_on_a_tree_gives_behaviour_strategies_per_information_set() {
    let v = json(&[
        "nash",
        "models/games/deterrence_credible.efg",
        "--format",
        "json",
    ]);
    assert_eq!(v["method"], "spe");
    assert_eq!(v["complete"], true);
    assert_eq!(v["infosets"][0]["label"], "Challenger");
    assert_eq!(v["infosets"][1]["actions"][1], "Resist");
    let eqs = v["equilibria"].as_array().unwrap();
    assert_eq!(eqs.len(), 1);
    assert_eq!(eqs[0]["exact"][0][0], "1");
    assert_eq!(eqs[0]["strategies"][1][1].as_f64(), Some(1.0));
}

#[test]
fn nash_sequence_lp_on_kuhn_poker_reports_the_value() {
    let v = json(&[
        "nash",
        "models/games/kuhn_poker.efg",
        "--method",
        "sequence-lp",
        "--format",
        "json",
    ]);
    assert!((v["value"].as_f64().unwrap() + 1.0 / 18.0).abs() < 1e-9);
    assert_eq!(
        v["equilibria"][0]["strategies"].as_array().unwrap().len(),
        12
    );
}

#[test]
fn a_bad_efg_file_exits_non_zero_with_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("covenant-efg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.efg");
    std::fs::write(
        &bad,
        "EFG 2 R \"g\" { \"A\" }\n\"\"\nt \"\" 1 \"o\" { x }\n",
    )
    .unwrap();
    let out = covenant(&["nash", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.efg:3:14"), "{err}");
    let out = covenant(&[
        "nash",
        "models/games/prisoners_dilemma.nfg",
        "--method",
        "spe",
    ]);
    assert_eq!(out.status.code(), Some(1));
}
