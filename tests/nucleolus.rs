//! Nucleolus, prenucleolus and Kohlberg's criterion against the stored reference values
//! (coopgame-py, certified exactly) and textbook games, plus proptest properties.

mod common;

use covenant::coop::{kohlberg_criterion, least_core, nucleolus, prenucleolus, Domain};
use covenant::game::{Coalition, CoalitionalGame, TuGame};
use covenant::{Error, Tolerance};
use proptest::prelude::*;
use serde_json::Value;

fn read_json(name: &str) -> Value {
    common::read_json(&format!("{}/{name}", common::COOP))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// A rational written as "p/q" or "p".
fn rational(s: &Value) -> f64 {
    let s = s.as_str().unwrap();

    match s.split_once('/') {
        Some((p, q)) => p.parse::<f64>().unwrap() / q.parse::<f64>().unwrap(),
        None => s.parse().unwrap(),
    }
}

fn game_of(v: &Value) -> TuGame {
    TuGame::new(v["n"].as_u64().unwrap() as usize, floats(&v["v"])).unwrap()
}

/// Relative 1e-6 against the magnitude of the game's values.
fn assert_close(what: &str, got: &[f64], want: &[f64], scale: f64) {
    assert_eq!(got.len(), want.len(), "{what}");
    let tol = Tolerance::new(1e-6 * scale.max(1.0), 1e-6);
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!(
            tol.eq(*a, *b),
            "{what}: entry {i}: got {a}, want {b}\n got {got:?}\nwant {want:?}"
        );
    }
}

fn scale(g: &TuGame) -> f64 {
    g.values().iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// Excess vector sorted non-increasingly, straight from the definition.
fn sorted_excesses(g: &TuGame, x: &[f64]) -> Vec<f64> {
    let n = g.num_players();
    let mut e: Vec<f64> = (1..(1u64 << n) - 1)
        .map(|m| {
            let s = Coalition(m);
            g.value(s) - s.members().map(|i| x[i]).sum::<f64>()
        })
        .collect();
    e.sort_by(|a, b| b.total_cmp(a));
    e
}

#[test]
fn reference_games_match_coopgame_nucleolus_prenucleolus_and_least_core() {
    let expected = read_json("expected.json");
    for (stem, want) in expected.as_object().unwrap() {
        let g = game_of(&read_json(&format!("{stem}.json")));
        let sc = scale(&g);
        let nu = nucleolus(&g).unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert_close(
            &format!("{stem} nucleolus"),
            &nu.allocation,
            &floats(&want["nucleolus"]),
            sc,
        );
        assert!(nu.kohlberg, "{stem}: nucleolus not certified");
        let pre = prenucleolus(&g).unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert_close(
            &format!("{stem} prenucleolus"),
            &pre.allocation,
            &floats(&want["prenucleolus"]),
            sc,
        );
        assert!(pre.kohlberg, "{stem}: prenucleolus not certified");
        let eps = want["least_core_epsilon_preimputation"].as_f64().unwrap();
        let lc = least_core(&g, Domain::Preimputations).unwrap();
        assert_close(&format!("{stem} least-core ε"), &[lc.epsilon], &[eps], sc);
        // The first excess level of the prenucleolus is the least-core ε too.
        assert_close(
            &format!("{stem} level 1"),
            &pre.excess_levels[..1],
            &[eps],
            sc,
        );
        // And the prenucleolus' largest excess, computed from the definition, is ε.
        assert_close(
            &format!("{stem} max excess"),
            &sorted_excesses(&g, &pre.allocation)[..1],
            &[eps],
            sc,
        );
    }
}

#[test]
fn textbook_nucleoli_from_reference_json() {
    let reference = read_json("reference.json");
    let games = reference["tu_games"].as_array().unwrap();
    assert!(games.len() >= 6);
    for game in games {
        let name = game["name"].as_str().unwrap();
        let g = game_of(game);
        let want: Vec<f64> = game["expected"]["nucleolus"]
            .as_array()
            .unwrap()
            .iter()
            .map(rational)
            .collect();
        let nu = nucleolus(&g).unwrap();
        assert_close(name, &nu.allocation, &want, scale(&g));
        assert!(nu.kohlberg, "{name}");
        if let Some(pre) = game["expected"].get("prenucleolus") {
            let want: Vec<f64> = pre.as_array().unwrap().iter().map(rational).collect();
            assert_close(
                name,
                &prenucleolus(&g).unwrap().allocation,
                &want,
                scale(&g),
            );
        }
    }
}

#[test]
fn nucleolus_of_talmud_estate_200_is_50_75_75() {
    let g = TuGame::new(3, vec![0., 0., 0., 0., 0., 0., 100., 200.]).unwrap();
    assert_close(
        "talmud 200",
        &nucleolus(&g).unwrap().allocation,
        &[50., 75., 75.],
        200.,
    );
}

#[test]
fn readme_printed_answer_fails_kohlberg_and_the_true_nucleolus_passes() {
    let g = TuGame::new(3, vec![0., 1., 3., 6., 5., 7., 8., 12.]).unwrap();
    assert!(!kohlberg_criterion(&g, &[2.75, 3.75, 5.5], Domain::Imputations).unwrap());
    assert!(kohlberg_criterion(&g, &[2.5, 4.0, 5.5], Domain::Imputations).unwrap());
    assert_close(
        "bnf",
        &nucleolus(&g).unwrap().allocation,
        &[2.5, 4.0, 5.5],
        12.,
    );
}

#[test]
fn bad_inputs_are_errors() {
    // Empty imputation set: v({i}) = 1 each, v(N) = 2.
    let g = TuGame::from_fn(3, |s| if s.len() == 3 { 2.0 } else { s.len() as f64 }).unwrap();
    assert!(matches!(nucleolus(&g), Err(Error::InvalidArgument(m)) if m.contains("imputation")));
    assert!(matches!(
        least_core(&g, Domain::Imputations),
        Err(Error::InvalidArgument(_))
    ));
    // ... but the prenucleolus exists: by symmetry (2/3, 2/3, 2/3).
    assert_close(
        "pre",
        &prenucleolus(&g).unwrap().allocation,
        &[2. / 3.; 3],
        2.,
    );
    assert!(matches!(
        kohlberg_criterion(&g, &[1.0, f64::NAN, 1.0], Domain::Preimputations),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        kohlberg_criterion(&g, &[1.0, 1.0], Domain::Preimputations),
        Err(Error::InvalidArgument(_))
    ));
    // One player: the allocation is v(N).
    let one = TuGame::new(1, vec![0.0, 5.0]).unwrap();
    assert_eq!(nucleolus(&one).unwrap().allocation, vec![5.0]);
    assert!(matches!(
        least_core(&one, Domain::Preimputations),
        Err(Error::InvalidArgument(_))
    ));
}

/// A random game of 2..=6 players with integer values in 0..=30 and a non-empty imputation set.
fn arb_game() -> impl Strategy<Value = TuGame> {
    (2usize..=6).prop_flat_map(|n| {
        proptest::collection::vec(0u32..=30, 1usize << n).prop_map(move |raw| {
            let mut v: Vec<f64> = raw.iter().map(|&r| r as f64).collect();
            v[0] = 0.0;
            let singles: f64 = (0..n).map(|i| v[1 << i]).sum();
            let last = v.len() - 1;
            v[last] = v[last].max(singles);
            TuGame::new(n, v).unwrap()
        })
    })
}

fn max_excess(g: &TuGame, x: &[f64]) -> f64 {
    sorted_excesses(g, x)[0]
}

/// `a` is lexicographically no larger than `b` (both sorted non-increasingly), up to `tol`.
fn lex_le(a: &[f64], b: &[f64], tol: f64) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x < &(y - tol) {
            return true;
        }
        if x > &(y + tol) {
            return false;
        }
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn nucleolus_lies_in_the_least_core(g in arb_game()) {
        let nu = nucleolus(&g).unwrap();
        let lc = least_core(&g, Domain::Imputations).unwrap();
        prop_assert!((max_excess(&g, &nu.allocation) - lc.epsilon).abs() < 1e-6);
        prop_assert!((nu.excess_levels[0] - lc.epsilon).abs() < 1e-6);
        prop_assert!(nu.kohlberg);
    }

    #[test]
    fn nucleolus_beats_nearby_imputations_lexicographically(
        g in arb_game(), moves in proptest::collection::vec((0usize..6, 0usize..6, 0.01f64..1.0), 1..8)
    ) {
        let n = g.num_players();
        let nu = nucleolus(&g).unwrap().allocation;
        let best = sorted_excesses(&g, &nu);
        for (i, j, d) in moves {
            let (i, j) = (i % n, j % n);
            if i == j { continue; }
            let mut y = nu.clone();
            // Move d from j to i, staying individually rational.
            let room = y[j] - g.value(Coalition::singleton(j));
            let d = d.min(room.max(0.0));
            y[i] += d;
            y[j] -= d;
            prop_assert!(lex_le(&best, &sorted_excesses(&g, &y), 1e-7), "{y:?} beats {nu:?}");
        }
    }

    #[test]
    fn permuting_players_permutes_the_nucleolus(g in arb_game(), seed in any::<u64>()) {
        let n = g.num_players();
        let mut perm: Vec<usize> = (0..n).collect();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        // Player i of g is player perm[i] of h.
        let h = TuGame::from_fn(n, |t| {
            g.value(Coalition::from_members((0..n).filter(|&i| t.contains(perm[i]))))
        }).unwrap();
        let x = nucleolus(&g).unwrap().allocation;
        let y = nucleolus(&h).unwrap().allocation;
        for i in 0..n {
            prop_assert!((x[i] - y[perm[i]]).abs() < 1e-6, "{x:?} vs {y:?} under {perm:?}");
        }
        let x = prenucleolus(&g).unwrap().allocation;
        let y = prenucleolus(&h).unwrap().allocation;
        for i in 0..n {
            prop_assert!((x[i] - y[perm[i]]).abs() < 1e-6);
        }
    }

    #[test]
    fn strategic_equivalence_maps_the_nucleolus(
        g in arb_game(), a in 0.1f64..10.0, b in proptest::collection::vec(-20.0f64..20.0, 6)
    ) {
        let n = g.num_players();
        let h = TuGame::from_fn(n, |s| a * g.value(s) + s.members().map(|i| b[i]).sum::<f64>()).unwrap();
        let x = nucleolus(&g).unwrap().allocation;
        let y = nucleolus(&h).unwrap().allocation;
        for i in 0..n {
            prop_assert!((a * x[i] + b[i] - y[i]).abs() < 1e-6 * (1.0 + a * 30.0));
        }
    }

    #[test]
    fn kohlberg_holds_at_the_nucleolus_and_fails_nearby(g in arb_game(), i in 0usize..6, j in 0usize..6, d in 0.05f64..2.0) {
        let n = g.num_players();
        let (i, j) = (i % n, (i % n + 1 + j % (n - 1)) % n);
        let pre = prenucleolus(&g).unwrap().allocation;
        prop_assert!(kohlberg_criterion(&g, &pre, Domain::Preimputations).unwrap());
        let mut y = pre.clone();
        y[i] += d;
        y[j] -= d;
        prop_assert!(!kohlberg_criterion(&g, &y, Domain::Preimputations).unwrap());
        let nu = nucleolus(&g).unwrap().allocation;
        prop_assert!(kohlberg_criterion(&g, &nu, Domain::Imputations).unwrap());
        let mut y = nu.clone();
        let room = y[j] - g.value(Coalition::singleton(j));
        if room > 1e-3 {
            let d = d.min(room);
            y[i] += d;
            y[j] -= d;
            prop_assert!(!kohlberg_criterion(&g, &y, Domain::Imputations).unwrap());
        }
    }
}

/// A game that exposes only values: the solvers must go through the trait's default
/// separation (repeated single-coalition calls), never a table.
struct ValueOracle<'a>(&'a TuGame);

impl CoalitionalGame for ValueOracle<'_> {
    fn num_players(&self) -> usize {
        self.0.num_players()
    }
    fn value(&self, s: Coalition) -> f64 {
        self.0.value(s)
    }
}

#[test]
fn oracle_games_get_the_same_nucleolus_as_their_table() {
    for stem in ["superadditive_n08", "random_n08", "convex_n05"] {
        let g = game_of(&read_json(&format!("{stem}.json")));
        let oracle = ValueOracle(&g);
        let a = nucleolus(&oracle).unwrap();
        let b = nucleolus(&g).unwrap();
        assert!(a.kohlberg);
        assert_close(stem, &a.allocation, &b.allocation, scale(&g));
        let a = prenucleolus(&oracle).unwrap();
        let b = prenucleolus(&g).unwrap();
        assert_close(stem, &a.allocation, &b.allocation, scale(&g));
        assert!(kohlberg_criterion(&oracle, &b.allocation, Domain::Preimputations).unwrap());
    }
}

#[test]
fn progress_counts_the_rank_of_fixed_coalitions_then_the_certificate() {
    use covenant::coop::{nucleolus_with_progress, prenucleolus_with_progress};
    // Symmetric majority game, 5 players (v(S) = 1 when |S| >= 3): the nucleolus is 1/5 each.
    let g = TuGame::from_fn(5, |s| if s.len() >= 3 { 1.0 } else { 0.0 }).unwrap();
    for pre in [false, true] {
        let mut seen = Vec::new();
        let mut report = |done: usize, total: usize| seen.push((done, total));
        let nu = if pre {
            prenucleolus_with_progress(&g, Some(&mut report))
        } else {
            nucleolus_with_progress(&g, Some(&mut report))
        }
        .unwrap();
        assert!(nu.allocation.iter().all(|x| (x - 0.2).abs() < 1e-9));
        assert!(seen.iter().all(|&(_, total)| total == 6), "{seen:?}");
        assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
        assert_eq!(seen.first(), Some(&(1, 6)));
        assert_eq!(&seen[seen.len() - 2..], &[(5, 6), (6, 6)]);
    }
}
