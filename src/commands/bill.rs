//! `wattsim bill`: price a measured load profile on a tariff, without simulating.

use super::{file_stem, warn};
use crate::report;
use anyhow::{Context, Result};
use std::path::PathBuf;

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
    /// Write into a non-empty folder that is not a wattsim output folder.
    #[arg(long)]
    pub force: bool,
}

/// Unit of a load file's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LoadUnitArg {
    /// Average kW over each interval.
    Kw,
    /// kWh in each interval.
    Kwh,
}

/// Prices the load file on the tariff and writes `bill.csv`.
pub fn bill(args: &BillArgs) -> Result<()> {
    use crate::input::load::{LoadUnit, read_load};
    use crate::scenario::tariff_file::read_tariff;
    let zone: chrono_tz::Tz = match &args.time_zone {
        Some(z) => z.parse().map_err(|_| {
            crate::scenario::error::data_error::<crate::ScenarioError>(
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
    if let Some(note) = coarse_meter(&tariff, load.step_ms) {
        notes.push(note);
    }
    warn(&notes);
    let (bill, kwh) = crate::billing::bill_load(&load, &tariff);
    let start = chrono::DateTime::from_timestamp_millis(load.start_ms)
        .context("the load starts outside the supported date range")?;
    let calendar = crate::time::Calendar { start };
    let files = vec![(
        crate::report::files::BILL.to_string(),
        report::bill::to_csv(&bill, &calendar)?,
    )];
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-bill", file_stem(&args.load))));
    let folder =
        report::folder::OutputFolder::claim(&dir, report::folder::Scope::Whole, args.force)?;
    let written = report::output::write_files(&dir, &files)
        .with_context(|| format!("writing the bill of `{}`", args.load.display()))?;
    folder.finish(&written)?;
    say!("{}", report::table::render_bill(&bill, kwh));
    sayln!("wrote {}/bill.csv", dir.display());
    Ok(())
}

/// A warning when the meter's readings are longer than the tariff's demand interval: the
/// billed demand is then the peak of coarser averages, lower than the utility's.
fn coarse_meter(tariff: &crate::model::tariff::Tariff, step_ms: u64) -> Option<String> {
    let interval = tariff.demand_interval_ms;
    (!tariff.demand.is_empty() && step_ms > interval).then(|| {
        format!(
            "the meter's readings are {} apart but the tariff bills demand on {} averages: a peak shorter than a reading is averaged away, so the billed demand (and its charges) are understated; bill a meter file with readings every {} or less",
            crate::time::format_duration_ms(step_ms),
            crate::time::format_duration_ms(interval),
            crate::time::format_duration_ms(interval)
        )
    })
}
