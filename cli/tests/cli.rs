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
    // Integer payoffs: the exact profiles are exact for the game as written.
    assert_eq!(v["exact_input"], true);
}

#[test]
fn nash_json_says_when_the_file_has_payoffs_binary64_cannot_hold() {
    let dir = std::env::temp_dir().join(format!("covenant-cli-exact-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("tenths.nfg");
    std::fs::write(
        &path,
        "NFG 1 R \"t\" { \"1\" \"2\" } { 2 2 }\n0.3 0 0 0.1 0 1/3 0.7 0\n",
    )
    .unwrap();
    let v = json(&["nash", path.to_str().unwrap(), "--format", "json"]);
    let table = covenant(&["nash", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(v["exact_input"], false);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("4 payoffs in the file are not binary64"),
        "{text}"
    );
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
    let ids: Vec<(&str, &str)> = conds
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["scope"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("equal_rules", "all"),
            ("liveness", "external"),
            ("liveness", "internal")
        ]
    );
    // The P5 can block action against themselves (Charter Art. 27(3)): equal rules and
    // internal liveness fail, with witnesses.
    for c in [&conds[0], &conds[2]] {
        assert_eq!(c["verdict"], "fails");
        assert!(c["margin"].as_f64().unwrap() < 0.0);
        assert!(c["witness"].is_object());
    }
}

#[test]
fn an_unknown_condition_is_a_usage_error() {
    let out = covenant(&["check", "models/nato.toml", "--condition", "peace"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown condition"));
}

fn stdout_of(args: &[&str]) -> String {
    let out = covenant(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

#[test]
fn sweep_csv_has_one_row_per_point_and_condition_and_shards_cover_it() {
    let base = [
        "sweep",
        "models/anzus.toml",
        "--set",
        "defaults.reliability=0:1:0.25",
        "--condition",
        "deterrence,liveness",
    ];
    let full = stdout_of(&base);
    let lines: Vec<&str> = full.lines().collect();
    assert_eq!(
        lines[0],
        "point,defaults.reliability,condition,scope,verdict,margin"
    );
    // Two conditions, each for the external and the internal scope, at five points.
    assert_eq!(lines.len(), 1 + 5 * 4);
    assert!(lines[1].starts_with("0,0.0,deterrence,external,"));
    assert!(lines[20].starts_with("4,1.0,liveness,internal,"));
    let mut joined = vec![lines[0].to_string()];
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let mut args = base.to_vec();
        args.extend(["--shard", shard.as_str()]);
        let part = stdout_of(&args);
        joined.extend(part.lines().skip(1).map(String::from));
    }
    assert_eq!(joined, lines);
}

#[test]
fn sweep_with_samples_adds_probabilities_and_shards_give_the_same_rows() {
    let base = [
        "sweep",
        "models/anzus.toml",
        "--set",
        "defaults.reliability=0.5:1:0.25",
        "--condition",
        "deterrence,equal_rules",
        "--pairs",
        "--samples",
        "50",
        "--seed",
        "9",
    ];
    let full = stdout_of(&base);
    let lines: Vec<&str> = full.lines().collect();
    assert_eq!(
        lines[0],
        "point,defaults.reliability,condition,scope,verdict,margin,probability,\
         aggressor,target,win_probability,p_deterred,seed"
    );
    let cells = |l: &str| l.split(',').map(String::from).collect::<Vec<_>>();
    let mut conditions = 0;
    for l in &lines[1..] {
        let c = cells(l);
        assert_eq!(c.len(), 12, "{l}");
        let prob = |s: &str| s.parse::<f64>().ok().filter(|p| (0.0..=1.0).contains(p));
        match (c[2].as_str(), c[3].as_str()) {
            // Equal rules is not sampled: no probability.
            ("equal_rules", _) => assert_eq!(c[6], "", "{l}"),
            // A pair row carries P(deterred), a multiple of 1/50.
            (_, "pair") => {
                assert_eq!(c[6], "", "{l}");
                let p = prob(&c[10]).expect(l);
                assert_eq!((p * 50.0).round(), p * 50.0, "{l}");
            }
            _ => {
                conditions += 1;
                assert!(prob(&c[6]).is_some(), "{l}");
            }
        }
        assert!(c[11].parse::<u64>().is_ok(), "{l}");
    }
    assert_eq!(conditions, 3 * 2);
    let mut joined = vec![lines[0].to_string()];
    for k in 1..=2 {
        let shard = format!("{k}/2");
        let mut args = base.to_vec();
        args.extend(["--shard", shard.as_str()]);
        joined.extend(stdout_of(&args).lines().skip(1).map(String::from));
    }
    assert_eq!(joined, lines);
    // Another seed draws other samples.
    let mut other = base.to_vec();
    *other.last_mut().unwrap() = "10";
    assert_ne!(stdout_of(&other), full);
}

#[test]
fn sweep_json_pairs_and_plot_are_written() {
    let dir = std::env::temp_dir().join(format!("covenant-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("sweep.svg");
    let v = json(&[
        "sweep",
        "models/anzus.toml",
        "--set",
        "snapshots.1951.capability.USA=0.1,0.3",
        "--condition",
        "deterrence",
        "--pairs",
        "--format",
        "json",
        "--plot",
        svg.to_str().unwrap(),
    ]);
    let rows = v.as_array().unwrap();
    // 5 states: 20 ordered pairs per point at most, plus the condition row.
    assert!(rows
        .iter()
        .any(|r| r["scope"] == "pair" && r["aggressor"] == "SUN"));
    assert_eq!(rows[0]["snapshots.1951.capability.USA"], 0.1);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("deterrence"));
    let heat = dir.join("heat.svg");
    let out = covenant(&[
        "check",
        "models/anzus.toml",
        "--plot",
        heat.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&heat).unwrap();
    assert!(text.contains("<rect") && text.contains("SUN"));
    // With samples the cells are P(deterred).
    let out = covenant(&[
        "check",
        "models/anzus.toml",
        "--samples",
        "20",
        "--plot",
        heat.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&heat).unwrap();
    assert!(text.contains("P(aggressor") && text.contains("20 samples"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sweep_bad_parameter_and_bad_point_fail_with_the_field_on_stderr() {
    let out = covenant(&[
        "sweep",
        "models/anzus.toml",
        "--set",
        "states.FRA.capability=1",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("states.FRA"));
    let out = covenant(&[
        "sweep",
        "models/anzus.toml",
        "--set",
        "defaults.reliability=2",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("models/anzus.toml") && err.contains("defaults.reliability"),
        "{err}"
    );
    let out = covenant(&["sweep", "models/anzus.toml", "--shard", "0/4"]);
    assert!(!out.status.success());
}

#[test]
fn label_without_lemke_howson_is_an_error_and_its_range_reads_half_open() {
    let out = covenant(&[
        "nash",
        "models/games/battle_of_the_sexes.nfg",
        "--label",
        "1",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--label applies only to --method lemke-howson"),
        "{err}"
    );
    let out = covenant(&[
        "nash",
        "models/games/battle_of_the_sexes.nfg",
        "--method",
        "lemke-howson",
        "--label",
        "4",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("labels 0 to 3"), "{err}");
    let v = json(&[
        "nash",
        "models/games/battle_of_the_sexes.nfg",
        "--method",
        "lemke-howson",
        "--label",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(v["equilibria"].as_array().unwrap().len(), 1);
}

#[test]
fn power_weights_may_have_spaces_after_the_commas() {
    let spaced = json(&[
        "power",
        "--quota",
        "3",
        "--weights",
        "2, 1, 1",
        "--format",
        "json",
    ]);
    let tight = json(&[
        "power",
        "--quota",
        "3",
        "--weights",
        "2,1,1",
        "--format",
        "json",
    ]);
    assert_eq!(spaced, tight);
}

#[test]
fn banzhaf_outputs_name_their_normalisation() {
    let v = json(&[
        "power",
        "--quota",
        "3",
        "--weights",
        "2,1,1",
        "--index",
        "banzhaf",
        "--format",
        "json",
    ]);
    assert!(
        v["normalization"]
            .as_str()
            .unwrap()
            .starts_with("normalised"),
        "{v}"
    );
    let v = json(&[
        "coop",
        "models/coop/glove.json",
        "--solution",
        "banzhaf",
        "--format",
        "json",
    ]);
    assert!(
        v["normalization"].as_str().unwrap().starts_with("raw"),
        "{v}"
    );
    let v = json(&[
        "power",
        "--quota",
        "3",
        "--weights",
        "2,1,1",
        "--format",
        "json",
    ]);
    assert!(v.get("normalization").is_none(), "{v}");
}

#[test]
fn nash_table_shows_names_exact_supports_components_and_fits_120_columns() {
    let out = covenant(&["nash", "models/games/degenerate_3x2.nfg"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    // The mixed equilibrium of the degenerate game, exactly: M 1/3, B 2/3 against l 1/3, r 2/3.
    assert!(
        text.contains("M 1/3, B 2/3") && text.contains("l 1/3, r 2/3"),
        "{text}"
    );
    assert!(
        text.contains("component") && text.contains("regret/range"),
        "{text}"
    );
    let out = covenant(&["nash", "tests/data/noncoop/bimatrix_20x20_0.nfg"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("more"), "long supports are cut");
    for line in text.lines() {
        assert!(
            line.chars().count() <= 120,
            "{} columns: {line}",
            line.chars().count()
        );
    }
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

#[test]
fn solve_pair_reports_the_extended_deterrence_tree_and_a_bad_pair_fails() {
    let v = json(&[
        "solve",
        "models/nato.toml",
        "--year",
        "1949",
        "--pair",
        "SUN:LUX",
        "--format",
        "json",
    ]);
    let trees = v["deterrence_trees"].as_array().unwrap();
    assert_eq!(trees.len(), 1);
    assert_eq!(trees[0]["aggressor"], "SUN");
    assert_eq!(trees[0]["deterred"], true);
    assert_eq!(trees[0]["treaty_deterred"], true);
    assert_eq!(trees[0]["path"][0], "Not challenge");
    let out = covenant(&["solve", "models/nato.toml", "--pair", "SUN-LUX"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("AGGRESSOR:TARGET"));
}
