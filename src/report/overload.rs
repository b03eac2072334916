//! Overload warnings from what a run measured: devices saturated with work still queued at the
//! horizon (offered load at or above capacity), or a queue that grows to the horizon (the
//! run's waits have not settled, so its queue metrics depend on its length).

use crate::result::RunResult;

/// Share of busy device-time over the second half of the run above which capacity counts as
/// saturated [0..1].
pub const SATURATED_UTILIZATION: f64 = 0.98;
/// The queue counts as growing when its mean over the last fifth of the run exceeds this many
/// times its mean over the second fifth, plus one job…
pub const GROWTH_FACTOR: f64 = 1.5;
/// …and holds at least this many jobs per installed device (a handful of jobs waiting on a
/// large cluster is no trend) [1/device].
pub const GROWTH_FLOOR_PER_DEVICE: f64 = 0.01;

/// How the saturation warning starts.
pub const OVERLOADED: &str = "overloaded";
/// How the growing-queue warning starts.
pub const GROWING: &str = "queue still growing";

/// Whether a warning of [`warnings`] says the queue does not settle (either kind): its wait
/// metrics then grow with the run's length instead of converging.
pub fn unsettled(warning: &str) -> bool {
    warning.starts_with(OVERLOADED) || warning.starts_with(GROWING)
}

/// The kind of a warning: the prefix of one of [`warnings`]' messages, or the whole text.
fn kind(warning: &str) -> &str {
    [OVERLOADED, GROWING]
        .into_iter()
        .find(|k| warning.starts_with(k))
        .unwrap_or(warning)
}

/// The warnings of several runs of one scenario, one line per kind of warning: its first
/// message and how many of the `total` runs gave that kind, `… (k of n runs)`.
pub fn across_runs(runs: &[&[String]], total: u64) -> Vec<String> {
    let mut seen: Vec<&str> = vec![];
    let mut out = vec![];
    for w in runs.iter().flat_map(|r| r.iter()) {
        let k = kind(w);
        if seen.contains(&k) {
            continue;
        }
        seen.push(k);
        let n = runs
            .iter()
            .filter(|r| r.iter().any(|x| kind(x) == k))
            .count();
        out.push(format!("{w} ({n} of {total} runs)"));
    }
    out
}

/// Time-weighted means over the intervals in `[from, to)` [ms] of (busy devices, queued jobs).
fn means(r: &RunResult, from: u64, to: u64) -> (f64, f64) {
    let (mut busy, mut queued, mut hours) = (0.0, 0.0, 0.0);
    for i in r
        .intervals
        .iter()
        .filter(|i| i.start_ms >= from && i.end_ms <= to)
    {
        busy += i.busy_device_hours;
        queued += i.queued_job_hours;
        hours += crate::time::ms_to_hours(i.end_ms - i.start_ms);
    }
    if hours == 0.0 {
        return (0.0, 0.0);
    }
    (busy / hours, queued / hours)
}

/// The two windows [ms] whose mean queues are compared for a trend: one period long (a week
/// for runs of four weeks or more, a day for runs of four days or more, so that weekly and
/// daily load cycles compare like with like), the second period of the run and the last
/// whole period aligned with it; a fifth of the run each (the second and the last) for
/// shorter runs.
fn trend_windows(h: u64) -> ((u64, u64), (u64, u64), &'static str) {
    let week = 7 * crate::time::MS_PER_DAY;
    let period = [(week, "week"), (crate::time::MS_PER_DAY, "day")]
        .into_iter()
        .find(|(p, _)| h >= 4 * p);
    match period {
        Some((p, name)) => {
            let last = (h - p) / p * p;
            ((p, 2 * p), (last, last + p), name)
        }
        None => ((h / 5, 2 * h / 5), (4 * h / 5, h), "fifth"),
    }
}

/// The overload warnings of a run (empty when none applies). Needs at least ten output
/// intervals; a shorter time series says nothing about a trend.
pub fn warnings(r: &RunResult) -> Vec<String> {
    let mut out = vec![];
    let h = r.horizon_ms;
    // The mean installed devices (all of them unless pools come and go).
    let installed = r.installed_device_hours / crate::time::ms_to_hours(h);
    if r.intervals.len() < 10 || installed <= 0.0 {
        return out;
    }
    let queued_at_end = r.job_stats.queued;
    let (busy, _) = means(r, h / 2, h);
    let utilization = busy / installed;
    if utilization >= SATURATED_UTILIZATION && queued_at_end > 0 {
        out.push(format!(
            "{OVERLOADED}: devices are {:.1} % busy over the second half of the run and {queued_at_end} jobs are still queued at the horizon — the offered load is at or above capacity; add capacity or lower the load",
            utilization * 100.0
        ));
    }
    let ((e0, e1), (l0, l1), span) = trend_windows(h);
    let (_, early) = means(r, e0, e1);
    let (_, late) = means(r, l0, l1);
    let floor = GROWTH_FLOOR_PER_DEVICE * installed;
    if late > GROWTH_FACTOR * early + 1.0 && late >= floor {
        out.push(format!(
            "{GROWING} at the horizon: {late:.1} jobs wait on average over the last {span} of the run against {early:.1} over the second — queue metrics depend on the run's length; lengthen the horizon (or add capacity) before trusting waits"
        ));
    }
    out
}
