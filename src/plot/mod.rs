//! Charts and the HTML report. Charts are drawn from the report files a run or sweep wrote
//! (`timeseries.csv`, `jobs.csv`, `bill.csv`, `summary.json`, `sweep_summary.csv`,
//! `bill_forecast.csv`) — the same data a reader sees, no second computation — as SVG (no
//! fonts needed) and PNG (with the embedded DejaVu Sans font, so nothing is installed).

pub mod data;
pub mod data_sweep;
pub mod html;
pub mod parquet_rows;
pub mod plan;
pub mod render;
pub mod run;
mod run_months;
mod run_more;
pub mod sweep;
pub mod sweep_layout;
pub mod sweep_metrics;
mod time_axis;
mod time_chart;

pub use render::{Chart, PlotError};

use crate::report::files;
use data::{Files, RunData};
use data_sweep::SweepData;
use std::io::Read;

/// Output files of charts: `charts/NAME.svg`, `charts/NAME.png`.
pub(crate) fn chart_files(charts: &[Chart]) -> Vec<(String, Vec<u8>)> {
    charts
        .iter()
        .flat_map(|c| {
            [
                (
                    format!("{}/{}.svg", files::CHARTS_DIR, c.name),
                    c.svg.as_bytes().to_vec(),
                ),
                (
                    format!("{}/{}.png", files::CHARTS_DIR, c.name),
                    c.png.clone(),
                ),
            ]
        })
        .collect()
}

/// The charts and `report.html` of a run, from its report files.
pub fn run_outputs(files: &Files) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    run_outputs_with_waits(files, None)
}

/// [`run_outputs`] with the queue waits given (a run that keeps them while it goes) instead of
/// read from the job table.
pub fn run_outputs_with_waits(
    files: &Files,
    waits: Option<crate::waits::Waits>,
) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    let data = RunData::read(files, waits)?;
    let (charts, skipped) = run::charts(&data)?;
    let mut out = chart_files(&charts);
    let scenario = files(crate::report::files::SCENARIO).and_then(|mut r| {
        let mut text = String::new();
        r.read_to_string(&mut text).ok().map(|_| text)
    });
    out.push((
        crate::report::files::REPORT_HTML.to_string(),
        html::run_report(&data, &charts, &skipped, scenario.as_deref()).into_bytes(),
    ));
    Ok(out)
}

/// The charts and `report.html` of a sweep, from its report files.
pub fn sweep_outputs(files: &Files, title: &str) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    let data = SweepData::read(files)?;
    let (charts, skipped) = sweep::charts(&data)?;
    let mut out = chart_files(&charts);
    out.push((
        crate::report::files::REPORT_HTML.to_string(),
        html::sweep_report(title, &data.points, &charts, &skipped).into_bytes(),
    ));
    Ok(out)
}

/// Looks files up in a folder.
pub fn folder(dir: &std::path::Path) -> impl Fn(&str) -> Option<Box<dyn Read>> + '_ {
    move |name| {
        let file = std::fs::File::open(dir.join(name)).ok()?;
        Some(Box::new(std::io::BufReader::new(file)) as Box<dyn Read>)
    }
}

/// Looks files up among (name, bytes) pairs.
pub fn in_memory(files: &[(String, Vec<u8>)]) -> impl Fn(&str) -> Option<Box<dyn Read>> + '_ {
    move |name| {
        let (_, bytes) = files.iter().find(|(n, _)| n == name)?;
        Some(Box::new(std::io::Cursor::new(bytes.clone())) as Box<dyn Read>)
    }
}
