//! Golden outputs: the binary runs each bundled scenario and every report it writes —
//! `summary.json`, `timeseries.csv`, `bill.csv`, `tenants.csv`, `tco.csv` where priced, and
//! `jobs.csv` for the scenarios whose job table is small — must match the stored copy in
//! `tests/golden/NAME/`, numbers to 1e-9 relative (plus 1e-12 absolute, for sums that should
//! be zero), text exactly. Regenerate after an intended change with
//! `WATTSIM_BLESS=1 cargo test --release --test it golden`: it prints every value that moved
//! (file, row and column or JSON key, old → new), so a re-bless is reviewed, not waved through.

use crate::common;

use serde_json::Value;
use std::path::Path;

const SCENARIOS: &[(&str, &str)] = &[
    ("quickstart", "scenarios/quickstart.toml"),
    ("gpt3", "scenarios/validation/gpt3.toml"),
    ("bloom", "scenarios/validation/bloom.toml"),
    ("sce-tou8", "scenarios/tariffs/sce-tou8.toml"),
    ("smud-urdb", "scenarios/tariffs/smud-urdb.toml"),
    ("phoenix-july", "scenarios/site/phoenix-july.toml"),
    ("replay", "scenarios/traces/replay.toml"),
    ("capacity", "scenarios/workloads/capacity.toml"),
    ("refresh", "scenarios/workloads/refresh.toml"),
    ("grid-limit", "scenarios/power/grid-limit.toml"),
    ("peak-shaving", "scenarios/power/peak-shaving.toml"),
    ("overnight", "scenarios/power/overnight.toml"),
];

/// The report files every run writes and that are kept as goldens.
const ALWAYS: &[&str] = &["summary.json", "timeseries.csv", "bill.csv", "tenants.csv"];

/// `jobs.csv` is kept as a golden when it is at most this big [bytes] (the validation and
/// replay examples; the generated workloads' tables run to megabytes).
const SMALL_JOBS_BYTES: u64 = 64 * 1024;

/// Differences listed per file at most; the rest are counted.
const SHOWN: usize = 12;

/// Whether two numbers agree to the goldens' tolerance.
fn close(x: f64, y: f64) -> bool {
    x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()) + 1e-12
}

/// Compares a text field: as numbers when both parse, else exactly.
fn field(got: &str, golden: &str, at: &str, out: &mut Vec<String>) {
    let same = match (got.parse::<f64>(), golden.parse::<f64>()) {
        (Ok(x), Ok(y)) => close(x, y),
        _ => got == golden,
    };
    if !same {
        out.push(format!("{at}: {golden:?} → {got:?}"));
    }
}

/// Differences between two JSON values, with their key paths.
fn json(got: &Value, golden: &Value, path: &str, out: &mut Vec<String>) {
    match (got, golden) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            if !close(x, y) {
                out.push(format!("{path}: {y} → {x}"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => json(v, w, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: (new) → {v}")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{path}.{k}: {} → (gone)", y[k]));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                json(v, w, &format!("{path}[{i}]"), out);
            }
        }
        _ if got == golden => {}
        _ => out.push(format!("{path}: {golden} → {got}")),
    }
}

/// Differences between two CSV texts: the header, the row count, then each field named by
/// its row (1 = the first data row, with the row's first field as a label) and column.
fn csv(got: &str, golden: &str, out: &mut Vec<String>) {
    let read = |text: &str| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let (got, golden) = (read(got), read(golden));
    let (Some(head), Some(golden_head)) = (got.first(), golden.first()) else {
        if got.len() != golden.len() {
            out.push(format!("{} row(s) → {}", golden.len(), got.len()));
        }
        return;
    };
    if head != golden_head {
        out.push(format!("header: {golden_head:?} → {head:?}"));
        return;
    }
    if got.len() != golden.len() {
        out.push(format!(
            "{} data row(s) → {}",
            golden.len() - 1,
            got.len() - 1
        ));
    }
    for (i, (row, old)) in got.iter().zip(&golden).enumerate().skip(1) {
        let label = row.first().map(String::as_str).unwrap_or("");
        for (c, name) in head.iter().enumerate() {
            let (a, b) = (
                row.get(c).map_or("", String::as_str),
                old.get(c).map_or("", String::as_str),
            );
            field(a, b, &format!("row {i} ({label}) {name}"), out);
        }
    }
}

/// Differences between a file as written now and its golden.
fn differences(name: &str, got: &str, golden: &str) -> Vec<String> {
    let mut out = vec![];
    if name.ends_with(".json") {
        match (
            serde_json::from_str::<Value>(got),
            serde_json::from_str::<Value>(golden),
        ) {
            (Ok(a), Ok(b)) => json(&a, &b, "", &mut out),
            _ => out.push("not JSON".to_string()),
        }
    } else {
        csv(got, golden, &mut out);
    }
    out
}

/// The files of `run` kept as goldens, in a fixed order.
fn golden_files(run: &Path) -> Vec<String> {
    let mut names: Vec<String> = ALWAYS.iter().map(|s| s.to_string()).collect();
    if run.join("tco.csv").exists() {
        names.push("tco.csv".to_string());
    }
    let jobs = std::fs::metadata(run.join("jobs.csv")).map_or(u64::MAX, |m| m.len());
    if jobs <= SMALL_JOBS_BYTES {
        names.push("jobs.csv".to_string());
    }
    names
}

/// `lines` as a report: the first [`SHOWN`] and a count of the rest.
fn listed(what: &str, lines: &[String]) -> String {
    let mut s = format!("{what}: {} difference(s)\n", lines.len());
    for l in lines.iter().take(SHOWN) {
        s.push_str(&format!("    {l}\n"));
    }
    if lines.len() > SHOWN {
        s.push_str(&format!("    … and {} more\n", lines.len() - SHOWN));
    }
    s
}

#[test]
fn bundled_scenarios_match_their_golden_outputs() {
    let bless = std::env::var_os("WATTSIM_BLESS").is_some();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = String::new();
    for (name, file) in SCENARIOS {
        let scenario = common::root().join(file);
        let run = dir.path().join(name);
        let o = common::wattsim(
            &[
                "run",
                scenario.to_str().unwrap(),
                "--out",
                run.to_str().unwrap(),
                "--no-charts",
                "-q",
            ],
            dir.path(),
        );
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let golden_dir = common::root().join("tests/golden").join(name);
        let kept = golden_files(&run);
        for file in &kept {
            let got = std::fs::read_to_string(run.join(file)).unwrap();
            let golden_path = golden_dir.join(file);
            let golden = std::fs::read_to_string(&golden_path);
            let what = format!("{name}/{file}");
            match (&golden, bless) {
                (Ok(old), _) => {
                    let diff = differences(file, &got, old);
                    if !diff.is_empty() {
                        let text = listed(&what, &diff);
                        if bless {
                            eprint!("re-blessed {text}");
                        } else {
                            failures.push_str(&text);
                        }
                    }
                }
                (Err(e), false) => failures.push_str(&format!(
                    "{what}: no golden ({e}); create it with WATTSIM_BLESS=1\n"
                )),
                (Err(_), true) => eprintln!("re-blessed {what}: new golden"),
            }
            if bless {
                std::fs::create_dir_all(&golden_dir).unwrap();
                std::fs::write(&golden_path, &got).unwrap();
            }
        }
        // A golden the run no longer writes (or no longer keeps) is stale.
        for entry in std::fs::read_dir(&golden_dir)
            .into_iter()
            .flatten()
            .flatten()
        {
            let stale = entry.file_name().to_string_lossy().into_owned();
            if !kept.contains(&stale) {
                if bless {
                    eprintln!("re-blessed {name}/{stale}: removed");
                    std::fs::remove_file(entry.path()).unwrap();
                } else {
                    failures.push_str(&format!("{name}/{stale}: golden of a file not kept\n"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "golden mismatches:\n{failures}");
}

#[test]
fn golden_comparison_names_what_moved() {
    // A CSV whose second data row's cost moved by 1e-6 relative, and whose first row's
    // energy moved by 1e-12 relative (within tolerance): one difference, named by row,
    // label and column.
    let golden = "t,kwh,cost\nA,10,2.5\nB,20,3.0\n";
    let got = "t,kwh,cost\nA,10.00000000001,2.5\nB,20,3.000003\n";
    assert_eq!(
        differences("x.csv", got, golden),
        vec!["row 2 (B) cost: \"3.0\" → \"3.000003\"".to_string()]
    );
    // JSON: a moved number, a new key and a gone key.
    let golden = r#"{"a": 1.0, "b": "x", "c": 2}"#;
    let got = r#"{"a": 1.5, "b": "x", "d": 3}"#;
    assert_eq!(
        differences("s.json", got, golden),
        vec![
            ".a: 1 → 1.5".to_string(),
            ".d: (new) → 3".to_string(),
            ".c: 2 → (gone)".to_string()
        ]
    );
    // A row added is counted.
    assert_eq!(
        differences("x.csv", "a\n1\n2\n", "a\n1\n"),
        vec!["1 data row(s) → 2".to_string()]
    );
}
