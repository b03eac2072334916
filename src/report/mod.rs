//! Reports: turn a run result into bytes (JSON, CSV, a console table). Only the CLI chooses
//! paths; `output` writes a set of files atomically.

pub mod bill;
pub mod jobs;
pub mod metadata;
pub mod number;
pub mod output;
pub mod summary;
pub mod table;
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
    /// Writing a file failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The files `wattsim run` writes for a run from its result, as (name, bytes): summary, time
/// series, tenants, bill, a copy of the scenario text and metadata (`jobs.csv` is streamed
/// while the run goes; see [`crate::run_folder`]). `file_name` is the scenario's file name.
pub fn run_files(
    result: &crate::result::RunResult,
    file_name: &str,
    source: &str,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    Ok(vec![
        (
            "summary.json".to_string(),
            Summary::from_result(result).to_json()?,
        ),
        ("timeseries.csv".to_string(), timeseries::to_csv(result)?),
        ("tenants.csv".to_string(), tenants::to_csv(result)?),
        (
            "bill.csv".to_string(),
            bill::to_csv(&result.bill, &result.calendar)?,
        ),
        ("scenario.toml".to_string(), source.as_bytes().to_vec()),
        (
            "metadata.json".to_string(),
            metadata::Metadata::new(result, file_name, source).to_json()?,
        ),
    ])
}

/// Finishes a CSV writer into its bytes.
fn csv_bytes(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ReportError> {
    writer
        .into_inner()
        .map_err(|e| ReportError::Csv(csv::Error::from(e.into_error())))
}
