//! Validates `[[traces]]`: the format (or a ready preset's columns and units), the columns
//! that exist in the file, time units and shift, filters, and with `on_bad_row = "error"`
//! every row; builds the reader from `input::trace` that a run pulls rows from.

use super::context::Ctx;
use super::error::{ScenarioError, data_error};
use super::locate::KeyPath;
use super::raw::RawTrace;
use super::trace_options::{default_utilization, filter, signed_shift};
use crate::input::series_csv::column_index;
use crate::input::trace::csv::{CsvTrace, TraceClock, open_trace_csv, read_pai_jobs};
use crate::input::trace::philly::{PhillyOptions, TenantField, read_philly};
use crate::input::trace::sort::{SortedTrace, sort_error};
use crate::input::trace::swf::SwfTrace;
use crate::model::trace::{Trace, TraceSource};
use crate::time::{SimTime, TimeUnit};
use std::path::PathBuf;

type Result<T> = std::result::Result<T, ScenarioError>;

/// The trace formats `format` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TraceFormat {
    /// CSV with the columns named in the scenario.
    Csv,
    /// Alibaba `openb_pod_list` (GPU sharing).
    AlibabaOpenb,
    /// Alibaba PAI 2020 task table (with an optional job table).
    AlibabaPai,
    /// SenseTime Helios.
    Helios,
    /// Microsoft Philly `cluster_job_log` (JSON).
    Philly,
    /// Standard Workload Format.
    Swf,
}

impl TraceFormat {
    /// Every format with its name in a scenario.
    const NAMES: [(&'static str, TraceFormat); 6] = [
        ("csv", TraceFormat::Csv),
        ("alibaba-openb", TraceFormat::AlibabaOpenb),
        ("alibaba-pai", TraceFormat::AlibabaPai),
        ("helios", TraceFormat::Helios),
        ("philly", TraceFormat::Philly),
        ("swf", TraceFormat::Swf),
    ];
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
    let format = ctx.choice(
        &key.key("format"),
        raw.format.as_deref().unwrap_or("csv"),
        &TraceFormat::NAMES,
        "trace format (csv names its columns; the others are ready presets)",
    )?;
    let check_every_row = ctx.choice(
        &key.key("on_bad_row"),
        raw.on_bad_row.as_deref().unwrap_or("skip"),
        &[("skip", false), ("error", true)],
        "policy for bad rows (skip: count them by reason; error: refuse the trace)",
    )?;
    if check_every_row && matches!(format, TraceFormat::Swf | TraceFormat::Philly) {
        return Err(ctx.err(
            &key.key("on_bad_row"),
            "\"error\"",
            "on_bad_row = \"error\" checks the rows of CSV traces only",
            "remove on_bad_row: rows of SWF and Philly traces that cannot be used are counted by reason in summary.json",
        ));
    }
    if let Some(column) = raw
        .walltime_column
        .as_ref()
        .filter(|_| matches!(format, TraceFormat::Swf | TraceFormat::Philly))
    {
        return Err(ctx.err(
            &key.key("walltime_column"),
            format!("{column:?}"),
            "a requested-time column is read from CSV traces only",
            "remove walltime_column: SWF traces give the requested time in field 9; Philly logs have none (set walltime instead)",
        ));
    }
    if let Some(file) = raw
        .jobs_file
        .as_ref()
        .filter(|_| format != TraceFormat::AlibabaPai)
    {
        return Err(ctx.err(
            &key.key("jobs_file"),
            format!("{file:?}"),
            "a job table is read only with format = \"alibaba-pai\"",
            "remove jobs_file, or use the PAI task table with format = \"alibaba-pai\"",
        ));
    }
    let preset = match format {
        TraceFormat::Csv => Preset::default(),
        TraceFormat::AlibabaOpenb => Preset {
            submit: Some("creation_time"),
            devices: Some("num_gpu"),
            end: Some("deletion_time"),
            unit: Some("s"),
            share: Some(("gpu_milli", 0.001)),
            ..Preset::default()
        },
        TraceFormat::Helios => Preset {
            submit: Some("submit_time"),
            devices: Some("gpu_num"),
            duration: Some("duration"),
            unit: Some("timestamp"),
            tenant: Some("vc"),
            ..Preset::default()
        },
        TraceFormat::AlibabaPai => Preset {
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
        TraceFormat::Swf => {
            let source = swf_trace(raw, &key, ctx, horizon_ms, path)?;
            return finish_trace(raw, i, ctx, pools, devices, source);
        }
        TraceFormat::Philly => {
            let source = philly_trace(raw, &key, ctx, epoch_ms, horizon_ms, path)?;
            return finish_trace(raw, i, ctx, pools, devices, source);
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
    let clocks = [
        ("ms", TraceClock::Number(TimeUnit::Ms)),
        ("s", TraceClock::Number(TimeUnit::S)),
        ("min", TraceClock::Number(TimeUnit::Min)),
        ("h", TraceClock::Number(TimeUnit::H)),
        ("timestamp", TraceClock::Timestamp),
    ];
    let unit = ctx.choice(
        &key.key("time_unit"),
        raw.time_unit.as_deref().or(preset.unit).unwrap_or("s"),
        &clocks,
        "time unit (numbers: 0 = the simulation start; timestamp: dates)",
    )?;
    let duration = opt_col(duration_name.as_ref(), "duration_column")?;
    let duration_ms_per_unit = match raw.duration_unit.as_deref() {
        None => match unit {
            TraceClock::Number(unit) => unit.ms(),
            TraceClock::Timestamp => TimeUnit::S.ms(),
        },
        Some(text) => ctx
            .choice(
                &key.key("duration_unit"),
                text,
                &TimeUnit::NAMES,
                "duration unit (default: time_unit, or s with timestamps)",
            )?
            .ms(),
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
        walltime: opt_col(raw.walltime_column.as_ref(), "walltime_column")?,
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
        filter: filter(raw, &key, ctx, horizon_ms)?,
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

    if check_every_row && let Some((line, reason)) = trace.first_bad_row(&mut reader) {
        return Err(ctx.referenced(
            &key.key("file"),
            data_error::<ScenarioError>(
                &path,
                line,
                "row",
                "",
                format!("the row cannot be replayed: {reason}"),
                "fix the row, or set on_bad_row = \"skip\" to count and skip such rows",
            ),
        ));
    }
    let source: std::sync::Arc<dyn TraceSource> = if raw.sort.unwrap_or(preset.sort) {
        let sorted = SortedTrace::new(trace.open())
            .map_err(|e| ctx.referenced(&key.key("file"), sort_error(e, &path)))?;
        std::sync::Arc::new(sorted)
    } else {
        std::sync::Arc::new(trace)
    };
    finish_trace(raw, i, ctx, pools, devices, source)
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
        terms: super::terms::job_terms(
            ctx,
            &key,
            super::terms::RawTerms {
                walltime: raw.walltime.as_ref(),
                deadline: raw.deadline.as_ref(),
                priority: raw.priority,
            },
            false,
        )?,
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
    if let Err(e) = crate::input::open_data(&path) {
        return Err(ctx.referenced(&key.key("file"), ScenarioError::from(e)));
    }
    let trace = SwfTrace {
        path,
        default_utilization: default_utilization(raw, key, ctx)?,
        shift_ms: signed_shift(raw, key, ctx)?,
        filter: filter(raw, key, ctx, horizon_ms)?,
    };
    Ok(std::sync::Arc::new(trace))
}

/// A `format = "philly"` trace: the options checked, the whole log read into submit-time
/// order (a malformed file is an error naming its line and column).
fn philly_trace(
    raw: &RawTrace,
    key: &KeyPath,
    ctx: &Ctx,
    epoch_ms: i64,
    horizon_ms: SimTime,
    path: PathBuf,
) -> Result<std::sync::Arc<dyn TraceSource>> {
    let tenant = ctx.choice(
        &key.key("tenant_column"),
        raw.tenant_column.as_deref().unwrap_or("vc"),
        &[("vc", TenantField::Vc), ("user", TenantField::User)],
        "tenant field of a Philly log (vc: the virtual cluster, the default; user)",
    )?;
    let options = PhillyOptions {
        epoch_ms,
        shift_ms: signed_shift(raw, key, ctx)?,
        utilization: default_utilization(raw, key, ctx)?,
        tenant,
        filter: filter(raw, key, ctx, horizon_ms)?,
    };
    let sorted = read_philly(&path, &options).map_err(|e| ctx.referenced(&key.key("file"), e))?;
    Ok(std::sync::Arc::new(sorted))
}
