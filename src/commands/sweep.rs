//! `wattsim sweep`: expand and run sweeps in parallel, report progress, draw the charts.

use super::{file_stem, warn};
use crate::report;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

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

/// Expands `files`, runs every point and replication into `out`, and draws the charts (with
/// `charts`; `force` writes into a folder that is not wattsim's); kept runs write their tables
/// in `formats` (over the scenarios' `[output]`); a run estimated beyond `limits` stops the
/// sweep before it starts.
pub fn sweep(
    files: &[PathBuf],
    out: Option<PathBuf>,
    opts: &crate::sweep::SweepOptions,
    charts: bool,
    force: bool,
    formats: &crate::cli::FormatArgs,
    limits: &crate::scenario::estimate::Limits,
) -> Result<()> {
    let mut expanded = files
        .iter()
        .enumerate()
        .map(|(i, f)| crate::scenario::sweep::expand(f, i))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    for point in expanded.iter_mut().flat_map(|f| &mut f.points) {
        if let Ok(s) = &mut point.scenario {
            formats.apply(&mut s.output);
        }
    }
    // Every run is estimated before any starts; one beyond the limits stops the sweep.
    for (f, file) in expanded.iter().zip(files) {
        if !opts.keep_runs && f.has_output {
            eprintln!(
                "warning: {}: [output] sets the job table and time series of a run, and this sweep keeps no run folders; it applies with --keep-runs",
                file.display()
            );
        }
        for s in f.points.iter().filter_map(|p| p.scenario.as_ref().ok()) {
            crate::scenario::estimate::check(s, file, &f.source, limits, opts.keep_runs)?;
        }
    }
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
    let folder = report::folder::OutputFolder::claim(&dir, report::folder::Scope::Whole, force)?;
    let progress = progress_reporter();
    let outcome = crate::sweep::run_sweep(&expanded, &dir, opts, &progress)
        .with_context(|| format!("sweeping into `{}`", dir.display()))?;
    warn(&outcome.warnings);
    progress!(
        "sweep: {} run(s) done, {} failed, {} already recorded, {} in the whole sweep",
        outcome.ran,
        outcome.failed,
        outcome.skipped,
        outcome.total
    );
    if outcome.complete {
        let mut written = outcome.files.clone();
        if charts {
            written.extend(sweep_charts(&dir)?);
        }
        folder.finish(&written)?;
        sayln!(
            "wrote {}/ (sweep.csv, sweep_summary.csv, bill_forecast.csv, manifest.json, runs/{})",
            dir.display(),
            if charts { ", charts/, report.html" } else { "" }
        );
    } else {
        sayln!(
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
    let bar = (std::io::stderr().is_terminal() && !super::quiet()).then(|| {
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
            progress!(
                "sweep: {}/{} runs done, {} failed, ETA {:.0} s",
                p.done,
                p.todo,
                p.failed,
                eta
            );
        }
    }
}

/// Draws the sweep charts and report of a finished sweep folder; returns the files written.
pub fn sweep_charts(dir: &Path) -> Result<Vec<PathBuf>> {
    let title = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sweep".to_string());
    let drawn = crate::plot::sweep_outputs(&crate::plot::folder(dir), &title)?;
    Ok(report::output::write_files(dir, &drawn)?)
}
