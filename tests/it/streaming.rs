//! Jobs stream out of a run as they leave it: the streamed `jobs.csv` holds every job once and
//! says exactly what the in-memory table says; aggregates (summary, tenants) do not depend on
//! keeping jobs; recycled job entries never pick up another job's events; the p95 wait stays
//! within its documented bound once waits no longer fit the exact buffer.

use crate::common;

use std::path::Path;
use wattsim::report::{Summary, jobs};

/// A CSV's data rows, keyed by their first column (the job id).
fn rows_by_id(text: &str) -> Vec<(u64, String)> {
    let mut rows: Vec<(u64, String)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let id = l.split(',').next().and_then(|f| f.parse().ok());
            (
                id.unwrap_or_else(|| panic!("row without an id: {l}")),
                l.to_string(),
            )
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    rows
}

#[test]
fn the_streamed_jobs_csv_holds_every_job_once_as_the_in_memory_table_does() {
    let loaded = wattsim::scenario::load(&common::root().join("scenarios/quickstart.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let sc = &loaded.scenario;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("quick");
    let written = wattsim::run_folder::run_to_folder(
        sc,
        sc.seed,
        &out,
        "quickstart.toml",
        &loaded.source,
        false,
    )
    .unwrap();
    assert!(written.result.jobs.is_empty(), "streamed jobs are not kept");
    let streamed = std::fs::read_to_string(out.join("jobs.csv")).unwrap();
    let header = streamed.lines().next().unwrap_or_default();
    assert_eq!(header, jobs::COLUMNS.join(","));
    // Every id from 1 to the number submitted, once.
    let by_id = rows_by_id(&streamed);
    let n = Summary::from_result(&written.result).jobs_submitted;
    assert!(n > 1000, "quickstart submits thousands of jobs ({n})");
    assert!(by_id.iter().map(|r| r.0).eq(1..=n));
    // The same rows, byte for byte, as the table of a run that kept its jobs.
    let kept = wattsim::run(sc, sc.seed);
    let in_memory = String::from_utf8(jobs::to_csv(&kept).unwrap()).unwrap();
    assert_eq!(by_id, rows_by_id(&in_memory));
    // Rows leave in time order: finished jobs by end time, then those still running or queued.
    // (Column 7 is `end`; RFC 3339 UTC text sorts as time.)
    let ends: Vec<&str> = streamed
        .lines()
        .skip(1)
        .filter(|l| l.contains(",completed,"))
        .map(|l| l.split(',').nth(6).unwrap_or_default())
        .collect();
    assert!(ends.windows(2).all(|w| w[0] <= w[1]));
    // The summary is the same whether jobs were kept or streamed (both sum them as they
    // leave), and the job sums match the kept table's to rounding.
    let (a, b) = (
        Summary::from_result(&written.result),
        Summary::from_result(&kept),
    );
    assert_eq!(a, b);
    let sum: f64 = kept.jobs.iter().map(|j| j.attribution.it_energy_kwh).sum();
    assert!(common::rel(sum, a.jobs_it_energy_kwh) < 1e-12);
    // No temporary file is left behind.
    assert!(
        std::fs::read_dir(&out).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with('.'))
    );
}

#[test]
fn recycled_job_entries_keep_their_own_load_profile() {
    // Poisson arrivals onto 4 devices, every job the 65-minute profile of the hand-derived
    // load-profile test (tests/workloads.rs): 200 W × 5 + 400 × 28 + 100 × 2 + 400 × 28 +
    // 100 × 2 = 23,800 W·min. Hundreds of jobs pass through a table of a few entries, so
    // entries are reused many times; every completed job must still use exactly 23,800 W·min.
    let text = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "30d"
output_interval = "1h"
[devices.g]
idle_w = 100.0
max_w = 500.0
[[pools]]
device = "g"
nodes = 1
devices_per_node = 4
[[workloads]]
name = "train"
arrival = { process = "poisson", rate_per_hour = 3.0 }
devices = 1
duration = { distribution = "fixed", value = "65min" }
utilization = 0.75
load_profile = { phases = [{ duration = "5min", utilization = 0.25 }], cycle = [{ duration = "28min", utilization = 0.75 }, { duration = "2min", utilization = 0.0 }] }
"#;
    let r = wattsim::run(&common::scenario(text), 5);
    let expected_kwh = 23_800.0 / 60.0 / 1000.0;
    let done: Vec<_> = r
        .jobs
        .iter()
        .filter(|j| j.outcome == wattsim::result::JobOutcome::Completed)
        .collect();
    // 3 jobs/h × 720 h ≈ 2,160 arrivals; at load 3 × 65/60 / 4 ≈ 0.81 most complete.
    assert!(done.len() > 1500, "{}", done.len());
    for j in done {
        assert!(
            common::rel(j.attribution.it_energy_kwh, expected_kwh) < 1e-9,
            "job {}: {} kWh",
            j.id,
            j.attribution.it_energy_kwh
        );
    }
}

#[test]
fn past_the_exact_buffer_the_p95_wait_is_within_half_a_permille() {
    // 100 devices at load ≈ 1 for 1,000 h: ~100,000 jobs, most of which wait, more than the
    // 65,536 waits kept exactly. The summary's p95 must be within 1/2048 of the exact
    // nearest-rank p95 of the kept jobs, and its mean equal to theirs.
    let text = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "1000h"
output_interval = "24h"
[[pools]]
device = "A100-SXM4-80GB"
nodes = 25
devices_per_node = 4
[[workloads]]
arrival = { process = "poisson", rate_per_hour = 100.0 }
devices = 1
duration = { distribution = "exponential", mean = "1h" }
"#;
    let r = wattsim::run(&common::scenario(text), 3);
    let mut waits: Vec<u64> = r.jobs.iter().filter_map(|j| j.wait_ms()).collect();
    assert!(waits.len() > wattsim::waits::EXACT_WAITS, "{}", waits.len());
    waits.sort_unstable();
    let rank = (0.95 * waits.len() as f64).ceil() as usize;
    let exact_p95_s = waits[rank - 1] as f64 / 1000.0;
    let exact_mean_s = waits.iter().sum::<u64>() as f64 / waits.len() as f64 / 1000.0;
    let s = Summary::from_result(&r);
    assert!(exact_p95_s > 60.0, "jobs do wait: {exact_p95_s} s");
    assert!(
        (s.p95_wait_s - exact_p95_s).abs() <= exact_p95_s / 2048.0,
        "{} vs exact {exact_p95_s}",
        s.p95_wait_s
    );
    assert!(common::rel(s.mean_wait_s, exact_mean_s) < 1e-12);
}

#[test]
fn a_run_folder_that_fails_leaves_no_temporary_file() {
    // The output folder is a file: the run cannot write and says where; nothing is created.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("out");
    std::fs::write(&blocker, "not a folder").unwrap();
    let sc = common::scenario(
        "[simulation]\nstart = \"2024-01-01T00:00:00Z\"\nhorizon = \"1h\"\n\
         [[pools]]\ndevice = \"H100-SXM5-80GB\"\nnodes = 1\n",
    );
    let err = wattsim::run_folder::run_to_folder(&sc, 1, &blocker, "x.toml", "", false)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("out"), "{err}");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(Path::new(&blocker).is_file());
}

#[test]
fn the_job_table_holds_only_the_jobs_in_the_system() {
    // 200,000 trace jobs on 1,000 GPUs (250 jobs/h × 2.83 GPUs × 1 h ≈ 0.71 load). The job
    // table must grow to exactly the most jobs in the system (submitted, not yet ended) at
    // once — computed here from the kept jobs by a sweep over their submit and end times —
    // and not with the length of the trace. Ties at one instant may count either way, so the
    // peak lies between the counts with ends before and after submissions at equal times.
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.csv");
    common::synthetic_trace(&trace, 200_000, 250.0, 11);
    let text = format!(
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "2000h"
output_interval = "24h"
[[pools]]
device = "H100-SXM5-80GB"
nodes = 125
devices_per_node = 8
[[traces]]
file = {trace:?}
submit_column = "submit_s"
devices_column = "gpus"
duration_column = "runtime_s"
time_unit = "s"
"#
    );
    let sc = common::scenario(&text);
    let r = wattsim::run(&sc, 1);
    assert_eq!(r.jobs.len(), 200_000);
    // The same run streaming its jobs out: its table peak is the same count.
    let streamed = wattsim::sim::run_with(&sc, 1, &mut wattsim::result::Discard);
    assert_eq!(streamed.peak_live_jobs, r.peak_live_jobs);
    let horizon = r.horizon_ms;
    let mut events: Vec<(u64, i64)> = r
        .jobs
        .iter()
        .flat_map(|j| {
            let end = match j.outcome {
                wattsim::result::JobOutcome::Completed => j.end_ms.unwrap_or(horizon),
                _ => horizon,
            };
            [(j.submit_ms, 1), (end, -1)]
        })
        .collect();
    let peak = |events: &[(u64, i64)]| {
        let mut live = 0i64;
        events
            .iter()
            .map(|e| {
                live += e.1;
                live
            })
            .max()
            .unwrap_or(0) as u64
    };
    events.sort_by_key(|e| (e.0, e.1)); // ends first at equal times
    let low = peak(&events);
    events.sort_by_key(|e| (e.0, -e.1)); // submissions first
    let high = peak(&events);
    assert!(
        (low..=high).contains(&r.peak_live_jobs),
        "table {} vs jobs in the system {low}..={high}",
        r.peak_live_jobs
    );
    // At most 1,000 jobs run at once (≥ 1 GPU each) and at 0.71 load the queue stays short
    // (the peak is 309 with this seed): a table of 1 % of the trace at most.
    assert!(r.peak_live_jobs < 2_000, "{}", r.peak_live_jobs);
}

/// Starts `run`, waits (polling, no timing assumption) until it writes `out`'s jobs.csv (its
/// hidden temporary file exists), calls `before`, sends SIG`signal` and
/// returns how the process ended.
#[cfg(unix)]
fn interrupt_while_writing(
    mut run: std::process::Command,
    out: &std::path::Path,
    signal: &str,
    before: impl FnOnce(),
) -> std::process::ExitStatus {
    let mut child = run.spawn().unwrap();
    // `.jobs.csv.tmp-PID-XXXXXX`: the random part is unknown, the prefix is not.
    let prefix = format!(".jobs.csv.tmp-{}-", child.id());
    let pending = || {
        std::fs::read_dir(out).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        })
    };
    while !pending() {
        if child.try_wait().unwrap().is_some() {
            panic!("the run ended before it could be interrupted");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    before();
    let killed = std::process::Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    child.wait().unwrap()
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_partial_file() {
    // A run of 2,000,000 jobs takes seconds; as soon as its jobs.csv is being written (the
    // hidden temporary file exists), it gets SIGINT, SIGTERM or SIGHUP. It must exit with 130
    // and leave neither the temporary file nor any report in its output folder.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("long.toml"),
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "2000h"
[[pools]]
device = "H100-SXM5-80GB"
nodes = 250
devices_per_node = 8
[[workloads]]
arrival = { process = "poisson", rate_per_hour = 1000.0 }
devices = 1
duration = { distribution = "exponential", mean = "1h" }
max_jobs = 2000000
"#,
    )
    .unwrap();
    // SIGTERM is what `timeout`, Slurm and Kubernetes send; SIGHUP a closed terminal.
    for signal in ["INT", "TERM", "HUP"] {
        let name = format!("out-{signal}");
        let out = dir.path().join(&name);
        let mut run = std::process::Command::new(env!("CARGO_BIN_EXE_wattsim"));
        run.args(["run", "long.toml", "--out", &name, "-q", "--no-charts"])
            .current_dir(dir.path());
        let status = interrupt_while_writing(run, &out, signal, || {});
        assert_eq!(status.code(), Some(130), "SIG{signal}: {status:?}");
        let left: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "SIG{signal}: {left:?}");
    }
}

#[cfg(unix)]
#[test]
fn an_interrupted_sorted_replay_leaves_no_spill_folder() {
    // A 600,000-row trace sorted at validation spills two chunks of 262,144 jobs to a
    // `wattsim-sort-*` folder in TMPDIR. Interrupted while it writes jobs.csv, the run removes
    // that folder too (found by hand: only the output's temporary file was removed).
    let dir = tempfile::tempdir().unwrap();
    common::synthetic_trace(&dir.path().join("t.csv"), 600_000, 2000.0, 5);
    std::fs::write(
        dir.path().join("s.toml"),
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "400h"
[[pools]]
device = "H100-SXM5-80GB"
nodes = 1000
devices_per_node = 8
[[traces]]
file = "t.csv"
submit_column = "submit_s"
devices_column = "gpus"
duration_column = "runtime_s"
sort = true
"#,
    )
    .unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let mut run = std::process::Command::new(env!("CARGO_BIN_EXE_wattsim"));
    run.args(["run", "s.toml", "--out", "out", "-q", "--no-charts"])
        .current_dir(dir.path())
        .env("TMPDIR", &tmp);
    let spills = || std::fs::read_dir(&tmp).unwrap().count();
    let status = interrupt_while_writing(run, &dir.path().join("out"), "TERM", || {
        assert_eq!(spills(), 1, "the sort spilled to TMPDIR");
    });
    assert_eq!(status.code(), Some(130));
    assert_eq!(spills(), 0, "the spill folder was removed");
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_while_streaming_jobs_names_the_file() {
    // The file-size limit (with SIGXFSZ ignored, so writes fail with EFBIG as on a full disk)
    // stops jobs.csv at 32 KiB, long before its ~2 MB: the error names the file, the exit code
    // is 1, and no temporary file is left.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "30d"
[[pools]]
device = "A100-SXM4-80GB"
nodes = 8
devices_per_node = 8
[[workloads]]
arrival = { process = "poisson", rate_per_hour = 20.0 }
devices = 1
duration = { distribution = "exponential", mean = "1h" }
"#,
    )
    .unwrap();
    let o = size_limited(dir.path(), "run s.toml --out out --no-charts -q");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("out/jobs.csv"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.iter().all(|n| !n.contains(".tmp-")), "{left:?}");
}

#[cfg(unix)]
#[test]
fn a_run_that_fails_writing_leaves_the_previous_run_exactly_as_it_was() {
    // A first run writes the folder. A second run of a changed scenario (minute intervals
    // over 30 days: a timeseries.csv of ~13 MB) fails writing under a 32 KiB file-size limit
    // after its small summary.json is complete: every file of the first run must keep its
    // bytes, with no temporary file left and nothing of the second run mixed in.
    let dir = tempfile::tempdir().unwrap();
    let text = "[simulation]\nstart = \"2024-01-01T00:00:00Z\"\nhorizon = \"30d\"\n\
                [[pools]]\ndevice = \"A100-SXM4-80GB\"\nnodes = 1\ndevices_per_node = 8\n\
                [[jobs]]\ndevices = 8\nduration = \"2h\"\n";
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let first = common::wattsim(&["run", "s.toml", "--out", "out", "-q"], dir.path());
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let snapshot = |d: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = walk(d)
            .into_iter()
            .map(|p| {
                let rel = p.strip_prefix(d).unwrap().to_string_lossy().into_owned();
                (rel, std::fs::read(&p).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&dir.path().join("out"));
    std::fs::write(
        dir.path().join("s.toml"),
        text.replace(
            "horizon = \"30d\"",
            "horizon = \"30d\"\noutput_interval = \"1min\"",
        ),
    )
    .unwrap();
    let o = size_limited(dir.path(), "run s.toml --out out -q");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("timeseries.csv"), "{stderr}");
    assert_eq!(
        snapshot(&dir.path().join("out")),
        before,
        "the first run's files are intact"
    );
}

/// Runs `wattsim ARGS` in `cwd` with files limited to 32 KiB and SIGXFSZ ignored, so a write
/// past the limit fails with EFBIG as on a full disk.
#[cfg(unix)]
fn size_limited(cwd: &std::path::Path, args: &str) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_wattsim");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f 64; exec '{bin}' {args}"))
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// Every file under `dir`, recursively.
#[cfg(unix)]
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
