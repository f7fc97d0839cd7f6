//! The nucleolus of a bankruptcy game in closed form: the Talmud rule, exactly, with a
//! certificate that scales to any number of claimants.
//!
//! # Method
//! Aumann & Maschler (1985), "Game theoretic analysis of a bankruptcy problem from the
//! Talmud", J. Econ. Theory 36, 195–213: the nucleolus of the bankruptcy game
//! `v(S) = max(0, E − c(N∖S))` is the Talmud rule. With half-claims `h_i = c_i / 2` and
//! `D = Σ c_i`:
//! - if `E ≤ D/2`, each claimant gets `min(h_i, λ)` (constrained equal awards on the
//!   half-claims), `λ` chosen so the awards sum to `E`;
//! - otherwise each claimant *loses* `min(h_i, μ)` (constrained equal losses), `μ` chosen so
//!   the losses sum to `D − E`.
//!
//! Both are one sort and one scan: `O(n log n)` exact rational operations.
//!
//! # Certificate
//! Aumann & Maschler (1985) prove that a bankruptcy problem has exactly one division that is
//! *consistent with the contested garment* — every pair `i, j` splits `x_i + x_j` as the
//! two-claimant rule of the Mishnah would (each gets what the other concedes, `e − min(c_j, e)`,
//! and the rest is halved) — and that this division is the nucleolus.
//! [`certify_contested_garment`] checks every pair in exact arithmetic (`n(n−1)/2` pairs; rule
//! and certificate together take under 0.1 s at 100 claimants) with code that shares nothing
//! with the computation (which never looks at pairs),
//! plus efficiency and the core (for a bankruptcy game, `0 ≤ x_i ≤ c_i` and `Σ x = E`:
//! Curiel, Maschler & Tijs 1987).
//!
//! **Why not Kohlberg's criterion at 100 claimants.** Kohlberg's criterion asks that, for
//! every excess level `t`, the coalitions with excess at least `t` form a balanced collection.
//! At the Talmud allocation the excess of `S` is `max(−x(S), −ℓ(N∖S))` with `ℓ = c − x` the
//! losses, so the levels are subset sums of `x` and of `ℓ`: there are up to `2^100` of them,
//! and a level can hold exponentially many coalitions (equal claims tie every `k`-subset).
//! Balancedness needs positive weights on every coalition of a level, or else a linear
//! optimisation over the tied coalitions of each level — a subset-sum problem per level. The
//! library's constraint-generation nucleolus (`crate::coop::nucleolus` on a
//! [`Bankruptcy`] game) certifies by Kohlberg up to the size its 64-bit coalition masks allow;
//! the tests check that it agrees with this closed form where both run.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::error::{Error, Result};
use crate::game::Bankruptcy;

/// The nucleolus of a bankruptcy game, exactly, with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct BankruptcyNucleolus {
    /// The allocation as `f64`, one per claimant (correctly rounded from `exact`).
    pub allocation: Vec<f64>,
    /// The allocation as exact rationals (the game's `f64` estate and claims are exact binary
    /// fractions, and every step is exact).
    pub exact: Vec<BigRational>,
    /// The checks of [`certify_contested_garment`] on `exact`.
    pub certificate: ContestedGarmentCertificate,
}

/// What [`certify_contested_garment`] found. The allocation is the nucleolus exactly when
/// [`ContestedGarmentCertificate::holds`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestedGarmentCertificate {
    /// `Σ x_i = E` exactly.
    pub efficient: bool,
    /// `0 ≤ x_i ≤ c_i` for every claimant (with efficiency: the core of the bankruptcy game).
    pub in_core: bool,
    /// The first pair `(i, j)`, `i < j`, that does not split `x_i + x_j` by the contested
    /// garment rule; `None` when every pair does.
    pub violation: Option<(usize, usize)>,
    /// Pairs checked.
    pub pairs_checked: usize,
}

impl ContestedGarmentCertificate {
    /// Efficient, in the core, and consistent with the contested garment on every pair: by
    /// Aumann & Maschler (1985) the allocation is then the nucleolus.
    pub fn holds(&self) -> bool {
        self.efficient && self.in_core && self.violation.is_none()
    }
}

fn exact_of(x: f64, what: &str) -> Result<BigRational> {
    BigRational::from_float(x)
        .ok_or_else(|| Error::InvalidGame(format!("{what} {x} is not a finite number")))
}

/// The estate and claims of `g` as exact rationals.
fn exact_game(g: &Bankruptcy) -> Result<(BigRational, Vec<BigRational>)> {
    let estate = exact_of(g.estate(), "estate")?;
    let claims = g
        .claims()
        .iter()
        .enumerate()
        .map(|(i, &c)| exact_of(c, &format!("claim of claimant {i}")))
        .collect::<Result<Vec<_>>>()?;
    Ok((estate, claims))
}

/// Constrained equal awards of `amount` on the caps `caps` (`amount ≤ Σ caps`): each gets
/// `min(cap_i, λ)` with `Σ = amount`.
fn constrained_equal_awards(caps: &[BigRational], amount: &BigRational) -> Vec<BigRational> {
    let n = caps.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| caps[a].cmp(&caps[b]));
    let mut below = BigRational::zero(); // caps of the claimants already capped
    let mut lambda = None;
    for (k, &i) in order.iter().enumerate() {
        let rest = BigRational::from_integer(BigInt::from(n - k));
        // If every claimant from k on got caps[i], the total would be below + rest · caps[i].
        if &below + &rest * &caps[i] >= *amount {
            lambda = Some((amount - &below) / rest);
            break;
        }
        below += &caps[i];
    }
    // amount ≤ Σ caps makes the last step succeed; the fallback (everybody capped) is the
    // same allocation when amount = Σ caps exactly.
    match lambda {
        Some(l) => caps.iter().map(|c| c.min(&l).clone()).collect(),
        None => caps.to_vec(),
    }
}

/// The nucleolus of a bankruptcy game: the Talmud rule (Aumann & Maschler 1985), exactly,
/// certified by consistency with the contested garment on every pair.
///
/// # Arguments
/// * `g` — a bankruptcy game (estate at most the total claim, checked by [`Bankruptcy::new`]).
///
/// # Returns
/// The allocation, exact and as `f64`, and its [`ContestedGarmentCertificate`] (which holds
/// for every valid game; a failure would be a bug, reported as [`Error::Numerical`]).
///
/// # Errors
/// [`Error::Numerical`] if the certificate fails (never expected).
///
/// # Complexity
/// `O(n log n)` rational operations for the rule, `O(n²)` for the certificate.
///
/// # Example
/// ```
/// use covenant::coop::bankruptcy_nucleolus;
/// use covenant::game::Bankruptcy;
/// // The Talmud (Ketubot 93a): claims 100, 200, 300 on an estate of 200.
/// let nu = bankruptcy_nucleolus(&Bankruptcy::new(200.0, vec![100.0, 200.0, 300.0])?)?;
/// assert_eq!(nu.allocation, [50.0, 75.0, 75.0]);
/// assert!(nu.certificate.holds());
/// # Ok::<(), covenant::Error>(())
/// ```
pub fn bankruptcy_nucleolus(g: &Bankruptcy) -> Result<BankruptcyNucleolus> {
    let (estate, claims) = exact_game(g)?;
    let two = BigRational::from_integer(BigInt::from(2));
    let half: Vec<BigRational> = claims.iter().map(|c| c / &two).collect();
    let total: BigRational = claims.iter().sum();
    let exact = if &estate * &two <= total {
        constrained_equal_awards(&half, &estate)
    } else {
        let loss = &total - &estate;
        constrained_equal_awards(&half, &loss)
            .iter()
            .zip(&claims)
            .map(|(l, c)| c - l)
            .collect()
    };
    let certificate = certify_exact(&estate, &claims, &exact);
    if !certificate.holds() {
        return Err(Error::Numerical {
            context: "bankruptcy_nucleolus",
            message: format!("the Talmud rule failed its own certificate: {certificate:?}"),
        });
    }
    Ok(BankruptcyNucleolus {
        allocation: exact
            .iter()
            .map(|x| x.to_f64().unwrap_or(f64::NAN))
            .collect(),
        exact,
        certificate,
    })
}

/// Checks an allocation of a bankruptcy game against Aumann & Maschler's characterisation of
/// its nucleolus: efficient, in the core, and splitting every pair's total by the contested
/// garment rule.
///
/// # Arguments
/// * `g` — the game; `x` — the allocation, exact, one entry per claimant.
///
/// # Errors
/// [`Error::InvalidArgument`] when `x` has the wrong length.
///
/// # Complexity
/// `O(n²)` exact rational operations.
pub fn certify_contested_garment(
    g: &Bankruptcy,
    x: &[BigRational],
) -> Result<ContestedGarmentCertificate> {
    if x.len() != g.len() {
        return Err(Error::InvalidArgument(format!(
            "allocation has {} entries for {} claimants",
            x.len(),
            g.len()
        )));
    }
    let (estate, claims) = exact_game(g)?;
    Ok(certify_exact(&estate, &claims, x))
}

/// The contested-garment split of `e` between claims `ci` and `cj`: the share of `i`.
fn garment_share(e: &BigRational, ci: &BigRational, cj: &BigRational) -> BigRational {
    let ci_e = ci.min(e);
    let cj_e = cj.min(e);
    // i receives what j concedes, e − min(c_j, e), and half of what both contest.
    let conceded = e - cj_e;
    let contested = ci_e + cj_e - e;
    conceded + contested / BigRational::from_integer(BigInt::from(2))
}

fn certify_exact(
    estate: &BigRational,
    claims: &[BigRational],
    x: &[BigRational],
) -> ContestedGarmentCertificate {
    let n = claims.len();
    let efficient = x.iter().sum::<BigRational>() == *estate;
    let in_core = x
        .iter()
        .zip(claims)
        .all(|(xi, ci)| !xi.is_negative() && xi <= ci);
    let mut violation = None;
    let mut pairs_checked = 0;
    'pairs: for i in 0..n {
        for j in i + 1..n {
            pairs_checked += 1;
            let e = &x[i] + &x[j];
            if garment_share(&e, &claims[i], &claims[j]) != x[i] {
                violation = Some((i, j));
                break 'pairs;
            }
        }
    }
    ContestedGarmentCertificate {
        efficient,
        in_core,
        violation,
        pairs_checked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn constrained_equal_awards_caps_the_small_claims() {
        // Caps 10, 50, 50 and 60 to share: 10 is capped, the others get 25 each.
        let caps = [q(10, 1), q(50, 1), q(50, 1)];
        assert_eq!(
            constrained_equal_awards(&caps, &q(60, 1)),
            [q(10, 1), q(25, 1), q(25, 1)]
        );
        // The whole total: everybody capped.
        assert_eq!(constrained_equal_awards(&caps, &q(110, 1)), caps);
    }

    #[test]
    fn the_contested_garment_of_the_mishnah() {
        // Mishnah Bava Metzia 1:1: one claims the whole garment, the other half: 3/4 and 1/4.
        let e = q(1, 1);
        assert_eq!(garment_share(&e, &q(1, 1), &q(1, 2)), q(3, 4));
        assert_eq!(garment_share(&e, &q(1, 2), &q(1, 1)), q(1, 4));
    }
}
