//! Job traces in CSV, by named columns (or a ready format's columns): submit time, devices
//! (with a scale and an instances column), duration or end time, utilisation, tenant, device
//! shares; an Alibaba PAI job table for submit times and users. Rows are parsed lazily while
//! a run reads them; a row that cannot be used is a skip with its reason.

use super::filter::Filter;
use crate::input::InputError;
use crate::input::series_csv::{csv_error, csv_reader, open_csv, parse_timestamp_ms};
use crate::model::trace::{TraceItem, TraceJob, TraceSource};
use crate::time::{SimTime, TimeUnit};
use std::path::PathBuf;

type Result<T> = std::result::Result<T, InputError>;

/// How trace times are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TraceClock {
    /// Numbers in a unit, trace time 0 = simulation start (+ shift).
    Number(TimeUnit),
    /// Timestamps (RFC 3339 or naive UTC), placed on the simulation's calendar.
    Timestamp,
}

/// Column positions and parsing rules of one trace.
#[derive(Debug, Clone)]
pub struct CsvTrace {
    pub path: PathBuf,
    /// Whether the file's first line names the columns.
    pub has_headers: bool,
    pub submit: usize,
    pub devices: usize,
    /// Devices per unit of the devices column (0.01 for percent of a GPU).
    pub devices_scale: f64,
    /// Column with the number of instances, each holding `devices` devices.
    pub instances: Option<usize>,
    /// Whether a job needing less than one device takes that share of one.
    pub fraction_shares: bool,
    pub share: Option<usize>,
    pub share_scale: f64,
    pub duration: Option<usize>,
    /// Column with the requested wall time (in the duration unit); empty or ≤ 0: none.
    pub walltime: Option<usize>,
    /// Milliseconds per unit of the duration column.
    pub duration_ms_per_unit: f64,
    pub end: Option<usize>,
    pub utilization: Option<usize>,
    pub utilization_scale: f64,
    pub default_utilization: f64,
    pub tenant: Option<usize>,
    pub unit: TraceClock,
    /// Added to trace times [ms] (after the unit conversion).
    pub shift_ms: i64,
    /// UTC instant of simulation time 0 [ms since the epoch].
    pub epoch_ms: i64,
    pub filter: Filter,
    /// Jobs of a separate job table, by name: submit time [ms of simulation time] and user.
    /// When set, a row's submit time and tenant come from its job (`job_key` column).
    pub jobs: Option<std::sync::Arc<JobTable>>,
    pub job_key: usize,
}

/// A job table: name → (submit time [ms of simulation time], user index into `users`, or
/// `NO_USER`). Users are stored once each (a few thousand users own a million jobs), and
/// names of up to 30 hex digits (PAI's are 24) as one number, so an entry takes 32 bytes.
#[derive(Debug, Default)]
pub struct JobTable {
    hex: std::collections::HashMap<u128, (i64, u32)>,
    other: std::collections::HashMap<String, (i64, u32)>,
    users: Vec<String>,
}

/// No user, in a `JobTable` entry.
const NO_USER: u32 = u32::MAX;

/// A name of 1–30 hex digits as a number, with its length in the top byte (so `0a` and `a`
/// stay apart).
fn hex_key(name: &str) -> Option<u128> {
    if name.is_empty() || name.len() > 30 {
        return None;
    }
    let value = u128::from_str_radix(name, 16).ok()?;
    // from_str_radix accepts a leading sign; names with one are not hex keys.
    if name.starts_with(['+', '-']) {
        return None;
    }
    Some((name.len() as u128) << 120 | value)
}

impl JobTable {
    /// A job's submit time [ms] and user.
    fn get(&self, name: &str) -> Option<(i64, Option<&String>)> {
        let &(at, user) = match hex_key(name) {
            Some(k) => self.hex.get(&k)?,
            None => self.other.get(name)?,
        };
        Some((at, self.users.get(user as usize)))
    }

    fn insert(&mut self, name: &str, entry: (i64, u32)) {
        match hex_key(name) {
            Some(k) => self.hex.insert(k, entry),
            None => self.other.insert(name.to_string(), entry),
        };
    }
}

impl CsvTrace {
    /// Trace time text → simulation time [ms] (may be negative before the start).
    pub fn time(&self, text: &str) -> Option<i64> {
        let text = text.trim();
        let t = match self.unit {
            TraceClock::Number(unit) => {
                let v: f64 = text.parse().ok().filter(|v: &f64| v.is_finite())?;
                (v * unit.ms()).round() as i64
            }
            TraceClock::Timestamp => parse_timestamp_ms(text, chrono_tz::Tz::UTC)? - self.epoch_ms,
        };
        Some(t + self.shift_ms)
    }

    /// Parses one record.
    pub fn parse(&self, r: &csv::StringRecord) -> std::result::Result<TraceJob, &'static str> {
        let field = |i: usize| r.get(i).unwrap_or("");
        let row_submit = self
            .time(field(self.submit))
            .ok_or("unparsable submit time")?;
        let mut submit = row_submit;
        let mut job_user = None;
        if let Some(jobs) = &self.jobs {
            let (at, user) = jobs
                .get(field(self.job_key).trim())
                .ok_or("job not in jobs_file")?;
            submit = at;
            job_user = user.cloned();
        }
        let count = |i: usize, what: &'static str| {
            field(i)
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|d| d.is_finite() && *d >= 0.0)
                .ok_or(what)
        };
        // An empty device field (a CPU-only task in the Alibaba tables) is zero devices.
        let devices_text = field(self.devices).trim();
        let mut devices_f = if devices_text.is_empty() {
            0.0
        } else {
            count(self.devices, "unparsable device count")? * self.devices_scale
        };
        if let Some(c) = self.instances {
            devices_f *= count(c, "unparsable instance count")?;
        }
        let devices = devices_f.ceil() as u32;
        if devices == 0 {
            return Err("zero devices");
        }
        let duration_ms: i64 = match (self.duration, self.end) {
            (Some(d), _) => field(d)
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(|v| (v * self.duration_ms_per_unit).round() as i64)
                .ok_or("unparsable duration")?,
            (None, Some(e)) => self.time(field(e)).ok_or("unparsable end time")? - row_submit,
            (None, None) => return Err("no duration"),
        };
        if duration_ms <= 0 {
            return Err("non-positive duration");
        }
        let utilization = match self.utilization {
            Some(u) => {
                let v: f64 = field(u)
                    .trim()
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite())
                    .ok_or("unparsable utilization")?;
                (v * self.utilization_scale).clamp(0.0, 1.0)
            }
            None => self.default_utilization,
        };
        let tenant = job_user.or_else(|| {
            self.tenant
                .map(|t| field(t).trim().to_string())
                .filter(|t| !t.is_empty())
        });
        let share_milli = match self.share {
            _ if self.fraction_shares && devices_f < 1.0 => {
                ((devices_f * 1000.0).round() as u32).clamp(1, 1000)
            }
            Some(c) if devices == 1 => {
                let v: f64 = field(c)
                    .trim()
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite() && *v > 0.0)
                    .ok_or("unparsable device share")?;
                ((v * self.share_scale * 1000.0).round() as u32).clamp(1, 1000)
            }
            _ => 1000,
        };
        if submit < 0 {
            return Err("before the simulation start");
        }
        Ok(TraceJob {
            row: None,
            submit_ms: submit as SimTime,
            devices,
            share_milli,
            duration_ms: duration_ms as SimTime,
            utilization,
            tenant,
            walltime_ms: self.walltime.and_then(|c| {
                field(c)
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v > 0.0)
                    .map(|v| (v * self.duration_ms_per_unit).round() as SimTime)
            }),
        })
    }
}

impl TraceSource for CsvTrace {
    fn open(&self) -> Box<dyn Iterator<Item = TraceItem> + Send> {
        let reader = csv_reader(&self.path, true, self.has_headers);
        let Ok(reader) = reader else {
            // Checked at validation; a file that vanished since is reported as one skip.
            return Box::new(std::iter::once(TraceItem::Skip("trace file unreadable")));
        };
        let me = self.clone();
        Box::new(reader.into_records().map(move |r| match r {
            Err(_) => TraceItem::Skip("malformed CSV row"),
            Ok(r) => me.filter.admit(me.parse(&r)),
        }))
    }
}

impl CsvTrace {
    /// The first row of `reader` that cannot be replayed: its line and why. Rows before the
    /// simulation start are not bad (they are left out).
    pub fn first_bad_row(
        &self,
        reader: &mut csv::Reader<std::fs::File>,
    ) -> Option<(Option<u64>, &'static str)> {
        for r in reader.records() {
            let (line, result) = match r {
                Ok(r) => (r.position().map(|p| p.line()), self.parse(&r).map(|_| ())),
                Err(e) => (e.position().map(|p| p.line()), Err("malformed CSV row")),
            };
            match result {
                Err("before the simulation start") | Ok(()) => {}
                Err(reason) => return Some((line, reason)),
            }
        }
        None
    }
}

/// Columns of the Alibaba PAI 2020 `pai_job_table.csv` (from `pai_job_table.header`).
const PAI_JOB_COLUMNS: &[&str] = &[
    "job_name",
    "inst_id",
    "user",
    "status",
    "start_time",
    "end_time",
];

/// Reads a PAI job table: each job's submission (`start_time`, in the task table's time
/// unit and shift) and user. Rows without a usable time are left out; their tasks are then
/// skipped as "job not in jobs_file".
pub fn read_pai_jobs(path: &std::path::Path, tasks: &CsvTrace) -> Result<JobTable> {
    let (mut reader, _, _) = open_trace_csv(path, Some(PAI_JOB_COLUMNS))?;
    let mut jobs = JobTable::default();
    let mut user_index = std::collections::HashMap::new();
    for r in reader.records() {
        let r = r.map_err(|e| csv_error(path, e))?;
        let (Some(name), Some(at)) = (r.get(0), r.get(4).and_then(|t| tasks.time(t))) else {
            continue;
        };
        let user = match r.get(2).map(str::trim).filter(|u| !u.is_empty()) {
            None => NO_USER,
            Some(u) => *user_index.entry(u.to_string()).or_insert_with(|| {
                jobs.users.push(u.to_string());
                (jobs.users.len() - 1) as u32
            }),
        };
        jobs.insert(name.trim(), (at, user));
    }
    Ok(jobs)
}

/// Opens a CSV trace: its header line names the columns, or — for a format published without
/// one — `header` does (a header line the user added is recognised and skipped). Returns the
/// reader at the first data row, the column names, and whether the file has a header line.
pub fn open_trace_csv(
    path: &std::path::Path,
    header: Option<&'static [&'static str]>,
) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord, bool)> {
    let Some(names) = header else {
        let (reader, headers) = open_csv(path, true)?;
        return Ok((reader, headers, true));
    };
    let open = |has_headers: bool| csv_reader(path, true, has_headers);
    let mut first = csv::StringRecord::new();
    let has_headers = open(false)?.read_record(&mut first).unwrap_or(false)
        && first.iter().map(str::trim).eq(names.iter().copied());
    Ok((
        open(has_headers)?,
        csv::StringRecord::from(names.to_vec()),
        has_headers,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_table_keys_keep_names_apart() {
        // Hex names become numbers with their length, so leading zeros still count; other
        // names (not hex, signed, or longer than 30 digits) are kept as text.
        assert_ne!(hex_key("0a"), hex_key("a"));
        assert_eq!(
            hex_key("4f057009a5d481acec67b088").map(|k| k >> 120),
            Some(24)
        );
        for name in ["", "job-1", "+a", "-a", &"f".repeat(31)] {
            assert_eq!(hex_key(name), None, "{name:?}");
        }
        let mut t = JobTable::default();
        t.users.push("u1".into());
        t.insert("0a", (1, 0));
        t.insert("a", (2, NO_USER));
        t.insert("job-1", (3, 0));
        assert_eq!(t.get("0a"), Some((1, Some(&"u1".to_string()))));
        assert_eq!(t.get("a"), Some((2, None)));
        assert_eq!(t.get("job-1"), Some((3, Some(&"u1".to_string()))));
        assert_eq!(t.get("00a"), None);
        assert_eq!((t.hex.len(), t.other.len()), (2, 1));
    }
}
