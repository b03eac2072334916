//! Validates `[power]`: the budget (a constant `budget_kw`, a `budget` series of limits, or
//! both: the constant holds before the series' first row), what it applies to and what the
//! manager does when it binds, and idle node power-down.

use super::context::{Ctx, Span};
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::{RawPower, RawPowerDown};
use crate::model::pool::Pool;
use crate::model::power_plan::{Budget, BudgetAction, BudgetOn, PeakShaving, PowerDown, PowerPlan};

type Result<T> = std::result::Result<T, ScenarioError>;

/// Limit units and their factor to kW.
const LIMIT_UNITS: &[(&str, f64)] = &[("kw", 1.0), ("mw", 1000.0), ("w", 0.001)];

/// The power plan of a scenario (the default when there is no `[power]`).
pub(super) fn validate_power(
    raw: Option<&RawPower>,
    pools: &[Pool],
    ctx: &Ctx,
    span: Span,
) -> Result<PowerPlan> {
    let Some(raw) = raw else {
        return Ok(PowerPlan::default());
    };
    let key = KeyPath::default().key("power");
    let budget = budget(raw, &key, ctx, span)?;
    let peak_shaving = match &raw.peak_shaving {
        Some(r) if r.enabled != Some(false) => {
            let skey = key.key("peak_shaving");
            let cap = r.cap.unwrap_or(false);
            Some(PeakShaving {
                target_kw: ctx.number(
                    &skey.key("target_kw"),
                    r.target_kw,
                    1e-9,
                    f64::INFINITY,
                    "a demand target in kW",
                )?,
                cap,
                cap_floor: match (&budget, raw.cap_floor) {
                    (Some(b), _) if b.caps() => b.cap_floor,
                    (_, Some(f)) if cap => ctx.number(
                        &key.key("cap_floor"),
                        f,
                        0.0,
                        1.0,
                        "a fraction of the devices' maximum draw",
                    )?,
                    _ => 0.0,
                },
            })
        }
        _ => None,
    };
    Ok(PowerPlan {
        budget,
        peak_shaving,
        power_down: match &raw.idle_power_down {
            Some(d) => Some(power_down(d, &key.key("idle_power_down"), pools, ctx)?),
            None => None,
        },
    })
}

fn budget(raw: &RawPower, key: &KeyPath, ctx: &Ctx, span: Span) -> Result<Option<Budget>> {
    let constant_kw = match raw.budget_kw {
        Some(kw) => Some(ctx.number(
            &key.key("budget_kw"),
            kw,
            0.0,
            f64::INFINITY,
            "a power limit in kW",
        )?),
        None => None,
    };
    let series = match &raw.budget {
        Some(r) => {
            let bkey = key.key("budget");
            let rules = super::site::SeriesRules {
                allow_negative: false,
                irregular: true,
                // Without a constant limit the rows must start by the run's start.
                cover: constant_kw.is_none(),
            };
            let s =
                super::site::read_series_with(r, &bkey, LIMIT_UNITS, "limit_kw", rules, ctx, span)?;
            Some(s)
        }
        None => None,
    };
    // A floor for shaving's caps stays valid while shaving is switched off (a sweep axis).
    let shaving_caps = raw
        .peak_shaving
        .as_ref()
        .is_some_and(|s| s.cap == Some(true));
    if constant_kw.is_none() && series.is_none() {
        for (name, given) in [
            ("budget_on", raw.budget_on.is_some()),
            ("budget_action", raw.budget_action.is_some()),
            ("cap_floor", raw.cap_floor.is_some() && !shaving_caps),
        ] {
            if given {
                return Err(ctx.err(
                    &key.key(name),
                    "(given)",
                    "there is no power budget for it to apply to",
                    "add budget_kw = … or budget = { file = … } (or, for cap_floor, peak_shaving = { …, cap = true }), or remove the key",
                ));
            }
        }
        return Ok(None);
    }
    let on = ctx.choice(
        &key.key("budget_on"),
        raw.budget_on.as_deref().unwrap_or("facility"),
        &[("facility", BudgetOn::Facility), ("it", BudgetOn::It)],
        "budget basis (facility: IT × PUE; it: devices and hosts)",
    )?;
    let action = ctx.choice(
        &key.key("budget_action"),
        raw.budget_action.as_deref().unwrap_or("hold"),
        &[
            ("hold", BudgetAction::Hold),
            ("cap", BudgetAction::Cap),
            ("cap_then_hold", BudgetAction::CapThenHold),
        ],
        "budget action",
    )?;
    let cap_floor = match raw.cap_floor {
        Some(f) => {
            let fkey = key.key("cap_floor");
            if action == BudgetAction::Hold && !shaving_caps {
                return Err(ctx.err(
                    &fkey,
                    f,
                    "budget_action = \"hold\" never caps devices",
                    "remove cap_floor, or set budget_action = \"cap\" or \"cap_then_hold\"",
                ));
            }
            ctx.number(
                &fkey,
                f,
                0.0,
                1.0,
                "a fraction of the devices' maximum draw",
            )?
        }
        None if action == BudgetAction::CapThenHold => DEFAULT_HOLD_FLOOR,
        None => 0.0,
    };
    Ok(Some(Budget {
        constant_kw,
        series,
        on,
        action,
        cap_floor,
        epoch_ms: span.start_ms,
    }))
}

/// The default cap floor of `cap_then_hold` [fraction of the maximum draw].
pub const DEFAULT_HOLD_FLOOR: f64 = 0.5;

fn power_down(raw: &RawPowerDown, key: &KeyPath, pools: &[Pool], ctx: &Ctx) -> Result<PowerDown> {
    let after_ms = ctx.duration(&key.key("after"), &raw.after)?;
    if after_ms == 0 {
        return Err(ctx.err(
            &key.key("after"),
            format!("{:?}", raw.after),
            "a node must stay idle for some time before it powers off",
            "set e.g. after = \"30min\"",
        ));
    }
    let boot_ms = ctx.duration(&key.key("boot"), &raw.boot)?;
    let keep_on = match raw.keep_on {
        Some(n) => ctx.count(&key.key("keep_on"), n, 0)?,
        None => 0,
    };
    let selected = match &raw.pools {
        None => vec![true; pools.len()],
        Some(names) => {
            let mut selected = vec![false; pools.len()];
            for (i, name) in names.iter().enumerate() {
                let Some(p) = pools.iter().position(|p| &p.name == name) else {
                    let known: Vec<&str> = pools.iter().map(|p| p.name.as_str()).collect();
                    return Err(ctx.err(
                        &key.key("pools").index(i),
                        format!("{name:?}"),
                        "no pool has this name",
                        format!("use one of: {}", known.join(", ")),
                    ));
                };
                selected[p] = true;
            }
            selected
        }
    };
    Ok(PowerDown {
        after_ms,
        off_w: ctx.watts(&key.key("off_w"), raw.off_w)?,
        boot_ms,
        boot_w: ctx.watts(&key.key("boot_w"), raw.boot_w)?,
        keep_on,
        pools: selected,
    })
}

/// Refuses an explicit job that could never start under a budget that holds: its own draw at
/// its peak utilisation (at the floor caps under `cap_then_hold`), with the rest of the
/// cluster drawing nothing and a PUE of 1, is above the highest limit the budget ever sets on
/// every pool it may run on.
pub(super) fn check_jobs_fit_budget(
    plan: &PowerPlan,
    pools: &[Pool],
    jobs: &[crate::model::workload::JobSpec],
    ctx: &Ctx,
) -> Result<()> {
    let Some(budget) = plan.budget.as_ref().filter(|b| b.holds()) else {
        return Ok(());
    };
    let series_max = budget
        .series
        .as_ref()
        .map(|s| s.values.iter().copied().fold(0.0, f64::max));
    let highest_kw = [budget.constant_kw, series_max]
        .into_iter()
        .flatten()
        .fold(0.0, f64::max);
    for (i, job) in jobs.iter().enumerate() {
        let u = job
            .profile
            .as_ref()
            .map_or(job.utilization, |p| p.peak_utilization());
        let least_kw = crate::model::scenario::eligible(pools, job.pool)
            .iter()
            .filter(|p| p.can_fit(job.devices))
            .map(|p| {
                let cap = match budget.action {
                    BudgetAction::CapThenHold => {
                        p.effective_cap_w(Some(p.runtime_cap_w(budget.cap_floor, 0)))
                    }
                    _ => p.power_cap_w,
                };
                let held = p.held_devices(job.devices);
                p.job_it_w(job.devices, held, job.share_milli, u, cap) / 1000.0
            })
            .fold(f64::INFINITY, f64::min);
        if least_kw.is_finite() && least_kw > highest_kw * (1.0 + 1e-9) {
            return Err(ctx.err(
                &KeyPath::default().key("jobs").index(i),
                format!("{:?}", job.name),
                format!(
                    "the job alone draws {least_kw:.3} kW of IT power at its peak, above the highest power limit, {highest_kw} kW: under budget_action = \"{}\" it could never start",
                    match budget.action {
                        BudgetAction::CapThenHold => "cap_then_hold",
                        _ => "hold",
                    }
                ),
                "raise power.budget_kw, make the job smaller, or let the budget cap devices (budget_action = \"cap\")",
            ));
        }
    }
    Ok(())
}
