//! The final files of a sweep, assembled from its run records in run order: `sweep.csv` (one
//! row per run), `sweep_summary.csv` (statistics per point) and `bill_forecast.csv` (monthly
//! bill percentiles per point). The same code serves a finished sweep and `wattsim merge`.

use super::error::{RUNS_DIR, SweepError};
use super::manifest::Manifest;
use super::record::RunRecord;
use super::tables::{forecast_csv, summary_csv, sweep_csv};
use crate::report::output::write_files;
use std::path::{Path, PathBuf};

/// Reads every record of the sweep from the `runs/` folders of `dirs` (the first found wins).
/// Returns the records in run order, or names the first missing run.
pub fn collect(dirs: &[PathBuf], manifest: &Manifest) -> Result<Vec<RunRecord>, SweepError> {
    let mut out = vec![];
    for (p, info) in manifest.points.iter().enumerate() {
        for r in 0..info.replications {
            let name = RunRecord::file_name(p, r);
            let Some(path) = dirs
                .iter()
                .map(|d| d.join(RUNS_DIR).join(&name))
                .find(|path| path.exists())
            else {
                return Err(SweepError::Record {
                    path: dirs
                        .first()
                        .cloned()
                        .unwrap_or_default()
                        .join(RUNS_DIR)
                        .join(&name),
                    problem: format!(
                        "run {name} (point {p}, replication {r}) is missing; finish every shard (or resume the sweep) before merging"
                    ),
                });
            };
            let bytes = std::fs::read(&path).map_err(|source| SweepError::Io {
                context: "cannot read",
                path: path.clone(),
                source,
            })?;
            let record: RunRecord =
                serde_json::from_slice(&bytes).map_err(|e| SweepError::Record {
                    path: path.clone(),
                    problem: e.to_string(),
                })?;
            out.push(record);
        }
    }
    Ok(out)
}

/// Reads the records from `dirs` and writes the final files into `out`; returns them.
pub fn write_final(
    out: &Path,
    dirs: &[PathBuf],
    manifest: &Manifest,
) -> Result<Vec<PathBuf>, SweepError> {
    let records = collect(dirs, manifest)?;
    let files = vec![
        (
            crate::report::files::SWEEP.to_string(),
            sweep_csv(manifest, &records)?,
        ),
        (
            crate::report::files::SWEEP_SUMMARY.to_string(),
            summary_csv(manifest, &records)?,
        ),
        (
            crate::report::files::BILL_FORECAST.to_string(),
            forecast_csv(manifest, &records)?,
        ),
        (
            crate::report::files::MANIFEST.to_string(),
            manifest.to_json()?,
        ),
    ];
    Ok(write_files(out, &files)?)
}
