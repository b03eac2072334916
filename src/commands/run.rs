//! `wattsim run`: simulate one scenario into an output folder and print its summary.

use super::{file_stem, warn};
use crate::report::folder::{OutputFolder, Scope};
use crate::report::{self, Summary};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Runs `file` (its seed replaced by `seed`, if given) into `out` [default: output/STEM],
/// printing the summary unless `--quiet`; `charts` draws the charts and report.html;
/// `formats` override the scenario's `[output]` formats. A run estimated beyond `limits` is
/// refused before it starts.
pub fn run(
    file: &Path,
    out: Option<PathBuf>,
    seed: Option<u64>,
    charts: bool,
    force: bool,
    formats: &crate::cli::FormatArgs,
    limits: &crate::scenario::estimate::Limits,
) -> Result<()> {
    let loaded = crate::scenario::load(file)?;
    warn(&loaded.scenario.notes);
    super::remark(&loaded.scenario.remarks);
    let mut scenario = loaded.scenario;
    formats.apply(&mut scenario.output);
    crate::scenario::estimate::check(&scenario, file, &loaded.source, limits, true)?;
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(file_stem(file)));
    let folder = OutputFolder::claim(&dir, Scope::Whole, force)?;
    let written = crate::run_folder::run_to_folder(
        &scenario,
        scenario.seed,
        &dir,
        &file_name,
        &loaded.source,
        charts,
    )
    .with_context(|| format!("writing the reports of `{}`", file.display()))?;
    let paths: Vec<PathBuf> = written.files.iter().map(|n| dir.join(n)).collect();
    folder.finish(&paths)?;
    let summary = Summary::from_result(&written.result);
    // The inputs' warnings were printed before the run; the rest are the run's own.
    let notes = &written.result.notes;
    let run_warnings: Vec<String> = summary
        .warnings
        .iter()
        .filter(|w| !notes.contains(w))
        .cloned()
        .collect();
    warn(&run_warnings);
    if !super::quiet() {
        say!("{}", report::table::render(&summary));
        let names: Vec<&str> = written
            .files
            .iter()
            .map(String::as_str)
            .filter(|n| !n.starts_with("charts/"))
            .collect();
        let charts = written.files.iter().filter(|n| n.ends_with(".svg")).count();
        sayln!(
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
