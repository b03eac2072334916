//! One module per command: the work behind each `wattsim` subcommand, called by the CLI's
//! dispatch with parsed arguments. Commands choose output paths and print; the library does
//! the rest.

pub mod bill;
pub mod calibrate;
pub mod catalog;
pub mod chart;
pub mod merge;
pub mod plan;
pub mod run;
pub mod sweep;
pub mod validate;

pub use crate::scenario::default_name as file_stem;

/// Prints warnings about inputs read only in part.
pub fn warn(notes: &[String]) {
    for note in notes {
        eprintln!("warning: {note}");
    }
}
