//! The result of one run as plain data: per-interval meters, per-job records (or their running
//! aggregates when jobs are streamed to a sink), the idle share and totals. Reports and charts
//! read only this.

pub mod bill;
pub mod job;
pub mod tco;

pub use bill::{Bill, BillLine, LineItem, MonthBill};
pub use job::{
    Discard, JobNames, JobOrigin, JobOutcome, JobRecord, JobSink, JobStats, TenantTotals,
};

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
    /// ∫ outdoor temperature dt [°C·h] over `weather_hours`.
    pub outdoor_c_hours: f64,
    /// Hours with a known outdoor temperature [h].
    pub weather_hours: f64,
    /// IT energy of each pool [kWh].
    pub pool_it_kwh: Vec<f64>,
    /// Power management over the interval.
    pub power: IntervalPower,
}

/// Power management over one output interval.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IntervalPower {
    /// The lowest power limit in force [kW] (`None`: no budget, or none in force).
    pub limit_kw: Option<f64>,
    /// ∫ powered-off nodes dt [node·h].
    pub off_node_hours: f64,
    /// ∫ booting nodes dt [node·h].
    pub booting_node_hours: f64,
    /// ∫ mean device cap dt [W·h] (the mean over all devices of the cap in force, a
    /// device's maximum draw when uncapped; 0 without a budget that caps).
    pub cap_w_hours: f64,
}

impl IntervalRecord {
    /// Interval length [h].
    pub fn hours(&self) -> f64 {
        crate::time::ms_to_hours(self.end_ms - self.start_ms)
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
    /// Power management over the run.
    pub power: PowerTotals,
}

/// What power management did over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PowerTotals {
    /// Time during which the limited power (facility or IT) was above the limit [s].
    pub budget_exceeded_s: f64,
    /// ∫ (limited power − limit) dt over that time [kWh].
    pub budget_exceeded_kwh: f64,
    /// ∫ busy devices under a lowered runtime cap dt [device·h].
    pub capped_device_hours: f64,
    /// ∫ powered-off nodes dt [node·h].
    pub node_off_hours: f64,
    /// IT energy drawn by booting nodes [kWh].
    pub boot_energy_kwh: f64,
    /// Jobs that were refused a start at least once for power [count].
    pub jobs_held_for_power: u64,
    /// Jobs held back at least once for peak shaving [count].
    pub jobs_held_for_shaving: u64,
    /// Node boots [count].
    pub boots: u64,
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

/// Everything one run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Scenario name.
    pub scenario: String,
    /// Seed the run used.
    pub seed: u64,
    /// Name of the scheduling policy that ran.
    pub policy: String,
    /// Name of the power manager that ran.
    pub power_manager: String,
    /// Maps simulation time to UTC.
    pub calendar: Calendar,
    /// Simulated span [ms].
    pub horizon_ms: SimTime,
    /// Output interval [ms].
    pub output_interval_ms: SimTime,
    /// Currency label.
    pub currency: String,
    /// The most devices installed at once [count] (every pool's, unless pools are installed
    /// or retired during the run).
    pub installed_devices: u64,
    /// Devices installed, integrated over the run [device·h]: the utilisation denominator.
    pub installed_device_hours: f64,
    /// The scenario's warnings about its inputs (also printed before the run).
    pub notes: Vec<String>,
    /// Work of the FLOP-sized jobs completed in the run [FLOP]; `None` when no job is sized
    /// in FLOPs.
    pub flops_done: Option<f64>,
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
    /// The cost of ownership beside the bill, when the scenario prices its hardware.
    pub tco: Option<tco::Tco>,
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
