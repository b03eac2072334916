//! Workloads for capacity planning: hardware-independent job sizes across devices, FLOPs at
//! MFU, arrival profiles, batches, Weibull and empirical durations, tenants.

use crate::common;

use wattsim::report::Summary;

const POOL: &str = r#"
[simulation]
start = "2024-01-01T00:00:00Z"   # a Monday
horizon = "{HORIZON}"
seed = 3
output_interval = "1d"

[[pools]]
device = "{DEVICE}"
nodes = {NODES}
devices_per_node = 8
"#;

fn scenario(device: &str, nodes: u32, horizon: &str, rest: &str) -> wattsim::Scenario {
    let text = POOL
        .replace("{DEVICE}", device)
        .replace("{NODES}", &nodes.to_string())
        .replace("{HORIZON}", horizon)
        + rest;
    common::scenario(&text)
}

#[test]
fn a_reference_runtime_follows_the_throughput_ratio() {
    // 10 h on the reference A100 (312 dense TFLOPS in the catalog). On an H100 (989 TFLOPS)
    // the same job takes 10 × 312 / 989 = 3.15470 h; the ratio of run times is 989 / 312.
    let job = "[[jobs]]\ndevices = 8\nduration = \"10h\"\nreference_device = \"A100-SXM4-80GB\"\n";
    let a100 = wattsim::run(&scenario("A100-SXM4-80GB", 1, "1d", job), 1);
    let h100 = wattsim::run(&scenario("H100-SXM5-80GB", 1, "1d", job), 1);
    let (ta, th) = (
        a100.jobs[0].duration_ms as f64,
        h100.jobs[0].duration_ms as f64,
    );
    assert_eq!(ta, 36_000_000.0);
    assert!((ta / th - 989.0 / 312.0).abs() < 1e-6, "{}", ta / th);
    // Energy of the job at full load: A100 8 × 0.4 kW × 10 h = 32 kWh;
    // H100 8 × 0.7 kW × 3.15470 h = 17.6663 kWh.
    let ea = a100.jobs[0].attribution.it_energy_kwh;
    let eh = h100.jobs[0].attribution.it_energy_kwh;
    assert!((ea - 32.0).abs() < 1e-9);
    assert!((eh - 8.0 * 0.7 * th / 3.6e6).abs() < 1e-9, "{eh}");
    // A per-job override for memory-bound work: H100 only 1.5× an A100 → 6.667 h.
    let job = format!(
        "{job}relative_throughput = {{ \"A100-SXM4-80GB\" = 1.0, \"H100-SXM5-80GB\" = 1.5 }}\n"
    );
    let h = wattsim::run(&scenario("H100-SXM5-80GB", 1, "1d", &job), 1);
    assert_eq!(h.jobs[0].duration_ms, 24_000_000);
}

#[test]
fn a_flops_sized_job() {
    // 1e21 FLOP on 8 A100s (312 TFLOPS) at 50 % MFU: 1e21 / (8 × 312e12 × 0.5) = 801,282.05 s.
    let job = "[[jobs]]\ndevices = 8\nflops = 1e21\nmfu = 0.5\n";
    let r = wattsim::run(&scenario("A100-SXM4-80GB", 1, "30d", job), 1);
    let expected_ms = 1e21 / (8.0 * 312e12 * 0.5) * 1000.0;
    assert!((r.jobs[0].duration_ms as f64 - expected_ms).abs() <= 0.5);
}

#[test]
fn an_hourly_and_weekly_profile_is_reproduced() {
    // 8 weeks, base rate 10 jobs/h; hours 0–7 at 0.5, 8–17 at 2, 18–23 at 1; weekends at 0.5.
    // Expected arrivals in hour-of-day h: rate × factor_h × (40 weekdays × 1 + 16 weekend days
    // × 0.5) = 10 × f_h × 48. The smallest bucket expects 240 (s.d. √240 ≈ 15.5); each
    // bucket must lie within 4.5 s.d. — for 24 buckets a false failure has probability
    // ≈ 24 × 7e-6 ≈ 2e-4, and the seed is fixed.
    let mut hourly = vec![0.5; 8];
    hourly.extend(vec![2.0; 10]);
    hourly.extend(vec![1.0; 6]);
    let rest = format!(
        "[[workloads]]\narrival = {{ process = \"profile\", rate_per_hour = 10.0, hourly = {hourly:?}, weekly = [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5] }}\ndevices = 1\nduration = {{ distribution = \"fixed\", value = \"1min\" }}\n"
    );
    let r = wattsim::run(&scenario("L4", 10, "56d", &rest), 7);
    let mut counts = [0f64; 24];
    let mut weekend = 0f64;
    for j in &r.jobs {
        let hour = (j.submit_ms / 3_600_000) % 24;
        counts[hour as usize] += 1.0;
        let day = (j.submit_ms / 86_400_000) % 7; // 0 = Monday
        if day >= 5 {
            weekend += 1.0;
        }
    }
    for (h, c) in counts.iter().enumerate() {
        let expected = 10.0 * hourly[h] * 48.0;
        assert!(
            (c - expected).abs() < 4.5 * expected.sqrt(),
            "hour {h}: {c} vs {expected}"
        );
    }
    // Weekend share: 16 × 0.5 / 48 = 1/6 of all arrivals.
    let share = weekend / r.jobs.len() as f64;
    assert!((share - 1.0 / 6.0).abs() < 0.02, "{share}");
}

/// Jobs submitted in the second growth month (30.4375 d) over those in the first, for a run of
/// two such months.
fn second_month_over_first(r: &wattsim::RunResult) -> f64 {
    let month_ms = 30.4375 * 86_400_000.0;
    let m1 = r
        .jobs
        .iter()
        .filter(|j| (j.submit_ms as f64) < month_ms)
        .count() as f64;
    (r.jobs.len() as f64 - m1) / m1
}

#[test]
fn growth_and_batches() {
    // Growth 100 %/month: the rate in the second 30.4375 days is twice the first on average,
    // so arrivals in month 2 / month 1 = (∫₁² 2^m dm) / (∫₀¹ 2^m dm) = 2. With ~2,000
    // arrivals in month 1 the ratio's s.d. is ≈ 0.06; ±0.25 is > 4 s.d.
    let rest = "[[workloads]]\narrival = { process = \"profile\", rate_per_hour = 2.0, growth_per_month = 1.0 }\nbatch = 4\ndevices = 1\nduration = { distribution = \"fixed\", value = \"1min\" }\n";
    let r = wattsim::run(&scenario("L4", 10, "60.875d", rest), 5);
    let ratio = second_month_over_first(&r);
    assert!((ratio - 2.0).abs() < 0.25, "{ratio}");
    // Jobs come in batches of 4 with one submit time.
    for chunk in r.jobs.chunks(4) {
        assert!(chunk.iter().all(|j| j.submit_ms == chunk[0].submit_ms));
    }
    assert_eq!(r.jobs.len() % 4, 0);
}

#[test]
fn poisson_and_mmpp_arrivals_grow_too() {
    // The same doubling a month on a Poisson process (2/h, batches of 4: ~1,460 arrivals in
    // month 1, so the ratio's s.d. ≈ 2 × √(1/1460 + 1/2920) ≈ 0.064) and on a Markov-
    // modulated one (quiet 1/h for a mean 0.9 h, busy 11/h for 0.1 h: long-run 2/h; ~730
    // busy spells a month add ≈ 2 % to each month's count, ratio s.d. ≈ 0.09): month 2 /
    // month 1 = 2 for both, and ±0.4 is over 4 s.d.
    for arrival in [
        "{ process = \"poisson\", rate_per_hour = 2.0, growth_per_month = 1.0 }",
        "{ process = \"mmpp\", quiet_rate_per_hour = 1.0, busy_rate_per_hour = 11.0, mean_quiet = \"54min\", mean_busy = \"6min\", growth_per_month = 1.0 }",
    ] {
        let rest = format!(
            "[[workloads]]\narrival = {arrival}\nbatch = 4\ndevices = 1\nduration = {{ distribution = \"fixed\", value = \"1min\" }}\n"
        );
        let r = wattsim::run(&scenario("L4", 10, "60.875d", &rest), 5);
        let ratio = second_month_over_first(&r);
        assert!((ratio - 2.0).abs() < 0.4, "{arrival}: {ratio}");
    }
}

#[test]
fn weibull_and_empirical_durations() {
    // Empirical: observed 1..=1000 s; sampled durations have median ≈ 500.5 s and
    // p90 ≈ 900.1 s; with 20,000 draws both are within 3 %.
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (1..=1000).map(|s| format!("{s}\n")).collect();
    std::fs::write(dir.path().join("rt.csv"), format!("runtime\n{rows}")).unwrap();
    let text = POOL
        .replace("{DEVICE}", "L4")
        .replace("{NODES}", "5000")
        .replace("{HORIZON}", "100d")
        + "[[workloads]]\narrival = { process = \"poisson\", rate_per_hour = 100.0 }\nmax_jobs = 20000\ndevices = 1\nduration = { distribution = \"empirical\", file = \"rt.csv\", column = \"runtime\", unit = \"s\" }\n";
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let s = wattsim::scenario::load(&dir.path().join("s.toml")).unwrap();
    let r = wattsim::run(&s.scenario, 2);
    let d = common::sorted_durations_s(&r);
    let q = |p: f64| common::quantile(&d, p);
    assert_eq!(d.len(), 20_000);
    assert!((q(0.5) / 500.5 - 1.0).abs() < 0.03, "{}", q(0.5));
    assert!((q(0.9) / 900.1 - 1.0).abs() < 0.03, "{}", q(0.9));
    // Weibull with shape 2 and scale 1 h: median = λ (ln 2)^(1/2) = 0.8326 h.
    let rest = "[[workloads]]\narrival = { process = \"poisson\", rate_per_hour = 100.0 }\nmax_jobs = 20000\ndevices = 1\nduration = { distribution = \"weibull\", shape = 2.0, scale = \"1h\" }\n";
    let r = wattsim::run(&scenario("L4", 5000, "100d", rest), 2);
    let median = common::quantile(&common::sorted_durations_s(&r), 0.5) / 3600.0;
    assert!((median / 2f64.ln().sqrt() - 1.0).abs() < 0.03, "{median}");
}

#[test]
fn tenants_add_up_to_the_totals() {
    let rest = r#"
[[jobs]]
devices = 8
duration = "5h"

[[workloads]]
tenant = "team-a"
arrival = { process = "poisson", rate_per_hour = 3.0 }
devices = 2
duration = { distribution = "exponential", mean = "2h" }

[[workloads]]
tenant = "team-b"
arrival = { process = "poisson", rate_per_hour = 2.0 }
devices = 4
duration = { distribution = "exponential", mean = "3h" }
[tariff]
price_per_kwh = 0.1
[carbon]
intensity_g_per_kwh = 300.0
"#;
    let r = wattsim::run(&scenario("A100-SXM4-80GB", 4, "3d", rest), 9);
    let s = Summary::from_result(&r);
    let csv = String::from_utf8(wattsim::report::tenants::to_csv(&r).unwrap()).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut names = vec![];
    let (mut kwh, mut cost, mut co2) = (0.0, 0.0, 0.0);
    for row in reader.records() {
        let row = row.unwrap();
        names.push(row[0].to_string());
        kwh += row[3].parse::<f64>().unwrap();
        cost += row[5].parse::<f64>().unwrap();
        co2 += row[6].parse::<f64>().unwrap();
    }
    assert_eq!(
        names,
        ["team-a", "team-b", "(no tenant)", "(idle capacity)"]
    );
    assert!(common::rel(kwh, s.it_energy_kwh) < 1e-9);
    assert!(common::rel(cost, s.energy_cost) < 1e-9);
    assert!(common::rel(co2, s.carbon_kg) < 1e-9);
}

#[test]
fn a_power_cap_clips_power_and_slows_the_job() {
    // Device 50 W idle, 400 W max, capped at 225 W; a 1 h job at full load. Cube-root model:
    // throughput ((225 − 50) / (400 − 50))^(1/3) = 0.5^(1/3) → wall 2^(1/3) h = 1.259921 h;
    // energy 0.225 kW × 1.259921 h = 0.283482 kWh, against 0.4 kWh uncapped.
    let text = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "1d"
[devices.g]
idle_w = 50.0
max_w = 400.0
[[pools]]
device = "g"
nodes = 1
devices_per_node = 1
power_cap_w = 225.0
[[jobs]]
devices = 1
duration = "1h"
"#;
    let r = wattsim::run(&common::scenario(text), 1);
    let job = &r.jobs[0];
    assert_eq!(
        job.duration_ms,
        wattsim::time::round_u64(3.6e6 * 2f64.cbrt())
    );
    assert_eq!(job.power_uw, 225_000_000);
    // The wall time is rounded to the millisecond (4,535,716 ms); energy follows it exactly.
    let hours = job.duration_ms as f64 / 3.6e6;
    assert!((job.attribution.it_energy_kwh - 0.225 * hours).abs() < 1e-12);
    assert!((hours - 2f64.cbrt()).abs() < 0.5 / 3.6e6);
}

#[test]
fn a_load_profile_swings_power_as_training_does() {
    // One device, 100 W idle, 500 W max (linear). 65 min job: 5 min loading at 0.25 (200 W),
    // then cycles of 28 min at 0.75 (400 W) and a 2 min checkpoint at 0.0 (100 W):
    // 200 × 5 + 400 × 28 + 100 × 2 + 400 × 28 + 100 × 2 = 23,800 W·min = 0.396667 kWh.
    let text = |horizon: &str| {
        format!(
            r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "{horizon}"
output_interval = "7min"
[devices.g]
idle_w = 100.0
max_w = 500.0
[[pools]]
device = "g"
nodes = 1
devices_per_node = 1
[[jobs]]
devices = 1
duration = "65min"
utilization = 0.75
load_profile = {{ phases = [{{ duration = "5min", utilization = 0.25 }}], cycle = [{{ duration = "28min", utilization = 0.75 }}, {{ duration = "2min", utilization = 0.0 }}] }}
"#
        )
    };
    let r = wattsim::run(&common::scenario(&text("2h")), 1);
    let wh_per_kwh = 1000.0;
    assert!((r.jobs[0].attribution.it_energy_kwh - 23_800.0 / 60.0 / wh_per_kwh).abs() < 1e-12);
    // The total adds the idle hour after the job: 100 W × 55 min.
    let total = r.totals.energy.it_energy_kwh;
    assert!(
        (total - (23_800.0 + 100.0 * 55.0) / 60.0 / wh_per_kwh).abs() < 1e-12,
        "{total}"
    );
    // Cut at 50 min: 200 × 5 + 400 × 28 + 100 × 2 + 400 × 15 = 18,400 W·min.
    let r = wattsim::run(&common::scenario(&text("50min")), 1);
    assert!((r.jobs[0].attribution.it_energy_kwh - 18_400.0 / 60.0 / wh_per_kwh).abs() < 1e-12);
}

#[test]
fn calibrate_prints_a_fitted_power_curve() {
    // Samples of 60 + 340 u^1.5 W (utilisation in percent): the snippet has idle 60, max 400,
    // exponent 1.500, and pasting it into a scenario validates.
    let dir = tempfile::tempdir().unwrap();
    let rows: String = (0..=100)
        .map(|p| format!("{p},{}\n", 60.0 + 340.0 * (p as f64 / 100.0).powf(1.5)))
        .collect();
    std::fs::write(dir.path().join("s.csv"), format!("util_pct,power\n{rows}")).unwrap();
    let o = common::wattsim(
        &[
            "calibrate",
            "power",
            "--samples",
            "s.csv",
            "--util-column",
            "util_pct",
            "--watts-column",
            "power",
            "--util-scale",
            "0.01",
            "--device",
            "g",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let snippet = String::from_utf8(o.stdout).unwrap();
    assert!(
        snippet.contains("idle_w = 60.0") && snippet.contains("max_w = 400.0"),
        "{snippet}"
    );
    assert!(snippet.contains("exponent = 1.500"), "{snippet}");
    let text = format!(
        "[simulation]\nstart = \"2024-01-01T00:00:00Z\"\nhorizon = \"1h\"\n[[pools]]\ndevice = \"g\"\nnodes = 1\n{snippet}"
    );
    let s = common::scenario(&text);
    assert!((s.pools[0].device.power_w(0.25) - (60.0 + 340.0 * 0.125)).abs() < 0.5);
}

/// Eight 1-device nodes (100 W idle, 500 W max) for a day, plus `service` TOML.
fn service_run(nodes: u32, service: &str) -> (Summary, wattsim::RunResult) {
    let text = format!(
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "1d"
[devices.g]
idle_w = 100.0
max_w = 500.0
[[pools]]
device = "g"
nodes = {nodes}
devices_per_node = 1
{service}
"#
    );
    let r = wattsim::run(&common::scenario(&text), 1);
    (Summary::from_result(&r), r)
}

#[test]
fn a_fixed_service_runs_at_load_over_capacity() {
    // 2 replicas of 10 rps capacity serving 10 rps: utilisation 0.5 → 300 W each;
    // 2 × 0.3 kW × 24 h = 14.4 kWh, plus 6 idle devices × 0.1 kW × 24 h = 14.4 kWh.
    let (s, r) = service_run(
        8,
        "[[services]]\nname = \"api\"\ncapacity_rps = 10.0\nload_rps = [10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0]\nreplicas = 2\n",
    );
    let replicas: f64 = r.jobs.iter().map(|j| j.attribution.it_energy_kwh).sum();
    assert!((replicas - 14.4).abs() < 1e-9, "{replicas}");
    assert!((s.it_energy_kwh - 28.8).abs() < 1e-9);
    assert_eq!(r.job_name(&r.jobs[1]), "api-r2");
}

#[test]
fn an_autoscaled_service_follows_its_load() {
    // 6 rps for 00–12 h, 30 rps for 12–24 h; 10 rps per replica, target 0.6:
    // ceil(6 / 6) = 1 replica then ceil(30 / 6) = 5, each at 0.6 (340 W).
    // Replicas: 12 h × 0.34 kW + 12 h × 5 × 0.34 kW = 4.08 + 20.4 = 24.48 kWh;
    // idle devices: 12 h × 7 × 0.1 + 12 h × 3 × 0.1 = 8.4 + 3.6 = 12 kWh.
    let mut load = vec!["6.0"; 12];
    load.extend(vec!["30.0"; 12]);
    let svc = format!(
        "[[services]]\nname = \"chat\"\ncapacity_rps = 10.0\nload_rps = [{}]\nmin_replicas = 1\nmax_replicas = 8\ntarget_utilization = 0.6\ntenant = \"product\"\n",
        load.join(", ")
    );
    let (s, r) = service_run(8, &svc);
    let replicas: f64 = r.jobs.iter().map(|j| j.attribution.it_energy_kwh).sum();
    assert!((replicas - 24.48).abs() < 1e-9, "{replicas}");
    assert!(
        (s.it_energy_kwh - 36.48).abs() < 1e-9,
        "{}",
        s.it_energy_kwh
    );
    assert_eq!(r.jobs.len(), 5);
    assert_eq!(s.unplaced_replica_hours, 0.0);
    // With only 3 nodes, 2 of the 5 replicas wanted from 12 h find no room: 24 replica-hours;
    // the 3 placed replicas then serve 30 rps at utilisation 1.0 (500 W).
    let (s, r) = service_run(3, &svc);
    assert!((s.unplaced_replica_hours - 24.0).abs() < 1e-9);
    let replicas: f64 = r.jobs.iter().map(|j| j.attribution.it_energy_kwh).sum();
    // 12 h × 0.34 kW + 12 h × 3 × 0.5 kW = 4.08 + 18 = 22.08 kWh.
    assert!((replicas - 22.08).abs() < 1e-9, "{replicas}");
}

#[test]
fn scaling_in_ends_replicas() {
    // 30 rps for 00–12 h (5 replicas), then 6 rps (1 replica): 4 replicas end at 12 h, scaled
    // in. Energy: 12 h × 5 × 0.34 + 12 h × 0.34 = 20.4 + 4.08 = 24.48 kWh, as in the rising case.
    let mut load = vec!["30.0"; 12];
    load.extend(vec!["6.0"; 12]);
    let svc = format!(
        "[[services]]\ncapacity_rps = 10.0\nload_rps = [{}]\nmin_replicas = 1\nmax_replicas = 8\ntarget_utilization = 0.6\n",
        load.join(", ")
    );
    let (_, r) = service_run(8, &svc);
    let scaled_in = r
        .jobs
        .iter()
        .filter(|j| j.outcome == wattsim::result::JobOutcome::ScaledIn);
    assert_eq!(scaled_in.count(), 4);
    let replicas: f64 = r.jobs.iter().map(|j| j.attribution.it_energy_kwh).sum();
    assert!((replicas - 24.48).abs() < 1e-9, "{replicas}");
}

/// Runs one workload of 1-device, 1-hour jobs (100 W idle, 500 W max, linear, no host) with
/// `utilization` in a scenario placed in `dir`; returns each job's utilisation.
fn utilizations(dir: &std::path::Path, utilization: &str) -> Vec<f64> {
    // 100 jobs/h for 40 h on 256 devices: ~4,000 jobs, none waits (load 100 of 256).
    let text = format!(
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "41h"
output_interval = "1h"
[devices.g]
idle_w = 100.0
max_w = 500.0
[[pools]]
device = "g"
nodes = 32
devices_per_node = 8
[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = 100.0 }}
devices = 1
duration = {{ distribution = "fixed", value = "1h" }}
utilization = {utilization}
max_jobs = 4000
"#
    );
    let path = dir.join("util.toml");
    let s = wattsim::scenario::parse(&text, &path).unwrap_or_else(|e| panic!("{e}"));
    let r = wattsim::run(&s, 9);
    assert_eq!(r.jobs.len(), 4000);
    for j in &r.jobs {
        // Each job draws the linear curve at its own utilisation: 100 + 400 u W.
        assert_eq!(
            j.power_uw,
            ((100.0 + 400.0 * j.utilization) * 1e6).round() as u64
        );
    }
    r.jobs.iter().map(|j| j.utilization).collect()
}

/// Share of `values` equal to `x`.
fn share(values: &[f64], x: f64) -> f64 {
    values.iter().filter(|v| (**v - x).abs() < 1e-12).count() as f64 / values.len() as f64
}

#[test]
fn utilization_distributions_are_sampled_per_job() {
    // Tolerances: 4 standard errors of a share p over n = 4,000 jobs, sqrt(p(1 − p)/n):
    // p = 0.25 → 0.027, p = 0.5 → 0.032, p = 2/3 → 0.030.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Weighted values: 0.9 with weight 1 of 4.
    let u = utilizations(d, "{ values = [0.2, 0.9], weights = [3.0, 1.0] }");
    assert!((share(&u, 0.9) - 0.25).abs() < 0.027, "{}", share(&u, 0.9));
    assert!((share(&u, 0.2) + share(&u, 0.9) - 1.0).abs() < 1e-12);
    // Uniform on [0.5, 1.0]: mean 0.75 ± 4 × (0.5 / √12) / √4000 = 0.0091.
    let u = utilizations(d, r#"{ distribution = "uniform", low = 0.5, high = 1.0 }"#);
    assert!(u.iter().all(|x| (0.5..=1.0).contains(x)));
    let mean = u.iter().sum::<f64>() / u.len() as f64;
    assert!((mean - 0.75).abs() < 0.0091, "{mean}");
    // A step CDF in percent: P(≤10) = 0.25, P(≤50) = 0.75, P(≤100) = 1 → 0.1, 0.5 and 1.0
    // with probabilities 0.25, 0.5, 0.25.
    std::fs::write(d.join("cdf.csv"), "value,cdf\n10,0.25\n50,0.75\n100,1\n").unwrap();
    let u = utilizations(
        d,
        r#"{ distribution = "cdf", file = "cdf.csv", scale = 0.01 }"#,
    );
    assert!((share(&u, 0.1) - 0.25).abs() < 0.027, "{}", share(&u, 0.1));
    assert!((share(&u, 0.5) - 0.5).abs() < 0.032, "{}", share(&u, 0.5));
    assert!((share(&u, 1.0) - 0.25).abs() < 0.027, "{}", share(&u, 1.0));
    // Observed values, each row equally likely: 0.6 is two rows of three.
    std::fs::write(d.join("obs.csv"), "gpu_util\n0.3\n0.6\n0.6\n").unwrap();
    let u = utilizations(
        d,
        r#"{ distribution = "empirical", file = "obs.csv", column = "gpu_util" }"#,
    );
    assert!(
        (share(&u, 0.6) - 2.0 / 3.0).abs() < 0.030,
        "{}",
        share(&u, 0.6)
    );
    assert!((share(&u, 0.3) + share(&u, 0.6) - 1.0).abs() < 1e-12);
}

#[test]
fn bad_utilization_distributions_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let error = |utilization: &str| {
        let text = format!(
            "[simulation]\nstart = \"2024-01-01T00:00:00Z\"\nhorizon = \"1h\"\n\
             [[pools]]\ndevice = \"H100-SXM5-80GB\"\nnodes = 1\n\
             [[workloads]]\narrival = {{ process = \"poisson\", rate_per_hour = 1.0 }}\n\
             devices = 1\nduration = {{ distribution = \"fixed\", value = \"1h\" }}\n\
             utilization = {utilization}\n"
        );
        match wattsim::scenario::parse(&text, &d.join("bad.toml")) {
            Ok(_) => panic!("accepted: {utilization}"),
            Err(e) => e.to_string(),
        }
    };
    // A CDF in percent without a scale: the row, column and value, and the fix.
    std::fs::write(d.join("pct.csv"), "value,cdf\n10,0.5\n100,1\n").unwrap();
    let e = error(r#"{ distribution = "cdf", file = "pct.csv" }"#);
    assert!(
        e.contains("pct.csv:2") && e.contains("`value` = 10") && e.contains("scale"),
        "{e}"
    );
    // A decreasing cumulative probability names its line.
    std::fs::write(d.join("dec.csv"), "value,cdf\n0.1,0.6\n0.5,0.4\n1,1\n").unwrap();
    let e = error(r#"{ distribution = "cdf", file = "dec.csv" }"#);
    assert!(e.contains("dec.csv:3") && e.contains("not decrease"), "{e}");
    // Out of range and inverted bounds name the key.
    let e = error("1.5");
    assert!(e.contains("utilization") && e.contains("1.5"), "{e}");
    let e = error(r#"{ distribution = "uniform", low = 0.8, high = 0.2 }"#);
    assert!(e.contains("high") && e.contains("0.2"), "{e}");
    // An unknown form lists the forms there are; a near miss gets a suggestion.
    let e = error(r#"{ distribution = "beta" }"#);
    assert!(
        e.contains("unknown utilisation distribution") && e.contains("\"cdf\""),
        "{e}"
    );
    let e = error(r#"{ distribution = "unifrom", low = 0.2, high = 0.9 }"#);
    assert!(e.contains("did you mean \"uniform\""), "{e}");
    // An unknown key is named with the nearest known one; a key of another form, or a
    // missing one, names the key and the keys the form takes.
    let e = error(r#"{ distribution = "uniform", lo = 0.2, high = 0.9 }"#);
    assert!(
        e.contains("unknown field `lo`") && e.contains("did you mean `low`"),
        "{e}"
    );
    let e = error(r#"{ distribution = "uniform", low = 0.2, high = 0.9, file = "x.csv" }"#);
    assert!(
        e.contains("utilization.file") && e.contains("takes distribution, low, high"),
        "{e}"
    );
    let e = error(r#"{ distribution = "uniform", low = 0.2 }"#);
    assert!(e.contains("needs `high`"), "{e}");
    // A missing file is named.
    let e = error(r#"{ distribution = "empirical", file = "nope.csv" }"#);
    assert!(e.contains("nope.csv"), "{e}");
}

#[test]
fn lognormal_durations_match_their_median_and_spread() {
    // Lognormal with median 2 h and σ = 1: ln(d / 1 h) is normal with mean ln 2 = 0.6931 and
    // s.d. 1. Over 20,000 draws the sample mean of ln d has a standard error of
    // 1 / √20000 = 0.0071 and the sample s.d. one of ≈ 1 / √40000 = 0.005: ±0.03 is over 4
    // standard errors for both. The mean duration is 2 h × e^(1/2) = 3.2974 h, with a
    // standard error of 2 h × √((e − 1) e) / √20000 = 0.0306 h: ±0.15 h is about 5 of them.
    let rest = "[[workloads]]\narrival = { process = \"poisson\", rate_per_hour = 100.0 }\nmax_jobs = 20000\ndevices = 1\nduration = { distribution = \"lognormal\", median = \"2h\", sigma = 1.0 }\n";
    let r = wattsim::run(&scenario("L4", 5000, "300d", rest), 3);
    let hours: Vec<f64> = common::sorted_durations_s(&r)
        .iter()
        .map(|s| s / 3600.0)
        .collect();
    assert_eq!(hours.len(), 20_000);
    let n = hours.len() as f64;
    let logs: Vec<f64> = hours.iter().map(|h| h.ln()).collect();
    let mean_log = logs.iter().sum::<f64>() / n;
    let sd_log = (logs.iter().map(|l| (l - mean_log).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!((mean_log - 2f64.ln()).abs() < 0.03, "{mean_log}");
    assert!((sd_log - 1.0).abs() < 0.03, "{sd_log}");
    let mean = hours.iter().sum::<f64>() / n;
    assert!((mean - 2.0 * 0.5f64.exp()).abs() < 0.15, "{mean}");
}

#[test]
fn mmpp_arrivals_keep_their_long_run_rate_and_come_in_bursts() {
    // Quiet 2/h for a mean 6 h, busy 60/h for a mean 30 min: the long-run rate is
    // (2 × 6 + 60 × 0.5) / 6.5 = 6.4615/h, 62,031 arrivals expected over 400 days. Bursts
    // inflate the count's variance to ≈ T × (λ̄ + 2 (λb − λq)² πq πb / (rq + rb)) with
    // πq = 12/13, πb = 1/13, rq = 1/6 /h, rb = 2 /h: ≈ 227 per hour, an s.d. of √(227 × 9600)
    // = 1,476 arrivals (2.4 %); ±10 % is 4 s.d. The daily counts' variance-to-mean ratio is
    // then ≈ 227 / 6.46 = 35, where a Poisson process gives 1: above 5 shows the bursts.
    let rest = "[[workloads]]\narrival = { process = \"mmpp\", quiet_rate_per_hour = 2.0, busy_rate_per_hour = 60.0, mean_quiet = \"6h\", mean_busy = \"30min\" }\ndevices = 1\nduration = { distribution = \"fixed\", value = \"1min\" }\n";
    let r = wattsim::run(&scenario("L4", 100, "400d", rest), 4);
    let expected = 400.0 * 24.0 * (2.0 * 6.0 + 60.0 * 0.5) / 6.5;
    let n = r.jobs.len() as f64;
    assert!(
        (n / expected - 1.0).abs() < 0.10,
        "{n} arrivals, {expected} expected"
    );
    let mut daily = vec![0.0f64; 400];
    for j in &r.jobs {
        daily[(j.submit_ms / 86_400_000) as usize] += 1.0;
    }
    let mean = daily.iter().sum::<f64>() / 400.0;
    let var = daily.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / 399.0;
    assert!(var / mean > 5.0, "variance-to-mean {}", var / mean);
}
