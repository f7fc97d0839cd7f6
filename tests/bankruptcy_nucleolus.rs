//! The nucleolus of bankruptcy games in closed form (the Talmud rule): the Talmud's own
//! numbers, agreement with the library's LP nucleolus (certified by Kohlberg's criterion) where
//! that runs, and the contested-garment certificate at 100 claimants.

use covenant::coop::{bankruptcy_nucleolus, certify_contested_garment, nucleolus};
use covenant::game::Bankruptcy;
use covenant::Error;
use num_bigint::BigInt;
use num_rational::BigRational;
use proptest::prelude::*;

fn q(n: i64, d: i64) -> BigRational {
    BigRational::new(BigInt::from(n), BigInt::from(d))
}

/// Babylonian Talmud, Ketubot 93a, as read by Aumann & Maschler (1985, Table 1): three widows
/// with claims 100, 200, 300.
#[test]
fn talmud_estates_100_200_300_give_the_mishnah_divisions() {
    let claims = vec![100.0, 200.0, 300.0];
    let cases = [
        (100.0, [q(100, 3), q(100, 3), q(100, 3)]),
        (200.0, [q(50, 1), q(75, 1), q(75, 1)]),
        (300.0, [q(50, 1), q(100, 1), q(150, 1)]),
    ];
    for (estate, expect) in cases {
        let nu = bankruptcy_nucleolus(&Bankruptcy::new(estate, claims.clone()).unwrap()).unwrap();
        assert_eq!(nu.exact, expect, "estate {estate}");
        assert!(nu.certificate.holds());
        assert_eq!(nu.certificate.pairs_checked, 3);
    }
}

#[test]
fn degenerate_estates_and_single_claimants() {
    // Nothing to share; everything claimed is there; one claimant takes the estate.
    let nu = bankruptcy_nucleolus(&Bankruptcy::new(0.0, vec![3.0, 5.0]).unwrap()).unwrap();
    assert_eq!(nu.allocation, [0.0, 0.0]);
    let nu = bankruptcy_nucleolus(&Bankruptcy::new(8.0, vec![3.0, 5.0]).unwrap()).unwrap();
    assert_eq!(nu.allocation, [3.0, 5.0]);
    let nu = bankruptcy_nucleolus(&Bankruptcy::new(2.5, vec![7.0]).unwrap()).unwrap();
    assert_eq!(nu.allocation, [2.5]);
    // A zero claim gets nothing.
    let nu = bankruptcy_nucleolus(&Bankruptcy::new(4.0, vec![0.0, 2.0, 6.0]).unwrap()).unwrap();
    assert_eq!(nu.exact, [q(0, 1), q(1, 1), q(3, 1)]);
}

/// Seeded claims 1..=1000 (the same linear congruential stream as the coop benches).
fn claims(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) % 1000 + 1) as f64
        })
        .collect()
}

#[test]
fn agrees_with_the_kohlberg_certified_lp_nucleolus_at_ten_claimants() {
    for (seed, frac) in [(1u64, 0.2), (2, 0.5), (3, 0.7), (4, 0.95)] {
        let c = claims(10, seed);
        let estate = (c.iter().sum::<f64>() * frac).round();
        let g = Bankruptcy::new(estate, c).unwrap();
        let lp = nucleolus(&g).unwrap();
        assert!(lp.kohlberg);
        let nu = bankruptcy_nucleolus(&g).unwrap();
        for (a, b) in nu.allocation.iter().zip(&lp.allocation) {
            assert!((a - b).abs() <= 1e-6 * estate.max(1.0), "{a} vs {b}");
        }
    }
}

#[test]
fn one_hundred_claimants_are_certified_on_every_pair() {
    let c = claims(100, 2026);
    let estate = (c.iter().sum::<f64>() / 3.0).round();
    let g = Bankruptcy::new(estate, c.clone()).unwrap();
    let nu = bankruptcy_nucleolus(&g).unwrap();
    assert!(nu.certificate.holds());
    assert_eq!(nu.certificate.pairs_checked, 100 * 99 / 2);
    // Equal claims, equal awards; a larger claim never gets less.
    for i in 0..100 {
        for j in 0..100 {
            if c[i] <= c[j] {
                assert!(nu.exact[i] <= nu.exact[j]);
            }
        }
    }
    // The certificate can fail: move a little from one claimant to another.
    let mut x = nu.exact.clone();
    let eps = q(1, 7);
    x[0] -= &eps;
    x[1] += &eps;
    let bad = certify_contested_garment(&g, &x).unwrap();
    assert!(bad.efficient && !bad.holds());
    assert!(bad.violation.is_some());
    assert!(matches!(
        certify_contested_garment(&g, &x[..99]),
        Err(Error::InvalidArgument(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Against the library's LP nucleolus (constraint generation, Kohlberg-certified), which
    /// shares no code with the closed form.
    #[test]
    fn closed_form_equals_the_lp_nucleolus(
        c in prop::collection::vec(0u32..=50, 1..=7),
        frac in 0.0f64..=1.0,
    ) {
        let c: Vec<f64> = c.into_iter().map(f64::from).collect();
        let estate = (c.iter().sum::<f64>() * frac).floor();
        let g = Bankruptcy::new(estate, c.clone()).unwrap();
        let nu = bankruptcy_nucleolus(&g).unwrap();
        prop_assert!(nu.certificate.holds());
        let lp = nucleolus(&g).unwrap();
        prop_assert!(lp.kohlberg);
        for (a, b) in nu.allocation.iter().zip(&lp.allocation) {
            prop_assert!((a - b).abs() <= 1e-6 * estate.max(1.0), "{} vs {}", a, b);
        }
        for i in 0..c.len() {
            for j in 0..c.len() {
                if c[i] == c[j] {
                    prop_assert_eq!(&nu.exact[i], &nu.exact[j]);
                }
            }
        }
    }
}
