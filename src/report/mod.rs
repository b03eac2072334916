//! Reports: turn a run result into bytes (JSON, CSV, a console table). Only the CLI chooses
//! paths; `output` writes a set of files atomically.

pub mod bill;
pub mod csv_out;
pub mod files;
pub mod folder;
pub mod format;
pub mod jobs;
pub mod metadata;
pub mod number;
pub mod output;
pub mod overload;
pub mod parquet;
pub mod rows;
pub mod summary;
pub mod table;
pub mod tco;
pub mod tenants;
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
    /// Parquet encoding (or the write under it) failed.
    #[error("cannot write Parquet: {0}")]
    Parquet(#[from] ::parquet::errors::ParquetError),
    /// Writing a file failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl ReportError {
    /// The same error, naming `path` as the file being written (an encoding error while
    /// streaming a file is, underneath, a failed write: disk full, a lost mount).
    pub fn in_file(self, path: &std::path::Path) -> ReportError {
        match self {
            ReportError::Csv(e) => ReportError::Write {
                path: path.to_path_buf(),
                source: match e.into_kind() {
                    csv::ErrorKind::Io(io) => io,
                    other => std::io::Error::other(format!("{other:?}")),
                },
            },
            ReportError::Parquet(e) => ReportError::Write {
                path: path.to_path_buf(),
                source: std::io::Error::other(e.to_string()),
            },
            ReportError::Write { source, .. } => ReportError::Write {
                path: path.to_path_buf(),
                source,
            },
            other => other,
        }
    }
}

/// The files `wattsim run` writes for a run from its result, as (name, bytes): summary, time
/// series (in `timeseries`' format, or none), tenants, bill, a copy of the scenario text and
/// metadata (the job table is streamed while the run goes; see [`crate::run_folder`]).
/// `file_name` is the scenario's file name.
pub fn run_files(
    result: &crate::result::RunResult,
    file_name: &str,
    source: &str,
    timeseries: format::TableFormat,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let mut out = vec![(
        files::SUMMARY.to_string(),
        Summary::from_result(result).to_json()?,
    )];
    out.extend(timeseries::to_format(result, timeseries)?);
    out.extend([
        (files::TENANTS.to_string(), tenants::to_csv(result)?),
        (
            files::BILL.to_string(),
            bill::to_csv(&result.bill, &result.calendar)?,
        ),
        (files::SCENARIO.to_string(), source.as_bytes().to_vec()),
        (
            files::METADATA.to_string(),
            metadata::Metadata::new(result, file_name, source).to_json()?,
        ),
    ]);
    if let Some(t) = &result.tco {
        out.push((files::TCO.to_string(), tco::to_csv(t, &result.currency)?));
    }
    Ok(out)
}
