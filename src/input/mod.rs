//! Readers of outside formats: CSV time series, EPW weather, measured samples and load
//! profiles, OpenEI URDB rate JSON, job traces (CSV presets, SWF, Philly JSON, with an external sort). Each takes a path (and what it must know of the columns or calendar) and returns
//! typed model data or an [`InputError`] naming the file and row; none knows the scenario
//! schema or its validation context.

pub mod epw;
pub mod error;
pub mod load;
pub mod samples;
pub mod series_csv;
pub mod trace;
pub mod urdb;
mod urdb_tiers;

pub use error::{DataProblem, InputError, data_error, open_data, read_data_text};
