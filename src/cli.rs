//! The command line: `wattsim run | validate | catalog`. Parses arguments, calls the library,
//! chooses output paths; errors carry context and map to exit codes in `main`.

use crate::model::catalog::CATALOG;
use crate::report::{self, Summary};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

/// Exit code for input the user must fix (bad scenario, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for any other failure (e.g. an output folder that cannot be written).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code of a sweep in which some runs failed (the others completed).
pub const EXIT_RUNS_FAILED: u8 = 3;

/// Some runs of a sweep failed; their errors are in `sweep.csv`.
#[derive(Debug, thiserror::Error)]
#[error(
    "{failed} of {ran} runs failed (see the `error` column of {dir}/sweep.csv); the other runs completed"
)]
pub struct RunsFailed {
    /// Failed runs.
    pub failed: usize,
    /// Runs done.
    pub ran: usize,
    /// Output folder.
    pub dir: String,
}

/// wattsim: simulate what an AI cluster costs to run in electricity, money and carbon.
#[derive(Debug, Parser)]
#[command(name = "wattsim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and write its reports.
    Run {
        /// Scenario file (TOML).
        file: PathBuf,
        /// Output folder [default: output/STEM, STEM being the scenario file name without .toml].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Seed, overriding [simulation] seed.
        #[arg(long)]
        seed: Option<u64>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Do not draw charts or write report.html.
        #[arg(long)]
        no_charts: bool,
    },
    /// Check a scenario without running it.
    Validate {
        /// Scenario file (TOML).
        file: PathBuf,
    },
    /// Price a measured load profile on a tariff, without simulating anything.
    Bill(BillArgs),
    /// Run every point of one or more scenarios' `[sweep]` tables, with replications, in
    /// parallel.
    Sweep {
        /// Scenario files (each with or without a `[sweep]` table).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Threads [default: one per core].
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Output folder [default: output/sweep-STEM, STEM being the first file's name].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write every run's full reports under runs/.
        #[arg(long)]
        keep_runs: bool,
        /// Keep the runs already recorded in the output folder and run only the rest.
        #[arg(long)]
        resume: bool,
        /// Run only shard I of N (I from 0): runs whose index modulo N is I.
        #[arg(long, value_parser = parse_shard, value_name = "I/N")]
        shard: Option<(usize, usize)>,
        /// Do not draw charts or write report.html.
        #[arg(long)]
        no_charts: bool,
    },
    /// Fit a device's power curve to samples, or a power-cap table to a power-limit sweep,
    /// and print TOML to paste into a scenario.
    #[command(subcommand)]
    Calibrate(CalibrateCommand),
    /// Redraw the charts and report.html of a run or sweep output folder, without re-running.
    Chart {
        /// Output folder of `wattsim run` or `wattsim sweep`.
        dir: PathBuf,
    },
    /// Combine the output folders of a sharded sweep into the files one sweep writes.
    Merge {
        /// Shard output folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// List the built-in devices.
    Catalog {
        /// Output format.
        #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
        format: CatalogFormat,
    },
}

/// Parses `I/N` with 0 ≤ I < N.
fn parse_shard(text: &str) -> std::result::Result<(usize, usize), String> {
    let (i, n) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` is not I/N, e.g. 0/4"))?;
    let i: usize = i
        .trim()
        .parse()
        .map_err(|_| format!("`{i}` is not a whole number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a whole number"))?;
    if n == 0 || i >= n {
        return Err(format!(
            "shard {i}/{n}: need 0 ≤ I < N (shards are numbered from 0)"
        ));
    }
    Ok((i, n))
}

fn sweep(
    files: &[PathBuf],
    out: Option<PathBuf>,
    opts: &crate::sweep::SweepOptions,
    charts: bool,
) -> Result<()> {
    let expanded = files
        .iter()
        .enumerate()
        .map(|(i, f)| crate::scenario::sweep::expand(f, i))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let points: Vec<_> = expanded.iter().flat_map(|f| &f.points).collect();
    if let Some(first_error) = points.iter().find_map(|p| p.scenario.as_ref().err()) {
        if points.iter().all(|p| p.scenario.is_err()) {
            // Nothing could run: this is bad input, not a partly failed sweep.
            let first = expanded
                .into_iter()
                .flat_map(|f| f.points)
                .find_map(|p| p.scenario.err());
            return Err(first.context("every point of the sweep is invalid")?.into());
        }
        eprintln!(
            "warning: {} of {} sweep points are invalid; their runs are recorded as failed. The first:\n{first_error}",
            points.iter().filter(|p| p.scenario.is_err()).count(),
            points.len()
        );
    }
    for f in &expanded {
        if let Some(Ok(s)) = f.points.first().map(|p| &p.scenario) {
            warn(&s.notes);
        }
    }
    let dir = out
        .unwrap_or_else(|| PathBuf::from("output").join(format!("sweep-{}", file_stem(&files[0]))));
    let progress = progress_reporter();
    let outcome = crate::sweep::run_sweep(&expanded, &dir, opts, &progress)
        .with_context(|| format!("sweeping into `{}`", dir.display()))?;
    eprintln!(
        "sweep: {} run(s) done, {} failed, {} already recorded, {} in the whole sweep",
        outcome.ran, outcome.failed, outcome.skipped, outcome.total
    );
    if outcome.complete {
        if charts {
            sweep_charts(&dir)?;
        }
        println!(
            "wrote {}/ (sweep.csv, sweep_summary.csv, bill_forecast.csv, manifest.json, runs/{})",
            dir.display(),
            if charts { ", charts/, report.html" } else { "" }
        );
    } else {
        println!(
            "wrote {}/runs/; when every shard is done, combine them with `wattsim merge DIR... --out DIR`",
            dir.display()
        );
    }
    if outcome.failed > 0 {
        return Err(RunsFailed {
            failed: outcome.failed,
            ran: outcome.ran,
            dir: dir.display().to_string(),
        }
        .into());
    }
    Ok(())
}

/// Reports sweep progress on stderr: a bar on a terminal, a line every 10 % otherwise.
fn progress_reporter() -> impl Fn(crate::sweep::runner::Progress) + Sync {
    use std::io::IsTerminal;
    let start = std::time::Instant::now();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} runs, {msg} failed, ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    move |p: crate::sweep::runner::Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.todo as u64);
            bar.set_position(p.done as u64);
            bar.set_message(p.failed.to_string());
            if p.done == p.todo {
                bar.finish_and_clear();
            }
            return;
        }
        let step = (p.todo / 10).max(1);
        if p.done.is_multiple_of(step) || p.done == p.todo {
            let elapsed = start.elapsed().as_secs_f64();
            let eta = elapsed / p.done as f64 * (p.todo - p.done) as f64;
            eprintln!(
                "sweep: {}/{} runs done, {} failed, ETA {:.0} s",
                p.done, p.todo, p.failed, eta
            );
        }
    }
}

/// Draws the sweep charts and report of a finished sweep folder.
fn sweep_charts(dir: &Path) -> Result<()> {
    let title = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sweep".to_string());
    let drawn = crate::plot::sweep_outputs(&crate::plot::folder(dir), &title)?;
    report::output::write_files(dir, &drawn)?;
    Ok(())
}

fn chart(dir: &Path) -> Result<()> {
    let files = if dir.join("sweep_summary.csv").exists() {
        return sweep_charts(dir)
            .map(|()| println!("wrote {}/charts/ and report.html", dir.display()));
    } else {
        crate::plot::run_outputs(&crate::plot::folder(dir))
            .with_context(|| format!("`{}` is not a wattsim output folder", dir.display()))?
    };
    report::output::write_files(dir, &files)?;
    println!("wrote {}/charts/ and report.html", dir.display());
    Ok(())
}

fn merge(dirs: &[PathBuf], out: &Path) -> Result<()> {
    let mut manifest: Option<crate::sweep::report::Manifest> = None;
    for d in dirs {
        let m = crate::sweep::report::Manifest::read(&d.join("manifest.json"))
            .with_context(|| format!("`{}` is not a sweep output folder", d.display()))?;
        if let Some(first) = &manifest {
            anyhow::ensure!(
                first.sweep_sha256 == m.sweep_sha256,
                "`{}` holds a different sweep than `{}` (scenario files or wattsim version differ)",
                d.display(),
                dirs[0].display()
            );
        } else {
            manifest = Some(m);
        }
    }
    let manifest = manifest.context("no folders to merge")?;
    crate::sweep::report::write_final(out, dirs, &manifest)
        .with_context(|| format!("merging into `{}`", out.display()))?;
    println!(
        "wrote {}/ (sweep.csv, sweep_summary.csv, bill_forecast.csv, manifest.json)",
        out.display()
    );
    Ok(())
}

/// Arguments of `wattsim bill`.
#[derive(Debug, clap::Args)]
pub struct BillArgs {
    /// Load CSV: one row per interval, timestamp = interval start.
    #[arg(long)]
    pub load: PathBuf,
    /// Tariff: a TOML file with a [tariff] table (as in a scenario), or a URDB .json record.
    #[arg(long)]
    pub tariff: PathBuf,
    /// IANA time zone of a URDB tariff and of load timestamps written without an offset.
    #[arg(long)]
    pub time_zone: Option<String>,
    /// Timestamp column of the load file.
    #[arg(long, default_value = "timestamp")]
    pub time_column: String,
    /// Value column of the load file.
    #[arg(long, default_value = "kw")]
    pub value_column: String,
    /// What the value column holds.
    #[arg(long, value_enum, default_value_t = LoadUnitArg::Kw)]
    pub unit: LoadUnitArg,
    /// Output folder [default: output/STEM-bill, STEM being the load file name].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What to calibrate.
#[derive(Debug, Subcommand)]
pub enum CalibrateCommand {
    /// Fit idle, max and a power-law exponent (and a table) to (utilisation, watts) samples.
    Power {
        /// CSV of samples.
        #[arg(long)]
        samples: PathBuf,
        /// Utilisation column.
        #[arg(long, default_value = "utilization")]
        util_column: String,
        /// Power column [W].
        #[arg(long, default_value = "watts")]
        watts_column: String,
        /// Factor to turn the utilisation column into 0..1 (0.01 for percent).
        #[arg(long, default_value_t = 1.0)]
        util_scale: f64,
        /// Device id for the snippet.
        #[arg(long, default_value = "my-device")]
        device: String,
        /// Keep only rows where COLUMN equals VALUE (repeatable).
        #[arg(long = "where", value_parser = parse_filter, value_name = "COLUMN=VALUE")]
        filters: Vec<(String, String)>,
    },
    /// Fit a cap → relative-throughput table to a power-limit sweep (time per unit of work
    /// at each cap).
    Caps {
        /// CSV of the sweep.
        #[arg(long)]
        sweep: PathBuf,
        /// Power-limit column [W].
        #[arg(long, default_value = "power_limit")]
        cap_column: String,
        /// Time per unit of work column (any unit).
        #[arg(long, default_value = "time_per_epoch")]
        time_column: String,
        /// Keep only rows where COLUMN equals VALUE (repeatable).
        #[arg(long = "where", value_parser = parse_filter, value_name = "COLUMN=VALUE")]
        filters: Vec<(String, String)>,
    },
}

/// Parses `COLUMN=VALUE`.
fn parse_filter(text: &str) -> std::result::Result<(String, String), String> {
    text.split_once('=')
        .map(|(c, v)| (c.trim().to_string(), v.trim().to_string()))
        .ok_or_else(|| format!("`{text}` is not COLUMN=VALUE"))
}

fn calibrate(cmd: &CalibrateCommand) -> Result<()> {
    use crate::calibrate as cal;
    match cmd {
        CalibrateCommand::Power {
            samples,
            util_column,
            watts_column,
            util_scale,
            device,
            filters,
        } => {
            let rows = crate::input::samples::read_columns(
                samples,
                &[util_column, watts_column],
                filters,
            )?;
            let us: Vec<f64> = rows
                .iter()
                .map(|r| (r[0] * util_scale).clamp(0.0, 1.0))
                .collect();
            let ws: Vec<f64> = rows.iter().map(|r| r[1]).collect();
            let (lin, law, table) = (
                cal::fit_linear(&us, &ws),
                cal::fit_power_law(&us, &ws),
                cal::fit_table(&us, &ws),
            );
            print!(
                "{}",
                cal::power_snippet(device, rows.len(), &lin, &law, &table)
            );
        }
        CalibrateCommand::Caps {
            sweep,
            cap_column,
            time_column,
            filters,
        } => {
            let rows =
                crate::input::samples::read_columns(sweep, &[cap_column, time_column], filters)?;
            let pairs: Vec<(f64, f64)> = rows.iter().map(|r| (r[0], r[1])).collect();
            print!("{}", cal::caps_snippet(pairs.len(), &cal::fit_caps(&pairs)));
        }
    }
    Ok(())
}

/// Unit of a load file's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LoadUnitArg {
    /// Average kW over each interval.
    Kw,
    /// kWh in each interval.
    Kwh,
}

/// How `catalog` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CatalogFormat {
    /// Aligned columns.
    Table,
    /// CSV with a header.
    Csv,
}

/// Runs a parsed command line.
pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run {
            file,
            out,
            seed,
            quiet,
            no_charts,
        } => run(&file, out, seed, quiet, !no_charts),
        Command::Chart { dir } => chart(&dir),
        Command::Calibrate(cmd) => calibrate(&cmd),
        Command::Validate { file } => validate(&file),
        Command::Bill(args) => bill(&args),
        Command::Sweep {
            files,
            threads,
            out,
            keep_runs,
            resume,
            shard,
            no_charts,
        } => {
            let opts = crate::sweep::SweepOptions {
                threads,
                resume,
                shard,
                keep_runs,
            };
            sweep(&files, out, &opts, !no_charts)
        }
        Command::Merge { dirs, out } => merge(&dirs, &out),
        Command::Catalog { format } => {
            print!("{}", catalog(format)?);
            Ok(())
        }
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".to_string())
}

/// Prints warnings about inputs read only in part.
fn warn(notes: &[String]) {
    for note in notes {
        eprintln!("warning: {note}");
    }
}

fn run(
    file: &Path,
    out: Option<PathBuf>,
    seed: Option<u64>,
    quiet: bool,
    charts: bool,
) -> Result<()> {
    let loaded = crate::scenario::load(file)?;
    warn(&loaded.scenario.notes);
    let mut scenario = loaded.scenario;
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(file_stem(file)));
    let written = crate::run_folder::run_to_folder(
        &scenario,
        scenario.seed,
        &dir,
        &file_name,
        &loaded.source,
        charts,
    )
    .with_context(|| format!("writing the reports of `{}`", file.display()))?;
    if !quiet {
        print!(
            "{}",
            report::table::render(&Summary::from_result(&written.result))
        );
        let names: Vec<&str> = written
            .files
            .iter()
            .map(String::as_str)
            .filter(|n| !n.starts_with("charts/"))
            .collect();
        let charts = written.files.iter().filter(|n| n.ends_with(".svg")).count();
        println!(
            "wrote {}/ ({}{})",
            dir.display(),
            names.join(", "),
            if charts > 0 {
                format!(", charts/ with {charts} charts as SVG and PNG")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

fn validate(file: &Path) -> Result<()> {
    let loaded = crate::scenario::load(file)?;
    warn(&loaded.scenario.notes);
    let s = &loaded.scenario;
    let expanded = crate::scenario::sweep::expand(file, 0)?;
    let total = expanded.points.len();
    if let Some(error) = expanded.points.into_iter().find_map(|p| p.scenario.err()) {
        return Err(error.into());
    }
    let sweep = if expanded.axes.is_empty() {
        String::new()
    } else {
        format!(
            "; sweep of {total} point(s) × {} replication(s), every point valid",
            expanded.replications
        )
    };
    println!(
        "{}: ok — scenario `{}`: {} pool(s), {} device(s), {} job(s), {} workload(s), horizon {}{sweep}",
        file.display(),
        s.name,
        s.pools.len(),
        s.installed_devices(),
        s.jobs.len(),
        s.workloads.len(),
        crate::time::format_duration_ms(s.horizon_ms)
    );
    Ok(())
}

fn bill(args: &BillArgs) -> Result<()> {
    use crate::scenario::load_profile::{LoadUnit, read_load, read_tariff};
    let zone: chrono_tz::Tz = match &args.time_zone {
        Some(z) => z.parse().map_err(|_| {
            crate::scenario::error::data_error(
                &args.load,
                None,
                "--time-zone",
                format!("{z:?}"),
                "not an IANA time-zone name",
                "use a name such as America/Los_Angeles",
            )
        })?,
        None => chrono_tz::Tz::UTC,
    };
    let unit = match args.unit {
        LoadUnitArg::Kw => LoadUnit::Kw,
        LoadUnitArg::Kwh => LoadUnit::Kwh,
    };
    let load = read_load(
        &args.load,
        &args.time_column,
        &args.value_column,
        unit,
        zone,
    )?;
    let span = crate::scenario::context::Span {
        start_ms: load.start_ms,
        end_ms: load.start_ms + (load.step_ms * load.kw.len() as u64) as i64,
    };
    let mut notes = Vec::new();
    let tariff = read_tariff(&args.tariff, args.time_zone.as_deref(), span, &mut notes)?;
    warn(&notes);
    let (bill, kwh) = crate::billing::bill_load(&load, &tariff);
    let start = chrono::DateTime::from_timestamp_millis(load.start_ms)
        .context("the load starts outside the supported date range")?;
    let calendar = crate::time::Calendar { start };
    let files = vec![(
        "bill.csv".to_string(),
        report::bill::to_csv(&bill, &calendar)?,
    )];
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-bill", file_stem(&args.load))));
    report::output::write_files(&dir, &files)
        .with_context(|| format!("writing the bill of `{}`", args.load.display()))?;
    print!("{}", report::table::render_bill(&bill, kwh));
    println!("wrote {}/bill.csv", dir.display());
    Ok(())
}

/// The catalog as text.
pub fn catalog(format: CatalogFormat) -> Result<String> {
    match format {
        CatalogFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "id",
                "vendor",
                "idle_w",
                "max_w",
                "peak_tflops",
                "memory_gb",
                "source",
            ])?;
            for e in CATALOG {
                w.write_record([
                    e.id.to_string(),
                    e.vendor.to_string(),
                    e.idle_w.to_string(),
                    e.max_w.to_string(),
                    e.peak_tflops.to_string(),
                    e.memory_gb.to_string(),
                    e.source.to_string(),
                ])?;
            }
            Ok(String::from_utf8(w.into_inner()?)?)
        }
        CatalogFormat::Table => {
            let mut out = format!(
                "{:<16} {:<7} {:>7} {:>7} {:>12} {:>10}\n",
                "id", "vendor", "idle_w", "max_w", "peak_tflops", "memory_gb"
            );
            for e in CATALOG {
                out.push_str(&format!(
                    "{:<16} {:<7} {:>7} {:>7} {:>12} {:>10}\n",
                    e.id, e.vendor, e.idle_w, e.max_w, e.peak_tflops, e.memory_gb
                ));
            }
            out.push_str("\nHost presets ([[pools]] host = \"…\"), per node:\n");
            for h in crate::model::catalog::HOSTS {
                out.push_str(&format!(
                    "{:<16} {} devices, idle {} W, max {} W — {}\n",
                    h.id, h.devices_per_node, h.idle_w, h.max_w, h.source
                ));
            }
            out.push_str(
                "\nSources: `wattsim catalog --format csv` has each device row's source.\n",
            );
            Ok(out)
        }
    }
}
