//! What a run will cost before it starts: an estimate of its events (jobs and their load
//! changes, and the meter's segments at rate edges and output intervals) and of the bytes it
//! writes (`jobs.csv`, `timeseries.csv`), each with the scenario key that drives it, checked
//! against documented limits that `--max-events` and `--max-output-gb` raise. A scenario that
//! validates can still be a resource bomb (a 1 ms load cycle over a century, 10⁸ jobs); this
//! says so before any work is done.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use crate::meter::Pricer as _;
use crate::model::scenario::Scenario;
use crate::model::workload::LoadProfile;
use crate::report::format::TableFormat;
use crate::time::SimTime;
use std::path::Path;

/// Most events (and meter segments) one run may be estimated at, by default [count]: about
/// 40 minutes of a 1,000-device M/M/c at the engine's measured 4 M events/s.
pub const DEFAULT_MAX_EVENTS: f64 = 1e10;
/// Most output one run may be estimated to write, by default [GB].
pub const DEFAULT_MAX_OUTPUT_GB: f64 = 20.0;
/// Bytes of a `jobs.csv` row (measured: 240 MB for 1,000,000 jobs) [B].
const JOB_ROW_BYTES: f64 = 250.0;
/// Bytes of a `timeseries.csv` row, plus per pool [B].
const INTERVAL_ROW_BYTES: f64 = 300.0;
const POOL_COLUMN_BYTES: f64 = 20.0;
/// The size of a table in a format against its CSV [-] (measured on the 1,000,000-job
/// M/M/c: `jobs.parquet` 68 MB against 243 MB of CSV; the quickstart's `timeseries.parquet`
/// 19 KB against 41 KB).
fn share_of_csv(format: TableFormat, parquet_share: f64) -> f64 {
    match format {
        TableFormat::Csv => 1.0,
        TableFormat::Parquet => parquet_share,
        TableFormat::None => 0.0,
    }
}

/// Edges a rate source is followed for before its rate is extrapolated [count].
const EDGE_SAMPLE: usize = 500;

/// What a run is allowed to cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Most estimated events and meter segments [count].
    pub max_events: f64,
    /// Most estimated output [GB].
    pub max_output_gb: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_events: DEFAULT_MAX_EVENTS,
            max_output_gb: DEFAULT_MAX_OUTPUT_GB,
        }
    }
}

/// One part of an estimate: its size and the key that drives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The key path in the scenario (`workloads[0].load_profile` when displayed).
    pub key: KeyPath,
    /// Events, or bytes.
    pub amount: f64,
}

/// The estimated cost of a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Estimate {
    /// Events and meter segments, by what causes them.
    pub events: Vec<Part>,
    /// Output bytes, by file.
    pub output_bytes: Vec<Part>,
    /// Jobs expected [count].
    pub jobs: f64,
}

impl Estimate {
    /// Total events [count].
    pub fn total_events(&self) -> f64 {
        self.events.iter().map(|p| p.amount).sum()
    }

    /// Total output [B].
    pub fn total_output_bytes(&self) -> f64 {
        self.output_bytes.iter().map(|p| p.amount).sum()
    }

    /// The largest part of `parts`.
    fn largest(parts: &[Part]) -> Option<&Part> {
        parts.iter().max_by(|a, b| a.amount.total_cmp(&b.amount))
    }
}

/// Estimates what running `s` costs; `jobs_table` says whether the job table is written (in
/// the format of `s.output`).
pub fn estimate(s: &Scenario, jobs_table: bool) -> Estimate {
    let horizon = s.horizon_ms;
    let root = KeyPath::default();
    let mut events = Vec::new();
    let mut jobs = 0.0;
    for (i, j) in s.jobs.iter().enumerate() {
        jobs += 1.0;
        let phases = phase_changes(j.profile.as_ref(), j.duration_ms as f64, horizon);
        events.push(Part {
            key: root.key("jobs").index(i),
            amount: 3.0 + phases,
        });
    }
    for (i, w) in s.workloads.iter().enumerate() {
        let n = w.jobs_at_peak_rate(horizon);
        let n = w.max_jobs.map_or(n, |m| n.min(m as f64));
        jobs += n;
        let mean_ms = w.mean_run_ms(&s.pools).min(horizon as f64);
        let phases = phase_changes(w.profile.as_ref(), mean_ms, horizon);
        let at = root.key("workloads").index(i);
        events.push(Part {
            key: at.key("arrival"),
            amount: n * 3.0,
        });
        if phases > 0.0 {
            events.push(Part {
                key: at.key("load_profile"),
                amount: n * phases,
            });
        }
    }
    let site = &s.site;
    let rates: [(&str, &str, &NextEdge); 3] = [
        ("carbon", "intensity", &|t| {
            site.grid.average.next_edge_after(t)
        }),
        ("carbon", "marginal", &|t| {
            site.grid
                .marginal
                .as_ref()
                .and_then(|m| m.next_edge_after(t))
        }),
        ("facility", "weather", &|t| site.facility.next_edge_after(t)),
    ];
    for (section, key, next) in rates {
        events.push(Part {
            key: root.key(section).key(key),
            amount: edges(next, horizon),
        });
    }
    let biller = crate::model::tariff::Biller::new(
        &site.tariff,
        s.calendar.start.timestamp_millis(),
        horizon,
    );
    events.push(Part {
        key: root.key("tariff"),
        amount: edges(&|t| biller.next_edge_after(t), horizon),
    });
    let intervals = horizon.div_ceil(s.output_interval_ms.max(1)) as f64;
    let interval_key = root.key("simulation").key("output_interval");
    events.push(Part {
        key: interval_key.clone(),
        amount: intervals,
    });
    let mut output_bytes = vec![Part {
        key: interval_key,
        amount: intervals
            * (INTERVAL_ROW_BYTES + POOL_COLUMN_BYTES * s.pools.len() as f64)
            * share_of_csv(s.output.timeseries, 0.5),
    }];
    if jobs_table {
        // The jobs come mostly from the largest source of arrivals.
        let key = Estimate::largest(&events)
            .filter(|p| p.key.to_string().starts_with("workloads"))
            .map_or_else(|| root.key("jobs"), |p| p.key.clone());
        output_bytes.push(Part {
            key,
            amount: jobs * JOB_ROW_BYTES * share_of_csv(s.output.jobs, 0.3),
        });
    }
    events.retain(|p| p.amount > 0.0);
    Estimate {
        events,
        output_bytes,
        jobs,
    }
}

/// When a rate next changes after a time [ms].
type NextEdge<'a> = dyn Fn(SimTime) -> Option<SimTime> + 'a;

/// Load changes of one job of mean length `mean_ms` under `profile` [count].
fn phase_changes(profile: Option<&LoadProfile>, mean_ms: f64, horizon: SimTime) -> f64 {
    let Some(p) = profile else {
        return 0.0;
    };
    let once = p.phases.len() as f64;
    let period: SimTime = p.cycle.iter().map(|(len, _)| len).sum();
    if period == 0 {
        return once;
    }
    let cycles = mean_ms.min(horizon as f64) / period as f64;
    once + cycles * p.cycle.len() as f64
}

/// Edges over `[0, horizon)` of a rate that next changes at `next(t)`: counted exactly up
/// to `EDGE_SAMPLE` edges, extrapolated at the sampled rate beyond.
fn edges(next: &NextEdge, horizon: SimTime) -> f64 {
    let mut t = 0;
    for n in 0..EDGE_SAMPLE {
        match next(t) {
            Some(e) if e < horizon && e > t => t = e,
            _ => return n as f64,
        }
    }
    EDGE_SAMPLE as f64 * horizon as f64 / t.max(1) as f64
}

/// Estimates `s` and refuses it when it exceeds `limits`, naming the key that drives the
/// estimate (located in the file at `path` with text `source`) and how to go on.
pub fn check(
    s: &Scenario,
    path: &Path,
    source: &str,
    limits: &Limits,
    jobs_table: bool,
) -> Result<Estimate, ScenarioError> {
    let e = estimate(s, jobs_table);
    let ctx = Ctx::file(path, source);
    let events = e.total_events();
    if events > limits.max_events
        && let Some(part) = Estimate::largest(&e.events)
    {
        return Err(ctx.err(
                &part.key,
                format!("about {} events", sci(part.amount)),
                format!(
                    "the run is estimated at {} events and meter segments in all, more than the limit of {}",
                    sci(events),
                    sci(limits.max_events)
                ),
                "make this coarser or the horizon shorter, or raise the limit with --max-events (a run handles about 4 million events a second)",
            ));
    }
    let gb = e.total_output_bytes() / 1e9;
    if gb > limits.max_output_gb
        && let Some(part) = Estimate::largest(&e.output_bytes)
    {
        return Err(ctx.err(
            &part.key,
            format!("about {:.1} GB", part.amount / 1e9),
            format!(
                "the run is estimated to write {gb:.1} GB, more than the limit of {} GB",
                limits.max_output_gb
            ),
            "shorten the run, coarsen output_interval, write the tables as Parquet or not at all (--jobs / --timeseries parquet|none), or raise the limit with --max-output-gb",
        ));
    }
    Ok(e)
}

/// A count in scientific notation with three significant digits (`1.23e12`).
fn sci(x: f64) -> String {
    if x < 1e6 {
        format!("{x:.0}")
    } else {
        format!("{x:.2e}")
    }
}
