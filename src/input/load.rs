//! Reads a measured load profile for `wattsim bill`: one row per interval, a timestamp (the
//! interval start) and kW or kWh.

use super::InputError;
use super::series_csv::{SeriesSpec, read_step_series};
use chrono_tz::Tz;
use std::path::Path;

/// What a load file's value column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadUnit {
    /// Average power over the interval [kW].
    Kw,
    /// Energy in the interval [kWh].
    Kwh,
}

/// A regular load profile.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadProfile {
    /// First interval start [ms since the epoch, UTC].
    pub start_ms: i64,
    /// Interval length [ms].
    pub step_ms: u64,
    /// Average facility power of each interval [kW].
    pub kw: Vec<f64>,
}

/// Reads a load profile; timestamps mark interval starts, naive ones are read in `zone`.
pub fn read_load(
    path: &Path,
    time_column: &str,
    value_column: &str,
    unit: LoadUnit,
    zone: Tz,
) -> Result<LoadProfile, InputError> {
    let spec = SeriesSpec {
        time_column,
        value_column,
        scale: 1.0,
        naive_zone: zone,
        allow_negative: false,
        hold_gaps: false,
        repeat: crate::model::series::Repeat::No,
        irregular: false,
    };
    let series = read_step_series(path, &spec)?;
    let step_ms = (series.times_ms[1] - series.times_ms[0]) as u64;
    let per_kw = match unit {
        LoadUnit::Kw => 1.0,
        LoadUnit::Kwh => 1.0 / crate::time::ms_to_hours(step_ms),
    };
    Ok(LoadProfile {
        start_ms: series.times_ms[0],
        step_ms,
        kw: series.values.iter().map(|v| v * per_kw).collect(),
    })
}
