//! Scenario errors: each names the file, the line and column where known, the key and the
//! value, and says how to fix it.

pub use crate::input::error::{DataProblem, InputError, data_error};
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
    /// A problem in a data file the scenario names at `key`.
    #[error(
        "{}: `{key}` names a data file with a problem:\n{source}",
        place(path, location)
    )]
    Referenced {
        /// The scenario file.
        path: PathBuf,
        /// Where the key is written.
        location: Option<Location>,
        /// The key that names the data file.
        key: String,
        /// The data file's error.
        source: Box<ScenarioError>,
    },
    /// One point of a sweep is invalid.
    #[error("{}: sweep point {point} ({settings}):\n{source}", path.display())]
    SweepPoint {
        /// The scenario file.
        path: PathBuf,
        /// Point index.
        point: usize,
        /// The axis settings of the point.
        settings: String,
        /// Why the point's scenario is invalid.
        source: Box<ScenarioError>,
    },
    /// A value a capacity plan probes is invalid.
    #[error("{}: plan at {settings}:\n{source}", path.display())]
    PlanPoint {
        /// The scenario file.
        path: PathBuf,
        /// The alternative and the sized key's value.
        settings: String,
        /// Why the scenario is invalid.
        source: Box<ScenarioError>,
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
    /// A data file the scenario names (CSV series, EPW, URDB JSON) could not be read or has a
    /// bad field or row.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A value breaks a rule.
    #[error("{}", render_invalid(path, invalid))]
    Invalid {
        /// File path.
        path: PathBuf,
        /// What is wrong.
        invalid: Box<Invalid>,
    },
}

fn place(path: &std::path::Path, location: &Option<Location>) -> String {
    match location {
        Some(loc) => format!("{}:{loc}", path.display()),
        None => path.display().to_string(),
    }
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
