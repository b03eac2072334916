//! The command line: argument definitions and dispatch to the command modules (`commands/`).
//! Errors carry context and map to exit codes in `main`.

use crate::commands;
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
        } => commands::run::run(&file, out, seed, quiet, !no_charts),
        Command::Chart { dir } => commands::chart::chart(&dir),
        Command::Calibrate(cmd) => commands::calibrate::calibrate(&cmd),
        Command::Validate { file } => commands::validate::validate(&file),
        Command::Bill(args) => commands::bill::bill(&args),
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
            commands::sweep::sweep(&files, out, &opts, !no_charts)
        }
        Command::Merge { dirs, out } => commands::merge::merge(&dirs, &out),
        Command::Catalog { format } => {
            print!("{}", commands::catalog::catalog(format)?);
            Ok(())
        }
    }
}
