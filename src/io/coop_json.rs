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
//! Unknown fields (`kind`, `seed`, `source`, …) are ignored.

use super::json::{kind, Doc};
use super::{parse_error, read_text, JsonPath, Pos};
use crate::error::{Error, Result};
use crate::game::{CoalitionalGame, TuGame, WeightedVoting};
use serde_json::Value;
use std::path::Path;

/// A cooperative game read from JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum CoopInput {
    /// A TU game given by its value table.
    Tu(TuGame),
    /// A weighted voting game.
    Voting(WeightedVoting),
}

/// Reads a cooperative game from a JSON file.
///
/// # Errors
/// [`Error::Io`] naming the path; [`Error::Parse`] as in [`parse_coop_json`].
pub fn read_coop(path: &Path) -> Result<CoopInput> {
    let text = read_text(path)?;
    parse_coop_json(&text, path)
}

/// Parses a TU game (`v` present) or a weighted voting game (`weights` present).
///
/// # Errors
/// [`Error::Parse`] at the line of the offending field: JSON syntax errors, `n` not a positive
/// integer, `v` of the wrong length or with a non-number, a negative or fractional weight, a
/// quota of 0 or above the total weight, a veto player out of range, player names of the wrong
/// count. [`Error::TooLarge`] for a dense TU game of more than 30 players.
///
/// # Example
/// ```
/// use covenant::io::coop_json::{parse_coop_json, CoopInput};
/// use std::path::Path;
/// let g = parse_coop_json(r#"{"quota": 2, "weights": [1, 1, 1]}"#, Path::new("<input>")).unwrap();
/// assert!(matches!(g, CoopInput::Voting(w) if w.len() == 3));
/// ```
pub fn parse_coop_json(text: &str, file: &Path) -> Result<CoopInput> {
    let doc = Doc { text, file };
    let root = doc.parse()?;
    let obj = doc.object(&root)?;
    if obj.contains_key("v") {
        parse_tu(&doc, obj).map(CoopInput::Tu)
    } else if obj.contains_key("weights") {
        parse_voting(&doc, obj).map(CoopInput::Voting)
    } else {
        Err(parse_error(
            file,
            Pos::START,
            "expected a TU game (fields `n` and `v`) or a weighted voting game (fields \
             `quota` and `weights`)",
        ))
    }
}

/// Wraps a game-construction error as a parse error at `path`.
fn wrap(doc: &Doc, path: &JsonPath, e: Error) -> Error {
    match e {
        Error::InvalidGame(m) => doc.err(path, m),
        other => other,
    }
}

fn players(doc: &Doc, obj: &serde_json::Map<String, Value>) -> Result<Option<Vec<String>>> {
    obj.get("players")
        .map(|v| doc.strings(v, &JsonPath::key("players")))
        .transpose()
}

fn parse_tu(doc: &Doc, obj: &serde_json::Map<String, Value>) -> Result<TuGame> {
    let v_path = JsonPath::key("v");
    let v_json = doc.array(&obj["v"], &v_path)?;
    let n = match obj.get("n") {
        Some(x) => {
            let path = JsonPath::key("n");
            match x.as_u64() {
                Some(k) if k >= 1 => k as usize,
                _ => {
                    return Err(doc.err(
                        &path,
                        format!("expected a positive integer, found {}", kind(x)),
                    ))
                }
            }
        }
        // Without `n`, infer it from a table of length 2^n.
        None if v_json.len() >= 2 && v_json.len().is_power_of_two() => {
            v_json.len().trailing_zeros() as usize
        }
        None => {
            return Err(doc.err(
                &v_path,
                format!(
                    "no `n` given and the table's length {} is not 2^n for some n >= 1",
                    v_json.len()
                ),
            ))
        }
    };
    if n > crate::game::tu::MAX_DENSE_PLAYERS {
        return Err(TuGame::new(n, Vec::new()).expect_err("n above the dense limit is refused"));
    }
    if v_json.len() != 1usize << n {
        return Err(doc.err(
            &v_path,
            format!(
                "a game of n = {n} players needs 2^{n} = {} values, found {}",
                1usize << n,
                v_json.len()
            ),
        ));
    }
    let v = v_json
        .iter()
        .enumerate()
        .map(|(i, x)| doc.number(x, &v_path.index(i)))
        .collect::<Result<Vec<f64>>>()?;
    if v[0] != 0.0 {
        return Err(doc.err(
            &v_path.index(0),
            format!("the empty coalition must have value 0, found {}", v[0]),
        ));
    }
    let mut g = TuGame::new(n, v).map_err(|e| wrap(doc, &v_path, e))?;
    if let Some(names) = players(doc, obj)? {
        g = g
            .with_players(names)
            .map_err(|e| wrap(doc, &JsonPath::key("players"), e))?;
    }
    Ok(g)
}

fn weights(doc: &Doc, v: &Value, path: &JsonPath) -> Result<Vec<u64>> {
    doc.array(v, path)?
        .iter()
        .enumerate()
        .map(|(i, w)| {
            w.as_u64().ok_or_else(|| {
                doc.err(
                    &path.index(i),
                    format!("a weight must be a non-negative integer, found {}", kind(w)),
                )
            })
        })
        .collect()
}

fn quota(doc: &Doc, v: Option<&Value>, path: &JsonPath) -> Result<u64> {
    match v {
        Some(q) => q.as_u64().ok_or_else(|| {
            doc.err(
                path,
                format!("the quota must be a positive integer, found {}", kind(q)),
            )
        }),
        None => Err(doc.err(path, "missing `quota`")),
    }
}

fn parse_voting(doc: &Doc, obj: &serde_json::Map<String, Value>) -> Result<WeightedVoting> {
    let w_path = JsonPath::key("weights");
    let q_path = JsonPath::key("quota");
    let w = weights(doc, &obj["weights"], &w_path)?;
    let q = quota(doc, obj.get("quota"), &q_path)?;
    if w.is_empty() {
        return Err(doc.err(&w_path, "a voting game needs at least one player"));
    }
    let mut g = WeightedVoting::new(w, q).map_err(|e| wrap(doc, &q_path, e))?;
    if let Some(rules) = obj.get("rules") {
        let path = JsonPath::key("rules");
        for (i, r) in doc.array(rules, &path)?.iter().enumerate() {
            let rp = path.index(i);
            let ro = r.as_object().ok_or_else(|| {
                doc.err(
                    &rp,
                    format!("expected an object {{quota, weights}}, found {}", kind(r)),
                )
            })?;
            let wp = rp.field("weights");
            let rw = match ro.get("weights") {
                Some(x) => weights(doc, x, &wp)?,
                None => return Err(doc.err(&rp, "missing `weights`")),
            };
            let rq = quota(doc, ro.get("quota"), &rp.field("quota"))?;
            g = g.with_rule(rw, rq).map_err(|e| wrap(doc, &rp, e))?;
        }
    }
    let names = players(doc, obj)?;
    if let Some(v) = obj.get("veto") {
        let path = JsonPath::key("veto");
        let n = g.len();
        let mut veto = Vec::new();
        for (i, x) in doc.array(v, &path)?.iter().enumerate() {
            let p = path.index(i);
            let idx = match x {
                Value::Number(_) => x.as_u64().map(|k| k as usize).filter(|&k| k < n),
                Value::String(s) => names
                    .as_ref()
                    .and_then(|ns| ns.iter().position(|name| name == s)),
                _ => None,
            };
            match idx {
                Some(k) => veto.push(k),
                None => {
                    return Err(doc.err(
                        &p,
                        format!(
                            "a veto player is a 0-based index below {n} or a name in \
                             `players`, found {}",
                            kind(x)
                        ),
                    ))
                }
            }
        }
        g = g.with_veto(veto).map_err(|e| wrap(doc, &path, e))?;
    }
    if let Some(names) = names {
        g = g
            .with_players(names)
            .map_err(|e| wrap(doc, &JsonPath::key("players"), e))?;
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
