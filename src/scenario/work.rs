//! Validates how work is sized: hardware-independent job sizes (reference device, FLOPs at
//! MFU), per-device throughput overrides, tenants, and per-job load profiles.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::{RawLoadProfile, RawWorkload};
use crate::model::catalog;
use crate::model::device::Device;
use crate::model::distribution::DurationDist;
use crate::model::pool::Pool;
use crate::model::work::{Speeds, Work};
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
            let mfu = flops_mfu(ctx, key, mfu, eligible, f)?;
            Ok((Work::Flops { flops, mfu }, 0))
        }
    }
}

/// The `mfu` of work sized in FLOPs (`flops_text`, for the message), checking that every
/// eligible pool's device has a peak to turn FLOPs into time.
fn flops_mfu(
    ctx: &Ctx,
    key: &KeyPath,
    mfu: Option<f64>,
    eligible: &[Pool],
    flops_text: impl std::fmt::Display,
) -> Result<f64> {
    let Some(m) = mfu else {
        return Err(ctx.err(
            &key.key("mfu"),
            "(missing)",
            "work sized in FLOPs needs the achieved model FLOPs utilisation",
            "add mfu = 0.4 (a typical share of peak for large training runs)",
        ));
    };
    let mfu = ctx.number(&key.key("mfu"), m, 1e-6, 1.0, "the model FLOPs utilisation")?;
    if let Some(p) = eligible.iter().find(|p| p.device.peak_tflops <= 0.0) {
        return Err(ctx.err(
            &key.key("flops"),
            flops_text,
            format!(
                "pool `{}` has device `{}` with no peak_tflops, so FLOPs cannot become time",
                p.name, p.device.id
            ),
            "give the device peak_tflops, or size the work by duration",
        ));
    }
    Ok(mfu)
}

/// How a workload's jobs are sized: a `duration` distribution (wall time, or run time on
/// `reference_device`), or a `flops` distribution with `mfu`. Returns the work and the size
/// distribution (run time [ms], or GFLOP for FLOPs).
pub fn workload_work(
    ctx: &Ctx,
    key: &KeyPath,
    w: &RawWorkload,
    devices: &BTreeMap<String, Device>,
    eligible: &[Pool],
) -> Result<(Work, DurationDist)> {
    match (&w.duration, &w.flops) {
        (Some(_), Some(_)) => Err(ctx.err(
            &key.key("flops"),
            "(given)",
            "a workload's jobs are sized by `duration` or by `flops` with `mfu`, not both",
            "remove `duration` or `flops`",
        )),
        (None, None) => Err(ctx.err(
            &key.key("duration"),
            "(missing)",
            "the workload's jobs have no size",
            "give duration = { distribution = \"exponential\", mean = \"2h\" }, or flops = 1e21 (or a distribution) with mfu = 0.4",
        )),
        (Some(d), None) => {
            if w.mfu.is_some() {
                return Err(ctx.err(&key.key("mfu"), "(given)", "`mfu` goes with `flops`", "remove `mfu`, or size the jobs with flops"));
            }
            let size = super::distributions::duration_dist(ctx, &key.key("duration"), d)?;
            Ok((reference_work(ctx, key, w.reference_device.as_ref(), devices)?, size))
        }
        (None, Some(f)) => {
            if w.reference_device.is_some() {
                return Err(ctx.err(&key.key("reference_device"), "(given)", "a reference device goes with `duration`; FLOPs take their time from each pool's device", "remove `reference_device`"));
            }
            let mfu = flops_mfu(ctx, key, w.mfu, eligible, "(given)")?;
            Ok((Work::DrawnFlops { mfu }, super::distributions::flops_dist(ctx, &key.key("flops"), f)?))
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
