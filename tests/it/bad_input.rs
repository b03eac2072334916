//! Bad input: each mistake gives a clear message naming the file, the key and the value, a
//! non-zero exit code (2), and leaves no output behind.

use crate::common;

pub(crate) const GOOD: &str = r#"name = "t"

[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "1d"

[devices.custom]
idle_w = 50.0
max_w = 300.0

[[pools]]
name = "main"
device = "custom"
nodes = 2
devices_per_node = 4
host_idle_w = 100.0
host_max_w = 200.0

[[jobs]]
name = "train"
devices = 4
duration = "2h"

[facility]
pue = 1.2
"#;

/// Writes `text` as `bad.toml` in a fresh folder, runs `wattsim run` and `wattsim validate`
/// on it, and checks both fail with exit code 2, with every `needles` in stderr, and that no
/// output folder appeared.
fn expect_error(text: Option<&str>, needles: &[&str]) {
    expect_error_with(&[], text, needles);
}

/// As `expect_error`, with extra data files written beside the scenario.
pub(crate) fn expect_error_with(files: &[(&str, &str)], text: Option<&str>, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    if let Some(text) = text {
        std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    }
    for args in [
        &["run", "bad.toml", "--out", "out"][..],
        &["validate", "bad.toml"][..],
    ] {
        let stderr = common::assert_refused(dir.path(), args, needles);
        assert!(stderr.contains("bad.toml"), "the file is named: {stderr}");
    }
}

#[test]
fn the_good_scenario_is_good() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.toml"), GOOD).unwrap();
    let o = common::wattsim(&["validate", "good.toml"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn unknown_key_suggests_the_nearest() {
    expect_error(
        Some(&GOOD.replace("pue = 1.2", "pue_ratio = 1.2")),
        &["unknown field `pue_ratio`", "did you mean `pue`", "line 25"],
    );
}

#[test]
fn unknown_key_in_a_weighted_device_count_is_named() {
    // GOOD has 25 lines; then a blank line, `[[workloads]]`, `arrival`, and `devices` on 29.
    let text = format!(
        "{GOOD}\n[[workloads]]\narrival = {{ process = \"poisson\", rate_per_hour = 1.0 }}\n\
         devices = {{ values = [1, 2], weigths = [1.0, 1.0] }}\n\
         duration = {{ distribution = \"fixed\", value = \"1h\" }}\n"
    );
    expect_error(
        Some(&text),
        &[
            "unknown field `weigths`",
            "did you mean `weights`",
            "line 29",
        ],
    );
}

#[test]
fn wrong_type_names_line() {
    expect_error(
        Some(&GOOD.replace("nodes = 2", "nodes = \"two\"")),
        &["invalid type", "expected a whole number", "line 14"],
    );
}

#[test]
fn duration_without_unit() {
    expect_error(
        Some(&GOOD.replace("horizon = \"1d\"", "horizon = \"24\"")),
        &["simulation.horizon", "\"24\"", "no unit", "min, h, d"],
    );
}

#[test]
fn pue_below_one() {
    expect_error(
        Some(&GOOD.replace("pue = 1.2", "pue = 0.9")),
        &[
            "facility.pue",
            "0.9",
            "cannot be below 1.0",
            "bad.toml:25:7",
        ],
    );
}

#[test]
fn pue_nan() {
    expect_error(
        Some(&GOOD.replace("pue = 1.2", "pue = nan")),
        &["facility.pue", "NaN", "not a finite number"],
    );
}

#[test]
fn idle_above_max() {
    expect_error(
        Some(&GOOD.replace("idle_w = 50.0", "idle_w = 500.0")),
        &[
            "devices.custom.idle_w",
            "500",
            "above the maximum",
            "max_w = 300",
        ],
    );
}

#[test]
fn negative_watts() {
    expect_error(
        Some(&GOOD.replace("host_idle_w = 100.0", "host_idle_w = -100.0")),
        &["pools[0].host_idle_w", "-100", "at least 0"],
    );
}

#[test]
fn unknown_device_suggests_catalog_id() {
    expect_error(
        Some(&GOOD.replace("device = \"custom\"", "device = \"H100-SXM5-80G\"")),
        &[
            "pools[0].device",
            "unknown device id",
            "did you mean `H100-SXM5-80GB`",
        ],
    );
}

#[test]
fn empty_file() {
    expect_error(Some("  \n"), &["is empty"]);
}

#[test]
fn missing_file() {
    expect_error(None, &["cannot read scenario file", "check the path"]);
}

#[test]
fn explicit_job_larger_than_the_cluster() {
    expect_error(
        Some(&GOOD.replace("devices = 4\n", "devices = 12\n")),
        &["jobs[0].devices", "can never run", "2 node(s) × 4 devices"],
    );
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    expect_error(
        Some(&GOOD.replace("nodes = 2", "nodes = = 2")),
        &["line 14", "column 9"],
    );
}

#[test]
fn unknown_arrival_process_suggests() {
    let text = format!(
        "{GOOD}\n[[workloads]]\narrival = {{ process = \"posson\", rate_per_hour = 1.0 }}\ndevices = 1\nduration = {{ distribution = \"fixed\", value = \"1h\" }}\n"
    );
    expect_error(
        Some(&text),
        &["unknown variant `posson`", "did you mean `poisson`"],
    );
}

#[test]
fn weights_must_match_values() {
    let text = format!(
        "{GOOD}\n[[workloads]]\narrival = {{ process = \"poisson\", rate_per_hour = 1.0 }}\ndevices = {{ values = [1, 2], weights = [1.0] }}\nduration = {{ distribution = \"fixed\", value = \"1h\" }}\n"
    );
    expect_error(Some(&text), &["workloads[0].devices", "same length"]);
}

#[test]
fn utilization_above_one() {
    expect_error(
        Some(&GOOD.replace("duration = \"2h\"", "duration = \"2h\"\nutilization = 1.5")),
        &["jobs[0].utilization", "1.5", "between 0 and 1"],
    );
}

#[test]
fn failed_write_exits_one_and_says_where() {
    // The output path is an existing file, so the folder cannot be created.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.toml"), GOOD).unwrap();
    std::fs::write(dir.path().join("taken"), "x").unwrap();
    let o = common::wattsim(&["run", "good.toml", "--out", "taken"], dir.path());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("taken"), "{stderr}");
}

/// A URDB record with one energy period; `patch` edits its JSON text.
fn urdb(patch: impl Fn(String) -> String) -> String {
    let row = format!("[{}]", ["0"; 24].join(","));
    let table = format!("[{}]", [row.as_str(); 12].join(","));
    patch(format!(
        r#"{{"items": [{{"name": "test", "energyratestructure": [[{{"rate": 0.1, "unit": "kWh"}}]],
        "energyweekdayschedule": {table}, "energyweekendschedule": {table}}}]}}"#
    ))
}

fn with_tariff(tariff: &str) -> String {
    format!("{GOOD}\n[tariff]\n{tariff}\n")
}

#[test]
fn non_iana_time_zone() {
    expect_error(
        Some(&with_tariff(
            "time_zone = \"America/LosAngeles\"\nprice_per_kwh = 0.1",
        )),
        &[
            "tariff.time_zone",
            "not an IANA time-zone name",
            "America/Los_Angeles",
        ],
    );
}

#[test]
fn urdb_without_time_zone() {
    expect_error_with(
        &[("rate.json", &urdb(|s| s))],
        Some(&with_tariff("urdb = \"rate.json\"")),
        &["tariff.time_zone", "URDB records do not name"],
    );
}

#[test]
fn urdb_schedule_of_the_wrong_shape() {
    let bad = urdb(|s| {
        s.replacen(
            "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]",
            "[0,0]",
            1,
        )
    });
    expect_error_with(
        &[("rate.json", &bad)],
        Some(&with_tariff("urdb = \"rate.json\"\ntime_zone = \"UTC\"")),
        &["rate.json", "energyweekdayschedule", "12 months × 24 hours"],
    );
}

#[test]
fn urdb_period_index_out_of_range() {
    let bad = urdb(|s| {
        s.replacen(
            "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]",
            "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3]",
            1,
        )
    });
    expect_error_with(
        &[("rate.json", &bad)],
        Some(&with_tariff("urdb = \"rate.json\"\ntime_zone = \"UTC\"")),
        &[
            "energyweekdayschedule[0][23]",
            "out of range",
            "1 period(s)",
        ],
    );
}

#[test]
fn urdb_tier_with_an_adjustment_but_no_rate_is_refused() {
    // Billed at the adjustment alone, silently, before: now refused, naming period and tier.
    let bad = urdb(|s| {
        s.replace(
            r#"{"rate": 0.1, "unit": "kWh"}"#,
            r#"{"adj": 0.02, "unit": "kWh"}"#,
        )
    });
    expect_error_with(
        &[("rate.json", &bad)],
        Some(&with_tariff("urdb = \"rate.json\"\ntime_zone = \"UTC\"")),
        &[
            "energyratestructure[0][0].rate",
            "adjustment",
            "no `rate`",
            "\"rate\": 0",
        ],
    );
}

#[test]
fn urdb_periods_are_named_by_price_and_a_later_record_is_warned() {
    // Two periods, 0.10 and 0.25 $/kWh, the second from 12:00 every day; the record takes
    // effect on 2030-01-01 (1,893,456,000 s), after the run starts.
    let row = format!("[{}]", [["0"; 12], ["1"; 12]].concat().join(","));
    let table = format!("[{}]", [row.as_str(); 12].join(","));
    let record = format!(
        r#"{{"name": "two", "startdate": 1893456000, "energyratestructure": [[{{"rate": 0.1}}], [{{"rate": 0.2, "adj": 0.05}}]],
        "energyweekdayschedule": {table}, "energyweekendschedule": {table}}}"#
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rate.json"), record).unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        with_tariff("urdb = \"rate.json\"\ntime_zone = \"UTC\""),
    )
    .unwrap();
    let o = common::wattsim(&["run", "s.toml", "--out", "o", "--no-charts"], dir.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("takes effect on 2030-01-01, after the run starts"),
        "{err}"
    );
    let bill = std::fs::read_to_string(dir.path().join("o/bill.csv")).unwrap();
    assert!(bill.contains("period_1 (highest price)"), "{bill}");
    assert!(bill.contains("period_0 (lowest price)"), "{bill}");
}

#[test]
fn price_series_with_a_gap() {
    let csv = "timestamp,price\n2024-01-01T00:00:00Z,50\n2024-01-01T01:00:00Z,50\n2024-01-01T03:00:00Z,50\n";
    expect_error_with(
        &[("prices.csv", csv)],
        Some(&with_tariff(
            "prices = { file = \"prices.csv\", unit = \"per_mwh\" }",
        )),
        &["prices.csv:4", "gap"],
    );
}

#[test]
fn price_series_unsorted() {
    let csv = "timestamp,price\n2024-01-01T01:00:00Z,50\n2024-01-01T00:00:00Z,50\n";
    expect_error_with(
        &[("prices.csv", csv)],
        Some(&with_tariff("prices = { file = \"prices.csv\" }")),
        &["prices.csv:3", "increasing order"],
    );
}

#[test]
fn price_series_missing_file() {
    expect_error(
        Some(&with_tariff("prices = { file = \"nowhere.csv\" }")),
        &["nowhere.csv"],
    );
}

#[test]
fn tou_periods_must_cover_every_hour() {
    expect_error(
        Some(&with_tariff(
            "[[tariff.periods]]\nname = \"peak\"\nhours = [[16, 21]]\nprice_per_kwh = 0.3",
        )),
        &[
            "tariff.periods",
            "no period covers weekdays in month 1 at 00:00",
            "catch-all",
        ],
    );
}

#[test]
fn tou_demand_names_an_unknown_period() {
    expect_error(
        Some(&with_tariff(
            "[[tariff.periods]]\nname = \"all\"\nprice_per_kwh = 0.1\n[[tariff.demand]]\nprice_per_kw = 10.0\nperiods = [\"peak\"]",
        )),
        &["tariff.demand[0].periods[0]", "\"peak\"", "use one of: all"],
    );
}

#[test]
fn two_energy_prices_at_once() {
    expect_error(
        Some(&with_tariff(
            "price_per_kwh = 0.1\n[[tariff.periods]]\nname = \"all\"\nprice_per_kwh = 0.1",
        )),
        &["prices energy one way only"],
    );
}

#[test]
fn cooling_model_without_weather() {
    expect_error(
        Some(&GOOD.replace("pue = 1.2", "cooling = \"air_cooled\"")),
        &["facility.weather", "needs outdoor temperatures", "epw"],
    );
}

#[test]
fn two_facility_models_at_once() {
    expect_error(
        Some(&GOOD.replace(
            "pue = 1.2",
            "pue = 1.2\npue_curve = [[0.0, 1.5], [1.0, 1.2]]",
        )),
        &["facility.pue_curve", "one way only"],
    );
}

#[test]
fn unknown_intensity_unit() {
    expect_error_with(
        &[(
            "ci.csv",
            "timestamp,ci\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,1\n",
        )],
        Some(&format!(
            "{GOOD}\n[carbon]\nintensity = {{ file = \"ci.csv\", value_column = \"ci\", unit = \"g_per_mwh\" }}\n"
        )),
        &[
            "carbon.intensity.unit",
            "g_per_mwh",
            "g_per_kwh, kg_per_kwh, lb_per_mwh",
        ],
    );
}

#[test]
fn intensity_series_with_a_bad_row() {
    expect_error_with(
        &[(
            "ci.csv",
            "timestamp,ci\n2024-01-01T00:00:00Z,100\n2024-01-01T01:00:00Z,-5\n",
        )],
        Some(&format!(
            "{GOOD}\n[carbon]\nintensity = {{ file = \"ci.csv\", value_column = \"ci\" }}\n"
        )),
        &["carbon.intensity.file", "ci.csv:3", "non-negative"],
    );
}

#[test]
fn an_empty_intensity_value_points_to_gaps_hold() {
    // Removing the row would only make a gap (an error of its own): the hint names the key
    // that holds the previous value across empty ones.
    expect_error_with(
        &[(
            "ci.csv",
            "timestamp,ci\n2024-01-01T00:00:00Z,100\n2024-01-01T01:00:00Z,\n",
        )],
        Some(&format!(
            "{GOOD}\n[carbon]\nintensity = {{ file = \"ci.csv\", value_column = \"ci\" }}\n"
        )),
        &["ci.csv:3", "gaps = \"hold\""],
    );
}

#[test]
fn intensity_series_too_short_without_repeat() {
    expect_error_with(
        &[(
            "ci.csv",
            "timestamp,ci\n2024-01-01T00:00:00Z,100\n2024-01-01T01:00:00Z,100\n",
        )],
        Some(&format!(
            "{GOOD}\n[carbon]\nintensity = {{ file = \"ci.csv\", value_column = \"ci\" }}\n"
        )),
        &["does not cover", "repeat = \"cycle\""],
    );
}

#[test]
fn unknown_host_preset() {
    expect_error(
        Some(&GOOD.replace(
            "host_idle_w = 100.0",
            "host = \"DGX-Z\"\nhost_idle_w = 100.0",
        )),
        &[
            "pools[0].host",
            "DGX-Z",
            "unknown host preset",
            "DGX-A100, DGX-H100",
        ],
    );
}

#[test]
fn a_workload_that_would_never_end() {
    // 1e9 jobs per hour for a day is 2.4e10 jobs: refused before running.
    let text = format!(
        "{GOOD}\n[[workloads]]\narrival = {{ process = \"poisson\", rate_per_hour = 1e9 }}\ndevices = 1\nduration = {{ distribution = \"fixed\", value = \"1h\" }}\n"
    );
    expect_error(
        Some(&text),
        &[
            "workloads[0].arrival.rate_per_hour",
            "2.400e10 jobs",
            "max_jobs",
        ],
    );
}

#[test]
fn a_pool_too_large_to_place() {
    expect_error(
        Some(&GOOD.replace("nodes = 2", "nodes = 4000000000")),
        &["pools[0].nodes", "more than 10000000 nodes"],
    );
}

#[test]
fn mutated_bundled_scenarios_never_panic() {
    // 600 bundled scenarios with one or two `key = value` lines given a hostile value (zero,
    // negative, overflowing, NaN, empty, wrong type, negative duration): each is either
    // rejected with an error or validated and run (short horizons only) — never a panic.
    use rand::{Rng, SeedableRng};
    let files = [
        "scenarios/quickstart.toml",
        "scenarios/workloads/capacity.toml",
        "scenarios/traces/replay.toml",
        "scenarios/traces/philly.toml",
        "scenarios/traces/pai.toml",
        "scenarios/traces/helios.toml",
        "scenarios/site/phoenix-july.toml",
        "scenarios/tariffs/sce-tou8.toml",
        "scenarios/sweeps/hardware.toml",
    ];
    let values = [
        "0",
        "-1",
        "1e309",
        "nan",
        "\"\"",
        "\"x\"",
        "[]",
        "{}",
        "99999999999",
        "0.0",
        "\"0s\"",
        "\"-1h\"",
    ];
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
    for i in 0..600 {
        let path = common::root().join(files[i % files.len()]);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        for _ in 0..rng.random_range(1..3) {
            let k = rng.random_range(0..lines.len());
            if let Some(eq) = lines[k].find(" = ") {
                let value = values[rng.random_range(0..values.len())];
                lines[k] = format!("{} = {value}", &lines[k][..eq]);
            }
        }
        let mutated = lines.join("\n");
        let outcome = std::panic::catch_unwind(|| {
            if let Ok(sc) = wattsim::scenario::parse(&mutated, &path)
                && sc.horizon_ms <= 40 * 24 * 3_600_000
            {
                wattsim::sim::run_with(&sc, 1, &mut wattsim::result::Discard);
            }
        });
        assert!(
            outcome.is_ok(),
            "panic on a mutation of {path:?}:\n{mutated}"
        );
    }
}

#[test]
fn a_misspelt_choice_names_the_key_and_the_nearest_name() {
    // (what to add to the good scenario, the key path the error names, the suggestion).
    let cases: &[(&str, &str, &str)] = &[
        (
            "[[traces]]\nfile = \"t.csv\"\nformat = \"helois\"\n",
            "traces[0].format",
            "did you mean \"helios\"",
        ),
        (
            "[[traces]]\nfile = \"t.csv\"\nformat = \"swf\"\non_bad_row = \"eror\"\n",
            "traces[0].on_bad_row",
            "did you mean \"error\"",
        ),
        (
            "[carbon]\nintensity = { file = \"ci.csv\", value_column = \"ci\", repeat = \"cylce\" }\n",
            "carbon.intensity.repeat",
            "did you mean \"cycle\"",
        ),
        (
            "[carbon]\nintensity = { file = \"ci.csv\", value_column = \"ci\", gaps = \"hodl\" }\n",
            "carbon.intensity.gaps",
            "did you mean \"hold\"",
        ),
        (
            "[tariff]\nprices = { file = \"p.csv\", price_column = \"p\", unit = \"per_mwhh\" }\n",
            "tariff.prices.unit",
            "did you mean \"per_mwh\"",
        ),
    ];
    for (extra, key, hint) in cases {
        // Each value is checked before any file is read, so no data files are needed but
        // the trace's.
        let text = GOOD.replace("[facility]\npue = 1.2\n", "") + extra;
        expect_error_with(&[("t.csv", "a\n")], Some(&text), &[key, hint]);
    }
    // `on_bad_row = "error"` checks CSV rows only: on an SWF trace it is refused, not ignored.
    let swf = GOOD.replace("[facility]\npue = 1.2\n", "")
        + "[[traces]]\nfile = \"t.csv\"\nformat = \"swf\"\non_bad_row = \"error\"\n";
    expect_error_with(
        &[("t.csv", "a\n")],
        Some(&swf),
        &["traces[0].on_bad_row", "CSV traces only"],
    );
    let cooling = GOOD.replace(
        "pue = 1.2",
        "cooling = \"air_coold\"\nweather = { file = \"w.csv\", value_column = \"t\" }",
    );
    expect_error(
        Some(&cooling),
        &["facility.cooling", "did you mean \"air_cooled\""],
    );
}

#[test]
fn units_of_several_bytes_are_named_not_cut() {
    // Found by fuzzing: a unit of multi-byte characters panicked (exit 101).
    for (from, to, needle) in [
        (
            "horizon = \"1d\"",
            "horizon = \"1°\"",
            "`°` is not a duration unit",
        ),
        (
            "horizon = \"1d\"",
            "horizon = \"1d\"\noutput_interval = \"15мин\"",
            "`мин` is not a duration unit",
        ),
        (
            "duration = \"2h\"",
            "duration = \"2 часа\"",
            "`часа` is not a duration unit",
        ),
        // Ends with `s` but its unit is `days`: the message says what a duration is.
        (
            "horizon = \"1d\"",
            "horizon = \"2 days\"",
            "`days` is not a duration unit (a duration is a number and a unit: ms, s, min, h, d, w or y)",
        ),
    ] {
        expect_error(Some(&GOOD.replace(from, to)), &[needle]);
    }
}

#[test]
fn a_sweep_axis_with_a_bad_unit_fails_that_point_not_the_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{GOOD}\n[sweep]\n\"simulation.horizon\" = [\"1d\", \"5мин\"]\n");
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let o = common::wattsim(
        &["sweep", "s.toml", "--out", "o", "--no-charts"],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("мин"), "{stderr}");
    // The other point runs; the failed one is recorded with its error (exit 3).
    assert_eq!(o.status.code(), Some(3), "{stderr}");
    let runs = std::fs::read_to_string(dir.path().join("o/sweep.csv")).unwrap();
    assert!(runs.contains(",ok,") && runs.contains(",failed,"), "{runs}");
}

#[test]
fn a_folder_or_a_pipe_named_as_a_data_file_is_refused() {
    // Found by fuzzing: an SWF trace whose file is a folder hung `run` forever; alibaba-pai on
    // a folder "succeeded" with one malformed row.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    for (format, key) in [
        ("swf", "traces[0].file"),
        ("alibaba-pai", "traces[0].file"),
        ("philly", "traces[0].file"),
    ] {
        let text = format!("{GOOD}\n[[traces]]\nfile = \"data\"\nformat = \"{format}\"\n");
        std::fs::write(dir.path().join("bad.toml"), &text).unwrap();
        for args in [
            &["validate", "bad.toml"][..],
            &["run", "bad.toml", "--out", "o"][..],
        ] {
            let o = common::wattsim(args, dir.path());
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{format} {args:?}: {stderr}");
            assert!(
                stderr.contains(key) && stderr.contains("folder"),
                "{stderr}"
            );
        }
        assert!(!dir.path().join("o").exists());
    }
    // A series file that is a folder, and a URDB "file" that is a folder.
    let series =
        format!("{GOOD}\n[carbon]\nintensity = {{ file = \"data\", value_column = \"ci\" }}\n");
    let urdb = GOOD.replace(
        "[facility]",
        "[tariff]\nurdb = \"data\"\ntime_zone = \"UTC\"\n\n[facility]",
    );
    for text in [series, urdb] {
        std::fs::write(dir.path().join("bad.toml"), &text).unwrap();
        let o = common::wattsim(&["validate", "bad.toml"], dir.path());
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("folder"), "{stderr}");
    }
    // A named pipe never ends: refused without being opened (the test would hang otherwise).
    let fifo = dir.path().join("pipe.swf");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "mkfifo (coreutils) makes the pipe"
    );
    {
        let text = format!("{GOOD}\n[[traces]]\nfile = \"pipe.swf\"\nformat = \"swf\"\n");
        std::fs::write(dir.path().join("bad.toml"), &text).unwrap();
        let o = common::wattsim(&["validate", "bad.toml"], dir.path());
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("not a regular file"), "{stderr}");
    }
}

#[test]
fn a_pool_without_host_power_is_warned_about_on_stderr_and_in_the_summary() {
    // Without any host key the facility energy leaves out the servers' own draw: warned, once
    // on stderr and in summary.json `warnings`. An explicit host_max_w = 0 is a statement: no
    // warning.
    let bare = GOOD
        .lines()
        .filter(|l| !l.starts_with("host_"))
        .collect::<Vec<_>>()
        .join("\n");
    for (text, warned) in [
        (bare.clone(), true),
        (
            format!("{bare}\n").replace("devices_per_node", "host_max_w = 0.0\ndevices_per_node"),
            false,
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.toml"), &text).unwrap();
        let o = common::wattsim(&["run", "s.toml", "--out", "o", "--no-charts"], dir.path());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{err}");
        assert_eq!(
            err.matches("has no host power").count(),
            usize::from(warned),
            "{err}"
        );
        let s: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("o/summary.json")).unwrap())
                .unwrap();
        let listed = s["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("has no host power"));
        assert_eq!(listed, warned, "{s}");
    }
}
