//! Reading and writing games and models: Gambit `.nfg`, JSON games, TOML treaty models.
//!
//! - [`nfg`]: Gambit strategic-form files, payoff and outcome dialects.
//! - [`json`]: JSON normal-form games (n-player and bimatrix forms).
//! - [`coop_json`]: JSON TU games and weighted voting games.
//! - [`efg`]: Gambit extensive-form files; [`tree_json`]: game trees as JSON.
//!
//! Every parse error is an [`Error::Parse`] carrying the file name and the 1-based line and
//! column of the offending token or field; failures to read a file are [`Error::Io`]. Files
//! are read through [`read_input`], which refuses files above [`MAX_INPUT_BYTES`]; declared
//! sizes are checked against what the file can hold and against [`MAX_GAME_BYTES`] before
//! anything is allocated. A UTF-8 byte-order mark at the start of a file is skipped.
//!
//! # Exactness of payoffs
//! Games hold `f64` payoffs: each number in a file becomes the nearest binary64 number. The
//! readers also note whether that rounding changed anything: [`GameFile::exact_input`] is
//! `true` when every payoff *is* its binary64 value (integers up to 2^53, `0.5`, `3/4`), and
//! [`GameFile::exact_payoff`] gives any payoff exactly as written (`0.3` as 3/10, `1/3` as
//! 1/3). The exact solvers (vertex enumeration) work on the `f64` payoffs, so their rational
//! answers are exact for the game *as rounded to binary64*; that is the game in the file only
//! when `exact_input` is `true`.

pub mod coop_json;
pub mod efg;
mod gambit_lex;
pub mod json;
mod json_reader;
pub mod nfg;
mod number;
pub mod tree_json;

pub use coop_json::{parse_coop_json, read_coop, write_tu_json, CoopInput};
pub use efg::{parse_efg, read_efg, write_efg};
pub use json::{parse_game_json, parse_game_json_file, write_game_json};
pub use nfg::{parse_nfg, parse_nfg_file, read_nfg, write_nfg, write_nfg_outcomes};
pub use number::MAX_NUMBER_LEN;
pub use tree_json::{parse_tree_json, write_tree_json};

use crate::error::{Error, Result};
use crate::game::{GameTree, NormalForm};
use ndarray::{ArrayD, Dimension, IxDyn};
use num_rational::BigRational;
use std::io::Read as _;
use std::path::Path;

/// The largest input file read, in bytes (64 MiB): a 2,000 x 2,000 bimatrix game with
/// two-digit payoffs takes about 16 MB as `.nfg`. Larger files are refused before they are
/// read; pipes and devices are read up to this many bytes and refused beyond it.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// The largest game a reader builds, in bytes of memory (1 GiB): payoff tables, their shape
/// records and strategy names, estimated from the header before anything is allocated.
pub const MAX_GAME_BYTES: u64 = 1 << 30;

/// A byte count for messages: `24.0 GiB (25769803776 bytes)`.
pub(crate) fn bytes_text(b: u128) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut x = b as f64;
    let mut u = 0;
    while x >= 1024.0 && u + 1 < UNITS.len() {
        x /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} bytes")
    } else {
        format!("{x:.1} {} ({b} bytes)", UNITS[u])
    }
}

/// Reads an input file as UTF-8 text, refusing files above [`MAX_INPUT_BYTES`].
///
/// Every reader in [`crate::io`] goes through this function; the treaty loader should too.
///
/// # Arguments
/// * `path` — the file. Regular files are measured before reading; anything else (a pipe,
///   `/dev/zero`) is read up to the limit.
///
/// # Errors
/// [`Error::Io`] naming the path when it cannot be read; [`Error::TooLarge`] naming the
/// path, its size and the limit; [`Error::Parse`] at the first byte that is not UTF-8.
pub fn read_input(path: &Path) -> Result<String> {
    read_input_limited(path, MAX_INPUT_BYTES)
}

/// [`read_input`] with a limit of `limit` bytes instead of [`MAX_INPUT_BYTES`].
///
/// # Errors
/// As [`read_input`].
pub fn read_input_limited(path: &Path, limit: u64) -> Result<String> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_file() && meta.len() > limit {
        return Err(Error::TooLarge(format!(
            "{}: the file has {}, above the input limit of {}",
            path.display(),
            bytes_text(u128::from(meta.len())),
            bytes_text(u128::from(limit))
        )));
    }
    let hint = if meta.is_file() {
        meta.len().min(limit)
    } else {
        0
    };
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).saturating_add(1));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge(format!(
            "{}: more than {} of input, the input limit (not a regular file, so its size \
             was not known in advance)",
            path.display(),
            bytes_text(u128::from(limit))
        )));
    }
    utf8(path, bytes)
}

fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // The prefix before `valid_up_to` is UTF-8 by definition.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        parse_error(
            path,
            Pos::of_offset(prefix, good),
            format!(
                "invalid UTF-8 (byte 0x{:02x} at offset {good}); the file must be UTF-8 text",
                bytes[good]
            ),
        )
    })
}

/// The length of a UTF-8 byte-order mark at the start of `text` (0 or 3).
pub(crate) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

/// A 1-based position in a text file (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The position of byte offset `offset` in `text` (clamped to the end). A byte-order mark
    /// is not a column. Linear in `offset`: called only to report an error.
    pub(crate) fn of_offset(text: &str, offset: usize) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let skip = bom_len(text).min(offset);
        let before = &text[skip..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
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

/// Payoffs whose binary64 value differs from the number written, kept as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct InexactPayoffs {
    /// `(player * cells + row-major cell, start, length)` of the token in `tokens`.
    entries: Vec<(u64, u32, u32)>,
    tokens: Vec<u8>,
}

impl InexactPayoffs {
    /// Records that payoff `key` was written as `token`; returns where the token is kept so
    /// that other cells with the same token (outcomes) can share it.
    pub(crate) fn note(&mut self, key: u64, token: &[u8]) -> (u32, u32) {
        let at = (self.tokens.len() as u32, token.len() as u32);
        self.tokens.extend_from_slice(token);
        self.entries.push((key, at.0, at.1));
        at
    }

    /// Keeps `token` for payoffs recorded later with [`InexactPayoffs::note_again`].
    pub(crate) fn keep(&mut self, token: &[u8]) -> (u32, u32) {
        let at = (self.tokens.len() as u32, token.len() as u32);
        self.tokens.extend_from_slice(token);
        at
    }

    /// Records payoff `key` as a token kept before.
    pub(crate) fn note_again(&mut self, key: u64, at: (u32, u32)) {
        self.entries.push((key, at.0, at.1));
    }

    fn finish(mut self) -> Self {
        self.entries.sort_unstable_by_key(|e| e.0);
        self
    }

    fn get(&self, key: u64) -> Option<BigRational> {
        let i = self.entries.binary_search_by_key(&key, |e| e.0).ok()?;
        let (_, start, len) = self.entries[i];
        number::exact_value(&self.tokens[start as usize..(start + len) as usize])
    }
}

/// A game read from a file, with the payoffs as written where binary64 could not hold them.
///
/// # Example
/// ```
/// use covenant::io::parse_nfg_file;
/// use num_rational::BigRational;
/// use std::path::Path;
/// let f = parse_nfg_file(r#"NFG 1 R "" { "A" } { 2 } 0.3 1/2"#, Path::new("<input>")).unwrap();
/// assert!(!f.exact_input());
/// assert_eq!(f.game().payoff(0, &[0]), 0.3);
/// assert_eq!(f.exact_payoff(0, &[0]), BigRational::new(3.into(), 10.into()));
/// assert_eq!(f.exact_payoff(0, &[1]), BigRational::new(1.into(), 2.into()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GameFile {
    game: NormalForm,
    inexact: InexactPayoffs,
}

impl GameFile {
    pub(crate) fn new(game: NormalForm, inexact: InexactPayoffs) -> Self {
        GameFile {
            game,
            inexact: inexact.finish(),
        }
    }

    /// The game, with every payoff rounded to the nearest binary64 number.
    pub fn game(&self) -> &NormalForm {
        &self.game
    }

    /// The game, dropping the exact payoffs.
    pub fn into_game(self) -> NormalForm {
        self.game
    }

    /// Whether every payoff in the file is exactly its binary64 value, so that results exact
    /// for [`GameFile::game`] are exact for the game as written.
    pub fn exact_input(&self) -> bool {
        self.inexact.entries.is_empty()
    }

    /// How many payoffs (player-cell pairs) binary64 rounded.
    pub fn rounded_payoffs(&self) -> usize {
        self.inexact.entries.len()
    }

    /// Player `player`'s payoff at `profile`, exactly as written in the file.
    ///
    /// # Panics
    /// When `player` or `profile` is out of range, as [`NormalForm::payoff`] does.
    pub fn exact_payoff(&self, player: usize, profile: &[usize]) -> BigRational {
        let x = self.game.payoff(player, profile);
        let shape = self.game.shape();
        let cell = profile
            .iter()
            .zip(shape)
            .fold(0u64, |acc, (&a, &k)| acc * k as u64 + a as u64);
        let key = player as u64 * self.game.num_profiles() as u64 + cell;
        self.inexact.get(key).unwrap_or_else(|| exact_f64(x))
    }

    /// Every player's payoff tensor exactly as written.
    ///
    /// # Complexity
    /// One rational per payoff: memory grows with the digits of the payoffs.
    pub fn exact_payoffs(&self) -> Vec<ArrayD<BigRational>> {
        let shape = IxDyn(self.game.shape());
        (0..self.game.num_players())
            .map(|p| {
                ArrayD::from_shape_fn(shape.clone(), |ix| {
                    let profile: Vec<usize> = (0..ix.ndim()).map(|d| ix[d]).collect();
                    self.exact_payoff(p, &profile)
                })
            })
            .collect()
    }
}

/// A finite `f64` as a rational (every finite binary64 number is one).
fn exact_f64(x: f64) -> BigRational {
    BigRational::from_float(x).unwrap_or_default()
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
/// [`Error::Io`] naming the path when the file cannot be read; [`Error::TooLarge`] above
/// [`MAX_INPUT_BYTES`] or [`MAX_GAME_BYTES`]; [`Error::Parse`] for bad content, including
/// bytes that are not UTF-8.
pub fn read_game(path: &Path) -> Result<NormalForm> {
    read_game_file(path).map(GameFile::into_game)
}

/// [`read_game`], keeping the payoffs as written (see [`GameFile`]).
///
/// # Errors
/// As [`read_game`].
pub fn read_game_file(path: &Path) -> Result<GameFile> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("nfg") => parse_nfg_file(&read_input(path)?, path),
        Some("json") => {
            let text = read_input(path)?;
            if tree_json::is_tree_json(&text) {
                let t = tree_json::parse_tree_json(&text, path)?;
                return tree_game_file(&t);
            }
            parse_game_json_file(&text, path)
        }
        Some("efg") => tree_game_file(&efg::read_efg(path)?),
        _ => Err(Error::invalid_argument(format!(
            "{}: unknown game format; accepted extensions are .nfg and .efg (Gambit) and .json",
            path.display()
        ))),
    }
}

/// The reduced strategic form of a tree as a [`GameFile`]: the tree's payoffs are exact
/// rationals, so the reduced form's binary64 payoffs are marked exact only as far as the
/// normal-form readers would (no rounded tokens are recorded here).
fn tree_game_file(t: &GameTree) -> Result<GameFile> {
    Ok(GameFile::new(
        crate::extensive::reduced_strategic_form(t)?.game,
        InexactPayoffs::default(),
    ))
}

/// Reads a text file through [`read_input`] (the tree readers' entry point).
pub(crate) fn read_text(path: &Path) -> Result<String> {
    read_input(path)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_to_positions() {
        assert_eq!(Pos::of_offset("ab\ncé d", 7), Pos { line: 2, column: 4 });
        // A byte-order mark is not a column.
        assert_eq!(Pos::of_offset("\u{feff}ab", 4), Pos { line: 1, column: 2 });
    }
}
