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

use super::json::{payoff, unknown_field, METADATA_FIELDS};
use super::json_reader::Reader;
use super::number::exact_value;
use super::JsonPath;
use crate::error::Result;
use crate::game::extensive::tree::{rational_from_f64, GameTree, NodeKind, TreeSpec};
use num_rational::BigRational;
use serde_json::{json, Value};
use std::path::Path;

/// An exact number at the cursor (a JSON number or a string holding one; see
/// [`super::json::payoff`]).
fn exact(r: &mut Reader, path: &JsonPath) -> Result<BigRational> {
    let at = r.offset();
    let (num, token) = payoff(r, || path.clone())?;
    let x = match token {
        // binary64 rounded it: the token holds the exact value.
        Some(t) => exact_value(&t),
        None => rational_from_f64(num.value),
    };
    x.ok_or_else(|| r.err_at(at, format!("`{path}`: not a finite number")))
}

fn string(r: &mut Reader, path: &JsonPath) -> Result<String> {
    r.string(&format!("`{path}` to be a string"))
}

/// A chance branch `{"action", "probability", "child"}` or, without a probability, a move
/// `{"action", "child"}`.
fn branch(
    r: &mut Reader,
    path: &JsonPath,
    chance: bool,
    depth: usize,
) -> Result<(String, Option<BigRational>, TreeSpec)> {
    let at = r.offset();
    let (mut action, mut prob, mut child) = (None, None, None);
    let accepted: &[&str] = if chance {
        &["action", "probability", "child"]
    } else {
        &["action", "child"]
    };
    let what = if chance { "a chance branch" } else { "a move" };
    r.object(
        &format!("`{path}` to be {what} object"),
        |r, key, key_at| {
            match key {
                "action" => action = Some(string(r, &path.field("action"))?),
                "probability" if chance => prob = Some(exact(r, &path.field("probability"))?),
                "child" => child = Some(node(r, &path.field("child"), depth + 1)?),
                other => return Err(unknown_field(r, other, key_at, accepted)),
            }
            Ok(())
        },
    )?;
    let missing = |field: &str| r.err_at(at, format!("`{path}`: {what} needs `{field}`"));
    let action = action.ok_or_else(|| missing("action"))?;
    if chance && prob.is_none() {
        return Err(missing("probability"));
    }
    let child = child.ok_or_else(|| missing("child"))?;
    Ok((action, prob, child))
}

/// The fields of a node object as read.
#[derive(Default)]
struct NodeFields {
    label: Option<String>,
    outcome: Option<String>,
    payoffs: Option<Vec<BigRational>>,
    chance: Option<Vec<(String, BigRational, TreeSpec)>>,
    moves: Option<Vec<(String, TreeSpec)>>,
    player: Option<usize>,
    infoset: Option<String>,
}

const NODE_FIELDS: &[&str] = &[
    "label", "outcome", "payoffs", "chance", "moves", "player", "infoset",
];

fn node_member(
    r: &mut Reader,
    key: &str,
    key_at: usize,
    path: &JsonPath,
    depth: usize,
    f: &mut NodeFields,
) -> Result<()> {
    let p = path.field(key);
    match key {
        "label" => f.label = Some(string(r, &p)?),
        "outcome" => f.outcome = Some(string(r, &p)?),
        "infoset" => f.infoset = Some(string(r, &p)?),
        "payoffs" => {
            let mut v = Vec::new();
            r.array(&format!("`{p}` to be an array of numbers"), |r, i| {
                v.push(exact(r, &p.index(i))?);
                Ok(())
            })?;
            f.payoffs = Some(v);
        }
        "chance" => {
            let mut v = Vec::new();
            r.array(&format!("`{p}` to be an array of branches"), |r, i| {
                let (a, q, c) = branch(r, &p.index(i), true, depth)?;
                v.extend(q.map(|q| (a, q, c)));
                Ok(())
            })?;
            f.chance = Some(v);
        }
        "moves" => {
            let mut v = Vec::new();
            r.array(&format!("`{p}` to be an array of moves"), |r, i| {
                let (a, _, c) = branch(r, &p.index(i), false, depth)?;
                v.push((a, c));
                Ok(())
            })?;
            f.moves = Some(v);
        }
        "player" => {
            let at = r.offset();
            let bad = |r: &mut Reader| {
                let found = r.found();
                r.err_at(
                    at,
                    format!("`{p}`: expected a 0-based player index, found {found}"),
                )
            };
            let Some(span) = r.number_token()? else {
                return Err(bad(r));
            };
            f.player = Some(r.slice(span).parse::<usize>().map_err(|_| {
                r.err_at(
                    at,
                    format!(
                        "`{p}`: expected a 0-based player index, found the number {}",
                        r.slice(span)
                    ),
                )
            })?);
        }
        other => return Err(unknown_field(r, other, key_at, NODE_FIELDS)),
    }
    Ok(())
}

fn node(r: &mut Reader, path: &JsonPath, depth: usize) -> Result<TreeSpec> {
    let at = r.offset();
    let mut f = NodeFields::default();
    r.object(
        &format!("`{path}` to be a node object"),
        |r, key, key_at| node_member(r, key, key_at, path, depth, &mut f),
    )?;
    let label = f.label.unwrap_or_default();
    let misplaced = |r: &Reader, kind: &str, fields: &[(&str, bool)]| -> Result<()> {
        match fields.iter().find(|(_, present)| *present) {
            Some((name, _)) => {
                Err(r.err_at(at, format!("`{path}`: a {kind} node has no `{name}`")))
            }
            None => Ok(()),
        }
    };
    match (f.payoffs, f.chance, f.moves) {
        (Some(payoffs), None, None) => {
            misplaced(
                r,
                "terminal",
                &[
                    ("player", f.player.is_some()),
                    ("infoset", f.infoset.is_some()),
                ],
            )?;
            Ok(TreeSpec::Terminal {
                label,
                outcome: f.outcome.unwrap_or_default(),
                payoffs,
            })
        }
        (None, Some(branches), None) => {
            misplaced(
                r,
                "chance",
                &[
                    ("player", f.player.is_some()),
                    ("infoset", f.infoset.is_some()),
                    ("outcome", f.outcome.is_some()),
                ],
            )?;
            Ok(TreeSpec::Chance { label, branches })
        }
        (None, None, Some(moves)) => {
            misplaced(r, "decision", &[("outcome", f.outcome.is_some())])?;
            let player = f.player.ok_or_else(|| {
                r.err_at(at, format!("`{path}`: a decision node needs a `player`"))
            })?;
            let infoset = f.infoset.ok_or_else(|| {
                r.err_at(
                    at,
                    format!("`{path}`: a decision node needs an `infoset` key"),
                )
            })?;
            Ok(TreeSpec::Decision {
                label,
                player,
                infoset,
                moves,
            })
        }
        (None, None, None) => Err(r.err_at(
            at,
            format!(
                "`{path}`: a node needs `payoffs` (terminal), `chance` (chance node) or `moves` \
                 (decision node)"
            ),
        )),
        _ => Err(r.err_at(
            at,
            format!("`{path}`: a node has one of `payoffs`, `chance` and `moves`, not several"),
        )),
    }
}

/// Whether a JSON text is a game tree: a well-formed object with a top-level `root`.
pub fn is_tree_json(text: &str) -> bool {
    let mut r = Reader::new(text, Path::new(""));
    let mut root = false;
    r.object("an object", |r, key, _| {
        root |= key == "root";
        r.skip_value()
    })
    .and_then(|()| r.finish())
    .is_ok()
        && root
}

const TREE_FIELDS: &[&str] = &["title", "comment", "players", "root"];

/// Parses a game tree from JSON (format in the module documentation).
///
/// # Errors
/// [`crate::Error::Parse`] with the line and column of the offending value (and its JSON
/// path): syntax, a key given twice, an unknown field, a value of the wrong type or a field
/// that does not belong to its kind of node; structural errors of the tree (inconsistent
/// information sets, probabilities not summing to 1, wrong payoff counts) are reported at
/// the `root`. Arrays and objects nest at most
/// 128 deep (about 40 levels of a tree; write deeper trees as `.efg`).
pub fn parse_tree_json(text: &str, file: &Path) -> Result<GameTree> {
    let mut r = Reader::new(text, file);
    let (mut title, mut comment, mut players, mut root) = (None, None, None, None);
    let mut root_at = 0;
    r.object("a JSON object at the top level", |r, key, key_at| {
        let p = JsonPath::key(key);
        match key {
            "title" => title = Some(string(r, &p)?),
            "comment" => comment = Some(string(r, &p)?),
            "players" => {
                let mut v = Vec::new();
                r.array("`players` to be an array of names", |r, i| {
                    v.push(string(r, &p.index(i))?);
                    Ok(())
                })?;
                players = Some(v);
            }
            "root" => {
                root_at = r.offset();
                root = Some(node(r, &p, 0)?);
            }
            other if METADATA_FIELDS.contains(&other) => r.skip_value()?,
            other => return Err(unknown_field(r, other, key_at, TREE_FIELDS)),
        }
        Ok(())
    })?;
    r.finish()?;
    let players = players.ok_or_else(|| r.err_at(0, "missing `players`"))?;
    let spec = root.ok_or_else(|| r.err_at(0, "missing `root`"))?;
    let tree =
        GameTree::new(players, spec).map_err(|e| r.err_at(root_at, format!("`root`: {e}")))?;
    Ok(tree
        .with_title(title.unwrap_or_default())
        .with_comment(comment.unwrap_or_default()))
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
