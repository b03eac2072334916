//! The search of a capacity plan: bisection for the smallest value meeting every target
//! (assuming more capacity never hurts), the judgement of one probed value, and the checks of
//! that assumption and of each probe's precision.

use crate::scenario::plan::{Bound, Decide, PlanSpec};
use crate::sweep::record::RunRecord;
use crate::sweep::stats::Stats;

/// Above this half-width of the 95 % interval, as a share of the mean, replications are said
/// to disagree (the run is likely too short for the metric) [0..1].
pub const DISAGREE_SHARE: f64 = 0.25;

/// One probed value of the sized key.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// The value.
    pub value: i64,
    /// Runs made [count].
    pub runs: usize,
    /// Of which failed [count].
    pub failed: usize,
    /// The first failure (or why the value's scenario is invalid).
    pub error: Option<String>,
    /// Statistics of every summary metric over the runs, in summary order.
    pub metrics: Vec<(String, Stats)>,
    /// Whether every target is met (no run failed, and the value serves the workload).
    pub met: bool,
    /// Why the value cannot serve the workload whatever its metrics say, if so: its queue
    /// does not settle (waits grow with the horizon), or jobs that fit at `max` never start.
    pub unsettled: Option<String>,
    /// What makes the judgement doubtful, or the runs suspect.
    pub warnings: Vec<String>,
}

impl Probe {
    /// The statistics of `metric`, if measured.
    pub fn stat(&self, metric: &str) -> Option<&Stats> {
        self.metrics
            .iter()
            .find(|(k, _)| k == metric)
            .map(|(_, s)| s)
    }
}

/// The value of `s` a target is judged on: the mean, or the interval's end on the wrong side
/// of the bound.
fn judged(decide: Decide, bound: Bound, s: &Stats) -> f64 {
    match (decide, bound) {
        (Decide::Mean, _) => s.mean,
        (Decide::UpperCi, Bound::AtMost(_)) => s.ci95_high,
        (Decide::UpperCi, Bound::AtLeast(_)) => s.ci95_low,
    }
}

/// Whether `probe` meets every target of `spec`.
pub fn judge(spec: &PlanSpec, probe: &Probe) -> bool {
    spec.targets.iter().all(|t| {
        probe
            .stat(&t.metric)
            .is_some_and(|s| t.bound.met_by(judged(spec.decide, t.bound, s)))
    })
}

/// How far a probe is from meeting its worst target, relative to the bound (0 when met).
fn shortfall(spec: &PlanSpec, probe: &Probe) -> f64 {
    spec.targets
        .iter()
        .map(|t| match probe.stat(&t.metric) {
            None => f64::INFINITY,
            Some(s) => {
                let x = judged(spec.decide, t.bound, s);
                let scale = t.bound.value().abs().max(f64::MIN_POSITIVE);
                match t.bound {
                    Bound::AtMost(b) => (x - b) / scale,
                    Bound::AtLeast(b) => (b - x) / scale,
                }
                .max(0.0)
            }
        })
        .fold(0.0, f64::max)
}

/// The warnings of one probe: targets whose interval straddles the bound, metrics whose
/// replications disagree, and the runs' own overload warnings.
pub fn warnings(spec: &PlanSpec, probe: &Probe, runs: &[RunRecord]) -> Vec<String> {
    let mut out = vec![];
    for t in &spec.targets {
        let Some(s) = probe.stat(&t.metric) else {
            continue;
        };
        let b = t.bound.value();
        if s.n > 1 && s.ci95_low < b && b < s.ci95_high {
            out.push(format!(
                "{} = {} (95 % CI {} … {}) straddles the target {} {b}: more replications or a longer horizon would settle it",
                t.metric,
                fmt(s.mean),
                fmt(s.ci95_low),
                fmt(s.ci95_high),
                t.bound.name()
            ));
        }
        let half = (s.ci95_high - s.ci95_low) / 2.0;
        if s.n > 1 && s.mean.abs() > 0.0 && half > DISAGREE_SHARE * s.mean.abs() {
            out.push(format!(
                "replications disagree on {}: the 95 % CI is ±{:.0} % of the mean — the run is likely too short for this metric; lengthen the horizon",
                t.metric,
                half / s.mean.abs() * 100.0
            ));
        }
    }
    let lists: Vec<&[String]> = runs.iter().map(|r| r.warnings.as_slice()).collect();
    out.extend(crate::report::overload::across_runs(
        &lists,
        runs.len() as u64,
    ));
    out
}

/// A number for messages: 4 significant digits.
fn fmt(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

/// The outcome of sizing one alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct Sized {
    /// The alternative's label.
    pub label: String,
    /// Every probed value, in increasing order.
    pub probes: Vec<Probe>,
    /// The smallest value meeting every target, if any in the range does.
    pub answer: Option<i64>,
    /// Without an answer: the probed value closest to meeting the targets.
    pub best: Option<i64>,
    /// Checks of the search's assumptions that failed (a metric that is not monotone).
    pub notes: Vec<String>,
}

impl Sized {
    /// The probe at `value`.
    pub fn probe(&self, value: i64) -> Option<&Probe> {
        self.probes.iter().find(|p| p.value == value)
    }
}

/// Sizes one alternative between `spec.min` and `spec.max`: probes `max` (no answer when it
/// fails), then `min` (the answer when it meets), then bisects; `evaluate` runs one value.
/// About 2 + log2(max − min) probes.
pub fn size(spec: &PlanSpec, label: &str, evaluate: &mut dyn FnMut(i64) -> Probe) -> Sized {
    let mut probes: Vec<Probe> = vec![];
    // Jobs that can never run at a value (too big for it) but can at `max` are not served:
    // such a value misses, whatever the waits of the jobs that did run say.
    let rejected = |p: &Probe| p.stat("jobs_rejected").map_or(0.0, |s| s.mean);
    let mut baseline: Option<f64> = None;
    let mut probe = |v: i64, probes: &mut Vec<Probe>| -> bool {
        let mut p = evaluate(v);
        let base = *baseline.get_or_insert(rejected(&p));
        if rejected(&p) > base {
            p.met = false;
            p.unsettled = Some(format!(
                "{} jobs per run could never start at this size ({base} at {} = {})",
                rejected(&p),
                spec.vary,
                spec.max
            ));
        }
        let met = p.met;
        probes.push(p);
        met
    };
    let answer = if !probe(spec.max, &mut probes) {
        None
    } else if spec.min == spec.max || probe(spec.min, &mut probes) {
        Some(spec.min)
    } else {
        let (mut lo, mut hi) = (spec.min, spec.max);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if probe(mid, &mut probes) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(hi)
    };
    if answer.is_none() && spec.min < spec.max {
        // The range's other end, so the report shows how far off both ends are.
        probe(spec.min, &mut probes);
    }
    probes.sort_by_key(|p| p.value);
    let best = match answer {
        Some(_) => None,
        None => probes
            .iter()
            .filter(|p| p.failed == 0 && p.error.is_none())
            .min_by(|a, b| {
                shortfall(spec, a)
                    .total_cmp(&shortfall(spec, b))
                    .then(a.value.cmp(&b.value))
            })
            .map(|p| p.value),
    };
    let notes = monotony_notes(spec, &probes);
    Sized {
        label: label.to_string(),
        probes,
        answer,
        best,
        notes,
    }
}

/// Where the probes contradict the assumption that more capacity never hurts: a target met
/// at a value but not at a larger one, or a target metric that gets worse with capacity by
/// more than the two probes' intervals allow.
fn monotony_notes(spec: &PlanSpec, probes: &[Probe]) -> Vec<String> {
    let mut notes = vec![];
    for (i, a) in probes.iter().enumerate() {
        if let Some(b) = probes[i + 1..]
            .iter()
            .find(|b| a.met && !b.met && b.error.is_none())
        {
            notes.push(format!(
                "not monotone: the targets are met at {} = {} but not at {} — the answer is the smallest value the bisection found, and a smaller one may exist",
                spec.vary, a.value, b.value
            ));
            break;
        }
    }
    // Metrics of values that do not serve the workload say nothing about the trend.
    let settled: Vec<&Probe> = probes.iter().filter(|p| p.unsettled.is_none()).collect();
    for t in &spec.targets {
        for pair in settled.windows(2) {
            let (Some(x), Some(y)) = (pair[0].stat(&t.metric), pair[1].stat(&t.metric)) else {
                continue;
            };
            let worse = match t.bound {
                Bound::AtMost(_) => y.mean - x.mean,
                Bound::AtLeast(_) => x.mean - y.mean,
            };
            let noise = (x.ci95_high - x.ci95_low + y.ci95_high - y.ci95_low) / 2.0;
            let tiny = 1e-9 * x.mean.abs().max(y.mean.abs());
            if worse > noise + tiny {
                notes.push(format!(
                    "not monotone: {} gets worse with more capacity, {} at {} = {} but {} at {}",
                    t.metric,
                    fmt(x.mean),
                    spec.vary,
                    pair[0].value,
                    fmt(y.mean),
                    pair[1].value
                ));
                break;
            }
        }
    }
    notes
}
