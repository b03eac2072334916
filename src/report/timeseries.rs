//! `timeseries.csv`: one row per output interval; energy in a row is the exact integral over
//! that interval, so each column sums to the run total.

use super::ReportError;
use super::files;
use super::format::TableFormat;
use super::parquet::parquet_table;
use super::rows::{FieldSink, Kind, Row, csv_table};
use crate::result::{IntervalRecord, RunResult};

/// Column names, one constant each: the writer's header and the readers (the charts) share
/// them.
pub mod col {
    /// `interval_start`.
    pub const INTERVAL_START: &str = "interval_start";
    /// `interval_h`.
    pub const INTERVAL_H: &str = "interval_h";
    /// `it_energy_kwh`.
    pub const IT_ENERGY_KWH: &str = "it_energy_kwh";
    /// `facility_energy_kwh`.
    pub const FACILITY_ENERGY_KWH: &str = "facility_energy_kwh";
    /// `mean_it_kw`.
    pub const MEAN_IT_KW: &str = "mean_it_kw";
    /// `peak_it_kw`.
    pub const PEAK_IT_KW: &str = "peak_it_kw";
    /// `mean_facility_kw`.
    pub const MEAN_FACILITY_KW: &str = "mean_facility_kw";
    /// `peak_facility_kw`.
    pub const PEAK_FACILITY_KW: &str = "peak_facility_kw";
    /// `busy_devices_mean`.
    pub const BUSY_DEVICES_MEAN: &str = "busy_devices_mean";
    /// `queued_jobs_mean`.
    pub const QUEUED_JOBS_MEAN: &str = "queued_jobs_mean";
    /// `energy_cost`.
    pub const ENERGY_COST: &str = "energy_cost";
    /// `carbon_kg`.
    pub const CARBON_KG: &str = "carbon_kg";
    /// `pue`.
    pub const PUE: &str = "pue";
    /// `intensity_g_per_kwh`.
    pub const INTENSITY_G_PER_KWH: &str = "intensity_g_per_kwh";
    /// `outdoor_c`.
    pub const OUTDOOR_C: &str = "outdoor_c";
    /// `water_l`.
    pub const WATER_L: &str = "water_l";
    /// `limit_kw`.
    pub const LIMIT_KW: &str = "limit_kw";
    /// `nodes_off_mean`.
    pub const NODES_OFF_MEAN: &str = "nodes_off_mean";
    /// `nodes_booting_mean`.
    pub const NODES_BOOTING_MEAN: &str = "nodes_booting_mean";
    /// `mean_device_cap_w`.
    pub const MEAN_DEVICE_CAP_W: &str = "mean_device_cap_w";
}

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    col::INTERVAL_START,
    col::INTERVAL_H,
    col::IT_ENERGY_KWH,
    col::FACILITY_ENERGY_KWH,
    col::MEAN_IT_KW,
    col::PEAK_IT_KW,
    col::MEAN_FACILITY_KW,
    col::PEAK_FACILITY_KW,
    col::BUSY_DEVICES_MEAN,
    col::QUEUED_JOBS_MEAN,
    col::ENERGY_COST,
    col::CARBON_KG,
    col::PUE,
    col::INTENSITY_G_PER_KWH,
    col::OUTDOOR_C,
    col::WATER_L,
    col::LIMIT_KW,
    col::NODES_OFF_MEAN,
    col::NODES_BOOTING_MEAN,
    col::MEAN_DEVICE_CAP_W,
];

/// The columns with what each holds: the interval start is an instant, every other column
/// (the per-pool ones too) a number.
pub fn typed_columns(pools: &[String]) -> Vec<(String, Kind)> {
    columns(pools)
        .into_iter()
        .enumerate()
        .map(|(i, c)| (c, if i == 0 { Kind::Time } else { Kind::Num }))
        .collect()
}

/// Prefix of the per-pool columns: `it_kw_<pool>` is the pool's mean IT power [kW].
pub const POOL_PREFIX: &str = "it_kw_";

/// `a / b`, or 0 when `b` is 0.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// One row of `timeseries.csv`: an output interval, with `pools` per-pool columns.
pub struct TimeseriesRow<'a> {
    /// The interval.
    pub interval: &'a IntervalRecord,
    /// Pools in the run [count].
    pub pools: usize,
}

impl Row for TimeseriesRow<'_> {
    fn write<S: FieldSink + ?Sized>(&self, w: &mut S) {
        let iv = self.interval;
        let h = iv.hours();
        let per_h = |x: f64| if h > 0.0 { x / h } else { 0.0 };
        w.time(Some(iv.start_ms));
        w.num(h);
        w.num(iv.totals.it_energy_kwh);
        w.num(iv.totals.facility_energy_kwh);
        w.num(per_h(iv.totals.it_energy_kwh));
        w.num(iv.peak_it_kw);
        w.num(per_h(iv.totals.facility_energy_kwh));
        w.num(iv.peak_facility_kw);
        w.num(per_h(iv.busy_device_hours));
        w.num(per_h(iv.queued_job_hours));
        w.num(iv.totals.cost);
        w.num(iv.totals.carbon_kg);
        w.num(ratio(
            iv.totals.facility_energy_kwh,
            iv.totals.it_energy_kwh,
        ));
        w.num(ratio(
            iv.totals.carbon_kg * 1000.0,
            iv.totals.facility_energy_kwh,
        ));
        w.opt_num((iv.weather_hours > 0.0).then(|| iv.outdoor_c_hours / iv.weather_hours));
        w.num(iv.water_l);
        let power = &iv.power;
        w.opt_num(power.limit_kw);
        w.num(per_h(power.off_node_hours));
        w.num(per_h(power.booting_node_hours));
        w.opt_num((power.cap_w_hours > 0.0).then(|| per_h(power.cap_w_hours)));
        for i in 0..self.pools {
            w.num(per_h(iv.pool_it_kwh.get(i).copied().unwrap_or(0.0)));
        }
    }
}

/// The columns of a run's `timeseries.csv`: the fixed ones, then one per pool.
pub fn columns(pools: &[String]) -> Vec<String> {
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(pools.iter().map(|p| format!("{POOL_PREFIX}{p}")));
    header
}

/// The time series as (file name, bytes) in `format`; `None` for [`TableFormat::None`].
pub fn to_format(
    r: &RunResult,
    format: TableFormat,
) -> Result<Option<(String, Vec<u8>)>, ReportError> {
    let pools = r.names.pools.len();
    let rows: Vec<TimeseriesRow> = r
        .intervals
        .iter()
        .map(|interval| TimeseriesRow { interval, pools })
        .collect();
    let bytes = match format {
        TableFormat::Csv => csv_table(r.calendar, columns(&r.names.pools), rows.iter())?,
        TableFormat::Parquet => parquet_table(
            r.calendar,
            "timeseries",
            &typed_columns(&r.names.pools),
            rows.iter(),
        )?,
        TableFormat::None => return Ok(None),
    };
    Ok(format
        .file_name(files::TIMESERIES, files::TIMESERIES_PARQUET)
        .map(|name| (name.to_string(), bytes)))
}

/// Renders the time series as CSV bytes.
pub fn to_csv(r: &RunResult) -> Result<Vec<u8>, ReportError> {
    Ok(to_format(r, TableFormat::Csv)?
        .map(|(_, bytes)| bytes)
        .unwrap_or_default())
}
