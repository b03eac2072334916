//! Validation: raw structs → the typed model, with every cross-field check. Errors name the
//! key path, the value and the fix.

use super::Scenario;
use super::context::Ctx;
use super::devices::validate_devices;
use super::error::ScenarioError;
use super::jobs::{validate_job, validate_workload};
use super::locate::KeyPath;
use super::pools::validate_pools;
use super::raw::*;
use crate::model::pool::Pool;
use crate::model::site::Site;
use crate::model::tariff::Tariff;
use crate::report::format::{OutputFormats, TableFormat};
use crate::time::{Calendar, parse_rfc3339};
use std::sync::Arc;

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
    let warmup_ms = match &raw.simulation.warmup {
        None => 0,
        Some(text) => {
            let key = sim.key("warmup");
            let ms = ctx.duration(&key, text)?;
            if ms >= horizon_ms {
                return Err(ctx.err(
                    &key,
                    format!("{text:?}"),
                    "the warm-up must end before the horizon, or no job is measured",
                    "use a warm-up shorter than the horizon, e.g. a tenth of it",
                ));
            }
            ms
        }
    };
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
    let epoch_ms = start.timestamp_millis();
    let span = super::context::Span {
        start_ms: epoch_ms,
        end_ms: epoch_ms + horizon_ms as i64,
    };
    let pools = validate_pools(&raw.pools, &devices, ctx, span)?;
    let mut tenants = vec![];
    let jobs = raw
        .jobs
        .iter()
        .enumerate()
        .map(|(i, job)| validate_job(job, i, &pools, &devices, &mut tenants, horizon_ms, ctx))
        .collect::<Result<Vec<_>>>()?;
    let workloads = raw
        .workloads
        .iter()
        .enumerate()
        .map(|(i, w)| validate_workload(w, i, &pools, &devices, &mut tenants, span, ctx))
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
    // An explicit host draw of 0 is the user's statement; only an absent one is warned about.
    let no_host = |r: &super::raw::RawPool| {
        r.host.is_none() && r.host_idle_w.is_none() && r.host_max_w.is_none()
    };
    for (p, _) in pools.iter().zip(&raw.pools).filter(|(_, r)| no_host(r)) {
        notes.push(format!(
            "pool `{}` has no host power (no host, host_idle_w or host_max_w): the CPUs, memory, NICs and fans of a real server draw 10–20 % beside its accelerators, so facility energy, the bill and carbon are understated; set host = \"DGX-H100\" (presets: `wattsim catalog`), host_idle_w / host_max_w, or host_max_w = 0 to count the devices alone",
            p.name
        ));
    }
    let remarks = if raw.sweep.is_some() {
        vec![
            "the file has a [sweep] table: `wattsim run` uses the base values; `wattsim sweep` runs every point"
                .to_string(),
        ]
    } else {
        vec![]
    };
    let tariff = super::tariff::validate_tariff(raw.tariff.as_ref(), ctx, span, &mut notes)?;
    let services = raw
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| super::services::service(s, i, &pools, &mut tenants, ctx, span))
        .collect::<Result<Vec<_>>>()?;
    let site = validate_site(&raw, tariff, &pools, ctx, span)?;
    let scheduler = super::scheduler::validate_scheduler(
        ctx,
        raw.scheduler.as_ref(),
        &mut tenants,
        &site,
        &jobs,
    )?;
    let power = super::power::validate_power(raw.power.as_ref(), &pools, ctx, span)?;
    super::power::check_jobs_fit_budget(&power, &pools, &jobs, ctx)?;
    let costs = super::costs::validate_costs(raw.costs.as_ref(), &raw.pools, &pools, ctx)?;
    notes.extend(ctx.notes.borrow_mut().drain(..));
    let name = raw
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| default_name.to_string());
    let output = validate_output(raw.output.as_ref(), ctx, &root.key("output"))?;
    Ok(Scenario {
        name,
        calendar: Calendar { start },
        horizon_ms,
        seed: raw.simulation.seed.unwrap_or(1),
        output_interval_ms,
        warmup_ms,
        pools,
        jobs,
        workloads,
        site,
        notes,
        remarks,
        tenants,
        traces,
        services,
        scheduler,
        power,
        costs,
        output,
    })
}

/// `[output]`: `jobs` and `timeseries` as `csv` (the default), `parquet` or `none`.
fn validate_output(raw: Option<&RawOutput>, ctx: &Ctx, table: &KeyPath) -> Result<OutputFormats> {
    let format = |key: &str, value: &Option<String>| -> Result<TableFormat> {
        match value {
            None => Ok(TableFormat::Csv),
            Some(text) => TableFormat::parse(text).ok_or_else(|| {
                ctx.err(
                    &table.key(key),
                    format!("{text:?}"),
                    "is not a table format",
                    format!("use one of {}", TableFormat::names().join(", ")),
                )
            }),
        }
    };
    Ok(match raw {
        None => OutputFormats::default(),
        Some(o) => OutputFormats {
            jobs: format("jobs", &o.jobs)?,
            timeseries: format("timeseries", &o.timeseries)?,
        },
    })
}

fn validate_site(
    raw: &RawScenario,
    tariff: Tariff,
    pools: &[Pool],
    ctx: &Ctx,
    span: super::context::Span,
) -> Result<Site> {
    let capacity_kw = crate::model::pool::peak_installed_it_w(pools) / 1000.0;
    Ok(Site {
        facility: super::site::validate_facility(raw.facility.as_ref(), ctx, span, capacity_kw)?,
        tariff: Arc::new(tariff),
        grid: super::site::validate_carbon(raw.carbon.as_ref(), ctx, span)?,
        epoch_ms: span.start_ms,
    })
}
