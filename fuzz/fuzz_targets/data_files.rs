//! Fuzz target: every outside format a scenario can name — CSV series, EPW weather, URDB JSON,
//! and job traces (CSV, SWF, Philly JSON, Alibaba PAI) — read through a scenario that points
//! at the fuzzed bytes, then (if small) run. The first byte picks the format. Must never
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Scenario text naming `data.*` in each way, the file's extension first.
const FORMATS: &[(&str, &str)] = &[
    ("csv", "[carbon]\nintensity = { file = \"data.csv\", value_column = \"v\", repeat = \"cycle\", gaps = \"hold\" }\n"),
    ("csv", "[power]\nbudget_kw = 5.0\nbudget = { file = \"data.csv\", value_column = \"v\" }\n"),
    ("epw", "[facility]\ncooling = \"air_cooled\"\nweather = { file = \"data.epw\" }\n"),
    ("json", "[tariff]\nurdb = \"data.json\"\ntime_zone = \"UTC\"\n"),
    ("csv", "[[traces]]\nfile = \"data.csv\"\nsubmit_column = \"submit\"\nduration_column = \"duration\"\ndevices_column = \"gpus\"\n"),
    ("swf", "[[traces]]\nfile = \"data.swf\"\nformat = \"swf\"\n"),
    ("json", "[[traces]]\nfile = \"data.json\"\nformat = \"philly\"\n"),
    ("csv", "[[traces]]\nfile = \"data.csv\"\nformat = \"alibaba-pai\"\n"),
];

const BASE: &str = "[simulation]\nstart = \"2024-01-01T00:00:00Z\"\nhorizon = \"2d\"\n\
[[pools]]\ndevice = \"A100-SXM4-80GB\"\nnodes = 2\ndevices_per_node = 8\n";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let (ext, section) = FORMATS[pick as usize % FORMATS.len()];
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    if std::fs::write(dir.path().join(format!("data.{ext}")), bytes).is_err() {
        return;
    }
    let path = dir.path().join("s.toml");
    let text = format!("{BASE}{section}");
    if std::fs::write(&path, &text).is_err() {
        return;
    }
    let Ok(loaded) = wattsim::scenario::load(&path) else {
        return;
    };
    let limits = wattsim::scenario::estimate::Limits {
        max_events: 2e4,
        max_output_gb: 0.01,
    };
    if wattsim::scenario::estimate::check(&loaded.scenario, &path, &text, &limits, true).is_ok() {
        let _ = wattsim::run(&loaded.scenario, 1);
    }
});
