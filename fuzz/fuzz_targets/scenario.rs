//! Fuzz target: scenario text → parse and validate → (if small) one run, its reports and
//! charts. Must never panic, whatever the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.toml");
    let Ok(scenario) = wattsim::scenario::parse(text, path) else {
        return;
    };
    // Only runs that finish in milliseconds: the estimate is part of what is tested.
    let limits = wattsim::scenario::estimate::Limits {
        max_events: 2e4,
        max_output_gb: 0.01,
    };
    if wattsim::scenario::estimate::check(&scenario, path, text, &limits, true).is_err() {
        return;
    }
    let result = wattsim::run(&scenario, scenario.seed);
    let Ok(mut files) = wattsim::report::run_files(&result, "fuzz.toml", text) else {
        return;
    };
    if let Ok(jobs) = wattsim::report::jobs::to_csv(&result) {
        files.push((wattsim::report::files::JOBS.to_string(), jobs));
    }
    let _ = wattsim::plot::run_outputs(&wattsim::plot::in_memory(&files));
});
