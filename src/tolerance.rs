//! Floating-point tolerances, in one place.
//!
//! Every comparison of computed floats in covenant goes through a [`Tolerance`], so that the
//! thresholds are named, documented and adjustable rather than scattered literals.

/// Absolute and relative tolerances for comparing computed quantities.
///
/// Two values `a`, `b` are considered equal when `|a - b| <= abs + rel * max(|a|, |b|)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Absolute part.
    pub abs: f64,
    /// Relative part (scaled by the larger magnitude).
    pub rel: f64,
}

impl Tolerance {
    /// The default used by solvers for feasibility and optimality decisions.
    pub const DEFAULT: Tolerance = Tolerance {
        abs: 1e-9,
        rel: 1e-9,
    };
    /// Looser tolerance for certificates checked after an LP solve (LP backends work to ~1e-7).
    pub const LP: Tolerance = Tolerance {
        abs: 1e-6,
        rel: 1e-7,
    };
    /// Tolerance used when comparing equilibria with reference values in tests and reports.
    pub const REPORT: Tolerance = Tolerance {
        abs: 1e-6,
        rel: 1e-6,
    };

    /// A tolerance with the given absolute and relative parts.
    pub const fn new(abs: f64, rel: f64) -> Self {
        Tolerance { abs, rel }
    }

    /// The threshold for comparing quantities of magnitude `scale`.
    #[inline]
    pub fn threshold(&self, scale: f64) -> f64 {
        self.abs + self.rel * scale.abs()
    }

    /// `a == b` up to tolerance.
    #[inline]
    pub fn eq(&self, a: f64, b: f64) -> bool {
        (a - b).abs() <= self.threshold(a.abs().max(b.abs()))
    }

    /// `a <= b` up to tolerance.
    #[inline]
    pub fn le(&self, a: f64, b: f64) -> bool {
        a <= b + self.threshold(a.abs().max(b.abs()))
    }

    /// `a < b` by more than the tolerance.
    #[inline]
    pub fn lt(&self, a: f64, b: f64) -> bool {
        !self.le(b, a)
    }

    /// `x` is zero up to the absolute tolerance.
    #[inline]
    pub fn is_zero(&self, x: f64) -> bool {
        x.abs() <= self.abs
    }
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_respect_absolute_and_relative_parts() {
        let t = Tolerance::new(1e-6, 1e-3);
        assert!(t.eq(1000.0, 1000.5));
        assert!(!t.eq(1000.0, 1002.0));
        assert!(t.le(1.0, 1.0 - 1e-7));
        assert!(t.lt(1.0, 2.0));
        assert!(!t.lt(1.0, 1.0 + 1e-7));
        assert!(t.is_zero(5e-7));
        assert!(!t.is_zero(2e-6));
    }
}
