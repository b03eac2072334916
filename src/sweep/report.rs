//! The final files of a sweep, assembled from its run records in run order: `sweep.csv` (one
//! row per run), `sweep_summary.csv` (statistics per point) and `bill_forecast.csv` (monthly
//! bill percentiles per point). The same code serves a finished sweep and `wattsim merge`.

use super::error::{RUNS_DIR, SweepError};
use super::record::RunRecord;
use super::stats::{quantile, stats};
use crate::report::output::write_files;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Metrics summarised per point in `sweep_summary.csv`.
pub const KEY_METRICS: &[&str] = &[
    "total_cost",
    "energy_cost",
    "demand_cost",
    "it_energy_kwh",
    "facility_energy_kwh",
    "carbon_kg",
    "peak_facility_kw",
    "mean_wait_s",
    "p95_wait_s",
    "utilization",
    "jobs_completed",
];

/// One point of the sweep as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointInfo {
    /// Scenario file name.
    pub file: String,
    /// (axis, value) settings.
    pub settings: Vec<(String, String)>,
    /// Runs of this point.
    pub replications: u64,
}

/// The identity and point table of a sweep, stored as `manifest.json` beside its records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// wattsim version that wrote it.
    pub wattsim_version: String,
    /// Hash of the scenario files, replications and version.
    pub sweep_sha256: String,
    /// All axis key paths, in order.
    pub axes: Vec<String>,
    /// The points.
    pub points: Vec<PointInfo>,
}

impl Manifest {
    /// Reads a manifest file.
    pub fn read(path: &Path) -> Result<Manifest, SweepError> {
        let bytes = std::fs::read(path).map_err(|source| SweepError::Io {
            context: "cannot read",
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_slice(&bytes).map_err(|e| SweepError::Record {
            path: path.to_path_buf(),
            problem: format!("not a wattsim sweep manifest: {e}"),
        })
    }

    /// Pretty JSON bytes.
    pub fn to_json(&self) -> Result<Vec<u8>, crate::report::ReportError> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// The value of `axis` at point `p`, or empty.
    fn setting(&self, p: usize, axis: &str) -> String {
        self.points[p]
            .settings
            .iter()
            .find(|(k, _)| k == axis)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

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

/// Reads the records from `dirs` and writes the final files into `out`.
pub fn write_final(out: &Path, dirs: &[PathBuf], manifest: &Manifest) -> Result<(), SweepError> {
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
    write_files(out, &files)?;
    Ok(())
}

fn csv_err(e: csv::Error) -> SweepError {
    SweepError::Report(crate::report::ReportError::Csv(e))
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, SweepError> {
    w.into_inner()
        .map_err(|e| csv_err(csv::Error::from(e.into_error())))
}

/// The metric names of all runs, in order of first appearance.
fn metric_names(records: &[RunRecord]) -> Vec<String> {
    let mut names: Vec<String> = vec![];
    for r in records {
        for (k, _) in &r.metrics {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    names
}

fn point_columns(manifest: &Manifest, p: usize) -> Vec<String> {
    let mut row = vec![p.to_string(), manifest.points[p].file.clone()];
    row.extend(manifest.axes.iter().map(|a| manifest.setting(p, a)));
    row
}

fn header(manifest: &Manifest, extra: &[String]) -> Vec<String> {
    let mut h = vec!["point".to_string(), "file".to_string()];
    h.extend(manifest.axes.iter().cloned());
    h.extend(extra.iter().cloned());
    h
}

/// `sweep.csv`: one row per run.
pub fn sweep_csv(manifest: &Manifest, records: &[RunRecord]) -> Result<Vec<u8>, SweepError> {
    let names = metric_names(records);
    let mut extra = vec![
        "replication".to_string(),
        "seed".to_string(),
        "status".to_string(),
        "error".to_string(),
    ];
    extra.extend(names.iter().cloned());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header(manifest, &extra)).map_err(csv_err)?;
    for r in records {
        let mut row = point_columns(manifest, r.point);
        row.push(r.replication.to_string());
        row.push(r.seed.to_string());
        row.push(if r.error.is_some() { "failed" } else { "ok" }.to_string());
        row.push(r.error.clone().unwrap_or_default());
        let values: BTreeMap<&str, f64> = r.metrics.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        row.extend(names.iter().map(|n| {
            values
                .get(n.as_str())
                .map(|v| v.to_string())
                .unwrap_or_default()
        }));
        w.write_record(row).map_err(csv_err)?;
    }
    finish(w)
}

/// Groups the successful records by point, in run order.
fn by_point<'a>(manifest: &Manifest, records: &'a [RunRecord]) -> Vec<Vec<&'a RunRecord>> {
    let mut groups = vec![vec![]; manifest.points.len()];
    for r in records {
        if r.error.is_none() {
            groups[r.point].push(r);
        }
    }
    groups
}

/// `sweep_summary.csv`: per point, the statistics of each key metric over its replications.
pub fn summary_csv(manifest: &Manifest, records: &[RunRecord]) -> Result<Vec<u8>, SweepError> {
    let mut extra = vec!["runs_ok".to_string(), "runs_failed".to_string()];
    for m in KEY_METRICS {
        for s in ["mean", "std", "p5", "p50", "p95", "ci95_low", "ci95_high"] {
            extra.push(format!("{m}_{s}"));
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header(manifest, &extra)).map_err(csv_err)?;
    for (p, group) in by_point(manifest, records).iter().enumerate() {
        let mut row = point_columns(manifest, p);
        row.push(group.len().to_string());
        row.push((manifest.points[p].replications as usize - group.len()).to_string());
        for m in KEY_METRICS {
            let values: Vec<f64> = group
                .iter()
                .filter_map(|r| r.metrics.iter().find(|(k, _)| k == m).map(|(_, v)| *v))
                .collect();
            if values.is_empty() {
                row.extend(std::iter::repeat_n(String::new(), 7));
                continue;
            }
            let s = stats(&values);
            row.extend(
                [s.mean, s.std, s.p5, s.p50, s.p95, s.ci95_low, s.ci95_high]
                    .iter()
                    .map(|v| v.to_string()),
            );
        }
        w.write_record(row).map_err(csv_err)?;
    }
    finish(w)
}

/// `bill_forecast.csv`: per point and billing month, the mean and P10 / P50 / P90 of the
/// month's bill total over replications.
pub fn forecast_csv(manifest: &Manifest, records: &[RunRecord]) -> Result<Vec<u8>, SweepError> {
    let extra: Vec<String> = ["month", "runs", "mean", "p10", "p50", "p90"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header(manifest, &extra)).map_err(csv_err)?;
    for (p, group) in by_point(manifest, records).iter().enumerate() {
        let mut months: Vec<String> = vec![];
        for r in group {
            for (m, _) in &r.months {
                if !months.contains(m) {
                    months.push(m.clone());
                }
            }
        }
        months.sort();
        for month in months {
            let values: Vec<f64> = group
                .iter()
                .filter_map(|r| r.months.iter().find(|(m, _)| *m == month).map(|(_, v)| *v))
                .collect();
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let mut row = point_columns(manifest, p);
            row.push(month);
            row.push(values.len().to_string());
            row.extend(
                [
                    mean,
                    quantile(&sorted, 0.1),
                    quantile(&sorted, 0.5),
                    quantile(&sorted, 0.9),
                ]
                .iter()
                .map(|v| v.to_string()),
            );
            w.write_record(row).map_err(csv_err)?;
        }
    }
    finish(w)
}
