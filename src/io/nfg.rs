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

use super::gambit_lex::quote;
use super::number::{fast_number, parse_number, shorten, Num};
use super::{bom_len, bytes_text, parse_error, GameFile, InexactPayoffs, Pos, MAX_GAME_BYTES};
use crate::error::{Error, Result};
use crate::game::NormalForm;
use ndarray::{ArrayD, IxDyn};
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Open,
    Close,
    Comma,
    /// A double-quoted string; the span includes the quotes.
    Str,
    Word,
    Eof,
}

/// A token: its kind and byte span in the text.
#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// Whether byte `c` ends a word (ASCII whitespace or punctuation; Unicode whitespace is
/// checked separately).
fn ends_word(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | b'{' | b'}' | b',' | b'"'
    )
}

/// A Gambit file being read: a cursor over its bytes. Positions are byte offsets; line and
/// column are computed only when an error is reported.
struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    file: &'a Path,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, file: &'a Path) -> Self {
        Parser {
            text,
            b: text.as_bytes(),
            i: bom_len(text),
            file,
        }
    }

    /// The Unicode whitespace character at byte `i`, if any (its length in bytes).
    fn unicode_space(&self, i: usize) -> Option<usize> {
        let c = self.text.get(i..)?.chars().next()?;
        c.is_whitespace().then(|| c.len_utf8())
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if c.is_ascii_whitespace() || c == 0x0b {
                self.i += 1;
            } else if c >= 0x80 {
                match self.unicode_space(self.i) {
                    Some(len) => self.i += len,
                    None => return,
                }
            } else {
                return;
            }
        }
    }

    fn err_at(&self, offset: usize, msg: impl Into<String>) -> Error {
        parse_error(self.file, Pos::of_offset(self.text, offset), msg)
    }

    /// The next token.
    ///
    /// # Errors
    /// An unterminated string.
    fn next(&mut self) -> Result<Token> {
        self.skip_ws();
        let start = self.i;
        let kind = match self.b.get(start) {
            None => Kind::Eof,
            Some(b'{') => Kind::Open,
            Some(b'}') => Kind::Close,
            Some(b',') => Kind::Comma,
            Some(b'"') => {
                let mut j = start + 1;
                loop {
                    match self.b.get(j) {
                        None => {
                            return Err(self.err_at(
                                start,
                                if self.b[j - 1] == b'\\' && j - 1 > start {
                                    "unterminated string (ends after `\\`)"
                                } else {
                                    "unterminated string (missing closing `\"`)"
                                },
                            ))
                        }
                        Some(b'\\') if j + 1 < self.b.len() => j += 2,
                        Some(b'\\') => j += 1,
                        Some(b'"') => break,
                        Some(_) => j += 1,
                    }
                }
                self.i = j + 1;
                return Ok(Token {
                    kind: Kind::Str,
                    start,
                    end: j + 1,
                });
            }
            Some(_) => {
                let mut j = start;
                while let Some(&c) = self.b.get(j) {
                    if ends_word(c) || (c >= 0x80 && self.unicode_space(j).is_some()) {
                        break;
                    }
                    j += 1;
                }
                self.i = j;
                return Ok(Token {
                    kind: Kind::Word,
                    start,
                    end: j,
                });
            }
        };
        if kind != Kind::Eof {
            self.i += 1;
        }
        Ok(Token {
            kind,
            start,
            end: self.i,
        })
    }

    /// The next token, without consuming it.
    fn peek(&mut self) -> Result<Token> {
        let i = self.i;
        let t = self.next();
        self.i = i;
        t
    }

    fn word(&self, t: Token) -> &'a str {
        &self.text[t.start..t.end]
    }

    /// A string token's value: the text between the quotes with `\x` read as `x`.
    fn string_value(&self, t: Token) -> String {
        let inner = &self.text[t.start + 1..t.end - 1];
        if !inner.contains('\\') {
            return inner.to_string();
        }
        let mut s = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(e) = chars.next() {
                    s.push(e);
                }
            } else {
                s.push(c);
            }
        }
        s
    }

    fn describe(&self, t: Token) -> String {
        match t.kind {
            Kind::Open => "`{`".into(),
            Kind::Close => "`}`".into(),
            Kind::Comma => "`,`".into(),
            Kind::Str => format!("string \"{}\"", shorten(&self.string_value(t))),
            Kind::Word => format!("`{}`", shorten(self.word(t))),
            Kind::Eof => "the end of the file".into(),
        }
    }

    /// The error for token `t` where `expected` was wanted.
    fn unexpected(&self, t: Token, expected: &str) -> Error {
        if t.kind == Kind::Eof {
            self.err_at(
                t.start,
                format!("unexpected end of file: expected {expected}"),
            )
        } else {
            self.err_at(
                t.start,
                format!("expected {expected}, found {}", self.describe(t)),
            )
        }
    }

    fn expect(&mut self, kind: Kind, expected: &str) -> Result<Token> {
        let t = self.next()?;
        if t.kind == kind {
            Ok(t)
        } else {
            Err(self.unexpected(t, expected))
        }
    }

    fn string(&mut self, expected: &str) -> Result<String> {
        let t = self.expect(Kind::Str, expected)?;
        Ok(self.string_value(t))
    }

    /// A non-negative integer that fits in `usize`.
    fn count(&mut self, expected: &str) -> Result<(usize, Token)> {
        let t = self.next()?;
        let w = self.word(t);
        if t.kind != Kind::Word || !w.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.unexpected(t, expected));
        }
        match w.parse::<usize>() {
            Ok(k) => Ok((k, t)),
            Err(_) => Err(self.err_at(
                t.start,
                format!(
                    "`{}` is out of range: {expected} must be below 2^{}",
                    shorten(w),
                    usize::BITS
                ),
            )),
        }
    }

    /// Skips whitespace and one optional comma.
    fn skip_comma(&mut self) -> Result<()> {
        self.skip_ws();
        if self.b.get(self.i) == Some(&b',') {
            self.i += 1;
        }
        Ok(())
    }

    /// A payoff: a word that is a finite number. `expected(at_end)` describes what was
    /// wanted, called only on error (`at_end` at the end of the file, where the message may
    /// say how many were read; elsewhere the message names the token found).
    fn number(&mut self, expected: impl Fn(bool) -> String) -> Result<(Num, Token)> {
        let t = self.next()?;
        if t.kind != Kind::Word {
            return Err(self.unexpected(t, &expected(t.kind == Kind::Eof)));
        }
        match parse_number(&self.b[t.start..t.end]) {
            Ok(x) => Ok((x, t)),
            Err(e) => Err(self.err_at(t.start, e.message(self.word(t)))),
        }
    }
}

/// A player's strategies as the header gives them.
enum Strategies {
    Count(usize),
    Labels(Vec<String>),
}

impl Strategies {
    fn len(&self) -> usize {
        match self {
            Strategies::Count(k) => *k,
            Strategies::Labels(v) => v.len(),
        }
    }

    fn into_names(self) -> Vec<String> {
        match self {
            Strategies::Count(k) => (0..k).map(|i| i.to_string()).collect(),
            Strategies::Labels(v) => v,
        }
    }
}

/// The header: `NFG 1 R "title" { "P1" ... }`.
fn read_header(p: &mut Parser) -> Result<(String, Vec<String>)> {
    let t = p.next()?;
    if t.kind != Kind::Word || p.word(t) != "NFG" {
        return Err(p.unexpected(t, "`NFG` (a Gambit strategic-form file)"));
    }
    let t = p.next()?;
    if t.kind != Kind::Word || p.word(t) != "1" {
        return Err(if t.kind == Kind::Eof {
            p.unexpected(t, "version `1`")
        } else {
            p.err_at(
                t.start,
                format!(
                    "unsupported version {}: only `NFG 1` is read",
                    p.describe(t)
                ),
            )
        });
    }
    let t = p.next()?;
    if t.kind != Kind::Word || !matches!(p.word(t), "R" | "D") {
        return Err(p.unexpected(t, "`R` or `D`"));
    }
    let title = p.string("the title string")?;
    p.expect(Kind::Open, "`{` opening the player list")?;
    let mut players = Vec::new();
    loop {
        let t = p.next()?;
        match t.kind {
            Kind::Str => players.push(p.string_value(t)),
            Kind::Close if players.is_empty() => {
                return Err(p.err_at(
                    t.start,
                    "the player list is empty: a game needs at least one player",
                ))
            }
            Kind::Close => return Ok((title, players)),
            _ => return Err(p.unexpected(t, "a player name or `}`")),
        }
    }
}

/// The strategy block: `{ 3 2 }` or `{ { "T" "B" } { "l" "r" } }`, one entry per player.
fn read_strategies(p: &mut Parser, players: &[String]) -> Result<Vec<Strategies>> {
    p.expect(Kind::Open, "`{` opening the strategy counts or labels")?;
    let mut out = Vec::with_capacity(players.len());
    for (pl, player) in players.iter().enumerate() {
        let what = || format!("the strategies of player {pl} ({player})");
        let s = if p.peek()?.kind == Kind::Open {
            let open = p.next()?;
            let mut names = Vec::new();
            loop {
                let t = p.next()?;
                match t.kind {
                    Kind::Str => names.push(p.string_value(t)),
                    Kind::Close => break,
                    _ => return Err(p.unexpected(t, "a strategy label or `}`")),
                }
            }
            if names.is_empty() {
                return Err(p.err_at(
                    open.start,
                    format!("player {pl} ({player}) has no strategies"),
                ));
            }
            Strategies::Labels(names)
        } else {
            let (k, t) = p.count(&what())?;
            if k == 0 {
                return Err(p.err_at(t.start, format!("player {pl} ({player}) has no strategies")));
            }
            Strategies::Count(k)
        };
        out.push(s);
    }
    let t = p.next()?;
    if t.kind != Kind::Close {
        return Err(p.unexpected(
            t,
            &format!("`}}` after the strategies of {} players", players.len()),
        ));
    }
    Ok(out)
}

/// The shape for messages: `[3, 2]`, or a summary for many players.
fn shape_text(shape: &[usize]) -> String {
    if shape.len() <= 8 {
        format!("{shape:?}")
    } else {
        let max = shape.iter().max().copied().unwrap_or(0);
        format!("{} players with up to {max} strategies", shape.len())
    }
}

/// The body's two forms.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Payoffs,
    Outcomes,
}

/// Checks the declared game's size before anything is allocated. Returns the number of
/// contingencies and whether the rest of the file can hold the body the header declares
/// (every payoff or outcome index takes at least one character and a separator). When it
/// cannot, the body is read without storing anything, so the error is the one a truncated
/// file gets, at the end of the file, without allocating for the declared size.
///
/// # Errors
/// More than 2^64 contingencies; [`Error::TooLarge`] when a body that fits in the file
/// declares a game above [`MAX_GAME_BYTES`].
fn check_size(p: &Parser, shape: &[usize], at: usize, dialect: Dialect) -> Result<(usize, bool)> {
    let n = shape.len() as u128;
    let shown = shape_text(shape);
    let total = shape
        .iter()
        .try_fold(1u128, |acc, &k| acc.checked_mul(k as u128))
        // Every payoff (players x contingencies) must be countable too.
        .filter(|&t| t.checked_mul(n).is_some_and(|c| usize::try_from(c).is_ok()))
        .and_then(|t| usize::try_from(t).ok())
        .ok_or_else(|| {
            p.err_at(
                at,
                format!(
                    "the strategy counts {shown} give more than 2^{} payoffs",
                    usize::BITS
                ),
            )
        })?;
    let tokens = match dialect {
        Dialect::Payoffs => (total as u128).saturating_mul(n),
        Dialect::Outcomes => total as u128,
    };
    let remaining = (p.b.len() - p.i) as u128;
    if tokens.saturating_mul(2).saturating_sub(1) > remaining {
        return Ok((total, false));
    }
    // Payoff tables (and one more while they are reordered), two shape records of n words
    // per table (ndarray), strategy names.
    let names: u128 = shape.iter().map(|&k| k as u128 * 32).sum();
    let need = (n + 1) * total as u128 * 8 + n * n * 16 + n * 96 + names;
    if need > u128::from(MAX_GAME_BYTES) {
        let pos = Pos::of_offset(p.text, at);
        return Err(Error::TooLarge(format!(
            "{}:{}:{}: a game of {shown} ({total} contingencies) needs about {} of memory, \
             above the limit of {} (covenant::io::MAX_GAME_BYTES)",
            p.file.display(),
            pos.line,
            pos.column,
            bytes_text(need),
            bytes_text(u128::from(MAX_GAME_BYTES))
        )));
    }
    Ok((total, true))
}

/// Gambit's contingency order (player 1 fastest) mapped to row-major cells (last player
/// fastest), one step at a time.
struct Odometer {
    shape: Vec<usize>,
    strides: Vec<usize>,
    digits: Vec<usize>,
    cell: usize,
}

impl Odometer {
    fn new(shape: &[usize]) -> Self {
        let mut strides = vec![1; shape.len()];
        for d in (0..shape.len().saturating_sub(1)).rev() {
            strides[d] = strides[d + 1] * shape[d + 1];
        }
        Odometer {
            shape: shape.to_vec(),
            strides,
            digits: vec![0; shape.len()],
            cell: 0,
        }
    }

    fn advance(&mut self) {
        for d in 0..self.shape.len() {
            self.digits[d] += 1;
            self.cell += self.strides[d];
            if self.digits[d] < self.shape[d] {
                return;
            }
            self.cell -= self.shape[d] * self.strides[d];
            self.digits[d] = 0;
        }
    }
}

/// Payoff tables being filled, in the file's (Gambit) order: one table per player, the
/// contingencies with player 1's strategy fastest; and the payoffs binary64 rounded.
struct Tables {
    gambit: Vec<Vec<f64>>,
    /// `(player, Gambit index, token kept in inexact)` of each rounded payoff.
    rounded: Vec<(usize, usize, (u32, u32))>,
    inexact: InexactPayoffs,
    total: usize,
    /// Whether payoffs are stored (`false` when the file cannot hold the declared body).
    store: bool,
}

impl Tables {
    fn new(n: usize, total: usize, store: bool) -> Self {
        Tables {
            gambit: if store {
                (0..n).map(|_| Vec::with_capacity(total)).collect()
            } else {
                Vec::new()
            },
            rounded: Vec::new(),
            inexact: InexactPayoffs::default(),
            total,
            store,
        }
    }

    /// Appends player `player`'s next payoff; `token` is its text, kept when binary64
    /// rounded it.
    #[inline]
    fn push(&mut self, player: usize, x: Num, token: &[u8]) {
        if self.store {
            let table = &mut self.gambit[player];
            if !x.exact {
                let at = self.inexact.keep(token);
                self.rounded.push((player, table.len(), at));
            }
            table.push(x.value);
        }
    }

    /// The row-major tables (last player fastest, as [`NormalForm`] holds them) and the
    /// rounded payoffs keyed by row-major cell.
    fn into_row_major(self, shape: &[usize]) -> (Vec<Vec<f64>>, InexactPayoffs) {
        let total = self.total;
        // Gambit order runs player 1's axis fastest: copy each run of shape[0] payoffs to
        // cells strides[0] apart, and step an odometer over the other axes once per run.
        let rest = Odometer::new(shape);
        let (first, stride) = (shape[0], rest.strides[0]);
        let tables = self
            .gambit
            .into_iter()
            .map(|g| {
                let mut out = vec![0.0; total];
                let mut odo = Odometer {
                    shape: shape[1..].to_vec(),
                    strides: rest.strides[1..].to_vec(),
                    digits: vec![0; shape.len() - 1],
                    cell: 0,
                };
                for run in g.chunks(first) {
                    for (a, &x) in run.iter().enumerate() {
                        out[odo.cell + a * stride] = x;
                    }
                    odo.advance();
                }
                out
            })
            .collect();
        let mut inexact = self.inexact;
        for (player, k, at) in self.rounded {
            let cell = row_major_cell(shape, &rest.strides, k);
            inexact.note_again(player as u64 * total as u64 + cell as u64, at);
        }
        (tables, inexact)
    }
}

/// The row-major cell (`strides` row-major) of Gambit contingency `k` (player 1's strategy
/// fastest).
fn row_major_cell(shape: &[usize], strides: &[usize], mut k: usize) -> usize {
    let mut cell = 0;
    for (&s, &stride) in shape.iter().zip(strides) {
        cell += (k % s) * stride;
        k /= s;
    }
    cell
}

/// Whether a word ending at `end` ends there (a delimiter or the end of the text follows).
#[inline]
fn delimited(b: &[u8], end: usize) -> bool {
    match b.get(end) {
        None => true,
        Some(&c) => c < 0x80 && ends_word(c),
    }
}

/// The payoff dialect's body: `n` numbers per contingency, in Gambit order.
fn payoff_body(p: &mut Parser, shape: &[usize], tables: &mut Tables) -> Result<()> {
    let n = shape.len();
    let total = tables.total;
    let expected = total * n;
    let summary = || {
        format!(
            "({n} players x {total} contingencies of {})",
            shape_text(shape)
        )
    };
    let b = p.b;
    let mut i = p.i;
    let mut pl = 0;
    for got in 0..expected {
        // Separators: ASCII whitespace and at most one comma.
        while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\r' | b'\t') {
            i += 1;
        }
        let comma = i < b.len() && b[i] == b',';
        if comma {
            i += 1;
            while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\r' | b'\t') {
                i += 1;
            }
        }
        // Common numbers take the fast path; the rest, and every error, the general one.
        match fast_number(b, i) {
            Some((x, end)) if delimited(b, end) => {
                match tables.gambit.get_mut(pl) {
                    Some(table) if x.exact => table.push(x.value),
                    _ => tables.push(pl, x, &b[i..end]),
                }
                i = end;
            }
            _ => {
                p.i = i;
                if comma {
                    p.skip_ws();
                } else {
                    p.skip_comma()?;
                }
                let (x, t) = p.number(|at_end| {
                    if at_end {
                        format!("{expected} payoffs {}, found {got}", summary())
                    } else {
                        format!("payoff {} of {expected} {}", got + 1, summary())
                    }
                })?;
                tables.push(pl, x, &b[t.start..t.end]);
                i = p.i;
            }
        }
        pl += 1;
        if pl == n {
            pl = 0;
        }
    }
    p.i = i;
    p.skip_comma()?;
    let t = p.next()?;
    if t.kind != Kind::Eof {
        return Err(p.err_at(
            t.start,
            format!(
                "expected {expected} payoffs {}, found more: {}",
                summary(),
                p.describe(t)
            ),
        ));
    }
    Ok(())
}

/// One outcome `{ "name" u_1, u_2 ... }` after its `{`: `n` payoffs, kept in `values` and,
/// when rounded, their tokens in `tables.inexact`.
fn outcome(
    p: &mut Parser,
    k: usize,
    n: usize,
    values: &mut Vec<(f64, Option<(u32, u32)>)>,
    tables: &mut Tables,
) -> Result<()> {
    // Gambit writes a name; accept an outcome without one too.
    if p.peek()?.kind == Kind::Str {
        p.next()?;
    }
    let mut count = 0;
    loop {
        p.skip_comma()?;
        let t = p.peek()?;
        if t.kind == Kind::Close {
            if count != n {
                return Err(p.err_at(
                    t.start,
                    format!("outcome {k} has {count} payoffs, expected {n} (one per player)"),
                ));
            }
            p.next()?;
            return Ok(());
        }
        let (x, t) = p.number(|_| format!("a payoff of outcome {k} or `}}`"))?;
        if count == n {
            return Err(p.err_at(
                t.start,
                format!("outcome {k} has more than {n} payoffs (one per player)"),
            ));
        }
        let kept = (!x.exact).then(|| tables.inexact.keep(&p.b[t.start..t.end]));
        values.push((x.value, kept));
        count += 1;
    }
}

/// The outcome dialect's body after its `{`: the outcomes, then one index per contingency.
fn outcome_body(p: &mut Parser, shape: &[usize], tables: &mut Tables) -> Result<()> {
    let n = shape.len();
    let total = tables.total;
    let mut values: Vec<(f64, Option<(u32, u32)>)> = Vec::new();
    let mut outcomes = 0;
    loop {
        let t = p.next()?;
        match t.kind {
            Kind::Close => break,
            Kind::Open => {}
            _ => return Err(p.unexpected(t, "an outcome `{ \"name\" payoffs }` or `}`")),
        }
        outcomes += 1;
        outcome(p, outcomes, n, &mut values, tables)?;
    }
    for k in 0..total {
        let t = p.next()?;
        let w = p.word(t);
        if t.kind != Kind::Word || !w.bytes().all(|b| b.is_ascii_digit()) {
            return Err(if t.kind == Kind::Eof {
                p.unexpected(
                    t,
                    &format!("{total} outcome indices (one per contingency), found {k}"),
                )
            } else {
                p.unexpected(
                    t,
                    &format!(
                        "outcome index {} of {total} (an integer 0..={outcomes}; 0 is the null \
                         outcome)",
                        k + 1
                    ),
                )
            });
        }
        let idx = w.parse::<usize>().unwrap_or(usize::MAX);
        if idx > outcomes {
            return Err(p.err_at(
                t.start,
                format!(
                    "outcome index {} out of range: there are {outcomes} outcomes (0 = null \
                     outcome)",
                    shorten(w)
                ),
            ));
        }
        if tables.store {
            for pl in 0..n {
                let (x, kept) = if idx == 0 {
                    (0.0, None)
                } else {
                    values[(idx - 1) * n + pl]
                };
                let table = &mut tables.gambit[pl];
                if let Some(at) = kept {
                    tables.rounded.push((pl, table.len(), at));
                }
                table.push(x);
            }
        }
    }
    let t = p.next()?;
    if t.kind != Kind::Eof {
        return Err(p.err_at(
            t.start,
            format!(
                "expected {total} outcome indices (one per contingency of {}), found more: {}",
                shape_text(shape),
                p.describe(t)
            ),
        ));
    }
    Ok(())
}

/// Parses a Gambit `.nfg` file of either dialect.
///
/// # Arguments
/// * `text` — the file's contents (a leading byte-order mark is skipped).
/// * `file` — the name reported in errors (use `Path::new("<input>")` for in-memory text).
///
/// # Returns
/// The game with its title, player and strategy names (strategies given by count are named
/// `"1"`, `"2"`, …), payoffs rounded to binary64; [`parse_nfg_file`] keeps them as written.
///
/// # Errors
/// [`Error::Parse`] with the 1-based line and column of the offending token: a malformed
/// header, a missing brace, a truncated file, a non-number or non-finite number, a number
/// out of binary64's range, a player with no strategies, zero players, the wrong number of
/// payoffs or outcome indices (the message says how many were expected), an outcome index
/// out of range, text after the body, or a header declaring more payoffs than the rest of
/// the file can hold. [`Error::TooLarge`] when the declared game would need more than
/// [`MAX_GAME_BYTES`] of memory (the message says how much).
///
/// # Complexity
/// Linear in the length of the text; nothing is allocated for the payoffs before the header
/// has been checked against the file's length.
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
    parse_nfg_file(text, file).map(GameFile::into_game)
}

/// [`parse_nfg`], keeping the payoffs as written (see [`GameFile`]).
///
/// # Errors
/// As [`parse_nfg`].
pub fn parse_nfg_file(text: &str, file: &Path) -> Result<GameFile> {
    let mut p = Parser::new(text, file);
    let (title, players) = read_header(&mut p)?;
    let strategies_at = p.peek()?.start;
    let strategies = read_strategies(&mut p, &players)?;
    let shape: Vec<usize> = strategies.iter().map(Strategies::len).collect();
    // Optional comment.
    if p.peek()?.kind == Kind::Str {
        p.next()?;
    }
    let body = p.peek()?;
    let dialect = if body.kind == Kind::Open {
        p.next()?;
        Dialect::Outcomes
    } else {
        Dialect::Payoffs
    };
    let (total, fits) = check_size(&p, &shape, strategies_at, dialect)?;
    let mut tables = Tables::new(shape.len(), total, fits);
    match dialect {
        Dialect::Payoffs => payoff_body(&mut p, &shape, &mut tables)?,
        Dialect::Outcomes => outcome_body(&mut p, &shape, &mut tables)?,
    }
    if !fits {
        // Unreachable: a body that reads completely fits in the file.
        return Err(p.err_at(body.start, "the body is shorter than the header declares"));
    }
    let names = strategies.into_iter().map(Strategies::into_names).collect();
    let (tables, inexact) = tables.into_row_major(&shape);
    let payoffs = tables
        .into_iter()
        .map(|v| ArrayD::from_shape_vec(IxDyn(&shape), v))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| p.err_at(body.start, format!("payoff tensor: {e}")))?;
    let game = NormalForm::with_names(players, names, payoffs)
        .map(|g| g.with_title(title))
        .map_err(|e| p.err_at(body.start, e.to_string()))?;
    Ok(GameFile::new(game, inexact))
}

/// Reads and parses a `.nfg` file (through [`super::read_input`]).
///
/// # Errors
/// [`Error::Io`] naming the path when it cannot be read; [`Error::TooLarge`] above
/// [`super::MAX_INPUT_BYTES`]; [`Error::Parse`] and [`Error::TooLarge`] as in
/// [`parse_nfg`], also for bytes that are not UTF-8.
pub fn read_nfg(path: &Path) -> Result<NormalForm> {
    let text = super::read_input(path)?;
    parse_nfg(&text, path)
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
            let back = parse_number(format_number(x).as_bytes()).map(|n| n.value);
            assert_eq!(back, Ok(x), "{x}");
        }
    }

    #[test]
    fn odometer_maps_gambit_order_to_row_major() {
        // Shape [2, 3]: Gambit order (0,0) (1,0) (0,1) (1,1) (0,2) (1,2).
        let mut o = Odometer::new(&[2, 3]);
        let mut cells = Vec::new();
        for _ in 0..6 {
            cells.push(o.cell);
            o.advance();
        }
        assert_eq!(cells, [0, 3, 1, 4, 2, 5]);
        assert_eq!(o.cell, 0, "wraps around after the last contingency");
        let shape = [2, 3, 2];
        let mut o = Odometer::new(&shape);
        let strides = o.strides.clone();
        for k in 0..12 {
            assert_eq!(row_major_cell(&shape, &strides, k), o.cell, "{k}");
            o.advance();
        }
    }
}
