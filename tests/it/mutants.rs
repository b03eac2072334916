//! Behaviours a mutation campaign found untested, each checked where a user sees it: a
//! partial demand interval's average and the pro-rated demand amount, a ratchet's look-back
//! window, pools tried in file order, the trace `min_devices` filter, and sweep seeds
//! (replications differ, points share them — the common random numbers the README promises),
//! a job's cost after a spell of zero IT power (the meter's per-kW integrals), demand
//! intervals on a local clock off the hour, the date of a peak reached twice, and hours-use
//! energy tiered where it fell in the month.

use crate::common;

/// Writes `files` into a fresh folder and runs `wattsim` there; panics on failure.
fn wattsim_ok(files: &[(&str, &str)], args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let o = common::wattsim(args, dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

/// Runs `wattsim bill` on the meter file text `meter` and the tariff text `tariff`, into `b/`.
fn bill(meter: &str, tariff: &str) -> tempfile::TempDir {
    wattsim_ok(
        &[("m.csv", meter), ("t.toml", tariff)],
        &[
            "bill", "--load", "m.csv", "--tariff", "t.toml", "--out", "b",
        ],
    )
}

/// `bill.csv` rows of `item` named `name`.
fn bill_lines(dir: &std::path::Path, item: &str, name: &str) -> Vec<(String, f64, f64)> {
    common::csv_rows(&dir.join("b/bill.csv"))
        .into_iter()
        .filter(|r| r["item"] == item && r["name"] == name)
        .map(|r| {
            (
                r["month"].clone(),
                r["quantity"].parse().unwrap(),
                r["amount"].parse().unwrap(),
            )
        })
        .collect()
}

/// `meter` billed on a tariff of free energy and one demand charge, `facility` at 10 per kW,
/// with `settings` (e.g. a demand interval) added to `[tariff]`: the one demand line (month,
/// billed kW, amount).
fn facility_demand(meter: &str, settings: &str) -> (String, f64, f64) {
    let tariff = format!(
        "[tariff]\nprice_per_kwh = 0.0\n{settings}[[tariff.demand]]\nname = \"facility\"\nprice_per_kw = 10.0\n"
    );
    let dir = bill(meter, &tariff);
    let mut lines = bill_lines(dir.path(), "demand", "facility");
    assert_eq!(lines.len(), 1, "{lines:?}");
    lines.remove(0)
}

#[test]
fn a_partial_first_interval_is_averaged_over_its_simulated_part_and_demand_is_pro_rated() {
    // A meter from 10:05 on 3 June 2024: 900 kW for 10 minutes, then 600 kW to 11:15. On
    // 15-minute demand the first interval is 10:05–10:15, averaged over the 10 minutes that
    // were metered: 900 kW (over the whole 15 minutes it would read 600). The month is
    // covered for 70 of 30 × 1,440 = 43,200 minutes, so 900 kW × 10 per kW-month is billed
    // × 70 / 43,200 = 14.583333….
    let mut meter = String::from("timestamp,kw\n");
    for (i, kw) in [900.0, 900.0].iter().chain([600.0; 12].iter()).enumerate() {
        let minute = 5 + 5 * i;
        meter.push_str(&format!(
            "2024-06-03 {:02}:{:02},{kw}\n",
            10 + minute / 60,
            minute % 60
        ));
    }
    let (_, kw, amount) = facility_demand(&meter, "");
    assert!((kw - 900.0).abs() < 1e-9, "{kw}");
    assert!(
        (amount - 900.0 * 10.0 * 70.0 / 43_200.0).abs() < 1e-9,
        "{amount}"
    );
}

#[test]
fn a_ratchet_looks_back_only_over_its_window() {
    // Hourly: 1,000 kW through April, then 100 kW through May and June, on hourly demand at
    // 10 per kW-month with a ratchet of 80 % of the previous 1 month. May's floor is 80 % of
    // April's 1,000 kW = 800 kW; June's looks back at May only: 80 kW, below its own 100 kW,
    // so June bills 100 kW (a ratchet over all past months would bill 800).
    let mut meter = String::from("timestamp,kw\n");
    let start = chrono::NaiveDate::from_ymd_opt(2024, 4, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for h in 0..(30 + 31 + 30) * 24 {
        let t = start + chrono::Duration::hours(h);
        let kw = if h < 30 * 24 { 1000.0 } else { 100.0 };
        meter.push_str(&format!("{},{kw}\n", t.format("%Y-%m-%d %H:%M")));
    }
    let tariff = "[tariff]\nprice_per_kwh = 0.0\ndemand_interval = \"60min\"\n[[tariff.demand]]\nname = \"facility\"\nprice_per_kw = 10.0\nratchet = { share = 0.8, months = 1 }\n";
    let dir = bill(&meter, tariff);
    let billed: Vec<(String, f64)> = bill_lines(dir.path(), "demand", "facility")
        .into_iter()
        .map(|(m, kw, _)| (m, kw))
        .collect();
    assert_eq!(
        billed,
        vec![
            ("2024-04".to_string(), 1000.0),
            ("2024-05".to_string(), 800.0),
            ("2024-06".to_string(), 100.0)
        ]
    );
}

/// Two identical pools, `first` then `second`, of one 8-GPU node each, and `jobs`.
fn two_pools(jobs: &str) -> String {
    format!(
        r#"
[simulation]
start = "2024-06-03T00:00:00Z"
horizon = "4h"

[[pools]]
name = "first"
device = "A100-SXM4-80GB"
nodes = 1
devices_per_node = 8
host_max_w = 0.0

[[pools]]
name = "second"
device = "A100-SXM4-80GB"
nodes = 1
devices_per_node = 8
host_max_w = 0.0

{jobs}
"#
    )
}

#[test]
fn pools_are_tried_in_file_order() {
    // Three 8-GPU jobs at once on two free one-node pools: the first goes to the pool listed
    // first, the second to the other, the third waits for the first to finish (1 h).
    let jobs = (0..3)
        .map(|i| format!("[[jobs]]\nname = \"j{i}\"\ndevices = 8\nduration = \"1h\"\n"))
        .collect::<String>();
    let dir = wattsim_ok(
        &[("s.toml", &two_pools(&jobs))],
        &["run", "s.toml", "--out", "o", "--no-charts", "-q"],
    );
    let rows = common::csv_rows(&dir.path().join("o/jobs.csv"));
    let placed: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["name"].as_str(), r["pool"].as_str(), r["wait_s"].as_str()))
        .collect();
    assert_eq!(
        placed,
        vec![
            ("j0", "first", "0"),
            ("j1", "second", "0"),
            ("j2", "first", "3600")
        ]
    );
}

#[test]
fn the_trace_min_devices_filter_drops_smaller_rows() {
    // The shipped sample trace (scenarios/traces/sample-trace.csv) has ten rows: j3 (no
    // runtime), j5 (0 GPUs), j7 (submitted before the row above it) and j8 (negative
    // runtime) are skipped either way, leaving j1 (8 GPUs), j2 (1), j4 (16), j6 (4), j9 (64)
    // and j10 (2): 6 rows. With min_devices = 8, j2, j6, j10 and j7 (1 GPU: filtered before
    // its order is checked) are skipped by the filter, 4 rows, and j1, j4 and j9 replayed.
    let root = common::root();
    let sample = std::fs::read_to_string(root.join("scenarios/traces/sample-trace.csv")).unwrap();
    let scenario = |filter: &str| {
        format!(
            r#"
[simulation]
start = "2024-06-03T00:00:00Z"
horizon = "30d"

[[pools]]
device = "A100-SXM4-80GB"
nodes = 4
devices_per_node = 8
host_max_w = 0.0

[[traces]]
file = "trace.csv"
submit_column = "submit_s"
devices_column = "gpus"
duration_column = "runtime_s"
time_unit = "s"
{filter}
"#
        )
    };
    let summary = |filter: &str| {
        let dir = wattsim_ok(
            &[("trace.csv", &sample), ("s.toml", &scenario(filter))],
            &["run", "s.toml", "--out", "o", "--no-charts", "-q"],
        );
        let s: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("o/summary.json")).unwrap(),
        )
        .unwrap();
        s
    };
    let filtered_out = |s: &serde_json::Value| {
        s["trace_skips"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["reason"] == "fewer devices than min_devices")
            .map(|k| k["rows"].as_u64().unwrap())
            .sum::<u64>()
    };
    let all = summary("");
    assert_eq!(all["trace_rows_used"], 6);
    assert_eq!(filtered_out(&all), 0);
    let big = summary("min_devices = 8");
    assert_eq!(big["trace_rows_used"], 3);
    assert_eq!(big["jobs_submitted"], 3);
    assert_eq!(filtered_out(&big), 4);
}

#[test]
fn sweep_replications_differ_and_points_share_their_seeds() {
    // Two points (PUE 1.1 and 1.5) × 3 replications of a Poisson workload. Within a point
    // each replication has its own seed and so its own arrivals (jobs submitted differ);
    // replication r has the same seed, and the same arrivals, at both points (common random
    // numbers: the points differ by their settings, not by their luck).
    let text = r#"
[sweep]
replications = 3
"facility.pue" = [1.1, 1.5]

[simulation]
start = "2024-06-03T00:00:00Z"
horizon = "2d"
seed = 21

[[pools]]
device = "A100-SXM4-80GB"
nodes = 2
devices_per_node = 8
host_max_w = 0.0

[[workloads]]
arrival = { process = "poisson", rate_per_hour = 3.0 }
devices = 1
duration = { distribution = "exponential", mean = "1h" }
"#;
    let dir = wattsim_ok(
        &[("s.toml", text)],
        &["sweep", "s.toml", "--out", "o", "--no-charts", "-q"],
    );
    let rows = common::csv_rows(&dir.path().join("o/sweep.csv"));
    assert_eq!(rows.len(), 6);
    let run = |point: &str, rep: &str| {
        rows.iter()
            .find(|r| r["point"] == point && r["replication"] == rep)
            .map(|r| (r["seed"].clone(), r["jobs_submitted"].clone()))
            .unwrap()
    };
    for rep in ["0", "1", "2"] {
        assert_eq!(run("0", rep), run("1", rep), "replication {rep}");
    }
    let seeds: std::collections::BTreeSet<String> =
        ["0", "1", "2"].iter().map(|r| run("0", r).0).collect();
    assert_eq!(seeds.len(), 3, "{seeds:?}");
    assert_eq!(
        run("0", "0").0,
        "21",
        "replication 0 runs the scenario's own seed"
    );
    let jobs: std::collections::BTreeSet<String> =
        ["0", "1", "2"].iter().map(|r| run("0", r).1).collect();
    assert!(
        jobs.len() > 1,
        "every replication drew the same arrivals: {jobs:?}"
    );
}

#[test]
fn a_job_after_a_spell_of_zero_it_power_is_charged_its_own_energy() {
    // A device that draws nothing idle (idle_w = 0, max_w = 1,000 W) and no host: the
    // cluster draws 0 kW until the one job runs at full load from 2 h to 3 h. IT energy
    // 1 kW × 1 h = 1 kWh; facility 1.5 kWh (PUE 1.5); cost 1.5 × 0.10 = 0.15; carbon
    // 1.5 × 0.4 = 0.6 kg. The job's share is the difference of running integrals taken per
    // kW of IT power, which a spell at 0 kW must leave as it is (0 / 0 would make it NaN).
    let r = common::run_with_files(
        r#"
[simulation]
start = "2025-01-01T00:00:00Z"
horizon = "4h"
[devices.dark]
idle_w = 0.0
max_w = 1000.0
[[pools]]
device = "dark"
nodes = 1
devices_per_node = 1
host_max_w = 0.0
[[jobs]]
submit = "2h"
devices = 1
duration = "1h"
[facility]
pue = 1.5
[tariff]
price_per_kwh = 0.10
[carbon]
intensity_g_per_kwh = 400.0
"#,
        &[],
        1,
    );
    let a = &r.jobs[0].attribution;
    assert!((a.it_energy_kwh - 1.0).abs() < 1e-12, "{a:?}");
    assert!((a.facility_energy_kwh - 1.5).abs() < 1e-12, "{a:?}");
    assert!((a.cost - 0.15).abs() < 1e-12, "{a:?}");
    assert!((a.carbon_kg - 0.6).abs() < 1e-12, "{a:?}");
    assert!((r.totals.energy.cost - 0.15).abs() < 1e-12);
}

/// A meter file of 15-minute rows from 2024-06-03T00:00Z, one per value [kW].
fn quarter_hours(kw: &[f64]) -> String {
    let mut meter = String::from("timestamp,kw\n");
    for (i, kw) in kw.iter().enumerate() {
        meter.push_str(&format!(
            "2024-06-03T{:02}:{:02}:00Z,{kw}\n",
            i / 4,
            15 * (i % 4)
        ));
    }
    meter
}

/// `[tariff]` settings: Kathmandu's clock (UTC+05:45, no daylight saving), 60-minute demand.
const KATHMANDU_HOURLY: &str = "time_zone = \"Asia/Kathmandu\"\ndemand_interval = \"60min\"\n";

#[test]
fn demand_intervals_follow_the_local_clock_where_it_is_off_the_hour() {
    // Kathmandu is UTC+05:45 (no daylight saving), so its clock hours begin at UTC xx:15.
    // 100 kW from 00:15 to 01:15 UTC (06:00–07:00 local) fills one local hour: 60-minute
    // demand reads 100 kW. Hours counted from UTC xx:45 would read half of it in each.
    let meter = quarter_hours(&[0.0, 100.0, 100.0, 100.0, 100.0, 0.0, 0.0, 0.0]);
    let (_, kw, _) = facility_demand(&meter, KATHMANDU_HOURLY);
    assert!((kw - 100.0).abs() < 1e-9, "{kw}");
}

#[test]
fn a_constant_hour_is_split_at_the_local_clock_hour_it_crosses() {
    // Hourly meter rows in Kathmandu (UTC+05:45): 100 kW from 01:00 to 02:00 UTC, nothing
    // before or after. 60-minute demand intervals begin at UTC xx:15, so the hour
    // [00:15, 01:15) holds 45 min at 100 kW (75 kW average) and [01:15, 02:15) holds 15 min
    // (25 kW). The month's peak is 75 kW; a row priced whole in the interval where it starts
    // would read 100 kW.
    let meter = "timestamp,kw\n2024-06-03T00:00:00Z,0\n2024-06-03T01:00:00Z,100\n2024-06-03T02:00:00Z,0\n2024-06-03T03:00:00Z,0\n";
    let (_, kw, _) = facility_demand(meter, KATHMANDU_HOURLY);
    assert!((kw - 75.0).abs() < 1e-9, "{kw}");
}

#[test]
fn five_minute_demand_reads_the_peak_of_five_minutes() {
    // 5-minute meter rows: 100 kW from 00:00 to 00:05, then 0 to 00:20. With 5-minute demand
    // intervals the first interval averages 100 kW: the peak. An interval closed only at the
    // quarter-hour would average the 100 kW over 15 minutes: 33.3 kW.
    let meter = "timestamp,kw\n2024-06-03T00:00:00Z,100\n2024-06-03T00:05:00Z,0\n2024-06-03T00:10:00Z,0\n2024-06-03T00:15:00Z,0\n";
    let (_, kw, _) = facility_demand(meter, "demand_interval = \"5min\"\n");
    assert!((kw - 100.0).abs() < 1e-9, "{kw}");
}

#[test]
fn a_peak_reached_twice_is_dated_by_its_first_interval() {
    // 100 kW in the 00:00 and the 00:30 quarter-hours (0 between and after): the month's
    // peak is 100 kW, set first by the interval starting at 00:00.
    let meter = quarter_hours(&[100.0, 0.0, 100.0, 0.0]);
    let tariff = "[tariff]\nprice_per_kwh = 0.0\n[[tariff.demand]]\nname = \"facility\"\nprice_per_kw = 10.0\n";
    let dir = bill(&meter, tariff);
    let row = common::csv_rows(&dir.path().join("b/bill.csv"))
        .into_iter()
        .find(|r| r["item"] == "demand" && r["name"] == "facility")
        .expect("a demand line");
    assert_eq!(row["quantity"], "100");
    assert_eq!(row["peak_at"], "2024-06-03T00:00:00Z");
}

#[test]
fn hours_use_energy_is_tiered_where_it_fell_in_the_month() {
    // 100 kW for three hours, UTC: hours 0 and 2 are period `a` (hours-use tiers: 2 kWh per
    // kW of billed demand at 0.10, beyond at 0.20), hour 1 is `b` (free). Billed demand is
    // 100 kW, so the bound is 200 kWh of the month. `a`'s first 100 kWh are the month's
    // 0–100 (0.10 → 10); its second 100 kWh come after `b`'s, the month's 200–300 (0.20 →
    // 20): 30 in all. Run together as if `b` had not come between, they would be 0–200 at
    // 0.10: 20.
    let meter = quarter_hours(&[100.0; 12]);
    let tariff = "[tariff]\n[[tariff.periods]]\nname = \"a\"\nhours = [[0, 1], [2, 3]]\ntiers = [{ up_to_kwh_per_kw = 2, price_per_kwh = 0.10 }, { price_per_kwh = 0.20 }]\n[[tariff.periods]]\nname = \"b\"\nprice_per_kwh = 0.0\n";
    let dir = bill(&meter, tariff);
    let tiers: Vec<(String, String, String)> = common::csv_rows(&dir.path().join("b/bill.csv"))
        .into_iter()
        .filter(|r| r["item"] == "energy" && r["name"] == "a")
        .map(|r| {
            (
                r["tier"].clone(),
                r["quantity"].clone(),
                r["amount"].clone(),
            )
        })
        .collect();
    let row = |t: &str, q: &str, a: &str| (t.to_string(), q.to_string(), a.to_string());
    assert_eq!(tiers, vec![row("1", "100", "10"), row("2", "100", "20")]);
}
