//! Pools installed and retired during a run (`from` / `until`), through the binary and
//! derived by hand: where and when jobs start, the drain past `until`, energy by pool and by
//! attribution, utilisation over installed device-hours, and the cost of ownership of hardware
//! bought mid-run and retired before it is paid off.

use crate::common;
use common::csv_rows as rows;
use serde_json::Value;

/// Two one-node pools of 8 devices, no host draw, in January and February 2024 (31 + 29 days:
/// the 60-day horizon ends on 1 March). `old` (50 W idle, 300 W busy a device) is retired on
/// 16 January (day 15); `new` (100 W idle, 700 W busy) is installed on day 10. The policy's
/// estimate is half the true runtime, so a job may overrun the retirement and drain. Jobs
/// (every one 8 devices at full load):
/// - J1 at 0 d for 2 d: only `old` is installed → old, 0–2 d;
/// - J0 at 0 d for 1 d, pinned to `new`: waits for it → new, 10–11 d;
/// - J2 at 12 d for 8 d: `old` is first but its estimate (4 d) ends after day 15 → new, 12–20 d;
/// - J3 at 13 d for 3 d: estimate 1.5 d ends at 14.5 d ≤ 15 → old, 13–16 d (drains 1 d);
/// - J4 at 22 d for 2 d: `old` is retired → new, 22–24 d.
const SCENARIO: &str = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "60d"
output_interval = "1d"

[devices.old]
idle_w = 50.0
max_w = 300.0

[devices.new]
idle_w = 100.0
max_w = 700.0

[[pools]]
name = "old"
device = "old"
nodes = 1
devices_per_node = 8
until = "2024-01-16"
device_price = 1000.0
node_price = 4000.0

[[pools]]
name = "new"
device = "new"
nodes = 1
devices_per_node = 8
from = "10d"
device_price = 3000.0
node_price = 6000.0

[scheduler]
runtime_estimate = { factor = 0.5 }

[[jobs]]
name = "J1"
devices = 8
duration = "2d"

[[jobs]]
name = "J0"
devices = 8
duration = "1d"
pool = "new"

[[jobs]]
name = "J2"
submit = "12d"
devices = 8
duration = "8d"

[[jobs]]
name = "J3"
submit = "13d"
devices = 8
duration = "3d"

[[jobs]]
name = "J4"
submit = "22d"
devices = 8
duration = "2d"


[tariff]
price_per_kwh = 0.10

[costs]
amortization_years = 1.0
maintenance_percent_per_year = 12.0
hosting_per_kw_month = 10.0
"#;

/// Runs `text`, which must succeed, into `o/` of a fresh folder.
fn run(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let out = common::wattsim(&["run", "s.toml", "--out", "o", "--no-charts"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn summary(dir: &tempfile::TempDir) -> Value {
    serde_json::from_slice(&std::fs::read(dir.path().join("o/summary.json")).unwrap()).unwrap()
}

fn num(row: &std::collections::HashMap<String, String>, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key} = {:?}", row[key]))
}

#[test]
fn jobs_start_only_on_installed_pools_and_drain_at_retirement() {
    let dir = run(SCENARIO);
    let jobs = rows(&dir.path().join("o/jobs.csv"));
    let job = |name: &str| {
        jobs.iter()
            .find(|j| j["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {jobs:?}"))
    };
    // (job, pool, start, end) from the derivation above.
    for (name, pool, start, end) in [
        ("J1", "old", "01", "03"),
        ("J0", "new", "11", "12"),
        ("J2", "new", "13", "21"),
        ("J3", "old", "14", "17"),
        ("J4", "new", "23", "25"),
    ] {
        let j = job(name);
        assert_eq!(j["pool"], pool, "{name}: {j:?}");
        assert_eq!(j["start"], format!("2024-01-{start}T00:00:00Z"), "{name}");
        assert_eq!(j["end"], format!("2024-01-{end}T00:00:00Z"), "{name}");
        assert_eq!(j["state"], "completed", "{name}");
    }
    let s = summary(&dir);
    // IT energy [kWh]. old: J1 2.4 kW × 48 h = 115.2, idle 0.4 kW × 264 h (2–13 d) = 105.6,
    // J3 2.4 × 72 = 172.8, then gone (the drain ends at 16 d): 393.6. new, from 10 d: J0
    // 5.6 × 24 = 134.4, idle 0.8 × 24 = 19.2, J2 5.6 × 192 = 1,075.2, idle 0.8 × 48 = 38.4,
    // J4 5.6 × 48 = 268.8, idle 0.8 × 864 (24–60 d) = 691.2: 2,227.2. Total 2,620.8 kWh.
    let it = s["it_energy_kwh"].as_f64().unwrap();
    assert!((it - 2620.8).abs() < 1e-6, "{it}");
    // Jobs 115.2 + 134.4 + 1,075.2 + 172.8 + 268.8 = 1,766.4; idle 105.6 + 19.2 + 38.4 +
    // 691.2 = 854.4; they add up to the total.
    let jobs_kwh = s["jobs_it_energy_kwh"].as_f64().unwrap();
    let idle_kwh = s["idle_it_energy_kwh"].as_f64().unwrap();
    assert!((jobs_kwh - 1766.4).abs() < 1e-6, "{jobs_kwh}");
    assert!((idle_kwh - 854.4).abs() < 1e-6, "{idle_kwh}");
    // Installed device-hours: old 8 × 360 h (to its retirement) + new 8 × 1,200 h = 12,480;
    // busy 8 × (48 + 24 + 192 + 72 + 48) = 3,072 → 0.246154.
    let u = s["utilization"].as_f64().unwrap();
    assert!((u - 3072.0 / 12480.0).abs() < 1e-12, "{u}");
    // Both pools are installed from day 10 to 15: 16 devices at most.
    assert_eq!(s["installed_devices"], 16);
    // The daily power: day 14 (old busy with J3, new with J2) 2.4 + 5.6 = 8 kW; day 16 (old
    // gone, new busy) 5.6 kW; day 5 (old idle, new not installed) 0.4 kW.
    let series = rows(&dir.path().join("o/timeseries.csv"));
    for (day, kw) in [(5, 0.4), (14, 8.0), (16, 5.6)] {
        let e = num(&series[day], "it_energy_kwh");
        assert!((e - kw * 24.0).abs() < 1e-9, "day {day}: {e}");
    }
}

#[test]
fn hardware_bought_mid_run_is_paid_off_from_when_it_is_installed() {
    let dir = run(SCENARIO);
    let lines = rows(&dir.path().join("o/tco.csv"));
    let amount = |month: &str, item: &str| {
        lines
            .iter()
            .find(|l| l["month"] == month && l["item"] == item)
            .map(|l| num(l, "amount"))
            .unwrap_or_else(|| panic!("no {month} {item}"))
    };
    // Capex: old 8 × 1,000 + 4,000 = 12,000; new 8 × 3,000 + 6,000 = 30,000. Straight line
    // over 12 months: 1,000 and 2,500 a month. January: old the whole month; new from
    // 11 January, 21 of 31 days → 1,000 + 2,500 × 21/31 = 2,693.548387. February: both whole
    // (old is retired but still being paid off) → 3,500.
    let jan = amount("2024-01", "capex_amortization");
    assert!(
        (jan - (1000.0 + 2500.0 * 21.0 / 31.0)).abs() < 1e-9,
        "{jan}"
    );
    assert!((amount("2024-02", "capex_amortization") - 3500.0).abs() < 1e-9);
    // Maintenance 1 % a month, while installed: January old 15/31 (to 16 January), new 21/31
    // → (120 × 15 + 300 × 21) / 31 = 8,100 / 31; February new only: 300.
    assert!((amount("2024-01", "maintenance") - 8100.0 / 31.0).abs() < 1e-9);
    assert!((amount("2024-02", "maintenance") - 300.0).abs() < 1e-9);
    // Hosting 10 per kW-month on provisioned kW (old 8 × 300 W = 2.4 kW, new 8 × 700 W =
    // 5.6 kW) while installed: January (24 × 15 + 56 × 21) / 31 = 1,536 / 31; February 56.
    assert!((amount("2024-01", "hosting") - 1536.0 / 31.0).abs() < 1e-9);
    assert!((amount("2024-02", "hosting") - 56.0).abs() < 1e-9);
    let s = summary(&dir);
    assert_eq!(s["capex"], 42000.0);
}

#[test]
fn bad_windows_are_refused() {
    let cases = [
        (
            "until = \"2024-01-16\"",
            "until = \"0s\"",
            "retired before it is installed",
        ),
        (
            "from = \"10d\"",
            "from = \"60d\"",
            "installed after the run ends",
        ),
        (
            "from = \"10d\"",
            "from = \"2023-12-31\"",
            "before the simulation's start",
        ),
        (
            "from = \"10d\"",
            "from = \"next week\"",
            "neither an offset from the start nor a date",
        ),
        (
            "name = \"J4\"\nsubmit = \"22d\"",
            "name = \"J4\"\npool = \"old\"\nsubmit = \"22d\"",
            "retired before it arrives",
        ),
    ];
    for (from, to, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.toml"), SCENARIO.replace(from, to)).unwrap();
        let out = common::wattsim(&["run", "s.toml", "--out", "o"], dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(says), "{to}: {err}");
        assert!(!dir.path().join("o").exists());
    }
}

/// Two one-node pools over two days of January 2024: `old` (A100) retired at 1 d, `new` (H100)
/// installed throughout.
const RETIRING: &str = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "2d"

[[pools]]
name = "old"
device = "A100-SXM4-80GB"
nodes = 1
until = "1d"

[[pools]]
name = "new"
device = "H100-SXM5-80GB"
nodes = 1
"#;

#[test]
fn generated_jobs_for_a_retired_pool_are_rejected_as_they_arrive() {
    // Jobs of one device for 1 min arrive about hourly, pinned to `old`, retired after one
    // day; the second pool keeps the scenario runnable. Every job submitted before day 1
    // completes on `old` (the pool is otherwise idle); every one after is rejected on arrival,
    // saying why.
    let text = format!(
        "{RETIRING}{}",
        r#"
[[workloads]]
pool = "old"
arrival = { process = "poisson", rate_per_hour = 1.0 }
devices = 1
duration = { distribution = "fixed", value = "1min" }
"#
    );
    let dir = run(&text);
    let jobs = rows(&dir.path().join("o/jobs.csv"));
    let (mut before, mut after) = (0, 0);
    for j in &jobs {
        if j["submit"].as_str() < "2024-01-02T00:00:00Z" {
            before += 1;
            assert_eq!(j["state"], "completed", "{j:?}");
            assert_eq!(j["pool"], "old");
        } else {
            after += 1;
            assert_eq!(j["state"], "rejected", "{j:?}");
            assert!(j["reason"].contains("retired before it arrives"), "{j:?}");
        }
    }
    // About 24 of each (Poisson, mean 24 a day); at least a few on both sides.
    assert!(before >= 5 && after >= 5, "{before} / {after}");
}

#[test]
fn a_job_arriving_at_a_pools_retirement_is_refused_there() {
    // `old` is retired at 1 d = 86,400,000 ms and a pool is open over [from, until): a job
    // pinned to it and arriving then can never run, one arriving 1 ms before can; an unpinned
    // job arriving then goes to `new`.
    let sc = wattsim::scenario::parse(RETIRING, std::path::Path::new("s.toml")).unwrap();
    let day_ms = 86_400_000;
    let why = sc.never_fits_at(1, Some(0), day_ms).unwrap_or_default();
    assert!(why.contains("retired before it arrives"), "{why}");
    assert_eq!(sc.never_fits_at(1, Some(0), day_ms - 1), None);
    assert_eq!(sc.never_fits_at(1, None, day_ms), None);
}

#[test]
fn a_pool_installed_later_powers_down_from_its_installation() {
    // One node of 8 devices (catalog A100: 60 W idle a device, no host draw: 480 W idle)
    // installed at 1 d, powering down after 1 h idle to 20 W, and retired at 3 d. It draws
    // nothing before 1 d, 0.48 kW for 1 h, then 0.02 kW to 3 d (47 h), then nothing:
    // 0.48 + 0.94 = 1.42 kWh, all of it idle capacity. A second, always-installed pool of one
    // H100 node (catalog: 8 × 75 W idle = 0.6 kW) is kept on (`pools`), 96 h: 57.6 kWh.
    let text = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "4d"

[[pools]]
name = "late"
device = "A100-SXM4-80GB"
nodes = 1
host_idle_w = 0.0
host_max_w = 0.0
from = "1d"
until = "3d"

[[pools]]
name = "base"
device = "H100-SXM5-80GB"
nodes = 1
host_idle_w = 0.0
host_max_w = 0.0

[power]
idle_power_down = { after = "1h", off_w = 20.0, boot = "5min", boot_w = 1500.0, keep_on = 0, pools = ["late"] }
"#;
    let s = summary(&run(text));
    let it = s["it_energy_kwh"].as_f64().unwrap();
    assert!((it - (1.42 + 57.6)).abs() < 1e-9, "{it}");
    assert!((s["idle_it_energy_kwh"].as_f64().unwrap() - it).abs() < 1e-9);
    // The node is off from 1 d 1 h to 3 d: 47 node-hours; off, it is still installed.
    assert!((s["node_off_hours"].as_f64().unwrap() - 47.0).abs() < 1e-9);
}
