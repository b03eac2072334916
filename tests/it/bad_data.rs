//! Bad data files through the binary — a weather CSV, a PPA series, a malformed URDB record,
//! a `wattsim bill` meter file and `calibrate` samples: each names the file, the line and the
//! column or field with its value, says how to fix it, exits with 2 (bad input) and leaves no
//! output folder behind.

use crate::common;

/// A one-node scenario with `extra` TOML appended.
fn scenario(extra: &str) -> String {
    format!(
        r#"
[simulation]
start = "2025-07-14T00:00:00Z"
horizon = "2h"

[devices.toy]
idle_w = 50.0
max_w = 300.0

[[pools]]
device = "toy"
nodes = 1
devices_per_node = 4
host_max_w = 0.0

{extra}
"#
    )
}

/// Writes `files` into a fresh folder, runs `args` there and checks it is refused as bad input
/// naming every one of `needles`, leaving no output folder.
fn refused(files: &[(&str, &str)], args: &[&str], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let o = common::wattsim(args, dir.path());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{args:?}: {needle:?} not in {stderr}"
        );
    }
    assert!(
        !dir.path().join("out").exists(),
        "{args:?} left an output folder"
    );
}

#[test]
fn a_weather_csv_with_a_word_for_a_temperature() {
    refused(
        &[
            (
                "s.toml",
                &scenario(
                    "[facility]\ncooling = \"air_cooled\"\nweather = { file = \"w.csv\", value_column = \"temperature_c\", repeat = \"cycle\" }",
                ),
            ),
            (
                "w.csv",
                "timestamp,temperature_c\n2025-07-14T00:00:00Z,30\n2025-07-14T01:00:00Z,hot\n2025-07-14T02:00:00Z,31\n",
            ),
        ],
        &["run", "s.toml", "--out", "out"],
        &[
            "facility.weather.file",
            "w.csv:3",
            "`temperature_c` = \"hot\"",
            "not a finite number",
        ],
    );
}

#[test]
fn a_ppa_series_with_negative_power() {
    refused(
        &[
            (
                "s.toml",
                &scenario(
                    "[carbon]\nintensity_g_per_kwh = 400.0\nppa = { file = \"ppa.csv\", value_column = \"mw\", unit = \"mw\" }",
                ),
            ),
            (
                "ppa.csv",
                "timestamp,mw\n2025-07-14T00:00:00Z,0.5\n2025-07-14T01:00:00Z,-2\n2025-07-14T02:00:00Z,1\n",
            ),
        ],
        &["run", "s.toml", "--out", "out"],
        &[
            "carbon.ppa.file",
            "ppa.csv:3",
            "`mw` = \"-2\"",
            "non-negative",
        ],
    );
}

/// A 15-minute meter file of two rows of 5 kW.
const METER: &str = "timestamp,kw\n2025-06-01 00:00,5\n2025-06-01 00:15,5\n";

#[test]
fn a_urdb_record_cut_short() {
    refused(
        &[
            (
                "r.json",
                "{\"items\": [{\"name\": \"x\", \"energyratestructure\": [[{\"rate\": 0.1}]],\n \"energyweekdayschedule\": [[0,0]\n",
            ),
            ("m.csv", METER),
        ],
        &[
            "bill",
            "--load",
            "m.csv",
            "--tariff",
            "r.json",
            "--time-zone",
            "UTC",
            "--out",
            "out",
        ],
        &["r.json:3", "EOF while parsing", "URDB rate record in JSON"],
    );
}

#[test]
fn a_meter_file_with_a_word_for_a_reading() {
    refused(
        &[
            (
                "m.csv",
                "timestamp,kw\n2025-06-01 00:00,5\n2025-06-01 00:15,five\n2025-06-01 00:30,5\n",
            ),
            ("t.toml", "[tariff]\nprice_per_kwh = 0.1\n"),
        ],
        &[
            "bill", "--load", "m.csv", "--tariff", "t.toml", "--out", "out",
        ],
        &["m.csv:3", "`kw` = \"five\"", "hint:"],
    );
}

#[test]
fn calibration_samples_with_a_word_for_watts() {
    refused(
        &[("samples.csv", "util,watts\n0.0,60\n0.5,abc\n1.0,400\n")],
        &[
            "calibrate",
            "power",
            "--samples",
            "samples.csv",
            "--util-column",
            "util",
            "--watts-column",
            "watts",
        ],
        &["samples.csv:3", "`watts` = \"abc\"", "not a finite number"],
    );
}
