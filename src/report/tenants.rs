//! `tenants.csv`: energy, cost and carbon by tenant (team, user, virtual cluster), plus jobs
//! without a tenant and idle capacity, so the rows add up to the run's totals.

use super::ReportError;
use super::rows::{FieldSink, Row, csv_table};
use crate::result::{RunResult, TenantTotals};

/// Column names, one constant each: the writer's header and the readers (the charts) share
/// them.
pub mod col {
    /// `tenant`.
    pub const TENANT: &str = "tenant";
    /// `jobs`.
    pub const JOBS: &str = "jobs";
    /// `device_hours`.
    pub const DEVICE_HOURS: &str = "device_hours";
    /// `it_energy_kwh`.
    pub const IT_ENERGY_KWH: &str = "it_energy_kwh";
    /// `facility_energy_kwh`.
    pub const FACILITY_ENERGY_KWH: &str = "facility_energy_kwh";
    /// `energy_cost`.
    pub const ENERGY_COST: &str = "energy_cost";
    /// `carbon_kg`.
    pub const CARBON_KG: &str = "carbon_kg";
}

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    col::TENANT,
    col::JOBS,
    col::DEVICE_HOURS,
    col::IT_ENERGY_KWH,
    col::FACILITY_ENERGY_KWH,
    col::ENERGY_COST,
    col::CARBON_KG,
];

/// One row of `tenants.csv`.
pub struct TenantRow<'a> {
    /// Tenant, `(no tenant)` or `(idle capacity)`.
    pub tenant: &'a str,
    /// Its jobs, device-hours and share.
    pub totals: TenantTotals,
}

impl Row for TenantRow<'_> {
    fn write<S: FieldSink + ?Sized>(&self, w: &mut S) {
        let (t, a) = (&self.totals, &self.totals.attribution);
        w.text(self.tenant);
        w.int(t.jobs);
        w.num(t.device_hours);
        w.num(a.it_energy_kwh);
        w.num(a.facility_energy_kwh);
        w.num(a.cost);
        w.num(a.carbon_kg);
    }
}

/// The rows of `tenants.csv`: each tenant, jobs without one (if any), idle capacity.
pub fn rows(r: &RunResult) -> Vec<TenantRow<'_>> {
    let stats = &r.job_stats;
    let mut rows: Vec<TenantRow> = r
        .tenants()
        .iter()
        .enumerate()
        .map(|(i, tenant)| TenantRow {
            tenant,
            totals: stats.tenants.get(i).copied().unwrap_or_default(),
        })
        .collect();
    if stats.no_tenant.jobs > 0 {
        rows.push(TenantRow {
            tenant: "(no tenant)",
            totals: stats.no_tenant,
        });
    }
    rows.push(TenantRow {
        tenant: "(idle capacity)",
        totals: TenantTotals {
            attribution: r.idle,
            ..Default::default()
        },
    });
    rows
}

/// Renders the tenant breakdown as CSV bytes.
pub fn to_csv(r: &RunResult) -> Result<Vec<u8>, ReportError> {
    let rows = rows(r);
    csv_table(r.calendar, COLUMNS, rows.iter())
}
