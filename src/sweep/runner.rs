//! Runs a sweep: every (point, replication) in parallel on a rayon pool, each run single-
//! threaded and seeded from (point seed, replication). Each finished run is stored at once as
//! a record file, so an interrupted sweep resumes where it stopped and shards can be merged.

use super::error::{RUNS_DIR, SweepError};
use super::manifest::{Manifest, PointInfo};
use super::record::RunRecord;
use crate::report::output::write_atomic;
use crate::scenario::sweep::SweepFile;
use rayon::prelude::*;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How to run a sweep.
#[derive(Debug, Clone, Default)]
pub struct SweepOptions {
    /// Threads (0 = one per core).
    pub threads: usize,
    /// Keep records already in the folder and run only the missing ones.
    pub resume: bool,
    /// Run only the runs with `index % n == i`.
    pub shard: Option<(usize, usize)>,
    /// Also write each run's full reports.
    pub keep_runs: bool,
}

/// What a sweep did.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepOutcome {
    /// Runs in the whole sweep.
    pub total: usize,
    /// Runs this invocation ran.
    pub ran: usize,
    /// Runs skipped because a record existed (`--resume`).
    pub skipped: usize,
    /// Failed runs among those this invocation ran.
    pub failed: usize,
    /// Whether records exist for every run of the sweep (then the final files were written).
    pub complete: bool,
    /// The final files written (when complete), in the sweep folder.
    pub files: Vec<std::path::PathBuf>,
    /// Run warnings of this invocation's runs, one line per point and kind of warning (its
    /// settings, the first such warning, how many of its runs gave it).
    pub warnings: Vec<String>,
}

/// Progress reports while runs finish.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Runs finished so far in this invocation.
    pub done: usize,
    /// Of which failed.
    pub failed: usize,
    /// Runs this invocation will do.
    pub todo: usize,
}

/// One run to do.
#[derive(Debug, Clone, Copy)]
struct RunKey {
    index: usize,
    point: usize,
    replication: u64,
}

/// The manifest of a sweep: its identity and its point table.
pub fn manifest(files: &[SweepFile]) -> Manifest {
    let mut hasher_input = String::from(env!("CARGO_PKG_VERSION"));
    let mut points = vec![];
    let mut axes: Vec<String> = vec![];
    for f in files {
        hasher_input.push('\u{0}');
        hasher_input.push_str(&f.source);
        hasher_input.push_str(&format!("\u{0}{}", f.replications));
        for a in &f.axes {
            if !axes.contains(a) {
                axes.push(a.clone());
            }
        }
        let name = f
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for p in &f.points {
            points.push(PointInfo {
                file: name.clone(),
                settings: p.settings.clone(),
                replications: f.replications,
                currency: p
                    .scenario
                    .as_ref()
                    .map(|s| s.site.tariff.currency.clone())
                    .unwrap_or_default(),
            });
        }
    }
    Manifest {
        wattsim_version: env!("CARGO_PKG_VERSION").to_string(),
        sweep_sha256: crate::report::metadata::sha256_hex(hasher_input.as_bytes()),
        axes,
        points,
        shard: None,
    }
}

fn io<'a>(context: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> SweepError + 'a {
    move |source| SweepError::Io {
        context,
        path: path.to_path_buf(),
        source,
    }
}

/// Removes the runs an earlier sweep's `old` manifest recorded under `runs_dir` (its run
/// records and kept run folders), and nothing else: a `runs/` folder may hold files that are
/// not wattsim's.
fn clear_runs(old: &Manifest, runs_dir: &Path) -> Result<(), SweepError> {
    for (p, info) in old.points.iter().enumerate() {
        for r in 0..info.replications {
            let record = runs_dir.join(RunRecord::file_name(p, r));
            if record.is_file() {
                std::fs::remove_file(&record).map_err(io("cannot clear", &record))?;
            }
            let kept = record.with_extension("");
            if kept.is_dir() && !kept.is_symlink() {
                std::fs::remove_dir_all(&kept).map_err(io("cannot clear", &kept))?;
            }
        }
    }
    Ok(())
}

/// Runs the sweep described by `files` into `dir`, calling `progress` as runs finish.
pub fn run_sweep(
    files: &[SweepFile],
    dir: &Path,
    opts: &SweepOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SweepOutcome, SweepError> {
    let manifest = Manifest {
        shard: opts.shard,
        ..manifest(files)
    };
    let runs_dir = dir.join(RUNS_DIR);
    let manifest_path = dir.join(crate::report::files::MANIFEST);
    let old = if manifest_path.exists() {
        Some(Manifest::read(&manifest_path)?)
    } else {
        None
    };
    // Resuming needs the manifest of the same sweep: records without one are not ours to trust.
    let resuming = opts.resume && old.is_some();
    match &old {
        Some(old) if resuming && old.sweep_sha256 != manifest.sweep_sha256 => {
            return Err(SweepError::Mismatch {
                path: dir.to_path_buf(),
            });
        }
        Some(old) if !resuming => clear_runs(old, &runs_dir)?,
        _ => {}
    }
    crate::report::output::refuse_link(&runs_dir)?;
    std::fs::create_dir_all(&runs_dir).map_err(io("cannot create", &runs_dir))?;
    crate::report::output::remove_stale_temporaries(dir);
    crate::report::output::remove_stale_temporaries(&runs_dir);
    write_atomic(&manifest_path, &manifest.to_json()?)?;

    let points: Vec<&crate::scenario::sweep::Point> =
        files.iter().flat_map(|f| &f.points).collect();
    let mut keys = vec![];
    for (p, info) in manifest.points.iter().enumerate() {
        for r in 0..info.replications {
            keys.push(RunKey {
                index: keys.len(),
                point: p,
                replication: r,
            });
        }
    }
    let total = keys.len();
    let mine: Vec<RunKey> = keys
        .into_iter()
        .filter(|k| opts.shard.is_none_or(|(i, n)| k.index % n == i))
        .collect();
    let (todo, skipped): (Vec<RunKey>, Vec<RunKey>) = mine.into_iter().partition(|k| {
        !(resuming
            && RunRecord::readable(&runs_dir.join(RunRecord::file_name(k.point, k.replication))))
    });
    let done = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()?;
    let results: Vec<Result<(usize, Vec<String>), SweepError>> = pool.install(|| {
        todo.par_iter()
            .map(|k| {
                let point = points[k.point];
                let source = &files[point.file].source;
                let record = run_one(point, source, k, dir, opts.keep_runs)?;
                if record.error.is_some() {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
                let path = runs_dir.join(RunRecord::file_name(k.point, k.replication));
                let warnings = (k.point, record.warnings.clone());
                let bytes = serde_json::to_vec(&record).map_err(|e| SweepError::Record {
                    path: path.clone(),
                    problem: e.to_string(),
                })?;
                write_atomic(&path, &bytes)?;
                let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(Progress {
                    done: d,
                    failed: failed.load(Ordering::Relaxed),
                    todo: todo.len(),
                });
                Ok(warnings)
            })
            .collect()
    });
    let warned = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    let warnings = point_warnings(&manifest, &warned);
    let complete = (0..manifest.points.len()).all(|p| {
        (0..manifest.points[p].replications)
            .all(|r| runs_dir.join(RunRecord::file_name(p, r)).exists())
    });
    let files = if complete {
        super::report::write_final(dir, &[dir.to_path_buf()], &manifest)?
    } else {
        vec![]
    };
    Ok(SweepOutcome {
        total,
        ran: todo.len(),
        skipped: skipped.len(),
        failed: failed.load(Ordering::Relaxed),
        complete,
        files,
        warnings,
    })
}

/// One line per point and kind of warning its runs gave: `sweep point P (settings): W (k of
/// R runs)`, points in order.
fn point_warnings(manifest: &Manifest, warned: &[(usize, Vec<String>)]) -> Vec<String> {
    let mut by_point: std::collections::BTreeMap<usize, Vec<&[String]>> = Default::default();
    for (p, w) in warned.iter().filter(|(_, w)| !w.is_empty()) {
        by_point.entry(*p).or_default().push(w);
    }
    by_point
        .into_iter()
        .flat_map(|(p, lists)| {
            let info = &manifest.points[p];
            let at: Vec<String> = info
                .settings
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            let at = at.join(", ");
            crate::report::overload::across_runs(&lists, info.replications)
                .into_iter()
                .map(move |w| format!("sweep point {p} ({at}): {w}"))
        })
        .collect()
}

/// Runs one (point, replication); an invalid point or a panic becomes a failed record.
fn run_one(
    point: &crate::scenario::sweep::Point,
    source: &str,
    k: &RunKey,
    dir: &Path,
    keep: bool,
) -> Result<RunRecord, SweepError> {
    let failed = |error: String, seed| RunRecord {
        point: k.point,
        replication: k.replication,
        seed,
        error: Some(error),
        metrics: vec![],
        months: vec![],
        warnings: vec![],
    };
    let scenario = match &point.scenario {
        Ok(s) => s,
        Err(e) => return Ok(failed(e.to_string(), 0)),
    };
    let seed = crate::engine::rng::replication_seed(scenario.seed, k.replication);
    let run_dir = dir
        .join(RUNS_DIR)
        .join(format!("p{:06}-r{:05}", k.point, k.replication));
    // Jobs go to the run's jobs.csv when runs are kept, otherwise only into the aggregates.
    let result = guarded(|| {
        if keep {
            crate::run_folder::run_to_folder(
                scenario,
                seed,
                &run_dir,
                crate::report::files::SCENARIO,
                source,
                false,
            )
            .map(|w| w.result)
        } else {
            Ok(crate::sim::run_with(
                scenario,
                seed,
                &mut crate::result::Discard,
            ))
        }
    });
    let result = match result {
        Ok(r) => r,
        Err(what) => return Ok(failed(what, seed)),
    };
    Ok(RunRecord::from_result(k.point, k.replication, &result?))
}

/// Runs `f`, turning a panic into the message `internal error: …` (one run's bug must not
/// take a whole sweep or plan down).
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    crate::panics::catch(f).map_err(|what| format!("internal error: {what}"))
}
