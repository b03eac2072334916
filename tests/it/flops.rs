//! Work sized in FLOPs on `[[workloads]]` and the work done, derived by hand: each job's wall
//! time from its FLOPs, the pool's peak and the MFU; `pflop_done` and `kwh_per_pflop` in the
//! summary; the distribution forms; refused combinations.

use crate::common;
use serde_json::Value;

/// One node of 8 devices of 100 TFLOPS peak (0 W idle, 1,000 W busy, no host draw), 10 days.
/// A workload of 3 jobs of 8 devices, each 1.44e19 FLOP at 50 % MFU: 1.44e19 / (8 × 100e12 ×
/// 0.5) = 36,000 s = 10 h, run one after another (one node); one explicit job of 7.2e18 FLOP
/// on the same node: 5 h. `{FLOPS}` is the workload's `flops` value.
const SCENARIO: &str = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "10d"

[devices.chip]
idle_w = 0.0
max_w = 1000.0
peak_tflops = 100.0

[[pools]]
device = "chip"
nodes = 1
devices_per_node = 8

[[jobs]]
name = "explicit"
devices = 8
flops = 7.2e18
mfu = 0.5

[[workloads]]
name = "train"
arrival = { process = "poisson", rate_per_hour = 1.0 }
max_jobs = 3
devices = 8
flops = {FLOPS}
mfu = 0.5
"#;

fn run(flops: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        SCENARIO.replace("{FLOPS}", flops),
    )
    .unwrap();
    let out = common::wattsim(&["run", "s.toml", "--out", "o", "--no-charts"], dir.path());
    (dir, out)
}

#[test]
fn workload_jobs_sized_in_flops_take_their_time_from_the_device() {
    for flops in ["1.44e19", "{ distribution = \"fixed\", value = 1.44e19 }"] {
        let (dir, out) = run(flops);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows = common::csv_rows(&dir.path().join("o/jobs.csv"));
        assert_eq!(rows.len(), 4);
        for row in &rows {
            let expected = if row["name"] == "explicit" { 5.0 } else { 10.0 };
            assert_eq!(row["run_h"].parse::<f64>().unwrap(), expected, "{row:?}");
            assert_eq!(row["state"], "completed");
        }
        let s: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("o/summary.json")).unwrap())
                .unwrap();
        // Work done: 3 × 1.44e19 + 7.2e18 = 5.04e19 FLOP = 50,400 PFLOP.
        let pflop = s["pflop_done"].as_f64().unwrap();
        assert!((pflop - 50_400.0).abs() < 1e-6, "{pflop}");
        // Energy: 8 kW busy for 35 h, nothing idle: 280 kWh (PUE 1) → 280 / 50,400 kWh/PFLOP.
        let kwh = s["facility_energy_kwh"].as_f64().unwrap();
        assert!((kwh - 280.0).abs() < 1e-9, "{kwh}");
        let per = s["kwh_per_pflop"].as_f64().unwrap();
        assert!((per - 280.0 / 50_400.0).abs() < 1e-15, "{per}");
    }
}

#[test]
fn flops_drawn_from_a_distribution_vary_per_job() {
    // Exponential FLOPs with mean 1.44e19: each job's run time is its own draw over the
    // 4e14 FLOP/s the node does, so the three workload jobs differ (a tie has probability 0).
    let (dir, out) = run("{ distribution = \"exponential\", mean = 1.44e19 }");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = common::csv_rows(&dir.path().join("o/jobs.csv"));
    let mut hours: Vec<String> = rows.iter().map(|r| r["run_h"].clone()).collect();
    hours.retain(|h| h != "5");
    hours.sort();
    hours.dedup();
    assert_eq!(hours.len(), 3, "{rows:?}");
}

#[test]
fn flops_on_workloads_refused_where_they_cannot_mean_anything() {
    let cases = [
        (
            SCENARIO.replace("flops = {FLOPS}\nmfu = 0.5\n", "flops = 1e19\n"),
            "needs the achieved model FLOPs utilisation",
        ),
        (
            SCENARIO.replace(
                "{FLOPS}",
                "1e19\nduration = { distribution = \"fixed\", value = \"1h\" }",
            ),
            "not both",
        ),
        (SCENARIO.replace("{FLOPS}", "1e3"), "at least 1e9"),
        (
            SCENARIO.replace(
                "{FLOPS}",
                "{ distribution = \"exponential\", mean = \"2h\" }",
            ),
            "expected a number",
        ),
        (
            SCENARIO
                .replace("peak_tflops = 100.0\n", "")
                .replace(
                    "[[jobs]]\nname = \"explicit\"\ndevices = 8\nflops = 7.2e18\nmfu = 0.5\n",
                    "",
                )
                .replace("{FLOPS}", "1e19"),
            "no peak_tflops",
        ),
    ];
    for (text, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.toml"), &text).unwrap();
        let out = common::wattsim(&["run", "s.toml", "--out", "o"], dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{says}: {err}");
        assert!(err.contains(says), "{says}: {err}");
        assert!(!dir.path().join("o").exists());
    }
}
