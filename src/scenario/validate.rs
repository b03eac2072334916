//! Validation: raw structs → the typed model, with every cross-field check. Errors name the
//! key path, the value and the fix.

use super::Scenario;
use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::*;
use super::suggest::nearest;
use crate::model::catalog;
use crate::model::device::Device;
use crate::model::pool::Pool;
use crate::model::power::PowerCurve;
use crate::model::scenario::{eligible, never_fits};
use crate::model::site::Site;
use crate::model::tariff::Tariff;
use crate::model::workload::{DeviceCount, DurationDist, JobSpec, Workload};
use crate::time::{Calendar, SimTime, format_duration_ms, parse_rfc3339};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Service life assumed for embodied-carbon amortisation when none is given [years]
/// (the common depreciation period of datacenter servers).
pub const DEFAULT_LIFETIME_YEARS: f64 = 5.0;

/// Most nodes in one pool (memory guard: placement keeps a tree over the nodes).
pub const MAX_NODES: u32 = 10_000_000;

/// Most jobs a workload may be expected to generate (guard against a run that cannot end).
pub const MAX_EXPECTED_JOBS: f64 = 2e8;

/// Most output intervals a run may ask for (memory guard).
pub const MAX_INTERVALS: u64 = 10_000_000;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Validates a parsed file. `default_name` is used when the file has no `name`.
pub fn validate(raw: RawScenario, ctx: &Ctx, default_name: &str) -> Result<Scenario> {
    let root = KeyPath::default();
    let sim = root.key("simulation");
    let start = parse_rfc3339(&raw.simulation.start).map_err(|e| {
        ctx.err(
            &sim.key("start"),
            format!("{:?}", raw.simulation.start),
            format!("not an RFC 3339 timestamp ({e})"),
            "write the start as e.g. \"2022-01-01T00:00:00Z\"",
        )
    })?;
    let horizon_ms = ctx.duration(&sim.key("horizon"), &raw.simulation.horizon)?;
    let end = i64::try_from(horizon_ms)
        .ok()
        .and_then(|ms| start.checked_add_signed(chrono::TimeDelta::try_milliseconds(ms)?));
    if end.is_none_or(|e| chrono::Datelike::year(&e) > 9999) {
        return Err(ctx.err(
            &sim.key("horizon"),
            format!("{:?}", raw.simulation.horizon),
            "the simulation would end after the year 9999",
            "shorten the horizon or move the start",
        ));
    }
    if horizon_ms == 0 {
        return Err(ctx.err(
            &sim.key("horizon"),
            format!("{:?}", raw.simulation.horizon),
            "the simulated span must be longer than zero",
            "set e.g. horizon = \"7d\"",
        ));
    }
    let output_interval_ms = match &raw.simulation.output_interval {
        Some(text) => {
            let key = sim.key("output_interval");
            let ms = ctx.duration(&key, text)?;
            if ms == 0 {
                return Err(ctx.err(
                    &key,
                    format!("{text:?}"),
                    "the output interval must be longer than zero",
                    "set e.g. output_interval = \"1h\"",
                ));
            }
            if horizon_ms.div_ceil(ms) > MAX_INTERVALS {
                return Err(ctx.err(
                    &key,
                    format!("{text:?}"),
                    format!(
                        "gives {} output rows over the horizon, more than the limit of {MAX_INTERVALS}",
                        horizon_ms.div_ceil(ms)
                    ),
                    "choose a longer output interval",
                ));
            }
            ms
        }
        None => crate::time::MS_PER_HOUR,
    };
    let devices = validate_devices(&raw.devices, ctx)?;
    let pools = validate_pools(&raw.pools, &devices, ctx)?;
    let mut tenants = vec![];
    let jobs = raw
        .jobs
        .iter()
        .enumerate()
        .map(|(i, job)| validate_job(job, i, &pools, &devices, &mut tenants, horizon_ms, ctx))
        .collect::<Result<Vec<_>>>()?;
    let epoch_ms = start.timestamp_millis();
    let workloads = raw
        .workloads
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let span = super::context::Span {
                start_ms: epoch_ms,
                end_ms: epoch_ms + horizon_ms as i64,
            };
            validate_workload(w, i, &pools, &devices, &mut tenants, span, ctx)
        })
        .collect::<Result<Vec<_>>>()?;
    let traces = raw
        .traces
        .iter()
        .enumerate()
        .map(|(i, t)| {
            super::trace::validate_trace(t, i, ctx, epoch_ms, horizon_ms, &pools, &devices)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut notes = Vec::new();
    if raw.sweep.is_some() {
        notes.push(
            "the file has a [sweep] table: `wattsim run` uses the base values; `wattsim sweep` runs every point"
                .to_string(),
        );
    }
    let span = super::context::Span {
        start_ms: start.timestamp_millis(),
        end_ms: start.timestamp_millis() + horizon_ms as i64,
    };
    let tariff = super::tariff::validate_tariff(raw.tariff.as_ref(), ctx, span, &mut notes)?;
    let services = raw
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| super::work::service(s, i, &pools, &mut tenants, ctx, span))
        .collect::<Result<Vec<_>>>()?;
    let site = validate_site(&raw, tariff, &pools, ctx, span)?;
    let name = raw
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| default_name.to_string());
    Ok(Scenario {
        name,
        calendar: Calendar { start },
        horizon_ms,
        seed: raw.simulation.seed.unwrap_or(1),
        output_interval_ms,
        pools,
        jobs,
        workloads,
        site,
        notes,
        tenants,
        traces,
        services,
        scheduler: crate::model::scenario::SchedulerSpec {
            policy: raw.scheduler.as_ref().map(|s| s.policy).unwrap_or_default(),
        },
    })
}

/// Resolves `[devices.*]` against the catalog.
fn validate_devices(
    raw: &BTreeMap<String, RawDevice>,
    ctx: &Ctx,
) -> Result<BTreeMap<String, Device>> {
    let mut out = BTreeMap::new();
    for (id, d) in raw {
        let key = KeyPath::default().key("devices").key(id);
        let base = match &d.based_on {
            Some(base) => Some(catalog::lookup(base).ok_or_else(|| {
                ctx.err(
                    &key.key("based_on"),
                    format!("{base:?}"),
                    "not a catalog device",
                    catalog_hint(base),
                )
            })?),
            None => catalog::lookup(id),
        };
        let idle_w = match (d.idle_w, base) {
            (Some(w), _) => ctx.watts(&key.key("idle_w"), w)?,
            (None, Some(b)) => b.idle_w,
            (None, None) if d.power_curve_is_table() => 0.0,
            (None, None) => return Err(missing_for_custom(ctx, &key, "idle_w", id)),
        };
        let max_w = match (d.max_w, base) {
            (Some(w), _) => ctx.watts(&key.key("max_w"), w)?,
            (None, Some(b)) => b.max_w,
            (None, None) if d.power_curve_is_table() => 0.0,
            (None, None) => return Err(missing_for_custom(ctx, &key, "max_w", id)),
        };
        let peak_tflops = match d.peak_tflops {
            Some(v) => ctx.number(&key.key("peak_tflops"), v, 0.0, f64::INFINITY, "TFLOPS")?,
            None => base.map_or(0.0, |b| b.peak_tflops),
        };
        let memory_gb = match d.memory_gb {
            Some(v) => ctx.number(&key.key("memory_gb"), v, 0.0, f64::INFINITY, "GB")?,
            None => base.map_or(0.0, |b| b.memory_gb),
        };
        let curve = validate_curve(d.power_curve.as_ref(), &key.key("power_curve"), ctx)?;
        let (idle_w, max_w) = match &curve {
            PowerCurve::Table { points } => (points[0].1, points[points.len() - 1].1),
            _ => (idle_w, max_w),
        };
        if idle_w > max_w {
            return Err(ctx.err(
                &key.key("idle_w"),
                idle_w,
                format!("idle draw is above the maximum draw max_w = {max_w}"),
                "idle_w must be at most max_w; check the two values (watts per device)",
            ));
        }
        let (embodied_kg, lifetime_years) = embodied(
            ctx,
            (&key.key("embodied_kg"), d.embodied_kg),
            (&key.key("lifetime_years"), d.lifetime_years),
        )?;
        let relative_throughput = match d.relative_throughput {
            Some(v) => ctx.number(
                &key.key("relative_throughput"),
                v,
                1e-9,
                1e9,
                "a relative throughput",
            )?,
            None => peak_tflops,
        };
        out.insert(
            id.clone(),
            Device {
                id: id.clone(),
                idle_w,
                max_w,
                peak_tflops,
                memory_gb,
                curve,
                embodied_kg,
                lifetime_years,
                relative_throughput,
            },
        );
    }
    Ok(out)
}

impl RawDevice {
    fn power_curve_is_table(&self) -> bool {
        matches!(self.power_curve, Some(RawPowerCurve::Table { .. }))
    }
}

/// Embodied carbon [kg] (default 0) and lifetime [years] (default 5) from their keys.
fn embodied(
    ctx: &Ctx,
    (kg_key, kg): (&KeyPath, Option<f64>),
    (life_key, life): (&KeyPath, Option<f64>),
) -> Result<(f64, f64)> {
    let kg = match kg {
        Some(v) => ctx.number(kg_key, v, 0.0, 1e7, "embodied carbon in kg")?,
        None => 0.0,
    };
    let life = match life {
        Some(v) => ctx.number(life_key, v, 0.1, 100.0, "a lifetime in years")?,
        None => DEFAULT_LIFETIME_YEARS,
    };
    Ok((kg, life))
}

fn missing_for_custom(ctx: &Ctx, key: &KeyPath, field: &str, id: &str) -> ScenarioError {
    ctx.err(
        &key.key(field),
        "(missing)",
        format!("`{id}` is not a catalog device, so `{field}` is required"),
        format!(
            "give `{field}` in watts, or set `based_on` to a catalog id ({})",
            catalog_hint(id)
        ),
    )
}

fn catalog_hint(word: &str) -> String {
    match nearest(word, catalog::ids()) {
        Some(best) => {
            format!("did you mean `{best}`? `wattsim catalog` lists the built-in devices")
        }
        None => "`wattsim catalog` lists the built-in devices".to_string(),
    }
}

fn validate_curve(raw: Option<&RawPowerCurve>, key: &KeyPath, ctx: &Ctx) -> Result<PowerCurve> {
    Ok(match raw {
        None | Some(RawPowerCurve::Linear {}) => PowerCurve::Linear,
        Some(RawPowerCurve::PowerLaw { exponent }) => {
            let k = ctx.number(&key.key("exponent"), *exponent, 0.01, 100.0, "the exponent")?;
            PowerCurve::PowerLaw { exponent: k }
        }
        Some(RawPowerCurve::Table { points }) => {
            let pk = key.key("points");
            if points.len() < 2 {
                return Err(ctx.err(
                    &pk,
                    format!("{} point(s)", points.len()),
                    "a power table needs at least two (utilisation, watts) points",
                    "give points from utilisation 0.0 to 1.0, e.g. [[0.0, 60.0], [1.0, 400.0]]",
                ));
            }
            for (i, [u, w]) in points.iter().enumerate() {
                ctx.number(&pk.index(i), *u, 0.0, 1.0, "utilisation")?;
                ctx.watts(&pk.index(i), *w)?;
                if i > 0 && *u <= points[i - 1][0] {
                    return Err(ctx.err(
                        &pk.index(i),
                        format!("[{u}, {w}]"),
                        "utilisation values must increase strictly from point to point",
                        "sort the points by utilisation and remove duplicates",
                    ));
                }
            }
            let (first, last) = (points[0][0], points[points.len() - 1][0]);
            if first != 0.0 || last != 1.0 {
                return Err(ctx.err(
                    &pk,
                    format!("utilisation {first} .. {last}"),
                    "the table must span utilisation 0.0 to 1.0",
                    "add a point at 0.0 (idle) and one at 1.0 (full load)",
                ));
            }
            PowerCurve::Table {
                points: points.iter().map(|[u, w]| (*u, *w)).collect(),
            }
        }
    })
}

fn validate_pools(
    raw: &[RawPool],
    devices: &BTreeMap<String, Device>,
    ctx: &Ctx,
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
        let cap_throughput = match &p.cap_throughput {
            None => crate::model::pool::CapThroughput::CubeRoot,
            Some(points) => {
                let k = key.key("cap_throughput");
                if points.is_empty() {
                    return Err(ctx.err(&k, "[]", "the table is empty", "give (cap watts, relative throughput) points, e.g. [[150.0, 0.85], [250.0, 1.0]]"));
                }
                for (j, [c, t]) in points.iter().enumerate() {
                    ctx.watts(&k.index(j), *c)?;
                    ctx.number(
                        &k.index(j),
                        *t,
                        1e-6,
                        1.0,
                        "a relative throughput (1.0 = uncapped)",
                    )?;
                    if j > 0 && *c <= points[j - 1][0] {
                        return Err(ctx.err(
                            &k.index(j),
                            format!("[{c}, {t}]"),
                            "caps must increase from point to point",
                            "sort the points by cap",
                        ));
                    }
                }
                crate::model::pool::CapThroughput::Table(
                    points.iter().map(|[c, t]| (*c, *t)).collect(),
                )
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
        });
    }
    Ok(pools)
}

/// Resolves an optional pool name to its index.
fn pool_index(
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

fn utilization(raw: Option<f64>, key: &KeyPath, ctx: &Ctx) -> Result<f64> {
    match raw {
        Some(u) => ctx.number(key, u, 0.0, 1.0, "utilisation"),
        None => Ok(1.0),
    }
}

fn validate_job(
    job: &RawJob,
    i: usize,
    pools: &[Pool],
    devices_map: &BTreeMap<String, Device>,
    tenants: &mut Vec<String>,
    horizon_ms: SimTime,
    ctx: &Ctx,
) -> Result<JobSpec> {
    let key = KeyPath::default().key("jobs").index(i);
    let name = job.name.clone().unwrap_or_else(|| format!("job{i}"));
    let submit_ms = match &job.submit {
        Some(s) => ctx.duration(&key.key("submit"), s)?,
        None => 0,
    };
    if submit_ms >= horizon_ms {
        return Err(ctx.err(
            &key.key("submit"),
            format!("{:?}", job.submit.as_deref().unwrap_or("0s")),
            format!(
                "the job is submitted at or after the horizon ({})",
                format_duration_ms(horizon_ms)
            ),
            "submit it before the horizon, or lengthen [simulation] horizon",
        ));
    }
    let devices = ctx.count(&key.key("devices"), job.devices, 1)?;
    let duration_ms = match &job.duration {
        Some(text) => {
            let ms = ctx.duration(&key.key("duration"), text)?;
            positive_duration(ms, text, &key.key("duration"), ctx)?;
            Some(ms)
        }
        None => None,
    };
    let pool = pool_index(job.pool.as_ref(), &key.key("pool"), pools, ctx)?;
    if let Some(why) = never_fits(pools, devices, pool) {
        return Err(ctx.err(
            &key.key("devices"),
            devices,
            format!("job `{name}` can never run: {why}"),
            "ask for fewer devices, or add nodes to a pool",
        ));
    }
    let (work, duration_ms) = super::work::job_work(
        ctx,
        &key,
        duration_ms,
        job.reference_device.as_ref(),
        job.flops,
        job.mfu,
        devices_map,
        eligible(pools, pool),
    )?;
    let share_milli = match job.device_share {
        Some(f) => {
            let k = key.key("device_share");
            let f = ctx.number(&k, f, 0.001, 1.0, "a share of one device")?;
            if devices != 1 {
                return Err(ctx.err(
                    &k,
                    f,
                    "a device share applies to jobs of one device",
                    "set devices = 1, or remove device_share",
                ));
            }
            crate::time::round_u64(f * 1000.0) as u32
        }
        None => 1000,
    };
    Ok(JobSpec {
        name,
        submit_ms,
        devices,
        share_milli,
        duration_ms,
        utilization: utilization(job.utilization, &key.key("utilization"), ctx)?,
        pool,
        work,
        speeds: super::work::speeds(ctx, &key, job.relative_throughput.as_ref())?,
        tenant: super::work::tenant(tenants, job.tenant.as_ref()),
        profile: super::work::load_profile(ctx, &key, job.load_profile.as_ref())?,
    })
}

fn validate_workload(
    w: &RawWorkload,
    i: usize,
    pools: &[Pool],
    devices_map: &BTreeMap<String, Device>,
    tenants: &mut Vec<String>,
    span: super::context::Span,
    ctx: &Ctx,
) -> Result<Workload> {
    let (epoch_ms, horizon_ms) = (span.start_ms, (span.end_ms - span.start_ms) as SimTime);
    let key = KeyPath::default().key("workloads").index(i);
    let name = w.name.clone().unwrap_or_else(|| format!("workload{i}"));
    let arrival = super::work::arrival(ctx, &key.key("arrival"), &w.arrival, epoch_ms)?;
    let devices = super::work::count_dist(ctx, &key.key("devices"), &w.devices, 1)?;
    let tkey = key.key("duration");
    let duration = match &w.duration {
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
            values_ms: std::sync::Arc::new(super::work::empirical(
                ctx,
                &tkey,
                file,
                column.as_deref(),
                unit.as_deref(),
            )?),
        },
    };
    let max_jobs = match w.max_jobs {
        Some(n) if n < 0 => {
            return Err(ctx.err(
                &key.key("max_jobs"),
                n,
                "must be zero or more",
                "set max_jobs to a whole number ≥ 0, or remove it for no limit",
            ));
        }
        Some(n) => Some(n as u64),
        None => None,
    };
    let pool = pool_index(w.pool.as_ref(), &key.key("pool"), pools, ctx)?;
    let hours = crate::time::ms_to_hours(horizon_ms);
    let peak_rate = arrival.peak_rate_per_hour(horizon_ms);
    let batch = match &w.batch {
        Some(b) => super::work::count_dist(ctx, &key.key("batch"), b, 1)?,
        None => DeviceCount::Fixed(1),
    };
    let expected = peak_rate * hours * batch.max() as f64;
    if expected > MAX_EXPECTED_JOBS && max_jobs.is_none_or(|m| m as f64 > MAX_EXPECTED_JOBS) {
        return Err(ctx.err(
            &key.key("arrival").key("rate_per_hour"),
            peak_rate,
            format!(
                "the workload would generate about {expected:.3e} jobs over the horizon, more than the limit of {MAX_EXPECTED_JOBS:.0e}"
            ),
            "lower the rate, shorten the horizon, or set max_jobs",
        ));
    }
    Ok(Workload {
        name,
        arrival,
        devices,
        duration,
        utilization: super::work::utilization_dist(
            ctx,
            &key.key("utilization"),
            w.utilization.as_ref(),
        )?,
        max_jobs,
        pool,
        work: super::work::reference_work(ctx, &key, w.reference_device.as_ref(), devices_map)?,
        speeds: super::work::speeds(ctx, &key, w.relative_throughput.as_ref())?,
        tenant: super::work::tenant(tenants, w.tenant.as_ref()),
        batch,
        profile: super::work::load_profile(ctx, &key, w.load_profile.as_ref())?,
    })
}

fn positive_duration(ms: SimTime, text: &str, key: &KeyPath, ctx: &Ctx) -> Result<()> {
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

fn validate_site(
    raw: &RawScenario,
    tariff: Tariff,
    pools: &[Pool],
    ctx: &Ctx,
    span: super::context::Span,
) -> Result<Site> {
    let capacity_kw = pools.iter().map(|p| p.max_it_w()).sum::<f64>() / 1000.0;
    Ok(Site {
        facility: super::site::validate_facility(raw.facility.as_ref(), ctx, span, capacity_kw)?,
        tariff: Arc::new(tariff),
        grid: super::site::validate_carbon(raw.carbon.as_ref(), ctx, span)?,
        epoch_ms: span.start_ms,
    })
}
