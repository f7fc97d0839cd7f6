//! Runs one input through every parser and every solver that applies, asserting the properties
//! every answer must have. Shared by the fuzz harness (`fuzz/`, which runs each input in a child
//! process with a time and memory budget) and by `tests/fuzz_regressions.rs` (which replays the
//! saved crashers in `tests/data/fuzz/`). A panic here is a finding: either a solver panicked or
//! an answer broke its certificate.

use covenant::coop::{
    banzhaf, banzhaf_power, core_nonempty, least_core, nucleolus, shapley, shapley_shubik, Domain,
};
use covenant::game::{Bimatrix, Coalition, CoalitionalGame, NormalForm};
use covenant::io::{parse_coop_json, parse_game_json, parse_nfg, CoopInput};
use covenant::noncoop::{
    correlated_equilibrium, enumerate_extreme, iterated_strict_dominance, lemke_howson,
    pure_equilibria, solve_zero_sum, stackelberg, CeKind, CeObjective,
};
use covenant::treaty::{check, parse_treaty, CheckOptions};
use covenant::Error;
use std::path::Path;

/// The input formats, told apart by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Gambit `.nfg`.
    Nfg,
    /// `.json`: a game (`A`/`B` or `payoffs`) or a coalitional game (`v` or `weights`); both
    /// parsers are tried.
    Json,
    /// A treaty model `.toml`.
    Toml,
}

impl Format {
    /// The format of a file name, if it is one the harness reads.
    pub fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "nfg" => Some(Format::Nfg),
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }

    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Nfg => "nfg",
            Format::Json => "json",
            Format::Toml => "toml",
        }
    }
}

/// Parses `text` as `format` and, when it parses into something small, runs the solvers.
pub fn exercise_text(format: Format, text: &str) {
    let file = Path::new("<fuzz>");
    match format {
        Format::Nfg => {
            if let Ok(g) = parse_nfg(text, file) {
                exercise_game(&g);
            }
        }
        Format::Json => {
            if let Ok(g) = parse_game_json(text, file) {
                exercise_game(&g);
            }
            match parse_coop_json(text, file) {
                Ok(CoopInput::Tu(g)) => exercise_coalitional(&g),
                Ok(CoopInput::Voting(w)) => {
                    if w.len() <= 40 {
                        if let Ok(p) = shapley_shubik(&w) {
                            let total: f64 = p.values.iter().sum();
                            assert!((total - 1.0).abs() < 1e-9, "Shapley-Shubik sums to {total}");
                        }
                        let _ = banzhaf_power(&w);
                    }
                    if w.len() <= 8 {
                        exercise_coalitional(&w);
                    }
                }
                Err(_) => {}
            }
        }
        Format::Toml => {
            if let Ok(t) = parse_treaty(text, file) {
                if t.states.len() <= 8 {
                    let _ = check(&t, &CheckOptions::default());
                }
            }
        }
    }
}

/// A solver may refuse a valid game only with a clear input error: payoffs spanning more than
/// binary64 can hold once rescaled ([`Error::InvalidGame`]) or a size limit
/// ([`Error::TooLarge`]); numerical trouble or an iteration limit on a small game is a finding.
fn assert_refusal(solver: &str, e: &Error) {
    assert!(
        matches!(e, Error::InvalidGame(_) | Error::TooLarge(_)),
        "{solver} failed on a small valid game: {e}"
    );
}

/// A payoff-relative threshold for certificates.
fn threshold(g: &NormalForm, rel: f64) -> f64 {
    let scale = g
        .payoff_tensors()
        .iter()
        .flat_map(|t| t.iter())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    rel * scale.max(1.0)
}

/// Every non-cooperative solver that applies to `g`, when `g` is small.
pub fn exercise_game(g: &NormalForm) {
    if g.num_profiles() > 64 || g.num_players() > 4 {
        return;
    }
    let tol = threshold(g, 1e-6);
    for e in pure_equilibria(g) {
        assert!(e.regret <= tol, "pure equilibrium with regret {}", e.regret);
    }
    if let Ok(d) = iterated_strict_dominance(g) {
        assert!(
            d.kept.iter().all(|k| !k.is_empty()),
            "dominance removed a whole strategy set"
        );
    }
    for kind in [CeKind::Correlated, CeKind::Coarse] {
        if let Ok(ce) = correlated_equilibrium(g, kind, CeObjective::Welfare) {
            let mass: f64 = ce.distribution.iter().map(|(_, p)| p).sum();
            assert!(
                (mass - 1.0).abs() < 1e-6,
                "{kind:?} distribution of mass {mass}"
            );
            assert!(ce.regret <= tol, "{kind:?} regret {}", ce.regret);
        }
    }
    let Ok(b) = Bimatrix::try_from(g) else {
        return;
    };
    match enumerate_extreme(&b) {
        Ok(e) => {
            // Every finite game has an equilibrium (Nash 1951).
            assert!(
                !(e.complete && e.equilibria.is_empty()),
                "enumeration complete with no equilibrium"
            );
            for q in &e.equilibria {
                assert!(
                    q.regret <= tol,
                    "extreme equilibrium with regret {}",
                    q.regret
                );
            }
        }
        Err(e) => assert_refusal("enumerate_extreme", &e),
    }
    for label in 0..b.rows() + b.cols() {
        match lemke_howson(&b, label) {
            Ok(q) => assert!(q.regret <= tol, "LH label {label}: regret {}", q.regret),
            Err(e) => assert_refusal("lemke_howson", &e),
        }
    }
    for leader in 0..2 {
        if let Ok(s) = stackelberg(&b, leader) {
            assert!(
                s.follower_regret <= tol,
                "follower regret {}",
                s.follower_regret
            );
        }
    }
    if let Ok(z) = solve_zero_sum(&b) {
        assert!(
            z.row_guarantee <= z.col_guarantee + tol,
            "zero-sum guarantees {} > {}",
            z.row_guarantee,
            z.col_guarantee
        );
    }
}

/// The cooperative solvers on a small coalitional game.
pub fn exercise_coalitional<G: CoalitionalGame>(g: &G) {
    let n = g.num_players();
    if n == 0 || n > 8 {
        return;
    }
    let grand = g.value(Coalition::grand(n));
    // Sums of values as large as 1e308 cancel catastrophically: relative to the largest |v(S)|.
    let largest = (0..1u64 << n).fold(0.0f64, |m, s| m.max(g.value(Coalition(s)).abs()));
    let tol = 1e-6 * largest.max(1.0);
    if let Ok(nu) = nucleolus(g) {
        let total: f64 = nu.allocation.iter().sum();
        assert!(
            (total - grand).abs() <= tol,
            "nucleolus sums to {total}, v(N) = {grand}"
        );
    }
    let _ = least_core(g, Domain::Imputations);
    let _ = core_nonempty(g);
    if let Ok(tu) = covenant::game::TuGame::from_fn(n, |s| g.value(s)) {
        let phi = shapley(&tu).unwrap();
        let total: f64 = phi.iter().sum();
        assert!(
            (total - grand).abs() <= tol,
            "Shapley sums to {total}, v(N) = {grand}"
        );
        banzhaf(&tu).unwrap();
    }
}
