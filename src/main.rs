//! The `wattsim` binary: parses arguments, calls the library, prints the error chain and exits
//! with 2 for bad input, 1 for other failures and 130 when interrupted (SIGINT, SIGTERM or
//! SIGHUP).

use clap::Parser;
use std::process::ExitCode;
use wattsim::cli::{Cli, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_RUNS_FAILED, RunsFailed, execute};

/// Exit code after an interrupt (128 + SIGINT, as shells report Ctrl-C; also for SIGTERM and
/// SIGHUP, which the handler cannot tell apart).
const EXIT_INTERRUPTED: i32 = 130;

fn main() -> ExitCode {
    // Ctrl-C, SIGTERM (timeout, Slurm, Kubernetes) and SIGHUP: remove the files being written
    // (a run's jobs.csv, a sweep record) and the temporary folders in use (a trace sort's
    // spill), and stop, so an interrupted run leaves nothing partial; a sweep's finished
    // records stay for --resume.
    let _ = ctrlc::set_handler(|| {
        wattsim::cleanup::remove_pending();
        eprintln!("interrupted: files being written were removed");
        std::process::exit(EXIT_INTERRUPTED);
    });
    let cli = Cli::parse();
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let top = error.to_string();
            eprintln!("error: {top}");
            // Library errors already include their causes' text; print only what is new.
            for cause in error.chain().skip(1) {
                let text = cause.to_string();
                if !top.contains(&text) {
                    eprintln!("  caused by: {text}");
                }
            }
            if error.downcast_ref::<wattsim::ScenarioError>().is_some()
                || error
                    .downcast_ref::<wattsim::input::error::InputError>()
                    .is_some()
                || error
                    .downcast_ref::<wattsim::report::folder::FolderRefused>()
                    .is_some()
            {
                ExitCode::from(EXIT_BAD_INPUT)
            } else if error.downcast_ref::<RunsFailed>().is_some() {
                ExitCode::from(EXIT_RUNS_FAILED)
            } else {
                ExitCode::from(EXIT_FAILURE)
            }
        }
    }
}
