//! Payoff numbers as game files write them: integers, decimals with an optional exponent, and
//! rationals `p/q`.
//!
//! Every number is read twice over in one pass: its binary64 value, correctly rounded (the
//! nearest `f64`, ties to even), and whether that value *is* the number as written. `0.3` and
//! `1/3` are not binary64 numbers; `0.5`, `3/4` and `2^53` are; `2^53 + 1` is an integer that
//! binary64 cannot hold. [`exact_value`] gives the written number as a rational when the caller
//! wants it.
//!
//! Common numbers (at most 19 significant digits, a decimal exponent within ±22, integers
//! and fractions within 2^53) take a fast path of one correctly rounded floating-point
//! operation (Clinger 1990, "How to read floating point numbers accurately", PLDI); the rest
//! go through the standard library's parser and an exact rational comparison.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

/// The longest number token read, in bytes. Longer tokens are refused: no payoff needs
/// ten thousand digits, and the exact arithmetic on such a token would be slow.
pub const MAX_NUMBER_LEN: usize = 10_000;

/// A number read from a file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num {
    /// The nearest binary64 number (ties to even).
    pub value: f64,
    /// Whether `value` equals the number as written.
    pub exact: bool,
}

/// Why a token is not a payoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumError {
    /// Not an integer, decimal or rational.
    Syntax,
    /// `nan`, `inf`, `infinity` in any case and sign.
    NonFinite,
    /// `p/0`.
    DivideByZero,
    /// Finite as written but beyond binary64: above `f64::MAX` in magnitude.
    TooLarge,
    /// Non-zero as written but below the smallest positive binary64 number.
    TooSmall,
    /// More than [`MAX_NUMBER_LEN`] bytes.
    TooLong,
}

impl NumError {
    /// The message for token `w`.
    pub(crate) fn message(self, w: &str) -> String {
        let shown = shorten(w);
        match self {
            NumError::Syntax => {
                format!("`{shown}` is not a number (expected an integer, decimal or rational p/q)")
            }
            NumError::NonFinite => {
                format!("`{shown}` is not a finite number (NaN and infinities are not payoffs)")
            }
            NumError::DivideByZero => format!("`{shown}` divides by zero"),
            NumError::TooLarge => format!(
                "`{shown}` is out of range: its magnitude is above the largest 64-bit float \
                 (about 1.8e308)"
            ),
            NumError::TooSmall => format!(
                "`{shown}` is out of range: it is not zero but below the smallest positive \
                 64-bit float (about 4.9e-324)"
            ),
            NumError::TooLong => format!(
                "`{shown}` is out of range: a number is at most {MAX_NUMBER_LEN} characters"
            ),
        }
    }
}

/// The first 40 characters of `w`, for messages.
pub(crate) fn shorten(w: &str) -> String {
    match w.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &w[..i]),
        None => w.to_string(),
    }
}

const TWO_53: u64 = 1 << 53;
/// 10^0 ..= 10^22, each exactly representable in binary64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Whether the non-negative integer `x` is a binary64 number (its odd part fits in 53 bits;
/// no `u128` exceeds the exponent range).
fn u128_is_binary64(x: u128) -> bool {
    x == 0 || (x >> x.trailing_zeros()) <= u128::from(TWO_53)
}

/// The syntax of a decimal token: sign, digit spans and exponent.
struct Decimal<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
    /// The written exponent, saturated to ±10^9 (beyond that every non-zero value overflows or
    /// underflows).
    exp: i64,
}

fn split_sign(s: &[u8]) -> (bool, &[u8]) {
    match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

fn digits_end(s: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    i
}

fn decimal(s: &[u8]) -> Option<Decimal<'_>> {
    let (negative, body) = split_sign(s);
    let int_end = digits_end(body, 0);
    let int = &body[..int_end];
    let mut i = int_end;
    let mut frac: &[u8] = &[];
    if body.get(i) == Some(&b'.') {
        let end = digits_end(body, i + 1);
        frac = &body[i + 1..end];
        i = end;
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exp = 0i64;
    if matches!(body.get(i), Some(b'e' | b'E')) {
        let (neg_exp, rest) = split_sign(&body[i + 1..]);
        let end = digits_end(rest, 0);
        if end == 0 || end != rest.len() {
            return None;
        }
        for &d in &rest[..end] {
            exp = (exp * 10 + i64::from(d - b'0')).min(1_000_000_000);
        }
        if neg_exp {
            exp = -exp;
        }
        i = body.len();
    }
    (i == body.len()).then_some(Decimal {
        negative,
        int,
        frac,
        exp,
    })
}

/// The common case, read in one scan: `-?[0-9]+(\.[0-9]+)?` with at most 15 digits in all
/// (so the digits fit in 53 bits) and no leading zero before another digit (JSON forbids it;
/// the general path reports it). Returns the number and the offset after it, or `None` for
/// anything else, which the general path then reads. The caller must check that a delimiter
/// follows: `1e5` and `1/2` match here as `1`.
#[inline]
pub(crate) fn fast_number(b: &[u8], start: usize) -> Option<(Num, usize)> {
    let mut i = start;
    let negative = b.get(i) == Some(&b'-');
    if negative {
        i += 1;
    }
    let first = i;
    let mut mant: u64 = 0;
    while let Some(&c) = b.get(i) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        mant = mant.wrapping_mul(10).wrapping_add(u64::from(d)); // > 15 digits is refused below
        i += 1;
    }
    let int_digits = i - first;
    if int_digits == 0 || int_digits > 15 || (int_digits > 1 && b[first] == b'0') {
        return None;
    }
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while let Some(&c) = b.get(i) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            mant = mant.wrapping_mul(10).wrapping_add(u64::from(d));
            i += 1;
        }
        frac_digits = i - frac_start;
        if frac_digits == 0 || int_digits + frac_digits > 15 {
            return None;
        }
    }
    // An exponent, a slash or a second point after this prefix is no delimiter: the caller
    // rejects the match and the general path reads the whole token.
    // mant < 10^15 < 2^53, so the signed conversion (one instruction) is exact.
    let m = mant as i64 as f64;
    let (magnitude, exact) = if frac_digits == 0 {
        (m, true)
    } else {
        // m and 10^k are exact: one correctly rounded division (Clinger).
        (
            m / POW10[frac_digits],
            mant.is_multiple_of(5u64.pow(frac_digits as u32)),
        )
    };
    Some((
        Num {
            value: if negative { -magnitude } else { magnitude },
            exact,
        },
        i,
    ))
}

/// Parses a payoff token.
///
/// # Errors
/// [`NumError`] saying why the token is not a finite binary64 payoff.
pub(crate) fn parse_number(s: &[u8]) -> Result<Num, NumError> {
    if s.len() > MAX_NUMBER_LEN {
        return Err(NumError::TooLong);
    }
    if let Some(d) = decimal(s) {
        return Ok(decimal_value(&d).unwrap_or_else(|| slow_decimal(s, &d))).and_then(finite(&d));
    }
    if let Some(slash) = s.iter().position(|&b| b == b'/') {
        return rational(&s[..slash], &s[slash + 1..]);
    }
    let lower = String::from_utf8_lossy(s).to_ascii_lowercase();
    let bare = lower.trim_start_matches(['+', '-']);
    if bare == "nan" || bare == "inf" || bare == "infinity" {
        Err(NumError::NonFinite)
    } else {
        Err(NumError::Syntax)
    }
}

/// Rejects overflow and underflow of a decimal.
fn finite<'d>(d: &'d Decimal<'d>) -> impl Fn(Num) -> Result<Num, NumError> + 'd {
    move |n: Num| {
        if n.value.is_infinite() {
            Err(NumError::TooLarge)
        } else if n.value == 0.0 && d.int.iter().chain(d.frac).any(|&b| b != b'0') {
            Err(NumError::TooSmall)
        } else {
            Ok(n)
        }
    }
}

/// The fast path: at most 19 significant digits, value within 2^53 before scaling, and a
/// decimal exponent within ±22, so one IEEE multiplication or division rounds correctly.
fn decimal_value(d: &Decimal) -> Option<Num> {
    if d.int.len() + d.frac.len() > 19 {
        return None;
    }
    let mut mant: u64 = 0;
    for &b in d.int.iter().chain(d.frac) {
        mant = mant * 10 + u64::from(b - b'0');
    }
    if mant > TWO_53 {
        return None;
    }
    let e10 = d.exp - d.frac.len() as i64;
    if !(-22..=22).contains(&e10) {
        return None;
    }
    let m = mant as f64;
    let (magnitude, exact) = if e10 >= 0 {
        let scale = 10u128.pow(e10 as u32);
        (
            m * POW10[e10 as usize],
            u128_is_binary64(u128::from(mant) * scale),
        )
    } else {
        let k = (-e10) as u32;
        // m / 10^k = (m / 5^k) / 2^k is a binary64 number iff 5^k divides m (m ≤ 2^53).
        (m / POW10[k as usize], mant.is_multiple_of(5u64.pow(k)))
    };
    Some(Num {
        value: if d.negative { -magnitude } else { magnitude },
        exact,
    })
}

/// The general path: the standard library's correctly rounded parser, exactness by rational
/// comparison.
fn slow_decimal(s: &[u8], d: &Decimal) -> Num {
    // `decimal` accepted the token, so it is ASCII and in the grammar `f64::from_str` reads.
    let value: f64 = std::str::from_utf8(s)
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(f64::NAN);
    let exact = value.is_finite()
        && value != 0.0
        && BigRational::from_float(value).is_some_and(|v| v == decimal_rational(d));
    let zero = d.int.iter().chain(d.frac).all(|&b| b == b'0');
    Num {
        value,
        exact: exact || (zero && value == 0.0),
    }
}

fn big_digits(digits: &[u8]) -> BigInt {
    if digits.is_empty() {
        return BigInt::zero();
    }
    BigInt::parse_bytes(digits, 10).unwrap_or_default()
}

/// The rational a decimal token denotes. Only called for tokens whose value is finite and
/// non-zero, so the exponent is within a few hundred of the digit count.
fn decimal_rational(d: &Decimal) -> BigRational {
    let mut digits = Vec::with_capacity(d.int.len() + d.frac.len());
    digits.extend_from_slice(d.int);
    digits.extend_from_slice(d.frac);
    let mant = big_digits(&digits);
    let e10 = d.exp - d.frac.len() as i64;
    let pow = num_traits::pow(BigInt::from(10), e10.unsigned_abs() as usize);
    let r = if e10 >= 0 {
        BigRational::from_integer(mant * pow)
    } else {
        BigRational::new(mant, pow)
    };
    if d.negative {
        -r
    } else {
        r
    }
}

fn is_digits(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

/// `p/q` with a signed integer `p` and an unsigned integer `q`.
fn rational(p: &[u8], q: &[u8]) -> Result<Num, NumError> {
    let (negative, p_digits) = split_sign(p);
    if !is_digits(p_digits) || !is_digits(q) {
        return Err(NumError::Syntax);
    }
    if q.iter().all(|&b| b == b'0') {
        return Err(NumError::DivideByZero);
    }
    if p_digits.len() <= 19 && q.len() <= 19 {
        let parse = |s: &[u8]| s.iter().fold(0u64, |a, &b| a * 10 + u64::from(b - b'0'));
        let (pn, qn) = (parse(p_digits), parse(q));
        if pn <= TWO_53 && qn <= TWO_53 {
            let g = pn.gcd(&qn);
            let (pr, qr) = (pn / g, qn / g);
            let magnitude = pn as f64 / qn as f64;
            return Ok(Num {
                value: if negative { -magnitude } else { magnitude },
                exact: qr.is_power_of_two() && pr <= TWO_53,
            });
        }
    }
    let mut r = BigRational::new(big_digits(p_digits), big_digits(q));
    if negative {
        r = -r;
    }
    let value = r.to_f64().unwrap_or(f64::NAN);
    if value.is_infinite() || value.is_nan() {
        return Err(NumError::TooLarge);
    }
    if value == 0.0 && !r.is_zero() {
        return Err(NumError::TooSmall);
    }
    let exact = BigRational::from_float(value).is_some_and(|v| v == r);
    Ok(Num { value, exact })
}

/// The number a payoff token denotes, exactly, or `None` when the token is not a finite
/// payoff (see [`parse_number`]).
pub(crate) fn exact_value(s: &[u8]) -> Option<BigRational> {
    parse_number(s).ok()?;
    if let Some(d) = decimal(s) {
        if d.int.iter().chain(d.frac).all(|&b| b == b'0') {
            return Some(BigRational::zero());
        }
        return Some(decimal_rational(&d));
    }
    let slash = s.iter().position(|&b| b == b'/')?;
    let (negative, p) = split_sign(&s[..slash]);
    let r = BigRational::new(big_digits(p), big_digits(&s[slash + 1..]));
    Some(if negative { -r } else { r })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> Option<f64> {
        parse_number(s.as_bytes()).ok().map(|n| n.value)
    }

    fn exact(s: &str) -> bool {
        parse_number(s.as_bytes()).unwrap().exact
    }

    #[test]
    fn values_are_correctly_rounded() {
        assert_eq!(value("3"), Some(3.0));
        assert_eq!(value("-3/4"), Some(-0.75));
        assert_eq!(value("1.5e2"), Some(150.0));
        assert_eq!(value(".5"), Some(0.5));
        assert_eq!(value("5."), Some(5.0));
        assert_eq!(value("+2E-1"), Some(0.2));
        assert_eq!(value("-0"), Some(-0.0));
        assert_eq!(value("0.1"), Some(0.1));
        assert_eq!(value("1/3"), Some(1.0 / 3.0));
        // Slow paths agree with the standard library.
        for s in [
            "123456789012345678901234567890",
            "0.30000000000000000000000001",
            "1e300",
            "2.2250738585072014e-308",
            "4.9e-324",
            "1.7976931348623157e308",
            "9007199254740993",
        ] {
            assert_eq!(value(s), s.parse::<f64>().ok(), "{s}");
        }
        // 2^53 + 1 over 1: the BigRational path rounds to even.
        assert_eq!(value("9007199254740993/1"), Some(9007199254740992.0));
        assert_eq!(
            value("1/30000000000000000000000"),
            Some(1.0 / 3e22),
            "p/q with a large q"
        );
    }

    #[test]
    fn fast_path_agrees_with_the_general_path() {
        for s in [
            "0",
            "-0",
            "7",
            "-42",
            "0.5",
            "0.3",
            "-12.125",
            "123456789012345",
            "1.00000000000001",
            "99999.9999999999",
        ] {
            let (fast, end) = fast_number(s.as_bytes(), 0).expect(s);
            assert_eq!(end, s.len(), "{s}");
            let slow = parse_number(s.as_bytes()).unwrap();
            assert_eq!(fast.value.to_bits(), slow.value.to_bits(), "{s}");
            assert_eq!(fast.exact, slow.exact, "{s}");
            assert_eq!(fast.value, s.parse::<f64>().unwrap(), "{s}");
        }
        for s in ["1234567890123456", "01", "1.", ".5", "+1", "-", "x", "1.e5"] {
            assert!(fast_number(s.as_bytes(), 0).is_none(), "{s}");
        }
        // Stops where the plain prefix ends, for the caller to check the delimiter.
        assert_eq!(fast_number(b"12, 3", 0).map(|(_, e)| e), Some(2));
        for s in ["1e5", "1/2", "1.5.3", "2E3"] {
            let end = fast_number(s.as_bytes(), 0).map(|(_, e)| e);
            assert!(end.is_some_and(|e| e < s.len()), "{s}");
        }
    }

    #[test]
    fn bad_tokens_say_why() {
        for (bad, why) in [
            ("nan", NumError::NonFinite),
            ("NaN", NumError::NonFinite),
            ("inf", NumError::NonFinite),
            ("-inf", NumError::NonFinite),
            ("infinity", NumError::NonFinite),
            ("1/0", NumError::DivideByZero),
            ("1e400", NumError::TooLarge),
            ("-1e400", NumError::TooLarge),
            ("1e-400", NumError::TooSmall),
            ("1e999999999999999999", NumError::TooLarge),
            ("x", NumError::Syntax),
            ("", NumError::Syntax),
            (".", NumError::Syntax),
            ("1/-2", NumError::Syntax),
            ("e5", NumError::Syntax),
            ("1e", NumError::Syntax),
            ("1.2.3", NumError::Syntax),
            ("1/2/3", NumError::Syntax),
        ] {
            assert_eq!(parse_number(bad.as_bytes()), Err(why), "{bad}");
        }
        let long = "1".repeat(MAX_NUMBER_LEN + 1);
        assert_eq!(parse_number(long.as_bytes()), Err(NumError::TooLong));
        assert_eq!(value("0e999999999"), Some(0.0));
    }

    #[test]
    fn exactness_is_exactness_of_binary64() {
        for yes in [
            "0",
            "-0",
            "0.5",
            "3/4",
            "0.25e1",
            "9007199254740992",
            "9007199254740994",
            "1e22",
            "18014398509481984",
            "6/8",
            "1.5",
            "0.000000000000000000000000000000000000001e39",
        ] {
            assert!(exact(yes), "{yes}");
        }
        for no in [
            "0.3",
            "1/3",
            "0.1",
            "9007199254740993",
            "9007199254740993/1",
            "1e-5",
            "1e23",
            "3.0000000000000000000001",
        ] {
            assert!(!exact(no), "{no}");
        }
    }

    #[test]
    fn exact_values_are_what_was_written() {
        let r = |s: &str| exact_value(s.as_bytes()).unwrap();
        assert_eq!(r("0.3"), BigRational::new(3.into(), 10.into()));
        assert_eq!(r("-1/3"), BigRational::new((-1).into(), 3.into()));
        assert_eq!(
            r("9007199254740993"),
            BigRational::from_integer(BigInt::from(9007199254740993u64))
        );
        assert_eq!(r("2.5e-1"), BigRational::new(1.into(), 4.into()));
        assert_eq!(exact_value(b"nan"), None);
    }
}
