//! The large tables in other formats (`--jobs`, `--timeseries`, `[output]`): Parquet files
//! read back with the `parquet` crate's own reader hold the CSV's values row for row, with
//! typed columns; `none` leaves every other output unchanged; the charts redraw from
//! Parquet; bad formats are refused.

use crate::common;

use parquet::basic::{Compression, Encoding, LogicalType, TimeUnit, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::path::Path;

/// Runs the quickstart into `dir/name` with `args` added; panics on failure.
fn quickstart(dir: &Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name);
    let scenario = common::root().join("scenarios/quickstart.toml");
    let mut all = vec![
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    all.extend(args);
    let o = common::wattsim(&all, dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// A Parquet field against the CSV text of the same cell: numbers equal exactly, instants
/// as the same UTC millisecond, an empty cell as a null (never as an empty string).
fn same_value(field: &Field, csv: &str) -> bool {
    match field {
        Field::Null => csv.is_empty(),
        Field::Str(s) => !s.is_empty() && s == csv,
        Field::Bool(b) => csv == b.to_string(),
        Field::Long(x) => csv.parse::<i64>() == Ok(*x),
        Field::Double(x) => csv.parse::<f64>() == Ok(*x),
        Field::TimestampMillis(ms) => {
            chrono::DateTime::parse_from_rfc3339(csv).is_ok_and(|t| t.timestamp_millis() == *ms)
        }
        _ => false,
    }
}

/// Compares a Parquet table with the CSV of the same run, row for row; returns the rows.
fn assert_same_table(parquet_path: &Path, csv_path: &Path) -> usize {
    let csv_rows: Vec<csv::StringRecord> = csv::Reader::from_path(csv_path)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    let header: Vec<String> = csv::Reader::from_path(csv_path)
        .unwrap()
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let reader = SerializedFileReader::try_from(parquet_path).unwrap();
    let names: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    assert_eq!(names, header, "the same columns in the same order");
    let mut n = 0;
    for (i, row) in reader.get_row_iter(None).unwrap().enumerate() {
        let row = row.unwrap();
        let csv_row = &csv_rows[i];
        for (c, (name, field)) in row.get_column_iter().enumerate() {
            assert!(
                same_value(field, &csv_row[c]),
                "{}: row {} {name}: parquet {field:?}, csv {:?}",
                parquet_path.display(),
                i + 1,
                &csv_row[c]
            );
        }
        n += 1;
    }
    assert_eq!(n, csv_rows.len(), "as many rows as the CSV");
    n
}

#[test]
fn parquet_tables_hold_the_csv_values_row_for_row_in_typed_columns() {
    let dir = tempfile::tempdir().unwrap();
    let csv = quickstart(dir.path(), "csv", &["--no-charts"]);
    let pq = quickstart(
        dir.path(),
        "pq",
        &[
            "--no-charts",
            "--jobs",
            "parquet",
            "--timeseries",
            "parquet",
        ],
    );
    assert!(!pq.join("jobs.csv").exists() && !pq.join("timeseries.csv").exists());
    let jobs = assert_same_table(&pq.join("jobs.parquet"), &csv.join("jobs.csv"));
    let intervals = assert_same_table(&pq.join("timeseries.parquet"), &csv.join("timeseries.csv"));
    // The quickstart's summary counts the jobs; a week of hourly intervals is 168 rows
    // (7 × 24).
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(csv.join("summary.json")).unwrap()).unwrap();
    assert_eq!(jobs as u64, summary["jobs_submitted"].as_u64().unwrap());
    assert_eq!(intervals, 168);

    // Typed columns: instants as UTC milliseconds, counts as INT64, measures as DOUBLE,
    // names as dictionary-encoded UTF-8, flags as BOOLEAN; Snappy pages.
    let reader = SerializedFileReader::try_from(pq.join("jobs.parquet").as_path()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let column = |name: &str| {
        (0..schema.num_columns())
            .find(|&i| schema.column(i).name() == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let typed = |name: &str| {
        let c = schema.column(column(name));
        (c.physical_type(), c.logical_type_ref().cloned())
    };
    assert_eq!(
        typed("submit"),
        (
            Physical::INT64,
            Some(LogicalType::timestamp(true, TimeUnit::MILLIS))
        )
    );
    assert_eq!(typed("id"), (Physical::INT64, None));
    assert_eq!(typed("devices"), (Physical::INT64, None));
    assert_eq!(typed("wait_s"), (Physical::DOUBLE, None));
    assert_eq!(
        typed("tenant"),
        (Physical::BYTE_ARRAY, Some(LogicalType::String))
    );
    assert_eq!(typed("missed_deadline"), (Physical::BOOLEAN, None));
    let group = reader.metadata().row_group(0);
    let tenant = group.column(column("tenant"));
    assert!(
        tenant
            .encodings()
            .any(|e| e == Encoding::RLE_DICTIONARY || e == Encoding::PLAIN_DICTIONARY),
        "{:?}",
        tenant.encodings().collect::<Vec<_>>()
    );
    assert_eq!(tenant.compression(), Compression::SNAPPY);
    // Compressed and typed, the table is well under the CSV's size.
    let size = |p: &Path| std::fs::metadata(p).unwrap().len();
    assert!(size(&pq.join("jobs.parquet")) * 2 < size(&csv.join("jobs.csv")));
}

#[test]
fn a_long_job_table_is_written_in_row_groups_in_job_order() {
    // 3,000 one-device jobs an hour for a day on a cluster that never queues: 72,000 jobs
    // expected (Poisson), more than one 65,536-row group; the rows keep the CSV's order.
    let dir = tempfile::tempdir().unwrap();
    let text = r#"
[simulation]
start = "2025-01-01T00:00:00Z"
horizon = "1d"
seed = 3
[[pools]]
device = "H100-SXM5-80GB"
nodes = 200
devices_per_node = 8
host_idle_w = 500.0
host_max_w = 1000.0
[[workloads]]
arrival = { process = "poisson", rate_per_hour = 3000.0 }
devices = 1
duration = { distribution = "exponential", mean = "10min" }
"#;
    std::fs::write(dir.path().join("long.toml"), text).unwrap();
    for (name, format) in [("c", "csv"), ("p", "parquet")] {
        let o = common::wattsim(
            &[
                "run",
                "long.toml",
                "--out",
                name,
                "--no-charts",
                "-q",
                "--jobs",
                format,
            ],
            dir.path(),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let pq = dir.path().join("p/jobs.parquet");
    let rows = assert_same_table(&pq, &dir.path().join("c/jobs.csv"));
    assert!(rows > 65_536, "{rows}");
    let reader = SerializedFileReader::try_from(pq.as_path()).unwrap();
    let groups = reader.metadata().num_row_groups();
    assert_eq!(groups, rows.div_ceil(65_536), "{rows} rows");
    assert_eq!(reader.metadata().row_group(0).num_rows(), 65_536);
}

#[test]
fn no_tables_leave_every_other_output_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let csv = quickstart(dir.path(), "csv", &[]);
    let none = quickstart(
        dir.path(),
        "none",
        &["--jobs", "none", "--timeseries", "none"],
    );
    let pq = quickstart(
        dir.path(),
        "pq",
        &["--jobs", "parquet", "--timeseries", "parquet"],
    );
    assert!(!none.join("jobs.csv").exists() && !none.join("timeseries.csv").exists());
    let mut compared = 0;
    for entry in walk(&csv) {
        let rel = entry.strip_prefix(&csv).unwrap();
        let name = rel.to_string_lossy();
        if name.starts_with("jobs.") || name.starts_with("timeseries.") || name == ".wattsim-files"
        {
            continue;
        }
        for other in [&none, &pq] {
            assert_eq!(
                std::fs::read(&entry).unwrap(),
                std::fs::read(other.join(rel)).unwrap_or_default(),
                "{name} differs in {}",
                other.display()
            );
        }
        compared += 1;
    }
    // summary, tenants, bill, scenario, metadata, report.html and the charts (SVG and PNG).
    assert!(compared > 10, "{compared}");
    // The folder's list names what is there: no job table, no time series.
    let listed = std::fs::read_to_string(none.join(".wattsim-files")).unwrap();
    assert!(
        !listed.contains("jobs.") && !listed.contains("timeseries."),
        "{listed}"
    );

    // `wattsim chart` redraws the Parquet folder's charts from its Parquet tables, byte for
    // byte as the CSV folder's.
    std::fs::remove_dir_all(pq.join("charts")).unwrap();
    let o = common::wattsim(&["chart", pq.to_str().unwrap(), "-q"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for entry in walk(&csv.join("charts")) {
        let rel = entry.strip_prefix(&csv).unwrap();
        assert_eq!(
            std::fs::read(&entry).unwrap(),
            std::fs::read(pq.join(rel)).unwrap(),
            "{}",
            rel.display()
        );
    }
}

/// Every file under `dir`, sorted.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn the_scenario_chooses_formats_and_the_command_line_overrides_them() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(common::root().join("scenarios/quickstart.toml")).unwrap();
    let text = format!("{base}\n[output]\njobs = \"parquet\"\ntimeseries = \"none\"\n");
    std::fs::write(dir.path().join("s.toml"), &text).unwrap();
    let o = common::wattsim(&["run", "s.toml", "--out", "a", "-q"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let a = dir.path().join("a");
    assert!(a.join("jobs.parquet").exists());
    assert!(!a.join("timeseries.csv").exists() && !a.join("timeseries.parquet").exists());
    let o = common::wattsim(
        &[
            "run",
            "s.toml",
            "--out",
            "b",
            "-q",
            "--jobs",
            "csv",
            "--no-charts",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.path().join("b/jobs.csv").exists());

    // A format wattsim does not write, in the file and on the command line.
    std::fs::write(
        dir.path().join("bad.toml"),
        format!("{base}\n[output]\njobs = \"xlsx\"\n"),
    )
    .unwrap();
    common::assert_refused(
        dir.path(),
        &["run", "bad.toml", "--out", "c"],
        &["output.jobs", "\"xlsx\"", "csv, parquet, none"],
    );
    let o = common::wattsim(
        &["run", "s.toml", "--out", "d", "--timeseries", "xlsx"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("xlsx") && err.contains("parquet"), "{err}");
    assert!(!dir.path().join("d").exists());
}
