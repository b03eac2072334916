//! The command line: argument definitions and dispatch to the command modules (`commands/`).
//! Errors carry context and map to exit codes in `main`.

use crate::commands;
pub use crate::commands::bill::{BillArgs, LoadUnitArg};
pub use crate::commands::calibrate::CalibrateCommand;
pub use crate::commands::catalog::CatalogFormat;
pub use crate::commands::sweep::RunsFailed;
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Exit code for input the user must fix (bad scenario, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for any other failure (e.g. an output folder that cannot be written).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code of a sweep in which some runs failed (the others completed).
pub const EXIT_RUNS_FAILED: u8 = 3;

/// wattsim: simulate what an AI cluster costs to run in electricity, money and carbon.
#[derive(Debug, Parser)]
#[command(name = "wattsim", version, about, long_about = None)]
pub struct Cli {
    /// Print nothing but warnings and errors (no summaries, progress or "wrote" lines; the
    /// output of `catalog` and `calibrate` is their result and is printed).
    #[arg(long, short, global = true)]
    pub quiet: bool,
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
        /// Do not draw charts or write report.html.
        #[arg(long)]
        no_charts: bool,
        /// Write into a non-empty folder that is not a wattsim output folder.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        formats: FormatArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Check a scenario without running it.
    Validate {
        /// Scenario file (TOML).
        file: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Price a measured load profile on a tariff, without simulating anything.
    Bill(BillArgs),
    /// Size a cluster: the smallest value of the `[plan]` key (e.g. a pool's nodes) whose runs
    /// meet every target, for each alternative, ranked by cost.
    Plan {
        /// Scenario file with a `[plan]` table.
        file: PathBuf,
        /// Output folder [default: output/plan-STEM].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Threads (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Do not draw charts or write report.html.
        #[arg(long)]
        no_charts: bool,
        /// Write into a non-empty folder that is not a wattsim output folder.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Run every point of one or more scenarios' `[sweep]` tables, with replications, in
    /// parallel.
    #[command(
        mut_arg("jobs", |a| a.requires("keep_runs")),
        mut_arg("timeseries", |a| a.requires("keep_runs"))
    )]
    Sweep {
        /// Scenario files (each with or without a `[sweep]` table).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Threads (0: one per core).
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
        /// Write into a non-empty folder that is not a wattsim output folder.
        #[arg(long)]
        force: bool,
        /// The job table and time series of each kept run (with --keep-runs).
        #[command(flatten)]
        formats: FormatArgs,
        #[command(flatten)]
        limits: LimitArgs,
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
        /// Do not draw charts or write report.html.
        #[arg(long)]
        no_charts: bool,
        /// Write into a non-empty folder that is not a wattsim output folder.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script (e.g. `wattsim completions bash > ~/.local/share/bash-completion/completions/wattsim`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; e.g. `wattsim man > wattsim.1 && man ./wattsim.1`).
    Man,
    /// List the built-in devices.
    Catalog {
        /// Output format.
        #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
        format: CatalogFormat,
    },
}

/// The formats of a run's large tables, overriding the scenario's `[output]`.
#[derive(Debug, Clone, clap::Args)]
pub struct FormatArgs {
    /// Job table: jobs.csv, jobs.parquet or none [default: the scenario's [output] jobs, else
    /// csv].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub jobs: Option<crate::report::format::TableFormat>,
    /// Time series: timeseries.csv, timeseries.parquet or none [default: the scenario's
    /// [output] timeseries, else csv].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub timeseries: Option<crate::report::format::TableFormat>,
}

impl FormatArgs {
    /// `formats` with the formats given on the command line in place.
    pub fn apply(&self, formats: &mut crate::report::format::OutputFormats) {
        if let Some(f) = self.jobs {
            formats.jobs = f;
        }
        if let Some(f) = self.timeseries {
            formats.timeseries = f;
        }
    }
}

/// What a run may cost before wattsim refuses to start it (estimated at validation).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct LimitArgs {
    /// Most events (and meter segments) one run may be estimated at.
    #[arg(long, default_value_t = crate::scenario::estimate::DEFAULT_MAX_EVENTS, value_name = "N")]
    pub max_events: f64,
    /// Most output one run may be estimated to write [GB].
    #[arg(long, default_value_t = crate::scenario::estimate::DEFAULT_MAX_OUTPUT_GB, value_name = "GB")]
    pub max_output_gb: f64,
}

impl LimitArgs {
    /// The limits these flags set.
    pub fn limits(&self) -> crate::scenario::estimate::Limits {
        crate::scenario::estimate::Limits {
            max_events: self.max_events,
            max_output_gb: self.max_output_gb,
        }
    }
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

/// Runs a parsed command line.
pub fn execute(cli: Cli) -> Result<()> {
    commands::set_quiet(cli.quiet);
    match cli.command {
        Command::Run {
            file,
            out,
            seed,
            no_charts,
            force,
            formats,
            limits,
        } => commands::run::run(
            &file,
            out,
            seed,
            !no_charts,
            force,
            &formats,
            &limits.limits(),
        ),
        Command::Chart { dir } => commands::chart::chart(&dir),
        Command::Calibrate(cmd) => commands::calibrate::calibrate(&cmd),
        Command::Validate { file, limits } => commands::validate::validate(&file, &limits.limits()),
        Command::Bill(args) => commands::bill::bill(&args),
        Command::Sweep {
            files,
            threads,
            out,
            keep_runs,
            resume,
            shard,
            no_charts,
            force,
            formats,
            limits,
        } => {
            let opts = crate::sweep::SweepOptions {
                threads,
                resume,
                shard,
                keep_runs,
            };
            commands::sweep::sweep(
                &files,
                out,
                &opts,
                !no_charts,
                force,
                &formats,
                &limits.limits(),
            )
        }
        Command::Plan {
            file,
            out,
            threads,
            no_charts,
            force,
            limits,
        } => commands::plan::plan(&file, out, threads, !no_charts, force, &limits.limits()),
        Command::Merge {
            dirs,
            out,
            no_charts,
            force,
        } => commands::merge::merge(&dirs, &out, !no_charts, force),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "wattsim", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            std::io::Write::write_all(&mut std::io::stdout(), &page)?;
            Ok(())
        }
        Command::Catalog { format } => {
            print!("{}", commands::catalog::catalog(format)?);
            Ok(())
        }
    }
}
