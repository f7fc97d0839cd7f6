//! Bankruptcy (claims) games: an estate too small for the claims on it.

use crate::error::{Error, Result};

/// The bankruptcy game of O'Neill (1982): an estate `E` and claims `c_i ≥ 0` with
/// `Σ c_i ≥ E`; a coalition is worth what the others leave it,
/// `v(S) = max(0, E − c(N∖S))`.
///
/// The game is computed on demand (it implements [`CoalitionalGame`](super::CoalitionalGame)
/// with an exact separation oracle, `crate::coop::separation`), so its nucleolus — the Talmud
/// rule (Aumann & Maschler 1985) — is found by constraint generation without a `2^n` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Bankruptcy {
    estate: f64,
    claims: Vec<f64>,
    total: f64,
}

impl Bankruptcy {
    /// The game of estate `estate` and the given claims.
    ///
    /// # Errors
    /// [`Error::InvalidGame`] for no claimants, a negative or non-finite claim or estate, or
    /// an estate above the total claim (then nobody is short and the game is not a
    /// bankruptcy).
    pub fn new(estate: f64, claims: Vec<f64>) -> Result<Self> {
        if claims.is_empty() {
            return Err(Error::invalid_game(
                "a bankruptcy game needs at least one claimant",
            ));
        }
        if !(estate.is_finite() && estate >= 0.0) {
            return Err(Error::invalid_game(format!(
                "the estate must be finite and non-negative, got {estate}"
            )));
        }
        if let Some((i, c)) = claims
            .iter()
            .enumerate()
            .find(|(_, c)| !(c.is_finite() && **c >= 0.0))
        {
            return Err(Error::invalid_game(format!(
                "claim of claimant {i} must be finite and non-negative, got {c}"
            )));
        }
        let total: f64 = claims.iter().sum();
        if estate > total {
            return Err(Error::invalid_game(format!(
                "the estate {estate} exceeds the total claim {total}: nothing to share out"
            )));
        }
        Ok(Bankruptcy {
            estate,
            claims,
            total,
        })
    }

    /// The estate `E`.
    pub fn estate(&self) -> f64 {
        self.estate
    }

    /// The claims, one per claimant.
    pub fn claims(&self) -> &[f64] {
        &self.claims
    }

    /// The total claim `Σ c_i`.
    pub fn total_claim(&self) -> f64 {
        self.total
    }

    /// Number of claimants.
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    /// Always false: a bankruptcy game has at least one claimant.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    /// `v(S)` of the coalition whose total claim is `claimed`: `max(0, E − (C − claimed))`.
    pub fn value_of_claim(&self, claimed: f64) -> f64 {
        (self.estate - (self.total - claimed)).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_estates_and_claims_are_errors() {
        assert!(Bankruptcy::new(1.0, vec![]).is_err());
        assert!(Bankruptcy::new(-1.0, vec![1.0]).is_err());
        assert!(Bankruptcy::new(f64::NAN, vec![1.0]).is_err());
        assert!(Bankruptcy::new(1.0, vec![1.0, f64::INFINITY]).is_err());
        assert!(Bankruptcy::new(1.0, vec![-0.5, 2.0]).is_err());
        assert!(Bankruptcy::new(3.0, vec![1.0, 1.0]).is_err());
        assert!(Bankruptcy::new(2.0, vec![1.0, 1.0]).is_ok());
    }
}
