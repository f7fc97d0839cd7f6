//! Game file I/O: Gambit .nfg (both dialects), JSON games, coop JSON; the reference files of
//! tests/data (vendored reference data), round trips, and positioned errors on bad input.

use covenant::game::{CoalitionalGame, NormalForm, TuGame};
use covenant::io::{
    parse_coop_json, parse_game_json, parse_nfg, read_coop, read_game, write_game_json, write_nfg,
    write_nfg_outcomes, write_tu_json, CoopInput,
};
use covenant::Error;
use ndarray::{ArrayD, IxDyn};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models");

/// `tests/data/<sub>`: the vendored reference data (see tests/data/README.md).
fn reference(sub: &str) -> String {
    format!("{}/tests/data/{sub}", env!("CARGO_MANIFEST_DIR"))
}

fn input() -> &'static Path {
    Path::new("<input>")
}

/// Files in `dir` with extension `ext`, sorted.
fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

/// The (A, B) matrices of a bimatrix reference JSON, read with serde_json directly (no
/// covenant code), so the comparison pins the .nfg odometer order independently.
fn matrices(path: &Path) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let m = |x: &Value| -> Vec<Vec<f64>> {
        x.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_f64().unwrap())
                    .collect()
            })
            .collect()
    };
    (m(&v["A"]), m(&v["B"]))
}

fn assert_payoffs_are(g: &NormalForm, a: &[Vec<f64>], b: &[Vec<f64>], what: &str) {
    assert_eq!(g.num_players(), 2, "{what}");
    assert_eq!(g.shape(), &[a.len(), a[0].len()], "{what}");
    for (i, row) in a.iter().enumerate() {
        for (j, &x) in row.iter().enumerate() {
            assert_eq!(g.payoff(0, &[i, j]), x, "{what}: A[{i}][{j}]");
            assert_eq!(g.payoff(1, &[i, j]), b[i][j], "{what}: B[{i}][{j}]");
        }
    }
}

/// The (line, column, message) of a parse error, or a panic naming what came instead.
fn parse_err<T: std::fmt::Debug>(r: covenant::Result<T>) -> (usize, usize, String) {
    match r {
        Err(Error::Parse {
            line,
            column,
            message,
            ..
        }) => (line, column, message),
        other => panic!("expected Error::Parse, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Reference files

#[test]
fn every_reference_nfg_equals_its_json_twin() {
    let nfgs: Vec<PathBuf> = files(&reference("noncoop"), "nfg")
        .into_iter()
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("classic_")
        })
        .collect();
    assert!(
        nfgs.len() >= 19,
        "found only {} reference .nfg files",
        nfgs.len()
    );
    for nfg in nfgs {
        let g = read_game(&nfg).unwrap_or_else(|e| panic!("{e}"));
        let twin = nfg.with_extension("json");
        let (a, b) = matrices(&twin);
        assert_payoffs_are(&g, &a, &b, &nfg.display().to_string());
        // And covenant's own JSON reader agrees.
        assert_eq!(
            read_game(&twin).unwrap().payoff_tensors(),
            g.payoff_tensors()
        );
        assert_eq!(g.title(), nfg.file_stem().unwrap().to_str().unwrap());
    }
}

#[test]
fn bimatrix_5x5_0_payoff_order_is_player_one_fastest() {
    // Body starts "89 61 61 17": contingency (0,0) = (89, 61), then (1,0) = (61, 17).
    let g = read_game(&Path::new(&reference("noncoop")).join("bimatrix_5x5_0.nfg")).unwrap();
    assert_eq!((g.payoff(0, &[0, 0]), g.payoff(1, &[0, 0])), (89.0, 61.0));
    assert_eq!((g.payoff(0, &[1, 0]), g.payoff(1, &[1, 0])), (61.0, 17.0));
    assert_eq!(
        g.players(),
        &["Player 1".to_string(), "Player 2".to_string()]
    );
}

#[test]
fn classic_outcome_dialect_files_match_classic_json() {
    let classic: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(&reference("noncoop")).join("classic.json")).unwrap(),
    )
    .unwrap();
    let games = classic["games"].as_object().unwrap();
    let mut seen = 0;
    for (name, spec) in games {
        let path = Path::new(&reference("noncoop")).join(format!("classic_{name}.nfg"));
        let g = read_game(&path).unwrap_or_else(|e| panic!("{e}"));
        let m = |x: &Value| -> Vec<Vec<f64>> {
            x.as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    r.as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c.as_f64().unwrap())
                        .collect()
                })
                .collect()
        };
        assert_payoffs_are(&g, &m(&spec["A"]), &m(&spec["B"]), name);
        let names = |x: &Value| -> Vec<String> {
            x.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(g.strategies()[0], names(&spec["rows"]), "{name}");
        assert_eq!(g.strategies()[1], names(&spec["cols"]), "{name}");
        assert_eq!(g.title(), name);
        seen += 1;
    }
    assert_eq!(seen, 7);
}

#[test]
fn prisoners_dilemma_outcome_file_has_textbook_payoffs() {
    let g =
        read_game(&Path::new(&reference("noncoop")).join("classic_prisoners_dilemma.nfg")).unwrap();
    // (Cooperate, Defect): the sucker's payoff 0 for Row, temptation 5 for Column.
    assert_eq!(g.payoff(0, &[0, 1]), 0.0);
    assert_eq!(g.payoff(1, &[0, 1]), 5.0);
    assert_eq!(g.payoff(0, &[1, 1]), 1.0);
    assert_eq!(g.players(), &["Row".to_string(), "Column".to_string()]);
}

#[test]
fn coop_reference_games_parse_with_n_and_table_length() {
    let games: Vec<PathBuf> = files(&reference("coop"), "json")
        .into_iter()
        .filter(|p| {
            let s = p.file_stem().unwrap().to_str().unwrap();
            s != "expected" && s != "reference"
        })
        .collect();
    assert_eq!(games.len(), 24);
    for path in games {
        let raw: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let n = raw["n"].as_u64().unwrap() as usize;
        match read_coop(&path).unwrap_or_else(|e| panic!("{e}")) {
            CoopInput::Tu(g) => {
                assert_eq!(g.num_players(), n, "{}", path.display());
                assert_eq!(g.values().len(), 1 << n);
                assert_eq!(g.grand_value(), raw["v"][(1 << n) - 1].as_f64().unwrap());
            }
            other => panic!("{}: expected a TU game, got {other:?}", path.display()),
        }
    }
}

#[test]
fn tu_and_voting_games_of_reference_json_parse() {
    let r: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(&reference("coop")).join("reference.json")).unwrap(),
    )
    .unwrap();
    // The reference entries carry peers' answers beside the game; keep the game's fields.
    let game_only = |g: &Value, fields: &[&str]| -> String {
        let o: serde_json::Map<String, Value> = g
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| fields.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        serde_json::to_string(&o).unwrap()
    };
    for g in r["tu_games"].as_array().unwrap() {
        let text = game_only(g, &["n", "v", "name", "source", "note"]);
        match parse_coop_json(&text, input()).unwrap() {
            CoopInput::Tu(t) => assert_eq!(t.num_players() as u64, g["n"].as_u64().unwrap()),
            other => panic!("expected TU, got {other:?}"),
        }
    }
    for g in r["voting_games"].as_array().unwrap() {
        let text = game_only(g, &["n", "quota", "weights", "name", "source"]);
        match parse_coop_json(&text, input()).unwrap_or_else(|e| panic!("{e}")) {
            CoopInput::Voting(w) => {
                assert_eq!(w.len(), g["weights"].as_array().unwrap().len())
            }
            other => panic!("expected voting, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bundled models

#[test]
fn bundled_games_nfg_and_json_agree() {
    let nfgs = files(&format!("{MODELS}/games"), "nfg");
    assert!(nfgs.len() >= 6);
    for nfg in nfgs {
        let a = read_game(&nfg).unwrap_or_else(|e| panic!("{e}"));
        let b = read_game(&nfg.with_extension("json")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a, b, "{}", nfg.display());
    }
}

#[test]
fn bundled_degenerate_3x2_matches_reference() {
    let g = read_game(&Path::new(MODELS).join("games/degenerate_3x2.nfg")).unwrap();
    let r =
        read_game(&Path::new(&reference("noncoop")).join("classic_degenerate_3x2.nfg")).unwrap();
    assert_eq!(g.payoff_tensors(), r.payoff_tensors());
}

#[test]
fn bundled_volunteers_dilemma_has_three_players() {
    let g = read_game(&Path::new(MODELS).join("games/volunteers_dilemma_3.nfg")).unwrap();
    assert_eq!(g.shape(), &[2, 2, 2]);
    // Only ally 1 helps: it gets 2 - 1, the others free-ride on 2.
    assert_eq!(g.payoff(0, &[0, 1, 1]), 1.0);
    assert_eq!(g.payoff(2, &[0, 1, 1]), 2.0);
    assert_eq!(g.payoff(1, &[1, 1, 1]), 0.0);
}

#[test]
fn bundled_security_council_models_are_the_same_simple_game() {
    let weighted = match read_coop(&Path::new(MODELS).join("coop/un_security_council.json")) {
        Ok(CoopInput::Voting(w)) => w,
        other => panic!("{other:?}"),
    };
    let veto = match read_coop(&Path::new(MODELS).join("coop/un_security_council_veto.json")) {
        Ok(CoopInput::Voting(w)) => w,
        other => panic!("{other:?}"),
    };
    assert_eq!(weighted.len(), 15);
    assert_eq!(veto.veto(), &[0, 1, 2, 3, 4]);
    assert_eq!(weighted.players()[4], "United States");
    for m in 0..1u64 << 15 {
        let s = covenant::game::Coalition(m);
        assert_eq!(
            weighted.is_winning(s),
            veto.is_winning(s),
            "coalition {m:#b}"
        );
    }
}

#[test]
fn bundled_talmud_and_glove_games() {
    let t = match read_coop(&Path::new(MODELS).join("coop/talmud_estate_200.json")) {
        Ok(CoopInput::Tu(g)) => g,
        other => panic!("{other:?}"),
    };
    // v(S) = max(0, 200 - claims of the others), claims 100/200/300.
    let claims = [100.0, 200.0, 300.0];
    for m in 0..8u64 {
        let s = covenant::game::Coalition(m);
        let others: f64 = (0..3).filter(|&i| !s.contains(i)).map(|i| claims[i]).sum();
        assert_eq!(t.value(s), f64::max(0.0, 200.0 - others));
    }
    assert_eq!(t.players().unwrap()[2], "Claimant 300");
    let g = match read_coop(&Path::new(MODELS).join("coop/glove.json")) {
        Ok(CoopInput::Tu(g)) => g,
        other => panic!("{other:?}"),
    };
    assert_eq!(g.values(), &[0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
}

// ---------------------------------------------------------------------------------------------
// Writers and round trips

#[test]
fn outcome_dialect_round_trip_of_reference_game() {
    let g = read_game(&Path::new(&reference("noncoop")).join("classic_rock_paper_scissors.nfg"))
        .unwrap();
    let text = write_nfg_outcomes(&g);
    assert!(text.contains("{ \"PR\" 1, -1 }"), "{text}");
    assert_eq!(parse_nfg(&text, input()).unwrap(), g);
    assert_eq!(parse_nfg(&write_nfg(&g), input()).unwrap(), g);
    assert_eq!(parse_game_json(&write_game_json(&g), input()).unwrap(), g);
}

#[test]
fn payoff_dialect_writes_player_one_fastest() {
    let g = NormalForm::from_matrices(
        &[vec![1.0, 2.0], vec![3.0, 4.0]],
        &[vec![5.0, 6.0], vec![7.0, 8.0]],
    )
    .unwrap();
    let text = write_nfg(&g);
    let body: Vec<&str> = text.lines().rev().take(4).collect();
    assert_eq!(body, vec!["4 8", "2 6", "3 7", "1 5"]);
}

#[test]
fn tu_json_round_trip() {
    let g = TuGame::new(2, vec![0.0, 0.25, 1.0 / 3.0, 1.5])
        .unwrap()
        .with_players(vec!["a \"quoted\" name".into(), "b".into()])
        .unwrap();
    match parse_coop_json(&write_tu_json(&g), input()).unwrap() {
        CoopInput::Tu(back) => assert_eq!(back, g),
        other => panic!("{other:?}"),
    }
}

#[test]
fn weighted_voting_with_double_majority_and_named_veto() {
    let text = r#"{"quota": 2, "weights": [1, 1, 1], "players": ["A", "B", "C"],
                   "veto": ["C"], "rules": [{"quota": 3, "weights": [1, 1, 2]}]}"#;
    let g = match parse_coop_json(text, input()).unwrap() {
        CoopInput::Voting(w) => w,
        other => panic!("{other:?}"),
    };
    assert_eq!(g.rules().len(), 2);
    assert_eq!(g.veto(), &[2]);
    use covenant::game::Coalition;
    assert!(!g.is_winning(Coalition::from_members([0, 1]))); // misses C's veto and rule 2
    assert!(g.is_winning(Coalition::from_members([0, 2])));
}

fn arb_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,6}",
        Just("say \"hi\"".to_string()),
        Just("back\\slash".to_string()),
        Just("{brace},\"".to_string()),
        Just("ünï €".to_string()),
    ]
}

fn arb_payoff() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-100i32..100).prop_map(f64::from),
        (-1000i32..1000, 1i32..17).prop_map(|(p, q)| f64::from(p) / f64::from(q)),
        (-1e6f64..1e6),
        Just(1e-300),
        Just(-2.5e300),
    ]
}

fn arb_game() -> impl Strategy<Value = NormalForm> {
    prop::collection::vec(1usize..4, 1..4).prop_flat_map(|shape| {
        let n = shape.len();
        let total: usize = shape.iter().product();
        (
            prop::collection::vec(prop::collection::vec(arb_payoff(), total), n),
            prop::collection::vec(arb_name(), n),
            shape
                .iter()
                .map(|&k| prop::collection::vec(arb_name(), k))
                .collect::<Vec<_>>(),
            arb_name(),
            Just(shape),
        )
            .prop_map(|(flat, players, strategies, title, shape)| {
                let tensors = flat
                    .into_iter()
                    .map(|v| ArrayD::from_shape_vec(IxDyn(&shape), v).unwrap())
                    .collect();
                NormalForm::with_names(players, strategies, tensors)
                    .unwrap()
                    .with_title(title)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn nfg_payoff_dialect_round_trip(g in arb_game()) {
        prop_assert_eq!(parse_nfg(&write_nfg(&g), input()).unwrap(), g);
    }

    #[test]
    fn nfg_outcome_dialect_round_trip(g in arb_game()) {
        prop_assert_eq!(parse_nfg(&write_nfg_outcomes(&g), input()).unwrap(), g);
    }

    #[test]
    fn json_round_trip(g in arb_game()) {
        prop_assert_eq!(parse_game_json(&write_game_json(&g), input()).unwrap(), g);
    }

    #[test]
    fn parse_nfg_never_panics_on_arbitrary_text(s in "\\PC{0,200}") {
        let _ = parse_nfg(&s, input());
    }

    #[test]
    fn parse_nfg_never_panics_on_mangled_files(cut in 0usize..400, junk in "[{}\",0-9a-z/. \n\\\\-]{0,8}") {
        let text = "NFG 1 R \"t\" { \"P1\" \"P2\" } { { \"a\" \"b\" } { \"c\" } } \"c\"\n\
                    { { \"o\" 1, 2 } { \"p\" 3/4 -5e-1 } } 1 2\n";
        let cut = cut.min(text.len());
        let mangled = format!("{}{}{}", &text[..cut], junk, &text[cut..]);
        match parse_nfg(&mangled, input()) {
            Ok(_) | Err(Error::Parse { .. }) => {}
            Err(e) => prop_assert!(false, "not a parse error: {e}"),
        }
    }

    #[test]
    fn parse_json_never_panics_on_arbitrary_text(s in "\\PC{0,120}") {
        let _ = parse_game_json(&s, input());
        let _ = parse_coop_json(&s, input());
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input: every case an Error::Parse at the right place

const GOOD: &str = "NFG 1 R \"g\" { \"P1\" \"P2\" } { 2 2 }\n1 2 3 4 5 6 7 8\n";

#[test]
fn good_payoff_file_parses() {
    let g = parse_nfg(GOOD, input()).unwrap();
    assert_eq!(g.payoff(0, &[1, 0]), 3.0);
    assert_eq!(g.payoff(1, &[0, 1]), 6.0);
}

#[test]
fn truncated_payoff_body_says_how_many_were_expected() {
    let (line, col, msg) = parse_err(parse_nfg(
        "NFG 1 R \"g\" { \"P1\" \"P2\" } { 2 2 }\n1 2 3 4 5",
        input(),
    ));
    assert_eq!((line, col), (2, 10));
    assert!(
        msg.contains("end of file") && msg.contains("expected 8 payoffs"),
        "{msg}"
    );
    assert!(msg.contains("found 5"), "{msg}");
}

#[test]
fn truncated_header_is_an_error_at_end_of_file() {
    let (line, col, msg) = parse_err(parse_nfg("NFG 1 R \"g\" { \"P1\"", input()));
    assert_eq!((line, col), (1, 19));
    assert!(msg.contains("end of file"), "{msg}");
    let (line, col, msg) = parse_err(parse_nfg("NFG 1 R \"unterminated", input()));
    assert_eq!((line, col), (1, 9));
    assert!(msg.contains("unterminated string"), "{msg}");
}

#[test]
fn missing_brace_is_reported_where_it_was_expected() {
    // The player list is not closed: `{ 2 2 }` reads as a non-name inside it.
    let (line, col, msg) = parse_err(parse_nfg(
        "NFG 1 R \"g\" { \"P1\" \"P2\"\n{ 2 2 }\n1 2 3 4 5 6 7 8",
        input(),
    ));
    assert_eq!((line, col), (2, 1));
    assert!(msg.contains("expected a player name or `}`"), "{msg}");
    // The strategy list is not closed.
    let (line, col, msg) = parse_err(parse_nfg(
        "NFG 1 R \"g\" { \"P1\" \"P2\" }\n{ 2 2\n1 2 3 4 5 6 7 8",
        input(),
    ));
    assert_eq!((line, col), (3, 1));
    assert!(msg.contains("expected `}`"), "{msg}");
}

#[test]
fn too_many_payoffs_points_at_the_first_extra() {
    let (line, col, msg) = parse_err(parse_nfg(
        "NFG 1 R \"g\" { \"P1\" \"P2\" } { 2 2 }\n1 2 3 4 5 6 7 8\n  9",
        input(),
    ));
    assert_eq!((line, col), (3, 3));
    assert!(msg.contains("expected 8 payoffs"), "{msg}");
}

#[test]
fn nan_and_inf_tokens_are_rejected() {
    for (tok, word) in [("nan", "NaN"), ("inf", "NaN"), ("-Infinity", "NaN")] {
        let text = format!("NFG 1 R \"g\" {{ \"P1\" \"P2\" }} {{ 2 2 }}\n1 2 {tok} 4 5 6 7 8");
        let (line, col, msg) = parse_err(parse_nfg(&text, input()));
        assert_eq!((line, col), (2, 5), "{tok}");
        assert!(
            msg.contains("not a finite number") && msg.contains(word),
            "{msg}"
        );
    }
    let (_, _, msg) = parse_err(parse_nfg("NFG 1 R \"g\" { \"P1\" } { 1 }\n1e999", input()));
    assert!(msg.contains("out of range"), "{msg}");
    let (_, _, msg) = parse_err(parse_nfg("NFG 1 R \"g\" { \"P1\" } { 1 }\n3/0", input()));
    assert!(msg.contains("divides by zero"), "{msg}");
}

#[test]
fn non_number_payoff_is_rejected() {
    let (line, col, msg) = parse_err(parse_nfg(
        "NFG 1 R \"g\" { \"P1\" \"P2\" } { 2 2 }\n1 2 3 4\n5 six 7 8",
        input(),
    ));
    assert_eq!((line, col), (3, 3));
    assert!(msg.contains("`six` is not a number"), "{msg}");
}

#[test]
fn empty_strategy_set_is_rejected() {
    let (line, col, msg) = parse_err(parse_nfg(
        "NFG 1 R \"g\" { \"P1\" \"P2\" } { 0 2 }\n",
        input(),
    ));
    assert_eq!((line, col), (1, 29));
    assert!(msg.contains("player 0 (P1) has no strategies"), "{msg}");
    let (line, col, _) = parse_err(parse_nfg(
        "NFG 1 R \"g\" { \"P1\" \"P2\" }\n{ { \"a\" } { } }\n1 2",
        input(),
    ));
    assert_eq!((line, col), (2, 11));
}

#[test]
fn zero_players_is_rejected() {
    let (line, col, msg) = parse_err(parse_nfg("NFG 1 R \"g\" { } { }\n", input()));
    assert_eq!((line, col), (1, 15));
    assert!(msg.contains("at least one player"), "{msg}");
}

#[test]
fn outcome_dialect_errors() {
    let head = "NFG 1 R \"g\" { \"P1\" \"P2\" } { 1 2 }\n";
    // Outcome with one payoff for two players.
    let (line, col, msg) = parse_err(parse_nfg(
        &format!("{head}{{ {{ \"x\" 1 }} }}\n1 1"),
        input(),
    ));
    assert_eq!((line, col), (2, 11));
    assert!(msg.contains("outcome 1 has 1 payoffs, expected 2"), "{msg}");
    // Index out of range.
    let (line, col, msg) = parse_err(parse_nfg(
        &format!("{head}{{ {{ \"x\" 1 2 }} }}\n1 2"),
        input(),
    ));
    assert_eq!((line, col), (3, 3));
    assert!(msg.contains("out of range"), "{msg}");
    // Too few indices; the null outcome 0 is fine.
    let (_, _, msg) = parse_err(parse_nfg(
        &format!("{head}{{ {{ \"x\" 1 2 }} }}\n0"),
        input(),
    ));
    assert!(msg.contains("2 outcome indices"), "{msg}");
    let g = parse_nfg(&format!("{head}{{ {{ \"x\" 1 2 }} }}\n0 1"), input()).unwrap();
    assert_eq!(g.payoff(1, &[0, 0]), 0.0);
    assert_eq!(g.payoff(1, &[0, 1]), 2.0);
}

#[test]
fn bad_header_words() {
    let (line, col, msg) = parse_err(parse_nfg("EFG 2 R \"g\"", input()));
    assert_eq!((line, col), (1, 1));
    assert!(msg.contains("expected `NFG`"), "{msg}");
    let (_, col, _) = parse_err(parse_nfg("NFG 2 R \"g\"", input()));
    assert_eq!(col, 5);
}

#[test]
fn read_game_reports_bad_utf8_position() {
    let dir = std::env::temp_dir().join(format!("covenant-io-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.nfg");
    let mut bytes = b"NFG 1 R \"g\" { \"P1\" } { 1 }\n\"ok\" ".to_vec();
    bytes.extend([0xff, 0xfe, b'1']);
    std::fs::write(&path, bytes).unwrap();
    let r = read_game(&path);
    std::fs::remove_dir_all(&dir).ok();
    match r {
        Err(Error::Parse {
            file,
            line,
            column,
            message,
        }) => {
            assert_eq!(file, path);
            assert_eq!((line, column), (2, 6));
            assert!(message.contains("UTF-8"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn read_game_errors_name_the_path_and_extensions() {
    match read_game(Path::new("/nonexistent/dir/game.nfg")) {
        Err(e @ Error::Io { .. }) => assert!(e.to_string().contains("/nonexistent/dir/game.nfg")),
        other => panic!("{other:?}"),
    }
    match read_game(Path::new("game.txt")) {
        Err(Error::InvalidArgument(m)) => assert!(m.contains(".nfg") && m.contains(".json")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn parse_errors_display_file_line_column() {
    let e = parse_nfg("NFG 1 R \"g\" { } { }", Path::new("games/x.nfg")).unwrap_err();
    assert!(e.to_string().starts_with("games/x.nfg:1:15: "), "{e}");
}

#[test]
fn json_syntax_error_has_serde_position() {
    let (line, col, msg) = parse_err(parse_game_json(
        "{\"A\": [[1, 2]],\n \"B\": [[1, NaN]]}",
        input(),
    ));
    assert_eq!((line, col), (2, 12));
    assert!(msg.contains("invalid JSON"), "{msg}");
}

#[test]
fn json_ragged_payoffs_name_the_path_and_line() {
    let text = "{\n \"payoffs\": [\n  [[1, 2], [3, 4]],\n  [[1, 2], [3]]\n ]\n}";
    let (line, col, msg) = parse_err(parse_game_json(text, input()));
    assert_eq!((line, col), (4, 12));
    assert!(
        msg.contains("`payoffs[1][1]`") && msg.contains("ragged"),
        "{msg}"
    );
    let (_, _, msg) = parse_err(parse_game_json(
        r#"{"A": [[1, 2], [3]], "B": [[1, 2], [3, 4]]}"#,
        input(),
    ));
    assert!(msg.contains("`A[1]`"), "{msg}");
}

#[test]
fn json_nan_string_is_rejected_with_its_path() {
    let text = "{\"A\": [[1, 2]],\n \"B\": [[1, \"NaN\"]]}";
    let (line, col, msg) = parse_err(parse_game_json(text, input()));
    assert_eq!((line, col), (2, 12));
    assert!(
        msg.contains("`B[0][1]`") && msg.contains("not a finite number"),
        "{msg}"
    );
    // Numeric strings, including rationals, are accepted.
    let g = parse_game_json(r#"{"A": [["1/3"]], "B": [["-2e-1"]]}"#, input()).unwrap();
    assert_eq!(g.payoff(0, &[0, 0]), 1.0 / 3.0);
    assert_eq!(g.payoff(1, &[0, 0]), -0.2);
}

#[test]
fn json_names_of_wrong_length_and_missing_payoffs() {
    let (_, _, msg) = parse_err(parse_game_json(
        r#"{"players": ["x"], "payoffs": [[[1]], [[2]]]}"#,
        input(),
    ));
    assert!(msg.contains("1 player names for 2 players"), "{msg}");
    let (_, _, msg) = parse_err(parse_game_json(r#"{"title": "x"}"#, input()));
    assert!(msg.contains("`payoffs`"), "{msg}");
    let (_, _, msg) = parse_err(parse_game_json(r#"{"payoffs": []}"#, input()));
    assert!(msg.contains("at least one player"), "{msg}");
    let (_, _, msg) = parse_err(parse_game_json(r#"{"payoffs": [[]]}"#, input()));
    assert!(msg.contains("no strategies"), "{msg}");
    // Too deep a nesting for the number of players.
    let (_, _, msg) = parse_err(parse_game_json(r#"{"payoffs": [[[1]]]}"#, input()));
    assert!(
        msg.contains("1 payoff tensors") && msg.contains("nested 2 deep"),
        "{msg}"
    );
}

#[test]
fn coop_v_of_wrong_length() {
    let (line, col, msg) = parse_err(parse_coop_json(
        "{\"n\": 3,\n \"v\": [0, 1, 2, 3]}",
        input(),
    ));
    assert_eq!((line, col), (2, 7));
    assert!(msg.contains("2^3 = 8 values, found 4"), "{msg}");
}

#[test]
fn coop_quota_above_total_weight() {
    let (line, col, msg) = parse_err(parse_coop_json(
        "{\"weights\": [1, 2],\n \"quota\": 4}",
        input(),
    ));
    assert_eq!((line, col), (2, 11));
    assert!(
        msg.contains("`quota`") && msg.contains("above the total weight 3"),
        "{msg}"
    );
}

#[test]
fn coop_negative_weight() {
    let (line, col, msg) = parse_err(parse_coop_json(
        "{\"quota\": 2,\n \"weights\": [1, -2, 3]}",
        input(),
    ));
    assert_eq!((line, col), (2, 17));
    assert!(
        msg.contains("`weights[1]`") && msg.contains("non-negative integer"),
        "{msg}"
    );
}

#[test]
fn coop_other_errors() {
    let (_, _, msg) = parse_err(parse_coop_json(r#"{"n": 2, "v": [1, 0, 0, 1]}"#, input()));
    assert!(
        msg.contains("`v[0]`") && msg.contains("empty coalition"),
        "{msg}"
    );
    let (_, _, msg) = parse_err(parse_coop_json(r#"{"n": 2, "v": [0, 0, "x", 1]}"#, input()));
    assert!(msg.contains("`v[2]`"), "{msg}");
    let (_, _, msg) = parse_err(parse_coop_json(
        r#"{"quota": 1, "weights": [1], "veto": [3]}"#,
        input(),
    ));
    assert!(msg.contains("`veto[0]`"), "{msg}");
    let (_, _, msg) = parse_err(parse_coop_json(
        r#"{"quota": 1, "weights": [1], "rules": [{"quota": 1, "weights": [1, 1]}]}"#,
        input(),
    ));
    // Rules are numbered as in the file: the first entry of `rules` is `rules[0]`.
    assert!(
        msg.contains("`rules[0].weights`") && msg.contains("2 weights for 1 players"),
        "{msg}"
    );
    let (_, _, msg) = parse_err(parse_coop_json(
        r#"{"n": 2, "players": ["a"], "v": [0, 0, 0, 1]}"#,
        input(),
    ));
    assert!(msg.contains("`players`"), "{msg}");
    let (_, _, msg) = parse_err(parse_coop_json(r#"{"name": "x"}"#, input()));
    assert!(msg.contains("TU game"), "{msg}");
    assert!(matches!(
        parse_coop_json(r#"{"n": 40, "v": [0]}"#, input()),
        Err(Error::TooLarge(_))
    ));
    // `n` may be omitted when the table's length is a power of two.
    match parse_coop_json(r#"{"v": [0, 1, 1, 3]}"#, input()).unwrap() {
        CoopInput::Tu(g) => assert_eq!(g.num_players(), 2),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Sizes, limits, exactness and messages (issue 10; each a regression test)

use covenant::io::{
    parse_game_json_file, parse_nfg_file, read_game_file, read_input, read_input_limited,
    MAX_GAME_BYTES, MAX_INPUT_BYTES,
};
use num_rational::BigRational;

fn ratio(p: i64, q: i64) -> BigRational {
    BigRational::new(p.into(), q.into())
}

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("covenant-io-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn header_with_a_quintillion_strategies_is_an_error_not_a_panic() {
    // Was: panic "capacity overflow".
    let text = "NFG 1 R \"g\" { \"P1\" \"P2\" } { 1000000000000000000 2 }\n1 2 3 4";
    let (line, col, msg) = parse_err(parse_nfg(text, input()));
    assert_eq!((line, col), (2, 8), "at the end of the file: {msg}");
    assert!(
        msg.contains("end of file") && msg.contains("found 4"),
        "{msg}"
    );
    // More contingencies, or payoffs, than a usize can count.
    for counts in ["4294967296 4294967296 2", "4294967296 2147483648 1"] {
        let text = format!("NFG 1 R \"g\" {{ \"a\" \"b\" \"c\" }} {{ {counts} }}\n1");
        let (line, col, msg) = parse_err(parse_nfg(&text, input()));
        assert_eq!((line, col), (1, 29), "{counts}");
        assert!(msg.contains("more than 2^64 payoffs"), "{msg}");
    }
}

#[test]
fn header_declaring_a_billion_strategies_allocates_nothing_for_them() {
    // Was: a 24 GB allocation (strategy names) from a 40-byte file.
    let text = "NFG 1 R \"g\" { \"P1\" \"P2\" } { 1000000000 2 }\n";
    let (_, _, msg) = parse_err(parse_nfg(text, input()));
    assert!(
        msg.contains("unexpected end of file")
            && msg.contains("expected 4000000000 payoffs")
            && msg.contains("found 0"),
        "{msg}"
    );
    // The outcome dialect is checked the same way.
    let text = "NFG 1 R \"g\" { \"P1\" \"P2\" } { 1000000000 2 }\n{ { \"o\" 1 2 } }\n1 1";
    let (_, _, msg) = parse_err(parse_nfg(text, input()));
    assert!(
        msg.contains("2000000000 outcome indices") && msg.contains("found 2"),
        "{msg}"
    );
}

#[test]
fn twenty_thousand_one_strategy_players_are_refused_with_the_memory_they_need() {
    // Was: memory growing with the square of the player count (each of the n payoff tensors
    // records n axis lengths and n strides), out of memory from a 0.3 MB file.
    let n = 20_000;
    let mut text = String::from("NFG 1 R \"g\" {");
    for i in 0..n {
        text.push_str(&format!(" \"{i}\""));
    }
    text.push_str(" } {");
    text.push_str(&" 1".repeat(n));
    text.push_str(" }\n");
    text.push_str(&" 0".repeat(n));
    assert!(text.len() < 300_000, "{}", text.len());
    match parse_nfg(&text, input()) {
        Err(Error::TooLarge(msg)) => {
            assert!(
                msg.contains("needs about") && msg.contains("GiB") && msg.contains("limit"),
                "{msg}"
            );
            assert!(msg.starts_with("<input>:1:"), "{msg}");
        }
        other => panic!("{:?}", other.map(|g| g.num_players())),
    }
    // A few hundred players are fine.
    let n = 300;
    let text = format!(
        "NFG 1 R \"g\" {{{}}} {{{}}}\n{}",
        " \"p\"".repeat(n),
        " 1".repeat(n),
        " 7".repeat(n)
    );
    let g = parse_nfg(&text, input()).unwrap();
    assert_eq!(g.num_players(), n);
    assert_eq!(g.payoff(n - 1, &vec![0; n]), 7.0);
    // The limit itself is what the message says.
    assert_eq!(MAX_GAME_BYTES, 1 << 30);
}

#[test]
fn input_files_above_the_limit_are_refused_with_their_size_and_the_limit() {
    let dir = scratch("limit");
    let path = dir.join("big.nfg");
    std::fs::write(&path, vec![b' '; 4096]).unwrap();
    let r = read_input_limited(&path, 1024);
    std::fs::remove_dir_all(&dir).ok();
    match r {
        Err(Error::TooLarge(msg)) => {
            assert!(
                msg.contains("big.nfg") && msg.contains("4.0 KiB") && msg.contains("1.0 KiB"),
                "{msg}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(MAX_INPUT_BYTES, 64 << 20);
}

#[test]
fn endless_devices_are_read_up_to_the_limit_only() {
    // Was: `covenant check /dev/zero` read until out of memory.
    match read_input_limited(Path::new("/dev/zero"), 1 << 16) {
        Err(Error::TooLarge(msg)) => {
            assert!(
                msg.contains("/dev/zero") && msg.contains("64.0 KiB"),
                "{msg}"
            )
        }
        other => panic!("{:?}", other.map(|s| s.len())),
    }
    match read_input(Path::new("/nonexistent/x.nfg")) {
        Err(Error::Io { path, .. }) => assert_eq!(path, Path::new("/nonexistent/x.nfg")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_byte_order_mark_is_accepted_in_nfg_and_json() {
    let bom = "\u{feff}";
    let g = parse_nfg(&format!("{bom}{GOOD}"), input()).unwrap();
    assert_eq!(g, parse_nfg(GOOD, input()).unwrap());
    let g = parse_game_json(&format!("{bom}{{\"A\": [[1]], \"B\": [[2]]}}"), input()).unwrap();
    assert_eq!(g.payoff(1, &[0, 0]), 2.0);
    let c = parse_coop_json(&format!("{bom}{{\"quota\": 1, \"weights\": [1]}}"), input());
    assert!(matches!(c, Ok(CoopInput::Voting(_))));
    // Columns on the first line do not count the mark.
    let (line, col, _) = parse_err(parse_nfg(&format!("{bom}NFG 2 R \"g\""), input()));
    assert_eq!((line, col), (1, 5));
    // Read from a file too.
    let dir = scratch("bom");
    let path = dir.join("g.json");
    std::fs::write(&path, format!("{bom}{{\"A\": [[1]], \"B\": [[2]]}}")).unwrap();
    let r = read_game(&path);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(r.unwrap().payoff(0, &[0, 0]), 1.0);
}

#[test]
fn messages_say_found_once() {
    let cases = [
        "NFG 1 R \"g\" { \"P1\" \"P2\" } { 2 2 }\n1 2 { 4 5 6 7 8",
        "NFG 1 R \"g\" { \"P1\" \"P2\" } { 2 2 }\n1 2 3 4 5 6 7",
        "NFG 1 R \"g\" { \"P1\" \"P2\" } { 1 2 }\n{ { \"x\" 1 2 } }\n1 x",
        "NFG 1 R \"g\" { \"P1\" \"P2\" } { 1 2 }\n{ { \"x\" 1 2 } }\n1",
        "NFG 1 R \"g\" { \"P1\" \"P2\" } { 2 x }",
    ];
    for text in cases {
        let (_, _, msg) = parse_err(parse_nfg(text, input()));
        assert_eq!(msg.matches("found").count(), 1, "{msg}");
    }
    let (line, col, msg) = parse_err(parse_nfg(cases[0], input()));
    assert_eq!((line, col), (2, 5));
    assert!(msg.contains("expected payoff 3 of 8"), "{msg}");
    let (_, _, msg) = parse_err(parse_nfg(cases[2], input()));
    assert!(msg.contains("outcome index 2 of 2"), "{msg}");
}

#[test]
fn numbers_out_of_range_are_called_out_of_range() {
    for tok in ["1e999", "-2e400", "1e-400", "1/1e5"] {
        let text = format!("NFG 1 R \"g\" {{ \"P1\" }} {{ 1 }}\n{tok}");
        let (_, _, msg) = parse_err(parse_nfg(&text, input()));
        let want = if tok.contains('/') {
            "not a number"
        } else {
            "out of range"
        };
        assert!(msg.contains(want), "{tok}: {msg}");
    }
    let (line, col, msg) = parse_err(parse_game_json(
        "{\"A\": [[1]],\n \"B\": [[1e999]]}",
        input(),
    ));
    assert_eq!((line, col), (2, 9));
    assert!(
        msg.contains("`B[0][0]`") && msg.contains("out of range"),
        "{msg}"
    );
    let (_, _, msg) = parse_err(parse_game_json(
        r#"{"A": [["1e-999"]], "B": [[0]]}"#,
        input(),
    ));
    assert!(msg.contains("out of range"), "{msg}");
    let (_, _, msg) = parse_err(parse_coop_json(
        r#"{"quota": 1, "weights": [18446744073709551616]}"#,
        input(),
    ));
    assert!(
        msg.contains("`weights[0]`") && msg.contains("out of range"),
        "{msg}"
    );
    let (_, _, msg) = parse_err(parse_nfg(
        "NFG 1 R \"g\" { \"P1\" } { 99999999999999999999999 }\n1",
        input(),
    ));
    assert!(msg.contains("out of range"), "{msg}");
}

#[test]
fn unknown_json_fields_are_rejected_where_they_are() {
    let (line, col, msg) = parse_err(parse_game_json(
        "{\"A\": [[1]], \"B\": [[2]],\n \"payof\": 3}",
        input(),
    ));
    assert_eq!((line, col), (2, 2));
    assert!(msg.contains("unknown field \"payof\""), "{msg}");
    // Documentation fields are accepted.
    let g = parse_game_json(
        r#"{"A": [[1]], "B": [[2]], "note": {"any": ["thing"]}, "seed": 3}"#,
        input(),
    );
    assert!(g.is_ok(), "{g:?}");
    let (line, col, msg) = parse_err(parse_coop_json(
        "{\"n\": 1,\n \"v\": [0, 1], \"w\": 1}",
        input(),
    ));
    assert_eq!((line, col), (2, 15));
    assert!(msg.contains("unknown field \"w\""), "{msg}");
    let (line, col, msg) = parse_err(parse_coop_json(
        "{\"quota\": 1, \"weights\": [1],\n \"rules\": [{\"quota\": 1, \"weight\": [1]}]}",
        input(),
    ));
    assert_eq!((line, col), (2, 25));
    assert!(msg.contains("unknown field \"weight\""), "{msg}");
    let (_, _, msg) = parse_err(parse_coop_json(
        r#"{"quota": 1, "weights": [1], "vetoes": [0]}"#,
        input(),
    ));
    assert!(msg.contains("unknown field \"vetoes\""), "{msg}");
}

#[test]
fn duplicate_json_keys_are_rejected_at_the_second() {
    let (line, col, msg) = parse_err(parse_game_json(
        "{\"A\": [[1]], \"B\": [[2]],\n \"A\": [[3]]}",
        input(),
    ));
    assert_eq!((line, col), (2, 2));
    assert!(
        msg.contains("duplicate key \"A\"") && msg.contains("line 1, column 2"),
        "{msg}"
    );
    let (line, col, msg) = parse_err(parse_coop_json(
        "{\"n\": 1, \"v\": [0, 1],\n \"n\": 1}",
        input(),
    ));
    assert_eq!((line, col), (2, 2));
    assert!(msg.contains("duplicate key \"n\""), "{msg}");
    let (_, _, msg) = parse_err(parse_coop_json(
        r#"{"quota": 2, "weights": [1, 1], "quota": 1}"#,
        input(),
    ));
    assert!(msg.contains("duplicate key \"quota\""), "{msg}");
    let (_, _, msg) = parse_err(parse_coop_json(
        r#"{"quota": 1, "weights": [1], "rules": [{"quota": 1, "quota": 1, "weights": [1]}]}"#,
        input(),
    ));
    assert!(msg.contains("duplicate key \"quota\""), "{msg}");
}

#[test]
fn voting_rules_are_numbered_as_in_the_file() {
    let (line, col, msg) = parse_err(parse_coop_json(
        "{\"quota\": 1, \"weights\": [1, 1], \"rules\": [\n {\"quota\": 1, \"weights\": [1, 1]},\n {\"quota\": 9, \"weights\": [1, 1]}]}",
        input(),
    ));
    assert_eq!((line, col), (3, 12));
    assert!(
        msg.contains("`rules[1].quota`") && msg.contains("above the total weight 2"),
        "{msg}"
    );
}

#[test]
fn exactness_of_decimal_and_rational_payoffs_is_reported() {
    // 0.3 and 1/3 are not binary64 numbers; 2^53 + 1 = 9007199254740993 is an integer binary64
    // rounds to 2^53.
    let text = "NFG 1 R \"g\" { \"P1\" \"P2\" } { 2 1 }\n0.3 1/3 9007199254740993 0.5";
    let f = parse_nfg_file(text, input()).unwrap();
    assert!(!f.exact_input());
    assert_eq!(f.rounded_payoffs(), 3);
    assert_eq!(f.game().payoff(0, &[0, 0]), 0.3);
    assert_eq!(f.exact_payoff(0, &[0, 0]), ratio(3, 10));
    assert_eq!(f.exact_payoff(1, &[0, 0]), ratio(1, 3));
    assert_eq!(f.game().payoff(0, &[1, 0]), 9007199254740992.0);
    assert_eq!(f.exact_payoff(0, &[1, 0]), ratio(9007199254740993, 1));
    assert_eq!(f.exact_payoff(1, &[1, 0]), ratio(1, 2));
    let exact = f.exact_payoffs();
    assert_eq!(exact[1][[0, 0]], ratio(1, 3));
    assert_eq!(exact[0][[1, 0]], ratio(9007199254740993, 1));

    // The same game in JSON, numbers and strings.
    let json = r#"{"A": [[0.3], [9007199254740993]], "B": [["1/3"], [0.5]]}"#;
    let j = parse_game_json_file(json, input()).unwrap();
    assert_eq!(j.game().payoff_tensors(), f.game().payoff_tensors());
    assert_eq!(j.exact_payoffs(), exact);

    // Outcomes shared by several contingencies keep their exact payoffs in each.
    let text = "NFG 1 R \"g\" { \"P1\" \"P2\" } { 1 2 }\n{ { \"o\" 0.1, 2 } }\n1 1";
    let o = parse_nfg_file(text, input()).unwrap();
    assert_eq!(o.rounded_payoffs(), 2);
    assert_eq!(o.exact_payoff(0, &[0, 1]), ratio(1, 10));

    // Integers, halves and quarters are exact.
    let f = parse_nfg_file(GOOD, input()).unwrap();
    assert!(f.exact_input());
    let f = parse_nfg_file(
        "NFG 1 R \"g\" { \"P1\" } { 3 }\n0.5 -3/4 9007199254740992",
        input(),
    )
    .unwrap();
    assert!(f.exact_input());
    assert_eq!(f.exact_payoff(0, &[1]), ratio(-3, 4));
}

#[test]
fn reference_games_have_exact_input() {
    for path in files(&reference("noncoop"), "nfg") {
        let f = read_game_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(f.exact_input(), "{}", path.display());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Payoffs written as decimals with three places: each is read as the nearest binary64
    /// number (k / 1000 in one correctly rounded division) and kept exactly as k/1000, in
    /// .nfg and JSON alike; exactly those with k divisible by 125 are binary64 numbers.
    #[test]
    fn decimal_payoffs_are_rounded_once_and_kept_exactly(
        m in 1usize..4,
        n in 1usize..4,
        ks in proptest::collection::vec(-5000i64..5000, 32),
    ) {
        let text_of = |k: i64| {
            let sign = if k < 0 { "-" } else { "" };
            format!("{sign}{}.{:03}", k.abs() / 1000, k.abs() % 1000)
        };
        // Gambit order: player 1 fastest; payoff of player p at (i, j) is ks[(j*m + i)*2 + p].
        let k_at = |p: usize, i: usize, j: usize| ks[((j * m + i) * 2 + p) % ks.len()];
        let mut nfg = format!("NFG 1 R \"d\" {{ \"1\" \"2\" }} {{ {m} {n} }}\n");
        for j in 0..n {
            for i in 0..m {
                nfg.push_str(&format!("{} {} ", text_of(k_at(0, i, j)), text_of(k_at(1, i, j))));
            }
        }
        let rows = |p: usize| -> String {
            let r: Vec<String> = (0..m)
                .map(|i| {
                    let c: Vec<String> = (0..n).map(|j| text_of(k_at(p, i, j))).collect();
                    format!("[{}]", c.join(", "))
                })
                .collect();
            format!("[{}]", r.join(", "))
        };
        let json = format!("{{\"A\": {}, \"B\": {}}}", rows(0), rows(1));
        for f in [parse_nfg_file(&nfg, input()).unwrap(), parse_game_json_file(&json, input()).unwrap()] {
            let mut rounded = 0;
            for p in 0..2 {
                for i in 0..m {
                    for j in 0..n {
                        let k = k_at(p, i, j);
                        prop_assert_eq!(f.game().payoff(p, &[i, j]), k as f64 / 1000.0);
                        prop_assert_eq!(f.exact_payoff(p, &[i, j]), ratio(k, 1000));
                        if k % 125 != 0 {
                            rounded += 1;
                        }
                    }
                }
            }
            prop_assert_eq!(f.rounded_payoffs(), rounded);
            prop_assert_eq!(f.exact_input(), rounded == 0);
        }
    }
}

/// Found by the fuzz harness: a payoff of more than 19 digits overflowed the fast number path's
/// accumulator (a panic in debug builds) before the digit count sent it to the general path.
#[test]
fn a_thirty_digit_payoff_takes_the_general_path_without_overflow() {
    let text = "NFG 1 R \"\" { \"1\" \"2\" } { 1 1 }\n123456789012345678901234567890 -1\n";
    let g = covenant::io::parse_nfg(text, std::path::Path::new("long.nfg")).unwrap();
    assert_eq!(g.payoff(0, &[0, 0]), 1.2345678901234568e29);
    assert_eq!(g.payoff(1, &[0, 0]), -1.0);
}
