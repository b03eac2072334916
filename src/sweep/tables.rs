//! The tables of a sweep as typed rows: `sweep.csv` (one row per run), `sweep_summary.csv`
//! (statistics per point) and `bill_forecast.csv` (monthly bill percentiles per point); each
//! row starts with its point (index, file, axis settings).

use super::error::SweepError;
use super::manifest::Manifest;
use super::record::RunRecord;
use super::stats::{quantile, stats};
use crate::report::rows::{FieldSink, Row, csv_table};
use std::collections::BTreeMap;

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
    "deadlines_missed",
    "mean_bounded_slowdown",
    "budget_exceeded_kwh",
    "capped_device_hours",
];

/// Column names the sweep tables share with the charts that read them back.
pub mod col {
    /// The point's index.
    pub const POINT: &str = "point";
    /// The point's scenario file.
    pub const FILE: &str = "file";
    /// Successful runs of a point.
    pub const RUNS_OK: &str = "runs_ok";
    /// Failed runs of a point.
    pub const RUNS_FAILED: &str = "runs_failed";
    /// The currency of a point's costs.
    pub const CURRENCY: &str = "currency";
    /// A billing month.
    pub const MONTH: &str = "month";
    /// Runs with that month.
    pub const RUNS: &str = "runs";
    /// Mean, 10th, 50th and 90th percentile of the month's bill.
    pub const MEAN: &str = "mean";
    /// 10th percentile.
    pub const P10: &str = "p10";
    /// Median.
    pub const P50: &str = "p50";
    /// 90th percentile.
    pub const P90: &str = "p90";
}

/// Statistics of each key metric in `sweep_summary.csv` (columns `<metric>_<statistic>`), in
/// column order.
pub const STATS: [&str; 7] = ["mean", "std", "p5", "p50", "p95", "ci95_low", "ci95_high"];

/// A table's columns: the point's, then `extra`.
fn header(manifest: &Manifest, extra: &[String]) -> Vec<String> {
    let mut h = vec![col::POINT.to_string(), col::FILE.to_string()];
    h.extend(manifest.axes.iter().cloned());
    h.extend(extra.iter().cloned());
    h
}

/// Writes the point's fields: index, file, each axis setting.
fn point_fields<S: FieldSink + ?Sized>(w: &mut S, manifest: &Manifest, p: usize) {
    w.int(p as u64);
    w.text(&manifest.points[p].file);
    for a in &manifest.axes {
        w.text(&manifest.setting(p, a));
    }
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

/// One row of `sweep.csv`: a run with every metric of the sweep (empty where it has none).
struct RunRow<'a> {
    manifest: &'a Manifest,
    record: &'a RunRecord,
    names: &'a [String],
}

impl Row for RunRow<'_> {
    fn write<S: FieldSink + ?Sized>(&self, w: &mut S) {
        let r = self.record;
        point_fields(w, self.manifest, r.point);
        w.int(r.replication);
        w.int(r.seed);
        w.text(if r.error.is_some() { "failed" } else { "ok" });
        w.text(r.error.as_deref().unwrap_or_default());
        let values: BTreeMap<&str, f64> = r.metrics.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        for n in self.names {
            w.opt_num(values.get(n.as_str()).copied());
        }
    }
}

/// `sweep.csv`: one row per run.
pub fn sweep_csv(manifest: &Manifest, records: &[RunRecord]) -> Result<Vec<u8>, SweepError> {
    let names = metric_names(records);
    let mut extra: Vec<String> = ["replication", "seed", "status", "error"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    extra.extend(names.iter().cloned());
    let rows: Vec<RunRow> = records
        .iter()
        .map(|record| RunRow {
            manifest,
            record,
            names: &names,
        })
        .collect();
    Ok(csv_table(None, header(manifest, &extra), rows.iter())?)
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

/// One row of `sweep_summary.csv`: a point's runs and the statistics of each key metric.
struct PointRow<'a> {
    manifest: &'a Manifest,
    point: usize,
    runs: &'a [&'a RunRecord],
}

impl Row for PointRow<'_> {
    fn write<S: FieldSink + ?Sized>(&self, w: &mut S) {
        point_fields(w, self.manifest, self.point);
        w.int(self.runs.len() as u64);
        w.int(self.manifest.points[self.point].replications - self.runs.len() as u64);
        w.text(&self.manifest.points[self.point].currency);
        for m in KEY_METRICS {
            let values: Vec<f64> = self.runs.iter().filter_map(|r| r.metric(m)).collect();
            if values.is_empty() {
                for _ in STATS {
                    w.text("");
                }
                continue;
            }
            let s = stats(&values);
            for v in [s.mean, s.std, s.p5, s.p50, s.p95, s.ci95_low, s.ci95_high] {
                w.num(v);
            }
        }
    }
}

/// `sweep_summary.csv`: per point, the statistics of each key metric over its replications.
pub fn summary_csv(manifest: &Manifest, records: &[RunRecord]) -> Result<Vec<u8>, SweepError> {
    let mut extra = vec![
        col::RUNS_OK.to_string(),
        col::RUNS_FAILED.to_string(),
        col::CURRENCY.to_string(),
    ];
    for m in KEY_METRICS {
        for s in STATS {
            extra.push(format!("{m}_{s}"));
        }
    }
    let groups = by_point(manifest, records);
    let rows: Vec<PointRow> = groups
        .iter()
        .enumerate()
        .map(|(point, runs)| PointRow {
            manifest,
            point,
            runs,
        })
        .collect();
    Ok(csv_table(None, header(manifest, &extra), rows.iter())?)
}

/// One row of `bill_forecast.csv`: a point's bill totals for one month over its runs.
struct MonthRow<'a> {
    manifest: &'a Manifest,
    point: usize,
    month: String,
    /// The month's bill total of each run, in run order and sorted.
    values: Vec<f64>,
    sorted: Vec<f64>,
}

impl Row for MonthRow<'_> {
    fn write<S: FieldSink + ?Sized>(&self, w: &mut S) {
        let values = &self.values;
        point_fields(w, self.manifest, self.point);
        w.text(&self.month);
        w.int(values.len() as u64);
        w.num(values.iter().sum::<f64>() / values.len() as f64);
        for q in [0.1, 0.5, 0.9] {
            w.num(quantile(&self.sorted, q));
        }
    }
}

/// `bill_forecast.csv`: per point and billing month, the mean and P10 / P50 / P90 of the
/// month's bill total over replications.
pub fn forecast_csv(manifest: &Manifest, records: &[RunRecord]) -> Result<Vec<u8>, SweepError> {
    let extra: Vec<String> = [
        col::MONTH,
        col::RUNS,
        col::MEAN,
        col::P10,
        col::P50,
        col::P90,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rows = vec![];
    for (point, group) in by_point(manifest, records).iter().enumerate() {
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
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            rows.push(MonthRow {
                manifest,
                point,
                month,
                values,
                sorted,
            });
        }
    }
    Ok(csv_table(None, header(manifest, &extra), rows.iter())?)
}
