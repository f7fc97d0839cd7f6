//! Parameter sweeps (`covenant::sweep`): grid arithmetic, dotted paths into the model, shards,
//! and rows equal to checks of the edited model done by hand.

use covenant::sweep::{
    point_seed, report_rows, set_path, shard_range, sweep_text, Axis, Grid, SweepOptions,
};
use covenant::treaty::{check, parse_treaty, CheckOptions, ConditionId};
use covenant::Error;
use proptest::prelude::*;
use std::path::Path;
use toml::Value;

const ANZUS: &str = include_str!("../models/anzus.toml");

fn cheap() -> SweepOptions {
    // Participation builds the 2^n alliance game; the other conditions are fast.
    SweepOptions {
        check: CheckOptions {
            conditions: vec![
                ConditionId::Deterrence,
                ConditionId::EqualRules,
                ConditionId::Credibility,
                ConditionId::Liveness,
            ],
            ..CheckOptions::default()
        },
    }
}

#[test]
fn range_axis_includes_stop_and_rounds_to_written_decimals() {
    let a = Axis::parse("defaults.reliability=0:1:0.1").unwrap();
    assert_eq!(a.values.len(), 11);
    assert_eq!(a.values[3], Value::Float(0.3));
    assert_eq!(a.values[10], Value::Float(1.0));
}

#[test]
fn integer_range_gives_integer_values() {
    let a = Axis::parse("decision.quota=2:8:3").unwrap();
    assert_eq!(a.values, vec![2.into(), 5.into(), 8.into()]);
}

#[test]
fn list_axis_keeps_numbers_booleans_and_words() {
    let a = Axis::parse("x.y=1,0.5,true,consensus").unwrap();
    assert_eq!(
        a.values,
        vec![
            Value::Integer(1),
            Value::Float(0.5),
            Value::Boolean(true),
            Value::String("consensus".into())
        ]
    );
}

#[test]
fn malformed_axes_are_invalid_arguments() {
    for spec in [
        "defaults.reliability",
        "=1,2",
        "defaults..reliability=1",
        "defaults.reliability=",
        "defaults.reliability=0:1:0",
        "defaults.reliability=0:1:-0.1",
        "defaults.reliability=1:0:0.1",
        "defaults.reliability=0:1:nan",
        "defaults.reliability=0:inf:1",
        "defaults.reliability=1,,2",
        "defaults.reliability=0:100000000:1",
        "defaults.reliability=0:1",
        "defaults.reliability=0:1:0.1:5",
    ] {
        assert!(
            matches!(Axis::parse(spec), Err(Error::InvalidArgument(_))),
            "{spec} should be rejected"
        );
    }
}

#[test]
fn grid_points_are_row_major_with_the_last_axis_fastest() {
    let g = Grid::new(vec![
        Axis::parse("a.x=1,2").unwrap(),
        Axis::parse("a.y=10,20,30").unwrap(),
    ])
    .unwrap();
    assert_eq!(g.len(), 6);
    assert_eq!(g.point(0).unwrap(), vec![1.into(), 10.into()]);
    assert_eq!(g.point(1).unwrap(), vec![1.into(), 20.into()]);
    assert_eq!(g.point(5).unwrap(), vec![2.into(), 30.into()]);
    assert_eq!(g.point(6), None);
}

#[test]
fn grid_without_axes_is_the_model_as_written() {
    let g = Grid::new(vec![]).unwrap();
    assert_eq!(g.len(), 1);
    assert_eq!(g.point(0).unwrap(), Vec::<Value>::new());
}

#[test]
fn grid_rejects_a_repeated_path_and_an_oversized_product() {
    let a = Axis::parse("a.x=1,2").unwrap();
    assert!(matches!(
        Grid::new(vec![a.clone(), a]),
        Err(Error::InvalidArgument(_))
    ));
    let big = |p: &str| Axis::parse(&format!("a.{p}=1:10000:1")).unwrap();
    assert!(matches!(
        Grid::new(vec![big("x"), big("y")]),
        Err(Error::TooLarge(_))
    ));
}

#[test]
fn set_path_selects_array_elements_by_id_then_by_index() {
    let mut t: toml::Table = ANZUS.parse().unwrap();
    set_path(&mut t, "states.NZL.lat", Value::Float(-40.0)).unwrap();
    assert_eq!(t["states"][2]["lat"].as_float(), Some(-40.0));
    // Snapshots are selected by year.
    set_path(&mut t, "snapshots.1951.capability.NZL", 0.5.into()).unwrap();
    assert_eq!(t["snapshots"][0]["capability"]["NZL"].as_float(), Some(0.5));
    set_path(&mut t, "obligations.2.reliability", 0.25.into()).unwrap();
    assert_eq!(t["obligations"][2]["reliability"].as_float(), Some(0.25));
    set_path(&mut t, "defaults.war_cost", 0.3.into()).unwrap();
    assert_eq!(t["defaults"]["war_cost"].as_float(), Some(0.3));
}

#[test]
fn set_path_names_the_missing_segment() {
    let mut t: toml::Table = ANZUS.parse().unwrap();
    let msg = |r: Result<(), Error>| match r {
        Err(Error::InvalidArgument(m)) => m,
        other => panic!("expected InvalidArgument, got {other:?}"),
    };
    let m = msg(set_path(&mut t, "states.FRA.lat", 1.0.into()));
    assert!(m.contains("`states.FRA`"), "{m}");
    let m = msg(set_path(&mut t, "disputes.x.a", 1.into()));
    assert!(m.contains("`disputes`"), "{m}");
    let m = msg(set_path(&mut t, "states.USA", 1.into()));
    assert!(m.contains("whole element"), "{m}");
    let m = msg(set_path(&mut t, "treaty.name.first", 1.into()));
    assert!(m.contains("`treaty.name`"), "{m}");
}

#[test]
fn sweep_rows_equal_checks_of_the_model_edited_by_hand() {
    let grid = Grid::new(vec![
        Axis::parse("defaults.reliability=0.25,0.75,1").unwrap()
    ])
    .unwrap();
    let opts = cheap();
    let rows = sweep_text(ANZUS, Path::new("anzus.toml"), &grid, 0..3, &opts).unwrap();
    for (k, r) in ["0.25", "0.75", "1.0"].iter().enumerate() {
        let text = ANZUS.replacen("reliability = 0.75", &format!("reliability = {r}"), 1);
        let t = parse_treaty(&text, Path::new("anzus.toml")).unwrap();
        let rep = check(&t, &opts.check).unwrap();
        let want = report_rows(k, &grid.point(k).unwrap(), &rep, None);
        let got: Vec<_> = rows.iter().filter(|row| row.point == k).cloned().collect();
        assert_eq!(got, want, "point {k}");
    }
    // Deterrence's external margin grows with reliability.
    let det: Vec<f64> = rows
        .iter()
        .filter(|r| r.condition == "deterrence" && r.scope == "external")
        .map(|r| r.margin)
        .collect();
    assert!(det[0] <= det[1] && det[1] <= det[2], "{det:?}");
}

#[test]
fn pair_rows_list_every_scenario_with_minus_eu_as_margin() {
    let grid = Grid::new(vec![]).unwrap();
    let opts = SweepOptions {
        check: CheckOptions {
            conditions: vec![ConditionId::Deterrence],
            pairs: true,
            ..CheckOptions::default()
        },
    };
    let rows = sweep_text(ANZUS, Path::new("anzus.toml"), &grid, 0..1, &opts).unwrap();
    let t = parse_treaty(ANZUS, Path::new("anzus.toml")).unwrap();
    let rep = check(&t, &opts.check).unwrap();
    let pairs = rep.pairs.clone().unwrap();
    // The edited document is written back with its keys sorted, so scenarios may come in
    // another order than the file's: compare them sorted.
    let mut pair_rows: Vec<_> = rows.iter().filter(|r| r.scope == "pair").collect();
    pair_rows.sort_by(|x, y| (&x.aggressor, &x.target).cmp(&(&y.aggressor, &y.target)));
    let mut pairs = pairs;
    pairs.sort_by(|x, y| (&x.aggressor, &x.target).cmp(&(&y.aggressor, &y.target)));
    assert_eq!(pair_rows.len(), pairs.len());
    assert!(!pairs.is_empty());
    for (r, p) in pair_rows.iter().zip(&pairs) {
        assert_eq!(r.aggressor.as_deref(), Some(p.aggressor.as_str()));
        assert_eq!(r.target.as_deref(), Some(p.target.as_str()));
        assert!((r.margin + p.eu).abs() <= 1e-12 * (1.0 + p.eu.abs()));
        assert_eq!(r.verdict == "holds", p.deterred);
    }
    // The external deterrence row holds iff every external pair within reach is deterred.
    let ext = rows
        .iter()
        .find(|r| r.condition == "deterrence" && r.scope == "external")
        .unwrap();
    let all_deterred = pairs
        .iter()
        .filter(|p| p.scope == covenant::treaty::Scope::External && !p.beyond_reach)
        .all(|p| p.deterred);
    assert_eq!(ext.verdict == "holds", all_deterred);
}

#[test]
fn an_invalid_point_is_a_model_error_naming_the_point_and_field() {
    let grid = Grid::new(vec![
        Axis::parse("defaults.reliability=0.5:1.5:0.5").unwrap()
    ])
    .unwrap();
    match sweep_text(ANZUS, Path::new("anzus.toml"), &grid, 0..3, &cheap()) {
        Err(Error::Model { field, message, .. }) => {
            assert_eq!(field, "defaults.reliability");
            assert!(message.contains("sweep point 2"), "{message}");
            assert!(message.contains("defaults.reliability = 1.5"), "{message}");
        }
        other => panic!("expected a model error, got {other:?}"),
    }
}

#[test]
fn errors_in_the_model_itself_keep_their_line() {
    let text = ANZUS.replacen("NZL = 0.0006889", "NZL = -1", 1);
    let grid = Grid::new(vec![]).unwrap();
    match sweep_text(&text, Path::new("anzus.toml"), &grid, 0..1, &cheap()) {
        Err(Error::Model { line, .. }) => assert!(line > 0),
        other => panic!("expected a model error, got {other:?}"),
    }
}

#[test]
fn unknown_path_and_out_of_grid_range_are_rejected_before_any_check() {
    let grid = Grid::new(vec![Axis::parse("states.FRA.lat=0.1").unwrap()]).unwrap();
    assert!(matches!(
        sweep_text(ANZUS, Path::new("anzus.toml"), &grid, 0..1, &cheap()),
        Err(Error::InvalidArgument(_))
    ));
    let grid = Grid::new(vec![]).unwrap();
    assert!(matches!(
        sweep_text(ANZUS, Path::new("anzus.toml"), &grid, 0..2, &cheap()),
        Err(Error::InvalidArgument(_))
    ));
}

fn sampled(samples: usize, seed: u64) -> SweepOptions {
    let mut o = cheap();
    o.check.samples = samples;
    o.check.seed = seed;
    o.check.pairs = true;
    o
}

#[test]
fn sampled_rows_equal_seeded_checks_of_the_model_edited_by_hand() {
    let grid = Grid::new(vec![Axis::parse("defaults.reliability=0.5,1").unwrap()]).unwrap();
    let opts = sampled(64, 11);
    let rows = sweep_text(ANZUS, Path::new("anzus.toml"), &grid, 0..2, &opts).unwrap();
    for (k, r) in ["0.5", "1.0"].iter().enumerate() {
        // The independent path: edit the file by hand and run the check with the point's seed.
        let text = ANZUS.replacen("reliability = 0.75", &format!("reliability = {r}"), 1);
        let t = parse_treaty(&text, Path::new("anzus.toml")).unwrap();
        let check_opts = CheckOptions {
            seed: point_seed(11, k),
            ..opts.check.clone()
        };
        let rep = check(&t, &check_opts).unwrap();
        let got: Vec<_> = rows.iter().filter(|row| row.point == k).collect();
        assert!(got.iter().all(|row| row.seed == Some(point_seed(11, k))));
        for c in &rep.conditions {
            let row = got
                .iter()
                .find(|row| row.condition == c.id.to_string() && row.scope == c.scope.as_str())
                .unwrap();
            assert_eq!(row.probability, c.probability, "point {k} {}", c.id);
        }
        for p in rep.pairs.as_ref().unwrap() {
            let row = got
                .iter()
                .find(|row| {
                    row.aggressor.as_deref() == Some(p.aggressor.as_str())
                        && row.target.as_deref() == Some(p.target.as_str())
                })
                .unwrap();
            assert_eq!(row.p_deterred, p.p_deterred);
            assert!(row.probability.is_none());
        }
    }
    // Sampled conditions carry P(holds) in [0, 1]; equal rules is not sampled.
    for row in rows.iter().filter(|r| r.scope != "pair") {
        match row.condition.as_str() {
            "equal_rules" => assert_eq!(row.probability, None),
            _ => assert!(row.probability.is_some_and(|p| (0.0..=1.0).contains(&p))),
        }
    }
    // A point's estimate is a multiple of 1/64.
    let p = rows[0].probability.unwrap() * 64.0;
    assert_eq!(p, p.round());
}

#[test]
fn sampled_shards_give_the_rows_of_one_run() {
    let grid = Grid::new(vec![
        Axis::parse("defaults.war_cost=0.1,0.2").unwrap(),
        Axis::parse("defaults.reliability=0.5:1:0.25").unwrap(),
    ])
    .unwrap();
    let opts = sampled(32, 5);
    let whole = sweep_text(ANZUS, Path::new("anzus.toml"), &grid, 0..6, &opts).unwrap();
    let mut joined = Vec::new();
    for k in 1..=4 {
        let r = shard_range(grid.len(), k, 4).unwrap();
        joined.extend(sweep_text(ANZUS, Path::new("anzus.toml"), &grid, r, &opts).unwrap());
    }
    assert_eq!(joined, whole);
    // And a second run with the same seed is the same, row for row.
    let again = sweep_text(ANZUS, Path::new("anzus.toml"), &grid, 0..6, &opts).unwrap();
    assert_eq!(again, whole);
}

#[test]
fn identical_points_draw_independent_samples() {
    // Three copies of the model as written: the same verdicts, but each point its own seed,
    // so the Monte Carlo estimates are not copies of one another.
    let grid = Grid::new(vec![
        Axis::parse("defaults.reliability=0.75,0.75,0.75").unwrap()
    ])
    .unwrap();
    let opts = sampled(200, 1);
    let rows = sweep_text(ANZUS, Path::new("anzus.toml"), &grid, 0..3, &opts).unwrap();
    let probs: Vec<Vec<Option<f64>>> = (0..3)
        .map(|k| {
            rows.iter()
                .filter(|r| r.point == k)
                .map(|r| r.probability.or(r.p_deterred))
                .collect()
        })
        .collect();
    assert!(probs[0] != probs[1] || probs[1] != probs[2], "{probs:?}");
    let seeds: std::collections::BTreeSet<_> = rows.iter().map(|r| r.seed).collect();
    assert_eq!(seeds.len(), 3);
}

#[test]
fn samples_without_a_prior_and_too_many_samples_are_errors() {
    let text = ANZUS.replacen("[prior]", "[prior_unused]", 1);
    let cut = text.find("[prior_unused]").unwrap();
    // Drop the prior table (it is the last block of keys up to the next table).
    let rest = &text[cut..];
    let end = rest[1..].find("\n[").map_or(rest.len(), |e| e + 1);
    let no_prior = format!("{}{}", &text[..cut], &rest[end..]);
    assert!(!no_prior.contains("reliability_beta"));
    let grid = Grid::new(vec![]).unwrap();
    match sweep_text(
        &no_prior,
        Path::new("anzus.toml"),
        &grid,
        0..1,
        &sampled(10, 0),
    ) {
        Err(Error::InvalidArgument(m)) => assert!(m.contains("prior"), "{m}"),
        other => panic!("expected an invalid argument, got {other:?}"),
    }
    assert!(matches!(
        sweep_text(
            ANZUS,
            Path::new("anzus.toml"),
            &grid,
            0..1,
            &sampled(usize::MAX, 0)
        ),
        Err(Error::TooLarge(_))
    ));
}

#[test]
fn shard_rejects_k_outside_one_to_n() {
    for (k, n) in [(0, 3), (4, 3), (1, 0)] {
        assert!(shard_range(10, k, n).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn shards_partition_the_grid(total in 0usize..500, n in 1usize..40) {
        let mut next = 0;
        for k in 1..=n {
            let r = shard_range(total, k, n).unwrap();
            prop_assert_eq!(r.start, next);
            prop_assert!(r.len() <= total / n + 1 && r.len() >= total / n);
            next = r.end;
        }
        prop_assert_eq!(next, total);
    }
}
