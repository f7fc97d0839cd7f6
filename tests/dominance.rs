//! Iterated strict dominance: textbook games, certificates replayed from the definition,
//! order independence and relabelling.

use covenant::game::NormalForm;
use covenant::noncoop::{iterated_strict_dominance, Dominance};
use covenant::Tolerance;
use ndarray::{ArrayD, Axis, IxDyn};
use proptest::prelude::*;

fn bimatrix(a: &[&[f64]], b: &[&[f64]]) -> NormalForm {
    let a: Vec<Vec<f64>> = a.iter().map(|r| r.to_vec()).collect();
    let b: Vec<Vec<f64>> = b.iter().map(|r| r.to_vec()).collect();
    NormalForm::from_matrices(&a, &b).unwrap()
}

/// Replays the trace: each eliminated strategy is beaten by its `dominated_by` mix by
/// `margin` > 0 over all opponent profiles alive at the start of its round.
fn assert_trace_certified(g: &NormalForm, d: &Dominance) {
    let n = g.num_players();
    let rounds = d.trace.iter().map(|e| e.round).max().unwrap_or(0);
    let mut alive: Vec<Vec<usize>> = g.shape().iter().map(|&k| (0..k).collect()).collect();
    for r in 1..=rounds {
        for e in d.trace.iter().filter(|e| e.round == r) {
            let p = e.player;
            let total: f64 = e.dominated_by.iter().map(|(_, w)| w).sum();
            assert!(Tolerance::DEFAULT.eq(total, 1.0));
            let mut margin = f64::INFINITY;
            for s in g.profiles() {
                if (0..n).any(|q| q != p && !alive[q].contains(&s[q])) {
                    continue;
                }
                let mut t = s.clone();
                t[p] = e.strategy;
                let base = g.payoff(p, &t);
                let mix: f64 = e
                    .dominated_by
                    .iter()
                    .map(|&(b, w)| {
                        assert!(alive[p].contains(&b), "dominated by a dead strategy");
                        t[p] = b;
                        w * g.payoff(p, &t)
                    })
                    .sum();
                margin = margin.min(mix - base);
            }
            assert!(margin > 0.0, "{e:?}: margin {margin}");
            assert!(
                Tolerance::LP.eq(margin, e.margin),
                "{e:?}: recomputed {margin}"
            );
        }
        for e in d.trace.iter().filter(|e| e.round == r) {
            alive[e.player].retain(|&s| s != e.strategy);
        }
    }
    assert_eq!(alive, d.kept);
    assert_eq!(
        d.reduced.shape(),
        d.kept.iter().map(Vec::len).collect::<Vec<_>>()
    );
}

#[test]
fn prisoners_dilemma_reduces_to_defect_defect_in_one_round() {
    let g = bimatrix(&[&[3.0, 0.0], &[5.0, 1.0]], &[&[3.0, 5.0], &[0.0, 1.0]]);
    let d = iterated_strict_dominance(&g).unwrap();
    assert_eq!(d.kept, vec![vec![1], vec![1]]);
    assert_eq!(d.trace.len(), 2);
    assert!(d.trace.iter().all(|e| e.round == 1 && e.margin == 1.0));
    assert_trace_certified(&g, &d);
}

#[test]
fn gibbons_three_round_example_solves_to_up_middle() {
    // Gibbons (1992), Fig. 1.1.1: Right is dominated by Middle; then Down by Up; then Left by
    // Middle.
    let g = bimatrix(
        &[&[1.0, 1.0, 0.0], &[0.0, 0.0, 2.0]],
        &[&[0.0, 2.0, 1.0], &[3.0, 1.0, 0.0]],
    );
    let d = iterated_strict_dominance(&g).unwrap();
    assert_eq!(d.kept, vec![vec![0], vec![1]]);
    let steps: Vec<(usize, usize, usize)> = d
        .trace
        .iter()
        .map(|e| (e.round, e.player, e.strategy))
        .collect();
    assert_eq!(steps, vec![(1, 1, 2), (2, 0, 1), (3, 1, 0)]);
    assert_trace_certified(&g, &d);
}

#[test]
fn a_strategy_dominated_only_by_a_mix_is_eliminated() {
    // Row payoffs: Top (3, 0), Middle (1, 1), Bottom (0, 3). No pure strategy beats Middle,
    // but ½Top + ½Bottom = (1.5, 1.5) does, by 0.5.
    let g = NormalForm::with_names(
        vec!["Row".into(), "Col".into()],
        vec![
            vec!["Top".into(), "Middle".into(), "Bottom".into()],
            vec!["Left".into(), "Right".into()],
        ],
        bimatrix(
            &[&[3.0, 0.0], &[1.0, 1.0], &[0.0, 3.0]],
            &[&[1.0, 0.0], &[1.0, 0.0], &[0.0, 1.0]],
        )
        .payoff_tensors()
        .to_vec(),
    )
    .unwrap();
    let d = iterated_strict_dominance(&g).unwrap();
    assert_eq!(d.kept, vec![vec![0, 2], vec![0, 1]]);
    let e = &d.trace[0];
    assert_eq!((e.player, e.strategy), (0, 1));
    assert_eq!(e.dominated_by.len(), 2);
    assert!(Tolerance::LP.eq(e.dominated_by[0].1, 0.5));
    assert!(Tolerance::LP.eq(e.margin, 0.5));
    assert_eq!(
        d.reduced.strategies()[0],
        vec!["Top".to_string(), "Bottom".to_string()]
    );
    assert_eq!(d.reduced.players()[1], "Col");
    assert_trace_certified(&g, &d);
}

#[test]
fn weak_dominance_is_not_strict() {
    // Bottom ties Top against Left: weakly dominated only, so it stays.
    let g = bimatrix(&[&[1.0, 2.0], &[1.0, 1.0]], &[&[0.0, 0.0], &[0.0, 0.0]]);
    let d = iterated_strict_dominance(&g).unwrap();
    assert_eq!(d.kept, vec![vec![0, 1], vec![0, 1]]);
    assert!(d.trace.is_empty());
}

#[test]
fn one_player_game_keeps_the_unique_maximiser() {
    let t = ArrayD::from_shape_vec(IxDyn(&[4]), vec![1.0, 3.0, 2.0, 0.5]).unwrap();
    let g = NormalForm::new(vec![t]).unwrap();
    let d = iterated_strict_dominance(&g).unwrap();
    assert_eq!(d.kept, vec![vec![1]]);
    assert_trace_certified(&g, &d);
}

fn small_game() -> impl Strategy<Value = NormalForm> {
    prop_oneof![
        Just(vec![3usize, 3]),
        Just(vec![4, 3]),
        Just(vec![2, 2, 2]),
        Just(vec![3, 2, 2])
    ]
    .prop_flat_map(|shape| {
        let n = shape.len();
        let cells: usize = shape.iter().product();
        prop::collection::vec(prop::collection::vec(0i8..8, cells), n).prop_map(move |ps| {
            let tensors = ps
                .into_iter()
                .map(|v| {
                    ArrayD::from_shape_vec(IxDyn(&shape), v.into_iter().map(f64::from).collect())
                        .unwrap()
                })
                .collect();
            NormalForm::new(tensors).unwrap()
        })
    })
}

/// The subgame keeping `keep[p]` (original indices) of each player.
fn subgame(g: &NormalForm, keep: &[Vec<usize>]) -> NormalForm {
    let tensors = g
        .payoff_tensors()
        .iter()
        .map(|t| {
            let mut t = t.clone();
            for (p, ks) in keep.iter().enumerate() {
                t = t.select(Axis(p), ks);
            }
            t
        })
        .collect();
    NormalForm::new(tensors).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn eliminations_are_certified(g in small_game()) {
        let d = iterated_strict_dominance(&g).unwrap();
        assert_trace_certified(&g, &d);
    }

    #[test]
    fn elimination_order_does_not_matter(g in small_game(), pick in any::<prop::sample::Index>()) {
        // Remove one strategy that is dominated in the full game first, then eliminate the
        // rest: the survivors must be the same.
        let d = iterated_strict_dominance(&g).unwrap();
        let first: Vec<_> = d.trace.iter().filter(|e| e.round == 1).collect();
        prop_assume!(!first.is_empty());
        let e = first[pick.index(first.len())];
        let mut keep: Vec<Vec<usize>> = g.shape().iter().map(|&k| (0..k).collect()).collect();
        keep[e.player].retain(|&s| s != e.strategy);
        let h = subgame(&g, &keep);
        let dh = iterated_strict_dominance(&h).unwrap();
        let mapped: Vec<Vec<usize>> = dh
            .kept
            .iter()
            .zip(&keep)
            .map(|(ks, orig)| ks.iter().map(|&s| orig[s]).collect())
            .collect();
        prop_assert_eq!(mapped, d.kept);
    }

    #[test]
    fn relabelling_strategies_permutes_the_survivors(g in small_game()) {
        // Reverse every player's strategy order.
        let shape = g.shape().to_vec();
        let rev: Vec<Vec<usize>> = shape.iter().map(|&k| (0..k).rev().collect()).collect();
        let h = subgame(&g, &rev);
        let d = iterated_strict_dominance(&g).unwrap();
        let dh = iterated_strict_dominance(&h).unwrap();
        let mut mapped: Vec<Vec<usize>> = dh
            .kept
            .iter()
            .zip(&shape)
            .map(|(ks, &k)| ks.iter().map(|&s| k - 1 - s).collect())
            .collect();
        for m in mapped.iter_mut() {
            m.sort_unstable();
        }
        prop_assert_eq!(mapped, d.kept);
    }
}
