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
    for g in r["tu_games"].as_array().unwrap() {
        let text = serde_json::to_string(g).unwrap();
        match parse_coop_json(&text, input()).unwrap() {
            CoopInput::Tu(t) => assert_eq!(t.num_players() as u64, g["n"].as_u64().unwrap()),
            other => panic!("expected TU, got {other:?}"),
        }
    }
    for g in r["voting_games"].as_array().unwrap() {
        let text = serde_json::to_string(g).unwrap();
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
    assert!(msg.contains("out of the range"), "{msg}");
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
    assert!(msg.contains("player 1 (P1) has no strategies"), "{msg}");
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
    let (_, _, msg) = parse_err(parse_game_json(r#"{"payoff": []}"#, input()));
    assert!(msg.contains("`payoffs`"), "{msg}");
    let (_, _, msg) = parse_err(parse_game_json(r#"{"payoffs": []}"#, input()));
    assert!(msg.contains("at least one player"), "{msg}");
    let (_, _, msg) = parse_err(parse_game_json(r#"{"payoffs": [[]]}"#, input()));
    assert!(msg.contains("no strategies"), "{msg}");
    // Too deep a nesting for the number of players.
    let (_, _, msg) = parse_err(parse_game_json(r#"{"payoffs": [[[1]]]}"#, input()));
    assert!(msg.contains("expected a number"), "{msg}");
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
    assert!(
        msg.contains("`rules[0]`") && msg.contains("2 weights for 1 players"),
        "{msg}"
    );
    let (_, _, msg) = parse_err(parse_coop_json(
        r#"{"n": 2, "players": ["a"], "v": [0, 0, 0, 1]}"#,
        input(),
    ));
    assert!(msg.contains("`players`"), "{msg}");
    let (_, _, msg) = parse_err(parse_coop_json(r#"{"x": 1}"#, input()));
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
