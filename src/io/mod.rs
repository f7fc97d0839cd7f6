//! Reading and writing games and models: Gambit `.nfg`, JSON games, TOML treaty models.
//!
//! - [`nfg`]: Gambit strategic-form files, payoff and outcome dialects.
//! - [`json`]: JSON normal-form games (n-player and bimatrix forms).
//! - [`coop_json`]: JSON TU games and weighted voting games.
//! - [`efg`]: Gambit extensive-form files; [`tree_json`]: game trees as JSON.
//!
//! Every parse error is an [`Error::Parse`] carrying the file name and the 1-based line and
//! column of the offending token or field; failures to read a file are [`Error::Io`].

pub mod coop_json;
pub mod efg;
pub mod json;
pub mod nfg;
pub mod tree_json;

pub use coop_json::{parse_coop_json, read_coop, write_tu_json, CoopInput};
pub use efg::{parse_efg, read_efg, write_efg};
pub use json::{parse_game_json, write_game_json};
pub use nfg::{parse_nfg, read_nfg, write_nfg, write_nfg_outcomes};
pub use tree_json::{parse_tree_json, write_tree_json};

use crate::error::{Error, Result};
use crate::game::{GameTree, NormalForm};
use std::path::Path;

/// A 1-based position in a text file (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The start of a file.
    pub(crate) const START: Pos = Pos { line: 1, column: 1 };

    /// The position of byte offset `offset` in `text` (clamped to the end).
    pub(crate) fn of_offset(text: &str, offset: usize) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos {
            line,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

pub(crate) fn parse_error(file: &Path, pos: Pos, message: impl Into<String>) -> Error {
    Error::Parse {
        file: file.to_path_buf(),
        line: pos.line,
        column: pos.column,
        message: message.into(),
    }
}

/// Reads a file as UTF-8 text.
///
/// # Errors
/// [`Error::Io`] naming the path; [`Error::Parse`] at the first byte that is not UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        // The valid prefix is UTF-8 by definition.
        let prefix = std::str::from_utf8(&e.as_bytes()[..good])
            .expect("bytes before valid_up_to are valid UTF-8");
        let pos = Pos::of_offset(prefix, good);
        parse_error(
            path,
            pos,
            format!(
                "invalid UTF-8 (byte 0x{:02x} at offset {good}); the file must be UTF-8 text",
                e.as_bytes()[good]
            ),
        )
    })
}

/// Extensions [`read_game`] accepts.
pub const GAME_EXTENSIONS: &[&str] = &["nfg", "json", "efg"];

/// Reads a normal-form game, choosing the format by the file's extension: `.nfg` (Gambit,
/// either dialect), `.json` (see [`json`]; a JSON game tree gives its reduced strategic form) or
/// `.efg` (a Gambit game tree, read as its reduced strategic form,
/// [`crate::extensive::reduced_strategic_form`]).
///
/// # Errors
/// [`Error::InvalidArgument`] for another extension (the message lists the accepted ones);
/// [`Error::Io`] naming the path when the file cannot be read; [`Error::Parse`] for bad
/// content, including bytes that are not UTF-8.
pub fn read_game(path: &Path) -> Result<NormalForm> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("nfg") => nfg::read_nfg(path),
        Some("json") => {
            let text = read_text(path)?;
            if tree_json::is_tree_json(&text) {
                let t = tree_json::parse_tree_json(&text, path)?;
                return Ok(crate::extensive::reduced_strategic_form(&t)?.game);
            }
            json::parse_game_json(&text, path)
        }
        Some("efg") => Ok(crate::extensive::reduced_strategic_form(&efg::read_efg(path)?)?.game),
        _ => Err(Error::invalid_argument(format!(
            "{}: unknown game format; accepted extensions are .nfg and .efg (Gambit) and .json",
            path.display()
        ))),
    }
}

/// Whether a game file holds a tree: a `.efg` file, or a `.json` file whose top-level object
/// has a `root` (see [`tree_json`]).
///
/// # Errors
/// [`Error::Io`] when a `.json` file cannot be read.
pub fn is_tree_file(path: &Path) -> Result<bool> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("efg") => Ok(true),
        Some("json") => Ok(tree_json::is_tree_json(&read_text(path)?)),
        _ => Ok(false),
    }
}

/// Reads a game tree: `.efg` (Gambit) or `.json` (see [`tree_json`]).
///
/// # Errors
/// [`Error::InvalidArgument`] for another extension; [`Error::Io`] and [`Error::Parse`] as
/// the readers.
pub fn read_tree(path: &Path) -> Result<GameTree> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("efg") => efg::read_efg(path),
        Some("json") => tree_json::parse_tree_json(&read_text(path)?, path),
        _ => Err(Error::invalid_argument(format!(
            "{}: unknown game-tree format; accepted extensions are .efg (Gambit) and .json",
            path.display()
        ))),
    }
}

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A JSON path such as `payoffs[1][2]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    pub(crate) fn key(k: &str) -> Self {
        JsonPath(vec![Seg::Key(k.to_string())])
    }

    pub(crate) fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }

    pub(crate) fn field(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }
}

impl std::fmt::Display for JsonPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(j) => write!(f, "[{j}]")?,
            }
        }
        Ok(())
    }
}

/// Finds where the value at `path` starts in a syntactically valid JSON text, so that shape
/// errors found after parsing can still point at a line. Falls back to the deepest prefix of
/// the path that exists, and to the start of the file.
pub(crate) fn locate(text: &str, path: &JsonPath) -> Pos {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    let mut found = i;
    for seg in &path.0 {
        let next = match seg {
            Seg::Key(k) => find_key(b, i, k),
            Seg::Index(j) => find_index(b, i, *j),
        };
        match next {
            Some(at) => {
                i = at;
                found = at;
            }
            None => break,
        }
    }
    Pos::of_offset(text, found)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Skips a string starting at the quote `b[i]`; returns the offset after the closing quote.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Skips one value starting at `b[i]` (after whitespace); returns the offset after it.
fn skip_value(b: &[u8], i: usize) -> usize {
    let i = skip_ws(b, i);
    if i >= b.len() {
        return i;
    }
    match b[i] {
        b'"' => skip_string(b, i),
        b'[' | b'{' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            j
        }
    }
}

fn find_key(b: &[u8], i: usize, key: &str) -> Option<usize> {
    let mut j = skip_ws(b, i);
    if b.get(j) != Some(&b'{') {
        return None;
    }
    j += 1;
    loop {
        j = skip_ws(b, j);
        if b.get(j) != Some(&b'"') {
            return None;
        }
        let end = skip_string(b, j);
        let raw = b.get(j + 1..end.saturating_sub(1))?;
        let name: Option<String> = serde_json::from_slice(b.get(j..end)?).ok();
        let matches = name.as_deref() == Some(key) || raw == key.as_bytes();
        j = skip_ws(b, end);
        if b.get(j) != Some(&b':') {
            return None;
        }
        j = skip_ws(b, j + 1);
        if matches {
            return Some(j);
        }
        j = skip_ws(b, skip_value(b, j));
        match b.get(j) {
            Some(b',') => j += 1,
            _ => return None,
        }
    }
}

fn find_index(b: &[u8], i: usize, idx: usize) -> Option<usize> {
    let mut j = skip_ws(b, i);
    if b.get(j) != Some(&b'[') {
        return None;
    }
    j += 1;
    for _ in 0..idx {
        j = skip_ws(b, skip_value(b, j));
        match b.get(j) {
            Some(b',') => j += 1,
            _ => return None,
        }
    }
    j = skip_ws(b, j);
    match b.get(j) {
        Some(b']') | None => None,
        _ => Some(j),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_nested_values() {
        let text = "{\n \"a\": 1,\n \"p\": [[1, 2],\n  [3, \"x\"]]\n}";
        let p = JsonPath::key("p").index(1).index(1);
        assert_eq!(p.to_string(), "p[1][1]");
        assert_eq!(locate(text, &p), Pos { line: 4, column: 7 });
        // Missing element: falls back to the deepest existing prefix.
        assert_eq!(
            locate(text, &JsonPath::key("p").index(5)),
            Pos { line: 3, column: 7 }
        );
        assert_eq!(
            locate(text, &JsonPath::key("zz")),
            Pos { line: 1, column: 1 }
        );
    }

    #[test]
    fn offsets_to_positions() {
        assert_eq!(Pos::of_offset("ab\ncé d", 7), Pos { line: 2, column: 4 });
    }
}
