//! `wattsim calibrate`: fit a power curve or a power-cap table to measurements and print
//! TOML to paste into a scenario.

use crate::cli::CalibrateCommand;
use anyhow::Result;

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
