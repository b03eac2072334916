//! `tenants.csv`: energy, cost and carbon by tenant (team, user, virtual cluster), plus jobs
//! without a tenant and idle capacity, so the rows add up to the run's totals.

use super::{ReportError, csv_bytes};
use crate::result::{RunResult, TenantTotals};

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
    let stats = &r.job_stats;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    let mut write = |name: &str, t: &TenantTotals| {
        let a = &t.attribution;
        w.write_record([
            name.to_string(),
            t.jobs.to_string(),
            t.device_hours.to_string(),
            a.it_energy_kwh.to_string(),
            a.facility_energy_kwh.to_string(),
            a.cost.to_string(),
            a.carbon_kg.to_string(),
        ])
    };
    for (i, name) in r.tenants().iter().enumerate() {
        write(name, &stats.tenants.get(i).copied().unwrap_or_default())?;
    }
    if stats.no_tenant.jobs > 0 {
        write("(no tenant)", &stats.no_tenant)?;
    }
    let idle = TenantTotals {
        attribution: r.idle,
        ..Default::default()
    };
    write("(idle capacity)", &idle)?;
    csv_bytes(w)
}
