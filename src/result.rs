//! The result of one run as plain data: per-interval meters, per-job records (or their running
//! aggregates when jobs are streamed to a sink), the idle share and totals. Reports and charts
//! read only this.

use crate::time::{Calendar, SimTime};

/// Energy, cost and carbon attributed to one consumer (a job, or idle capacity).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Attribution {
    /// IT energy [kWh].
    pub it_energy_kwh: f64,
    /// Facility energy (IT × PUE) [kWh].
    pub facility_energy_kwh: f64,
    /// Energy charges [currency] (demand, fixed charges and tax are billed per month).
    pub cost: f64,
    /// Location-based operational carbon [kgCO2e].
    pub carbon_kg: f64,
}

impl Attribution {
    /// Adds another attribution.
    #[inline]
    pub fn add(&mut self, other: &Attribution) {
        self.it_energy_kwh += other.it_energy_kwh;
        self.facility_energy_kwh += other.facility_energy_kwh;
        self.cost += other.cost;
        self.carbon_kg += other.carbon_kg;
    }
}

/// One output interval of the time series.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntervalRecord {
    /// Interval start [ms].
    pub start_ms: SimTime,
    /// Interval end [ms] (the horizon for a last, partial interval).
    pub end_ms: SimTime,
    /// Energy over the interval.
    pub totals: Attribution,
    /// Highest IT power in the interval [kW].
    pub peak_it_kw: f64,
    /// Highest facility power in the interval [kW].
    pub peak_facility_kw: f64,
    /// ∫ busy devices dt [device·h].
    pub busy_device_hours: f64,
    /// ∫ queued jobs dt [job·h].
    pub queued_job_hours: f64,
    /// Water used [L].
    pub water_l: f64,
    /// Marginal-intensity CO2e [kg].
    pub marginal_carbon_kg: f64,
    /// ∫ outdoor temperature dt [°C·h] over `weather_hours`.
    pub outdoor_c_hours: f64,
    /// Hours with a known outdoor temperature [h].
    pub weather_hours: f64,
    /// IT energy of each pool [kWh].
    pub pool_it_kwh: Vec<f64>,
}

impl IntervalRecord {
    /// Interval length [h].
    pub fn hours(&self) -> f64 {
        crate::time::ms_to_hours(self.end_ms - self.start_ms)
    }
}

/// What became of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// Finished within the horizon.
    Completed,
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
    };

    /// Queue wait [ms], for jobs that started.
    pub fn wait_ms(&self) -> Option<SimTime> {
        self.start_ms.map(|s| s - self.submit_ms)
    }
}

/// Run-wide totals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    /// Energy, cost and carbon of the whole run.
    pub energy: Attribution,
    /// Highest IT power [kW].
    pub peak_it_kw: f64,
    /// Highest facility power [kW].
    pub peak_facility_kw: f64,
    /// ∫ busy devices dt [device·h].
    pub busy_device_hours: f64,
    /// Water used [L].
    pub water_l: f64,
    /// Marginal-intensity CO2e [kg] (0 without a marginal series).
    pub marginal_carbon_kg: f64,
}

/// Carbon figures beyond the location-based total.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CarbonReport {
    /// Market-based CO2e [kg].
    pub market_kg: f64,
    /// Marginal CO2e [kg], when a marginal series was given.
    pub marginal_kg: Option<f64>,
    /// Embodied CO2e of the installed hardware amortised over the span [kg].
    pub embodied_kg: f64,
    /// Hourly carbon-free-energy score [0..1].
    pub cfe_score: f64,
}

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
        match job.origin {
            JobOrigin::Explicit(i) => self.jobs[i as usize].clone(),
            JobOrigin::Generated { workload, seq } => {
                format!("{}-{}", self.workloads[workload as usize], seq)
            }
            JobOrigin::Trace { trace, row } => format!("{}-{}", self.traces[trace as usize], row),
            JobOrigin::Replica { service, seq } => {
                format!("{}-r{}", self.services[service as usize], seq)
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
            JobOutcome::Running => &mut self.running,
            JobOutcome::Queued => &mut self.queued,
            JobOutcome::Rejected(_) => &mut self.rejected,
        } += 1;
        if let Some(w) = job.wait_ms() {
            self.waits.add(w);
        }
    }
}

/// Everything one run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Scenario name.
    pub scenario: String,
    /// Seed the run used.
    pub seed: u64,
    /// Name of the scheduling policy that ran.
    pub policy: String,
    /// Maps simulation time to UTC.
    pub calendar: Calendar,
    /// Simulated span [ms].
    pub horizon_ms: SimTime,
    /// Output interval [ms].
    pub output_interval_ms: SimTime,
    /// Currency label.
    pub currency: String,
    /// Installed devices [count].
    pub installed_devices: u64,
    /// Names of pools, jobs, workloads, traces, services and tenants.
    pub names: JobNames,
    /// Replica-hours a service wanted but could not place [replica·h].
    pub unplaced_replica_hours: f64,
    /// Trace rows not replayed: (trace, reason, rows), in first-seen order.
    pub trace_skips: Vec<(String, String, u64)>,
    /// Trace rows replayed as jobs [count].
    pub trace_rows_used: u64,
    /// The time series.
    pub intervals: Vec<IntervalRecord>,
    /// Every job, in id order — filled by [`crate::sim::run`] only; a run that streams its
    /// jobs to a sink leaves this empty.
    pub jobs: Vec<JobRecord>,
    /// Aggregates over every job (filled either way).
    pub job_stats: JobStats,
    /// Most jobs in the run at once (queued, running, or rejected the moment they arrived)
    /// [count]: what the job table grows to when jobs are streamed out, however many jobs
    /// passed through it.
    pub peak_live_jobs: u64,
    /// Energy of capacity no job held (idle devices and their host share).
    pub idle: Attribution,
    /// Totals.
    pub totals: Totals,
    /// Events the engine processed [count].
    pub events: u64,
    /// The monthly bill.
    pub bill: Bill,
    /// Market-based, marginal and embodied carbon.
    pub carbon: CarbonReport,
}

impl RunResult {
    /// The display name of a job: its `[[jobs]]` name, or `<workload>-<seq>`.
    pub fn job_name(&self, job: &JobRecord) -> String {
        self.names.job_name(job)
    }

    /// The workload a job came from, empty for explicit jobs.
    pub fn workload_name(&self, job: &JobRecord) -> &str {
        self.names.workload_name(job)
    }

    /// Tenant names, indexed by `JobRecord::tenant`.
    pub fn tenants(&self) -> &[String] {
        &self.names.tenants
    }
}

/// Kinds of bill line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineItem {
    /// Energy charge (per kWh).
    Energy,
    /// Demand charge (per kW-month).
    Demand,
    /// Fixed customer charge.
    Fixed,
    /// Tax or surcharge.
    Tax,
}

impl LineItem {
    /// The label in `bill.csv`.
    pub fn label(self) -> &'static str {
        match self {
            LineItem::Energy => "energy",
            LineItem::Demand => "demand",
            LineItem::Fixed => "fixed",
            LineItem::Tax => "tax",
        }
    }
}

/// One line of a monthly bill.
#[derive(Debug, Clone, PartialEq)]
pub struct BillLine {
    /// What kind of charge.
    pub item: LineItem,
    /// Period or charge name.
    pub name: String,
    /// Tier number from 1, where the charge has tiers.
    pub tier: Option<usize>,
    /// Billed quantity in `unit`.
    pub quantity: f64,
    /// `kWh`, `kW`, `month`, `day` or `currency`.
    pub unit: &'static str,
    /// Price per unit [currency/unit] (a fraction for tax).
    pub rate: f64,
    /// Amount [currency].
    pub amount: f64,
    /// Start of the demand interval that set the peak [ms].
    pub peak_at_ms: Option<SimTime>,
    /// Remarks (partial month, ratchet).
    pub note: String,
}

/// One billing month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthBill {
    /// `YYYY-MM` in the tariff's time zone.
    pub label: String,
    /// Covered span [ms].
    pub start_ms: SimTime,
    /// End of the covered span [ms].
    pub end_ms: SimTime,
    /// Covered share of the calendar month [0..1].
    pub fraction: f64,
    /// The lines.
    pub lines: Vec<BillLine>,
}

impl MonthBill {
    /// The month's total [currency].
    pub fn total(&self) -> f64 {
        // A fold from +0.0: an empty f64 sum is −0.0, which would print as "-0".
        self.lines.iter().fold(0.0, |sum, l| sum + l.amount)
    }
}

/// The bill of a run: one entry per billing month.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bill {
    /// Currency label.
    pub currency: String,
    /// Months in order.
    pub months: Vec<MonthBill>,
}

impl Bill {
    /// Sum of the lines of one kind [currency].
    pub fn sum(&self, item: LineItem) -> f64 {
        self.months
            .iter()
            .flat_map(|m| &m.lines)
            .filter(|l| l.item == item)
            .fold(0.0, |sum, l| sum + l.amount)
    }

    /// Sum of the months' totals [currency].
    pub fn total(&self) -> f64 {
        self.months.iter().fold(0.0, |sum, m| sum + m.total())
    }
}
