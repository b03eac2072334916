//! Trace replay: the shipped sample trace is replayed with every unusable row counted by
//! reason; `on_bad_row = "error"` rejects it with the line; traces stream.

use crate::common;

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
    // With sort = true the trace is read whole and ordered: j7 (submitted before j4) is
    // replayed too, so 6 rows are used and the out-of-order skip disappears.
    let sorted = wattsim::run(
        &load(|t| t.replace("on_bad_row", "sort = true\non_bad_row")).unwrap(),
        1,
    );
    let sorted_sum = Summary::from_result(&sorted);
    assert_eq!(
        (sorted_sum.trace_rows_used, sorted_sum.trace_rows_skipped),
        (6, 4)
    );
    // Jobs are named after their data row (from 1): j1 is row 1.
    assert_eq!(r.job_name(&r.jobs[0]), "sample-1");
    // j1: 8 GPUs from 0 s for 7,200 s at 95 % → ends at 2 h; tenant alice.
    let j1 = &r.jobs[0];
    assert_eq!(
        (j1.submit_ms, j1.devices, j1.duration_ms),
        (0, 8, 7_200_000)
    );
    assert!((j1.utilization - 0.95).abs() < 1e-12);
    assert_eq!(r.tenants()[j1.tenant.unwrap() as usize], "alice");
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

/// Parses an inline scenario placed in `scenarios/traces/` (so its trace file resolves
/// there), runs it and returns the result, the rows used and the skips by reason.
fn replay(text: &str) -> (wattsim::RunResult, u64, Vec<(String, u64)>) {
    replay_in(text, &common::root().join("scenarios/traces"))
}

/// [`replay`] with the scenario placed in `dir`.
fn replay_in(text: &str, dir: &std::path::Path) -> (wattsim::RunResult, u64, Vec<(String, u64)>) {
    let path = dir.join("inline.toml");
    let s = wattsim::scenario::parse(text, &path).unwrap_or_else(|e| panic!("{e}"));
    let r = wattsim::run(&s, 1);
    let sum = Summary::from_result(&r);
    let reasons = sum
        .trace_skips
        .iter()
        .map(|t| (t.reason.clone(), t.rows))
        .collect();
    (r, sum.trace_rows_used, reasons)
}

/// Each replayed job as (submit [ms], devices, share [thousandths], run time [ms]).
fn shapes(r: &wattsim::RunResult) -> Vec<(u64, u32, u32, u64)> {
    r.jobs
        .iter()
        .map(|j| (j.submit_ms, j.devices, j.share_milli, j.duration_ms))
        .collect()
}

/// A one-day scenario from `start` on 2 nodes × 8 devices of `device`, replaying `trace`
/// (the body of a `[[traces]]` table).
fn one_day(start: &str, device: &str, trace: &str) -> String {
    format!(
        "[simulation]\nstart = \"{start}\"\nhorizon = \"1d\"\n[[pools]]\ndevice = \"{device}\"\nnodes = 2\ndevices_per_node = 8\n[[traces]]\n{trace}"
    )
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
    let (r, used, reasons) = replay(text);
    assert_eq!(used, 3);
    let reasons: Vec<(&str, u64)> = reasons.iter().map(|(s, n)| (s.as_str(), *n)).collect();
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
    assert_eq!(r.tenants()[j2.tenant.unwrap() as usize], "user-3");
}

#[test]
fn a_helios_cluster_log_trace() {
    // sample-helios.csv follows the Helios `cluster_log.csv` schema (S-Lab-System-Group
    // HeliosData README); its first two rows are that README's example rows. Row 3 is a CPU
    // job (gpu_num 0) → skipped as "zero devices". Row 4 waited 600 s in the original
    // cluster: its run time is the `duration` column (7,200 s), not end − submit (7,800 s).
    let text = &one_day(
        "2020-06-09T18:40:00Z",
        "A100-SXM4-80GB",
        "name = \"venus\"\nfile = \"sample-helios.csv\"\nformat = \"helios\"\n",
    );
    let (r, used, reasons) = replay(text);
    assert_eq!(used, 3);
    let reasons: Vec<(&str, u64)> = reasons.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    assert_eq!(reasons, vec![("zero devices", 1)]);
    // Row 1: submitted 18:41:01 = 61 s after the 18:40:00 start; 1 GPU; 36,848 s; VC vcJkd.
    let j1 = &r.jobs[0];
    assert_eq!(
        (j1.submit_ms, j1.devices, j1.duration_ms),
        (61_000, 1, 36_848_000)
    );
    assert_eq!(r.tenants()[j1.tenant.unwrap() as usize], "vcJkd");
    // Row 4: 18:50:00 = 600 s after the start; 8 GPUs; 7,200 s.
    let j4 = &r.jobs[2];
    assert_eq!(
        (j4.submit_ms, j4.devices, j4.duration_ms),
        (600_000, 8, 7_200_000)
    );

    // duration_unit overrides the preset's seconds: read as minutes, row 2's 249 → 14,940 s.
    let text_min = text.replace(
        "format = \"helios\"",
        "format = \"helios\"\nduration_unit = \"min\"",
    );
    let (r, _, _) = replay(&text_min);
    assert_eq!(r.jobs[1].duration_ms, 249 * 60_000);

    // An unknown duration unit names the key and the value.
    let bad = text.replace(
        "format = \"helios\"",
        "format = \"helios\"\nduration_unit = \"days\"",
    );
    let path = common::root().join("scenarios/traces/inline.toml");
    let e = wattsim::scenario::parse(&bad, &path)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("traces[0].duration_unit") && e.contains("\"days\""),
        "{e}"
    );
}

#[test]
fn a_philly_cluster_job_log_trace() {
    // sample-philly.json follows the Philly `cluster_job_log` schema (msr-fiddle/philly-traces):
    // job 1 (vc1/u1) submitted 02:56:31, one attempt 02:57:00–03:57:00 on 2 machines × 4 GPUs;
    // job 2 (vc2) submitted 02:40:00 — earlier than job 1, so replayed first — with two
    // attempts of 600 s and 1,200 s on 1 GPU; job 3 never ran; job 4's attempt has no end;
    // job 5's attempt holds no GPU.
    let text = &one_day(
        "2017-10-03T02:30:00Z",
        "V100-SXM2-32GB",
        "name = \"philly\"\nfile = \"sample-philly.json\"\nformat = \"philly\"\n",
    );
    let (r, used, reasons) = replay(text);
    assert_eq!(used, 2);
    let reasons: Vec<(&str, u64)> = reasons.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    assert_eq!(
        reasons,
        vec![
            ("no attempts (never ran)", 1),
            ("unparsable attempt time", 1),
            ("zero devices", 1)
        ]
    );
    // Job 2: 02:40:00 − 02:30:00 = 600 s; 1 GPU; run time 600 + 1,200 = 1,800 s; vc2.
    let j2 = &r.jobs[0];
    assert_eq!(
        (j2.submit_ms, j2.devices, j2.duration_ms),
        (600_000, 1, 1_800_000)
    );
    assert_eq!(r.tenants()[j2.tenant.unwrap() as usize], "vc2");
    // Job 1: 02:56:31 − 02:30:00 = 1,591 s; 8 GPUs; 3,600 s.
    let j1 = &r.jobs[1];
    assert_eq!(
        (j1.submit_ms, j1.devices, j1.duration_ms),
        (1_591_000, 8, 3_600_000)
    );

    // tenant_column = "user" takes the user instead of the virtual cluster.
    let by_user = text.replace(
        "format = \"philly\"",
        "format = \"philly\"\ntenant_column = \"user\"",
    );
    let (r, _, _) = replay(&by_user);
    assert_eq!(r.tenants()[r.jobs[1].tenant.unwrap() as usize], "u1");
}

#[test]
fn a_malformed_philly_log_names_the_line() {
    // A log cut off inside its second job: serde_json reports the end of input on line 3.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("log.json"),
        "[\n{\"submitted_time\": \"2017-10-03 02:40:00\", \"attempts\": []},\n{\"vc\": \"vc1\"",
    )
    .unwrap();
    let text = r#"
[simulation]
start = "2017-10-03T00:00:00Z"
horizon = "1d"
[[pools]]
device = "V100-SXM2-32GB"
nodes = 1
[[traces]]
file = "log.json"
format = "philly"
"#;
    let e = wattsim::scenario::parse(text, &dir.path().join("s.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("traces[0].file") && e.contains("log.json:3") && e.contains("cluster_job_log"),
        "{e}"
    );
}

#[test]
fn an_alibaba_pai_task_table_trace() {
    // sample-pai-task.csv follows the PAI 2020 `pai_task_table.csv` (alibaba/clusterdata,
    // cluster-trace-gpu-v2020; no header line). Row 2 is that README's example task: 1
    // instance at plan_gpu 50 % from 1,739,162 s to 1,739,200 s. With shift = -1739000s:
    //   row 1: 1 instance × 800 % = 8 GPUs, 700 s, 7,200 s (listed first: the table is
    //          not in time order, and the format sorts it);
    //   row 2: submit 162 s, 38 s, half of one GPU (share 500/1000);
    //   row 3: 2 instances × 100 % = 2 GPUs, 300 s, 3,600 s;
    //   row 4: a parameter server with no plan_gpu → zero devices;
    //   row 5: 4 instances × 25 % = 1 whole GPU, 600 s, 100 s.
    let text = &one_day(
        "2020-07-01T00:00:00Z",
        "V100-SXM2-32GB",
        "name = \"pai\"\nfile = \"sample-pai-task.csv\"\nformat = \"alibaba-pai\"\nshift = \"-1739000s\"\n",
    );
    let expect = |r: &wattsim::RunResult, used: u64, reasons: &[(String, u64)]| {
        assert_eq!(used, 4);
        assert_eq!(reasons, &[("zero devices".to_string(), 1)]);
        let got = shapes(r);
        assert_eq!(
            got,
            vec![
                (162_000, 1, 500, 38_000),
                (300_000, 2, 1000, 3_600_000),
                (600_000, 1, 1000, 100_000),
                (700_000, 8, 1000, 7_200_000),
            ]
        );
        assert_eq!(
            r.tenants()[r.jobs[0].tenant.unwrap() as usize],
            "4f057009a5d481acec67b088"
        );
    };
    let (r, used, reasons) = replay(text);
    expect(&r, used, &reasons);

    // The same table with the published header line added is read the same way.
    let dir = tempfile::tempdir().unwrap();
    let rows = std::fs::read_to_string(common::root().join("scenarios/traces/sample-pai-task.csv"))
        .unwrap();
    std::fs::write(
        dir.path().join("sample-pai-task.csv"),
        format!("job_name,task_name,inst_num,status,start_time,end_time,plan_cpu,plan_mem,plan_gpu,gpu_type\n{rows}"),
    )
    .unwrap();
    let (r, used, reasons) = replay_in(text, dir.path());
    expect(&r, used, &reasons);
}

#[test]
fn pai_tasks_take_submit_times_and_users_from_the_job_table() {
    // sample-pai-job.csv (PAI 2020 `pai_job_table.csv` schema: job_name, inst_id, user, status,
    // start_time = submission, end_time; row 1 is the schema doc's example inst_id and user).
    // With shift = -1739000s the jobs are submitted at 100 s (4f05…), 290 s (b2c1…) and
    // 650 s (0a1b…); 7e9d… is not in the table. So, in submit order:
    //   4f05… task: 100 s, half a GPU, 38 s, user 58540f191766;
    //   b2c1… worker: 290 s, 2 GPUs, 3,600 s (its ps task still has no GPU → zero devices);
    //   0a1b… task: 650 s, 8 GPUs, 7,200 s;
    //   7e9d… task → "job not in jobs_file".
    let text = &one_day(
        "2020-07-01T00:00:00Z",
        "V100-SXM2-32GB",
        "name = \"pai\"\nfile = \"sample-pai-task.csv\"\nformat = \"alibaba-pai\"\nshift = \"-1739000s\"\njobs_file = \"sample-pai-job.csv\"\n",
    );
    let (r, used, reasons) = replay(text);
    assert_eq!(used, 3);
    assert_eq!(
        reasons,
        vec![
            ("zero devices".to_string(), 1),
            ("job not in jobs_file".to_string(), 1)
        ]
    );
    let got = shapes(&r);
    assert_eq!(
        got,
        vec![
            (100_000, 1, 500, 38_000),
            (290_000, 2, 1000, 3_600_000),
            (650_000, 8, 1000, 7_200_000),
        ]
    );
    assert_eq!(
        r.tenants()[r.jobs[0].tenant.unwrap() as usize],
        "58540f191766"
    );

    // A job table with another format is an error naming the key.
    let csv = text.replace("format = \"alibaba-pai\"", "format = \"helios\"");
    let e = wattsim::scenario::parse(&csv, &common::root().join("scenarios/traces/inline.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("traces[0].jobs_file") && e.contains("alibaba-pai"),
        "{e}"
    );
}

#[test]
fn a_trace_sorted_through_temporary_files_replays_as_the_ordered_file_does() {
    // 300,000 rows (more than the 262,144 jobs sorted in memory at once, so one chunk is
    // spilled to a temporary file and merged back): submitted every 12 s, 1, 1, 2 or 4 GPUs,
    // 600–7,799 s. The same rows written newest first and replayed with sort = true must give
    // exactly the jobs of the file in time order — same times, energy and names (file rows:
    // the reversed file's row r is the ordered file's row 300,001 − r).
    let n = 300_000u64;
    assert!(n as usize > wattsim::input::trace::sort::CHUNK_JOBS);
    let row = |i: u64| {
        format!(
            "j{i},{},{},{}\n",
            i * 12,
            [1, 1, 2, 4][(i % 4) as usize],
            600 + (i * 7919) % 7200
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let header = "job_id,submit_s,gpus,runtime_s\n";
    let ordered = dir.path().join("ordered.csv");
    let reversed = dir.path().join("reversed.csv");
    std::fs::write(
        &ordered,
        header.to_string() + &(1..=n).map(row).collect::<String>(),
    )
    .unwrap();
    std::fs::write(
        &reversed,
        header.to_string() + &(1..=n).rev().map(row).collect::<String>(),
    )
    .unwrap();
    let scenario = |file: &std::path::Path, sort: bool| {
        common::scenario(&format!(
            r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "1100h"
output_interval = "24h"
[[pools]]
device = "H100-SXM5-80GB"
nodes = 125
devices_per_node = 8
[[traces]]
name = "t"
file = {file:?}
submit_column = "submit_s"
devices_column = "gpus"
duration_column = "runtime_s"
time_unit = "s"
sort = {sort}
"#
        ))
    };
    let a = wattsim::run(&scenario(&ordered, false), 1);
    let b = wattsim::run(&scenario(&reversed, true), 1);
    assert_eq!(a.jobs.len(), n as usize);
    assert_eq!(Summary::from_result(&a), Summary::from_result(&b));
    for (x, y) in a.jobs.iter().zip(&b.jobs) {
        let row = |name: String| name.trim_start_matches("t-").parse::<u64>().unwrap();
        assert_eq!(row(a.job_name(x)), n + 1 - row(b.job_name(y)));
        assert_eq!(
            (x.submit_ms, x.start_ms, x.end_ms, x.devices, &x.attribution),
            (y.submit_ms, y.start_ms, y.end_ms, y.devices, &y.attribution)
        );
    }
}

#[test]
fn a_sort_that_cannot_spill_is_a_clear_error() {
    // 300,000 rows newest first with sort = true must spill a chunk; with TMPDIR naming a
    // folder that does not exist, the run stops before simulating, names the trace file, the
    // key and the fix, exits with 2 and writes nothing.
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (1..=300_000u64)
        .rev()
        .map(|i| format!("j{i},{},1,600\n", i * 12))
        .collect();
    std::fs::write(
        dir.path().join("t.csv"),
        format!("job_id,submit_s,gpus,runtime_s\n{rows}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "1100h"
[[pools]]
device = "H100-SXM5-80GB"
nodes = 125
devices_per_node = 8
[[traces]]
file = "t.csv"
submit_column = "submit_s"
devices_column = "gpus"
duration_column = "runtime_s"
time_unit = "s"
sort = true
"#,
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_wattsim"))
        .args(["run", "s.toml", "--out", "out"])
        .env("TMPDIR", dir.path().join("no-such-folder"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("t.csv")
            && err.contains("traces[0].file")
            && err.contains("cannot sort the trace in a temporary folder")
            && err.contains("TMPDIR"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn trace_options_shift_window_scale_instances_and_end_times() {
    // tests/fixtures/traces/options.csv, in minutes: (submit, end, GPU %, replicas) =
    // a (0, 30, 100, 1), b (10, 70, 50, 2), c (20, 50, 200, 1), d (100, 160, 100, 3),
    // e (300, 400, 100, 1). shift = 40min moves them to 40, 50, 60, 140 and 340 min; the
    // window from 1 h until 5 h keeps c (60 min) and d (140 min) and skips a, b and e.
    // devices_scale = 0.01 reads percent of a GPU: c asks for 2 GPUs; d has 3 instances of
    // 1 GPU: 3 GPUs. Run times come from end − submit: 30 min and 60 min.
    let text = one_day(
        "2024-06-03T00:00:00Z",
        "A100-SXM4-80GB",
        "file = \"options.csv\"\nsubmit_column = \"submit_min\"\nend_column = \"end_min\"\ndevices_column = \"gpu_pct\"\ndevices_scale = 0.01\ninstances_column = \"replicas\"\ntime_unit = \"min\"\nshift = \"40min\"\nfrom = \"1h\"\nuntil = \"5h\"\n",
    );
    let (r, used, skips) = replay_in(&text, &common::root().join("tests/fixtures/traces"));
    const MIN: u64 = 60_000;
    assert_eq!(
        shapes(&r),
        vec![
            (60 * MIN, 2, 1000, 30 * MIN),
            (140 * MIN, 3, 1000, 60 * MIN)
        ]
    );
    assert_eq!(used, 2);
    assert_eq!(skips, vec![("outside the time window".to_string(), 3)]);
}

#[test]
fn an_alibaba_openb_pod_list_and_the_same_file_as_csv_with_a_share_column() {
    // tests/fixtures/traces/openb-small.csv has the columns of Alibaba's GPU 2023
    // openb_pod_list files (made-up rows): p0 asks for 1 GPU from 0 s to 3,600 s; p1 for
    // 500 milli-GPU of 1 GPU (half of one) from 600 s to 2,400 s; p2 for 2 whole GPUs from
    // 1,200 s to 8,400 s; p3 is CPU-only (0 GPUs) and is skipped as "zero devices". Read as
    // a plain CSV naming the same columns, with share_column = "gpu_milli" and share_scale =
    // 0.001, it gives the same jobs.
    const S: u64 = 1000;
    let expected = vec![
        (0, 1, 1000, 3600 * S),
        (600 * S, 1, 500, 1800 * S),
        (1200 * S, 2, 1000, 7200 * S),
    ];
    let dir = common::root().join("tests/fixtures/traces");
    for trace in [
        "file = \"openb-small.csv\"\nformat = \"alibaba-openb\"\n",
        "file = \"openb-small.csv\"\nsubmit_column = \"creation_time\"\nend_column = \"deletion_time\"\ndevices_column = \"num_gpu\"\nshare_column = \"gpu_milli\"\nshare_scale = 0.001\ntime_unit = \"s\"\n",
    ] {
        let text = one_day("2024-06-03T00:00:00Z", "A100-SXM4-80GB", trace);
        let (r, used, skips) = replay_in(&text, &dir);
        assert_eq!(shapes(&r), expected, "{trace}");
        assert_eq!(used, 3);
        assert_eq!(skips, vec![("zero devices".to_string(), 1)]);
    }
}
