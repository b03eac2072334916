//! Validates the distributions of generated work: device counts and utilisation (weighted
//! values, uniform, observed values from a CSV column, a tabulated CDF) and empirical
//! durations.

use super::context::Ctx;
use super::error::{ScenarioError, data_error};
use super::locate::KeyPath;
use super::raw::{
    RawDeviceCount, RawDuration, RawFlops, RawFlopsTable, RawUtilization, RawWeighted,
};
use crate::model::work::FLOP_PER_SIZE_UNIT;
use crate::model::workload::{Choice, DeviceCount, DurationDist, UtilizationDist};
use crate::time::{SimTime, TimeUnit};

type Result<T> = std::result::Result<T, ScenarioError>;

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

/// Observed durations from a CSV column (in `unit`: s, min or h), sorted.
pub fn empirical(
    ctx: &Ctx,
    key: &KeyPath,
    file: &str,
    column: Option<&str>,
    unit: Option<&str>,
) -> Result<Vec<SimTime>> {
    let scale_ms = ctx
        .choice(
            &key.key("unit"),
            unit.unwrap_or("s"),
            &TimeUnit::NAMES,
            "time unit",
        )?
        .ms();
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

/// A duration distribution (`{ distribution = … }`) at `tkey`.
pub fn duration_dist(ctx: &Ctx, tkey: &KeyPath, raw: &RawDuration) -> Result<DurationDist> {
    Ok(match raw {
        RawDuration::Exponential { mean } => {
            let mean_ms = ctx.duration(&tkey.key("mean"), mean)?;
            positive_duration(mean_ms, mean, &tkey.key("mean"), ctx)?;
            DurationDist::Exponential {
                mean_ms: mean_ms as f64,
            }
        }
        RawDuration::Lognormal { median, sigma } => {
            let median_ms = ctx.duration(&tkey.key("median"), median)?;
            positive_duration(median_ms, median, &tkey.key("median"), ctx)?;
            DurationDist::LogNormal {
                median_ms: median_ms as f64,
                sigma: ctx.number(&tkey.key("sigma"), *sigma, 0.0, 10.0, "sigma")?,
            }
        }
        RawDuration::Fixed { value } => {
            let value_ms = ctx.duration(&tkey.key("value"), value)?;
            positive_duration(value_ms, value, &tkey.key("value"), ctx)?;
            DurationDist::Fixed { value_ms }
        }
        RawDuration::Weibull { shape, scale } => {
            let scale_ms = ctx.duration(&tkey.key("scale"), scale)?;
            positive_duration(scale_ms, scale, &tkey.key("scale"), ctx)?;
            DurationDist::Weibull {
                shape: ctx.number(&tkey.key("shape"), *shape, 0.05, 50.0, "the Weibull shape")?,
                scale_ms: scale_ms as f64,
            }
        }
        RawDuration::Empirical { file, column, unit } => DurationDist::Empirical {
            values_ms: std::sync::Arc::new(empirical(
                ctx,
                tkey,
                file,
                column.as_deref(),
                unit.as_deref(),
            )?),
        },
    })
}

/// `flops = 3.1e21` or a FLOP-count distribution → a size distribution in GFLOP (the unit of
/// [`FLOP_PER_SIZE_UNIT`]: each job's draw is rounded to whole GFLOP, at least one).
pub fn flops_dist(ctx: &Ctx, key: &KeyPath, raw: &RawFlops) -> Result<DurationDist> {
    let giga = |k: &KeyPath, v: f64| -> Result<f64> {
        let what = "a FLOP count (at least 1e9, one GFLOP)";
        Ok(ctx.number(k, v, FLOP_PER_SIZE_UNIT, 1e30, what)? / FLOP_PER_SIZE_UNIT)
    };
    Ok(match raw {
        RawFlops::Fixed(v) => DurationDist::Fixed {
            value_ms: crate::time::round_u64(giga(key, *v)?),
        },
        RawFlops::Table(RawFlopsTable::Fixed { value }) => DurationDist::Fixed {
            value_ms: crate::time::round_u64(giga(&key.key("value"), *value)?),
        },
        RawFlops::Table(RawFlopsTable::Exponential { mean }) => DurationDist::Exponential {
            mean_ms: giga(&key.key("mean"), *mean)?,
        },
        RawFlops::Table(RawFlopsTable::Lognormal { median, sigma }) => DurationDist::LogNormal {
            median_ms: giga(&key.key("median"), *median)?,
            sigma: ctx.number(&key.key("sigma"), *sigma, 0.0, 10.0, "sigma")?,
        },
        RawFlops::Table(RawFlopsTable::Weibull { shape, scale }) => DurationDist::Weibull {
            shape: ctx.number(&key.key("shape"), *shape, 0.05, 50.0, "the Weibull shape")?,
            scale_ms: giga(&key.key("scale"), *scale)?,
        },
    })
}

/// A duration that must be longer than zero.
pub(super) fn positive_duration(ms: SimTime, text: &str, key: &KeyPath, ctx: &Ctx) -> Result<()> {
    if ms == 0 {
        return Err(ctx.err(
            key,
            format!("{text:?}"),
            "must be longer than zero",
            "give a positive duration such as \"2h\"",
        ));
    }
    Ok(())
}
