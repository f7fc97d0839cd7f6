//! The crate's one error type.
//!
//! Bad input is an [`Error`]; how the mathematics turned out (optimal, infeasible, no
//! equilibrium of the requested kind) is a status in the result types. Solvers never panic on
//! user input.

use std::path::PathBuf;

/// Convenience alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in covenant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A game could not be built: empty strategy set, mismatched shapes, non-finite payoff, …
    /// The message names the offending player, cell or coalition.
    #[error("invalid game: {0}")]
    InvalidGame(String),

    /// A function argument is outside the domain the function accepts.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// A text file (Gambit `.nfg`, JSON game) could not be parsed.
    #[error("{}:{line}:{column}: {message}", file.display())]
    Parse {
        /// The file (or `<input>` for in-memory text).
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
    },

    /// A treaty model file is well-formed TOML but names something invalid.
    #[error("{}:{line}: field `{field}`: {message}", file.display())]
    Model {
        /// The model file.
        file: PathBuf,
        /// 1-based line of the offending field (0 when unknown).
        line: usize,
        /// Dotted path of the field, e.g. `states[3].reliability`.
        field: String,
        /// What was wrong.
        message: String,
    },

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The request exceeds a documented size limit (e.g. 2^n coalitions over the memory cap).
    #[error("too large: {0}")]
    TooLarge(String),

    /// An iterative algorithm hit its iteration cap without converging.
    #[error("{algorithm}: iteration limit of {limit} reached")]
    IterationLimit {
        /// Which algorithm.
        algorithm: &'static str,
        /// The cap that was hit.
        limit: usize,
    },

    /// The LP backend failed for a reason other than infeasibility or unboundedness
    /// (those are [`crate::lp::LpStatus`] values, not errors).
    #[error("LP backend {backend}: {message}")]
    Lp {
        /// The backend's name.
        backend: &'static str,
        /// What it reported.
        message: String,
    },

    /// A problem that must have a solution turned out not to (e.g. an LP the theory says is
    /// feasible was reported infeasible): numerical trouble, reported rather than hidden.
    #[error("numerical trouble in {context}: {message}")]
    Numerical {
        /// Which computation.
        context: &'static str,
        /// Details.
        message: String,
    },

    /// The requested feature is not available in this build (e.g. an LP backend feature that
    /// was not compiled in).
    #[error("not available in this build: {0}")]
    Unavailable(String),
}

impl Error {
    /// Shorthand for [`Error::InvalidGame`].
    pub fn invalid_game(msg: impl Into<String>) -> Self {
        Error::InvalidGame(msg.into())
    }

    /// Shorthand for [`Error::InvalidArgument`].
    pub fn invalid_argument(msg: impl Into<String>) -> Self {
        Error::InvalidArgument(msg.into())
    }
}

/// A byte count for a message: `512 B`, `1.5 KiB`, … `8.0 GiB`, up to EiB, then
/// `1.2e25 bytes`. Takes a float so that sizes beyond every integer type are still stated.
pub(crate) fn bytes(b: f64) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if !b.is_finite() || b >= 1024f64.powi(7) {
        return format!("{b:.1e} bytes");
    }
    let mut x = b;
    let mut u = 0;
    while x >= 1024.0 && u + 1 < UNITS.len() {
        x /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{x} B")
    } else {
        format!("{x:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::bytes;

    #[test]
    fn byte_counts_read_in_the_right_unit() {
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(1536.0), "1.5 KiB");
        assert_eq!(bytes(8.0 * 1024f64.powi(3)), "8.0 GiB");
        assert_eq!(bytes(2f64.powi(64) * 8.0), "128.0 EiB");
        assert_eq!(bytes(2f64.powi(80)), "1.2e24 bytes");
        assert_eq!(bytes(f64::INFINITY), "inf bytes");
    }
}
