//! Gambit extensive-form files (`.efg`, format version 2).
//!
//! ```text
//! EFG 2 R "title" { "Player 1" "Player 2" }
//! "optional comment"
//!
//! c "node" 1 "chance set" { "H" 1/3 "S" 2/3 } 0
//! p "node" 1 1 "set name" { "a" "b" } 0
//! t "leaf" 1 "outcome name" { 3, -1 }
//! t "leaf" 1
//! ```
//!
//! Nodes are listed in prefix order. A chance node (`c`) gives its chance information set
//! number, then optionally the set's name and its actions with probabilities; a player node
//! (`p`) gives the 1-based player, the information-set number (per player), then optionally the
//! set's name and actions. The name and action list may be left out when the set was declared at
//! an earlier node. Every node then gives an outcome number (`0`: no outcome) followed, where
//! the outcome is declared, by its name and payoff list; a later use of the same outcome may
//! give the number alone (Gambit's *outcome* notation) or repeat the payoffs (the *payoff*
//! notation: every leaf carries its own numbers). Payoffs are separated by spaces or commas.
//!
//! Outcomes at non-terminal nodes are legal in Gambit: their payoffs accrue to every play
//! through the node. A [`GameTree`] keeps payoffs at the leaves only, so such payoffs are added
//! into the leaves below (the game is the same; [`write_efg`] then writes them at the leaves).
//!
//! Numbers are integers, decimals (with an optional exponent) or rationals `p/q`, all read
//! exactly. Probabilities at a chance node must sum to exactly 1.

use super::gambit_lex::{lex, quote, Tok, Token};
use super::number::{exact_value, parse_number, NumError};
use super::{parse_error, read_text, Pos};
use crate::error::{Error, Result};
use crate::game::extensive::tree::{GameTree, NodeKind, TreeSpec};
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// A declared information set: name, actions and (chance only) probabilities.
type SetDecl = (String, Vec<String>, Vec<BigRational>);

struct Parser<'a> {
    toks: Vec<Token>,
    i: usize,
    eof: Pos,
    file: &'a Path,
    n: usize,
    /// (player 1-based or 0 for chance, number) -> (name, actions, probabilities).
    sets: HashMap<(usize, usize), SetDecl>,
    /// outcome number -> (name, payoffs).
    outcomes: HashMap<usize, (String, Vec<BigRational>)>,
    /// Infoset labels by (0-based player, number), for renaming after the build.
    names: HashMap<(usize, String), String>,
}

/// A node with outcome payoffs accumulated along the way, before conversion to a spec.
impl Parser<'_> {
    fn err(&self, pos: Pos, msg: impl Into<String>) -> Error {
        parse_error(self.file, pos, msg)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.tok)
    }

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

    fn opt_string(&mut self) -> Option<String> {
        if let Some(Tok::Str(s)) = self.peek() {
            let s = s.clone();
            self.i += 1;
            Some(s)
        } else {
            None
        }
    }

    fn number(&mut self, expected: &str) -> Result<(BigRational, Pos)> {
        let t = self.next(expected)?;
        match &t.tok {
            Tok::Word(w) => match parse_number(w.as_bytes()) {
                Ok(_) => exact_value(w.as_bytes())
                    .map(|x| (x, t.pos))
                    .ok_or_else(|| self.err(t.pos, NumError::Syntax.message(w))),
                Err(e) => Err(self.err(t.pos, e.message(w))),
            },
            other => Err(self.err(
                t.pos,
                format!("expected {expected}, found {}", other.describe()),
            )),
        }
    }

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
        if self.peek() == Some(&Tok::Comma) {
            self.i += 1;
        }
    }

    /// `{ "a" "b" }` or, for chance, `{ "a" p "b" q }`.
    fn action_list(&mut self, chance: bool) -> Result<(Vec<String>, Vec<BigRational>, Pos)> {
        let open = self.expect(&Tok::Open, "`{` opening the action list")?;
        let mut actions = Vec::new();
        let mut probs = Vec::new();
        loop {
            let t = self.next("an action name or `}`")?;
            match t.tok {
                Tok::Close => break,
                Tok::Str(s) => {
                    actions.push(s);
                    if chance {
                        self.skip_comma();
                        let (p, _) = self.number("the action's probability")?;
                        probs.push(p);
                    }
                    self.skip_comma();
                }
                other => {
                    return Err(self.err(
                        t.pos,
                        format!(
                            "expected an action name or `}}`, found {}",
                            other.describe()
                        ),
                    ))
                }
            }
        }
        if actions.is_empty() {
            return Err(self.err(open, "empty action list: a node needs at least one action"));
        }
        if chance {
            let total: BigRational = probs.iter().sum();
            if let Some(k) = probs
                .iter()
                .position(|p| p.is_negative() || *p > BigRational::one())
            {
                return Err(self.err(
                    open,
                    format!(
                        "probability {} of `{}` is outside [0, 1]",
                        probs[k], actions[k]
                    ),
                ));
            }
            if !total.is_one() {
                return Err(self.err(open, format!("chance probabilities sum to {total}, not 1")));
            }
        }
        Ok((actions, probs, open))
    }

    /// The outcome part of a node: number, then optional name and payoffs.
    fn outcome(&mut self) -> Result<(String, Vec<BigRational>)> {
        let (k, pos) = self.count("an outcome number (0 for none)")?;
        let name = self.opt_string();
        let payoffs = if self.peek() == Some(&Tok::Open) {
            let open = self.expect(&Tok::Open, "`{`")?;
            let mut v = Vec::with_capacity(self.n);
            loop {
                if self.peek() == Some(&Tok::Close) {
                    self.i += 1;
                    break;
                }
                let (x, _) = self.number("a payoff or `}`")?;
                v.push(x);
                self.skip_comma();
            }
            if v.len() != self.n {
                return Err(self.err(open, format!("{} payoffs for {} players", v.len(), self.n)));
            }
            Some(v)
        } else {
            None
        };
        if k == 0 {
            if payoffs.is_some() {
                return Err(self.err(pos, "outcome 0 means no outcome and cannot carry payoffs"));
            }
            return Ok((String::new(), vec![BigRational::zero(); self.n]));
        }
        match (self.outcomes.get(&k), payoffs) {
            (None, None) => Err(self.err(
                pos,
                format!("outcome {k} is used before its payoffs are given"),
            )),
            (None, Some(v)) => {
                let name = name.unwrap_or_default();
                self.outcomes.insert(k, (name.clone(), v.clone()));
                Ok((name, v))
            }
            (Some((old_name, old)), Some(v)) => {
                if *old != v {
                    return Err(self.err(
                        pos,
                        format!(
                            "outcome {k} was declared earlier with other payoffs ({})",
                            join(old)
                        ),
                    ));
                }
                Ok((name.unwrap_or_else(|| old_name.clone()), v))
            }
            (Some((old_name, old)), None) => Ok((old_name.clone(), old.clone())),
        }
    }

    /// One node (and its subtree), with the payoffs of outcomes met above it.
    fn node(&mut self, above: &[BigRational], depth: usize) -> Result<TreeSpec> {
        if depth > 10_000 {
            let pos = self.toks.get(self.i).map_or(self.eof, |t| t.pos);
            return Err(self.err(pos, "tree deeper than 10000 levels"));
        }
        let t = self.next("a node (`c`, `p` or `t`)")?;
        let kind = match &t.tok {
            Tok::Word(w) if w == "c" || w == "p" || w == "t" => w.clone(),
            other => {
                return Err(self.err(
                    t.pos,
                    format!(
                        "expected a node (`c`, `p` or `t`), found {}",
                        other.describe()
                    ),
                ))
            }
        };
        let label = self.string("the node's name (a string, may be empty)")?;
        match kind.as_str() {
            "t" => {
                let (outcome, pay) = self.outcome()?;
                let payoffs = above.iter().zip(&pay).map(|(a, b)| a + b).collect();
                Ok(TreeSpec::Terminal {
                    label,
                    outcome,
                    payoffs,
                })
            }
            "c" => {
                let (num, _) = self.count("the chance information set number")?;
                let name = self.opt_string();
                let (actions, probs) = if self.peek() == Some(&Tok::Open) {
                    let (a, p, _) = self.action_list(true)?;
                    self.sets
                        .insert((0, num), (name.unwrap_or_default(), a.clone(), p.clone()));
                    (a, p)
                } else {
                    match self.sets.get(&(0, num)) {
                        Some((_, a, p)) => (a.clone(), p.clone()),
                        None => {
                            return Err(self.err(
                                t.pos,
                                format!(
                                    "chance information set {num} is used before its actions \
                                     are given"
                                ),
                            ))
                        }
                    }
                };
                let (_, pay) = self.outcome()?;
                let acc: Vec<BigRational> = above.iter().zip(&pay).map(|(a, b)| a + b).collect();
                let mut branches = Vec::with_capacity(actions.len());
                for (a, p) in actions.into_iter().zip(probs) {
                    let child = self.node(&acc, depth + 1)?;
                    branches.push((a, p, child));
                }
                Ok(TreeSpec::Chance { label, branches })
            }
            _ => {
                let (player, ppos) = self.count("the player number (1-based)")?;
                if player == 0 || player > self.n {
                    return Err(self.err(
                        ppos,
                        format!("player {player} does not exist (players are 1..{})", self.n),
                    ));
                }
                let (num, _) = self.count("the information set number")?;
                let name = self.opt_string();
                let actions = if self.peek() == Some(&Tok::Open) {
                    let (a, _, open) = self.action_list(false)?;
                    if let Some((_, old, _)) = self.sets.get(&(player, num)) {
                        if *old != a {
                            return Err(self.err(
                                open,
                                format!(
                                    "information set {num} of player {player} was declared with \
                                     actions {old:?}"
                                ),
                            ));
                        }
                    }
                    let name = name
                        .or_else(|| self.sets.get(&(player, num)).map(|s| s.0.clone()))
                        .unwrap_or_default();
                    self.sets
                        .insert((player, num), (name, a.clone(), Vec::new()));
                    a
                } else {
                    match self.sets.get(&(player, num)) {
                        Some((_, a, _)) => a.clone(),
                        None => {
                            return Err(self.err(
                                ppos,
                                format!(
                                    "information set {num} of player {player} is used before \
                                     its actions are given"
                                ),
                            ))
                        }
                    }
                };
                let key = num.to_string();
                if let Some((n, _, _)) = self.sets.get(&(player, num)) {
                    self.names.insert((player - 1, key.clone()), n.clone());
                }
                let (_, pay) = self.outcome()?;
                let acc: Vec<BigRational> = above.iter().zip(&pay).map(|(a, b)| a + b).collect();
                let mut moves = Vec::with_capacity(actions.len());
                for a in actions {
                    let child = self.node(&acc, depth + 1)?;
                    moves.push((a, child));
                }
                Ok(TreeSpec::Decision {
                    label,
                    player: player - 1,
                    infoset: key,
                    moves,
                })
            }
        }
    }
}

fn join(v: &[BigRational]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses a Gambit `.efg` file.
///
/// # Arguments
/// * `text` — the file's contents.
/// * `file` — the name reported in errors (`Path::new("<input>")` for in-memory text).
///
/// # Returns
/// The validated tree. Information-set labels are the names the file gives (a set without a
/// name is labelled by its number). Perfect recall is not required here; see
/// [`GameTree::check_perfect_recall`].
///
/// # Errors
/// [`Error::Parse`] with the 1-based line and column: a malformed header, an unknown node kind,
/// a player out of range, a set or outcome used before it is declared, an outcome redeclared
/// with other payoffs, the wrong number of payoffs, probabilities outside `[0, 1]` or not
/// summing to 1, a truncated file or text after the tree. Structural problems found when the
/// tree is built (an information set whose nodes belong to different players) are reported at
/// the start of the file with the set named.
///
/// # Complexity
/// Linear in the length of the text.
///
/// # Example
/// ```
/// use covenant::io::efg::parse_efg;
/// use std::path::Path;
/// let t = parse_efg(r#"EFG 2 R "Deterrence" { "Challenger" "Defender" }
/// p "" 1 1 "Ch" { "Not" "Challenge" } 0
/// t "" 1 "Status quo" { 0 0 }
/// p "" 2 1 "Def" { "Concede" "Resist" } 0
/// t "" 2 "Challenger wins" { 1 -1 }
/// t "" 3 "Conflict" { -2 -1/2 }
/// "#, Path::new("<input>")).unwrap();
/// assert_eq!(t.num_nodes(), 5);
/// assert_eq!(t.payoffs(4), &[-2.0, -0.5]);
/// ```
pub fn parse_efg(text: &str, file: &Path) -> Result<GameTree> {
    let (toks, eof) = lex(text, file)?;
    let mut p = Parser {
        toks,
        i: 0,
        eof,
        file,
        n: 0,
        sets: HashMap::new(),
        outcomes: HashMap::new(),
        names: HashMap::new(),
    };
    let t = p.next("`EFG`")?;
    if t.tok != Tok::Word("EFG".into()) {
        return Err(p.err(
            t.pos,
            format!(
                "expected `EFG` (a Gambit extensive-form file), found {}",
                t.tok.describe()
            ),
        ));
    }
    let t = p.next("version `2`")?;
    if t.tok != Tok::Word("2".into()) {
        return Err(p.err(
            t.pos,
            format!(
                "unsupported version {}: only `EFG 2` is read",
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
    let open = p.expect(&Tok::Open, "`{` opening the player list")?;
    let mut players = Vec::new();
    loop {
        let t = p.next("a player name or `}`")?;
        match t.tok {
            Tok::Str(s) => players.push(s),
            Tok::Close => break,
            other => {
                return Err(p.err(
                    t.pos,
                    format!("expected a player name or `}}`, found {}", other.describe()),
                ))
            }
        }
    }
    if players.is_empty() {
        return Err(p.err(
            open,
            "the player list is empty: a game needs at least one player",
        ));
    }
    p.n = players.len();
    let comment = p.opt_string().unwrap_or_default();
    let zero = vec![BigRational::zero(); p.n];
    let root = p.node(&zero, 0)?;
    if let Some(t) = p.toks.get(p.i) {
        return Err(p.err(
            t.pos,
            format!(
                "unexpected {} after the last node of the tree",
                t.tok.describe()
            ),
        ));
    }
    let tree = GameTree::new(players, root)
        .map_err(|e| parse_error(file, Pos { line: 1, column: 1 }, e.to_string()))?
        .with_title(title)
        .with_comment(comment);
    let names = p.names;
    Ok(tree.relabel_infosets(|player, key| {
        names
            .get(&(player, key.to_string()))
            .filter(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }))
}

/// Reads a `.efg` file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; as [`parse_efg`] otherwise.
pub fn read_efg(path: &Path) -> Result<GameTree> {
    let text = read_text(path)?;
    parse_efg(&text, path)
}

/// Writes a tree as a Gambit `.efg` file (payoff notation: every leaf carries its own
/// outcome with its payoffs; numbers are exact, rationals as `p/q`).
///
/// Information sets are numbered per player in order of first appearance; their labels are
/// written as names. [`parse_efg`] reads the result back to an equal tree.
///
/// # Complexity
/// Linear in the size of the tree.
pub fn write_efg(t: &GameTree) -> String {
    let mut out = String::new();
    let players: Vec<String> = t.players().iter().map(|p| quote(p)).collect();
    let _ = writeln!(
        out,
        "EFG 2 R {} {{ {} }}",
        quote(t.title()),
        players.join(" ")
    );
    let _ = writeln!(out, "{}\n", quote(t.comment()));
    let mut number = vec![0usize; t.infosets().len()];
    let mut counts = vec![0usize; t.num_players()];
    for (s, set) in t.infosets().iter().enumerate() {
        counts[set.player] += 1;
        number[s] = counts[set.player];
    }
    let mut declared = vec![false; t.infosets().len()];
    let (mut chance_sets, mut outcomes) = (0usize, 0usize);
    for (i, node) in t.nodes().iter().enumerate() {
        match &node.kind {
            NodeKind::Terminal {
                outcome, payoffs, ..
            } => {
                outcomes += 1;
                let _ = writeln!(
                    out,
                    "t {} {outcomes} {} {{ {} }}",
                    quote(&node.label),
                    quote(outcome),
                    payoffs
                        .iter()
                        .map(|x| x.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            NodeKind::Chance { actions, probs, .. } => {
                chance_sets += 1;
                let list: Vec<String> = actions
                    .iter()
                    .zip(probs)
                    .map(|(a, p)| format!("{} {p}", quote(a)))
                    .collect();
                let _ = writeln!(
                    out,
                    "c {} {chance_sets} \"\" {{ {} }} 0",
                    quote(&node.label),
                    list.join(" ")
                );
            }
            NodeKind::Decision { infoset } => {
                let set = &t.infosets()[*infoset];
                let _ = write!(
                    out,
                    "p {} {} {}",
                    quote(&node.label),
                    set.player + 1,
                    number[*infoset]
                );
                if !declared[*infoset] {
                    declared[*infoset] = true;
                    let acts: Vec<String> = set.actions.iter().map(|a| quote(a)).collect();
                    let _ = write!(out, " {} {{ {} }}", quote(&set.label), acts.join(" "));
                }
                out.push_str(" 0\n");
            }
        }
        let _ = i;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payoffs_are_read_exactly_and_bad_numbers_say_why() {
        let text = |x: &str| {
            format!(
                "EFG 2 R \"g\" {{ \"A\" }}\n\"\"\np \"\" 1 1 \"a\" {{ \"L\" \"R\" }} 0\n\
                 t \"\" 1 \"o\" {{ {x} }}\nt \"\" 2 \"p\" {{ 0 }}\n"
            )
        };
        let r = |p: i64, q: i64| BigRational::new(p.into(), q.into());
        for (x, want) in [("0.1", r(1, 10)), ("-2.5e1", r(-25, 1)), ("1/3", r(1, 3))] {
            let t = parse_efg(&text(x), Path::new("g.efg")).unwrap();
            let leaf = t.terminals().next().unwrap();
            assert_eq!(t.exact_payoffs(leaf)[0], want, "{x}");
        }
        for (x, why) in [
            ("1/0", "divides by zero"),
            ("nan", "not a finite"),
            ("1e999", "out of range"),
        ] {
            let e = parse_efg(&text(x), Path::new("g.efg"))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("g.efg:4:") && e.contains(why), "{x}: {e}");
        }
    }
}
