//! One module per command: the work behind each `wattsim` subcommand, called by the CLI's
//! dispatch with parsed arguments. Commands choose output paths and print; the library does
//! the rest.

/// Prints to stdout unless `--quiet` was given (results, summaries, "wrote …").
macro_rules! say {
    ($($arg:tt)*) => {
        if !$crate::commands::quiet() {
            print!($($arg)*);
        }
    };
}

/// As `say!`, with a newline.
macro_rules! sayln {
    ($($arg:tt)*) => {
        if !$crate::commands::quiet() {
            println!($($arg)*);
        }
    };
}

/// As `say!`, on stderr: progress lines.
macro_rules! progress {
    ($($arg:tt)*) => {
        if !$crate::commands::quiet() {
            eprintln!($($arg)*);
        }
    };
}

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

/// Whether `--quiet` was given: print nothing but warnings and errors.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets `--quiet` for the commands of this process.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, std::sync::atomic::Ordering::Relaxed);
}

/// Whether `--quiet` is set.
pub fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// Prints remarks that are not warnings (on stderr, unless `--quiet`).
pub fn remark(remarks: &[String]) {
    for r in remarks {
        progress!("note: {r}");
    }
}

/// Prints warnings about inputs read only in part.
pub fn warn(notes: &[String]) {
    for note in notes {
        eprintln!("warning: {note}");
    }
}
