//! Runs one scenario into an output folder: the job table (`jobs.csv` or `jobs.parquet`, as
//! the scenario's `[output]` asks) is streamed to a temporary file while the run goes —
//! formatted and written on a second thread, in batches, so the engine does not wait for it
//! and memory does not grow with the number of jobs — the other reports and the charts follow,
//! and the job table is renamed into place last. On any error nothing partial is left behind:
//! temporary files are removed.

use crate::report::format::TableFormat;
use crate::report::jobs::JobsTable;
use crate::report::output::{PendingFile, persist_all, remove_stale_temporaries, stage_files};
use crate::report::{ReportError, files, run_files};
use crate::result::{JobNames, JobRecord, JobSink, RunResult};
use crate::scenario::Scenario;
use crate::waits::Waits;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::mpsc;

/// Why a run folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RunFolderError {
    /// A report could not be made or written.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The charts could not be drawn.
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
}

/// Jobs per batch handed to the writer thread.
const BATCH_JOBS: usize = 4096;
/// Batches in flight at most (bounds the memory between the engine and the writer), beyond
/// those that cover the rows a writer buffers before it writes them at once: while it writes
/// a Parquet row group the engine goes on filling the next.
const BATCHES_IN_FLIGHT: usize = 4;

/// Jobs leaving the run, and tenant names added since the last batch.
struct Batch {
    jobs: Vec<JobRecord>,
    new_tenants: Vec<String>,
}

/// The job table's file, buffered.
type JobFile = BufWriter<std::fs::File>;
/// The thread writing the job table.
type Writer = std::thread::JoinHandle<Result<JobFile, ReportError>>;

/// A [`JobSink`] that hands jobs in batches to a thread writing the job table (when one is
/// written) and keeps the queue waits for the charts.
struct ThreadedJobs {
    batch: Vec<JobRecord>,
    tenants_sent: usize,
    tx: Option<mpsc::SyncSender<Batch>>,
    writer: Option<Writer>,
    /// Waits of the jobs that started [ms], as the job table's `wait_s` column holds them.
    waits: Waits,
}

impl ThreadedJobs {
    /// Starts a thread writing `table` (none without one); `names` are the run's names
    /// (tenants may grow).
    fn start(table: Option<JobsTable<JobFile>>, names: JobNames) -> Self {
        let tenants_sent = names.tenants.len();
        let (tx, writer) = match table {
            Some(mut out) => {
                let in_flight = BATCHES_IN_FLIGHT.max(out.rows_per_burst() / BATCH_JOBS);
                let (tx, rx) = mpsc::sync_channel::<Batch>(in_flight);
                let writer = std::thread::spawn(move || {
                    let mut names = names;
                    for batch in rx {
                        names.tenants.extend(batch.new_tenants);
                        for job in &batch.jobs {
                            out.job(job, &names);
                        }
                    }
                    out.finish()
                });
                (Some(tx), Some(writer))
            }
            None => (None, None),
        };
        ThreadedJobs {
            batch: Vec::with_capacity(if tx.is_some() { BATCH_JOBS } else { 0 }),
            tenants_sent,
            tx,
            writer,
            waits: Waits::default(),
        }
    }

    /// Sends the jobs gathered so far.
    fn send(&mut self, names: &JobNames) {
        let batch = Batch {
            jobs: std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_JOBS)),
            new_tenants: names.tenants[self.tenants_sent..].to_vec(),
        };
        self.tenants_sent = names.tenants.len();
        if let Some(tx) = &self.tx {
            // A writer that stopped reports why from `finish`.
            let _ = tx.send(batch);
        }
    }

    /// Sends the last jobs, waits for the writer and returns its file (none when no table
    /// is written) and the waits.
    fn finish(mut self, names: &JobNames) -> Result<(Option<JobFile>, Waits), ReportError> {
        let waits = std::mem::take(&mut self.waits);
        let Some(writer) = self.writer.take() else {
            return Ok((None, waits));
        };
        self.send(names);
        self.tx = None;
        let file = writer.join().unwrap_or_else(|_| {
            Err(ReportError::Write {
                path: files::JOBS.into(),
                source: std::io::Error::other("the job table's writer stopped unexpectedly"),
            })
        })?;
        Ok((Some(file), waits))
    }
}

impl JobSink for ThreadedJobs {
    fn job(&mut self, job: &JobRecord, names: &JobNames) {
        if let Some(wait_ms) = job.wait_ms() {
            self.waits.add(wait_ms);
        }
        if self.tx.is_none() {
            return;
        }
        self.batch.push(job.clone());
        if self.batch.len() == BATCH_JOBS {
            self.send(names);
        }
    }
}

/// What a run wrote.
pub struct Written {
    /// The run's result (`jobs` empty: they went to `jobs.csv`).
    pub result: RunResult,
    /// Names of the files written, relative to the folder, in a reading order.
    pub files: Vec<String>,
}

/// Runs `scenario` with `seed` and writes its reports (and, with `charts`, its charts and
/// `report.html`) into `dir`. `file_name` and `source` are the scenario file's name and text,
/// kept beside the results.
pub fn run_to_folder(
    scenario: &Scenario,
    seed: u64,
    dir: &Path,
    file_name: &str,
    source: &str,
    charts: bool,
) -> Result<Written, RunFolderError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    remove_stale_temporaries(dir);
    remove_stale_temporaries(&dir.join(crate::report::files::CHARTS_DIR));
    let formats = scenario.output;
    let jobs_name = formats.jobs.file_name(files::JOBS, files::JOBS_PARQUET);
    let (pending, table) = match &jobs_name {
        Some(name) => {
            let (pending, file) = PendingFile::create(&dir.join(name))?;
            let out = BufWriter::with_capacity(1 << 16, file);
            let table = JobsTable::new(formats.jobs, out, scenario.calendar)?;
            (Some(pending), table)
        }
        None => (None, None),
    };
    let mut sink = ThreadedJobs::start(table, crate::sim::names(scenario));
    let result = crate::sim::run_with(scenario, seed, &mut sink);
    let (file, waits) = sink
        .finish(&result.names)
        .map_err(|e| e.in_file(&dir.join(jobs_name.unwrap_or(files::JOBS))))?;
    if let (Some(mut file), Some(name)) = (file, jobs_name) {
        file.flush().map_err(io(&dir.join(name)))?;
    }
    let mut files = run_files(&result, file_name, source, formats.timeseries)?;
    if charts {
        // Charts are drawn from the bytes of the report files — the time series as CSV,
        // rendered here when the folder gets another format — and from the run's waits.
        let timeseries = match formats.timeseries {
            TableFormat::Csv => None,
            _ => Some(crate::report::timeseries::to_csv(&result)?),
        };
        let drawn = {
            let memory = crate::plot::in_memory(&files);
            let lookup = |name: &str| -> Option<Box<dyn std::io::Read>> {
                match &timeseries {
                    Some(csv) if name == files::TIMESERIES => {
                        Some(Box::new(std::io::Cursor::new(csv.clone())))
                    }
                    _ => memory(name),
                }
            };
            crate::plot::run_outputs_with_waits(&lookup, Some(waits))?
        };
        files.extend(drawn);
    }
    // All or nothing: every file is complete under its temporary name before any replaces
    // the folder's previous one.
    let mut staged = stage_files(dir, &files)?;
    staged.extend(pending);
    persist_all(staged)?;
    let mut names: Vec<String> = files.into_iter().map(|(n, _)| n).collect();
    if let Some(name) = jobs_name {
        names.insert(names.len().min(2), name.to_string());
    }
    Ok(Written {
        result,
        files: names,
    })
}
