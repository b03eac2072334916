//! wattsim: a discrete-event simulator of the electricity, money and carbon an AI cluster
//! consumes. Scenario → validated model → engine → run result → reports.

// Doc comments state units in brackets (`/// Idle draw [W].`), which rustdoc would otherwise
// read as links.
#![allow(rustdoc::broken_intra_doc_links)]

pub mod batch;
pub mod billing;
pub mod calibrate;
pub mod cli;
pub mod engine;
pub mod model;
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
