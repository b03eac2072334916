//! Scheduling policies through whole runs, derived by hand: EASY and conservative backfilling
//! against FIFO, wall-time kills, priorities with ageing, tenant quotas, deadlines and
//! carbon- and price-aware deferral; and the properties they promise on generated workloads.

use crate::common;
use wattsim::report::Summary;
use wattsim::result::{JobOutcome, JobRecord, RunResult};

const H: u64 = 3_600_000;

/// One node of 4 devices (50 W idle, 300 W busy, no host), 2024-06-01T00:00Z for 2 days.
pub(crate) const CLUSTER: &str = r#"
[simulation]
start = "2024-06-01T00:00:00Z"
horizon = "2d"
output_interval = "1h"
[devices.d]
idle_w = 50.0
max_w = 300.0
[[pools]]
device = "d"
nodes = 1
devices_per_node = 4
"#;

/// Runs `CLUSTER` plus `extra`, with data `files` written beside the scenario.
fn run(extra: &str, files: &[(&str, &str)]) -> RunResult {
    common::run_with_files(&format!("{CLUSTER}\n{extra}"), files, 1)
}

/// Start times of the jobs [ms], in id order.
fn starts(r: &RunResult) -> Vec<Option<u64>> {
    r.jobs.iter().map(|j| j.start_ms).collect()
}

/// Explicit jobs A (2 devices, 10 h), B (4, 1 h), C (1, 20 h), D (1, 5 h), submitted 1 s
/// apart in that order.
const FOUR_JOBS: &str = r#"
[[jobs]]
name = "A"
devices = 2
duration = "10h"
[[jobs]]
name = "B"
submit = "1s"
devices = 4
duration = "1h"
[[jobs]]
name = "C"
submit = "2s"
devices = 1
duration = "20h"
[[jobs]]
name = "D"
submit = "3s"
devices = 1
duration = "5h"
"#;

#[test]
fn easy_and_conservative_backfill_past_a_blocked_head() {
    // FIFO: A at 0; B needs all 4 devices and waits for A's end at 10 h (to 11 h); C and D
    // wait behind B and start at 11 h.
    let fifo = run(FOUR_JOBS, &[]);
    assert_eq!(
        starts(&fifo),
        vec![Some(0), Some(10 * H), Some(11 * H), Some(11 * H)]
    );
    for policy in ["easy-backfill", "conservative-backfill"] {
        // B's reservation is A's end at 10 h with no device to spare. C (20 h) would hold a
        // device past 10 h: it waits for B, to 11 h. D (5 h, from 3 s) ends by 10 h: it
        // starts at once.
        let r = run(
            &format!("{FOUR_JOBS}\n[scheduler]\npolicy = \"{policy}\""),
            &[],
        );
        assert_eq!(
            starts(&r),
            vec![Some(0), Some(10 * H), Some(11 * H), Some(3000)],
            "{policy}"
        );
        assert_eq!(r.policy, policy);
        // D waited 0 s instead of 11 h − 3 s: the mean wait falls by (11 h − 3 s) / 4.
        let (mf, mb) = (fifo.job_stats.waits.mean_s(), r.job_stats.waits.mean_s());
        assert!(
            (mf - mb - (11.0 * 3600.0 - 3.0) / 4.0).abs() < 1e-6,
            "{mf} {mb}"
        );
    }
}

#[test]
fn a_job_is_ended_at_its_wall_time() {
    // A 3 h job asking for 2 h on one device: ended at 2 h as `timeout`, charged 2 h at
    // 300 W = 0.6 kWh. Its deadline of 5 h counts as missed (its work did not complete).
    let r = run(
        "[[jobs]]\ndevices = 1\nduration = \"3h\"\nwalltime = \"2h\"\ndeadline = \"5h\"",
        &[],
    );
    let job = &r.jobs[0];
    assert_eq!(job.outcome, JobOutcome::Timeout);
    assert_eq!(job.end_ms, Some(2 * H));
    assert!((job.attribution.it_energy_kwh - 0.6).abs() < 1e-12);
    let s = Summary::from_result(&r);
    assert_eq!(
        (s.jobs_timed_out, s.jobs_completed, s.deadlines_missed),
        (1, 0, 1)
    );
    // Bounded slowdown of a job that started at once: (0 + run) / run = 1.
    assert_eq!(s.mean_bounded_slowdown, 1.0);
}

#[test]
fn jobs_csv_carries_the_terms() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    let jobs = "[[jobs]]\nname = \"a\"\ndevices = 4\nduration = \"1h\"\nwalltime = \"30min\"\n\
                [[jobs]]\nname = \"b\"\ndevices = 4\nduration = \"1h\"\ndeadline = \"1h\"\npriority = -2\n";
    std::fs::write(&path, format!("{CLUSTER}\n{jobs}")).unwrap();
    let out = common::wattsim(&["run", "s.toml", "--out", "o", "--no-charts"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.path().join("o/jobs.csv")).unwrap();
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let a: Vec<&str> = rows.next().unwrap().split(',').collect();
    let b: Vec<&str> = rows.next().unwrap().split(',').collect();
    // a: ended at its 30 min wall time; b waited for it (30 min) and ran 1 h, ending at
    // 1 h 30 min, past its 1 h deadline. b's bounded slowdown: (1800 + 3600) / 3600 = 1.5.
    assert_eq!(a[col("state")], "timeout");
    assert_eq!(a[col("walltime")], "1800");
    assert_eq!(a[col("missed_deadline")], "false");
    assert_eq!(b[col("state")], "completed");
    assert_eq!(b[col("deadline")], "2024-06-01T01:00:00Z");
    assert_eq!(b[col("priority")], "-2");
    assert_eq!(b[col("missed_deadline")], "true");
    assert_eq!(b[col("bounded_slowdown")], "1.5");
    assert_eq!(b[col("deferred_s")], "0");
}

/// A 4-device job from 0 to 1 h, then L (priority 0) at 10 min and H (priority 1) at 20 min,
/// 4 devices and 1 h each.
const AGEING: &str = r#"
[[jobs]]
devices = 4
duration = "1h"
[[jobs]]
name = "L"
submit = "10min"
devices = 4
duration = "1h"
[[jobs]]
name = "H"
submit = "20min"
devices = 4
duration = "1h"
priority = 1
"#;

#[test]
fn priorities_order_the_queue_and_ageing_lets_old_jobs_pass() {
    // No ageing: H (priority 1) before L at 1 h; L at 2 h.
    let r = run(AGEING, &[]);
    assert_eq!(starts(&r), vec![Some(0), Some(2 * H), Some(H)]);
    // 12 per hour: at 1 h, L has 0 + 12 × 50/60 = 10, H has 1 + 12 × 40/60 = 9: L first.
    let r = run(
        &format!("{AGEING}\n[scheduler]\npriority_age_per_hour = 12.0"),
        &[],
    );
    assert_eq!(starts(&r), vec![Some(0), Some(H), Some(2 * H)]);
    // 3 per hour: L 0 + 2.5 = 2.5, H 1 + 2 = 3: H first still.
    let r = run(
        &format!("{AGEING}\n[scheduler]\npriority_age_per_hour = 3.0"),
        &[],
    );
    assert_eq!(starts(&r), vec![Some(0), Some(2 * H), Some(H)]);
}

#[test]
fn a_quota_holds_its_tenants_jobs_and_no_one_else() {
    // research may use 2 devices: R1 starts, R2 waits for R1's end at 1 h; O (another
    // tenant, behind R2 in the queue) starts at once even under FIFO.
    let jobs = r#"
[[jobs]]
name = "R1"
devices = 2
duration = "1h"
tenant = "research"
[[jobs]]
name = "R2"
submit = "1s"
devices = 2
duration = "1h"
tenant = "research"
[[jobs]]
name = "O"
submit = "2s"
devices = 2
duration = "1h"
tenant = "prod"
[[scheduler.quotas]]
tenant = "research"
max_devices = 2
"#;
    let r = run(jobs, &[]);
    assert_eq!(starts(&r), vec![Some(0), Some(H), Some(2000)]);
}

/// Hourly intensity over the 2 days: 400 g/kWh, but 100 from 05:00 to 07:00 on the first.
fn dip() -> String {
    let mut csv = String::from("timestamp,ci\n");
    for h in 0..48 {
        let ci = if (5..7).contains(&h) { 100 } else { 400 };
        csv += &format!("2024-06-{:02}T{:02}:00:00Z,{ci}\n", h / 24 + 1, h % 24);
    }
    csv
}

#[test]
fn a_deferrable_job_moves_to_the_cleanest_window() {
    let job = "[[jobs]]\ndevices = 1\nduration = \"2h\"\ndeadline = \"24h\"\n\
               [carbon]\nintensity = { file = \"ci.csv\", value_column = \"ci\" }\n";
    // Without shift: starts at 0, 0.3 kW × 2 h × 400 g/kWh = 0.24 kg.
    let plain = run(job, &[("ci.csv", &dip())]);
    assert_eq!(plain.jobs[0].start_ms, Some(0));
    assert!((plain.jobs[0].attribution.carbon_kg - 0.24).abs() < 1e-12);
    // With a perfect carbon forecast: the 2 h run fits the clean window exactly at 05:00,
    // 0.3 × 2 × 100 g = 0.06 kg, deferred 5 h.
    let shifted = run(
        &format!("{job}\n[scheduler]\nshift = {{ signal = \"carbon\", forecast = \"perfect\" }}"),
        &[("ci.csv", &dip())],
    );
    let j = &shifted.jobs[0];
    assert_eq!(j.start_ms, Some(5 * H));
    assert_eq!(j.deferred_ms, 5 * H);
    assert!((j.attribution.carbon_kg - 0.06).abs() < 1e-12);
    let s = Summary::from_result(&shifted);
    assert_eq!((s.jobs_deferred, s.deadlines_missed), (1, 0));
    assert_eq!(s.mean_deferral_s, 5.0 * 3600.0);
    // A deadline that ends before the window: no gain, no deferral.
    let tight = run(
        &format!(
            "{}\n[scheduler]\nshift = {{ signal = \"carbon\" }}",
            job.replace("\"24h\"", "\"4h\"")
        ),
        &[("ci.csv", &dip())],
    );
    assert_eq!(tight.jobs[0].start_ms, Some(0));
}

#[test]
fn a_price_shift_follows_the_tariff() {
    // 0.05 /kWh from 00:00 to 06:00 UTC, 0.20 otherwise. A 3 h job submitted at 08:00 with
    // 30 h to finish starts at the next cheap hours, 24:00, and costs 0.3 × 3 × 0.05 = 0.045.
    let text = r#"
[[jobs]]
submit = "8h"
devices = 1
duration = "3h"
deadline = "30h"
[[tariff.periods]]
name = "night"
hours = [[0, 6]]
price_per_kwh = 0.05
[[tariff.periods]]
name = "day"
price_per_kwh = 0.20
[scheduler]
shift = { signal = "price" }
"#;
    let r = run(text, &[]);
    let j = &r.jobs[0];
    assert_eq!(j.start_ms, Some(24 * H));
    assert!(
        (j.attribution.cost - 0.045).abs() < 1e-12,
        "{}",
        j.attribution.cost
    );
}

#[test]
fn a_job_that_cannot_make_its_deadline_runs_as_soon_as_it_can() {
    // The node is busy to 10 h; a 1-device job due 2 h after its submission at 1 s waits to
    // 10 h and ends at 11 h: missed.
    let text = "[[jobs]]\ndevices = 4\nduration = \"10h\"\n\
                [[jobs]]\nsubmit = \"1s\"\ndevices = 1\nduration = \"1h\"\ndeadline = \"2h\"\n\
                [scheduler]\nshift = { signal = \"carbon\" }\n";
    let r = run(text, &[]);
    assert_eq!(r.jobs[1].start_ms, Some(10 * H));
    assert!(r.jobs[1].missed_deadline);
    assert_eq!(Summary::from_result(&r).deadlines_missed, 1);
}

#[test]
fn swf_requested_times_are_wall_times() {
    // Two SWF jobs on 1 device each: job 1 runs 3600 s and asked for 7200 s; job 2 runs
    // 3600 s and asked for 1800 s (field 9): it is ended at 30 min.
    let swf = "; test\n\
               1 0 0 3600 1 -1 -1 1 7200 -1 1 1 1 -1 1 -1 -1 -1\n\
               2 10 0 3600 1 -1 -1 1 1800 -1 1 2 1 -1 1 -1 -1 -1\n";
    let r = run(
        "[[traces]]\nfile = \"t.swf\"\nformat = \"swf\"",
        &[("t.swf", swf)],
    );
    assert_eq!(r.jobs[0].walltime_ms, Some(2 * H));
    assert_eq!(r.jobs[0].outcome, JobOutcome::Completed);
    assert_eq!(r.jobs[1].walltime_ms, Some(H / 2));
    assert_eq!(r.jobs[1].outcome, JobOutcome::Timeout);
    assert_eq!(r.jobs[1].end_ms, Some(10_000 + H / 2));
    // SWF has its own requested-time field: a column name is refused, naming the key.
    let src = format!(
        "{CLUSTER}\n[[traces]]\nfile = \"t.swf\"\nformat = \"swf\"\nwalltime_column = \"req\""
    );
    let err = wattsim::scenario::parse(&src, std::path::Path::new("s.toml"))
        .expect_err("walltime_column on SWF")
        .to_string();
    assert!(
        err.contains("traces[0].walltime_column") && err.contains("field 9"),
        "{err}"
    );
}

/// A generated workload with deadlines on a share of jobs, on `nodes` 8-device nodes.
fn workload(nodes: u32, scheduler: &str) -> String {
    format!(
        r#"
[simulation]
start = "2024-06-01T00:00:00Z"
horizon = "7d"
[devices.d]
idle_w = 50.0
max_w = 300.0
[[pools]]
device = "d"
nodes = {nodes}
devices_per_node = 8
[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = 4.0 }}
devices = {{ values = [1, 2, 4, 8, 16], weights = [4.0, 2.0, 2.0, 1.0, 1.0] }}
duration = {{ distribution = "exponential", mean = "3h" }}
walltime = {{ factor = 1.5 }}
deadline = {{ slack = "12h", share = 0.5 }}
tenant = "research"
[carbon]
intensity = {{ file = "ci.csv", value_column = "ci" }}
[[tariff.periods]]
name = "peak"
hours = [[14, 20]]
price_per_kwh = 0.30
[[tariff.periods]]
name = "off_peak"
price_per_kwh = 0.10
[scheduler]
{scheduler}
"#
    )
}

/// A day-night intensity cycle for June 2024: 450 g/kWh at night, falling to 150 at noon,
/// hourly.
fn solar_cycle() -> String {
    let mut csv = String::from("timestamp,ci\n");
    for h in 0..24 * 30 {
        let hour = h % 24;
        let solar = (1.0 - ((hour as f64 - 12.0) / 6.0).powi(2)).max(0.0);
        csv += &format!(
            "2024-06-{:02}T{:02}:00:00Z,{}\n",
            h / 24 + 1,
            hour,
            450.0 - 300.0 * solar
        );
    }
    csv
}

/// Runs a workload scenario text with the cycle beside it, keeping every job.
fn run_text(text: &str) -> RunResult {
    common::run_with_files(text, &[("ci.csv", &solar_cycle())], 3)
}

#[test]
fn with_ample_capacity_and_perfect_foresight_shifting_only_lowers_carbon() {
    // 100 nodes (800 devices) for a load of about 4 × 3 × 3.3 ≈ 40 devices: every job fits
    // when released, so no deadline is missed and each deferred job sees the minimum.
    let plain = run_text(&workload(100, "policy = \"fifo\""));
    let shifted = run_text(&workload(100, "shift = { signal = \"carbon\" }"));
    assert_eq!(plain.jobs.len(), shifted.jobs.len());
    let s = Summary::from_result(&shifted);
    assert!(
        s.jobs_deferred > 50,
        "the test needs deferred jobs: {}",
        s.jobs_deferred
    );
    assert_eq!(s.deadlines_missed, 0);
    let carbon = |r: &RunResult| r.jobs.iter().map(|j| j.attribution.carbon_kg).sum::<f64>();
    assert!(
        carbon(&shifted) < carbon(&plain),
        "{} {}",
        carbon(&shifted),
        carbon(&plain)
    );
    for (a, b) in plain.jobs.iter().zip(&shifted.jobs) {
        // The same jobs (same stream of draws), each no dirtier than unshifted, to rounding.
        assert_eq!(
            (a.submit_ms, a.devices, a.duration_ms),
            (b.submit_ms, b.devices, b.duration_ms)
        );
        assert!(b.attribution.carbon_kg <= a.attribution.carbon_kg * (1.0 + 1e-9) + 1e-12);
        no_start_before_release(b);
    }
}

#[test]
fn with_ample_capacity_and_perfect_foresight_shifting_by_price_only_lowers_cost() {
    // The same workload on a TOU tariff (0.30 /kWh from 14:00 to 20:00 UTC, 0.10 otherwise):
    // each job's energy charge is its constant draw × the posted price over its run, which a
    // price shift minimises; with room for every job, none is missed and none costs more.
    let plain = run_text(&workload(100, "policy = \"fifo\""));
    let shifted = run_text(&workload(100, "shift = { signal = \"price\" }"));
    let s = Summary::from_result(&shifted);
    assert!(
        s.jobs_deferred > 20,
        "the test needs deferred jobs: {}",
        s.jobs_deferred
    );
    assert_eq!(s.deadlines_missed, 0);
    let cost = |r: &RunResult| r.jobs.iter().map(|j| j.attribution.cost).sum::<f64>();
    assert!(
        cost(&shifted) < cost(&plain),
        "{} {}",
        cost(&shifted),
        cost(&plain)
    );
    for (a, b) in plain.jobs.iter().zip(&shifted.jobs) {
        assert_eq!((a.submit_ms, a.devices), (b.submit_ms, b.devices));
        assert!(
            b.attribution.cost <= a.attribution.cost * (1.0 + 1e-9) + 1e-12,
            "{b:?}"
        );
        no_start_before_release(b);
    }
}

/// A job starts no earlier than its submission plus its deferral.
fn no_start_before_release(j: &JobRecord) {
    if let Some(start) = j.start_ms {
        assert!(start >= j.submit_ms + j.deferred_ms, "{j:?}");
    }
}

#[test]
fn zero_forecast_error_is_perfect_foresight_and_noise_costs_carbon() {
    let perfect = run_text(&workload(100, "shift = { signal = \"carbon\" }"));
    let zero = run_text(&workload(
        100,
        "shift = { signal = \"carbon\", forecast = { error = 0.0, seed = 7 } }",
    ));
    assert_eq!(Summary::from_result(&perfect), Summary::from_result(&zero));
    let noisy = run_text(&workload(
        100,
        "shift = { signal = \"carbon\", forecast = { error = 0.5, seed = 7 } }",
    ));
    let carbon = |r: &RunResult| r.jobs.iter().map(|j| j.attribution.carbon_kg).sum::<f64>();
    // Perfect foresight picks each job's minimum; a noisy forecast can only do as well or worse.
    assert!(
        carbon(&noisy) >= carbon(&perfect),
        "{} {}",
        carbon(&noisy),
        carbon(&perfect)
    );
    noisy.jobs.iter().for_each(no_start_before_release);
}

#[test]
fn quotas_are_never_exceeded_under_any_policy() {
    // 4 nodes (32 devices), research capped at 16 devices (its largest job), every policy.
    for policy in ["fifo", "easy-backfill", "conservative-backfill"] {
        let sched = format!(
            "policy = \"{policy}\"\nruntime_estimate = \"walltime\"\n\
             [[scheduler.quotas]]\ntenant = \"research\"\nmax_devices = 16"
        );
        let r = run_text(&workload(4, &sched));
        // Sweep the starts and ends in time order (ends first at equal times).
        let mut edges: Vec<(u64, i64)> = vec![];
        for j in &r.jobs {
            if let (Some(s), Some(e)) = (j.start_ms, j.end_ms) {
                edges.push((s, j.devices as i64));
                edges.push((e, -(j.devices as i64)));
            }
        }
        edges.sort_by_key(|&(t, d)| (t, d));
        let mut in_use = 0;
        for (_, d) in edges {
            in_use += d;
            assert!(in_use <= 16, "{policy}: {in_use} devices in use");
        }
        assert!(
            r.jobs.iter().filter(|j| j.start_ms.is_some()).count() > 100,
            "{policy}"
        );
        assert!(
            r.jobs
                .iter()
                .all(|j| !matches!(j.outcome, JobOutcome::Rejected(_)))
        );
    }
}

#[test]
fn a_job_larger_than_its_tenants_quota_is_rejected() {
    let r = run(
        "[[workloads]]\narrival = { process = \"poisson\", rate_per_hour = 2.0 }\n\
         devices = 3\nduration = { distribution = \"fixed\", value = \"1h\" }\ntenant = \"t\"\n\
         [[scheduler.quotas]]\ntenant = \"t\"\nmax_devices = 2",
        &[],
    );
    assert!(!r.jobs.is_empty());
    for j in &r.jobs {
        match &j.outcome {
            JobOutcome::Rejected(why) => assert!(why.contains("quota"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn bad_scheduler_settings_are_clear_errors() {
    let jobs = "[[jobs]]\ndevices = 1\nduration = \"1h\"\n";
    let cases = [
        (
            "[scheduler]\nruntime_estimate = \"walltim\"",
            &["scheduler.runtime_estimate", "\"walltime\""][..],
        ),
        (
            "[scheduler]\nshift = { signal = \"marginal\" }",
            &["scheduler.shift.signal", "no marginal intensity series"][..],
        ),
        (
            "[scheduler]\nshift = { signal = \"carbon\", forecast = { error = -1.0 } }",
            &["scheduler.shift.forecast.error"][..],
        ),
        (
            "[scheduler]\nshift = { signal = \"carbon\", lead = 3 }",
            &["unknown field `lead`"][..],
        ),
        (
            "[scheduler]\nbackfill_depth = 0",
            &["scheduler.backfill_depth"][..],
        ),
        (
            "[[scheduler.quotas]]\ntenant = \"a\"\nmax_devices = 2\n[[scheduler.quotas]]\ntenant = \"a\"\nmax_devices = 3",
            &["scheduler.quotas[1].tenant", "already has a quota"][..],
        ),
    ];
    for (extra, wants) in cases {
        let src = format!("{CLUSTER}\n{jobs}\n{extra}");
        let err = wattsim::scenario::parse(&src, std::path::Path::new("s.toml"))
            .expect_err(extra)
            .to_string();
        for want in wants {
            assert!(err.contains(want), "{extra}\n→ {err}");
        }
    }
    let job_cases = [
        (
            "walltime = { distribution = \"exponential\", mean = \"1h\" }",
            &["jobs[0].walltime", "one job has one wall time"][..],
        ),
        (
            "deadline = { slack = \"1h\", share = 0.5 }",
            &["jobs[0].deadline.share"][..],
        ),
        (
            "walltime = \"0s\"",
            &["jobs[0].walltime", "longer than zero"][..],
        ),
        (
            "walltime = { factor = 0.0 }",
            &["jobs[0].walltime.factor"][..],
        ),
        ("deadline = \"soon\"", &["jobs[0].deadline"][..]),
        (
            "tenant = \"t\"\n[[scheduler.quotas]]\ntenant = \"t\"\nmax_devices = 0",
            &["scheduler.quotas[0].max_devices"][..],
        ),
    ];
    for (extra, wants) in job_cases {
        let src = format!("{CLUSTER}\n{jobs}{extra}");
        let err = wattsim::scenario::parse(&src, std::path::Path::new("s.toml"))
            .expect_err(extra)
            .to_string();
        for want in wants {
            assert!(err.contains(want), "{extra}\n→ {err}");
        }
    }
    // An explicit job larger than its tenant's quota can never run.
    let src = format!(
        "{CLUSTER}\n[[jobs]]\ndevices = 3\nduration = \"1h\"\ntenant = \"t\"\n\
         [[scheduler.quotas]]\ntenant = \"t\"\nmax_devices = 2"
    );
    let err = wattsim::scenario::parse(&src, std::path::Path::new("s.toml"))
        .expect_err("over quota")
        .to_string();
    assert!(
        err.contains("jobs[0].devices") && err.contains("at most 2 devices"),
        "{err}"
    );
}

#[test]
fn the_policy_comparison_sweeps_policies_and_shifts() {
    // scenarios/policies/compare.toml: 3 policies × 3 shift signals × 5 replications; the
    // summary has one row per point with the deadline and slowdown metrics beside cost.
    let dir = tempfile::tempdir().unwrap();
    let file = common::root().join("scenarios/policies/compare.toml");
    let out = common::wattsim(
        &["sweep", file.to_str().unwrap(), "--out", "s", "--no-charts"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("s/sweep_summary.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 9);
    let (policy, signal) = (col("scheduler.policy"), col("scheduler.shift.signal"));
    let missed = col("deadlines_missed_mean");
    let slowdown = col("mean_bounded_slowdown_mean");
    let p95 = col("p95_wait_s_mean");
    let get = |p: &str, s: &str, c: usize| -> f64 {
        let row = rows
            .iter()
            .find(|r| &r[policy] == p && &r[signal] == s)
            .unwrap();
        row[c].parse().unwrap()
    };
    for r in &rows {
        assert_eq!(&r[col("runs_ok")], "5");
    }
    // On the same jobs, EASY backfilling waits less than FIFO behind the large jobs.
    assert!(get("easy-backfill", "none", p95) < get("fifo", "none", p95));
    assert!(get("easy-backfill", "none", slowdown) < get("fifo", "none", slowdown));
    // Backfilling lets deadline jobs through sooner: none of EASY's are missed where FIFO's are.
    assert!(get("easy-backfill", "none", missed) < get("fifo", "none", missed));
}

#[test]
fn a_csv_trace_names_its_requested_time_column() {
    // Requested times in the duration unit (min): job 1 asked for 90 min and runs 60; job 2
    // asked for 30 min and runs 60, so it is ended at 30 min; job 3 gives none (empty).
    let csv = "submit,gpus,run_min,req_min\n0,1,60,90\n0,1,60,30\n0,1,60,\n";
    let r = run(
        "[[traces]]\nfile = \"t.csv\"\nsubmit_column = \"submit\"\ndevices_column = \"gpus\"\n\
         duration_column = \"run_min\"\nwalltime_column = \"req_min\"\ntime_unit = \"min\"",
        &[("t.csv", csv)],
    );
    let wall: Vec<Option<u64>> = r.jobs.iter().map(|j| j.walltime_ms).collect();
    assert_eq!(wall, vec![Some(90 * 60_000), Some(30 * 60_000), None]);
    let states: Vec<&str> = r.jobs.iter().map(|j| j.outcome.label()).collect();
    assert_eq!(states, vec!["completed", "timeout", "completed"]);
}
