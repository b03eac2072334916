//! Reports: turn a run result into bytes (JSON, CSV, a console table). Only the CLI chooses
//! paths; `output` writes a set of files atomically.

pub mod bill;
pub mod jobs;
pub mod metadata;
pub mod output;
pub mod summary;
pub mod table;
pub mod timeseries;

pub use summary::Summary;

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// CSV encoding failed.
    #[error("cannot encode CSV: {0}")]
    Csv(#[from] csv::Error),
    /// JSON encoding failed.
    #[error("cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing a file failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Finishes a CSV writer into its bytes.
fn csv_bytes(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ReportError> {
    writer
        .into_inner()
        .map_err(|e| ReportError::Csv(csv::Error::from(e.into_error())))
}
