//! Runs one scenario into an output folder: `jobs.csv` is streamed to a temporary file while
//! the run goes — formatted and written on a second thread, in batches, so the engine does not
//! wait for it and memory does not grow with the number of jobs — the other reports and the
//! charts follow, and `jobs.csv` is renamed into place last. On any error nothing partial is
//! left behind: temporary files are removed.

use crate::report::output::{PendingFile, persist_all, remove_stale_temporaries, stage_files};
use crate::report::{ReportError, jobs::JobsCsv, run_files};
use crate::result::{JobNames, JobRecord, JobSink, RunResult};
use crate::scenario::Scenario;
use crate::time::Calendar;
use std::io::{BufWriter, Read, Write};
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
/// Batches in flight at most (bounds the memory between the engine and the writer).
const BATCHES_IN_FLIGHT: usize = 4;

/// Jobs leaving the run, and tenant names added since the last batch.
struct Batch {
    jobs: Vec<JobRecord>,
    new_tenants: Vec<String>,
}

/// A [`JobSink`] that hands jobs in batches to a thread writing `jobs.csv`.
struct ThreadedJobsCsv {
    batch: Vec<JobRecord>,
    tenants_sent: usize,
    tx: Option<mpsc::SyncSender<Batch>>,
    writer: std::thread::JoinHandle<Result<BufWriter<std::fs::File>, ReportError>>,
}

impl ThreadedJobsCsv {
    /// Starts the writer thread on `file`; `names` are the run's names (tenants may grow).
    fn start(file: std::fs::File, calendar: Calendar, names: JobNames) -> Self {
        let (tx, rx) = mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        let tenants_sent = names.tenants.len();
        let writer = std::thread::spawn(move || {
            let mut names = names;
            let mut out = JobsCsv::new(BufWriter::with_capacity(1 << 16, file), calendar);
            for batch in rx {
                names.tenants.extend(batch.new_tenants);
                for job in &batch.jobs {
                    out.job(job, &names);
                }
            }
            out.finish()
        });
        ThreadedJobsCsv {
            batch: Vec::with_capacity(BATCH_JOBS),
            tenants_sent,
            tx: Some(tx),
            writer,
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

    /// Sends the last jobs, waits for the writer and returns its file.
    fn finish(mut self, names: &JobNames) -> Result<BufWriter<std::fs::File>, ReportError> {
        self.send(names);
        self.tx = None;
        self.writer.join().unwrap_or_else(|_| {
            Err(ReportError::Write {
                path: crate::report::files::JOBS.into(),
                source: std::io::Error::other("the jobs.csv writer stopped unexpectedly"),
            })
        })
    }
}

impl JobSink for ThreadedJobsCsv {
    fn job(&mut self, job: &JobRecord, names: &JobNames) {
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
    let jobs_path = dir.join(crate::report::files::JOBS);
    let (pending, file) = PendingFile::create(&jobs_path)?;
    let mut sink = ThreadedJobsCsv::start(file, scenario.calendar, crate::sim::names(scenario));
    let result = crate::sim::run_with(scenario, seed, &mut sink);
    let mut file = sink
        .finish(&result.names)
        .map_err(|e| e.in_file(&jobs_path))?;
    file.flush().map_err(io(&jobs_path))?;
    drop(file);
    let mut files = run_files(&result, file_name, source)?;
    if charts {
        // Charts are drawn from the very bytes of the report files.
        let drawn = {
            let memory = crate::plot::in_memory(&files);
            let tmp = pending.tmp_path();
            let lookup = |name: &str| -> Option<Box<dyn Read>> {
                if name == crate::report::files::JOBS {
                    let file = std::fs::File::open(tmp).ok()?;
                    return Some(Box::new(std::io::BufReader::new(file)));
                }
                memory(name)
            };
            crate::plot::run_outputs(&lookup)?
        };
        files.extend(drawn);
    }
    // All or nothing: every file is complete under its temporary name before any replaces
    // the folder's previous one.
    let mut staged = stage_files(dir, &files)?;
    staged.push(pending);
    persist_all(staged)?;
    let mut names: Vec<String> = files.into_iter().map(|(n, _)| n).collect();
    names.insert(names.len().min(2), crate::report::files::JOBS.to_string());
    Ok(Written {
        result,
        files: names,
    })
}
