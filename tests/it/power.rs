//! Power management through whole runs, derived by hand: idle node power-down with boots,
//! a budget that holds starts, a budget that caps devices (and slows their work), a
//! time-varying limit, peak shaving that keeps a month's demand under its target while the
//! deferred job meets its deadline; and the properties they promise on generated workloads.

use crate::common;
use proptest::prelude::*;
use wattsim::result::{JobOutcome, RunResult};

const H: u64 = 3_600_000;
const MIN: u64 = 60_000;

/// `nodes` nodes of 4 devices (50 W idle, 300 W busy, linear, no host) from
/// 2024-06-01T00:00Z for `horizon`: the policies tests' cluster, resized.
fn cluster(nodes: u32, horizon: &str) -> String {
    let text = crate::policies::CLUSTER
        .replace("nodes = 1\n", &format!("nodes = {nodes}\n"))
        .replace("horizon = \"2d\"", &format!("horizon = \"{horizon}\""));
    assert!(text.contains(&format!("nodes = {nodes}\n")) && text.contains(horizon));
    text
}

/// Runs `text` with data `files` written beside it, keeping every job.
fn run(text: &str, files: &[(&str, &str)]) -> RunResult {
    common::run_with_files(text, files, 1)
}

/// A job of `devices` devices at full load, submitted at `submit` for `duration`.
fn job(name: &str, submit: &str, devices: u32, duration: &str) -> String {
    format!(
        "[[jobs]]\nname = \"{name}\"\nsubmit = \"{submit}\"\ndevices = {devices}\nduration = \"{duration}\"\nutilization = 1.0\n"
    )
}

fn kwh_close(got: f64, want: f64) {
    assert!(common::rel(got, want) < 1e-9, "{got} kWh vs {want} kWh");
}

#[test]
fn an_idle_node_powers_off_and_boots_for_the_next_job() {
    // Power-down after 30 min idle, 20 W off, a 5 min boot at 400 W, no node kept on.
    // A runs 0–1 h; B comes 10 min after A ends (shorter than `after`: the node stays on) and
    // runs 1h10–2h10; the node is idle from 2h10 and off at 2h40; C comes at 4 h, waits for a
    // boot to 4h05 and runs to 5h05; the node is off again at 5h35 until the horizon (6 h).
    let text = format!(
        "{}{}{}{}[power]\nidle_power_down = {{ after = \"30min\", off_w = 20.0, boot = \"5min\", boot_w = 400.0 }}\n",
        cluster(1, "6h"),
        job("A", "0s", 4, "1h"),
        job("B", "70min", 4, "1h"),
        job("C", "4h", 4, "1h")
    );
    let r = run(&text, &[]);
    let start = |i: usize| r.jobs[i].start_ms.unwrap();
    assert_eq!(start(0), 0);
    assert_eq!(
        start(1),
        70 * MIN,
        "B starts at once: the node never went off"
    );
    assert_eq!(start(2), 4 * H + 5 * MIN, "C waits for the boot");
    assert_eq!(r.jobs[2].wait_ms(), Some(5 * MIN));
    // Energy: three jobs at 4 × 300 W for 1 h = 3.6 kWh; idle 200 W for 10 min, 30 min and
    // 30 min = 0.2 × (1/6 + 1/2 + 1/2) = 0.233333 kWh; off 20 W for 1h20 and 25 min =
    // 0.02 × (4/3 + 5/12) = 0.035 kWh; boot 400 W for 5 min = 0.033333 kWh.
    let idle = 0.2 * (1.0 / 6.0 + 0.5 + 0.5) + 0.02 * (4.0 / 3.0 + 5.0 / 12.0) + 0.4 / 12.0;
    kwh_close(r.totals.energy.it_energy_kwh, 3.6 + idle);
    let jobs: f64 = r.jobs.iter().map(|j| j.attribution.it_energy_kwh).sum();
    kwh_close(jobs, 3.6);
    kwh_close(r.idle.it_energy_kwh, idle);
    let p = &r.totals.power;
    assert_eq!(p.boots, 1);
    kwh_close(p.boot_energy_kwh, 0.4 / 12.0);
    assert!(common::rel(p.node_off_hours, 4.0 / 3.0 + 5.0 / 12.0) < 1e-9);
}

#[test]
fn jobs_prefer_powered_on_nodes_and_keep_on_holds_idle_nodes_on() {
    // Two nodes. A (4 devices, 0–1 h) on node 0, B (4 devices, 10 min – 3h10) on node 1. Node 0
    // is idle from 1 h and off at 1h30. C (4 devices) comes at 3h15: node 1 is on and idle,
    // so C starts there at once, without a boot.
    let down = "[power]\nidle_power_down = { after = \"30min\", off_w = 20.0, boot = \"5min\", boot_w = 400.0 }\n";
    let text = format!(
        "{}{}{}{}{down}",
        cluster(2, "5h"),
        job("A", "0s", 4, "1h"),
        job("B", "10min", 4, "3h"),
        job("C", "195min", 4, "1h")
    );
    let r = run(&text, &[]);
    assert_eq!(r.jobs[2].start_ms, Some(195 * MIN));
    assert_eq!(r.totals.power.boots, 0);
    // Node 0 off from 1h30 to the horizon (3.5 h); node 1 idle from 4h15 and off at 4h45
    // (0.25 h): 3.75 node-hours.
    assert!(common::rel(r.totals.power.node_off_hours, 3.75) < 1e-9);
    // With keep_on = 1 one idle node stays on: at 1h30 node 0 is the only idle node (node 1
    // is busy) and stays on; C at 3h15 takes node 0 (first fit, both idle); at 3h40 node 1
    // is the only idle node and stays on; C ends at 4h15 and node 0 powers off at 4h45, the
    // second idle node: 0.25 node-hours.
    let keep = down.replace("boot_w = 400.0", "boot_w = 400.0, keep_on = 1");
    let r = run(&text.replace(down, &keep), &[]);
    assert_eq!(r.jobs[2].start_ms, Some(195 * MIN));
    assert!(common::rel(r.totals.power.node_off_hours, 0.25) < 1e-9);
}

#[test]
fn a_hold_budget_delays_a_start_until_power_frees() {
    // PUE 1.25 and a 1 kW facility budget: 800 W of IT. A (2 devices, 2 h) draws 2 × 300 +
    // 2 × 50 = 700 W; B (1 device) would make 3 × 300 + 50 = 950 W, so it waits until A ends
    // at 2 h, although a device is free.
    let text = format!(
        "{}{}{}[facility]\npue = 1.25\n[power]\nbudget_kw = 1.0\n",
        cluster(1, "6h"),
        job("A", "0s", 2, "2h"),
        job("B", "1s", 1, "1h"),
    );
    let r = run(&text, &[]);
    assert_eq!(r.jobs[1].start_ms, Some(2 * H));
    let p = &r.totals.power;
    assert_eq!(p.jobs_held_for_power, 1);
    assert_eq!(p.budget_exceeded_s, 0.0);
    // The peak is A's 700 W × 1.25 = 875 W.
    assert!(common::rel(r.totals.peak_facility_kw, 0.875) < 1e-12);
    // On IT power the same kilowatt lets B start at once (950 W ≤ 1000 W).
    let r = run(
        &text.replace("budget_kw = 1.0", "budget_kw = 1.0\nbudget_on = \"it\""),
        &[],
    );
    assert_eq!(r.jobs[1].start_ms, Some(1000));
}

#[test]
fn a_capped_pool_slows_down_at_a_budget() {
    // A 1 kW IT budget in `cap` mode; A needs 4 × 300 W = 1.2 kW. Caps step by (300 − 50)/20
    // = 12.5 W from the idle floor: the highest within the limit is 50 + 16 × 12.5 = 250 W
    // (4 × 250 = 1000 W). Cube-root model: throughput (200/250)^(1/3), so 1 h of work takes
    // 3600 s × 0.8^(-1/3) = 3877.982 s.
    let text = format!(
        "{}{}[power]\nbudget_kw = 1.0\nbudget_on = \"it\"\nbudget_action = \"cap\"\n",
        cluster(1, "3h"),
        job("A", "0s", 4, "1h"),
    );
    let r = run(&text, &[]);
    let a = &r.jobs[0];
    let run_ms = (3_600_000.0 * 0.8f64.powf(-1.0 / 3.0)).round() as u64;
    assert_eq!(a.end_ms, Some(run_ms));
    assert_eq!(a.outcome, JobOutcome::Completed);
    let hours = run_ms as f64 / H as f64;
    kwh_close(a.attribution.it_energy_kwh, 1.0 * hours);
    assert!(common::rel(r.totals.peak_it_kw, 1.0) < 1e-9);
    assert!(common::rel(r.totals.power.capped_device_hours, 4.0 * hours) < 1e-9);
    assert_eq!(r.totals.power.budget_exceeded_s, 0.0);
    // The time series reports the cap: 250 W for the whole first hour.
    assert!(common::rel(r.intervals[0].power.cap_w_hours, 250.0) < 1e-9);
}

#[test]
fn a_limit_that_drops_below_what_runs_is_reported_under_hold() {
    // A demand-response event: the IT limit drops from 2 kW to 0.5 kW from 1 h to 2 h. A (4
    // devices, 0–3 h) draws 1.2 kW: under `hold` nothing can be done, so the overshoot is
    // reported: 1 h at 0.7 kW over = 0.7 kWh, 3600 s. B (1 device, submitted at 30 min, so
    // after the node is full) is not the point here.
    let events = "timestamp,limit_kw\n2024-06-01T01:00:00Z,0.5\n2024-06-01T02:00:00Z,2.0\n";
    let text = format!(
        "{}{}[power]\nbudget_kw = 2.0\nbudget = {{ file = \"dr.csv\" }}\nbudget_on = \"it\"\n",
        cluster(1, "4h"),
        job("A", "0s", 4, "3h"),
    );
    let r = run(&text, &[("dr.csv", events)]);
    let p = &r.totals.power;
    assert!(common::rel(p.budget_exceeded_s, 3600.0) < 1e-9);
    kwh_close(p.budget_exceeded_kwh, 0.7);
    assert_eq!(r.intervals[1].power.limit_kw, Some(0.5));
    assert_eq!(r.intervals[2].power.limit_kw, Some(2.0));
    // Under `cap` the caps drop at once to 0.5 kW / 4 = 125 W (50 + 6 × 12.5) and rise
    // again at 2 h: no overshoot.
    let capped = text.replace("budget_on", "budget_action = \"cap\"\nbudget_on");
    let r = run(&capped, &[("dr.csv", events)]);
    assert_eq!(r.totals.power.budget_exceeded_s, 0.0);
    assert!(common::rel(r.intervals[1].peak_it_kw, 0.5) < 1e-9);
    assert!(common::rel(r.intervals[2].peak_it_kw, 1.2) < 1e-9);
}

#[test]
fn peak_shaving_keeps_the_month_under_target_and_the_deferred_job_meets_its_deadline() {
    // PUE 1, a $10/kW-month demand charge on 15-min averages. A (3 devices, 0–4 h, no
    // deadline) draws 3 × 300 + 50 = 950 W. B (1 device, 2 h, submitted at 1 h, deadline 10 h
    // after submission) would lift it to 1.2 kW. With a 1 kW target B waits until A ends and
    // runs 4–6 h (its latest start is 1 + 10 − 2 = 9 h): the billed demand is 0.95 kW, not
    // 1.2 kW.
    let base = format!(
        "{}{}{}deadline = \"10h\"\n[tariff]\nprice_per_kwh = 0.1\n[[tariff.demand]]\nname = \"facility\"\nprice_per_kw = 10.0\n",
        cluster(1, "12h"),
        job("A", "0s", 3, "4h"),
        job("B", "1h", 1, "2h"),
    );
    let plain = run(&base, &[]);
    let shaved = run(
        &format!("{base}[power]\npeak_shaving = {{ target_kw = 1.0 }}\n"),
        &[],
    );
    assert_eq!(plain.jobs[1].start_ms, Some(H));
    assert_eq!(shaved.jobs[1].start_ms, Some(4 * H));
    assert!(!shaved.jobs[1].missed_deadline);
    assert_eq!(shaved.totals.power.jobs_held_for_shaving, 1);
    let billed = |r: &RunResult| {
        r.bill.months[0]
            .lines
            .iter()
            .find(|l| l.item == wattsim::result::LineItem::Demand)
            .map(|l| (l.quantity, l.amount, l.note.clone()))
            .unwrap()
    };
    let (kw_plain, cost_plain, _) = billed(&plain);
    let (kw_shaved, cost_shaved, note) = billed(&shaved);
    assert!(common::rel(kw_plain, 1.2) < 1e-9);
    assert!(common::rel(kw_shaved, 0.95) < 1e-9);
    // Both months are pro-rated the same way, so the charges scale with the billed kW.
    assert!(common::rel(cost_shaved / cost_plain, 0.95 / 1.2) < 1e-9);
    assert!(note.ends_with("peak-shaving target 1 kW: met"), "{note}");
    // A deadline too tight to wait (2 h 30 min after submission: latest start 1h30) is
    // never missed for shaving: B is held to its latest start, then runs.
    let tight = run(
        &format!("{base}[power]\npeak_shaving = {{ target_kw = 1.0 }}\n")
            .replace("deadline = \"10h\"", "deadline = \"150min\""),
        &[],
    );
    assert_eq!(tight.jobs[1].start_ms, Some(90 * MIN));
    assert!(!tight.jobs[1].missed_deadline);
    // The same under the backfilling policies, which remember their last pass: H (4
    // devices, from 30 min) waits for A's devices until 4 h; B may backfill (it would end at
    // 3 h, before H's reservation) but is held for shaving until its latest start, 1h30, when
    // nothing else has changed.
    for policy in ["easy-backfill", "conservative-backfill"] {
        let text = format!(
            "{}{}{}{}deadline = \"150min\"\n[scheduler]\npolicy = \"{policy}\"\n[power]\npeak_shaving = {{ target_kw = 1.0 }}\n",
            cluster(1, "12h"),
            job("A", "0s", 3, "4h"),
            job("H", "30min", 4, "1h"),
            job("B", "1h", 1, "2h"),
        );
        let r = run(&text, &[]);
        assert_eq!(r.jobs[2].start_ms, Some(90 * MIN), "{policy}");
        assert!(!r.jobs[2].missed_deadline, "{policy}");
        assert_eq!(r.jobs[1].start_ms, Some(4 * H), "{policy}");
    }
}

/// A generated cluster with every power feature on; `interval` is the output interval.
fn everything(interval: &str, action: &str) -> String {
    format!(
        r#"
[simulation]
start = "2024-06-01T00:00:00Z"
horizon = "3d"
output_interval = "{interval}"
seed = 7
[devices.d]
idle_w = 60.0
max_w = 400.0
[[pools]]
device = "d"
nodes = 6
devices_per_node = 4
host_idle_w = 200.0
host_max_w = 500.0
[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = 6.0 }}
devices = {{ values = [1, 2, 4, 8], weights = [4.0, 2.0, 1.0, 0.5] }}
duration = {{ distribution = "exponential", mean = "2h" }}
utilization = 0.8
deadline = {{ slack = "6h", share = 0.5 }}
load_profile = {{ cycle = [{{ duration = "20min", utilization = 1.0 }}, {{ duration = "10min", utilization = 0.3 }}] }}
[facility]
pue_curve = [[0.0, 1.6], [1.0, 1.2]]
[tariff]
price_per_kwh = 0.12
[[tariff.demand]]
name = "facility"
price_per_kw = 12.0
[power]
budget_kw = 9.0
budget = {{ file = "dr.csv" }}
budget_action = "{action}"
peak_shaving = {{ target_kw = 8.0, cap = true }}
idle_power_down = {{ after = "20min", off_w = 15.0, boot = "4min", boot_w = 900.0, keep_on = 1 }}
"#
    )
}

const DR: &str = "timestamp,limit_kw\n2024-06-02T14:00:00Z,6.0\n2024-06-02T18:00:00Z,9.0\n";

#[test]
fn with_every_power_feature_on_results_do_not_depend_on_the_output_interval() {
    for action in ["hold", "cap", "cap_then_hold"] {
        let a = run(&everything("1h", action), &[("dr.csv", DR)]);
        let b = run(&everything("7min", action), &[("dr.csv", DR)]);
        assert_eq!(a.events, b.events, "{action}");
        let times = |r: &RunResult| -> Vec<_> {
            r.jobs
                .iter()
                .map(|j| (j.start_ms, j.end_ms, j.outcome.clone()))
                .collect()
        };
        assert_eq!(times(&a), times(&b), "{action}");
        let (ta, tb) = (&a.totals, &b.totals);
        for (x, y) in [
            (ta.energy.it_energy_kwh, tb.energy.it_energy_kwh),
            (ta.energy.facility_energy_kwh, tb.energy.facility_energy_kwh),
            (ta.energy.cost, tb.energy.cost),
            (ta.energy.carbon_kg, tb.energy.carbon_kg),
            (ta.power.budget_exceeded_kwh, tb.power.budget_exceeded_kwh),
            (ta.power.capped_device_hours, tb.power.capped_device_hours),
            (ta.power.node_off_hours, tb.power.node_off_hours),
            (ta.power.boot_energy_kwh, tb.power.boot_energy_kwh),
        ] {
            assert!(common::rel(x, y) < 1e-9, "{action}: {x} vs {y}");
        }
        for (ma, mb) in a.bill.months.iter().zip(&b.bill.months) {
            for (la, lb) in ma.lines.iter().zip(&mb.lines) {
                assert!(common::rel(la.quantity, lb.quantity) < 1e-9, "{action}");
                assert!(common::rel(la.amount, lb.amount) < 1e-9, "{action}");
                assert_eq!(la.peak_at_ms, lb.peak_at_ms, "{action}");
            }
        }
        // Attribution adds up: jobs + idle = totals.
        let jobs: f64 = a
            .jobs
            .iter()
            .map(|j| j.attribution.facility_energy_kwh)
            .sum();
        assert!(
            common::rel(
                jobs + a.idle.facility_energy_kwh,
                ta.energy.facility_energy_kwh
            ) < 1e-9
        );
        // Every feature acted.
        let p = &ta.power;
        assert!(p.boots > 0 && p.node_off_hours > 0.0, "{action}: {p:?}");
        assert!(p.jobs_held_for_shaving > 0, "{action}: {p:?}");
        if action != "hold" {
            assert!(p.capped_device_hours > 0.0, "{action}: {p:?}");
        }
        // And the same seed gives the same run.
        let again = run(&everything("1h", action), &[("dr.csv", DR)]);
        assert_eq!(times(&a), times(&again));
        assert_eq!(a.totals, again.totals);
    }
}

/// A generated scenario for the budget property: `nodes` nodes of 4 devices (50 W idle, 300 W
/// busy, 100–400 W host), a finite workload, a constant budget `budget_kw` on `on` power.
fn budget_case(nodes: u32, rate: f64, pue: f64, budget_kw: f64, on: &str, action: &str) -> String {
    format!(
        r#"
[simulation]
start = "2024-06-01T00:00:00Z"
horizon = "20d"
output_interval = "30min"
[devices.d]
idle_w = 50.0
max_w = 300.0
[[pools]]
device = "d"
nodes = {nodes}
devices_per_node = 4
host_idle_w = 100.0
host_max_w = 400.0
[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = {rate} }}
devices = {{ values = [1, 2, 4], weights = [3.0, 2.0, 1.0] }}
duration = {{ distribution = "exponential", mean = "1h" }}
utilization = 0.9
max_jobs = 60
[facility]
pue = {pue}
[power]
budget_kw = {budget_kw}
budget_on = "{on}"
budget_action = "{action}"
"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn the_budget_holds_in_every_interval_when_the_action_can_comply(
        nodes in 1u32..5,
        rate in 1.0f64..12.0,
        pue in 1.0f64..1.8,
        room in 0.3f64..1.0,
        facility in any::<bool>(),
        action in 0usize..3,
    ) {
        // Floor: every device at idle and every host at full draw (caps cannot go lower);
        // full: every device busy. The budget lies `room` of the way from floor (plus 30 % of
        // the devices' range, so capped work still moves) to full, so `cap` can always comply,
        // and `hold` and `cap_then_hold` (whose idle draw is under it) too.
        let n = nodes as f64;
        let floor_kw = n * (4.0 * 50.0 + 400.0) / 1000.0;
        let full_kw = n * (4.0 * 300.0 + 400.0) / 1000.0;
        let low = floor_kw + 0.3 * (full_kw - floor_kw);
        let it_budget = low + room * (full_kw - low);
        let (on, budget) = if facility { ("facility", it_budget * pue) } else { ("it", it_budget) };
        let action = ["hold", "cap", "cap_then_hold"][action];
        let r = run(&budget_case(nodes, rate, pue, budget, on, action), &[]);
        prop_assert_eq!(r.totals.power.budget_exceeded_s, 0.0);
        for iv in &r.intervals {
            let peak = if facility { iv.peak_facility_kw } else { iv.peak_it_kw };
            prop_assert!(peak <= budget * (1.0 + 1e-9), "{peak} kW over {budget} kW");
        }
        // When capacity allows every job (under `cap` always; under `cap_then_hold` when a
        // whole node fits at the floor cap of 150 W: 4 × 150 + 400 W per node), all 60
        // complete well within 20 days.
        if action == "cap" || (action == "cap_then_hold" && it_budget >= n * 1.0) {
            let done = r.jobs.iter().filter(|j| j.outcome == JobOutcome::Completed).count();
            prop_assert_eq!(done, r.jobs.len());
        }
    }
}

#[test]
fn bad_power_settings_are_named_with_a_fix() {
    use crate::bad_input::{GOOD, expect_error_with};
    let with = |power: &str| format!("{GOOD}\n[power]\n{power}\n");
    let cases: &[(&str, &[&str])] = &[
        ("budget_kw = -5.0", &["power.budget_kw", "-5", "at least 0"]),
        ("budget_kw = nan", &["power.budget_kw", "finite"]),
        (
            "budget_kw = 100.0\nbudget_action = \"caps\"",
            &["power.budget_action", "\"caps\"", "did you mean \"cap\""],
        ),
        (
            "budget_kw = 100.0\nbudget_on = \"building\"",
            &["power.budget_on", "\"facility\"", "\"it\""],
        ),
        (
            "budget_on = \"it\"",
            &["power.budget_on", "no power budget"],
        ),
        (
            "budget_kw = 100.0\ncap_floor = 0.3",
            &["power.cap_floor", "never caps"],
        ),
        (
            "budget_kw = 100.0\nbudget_action = \"cap\"\ncap_floor = 1.5",
            &["power.cap_floor", "between 0 and 1"],
        ),
        (
            "budget_kw = 100.0\nbudget_kwh = 3.0",
            &["budget_kwh", "budget_kw"],
        ),
        (
            "peak_shaving = { target_kw = 0.0 }",
            &["power.peak_shaving.target_kw", "0"],
        ),
        (
            "idle_power_down = { after = \"0s\", off_w = 10.0, boot = \"1min\", boot_w = 100.0 }",
            &["power.idle_power_down.after", "\"0s\"", "30min"],
        ),
        (
            "idle_power_down = { after = \"30min\", off_w = -1.0, boot = \"1min\", boot_w = 100.0 }",
            &["power.idle_power_down.off_w", "-1"],
        ),
        (
            "idle_power_down = { after = \"30min\", off_w = 10.0, boot = \"1min\", boot_w = 100.0, pools = [\"mian\"] }",
            &["power.idle_power_down.pools[0]", "\"mian\"", "main"],
        ),
        (
            "budget = { file = \"missing.csv\" }",
            &["power.budget.file", "missing.csv"],
        ),
        // `train` (4 devices of 300 W busy, host 200 W per 4-device node: 4 × (300 + 50) =
        // 1.4 kW) can never start under a 1 kW budget that holds.
        (
            "budget_kw = 1.0",
            &["jobs[0]", "\"train\"", "1.400 kW", "could never start"],
        ),
    ];
    for (power, needles) in cases {
        expect_error_with(&[], Some(&with(power)), needles);
    }
    // A limit series with a bad row names the file, the line and the value; one that starts
    // after the run without a constant limit for before says how to fix it.
    let bad_row = "timestamp,limit_kw\n2024-01-01T00:00:00Z,50\n2024-01-01T06:00:00Z,lots\n";
    expect_error_with(
        &[("dr.csv", bad_row)],
        Some(&with("budget = { file = \"dr.csv\" }")),
        &["dr.csv:3", "limit_kw", "\"lots\""],
    );
    let late = "timestamp,limit_kw\n2024-01-01T06:00:00Z,50\n";
    expect_error_with(
        &[("dr.csv", late)],
        Some(&with("budget = { file = \"dr.csv\" }")),
        &["dr.csv", "does not cover"],
    );
}

#[test]
fn a_draw_at_a_large_limit_is_within_it_despite_rounding() {
    // 130 devices of 1 MW idle draw: 1.3e14 µW, which reads as 130,000.00000000001 kW
    // (1.3e14 × 1e-9 rounds up by 1.5e-11 kW). At a 130,000 kW IT budget the draw is at the
    // limit, not over it: the tolerance is 1e-9 of the limit (1.3e-4 kW), so an hour at the
    // limit counts no time and no energy beyond it.
    let text = r#"
[simulation]
start = "2024-06-01T00:00:00Z"
horizon = "1h"

[devices.block]
idle_w = 1000000.0
max_w = 1000000.0

[[pools]]
device = "block"
nodes = 1
devices_per_node = 130

[power]
budget_kw = 130000.0
budget_on = "it"
"#;
    let r = run(text, &[]);
    assert!(r.totals.energy.it_energy_kwh > 130_000.0);
    assert_eq!(r.totals.power.budget_exceeded_s, 0.0);
    assert_eq!(r.totals.power.budget_exceeded_kwh, 0.0);
}
