//! Validates `[[pools]]`: device, host, node counts, power caps, and pool references by name.

use super::context::{Ctx, PointTable, Span};
use super::devices::{DEFAULT_LIFETIME_YEARS, embodied};
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::*;
use super::suggest::nearest;
use crate::model::catalog;
use crate::model::device::Device;
use crate::model::pool::Pool;
use crate::model::power::PowerCurve;
use crate::time::SimTime;
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Most nodes in one pool (memory guard: placement keeps a tree over the nodes).
pub const MAX_NODES: u32 = 10_000_000;

pub(super) fn validate_pools(
    raw: &[RawPool],
    devices: &BTreeMap<String, Device>,
    ctx: &Ctx,
    span: Span,
) -> Result<Vec<Pool>> {
    let root = KeyPath::default().key("pools");
    if raw.is_empty() {
        return Err(ctx.err(
            &root,
            "(none)",
            "the scenario has no pools, so nothing can run",
            "add a [[pools]] entry with `device` and `nodes`",
        ));
    }
    let mut pools: Vec<Pool> = Vec::with_capacity(raw.len());
    for (i, p) in raw.iter().enumerate() {
        let key = root.index(i);
        let name = p.name.clone().unwrap_or_else(|| format!("pool{i}"));
        if pools.iter().any(|q| q.name == name) {
            return Err(ctx.err(
                &key.key("name"),
                format!("{name:?}"),
                "another pool already has this name",
                "give each pool a distinct name",
            ));
        }
        let device = match devices.get(&p.device) {
            Some(d) => d.clone(),
            None => match catalog::lookup(&p.device) {
                Some(e) => Device {
                    id: e.id.to_string(),
                    idle_w: e.idle_w,
                    max_w: e.max_w,
                    peak_tflops: e.peak_tflops,
                    memory_gb: e.memory_gb,
                    curve: PowerCurve::Linear,
                    embodied_kg: 0.0,
                    lifetime_years: DEFAULT_LIFETIME_YEARS,
                    relative_throughput: e.peak_tflops,
                },
                None => {
                    let mut known: Vec<&str> = devices.keys().map(String::as_str).collect();
                    known.extend(catalog::ids());
                    let hint = match nearest(&p.device, known.iter().copied()) {
                        Some(best) => format!(
                            "did you mean `{best}`? Or define it under [devices.{}]; `wattsim catalog` lists the built-in devices",
                            p.device
                        ),
                        None => format!(
                            "define it under [devices.{}] with idle_w and max_w, or use a catalog id (`wattsim catalog`)",
                            p.device
                        ),
                    };
                    return Err(ctx.err(
                        &key.key("device"),
                        format!("{:?}", p.device),
                        "unknown device id",
                        hint,
                    ));
                }
            },
        };
        let nodes = ctx.count(&key.key("nodes"), p.nodes, 1)?;
        if nodes > MAX_NODES {
            return Err(ctx.err(
                &key.key("nodes"),
                nodes,
                format!("more than {MAX_NODES} nodes in one pool"),
                "model fewer, larger nodes, or split the cluster into pools",
            ));
        }
        let devices_per_node = match p.devices_per_node {
            Some(n) => ctx.count(&key.key("devices_per_node"), n, 1)?,
            None => 8,
        };
        let preset = match &p.host {
            Some(id) => Some(catalog::host(id).ok_or_else(|| {
                let ids: Vec<&str> = catalog::HOSTS.iter().map(|h| h.id).collect();
                ctx.err(
                    &key.key("host"),
                    format!("{id:?}"),
                    "unknown host preset",
                    format!(
                        "use one of: {} (or give host_idle_w / host_max_w)",
                        ids.join(", ")
                    ),
                )
            })?),
            None => None,
        };
        let host_idle_w = match p.host_idle_w {
            Some(w) => ctx.watts(&key.key("host_idle_w"), w)?,
            None => preset.map_or(0.0, |h| h.idle_w),
        };
        let host_max_w = match p.host_max_w {
            Some(w) => ctx.watts(&key.key("host_max_w"), w)?,
            None => preset.map_or(host_idle_w, |h| h.max_w),
        };
        if host_idle_w > host_max_w {
            return Err(ctx.err(
                &key.key("host_idle_w"),
                host_idle_w,
                format!("host idle draw is above host_max_w = {host_max_w}"),
                "host_idle_w must be at most host_max_w (watts per node)",
            ));
        }
        let (host_embodied_kg, host_lifetime_years) = embodied(
            ctx,
            (&key.key("host_embodied_kg"), p.host_embodied_kg),
            (&key.key("host_lifetime_years"), p.host_lifetime_years),
        )?;
        let power_cap_w =
            match p.power_cap_w {
                Some(cap) => {
                    let k = key.key("power_cap_w");
                    let idle = device.power_w(0.0);
                    Some(
                        ctx.number(&k, cap, idle.max(1e-9), 1e6, "a power cap in watts")
                            .map_err(|_| {
                                ctx.err(
                        &k,
                        cap,
                        format!("a power cap must be above the device's idle draw ({idle} W)"),
                        "set a cap between idle_w and max_w of the device",
                    )
                            })?,
                    )
                }
                None => None,
            };
        let (from_ms, until_ms) = installed_window(p, &key, ctx, span)?;
        let cap_throughput = match &p.cap_throughput {
            None => crate::model::pool::CapThroughput::CubeRoot,
            Some(points) => {
                let rule = PointTable {
                    min_points: 1,
                    too_few: "the table is empty",
                    example: "give (cap watts, relative throughput) points, e.g. [[150.0, 0.85], [250.0, 1.0]]",
                    x_name: "caps",
                    sort_hint: "sort the points by cap",
                };
                let table =
                    ctx.point_table(&key.key("cap_throughput"), points, &rule, |k, c, t| {
                        ctx.watts(k, c)?;
                        ctx.number(k, t, 1e-6, 1.0, "a relative throughput (1.0 = uncapped)")
                            .map(|_| ())
                    })?;
                crate::model::pool::CapThroughput::Table(table)
            }
        };
        pools.push(Pool {
            name,
            device,
            nodes,
            devices_per_node,
            host_idle_w,
            host_max_w,
            host_embodied_kg,
            host_lifetime_years,
            power_cap_w,
            cap_throughput,
            from_ms,
            until_ms,
        });
    }
    Ok(pools)
}

/// Resolves an optional pool name to its index.
pub(super) fn pool_index(
    name: Option<&String>,
    key: &KeyPath,
    pools: &[Pool],
    ctx: &Ctx,
) -> Result<Option<usize>> {
    let Some(name) = name else {
        return Ok(None);
    };
    match pools.iter().position(|p| &p.name == name) {
        Some(i) => Ok(Some(i)),
        None => {
            let names: Vec<&str> = pools.iter().map(|p| p.name.as_str()).collect();
            Err(ctx.err(
                key,
                format!("{name:?}"),
                "no pool has this name",
                format!("use one of: {}", names.join(", ")),
            ))
        }
    }
}

/// `from` / `until`: when the pool is installed and retired [ms from the start] (an offset such
/// as "1y", or a date or RFC 3339 timestamp in the run's span; `until` defaults to never).
fn installed_window(
    p: &RawPool,
    key: &KeyPath,
    ctx: &Ctx,
    span: Span,
) -> Result<(SimTime, SimTime)> {
    let horizon_ms = (span.end_ms - span.start_ms) as SimTime;
    let from_ms = match &p.from {
        Some(text) => {
            let k = key.key("from");
            let ms = ctx.moment(&k, text, span)?;
            if ms >= horizon_ms {
                return Err(ctx.err(
                    &k,
                    format!("{text:?}"),
                    "the pool would be installed after the run ends, so it never runs a job",
                    "install it before the horizon, or remove the pool",
                ));
            }
            ms
        }
        None => 0,
    };
    let until_ms = match &p.until {
        Some(text) => {
            let k = key.key("until");
            let ms = ctx.moment(&k, text, span)?;
            if ms <= from_ms {
                return Err(ctx.err(
                    &k,
                    format!("{text:?}"),
                    "the pool would be retired before it is installed",
                    "retire it after `from` (the start, when `from` is not given)",
                ));
            }
            ms
        }
        None => SimTime::MAX,
    };
    Ok((from_ms, until_ms))
}
