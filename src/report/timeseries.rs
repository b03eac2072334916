//! `timeseries.csv`: one row per output interval; energy in a row is the exact integral over
//! that interval, so each column sums to the run total.

use super::{ReportError, csv_bytes};
use crate::result::RunResult;

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    "interval_start",
    "interval_h",
    "it_energy_kwh",
    "facility_energy_kwh",
    "mean_it_kw",
    "peak_it_kw",
    "mean_facility_kw",
    "peak_facility_kw",
    "busy_devices_mean",
    "queued_jobs_mean",
    "energy_cost",
    "carbon_kg",
    "pue",
    "intensity_g_per_kwh",
    "outdoor_c",
    "water_l",
];

/// Prefix of the per-pool columns: `it_kw_<pool>` is the pool's mean IT power [kW].
pub const POOL_PREFIX: &str = "it_kw_";

/// `a / b`, or 0 when `b` is 0.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// Renders the time series as CSV bytes.
pub fn to_csv(r: &RunResult) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(r.names.pools.iter().map(|p| format!("{POOL_PREFIX}{p}")));
    w.write_record(&header)?;
    for iv in &r.intervals {
        let h = iv.hours();
        let per_h = |x: f64| if h > 0.0 { x / h } else { 0.0 };
        w.write_record(
            [
                r.calendar.iso(iv.start_ms),
                h.to_string(),
                iv.totals.it_energy_kwh.to_string(),
                iv.totals.facility_energy_kwh.to_string(),
                per_h(iv.totals.it_energy_kwh).to_string(),
                iv.peak_it_kw.to_string(),
                per_h(iv.totals.facility_energy_kwh).to_string(),
                iv.peak_facility_kw.to_string(),
                per_h(iv.busy_device_hours).to_string(),
                per_h(iv.queued_job_hours).to_string(),
                iv.totals.cost.to_string(),
                iv.totals.carbon_kg.to_string(),
                ratio(iv.totals.facility_energy_kwh, iv.totals.it_energy_kwh).to_string(),
                ratio(iv.totals.carbon_kg * 1000.0, iv.totals.facility_energy_kwh).to_string(),
                if iv.weather_hours > 0.0 {
                    (iv.outdoor_c_hours / iv.weather_hours).to_string()
                } else {
                    String::new()
                },
                iv.water_l.to_string(),
            ]
            .into_iter()
            .chain(
                (0..r.names.pools.len())
                    .map(|i| per_h(iv.pool_it_kwh.get(i).copied().unwrap_or(0.0)).to_string()),
            ),
        )?;
    }
    csv_bytes(w)
}
