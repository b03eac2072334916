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
    },
    /// Check a scenario without running it.
    Validate {
        /// Scenario file (TOML).
        file: PathBuf,
    },
    /// Price a measured load profile on a tariff, without simulating anything.
    Bill(BillArgs),
    /// List the built-in devices.
    Catalog {
        /// Output format.
        #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
        format: CatalogFormat,
    },
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
        } => run(&file, out, seed, quiet),
        Command::Validate { file } => validate(&file),
        Command::Bill(args) => bill(&args),
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

fn run(file: &Path, out: Option<PathBuf>, seed: Option<u64>, quiet: bool) -> Result<()> {
    let loaded = crate::scenario::load(file)?;
    warn(&loaded.scenario.notes);
    let mut scenario = loaded.scenario;
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    let result = crate::sim::run(&scenario, scenario.seed);
    let summary = Summary::from_result(&result);
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let files = vec![
        ("summary.json".to_string(), summary.to_json()?),
        (
            "timeseries.csv".to_string(),
            report::timeseries::to_csv(&result)?,
        ),
        ("jobs.csv".to_string(), report::jobs::to_csv(&result)?),
        (
            "bill.csv".to_string(),
            report::bill::to_csv(&result.bill, &result.calendar)?,
        ),
        (
            "scenario.toml".to_string(),
            loaded.source.as_bytes().to_vec(),
        ),
        (
            "metadata.json".to_string(),
            report::metadata::Metadata::new(&result, &file_name, &loaded.source).to_json()?,
        ),
    ];
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(file_stem(file)));
    report::output::write_files(&dir, &files)
        .with_context(|| format!("writing the reports of `{}`", file.display()))?;
    if !quiet {
        print!("{}", report::table::render(&summary));
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        println!("wrote {}/ ({})", dir.display(), names.join(", "));
    }
    Ok(())
}

fn validate(file: &Path) -> Result<()> {
    let loaded = crate::scenario::load(file)?;
    warn(&loaded.scenario.notes);
    let s = &loaded.scenario;
    println!(
        "{}: ok — scenario `{}`: {} pool(s), {} device(s), {} job(s), {} workload(s), horizon {}",
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
    let span = crate::scenario::tariff::Span {
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
            out.push_str("\nSources: `wattsim catalog --format csv` has each row's source.\n");
            Ok(out)
        }
    }
}
