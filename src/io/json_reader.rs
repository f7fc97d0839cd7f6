//! A JSON reader for the game formats: one pass over the bytes, values handed to the caller
//! as they are met, so large payoff arrays go straight into their tables and every error can
//! name its position.
//!
//! Positions are byte offsets; [`Pos::of_offset`] turns one into a line and column only when
//! an error is reported. Objects reject duplicate keys (serde_json keeps the last silently);
//! nesting is limited to [`MAX_DEPTH`] levels so that no input can exhaust the stack.

use super::number::{fast_number, shorten};
use super::{bom_len, parse_error, Pos};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::Path;

/// The deepest nesting of arrays and objects read.
pub(crate) const MAX_DEPTH: usize = 128;

/// A JSON text being read.
pub(crate) struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    file: &'a Path,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text` (after a byte-order mark).
    pub(crate) fn new(text: &'a str, file: &'a Path) -> Self {
        Reader {
            text,
            b: text.as_bytes(),
            i: bom_len(text),
            file,
            depth: 0,
        }
    }

    /// An error at byte `offset`.
    pub(crate) fn err_at(&self, offset: usize, msg: impl Into<String>) -> Error {
        parse_error(self.file, Pos::of_offset(self.text, offset), msg)
    }

    /// The line and column of byte `offset`, for messages that point elsewhere.
    pub(crate) fn pos(&self, offset: usize) -> Pos {
        Pos::of_offset(self.text, offset)
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// The offset where the next value starts.
    pub(crate) fn offset(&mut self) -> usize {
        self.skip_ws();
        self.i
    }

    /// Describes what starts at the cursor, for "found ..." in messages.
    pub(crate) fn found(&mut self) -> String {
        self.skip_ws();
        let Some(&c) = self.b.get(self.i) else {
            return "the end of the file".into();
        };
        match c {
            b'{' => "an object".into(),
            b'[' => "an array".into(),
            b'"' => {
                let mut probe = Reader { ..*self };
                match probe.raw_string() {
                    Ok(s) => format!("the string \"{}\"", shorten(&s)),
                    Err(_) => "a string".into(),
                }
            }
            b't' | b'f' | b'n' => {
                let end = self.word_end(self.i);
                format!("`{}`", shorten(&self.text[self.i..end]))
            }
            b'-' | b'0'..=b'9' => {
                let end = self.word_end(self.i);
                format!("the number {}", shorten(&self.text[self.i..end]))
            }
            c if c.is_ascii_alphabetic() => {
                let end = self.word_end(self.i);
                format!("`{}`", shorten(&self.text[self.i..end]))
            }
            _ => {
                let ch = self.text[self.i..].chars().next().unwrap_or('?');
                format!("`{ch}`")
            }
        }
    }

    /// The end of a bare word (literal or number) starting at `from`.
    fn word_end(&self, from: usize) -> usize {
        let mut j = from;
        while j < self.b.len()
            && !matches!(
                self.b[j],
                b',' | b']' | b'}' | b':' | b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'[' | b'{'
            )
        {
            j += 1;
        }
        // Stop on a character boundary.
        while !self.text.is_char_boundary(j) {
            j += 1;
        }
        j
    }

    /// A syntax error at the cursor.
    pub(crate) fn syntax(&mut self, expected: &str) -> Error {
        let at = self.offset();
        let found = self.found();
        self.err_at(
            at,
            format!("invalid JSON: expected {expected}, found {found}"),
        )
    }

    /// A type error at the cursor: the value there is not `expected`.
    pub(crate) fn wrong(&mut self, expected: &str) -> Error {
        let at = self.offset();
        let found = self.found();
        self.err_at(at, format!("expected {expected}, found {found}"))
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err_at(
                self.i,
                format!("nesting deeper than {MAX_DEPTH} arrays and objects"),
            ));
        }
        Ok(())
    }

    /// Whether the next value is an array.
    pub(crate) fn at_array(&mut self) -> bool {
        self.skip_ws();
        self.b.get(self.i) == Some(&b'[')
    }

    /// How many `[` open in a row at the cursor (the nesting depth of a first element).
    pub(crate) fn leading_brackets(&mut self) -> usize {
        let mut j = self.offset();
        let mut k = 0;
        while let Some(&c) = self.b.get(j) {
            match c {
                b'[' => k += 1,
                b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => break,
            }
            j += 1;
        }
        k
    }

    /// Reads an object, calling `member(reader, key, key_offset)` for each member with the
    /// cursor at its value, which `member` must consume. `what` names the object in errors.
    ///
    /// # Errors
    /// Not an object, a syntax error, a duplicate key (at its second occurrence, naming the
    /// first), or what `member` returns.
    pub(crate) fn object(
        &mut self,
        what: &str,
        mut member: impl FnMut(&mut Self, &str, usize) -> Result<()>,
    ) -> Result<()> {
        self.skip_ws();
        if self.b.get(self.i) != Some(&b'{') {
            return Err(self.wrong(what));
        }
        self.enter()?;
        self.i += 1;
        let mut seen: HashMap<String, usize> = HashMap::new();
        self.skip_ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            if self.b.get(self.i) != Some(&b'"') {
                return Err(self.syntax("a key (a string in double quotes)"));
            }
            let key_at = self.i;
            let key = self.raw_string()?;
            if let Some(&first) = seen.get(&key) {
                let p = self.pos(first);
                return Err(self.err_at(
                    key_at,
                    format!(
                        "duplicate key \"{}\" (first given at line {}, column {})",
                        shorten(&key),
                        p.line,
                        p.column
                    ),
                ));
            }
            self.skip_ws();
            if self.b.get(self.i) != Some(&b':') {
                return Err(self.syntax("`:` after a key"));
            }
            self.i += 1;
            member(self, &key, key_at)?;
            seen.insert(key, key_at);
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.syntax("`,` or `}` after an object member")),
            }
        }
    }

    /// Reads an array, calling `element(reader, index)` for each element with the cursor at
    /// it, which `element` must consume. Returns the number of elements.
    ///
    /// # Errors
    /// Not an array, a syntax error, or what `element` returns.
    pub(crate) fn array(
        &mut self,
        what: &str,
        mut element: impl FnMut(&mut Self, usize) -> Result<()>,
    ) -> Result<usize> {
        self.skip_ws();
        if self.b.get(self.i) != Some(&b'[') {
            return Err(self.wrong(what));
        }
        self.enter()?;
        self.i += 1;
        self.skip_ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(0);
        }
        let mut k = 0;
        loop {
            element(self, k)?;
            k += 1;
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(k);
                }
                _ => return Err(self.syntax("`,` or `]` after an array element")),
            }
        }
    }

    /// Reads an array of plain numbers (`[1, -2, 0.5]`, see [`fast_number`]) at the cursor:
    /// appends them to `out`, and the index in `out` and byte span of each that binary64
    /// rounded to `rounded`. Returns the count, or `None` with nothing consumed or kept when
    /// the array holds anything else, for the general path to read.
    pub(crate) fn number_row(
        &mut self,
        out: &mut Vec<f64>,
        rounded: &mut Vec<(usize, usize, usize)>,
    ) -> Option<usize> {
        let (start, out_len, rounded_len) = (self.i, out.len(), rounded.len());
        let fail = |r: &mut Self, out: &mut Vec<f64>, rounded: &mut Vec<(usize, usize, usize)>| {
            r.i = start;
            out.truncate(out_len);
            rounded.truncate(rounded_len);
            None
        };
        self.skip_ws();
        if self.b.get(self.i) != Some(&b'[') || self.depth + 1 > MAX_DEPTH {
            return fail(self, out, rounded);
        }
        self.i += 1;
        let mut count = 0;
        loop {
            self.skip_ws();
            let Some((x, end)) = fast_number(self.b, self.i) else {
                return fail(self, out, rounded);
            };
            if !x.exact {
                rounded.push((out.len(), self.i, end));
            }
            out.push(x.value);
            count += 1;
            self.i = end;
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Some(count);
                }
                _ => return fail(self, out, rounded),
            }
        }
    }

    /// Reads a string value.
    ///
    /// # Errors
    /// Not a string (`what` names what was wanted), or a malformed string.
    pub(crate) fn string(&mut self, what: &str) -> Result<String> {
        self.skip_ws();
        if self.b.get(self.i) != Some(&b'"') {
            return Err(self.wrong(what));
        }
        self.raw_string()
    }

    /// Whether a JSON value of some kind starts at the cursor (not a syntax error).
    pub(crate) fn at_value(&mut self) -> bool {
        self.skip_ws();
        matches!(
            self.b.get(self.i),
            Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9')
        ) || ["true", "false", "null"].iter().any(|lit| {
            self.b[self.i..].starts_with(lit.as_bytes())
                && self.word_end(self.i) == self.i + lit.len()
        })
    }

    /// Whether the next value is a string.
    pub(crate) fn at_string(&mut self) -> bool {
        self.skip_ws();
        self.b.get(self.i) == Some(&b'"')
    }

    /// Reads the string starting at the cursor's `"`.
    fn raw_string(&mut self) -> Result<String> {
        let start = self.i;
        let mut j = start + 1;
        // Fast path: no escapes.
        while let Some(&c) = self.b.get(j) {
            if c == b'"' {
                self.i = j + 1;
                return Ok(self.text[start + 1..j].to_string());
            }
            if c == b'\\' || c < 0x20 {
                break;
            }
            j += 1;
        }
        let mut s = String::from(&self.text[start + 1..j]);
        loop {
            let Some(&c) = self.b.get(j) else {
                return Err(self.err_at(start, "invalid JSON: unterminated string"));
            };
            match c {
                b'"' => {
                    self.i = j + 1;
                    return Ok(s);
                }
                b'\\' => {
                    let (ch, len) = self.escape(j)?;
                    s.push(ch);
                    j += len;
                }
                c if c < 0x20 => {
                    return Err(self.err_at(
                        j,
                        "invalid JSON: control character in a string (write it as an escape)",
                    ))
                }
                _ => {
                    let ch = self.text[j..].chars().next().unwrap_or('\u{fffd}');
                    s.push(ch);
                    j += ch.len_utf8();
                }
            }
        }
    }

    /// The escape starting at the backslash `b[j]`: its character and length in bytes.
    fn escape(&self, j: usize) -> Result<(char, usize)> {
        let bad = |msg: &str| self.err_at(j, format!("invalid JSON: {msg}"));
        let simple = match self.b.get(j + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let hi = self
                    .hex4(j + 2)
                    .ok_or_else(|| bad("malformed `\\u` escape"))?;
                if (0xD800..0xDC00).contains(&hi) {
                    let lo = (self.b.get(j + 6) == Some(&b'\\')
                        && self.b.get(j + 7) == Some(&b'u'))
                    .then(|| self.hex4(j + 8))
                    .flatten()
                    .filter(|lo| (0xDC00..0xE000).contains(lo))
                    .ok_or_else(|| bad("unpaired surrogate in a `\\u` escape"))?;
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return char::from_u32(c)
                        .map(|ch| (ch, 12))
                        .ok_or_else(|| bad("invalid `\\u` escape"));
                }
                return char::from_u32(hi)
                    .map(|ch| (ch, 6))
                    .ok_or_else(|| bad("unpaired surrogate in a `\\u` escape"));
            }
            _ => return Err(bad("unknown escape in a string")),
        };
        Ok((simple, 2))
    }

    fn hex4(&self, from: usize) -> Option<u32> {
        let h = self.b.get(from..from + 4)?;
        h.iter()
            .try_fold(0u32, |acc, &c| Some(acc * 16 + (c as char).to_digit(16)?))
    }

    /// If the next value is a number, consumes it and returns its byte span; checks JSON's
    /// number grammar (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
    ///
    /// # Errors
    /// A token that starts like a number but breaks the grammar.
    pub(crate) fn number_token(&mut self) -> Result<Option<(usize, usize)>> {
        self.skip_ws();
        let start = self.i;
        let b = self.b;
        let mut j = start;
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        match b.get(j) {
            Some(b'0') => j += 1,
            Some(b'1'..=b'9') => {
                while b.get(j).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                }
            }
            _ if j > start => return Err(self.bad_number(start)),
            _ => return Ok(None),
        }
        if b.get(j) == Some(&b'.') {
            j += 1;
            if !b.get(j).is_some_and(u8::is_ascii_digit) {
                return Err(self.bad_number(start));
            }
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            j += 1;
            if matches!(b.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if !b.get(j).is_some_and(u8::is_ascii_digit) {
                return Err(self.bad_number(start));
            }
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
        }
        if self.word_end(j) != j {
            return Err(self.bad_number(start));
        }
        self.i = j;
        Ok(Some((start, j)))
    }

    fn bad_number(&self, start: usize) -> Error {
        let end = self.word_end(start);
        self.err_at(
            start,
            format!(
                "invalid JSON: `{}` is not a JSON number",
                shorten(&self.text[start..end])
            ),
        )
    }

    /// The bytes of a span.
    pub(crate) fn bytes(&self, span: (usize, usize)) -> &'a [u8] {
        &self.b[span.0..span.1]
    }

    /// The text of a span.
    pub(crate) fn slice(&self, span: (usize, usize)) -> &'a str {
        &self.text[span.0..span.1]
    }

    /// Skips one value of any kind, checking its syntax.
    ///
    /// # Errors
    /// A syntax error.
    pub(crate) fn skip_value(&mut self) -> Result<()> {
        self.skip_ws();
        match self.b.get(self.i) {
            Some(b'{') => self.object("an object", |r, _, _| r.skip_value()),
            Some(b'[') => self.array("an array", |r, _| r.skip_value()).map(|_| ()),
            Some(b'"') => self.raw_string().map(|_| ()),
            Some(b't' | b'f' | b'n') => {
                for lit in ["true", "false", "null"] {
                    if self.b[self.i..].starts_with(lit.as_bytes())
                        && self.word_end(self.i) == self.i + lit.len()
                    {
                        self.i += lit.len();
                        return Ok(());
                    }
                }
                Err(self.syntax("a value"))
            }
            _ => match self.number_token()? {
                Some(_) => Ok(()),
                None => Err(self.syntax("a value")),
            },
        }
    }

    /// Checks that only whitespace follows the top-level value.
    ///
    /// # Errors
    /// Text after the value.
    pub(crate) fn finish(&mut self) -> Result<()> {
        self.skip_ws();
        if self.i < self.b.len() {
            let found = self.found();
            return Err(self.err_at(
                self.i,
                format!("invalid JSON: text after the top-level value: {found}"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(text: &str) -> Reader<'_> {
        Reader::new(text, Path::new("<input>"))
    }

    #[test]
    fn strings_with_escapes() {
        let mut r = reader(r#""a\"b\\c\u00e9\ud83d\ude00\n""#);
        assert_eq!(r.string("a string").unwrap(), "a\"b\\cé😀\n");
        assert!(reader(r#""\ud83d""#).string("s").is_err());
        assert!(reader("\"a\u{1}\"").string("s").is_err());
        assert!(reader(r#""\x""#).string("s").is_err());
        assert!(reader(r#""abc"#).string("s").is_err());
    }

    #[test]
    fn number_grammar() {
        for good in ["0", "-0", "12", "1.5", "-1e5", "2E+3", "0.25e-2"] {
            let mut r = reader(good);
            assert_eq!(r.number_token().unwrap(), Some((0, good.len())), "{good}");
        }
        for bad in [
            "01", "-", "1.", ".5", "1e", "+1", "1x", "-a", "1.e3", "NaN1",
        ] {
            let mut r = reader(bad);
            let got = r.number_token();
            assert!(
                got.is_err() || got.as_ref().is_ok_and(Option::is_none),
                "{bad}: {got:?}"
            );
        }
    }

    #[test]
    fn duplicate_keys_are_refused_at_the_second() {
        let mut r = reader("{\"a\": 1,\n \"a\": 2}");
        let e = r.object("an object", |r, _, _| r.skip_value()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("<input>:2:2: "), "{msg}");
        assert!(msg.contains("line 1, column 2"), "{msg}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let e = reader(&text).skip_value().unwrap_err();
        assert!(e.to_string().contains("nesting deeper than 128"), "{e}");
    }

    #[test]
    fn skip_checks_syntax() {
        assert!(reader(r#"{"a": [1, true, null, {"b": "c"}]}"#)
            .skip_value()
            .is_ok());
        for bad in ["[1,]", "{\"a\" 1}", "[tru]", "{,}", "[1 2]", "nul"] {
            assert!(reader(bad).skip_value().is_err(), "{bad}");
        }
    }
}
