//! Sweeps through the binary: determinism across thread counts, sharding + merging and
//! resuming give the same files as one uninterrupted sweep, failed points are recorded, bad
//! axes are rejected.

use crate::common;

use std::path::Path;

/// A small sweep: 2 devices × 2 zipped (pue, intensity) settings × 3 replications = 12 runs.
const SWEEP: &str = r#"
[sweep]
replications = 3
"pools.0.device" = ["A100-SXM4-80GB", "H100-SXM5-80GB"]
"facility.pue" = [1.1, 1.3]
"carbon.intensity_g_per_kwh" = [100.0, 400.0]
zip = [["facility.pue", "carbon.intensity_g_per_kwh"]]

[simulation]
start = "2024-04-01T00:00:00Z"
horizon = "3d"
seed = 4

[[pools]]
device = "A100-SXM4-80GB"
nodes = 4
devices_per_node = 8

[[workloads]]
arrival = { process = "poisson", rate_per_hour = 6.0 }
devices = { values = [1, 4, 8], weights = [3.0, 1.0, 1.0] }
duration = { distribution = "exponential", mean = "3h" }

[facility]
pue = 1.2

[tariff]
price_per_kwh = 0.1
"#;

const FILES: &[&str] = &["sweep.csv", "sweep_summary.csv", "bill_forecast.csv"];

fn setup(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    dir
}

fn ok(dir: &Path, args: &[&str]) {
    let o = common::wattsim(args, dir);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn read(dir: &Path, out: &str, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(out).join(file)).unwrap_or_else(|e| panic!("{out}/{file}: {e}"))
}

#[test]
fn one_or_two_threads_give_identical_files() {
    let d = setup(SWEEP);
    ok(
        d.path(),
        &["sweep", "s.toml", "--threads", "1", "--out", "t1"],
    );
    ok(
        d.path(),
        &["sweep", "s.toml", "--threads", "2", "--out", "t2"],
    );
    for f in FILES {
        assert!(
            read(d.path(), "t1", f) == read(d.path(), "t2", f),
            "{f} differs"
        );
    }
    // 2 devices × 2 zipped settings = 4 points × 3 replications = 12 rows + header.
    let csv = String::from_utf8(read(d.path(), "t1", "sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 13);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("0,s.toml,A100-SXM4-80GB,1.1,100.0,0,4,ok,")
    );
    // Replication 0 uses the scenario's own seed, so it equals a plain run.
    ok(d.path(), &["run", "s.toml", "--out", "single", "-q"]);
    let single = String::from_utf8(read(d.path(), "single", "summary.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&single).unwrap();
    let total = v["total_cost"].as_f64().unwrap();
    let row1: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "total_cost").unwrap();
    // Point 0 sets pue 1.1 (the file says 1.2), so compare against that point's own run:
    // the plain run has pue 1.2 and intensity unset; costs scale with PUE at equal IT energy.
    let it_col = header.iter().position(|h| *h == "it_energy_kwh").unwrap();
    let it: f64 = row1[it_col].parse().unwrap();
    assert!((v["it_energy_kwh"].as_f64().unwrap() - it).abs() < 1e-9 * it);
    let cost: f64 = row1[col].parse().unwrap();
    assert!((cost / total - 1.1 / 1.2).abs() < 1e-9, "{cost} vs {total}");
}

#[test]
fn shards_merged_and_resumed_equal_one_sweep() {
    let d = setup(SWEEP);
    ok(d.path(), &["sweep", "s.toml", "--out", "whole"]);
    ok(
        d.path(),
        &["sweep", "s.toml", "--shard", "0/2", "--out", "a"],
    );
    ok(
        d.path(),
        &["sweep", "s.toml", "--shard", "1/2", "--out", "b"],
    );
    assert!(
        !d.path().join("a/sweep.csv").exists(),
        "a shard alone is incomplete"
    );
    ok(d.path(), &["merge", "a", "b", "--out", "merged"]);
    for f in FILES {
        assert!(
            read(d.path(), "whole", f) == read(d.path(), "merged", f),
            "{f} differs"
        );
    }
    // Resume: shard 0's folder completed by a resumed full sweep.
    ok(d.path(), &["sweep", "s.toml", "--resume", "--out", "a"]);
    for f in FILES {
        assert!(
            read(d.path(), "whole", f) == read(d.path(), "a", f),
            "{f} differs"
        );
    }
    // An interrupted sweep (some records lost) resumes to the same files.
    for r in ["p000001-r00002.json", "p000003-r00000.json"] {
        std::fs::remove_file(d.path().join("whole/runs").join(r)).unwrap();
    }
    std::fs::remove_file(d.path().join("whole/sweep.csv")).unwrap();
    let o = common::wattsim(&["sweep", "s.toml", "--resume", "--out", "whole"], d.path());
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("2 run(s) done"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in FILES {
        assert!(
            read(d.path(), "merged", f) == read(d.path(), "whole", f),
            "{f} differs"
        );
    }
    // Merging an incomplete set lists every missing run with its shard: shard 1/2 alone
    // lacks the 6 even-numbered runs of the 12, all of shard 0/2.
    let o = common::wattsim(&["merge", "b", "--out", "x"], d.path());
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("6 run(s) of the sweep have no record"),
        "{err}"
    );
    for k in [0, 2, 4, 6, 8, 10] {
        assert!(err.contains(&format!("  run {k}: ")), "run {k}: {err}");
    }
    assert!(!err.contains("  run 1: "), "{err}");
    assert_eq!(
        err.matches("shard 0/2 (no folder of this shard was given)")
            .count(),
        6,
        "{err}"
    );
    // A record lost from shard 1 itself is named with that shard's folder.
    std::fs::remove_file(d.path().join("b/runs/p000000-r00001.json")).unwrap();
    let o = common::wattsim(&["merge", "b", "--out", "y"], d.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("7 run(s)"), "{err}");
    assert!(
        err.contains("run 1: p000000-r00001.json (point 0, replication 1), shard 1/2 (folder `b`)"),
        "{err}"
    );
}

/// A one-day sweep over `pools.0.nodes` = `nodes` (8 devices a node) with one 16-device
/// job: it can never run on one node.
fn sixteen_device_job_on_nodes(nodes: &str) -> String {
    format!(
        r#"
[sweep]
"pools.0.nodes" = {nodes}

[simulation]
start = "2024-04-01T00:00:00Z"
horizon = "1d"

[[pools]]
device = "A100-SXM4-80GB"
nodes = 2
devices_per_node = 8

[[jobs]]
devices = 16
duration = "2h"
"#
    )
}

#[test]
fn a_point_that_makes_a_job_impossible_fails_alone() {
    // With 1 node of 8 devices the 16-device job can never run: that point is invalid, its
    // runs are recorded as failed with the axis value, the 2-node point completes; exit 3.
    let d = setup(&sixteen_device_job_on_nodes("[2, 1]"));
    let o = common::wattsim(&["sweep", "s.toml", "--out", "o"], d.path());
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let csv = String::from_utf8(read(d.path(), "o", "sweep.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[1].contains(",ok,"), "{}", rows[1]);
    assert!(
        rows[2].contains(",failed,") && rows[2].contains("pools.0.nodes = 1"),
        "{}",
        rows[2]
    );
    assert!(csv.contains("can never run"), "{csv}");
}

#[test]
fn metrics_first_seen_in_a_later_run_are_columns_of_every_row() {
    // Point 0 (1 node) fails, so the first record read has no metrics; point 1 (2 nodes)
    // runs. The streamed assembly must still give sweep.csv every metric as a column, with
    // empty cells in the failed run's row, and give point 0 a summary row of 0 ok, 1 failed
    // and empty statistics.
    let d = setup(&sixteen_device_job_on_nodes("[1, 2]"));
    let o = common::wattsim(&["sweep", "s.toml", "--out", "o"], d.path());
    assert_eq!(o.status.code(), Some(3));
    let csv = String::from_utf8(read(d.path(), "o", "sweep.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let col = |name: &str| header.iter().position(|c| c == name).expect(name);
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][col("status")], "failed");
    assert_eq!(&rows[0][col("total_cost")], "", "{csv}");
    assert!(
        rows[1][col("it_energy_kwh")]
            .parse::<f64>()
            .is_ok_and(|c| c > 0.0),
        "{csv}"
    );
    let summary = String::from_utf8(read(d.path(), "o", "sweep_summary.csv")).unwrap();
    let lines: Vec<&str> = summary.lines().collect();
    assert!(lines[1].starts_with("0,s.toml,1,0,1,"), "{summary}");
    assert!(lines[1].ends_with(",,,,,,,"), "{summary}");
    assert!(lines[2].starts_with("1,s.toml,2,1,0,"), "{summary}");
}

#[test]
fn a_bad_axis_is_bad_input() {
    let d = setup(&SWEEP.replace("\"pools.0.device\"", "\"pools.3.device\""));
    let o = common::wattsim(&["sweep", "s.toml"], d.path());
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("pools.3.device") && e.contains("index 3 does not exist"),
        "{e}"
    );
    // A misspelt key fails every point: bad input, naming the axis and value.
    let d = setup(&SWEEP.replace("\"facility.pue\"", "\"facility.pu\""));
    let o = common::wattsim(&["sweep", "s.toml"], d.path());
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("facility.pu = 1.1") && e.contains("did you mean `pue`"),
        "{e}"
    );
    assert!(!d.path().join("output").exists());
}

#[test]
fn a_bad_sweep_value_is_reported_at_its_sweep_entry() {
    // `"pools.0.nodes" = [0, 4]` is written on line 3 of the file (after the blank first line
    // and `[sweep]`); the base value `nodes = 4` is on line 17. Point 0 sets nodes = 0, which
    // is invalid: the message must name the point and point at line 3, not line 17.
    let text = SWEEP.replace(
        "replications = 3\n",
        "\"pools.0.nodes\" = [0, 4]\nreplications = 3\n",
    );
    assert_eq!(text.lines().nth(2), Some("\"pools.0.nodes\" = [0, 4]"));
    assert_eq!(text.lines().nth(16), Some("nodes = 4"));
    let d = setup(&text);
    let o = common::wattsim(&["sweep", "s.toml", "--out", "o"], d.path());
    // The nodes = 4 points run: exit 3 (some runs failed), the first failure on stderr.
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{e}");
    assert!(e.contains("sweep point 0 (pools.0.nodes = 0"), "{e}");
    assert!(e.contains("s.toml:3:19: `pools[0].nodes` = 0"), "{e}");
    assert!(!e.contains("s.toml:17:"), "{e}");
}

#[test]
fn several_files_and_kept_runs() {
    // Two files: the sweep (4 points) and a plain scenario (1 point) → 5 points, 13 runs.
    let d = setup(SWEEP);
    let plain = SWEEP.split("[simulation]").nth(1).unwrap();
    std::fs::write(d.path().join("plain.toml"), format!("[simulation]{plain}")).unwrap();
    ok(
        d.path(),
        &["sweep", "s.toml", "plain.toml", "--keep-runs", "--out", "o"],
    );
    let csv = String::from_utf8(read(d.path(), "o", "sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 12 + 1);
    assert!(
        csv.lines()
            .last()
            .unwrap()
            .starts_with("4,plain.toml,,,,0,4,ok,")
    );
    // --keep-runs leaves every run's full reports.
    for f in ["summary.json", "bill.csv", "jobs.csv", "timeseries.csv"] {
        assert!(
            d.path().join("o/runs/p000004-r00000").join(f).exists(),
            "{f}"
        );
    }
    let summary = String::from_utf8(read(d.path(), "o", "sweep_summary.csv")).unwrap();
    assert_eq!(summary.lines().count(), 1 + 5);
}

#[test]
fn kept_runs_write_the_formats_asked_for() {
    // --jobs parquet --timeseries none over the scenario's default CSV: each kept run has
    // jobs.parquet and no time series; the sweep's own tables equal a sweep without kept runs.
    let d = setup(SWEEP);
    ok(d.path(), &["sweep", "s.toml", "--out", "plain"]);
    ok(
        d.path(),
        &[
            "sweep",
            "s.toml",
            "--keep-runs",
            "--jobs",
            "parquet",
            "--timeseries",
            "none",
            "--out",
            "kept",
        ],
    );
    let run = d.path().join("kept/runs/p000003-r00002");
    assert!(run.join("jobs.parquet").is_file());
    for gone in ["jobs.csv", "timeseries.csv", "timeseries.parquet"] {
        assert!(!run.join(gone).exists(), "{gone}");
    }
    for f in FILES {
        assert_eq!(read(d.path(), "plain", f), read(d.path(), "kept", f), "{f}");
    }
    // Without --keep-runs there is no run folder to write them into: a usage error, exit 2.
    let o = common::wattsim(
        &["sweep", "s.toml", "--jobs", "none", "--out", "x"],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--keep-runs"));
}

#[test]
fn a_scenarios_output_table_is_warned_about_when_no_run_is_kept() {
    // [output] formats the tables of a run folder; a sweep without --keep-runs writes none,
    // so the table would be ignored in silence: it is warned about, naming the file. With
    // --keep-runs it applies (each kept run has jobs.parquet) and nothing is warned.
    let d = setup(&format!("{SWEEP}\n[output]\njobs = \"parquet\"\n"));
    let o = common::wattsim(&["sweep", "s.toml", "--out", "plain"], d.path());
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("s.toml") && err.contains("[output]") && err.contains("--keep-runs"),
        "{err}"
    );
    let o = common::wattsim(
        &["sweep", "s.toml", "--keep-runs", "--out", "kept"],
        d.path(),
    );
    assert!(o.status.success());
    assert!(!String::from_utf8_lossy(&o.stderr).contains("[output]"));
    let run = d.path().join("kept/runs/p000003-r00002");
    assert!(run.join("jobs.parquet").is_file());
    assert!(!run.join("jobs.csv").exists());
    // A scenario without [output] has nothing to warn about.
    let plain = setup(SWEEP);
    let o = common::wattsim(&["sweep", "s.toml", "--out", "o"], plain.path());
    assert!(o.status.success());
    assert!(!String::from_utf8_lossy(&o.stderr).contains("[output]"));
}

#[test]
fn a_sweep_removes_only_the_runs_it_recorded() {
    // Found by hand: a sweep deleted any `runs/` folder under --out. Now it removes the run
    // records (and kept run folders) its earlier manifest lists, and nothing else.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SWEEP).unwrap();
    let runs = dir.path().join("o/runs");
    std::fs::create_dir_all(&runs).unwrap();
    std::fs::write(runs.join("notes.txt"), "mine").unwrap();
    // A file named like a run record but with no manifest beside it: not trusted on --resume.
    std::fs::write(runs.join("p000000-r00000.json"), "not a record").unwrap();
    let sweep = |extra: &[&str]| {
        let mut args = vec!["sweep", "s.toml", "--out", "o", "--no-charts"];
        args.extend_from_slice(extra);
        let o = common::wattsim(&args, dir.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    // The folder is not wattsim's yet (no list, no manifest): forced.
    sweep(&["--resume", "--force"]);
    assert_eq!(
        std::fs::read_to_string(runs.join("notes.txt")).unwrap(),
        "mine"
    );
    let record = std::fs::read_to_string(runs.join("p000000-r00000.json")).unwrap();
    assert!(record.starts_with('{'), "the run was redone: {record}");
    // 12 records and the foreign file.
    let count = || std::fs::read_dir(&runs).unwrap().count();
    assert_eq!(count(), 13);
    // Again without --resume, with kept runs: the manifest's records are replaced; the
    // foreign file stays, as does a file named like a record the manifest does not list.
    std::fs::write(runs.join("p000009-r00099.json"), "{}").unwrap();
    sweep(&["--keep-runs"]);
    assert_eq!(
        std::fs::read_to_string(runs.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(runs.join("p000000-r00000").is_dir(), "kept run folder");
    // Not in the manifest (replication 99 of point 9): not wattsim's to remove.
    assert!(runs.join("p000009-r00099.json").exists());
    sweep(&[]);
    assert!(
        !runs.join("p000000-r00000").exists(),
        "kept runs of the last sweep removed"
    );
    assert_eq!(
        std::fs::read_to_string(runs.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn resume_redoes_a_run_whose_record_is_empty() {
    // Found by hand: an empty run record (a kill mid-write) made --resume fail.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SWEEP).unwrap();
    let sweep = |extra: &[&str]| {
        let mut args = vec!["sweep", "s.toml", "--out", "o", "--no-charts"];
        args.extend_from_slice(extra);
        common::wattsim(&args, dir.path())
    };
    assert!(sweep(&[]).status.success());
    let full = std::fs::read_to_string(dir.path().join("o/sweep.csv")).unwrap();
    let record = dir.path().join("o/runs/p000001-r00002.json");
    std::fs::write(&record, "").unwrap();
    let o = sweep(&["--resume"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read_to_string(&record).unwrap().starts_with('{'));
    // The same final table as the uninterrupted sweep.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("o/sweep.csv")).unwrap(),
        full
    );
}

#[test]
fn a_sweep_without_charts_leaves_none_of_the_last_ones() {
    // A sweep with charts, then the same without: the charts and report.html of the first
    // are removed with its other files; the tables are the second's.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SWEEP).unwrap();
    let sweep = |extra: &[&str]| {
        let mut args = vec!["sweep", "s.toml", "--out", "o"];
        args.extend_from_slice(extra);
        let o = common::wattsim(&args, dir.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    sweep(&[]);
    assert!(dir.path().join("o/report.html").exists());
    assert!(dir.path().join("o/charts").read_dir().unwrap().count() > 0);
    sweep(&["--no-charts"]);
    assert!(!dir.path().join("o/report.html").exists());
    assert_eq!(dir.path().join("o/charts").read_dir().unwrap().count(), 0);
    assert!(dir.path().join("o/sweep_summary.csv").exists());
}

/// Runs a shipped Slurm script with bash in `cwd`, as array task `task` of a submission of
/// `count` tasks, with wattsim on the PATH, 3 shards and the test sweep.
#[cfg(unix)]
fn slurm(cwd: &Path, script: &str, task: Option<(u32, u32)>) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_wattsim")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(common::root().join("scenarios/sweeps/slurm").join(script))
        .current_dir(cwd)
        .env("PATH", path)
        .env("SHARDS", "3")
        .env("SWEEP", "s.toml")
        .env_remove("SLURM_CPUS_PER_TASK");
    if let Some((id, count)) = task {
        cmd.env("SLURM_ARRAY_TASK_ID", id.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", count.to_string());
    }
    cmd.output().expect("bash runs")
}

#[cfg(unix)]
#[test]
fn the_slurm_recipe_shards_recovers_and_merges() {
    let d = setup(SWEEP);
    ok(d.path(), &["sweep", "s.toml", "--out", "whole"]);
    // The array: tasks 0..2 of one submission, without --cpus-per-task.
    for id in 0..3 {
        let o = slurm(d.path(), "sweep.sbatch", Some((id, 3)));
        assert!(
            o.status.success(),
            "task {id}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // A record of shard 1 lost (its node died): the merge lists it with its shard and folder.
    std::fs::remove_file(d.path().join("shards/1/runs/p000000-r00001.json")).unwrap();
    let o = slurm(d.path(), "merge.sbatch", None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("shard 1/3 (folder `shards/1`)"), "{err}");
    // Task 1 resubmitted alone (`sbatch --array=1`): Slurm says the submission has one task,
    // the script keeps 3 shards and resumes, running only the lost run.
    let o = slurm(d.path(), "sweep.sbatch", Some((1, 1)));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("1 run(s) done"), "{err}");
    let o = slurm(d.path(), "merge.sbatch", None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in FILES {
        assert!(
            read(d.path(), "whole", f) == read(d.path(), "results", f),
            "{f} differs"
        );
    }
    assert!(d.path().join("results/report.html").exists());
    // The README shows these very scripts.
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    for script in ["sweep.sbatch", "merge.sbatch"] {
        let text =
            std::fs::read_to_string(common::root().join("scenarios/sweeps/slurm").join(script))
                .unwrap();
        assert!(readme.contains(&text), "README's copy of {script} differs");
    }
}

#[test]
fn the_summary_names_each_points_currency_and_the_charts_read_it() {
    // The small sweep bills in USD (the default); a second file in EUR makes its points'
    // currency EUR, and the cost panel, which reads sweep_summary.csv, says the currencies
    // are mixed (a sweep in one currency names it).
    let dir = setup(SWEEP);
    let eur = SWEEP.replace(
        "price_per_kwh = 0.1",
        "price_per_kwh = 0.1\ncurrency = \"EUR\"",
    );
    std::fs::write(dir.path().join("eur.toml"), eur).unwrap();
    ok(dir.path(), &["sweep", "s.toml", "eur.toml", "--out", "o"]);
    let rows = common::csv_rows(&dir.path().join("o/sweep_summary.csv"));
    let currencies: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["file"].as_str(), r["currency"].as_str()))
        .collect();
    assert_eq!(currencies.len(), 8);
    for (file, currency) in currencies {
        assert_eq!(currency, if file == "eur.toml" { "EUR" } else { "USD" });
    }
    let svg = std::fs::read_to_string(dir.path().join("o/charts/sweep_metrics.svg")).unwrap();
    assert!(svg.contains("total cost [mixed currencies]"), "{svg:.300}");
    ok(dir.path(), &["sweep", "s.toml", "--out", "u"]);
    let svg = std::fs::read_to_string(dir.path().join("u/charts/sweep_metrics.svg")).unwrap();
    assert!(svg.contains("total cost [USD]"));
}

/// The p-quantile of sorted `x` by linear interpolation (R's type 7, NumPy's default).
fn quantile7(x: &[f64], p: f64) -> f64 {
    let h = (x.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(x.len() - 1);
    x[lo] + (h - lo as f64) * (x[hi] - x[lo])
}

#[test]
fn the_summary_and_forecast_recompute_from_the_runs() {
    // Each point's statistics in sweep_summary.csv, and its bill forecast (the sweep bills one
    // month, April 2024, so each run's month total is its total_cost), recomputed here from
    // the runs in sweep.csv alone: mean, sample standard deviation, p5/p50/p95 and p10/p50/p90
    // by linear interpolation, and the 95 % CI of the mean with Student's t for 3 − 1 = 2
    // degrees of freedom, t(0.975, 2) = 4.302652729911275 (any t table).
    let dir = setup(SWEEP);
    ok(
        dir.path(),
        &["sweep", "s.toml", "--out", "o", "--no-charts"],
    );
    let runs = common::csv_rows(&dir.path().join("o/sweep.csv"));
    let summary = common::csv_rows(&dir.path().join("o/sweep_summary.csv"));
    let forecast = common::csv_rows(&dir.path().join("o/bill_forecast.csv"));
    assert_eq!(summary.len(), 4);
    assert_eq!(forecast.len(), 4);
    let close = |a: f64, b: &str| {
        let b: f64 = b.parse().unwrap();
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    };
    for (point, (row, month)) in summary.iter().zip(&forecast).enumerate() {
        let point = point.to_string();
        for metric in ["total_cost", "carbon_kg", "jobs_completed", "p95_wait_s"] {
            let mut x: Vec<f64> = runs
                .iter()
                .filter(|r| r["point"] == point)
                .map(|r| r[metric].parse().unwrap())
                .collect();
            assert_eq!(x.len(), 3);
            x.sort_by(f64::total_cmp);
            let n = x.len() as f64;
            let mean = x.iter().sum::<f64>() / n;
            let std = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let half = 4.302652729911275 * std / n.sqrt();
            let col = |s: &str| &row[&format!("{metric}_{s}")];
            assert!(close(mean, col("mean")), "{point} {metric} mean");
            assert!(close(std, col("std")), "{point} {metric} std");
            for (p, s) in [(0.05, "p5"), (0.5, "p50"), (0.95, "p95")] {
                assert!(close(quantile7(&x, p), col(s)), "{point} {metric} {s}");
            }
            assert!(
                close(mean - half, col("ci95_low")),
                "{point} {metric} ci low"
            );
            assert!(
                close(mean + half, col("ci95_high")),
                "{point} {metric} ci high"
            );
            if metric == "total_cost" {
                assert_eq!(month["point"], point);
                assert_eq!(month["month"], "2024-04");
                assert_eq!(month["runs"], "3");
                assert!(close(mean, &month["mean"]), "{point} forecast mean");
                for (p, s) in [(0.1, "p10"), (0.5, "p50"), (0.9, "p90")] {
                    assert!(close(quantile7(&x, p), &month[s]), "{point} forecast {s}");
                }
            }
        }
    }
}
