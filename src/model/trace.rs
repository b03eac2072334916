//! Trace replay as the simulation sees it: a stream of jobs (or of rows skipped, with the
//! reason) read lazily from a job trace, so memory does not grow with the trace's length.

use crate::time::SimTime;

/// One row of a trace, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum TraceItem {
    /// A job to submit.
    Job(TraceJob),
    /// A row that cannot be used, and why.
    Skip(&'static str),
}

/// Rows skipped, by reason, in the order reasons were first seen.
pub type SkipCounts = Vec<(&'static str, u64)>;

/// Counts one more row skipped for `reason`.
pub fn count_skip(skips: &mut SkipCounts, reason: &'static str) {
    match skips.iter_mut().find(|(r, _)| *r == reason) {
        Some(entry) => entry.1 += 1,
        None => skips.push((reason, 1)),
    }
}

/// A job from a trace.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceJob {
    /// Submission time [ms since the simulation start].
    pub submit_ms: SimTime,
    /// Devices [count].
    pub devices: u32,
    /// Share of one device [thousandths] (1000 = whole devices).
    pub share_milli: u32,
    /// Run time (wall, or on the trace's reference device) [ms].
    pub duration_ms: SimTime,
    /// Utilisation [0..1].
    pub utilization: f64,
    /// Tenant, when the trace names one.
    pub tenant: Option<String>,
    /// Requested wall time [ms], when the trace has one (SWF field 9).
    pub walltime_ms: Option<SimTime>,
    /// Its row in the file (from 1) when the source reorders rows; `None`: its position in
    /// the stream, which is the file row for sources read in file order.
    pub row: Option<u64>,
}

/// Opens a fresh stream of a trace's rows (one per run).
pub trait TraceSource: std::fmt::Debug + Send + Sync {
    /// The rows, in file order.
    fn open(&self) -> Box<dyn Iterator<Item = TraceItem> + Send>;
}

/// A replayed trace.
#[derive(Debug, Clone)]
pub struct Trace {
    /// Name (for job names `<name>-<row>` and skip counts).
    pub name: String,
    /// Where rows come from.
    pub source: std::sync::Arc<dyn TraceSource>,
    /// Pool the jobs must run on, or any.
    pub pool: Option<usize>,
    /// How durations are read.
    pub work: super::work::Work,
    /// Per-device throughput overrides.
    pub speeds: super::work::Speeds,
    /// Wall time, deadline and priority of its jobs (a row's requested time wins).
    pub terms: super::terms::JobTerms,
}
