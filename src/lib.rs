//! wattsim: a discrete-event simulator of the electricity, money and carbon an AI cluster
//! consumes. Scenario → validated model → engine → run result → reports.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let loaded = wattsim::scenario::load(std::path::Path::new("scenarios/quickstart.toml"))?;
//! let sc = &loaded.scenario;
//! // Every job kept in memory (RunResult::jobs, in id order): simple, for modest runs.
//! let result = wattsim::run(sc, sc.seed);
//! let summary = wattsim::report::Summary::from_result(&result);
//! // Or stream jobs to any JobSink as they leave (RunResult::jobs stays empty; the aggregates in
//! // RunResult::job_stats and the summary are the same):
//! let mut csv = wattsim::report::jobs::JobsCsv::new(std::io::stdout(), sc.calendar);
//! let streamed = wattsim::sim::run_with(sc, sc.seed, &mut csv);
//! csv.finish()?;
//! assert_eq!(summary, wattsim::report::Summary::from_result(&streamed));
//! // Or write a whole output folder as `wattsim run` does:
//! wattsim::run_folder::run_to_folder(sc, sc.seed, "out".as_ref(), "quickstart.toml", &loaded.source, true)?;
//! # Ok(())
//! # }
//! ```

// Doc comments state units in brackets (`/// Idle draw [W].`), which rustdoc would otherwise
// read as links.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod batch;
pub mod billing;
pub mod calibrate;
pub mod cleanup;
pub mod cli;
pub mod commands;
pub mod engine;
pub mod input;
pub mod meter;
pub mod model;
pub mod panics;
pub mod plan;
pub mod plot;
pub mod report;
pub mod result;
pub mod run_folder;
pub mod scenario;
pub mod scheduler;
pub mod sim;
pub mod sweep;
pub mod time;
pub mod waits;

pub use result::RunResult;
pub use scenario::{LoadedScenario, Scenario, ScenarioError};
pub use sim::run;
