//! Sweeps: many scenario points × replications run in parallel, recorded run by run so an
//! interrupted sweep resumes, sharded across machines, and summarised with statistics and
//! monthly bill forecasts.

pub mod error;
pub mod manifest;
pub mod record;
pub mod report;
pub mod runner;
pub mod stats;
pub mod tables;

pub use error::{RUNS_DIR, SweepError};
pub use record::RunRecord;
pub use runner::{SweepOptions, SweepOutcome, run_sweep};
