//! The options every trace format shares, read from `[[traces]]`: the submit-time window and
//! minimum size every row must pass, the default utilisation and the time shift.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::RawTrace;
use crate::model::trace::{TraceItem, TraceJob};
use crate::time::SimTime;

type Result<T> = std::result::Result<T, ScenarioError>;

/// The filters every trace format applies: a window on submit times and a minimum size.
#[derive(Debug, Clone, Copy)]
pub(super) struct Filter {
    from_ms: SimTime,
    until_ms: SimTime,
    min_devices: u32,
}

impl Filter {
    /// Reads `from`, `until` (default: the horizon) and `min_devices`.
    pub(super) fn new(
        raw: &RawTrace,
        key: &KeyPath,
        ctx: &Ctx,
        horizon_ms: SimTime,
    ) -> Result<Filter> {
        let span = |k: &str, v: Option<&String>, default: SimTime| -> Result<SimTime> {
            v.map_or(Ok(default), |text| ctx.duration(&key.key(k), text))
        };
        Ok(Filter {
            from_ms: span("from", raw.from.as_ref(), 0)?,
            until_ms: span("until", raw.until.as_ref(), horizon_ms)?,
            min_devices: match raw.min_devices {
                Some(n) => ctx.count(&key.key("min_devices"), n, 1)?,
                None => 1,
            },
        })
    }

    /// A parsed row → the job, or the reason it is skipped.
    pub(super) fn admit(&self, row: std::result::Result<TraceJob, &'static str>) -> TraceItem {
        match row {
            Ok(job) if job.submit_ms < self.from_ms || job.submit_ms >= self.until_ms => {
                TraceItem::Skip("outside the time window")
            }
            Ok(job) if job.devices < self.min_devices => {
                TraceItem::Skip("fewer devices than min_devices")
            }
            Ok(job) => TraceItem::Job(job),
            Err(reason) => TraceItem::Skip(reason),
        }
    }
}

/// `utilization` (0..1, default 1): the load of jobs whose trace gives none.
pub(super) fn default_utilization(raw: &RawTrace, key: &KeyPath, ctx: &Ctx) -> Result<f64> {
    match raw.utilization {
        Some(u) => ctx.number(&key.key("utilization"), u, 0.0, 1.0, "utilisation"),
        None => Ok(1.0),
    }
}

/// `shift = "-2d"` → −172,800,000 ms.
pub(super) fn signed_shift(raw: &RawTrace, key: &KeyPath, ctx: &Ctx) -> Result<i64> {
    Ok(match &raw.shift {
        Some(text) => {
            let negative = text.trim_start().starts_with('-');
            let ms =
                ctx.duration(&key.key("shift"), text.trim_start().trim_start_matches('-'))? as i64;
            if negative { -ms } else { ms }
        }
        None => 0,
    })
}
