//! Validates `[scheduler]`: the policy, runtime estimates, backfill depth, priority ageing,
//! the deferral `shift` and tenant quotas.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::{RawScheduler, StringOr};
use crate::model::site::Site;
use crate::model::workload::JobSpec;
use crate::scheduler::{Config, Estimate, Forecast, Quota, Shift, Signal};

type Result<T> = std::result::Result<T, ScenarioError>;

/// The scheduler of a scenario; quota tenants not yet named are added to `tenants`.
pub(super) fn validate_scheduler(
    ctx: &Ctx,
    raw: Option<&RawScheduler>,
    tenants: &mut Vec<String>,
    site: &Site,
    jobs: &[JobSpec],
) -> Result<Config> {
    let Some(raw) = raw else {
        return Ok(Config::default());
    };
    let key = KeyPath::default().key("scheduler");
    let ekey = key.key("runtime_estimate");
    let estimate = match &raw.runtime_estimate {
        None => Estimate::Exact,
        Some(StringOr::Text(t)) => ctx.choice(
            &ekey,
            t,
            &[("exact", Estimate::Exact), ("walltime", Estimate::Walltime)],
            "runtime estimate",
        )?,
        Some(StringOr::Table(f)) => Estimate::Factor(ctx.number(
            &ekey.key("factor"),
            f.factor,
            1e-3,
            1e3,
            "an estimate factor",
        )?),
    };
    let backfill_depth = match raw.backfill_depth {
        Some(n) => ctx.count(&key.key("backfill_depth"), n, 1)? as usize,
        None => crate::scheduler::config::DEFAULT_BACKFILL_DEPTH,
    };
    let priority_age_per_hour = match raw.priority_age_per_hour {
        Some(a) => ctx.number(
            &key.key("priority_age_per_hour"),
            a,
            0.0,
            1e12,
            "priority per hour",
        )?,
        None => 0.0,
    };
    let shift = match &raw.shift {
        None => None,
        Some(s) if s.signal == "none" && s.forecast.is_none() => None,
        Some(s) => {
            let skey = key.key("shift");
            let signal = ctx.choice(
                &skey.key("signal"),
                &s.signal,
                &[
                    ("carbon", Signal::Carbon),
                    ("marginal", Signal::Marginal),
                    ("price", Signal::Price),
                ],
                "shift signal (or \"none\" for no deferral)",
            )?;
            if signal == Signal::Marginal && site.grid.marginal.is_none() {
                return Err(ctx.err(
                    &skey.key("signal"),
                    "\"marginal\"",
                    "the scenario has no marginal intensity series",
                    "add [carbon] marginal = { file = … }, or shift on \"carbon\"",
                ));
            }
            let fkey = skey.key("forecast");
            let forecast = match &s.forecast {
                None => Forecast::Perfect,
                Some(StringOr::Text(t)) => {
                    ctx.choice(&fkey, t, &[("perfect", Forecast::Perfect)], "forecast")?
                }
                Some(StringOr::Table(n)) => Forecast::Noisy {
                    error: ctx.number(
                        &fkey.key("error"),
                        n.error,
                        0.0,
                        10.0,
                        "a relative error",
                    )?,
                    seed: n.seed.unwrap_or(1),
                },
            };
            Some(Shift { signal, forecast })
        }
    };
    let mut quotas: Vec<Quota> = vec![];
    for (i, q) in raw.quotas.iter().enumerate() {
        let qkey = key.key("quotas").index(i);
        let tenant = super::work::tenant(tenants, Some(&q.tenant)).unwrap_or_default();
        if quotas.iter().any(|o| o.tenant == tenant) {
            return Err(ctx.err(
                &qkey.key("tenant"),
                format!("{:?}", q.tenant),
                "the tenant already has a quota",
                "give each tenant one [[scheduler.quotas]] entry",
            ));
        }
        let max_devices = ctx.count(&qkey.key("max_devices"), q.max_devices, 1)? as u64;
        if let Some((j, job)) = jobs
            .iter()
            .enumerate()
            .find(|(_, j)| j.tenant == Some(tenant) && j.devices as u64 > max_devices)
        {
            return Err(ctx.err(
                &KeyPath::default().key("jobs").index(j).key("devices"),
                job.devices,
                format!(
                    "job `{}` can never run: its tenant `{}` may use at most {max_devices} devices",
                    job.name, q.tenant
                ),
                "ask for fewer devices, or raise the tenant's max_devices",
            ));
        }
        quotas.push(Quota {
            tenant,
            max_devices,
        });
    }
    Ok(Config {
        policy: raw.policy,
        estimate,
        backfill_depth,
        priority_age_per_hour,
        shift,
        quotas,
    })
}
