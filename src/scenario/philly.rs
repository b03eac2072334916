//! Reads the Microsoft Philly `cluster_job_log` (one JSON array of jobs with their attempts):
//! devices from the first attempt's GPUs, run time as the sum of all attempts, tenant from
//! the virtual cluster (or user); the jobs are replayed in submit-time order.

use super::context::Ctx;
use super::error::{ScenarioError, data_error};
use super::locate::KeyPath;
use super::raw::RawTrace;
use super::trace_options::{Filter, default_utilization, signed_shift};
use super::trace_sort::{Sorter, sort_error};
use crate::input::series_csv::parse_timestamp_ms;
use crate::model::trace::{TraceJob, TraceSource};
use crate::time::SimTime;
use serde::Deserialize;
use serde::Deserializer as _;
use serde::de::IgnoredAny;
use std::path::PathBuf;
use std::sync::Arc;

type Result<T> = std::result::Result<T, ScenarioError>;

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

/// Which field becomes the tenant.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TenantField {
    Vc,
    User,
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
        row: None,
        submit_ms: submit as SimTime,
        devices: u32::try_from(devices).map_err(|_| "unparsable device count")?,
        share_milli: 1000,
        duration_ms: run_ms as SimTime,
        utilization,
        tenant: name.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
    })
}

/// Validates a `format = "philly"` trace: reads and parses the whole log (a malformed file is
/// an error naming its line and column), and orders the jobs by submit time.
pub(super) fn philly_trace(
    raw: &RawTrace,
    key: &KeyPath,
    ctx: &Ctx,
    epoch_ms: i64,
    horizon_ms: SimTime,
    path: PathBuf,
) -> Result<Arc<dyn TraceSource>> {
    let file = std::fs::File::open(&path).map_err(|source| {
        ctx.referenced(
            &key.key("file"),
            ScenarioError::from(crate::input::InputError::ReadData {
                path: path.clone(),
                source,
            }),
        )
    })?;
    let tenant = match raw.tenant_column.as_deref() {
        None | Some("vc") => TenantField::Vc,
        Some("user") => TenantField::User,
        Some(other) => {
            return Err(ctx.err(
                &key.key("tenant_column"),
                format!("{other:?}"),
                "a Philly log has no such tenant field",
                "use \"vc\" (virtual cluster, the default) or \"user\"",
            ));
        }
    };
    let utilization = default_utilization(raw, key, ctx)?;
    let shift_ms = signed_shift(raw, key, ctx)?;
    let filter = Filter::new(raw, key, ctx, horizon_ms)?;
    // The log is parsed job by job into the sorter: neither the JSON nor the parsed log is
    // held whole.
    let mut sorter = Sorter::new();
    let mut spill_error = None;
    let mut each = |j: PhillyJob| {
        if spill_error.is_none() {
            let item = filter.admit(job(&j, epoch_ms, shift_ms, utilization, tenant));
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
            ctx.referenced(
                &key.key("file"),
                data_error(
                    &path,
                    Some(e.line() as u64),
                    "JSON",
                    format!("column {}", e.column()),
                    format!("not a Philly cluster_job_log: {message}"),
                    "give the `cluster_job_log` file of the Philly traces (a JSON array of jobs)",
                ),
            )
        })?;
    if let Some(e) = spill_error {
        return Err(sort_error(e, &path, key, ctx));
    }
    Ok(Arc::new(sorter.finish()))
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
