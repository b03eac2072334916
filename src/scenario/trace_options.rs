//! The options every trace format shares, read from `[[traces]]`: the submit-time window and
//! minimum size every row must pass, the default utilisation and the time shift.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::RawTrace;
use crate::input::trace::Filter;
use crate::time::SimTime;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Reads `from`, `until` (default: the horizon) and `min_devices`.
pub(super) fn filter(
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
