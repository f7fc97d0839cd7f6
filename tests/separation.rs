//! Nucleoli of weighted voting and bankruptcy games through their own separation oracles
//! (`coop::separation`), against the dense tables and the Talmud rule.

use covenant::coop::{kohlberg_criterion, nucleolus, prenucleolus, Domain};
use covenant::game::{Bankruptcy, CoalitionalGame, TuGame, WeightedVoting};

fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!(
            (a - b).abs() <= tol,
            "{what}: entry {i}: got {a}, want {b}\n got {got:?}\nwant {want:?}"
        );
    }
}

/// The Talmud rule (Aumann & Maschler 1985): constrained equal awards on the half-claims up
/// to half the total claim, constrained equal losses on the half-claims above. It is the
/// nucleolus of the bankruptcy game (their Theorem A).
fn talmud(estate: f64, claims: &[f64]) -> Vec<f64> {
    let total: f64 = claims.iter().sum();
    let half: Vec<f64> = claims.iter().map(|c| c / 2.0).collect();
    let award = |lam: f64| -> Vec<f64> {
        if estate <= total / 2.0 {
            half.iter().map(|h| h.min(lam)).collect()
        } else {
            claims
                .iter()
                .zip(&half)
                .map(|(c, h)| c - h.min(lam))
                .collect()
        }
    };
    let (mut lo, mut hi) = (0.0, claims.iter().fold(0.0f64, |m, c| m.max(*c)));
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        let s: f64 = award(mid).iter().sum();
        // Awards grow with λ below half the total claim, shrink above.
        if (s < estate) == (estate <= total / 2.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    award(0.5 * (lo + hi))
}

fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

#[test]
fn talmud_estates_100_200_300_are_the_nucleoli_of_the_oracle_game() {
    // Aumann & Maschler (1985), Table 1: claims 100/200/300.
    for (estate, want) in [
        (
            100.0,
            [33.0 + 1.0 / 3.0, 33.0 + 1.0 / 3.0, 33.0 + 1.0 / 3.0],
        ),
        (200.0, [50.0, 75.0, 75.0]),
        (300.0, [50.0, 100.0, 150.0]),
    ] {
        let g = Bankruptcy::new(estate, vec![100.0, 200.0, 300.0]).unwrap();
        let nu = nucleolus(&g).unwrap();
        assert!(nu.kohlberg);
        assert_close("talmud", &nu.allocation, &want, 1e-6);
    }
}

#[test]
fn bankruptcy_nucleolus_is_the_talmud_rule_at_twenty_claimants() {
    let mut seed = 1985;
    let claims: Vec<f64> = (0..20)
        .map(|_| (lcg(&mut seed) % 1000 + 1) as f64)
        .collect();
    let total: f64 = claims.iter().sum();
    for share in [0.3, 0.5, 0.8] {
        let estate = (share * total).round();
        let g = Bankruptcy::new(estate, claims.clone()).unwrap();
        let nu = nucleolus(&g).unwrap();
        assert!(nu.kohlberg, "estate {estate}");
        assert_close(
            "20 claimants",
            &nu.allocation,
            &talmud(estate, &claims),
            1e-5,
        );
    }
}

#[test]
fn voting_and_bankruptcy_oracles_give_the_dense_nucleoli() {
    let mut seed = 42;
    for n in [4usize, 6, 9] {
        let w: Vec<u64> = (0..n).map(|_| lcg(&mut seed) % 12 + 1).collect();
        let total: u64 = w.iter().sum();
        let g = WeightedVoting::new(w, total * 2 / 3).unwrap();
        let dense = TuGame::from_game(&g).unwrap();
        for (a, b) in [
            (nucleolus(&g).unwrap(), nucleolus(&dense).unwrap()),
            (prenucleolus(&g).unwrap(), prenucleolus(&dense).unwrap()),
        ] {
            assert!(a.kohlberg && b.kohlberg);
            assert_close("voting", &a.allocation, &b.allocation, 1e-7);
        }
        let claims: Vec<f64> = (0..n).map(|_| (lcg(&mut seed) % 90 + 10) as f64).collect();
        let estate = claims.iter().sum::<f64>() * 0.4;
        let b = Bankruptcy::new(estate, claims).unwrap();
        let dense = TuGame::from_game(&b).unwrap();
        let (x, y) = (nucleolus(&b).unwrap(), nucleolus(&dense).unwrap());
        assert!(x.kohlberg);
        assert_close("bankruptcy", &x.allocation, &y.allocation, 1e-6);
    }
}

#[test]
fn sixteen_player_voting_game_is_solved_and_certified_by_its_oracle() {
    // Weights 1..=60 (seeded), two-thirds majority.
    let mut seed = 25;
    let w: Vec<u64> = (0..16).map(|_| lcg(&mut seed) % 60 + 1).collect();
    let total: u64 = w.iter().sum();
    let g = WeightedVoting::new(w.clone(), (2 * total).div_ceil(3)).unwrap();
    let nu = nucleolus(&g).unwrap();
    assert!(nu.kohlberg);
    assert!((nu.allocation.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    // Independent re-check through the Kohlberg criterion of both domains, and symmetry:
    // players of equal weight get equal shares.
    assert!(kohlberg_criterion(&g, &nu.allocation, Domain::Imputations).unwrap());
    for i in 0..16 {
        for j in 0..16 {
            if w[i] == w[j] {
                assert!((nu.allocation[i] - nu.allocation[j]).abs() < 1e-7);
            }
        }
    }
}

#[test]
fn twenty_five_player_voting_game_is_solved_and_certified_by_its_oracle() {
    // Issue 11's instance (weights 1..=60 seeded, two-thirds majority; coopgame-py: 15.6 s).
    // Every coalition of weight exactly the quota is tied at the first excess level; Kohlberg's
    // certificate comes from a balanced part of that level found by column generation.
    let mut seed = 25;
    let w: Vec<u64> = (0..25).map(|_| lcg(&mut seed) % 60 + 1).collect();
    let total: u64 = w.iter().sum();
    let quota = (2 * total).div_ceil(3);
    let g = WeightedVoting::new(w.clone(), quota).unwrap();
    let nu = nucleolus(&g).unwrap();
    assert!(nu.kohlberg);
    // Here the nucleolus is the normalised weight vector, at excess 1 − q/w(N) (the excess of
    // a coalition of weight exactly q).
    let shares: Vec<f64> = w.iter().map(|&wi| wi as f64 / total as f64).collect();
    assert_close("voting 25", &nu.allocation, &shares, 1e-9);
    assert_eq!(nu.excess_levels.len(), 1);
    assert!((nu.excess_levels[0] - (1.0 - quota as f64 / total as f64)).abs() < 1e-9);
    // A point off it fails the certificate.
    let mut off = nu.allocation.clone();
    off[0] += 1e-3;
    off[1] -= 1e-3;
    assert!(!kohlberg_criterion(&g, &off, Domain::Imputations).unwrap());
}

#[test]
fn games_beyond_sixty_four_players_are_refused_clearly() {
    let g = Bankruptcy::new(50.0, vec![1.0; 100]).unwrap();
    assert_eq!(g.num_players(), 100);
    let err = nucleolus(&g).unwrap_err().to_string();
    assert!(err.contains("64"), "{err}");
}
