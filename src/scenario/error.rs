//! Scenario errors: each names the file, the line and column where known, the key and the
//! value, and says how to fix it.

use std::fmt;
use std::path::PathBuf;

/// A position in the scenario file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Line [1..].
    pub line: usize,
    /// Column [1..], in characters.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A value that breaks a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    /// Key path, e.g. `pools[0].nodes`.
    pub key: String,
    /// The offending value as written (or described).
    pub value: String,
    /// What is wrong.
    pub problem: String,
    /// How to fix it.
    pub hint: String,
    /// Where the key is in the file.
    pub location: Option<Location>,
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file `{path}`: {source}; check the path and permissions")]
    Read {
        /// File path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is empty.
    #[error(
        "scenario file `{path}` is empty; a scenario needs at least a [simulation] table and one [[pools]] entry (see scenarios/quickstart.toml)"
    )]
    Empty {
        /// File path.
        path: PathBuf,
    },
    /// TOML syntax error, wrong type, missing or unknown key.
    #[error("{}: {message}", path.display())]
    Syntax {
        /// File path.
        path: PathBuf,
        /// The parser's message (with line, column and a snippet), plus a hint.
        message: String,
    },
    /// A value breaks a rule.
    #[error("{}", render_invalid(path, invalid))]
    Invalid {
        /// File path.
        path: PathBuf,
        /// What is wrong.
        invalid: Box<Invalid>,
    },
}

fn render_invalid(path: &std::path::Path, e: &Invalid) -> String {
    let place = match e.location {
        Some(loc) => format!("{}:{}", path.display(), loc),
        None => path.display().to_string(),
    };
    format!(
        "{place}: `{}` = {}: {}\n  hint: {}",
        e.key, e.value, e.problem, e.hint
    )
}
