//! Runs one scenario into an output folder: `jobs.csv` is streamed to a temporary file while
//! the run goes (so memory does not grow with the number of jobs), the other reports and the
//! charts follow, and `jobs.csv` is renamed into place last. On any error nothing partial is
//! left behind: temporary files are removed.

use crate::report::output::{PendingFile, write_files};
use crate::report::{ReportError, jobs::JobsCsv, run_files};
use crate::result::RunResult;
use crate::scenario::Scenario;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

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
) -> Result<Written, ReportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let jobs_path = dir.join("jobs.csv");
    let (pending, file) = PendingFile::create(&jobs_path)?;
    let mut sink = JobsCsv::new(BufWriter::with_capacity(1 << 16, file), scenario.calendar);
    let result = crate::sim::run_with(scenario, seed, &mut sink);
    let mut file = sink.finish()?;
    file.flush().map_err(io(&jobs_path))?;
    drop(file);
    let mut files = run_files(&result, file_name, source)?;
    if charts {
        // Charts are drawn from the very bytes of the report files.
        let drawn = {
            let memory = crate::plot::in_memory(&files);
            let tmp = pending.tmp_path();
            let lookup = |name: &str| -> Option<Box<dyn Read>> {
                if name == "jobs.csv" {
                    let file = std::fs::File::open(tmp).ok()?;
                    return Some(Box::new(std::io::BufReader::new(file)));
                }
                memory(name)
            };
            crate::plot::run_outputs(&lookup)?
        };
        files.extend(drawn);
    }
    write_files(dir, &files)?;
    pending.persist()?;
    let mut names: Vec<String> = files.into_iter().map(|(n, _)| n).collect();
    names.insert(names.len().min(2), "jobs.csv".to_string());
    Ok(Written {
        result,
        files: names,
    })
}
