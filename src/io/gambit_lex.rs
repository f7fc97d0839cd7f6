//! The tokenizer of Gambit's text formats (braces, commas, quoted strings with `\"` and `\\`
//! escapes, bare words), with 1-based line and column per token: the `.efg` reader's lexer.

use super::{parse_error, Pos};
use crate::error::Result;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Open,
    Close,
    Comma,
    Str(String),
    Word(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) pos: Pos,
}

impl Tok {
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Open => "`{`".into(),
            Tok::Close => "`}`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Str(s) => format!("string \"{s}\""),
            Tok::Word(w) => format!("`{w}`"),
        }
    }
}

/// Splits the text into tokens, tracking 1-based line and column (in characters).
pub(crate) fn lex(text: &str, file: &Path) -> Result<(Vec<Token>, Pos)> {
    let mut toks = Vec::new();
    let mut chars = text.chars().peekable();
    let mut pos = Pos { line: 1, column: 1 };
    let advance = |c: char, pos: &mut Pos| {
        if c == '\n' {
            pos.line += 1;
            pos.column = 1;
        } else {
            pos.column += 1;
        }
    };
    while let Some(&c) = chars.peek() {
        let start = pos;
        match c {
            c if c.is_whitespace() => {
                chars.next();
                advance(c, &mut pos);
            }
            '{' | '}' | ',' => {
                chars.next();
                advance(c, &mut pos);
                let tok = match c {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    _ => Tok::Comma,
                };
                toks.push(Token { tok, pos: start });
            }
            '"' => {
                chars.next();
                advance(c, &mut pos);
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => {
                            return Err(parse_error(
                                file,
                                start,
                                "unterminated string (missing closing `\"`)",
                            ))
                        }
                        Some('"') => {
                            advance('"', &mut pos);
                            break;
                        }
                        Some('\\') => {
                            advance('\\', &mut pos);
                            match chars.next() {
                                None => {
                                    return Err(parse_error(
                                        file,
                                        start,
                                        "unterminated string (ends after `\\`)",
                                    ))
                                }
                                Some(e) => {
                                    advance(e, &mut pos);
                                    s.push(e);
                                }
                            }
                        }
                        Some(ch) => {
                            advance(ch, &mut pos);
                            s.push(ch);
                        }
                    }
                }
                toks.push(Token {
                    tok: Tok::Str(s),
                    pos: start,
                });
            }
            _ => {
                let mut w = String::new();
                while let Some(&ch) = chars.peek() {
                    if ch.is_whitespace() || matches!(ch, '{' | '}' | ',' | '"') {
                        break;
                    }
                    w.push(ch);
                    chars.next();
                    advance(ch, &mut pos);
                }
                toks.push(Token {
                    tok: Tok::Word(w),
                    pos: start,
                });
            }
        }
    }
    Ok((toks, pos))
}

/// Quotes a string for Gambit: `"` and `\` are escaped with a backslash.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}
