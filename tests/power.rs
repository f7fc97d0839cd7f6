//! Power indices of weighted voting games: published values, exact rationals, and a 2^n
//! brute force written here from the definitions (sharing nothing with the counting DP).

use std::str::FromStr;

use covenant::coop::{
    banzhaf_power, shapley_shubik, shapley_shubik_with_limit, swing_counts, PowerIndex,
};
use covenant::game::WeightedVoting;
use covenant::{Error, Tolerance};
use num_bigint::{BigInt, BigUint};
use num_rational::BigRational;
use num_traits::{One, Zero};
use proptest::prelude::*;
use serde_json::Value;

#[path = "common/imf.rs"]
mod imf;
use imf::imf_like;

const REFERENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/coop/reference.json"
);

/// The exact form, which the counting solvers always give.
fn exact(p: &PowerIndex) -> &[BigRational] {
    p.exact.as_deref().expect("counted exactly")
}

fn q(s: &str) -> BigRational {
    BigRational::from_str(s).unwrap_or_else(|e| panic!("bad rational {s}: {e:?}"))
}

fn strings(v: &[BigRational]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn security_council() -> WeightedVoting {
    let mut w = vec![7u64; 5];
    w.extend([1u64; 10]);
    WeightedVoting::new(w, 39).unwrap()
}

#[test]
fn un_security_council_permanent_421_2145_elected_4_2145() {
    let ss = shapley_shubik(&security_council()).unwrap();
    for i in 0..5 {
        assert_eq!(exact(&ss)[i], q("421/2145"));
    }
    for i in 5..15 {
        assert_eq!(exact(&ss)[i], q("4/2145"));
    }
    assert!(Tolerance::REPORT.eq(ss.values[0], 421.0 / 2145.0));
    let b = banzhaf_power(&security_council()).unwrap();
    assert_eq!(b.swings[0], BigUint::from(848u32));
    assert_eq!(b.swings[14], BigUint::from(84u32));
    assert_eq!(exact(&b.normalized)[0], q("106/635"));
    assert_eq!(exact(&b.absolute)[0], q("848/16384"));
}

#[test]
fn un_security_council_as_veto_players_equals_weighted_form() {
    // The same council written as 5 veto players and "9 of 15": identical power.
    let g = WeightedVoting::new(vec![1; 15], 9)
        .unwrap()
        .with_veto((0..5).collect())
        .unwrap();
    let ss = shapley_shubik(&g).unwrap();
    assert_eq!(
        exact(&ss),
        shapley_shubik(&security_council()).unwrap().exact.unwrap()
    );
    let b = banzhaf_power(&g).unwrap();
    assert_eq!(b, banzhaf_power(&security_council()).unwrap());
}

#[test]
fn security_council_1954_permanent_76_385_elected_1_462() {
    let mut w = vec![5u64; 5];
    w.extend([1u64; 6]);
    let ss = shapley_shubik(&WeightedVoting::new(w, 27).unwrap()).unwrap();
    assert_eq!(exact(&ss)[0], q("76/385"));
    assert_eq!(exact(&ss)[10], q("1/462"));
}

#[test]
fn eec_1958_luxembourg_is_a_dummy() {
    let g = WeightedVoting::new(vec![4, 4, 4, 2, 2, 1], 12).unwrap();
    let ss = shapley_shubik(&g).unwrap();
    assert_eq!(
        strings(exact(&ss)),
        ["7/30", "7/30", "7/30", "3/20", "3/20", "0"]
    );
    let b = banzhaf_power(&g).unwrap();
    assert!(b.swings[5].is_zero());
    assert_eq!(
        strings(exact(&b.normalized)),
        ["5/21", "5/21", "5/21", "1/7", "1/7", "0"]
    );
}

#[test]
fn every_published_voting_game_matches_exactly() {
    let text = std::fs::read_to_string(REFERENCE).expect("reference.json");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let games = doc["voting_games"].as_array().unwrap();
    assert!(games.len() >= 7);
    for game in games {
        let name = game["name"].as_str().unwrap();
        let weights: Vec<u64> = game["weights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_u64().unwrap())
            .collect();
        let g = WeightedVoting::new(weights, game["quota"].as_u64().unwrap()).unwrap();
        let parse = |key: &str| -> Vec<BigRational> {
            game[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| q(s.as_str().unwrap()))
                .collect()
        };
        let ss = shapley_shubik(&g).unwrap();
        assert_eq!(
            exact(&ss),
            parse("shapley_shubik"),
            "{name}: Shapley–Shubik"
        );
        let b = banzhaf_power(&g).unwrap();
        assert_eq!(
            exact(&b.normalized),
            parse("banzhaf_normalized"),
            "{name}: Banzhaf"
        );
        let swings: Vec<BigUint> = game["banzhaf_swings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| BigUint::from(s.as_u64().unwrap()))
            .collect();
        assert_eq!(b.swings, swings, "{name}: swings");
        let penrose = game["penrose_absolute_banzhaf_float"].as_array().unwrap();
        for (x, y) in b.absolute.values.iter().zip(penrose) {
            assert!(
                Tolerance::REPORT.eq(*x, y.as_f64().unwrap()),
                "{name}: absolute"
            );
        }
        for (x, y) in ss
            .values
            .iter()
            .zip(game["shapley_shubik_float"].as_array().unwrap())
        {
            assert!(
                Tolerance::REPORT.eq(*x, y.as_f64().unwrap()),
                "{name}: SS float"
            );
        }
    }
}

/// Brute force over all 2^n coalitions, straight from the definitions.
struct Brute {
    ss: Vec<BigRational>,
    swings: Vec<BigUint>,
}

fn brute(n: usize, rules: &[(Vec<u64>, u64)], veto: &[usize]) -> Brute {
    let wins = |mask: usize| {
        veto.iter().all(|&i| mask >> i & 1 == 1)
            && rules.iter().all(|(w, quota)| {
                let total: u64 = (0..n).filter(|&i| mask >> i & 1 == 1).map(|i| w[i]).sum();
                total >= *quota
            })
    };
    let mut fact = vec![BigInt::one()];
    for k in 1..=n {
        let f = &fact[k - 1] * BigInt::from(k);
        fact.push(f);
    }
    let mut ss = vec![BigRational::zero(); n];
    let mut swings = vec![BigUint::zero(); n];
    for mask in 0..1usize << n {
        if wins(mask) {
            continue;
        }
        let s = mask.count_ones() as usize;
        for i in 0..n {
            if mask >> i & 1 == 0 && wins(mask | 1 << i) {
                swings[i] += 1u32;
                ss[i] += BigRational::new(fact[s].clone() * &fact[n - s - 1], fact[n].clone());
            }
        }
    }
    Brute { ss, swings }
}

fn build(n: usize, rules: &[(Vec<u64>, u64)], veto: &[usize]) -> WeightedVoting {
    let mut g = WeightedVoting::new(rules[0].0.clone(), rules[0].1).unwrap();
    for (w, quota) in &rules[1..] {
        g = g.with_rule(w.clone(), *quota).unwrap();
    }
    assert_eq!(g.len(), n);
    g.with_veto(veto.to_vec()).unwrap()
}

/// A rule: weights in 0..=max_w and a quota in 1..=total (total ≥ 1 forced).
fn rule(n: usize, max_w: u64) -> impl Strategy<Value = (Vec<u64>, u64)> {
    prop::collection::vec(0..=max_w, n).prop_flat_map(|mut w| {
        if w.iter().all(|&x| x == 0) {
            w[0] = 1;
        }
        let total: u64 = w.iter().sum();
        (Just(w), 1..=total)
    })
}

/// `(n, rules, veto players)`.
type Game = (usize, Vec<(Vec<u64>, u64)>, Vec<usize>);

fn game() -> impl Strategy<Value = Game> {
    (1usize..=10, 1usize..=2).prop_flat_map(|(n, k)| {
        (
            Just(n),
            prop::collection::vec(rule(n, 9), k),
            prop::collection::vec(0..n, 0..=2),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn power_indices_equal_brute_force_and_sum_to_one((n, rules, veto) in game()) {
        let g = build(n, &rules, &veto);
        let expect = brute(n, &rules, &veto);
        let ss = shapley_shubik(&g).unwrap();
        prop_assert_eq!(exact(&ss), &expect.ss);
        prop_assert!(exact(&ss).iter().sum::<BigRational>().is_one());
        let b = banzhaf_power(&g).unwrap();
        prop_assert_eq!(&b.swings, &expect.swings);
        prop_assert!(exact(&b.normalized).iter().sum::<BigRational>().is_one());
        let half = BigInt::one() << (n - 1);
        for (a, s) in exact(&b.absolute).iter().zip(&expect.swings) {
            prop_assert_eq!(a, &BigRational::new(BigInt::from(s.clone()), half.clone()));
        }
        prop_assert_eq!(swing_counts(&g).unwrap(), expect.swings);
    }

    #[test]
    fn a_repeated_rule_changes_nothing((n, rules, veto) in game()) {
        // One rule takes the single-rule path, the same rule twice the multi-rule path.
        let one = build(n, &rules[..1], &veto);
        let twice = build(n, &[rules[0].clone(), rules[0].clone()], &veto);
        prop_assert_eq!(shapley_shubik(&one).unwrap(), shapley_shubik(&twice).unwrap());
        prop_assert_eq!(banzhaf_power(&one).unwrap(), banzhaf_power(&twice).unwrap());
    }
}

#[test]
fn brute_force_at_n12_with_veto_and_two_rules() {
    let w1 = vec![5, 1, 3, 7, 2, 2, 9, 4, 1, 6, 3, 8];
    let w2 = vec![1; 12];
    let rules = vec![(w1, 30), (w2, 7)];
    let veto = [3];
    let g = build(12, &rules, &veto);
    let expect = brute(12, &rules, &veto);
    assert_eq!(shapley_shubik(&g).unwrap().exact.unwrap(), expect.ss);
    assert_eq!(banzhaf_power(&g).unwrap().swings, expect.swings);
}

fn pseudo_random_weights(n: usize, max: u64, mut seed: u64) -> Vec<u64> {
    (0..n)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % max + 1
        })
        .collect()
}

#[test]
fn two_hundred_members_with_weights_to_1000_sum_to_one_exactly() {
    let w = pseudo_random_weights(200, 1000, 7);
    let total: u64 = w.iter().sum();
    let g = WeightedVoting::new(w.clone(), total / 2 + 1).unwrap();
    let b = banzhaf_power(&g).unwrap();
    assert!(exact(&b.normalized).iter().sum::<BigRational>().is_one());
    let ss = shapley_shubik(&g).unwrap();
    assert!(exact(&ss).iter().sum::<BigRational>().is_one());
    // Power is monotone in weight, for both indices, and equal weights get equal power.
    let mut order: Vec<usize> = (0..200).collect();
    order.sort_by_key(|&i| w[i]);
    for pair in order.windows(2) {
        let (a, c) = (pair[0], pair[1]);
        assert!(b.swings[a] <= b.swings[c]);
        assert!(exact(&ss)[a] <= exact(&ss)[c]);
        if w[a] == w[c] {
            assert_eq!(exact(&ss)[a], exact(&ss)[c]);
        }
    }
    // Swing counts far beyond 2^128 are carried exactly.
    assert!(b.swings[order[199]].bits() > 150);
}

#[test]
fn un_general_assembly_193_equal_members_get_one_193rd() {
    let g = WeightedVoting::new(vec![1; 193], 129).unwrap();
    let ss = shapley_shubik(&g).unwrap();
    assert!(exact(&ss).iter().all(|x| *x == q("1/193")));
    let b = banzhaf_power(&g).unwrap();
    // A member swings when exactly 128 of the other 192 vote yes.
    let mut binom = BigUint::one();
    for k in 0..128u32 {
        binom = binom * BigUint::from(192 - k) / BigUint::from(k + 1);
    }
    assert!(b.swings.iter().all(|s| *s == binom));
}

#[test]
fn veto_players_who_win_alone_share_power_equally() {
    // Players 0 and 1 have veto and together already meet the quota.
    let g = WeightedVoting::new(vec![5, 5, 1, 1], 10)
        .unwrap()
        .with_veto(vec![0, 1])
        .unwrap();
    let ss = shapley_shubik(&g).unwrap();
    assert_eq!(strings(exact(&ss)), ["1/2", "1/2", "0", "0"]);
    let b = banzhaf_power(&g).unwrap();
    assert_eq!(
        b.swings,
        vec![
            BigUint::from(4u32),
            BigUint::from(4u32),
            0u32.into(),
            0u32.into()
        ]
    );
}

#[test]
fn huge_quotas_are_too_large_not_out_of_memory() {
    let g = WeightedVoting::new(vec![1_000_000_007, 999_999_937, 3, 5], 1_000_000_100).unwrap();
    assert!(matches!(banzhaf_power(&g), Err(Error::TooLarge(m)) if m.contains("MAX_DP_STATES")));
    assert!(matches!(shapley_shubik(&g), Err(Error::TooLarge(m)) if m.contains("MAX_DP_STATES")));
    // Two rules of 10^4 states each: 10^8 saturated weight vectors.
    let w = vec![4_999u64, 5_001, 3, 7];
    let g2 = WeightedVoting::new(w.clone(), 9_000)
        .unwrap()
        .with_rule(w.iter().rev().copied().collect(), 9_000)
        .unwrap();
    assert!(matches!(banzhaf_power(&g2), Err(Error::TooLarge(_))));
    assert!(matches!(shapley_shubik(&g2), Err(Error::TooLarge(_))));
}

#[test]
fn the_memory_cap_of_shapley_shubik_is_a_parameter() {
    // UN Security Council: 5 × 7 + 10 × 1, quota 39 (Shapley & Shubik 1954: 421/2145 each
    // permanent member). Its size-by-weight table has a few hundred cells.
    let mut w = vec![7u64; 5];
    w.extend([1u64; 10]);
    let g = WeightedVoting::new(w, 39).unwrap();
    assert!(matches!(
        shapley_shubik_with_limit(&g, 16),
        Err(Error::TooLarge(m)) if m.contains("the limit is 16 cells")
    ));
    let ss = shapley_shubik_with_limit(&g, 1 << 12).unwrap();
    assert_eq!(ss.exact.as_ref().unwrap()[0].to_string(), "421/2145");
    assert_eq!(ss, shapley_shubik(&g).unwrap());
}

#[test]
fn common_factors_of_weights_do_not_count_against_the_limit() {
    // Weights ×10^9 reduce by their gcd to the EEC game.
    let k = 1_000_000_000u64;
    let g = WeightedVoting::new(vec![4 * k, 4 * k, 4 * k, 2 * k, 2 * k, k], 12 * k - 5).unwrap();
    let ss = shapley_shubik(&g).unwrap();
    assert_eq!(
        strings(exact(&ss)),
        ["7/30", "7/30", "7/30", "3/20", "3/20", "0"]
    );
}

#[test]
fn an_empty_voting_game_is_rejected() {
    assert!(matches!(
        WeightedVoting::new(vec![], 1),
        Err(Error::InvalidGame(_))
    ));
}

/// Both indices at the IMF scale are exact, sum to one and are monotone in weight (a heavier
/// member never has less power: Felsenthal & Machover 1998, local monotonicity of weighted
/// games); Shapley–Shubik's size-by-weight table (98,146,278 cells, 375 MiB) is within the
/// default cap and refused, with that figure, under a lower one.
#[test]
fn imf_scale_power_is_exact_and_shapley_shubik_states_its_memory() {
    let g = imf_like(190, 2_100_000, 2016);
    let bz = banzhaf_power(&g).unwrap();
    let ss = shapley_shubik(&g).unwrap();
    assert!(exact(&ss).iter().sum::<BigRational>().is_one());
    let w = &g.rules()[0].weights;
    for i in 0..w.len() {
        for j in 0..w.len() {
            if w[i] > w[j] {
                assert!(
                    bz.swings[i] >= bz.swings[j],
                    "{i} ({}) vs {j} ({})",
                    w[i],
                    w[j]
                );
                assert!(exact(&ss)[i] >= exact(&ss)[j], "{i} vs {j}");
            } else if w[i] == w[j] {
                assert_eq!(bz.swings[i], bz.swings[j]);
                assert_eq!(exact(&ss)[i], exact(&ss)[j]);
            }
        }
    }
    assert!(bz.swings.iter().all(|s| !s.is_zero()));
    assert!(exact(&ss).iter().all(|s| !s.is_zero()));
    assert!(matches!(
        shapley_shubik_with_limit(&g, 1 << 25),
        Err(Error::TooLarge(m)) if m.contains("98146278 cells = 375 MiB (quota")
    ));
}

/// Shapley–Shubik by an independent DP: for each player, the coalitions of the others
/// counted by size and weight (saturated at the quota) in `u128`, straight from the
/// definition `φ_i = Σ_S |S|! (n − |S| − 1)! / n!` over the swings `S`. Veto players are
/// forced into every coalition. Exact while `C(n, n/2) < 2^128` (n ≤ 128).
fn shapley_shubik_by_reference_dp(w: &[u64], quota: u64, veto: &[usize]) -> Vec<BigRational> {
    let n = w.len();
    let qz = quota as usize;
    let mut fact = vec![BigInt::one()];
    for k in 1..=n {
        let f = &fact[k - 1] * BigInt::from(k);
        fact.push(f);
    }
    (0..n)
        .map(|i| {
            // cnt[s][x]: coalitions of the free others (neither i nor a veto player) with s
            // members and weight min(x, quota).
            let mut cnt = vec![vec![0u128; qz + 1]; n + 1];
            cnt[0][0] = 1;
            let mut seen = 0;
            for j in (0..n).filter(|&j| j != i && !veto.contains(&j)) {
                seen += 1;
                for s in (1..=seen).rev() {
                    for x in (0..=qz).rev() {
                        let y = (x + w[j] as usize).min(qz);
                        let add = cnt[s - 1][x];
                        cnt[s][y] += add;
                    }
                }
            }
            let forced: Vec<usize> = veto.iter().copied().filter(|&v| v != i).collect();
            let base = forced.len();
            let base_w: u64 = forced.iter().map(|&v| w[v]).sum();
            let mut phi = BigRational::zero();
            for (s, row) in cnt.iter().enumerate() {
                for (x, &c) in row.iter().enumerate() {
                    if c == 0 {
                        continue;
                    }
                    let total = (x as u64 + base_w).min(quota);
                    // S = forced ∪ T loses (i is a veto player missing, or below quota) and
                    // S ∪ {i} wins.
                    let loses = veto.contains(&i) || total < quota;
                    let wins = total + w[i] >= quota;
                    if loses && wins {
                        let size = base + s;
                        let coef = &fact[size] * &fact[n - 1 - size];
                        phi += BigRational::new(BigInt::from(c) * coef, fact[n].clone());
                    }
                }
            }
            phi
        })
        .collect()
}

/// Games of 55–75 players, beyond brute force: three primes whose products cover different
/// coalition sizes (the by-size table is cut per prime), checked against the reference DP.
fn medium_game() -> impl Strategy<Value = (Vec<u64>, u64, Vec<usize>)> {
    (55usize..=75).prop_flat_map(|n| {
        (
            prop::collection::vec(1u64..=12, n),
            0.3f64..0.8,
            prop::collection::vec(0..n, 0..=1),
        )
            .prop_map(|(w, frac, veto)| {
                let total: u64 = w.iter().sum();
                let quota = ((total as f64 * frac) as u64).max(1);
                (w, quota, veto)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn shapley_shubik_equals_an_independent_dp_sums_to_one_and_treats_equals_equally(
        (w, quota, veto) in medium_game()
    ) {
        let g = WeightedVoting::new(w.clone(), quota).unwrap().with_veto(veto.clone()).unwrap();
        let ss = shapley_shubik(&g).unwrap();
        let phi = exact(&ss);
        prop_assert!(phi.iter().sum::<BigRational>().is_one());
        for i in 0..w.len() {
            for j in 0..w.len() {
                if w[i] == w[j] && veto.contains(&i) == veto.contains(&j) {
                    prop_assert_eq!(&phi[i], &phi[j]);
                }
            }
        }
        prop_assert_eq!(phi, &shapley_shubik_by_reference_dp(&w, quota, &veto)[..]);
    }
}

#[test]
fn progress_counts_primes_then_the_exact_rebuild() {
    use covenant::coop::{banzhaf_power_with_progress, shapley_shubik_with_progress};
    // 65 players need ⌈66/30⌉ = 3 primes: steps 0..=3 of 4, then the rebuild, 4 of 4.
    let g = WeightedVoting::new((1..=65).collect(), 1000).unwrap();
    let mut seen = Vec::new();
    let ss = shapley_shubik_with_progress(&g, Some(&mut |d, t| seen.push((d, t)))).unwrap();
    assert_eq!(seen, vec![(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]);
    assert_eq!(ss, shapley_shubik(&g).unwrap());
    seen.clear();
    let bz = banzhaf_power_with_progress(&g, Some(&mut |d, t| seen.push((d, t)))).unwrap();
    assert_eq!(seen, vec![(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]);
    assert_eq!(bz, banzhaf_power(&g).unwrap());
}
