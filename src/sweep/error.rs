//! What the sweep's runner and its reports share: why a sweep could not run, and the name of
//! the folder of run records.

use std::path::PathBuf;

/// The folder (inside the sweep's output folder) that holds one record per run.
pub const RUNS_DIR: &str = "runs";

/// Why a sweep could not run.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// Reading or writing the output folder failed.
    #[error("{context} `{path}`: {source}")]
    Io {
        /// What was being done.
        context: &'static str,
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A record or manifest could not be encoded or decoded.
    #[error("`{path}`: {problem}")]
    Record {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// Runs of the sweep have no record in any of the folders merged.
    #[error(
        "{runs} run(s) of the sweep have no record in the folders given; finish (or resume) their shards, then merge again:\n{list}"
    )]
    Missing {
        /// How many.
        runs: usize,
        /// One line per missing run (the first 20).
        list: String,
    },
    /// The folder holds a different sweep.
    #[error(
        "`{path}` holds records of a different sweep (its scenario files or wattsim version differ); use another --out folder, or run without --resume to start over"
    )]
    Mismatch {
        /// The folder.
        path: PathBuf,
    },
    /// The thread pool could not start.
    #[error("cannot start {0} threads")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// Writing reports failed.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// Writing a kept run's folder failed.
    #[error(transparent)]
    RunFolder(#[from] crate::run_folder::RunFolderError),
}

/// Reads the JSON file `path` as a `what` (named in the message when it does not parse).
pub(super) fn read_json<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    what: &str,
) -> Result<T, SweepError> {
    let bytes = std::fs::read(path).map_err(|source| SweepError::Io {
        context: "cannot read",
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| SweepError::Record {
        path: path.to_path_buf(),
        problem: format!("not a {what}: {e}"),
    })
}
