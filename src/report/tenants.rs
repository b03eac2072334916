//! `tenants.csv`: energy, cost and carbon by tenant (team, user, virtual cluster), plus jobs
//! without a tenant and idle capacity, so the rows add up to the run's totals.

use super::{ReportError, csv_bytes};
use crate::result::{Attribution, RunResult};

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    "tenant",
    "jobs",
    "device_hours",
    "it_energy_kwh",
    "facility_energy_kwh",
    "energy_cost",
    "carbon_kg",
];

/// Renders the tenant breakdown as CSV bytes.
pub fn to_csv(r: &RunResult) -> Result<Vec<u8>, ReportError> {
    // Index tenants.len() collects jobs without a tenant.
    let n = r.tenants.len();
    let mut rows = vec![(0u64, 0.0f64, Attribution::default()); n + 1];
    for job in &r.jobs {
        let row = &mut rows[job.tenant.map_or(n, |t| t as usize)];
        row.0 += 1;
        if let (Some(s), Some(e)) = (job.start_ms, job.end_ms) {
            row.1 += job.devices as f64 * crate::time::ms_to_hours(e - s);
        }
        row.2.add(&job.attribution);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    let mut write = |name: &str, jobs: u64, device_h: f64, a: &Attribution| {
        w.write_record([
            name.to_string(),
            jobs.to_string(),
            device_h.to_string(),
            a.it_energy_kwh.to_string(),
            a.facility_energy_kwh.to_string(),
            a.cost.to_string(),
            a.carbon_kg.to_string(),
        ])
    };
    for (i, (jobs, device_h, a)) in rows.iter().enumerate() {
        if i < n {
            write(&r.tenants[i], *jobs, *device_h, a)?;
        } else if *jobs > 0 {
            write("(no tenant)", *jobs, *device_h, a)?;
        }
    }
    write("(idle capacity)", 0, 0.0, &r.idle)?;
    csv_bytes(w)
}
