//! Output helpers shared by the subcommands: the `--format` switch, plain-text tables and
//! number formatting.

use clap::ValueEnum;
use serde::Serialize;
use std::io::Write;

/// Writes one line to stdout. A closed pipe (`covenant ... | head`) ends the process quietly
/// with success instead of panicking as `println!` would.
pub fn write_line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("covenant: error writing output: {e}");
        std::process::exit(1);
    }
}

/// `println!` for command output, through [`write_line`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::output::write_line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Human-readable table (default).
    #[default]
    Table,
    /// JSON (a stable interface, documented in the README).
    Json,
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), covenant::Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| covenant::Error::Numerical {
        context: "JSON output",
        message: e.to_string(),
    })?;
    outln!("{text}");
    Ok(())
}

/// A number for a table: up to 6 significant digits, no trailing zeros, `-0` shown as `0`.
pub fn num(x: f64) -> String {
    if x == 0.0 || x.abs() < 5e-13 {
        return "0".into();
    }
    if !x.is_finite() {
        return x.to_string();
    }
    let mag = x.abs().log10().floor() as i32;
    if !(-4..9).contains(&mag) {
        return format!("{x:.5e}");
    }
    let decimals = (5 - mag).clamp(0, 12) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A vector of numbers as `(a, b, c)`.
pub fn vec_num(xs: &[f64]) -> String {
    let inner: Vec<String> = xs.iter().map(|&x| num(x)).collect();
    format!("({})", inner.join(", "))
}

/// A plain-text table with a header row; columns padded to their widest cell.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column titles.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row (missing cells print empty).
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Renders the table.
    pub fn render(&self) -> String {
        let cols = self.header.len();
        let mut width: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (c, cell) in r.iter().enumerate().take(cols) {
                width[c] = width[c].max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| -> String {
            let mut s = String::new();
            for (c, w) in width.iter().enumerate() {
                let cell = cells.get(c).map(String::as_str).unwrap_or("");
                let pad = w - cell.chars().count();
                s.push_str(cell);
                if c + 1 < cols {
                    s.push_str(&" ".repeat(pad + 2));
                }
            }
            s.trim_end().to_string()
        };
        let mut out = line(&self.header);
        out.push('\n');
        out.push_str(
            &width
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("  "),
        );
        for r in &self.rows {
            out.push('\n');
            out.push_str(&line(r));
        }
        out
    }

    /// Prints the table on stdout.
    pub fn print(&self) {
        outln!("{}", self.render());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact_enough() {
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(1.0 / 3.0), "0.333333");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(1234.5678), "1234.57");
        assert_eq!(num(2.0), "2");
        assert_eq!(vec_num(&[1.0, 0.25]), "(1, 0.25)");
    }

    #[test]
    fn tables_pad_columns() {
        let mut t = Table::new(["a", "long header"]);
        t.row(["wide cell", "x"]);
        let r = t.render();
        assert_eq!(r.lines().count(), 3);
        assert!(r
            .lines()
            .next()
            .unwrap()
            .starts_with("a          long header"));
    }
}
