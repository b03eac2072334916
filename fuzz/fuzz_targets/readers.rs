//! Fuzz target, light and fast: each data reader called directly on the fuzzed bytes (no
//! scenario, no run) — CSV step series with every rule combination, meter loads, sample
//! columns, EPW, URDB, SWF / CSV / Philly traces — plus the duration and timestamp parsers.
//! The first byte picks the reader and its options. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::LazyLock;
use wattsim::input::series_csv::{SeriesSpec, parse_timestamp_ms, read_step_series};
use wattsim::input::trace::Filter;
use wattsim::input::trace::csv::{CsvTrace, TraceClock};
use wattsim::input::trace::philly::{PhillyOptions, TenantField, read_philly};
use wattsim::input::trace::swf::SwfTrace;
use wattsim::model::trace::TraceSource;

/// One folder per fuzzing process, reused by every input (creating a folder per input would
/// cost more than most readers).
static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temporary folder"));

const FILTER: Filter = Filter {
    from_ms: 0,
    until_ms: u64::MAX,
    min_devices: 0,
};

fn file(bytes: &[u8]) -> Option<PathBuf> {
    let path = DIR.path().join("data");
    std::fs::write(&path, bytes).ok()?;
    Some(path)
}

/// Reads every item of a trace, at most a bounded number (a reader must end on its own).
fn drain(source: &dyn TraceSource) {
    for _ in source.open().take(100_000) {}
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    if pick % 16 == 15 {
        // Text parsers, no file.
        if let Ok(text) = std::str::from_utf8(bytes) {
            let _ = wattsim::time::parse_duration_ms(text);
            let _ = wattsim::time::parse_rfc3339(text);
            let _ = parse_timestamp_ms(text, chrono_tz::Tz::Europe__Berlin);
        }
        return;
    }
    let Some(path) = file(bytes) else {
        return;
    };
    match pick % 16 {
        0..=7 => {
            // The three rule bits of a step series.
            let spec = SeriesSpec {
                time_column: "t",
                value_column: "v",
                scale: 1.0,
                naive_zone: chrono_tz::Tz::America__New_York,
                allow_negative: pick & 1 != 0,
                hold_gaps: pick & 2 != 0,
                repeat: pick & 4 != 0,
                irregular: pick & 32 != 0,
            };
            let _ = read_step_series(&path, &spec);
        }
        8 => {
            let unit = if pick & 32 != 0 {
                wattsim::input::load::LoadUnit::Kwh
            } else {
                wattsim::input::load::LoadUnit::Kw
            };
            let _ = wattsim::input::load::read_load(&path, "t", "v", unit, chrono_tz::Tz::UTC);
        }
        9 => {
            let _ = wattsim::input::samples::read_columns(
                &path,
                &["a", "b"],
                &[("c".to_string(), "x".to_string())],
            );
        }
        10 => {
            let _ = wattsim::input::epw::read_epw(&path);
        }
        11 => {
            let mut notes = Vec::new();
            let _ = wattsim::input::urdb::load(
                &path,
                chrono_tz::Tz::US__Pacific,
                (0, 86_400_000),
                &mut notes,
            );
        }
        12 => drain(&SwfTrace {
            path,
            default_utilization: 0.8,
            shift_ms: -1000,
            filter: FILTER,
        }),
        13 => drain(&CsvTrace {
            path,
            has_headers: pick & 32 != 0,
            submit: 0,
            devices: 1,
            devices_scale: if pick & 64 != 0 { 0.01 } else { 1.0 },
            instances: (pick & 128 != 0).then_some(2),
            fraction_shares: pick & 64 != 0,
            share: None,
            share_scale: 1.0,
            duration: Some(3),
            walltime: Some(4),
            duration_ms_per_unit: 1000.0,
            end: (pick & 16 != 0).then_some(5),
            utilization: Some(6),
            utilization_scale: 0.01,
            default_utilization: 0.5,
            tenant: Some(7),
            unit: if pick & 32 != 0 {
                TraceClock::Timestamp
            } else {
                TraceClock::Number(wattsim::time::TimeUnit::S)
            },
            shift_ms: 0,
            epoch_ms: 1_700_000_000_000,
            filter: FILTER,
            jobs: None,
            job_key: 0,
        }),
        _ => {
            let options = PhillyOptions {
                epoch_ms: 1_500_000_000_000,
                shift_ms: 0,
                utilization: 0.7,
                tenant: if pick & 32 != 0 {
                    TenantField::User
                } else {
                    TenantField::Vc
                },
                filter: FILTER,
            };
            if let Ok(sorted) = read_philly(&path, &options) {
                drain(&sorted);
            }
        }
    }
});
