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
/// Returns the records in run order, or lists every missing run with the shard (and folder)
/// it belongs to.
pub fn collect(dirs: &[PathBuf], manifest: &Manifest) -> Result<Vec<RunRecord>, SweepError> {
    let mut out = vec![];
    let mut missing = vec![];
    let mut index = 0;
    for (p, info) in manifest.points.iter().enumerate() {
        for r in 0..info.replications {
            let name = RunRecord::file_name(p, r);
            let found = dirs
                .iter()
                .map(|d| d.join(RUNS_DIR).join(&name))
                .find(|path| path.exists());
            let k = index;
            index += 1;
            let Some(path) = found else {
                missing.push((k, p, r, name));
                continue;
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
    if missing.is_empty() {
        return Ok(out);
    }
    Err(SweepError::Missing {
        runs: missing.len(),
        list: missing_list(dirs, &missing),
    })
}

/// The missing runs, one line each (the first 20), with the shard each belongs to and the
/// folder given for that shard, when the folders say how the sweep was sharded.
fn missing_list(dirs: &[PathBuf], missing: &[(usize, usize, u64, String)]) -> String {
    let shards: Vec<(PathBuf, Option<(usize, usize)>)> = dirs
        .iter()
        .map(|d| {
            let m = Manifest::read(&d.join(crate::report::files::MANIFEST)).ok();
            (d.clone(), m.and_then(|m| m.shard))
        })
        .collect();
    let count = shards.iter().find_map(|(_, s)| s.map(|(_, n)| n));
    let mut lines: Vec<String> = missing
        .iter()
        .take(20)
        .map(|(k, p, r, name)| {
            let shard = count.map_or_else(String::new, |n| {
                let i = k % n;
                let folder = shards.iter().find(|(_, s)| *s == Some((i, n))).map_or_else(
                    || "no folder of this shard was given".to_string(),
                    |(d, _)| format!("folder `{}`", d.display()),
                );
                format!(", shard {i}/{n} ({folder})")
            });
            format!("  run {k}: {name} (point {p}, replication {r}){shard}")
        })
        .collect();
    if missing.len() > 20 {
        lines.push(format!("  … and {} more", missing.len() - 20));
    }
    lines.join("\n")
}

/// Reads the records from `dirs` and writes the final files into `out`; returns them.
pub fn write_final(
    out: &Path,
    dirs: &[PathBuf],
    manifest: &Manifest,
) -> Result<Vec<PathBuf>, SweepError> {
    let records = collect(dirs, manifest)?;
    // The merged folder holds the whole sweep, not a shard.
    let manifest = &Manifest {
        shard: None,
        ..manifest.clone()
    };
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
