//! The final files of a sweep, assembled from its run records in run order: `sweep.csv` (one
//! row per run), `sweep_summary.csv` (statistics per point) and `bill_forecast.csv` (monthly
//! bill percentiles per point), streamed from the record files. The same code serves a
//! finished sweep and `wattsim merge`.

use super::error::{RUNS_DIR, SweepError};
use super::manifest::Manifest;
use super::record::RunRecord;
use super::tables::{
    add_metric_names, forecast_header, month_rows, point_row, run_row, summary_header, sweep_header,
};
use crate::report::files;
use crate::report::output::{PendingFile, persist_all, stage_files};
use crate::report::rows::CsvTable;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

/// Finds every record of the sweep in the `runs/` folders of `dirs` (the first found wins).
/// Returns their paths in run order, or lists every missing run with the shard (and folder)
/// it belongs to.
fn locate(dirs: &[PathBuf], manifest: &Manifest) -> Result<Vec<PathBuf>, SweepError> {
    let mut out = vec![];
    let mut missing = vec![];
    let mut index = 0;
    for (p, info) in manifest.points.iter().enumerate() {
        for r in 0..info.replications {
            let name = RunRecord::file_name(p, r);
            let found = dirs
                .iter()
                .map(|d| d.join(RUNS_DIR).join(&name))
                .find(|path| path.exists());
            let k = index;
            index += 1;
            match found {
                Some(path) => out.push(path),
                None => missing.push((k, p, r, name)),
            }
        }
    }
    if missing.is_empty() {
        return Ok(out);
    }
    Err(SweepError::Missing {
        runs: missing.len(),
        list: missing_list(dirs, &missing),
    })
}

/// Reads the record at `path`.
fn read(path: &Path) -> Result<RunRecord, SweepError> {
    super::error::read_json(path, super::record::RECORD)
}

/// The missing runs, one line each (the first 20), with the shard each belongs to and the
/// folder given for that shard, when the folders say how the sweep was sharded.
fn missing_list(dirs: &[PathBuf], missing: &[(usize, usize, u64, String)]) -> String {
    let shards: Vec<(PathBuf, Option<(usize, usize)>)> = dirs
        .iter()
        .map(|d| {
            let m = Manifest::read(&d.join(crate::report::files::MANIFEST)).ok();
            (d.clone(), m.and_then(|m| m.shard))
        })
        .collect();
    let count = shards.iter().find_map(|(_, s)| s.map(|(_, n)| n));
    let mut lines: Vec<String> = missing
        .iter()
        .take(20)
        .map(|(k, p, r, name)| {
            let shard = count.map_or_else(String::new, |n| {
                let i = k % n;
                let folder = shards.iter().find(|(_, s)| *s == Some((i, n))).map_or_else(
                    || "no folder of this shard was given".to_string(),
                    |(d, _)| format!("folder `{}`", d.display()),
                );
                format!(", shard {i}/{n} ({folder})")
            });
            format!("  run {k}: {name} (point {p}, replication {r}){shard}")
        })
        .collect();
    if missing.len() > 20 {
        lines.push(format!("  … and {} more", missing.len() - 20));
    }
    lines.join("\n")
}

/// A final table being written under its temporary name.
struct Table {
    pending: PendingFile,
    csv: CsvTable<BufWriter<std::fs::File>>,
}

impl Table {
    /// Starts `name` in `out` with `columns`.
    fn create(out: &Path, name: &str, columns: Vec<String>) -> Result<Table, SweepError> {
        let (pending, file) = PendingFile::create(&out.join(name))?;
        let csv = CsvTable::new(BufWriter::new(file), None, columns);
        Ok(Table { pending, csv })
    }

    /// Flushes the table; it is ready to be renamed into place.
    fn finish(self) -> Result<PendingFile, SweepError> {
        let path = self.pending.tmp_path().to_path_buf();
        let mut writer = self.csv.finish()?;
        writer.flush().map_err(|source| SweepError::Io {
            context: "cannot write",
            path,
            source,
        })?;
        Ok(self.pending)
    }
}

/// Reads the records from `dirs` and writes the final files into `out`; returns them.
///
/// The records are streamed, never all held: a first pass reads the metric names of every
/// run (the columns of `sweep.csv`), a second writes each run's row as it is read and, at
/// the end of each point's runs, the point's summary and bill-forecast rows (so memory holds
/// one point's runs). Nothing is renamed into place until every table is written.
pub fn write_final(
    out: &Path,
    dirs: &[PathBuf],
    manifest: &Manifest,
) -> Result<Vec<PathBuf>, SweepError> {
    let paths = locate(dirs, manifest)?;
    // The merged folder holds the whole sweep, not a shard.
    let manifest = &Manifest {
        shard: None,
        ..manifest.clone()
    };
    let mut names = vec![];
    for path in &paths {
        add_metric_names(&mut names, &read(path)?);
    }
    let staged = stage_files(
        out,
        &[(
            crate::report::files::MANIFEST.to_string(),
            manifest.to_json()?,
        )],
    )?;
    let mut sweep = Table::create(out, files::SWEEP, sweep_header(manifest, &names))?;
    let mut summary = Table::create(out, files::SWEEP_SUMMARY, summary_header(manifest))?;
    let mut forecast = Table::create(out, files::BILL_FORECAST, forecast_header(manifest))?;
    let mut paths = paths.iter();
    for (p, info) in manifest.points.iter().enumerate() {
        // The point's successful runs, in run order.
        let mut runs = vec![];
        for path in paths.by_ref().take(info.replications as usize) {
            let record = read(path)?;
            sweep.csv.row(&run_row(manifest, &record, &names));
            if record.error.is_none() {
                runs.push(record);
            }
        }
        let runs: Vec<&RunRecord> = runs.iter().collect();
        summary.csv.row(&point_row(manifest, p, &runs));
        for row in month_rows(manifest, p, &runs) {
            forecast.csv.row(&row);
        }
    }
    let mut pending = vec![sweep.finish()?, summary.finish()?, forecast.finish()?];
    pending.extend(staged);
    Ok(persist_all(pending)?)
}
