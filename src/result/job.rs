//! The jobs of a run: where each came from, what became of it, its record with its share of
//! energy, cost and carbon; the names records index into; the sink jobs leave the run through;
//! and the aggregates kept as they leave.

use super::Attribution;
use crate::time::SimTime;

/// What became of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Finished within the horizon.
    Completed,
    /// Ended at its wall time before its work was done (as Slurm's `TIMEOUT`).
    Timeout,
    /// Still running at the horizon (energy counted up to the horizon).
    Running,
    /// A service replica removed by the autoscaler.
    ScaledIn,
    /// Still waiting at the horizon.
    Queued,
    /// Could never run; the reason says why.
    Rejected(String),
}

impl JobOutcome {
    /// The label written to `jobs.csv`.
    pub fn label(&self) -> &'static str {
        match self {
            JobOutcome::Completed => "completed",
            JobOutcome::Timeout => "timeout",
            JobOutcome::Running => "running_at_horizon",
            JobOutcome::ScaledIn => "scaled_in",
            JobOutcome::Queued => "queued_at_horizon",
            JobOutcome::Rejected(_) => "rejected",
        }
    }
}

/// Where a job came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOrigin {
    /// The n-th `[[jobs]]` entry.
    Explicit(u32),
    /// The `seq`-th job (from 1) of the n-th `[[workloads]]` entry.
    Generated {
        /// Workload index.
        workload: u32,
        /// Sequence number within the workload, from 1.
        seq: u64,
    },
    /// The `seq`-th replica (from 1) of the n-th `[[services]]` entry.
    Replica {
        /// Service index.
        service: u32,
        /// Replica sequence number, from 1.
        seq: u64,
    },
    /// A job of the n-th `[[traces]]` entry, from its `row`-th data row (from 1).
    Trace {
        /// Trace index.
        trace: u32,
        /// Data row, from 1.
        row: u64,
    },
}

/// One job of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    /// Job number, from 1, in the order jobs were created (submitted or rejected).
    pub id: u64,
    /// Where it came from.
    pub origin: JobOrigin,
    /// Submission time [ms].
    pub submit_ms: SimTime,
    /// Start time [ms].
    pub start_ms: Option<SimTime>,
    /// End time [ms] (finish, or the horizon for a running job).
    pub end_ms: Option<SimTime>,
    /// Devices requested [count].
    pub devices: u32,
    /// Devices held (whole nodes for multi-node jobs; 0 for a share of a device) [count].
    pub held_devices: u32,
    /// Share of one device for a fractional job [thousandths]; 1000 = whole devices.
    pub share_milli: u32,
    /// Run time [ms]: as stated until the job starts, then its wall time on the device it got
    /// (hardware-independent sizes are converted at the start).
    pub duration_ms: SimTime,
    /// Device utilisation [0..1].
    pub utilization: f64,
    /// Pool index it ran on.
    pub pool: Option<u32>,
    /// Tenant index (into `RunResult::tenants`).
    pub tenant: Option<u32>,
    /// IT power while running [µW].
    pub power_uw: u64,
    /// Its share of energy, cost and carbon.
    pub attribution: Attribution,
    /// What became of it.
    pub outcome: JobOutcome,
    /// Requested wall time [ms]: the job is ended there.
    pub walltime_ms: Option<SimTime>,
    /// Latest end [ms since the start], if it has a deadline.
    pub deadline_ms: Option<SimTime>,
    /// Priority [-].
    pub priority: i64,
    /// Time the policy held it back to a cleaner or cheaper start [ms].
    pub deferred_ms: SimTime,
    /// It ended after its deadline, timed out with one, or was still queued or running when
    /// its deadline passed within the horizon.
    pub missed_deadline: bool,
    /// It was refused a start at least once because the power budget had no room.
    pub held_for_power: bool,
    /// It was held back at least once to keep demand under the peak-shaving target.
    pub held_for_shaving: bool,
}

impl JobRecord {
    /// The fields a run fills in as a job goes (id, start, end, held devices, power,
    /// attribution; outcome queued), for `JobRecord { origin, …, ..JobRecord::UNSTARTED }`.
    pub const UNSTARTED: JobRecord = JobRecord {
        id: 0,
        origin: JobOrigin::Explicit(0),
        submit_ms: 0,
        start_ms: None,
        end_ms: None,
        devices: 0,
        held_devices: 0,
        share_milli: 1000,
        duration_ms: 0,
        utilization: 1.0,
        pool: None,
        tenant: None,
        power_uw: 0,
        attribution: Attribution {
            it_energy_kwh: 0.0,
            facility_energy_kwh: 0.0,
            cost: 0.0,
            carbon_kg: 0.0,
        },
        outcome: JobOutcome::Queued,
        walltime_ms: None,
        deadline_ms: None,
        priority: 0,
        deferred_ms: 0,
        missed_deadline: false,
        held_for_power: false,
        held_for_shaving: false,
    };

    /// Queue wait [ms], for jobs that started.
    pub fn wait_ms(&self) -> Option<SimTime> {
        self.start_ms.map(|s| s - self.submit_ms)
    }

    /// Bounded slowdown (Feitelson): `max(1, (wait + run) / max(run, 10 s))`, for batch jobs
    /// that ended (completed or timed out) [-].
    pub fn bounded_slowdown(&self) -> Option<f64> {
        if !matches!(self.outcome, JobOutcome::Completed | JobOutcome::Timeout)
            || matches!(self.origin, JobOrigin::Replica { .. })
        {
            return None;
        }
        let (start, end) = (self.start_ms?, self.end_ms?);
        let run = (end - start) as f64;
        let wait = (start - self.submit_ms) as f64;
        Some(((wait + run) / run.max(SLOWDOWN_BOUND_MS)).max(1.0))
    }
}

/// The bound of the bounded slowdown: runs shorter than this count as this long [ms].
pub const SLOWDOWN_BOUND_MS: f64 = 10_000.0;

/// The names a job's fields index into.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobNames {
    /// Pool names, indexed by `JobRecord::pool`.
    pub pools: Vec<String>,
    /// Names of explicit jobs, indexed by `JobOrigin::Explicit`.
    pub jobs: Vec<String>,
    /// Workload names.
    pub workloads: Vec<String>,
    /// Trace names.
    pub traces: Vec<String>,
    /// Service names.
    pub services: Vec<String>,
    /// Tenant names, indexed by `JobRecord::tenant` (trace replay adds tenants as it goes).
    pub tenants: Vec<String>,
}

impl JobNames {
    /// The display name of a job: its `[[jobs]]` name, or `<workload>-<seq>`.
    pub fn job_name(&self, job: &JobRecord) -> String {
        match self.job_name_parts(job) {
            (stem, _, None) => stem.to_string(),
            (stem, sep, Some(n)) => format!("{stem}{sep}{n}"),
        }
    }

    /// A job's name in parts: its stem and, for a job numbered within its source, a
    /// separator and the number (`mmc`, `-`, 53 for `mmc-53`), so a table can write it
    /// without building the text.
    #[inline]
    pub fn job_name_parts(&self, job: &JobRecord) -> (&str, &'static str, Option<u64>) {
        match job.origin {
            JobOrigin::Explicit(i) => (&self.jobs[i as usize], "", None),
            JobOrigin::Generated { workload, seq } => {
                (&self.workloads[workload as usize], "-", Some(seq))
            }
            JobOrigin::Trace { trace, row } => (&self.traces[trace as usize], "-", Some(row)),
            JobOrigin::Replica { service, seq } => {
                (&self.services[service as usize], "-r", Some(seq))
            }
        }
    }

    /// The workload, trace or service a job came from, empty for explicit jobs.
    pub fn workload_name(&self, job: &JobRecord) -> &str {
        match job.origin {
            JobOrigin::Explicit(_) => "",
            JobOrigin::Generated { workload, .. } => &self.workloads[workload as usize],
            JobOrigin::Trace { trace, .. } => &self.traces[trace as usize],
            JobOrigin::Replica { service, .. } => &self.services[service as usize],
        }
    }

    /// A job's tenant name, empty without one.
    pub fn tenant_name(&self, job: &JobRecord) -> &str {
        job.tenant.map_or("", |t| &self.tenants[t as usize])
    }
}

/// Receives every job of a run exactly once, when it leaves the simulation: when it finishes,
/// is scaled in or rejected, and at the horizon for jobs still running (then those still
/// queued or not yet submitted), each group in id order.
pub trait JobSink {
    /// Takes one finished job; `names` resolves its indices.
    fn job(&mut self, job: &JobRecord, names: &JobNames);
}

/// Drops every job (sweeps without per-run folders); the aggregates in `JobStats` remain.
#[derive(Debug, Clone, Copy, Default)]
pub struct Discard;

impl JobSink for Discard {
    fn job(&mut self, _job: &JobRecord, _names: &JobNames) {}
}

/// Jobs, device-hours and energy of one tenant.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TenantTotals {
    /// Jobs [count].
    pub jobs: u64,
    /// Devices requested × run time [device·h].
    pub device_hours: f64,
    /// Their share of energy, cost and carbon.
    pub attribution: Attribution,
}

impl TenantTotals {
    /// Adds another tenant's totals.
    fn merge(&mut self, other: &TenantTotals) {
        self.jobs += other.jobs;
        self.device_hours += other.device_hours;
        self.attribution.add(&other.attribution);
    }

    fn add(&mut self, job: &JobRecord) {
        self.jobs += 1;
        if let (Some(s), Some(e)) = (job.start_ms, job.end_ms) {
            self.device_hours += job.devices as f64 * crate::time::ms_to_hours(e - s);
        }
        self.attribution.add(&job.attribution);
    }
}

/// Aggregates over every job of a run, kept as jobs leave so no job needs to stay in memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobStats {
    /// Per tenant, indexed like `JobNames::tenants` (shorter when the last tenants have no
    /// finished job yet).
    pub tenants: Vec<TenantTotals>,
    /// Jobs without a tenant.
    pub no_tenant: TenantTotals,
    /// Jobs that finished or were scaled in [count].
    pub completed: u64,
    /// Jobs running at the horizon [count].
    pub running: u64,
    /// Jobs queued (or not yet submitted) at the horizon [count].
    pub queued: u64,
    /// Jobs that could never run [count].
    pub rejected: u64,
    /// Queue waits of jobs that started.
    pub waits: crate::waits::Waits,
    /// Jobs ended at their wall time [count].
    pub timed_out: u64,
    /// Jobs the policy held back [count].
    pub deferred: u64,
    /// Total hold of the deferred jobs [ms].
    pub deferral_ms: u64,
    /// Jobs that missed their deadline [count].
    pub deadlines_missed: u64,
    /// Sum of the bounded slowdowns [-] and the jobs they cover [count].
    pub slowdown_sum: f64,
    /// Jobs with a bounded slowdown [count].
    pub slowdown_jobs: u64,
    /// Jobs submitted before this [ms] are left out of the waits and slowdowns (warm-up).
    pub warmup_ms: SimTime,
}

impl JobStats {
    /// All jobs: the sum of the tenants' rows and the jobs without a tenant, in that order
    /// (so the rows of `tenants.csv` add up to it exactly as summed).
    pub fn all(&self) -> TenantTotals {
        let mut all = TenantTotals::default();
        for t in self.tenants.iter().chain([&self.no_tenant]) {
            all.merge(t);
        }
        all
    }

    /// Adds one job that left the run.
    pub fn record(&mut self, job: &JobRecord) {
        match job.tenant {
            Some(t) => {
                let t = t as usize;
                if t >= self.tenants.len() {
                    self.tenants.resize(t + 1, TenantTotals::default());
                }
                self.tenants[t].add(job);
            }
            None => self.no_tenant.add(job),
        }
        *match job.outcome {
            JobOutcome::Completed | JobOutcome::ScaledIn => &mut self.completed,
            JobOutcome::Timeout => &mut self.timed_out,
            JobOutcome::Running => &mut self.running,
            JobOutcome::Queued => &mut self.queued,
            JobOutcome::Rejected(_) => &mut self.rejected,
        } += 1;
        let measured = job.submit_ms >= self.warmup_ms;
        if let Some(w) = job.wait_ms().filter(|_| measured) {
            self.waits.add(w);
        }
        if job.deferred_ms > 0 {
            self.deferred += 1;
            self.deferral_ms += job.deferred_ms;
        }
        self.deadlines_missed += job.missed_deadline as u64;
        if let Some(s) = job.bounded_slowdown().filter(|_| measured) {
            self.slowdown_sum += s;
            self.slowdown_jobs += 1;
        }
    }

    /// Mean bounded slowdown of the jobs that ended [-] (0 when none did).
    pub fn mean_bounded_slowdown(&self) -> f64 {
        if self.slowdown_jobs == 0 {
            return 0.0;
        }
        self.slowdown_sum / self.slowdown_jobs as f64
    }

    /// Mean hold of the deferred jobs [s] (0 when none was deferred).
    pub fn mean_deferral_s(&self) -> f64 {
        if self.deferred == 0 {
            return 0.0;
        }
        self.deferral_ms as f64 / 1000.0 / self.deferred as f64
    }
}
