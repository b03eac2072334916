//! `wattsim bill`: price a measured load profile on a tariff, without simulating.

use super::{file_stem, warn};
use crate::cli::{BillArgs, LoadUnitArg};
use crate::report;
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Prices the load file on the tariff and writes `bill.csv`.
pub fn bill(args: &BillArgs) -> Result<()> {
    use crate::scenario::load_profile::{LoadUnit, read_load, read_tariff};
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
    report::output::write_files(&dir, &files)
        .with_context(|| format!("writing the bill of `{}`", args.load.display()))?;
    print!("{}", report::table::render_bill(&bill, kwh));
    println!("wrote {}/bill.csv", dir.display());
    Ok(())
}
