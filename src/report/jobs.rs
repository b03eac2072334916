//! `jobs.csv`: one row per job with its times, placement, outcome and its share of energy,
//! cost and carbon, written as jobs leave the run (a [`JobSink`]), so a run of any length
//! streams its job table to disk.

use super::ReportError;
use crate::result::{JobNames, JobOutcome, JobRecord, JobSink};
use crate::time::Calendar;
use std::fmt::Write as _;

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

/// Writes `jobs.csv` rows to `W` as jobs arrive; the first write error is kept and returned
/// by [`JobsCsv::finish`] (later rows are dropped).
pub struct JobsCsv<W: std::io::Write> {
    writer: csv::Writer<W>,
    calendar: Calendar,
    field: String,
    error: Option<csv::Error>,
}

impl<W: std::io::Write> JobsCsv<W> {
    /// A writer that has written the header row.
    pub fn new(out: W, calendar: Calendar) -> Self {
        let mut writer = csv::Writer::from_writer(out);
        let error = writer.write_record(COLUMNS).err();
        JobsCsv {
            writer,
            calendar,
            field: String::new(),
            error,
        }
    }

    /// Flushes and returns the output, or the first error.
    pub fn finish(self) -> Result<W, ReportError> {
        if let Some(e) = self.error {
            return Err(ReportError::Csv(e));
        }
        self.writer
            .into_inner()
            .map_err(|e| ReportError::Csv(csv::Error::from(e.into_error())))
    }

    fn row(&mut self, job: &JobRecord, names: &JobNames) -> csv::Result<()> {
        let cal = self.calendar;
        let w = &mut self.writer;
        let f = &mut self.field;
        // Writing into one reused buffer keeps a row free of allocations but for the times.
        let mut put = |w: &mut csv::Writer<W>, value: std::fmt::Arguments| {
            f.clear();
            // Formatting into a String cannot fail.
            let _ = f.write_fmt(value);
            w.write_field(f.as_bytes())
        };
        put(w, format_args!("{}", job.id))?;
        put(w, format_args!("{}", names.job_name(job)))?;
        w.write_field(names.workload_name(job))?;
        w.write_field(names.tenant_name(job))?;
        w.write_field(cal.iso(job.submit_ms))?;
        w.write_field(job.start_ms.map(|t| cal.iso(t)).unwrap_or_default())?;
        w.write_field(job.end_ms.map(|t| cal.iso(t)).unwrap_or_default())?;
        match job.wait_ms() {
            Some(ms) => put(w, format_args!("{}", ms as f64 / 1000.0))?,
            None => w.write_field("")?,
        }
        match (job.start_ms, job.end_ms) {
            (Some(s), Some(e)) => put(w, format_args!("{}", crate::time::ms_to_hours(e - s)))?,
            _ => w.write_field("")?,
        }
        put(w, format_args!("{}", job.devices))?;
        put(w, format_args!("{}", job.held_devices))?;
        put(w, format_args!("{}", job.share_milli as f64 / 1000.0))?;
        let pool = job.start_ms.and(job.pool);
        w.write_field(pool.map_or("", |p| names.pools[p as usize].as_str()))?;
        put(w, format_args!("{}", job.utilization))?;
        put(w, format_args!("{}", job.power_uw as f64 * 1e-9))?;
        let a = &job.attribution;
        put(w, format_args!("{}", a.it_energy_kwh))?;
        put(w, format_args!("{}", a.facility_energy_kwh))?;
        put(w, format_args!("{}", a.cost))?;
        put(w, format_args!("{}", a.carbon_kg))?;
        w.write_field(job.outcome.label())?;
        w.write_field(match &job.outcome {
            JobOutcome::Rejected(why) => why.as_str(),
            _ => "",
        })?;
        w.write_record(None::<&[u8]>)
    }
}

impl<W: std::io::Write> JobSink for JobsCsv<W> {
    fn job(&mut self, job: &JobRecord, names: &JobNames) {
        if self.error.is_none() {
            self.error = self.row(job, names).err();
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
