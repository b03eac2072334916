//! Validates `[[jobs]]` and `[[workloads]]`: sizes, durations, utilisation, the pool they may
//! run on, and whether they can ever fit.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::pools::pool_index;
use super::raw::*;
use crate::model::device::Device;
use crate::model::pool::Pool;
use crate::model::scenario::{eligible, never_fits, retired_for};
use crate::model::workload::{DeviceCount, JobSpec, Workload};
use crate::time::{SimTime, format_duration_ms};
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Most jobs a workload may be expected to generate (guard against a run that cannot end).
pub const MAX_EXPECTED_JOBS: f64 = 2e8;

fn utilization(raw: Option<f64>, key: &KeyPath, ctx: &Ctx) -> Result<f64> {
    match raw {
        Some(u) => ctx.number(key, u, 0.0, 1.0, "utilisation"),
        None => Ok(1.0),
    }
}

pub(super) fn validate_job(
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
            super::distributions::positive_duration(ms, text, &key.key("duration"), ctx)?;
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
    if let Some(why) = retired_for(pools, devices, pool, submit_ms) {
        return Err(ctx.err(
            &key.key("submit"),
            format!("{:?}", job.submit.as_deref().unwrap_or("0s")),
            format!("job `{name}` can never run: {why}"),
            "submit it before the pool's `until`, or let it run on another pool",
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
        terms: super::terms::job_terms(
            ctx,
            &key,
            super::terms::RawTerms {
                walltime: job.walltime.as_ref(),
                deadline: job.deadline.as_ref(),
                priority: job.priority,
            },
            true,
        )?,
    })
}

pub(super) fn validate_workload(
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
    let arrival = super::arrivals::arrival(ctx, &key.key("arrival"), &w.arrival, epoch_ms)?;
    let devices = super::distributions::count_dist(ctx, &key.key("devices"), &w.devices, 1)?;
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
    let (work, size) =
        super::work::workload_work(ctx, &key, w, devices_map, eligible(pools, pool))?;
    let hours = crate::time::ms_to_hours(horizon_ms);
    let peak_rate = arrival.peak_rate_per_hour(horizon_ms);
    let batch = match &w.batch {
        Some(b) => super::distributions::count_dist(ctx, &key.key("batch"), b, 1)?,
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
        size,
        utilization: super::distributions::utilization_dist(
            ctx,
            &key.key("utilization"),
            w.utilization.as_ref(),
        )?,
        max_jobs,
        pool,
        work,
        speeds: super::work::speeds(ctx, &key, w.relative_throughput.as_ref())?,
        tenant: super::work::tenant(tenants, w.tenant.as_ref()),
        batch,
        profile: super::work::load_profile(ctx, &key, w.load_profile.as_ref())?,
        terms: super::terms::job_terms(
            ctx,
            &key,
            super::terms::RawTerms {
                walltime: w.walltime.as_ref(),
                deadline: w.deadline.as_ref(),
                priority: w.priority,
            },
            false,
        )?,
    })
}
