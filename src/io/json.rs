//! JSON normal-form games.
//!
//! Two shapes are read:
//! - the n-player form `{"title": "...", "players": [...], "strategies": [[...], ...],
//!   "payoffs": [P_0, ..., P_{n-1}]}`, where `P_p` is player `p`'s payoff tensor nested as
//!   `[a_0][a_1]...[a_{n-1}]`; `title`, `players` and `strategies` are optional;
//! - the bimatrix form `{"A": [[..]], "B": [[..]]}` of the reference games (`A[i][j]` the row
//!   player's payoff), with optional `players`, `strategies` (or `rows` and `cols`), `title`.
//!
//! Unknown fields are ignored. A payoff is a JSON number or a string holding an integer,
//! decimal or rational `p/q` (so exact fractions survive); `"NaN"` and `"inf"` are errors.

use super::nfg::{format_number, parse_number};
use super::{locate, parse_error, JsonPath, Pos};
use crate::error::{Error, Result};
use crate::game::NormalForm;
use ndarray::{ArrayD, IxDyn};
use serde_json::Value;
use std::path::Path;

/// A JSON document being read: its text (to locate fields) and the file name for errors.
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub file: &'a Path,
}

impl Doc<'_> {
    /// Parses the text; syntax errors carry serde_json's line and column.
    pub(crate) fn parse(&self) -> Result<Value> {
        serde_json::from_str(self.text).map_err(|e| {
            parse_error(
                self.file,
                Pos {
                    line: e.line().max(1),
                    column: e.column().max(1),
                },
                format!("invalid JSON: {e}"),
            )
        })
    }

    /// An error at the value `path` points to.
    pub(crate) fn err(&self, path: &JsonPath, msg: impl std::fmt::Display) -> Error {
        parse_error(
            self.file,
            locate(self.text, path),
            format!("`{path}`: {msg}"),
        )
    }

    /// A finite number: a JSON number or a numeric string (`"3/4"`, `"1e-3"`).
    pub(crate) fn number(&self, v: &Value, path: &JsonPath) -> Result<f64> {
        match v {
            Value::Number(x) => x
                .as_f64()
                .filter(|x| x.is_finite())
                .ok_or_else(|| self.err(path, format!("{x} is not a finite number"))),
            Value::String(s) => parse_number(s.trim()).ok_or_else(|| {
                self.err(
                    path,
                    format!(
                        "\"{s}\" is not a finite number (expected an integer, decimal or \
                         rational p/q)"
                    ),
                )
            }),
            other => Err(self.err(path, format!("expected a number, found {}", kind(other)))),
        }
    }

    /// An array.
    pub(crate) fn array<'v>(&self, v: &'v Value, path: &JsonPath) -> Result<&'v Vec<Value>> {
        v.as_array()
            .ok_or_else(|| self.err(path, format!("expected an array, found {}", kind(v))))
    }

    /// A list of strings.
    pub(crate) fn strings(&self, v: &Value, path: &JsonPath) -> Result<Vec<String>> {
        self.array(v, path)?
            .iter()
            .enumerate()
            .map(|(i, s)| {
                s.as_str().map(str::to_string).ok_or_else(|| {
                    self.err(
                        &path.index(i),
                        format!("expected a string, found {}", kind(s)),
                    )
                })
            })
            .collect()
    }

    /// The top-level object.
    pub(crate) fn object<'v>(&self, v: &'v Value) -> Result<&'v serde_json::Map<String, Value>> {
        v.as_object().ok_or_else(|| {
            parse_error(
                self.file,
                Pos::START,
                format!("expected a JSON object at the top level, found {}", kind(v)),
            )
        })
    }
}

/// A short description of a JSON value's type.
pub(crate) fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(x) => format!("the number {x}"),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Reads a rectangular nested array of `depth` levels into a row-major vector, fixing the
/// shape from the first element at each level and requiring every sibling to match.
fn tensor(
    doc: &Doc,
    v: &Value,
    path: &JsonPath,
    depth: usize,
    shape: &mut Vec<usize>,
    level: usize,
    out: &mut Vec<f64>,
) -> Result<()> {
    if level == depth {
        out.push(doc.number(v, path)?);
        return Ok(());
    }
    let arr = match v {
        Value::Array(a) => a,
        other => {
            return Err(doc.err(
                path,
                format!(
                    "expected an array (level {} of {depth}: one per player), found {}",
                    level + 1,
                    kind(other)
                ),
            ))
        }
    };
    if shape.len() == level {
        if arr.is_empty() {
            return Err(doc.err(
                path,
                format!("player {level} has no strategies (empty array)"),
            ));
        }
        shape.push(arr.len());
    } else if arr.len() != shape[level] {
        return Err(doc.err(
            path,
            format!(
                "ragged payoffs: {} entries where player {level} has {} strategies",
                arr.len(),
                shape[level]
            ),
        ));
    }
    for (i, x) in arr.iter().enumerate() {
        tensor(doc, x, &path.index(i), depth, shape, level + 1, out)?;
    }
    Ok(())
}

/// Parses a JSON game (n-player or bimatrix form, see the module docs).
///
/// # Arguments
/// * `text` — the JSON text.
/// * `file` — the name reported in errors.
///
/// # Errors
/// [`Error::Parse`]: JSON syntax errors at serde_json's line and column; shape errors (ragged
/// or empty arrays, non-numbers, `"NaN"`, name lists of the wrong length) name the JSON path,
/// e.g. `payoffs[1][2]`, at the line where that value starts.
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
    let doc = Doc { text, file };
    let root = doc.parse()?;
    let obj = doc.object(&root)?;

    let (tensors_json, tensor_paths): (Vec<&Value>, Vec<JsonPath>) =
        if let Some(p) = obj.get("payoffs") {
            let path = JsonPath::key("payoffs");
            let arr = doc.array(p, &path)?;
            if arr.is_empty() {
                return Err(doc.err(&path, "a game needs at least one player"));
            }
            (
                arr.iter().collect(),
                (0..arr.len()).map(|i| path.index(i)).collect(),
            )
        } else if let (Some(a), Some(b)) = (obj.get("A"), obj.get("B")) {
            (vec![a, b], vec![JsonPath::key("A"), JsonPath::key("B")])
        } else {
            return Err(parse_error(
                file,
                Pos::START,
                "expected a `payoffs` array (n-player form) or `A` and `B` matrices \
                 (bimatrix form)",
            ));
        };
    let n = tensors_json.len();
    let mut shape = Vec::with_capacity(n);
    let mut flats = Vec::with_capacity(n);
    for (v, path) in tensors_json.iter().zip(&tensor_paths) {
        let mut flat = Vec::new();
        tensor(&doc, v, path, n, &mut shape, 0, &mut flat)?;
        flats.push(flat);
    }

    let players = match obj.get("players") {
        Some(v) => {
            let path = JsonPath::key("players");
            let names = doc.strings(v, &path)?;
            if names.len() != n {
                return Err(doc.err(
                    &path,
                    format!("{} player names for {n} players", names.len()),
                ));
            }
            names
        }
        None => (1..=n).map(|i| i.to_string()).collect(),
    };
    let strategies = if let Some(v) = obj.get("strategies") {
        let path = JsonPath::key("strategies");
        let lists = doc.array(v, &path)?;
        if lists.len() != n {
            return Err(doc.err(
                &path,
                format!("{} strategy lists for {n} players", lists.len()),
            ));
        }
        let mut out = Vec::with_capacity(n);
        for (p, l) in lists.iter().enumerate() {
            let names = doc.strings(l, &path.index(p))?;
            if names.len() != shape[p] {
                return Err(doc.err(
                    &path.index(p),
                    format!(
                        "{} strategy names but player {p} has {} strategies",
                        names.len(),
                        shape[p]
                    ),
                ));
            }
            out.push(names);
        }
        out
    } else if let (2, Some(r), Some(c)) = (n, obj.get("rows"), obj.get("cols")) {
        let mut out = Vec::with_capacity(2);
        for (p, (v, key)) in [(r, "rows"), (c, "cols")].into_iter().enumerate() {
            let path = JsonPath::key(key);
            let names = doc.strings(v, &path)?;
            if names.len() != shape[p] {
                return Err(doc.err(
                    &path,
                    format!(
                        "{} names but player {p} has {} strategies",
                        names.len(),
                        shape[p]
                    ),
                ));
            }
            out.push(names);
        }
        out
    } else {
        shape
            .iter()
            .map(|&k| (1..=k).map(|i| i.to_string()).collect())
            .collect()
    };
    let title = match obj.get("title") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(doc.err(
                &JsonPath::key("title"),
                format!("expected a string, found {}", kind(other)),
            ))
        }
        None => String::new(),
    };

    let payoffs = flats
        .into_iter()
        .map(|v| ArrayD::from_shape_vec(IxDyn(&shape), v))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| parse_error(file, Pos::START, format!("payoff tensor: {e}")))?;
    NormalForm::with_names(players, strategies, payoffs)
        .map(|g| g.with_title(title))
        .map_err(|e| parse_error(file, Pos::START, e.to_string()))
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
