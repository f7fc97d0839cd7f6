//! JSON normal-form games.
//!
//! Two shapes are read:
//! - the n-player form `{"title": "...", "players": [...], "strategies": [[...], ...],
//!   "payoffs": [P_0, ..., P_{n-1}]}`, where `P_p` is player `p`'s payoff tensor nested as
//!   `[a_0][a_1]...[a_{n-1}]`; `title`, `players` and `strategies` are optional;
//! - the bimatrix form `{"A": [[..]], "B": [[..]]}` of the reference games (`A[i][j]` the row
//!   player's payoff), with optional `players`, `strategies` (or `rows` and `cols`), `title`.
//!
//! The fields [`METADATA_FIELDS`] (`note`, `source`, `seed`, …) are accepted and ignored; any
//! other field is an error at its position, as is a key given twice. A payoff is a JSON number
//! or a string holding an integer, decimal or rational `p/q` (so exact fractions survive);
//! `"NaN"` and `"inf"` are errors, and so are numbers beyond binary64's range.

use super::json_reader::Reader;
use super::nfg::format_number;
use super::number::{parse_number, NumError};
use super::{GameFile, InexactPayoffs, JsonPath};
use crate::error::{Error, Result};
use crate::game::NormalForm;
use ndarray::{ArrayD, IxDyn};
use std::path::Path;

/// Fields a JSON game or cooperative game may carry for people, which the readers skip.
pub const METADATA_FIELDS: &[&str] = &[
    "note",
    "source",
    "seed",
    "generator",
    "name",
    "description",
    "kind",
];

/// The error for an unknown field `key` at `at`, listing the fields accepted there.
pub(crate) fn unknown_field(r: &Reader, key: &str, at: usize, accepted: &[&str]) -> Error {
    r.err_at(
        at,
        format!(
            "unknown field \"{}\"; accepted here: {}, and the ignored metadata fields {}",
            super::number::shorten(key),
            accepted.join(", "),
            METADATA_FIELDS.join(", ")
        ),
    )
}

/// A payoff (or value) at the cursor: a JSON number or a string holding a number. Returns
/// the number and, when binary64 rounded it, its token (for exact payoffs); `path` is called
/// only on error.
pub(crate) fn payoff(
    r: &mut Reader,
    path: impl Fn() -> JsonPath,
) -> Result<(super::number::Num, Option<Vec<u8>>)> {
    let at = r.offset();
    if let Some(span) = r.number_token()? {
        let b = r.bytes(span);
        return match parse_number(b) {
            Ok(x) => Ok((x, (!x.exact).then(|| b.to_vec()))),
            Err(e) => Err(r.err_at(at, format!("`{}`: {}", path(), e.message(r.slice(span))))),
        };
    }
    if !r.at_value() {
        return Err(r.syntax("a value"));
    }
    if !r.at_string() {
        let found = r.found();
        return Err(r.err_at(
            at,
            format!("`{}`: expected a number, found {found}", path()),
        ));
    }
    let s = r.string("a number")?;
    let token = s.trim().as_bytes();
    match parse_number(token) {
        Ok(x) => Ok((x, (!x.exact).then(|| token.to_vec()))),
        Err(NumError::Syntax) => Err(r.err_at(
            at,
            format!(
                "`{}`: \"{}\" is not a number (expected an integer, decimal or rational p/q)",
                path(),
                super::number::shorten(&s)
            ),
        )),
        Err(e) => Err(r.err_at(at, format!("`{}`: {}", path(), e.message(s.trim())))),
    }
}

/// Where a rounded payoff's token is.
enum Token {
    Span(usize, usize),
    Owned(Vec<u8>),
}

/// Payoff tensors being read: the shared shape, one row-major table per player, and the
/// payoffs binary64 rounded (player, cell, token).
#[derive(Default)]
struct Tensors {
    shape: Vec<usize>,
    /// Whether `shape[level]` has been fixed by a closed array.
    fixed: Vec<bool>,
    tables: Vec<(usize, Vec<f64>, usize)>,
    /// `(player, cell, token)` of each payoff binary64 rounded; the token is a byte span of
    /// the text, or its own bytes when it came from an escaped string.
    rounded: Vec<(usize, usize, Token)>,
}

impl Tensors {
    /// Reads player `player`'s tensor, nested `depth` levels, at the cursor; `base` is its
    /// path for messages.
    fn read(&mut self, r: &mut Reader, player: usize, depth: usize, base: &JsonPath) -> Result<()> {
        let at = r.offset();
        let mut out = Vec::new();
        let mut idx = Vec::with_capacity(depth);
        self.level(r, player, depth, 0, base, &mut idx, &mut out)?;
        self.tables.push((player, out, at));
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn level(
        &mut self,
        r: &mut Reader,
        player: usize,
        depth: usize,
        level: usize,
        base: &JsonPath,
        idx: &mut Vec<usize>,
        out: &mut Vec<f64>,
    ) -> Result<()> {
        let path = |idx: &[usize]| {
            let mut p = base.clone();
            for &i in idx {
                p = p.index(i);
            }
            p
        };
        if level == depth {
            let (x, token) = payoff(r, || path(idx))?;
            if let Some(token) = token {
                self.rounded.push((player, out.len(), Token::Owned(token)));
            }
            out.push(x.value);
            return Ok(());
        }
        let at = r.offset();
        if !r.at_array() {
            let found = r.found();
            return Err(r.err_at(
                at,
                format!(
                    "`{}`: expected an array (level {} of {depth}: one per player), found {found}",
                    path(idx),
                    level + 1
                ),
            ));
        }
        if self.shape.len() == level {
            self.shape.push(0);
            self.fixed.push(false);
        }
        // Rows of plain numbers take the fast path; anything else, and every error, the
        // general one.
        let mut spans = Vec::new();
        let fast = if level + 1 == depth {
            r.number_row(out, &mut spans)
        } else {
            None
        };
        for (cell, s, e) in spans {
            self.rounded.push((player, cell, Token::Span(s, e)));
        }
        let count = match fast {
            Some(count) => count,
            None => r.array("an array", |r, i| {
                if self.fixed[level] && i >= self.shape[level] {
                    return Err(r.err_at(
                        at,
                        format!(
                            "`{}`: ragged payoffs: more than {} entries where player {level} \
                             has {} strategies",
                            path(idx),
                            self.shape[level],
                            self.shape[level]
                        ),
                    ));
                }
                idx.push(i);
                let res = self.level(r, player, depth, level + 1, base, idx, out);
                idx.pop();
                res
            })?,
        };
        if !self.fixed[level] {
            if count == 0 {
                return Err(r.err_at(
                    at,
                    format!(
                        "`{}`: player {level} has no strategies (empty array)",
                        path(idx)
                    ),
                ));
            }
            self.shape[level] = count;
            self.fixed[level] = true;
        } else if count != self.shape[level] {
            return Err(r.err_at(
                at,
                format!(
                    "`{}`: ragged payoffs: {count} entries where player {level} has {} \
                     strategies",
                    path(idx),
                    self.shape[level]
                ),
            ));
        }
        Ok(())
    }
}

/// A list of strings and where it starts.
fn names(r: &mut Reader, path: &JsonPath) -> Result<(Vec<String>, usize)> {
    let at = r.offset();
    let mut out = Vec::new();
    r.array(&format!("`{path}` to be an array of strings"), |r, i| {
        let s = r.string(&format!("`{}` to be a string", path.index(i)))?;
        out.push(s);
        Ok(())
    })?;
    Ok((out, at))
}

/// A list of names and the offset where it starts.
type Names = (Vec<String>, usize);

/// The fields of a game object as read (validated together once the object is closed).
#[derive(Default)]
struct Fields {
    title: Option<String>,
    players: Option<Names>,
    strategies: Option<(Vec<Names>, usize)>,
    rows: Option<Names>,
    cols: Option<Names>,
    /// Where `payoffs` starts and how many tensors it holds.
    payoffs: Option<(usize, usize)>,
    a: Option<usize>,
    b: Option<usize>,
}

const GAME_FIELDS: &[&str] = &[
    "title",
    "players",
    "strategies",
    "payoffs",
    "A",
    "B",
    "rows",
    "cols",
];

fn member(r: &mut Reader, key: &str, key_at: usize, f: &mut Fields, t: &mut Tensors) -> Result<()> {
    match key {
        "title" => f.title = Some(r.string("`title` to be a string")?),
        "players" => f.players = Some(names(r, &JsonPath::key("players"))?),
        "rows" => f.rows = Some(names(r, &JsonPath::key("rows"))?),
        "cols" => f.cols = Some(names(r, &JsonPath::key("cols"))?),
        "strategies" => {
            let path = JsonPath::key("strategies");
            let at = r.offset();
            let mut lists = Vec::new();
            r.array("`strategies` to be an array of string lists", |r, i| {
                lists.push(names(r, &path.index(i))?);
                Ok(())
            })?;
            f.strategies = Some((lists, at));
        }
        "A" | "B" => {
            if f.payoffs.is_some() {
                return Err(r.err_at(
                    key_at,
                    "a game has either `payoffs` (n-player form) or `A` and `B` (bimatrix \
                     form), not both",
                ));
            }
            let at = r.offset();
            let player = usize::from(key == "B");
            t.read(r, player, 2, &JsonPath::key(key))?;
            if player == 0 {
                f.a = Some(at);
            } else {
                f.b = Some(at);
            }
        }
        "payoffs" => {
            if f.a.is_some() || f.b.is_some() {
                return Err(r.err_at(
                    key_at,
                    "a game has either `payoffs` (n-player form) or `A` and `B` (bimatrix \
                     form), not both",
                ));
            }
            let path = JsonPath::key("payoffs");
            let at = r.offset();
            let mut depth = 0;
            let count = r.array("`payoffs` to be an array of payoff tensors", |r, i| {
                if i == 0 {
                    depth = r.leading_brackets();
                    if depth == 0 {
                        return Err(r.wrong("`payoffs[0]` to be a payoff tensor (an array)"));
                    }
                }
                t.read(r, i, depth, &path.index(i))
            })?;
            if count == 0 {
                return Err(r.err_at(at, "`payoffs`: a game needs at least one player"));
            }
            if count != depth {
                return Err(r.err_at(
                    at,
                    format!(
                        "`payoffs`: {count} payoff tensors (one per player) but `payoffs[0]` \
                         is nested {depth} deep: a game of {count} players needs tensors \
                         nested {count} deep, a number at level {count}"
                    ),
                ));
            }
            f.payoffs = Some((at, count));
        }
        other if super::json::METADATA_FIELDS.contains(&other) => r.skip_value()?,
        other => return Err(unknown_field(r, other, key_at, GAME_FIELDS)),
    }
    Ok(())
}

/// Parses a JSON game (n-player or bimatrix form, see the module docs).
///
/// # Arguments
/// * `text` — the JSON text (a leading byte-order mark is skipped).
/// * `file` — the name reported in errors.
///
/// # Returns
/// The game, payoffs rounded to binary64; [`parse_game_json_file`] keeps them as written.
///
/// # Errors
/// [`Error::Parse`] at the line and column of the offending value: JSON syntax errors,
/// duplicate keys, unknown fields, shape errors (ragged or empty arrays, non-numbers,
/// `"NaN"`, numbers out of range, name lists of the wrong length) naming the JSON path, e.g.
/// `payoffs[1][2]`.
///
/// # Complexity
/// Linear in the length of the text; payoffs go straight into their tables.
///
/// # Example
/// ```
/// use covenant::io::json::parse_game_json;
/// use std::path::Path;
/// let g = parse_game_json(r#"{"A": [[1, 2]], "B": [[3, 4]]}"#, Path::new("<input>")).unwrap();
/// assert_eq!(g.shape(), &[1, 2]);
/// assert_eq!(g.payoff(1, &[0, 1]), 4.0);
/// ```
pub fn parse_game_json(text: &str, file: &Path) -> Result<NormalForm> {
    parse_game_json_file(text, file).map(GameFile::into_game)
}

/// [`parse_game_json`], keeping the payoffs as written (see [`GameFile`]).
///
/// # Errors
/// As [`parse_game_json`].
pub fn parse_game_json_file(text: &str, file: &Path) -> Result<GameFile> {
    let mut r = Reader::new(text, file);
    let mut f = Fields::default();
    let mut t = Tensors::default();
    let top = r.offset();
    r.object("a JSON object at the top level", |r, key, at| {
        member(r, key, at, &mut f, &mut t)
    })?;
    r.finish()?;
    let n = match (f.payoffs, f.a, f.b) {
        (Some((_, n)), _, _) => n,
        (None, Some(_), Some(_)) => 2,
        (None, Some(_), None) | (None, None, Some(_)) => {
            return Err(r.err_at(
                f.a.or(f.b).unwrap_or(top),
                "the bimatrix form needs both `A` and `B`",
            ))
        }
        (None, None, None) => {
            return Err(r.err_at(
                top,
                "expected a `payoffs` array (n-player form) or `A` and `B` matrices \
                 (bimatrix form)",
            ))
        }
    };
    let shape = t.shape.clone();
    let strategies = strategy_names(&r, &f, &shape)?;
    let players = match f.players {
        Some((names, at)) if names.len() != n => {
            return Err(r.err_at(
                at,
                format!("`players`: {} player names for {n} players", names.len()),
            ))
        }
        Some((names, _)) => names,
        None => (0..n).map(|i| i.to_string()).collect(),
    };
    let total: usize = shape.iter().product();
    let mut tables: Vec<Option<Vec<f64>>> = vec![None; n];
    for (p, v, at) in t.tables {
        if v.len() != total {
            return Err(r.err_at(at, "payoff tensor of the wrong size"));
        }
        tables[p] = Some(v);
    }
    let mut inexact = InexactPayoffs::default();
    for (p, cell, token) in &t.rounded {
        let bytes = match token {
            Token::Span(s, e) => r.bytes((*s, *e)),
            Token::Owned(b) => b,
        };
        inexact.note((*p * total + *cell) as u64, bytes);
    }
    let payoffs = tables
        .into_iter()
        .map(|v| ArrayD::from_shape_vec(IxDyn(&shape), v.unwrap_or_default()))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| r.err_at(top, format!("payoff tensor: {e}")))?;
    let game = NormalForm::with_names(players, strategies, payoffs)
        .map(|g| g.with_title(f.title.unwrap_or_default()))
        .map_err(|e| r.err_at(top, e.to_string()))?;
    Ok(GameFile::new(game, inexact))
}

/// The strategy names from `strategies`, or `rows` and `cols`, or `"1"`, `"2"`, ….
fn strategy_names(r: &Reader, f: &Fields, shape: &[usize]) -> Result<Vec<Vec<String>>> {
    let n = shape.len();
    if let Some((lists, at)) = &f.strategies {
        if lists.len() != n {
            return Err(r.err_at(
                *at,
                format!(
                    "`strategies`: {} strategy lists for {n} players",
                    lists.len()
                ),
            ));
        }
        let mut out = Vec::with_capacity(n);
        for (p, (names, at)) in lists.iter().enumerate() {
            if names.len() != shape[p] {
                return Err(r.err_at(
                    *at,
                    format!(
                        "`strategies[{p}]`: {} strategy names but player {p} has {} strategies",
                        names.len(),
                        shape[p]
                    ),
                ));
            }
            out.push(names.clone());
        }
        return Ok(out);
    }
    if let (2, Some(rows), Some(cols)) = (n, &f.rows, &f.cols) {
        let mut out = Vec::with_capacity(2);
        for (p, ((names, at), key)) in [(rows, "rows"), (cols, "cols")].into_iter().enumerate() {
            if names.len() != shape[p] {
                return Err(r.err_at(
                    *at,
                    format!(
                        "`{key}`: {} names but player {p} has {} strategies",
                        names.len(),
                        shape[p]
                    ),
                ));
            }
            out.push(names.clone());
        }
        return Ok(out);
    }
    Ok(shape
        .iter()
        .map(|&k| (0..k).map(|i| i.to_string()).collect())
        .collect())
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("serialising a string to JSON cannot fail")
}

fn write_nested(
    g: &NormalForm,
    p: usize,
    prefix: &mut Vec<usize>,
    indent: usize,
    out: &mut String,
) {
    let shape = g.shape();
    let level = prefix.len();
    if level + 1 == shape.len() {
        out.push('[');
        for a in 0..shape[level] {
            if a > 0 {
                out.push_str(", ");
            }
            prefix.push(a);
            out.push_str(&format_number(g.payoff(p, prefix)));
            prefix.pop();
        }
        out.push(']');
        return;
    }
    out.push_str("[\n");
    for a in 0..shape[level] {
        out.push_str(&" ".repeat(indent + 2));
        prefix.push(a);
        write_nested(g, p, prefix, indent + 2, out);
        prefix.pop();
        if a + 1 < shape[level] {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str(&" ".repeat(indent));
    out.push(']');
}

/// Writes a game in the n-player JSON form, with title, player and strategy names.
///
/// # Returns
/// Pretty-printed JSON whose innermost arrays sit on one line; [`parse_game_json`] reads it
/// back to an equal game.
pub fn write_game_json(g: &NormalForm) -> String {
    let mut s = String::from("{\n");
    s.push_str(&format!("  \"title\": {},\n", json_string(g.title())));
    let players: Vec<String> = g.players().iter().map(|p| json_string(p)).collect();
    s.push_str(&format!("  \"players\": [{}],\n", players.join(", ")));
    s.push_str("  \"strategies\": [\n");
    let k = g.num_players();
    for (p, names) in g.strategies().iter().enumerate() {
        let names: Vec<String> = names.iter().map(|x| json_string(x)).collect();
        s.push_str(&format!(
            "    [{}]{}\n",
            names.join(", "),
            if p + 1 < k { "," } else { "" }
        ));
    }
    s.push_str("  ],\n  \"payoffs\": [\n");
    for p in 0..k {
        s.push_str("    ");
        write_nested(g, p, &mut Vec::new(), 4, &mut s);
        s.push_str(if p + 1 < k { ",\n" } else { "\n" });
    }
    s.push_str("  ]\n}\n");
    s
}
