//! Validates how work is sized and arrives: hardware-independent job sizes (reference device,
//! FLOPs at MFU), per-device throughput overrides, tenants, arrival profiles, Weibull and
//! empirical durations, batch sizes.

use super::context::Ctx;
use super::error::{ScenarioError, data_error};
use super::locate::KeyPath;
use super::raw::{RawArrival, RawDeviceCount, RawLoadProfile, RawUtilization, RawWeighted};
use crate::model::catalog;
use crate::model::device::Device;
use crate::model::pool::Pool;
use crate::model::work::{Speeds, Work};
use crate::model::workload::{Arrival, Choice, DeviceCount, RateProfile, UtilizationDist};
use crate::time::SimTime;
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, ScenarioError>;

/// The relative throughput of a device id: a scenario device or a catalog entry.
fn throughput_of(id: &str, devices: &BTreeMap<String, Device>) -> Option<f64> {
    devices
        .get(id)
        .map(|d| d.relative_throughput)
        .or_else(|| catalog::lookup(id).map(|e| e.peak_tflops))
}

/// How a job is sized: `duration` alone (wall time), `duration` + `reference_device`, or
/// `flops` + `mfu`. Returns the work and the stated duration [ms] (0 for FLOPs).
#[allow(clippy::too_many_arguments)]
pub fn job_work(
    ctx: &Ctx,
    key: &KeyPath,
    duration_ms: Option<SimTime>,
    reference: Option<&String>,
    flops: Option<f64>,
    mfu: Option<f64>,
    devices: &BTreeMap<String, Device>,
    eligible: &[Pool],
) -> Result<(Work, SimTime)> {
    match (duration_ms, flops) {
        (Some(_), Some(_)) => Err(ctx.err(
            &key.key("flops"),
            "(given)",
            "a job's size is `duration` (optionally with `reference_device`) or `flops` with `mfu`, not both",
            "remove `duration` or `flops`",
        )),
        (None, None) => Err(ctx.err(
            &key.key("duration"),
            "(missing)",
            "the job has no size",
            "give duration = \"2h\" (wall time, or run time on `reference_device`), or flops = 3.1e23 with mfu = 0.4",
        )),
        (Some(ms), None) => {
            if mfu.is_some() {
                return Err(ctx.err(&key.key("mfu"), "(given)", "`mfu` goes with `flops`", "remove `mfu`, or size the job with flops"));
            }
            Ok((reference_work(ctx, key, reference, devices)?, ms))
        }
        (None, Some(f)) => {
            let flops = ctx.number(&key.key("flops"), f, 1.0, f64::MAX, "a FLOP count")?;
            let Some(m) = mfu else {
                return Err(ctx.err(&key.key("mfu"), "(missing)", "a FLOPs-sized job needs the achieved model FLOPs utilisation", "add mfu = 0.4 (a typical share of peak for large training runs)"));
            };
            let mfu = ctx.number(&key.key("mfu"), m, 1e-6, 1.0, "the model FLOPs utilisation")?;
            if let Some(p) = eligible.iter().find(|p| p.device.peak_tflops <= 0.0) {
                return Err(ctx.err(
                    &key.key("flops"),
                    f,
                    format!("pool `{}` has device `{}` with no peak_tflops, so FLOPs cannot become time", p.name, p.device.id),
                    "give the device peak_tflops, or size the job by duration",
                ));
            }
            Ok((Work::Flops { flops, mfu }, 0))
        }
    }
}

/// `reference_device = "…"` (or none: wall time).
pub fn reference_work(
    ctx: &Ctx,
    key: &KeyPath,
    reference: Option<&String>,
    devices: &BTreeMap<String, Device>,
) -> Result<Work> {
    let Some(id) = reference else {
        return Ok(Work::WallTime);
    };
    match throughput_of(id, devices) {
        Some(t) if t > 0.0 => Ok(Work::Reference {
            device: id.clone(),
            throughput: t,
        }),
        Some(_) => Err(ctx.err(
            &key.key("reference_device"),
            format!("{id:?}"),
            "the reference device has no throughput (peak_tflops 0)",
            "give the device peak_tflops or relative_throughput",
        )),
        None => Err(ctx.err(
            &key.key("reference_device"),
            format!("{id:?}"),
            "unknown device id",
            "use a catalog id (`wattsim catalog`) or a [devices.ID] of the scenario",
        )),
    }
}

/// `relative_throughput = { "A100-SXM4-80GB" = 1.0, "H100-SXM5-80GB" = 1.6 }`.
pub fn speeds(ctx: &Ctx, key: &KeyPath, raw: Option<&BTreeMap<String, f64>>) -> Result<Speeds> {
    let mut overrides = vec![];
    for (id, v) in raw.into_iter().flatten() {
        let v = ctx.number(
            &key.key("relative_throughput").key(id),
            *v,
            1e-9,
            1e9,
            "a relative throughput",
        )?;
        overrides.push((id.clone(), v));
    }
    Ok(Speeds { overrides })
}

/// The index of `name` among `tenants`, adding it if new.
pub fn tenant(tenants: &mut Vec<String>, name: Option<&String>) -> Option<u32> {
    let name = name?;
    Some(match tenants.iter().position(|t| t == name) {
        Some(i) => i as u32,
        None => {
            tenants.push(name.clone());
            (tenants.len() - 1) as u32
        }
    })
}

/// A count distribution: an integer or `{ values, weights }`, each value ≥ `min`.
pub fn count_dist(ctx: &Ctx, key: &KeyPath, raw: &RawDeviceCount, min: i64) -> Result<DeviceCount> {
    match raw {
        RawDeviceCount::Fixed(n) => Ok(DeviceCount::Fixed(ctx.count(key, *n, min)?)),
        RawDeviceCount::Weighted(RawWeighted { values, weights }) => {
            check_weights(ctx, key, values.len(), weights)?;
            let values = values
                .iter()
                .enumerate()
                .map(|(j, v)| ctx.count(&key.key("values").index(j), *v, min))
                .collect::<Result<Vec<_>>>()?;
            Ok(DeviceCount::weighted(values, weights))
        }
    }
}

/// Weights of a weighted choice: one per value, non-negative, finite, not all zero.
fn check_weights(ctx: &Ctx, key: &KeyPath, values: usize, weights: &[f64]) -> Result<()> {
    if values == 0 || values != weights.len() {
        return Err(ctx.err(
            key,
            format!("{values} values, {} weights", weights.len()),
            "`values` and `weights` must be non-empty and of the same length",
            "give one weight per value",
        ));
    }
    for (j, wt) in weights.iter().enumerate() {
        ctx.number(
            &key.key("weights").index(j),
            *wt,
            0.0,
            f64::INFINITY,
            "a weight",
        )?;
    }
    if weights.iter().sum::<f64>() <= 0.0 {
        return Err(ctx.err(
            &key.key("weights"),
            format!("{weights:?}"),
            "the weights add up to zero",
            "give at least one positive weight",
        ));
    }
    Ok(())
}

/// A workload's utilisation distribution (default: every job at 1).
pub fn utilization_dist(
    ctx: &Ctx,
    key: &KeyPath,
    raw: Option<&RawUtilization>,
) -> Result<UtilizationDist> {
    let unit = |k: &KeyPath, u: f64| ctx.number(k, u, 0.0, 1.0, "utilisation");
    let t = match raw {
        None => return Ok(UtilizationDist::Fixed(1.0)),
        Some(RawUtilization::Fixed(u)) => return Ok(UtilizationDist::Fixed(unit(key, *u)?)),
        Some(RawUtilization::Table(t)) => t,
    };
    const FORMS: [&str; 3] = ["uniform", "empirical", "cdf"];
    let (form, keys): (String, &[&str]) = match t.distribution.as_deref() {
        None => ("weighted values".into(), &["values", "weights"]),
        Some("uniform") => (
            "distribution = \"uniform\"".into(),
            &["distribution", "low", "high"],
        ),
        Some("empirical") => (
            "distribution = \"empirical\"".into(),
            &["distribution", "file", "column", "scale"],
        ),
        Some("cdf") => (
            "distribution = \"cdf\"".into(),
            &[
                "distribution",
                "file",
                "value_column",
                "cdf_column",
                "scale",
            ],
        ),
        Some(other) => {
            let guess = super::suggest::nearest(other, FORMS)
                .map(|g| format!("did you mean \"{g}\"? "))
                .unwrap_or_default();
            return Err(ctx.err(
                &key.key("distribution"),
                format!("{other:?}"),
                "unknown utilisation distribution",
                format!(
                    "{guess}use \"uniform\", \"empirical\" or \"cdf\", or give values and weights"
                ),
            ));
        }
    };
    let given = [
        ("values", t.values.is_some()),
        ("weights", t.weights.is_some()),
        ("distribution", t.distribution.is_some()),
        ("low", t.low.is_some()),
        ("high", t.high.is_some()),
        ("file", t.file.is_some()),
        ("column", t.column.is_some()),
        ("value_column", t.value_column.is_some()),
        ("cdf_column", t.cdf_column.is_some()),
        ("scale", t.scale.is_some()),
    ];
    if let Some((k, _)) = given.iter().find(|(k, set)| *set && !keys.contains(k)) {
        return Err(ctx.err(
            &key.key(k),
            "(given)",
            format!("`{k}` does not go with {form}"),
            format!("{form} takes {}", keys.join(", ")),
        ));
    }
    let need = |name: &str, missing: bool| -> Result<()> {
        if missing {
            return Err(ctx.err(
                key,
                "(table)",
                format!("{form} needs `{name}`"),
                format!("{form} takes {}", keys.join(", ")),
            ));
        }
        Ok(())
    };
    Ok(match t.distribution.as_deref() {
        Some("uniform") => {
            need("low", t.low.is_none())?;
            need("high", t.high.is_none())?;
            let low = unit(&key.key("low"), t.low.unwrap_or_default())?;
            let high = t.high.unwrap_or_default();
            let high = ctx.number(&key.key("high"), high, low, 1.0, "utilisation ≥ low")?;
            UtilizationDist::Uniform { low, high }
        }
        Some("empirical") => {
            need("file", t.file.is_none())?;
            let column = t.column.as_deref().unwrap_or("utilization");
            let scale = scale_of(ctx, key, t.scale)?;
            let path = ctx.resolve(t.file.as_deref().unwrap_or_default());
            let values = read_numbers(&path, &[column])
                .and_then(|rows| {
                    rows.into_iter()
                        .map(|(line, v)| utilization_cell(&path, line, column, v[0], scale))
                        .collect::<Result<Vec<f64>>>()
                })
                .and_then(|v| non_empty(&path, column, v))
                .map_err(|e| ctx.referenced(&key.key("file"), e))?;
            UtilizationDist::Observed(std::sync::Arc::new(values))
        }
        Some(_) => {
            need("file", t.file.is_none())?;
            let value_column = t.value_column.as_deref().unwrap_or("value");
            let cdf_column = t.cdf_column.as_deref().unwrap_or("cdf");
            let scale = scale_of(ctx, key, t.scale)?;
            let path = ctx.resolve(t.file.as_deref().unwrap_or_default());
            cdf_table(&path, value_column, cdf_column, scale)
                .map_err(|e| ctx.referenced(&key.key("file"), e))?
        }
        None => {
            need("values", t.values.is_none())?;
            need("weights", t.weights.is_none())?;
            let (values, weights) = (
                t.values.as_deref().unwrap_or_default(),
                t.weights.as_deref().unwrap_or_default(),
            );
            check_weights(ctx, key, values.len(), weights)?;
            let values = values
                .iter()
                .enumerate()
                .map(|(j, u)| unit(&key.key("values").index(j), *u))
                .collect::<Result<Vec<_>>>()?;
            UtilizationDist::Choice(Choice::weighted(values, weights))
        }
    })
}

/// A tabulated step CDF of utilisation: values (× `scale`, in 0..1) and cumulative
/// probabilities, neither decreasing.
fn cdf_table(
    path: &std::path::Path,
    value_column: &str,
    cdf_column: &str,
    scale: f64,
) -> Result<UtilizationDist> {
    let (mut values, mut cumulative) = (vec![], vec![]);
    for (line, row) in read_numbers(path, &[value_column, cdf_column])? {
        let u = utilization_cell(path, line, value_column, row[0], scale)?;
        let bad = |column: &str, value: f64, problem: &str, hint: &str| {
            data_error(path, line, column, value, problem, hint)
        };
        if values.last().is_some_and(|prev| u < *prev) {
            return Err(bad(
                value_column,
                row[0],
                "values of a CDF must not decrease",
                "sort the rows by value",
            ));
        }
        let c = row[1];
        if !(0.0..=1.0).contains(&c) || cumulative.last().is_some_and(|p| c < *p) {
            return Err(bad(
                cdf_column,
                c,
                "a cumulative probability must lie in 0..1 and not decrease",
                "give P(utilisation ≤ value) as a fraction (divide percentages by 100)",
            ));
        }
        values.push(u);
        cumulative.push(c);
    }
    if cumulative.last().is_none_or(|c| *c <= 0.0) {
        return Err(data_error(
            path,
            None,
            cdf_column,
            "no rows, or all 0",
            "a CDF needs rows reaching a positive probability",
            "add the table's rows up to cumulative probability 1",
        ));
    }
    Ok(UtilizationDist::Choice(Choice::from_cumulative(
        values, cumulative,
    )))
}

/// A utilisation distribution's `scale` (default 1; e.g. 0.01 for percent).
fn scale_of(ctx: &Ctx, key: &KeyPath, scale: Option<f64>) -> Result<f64> {
    match scale {
        None => Ok(1.0),
        Some(s) => ctx.number(
            &key.key("scale"),
            s,
            f64::MIN_POSITIVE,
            1e6,
            "a positive scale",
        ),
    }
}

/// One utilisation read from a file, scaled, which must lie in 0..1.
fn utilization_cell(
    path: &std::path::Path,
    line: Option<u64>,
    column: &str,
    value: f64,
    scale: f64,
) -> Result<f64> {
    let u = value * scale;
    if (0.0..=1.0).contains(&u) {
        return Ok(u);
    }
    Err(data_error(
        path,
        line,
        column,
        value,
        format!("× scale {scale} = {u}, not a utilisation in 0..1"),
        "set `scale` (0.01 for percent) or fix the row",
    ))
}

/// The values, or an error when the column had no rows.
fn non_empty<T>(path: &std::path::Path, column: &str, values: Vec<T>) -> Result<Vec<T>> {
    if values.is_empty() {
        return Err(data_error(
            path,
            None,
            column,
            "no rows",
            "an empirical distribution needs observed values",
            "add rows",
        ));
    }
    Ok(values)
}

/// The numbers in `columns` of a CSV file with a header row, row by row with the row's line.
fn read_numbers(
    path: &std::path::Path,
    columns: &[&str],
) -> Result<Vec<crate::input::samples::NumberRow>> {
    Ok(crate::input::samples::read_rows(path, columns, &[])?)
}

/// Factors of a profile: `n` non-negative numbers, not all zero (default all 1).
fn factors<const N: usize>(
    ctx: &Ctx,
    key: &KeyPath,
    raw: Option<&Vec<f64>>,
    what: &str,
) -> Result<[f64; N]> {
    let Some(v) = raw else {
        return Ok([1.0; N]);
    };
    if v.len() != N {
        return Err(ctx.err(
            key,
            format!("{} values", v.len()),
            format!("{what} needs {N} factors"),
            format!("give {N} numbers (relative rates)"),
        ));
    }
    let mut out = [0.0; N];
    for (i, x) in v.iter().enumerate() {
        out[i] = ctx.number(&key.index(i), *x, 0.0, 1e6, "a rate factor")?;
    }
    if out.iter().all(|x| *x == 0.0) {
        return Err(ctx.err(
            key,
            "all zero",
            "no arrivals would ever happen",
            "give at least one positive factor",
        ));
    }
    Ok(out)
}

/// The arrival process.
pub fn arrival(ctx: &Ctx, key: &KeyPath, raw: &RawArrival, epoch_ms: i64) -> Result<Arrival> {
    let rate = |r: f64| {
        ctx.number(
            &key.key("rate_per_hour"),
            r,
            1e-9,
            1e9,
            "the arrival rate per hour",
        )
    };
    Ok(match raw {
        RawArrival::Poisson { rate_per_hour } => Arrival::Poisson {
            rate_per_hour: rate(*rate_per_hour)?,
        },
        RawArrival::Profile {
            rate_per_hour,
            hourly,
            weekly,
            time_zone,
            growth_per_month,
        } => Arrival::Profile(Box::new(RateProfile {
            rate_per_hour: rate(*rate_per_hour)?,
            hourly: factors::<24>(
                ctx,
                &key.key("hourly"),
                hourly.as_ref(),
                "an hour-of-day profile",
            )?,
            weekly: factors::<7>(
                ctx,
                &key.key("weekly"),
                weekly.as_ref(),
                "a day-of-week profile (Monday first)",
            )?,
            zone: match time_zone {
                Some(z) => super::context::time_zone(z, &key.key("time_zone"), ctx)?,
                None => chrono_tz::Tz::UTC,
            },
            growth_per_month: match growth_per_month {
                Some(g) => ctx.number(
                    &key.key("growth_per_month"),
                    *g,
                    -0.99,
                    10.0,
                    "a monthly growth rate",
                )?,
                None => 0.0,
            },
            epoch_ms,
        })),
        RawArrival::Mmpp {
            quiet_rate_per_hour,
            busy_rate_per_hour,
            mean_quiet,
            mean_busy,
        } => {
            let stay = |k: &str, text: &str| -> Result<f64> {
                let ms = ctx.duration(&key.key(k), text)?;
                if ms == 0 {
                    return Err(ctx.err(
                        &key.key(k),
                        format!("{text:?}"),
                        "a state must last longer than zero",
                        "give e.g. \"6h\"",
                    ));
                }
                Ok(ms as f64)
            };
            let r =
                |k: &str, v: f64| ctx.number(&key.key(k), v, 0.0, 1e9, "an arrival rate per hour");
            let rates = [
                r("quiet_rate_per_hour", *quiet_rate_per_hour)?,
                r("busy_rate_per_hour", *busy_rate_per_hour)?,
            ];
            if rates[0] + rates[1] <= 0.0 {
                return Err(ctx.err(
                    &key.key("busy_rate_per_hour"),
                    0.0,
                    "both rates are zero: no job would ever arrive",
                    "give the busy state a positive rate",
                ));
            }
            Arrival::Mmpp {
                rates_per_hour: rates,
                mean_stay_ms: [
                    stay("mean_quiet", mean_quiet)?,
                    stay("mean_busy", mean_busy)?,
                ],
            }
        }
    })
}

/// Observed durations from a CSV column (in `unit`: s, min or h), sorted.
pub fn empirical(
    ctx: &Ctx,
    key: &KeyPath,
    file: &str,
    column: Option<&str>,
    unit: Option<&str>,
) -> Result<Vec<SimTime>> {
    let scale_ms = match unit.unwrap_or("s") {
        "s" => 1000.0,
        "min" => 60_000.0,
        "h" => 3_600_000.0,
        other => {
            return Err(ctx.err(
                &key.key("unit"),
                format!("{other:?}"),
                "unknown time unit",
                "use \"s\", \"min\" or \"h\"",
            ));
        }
    };
    let path = ctx.resolve(file);
    let column = column.unwrap_or("duration");
    let read = || -> Result<Vec<SimTime>> {
        let mut out = read_numbers(&path, &[column])?
            .into_iter()
            .map(|(line, v)| {
                if v[0] < 0.0 {
                    return Err(data_error(
                        &path,
                        line,
                        column,
                        v[0],
                        "not a non-negative duration",
                        "fix or remove the row",
                    ));
                }
                Ok(crate::time::round_u64(v[0] * scale_ms).max(1))
            })
            .collect::<Result<Vec<SimTime>>>()?;
        out = non_empty(&path, column, out)?;
        out.sort_unstable();
        Ok(out)
    };
    read().map_err(|e| ctx.referenced(&key.key("file"), e))
}

/// `load_profile = { phases = [...], cycle = [...] }`.
pub fn load_profile(
    ctx: &Ctx,
    key: &KeyPath,
    raw: Option<&RawLoadProfile>,
) -> Result<Option<crate::model::workload::LoadProfile>> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let key = key.key("load_profile");
    let list =
        |name: &str, phases: Option<&Vec<super::raw::RawPhase>>| -> Result<Vec<(SimTime, f64)>> {
            phases
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, p)| {
                    let k = key.key(name).index(i);
                    let ms = ctx.duration(&k.key("duration"), &p.duration)?;
                    if ms == 0 {
                        return Err(ctx.err(
                            &k.key("duration"),
                            format!("{:?}", p.duration),
                            "a phase must last longer than zero",
                            "give a positive duration such as \"2min\"",
                        ));
                    }
                    Ok((
                        ms,
                        ctx.number(
                            &k.key("utilization"),
                            p.utilization,
                            0.0,
                            1.0,
                            "utilisation",
                        )?,
                    ))
                })
                .collect()
        };
    let profile = crate::model::workload::LoadProfile {
        phases: list("phases", raw.phases.as_ref())?,
        cycle: list("cycle", raw.cycle.as_ref())?,
    };
    if profile.phases.is_empty() && profile.cycle.is_empty() {
        return Err(ctx.err(&key, "(empty)", "a load profile needs phases or a cycle", "e.g. cycle = [{ duration = \"28min\", utilization = 0.95 }, { duration = \"2min\", utilization = 0.15 }]"));
    }
    Ok(Some(profile))
}

/// Validates a `[[services]]` entry.
#[allow(clippy::too_many_arguments)]
pub fn service(
    raw: &super::raw::RawService,
    i: usize,
    pools: &[Pool],
    tenants: &mut Vec<String>,
    ctx: &Ctx,
    span: super::context::Span,
) -> Result<crate::model::service::Service> {
    use crate::model::service::{Service, ServiceLoad};
    let key = KeyPath::default().key("services").index(i);
    let name = raw.name.clone().unwrap_or_else(|| format!("service{i}"));
    let pool = match &raw.pool {
        Some(p) => Some(pools.iter().position(|q| &q.name == p).ok_or_else(|| {
            ctx.err(
                &key.key("pool"),
                format!("{p:?}"),
                "no pool has this name",
                "use the name of a [[pools]] entry",
            )
        })?),
        None => None,
    };
    let devices = match raw.devices_per_replica {
        Some(n) => ctx.count(&key.key("devices_per_replica"), n, 1)?,
        None => 1,
    };
    if let Some(why) = crate::model::scenario::never_fits(pools, devices, pool) {
        return Err(ctx.err(
            &key.key("devices_per_replica"),
            devices,
            format!("a replica can never run: {why}"),
            "use fewer devices per replica",
        ));
    }
    let load = match (&raw.load_rps, &raw.load) {
        (Some(hourly), None) => {
            let k = key.key("load_rps");
            if hourly.len() != 24 {
                return Err(ctx.err(
                    &k,
                    format!("{} values", hourly.len()),
                    "a daily load profile needs 24 hourly values",
                    "give requests/s for each local hour, 00:00 first",
                ));
            }
            let mut h = [0.0; 24];
            for (j, v) in hourly.iter().enumerate() {
                h[j] = ctx.number(&k.index(j), *v, 0.0, 1e12, "a request rate per second")?;
            }
            ServiceLoad::Daily {
                hourly_rps: h,
                zone: match &raw.time_zone {
                    Some(z) => super::context::time_zone(z, &key.key("time_zone"), ctx)?,
                    None => chrono_tz::Tz::UTC,
                },
            }
        }
        (None, Some(series)) => ServiceLoad::Series(super::site::read_series(
            series,
            &key.key("load"),
            &[("rps", 1.0), ("rpm", 1.0 / 60.0)],
            "rps",
            false,
            ctx,
            span,
        )?),
        _ => {
            return Err(ctx.err(&key, "(service)", "give the load as load_rps (24 hourly requests/s) or load = { file = … } (a series), one of them", "e.g. load_rps = [5.0, 4.0, …] with 24 values"));
        }
    };
    let (min, max) = match (raw.replicas, raw.min_replicas, raw.max_replicas) {
        (Some(n), None, None) => {
            let n = ctx.count(&key.key("replicas"), n, 1)?;
            (n, n)
        }
        (None, Some(lo), Some(hi)) => {
            let lo = ctx.count(&key.key("min_replicas"), lo, 0)?;
            let hi = ctx.count(&key.key("max_replicas"), hi, 1)?;
            if hi < lo {
                return Err(ctx.err(
                    &key.key("max_replicas"),
                    hi,
                    format!("below min_replicas = {lo}"),
                    "max_replicas must be at least min_replicas",
                ));
            }
            (lo, hi)
        }
        _ => {
            return Err(ctx.err(&key, "(service)", "give either replicas (a fixed count) or both min_replicas and max_replicas (autoscaling)", "e.g. replicas = 4, or min_replicas = 2 with max_replicas = 16"));
        }
    };
    Ok(Service {
        name,
        pool,
        devices_per_replica: devices,
        capacity_rps: ctx.number(
            &key.key("capacity_rps"),
            raw.capacity_rps,
            1e-9,
            1e12,
            "requests per second per replica",
        )?,
        load,
        min_replicas: min,
        max_replicas: max,
        target_utilization: match raw.target_utilization {
            Some(t) => ctx.number(
                &key.key("target_utilization"),
                t,
                0.01,
                1.0,
                "a target utilisation",
            )?,
            None => 0.7,
        },
        tenant: tenant(tenants, raw.tenant.as_ref()),
        epoch_ms: span.start_ms,
    })
}
