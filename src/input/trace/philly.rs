//! Reads the Microsoft Philly `cluster_job_log` (one JSON array of jobs with their attempts):
//! devices from the first attempt's GPUs, run time as the sum of all attempts, tenant from
//! the virtual cluster (or user); the jobs are replayed in submit-time order.

use super::filter::Filter;
use super::sort::{SortedTrace, Sorter, sort_error};
use crate::input::series_csv::parse_timestamp_ms;
use crate::input::{InputError, data_error};
use crate::model::trace::TraceJob;
use crate::time::SimTime;
use serde::Deserialize;
use serde::Deserializer as _;
use serde::de::IgnoredAny;
use std::path::Path;

/// One job of the log (fields wattsim does not use are ignored).
#[derive(Debug, Deserialize)]
struct PhillyJob {
    submitted_time: Option<String>,
    vc: Option<String>,
    user: Option<String>,
    #[serde(default)]
    attempts: Vec<PhillyAttempt>,
}

/// One attempt (a job is retried after a failure).
#[derive(Debug, Deserialize)]
struct PhillyAttempt {
    start_time: Option<String>,
    end_time: Option<String>,
    #[serde(default)]
    detail: Vec<PhillyMachine>,
}

/// The GPUs an attempt held on one machine.
#[derive(Debug, Deserialize)]
struct PhillyMachine {
    #[serde(default)]
    gpus: Vec<IgnoredAny>,
}

/// Which field of a Philly job becomes the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantField {
    /// The virtual cluster (`vc`).
    Vc,
    /// The user.
    User,
}

/// How to replay a Philly log.
#[derive(Debug, Clone, Copy)]
pub struct PhillyOptions {
    /// UTC instant of simulation time 0 [ms since the epoch].
    pub epoch_ms: i64,
    /// Added to trace times [ms].
    pub shift_ms: i64,
    /// Utilisation of every job [0..1] (the log has none).
    pub utilization: f64,
    /// Which field names the tenant.
    pub tenant: TenantField,
    /// Window and minimum size.
    pub filter: Filter,
}

/// A Philly time ("2017-10-03 02:56:31", UTC by default; "None" or null when unknown) →
/// simulation time [ms].
fn time_ms(text: Option<&String>, epoch_ms: i64) -> Option<i64> {
    parse_timestamp_ms(text?, chrono_tz::Tz::UTC).map(|t| t - epoch_ms)
}

/// One job of the log → a trace job, or the reason it cannot be replayed.
fn job(
    j: &PhillyJob,
    epoch_ms: i64,
    shift_ms: i64,
    utilization: f64,
    tenant: TenantField,
) -> std::result::Result<TraceJob, &'static str> {
    let submit =
        time_ms(j.submitted_time.as_ref(), epoch_ms).ok_or("unparsable submit time")? + shift_ms;
    let first = j.attempts.first().ok_or("no attempts (never ran)")?;
    let devices: usize = first.detail.iter().map(|m| m.gpus.len()).sum();
    if devices == 0 {
        return Err("zero devices");
    }
    let mut run_ms: i64 = 0;
    for a in &j.attempts {
        let start = time_ms(a.start_time.as_ref(), epoch_ms).ok_or("unparsable attempt time")?;
        let end = time_ms(a.end_time.as_ref(), epoch_ms).ok_or("unparsable attempt time")?;
        run_ms += (end - start).max(0);
    }
    if run_ms <= 0 {
        return Err("non-positive duration");
    }
    if submit < 0 {
        return Err("before the simulation start");
    }
    let name = match tenant {
        TenantField::Vc => j.vc.as_ref(),
        TenantField::User => j.user.as_ref(),
    };
    Ok(TraceJob {
        walltime_ms: None,
        row: None,
        submit_ms: submit as SimTime,
        devices: u32::try_from(devices).map_err(|_| "unparsable device count")?,
        share_milli: 1000,
        duration_ms: run_ms as SimTime,
        utilization,
        tenant: name.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
    })
}

/// Reads a Philly log at `path` job by job (neither the JSON nor the parsed log is held
/// whole) and orders the jobs by submit time; a malformed file is an error naming its line
/// and column.
pub fn read_philly(path: &Path, o: &PhillyOptions) -> Result<SortedTrace, InputError> {
    let file = crate::input::open_data(path)?;
    let mut sorter = Sorter::new();
    let mut spill_error = None;
    let mut each = |j: PhillyJob| {
        if spill_error.is_none() {
            let item = o
                .filter
                .admit(job(&j, o.epoch_ms, o.shift_ms, o.utilization, o.tenant));
            spill_error = sorter.push(item).err();
        }
    };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(file));
    de.deserialize_seq(EachJob(&mut each))
        .and_then(|()| de.end())
        .map_err(|e| {
            // serde_json's message ends with the position, which the error names already.
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or_default();
            data_error(
                path,
                Some(e.line() as u64),
                "JSON",
                format!("column {}", e.column()),
                format!("not a Philly cluster_job_log: {message}"),
                "give the `cluster_job_log` file of the Philly traces (a JSON array of jobs)",
            )
        })?;
    if let Some(e) = spill_error {
        return Err(sort_error(e, path));
    }
    Ok(sorter.finish())
}

/// Hands each element of a JSON array of jobs to a function, one at a time.
struct EachJob<'f, F: FnMut(PhillyJob)>(&'f mut F);

impl<'de, F: FnMut(PhillyJob)> serde::de::Visitor<'de> for EachJob<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array of jobs")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<(), A::Error> {
        while let Some(job) = seq.next_element::<PhillyJob>()? {
            (self.0)(job);
        }
        Ok(())
    }
}
