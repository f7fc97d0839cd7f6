//! Exact power-of-two rescaling of payoffs, so that no solver's arithmetic overflows or loses
//! every payoff below its tolerances.
//!
//! Multiplying every payoff by the same `2^k` is a positive affine transform: it leaves Nash,
//! correlated and coarse correlated equilibria, strict dominance, Stackelberg commitments and
//! the optimal strategies of a zero-sum game unchanged (and keeps a zero-sum game zero-sum).
//! In binary64 it is also exact as long as no entry leaves the normal range, which is checked:
//! a game whose payoffs span more than binary64 can hold after the shift is refused rather
//! than silently flushed. Values computed on the rescaled game are multiplied back by `2^-k`.

use super::Equilibrium;
use crate::error::{Error, Result};
use crate::game::{Bimatrix, NormalForm};

/// Largest magnitude the solvers see unscaled: products and differences of payoffs stay far
/// from overflow, and the LP backends' absolute tolerances (about 1e-9) still resolve payoff
/// differences at the last few bits.
const HIGH: f64 = 1_099_511_627_776.0; // 2^40
/// `log2(HIGH)`.
const HIGH_EXP: i32 = 40;
/// Smallest largest-magnitude the solvers see unscaled: below this every payoff difference
/// would drown in the absolute tolerances.
const LOW: f64 = 1.0 / HIGH;

/// `original = scaled · 2^exp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PayoffScale {
    exp: i32,
}

/// `x · 2^k`, exact whenever the result is a normal number (or `x` is 0). Splits `k` so that
/// the power itself is representable (`2^1074` is not).
fn ldexp(x: f64, k: i32) -> f64 {
    let mut x = x;
    let mut k = k;
    while k > 1000 {
        x *= 2f64.powi(1000);
        k -= 1000;
    }
    while k < -1000 {
        x *= 2f64.powi(-1000);
        k += 1000;
    }
    x * 2f64.powi(k)
}

/// The binary exponent `e` with `2^e <= x < 2^(e+1)`, for finite `x > 0` (subnormals too).
fn exponent(x: f64) -> i32 {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Subnormal: value = mantissa · 2^-1074.
        let mantissa = bits & ((1u64 << 52) - 1);
        63 - mantissa.leading_zeros() as i32 - 1074
    } else {
        biased - 1023
    }
}

impl PayoffScale {
    /// The rescaling the payoffs `values` (all finite) need, or `None` when their largest
    /// magnitude is already within `[2^-40, 2^40]` (or all are 0). The rescaled largest
    /// magnitude is in `[1, 2)` when the smallest non-zero one allows it, else below `2^41`.
    ///
    /// # Errors
    /// [`Error::InvalidGame`] when the rescaled game would not hold every payoff exactly: the
    /// largest and smallest non-zero magnitudes are too far apart for binary64.
    pub(crate) fn needed(values: impl Iterator<Item = f64> + Clone) -> Result<Option<Self>> {
        let max = values.clone().fold(0.0f64, |m, v| m.max(v.abs()));
        if max == 0.0 || (LOW..=HIGH).contains(&max) {
            return Ok(None);
        }
        let min = values
            .clone()
            .filter(|v| *v != 0.0)
            .fold(f64::INFINITY, |m, v| m.min(v.abs()));
        let e_max = exponent(max);
        // Scaling up (tiny payoffs) is always exact: bring the largest to [1, 2). Scaling down,
        // bring the largest to [1, 2) if the smallest stays a normal number, else shift only as
        // far as the smallest allows, as long as the largest ends below 2^41.
        let exp = if max < LOW {
            e_max
        } else {
            e_max.min(exponent(min) + 1022)
        };
        let s = PayoffScale { exp };
        let exact = || values.clone().all(|v| s.unscale(s.scale(v)) == v);
        if exp < e_max - HIGH_EXP || !exact() {
            return Err(Error::invalid_game(format!(
                "payoff magnitudes range from {min:e} to {max:e}, more than binary64 can hold \
                 once rescaled so that the largest is at most 2^{HIGH_EXP} (which keeps the \
                 solvers' arithmetic from overflowing); rescale or round the game so that its \
                 payoffs span at most about 2^1060"
            )));
        }
        Ok(Some(s))
    }

    /// A payoff of the original game in the rescaled one.
    pub(crate) fn scale(self, x: f64) -> f64 {
        ldexp(x, -self.exp)
    }

    /// A payoff-valued quantity (payoff, value, regret, margin) of the rescaled game in the
    /// original scale. A convex combination of payoffs stays within `±f64::MAX` even when
    /// rounding in the rescaled game pushed it a hair past the largest payoff.
    pub(crate) fn unscale(self, x: f64) -> f64 {
        let y = ldexp(x, self.exp);
        if y.is_infinite() && x.is_finite() {
            f64::MAX.copysign(y)
        } else {
            y
        }
    }
}

impl PayoffScale {
    /// `g` rescaled, with the scale, when it needs it (see [`PayoffScale::needed`]).
    pub(crate) fn bimatrix(g: &Bimatrix) -> Result<Option<(Bimatrix, Self)>> {
        let Some(s) = Self::needed(g.a().iter().chain(g.b().iter()).copied())? else {
            return Ok(None);
        };
        let scaled = Bimatrix::new(g.a().map(|x| s.scale(x)), g.b().map(|x| s.scale(x)))?;
        Ok(Some((scaled, s)))
    }

    /// `g` rescaled, with the scale, when it needs it (see [`PayoffScale::needed`]).
    pub(crate) fn normal_form(g: &NormalForm) -> Result<Option<(NormalForm, Self)>> {
        let values = g.payoff_tensors().iter().flat_map(|t| t.iter().copied());
        let Some(s) = Self::needed(values)? else {
            return Ok(None);
        };
        Ok(Some((s.apply(g, |x| s.scale(x))?, s)))
    }

    /// `g` (a game rescaled by `self`) back in the original scale.
    pub(crate) fn restore(self, g: &NormalForm) -> Result<NormalForm> {
        self.apply(g, |x| self.unscale(x))
    }

    fn apply(self, g: &NormalForm, f: impl Fn(f64) -> f64) -> Result<NormalForm> {
        let tensors = g.payoff_tensors().iter().map(|t| t.mapv(&f)).collect();
        Ok(
            NormalForm::with_names(g.players().to_vec(), g.strategies().to_vec(), tensors)?
                .with_title(g.title()),
        )
    }

    /// An equilibrium of the rescaled game, with payoffs and regret in the original scale.
    pub(crate) fn equilibrium(self, mut e: Equilibrium) -> Equilibrium {
        e.payoffs.iter_mut().for_each(|x| *x = self.unscale(*x));
        e.regret = self.unscale(e.regret);
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_of_normals_and_subnormals() {
        assert_eq!(exponent(1.0), 0);
        assert_eq!(exponent(1.5), 0);
        assert_eq!(exponent(2.0), 1);
        assert_eq!(exponent(0.75), -1);
        assert_eq!(exponent(f64::MAX), 1023);
        assert_eq!(exponent(f64::MIN_POSITIVE), -1022);
        assert_eq!(exponent(5e-324), -1074);
    }

    #[test]
    fn moderate_payoffs_are_left_alone() {
        let v = [0.0, -3.0, 100.0, 1e12];
        assert_eq!(PayoffScale::needed(v.iter().copied()).unwrap(), None);
        assert_eq!(PayoffScale::needed([0.0, 0.0].into_iter()).unwrap(), None);
    }

    #[test]
    fn huge_and_tiny_payoffs_round_trip_exactly() {
        for v in [
            vec![f64::MAX, -f64::MAX, 1.0, 0.0],
            vec![5e-324, -1e-310, 0.0],
            vec![1e300, 3e-7],
            vec![1e308, 0.1, -2.0],
            vec![1e15, 1e-300],
        ] {
            let s = PayoffScale::needed(v.iter().copied()).unwrap().unwrap();
            for &x in &v {
                let y = s.scale(x);
                assert!(y.abs() < 2f64.powi(41), "{x:e} -> {y:e}");
                assert_eq!(s.unscale(y), x);
            }
        }
    }

    #[test]
    fn a_range_wider_than_binary64_is_refused() {
        let e = PayoffScale::needed([1e308, 5e-324].into_iter()).unwrap_err();
        assert!(e.to_string().contains("range from 5e-324 to 1e308"), "{e}");
    }

    #[test]
    fn unscaled_convex_combinations_saturate_at_the_largest_float() {
        let s = PayoffScale::needed([f64::MAX].into_iter())
            .unwrap()
            .unwrap();
        assert_eq!(
            s.unscale(s.scale(f64::MAX) * (1.0 + f64::EPSILON)),
            f64::MAX
        );
        assert_eq!(s.unscale(f64::INFINITY), f64::INFINITY);
    }
}
