//! `wattsim plan` through the binary: the answer against queueing theory, the range's edge
//! cases, a metric that is not monotone, bad plans, and the overload warnings of `run`.

use crate::common;
use serde_json::Value;
use std::path::Path;

/// An M/M/c: one-device jobs arriving at 16/h, exponential runs of mean 1 h (offered load
/// a = 16 erlangs), on `nodes` single-device nodes; 90 days (≈ 34,560 jobs a run).
const MMC: &str = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "90d"
output_interval = "1d"
seed = 3

[[pools]]
device = "A100-SXM4-80GB"
nodes = 8
devices_per_node = 1
host_max_w = 0.0                 # a queueing model: devices only

[[workloads]]
name = "mmc"
arrival = { process = "poisson", rate_per_hour = 16.0 }
devices = 1
duration = { distribution = "exponential", mean = "1h" }
"#;

/// Writes `text` as `plan.toml` in a fresh folder and runs `wattsim plan` on it.
fn plan(text: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), text).unwrap();
    let out = common::wattsim(&["plan", "plan.toml", "--out", "out"], dir.path());
    (dir, out)
}

/// [`plan`], which must succeed, with its `plan.json`.
fn planned(text: &str) -> (tempfile::TempDir, std::process::Output, Value) {
    let (dir, out) = plan(text);
    assert!(out.status.success(), "{}", stderr(&out));
    let p = plan_json(dir.path());
    (dir, out, p)
}

fn plan_json(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("out/plan.json")).unwrap()).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The Erlang C p95 queue wait [s] of an M/M/c with offered load `a` erlangs on `c` servers
/// and mean service 1 h: P(W > t) = C(c, a)·e^(−(c − a)·t/h), so the 95th percentile is 0 when
/// C ≤ 0.05, else ln(C / 0.05) / (c − a) hours.
fn erlang_p95_s(a: f64, c: u32) -> f64 {
    let erlang_c = crate::queueing::erlang_c(a, c);
    if erlang_c <= 0.05 {
        0.0
    } else {
        (erlang_c / 0.05).ln() / (c as f64 - a) * 3600.0
    }
}

fn target(decide: &str) -> String {
    format!(
        "{MMC}\n[plan]\nvary = \"pools.0.nodes\"\nmin = 8\nmax = 400\nreplications = 5\ndecide = \"{decide}\"\n\n[[plan.targets]]\nmetric = \"p95_wait_s\"\nat_most = 1200.0\n"
    )
}

#[test]
fn plan_answer_is_the_erlang_c_size() {
    // Erlang C for a = 16: p95 wait 1,470 s at c = 20 and 885 s at c = 21 (by `erlang_p95_s`,
    // checked against a hand computation: C(20, 16) = 0.2561, ln(0.2561 / 0.05) / 4 h =
    // 0.4083 h = 1,470 s). A target of 1,200 s sits 22 % under the first and 36 % over the
    // second, several times the spread of five 90-day replications (±12 % at c = 20, measured),
    // so the smallest c meeting it is 21.
    assert!(erlang_p95_s(16.0, 20) > 1200.0 && erlang_p95_s(16.0, 21) < 1200.0);
    assert!((erlang_p95_s(16.0, 20) - 1470.1).abs() < 1.0);
    let (dir, _, p) = planned(&target("mean"));
    assert_eq!(p["answer"]["value"], 21, "{}", p["points"]);
    // The simulated p95 at the answer is within its interval of Erlang C's 885 s, give or
    // take the start from an empty queue: within 15 %.
    let at = p["answer"]["metrics"]["p95_wait_s"]["mean"]
        .as_f64()
        .unwrap();
    assert!(common::rel(at, erlang_p95_s(16.0, 21)) < 0.15, "{at}");
    // A search, not a scan: 2 ends + ⌈log2(392)⌉ = 9 bisection steps at most, 5 runs each,
    // against 393 × 5 = 1,965 runs for the whole range (under 3 %).
    let runs = p["runs"].as_u64().unwrap();
    assert_eq!(p["full_scan_runs"], 1965);
    assert!(runs <= 11 * 5, "{runs}");
    // Every probe lists its interval; plan.csv has a row per probe.
    let points = p["points"].as_array().unwrap();
    assert_eq!(points.len() * 5, runs as usize);
    let csv = std::fs::read_to_string(dir.path().join("out/plan.csv")).unwrap();
    assert_eq!(csv.lines().count(), points.len() + 1);
    assert!(csv.starts_with("alternative,value,met,runs,failed_runs,p95_wait_s_mean,p95_wait_s_ci95_low,p95_wait_s_ci95_high"));
    // The overloaded end of the range says so.
    let low = points.iter().find(|q| q["value"] == 8).unwrap();
    assert!(low["warnings"].to_string().contains("overloaded"), "{low}");
    for f in [
        "report.html",
        "charts/plan_p95_wait_s.svg",
        "charts/plan_cost.png",
    ] {
        assert!(dir.path().join("out").join(f).is_file(), "{f}");
    }
}

#[test]
fn plan_upper_ci_is_at_least_as_large() {
    // The pessimistic end of the interval meets the target at 21 (mean 885 s, spread ±12 %)
    // or, if a replication set is unlucky, at 22 (478 s): never below the mean's answer.
    let (_dir, _, p) = planned(&target("upper_ci"));
    let v = p["answer"]["value"].as_i64().unwrap();
    assert!((21..=22).contains(&v), "{v}");
}

fn small_plan(min: u32, max: u32, targets: &str) -> String {
    format!(
        "{}\n[plan]\nvary = \"pools.0.nodes\"\nmin = {min}\nmax = {max}\nreplications = 2\n{targets}",
        MMC.replace("horizon = \"90d\"", "horizon = \"20d\"")
    )
}

#[test]
fn plan_target_met_at_the_smallest_value() {
    // 40 servers for 16 erlangs: Erlang C(40, 16) < 1e-6, so no job waits at either end; the
    // answer is `min` after probing both ends only.
    let (_dir, _, p) = planned(&small_plan(
        40,
        60,
        "[[plan.targets]]\nmetric = \"p95_wait_s\"\nat_most = 60.0\n",
    ));
    assert_eq!(p["answer"]["value"], 40);
    assert_eq!(p["points"].as_array().unwrap().len(), 2);
}

#[test]
fn plan_never_met_reports_the_closest() {
    // 8..12 servers for 16 erlangs: every value is overloaded (ρ ≥ 1.33), waits grow without
    // bound, and a 60 s target is met nowhere; the closest probe is the largest.
    let (_dir, out, p) = planned(&small_plan(
        8,
        12,
        "[[plan.targets]]\nmetric = \"p95_wait_s\"\nat_most = 60.0\n",
    ));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("no value in pools.0.nodes = 8..12 meets every target"),
        "{stdout}"
    );
    assert!(p["answer"].is_null());
    assert_eq!(p["alternatives"][0]["best_value"], 12);
}

#[test]
fn plan_reports_a_metric_that_is_not_monotone() {
    // Installed devices grow with nodes, so "at most 44" is met at 40 and missed at 48 (both
    // ample for 16 erlangs): the opposite of what bisection assumes, and the plan says so.
    let (_dir, _, p) = planned(&small_plan(
        40,
        48,
        "[[plan.targets]]\nmetric = \"installed_devices\"\nat_most = 44.0\n",
    ));
    let notes = p["alternatives"][0]["notes"].to_string();
    assert!(notes.contains("not monotone"), "{notes}");
    assert!(notes.contains("installed_devices gets worse"), "{notes}");
}

#[test]
fn bad_plans_are_refused_with_the_key() {
    let base = small_plan(
        8,
        12,
        "[[plan.targets]]\nmetric = \"p95_wait_s\"\nat_most = 60.0\n",
    );
    let cases: &[(&str, &str, &str)] = &[
        (
            "metric = \"p95_wait_s\"",
            "metric = \"p95_wait\"",
            "did you mean `p95_wait_s`",
        ),
        (
            "vary = \"pools.0.nodes\"",
            "vary = \"pools.0.device\"",
            "not a whole number",
        ),
        (
            "vary = \"pools.0.nodes\"",
            "vary = \"pools.3.nodes\"",
            "index 3 does not exist",
        ),
        ("min = 8", "min = 20", "0 ≤ min ≤ max"),
        (
            "at_most = 60.0",
            "at_most = 60.0\nat_least = 1.0",
            "exactly one of",
        ),
        (
            "replications = 2",
            "replications = 1\ndecide = \"upper_ci\"",
            "at least 2 replications",
        ),
        (
            "replications = 2",
            "replications = 2\ndecide = \"median\"",
            "\"mean\" or \"upper_ci\"",
        ),
        (
            "replications = 2",
            "replications = 2\nvarry = 3",
            "unknown field `varry`",
        ),
        (
            "[plan]",
            "[sweep]\n\"facility.pue\" = [1.1]\n[plan]",
            "either a sweep or a plan",
        ),
    ];
    for (from, to, says) in cases {
        assert!(base.contains(from), "{from}");
        let (dir, out) = plan(&base.replacen(from, to, 1));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(says), "{to}: {err}");
        assert!(err.contains("plan.toml"), "{to}: {err}");
        assert!(!dir.path().join("out").exists(), "{to}");
    }
    // A file without [plan].
    let (_, out) = plan(MMC);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("needs a [plan] table"));
    // An alternative that names an unknown device fails before any run.
    let alt = base.replace(
        "replications = 2",
        "replications = 2\nalternatives = [{ \"pools.0.device\" = \"H100-SXM\" }]",
    );
    let (dir, out) = plan(&alt);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("H100-SXM"), "{}", stderr(&out));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn plan_sizes_each_alternative_and_ranks_them() {
    // The same workload sized on A100 and H100 nodes: a workload of wall times does not
    // depend on the device, so both answers are equal, and the ranking goes by cost (energy
    // here: the H100 draws more at the same load, so the A100 ranks first).
    let text = small_plan(
        14,
        40,
        "alternatives = [{ \"pools.0.device\" = \"A100-SXM4-80GB\" }, { \"pools.0.device\" = \"H100-SXM5-80GB\" }]\n\n[[plan.targets]]\nmetric = \"p95_wait_s\"\nat_most = 1200.0\n",
    ) + "\n[tariff]\nprice_per_kwh = 0.1\n";
    let (_dir, _, p) = planned(&text);
    let alts = p["alternatives"].as_array().unwrap();
    assert_eq!(alts.len(), 2);
    assert_eq!(alts[0]["value"], alts[1]["value"]);
    assert_eq!(alts[0]["alternative"], "pools.0.device = A100-SXM4-80GB");
    assert!(alts[0]["total_cost"].as_f64() < alts[1]["total_cost"].as_f64());
    assert_eq!(p["answer"]["alternative"], alts[0]["alternative"]);
}

#[test]
fn run_warns_when_the_cluster_is_overloaded() {
    // 8 servers for 16 erlangs: twice the capacity is asked for.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), MMC.replace("\"90d\"", "\"10d\"")).unwrap();
    let out = common::wattsim(&["run", "s.toml", "--out", "o", "--no-charts"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: overloaded"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("queue still growing"),
        "{}",
        stderr(&out)
    );
    let s: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("o/summary.json")).unwrap()).unwrap();
    assert_eq!(s["warnings"].as_array().unwrap().len(), 2);
    // With 40 servers nothing is said.
    std::fs::write(
        dir.path().join("s.toml"),
        MMC.replace("\"90d\"", "\"10d\"")
            .replace("nodes = 8", "nodes = 40"),
    )
    .unwrap();
    let out = common::wattsim(&["run", "s.toml", "--out", "o", "--no-charts"], dir.path());
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

#[test]
fn plan_metrics_are_the_numeric_summary_fields() {
    // A target may name any number of summary.json (the seed aside): the list plans check
    // names against is exactly what a run writes.
    let r = wattsim::run(&common::scenario(MMC), 1);
    let Value::Object(map) =
        serde_json::to_value(wattsim::report::Summary::from_result(&r)).unwrap()
    else {
        panic!("a summary is an object")
    };
    let numeric: Vec<&str> = map
        .iter()
        .filter(|(k, v)| (v.is_number() || v.is_null()) && *k != "seed")
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(numeric, wattsim::report::summary::METRICS);
}

#[test]
fn warmup_leaves_early_jobs_out_of_the_waits() {
    // One device; two 1 h jobs at 0 (the second waits 3,600 s) and one at 5 h (no wait).
    // Without a warm-up the mean wait is 3,600 / 3 = 1,200 s; with warmup = "2h" only the
    // third job is measured: 0 s. Energy counts from time 0 either way.
    let base = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "10h"
WARMUP

[[pools]]
device = "A100-SXM4-80GB"
nodes = 1
devices_per_node = 1

[[jobs]]
devices = 1
duration = "1h"

[[jobs]]
devices = 1
duration = "1h"

[[jobs]]
submit = "5h"
devices = 1
duration = "1h"
"#;
    let summary = |warmup: &str| {
        wattsim::report::Summary::from_result(&wattsim::run(
            &common::scenario(&base.replace("WARMUP", warmup)),
            1,
        ))
    };
    let (all, late) = (summary(""), summary("warmup = \"2h\""));
    assert!(
        (all.mean_wait_s - 1200.0).abs() < 1e-9,
        "{}",
        all.mean_wait_s
    );
    assert_eq!(late.mean_wait_s, 0.0);
    assert_eq!(late.it_energy_kwh, all.it_energy_kwh);
    // A warm-up as long as the run is refused.
    let err = wattsim::scenario::parse(
        &base.replace("WARMUP", "warmup = \"10h\""),
        Path::new("w.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("simulation.warmup") && err.contains("before the horizon"),
        "{err}"
    );
}

#[test]
fn plan_does_not_depend_on_threads() {
    // Each replication has its own seed and statistics are taken in replication order, so
    // one thread and two give the same bytes.
    let text = small_plan(
        14,
        40,
        "[[plan.targets]]\nmetric = \"p95_wait_s\"\nat_most = 1200.0\n",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), &text).unwrap();
    let mut outs = vec![];
    for threads in ["1", "2"] {
        let out = common::wattsim(
            &[
                "plan",
                "plan.toml",
                "--out",
                threads,
                "--threads",
                threads,
                "--no-charts",
            ],
            dir.path(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        outs.push(std::fs::read(dir.path().join(threads).join("plan.json")).unwrap());
    }
    assert_eq!(outs[0], outs[1]);
    assert!(!dir.path().join("1/report.html").exists());
}
