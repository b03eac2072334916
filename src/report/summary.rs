//! `summary.json`: run totals, attribution, job counts, queue waits and utilisation.

use crate::result::{LineItem, RunResult};
use crate::time::ms_to_hours;
use serde::Serialize;

/// The numeric metrics of [`Summary`] (every number but the seed), in field order: what a
/// sweep records per run and what a plan's targets may name.
pub const METRICS: &[&str] = &[
    "horizon_h",
    "installed_devices",
    "it_energy_kwh",
    "facility_energy_kwh",
    "average_pue",
    "energy_cost",
    "demand_cost",
    "fixed_cost",
    "tax_cost",
    "minimum_cost",
    "total_cost",
    "billing_months",
    "capex",
    "tco_total",
    "amortization_cost",
    "interest_cost",
    "maintenance_cost",
    "hosting_cost",
    "other_cost",
    "tco_per_month",
    "cost_per_device_hour",
    "cost_per_job",
    "energy_per_job_kwh",
    "pflop_done",
    "kwh_per_pflop",
    "carbon_kg",
    "carbon_location_kg",
    "carbon_market_kg",
    "carbon_marginal_kg",
    "carbon_embodied_kg",
    "cfe_score",
    "water_l",
    "peak_it_kw",
    "peak_facility_kw",
    "jobs_it_energy_kwh",
    "idle_it_energy_kwh",
    "jobs_cost",
    "idle_cost",
    "site_cost",
    "jobs_carbon_kg",
    "idle_carbon_kg",
    "jobs_submitted",
    "jobs_completed",
    "jobs_running_at_horizon",
    "jobs_queued_at_horizon",
    "jobs_rejected",
    "mean_wait_s",
    "p95_wait_s",
    "mean_bounded_slowdown",
    "jobs_timed_out",
    "jobs_deferred",
    "deadlines_missed",
    "mean_deferral_s",
    "budget_exceeded_s",
    "budget_exceeded_kwh",
    "capped_device_hours",
    "jobs_held_for_power",
    "jobs_held_for_shaving",
    "boot_energy_kwh",
    "node_off_hours",
    "boots",
    "device_busy_hours",
    "utilization",
    "events",
    "unplaced_replica_hours",
    "trace_rows_used",
    "trace_rows_skipped",
];

/// Hours of an average month (365.25 × 24 / 12) [h].
pub const HOURS_PER_MONTH: f64 = 730.5;

/// The totals of a run. Field names are a public contract (units in the names).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Seed used.
    pub seed: u64,
    /// Scheduling policy (`[scheduler] policy`).
    pub policy: String,
    /// Simulation start, RFC 3339 UTC.
    pub start: String,
    /// Simulated span [h].
    pub horizon_h: f64,
    /// Currency of the money figures.
    pub currency: String,
    /// Installed devices [count].
    pub installed_devices: u64,
    /// IT energy (devices + hosts) [kWh].
    pub it_energy_kwh: f64,
    /// Facility energy (IT × PUE) [kWh].
    pub facility_energy_kwh: f64,
    /// Energy-weighted mean PUE [-].
    pub average_pue: f64,
    /// Energy charges [currency].
    pub energy_cost: f64,
    /// Demand charges [currency].
    pub demand_cost: f64,
    /// Fixed customer charges [currency].
    pub fixed_cost: f64,
    /// Tax and surcharges [currency].
    pub tax_cost: f64,
    /// Top-ups of bills below the tariff's monthly or yearly minimum [currency].
    pub minimum_cost: f64,
    /// The whole bill: the sum of the monthly totals in `bill.csv` [currency].
    pub total_cost: f64,
    /// Billing months (calendar months in the tariff's time zone) [count].
    pub billing_months: u64,
    /// Capital cost of the installed hardware [currency]; `null` without `[costs]`.
    pub capex: Option<f64>,
    /// Total cost of ownership over the run: the bill plus capital repaid, interest,
    /// maintenance, hosting and other costs, the sum of `tco.csv` [currency]; `null` without
    /// `[costs]`.
    pub tco_total: Option<f64>,
    /// Capital repaid over the run (`tco.csv` `capex_amortization`) [currency].
    pub amortization_cost: Option<f64>,
    /// Interest over the run [currency].
    pub interest_cost: Option<f64>,
    /// Maintenance over the run [currency].
    pub maintenance_cost: Option<f64>,
    /// Hosting over the run [currency].
    pub hosting_cost: Option<f64>,
    /// Other fixed costs over the run [currency].
    pub other_cost: Option<f64>,
    /// `tco_total` per average month (730.5 h) of the run [currency/month].
    pub tco_per_month: Option<f64>,
    /// `tco_total` per delivered (busy) device-hour [currency/(device·h)].
    pub cost_per_device_hour: Option<f64>,
    /// `tco_total` per completed job [currency]; `null` also when no job completed.
    pub cost_per_job: Option<f64>,
    /// Facility energy per completed job [kWh] (idle and overhead included); `null` when no
    /// job completed.
    pub energy_per_job_kwh: Option<f64>,
    /// Work of the FLOP-sized jobs completed [PFLOP, 1e15 FLOP]; `null` when no job is sized
    /// in FLOPs. Jobs timed out or still running at the horizon are not counted.
    pub pflop_done: Option<f64>,
    /// Facility energy per PFLOP done [kWh/PFLOP] (idle and overhead included); `null`
    /// without FLOP-sized work done.
    pub kwh_per_pflop: Option<f64>,
    /// Location-based operational CO2e [kg] (facility energy × average grid intensity).
    pub carbon_kg: f64,
    /// The same as `carbon_kg`, named for GHG Protocol Scope 2 reporting [kg].
    pub carbon_location_kg: f64,
    /// Market-based CO2e after contracted clean energy [kg] (= location-based without
    /// contracts).
    pub carbon_market_kg: f64,
    /// CO2e at the marginal intensity [kg]; `null` without a marginal series.
    pub carbon_marginal_kg: Option<f64>,
    /// Embodied CO2e of the installed hardware amortised over the simulated span [kg].
    pub carbon_embodied_kg: f64,
    /// Share of consumption matched hour by hour by contracted clean supply [0..1].
    pub cfe_score: f64,
    /// Water used by cooling [L].
    pub water_l: f64,
    /// Highest IT power [kW].
    pub peak_it_kw: f64,
    /// Highest facility power [kW].
    pub peak_facility_kw: f64,
    /// IT energy attributed to jobs [kWh].
    pub jobs_it_energy_kwh: f64,
    /// IT energy of capacity no job held [kWh].
    pub idle_it_energy_kwh: f64,
    /// Energy charges attributed to jobs [currency].
    pub jobs_cost: f64,
    /// Energy charges of idle capacity [currency].
    pub idle_cost: f64,
    /// Charges of the site as a whole, not attributed to jobs: demand, fixed, minimum and
    /// tax, and the month-end re-pricing of hours-use (`kWh/kW`) energy tiers [currency].
    /// `jobs_cost + idle_cost + site_cost = total_cost`.
    pub site_cost: f64,
    /// Carbon attributed to jobs [kg].
    pub jobs_carbon_kg: f64,
    /// Carbon of idle capacity [kg].
    pub idle_carbon_kg: f64,
    /// Jobs submitted [count].
    pub jobs_submitted: u64,
    /// Jobs that finished [count] (service replicas scaled in included).
    pub jobs_completed: u64,
    /// Jobs running at the horizon [count].
    pub jobs_running_at_horizon: u64,
    /// Jobs still queued at the horizon [count].
    pub jobs_queued_at_horizon: u64,
    /// Jobs that could never run [count].
    pub jobs_rejected: u64,
    /// Mean queue wait of jobs that started [s] (0 when none started).
    pub mean_wait_s: f64,
    /// 95th-percentile queue wait (nearest rank) of jobs that started [s]: exact up to
    /// 65,536 started jobs, within 0.05 % beyond (see [`crate::waits`]).
    pub p95_wait_s: f64,
    /// Mean bounded slowdown of the batch jobs that ended [-]: `max(1, (wait + run) /
    /// max(run, 10 s))` (Feitelson), 0 when none ended.
    pub mean_bounded_slowdown: f64,
    /// Jobs ended at their wall time [count].
    pub jobs_timed_out: u64,
    /// Jobs the policy held back to a cleaner or cheaper start [count].
    pub jobs_deferred: u64,
    /// Jobs that missed their deadline [count] (ended after it, timed out with one, or not
    /// ended when it passed within the horizon).
    pub deadlines_missed: u64,
    /// Mean hold of the deferred jobs [s] (0 when none was deferred).
    pub mean_deferral_s: f64,
    /// Time the limited power (facility or IT, `[power] budget_on`) was above the power
    /// budget [s] (0 without a budget).
    pub budget_exceeded_s: f64,
    /// ∫ (limited power − limit) dt while above it [kWh].
    pub budget_exceeded_kwh: f64,
    /// ∫ busy devices under a lowered runtime cap dt [device·h].
    pub capped_device_hours: f64,
    /// Jobs refused a start at least once because the power budget had no room [count].
    pub jobs_held_for_power: u64,
    /// Jobs with a deadline held back at least once to keep demand under the peak-shaving
    /// target [count].
    pub jobs_held_for_shaving: u64,
    /// IT energy drawn by booting nodes [kWh].
    pub boot_energy_kwh: f64,
    /// ∫ powered-off nodes dt [node·h].
    pub node_off_hours: f64,
    /// Node boots [count].
    pub boots: u64,
    /// ∫ busy devices dt [device·h].
    pub device_busy_hours: f64,
    /// Busy device-hours over installed device-hours [0..1].
    pub utilization: f64,
    /// Events processed [count].
    pub events: u64,
    /// Replica-hours services wanted but found no room for [replica·h].
    pub unplaced_replica_hours: f64,
    /// Trace rows replayed as jobs [count].
    pub trace_rows_used: u64,
    /// Trace rows not replayed [count] (by reason in `trace_skips`).
    pub trace_rows_skipped: u64,
    /// Trace rows not replayed, by trace and reason.
    pub trace_skips: Vec<TraceSkip>,
    /// What the run suggests is wrong with it (see [`super::overload`]): an overloaded
    /// cluster, a queue still growing at the horizon. Empty when none applies.
    pub warnings: Vec<String>,
}

/// Trace rows skipped for one reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceSkip {
    /// Trace name.
    pub trace: String,
    /// Why the rows were not replayed.
    pub reason: String,
    /// Rows [count].
    pub rows: u64,
}

impl Summary {
    /// Summarises a run.
    pub fn from_result(r: &RunResult) -> Summary {
        let t = &r.totals;
        let stats = &r.job_stats;
        let all = stats.all();
        let jobs_attr = all.attribution;
        let horizon_h = ms_to_hours(r.horizon_ms);
        let tco_total = r.tco.as_ref().map(|t| t.total());
        let completed = stats.completed;
        use crate::result::tco::TcoItem;
        let part = |item| r.tco.as_ref().map(|t| t.sum(item));
        Summary {
            scenario: r.scenario.clone(),
            seed: r.seed,
            policy: r.policy.clone(),
            start: r.calendar.iso(0),
            horizon_h,
            currency: r.currency.clone(),
            installed_devices: r.installed_devices,
            it_energy_kwh: t.energy.it_energy_kwh,
            facility_energy_kwh: t.energy.facility_energy_kwh,
            average_pue: ratio(t.energy.facility_energy_kwh, t.energy.it_energy_kwh),
            energy_cost: r.bill.sum(LineItem::Energy),
            demand_cost: r.bill.sum(LineItem::Demand),
            fixed_cost: r.bill.sum(LineItem::Fixed),
            tax_cost: r.bill.sum(LineItem::Tax),
            minimum_cost: r.bill.sum(LineItem::Minimum),
            total_cost: r.bill.total(),
            billing_months: r.bill.months.len() as u64,
            capex: r.tco.as_ref().map(|t| t.capex),
            tco_total,
            amortization_cost: part(TcoItem::Capex),
            interest_cost: part(TcoItem::Interest),
            maintenance_cost: part(TcoItem::Maintenance),
            hosting_cost: part(TcoItem::Hosting),
            other_cost: part(TcoItem::Other),
            tco_per_month: tco_total.map(|t| t / (horizon_h / HOURS_PER_MONTH)),
            cost_per_device_hour: tco_total
                .filter(|_| t.busy_device_hours > 0.0)
                .map(|c| c / t.busy_device_hours),
            cost_per_job: tco_total
                .filter(|_| completed > 0)
                .map(|c| c / completed as f64),
            energy_per_job_kwh: (completed > 0)
                .then(|| t.energy.facility_energy_kwh / completed as f64),
            pflop_done: r.flops_done.map(|f| f / 1e15),
            kwh_per_pflop: r
                .flops_done
                .filter(|&f| f > 0.0)
                .map(|f| t.energy.facility_energy_kwh / (f / 1e15)),
            carbon_kg: t.energy.carbon_kg,
            carbon_location_kg: t.energy.carbon_kg,
            carbon_market_kg: r.carbon.market_kg,
            carbon_marginal_kg: r.carbon.marginal_kg,
            carbon_embodied_kg: r.carbon.embodied_kg,
            cfe_score: r.carbon.cfe_score,
            water_l: t.water_l,
            peak_it_kw: t.peak_it_kw,
            peak_facility_kw: t.peak_facility_kw,
            jobs_it_energy_kwh: jobs_attr.it_energy_kwh,
            idle_it_energy_kwh: r.idle.it_energy_kwh,
            jobs_cost: jobs_attr.cost,
            idle_cost: r.idle.cost,
            site_cost: r.bill.total() - r.bill.energy_attributed(),
            jobs_carbon_kg: jobs_attr.carbon_kg,
            idle_carbon_kg: r.idle.carbon_kg,
            jobs_submitted: all.jobs,
            jobs_completed: stats.completed,
            jobs_running_at_horizon: stats.running,
            jobs_queued_at_horizon: stats.queued,
            jobs_rejected: stats.rejected,
            mean_wait_s: stats.waits.mean_s(),
            p95_wait_s: stats.waits.quantile_s(0.95),
            mean_bounded_slowdown: stats.mean_bounded_slowdown(),
            jobs_timed_out: stats.timed_out,
            jobs_deferred: stats.deferred,
            deadlines_missed: stats.deadlines_missed,
            mean_deferral_s: stats.mean_deferral_s(),
            budget_exceeded_s: t.power.budget_exceeded_s,
            budget_exceeded_kwh: t.power.budget_exceeded_kwh,
            capped_device_hours: t.power.capped_device_hours,
            jobs_held_for_power: t.power.jobs_held_for_power,
            jobs_held_for_shaving: t.power.jobs_held_for_shaving,
            boot_energy_kwh: t.power.boot_energy_kwh,
            node_off_hours: t.power.node_off_hours,
            boots: t.power.boots,
            device_busy_hours: t.busy_device_hours,
            utilization: ratio(t.busy_device_hours, r.installed_device_hours),
            events: r.events,
            unplaced_replica_hours: r.unplaced_replica_hours,
            trace_rows_used: r.trace_rows_used,
            trace_rows_skipped: r.trace_skips.iter().map(|s| s.2).sum(),
            trace_skips: r
                .trace_skips
                .iter()
                .map(|(trace, reason, rows)| TraceSkip {
                    trace: trace.clone(),
                    reason: reason.clone(),
                    rows: *rows,
                })
                .collect(),
            warnings: r
                .notes
                .iter()
                .cloned()
                .chain(super::overload::warnings(r))
                .collect(),
        }
    }

    /// Pretty JSON bytes with a trailing newline.
    pub fn to_json(&self) -> Result<Vec<u8>, super::ReportError> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// `a / b`, or 0 when `b` is 0.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}
