//! Trace replay: the shipped sample trace is replayed with every unusable row counted by
//! reason; `on_bad_row = "error"` rejects it with the line; traces stream.

mod common;

use wattsim::report::Summary;

fn load(
    text_patch: impl Fn(String) -> String,
) -> Result<wattsim::Scenario, wattsim::ScenarioError> {
    let path = common::root().join("scenarios/traces/replay.toml");
    let text = text_patch(std::fs::read_to_string(&path).unwrap());
    wattsim::scenario::parse(&text, &path)
}

#[test]
fn the_sample_trace_is_replayed_and_bad_rows_are_counted_by_reason() {
    // sample-trace.csv has 10 rows: j3 has no runtime, j5 zero GPUs, j6 a non-numeric
    // utilisation, j7 is submitted before j4 (out of order), j8 has a negative runtime →
    // 5 rows skipped; j1, j2, j4, j9, j10 are replayed and j9 (64 GPUs on 32) is rejected.
    let s = load(|t| t).unwrap();
    let r = wattsim::run(&s, 1);
    let sum = Summary::from_result(&r);
    assert_eq!(sum.trace_rows_used, 5);
    assert_eq!(sum.trace_rows_skipped, 5);
    let reasons: Vec<(&str, u64)> = sum
        .trace_skips
        .iter()
        .map(|t| (t.reason.as_str(), t.rows))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("unparsable duration", 1),
            ("zero devices", 1),
            ("unparsable utilization", 1),
            ("out of order (submit time earlier than the row before)", 1),
            ("non-positive duration", 1),
        ]
    );
    assert_eq!(sum.jobs_rejected, 1);
    // Jobs are named after their data row (from 1): j1 is row 1.
    assert_eq!(r.job_name(&r.jobs[0]), "sample-1");
    // j1: 8 GPUs from 0 s for 7,200 s at 95 % → ends at 2 h; tenant alice.
    let j1 = &r.jobs[0];
    assert_eq!(
        (j1.submit_ms, j1.devices, j1.duration_ms),
        (0, 8, 7_200_000)
    );
    assert!((j1.utilization - 0.95).abs() < 1e-12);
    assert_eq!(r.tenants[j1.tenant.unwrap() as usize], "alice");
}

#[test]
fn on_bad_row_error_names_the_line() {
    let e = load(|t| t.replace("on_bad_row = \"skip\"", "on_bad_row = \"error\""))
        .unwrap_err()
        .to_string();
    // j3 (no runtime) is data row 3, line 4 of the file.
    assert!(
        e.contains("traces[0].file")
            && e.contains("sample-trace.csv:4")
            && e.contains("unparsable duration"),
        "{e}"
    );
}

#[test]
fn a_missing_column_is_a_clear_error() {
    let e = load(|t| t.replace("devices_column = \"gpus\"", "devices_column = \"num_gpu\""))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("num_gpu") && e.contains("columns are: job_id, submit_s, gpus"),
        "{e}"
    );
}

#[test]
fn a_standard_workload_format_trace() {
    // sample.swf: job 1 (8 procs, 1 h, user 7), job 2 (allocated -1 → requested 2, 30 min,
    // user 3), job 3 has run time -1 (no duration), job 4 zero processors, job 5 a short line,
    // job 6 (4 procs, 2 h, user 7). Replayed: 1, 2, 6; skipped one each.
    let text = r#"
[simulation]
start = "2025-02-03T00:00:00Z"
horizon = "1d"
[[pools]]
device = "A100-SXM4-80GB"
nodes = 4
devices_per_node = 8
[[traces]]
name = "swf"
file = "sample.swf"
format = "swf"
"#;
    let path = common::root().join("scenarios/traces/swf.toml");
    let s = wattsim::scenario::parse(text, &path).unwrap_or_else(|e| panic!("{e}"));
    let r = wattsim::run(&s, 1);
    let sum = Summary::from_result(&r);
    assert_eq!(sum.trace_rows_used, 3);
    let reasons: Vec<(&str, u64)> = sum
        .trace_skips
        .iter()
        .map(|t| (t.reason.as_str(), t.rows))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("no duration", 1),
            ("zero devices", 1),
            ("malformed SWF line (fewer than 12 fields)", 1)
        ]
    );
    let j2 = &r.jobs[1];
    assert_eq!(
        (j2.submit_ms, j2.devices, j2.duration_ms),
        (60_000, 2, 1_800_000)
    );
    assert_eq!(r.tenants[j2.tenant.unwrap() as usize], "user-3");
}
