//! Reads job traces from CSV by naming their columns (or by a ready format): submit time,
//! devices, duration or end time, and optionally utilisation and tenant; time units and
//! shift; filters (time window, minimum devices). Rows are parsed lazily during the run; rows that cannot be used are
//! counted by reason (or, with `on_bad_row = "error"`, rejected before the run with their
//! line).

use super::context::Ctx;
use super::error::{ScenarioError, data_error};
use super::locate::KeyPath;
use super::raw::RawTrace;
use super::trace_options::{Filter, default_utilization, signed_shift};
use crate::input::series_csv::{column_index, parse_timestamp_ms};
use crate::model::trace::{Trace, TraceItem, TraceJob, TraceSource};
use crate::time::SimTime;
use std::path::PathBuf;

type Result<T> = std::result::Result<T, ScenarioError>;

/// How trace times are written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TimeUnit {
    /// Numbers in this many ms per unit, trace time 0 = simulation start (+ shift).
    Number(f64),
    /// Timestamps (RFC 3339 or naive UTC), placed on the simulation's calendar.
    Timestamp,
}

/// Column positions and parsing rules of one trace.
#[derive(Debug, Clone)]
struct CsvTrace {
    path: PathBuf,
    /// Whether the file's first line names the columns.
    has_headers: bool,
    submit: usize,
    devices: usize,
    /// Devices per unit of the devices column (0.01 for percent of a GPU).
    devices_scale: f64,
    /// Column with the number of instances, each holding `devices` devices.
    instances: Option<usize>,
    /// Whether a job needing less than one device takes that share of one.
    fraction_shares: bool,
    share: Option<usize>,
    share_scale: f64,
    duration: Option<usize>,
    /// Milliseconds per unit of the duration column.
    duration_ms_per_unit: f64,
    end: Option<usize>,
    utilization: Option<usize>,
    utilization_scale: f64,
    default_utilization: f64,
    tenant: Option<usize>,
    unit: TimeUnit,
    /// Added to trace times [ms] (after the unit conversion).
    shift_ms: i64,
    /// UTC instant of simulation time 0 [ms since the epoch].
    epoch_ms: i64,
    filter: Filter,
    /// Jobs of a separate job table, by name: submit time [ms of simulation time] and user.
    /// When set, a row's submit time and tenant come from its job (`job_key` column).
    jobs: Option<std::sync::Arc<JobTable>>,
    job_key: usize,
}

/// A job table: name → (submit time [ms of simulation time], user index into `users`, or
/// `NO_USER`). Users are stored once each (a few thousand users own a million jobs), and
/// names of up to 30 hex digits (PAI's are 24) as one number, so an entry takes 32 bytes.
#[derive(Debug, Default)]
struct JobTable {
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
    fn time(&self, text: &str) -> Option<i64> {
        let text = text.trim();
        let t = match self.unit {
            TimeUnit::Number(ms) => {
                let v: f64 = text.parse().ok().filter(|v: &f64| v.is_finite())?;
                (v * ms).round() as i64
            }
            TimeUnit::Timestamp => parse_timestamp_ms(text, chrono_tz::Tz::UTC)? - self.epoch_ms,
        };
        Some(t + self.shift_ms)
    }

    /// Parses one record.
    fn parse(&self, r: &csv::StringRecord) -> std::result::Result<TraceJob, &'static str> {
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
        })
    }
}

impl TraceSource for CsvTrace {
    fn open(&self) -> Box<dyn Iterator<Item = TraceItem> + Send> {
        let reader = crate::input::series_csv::csv_reader(&self.path, true, self.has_headers);
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

/// A trace in the Standard Workload Format of the Parallel Workloads Archive: one job per
/// line, 18 whitespace-separated fields, `;` comments, -1 for unknown. wattsim reads field 2
/// (submit time, s), 4 (run time, s), 5 (allocated processors; else 8, requested) as devices,
/// and 12 (user id) as the tenant `user-<id>`.
#[derive(Debug, Clone)]
struct SwfTrace {
    path: PathBuf,
    default_utilization: f64,
    shift_ms: i64,
    filter: Filter,
}

impl SwfTrace {
    fn parse(&self, line: &str) -> Option<std::result::Result<TraceJob, &'static str>> {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') {
            return None;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 12 {
            return Some(Err("malformed SWF line (fewer than 12 fields)"));
        }
        let num = |i: usize| f[i].parse::<f64>().ok().filter(|v| v.is_finite());
        Some((|| {
            let submit = num(1).ok_or("unparsable submit time")?;
            let run = num(3).ok_or("unparsable duration")?;
            if run < 0.0 {
                return Err("no duration");
            }
            if run == 0.0 {
                return Err("non-positive duration");
            }
            let devices = num(4)
                .filter(|d| *d > 0.0)
                .or_else(|| num(7).filter(|d| *d > 0.0))
                .ok_or("zero devices")?;
            let submit_ms = (submit * 1000.0).round() as i64 + self.shift_ms;
            if submit_ms < 0 {
                return Err("before the simulation start");
            }
            let user = num(11)
                .filter(|u| *u >= 0.0)
                .map(|u| format!("user-{}", u as i64));
            Ok(TraceJob {
                row: None,
                submit_ms: submit_ms as SimTime,
                devices: devices.ceil() as u32,
                share_milli: 1000,
                duration_ms: (run * 1000.0).round() as SimTime,
                utilization: self.default_utilization,
                tenant: user,
            })
        })())
    }
}

impl TraceSource for SwfTrace {
    fn open(&self) -> Box<dyn Iterator<Item = TraceItem> + Send> {
        use std::io::BufRead;
        let Ok(file) = std::fs::File::open(&self.path) else {
            return Box::new(std::iter::once(TraceItem::Skip("trace file unreadable")));
        };
        let me = self.clone();
        Box::new(
            std::io::BufReader::new(file)
                .lines()
                .filter_map(move |line| match line {
                    Err(_) => Some(TraceItem::Skip("unreadable line")),
                    Ok(line) => me.parse(&line).map(|r| me.filter.admit(r)),
                }),
        )
    }
}

/// The column names and units a ready `format` implies; the scenario's own keys override them.
#[derive(Debug, Default, Clone, Copy)]
struct Preset {
    submit: Option<&'static str>,
    devices: Option<&'static str>,
    end: Option<&'static str>,
    duration: Option<&'static str>,
    unit: Option<&'static str>,
    /// Share-of-one-device column and its scale to a fraction.
    share: Option<(&'static str, f64)>,
    tenant: Option<&'static str>,
    /// Column names of a file published without a header line.
    header: Option<&'static [&'static str]>,
    devices_scale: Option<f64>,
    instances: Option<&'static str>,
    fraction_shares: bool,
    /// Whether the published files are not in submit-time order.
    sort: bool,
}

/// Columns of the Alibaba PAI 2020 `pai_task_table.csv` (from `pai_task_table.header`).
const PAI_TASK_COLUMNS: &[&str] = &[
    "job_name",
    "task_name",
    "inst_num",
    "status",
    "start_time",
    "end_time",
    "plan_cpu",
    "plan_mem",
    "plan_gpu",
    "gpu_type",
];

/// Validates a `[[traces]]` entry: the file opens, the columns exist; with `on_bad_row =
/// "error"`, every row parses.
pub fn validate_trace(
    raw: &RawTrace,
    i: usize,
    ctx: &Ctx,
    epoch_ms: i64,
    horizon_ms: SimTime,
    pools: &[crate::model::pool::Pool],
    devices: &std::collections::BTreeMap<String, crate::model::device::Device>,
) -> Result<Trace> {
    let key = KeyPath::default().key("traces").index(i);
    let path = ctx.resolve(&raw.file);
    let format = raw.format.as_deref().unwrap_or("csv");
    if let Some(file) = raw.jobs_file.as_ref().filter(|_| format != "alibaba-pai") {
        return Err(ctx.err(
            &key.key("jobs_file"),
            format!("{file:?}"),
            "a job table is read only with format = \"alibaba-pai\"",
            "remove jobs_file, or use the PAI task table with format = \"alibaba-pai\"",
        ));
    }
    let preset = match format {
        "csv" => Preset::default(),
        "alibaba-openb" => Preset {
            submit: Some("creation_time"),
            devices: Some("num_gpu"),
            end: Some("deletion_time"),
            unit: Some("s"),
            share: Some(("gpu_milli", 0.001)),
            ..Preset::default()
        },
        "helios" => Preset {
            submit: Some("submit_time"),
            devices: Some("gpu_num"),
            duration: Some("duration"),
            unit: Some("timestamp"),
            tenant: Some("vc"),
            ..Preset::default()
        },
        "alibaba-pai" => Preset {
            submit: Some("start_time"),
            devices: Some("plan_gpu"),
            end: Some("end_time"),
            unit: Some("s"),
            tenant: Some("job_name"),
            header: Some(PAI_TASK_COLUMNS),
            devices_scale: Some(0.01),
            instances: Some("inst_num"),
            fraction_shares: true,
            sort: true,
            ..Preset::default()
        },
        "swf" => {
            let source = swf_trace(raw, &key, ctx, horizon_ms, path)?;
            return finish_trace(raw, i, ctx, pools, devices, source);
        }
        "philly" => {
            let source = super::philly::philly_trace(raw, &key, ctx, epoch_ms, horizon_ms, path)?;
            return finish_trace(raw, i, ctx, pools, devices, source);
        }
        other => {
            return Err(ctx.err(
                &key.key("format"),
                format!("{other:?}"),
                "unknown trace format",
                "use \"csv\" (with column names), \"alibaba-openb\", \"alibaba-pai\", \"helios\", \"philly\" or \"swf\"",
            ));
        }
    };
    let required = |v: Option<&String>, preset: Option<&str>, k: &str| -> Result<String> {
        v.cloned().or(preset.map(String::from)).ok_or_else(|| {
            ctx.err(
                &key.key(k),
                "(missing)",
                format!("a CSV trace needs `{k}`"),
                "name the column, or use a preset format such as \"alibaba-openb\"",
            )
        })
    };
    let submit_name = required(raw.submit_column.as_ref(), preset.submit, "submit_column")?;
    let devices_name = required(
        raw.devices_column.as_ref(),
        preset.devices,
        "devices_column",
    )?;
    // A column the user names replaces the preset's way of giving run times.
    let user_span = raw.duration_column.is_some() || raw.end_column.is_some();
    let preset_span = |v: Option<&'static str>| {
        if user_span { None } else { v.map(String::from) }
    };
    let end_name = raw.end_column.clone().or_else(|| preset_span(preset.end));
    let duration_name = raw
        .duration_column
        .clone()
        .or_else(|| preset_span(preset.duration));
    let (mut reader, headers, has_headers) =
        open_trace_csv(&path, preset.header).map_err(|e| ctx.referenced(&key.key("file"), e))?;
    let col = |name: &str, what: &str| {
        column_index(&path, &headers, name, what).map_err(|e| ctx.referenced(&key.key(what), e))
    };
    let opt_col = |name: Option<&String>, what: &str| name.map(|n| col(n, what)).transpose();
    let unit = match raw.time_unit.as_deref().or(preset.unit).unwrap_or("s") {
        "ms" => TimeUnit::Number(1.0),
        "s" => TimeUnit::Number(1000.0),
        "min" => TimeUnit::Number(60_000.0),
        "h" => TimeUnit::Number(3_600_000.0),
        "timestamp" => TimeUnit::Timestamp,
        other => return Err(ctx.err(&key.key("time_unit"), format!("{other:?}"), "unknown time unit", "use \"s\", \"ms\", \"min\", \"h\" (numbers; 0 = the simulation start) or \"timestamp\" (dates)")),
    };
    let duration = opt_col(duration_name.as_ref(), "duration_column")?;
    let duration_ms_per_unit = match raw.duration_unit.as_deref() {
        None => match unit {
            TimeUnit::Number(ms) => ms,
            TimeUnit::Timestamp => 1000.0,
        },
        Some("ms") => 1.0,
        Some("s") => 1000.0,
        Some("min") => 60_000.0,
        Some("h") => 3_600_000.0,
        Some(other) => {
            return Err(ctx.err(
                &key.key("duration_unit"),
                format!("{other:?}"),
                "unknown duration unit",
                "use \"s\", \"ms\", \"min\" or \"h\" (default: time_unit, or s with timestamps)",
            ));
        }
    };
    let end = opt_col(end_name.as_ref(), "end_column")?;
    if duration.is_some() == end.is_some() {
        return Err(ctx.err(
            &key,
            "(trace)",
            "give exactly one of duration_column and end_column",
            "name the column with each job's run time, or its end time",
        ));
    }
    let mut trace = CsvTrace {
        path: path.clone(),
        has_headers,
        submit: col(&submit_name, "submit_column")?,
        devices: col(&devices_name, "devices_column")?,
        devices_scale: match raw.devices_scale {
            Some(s) => ctx.number(&key.key("devices_scale"), s, 1e-9, 1e9, "a scale")?,
            None => preset.devices_scale.unwrap_or(1.0),
        },
        instances: opt_col(
            raw.instances_column
                .clone()
                .or(preset.instances.map(String::from))
                .as_ref(),
            "instances_column",
        )?,
        fraction_shares: preset.fraction_shares,
        share: match (&raw.share_column, preset.share) {
            (Some(c), _) => Some(col(c, "share_column")?),
            (None, Some((c, _))) => Some(col(c, "share_column")?),
            (None, None) => None,
        },
        share_scale: match (raw.share_scale, preset.share) {
            (Some(s), _) => ctx.number(&key.key("share_scale"), s, 1e-9, 1e9, "a scale")?,
            (None, Some((_, s))) => s,
            (None, None) => 1.0,
        },
        duration,
        duration_ms_per_unit,
        end,
        utilization: opt_col(raw.utilization_column.as_ref(), "utilization_column")?,
        utilization_scale: match raw.utilization_scale {
            Some(s) => ctx.number(&key.key("utilization_scale"), s, 1e-9, 1e9, "a scale")?,
            None => 1.0,
        },
        default_utilization: default_utilization(raw, &key, ctx)?,
        tenant: opt_col(
            raw.tenant_column
                .clone()
                .or(preset.tenant.map(String::from))
                .as_ref(),
            "tenant_column",
        )?,
        unit,
        shift_ms: signed_shift(raw, &key, ctx)?,
        epoch_ms,
        filter: Filter::new(raw, &key, ctx, horizon_ms)?,
        jobs: None,
        job_key: 0,
    };
    if let Some(file) = &raw.jobs_file {
        trace.jobs = Some(std::sync::Arc::new(
            read_pai_jobs(&ctx.resolve(file), &trace)
                .map_err(|e| ctx.referenced(&key.key("jobs_file"), e))?,
        ));
        trace.job_key = col("job_name", "jobs_file")?;
    }
    match raw.on_bad_row.as_deref().unwrap_or("skip") {
        "skip" => {}
        "error" => {
            for r in reader.records() {
                let (line, result) = match r {
                    Ok(r) => (r.position().map(|p| p.line()), trace.parse(&r).map(|_| ())),
                    Err(e) => (e.position().map(|p| p.line()), Err("malformed CSV row")),
                };
                if let Err(reason) = result {
                    if reason == "before the simulation start" {
                        continue;
                    }
                    return Err(ctx.referenced(
                        &key.key("file"),
                        data_error(
                            &path,
                            line,
                            "row",
                            "",
                            format!("the row cannot be replayed: {reason}"),
                            "fix the row, or set on_bad_row = \"skip\" to count and skip such rows",
                        ),
                    ));
                }
            }
        }
        other => {
            return Err(ctx.err(
                &key.key("on_bad_row"),
                format!("{other:?}"),
                "unknown policy",
                "use \"skip\" (count rows that cannot be used by reason) or \"error\"",
            ));
        }
    }
    let source: std::sync::Arc<dyn TraceSource> = if raw.sort.unwrap_or(preset.sort) {
        super::trace_sort::SortedTrace::for_scenario(trace.open(), &path, &key, ctx)?
    } else {
        std::sync::Arc::new(trace)
    };
    finish_trace(raw, i, ctx, pools, devices, source)
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
fn read_pai_jobs(path: &std::path::Path, tasks: &CsvTrace) -> Result<JobTable> {
    let (mut reader, _, _) = open_trace_csv(path, Some(PAI_JOB_COLUMNS))?;
    let mut jobs = JobTable::default();
    let mut user_index = std::collections::HashMap::new();
    for r in reader.records() {
        let r = r.map_err(|e| crate::input::series_csv::csv_error(path, e))?;
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
fn open_trace_csv(
    path: &std::path::Path,
    header: Option<&'static [&'static str]>,
) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord, bool)> {
    let Some(names) = header else {
        let (reader, headers) = crate::input::series_csv::open_csv(path, true)?;
        return Ok((reader, headers, true));
    };
    let open = |has_headers: bool| crate::input::series_csv::csv_reader(path, true, has_headers);
    let mut first = csv::StringRecord::new();
    let has_headers = open(false)?.read_record(&mut first).unwrap_or(false)
        && first.iter().map(str::trim).eq(names.iter().copied());
    Ok((
        open(has_headers)?,
        csv::StringRecord::from(names.to_vec()),
        has_headers,
    ))
}

/// The parts of a trace that do not depend on its format.
fn finish_trace(
    raw: &RawTrace,
    i: usize,
    ctx: &Ctx,
    pools: &[crate::model::pool::Pool],
    devices: &std::collections::BTreeMap<String, crate::model::device::Device>,
    source: std::sync::Arc<dyn TraceSource>,
) -> Result<Trace> {
    let key = KeyPath::default().key("traces").index(i);
    Ok(Trace {
        name: raw.name.clone().unwrap_or_else(|| format!("trace{i}")),
        source,
        pool: match &raw.pool {
            Some(name) => Some(pools.iter().position(|p| &p.name == name).ok_or_else(|| {
                ctx.err(
                    &key.key("pool"),
                    format!("{name:?}"),
                    "no pool has this name",
                    "use the name of a [[pools]] entry",
                )
            })?),
            None => None,
        },
        work: super::work::reference_work(ctx, &key, raw.reference_device.as_ref(), devices)?,
        speeds: super::work::speeds(ctx, &key, raw.relative_throughput.as_ref())?,
    })
}

/// A `format = "swf"` trace.
fn swf_trace(
    raw: &RawTrace,
    key: &KeyPath,
    ctx: &Ctx,
    horizon_ms: SimTime,
    path: PathBuf,
) -> Result<std::sync::Arc<dyn TraceSource>> {
    if std::fs::metadata(&path).is_err() {
        return Err(ctx.referenced(
            &key.key("file"),
            ScenarioError::from(crate::input::InputError::ReadData {
                path,
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            }),
        ));
    }
    let trace = SwfTrace {
        path,
        default_utilization: default_utilization(raw, key, ctx)?,
        shift_ms: signed_shift(raw, key, ctx)?,
        filter: Filter::new(raw, key, ctx, horizon_ms)?,
    };
    Ok(std::sync::Arc::new(trace))
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
