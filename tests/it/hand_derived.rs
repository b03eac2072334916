//! Small scenarios whose every figure is derived by hand in the comments.

use crate::common;

use wattsim::report::Summary;
use wattsim::result::JobOutcome;

/// One node of two devices (idle 100 W, max 300 W, linear), host 50 W idle / 150 W max,
/// PUE 1.5, 0.20 USD/kWh, 500 g/kWh, 4 h horizon.
const BASE: &str = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "4h"
output_interval = "1h"

[devices.toy]
idle_w = 100.0
max_w = 300.0

[[pools]]
name = "p"
device = "toy"
nodes = 1
devices_per_node = 2
host_idle_w = 50.0
host_max_w = 150.0

[facility]
pue = 1.5

[tariff]
price_per_kwh = 0.20

[carbon]
intensity_g_per_kwh = 500.0
"#;

#[test]
fn one_job_on_a_shared_node() {
    let src = format!(
        "{BASE}\n[[jobs]]\nname = \"a\"\nsubmit = \"1h\"\ndevices = 1\nduration = \"2h\"\nutilization = 0.5\n"
    );
    let r = wattsim::run(&common::scenario(&src), 1);
    let s = Summary::from_result(&r);
    // Slots: idle = 100 + 50/2 = 125 W; busy at u = 0.5: (100 + 200 × 0.5) + 150/2 = 275 W.
    // Node: idle 250 W; with the job 275 + 125 = 400 W.
    // IT energy = 0.25 kWh (0–1 h) + 0.8 kWh (1–3 h) + 0.25 kWh (3–4 h) = 1.3 kWh.
    assert!(
        common::rel(s.it_energy_kwh, 1.3) < 1e-12,
        "{}",
        s.it_energy_kwh
    );
    // Facility = 1.3 × 1.5 = 1.95 kWh; cost = 1.95 × 0.2 = 0.39; carbon = 1.95 × 0.5 = 0.975 kg.
    assert!(common::rel(s.facility_energy_kwh, 1.95) < 1e-12);
    assert!(common::rel(s.total_cost, 0.39) < 1e-12);
    assert!(common::rel(s.carbon_kg, 0.975) < 1e-12);
    assert!(common::rel(s.peak_it_kw, 0.4) < 1e-12);
    // The job: 275 W × 2 h = 0.55 kWh; the idle rest 1.3 − 0.55 = 0.75 kWh.
    let job = &r.jobs[0];
    assert!(common::rel(job.attribution.it_energy_kwh, 0.55) < 1e-12);
    assert!(common::rel(job.attribution.cost, 0.55 * 1.5 * 0.2) < 1e-12);
    assert!(common::rel(r.idle.it_energy_kwh, 0.75) < 1e-12);
    assert_eq!(job.outcome, JobOutcome::Completed);
    // Time series: hour 1 holds 0.4 kWh IT, hour 0 holds 0.25 kWh.
    assert!(common::rel(r.intervals[0].totals.it_energy_kwh, 0.25) < 1e-12);
    assert!(common::rel(r.intervals[1].totals.it_energy_kwh, 0.4) < 1e-12);
    // Busy device-hours = 1 device × 2 h; utilisation = 2 / (2 devices × 4 h) = 0.25.
    assert!(common::rel(s.device_busy_hours, 2.0) < 1e-12);
    assert!(common::rel(s.utilization, 0.25) < 1e-12);
}

#[test]
fn fifo_queues_and_whole_node_jobs_hold_their_nodes() {
    // Two nodes of 2 devices. Job "big" (3 devices) takes both whole nodes (4 slots) from 0 h
    // to 2 h; job "small" (1 device), submitted at 0 h too but behind it, waits 2 h.
    let src = BASE.replace("nodes = 1", "nodes = 2")
        + r#"
[[jobs]]
name = "big"
devices = 3
duration = "2h"
utilization = 1.0

[[jobs]]
name = "small"
devices = 1
duration = "1h"
utilization = 1.0
"#;
    let r = wattsim::run(&common::scenario(&src), 1);
    let (big, small) = (&r.jobs[0], &r.jobs[1]);
    assert_eq!(big.held_devices, 4);
    // big: 3 busy slots at u = 1 (300 + 75 = 375 W) + 1 held idle slot (125 W) = 1250 W.
    assert_eq!(big.power_uw, 1_250_000_000);
    assert!(common::rel(big.attribution.it_energy_kwh, 2.5) < 1e-12);
    // small starts when big ends: wait 2 h = 7200 s, runs 2–3 h at 375 W.
    assert_eq!(small.wait_ms(), Some(7_200_000));
    assert!(common::rel(small.attribution.it_energy_kwh, 0.375) < 1e-12);
    // Idle: 0–2 h nothing idle; 2–3 h three idle slots (375 W); 3–4 h four (500 W): 0.875 kWh.
    assert!(common::rel(r.idle.it_energy_kwh, 0.875) < 1e-12);
    let s = Summary::from_result(&r);
    // Mean wait (0 + 7200) / 2 = 3600 s; nearest-rank p95 of {0, 7200} is 7200 s.
    assert_eq!((s.mean_wait_s, s.p95_wait_s), (3600.0, 7200.0));
}

#[test]
fn jobs_running_at_the_horizon_are_charged_up_to_it() {
    // A 10 h job started at 3 h runs 1 h within the 4 h horizon: 375 W × 1 h = 0.375 kWh.
    let src = format!("{BASE}\n[[jobs]]\nsubmit = \"3h\"\ndevices = 1\nduration = \"10h\"\n");
    let r = wattsim::run(&common::scenario(&src), 1);
    assert_eq!(r.jobs[0].outcome, JobOutcome::Running);
    assert!(common::rel(r.jobs[0].attribution.it_energy_kwh, 0.375) < 1e-12);
    assert_eq!(r.jobs[0].end_ms, Some(4 * 3_600_000));
}

#[test]
fn generated_jobs_that_never_fit_are_rejected_and_counted() {
    // The pool has 2 devices; every generated job asks for 4, so all are rejected with a reason.
    let src = format!(
        "{BASE}\n[[workloads]]\nname = \"huge\"\narrival = {{ process = \"poisson\", rate_per_hour = 10.0 }}\ndevices = 4\nduration = {{ distribution = \"fixed\", value = \"1h\" }}\n"
    );
    let r = wattsim::run(&common::scenario(&src), 3);
    let s = Summary::from_result(&r);
    assert!(s.jobs_submitted > 0);
    assert_eq!(s.jobs_rejected, s.jobs_submitted);
    match &r.jobs[0].outcome {
        JobOutcome::Rejected(why) => assert!(why.contains("needs 4 devices"), "{why}"),
        other => panic!("expected a rejection, got {other:?}"),
    }
    // Nothing ran: all energy is idle, 250 W × 4 h = 1 kWh.
    assert!(common::rel(r.idle.it_energy_kwh, 1.0) < 1e-12);
}

#[test]
fn power_law_and_table_curves_drive_job_power() {
    // power_law k = 2 at u = 0.5: 100 + 200 × 0.25 = 150 W + host 75 W = 225 W.
    let law = BASE.replace(
        "max_w = 300.0",
        "max_w = 300.0\npower_curve = { kind = \"power_law\", exponent = 2.0 }",
    ) + "\n[[jobs]]\ndevices = 1\nduration = \"1h\"\nutilization = 0.5\n";
    let r = wattsim::run(&common::scenario(&law), 1);
    assert_eq!(r.jobs[0].power_uw, 225_000_000);
    // table (0, 80) (0.5, 250) (1, 300) at u = 0.75: 275 W + host 75 W = 350 W;
    // the idle slot is then 80 + 25 = 105 W.
    let table = BASE.replace(
        "max_w = 300.0",
        "max_w = 300.0\npower_curve = { kind = \"table\", points = [[0.0, 80.0], [0.5, 250.0], [1.0, 300.0]] }",
    ) + "\n[[jobs]]\ndevices = 1\nduration = \"1h\"\nutilization = 0.75\n";
    let r = wattsim::run(&common::scenario(&table), 1);
    assert_eq!(r.jobs[0].power_uw, 350_000_000);
    // 0–1 h: job 350 W + idle slot 105 W; 1–4 h: 2 × 105 W. Total 0.455 + 0.63 = 1.085 kWh.
    assert!(common::rel(r.totals.energy.it_energy_kwh, 1.085) < 1e-12);
}

#[test]
fn power_is_recorded_per_pool() {
    // Two pools of the toy node: a 1-device job at u = 0.5 (275 W) on pool "b" for 2 h.
    // Pool a idles at 250 W throughout; pool b draws 400 W for 2 h and 250 W for 2 h.
    let src = BASE.replace("name = \"p\"", "name = \"a\"")
        + r#"
[[pools]]
name = "b"
device = "toy"
nodes = 1
devices_per_node = 2
host_idle_w = 50.0
host_max_w = 150.0

[[jobs]]
devices = 1
duration = "2h"
utilization = 0.5
pool = "b"
"#;
    let r = wattsim::run(&common::scenario(&src), 1);
    let a: f64 = r.intervals.iter().map(|i| i.pool_it_kwh[0]).sum();
    let b: f64 = r.intervals.iter().map(|i| i.pool_it_kwh[1]).sum();
    // a: 0.25 kW × 4 h = 1.0 kWh; b: 0.4 × 2 + 0.25 × 2 = 1.3 kWh.
    assert!(common::rel(a, 1.0) < 1e-12, "{a}");
    assert!(common::rel(b, 1.3) < 1e-12, "{b}");
    let csv = String::from_utf8(wattsim::report::timeseries::to_csv(&r).unwrap()).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",it_kw_a,it_kw_b"));
}

#[test]
fn fractional_jobs_share_a_device() {
    // One device (100 W idle, 500 W max, linear, no host). Job A takes half of it at full
    // load for 0–2 h; job B 0.3 of it for 1–3 h; job C wants 0.4 at 1.5 h, finds only 0.2
    // free and waits for A (FIFO) until 2 h, then runs 1 h.
    // Power: 0–1 h A 250 W + idle half 50 W = 300 W; 1–2 h A 250 + B 150 + idle 0.2 × 100 = 420;
    // 2–3 h B 150 + C 0.4 × 500 = 200 + idle 0.3 × 100 = 30 → 380 W; 3–4 h idle 100 W.
    // Total 300 + 420 + 380 + 100 = 1,200 Wh; A 500, B 300, C 200, idle 50 + 20 + 30 + 100 = 200.
    // (The linear curve at the summed load agrees: 100 + 400 × 0.8 = 420 W at 1–2 h.)
    let src = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "4h"
[devices.g]
idle_w = 100.0
max_w = 500.0
[[pools]]
device = "g"
nodes = 1
devices_per_node = 1
[[jobs]]
name = "A"
devices = 1
device_share = 0.5
duration = "2h"
[[jobs]]
name = "B"
submit = "1h"
devices = 1
device_share = 0.3
duration = "2h"
[[jobs]]
name = "C"
submit = "90min"
devices = 1
device_share = 0.4
duration = "1h"
"#;
    let r = wattsim::run(&common::scenario(src), 1);
    let kwh: Vec<f64> = r.jobs.iter().map(|j| j.attribution.it_energy_kwh).collect();
    for (got, want) in kwh.iter().zip([0.5, 0.3, 0.2]) {
        assert!(common::rel(*got, want) < 1e-12, "{kwh:?}");
    }
    assert_eq!(r.jobs[2].start_ms, Some(2 * 3_600_000));
    assert!(
        common::rel(r.idle.it_energy_kwh, 0.2) < 1e-12,
        "{}",
        r.idle.it_energy_kwh
    );
    assert!(common::rel(r.totals.energy.it_energy_kwh, 1.2) < 1e-12);
    // The shared device counts as one busy device while any job is on it (0–3 h).
    assert!(common::rel(r.totals.busy_device_hours, 3.0) < 1e-12);
}
