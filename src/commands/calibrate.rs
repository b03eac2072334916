//! `wattsim calibrate`: fit a power curve or a power-cap table to measurements and print
//! TOML to paste into a scenario.

use anyhow::Result;
use std::path::PathBuf;

/// What to calibrate.
#[derive(Debug, clap::Subcommand)]
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

/// Fits and prints the snippet `cmd` asks for.
pub fn calibrate(cmd: &CalibrateCommand) -> Result<()> {
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
