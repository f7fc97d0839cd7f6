//! JSON cooperative games: TU games and weighted voting games.
//!
//! - TU game: `{"n": n, "players": [...], "v": [...]}` with `v[mask]` the value of the
//!   coalition whose members are the set bits of `mask` (player `i` = bit `i`); `players` is
//!   optional.
//! - Weighted voting: `{"quota": q, "weights": [...], "players": [...], "veto": [...],
//!   "rules": [{"quota": q2, "weights": [...]}, ...]}`; `players`, `veto` (0-based indices or
//!   player names) and `rules` (further weight rules a winning coalition must also meet, e.g. a
//!   double majority) are optional.
//!
//! The metadata fields of [`super::json::METADATA_FIELDS`] (`name`, `source`, `kind`, …) are
//! accepted and ignored; any other field, and a key given twice, is an error at its position.

use super::json::{payoff, unknown_field, METADATA_FIELDS};
use super::json_reader::Reader;
use super::number::shorten;
use super::{read_input, JsonPath};
use crate::error::{Error, Result};
use crate::game::{CoalitionalGame, TuGame, WeightedVoting};
use std::path::Path;

/// A cooperative game read from JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum CoopInput {
    /// A TU game given by its value table.
    Tu(TuGame),
    /// A weighted voting game.
    Voting(WeightedVoting),
}

/// Reads a cooperative game from a JSON file (through [`super::read_input`]).
///
/// # Errors
/// [`Error::Io`] naming the path; [`Error::TooLarge`] above [`super::MAX_INPUT_BYTES`];
/// [`Error::Parse`] as in [`parse_coop_json`].
pub fn read_coop(path: &Path) -> Result<CoopInput> {
    let text = read_input(path)?;
    parse_coop_json(&text, path)
}

/// A non-negative integer at the cursor and where it starts; `what` says what it is for.
fn unsigned(r: &mut Reader, path: &JsonPath, what: &str) -> Result<(u64, usize)> {
    let at = r.offset();
    let Some(span) = r.number_token()? else {
        let found = r.found();
        return Err(r.err_at(at, format!("`{path}`: {what}, found {found}")));
    };
    let w = r.slice(span);
    if !w.bytes().all(|b| b.is_ascii_digit()) {
        return Err(r.err_at(
            at,
            format!("`{path}`: {what}, found the number {}", shorten(w)),
        ));
    }
    w.parse::<u64>().map(|k| (k, at)).map_err(|_| {
        r.err_at(
            at,
            format!(
                "`{path}`: {} is out of range: at most {} (2^64 - 1)",
                shorten(w),
                u64::MAX
            ),
        )
    })
}

/// A list of non-negative integer weights and where it starts.
fn weights(r: &mut Reader, path: &JsonPath) -> Result<(Vec<u64>, usize)> {
    let at = r.offset();
    let mut out = Vec::new();
    r.array(&format!("`{path}` to be an array of weights"), |r, i| {
        let (w, _) = unsigned(r, &path.index(i), "a weight must be a non-negative integer")?;
        out.push(w);
        Ok(())
    })?;
    Ok((out, at))
}

/// A list of strings and where it starts.
fn names(r: &mut Reader, path: &JsonPath) -> Result<(Vec<String>, usize)> {
    let at = r.offset();
    let mut out = Vec::new();
    r.array(&format!("`{path}` to be an array of strings"), |r, i| {
        out.push(r.string(&format!("`{}` to be a string", path.index(i)))?);
        Ok(())
    })?;
    Ok((out, at))
}

/// A veto entry as written: an index or a name.
enum Veto {
    Index(u64),
    Name(String),
}

/// One entry of `rules`, as written.
struct Rule {
    weights: Option<(Vec<u64>, usize)>,
    quota: Option<(u64, usize)>,
    at: usize,
}

/// The fields of a cooperative game object as read.
#[derive(Default)]
struct Fields {
    n: Option<(u64, usize)>,
    v: Option<(Vec<f64>, usize)>,
    players: Option<(Vec<String>, usize)>,
    weights: Option<(Vec<u64>, usize)>,
    quota: Option<(u64, usize)>,
    veto: Option<(Vec<(Veto, usize)>, usize)>,
    rules: Option<(Vec<Rule>, usize)>,
}

const COOP_FIELDS: &[&str] = &["n", "v", "players", "quota", "weights", "veto", "rules"];

fn member(r: &mut Reader, key: &str, key_at: usize, f: &mut Fields) -> Result<()> {
    match key {
        "n" => {
            f.n = Some(unsigned(
                r,
                &JsonPath::key("n"),
                "expected a positive integer",
            )?)
        }
        "v" => {
            let path = JsonPath::key("v");
            let at = r.offset();
            let mut v = Vec::new();
            r.array("`v` to be an array of coalition values", |r, i| {
                v.push(payoff(r, || path.index(i))?.0.value);
                Ok(())
            })?;
            f.v = Some((v, at));
        }
        "players" => f.players = Some(names(r, &JsonPath::key("players"))?),
        "weights" => f.weights = Some(weights(r, &JsonPath::key("weights"))?),
        "quota" => {
            f.quota = Some(unsigned(
                r,
                &JsonPath::key("quota"),
                "the quota must be a positive integer",
            )?)
        }
        "veto" => {
            let path = JsonPath::key("veto");
            let at = r.offset();
            let mut out = Vec::new();
            r.array("`veto` to be an array of players", |r, i| {
                let p = path.index(i);
                let at = r.offset();
                let entry = if r.at_string() {
                    Veto::Name(r.string("a player")?)
                } else {
                    Veto::Index(
                        unsigned(
                            r,
                            &p,
                            "a veto player is a 0-based index or a name in `players`",
                        )?
                        .0,
                    )
                };
                out.push((entry, at));
                Ok(())
            })?;
            f.veto = Some((out, at));
        }
        "rules" => {
            let path = JsonPath::key("rules");
            let at = r.offset();
            let mut out = Vec::new();
            r.array(
                "`rules` to be an array of {quota, weights} objects",
                |r, i| {
                    let rp = path.index(i);
                    let mut rule = Rule {
                        weights: None,
                        quota: None,
                        at: r.offset(),
                    };
                    r.object(
                        &format!("`{rp}` to be an object {{quota, weights}}"),
                        |r, key, key_at| match key {
                            "weights" => {
                                rule.weights = Some(weights(r, &rp.field("weights"))?);
                                Ok(())
                            }
                            "quota" => {
                                rule.quota = Some(unsigned(
                                    r,
                                    &rp.field("quota"),
                                    "the quota must be a positive integer",
                                )?);
                                Ok(())
                            }
                            other => Err(unknown_field(r, other, key_at, &["quota", "weights"])),
                        },
                    )?;
                    out.push(rule);
                    Ok(())
                },
            )?;
            f.rules = Some((out, at));
        }
        other if METADATA_FIELDS.contains(&other) => r.skip_value()?,
        other => return Err(unknown_field(r, other, key_at, COOP_FIELDS)),
    }
    Ok(())
}

/// Parses a TU game (`v` present) or a weighted voting game (`weights` present).
///
/// # Errors
/// [`Error::Parse`] at the line and column of the offending field: JSON syntax errors,
/// duplicate keys, unknown fields, `n` not a positive integer, `v` of the wrong length or with
/// a non-number, a negative or fractional weight, a weight or quota above 2^64 - 1, a quota of
/// 0 or above the total weight, a veto player out of range, player names of the wrong count.
/// Rules are numbered as in the file (`rules[0]` is the first entry of `rules`).
/// [`Error::TooLarge`] for a dense TU game of more than 30 players.
///
/// # Example
/// ```
/// use covenant::io::coop_json::{parse_coop_json, CoopInput};
/// use std::path::Path;
/// let g = parse_coop_json(r#"{"quota": 2, "weights": [1, 1, 1]}"#, Path::new("<input>")).unwrap();
/// assert!(matches!(g, CoopInput::Voting(w) if w.len() == 3));
/// ```
pub fn parse_coop_json(text: &str, file: &Path) -> Result<CoopInput> {
    let mut r = Reader::new(text, file);
    let mut f = Fields::default();
    let top = r.offset();
    r.object("a JSON object at the top level", |r, key, at| {
        member(r, key, at, &mut f)
    })?;
    r.finish()?;
    match (&f.v, &f.weights) {
        (Some(_), Some((_, at))) => Err(r.err_at(
            *at,
            "a game is either a TU game (`v`) or a weighted voting game (`weights`), not both",
        )),
        (Some(_), None) => parse_tu(&r, f).map(CoopInput::Tu),
        (None, Some(_)) => parse_voting(&r, f).map(CoopInput::Voting),
        (None, None) => Err(r.err_at(
            top,
            "expected a TU game (fields `n` and `v`) or a weighted voting game (fields \
             `quota` and `weights`)",
        )),
    }
}

/// Wraps a game-construction error as a parse error at `at`, naming `path`.
fn wrap(r: &Reader, at: usize, path: &str, e: Error) -> Error {
    match e {
        Error::InvalidGame(m) => r.err_at(at, format!("`{path}`: {m}")),
        other => other,
    }
}

fn parse_tu(r: &Reader, f: Fields) -> Result<TuGame> {
    let (v, v_at) = f.v.unwrap_or_default();
    let n = match f.n {
        Some((k, _)) if k >= 1 => k,
        Some((_, at)) => return Err(r.err_at(at, "`n`: expected a positive integer, found 0")),
        // Without `n`, infer it from a table of length 2^n.
        None if v.len() >= 2 && v.len().is_power_of_two() => u64::from(v.len().trailing_zeros()),
        None => {
            return Err(r.err_at(
                v_at,
                format!(
                    "`v`: no `n` given and the table's length {} is not 2^n for some n >= 1",
                    v.len()
                ),
            ))
        }
    };
    if n > crate::game::tu::MAX_DENSE_PLAYERS as u64 {
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        return Err(match TuGame::new(n, Vec::new()) {
            Err(e) => e,
            Ok(_) => Error::TooLarge(format!("a dense TU game of {n} players")),
        });
    }
    let n = n as usize;
    if v.len() != 1usize << n {
        return Err(r.err_at(
            v_at,
            format!(
                "`v`: a game of n = {n} players needs 2^{n} = {} values, found {}",
                1usize << n,
                v.len()
            ),
        ));
    }
    if v[0] != 0.0 {
        // `v[0]` is the first value after the `[`.
        return Err(r.err_at(
            v_at + 1,
            format!(
                "`v[0]`: the empty coalition must have value 0, found {}",
                v[0]
            ),
        ));
    }
    let mut g = TuGame::new(n, v).map_err(|e| wrap(r, v_at, "v", e))?;
    if let Some((names, at)) = f.players {
        g = g
            .with_players(names)
            .map_err(|e| wrap(r, at, "players", e))?;
    }
    Ok(g)
}

fn parse_voting(r: &Reader, f: Fields) -> Result<WeightedVoting> {
    let (w, w_at) = f.weights.unwrap_or_default();
    let Some((q, q_at)) = f.quota else {
        return Err(r.err_at(
            w_at,
            "missing `quota` (the weight a coalition needs to win)",
        ));
    };
    if w.is_empty() {
        return Err(r.err_at(w_at, "`weights`: a voting game needs at least one player"));
    }
    let n = w.len();
    if let Some((k, at)) = f.n {
        if k != n as u64 {
            return Err(r.err_at(
                at,
                format!("`n`: {k} players, but `weights` gives {n} (one weight per player)"),
            ));
        }
    }
    let mut g = WeightedVoting::new(w, q).map_err(|e| wrap(r, q_at, "quota", e))?;
    if let Some((rules, _)) = f.rules {
        for (i, rule) in rules.into_iter().enumerate() {
            let Some((rw, rw_at)) = rule.weights else {
                return Err(r.err_at(rule.at, format!("`rules[{i}]`: missing `weights`")));
            };
            let Some((rq, rq_at)) = rule.quota else {
                return Err(r.err_at(rule.at, format!("`rules[{i}]`: missing `quota`")));
            };
            if rw.len() != n {
                return Err(r.err_at(
                    rw_at,
                    format!(
                        "`rules[{i}].weights`: {} weights for {n} players (one per player)",
                        rw.len()
                    ),
                ));
            }
            g = g
                .with_rule(rw, rq)
                .map_err(|e| wrap(r, rq_at, &format!("rules[{i}].quota"), e))?;
        }
    }
    let names = f.players;
    if let Some((entries, veto_at)) = f.veto {
        let mut veto = Vec::with_capacity(entries.len());
        for (i, (entry, at)) in entries.into_iter().enumerate() {
            let idx = match &entry {
                Veto::Index(k) => usize::try_from(*k).ok().filter(|&k| k < n),
                Veto::Name(s) => names
                    .as_ref()
                    .and_then(|(ns, _)| ns.iter().position(|name| name == s)),
            };
            match idx {
                Some(k) => veto.push(k),
                None => {
                    let found = match entry {
                        Veto::Index(k) => format!("the index {k}"),
                        Veto::Name(s) => format!("the name \"{}\"", shorten(&s)),
                    };
                    return Err(r.err_at(
                        at,
                        format!(
                            "`veto[{i}]`: a veto player is a 0-based index below {n} or a \
                             name in `players`, found {found}"
                        ),
                    ));
                }
            }
        }
        g = g.with_veto(veto).map_err(|e| wrap(r, veto_at, "veto", e))?;
    }
    if let Some((names, at)) = names {
        g = g
            .with_players(names)
            .map_err(|e| wrap(r, at, "players", e))?;
    }
    Ok(g)
}

/// Writes a TU game as `{"n": n, "players": [...], "v": [...]}` (`players` only when named).
///
/// # Returns
/// JSON text that [`parse_coop_json`] reads back to an equal game (values in shortest
/// round-trip form).
pub fn write_tu_json(g: &TuGame) -> String {
    let mut s = format!("{{\n  \"n\": {},\n", g.num_players());
    if let Some(names) = g.players() {
        let names: Vec<String> = names
            .iter()
            .map(|x| serde_json::to_string(x).expect("serialising a string cannot fail"))
            .collect();
        s.push_str(&format!("  \"players\": [{}],\n", names.join(", ")));
    }
    let v: Vec<String> = g
        .values()
        .iter()
        .map(|&x| super::nfg::format_number(x))
        .collect();
    s.push_str(&format!("  \"v\": [{}]\n}}\n", v.join(", ")));
    s
}
