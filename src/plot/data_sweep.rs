//! What the sweep charts read: each point's settings and key-metric statistics from
//! `sweep_summary.csv`, and the monthly bill forecast from `bill_forecast.csv`.

use super::PlotError;
use super::data::{Files, need, num, rows};
use crate::sweep::tables::{STATS, col as sweep_col};
use std::collections::BTreeMap;

/// One sweep point: its settings and (mean, 95 % CI low, high) of each key metric.
#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    /// The settings by short axis name, e.g. `device = H100-SXM5-80GB, pue = 1.1`.
    pub label: String,
    /// (axis key path, value) of each axis the point sets.
    pub axes: Vec<(String, String)>,
    /// The currency of the point's costs (empty when unknown).
    pub currency: String,
    /// metric → (mean, ci95 low, ci95 high).
    pub metrics: BTreeMap<String, (f64, f64, f64)>,
}

/// The short name of an axis key path: its last part (`pools.0.nodes` → `nodes`), or the
/// whole path when another axis of `all` ends the same way.
pub fn short_axis(axis: &str, all: &[String]) -> String {
    let last = |a: &str| a.rsplit('.').next().unwrap_or(a).to_string();
    let mine = last(axis);
    if all.iter().filter(|a| last(a) == mine).count() > 1 {
        axis.to_string()
    } else {
        mine
    }
}

/// `nodes = 72, pue = 1.2`: a point's settings by short axis name.
fn settings_label(axes: &[(String, String)], header: &[String]) -> String {
    axes.iter()
        .map(|(a, v)| format!("{} = {v}", short_axis(a, header)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One month of one point's bill forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastRow {
    /// Point index.
    pub point: usize,
    /// `YYYY-MM`.
    pub month: String,
    /// P10, P50, P90 [currency].
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// P90.
    pub p90: f64,
}

/// What the sweep charts need.
#[derive(Debug, Clone)]
pub struct SweepData {
    /// The sweep's axis key paths, in column order.
    pub axes: Vec<String>,
    /// Points in order.
    pub points: Vec<PointRow>,
    /// Monthly forecast rows.
    pub forecast: Vec<ForecastRow>,
}

impl SweepData {
    /// Reads `sweep_summary.csv` and `bill_forecast.csv`.
    pub fn read(files: &Files) -> Result<SweepData, PlotError> {
        let name = crate::report::files::SWEEP_SUMMARY;
        let text = need(files, name)?;
        let summary = rows(name, &text)?;
        let header: Vec<String> = csv::Reader::from_reader(text.as_slice())
            .headers()
            .map(|h| h.iter().map(str::to_string).collect())
            .unwrap_or_default();
        let fixed = [
            sweep_col::POINT,
            sweep_col::FILE,
            sweep_col::RUNS_OK,
            sweep_col::RUNS_FAILED,
            sweep_col::CURRENCY,
        ];
        let is_stat = |k: &str| STATS.iter().any(|s| k.ends_with(&format!("_{s}")));
        // The axis columns, in file order: every column but the fixed and statistics ones.
        let axis_columns: Vec<String> = header
            .into_iter()
            .filter(|k| !fixed.contains(&k.as_str()) && !is_stat(k))
            .collect();
        let mut points = vec![];
        for r in &summary {
            // The values this point sets.
            let axes: Vec<(String, String)> = axis_columns
                .iter()
                .filter_map(|a| {
                    r.get(a)
                        .filter(|v| !v.is_empty())
                        .map(|v| (a.clone(), v.clone()))
                })
                .collect();
            let label = if axes.is_empty() {
                format!(
                    "point {}",
                    r.get(sweep_col::POINT).cloned().unwrap_or_default()
                )
            } else {
                settings_label(&axes, &axis_columns)
            };
            let mut metrics = BTreeMap::new();
            for k in r.keys().filter_map(|k| k.strip_suffix("_mean")) {
                let get = |s: &str| num(name, r, &format!("{k}_{s}"));
                if r.get(&format!("{k}_mean")).is_some_and(|v| !v.is_empty()) {
                    metrics.insert(
                        k.to_string(),
                        (get("mean")?, get("ci95_low")?, get("ci95_high")?),
                    );
                }
            }
            points.push(PointRow {
                label,
                axes,
                currency: r.get(sweep_col::CURRENCY).cloned().unwrap_or_default(),
                metrics,
            });
        }
        let fname = crate::report::files::BILL_FORECAST;
        let forecast = rows(fname, &need(files, fname)?)?
            .iter()
            .map(|r| {
                Ok(ForecastRow {
                    point: num(fname, r, sweep_col::POINT)? as usize,
                    month: r.get(sweep_col::MONTH).cloned().unwrap_or_default(),
                    p10: num(fname, r, sweep_col::P10)?,
                    p50: num(fname, r, sweep_col::P50)?,
                    p90: num(fname, r, sweep_col::P90)?,
                })
            })
            .collect::<Result<Vec<_>, PlotError>>()?;
        Ok(SweepData {
            axes: axis_columns,
            points,
            forecast,
        })
    }
}
