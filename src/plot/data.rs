//! Chart data read back from the report files (CSV and JSON) — so charts always show what the
//! files say, and `wattsim chart DIR` can redraw them without re-running.

use super::PlotError;
use crate::report::bill::col as bill_col;
use crate::report::tenants::col as tenant_col;
use crate::report::timeseries::col as ts_col;
use crate::waits::Waits;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::io::Read;

/// One output interval.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// Interval start.
    pub start: DateTime<Utc>,
    /// Length [h].
    pub hours: f64,
    /// Mean IT power [kW].
    pub it_kw: f64,
    /// Mean facility power [kW].
    pub facility_kw: f64,
    /// Mean busy devices.
    pub busy: f64,
    /// Mean queued jobs.
    pub queued: f64,
    /// Energy cost [currency].
    pub cost: f64,
    /// CO2e [kg].
    pub carbon_kg: f64,
    /// Energy-weighted grid intensity [g/kWh].
    pub intensity: f64,
    /// Mean IT power of each pool [kW], in `RunData::pools` order.
    pub pool_kw: Vec<f64>,
    /// The lowest power limit in force [kW], when a budget applies.
    pub limit_kw: Option<f64>,
    /// Mean powered-off nodes.
    pub nodes_off: f64,
    /// Lowest and highest energy price of the intervals this row stands for
    /// [currency/kWh] (its own price, ungrouped; intervals without energy are left out).
    pub price_range: (f64, f64),
    /// Lowest and highest grid intensity of the intervals this row stands for [g/kWh].
    pub intensity_range: (f64, f64),
}

impl IntervalRow {
    /// The row with its ranges set to its own price and intensity (an ungrouped interval).
    pub fn with_own_ranges(mut self) -> Self {
        let price = self.price();
        self.price_range = (price, price);
        self.intensity_range = (self.intensity, self.intensity);
        self
    }

    /// The end of the interval.
    pub fn end(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::milliseconds((self.hours * 3_600_000.0).round() as i64)
    }
}

impl IntervalRow {
    /// Average energy price over the interval [currency/kWh].
    pub fn price(&self) -> f64 {
        let kwh = self.facility_kw * self.hours;
        if kwh > 0.0 { self.cost / kwh } else { 0.0 }
    }
}

/// Most intervals a time chart draws; longer series are drawn as means over groups of
/// consecutive intervals (the CSV keeps every interval).
pub const MAX_CHART_INTERVALS: usize = 1500;

/// `rows` grouped into at most `max` runs of consecutive intervals: powers and counts as
/// time-weighted means, cost and carbon summed, intensity energy-weighted. Returns the rows and
/// the group size.
pub fn chart_rows(rows: &[IntervalRow], max: usize) -> (Vec<IntervalRow>, usize) {
    let k = rows.len().div_ceil(max.max(1)).max(1);
    if k == 1 {
        return (rows.to_vec(), 1);
    }
    let grouped = rows
        .chunks(k)
        .map(|g| {
            let h: f64 = g.iter().map(|r| r.hours).sum();
            let mean = |f: &dyn Fn(&IntervalRow) -> f64| {
                if h > 0.0 {
                    g.iter().map(|r| f(r) * r.hours).sum::<f64>() / h
                } else {
                    0.0
                }
            };
            let facility_kwh: f64 = g.iter().map(|r| r.facility_kw * r.hours).sum();
            let carbon_kg: f64 = g.iter().map(|r| r.carbon_kg).sum();
            let pools = g[0].pool_kw.len();
            IntervalRow {
                start: g[0].start,
                hours: h,
                it_kw: mean(&|r| r.it_kw),
                facility_kw: mean(&|r| r.facility_kw),
                busy: mean(&|r| r.busy),
                queued: mean(&|r| r.queued),
                cost: g.iter().map(|r| r.cost).sum(),
                carbon_kg,
                intensity: if facility_kwh > 0.0 {
                    carbon_kg * 1000.0 / facility_kwh
                } else {
                    0.0
                },
                pool_kw: (0..pools)
                    .map(|i| mean(&|r| r.pool_kw.get(i).copied().unwrap_or(0.0)))
                    .collect(),
                limit_kw: g.iter().filter_map(|r| r.limit_kw).reduce(f64::min),
                nodes_off: mean(&|r| r.nodes_off),
                price_range: span(
                    g.iter()
                        .filter(|r| r.facility_kw > 0.0)
                        .map(|r| r.price_range),
                ),
                intensity_range: span(g.iter().map(|r| r.intensity_range)),
            }
        })
        .collect();
    (grouped, k)
}

/// The lowest low and highest high of `ranges` ((0, 0) for none).
fn span(ranges: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
    ranges
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
        .unwrap_or((0.0, 0.0))
}

/// One bill line.
#[derive(Debug, Clone, PartialEq)]
pub struct BillRow {
    /// `YYYY-MM`.
    pub month: String,
    /// `energy`, `demand`, `fixed`, `tax`.
    pub item: String,
    /// Period or charge name.
    pub name: String,
    /// Amount [currency].
    pub amount: f64,
}

/// One row of `tenants.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantRow {
    /// Tenant, `(no tenant)` or `(idle capacity)`.
    pub tenant: String,
    /// Jobs [count].
    pub jobs: f64,
    /// Device-hours [device·h].
    pub device_hours: f64,
    /// Facility energy [kWh].
    pub facility_kwh: f64,
    /// Energy charges [currency].
    pub cost: f64,
    /// CO2e [kg].
    pub carbon_kg: f64,
}

/// What the run charts need.
#[derive(Debug, Clone)]
pub struct RunData {
    /// Scenario name.
    pub scenario: String,
    /// Currency label.
    pub currency: String,
    /// The time series.
    pub intervals: Vec<IntervalRow>,
    /// Pool names (for the per-pool power).
    pub pools: Vec<String>,
    /// Queue waits of jobs that started (`None` when the folder has no job table).
    pub waits: Option<Waits>,
    /// Bill lines (without the total rows).
    pub bill: Vec<BillRow>,
    /// `tenants.csv` (empty for folders written before it existed).
    pub tenants: Vec<TenantRow>,
    /// `summary.json`.
    pub summary: serde_json::Value,
}

fn input(path: &str, message: impl Into<String>) -> PlotError {
    PlotError::Input {
        path: path.to_string(),
        message: message.into(),
    }
}

/// Rows of a table as (column → text).
pub type TextRows = Vec<BTreeMap<String, String>>;

/// Reads a CSV into rows of (column → text).
pub(super) fn rows(name: &str, bytes: &[u8]) -> Result<TextRows, PlotError> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| input(name, e.to_string()))?
        .clone();
    reader
        .records()
        .map(|r| {
            let r = r.map_err(|e| input(name, e.to_string()))?;
            Ok(headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect())
        })
        .collect()
}

pub(super) fn num(name: &str, row: &BTreeMap<String, String>, col: &str) -> Result<f64, PlotError> {
    let text = row
        .get(col)
        .ok_or_else(|| input(name, format!("no column `{col}`")))?;
    if text.is_empty() {
        return Ok(0.0);
    }
    text.parse()
        .map_err(|_| input(name, format!("`{col}` = {text:?} is not a number")))
}

/// A number in column `col` of `row`, `None` when the column is missing or the cell empty.
fn optional(
    name: &str,
    row: &BTreeMap<String, String>,
    col: &str,
) -> Result<Option<f64>, PlotError> {
    match row.get(col) {
        None => Ok(None),
        Some(text) if text.is_empty() => Ok(None),
        Some(_) => num(name, row, col).map(Some),
    }
}

/// The files of an output folder, looked up by name and opened for reading.
pub type Files<'a> = dyn Fn(&str) -> Option<Box<dyn Read>> + 'a;

/// Opens a file that must be there.
fn open(files: &Files, name: &str) -> Result<Box<dyn Read>, PlotError> {
    files(name).ok_or_else(|| input(name, "missing; is this a wattsim output folder?"))
}

/// Reads a whole file that must be there.
pub(super) fn need(files: &Files, name: &str) -> Result<Vec<u8>, PlotError> {
    read_all(open(files, name)?, name)
}

/// Reads an opened file to its end.
fn read_all(mut reader: Box<dyn Read>, name: &str) -> Result<Vec<u8>, PlotError> {
    let mut bytes = vec![];
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| input(name, e.to_string()))?;
    Ok(bytes)
}

/// A wait read back from the job table as whole milliseconds, `wait_s` being its value [s]
/// when it is a number; `what` names the row and its text, e.g. ``line 7: `wait_s` = "x"``.
fn wait_ms(name: &str, wait_s: Option<f64>, what: impl Fn() -> String) -> Result<u64, PlotError> {
    match wait_s {
        Some(w) if w.is_finite() && w >= 0.0 => Ok(crate::time::round_u64(w * 1000.0)),
        _ => Err(input(name, format!("{} is not a wait in seconds", what()))),
    }
}

/// The queue waits in the job table — `jobs.csv` or else `jobs.parquet` (the `wait_s`
/// column, seconds with millisecond digits), read row by row so a table of millions of jobs
/// is never held in memory; `None` when the folder has neither.
fn read_waits(files: &Files) -> Result<Option<Waits>, PlotError> {
    let name = crate::report::files::JOBS;
    let Some(file) = files(name) else {
        let name = crate::report::files::JOBS_PARQUET;
        let Some(reader) = files(name) else {
            return Ok(None);
        };
        let mut waits = Waits::default();
        let mut row = 0u64;
        super::parquet_rows::for_each_number(
            name,
            read_all(reader, name)?,
            crate::report::jobs::col::WAIT_S,
            |w| {
                row += 1;
                if let Some(w) = w {
                    waits.add(wait_ms(name, Some(w), || {
                        format!("row {row}: `wait_s` = {w}")
                    })?);
                }
                Ok(())
            },
        )?;
        return Ok(Some(waits));
    };
    let mut reader = csv::Reader::from_reader(file);
    let column = reader
        .byte_headers()
        .map_err(|e| input(name, e.to_string()))?
        .iter()
        .position(|h| h == crate::report::jobs::col::WAIT_S.as_bytes())
        .ok_or_else(|| {
            input(
                name,
                format!("no column `{}`", crate::report::jobs::col::WAIT_S),
            )
        })?;
    let mut waits = Waits::default();
    let mut row = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut row)
        .map_err(|e| input(name, e.to_string()))?
    {
        let text = row.get(column).unwrap_or_default();
        if text.is_empty() {
            continue;
        }
        let wait_s = std::str::from_utf8(text).ok().and_then(|t| t.parse().ok());
        waits.add(wait_ms(name, wait_s, || {
            format!(
                "line {}: `wait_s` = {:?}",
                row.position().map_or(0, |p| p.line()),
                String::from_utf8_lossy(text)
            )
        })?);
    }
    Ok(Some(waits))
}

impl RunData {
    /// Reads `summary.json`, the time series (`timeseries.csv` or `timeseries.parquet`), the
    /// job table's waits (`jobs.csv` or `jobs.parquet`, unless `waits` are given) and
    /// `bill.csv`.
    pub fn read(files: &Files, waits: Option<Waits>) -> Result<RunData, PlotError> {
        let summary: serde_json::Value =
            serde_json::from_slice(&need(files, crate::report::files::SUMMARY)?)
                .map_err(|e| input(crate::report::files::SUMMARY, e.to_string()))?;
        let text = |k: &str| summary[k].as_str().unwrap_or_default().to_string();
        let (ts, header, ts_rows) = match files(crate::report::files::TIMESERIES) {
            Some(reader) => {
                let ts = crate::report::files::TIMESERIES;
                let bytes = read_all(reader, ts)?;
                let header: Vec<String> = csv::Reader::from_reader(bytes.as_slice())
                    .headers()
                    .map_err(|e| input(ts, e.to_string()))?
                    .iter()
                    .map(String::from)
                    .collect();
                (ts, header, rows(ts, &bytes)?)
            }
            None => {
                let ts = crate::report::files::TIMESERIES_PARQUET;
                let bytes = files(ts)
                    .map(|r| read_all(r, ts))
                    .transpose()?
                    .ok_or_else(|| {
                        input(
                            crate::report::files::TIMESERIES,
                            "missing (nor is there a timeseries.parquet): the charts need the time series; rerun without --timeseries none",
                        )
                    })?;
                let (header, rows) = super::parquet_rows::table(ts, bytes)?;
                (ts, header, rows)
            }
        };
        let prefix = crate::report::timeseries::POOL_PREFIX;
        let pools: Vec<String> = header
            .iter()
            .filter_map(|h| h.strip_prefix(prefix).map(String::from))
            .collect();
        let intervals = ts_rows
            .iter()
            .map(|r| {
                let start = r
                    .get(ts_col::INTERVAL_START)
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .ok_or_else(|| input(ts, "bad interval_start"))?
                    .with_timezone(&Utc);
                Ok(IntervalRow {
                    start,
                    hours: num(ts, r, ts_col::INTERVAL_H)?,
                    it_kw: num(ts, r, ts_col::MEAN_IT_KW)?,
                    facility_kw: num(ts, r, ts_col::MEAN_FACILITY_KW)?,
                    busy: num(ts, r, ts_col::BUSY_DEVICES_MEAN)?,
                    queued: num(ts, r, ts_col::QUEUED_JOBS_MEAN)?,
                    cost: num(ts, r, ts_col::ENERGY_COST)?,
                    carbon_kg: num(ts, r, ts_col::CARBON_KG)?,
                    intensity: num(ts, r, ts_col::INTENSITY_G_PER_KWH)?,
                    pool_kw: pools
                        .iter()
                        .map(|p| num(ts, r, &format!("{prefix}{p}")))
                        .collect::<Result<Vec<_>, _>>()?,
                    // Written since power management; older folders lack them.
                    limit_kw: optional(ts, r, ts_col::LIMIT_KW)?,
                    nodes_off: optional(ts, r, ts_col::NODES_OFF_MEAN)?.unwrap_or(0.0),
                    price_range: (0.0, 0.0),
                    intensity_range: (0.0, 0.0),
                }
                .with_own_ranges())
            })
            .collect::<Result<Vec<_>, PlotError>>()?;
        // Time axes need times in order: a file edited by hand can break that.
        if let Some(i) =
            (1..intervals.len()).find(|&i| intervals[i].start <= intervals[i - 1].start)
        {
            return Err(input(
                ts,
                format!(
                    "line {}: interval_start {} is not after the row before ({}); rerun `wattsim run` to rewrite the file",
                    i + 2,
                    intervals[i].start.to_rfc3339(),
                    intervals[i - 1].start.to_rfc3339()
                ),
            ));
        }
        let waits = match waits {
            Some(w) => Some(w),
            None => read_waits(files)?,
        };
        let bill = rows(
            crate::report::files::BILL,
            &need(files, crate::report::files::BILL)?,
        )?
        .iter()
        .filter(|r| r.get(bill_col::ITEM).is_some_and(|i| i != "total"))
        .map(|r| {
            Ok(BillRow {
                month: r.get(bill_col::MONTH).cloned().unwrap_or_default(),
                item: r.get(bill_col::ITEM).cloned().unwrap_or_default(),
                name: r.get(bill_col::NAME).cloned().unwrap_or_default(),
                amount: num(crate::report::files::BILL, r, bill_col::AMOUNT)?,
            })
        })
        .collect::<Result<Vec<_>, PlotError>>()?;
        let t = crate::report::files::TENANTS;
        let tenants = match files(t) {
            None => vec![],
            Some(reader) => rows(t, &read_all(reader, t)?)?
                .iter()
                .map(|r| {
                    Ok(TenantRow {
                        tenant: r.get(tenant_col::TENANT).cloned().unwrap_or_default(),
                        jobs: num(t, r, tenant_col::JOBS)?,
                        device_hours: num(t, r, tenant_col::DEVICE_HOURS)?,
                        facility_kwh: num(t, r, tenant_col::FACILITY_ENERGY_KWH)?,
                        cost: num(t, r, tenant_col::ENERGY_COST)?,
                        carbon_kg: num(t, r, tenant_col::CARBON_KG)?,
                    })
                })
                .collect::<Result<Vec<_>, PlotError>>()?,
        };
        Ok(RunData {
            scenario: text("scenario"),
            currency: text("currency"),
            intervals,
            pools,
            waits,
            bill,
            tenants,
            summary,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_keeps_sums_and_weights_means_by_time() {
        // 3 intervals of 1 h, 1 h, 2 h at 10, 20, 40 kW IT (facility 2×), cost 1, 2, 3,
        // grouped by 3: mean IT = (10 + 20 + 80) / 4 = 27.5 kW; cost 6; intensity = carbon
        // (1 + 1 + 2 kg) / facility (20 + 40 + 160 kWh) = 4 / 220 kg/kWh.
        let t0 = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let row = |h: f64, kw: f64, cost: f64, kg: f64| {
            IntervalRow {
                start: t0,
                hours: h,
                it_kw: kw,
                facility_kw: 2.0 * kw,
                busy: 1.0,
                queued: 0.0,
                cost,
                carbon_kg: kg,
                intensity: 0.0,
                pool_kw: vec![kw],
                limit_kw: Some(100.0 - kw),
                nodes_off: kw / 10.0,
                price_range: (0.0, 0.0),
                intensity_range: (0.0, 0.0),
            }
            .with_own_ranges()
        };
        let rows = vec![
            row(1.0, 10.0, 1.0, 1.0),
            row(1.0, 20.0, 2.0, 1.0),
            row(2.0, 40.0, 3.0, 2.0),
        ];
        let (g, k) = chart_rows(&rows, 1);
        assert_eq!((g.len(), k), (1, 3));
        assert!((g[0].it_kw - 27.5).abs() < 1e-12);
        assert!((g[0].pool_kw[0] - 27.5).abs() < 1e-12);
        assert_eq!(g[0].cost, 6.0);
        assert!((g[0].intensity - 4000.0 / 220.0).abs() < 1e-12);
        // The limit of a group is its lowest (100 − 40 = 60 kW); nodes off a time-weighted
        // mean: (1 + 2 + 2 × 4) / 4 = 2.75.
        assert_eq!(g[0].limit_kw, Some(60.0));
        assert!((g[0].nodes_off - 2.75).abs() < 1e-12);
        // Prices 1 / 20, 2 / 40 and 3 / 160 per kWh: the group spans 3/160 to 1/20.
        assert_eq!(g[0].price_range, (3.0 / 160.0, 1.0 / 20.0));
        assert_eq!(chart_rows(&rows, 10).1, 1);
    }
}
