//! Gambit strategic-form files (`.nfg`), both dialects.
//!
//! ```text
//! NFG 1 R "title" { "Player 1" "Player 2" }
//! { 3 2 }                          or   { { "T" "M" "B" } { "l" "r" } }
//! "optional comment"
//! body
//! ```
//!
//! The *payoff* dialect's body lists one number per player for every contingency; the
//! *outcome* dialect's body is a list of outcomes `{ "name" u_1, u_2 ... }` followed by one
//! 1-based outcome index per contingency (`0` is the null outcome, every payoff 0).
//! Contingencies run in odometer order with **player 1's strategy varying fastest**, whereas a
//! [`NormalForm`] tensor is row-major over `[a_0, ..., a_{n-1}]` (the last player fastest);
//! this module converts between the two.
//!
//! Numbers are integers, decimals with an optional exponent, or rationals `p/q`; `nan` and
//! `inf` are rejected. Strings are double-quoted, with `\"` and `\\` escapes.

use super::{parse_error, Pos};
use crate::error::{Error, Result};
use crate::game::NormalForm;
use ndarray::{ArrayD, IxDyn};
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Open,
    Close,
    Comma,
    Str(String),
    Word(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) pos: Pos,
}

impl Tok {
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Open => "`{`".into(),
            Tok::Close => "`}`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Str(s) => format!("string \"{s}\""),
            Tok::Word(w) => format!("`{w}`"),
        }
    }
}

/// Splits the text into tokens, tracking 1-based line and column (in characters).
pub(crate) fn lex(text: &str, file: &Path) -> Result<(Vec<Token>, Pos)> {
    let mut toks = Vec::new();
    let mut chars = text.chars().peekable();
    let mut pos = Pos { line: 1, column: 1 };
    let advance = |c: char, pos: &mut Pos| {
        if c == '\n' {
            pos.line += 1;
            pos.column = 1;
        } else {
            pos.column += 1;
        }
    };
    while let Some(&c) = chars.peek() {
        let start = pos;
        match c {
            c if c.is_whitespace() => {
                chars.next();
                advance(c, &mut pos);
            }
            '{' | '}' | ',' => {
                chars.next();
                advance(c, &mut pos);
                let tok = match c {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    _ => Tok::Comma,
                };
                toks.push(Token { tok, pos: start });
            }
            '"' => {
                chars.next();
                advance(c, &mut pos);
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => {
                            return Err(parse_error(
                                file,
                                start,
                                "unterminated string (missing closing `\"`)",
                            ))
                        }
                        Some('"') => {
                            advance('"', &mut pos);
                            break;
                        }
                        Some('\\') => {
                            advance('\\', &mut pos);
                            match chars.next() {
                                None => {
                                    return Err(parse_error(
                                        file,
                                        start,
                                        "unterminated string (ends after `\\`)",
                                    ))
                                }
                                Some(e) => {
                                    advance(e, &mut pos);
                                    s.push(e);
                                }
                            }
                        }
                        Some(ch) => {
                            advance(ch, &mut pos);
                            s.push(ch);
                        }
                    }
                }
                toks.push(Token {
                    tok: Tok::Str(s),
                    pos: start,
                });
            }
            _ => {
                let mut w = String::new();
                while let Some(&ch) = chars.peek() {
                    if ch.is_whitespace() || matches!(ch, '{' | '}' | ',' | '"') {
                        break;
                    }
                    w.push(ch);
                    chars.next();
                    advance(ch, &mut pos);
                }
                toks.push(Token {
                    tok: Tok::Word(w),
                    pos: start,
                });
            }
        }
    }
    Ok((toks, pos))
}

/// Parses a Gambit number: integer, decimal with optional exponent, or rational `p/q`.
/// Returns `None` for anything else, including `nan` and `inf`, and for values outside the
/// range of `f64`.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    fn is_int(s: &str, signed: bool) -> bool {
        let d = if signed {
            s.strip_prefix(['+', '-']).unwrap_or(s)
        } else {
            s
        };
        !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
    }
    fn is_decimal(s: &str) -> bool {
        let s = s.strip_prefix(['+', '-']).unwrap_or(s);
        let (mantissa, exp) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let (int, frac) = match mantissa.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (mantissa, None),
        };
        let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        let mantissa_ok = digits(int)
            && frac.map_or(true, digits)
            && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()));
        mantissa_ok && exp.map_or(true, |e| is_int(e, true))
    }
    let value = if let Some((p, q)) = s.split_once('/') {
        if !is_int(p, true) || !is_int(q, false) {
            return None;
        }
        let (p, q): (f64, f64) = (p.parse().ok()?, q.parse().ok()?);
        if q == 0.0 {
            return None;
        }
        p / q
    } else {
        if !is_decimal(s) {
            return None;
        }
        s.parse().ok()?
    };
    value.is_finite().then_some(value)
}

/// Why a word is not a number, for error messages.
fn number_problem(w: &str) -> String {
    let lower = w.to_ascii_lowercase();
    let bare = lower.trim_start_matches(['+', '-']);
    if bare.starts_with("nan") || bare.starts_with("inf") {
        format!("`{w}` is not a finite number (NaN and infinities are not payoffs)")
    } else if let Some((_, q)) = w.split_once('/') {
        if q.bytes().all(|b| b == b'0') && !q.is_empty() {
            format!("`{w}` divides by zero")
        } else {
            format!("`{w}` is not a number (expected an integer, decimal or rational p/q)")
        }
    } else if parse_number_unbounded(w) {
        format!("`{w}` is out of the range of a 64-bit float")
    } else {
        format!("`{w}` is not a number (expected an integer, decimal or rational p/q)")
    }
}

/// Whether `w` is syntactically a decimal or rational (ignoring its magnitude).
fn parse_number_unbounded(w: &str) -> bool {
    w.parse::<f64>().is_ok_and(f64::is_infinite)
        && !w.to_ascii_lowercase().contains("inf")
        && !w.to_ascii_lowercase().contains("nan")
}

struct Parser<'a> {
    toks: Vec<Token>,
    i: usize,
    eof: Pos,
    file: &'a Path,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.i)
    }

    fn err(&self, pos: Pos, msg: impl Into<String>) -> Error {
        parse_error(self.file, pos, msg)
    }

    /// The next token, or an "unexpected end of file" error saying what was expected.
    fn next(&mut self, expected: &str) -> Result<Token> {
        match self.toks.get(self.i) {
            Some(t) => {
                self.i += 1;
                Ok(t.clone())
            }
            None => Err(self.err(
                self.eof,
                format!("unexpected end of file: expected {expected}"),
            )),
        }
    }

    fn expect(&mut self, want: &Tok, expected: &str) -> Result<Pos> {
        let t = self.next(expected)?;
        if &t.tok == want {
            Ok(t.pos)
        } else {
            Err(self.err(
                t.pos,
                format!("expected {expected}, found {}", t.tok.describe()),
            ))
        }
    }

    fn string(&mut self, expected: &str) -> Result<String> {
        let t = self.next(expected)?;
        match t.tok {
            Tok::Str(s) => Ok(s),
            other => Err(self.err(
                t.pos,
                format!("expected {expected}, found {}", other.describe()),
            )),
        }
    }

    fn number(&mut self, expected: &str) -> Result<(f64, Pos)> {
        let t = self.next(expected)?;
        match &t.tok {
            Tok::Word(w) => match parse_number(w) {
                Some(x) => Ok((x, t.pos)),
                None => Err(self.err(t.pos, number_problem(w))),
            },
            other => Err(self.err(
                t.pos,
                format!("expected {expected}, found {}", other.describe()),
            )),
        }
    }

    /// A non-negative integer that fits in `usize`.
    fn count(&mut self, expected: &str) -> Result<(usize, Pos)> {
        let t = self.next(expected)?;
        match &t.tok {
            Tok::Word(w) if w.bytes().all(|b| b.is_ascii_digit()) => match w.parse::<usize>() {
                Ok(k) => Ok((k, t.pos)),
                Err(_) => Err(self.err(t.pos, format!("`{w}` is too large"))),
            },
            other => Err(self.err(
                t.pos,
                format!("expected {expected}, found {}", other.describe()),
            )),
        }
    }

    fn skip_comma(&mut self) {
        if matches!(
            self.peek(),
            Some(Token {
                tok: Tok::Comma,
                ..
            })
        ) {
            self.i += 1;
        }
    }
}

/// Parses a Gambit `.nfg` file of either dialect.
///
/// # Arguments
/// * `text` — the file's contents.
/// * `file` — the name reported in errors (use `Path::new("<input>")` for in-memory text).
///
/// # Returns
/// The game with its title, player and strategy names (strategies given by count are named
/// `"1"`, `"2"`, …).
///
/// # Errors
/// [`Error::Parse`] with the 1-based line and column of the offending token: a malformed
/// header, a missing brace, a truncated file, a non-number or non-finite number, a player with
/// no strategies, zero players, the wrong number of payoffs or outcome indices (the message
/// says how many were expected), an outcome index out of range, or text after the body.
///
/// # Complexity
/// Linear in the length of the text.
///
/// # Example
/// ```
/// use covenant::io::nfg::parse_nfg;
/// use std::path::Path;
/// let g = parse_nfg(
///     r#"NFG 1 R "PD" { "Row" "Col" } { 2 2 } 3 3 5 0 0 5 1 1"#,
///     Path::new("<input>"),
/// )
/// .unwrap();
/// // Player 1 varies fastest: the second contingency is (Defect, Cooperate).
/// assert_eq!(g.payoff(0, &[1, 0]), 5.0);
/// assert_eq!(g.payoff(1, &[0, 1]), 5.0);
/// ```
pub fn parse_nfg(text: &str, file: &Path) -> Result<NormalForm> {
    let (toks, eof) = lex(text, file)?;
    let mut p = Parser {
        toks,
        i: 0,
        eof,
        file,
    };

    // Header: NFG 1 R "title" { "P1" ... }
    let t = p.next("`NFG`")?;
    if t.tok != Tok::Word("NFG".into()) {
        return Err(p.err(
            t.pos,
            format!(
                "expected `NFG` (a Gambit strategic-form file), found {}",
                t.tok.describe()
            ),
        ));
    }
    let t = p.next("version `1`")?;
    if t.tok != Tok::Word("1".into()) {
        return Err(p.err(
            t.pos,
            format!(
                "unsupported version {}: only `NFG 1` is read",
                t.tok.describe()
            ),
        ));
    }
    let t = p.next("`R` or `D`")?;
    if !matches!(&t.tok, Tok::Word(w) if w == "R" || w == "D") {
        return Err(p.err(
            t.pos,
            format!("expected `R` or `D`, found {}", t.tok.describe()),
        ));
    }
    let title = p.string("the title string")?;
    p.expect(&Tok::Open, "`{` opening the player list")?;
    let mut players = Vec::new();
    loop {
        let t = p.next("a player name or `}`")?;
        match t.tok {
            Tok::Str(s) => players.push(s),
            Tok::Close if players.is_empty() => {
                return Err(p.err(
                    t.pos,
                    "the player list is empty: a game needs at least one player",
                ))
            }
            Tok::Close => break,
            other => {
                return Err(p.err(
                    t.pos,
                    format!("expected a player name or `}}`, found {}", other.describe()),
                ))
            }
        }
    }
    let n = players.len();

    // Strategies: counts or label lists (one entry per player).
    p.expect(&Tok::Open, "`{` opening the strategy counts or labels")?;
    let mut strategies: Vec<Vec<String>> = Vec::with_capacity(n);
    for (pl, player) in players.iter().enumerate() {
        let what = format!("the strategies of player {} ({player})", pl + 1);
        let is_list = matches!(p.peek(), Some(Token { tok: Tok::Open, .. }));
        if is_list {
            let open = p.expect(&Tok::Open, &what)?;
            let mut names = Vec::new();
            loop {
                let t = p.next("a strategy label or `}`")?;
                match t.tok {
                    Tok::Str(s) => names.push(s),
                    Tok::Close => break,
                    other => {
                        return Err(p.err(
                            t.pos,
                            format!(
                                "expected a strategy label or `}}`, found {}",
                                other.describe()
                            ),
                        ))
                    }
                }
            }
            if names.is_empty() {
                return Err(p.err(
                    open,
                    format!("player {} ({player}) has no strategies", pl + 1),
                ));
            }
            strategies.push(names);
        } else {
            let (k, pos) = p.count(&what)?;
            if k == 0 {
                return Err(p.err(
                    pos,
                    format!("player {} ({player}) has no strategies", pl + 1),
                ));
            }
            strategies.push((1..=k).map(|i| i.to_string()).collect());
        }
    }
    let t = p.next("`}` closing the strategy list")?;
    if t.tok != Tok::Close {
        return Err(p.err(
            t.pos,
            format!(
                "expected `}}` after the strategies of {n} players, found {}",
                t.tok.describe()
            ),
        ));
    }
    let shape: Vec<usize> = strategies.iter().map(Vec::len).collect();
    let total = shape
        .iter()
        .try_fold(1usize, |acc, &k| acc.checked_mul(k))
        .filter(|t| t.checked_mul(n).is_some())
        .ok_or_else(|| p.err(t.pos, format!("too many contingencies: {shape:?}")))?;

    // Optional comment.
    if matches!(
        p.peek(),
        Some(Token {
            tok: Tok::Str(_),
            ..
        })
    ) {
        p.i += 1;
    }

    // Body.
    let body_pos = p.peek().map_or(p.eof, |t| t.pos);
    let mut tensors: Vec<Vec<f64>> = vec![Vec::new(); n];
    let flat_profile = |k: usize| -> usize {
        // Gambit contingency k (player 1 fastest) -> row-major index (last player fastest).
        let mut rest = k;
        let mut idx = 0;
        let mut digits = vec![0; n];
        for (d, &s) in shape.iter().enumerate() {
            digits[d] = rest % s;
            rest /= s;
        }
        for (d, &s) in shape.iter().enumerate() {
            idx = idx * s + digits[d];
        }
        idx
    };
    let mut cells: Vec<Vec<f64>> = Vec::new();
    if matches!(p.peek(), Some(Token { tok: Tok::Open, .. })) {
        // Outcome dialect.
        p.i += 1;
        let mut outcomes: Vec<Vec<f64>> = Vec::new();
        loop {
            let t = p.next("an outcome `{ \"name\" payoffs }` or `}`")?;
            match t.tok {
                Tok::Close => break,
                Tok::Open => {}
                other => {
                    return Err(p.err(
                        t.pos,
                        format!(
                            "expected an outcome `{{ \"name\" payoffs }}` or `}}`, found {}",
                            other.describe()
                        ),
                    ))
                }
            }
            let k = outcomes.len() + 1;
            // Gambit writes a name; accept an outcome without one too.
            if matches!(
                p.peek(),
                Some(Token {
                    tok: Tok::Str(_),
                    ..
                })
            ) {
                p.i += 1;
            }
            let mut u = Vec::with_capacity(n);
            loop {
                p.skip_comma();
                match p.peek() {
                    Some(Token {
                        tok: Tok::Close,
                        pos,
                    }) => {
                        if u.len() != n {
                            return Err(p.err(
                                *pos,
                                format!(
                                    "outcome {k} has {} payoffs, expected {n} (one per player)",
                                    u.len()
                                ),
                            ));
                        }
                        p.i += 1;
                        break;
                    }
                    _ => {
                        let pos = p.peek().map_or(p.eof, |t| t.pos);
                        let (x, _) = p.number(&format!("a payoff of outcome {k} or `}}`"))?;
                        if u.len() == n {
                            return Err(p.err(
                                pos,
                                format!("outcome {k} has more than {n} payoffs (one per player)"),
                            ));
                        }
                        u.push(x);
                    }
                }
            }
            outcomes.push(u);
        }
        for k in 0..total {
            let (idx, pos) = p
                .count(&format!(
                    "{total} outcome indices (one per contingency), found {k}"
                ))
                .map_err(|e| match e {
                    Error::Parse {
                        file,
                        line,
                        column,
                        message,
                    } if !message.contains("unexpected end") => Error::Parse {
                        file,
                        line,
                        column,
                        message: format!(
                            "{message} (outcome index {} of {total}; indices are integers 0..={})",
                            k + 1,
                            outcomes.len()
                        ),
                    },
                    other => other,
                })?;
            if idx > outcomes.len() {
                return Err(p.err(
                    pos,
                    format!(
                        "outcome index {idx} out of range: there are {} outcomes (0 = null outcome)",
                        outcomes.len()
                    ),
                ));
            }
            cells.push(if idx == 0 {
                vec![0.0; n]
            } else {
                outcomes[idx - 1].clone()
            });
        }
        if let Some(t) = p.peek() {
            return Err(p.err(
                t.pos,
                format!(
                    "expected {total} outcome indices (one per contingency of {shape:?}), found more: {}",
                    t.tok.describe()
                ),
            ));
        }
    } else {
        // Payoff dialect.
        let expected = total * n;
        for k in 0..total {
            let mut u = Vec::with_capacity(n);
            for pl in 0..n {
                p.skip_comma();
                let got = k * n + pl;
                let (x, _) = p.number(&format!(
                    "{expected} payoffs ({n} players x {total} contingencies of {shape:?}), found {got}"
                ))?;
                u.push(x);
            }
            cells.push(u);
        }
        p.skip_comma();
        if let Some(t) = p.peek() {
            return Err(p.err(
                t.pos,
                format!(
                    "expected {expected} payoffs ({n} players x {total} contingencies of {shape:?}), found more: {}",
                    t.tok.describe()
                ),
            ));
        }
    }
    for t in tensors.iter_mut() {
        t.resize(total, 0.0);
    }
    for (k, u) in cells.into_iter().enumerate() {
        let idx = flat_profile(k);
        for (pl, x) in u.into_iter().enumerate() {
            tensors[pl][idx] = x;
        }
    }
    let payoffs = tensors
        .into_iter()
        .map(|v| ArrayD::from_shape_vec(IxDyn(&shape), v))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| parse_error(file, body_pos, format!("payoff tensor: {e}")))?;
    NormalForm::with_names(players, strategies, payoffs)
        .map(|g| g.with_title(title))
        .map_err(|e| parse_error(file, body_pos, e.to_string()))
}

/// Reads and parses a `.nfg` file.
///
/// # Errors
/// [`Error::Io`] naming the path when it cannot be read; [`Error::Parse`] as in
/// [`parse_nfg`], also for bytes that are not UTF-8.
pub fn read_nfg(path: &Path) -> Result<NormalForm> {
    let text = super::read_text(path)?;
    parse_nfg(&text, path)
}

/// Quotes a string for Gambit: `"` and `\` are escaped with a backslash.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Formats a payoff so that it reads back to the same `f64`: integers without a decimal point,
/// everything else in Rust's shortest round-trip form (e.g. `0.1`, `1e-7`).
pub(crate) fn format_number(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:?}")
    }
}

fn header(g: &NormalForm) -> String {
    let mut s = String::new();
    let players: Vec<String> = g.players().iter().map(|p| quote(p)).collect();
    let _ = writeln!(
        s,
        "NFG 1 R {} {{ {} }}",
        quote(g.title()),
        players.join(" ")
    );
    s.push('\n');
    s.push('{');
    for (i, names) in g.strategies().iter().enumerate() {
        let names: Vec<String> = names.iter().map(|x| quote(x)).collect();
        let sep = if i == 0 { " " } else { "\n  " };
        let _ = write!(s, "{sep}{{ {} }}", names.join(" "));
    }
    s.push_str(" }\n\n");
    s
}

/// Profiles in Gambit's order: player 1's action varies fastest.
fn gambit_profiles(shape: &[usize]) -> impl Iterator<Item = Vec<usize>> + '_ {
    let total: usize = shape.iter().product();
    (0..total).map(move |mut k| {
        shape
            .iter()
            .map(|&s| {
                let a = k % s;
                k /= s;
                a
            })
            .collect()
    })
}

/// Writes a game in Gambit's payoff dialect, keeping the title and all names.
///
/// # Returns
/// The file text; [`parse_nfg`] reads it back to an equal game (payoffs are written in
/// shortest round-trip form, so the `f64`s are exact).
///
/// # Example
/// ```
/// use covenant::game::NormalForm;
/// use covenant::io::nfg::{parse_nfg, write_nfg};
/// use std::path::Path;
/// let g = NormalForm::from_matrices(&[vec![1.0, 0.5]], &[vec![-1.0, 2.0]]).unwrap();
/// let back = parse_nfg(&write_nfg(&g), Path::new("<input>")).unwrap();
/// assert_eq!(back, g);
/// ```
pub fn write_nfg(g: &NormalForm) -> String {
    let mut s = header(g);
    let n = g.num_players();
    for prof in gambit_profiles(g.shape()) {
        let u: Vec<String> = (0..n).map(|p| format_number(g.payoff(p, &prof))).collect();
        s.push_str(&u.join(" "));
        s.push('\n');
    }
    s
}

/// Writes a game in Gambit's outcome dialect: one outcome per contingency, named by the
/// concatenated strategy labels, then the outcome indices `1 2 ... K`.
///
/// # Returns
/// The file text; [`parse_nfg`] reads it back to an equal game.
pub fn write_nfg_outcomes(g: &NormalForm) -> String {
    let mut s = header(g);
    let n = g.num_players();
    s.push_str("{\n");
    let mut total = 0;
    for prof in gambit_profiles(g.shape()) {
        let name: String = prof
            .iter()
            .enumerate()
            .map(|(p, &a)| g.strategies()[p][a].as_str())
            .collect();
        let u: Vec<String> = (0..n).map(|p| format_number(g.payoff(p, &prof))).collect();
        let _ = writeln!(s, "{{ {} {} }}", quote(&name), u.join(", "));
        total += 1;
    }
    s.push_str("}\n");
    let idx: Vec<String> = (1..=total).map(|k| k.to_string()).collect();
    s.push_str(&idx.join(" "));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("3"), Some(3.0));
        assert_eq!(parse_number("-3/4"), Some(-0.75));
        assert_eq!(parse_number("1.5e2"), Some(150.0));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("5."), Some(5.0));
        assert_eq!(parse_number("+2E-1"), Some(0.2));
        for bad in [
            "nan", "NaN", "inf", "-inf", "infinity", "1/0", "1e400", "x", "", ".", "1/-2", "e5",
            "1e", "1.2.3",
        ] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn formatting_round_trips() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -7.0,
            0.1,
            1.0 / 3.0,
            1e-300,
            1.5e300,
            123456789012345.0,
            1e15,
        ] {
            assert_eq!(parse_number(&format_number(x)), Some(x), "{x}");
        }
    }
}
