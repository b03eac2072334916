//! `jobs.csv`: one row per job with its times, placement, outcome and its share of energy,
//! cost and carbon, written as jobs leave the run (a [`JobSink`]), so a run of any length
//! streams its job table to disk.

use super::ReportError;
use super::format::TableFormat;
use super::parquet::ParquetTable;
use super::rows::{CsvTable, FieldSink, Kind, Row, typed_columns};
use crate::meter::KW_PER_UW;
use crate::result::{JobNames, JobOutcome, JobRecord, JobSink};
use crate::time::Calendar;

/// Column names, one constant each: the writer's header and the readers (the charts) share
/// them.
pub mod col {
    /// `id`.
    pub const ID: &str = "id";
    /// `name`.
    pub const NAME: &str = "name";
    /// `workload`.
    pub const WORKLOAD: &str = "workload";
    /// `tenant`.
    pub const TENANT: &str = "tenant";
    /// `submit`.
    pub const SUBMIT: &str = "submit";
    /// `start`.
    pub const START: &str = "start";
    /// `end`.
    pub const END: &str = "end";
    /// `wait_s`.
    pub const WAIT_S: &str = "wait_s";
    /// `run_h`.
    pub const RUN_H: &str = "run_h";
    /// `devices`.
    pub const DEVICES: &str = "devices";
    /// `held_devices`.
    pub const HELD_DEVICES: &str = "held_devices";
    /// `device_share`.
    pub const DEVICE_SHARE: &str = "device_share";
    /// `pool`.
    pub const POOL: &str = "pool";
    /// `utilization`.
    pub const UTILIZATION: &str = "utilization";
    /// `power_kw`.
    pub const POWER_KW: &str = "power_kw";
    /// `it_energy_kwh`.
    pub const IT_ENERGY_KWH: &str = "it_energy_kwh";
    /// `facility_energy_kwh`.
    pub const FACILITY_ENERGY_KWH: &str = "facility_energy_kwh";
    /// `energy_cost`.
    pub const ENERGY_COST: &str = "energy_cost";
    /// `carbon_kg`.
    pub const CARBON_KG: &str = "carbon_kg";
    /// `state`.
    pub const STATE: &str = "state";
    /// `reason`.
    pub const REASON: &str = "reason";
    /// `walltime` [s].
    pub const WALLTIME: &str = "walltime";
    /// `deadline` (a timestamp).
    pub const DEADLINE: &str = "deadline";
    /// `priority`.
    pub const PRIORITY: &str = "priority";
    /// `deferred_s`.
    pub const DEFERRED_S: &str = "deferred_s";
    /// `missed_deadline`.
    pub const MISSED_DEADLINE: &str = "missed_deadline";
    /// `bounded_slowdown`.
    pub const BOUNDED_SLOWDOWN: &str = "bounded_slowdown";
}

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    col::ID,
    col::NAME,
    col::WORKLOAD,
    col::TENANT,
    col::SUBMIT,
    col::START,
    col::END,
    col::WAIT_S,
    col::RUN_H,
    col::DEVICES,
    col::HELD_DEVICES,
    col::DEVICE_SHARE,
    col::POOL,
    col::UTILIZATION,
    col::POWER_KW,
    col::IT_ENERGY_KWH,
    col::FACILITY_ENERGY_KWH,
    col::ENERGY_COST,
    col::CARBON_KG,
    col::STATE,
    col::REASON,
    col::WALLTIME,
    col::DEADLINE,
    col::PRIORITY,
    col::DEFERRED_S,
    col::MISSED_DEADLINE,
    col::BOUNDED_SLOWDOWN,
];

/// What each column holds, parallel to [`COLUMNS`] (typed formats: Parquet).
pub const KINDS: &[Kind] = &[
    Kind::Int,  // id
    Kind::Key,  // name
    Kind::Text, // workload
    Kind::Text, // tenant
    Kind::Time, // submit
    Kind::Time, // start
    Kind::Time, // end
    Kind::Num,  // wait_s
    Kind::Num,  // run_h
    Kind::Int,  // devices
    Kind::Int,  // held_devices
    Kind::Num,  // device_share
    Kind::Text, // pool
    Kind::Num,  // utilization
    Kind::Num,  // power_kw
    Kind::Num,  // it_energy_kwh
    Kind::Num,  // facility_energy_kwh
    Kind::Num,  // energy_cost
    Kind::Num,  // carbon_kg
    Kind::Text, // state
    Kind::Text, // reason
    Kind::Num,  // walltime
    Kind::Time, // deadline
    Kind::Int,  // priority
    Kind::Num,  // deferred_s
    Kind::Flag, // missed_deadline
    Kind::Num,  // bounded_slowdown
];

/// One row of `jobs.csv`: a job and the names its fields index into.
pub struct JobRow<'a> {
    /// The job.
    pub job: &'a JobRecord,
    /// The run's names.
    pub names: &'a JobNames,
}

impl Row for JobRow<'_> {
    fn write<S: FieldSink + ?Sized>(&self, w: &mut S) {
        let (job, names) = (self.job, self.names);
        w.int(job.id);
        let (stem, sep, n) = names.job_name_parts(job);
        w.numbered(stem, sep, n);
        w.text(names.workload_name(job));
        w.text(names.tenant_name(job));
        w.time(Some(job.submit_ms));
        w.time(job.start_ms);
        w.time(job.end_ms);
        w.opt_num(job.wait_ms().map(|ms| ms as f64 / 1000.0));
        w.opt_num(match (job.start_ms, job.end_ms) {
            (Some(s), Some(e)) => Some(crate::time::ms_to_hours(e - s)),
            _ => None,
        });
        w.int(job.devices as u64);
        w.int(job.held_devices as u64);
        w.num(job.share_milli as f64 / 1000.0);
        let pool = job.start_ms.and(job.pool);
        w.text(pool.map_or("", |p| names.pools[p as usize].as_str()));
        w.num(job.utilization);
        w.num(job.power_uw as f64 * KW_PER_UW);
        let a = &job.attribution;
        w.num(a.it_energy_kwh);
        w.num(a.facility_energy_kwh);
        w.num(a.cost);
        w.num(a.carbon_kg);
        w.text(job.outcome.label());
        w.text(match &job.outcome {
            JobOutcome::Rejected(why) => why.as_str(),
            _ => "",
        });
        w.opt_num(job.walltime_ms.map(|ms| ms as f64 / 1000.0));
        w.time(job.deadline_ms);
        w.signed(job.priority);
        w.num(job.deferred_ms as f64 / 1000.0);
        w.flag(job.missed_deadline);
        w.opt_num(job.bounded_slowdown());
    }
}

/// Writes `jobs.csv` rows to `W` as jobs arrive (a [`JobSink`]); the first write error is
/// kept and returned by [`JobsCsv::finish`].
pub struct JobsCsv<W: std::io::Write>(CsvTable<W>);

impl<W: std::io::Write> JobsCsv<W> {
    /// A writer that has written the header row.
    pub fn new(out: W, calendar: Calendar) -> Self {
        JobsCsv(CsvTable::new(out, calendar, COLUMNS))
    }

    /// Flushes and returns the output, or the first error.
    pub fn finish(self) -> Result<W, ReportError> {
        self.0.finish()
    }
}

impl<W: std::io::Write> JobSink for JobsCsv<W> {
    fn job(&mut self, job: &JobRecord, names: &JobNames) {
        self.0.row(&JobRow { job, names });
    }
}

/// The job table in the format asked for: CSV or Parquet, written as jobs arrive.
pub enum JobsTable<W: std::io::Write + Send> {
    /// `jobs.csv`.
    Csv(JobsCsv<W>),
    /// `jobs.parquet`.
    Parquet(ParquetTable<W>),
}

impl<W: std::io::Write + Send> JobsTable<W> {
    /// A table in `format` writing to `out` (`None` for [`TableFormat::None`]).
    pub fn new(
        format: TableFormat,
        out: W,
        calendar: Calendar,
    ) -> Result<Option<Self>, ReportError> {
        Ok(match format {
            TableFormat::Csv => Some(JobsTable::Csv(JobsCsv::new(out, calendar))),
            TableFormat::Parquet => Some(JobsTable::Parquet(ParquetTable::new(
                out,
                calendar,
                "jobs",
                &typed_columns(COLUMNS, KINDS),
            )?)),
            TableFormat::None => None,
        })
    }

    /// Rows the writer buffers before it writes them all at once (a Parquet row group), and
    /// reads no new rows meanwhile; 0 when it writes as rows come (CSV).
    pub fn rows_per_burst(&self) -> usize {
        match self {
            JobsTable::Csv(_) => 0,
            JobsTable::Parquet(_) => super::parquet::ROWS_PER_GROUP,
        }
    }

    /// Flushes (for Parquet: the last row group and the footer) and returns the output.
    pub fn finish(self) -> Result<W, ReportError> {
        match self {
            JobsTable::Csv(t) => t.finish(),
            JobsTable::Parquet(t) => t.finish(),
        }
    }
}

impl<W: std::io::Write + Send> JobSink for JobsTable<W> {
    fn job(&mut self, job: &JobRecord, names: &JobNames) {
        match self {
            JobsTable::Csv(t) => t.job(job, names),
            JobsTable::Parquet(t) => t.row(&JobRow { job, names }),
        }
    }
}

/// Renders the jobs a run kept (`RunResult::jobs`, from [`crate::sim::run`]) as CSV bytes.
pub fn to_csv(r: &crate::result::RunResult) -> Result<Vec<u8>, ReportError> {
    let mut out = JobsCsv::new(Vec::new(), r.calendar);
    for job in &r.jobs {
        out.job(job, &r.names);
    }
    out.finish()
}
