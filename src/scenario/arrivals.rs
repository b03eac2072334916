//! Validates arrival processes: Poisson, daily and weekly profiles with growth, and
//! Markov-modulated bursts.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::RawArrival;
use crate::model::workload::{Arrival, RateProfile};

type Result<T> = std::result::Result<T, ScenarioError>;

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
    let growth = |g: &Option<f64>| -> Result<f64> {
        match g {
            Some(g) => ctx.number(
                &key.key("growth_per_month"),
                *g,
                -0.99,
                10.0,
                "a monthly growth rate",
            ),
            None => Ok(0.0),
        }
    };
    Ok(match raw {
        RawArrival::Poisson {
            rate_per_hour,
            growth_per_month,
        } => match growth(growth_per_month)? {
            0.0 => Arrival::Poisson {
                rate_per_hour: rate(*rate_per_hour)?,
            },
            // A growing Poisson process is a flat profile with growth.
            g => Arrival::Profile(Box::new(RateProfile {
                rate_per_hour: rate(*rate_per_hour)?,
                hourly: [1.0; 24],
                weekly: [1.0; 7],
                zone: chrono_tz::Tz::UTC,
                growth_per_month: g,
                epoch_ms,
            })),
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
            growth_per_month: growth(growth_per_month)?,
            epoch_ms,
        })),
        RawArrival::Mmpp {
            quiet_rate_per_hour,
            busy_rate_per_hour,
            mean_quiet,
            mean_busy,
            growth_per_month,
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
                growth_per_month: growth(growth_per_month)?,
            }
        }
    })
}
