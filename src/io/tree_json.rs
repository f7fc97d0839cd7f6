//! Game trees as JSON.
//!
//! ```json
//! {
//!   "title": "Two-step deterrence",
//!   "players": ["Challenger", "Defender"],
//!   "root": {
//!     "player": 0, "infoset": "Ch",
//!     "moves": [
//!       {"action": "Not", "child": {"outcome": "SQ", "payoffs": [0, 0]}},
//!       {"action": "Challenge", "child": {
//!         "player": 1, "infoset": "Def",
//!         "moves": [
//!           {"action": "Concede", "child": {"payoffs": [1, -1]}},
//!           {"action": "Resist", "child": {"payoffs": [-2, "-1/2"]}}]}}]
//!   }
//! }
//! ```
//!
//! A node is a terminal (`payoffs`, optional `outcome`), a chance node (`chance`: a list of
//! `{"action", "probability", "child"}`) or a decision node (`player`, 0-based; `infoset`, the
//! key shared by the nodes of one information set; `moves`: a list of `{"action", "child"}`).
//! Every node may have a `label`. Numbers are JSON numbers (read exactly from their decimal
//! text) or strings holding an integer, decimal or rational `p/q`.

use super::efg::parse_rational;
use super::json_doc::{kind, Doc};
use super::JsonPath;
use crate::error::Result;
use crate::game::extensive::tree::{GameTree, NodeKind, TreeSpec};
use num_rational::BigRational;
use serde_json::{json, Value};
use std::path::Path;

fn exact(doc: &Doc<'_>, v: &Value, path: &JsonPath) -> Result<BigRational> {
    let text = match v {
        Value::Number(x) => x.to_string(),
        Value::String(s) => s.trim().to_string(),
        other => return Err(doc.err(path, format!("expected a number, found {}", kind(other)))),
    };
    parse_rational(&text).ok_or_else(|| {
        doc.err(
            path,
            format!("`{text}` is not a finite number (integer, decimal or rational p/q)"),
        )
    })
}

fn string_field(
    doc: &Doc<'_>,
    obj: &serde_json::Map<String, Value>,
    key: &str,
    path: &JsonPath,
) -> Result<Option<String>> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(doc.err(
            &path.field(key),
            format!("expected a string, found {}", kind(other)),
        )),
    }
}

fn node(doc: &Doc<'_>, v: &Value, path: &JsonPath, depth: usize) -> Result<TreeSpec> {
    if depth > 10_000 {
        return Err(doc.err(path, "tree deeper than 10000 levels"));
    }
    let obj = v
        .as_object()
        .ok_or_else(|| doc.err(path, format!("expected a node object, found {}", kind(v))))?;
    let label = string_field(doc, obj, "label", path)?.unwrap_or_default();
    if let Some(p) = obj.get("payoffs") {
        let pp = path.field("payoffs");
        let payoffs = doc
            .array(p, &pp)?
            .iter()
            .enumerate()
            .map(|(i, x)| exact(doc, x, &pp.index(i)))
            .collect::<Result<Vec<_>>>()?;
        let outcome = string_field(doc, obj, "outcome", path)?.unwrap_or_default();
        return Ok(TreeSpec::Terminal {
            label,
            outcome,
            payoffs,
        });
    }
    if let Some(c) = obj.get("chance") {
        let cp = path.field("chance");
        let mut branches = Vec::new();
        for (i, b) in doc.array(c, &cp)?.iter().enumerate() {
            let bp = cp.index(i);
            let bo = b.as_object().ok_or_else(|| {
                doc.err(&bp, format!("expected a branch object, found {}", kind(b)))
            })?;
            let action = string_field(doc, bo, "action", &bp)?
                .ok_or_else(|| doc.err(&bp, "a branch needs an `action` name"))?;
            let prob = bo
                .get("probability")
                .ok_or_else(|| doc.err(&bp, "a chance branch needs a `probability`"))?;
            let prob = exact(doc, prob, &bp.field("probability"))?;
            let child = bo
                .get("child")
                .ok_or_else(|| doc.err(&bp, "a branch needs a `child` node"))?;
            branches.push((
                action,
                prob,
                node(doc, child, &bp.field("child"), depth + 1)?,
            ));
        }
        return Ok(TreeSpec::Chance { label, branches });
    }
    if let Some(m) = obj.get("moves") {
        let player = match obj.get("player") {
            Some(Value::Number(x)) if x.as_u64().is_some() => x.as_u64().unwrap_or(0) as usize,
            Some(other) => {
                return Err(doc.err(
                    &path.field("player"),
                    format!("expected a 0-based player index, found {}", kind(other)),
                ))
            }
            None => return Err(doc.err(path, "a decision node needs a `player`")),
        };
        let infoset = string_field(doc, obj, "infoset", path)?
            .ok_or_else(|| doc.err(path, "a decision node needs an `infoset` key"))?;
        let mp = path.field("moves");
        let mut moves = Vec::new();
        for (i, b) in doc.array(m, &mp)?.iter().enumerate() {
            let bp = mp.index(i);
            let bo = b.as_object().ok_or_else(|| {
                doc.err(&bp, format!("expected a move object, found {}", kind(b)))
            })?;
            let action = string_field(doc, bo, "action", &bp)?
                .ok_or_else(|| doc.err(&bp, "a move needs an `action` name"))?;
            let child = bo
                .get("child")
                .ok_or_else(|| doc.err(&bp, "a move needs a `child` node"))?;
            moves.push((action, node(doc, child, &bp.field("child"), depth + 1)?));
        }
        return Ok(TreeSpec::Decision {
            label,
            player,
            infoset,
            moves,
        });
    }
    Err(doc.err(
        path,
        "a node needs `payoffs` (terminal), `chance` (chance node) or `moves` (decision node)",
    ))
}

/// Whether a JSON text is a game tree (its top-level object has a `root`).
pub fn is_tree_json(text: &str) -> bool {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.contains_key("root")))
        .unwrap_or(false)
}

/// Parses a game tree from JSON (format in the module documentation).
///
/// # Errors
/// [`crate::Error::Parse`] with the line and column of the offending value (and its JSON
/// path); structural errors of the tree (inconsistent information sets, probabilities not
/// summing to 1, wrong payoff counts) are reported at the `root`.
pub fn parse_tree_json(text: &str, file: &Path) -> Result<GameTree> {
    let doc = Doc { text, file };
    let v = doc.parse()?;
    let obj = doc.object(&v)?;
    let players = match obj.get("players") {
        Some(p) => doc.strings(p, &JsonPath::key("players"))?,
        None => return Err(doc.err(&JsonPath::default(), "missing `players`")),
    };
    let root = obj
        .get("root")
        .ok_or_else(|| doc.err(&JsonPath::default(), "missing `root`"))?;
    let spec = node(&doc, root, &JsonPath::key("root"), 0)?;
    let title = string_field(&doc, obj, "title", &JsonPath::default())?.unwrap_or_default();
    let comment = string_field(&doc, obj, "comment", &JsonPath::default())?.unwrap_or_default();
    let tree = GameTree::new(players, spec).map_err(|e| doc.err(&JsonPath::key("root"), e))?;
    Ok(tree.with_title(title).with_comment(comment))
}

fn num(x: &BigRational) -> Value {
    if x.is_integer() {
        if let Ok(i) = i64::try_from(x.to_integer()) {
            return json!(i);
        }
    }
    json!(x.to_string())
}

fn node_json(t: &GameTree, i: usize) -> Value {
    let n = t.node(i);
    let mut v = match &n.kind {
        NodeKind::Terminal {
            outcome, payoffs, ..
        } => {
            let mut v = json!({ "payoffs": payoffs.iter().map(num).collect::<Vec<_>>() });
            if !outcome.is_empty() {
                v["outcome"] = json!(outcome);
            }
            v
        }
        NodeKind::Chance { actions, probs, .. } => json!({
            "chance": actions.iter().zip(probs).zip(&n.children).map(|((a, p), &c)| json!({
                "action": a, "probability": num(p), "child": node_json(t, c)
            })).collect::<Vec<_>>()
        }),
        NodeKind::Decision { infoset } => {
            let s = &t.infosets()[*infoset];
            json!({
                "player": s.player,
                "infoset": s.label,
                "moves": s.actions.iter().zip(&n.children).map(|(a, &c)| json!({
                    "action": a, "child": node_json(t, c)
                })).collect::<Vec<_>>()
            })
        }
    };
    if !n.label.is_empty() {
        v["label"] = json!(n.label);
    }
    v
}

/// Writes a tree as JSON (the format [`parse_tree_json`] reads; numbers exact: integers as
/// JSON numbers, other rationals as `"p/q"` strings).
pub fn write_tree_json(t: &GameTree) -> String {
    let v = json!({
        "title": t.title(),
        "comment": t.comment(),
        "players": t.players(),
        "root": node_json(t, 0),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
