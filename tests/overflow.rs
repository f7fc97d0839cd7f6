//! Payoffs near the edge of binary64: every non-cooperative solver either rescales the game by
//! an exact power of two (a positive affine transform, which preserves every equilibrium notion
//! here) and reports payoffs in the original scale, or refuses with a clear error. Never an
//! empty "complete" answer: every finite game has an equilibrium (Nash 1951).

use covenant::game::{Bimatrix, NormalForm};
use covenant::noncoop::{
    correlated_equilibrium, enumerate_extreme, iterated_strict_dominance, lemke_howson,
    lemke_howson_all, pure_equilibria, solve_zero_sum, stackelberg, CeKind, CeObjective,
};
use covenant::Error;

/// Matching pennies with payoffs ±`s`: unique equilibrium (1/2, 1/2) for both, value 0.
fn pennies(s: f64) -> Bimatrix {
    Bimatrix::zero_sum(nalgebra::DMatrix::from_row_slice(2, 2, &[s, -s, -s, s])).unwrap()
}

fn halves(strategies: &[Vec<f64>]) {
    for s in strategies {
        assert_eq!(s.len(), 2);
        assert!(
            (s[0] - 0.5).abs() < 1e-12 && (s[1] - 0.5).abs() < 1e-12,
            "{s:?}"
        );
    }
}

const SCALES: [f64; 5] = [1e308, f64::MAX, 1e200, 1e-300, 4.9e-324];

#[test]
fn enumerate_finds_the_one_equilibrium_of_huge_and_tiny_matching_pennies() {
    for s in SCALES {
        let e = enumerate_extreme(&pennies(s)).unwrap();
        assert!(e.complete, "scale {s:e}");
        assert_eq!(e.equilibria.len(), 1, "scale {s:e}");
        halves(&e.equilibria[0].strategies);
        assert_eq!(e.equilibria[0].payoffs, vec![0.0, 0.0], "scale {s:e}");
        assert_eq!(e.equilibria[0].regret, 0.0, "scale {s:e}");
    }
}

#[test]
fn lemke_howson_from_every_label_and_all_find_it() {
    for s in SCALES {
        let g = pennies(s);
        for label in 0..4 {
            let eq = lemke_howson(&g, label).unwrap();
            halves(&eq.strategies);
            assert!(
                eq.regret <= 1e-12 * s.max(1.0),
                "scale {s:e}: regret {}",
                eq.regret
            );
        }
        let all = lemke_howson_all(&g).unwrap();
        assert_eq!(all.len(), 1, "scale {s:e}");
        halves(&all[0].strategies);
    }
}

#[test]
fn zero_sum_value_is_zero_at_every_scale() {
    for s in SCALES {
        let z = solve_zero_sum(&pennies(s)).unwrap();
        assert_eq!(z.value, 0.0, "scale {s:e}");
        halves(&[z.row.clone(), z.col.clone()]);
    }
}

#[test]
fn zero_sum_value_is_reported_in_the_original_scale() {
    // Row strategy 1 dominates: value 1e308 (the column player's best reply is column 1).
    let a = nalgebra::DMatrix::from_row_slice(2, 2, &[-1e308, -1e308, 1e308, 1e308]);
    let z = solve_zero_sum(&Bimatrix::zero_sum(a).unwrap()).unwrap();
    assert_eq!(z.value, 1e308);
    assert_eq!(z.row, vec![0.0, 1.0]);
}

#[test]
fn correlated_and_coarse_equilibria_of_huge_matching_pennies() {
    for s in SCALES {
        let g = pennies(s).to_normal_form();
        for kind in [CeKind::Correlated, CeKind::Coarse] {
            let ce = correlated_equilibrium(&g, kind, CeObjective::Welfare).unwrap();
            // The unique CE of matching pennies is the product of the halves (welfare 0).
            for (_, p) in &ce.distribution {
                assert!((p - 0.25).abs() < 1e-9, "scale {s:e} {kind:?}: {ce:?}");
            }
            assert_eq!(ce.distribution.len(), 4, "scale {s:e} {kind:?}");
            assert!(
                ce.objective.abs() <= 1e-9 * s,
                "scale {s:e}: {}",
                ce.objective
            );
            assert!(ce.regret <= 1e-9 * s, "scale {s:e}: {}", ce.regret);
        }
    }
}

#[test]
fn stackelberg_leader_commits_to_halves_at_every_scale() {
    for s in SCALES {
        for leader in 0..2 {
            let st = stackelberg(&pennies(s), leader).unwrap();
            halves(std::slice::from_ref(&st.leader_strategy));
            assert!(st.leader_payoff.abs() <= 1e-9 * s, "scale {s:e}");
            assert!(st.follower_regret <= 1e-9 * s, "scale {s:e}");
        }
    }
}

#[test]
fn dominance_eliminates_with_margins_in_the_original_scale() {
    // Prisoner's dilemma scaled to 1e308: defect (strategy 1) strictly dominates cooperate.
    let s = 1e308 / 5.0;
    let a = vec![vec![3.0 * s, 0.0], vec![5.0 * s, s]];
    let b = vec![vec![3.0 * s, 5.0 * s], vec![0.0, s]];
    let g = NormalForm::from_matrices(&a, &b).unwrap();
    let d = iterated_strict_dominance(&g).unwrap();
    assert_eq!(d.kept, vec![vec![1], vec![1]]);
    assert_eq!(d.trace.len(), 2);
    for e in &d.trace {
        assert!(e.margin >= s * (1.0 - 1e-12), "{e:?}");
    }
    assert_eq!(d.reduced.payoff(0, &[0, 0]), s);
    // Matching pennies at the edge: nothing is dominated.
    let d = iterated_strict_dominance(&pennies(f64::MAX).to_normal_form()).unwrap();
    assert!(d.trace.is_empty());
}

#[test]
fn pure_equilibria_of_huge_games() {
    assert!(pure_equilibria(&pennies(f64::MAX).to_normal_form()).is_empty());
    let a = vec![vec![f64::MAX, -f64::MAX], vec![-f64::MAX, 1.0]];
    let g = NormalForm::from_matrices(&a, &a).unwrap();
    let eqs = pure_equilibria(&g);
    assert_eq!(eqs.len(), 2);
    assert_eq!(eqs[0].payoffs, vec![f64::MAX, f64::MAX]);
    assert!(eqs.iter().all(|e| e.regret == 0.0));
}

#[test]
fn payoffs_spanning_more_than_binary64_can_hold_after_rescaling_are_refused() {
    // 1e308 and 5e-324 in one game: no power-of-two rescaling keeps both representable with
    // full precision, so the solvers refuse rather than silently flush the small one to 0.
    let a = nalgebra::DMatrix::from_row_slice(2, 2, &[1e308, 0.0, 4.9e-324, -1e308]);
    let g = Bimatrix::zero_sum(a).unwrap();
    for r in [
        enumerate_extreme(&g).map(|_| ()),
        lemke_howson(&g, 0).map(|_| ()),
        solve_zero_sum(&g).map(|_| ()),
        stackelberg(&g, 0).map(|_| ()),
        correlated_equilibrium(
            &g.to_normal_form(),
            CeKind::Correlated,
            CeObjective::Welfare,
        )
        .map(|_| ()),
    ] {
        match r {
            Err(Error::InvalidGame(m)) => assert!(m.contains("range"), "{m}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}

#[test]
fn non_finite_payoffs_are_refused_at_construction() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let a = vec![vec![1.0, bad]];
        assert!(matches!(
            NormalForm::from_matrices(&a, &[vec![0.0, 0.0]]),
            Err(Error::InvalidGame(_))
        ));
        assert!(Bimatrix::from_rows(&a, &[vec![0.0, 0.0]]).is_err());
    }
}
