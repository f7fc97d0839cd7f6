//! JSON game trees' document helpers: a `serde_json` value tree with positions recovered from
//! the text on the error path (the normal-form readers use the streaming `json_reader`; a tree
//! is small and nested, so it is read whole). Kept from the extensive-form branch: porting
//! `tree_json` onto `json_reader` is open work.

use super::{parse_error, JsonPath, Pos, Seg};
use crate::error::{Error, Result};
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
                Pos { line: 1, column: 1 },
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
