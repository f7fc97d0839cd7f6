//! Replays every input the fuzz harness (`fuzz/`, see the README's "Fuzzing" section) saved as
//! a crasher in `tests/data/fuzz/`: each must now parse or be refused with an error, and every
//! solver answer on it must pass its certificate. The `.txt` beside each input records what
//! went wrong when it was found.

#[path = "common/exercise.rs"]
#[allow(dead_code)]
mod exercise;

use exercise::{exercise_text, Format};
use std::path::PathBuf;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fuzz");

fn crashers() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(DIR)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| Format::of(p).is_some());
    v.sort();
    v
}

#[test]
fn every_saved_crasher_now_runs_clean() {
    let files = crashers();
    assert!(
        files.len() >= 3,
        "tests/data/fuzz holds {} crashers",
        files.len()
    );
    for path in files {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let format = Format::of(&path).unwrap();
        if let Err(e) = std::panic::catch_unwind(|| exercise_text(format, &text)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{}: {msg}", path.display());
        }
    }
}

#[test]
fn a_coalitional_game_with_values_of_1e308_is_refused_not_looped_on() {
    // Found by the harness: microlp looped without end on the core LP of this game.
    let text = std::fs::read_to_string(format!("{DIR}/crash-5a9c3c366045cc30.json")).unwrap();
    let g = match covenant::io::parse_coop_json(&text, std::path::Path::new("<t>")).unwrap() {
        covenant::io::CoopInput::Tu(g) => g,
        other => panic!("{other:?}"),
    };
    match covenant::coop::core_nonempty(&g) {
        Err(covenant::Error::InvalidArgument(m)) => assert!(m.contains("at most 1e100"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
