//! The names of the files wattsim writes, in one place: a run folder's reports, a sweep
//! folder's tables, and the copy of the scenario beside them.

/// Run totals (`Summary`).
pub const SUMMARY: &str = "summary.json";
/// One row per output interval.
pub const TIMESERIES: &str = "timeseries.csv";
/// Energy, cost and carbon by tenant.
pub const TENANTS: &str = "tenants.csv";
/// The bill: line items per billing month.
pub const BILL: &str = "bill.csv";
/// The cost of ownership per billing month and item (when the scenario prices hardware).
pub const TCO: &str = "tco.csv";
/// One row per job.
pub const JOBS: &str = "jobs.csv";
/// One row per job, in Parquet (`--jobs parquet`).
pub const JOBS_PARQUET: &str = "jobs.parquet";
/// One row per output interval, in Parquet (`--timeseries parquet`).
pub const TIMESERIES_PARQUET: &str = "timeseries.parquet";
/// The scenario text, byte for byte.
pub const SCENARIO: &str = "scenario.toml";
/// What produced the folder.
pub const METADATA: &str = "metadata.json";
/// The folder of a run's or sweep's charts.
pub const CHARTS_DIR: &str = "charts";
/// The charts and tables in one page.
pub const REPORT_HTML: &str = "report.html";
/// A sweep's runs, one row each.
pub const SWEEP: &str = "sweep.csv";
/// A sweep's points with statistics over replications.
pub const SWEEP_SUMMARY: &str = "sweep_summary.csv";
/// A sweep's monthly bill forecast.
pub const BILL_FORECAST: &str = "bill_forecast.csv";
/// A sweep's identity and point table.
pub const MANIFEST: &str = "manifest.json";
