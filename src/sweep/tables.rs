//! The tables of a sweep as typed rows: `sweep.csv` (one row per run), `sweep_summary.csv`
//! (statistics per point) and `bill_forecast.csv` (monthly bill percentiles per point); each
//! row starts with its point (index, file, axis settings).

use super::manifest::Manifest;
use super::record::RunRecord;
use super::stats::{quantile, stats};
use crate::report::rows::{FieldSink, Row};
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

/// Adds the metric names of `record` not yet in `names` (so `names` lists the metrics of all
/// runs in order of first appearance).
pub fn add_metric_names(names: &mut Vec<String>, record: &RunRecord) {
    for (k, _) in &record.metrics {
        if !names.contains(k) {
            names.push(k.clone());
        }
    }
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

/// The columns of `sweep.csv`, with every metric in `names`.
pub fn sweep_header(manifest: &Manifest, names: &[String]) -> Vec<String> {
    let mut extra: Vec<String> = ["replication", "seed", "status", "error"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    extra.extend(names.iter().cloned());
    header(manifest, &extra)
}

/// The row of `sweep.csv` of `record`, with a field for every metric in `names`.
pub fn run_row<'a>(
    manifest: &'a Manifest,
    record: &'a RunRecord,
    names: &'a [String],
) -> impl Row + 'a {
    RunRow {
        manifest,
        record,
        names,
    }
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

/// The columns of `sweep_summary.csv`.
pub fn summary_header(manifest: &Manifest) -> Vec<String> {
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
    header(manifest, &extra)
}

/// The row of `sweep_summary.csv` of `point`, whose successful runs are `runs`.
pub fn point_row<'a>(
    manifest: &'a Manifest,
    point: usize,
    runs: &'a [&'a RunRecord],
) -> impl Row + 'a {
    PointRow {
        manifest,
        point,
        runs,
    }
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

/// The columns of `bill_forecast.csv`.
pub fn forecast_header(manifest: &Manifest) -> Vec<String> {
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
    header(manifest, &extra)
}

/// The rows of `bill_forecast.csv` of `point`, whose successful runs are `runs`: one per
/// billing month any of them has, in month order.
pub fn month_rows<'a>(
    manifest: &'a Manifest,
    point: usize,
    runs: &[&RunRecord],
) -> Vec<impl Row + 'a> {
    let mut months: Vec<String> = vec![];
    for r in runs {
        for (m, _) in &r.months {
            if !months.contains(m) {
                months.push(m.clone());
            }
        }
    }
    months.sort();
    months
        .into_iter()
        .map(|month| {
            let values: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.months.iter().find(|(m, _)| *m == month).map(|(_, v)| *v))
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            MonthRow {
                manifest,
                point,
                month,
                values,
                sorted,
            }
        })
        .collect()
}
