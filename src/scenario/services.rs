//! Validates `[[services]]`: an inference service's load series, capacity and autoscaling.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use crate::model::pool::Pool;

use super::work::tenant;
type Result<T> = std::result::Result<T, ScenarioError>;

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
