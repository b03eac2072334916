//! `jobs.csv`: one row per job with its times, placement, outcome and its share of energy,
//! cost and carbon.

use super::{ReportError, csv_bytes};
use crate::result::{JobOutcome, RunResult};

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "workload",
    "tenant",
    "submit",
    "start",
    "end",
    "wait_s",
    "run_h",
    "devices",
    "held_devices",
    "device_share",
    "pool",
    "utilization",
    "power_kw",
    "it_energy_kwh",
    "facility_energy_kwh",
    "energy_cost",
    "carbon_kg",
    "state",
    "reason",
];

/// Renders the job table as CSV bytes.
pub fn to_csv(r: &RunResult) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    let time = |t: Option<u64>| t.map(|t| r.calendar.iso(t)).unwrap_or_default();
    for (i, job) in r.jobs.iter().enumerate() {
        let run_h = match (job.start_ms, job.end_ms) {
            (Some(s), Some(e)) => crate::time::ms_to_hours(e - s).to_string(),
            _ => String::new(),
        };
        let reason = match &job.outcome {
            JobOutcome::Rejected(why) => why.as_str(),
            _ => "",
        };
        w.write_record([
            (i + 1).to_string(),
            r.job_name(job),
            r.workload_name(job).to_string(),
            job.tenant
                .map(|t| r.tenants[t as usize].clone())
                .unwrap_or_default(),
            r.calendar.iso(job.submit_ms),
            time(job.start_ms),
            time(job.end_ms),
            job.wait_ms()
                .map(|w| (w as f64 / 1000.0).to_string())
                .unwrap_or_default(),
            run_h,
            job.devices.to_string(),
            job.held_devices.to_string(),
            (job.share_milli as f64 / 1000.0).to_string(),
            job.start_ms
                .and(job.pool)
                .map(|p| r.pool_names[p as usize].clone())
                .unwrap_or_default(),
            job.utilization.to_string(),
            (job.power_uw as f64 * 1e-9).to_string(),
            job.attribution.it_energy_kwh.to_string(),
            job.attribution.facility_energy_kwh.to_string(),
            job.attribution.cost.to_string(),
            job.attribution.carbon_kg.to_string(),
            job.outcome.label().to_string(),
            reason.to_string(),
        ])?;
    }
    csv_bytes(w)
}
