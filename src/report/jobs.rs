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
        let (w, f) = (&mut self.writer, &mut self.field);
        int(w, f, job.id)?;
        w.write_field(names.job_name(job))?;
        w.write_field(names.workload_name(job))?;
        w.write_field(names.tenant_name(job))?;
        w.write_field(cal.iso(job.submit_ms))?;
        w.write_field(job.start_ms.map(|t| cal.iso(t)).unwrap_or_default())?;
        w.write_field(job.end_ms.map(|t| cal.iso(t)).unwrap_or_default())?;
        match job.wait_ms() {
            Some(ms) => num(w, f, ms as f64 / 1000.0)?,
            None => w.write_field("")?,
        }
        match (job.start_ms, job.end_ms) {
            (Some(s), Some(e)) => num(w, f, crate::time::ms_to_hours(e - s))?,
            _ => w.write_field("")?,
        }
        int(w, f, job.devices as u64)?;
        int(w, f, job.held_devices as u64)?;
        num(w, f, job.share_milli as f64 / 1000.0)?;
        let pool = job.start_ms.and(job.pool);
        w.write_field(pool.map_or("", |p| names.pools[p as usize].as_str()))?;
        num(w, f, job.utilization)?;
        num(w, f, job.power_uw as f64 * 1e-9)?;
        let a = &job.attribution;
        num(w, f, a.it_energy_kwh)?;
        num(w, f, a.facility_energy_kwh)?;
        num(w, f, a.cost)?;
        num(w, f, a.carbon_kg)?;
        w.write_field(job.outcome.label())?;
        w.write_field(match &job.outcome {
            JobOutcome::Rejected(why) => why.as_str(),
            _ => "",
        })?;
        w.write_record(None::<&[u8]>)
    }
}

/// Writes an integer field through the reused buffer `buf`.
fn int<W: std::io::Write>(w: &mut csv::Writer<W>, buf: &mut String, x: u64) -> csv::Result<()> {
    buf.clear();
    // Formatting into a String cannot fail.
    let _ = write!(buf, "{x}");
    w.write_field(buf.as_bytes())
}

/// Writes a number field (shortest text that reads back exactly) through `buf`.
fn num<W: std::io::Write>(w: &mut csv::Writer<W>, buf: &mut String, x: f64) -> csv::Result<()> {
    buf.clear();
    super::number::push_f64(buf, x);
    w.write_field(buf.as_bytes())
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
