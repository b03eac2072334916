//! Fuzz target: charts and report.html drawn from a run folder whose `timeseries.csv` is the
//! fuzzed bytes (the other files from a real small run). Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The files of a real one-day run, made once.
fn base() -> &'static Vec<(String, Vec<u8>)> {
    static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let text = "[simulation]\nstart = \"2024-01-01T00:00:00Z\"\nhorizon = \"1d\"\n\
                    [[pools]]\ndevice = \"A100-SXM4-80GB\"\nnodes = 1\ndevices_per_node = 8\n\
                    [[jobs]]\ndevices = 4\nduration = \"3h\"\n";
        let s = wattsim::scenario::parse(text, std::path::Path::new("f.toml")).expect("valid");
        let r = wattsim::run(&s, 1);
        let mut files = wattsim::report::run_files(&r, "f.toml", text).expect("reports");
        files.push((
            wattsim::report::files::JOBS.to_string(),
            wattsim::report::jobs::to_csv(&r).expect("jobs"),
        ));
        files
    })
}

fuzz_target!(|data: &[u8]| {
    let mut files = base().clone();
    for (name, bytes) in &mut files {
        if name == wattsim::report::files::TIMESERIES {
            *bytes = data.to_vec();
        }
    }
    let _ = wattsim::plot::run_outputs(&wattsim::plot::in_memory(&files));
});
