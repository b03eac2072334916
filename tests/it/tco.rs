//! Total cost of ownership and multi-year prices through the binary, derived by hand:
//! straight-line and annuity amortisation over a partial month, maintenance, hosting on
//! provisioned kW, other costs, the unit costs, prices that are missing or unused, tariff
//! escalation and a declining grid intensity at year boundaries.

use crate::common;
use serde_json::Value;

/// Two nodes of 8 A100s (catalog: 400 W at full load) with a host of 1,000 W at full load;
/// one 8-device job of 10 h; 45 days from 2024-01-01 (all of January, 14 of February's 29
/// days in the leap year 2024), at 0.10 USD/kWh.
fn scenario(interest_percent: f64) -> String {
    format!(
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "45d"

[[pools]]
device = "A100-SXM4-80GB"
nodes = 2
devices_per_node = 8
host_idle_w = 500.0
host_max_w = 1000.0
device_price = 10000.0
node_price = 50000.0
network_price_per_node = 5000.0

[[jobs]]
devices = 8
duration = "10h"
utilization = 1.0

[tariff]
price_per_kwh = 0.10
currency = "USD"

[costs]
amortization_years = 4.0
interest_rate_percent = {interest_percent:.1}
maintenance_percent_per_year = 8.0
hosting_per_kw_month = 150.0
other_per_month = 1000.0
"#
    )
}

fn run(text: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let out = common::wattsim(&["run", "s.toml", "--out", "o", "--no-charts"], dir.path());
    (dir, out)
}

/// (month, item) → amount from tco.csv.
fn lines(dir: &std::path::Path) -> Vec<(String, String, f64)> {
    let mut r = csv::Reader::from_path(dir.join("o/tco.csv")).unwrap();
    r.records()
        .map(|row| {
            let row = row.unwrap();
            (
                row[0].to_string(),
                row[1].to_string(),
                row[2].parse().unwrap(),
            )
        })
        .collect()
}

fn amount(lines: &[(String, String, f64)], month: &str, item: &str) -> f64 {
    lines
        .iter()
        .find(|(m, i, _)| m == month && i == item)
        .map(|l| l.2)
        .unwrap_or_else(|| panic!("no {month} {item}"))
}

fn summary(dir: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("o/summary.json")).unwrap()).unwrap()
}

/// Runs the scenario at `interest_percent`, which must succeed, with its tco.csv lines.
fn priced(
    interest_percent: f64,
) -> (
    tempfile::TempDir,
    std::process::Output,
    Vec<(String, String, f64)>,
) {
    let (dir, out) = run(&scenario(interest_percent));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let l = lines(dir.path());
    (dir, out, l)
}

#[test]
fn straight_line_tco_by_hand() {
    let (dir, out, l) = priced(0.0);
    let feb = 14.0 / 29.0;
    // Capex = 2 nodes × (8 × 10,000 + 50,000 + 5,000) = 270,000, over 48 months straight
    // line: 5,625 a month; February pays 14/29 of it.
    assert!((amount(&l, "2024-01", "capex_amortization") - 5625.0).abs() < 1e-9);
    assert!((amount(&l, "2024-02", "capex_amortization") - 5625.0 * feb).abs() < 1e-9);
    assert_eq!(amount(&l, "2024-01", "interest"), 0.0);
    // Maintenance 8 % a year of 270,000 = 1,800 a month.
    assert!((amount(&l, "2024-01", "maintenance") - 1800.0).abs() < 1e-9);
    // Provisioned IT power: 2 × (8 × 400 W + 1,000 W) = 8.4 kW; × 150 = 1,260 a month.
    assert!((amount(&l, "2024-01", "hosting") - 1260.0).abs() < 1e-9);
    assert!((amount(&l, "2024-02", "hosting") - 1260.0 * feb).abs() < 1e-9);
    assert!((amount(&l, "2024-02", "other") - 1000.0 * feb).abs() < 1e-9);
    let s = summary(dir.path());
    // The energy bill's months are its lines: the summary's total_cost is their sum.
    let energy = amount(&l, "2024-01", "energy_bill") + amount(&l, "2024-02", "energy_bill");
    assert!((energy - s["total_cost"].as_f64().unwrap()).abs() < 1e-9);
    // Owning: (5,625 + 1,800 + 1,260 + 1,000) × (1 + 14/29) = 9,685 × 43/29 = 14,360.5172.
    let owning = 9685.0 * 43.0 / 29.0;
    let tco = s["tco_total"].as_f64().unwrap();
    assert!(
        (tco - energy - owning).abs() < 1e-6,
        "{tco} vs {energy} + {owning}"
    );
    assert_eq!(s["capex"], 270000.0);
    // Month totals add up to the TCO.
    let totals: f64 = l.iter().filter(|x| x.1 == "month_total").map(|x| x.2).sum();
    assert!((totals - tco).abs() < 1e-6);
    // One job of 8 devices for 10 h: 80 delivered device-hours.
    assert!((s["cost_per_device_hour"].as_f64().unwrap() - tco / 80.0).abs() < 1e-9);
    assert!((s["cost_per_job"].as_f64().unwrap() - tco).abs() < 1e-9);
    // A 45-day run is 1,080 h = 1,080 / 730.5 average months.
    assert!((s["tco_per_month"].as_f64().unwrap() - tco / (1080.0 / 730.5)).abs() < 1e-6);
    // The console shows it.
    assert!(String::from_utf8_lossy(&out.stdout).contains("Ownership"));
}

#[test]
fn annuity_tco_by_hand() {
    let (_dir, _, l) = priced(6.0);
    // 6 % a year = 0.5 % a month over 48 months: payment = 270,000 × 0.005 / (1 − 1.005^−48)
    // = 1,350 / 0.2129016 = 6,340.9578. January: interest 270,000 × 0.005 = 1,350, capital
    // 4,990.9578. The balance then is 270,000 × 1.005 − 6,340.9578 = 265,009.0422, so
    // February's interest is 1,325.0452 and its capital 5,015.9126, each × 14/29.
    let feb = 14.0 / 29.0;
    assert!((amount(&l, "2024-01", "interest") - 1350.0).abs() < 1e-6);
    assert!((amount(&l, "2024-01", "capex_amortization") - 4990.9578).abs() < 1e-4);
    assert!((amount(&l, "2024-02", "interest") - 1325.0452 * feb).abs() < 1e-4);
    assert!((amount(&l, "2024-02", "capex_amortization") - 5015.9126 * feb).abs() < 1e-4);
}

#[test]
fn missing_and_unused_prices_are_refused() {
    let cases = [
        (
            scenario(0.0).replace("node_price = 50000.0\n", ""),
            "needs the pool's node_price",
        ),
        (
            scenario(0.0).replace("amortization_years = 4.0\n", ""),
            "amortization_years",
        ),
        (
            scenario(0.0).replace(
                "interest_rate_percent = 0.0\n",
                "interest_rate_percent = -1.0\n",
            ),
            "interest_rate_percent",
        ),
        (
            scenario(0.0)[..scenario(0.0).find("[costs]").unwrap()].to_string(),
            "pool prices are used only with a [costs] table",
        ),
    ];
    for (text, says) in cases {
        let (dir, out) = run(&text);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{says}: {err}");
        assert!(err.contains(says), "{says}: {err}");
        assert!(!dir.path().join("o").exists());
    }
    // Without prices and [costs], no TCO: the keys are null and no tco.csv is written.
    let plain = scenario(0.0)[..scenario(0.0).find("[costs]").unwrap()].replace(
        "device_price = 10000.0\nnode_price = 50000.0\nnetwork_price_per_node = 5000.0\n",
        "",
    );
    let (dir, out) = run(&plain);
    assert!(out.status.success());
    assert!(summary(dir.path())["tco_total"].is_null());
    assert!(!dir.path().join("o/tco.csv").exists());
}

/// One idle node of 8 A100s (catalog idle 60 W, no host draw: 0.48 kW around the clock) from
/// 2024-01-01 for `horizon`, daily rows, with `rest` appended.
fn idle_node(horizon: &str, rest: &str) -> String {
    format!(
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "{horizon}"
output_interval = "1d"

[[pools]]
device = "A100-SXM4-80GB"
nodes = 1
devices_per_node = 8
host_idle_w = 0.0
host_max_w = 0.0

{rest}"#
    )
}

#[test]
fn tariff_escalation_applies_at_year_boundaries() {
    // One idle node of 8 A100s (catalog idle 60 W, no host draw): 0.48 kW around the clock
    // for 2024 (leap: 8,784 h) and 2025 (8,760 h), at 0.10 USD/kWh and 100 USD a month,
    // escalating 5 % a year: billing months 13–24 pay × 1.05. Energy: 0.048 USD/h ×
    // (8,784 + 1.05 × 8,760) h = 0.048 × 17,982 = 863.136; fixed: 12 × 100 + 12 × 105 =
    // 2,460; total 3,323.136 USD.
    let (dir, out) = run(&idle_node(
        "731d",
        "[tariff]\nprice_per_kwh = 0.10\nfixed_per_month = 100.0\nescalation_percent_per_year = 5.0\n",
    ));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = summary(dir.path());
    let total = s["total_cost"].as_f64().unwrap();
    assert!((total - 3323.136).abs() < 1e-6, "{total}");
    // Idle capacity carries the energy charges: attribution still adds up.
    let parts = s["jobs_cost"].as_f64().unwrap()
        + s["idle_cost"].as_f64().unwrap()
        + s["site_cost"].as_f64().unwrap();
    assert!((parts - total).abs() < 1e-6);
    let bill = std::fs::read_to_string(dir.path().join("o/bill.csv")).unwrap();
    let line = |month: &str| {
        bill.lines()
            .find(|l| l.starts_with(month) && l.contains(",energy,"))
            .unwrap()
            .to_string()
    };
    assert!(
        line("2025-01").contains("prices escalated × 1.050000"),
        "{bill}"
    );
    assert!(!line("2024-12").contains("escalated"));
}

#[test]
fn grid_intensity_declines_by_year() {
    // The idle 0.48 kW node for two years of 365 days at 400 g/kWh declining 10 % a year:
    // 0.48 kW × 8,760 h × (0.400 + 0.360) kg/kWh = 4,204.8 × 0.76 = 3,195.648 kg; the second
    // year starts exactly at 365 d, so every interval of a day is in one year or the other.
    let (dir, out) = run(&idle_node(
        "730d",
        "[carbon]\nintensity_g_per_kwh = 400.0\ndecline_percent_per_year = 10.0\n",
    ));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kg = summary(dir.path())["carbon_kg"].as_f64().unwrap();
    assert!((kg - 3195.648).abs() < 1e-6, "{kg}");
    // Day 365 is the first at 360 g/kWh: 0.48 × 24 × 0.36 = 4.1472 kg; day 364 at 0.4: 4.608.
    let mut r = csv::Reader::from_path(dir.path().join("o/timeseries.csv")).unwrap();
    let carbon_col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "carbon_kg")
        .unwrap();
    let rows: Vec<f64> = r
        .records()
        .map(|row| row.unwrap()[carbon_col].parse().unwrap())
        .collect();
    assert!((rows[364] - 4.608).abs() < 1e-9 && (rows[365] - 4.1472).abs() < 1e-9);
}

#[test]
fn amortisation_from_a_partial_first_month_repays_the_price() {
    // Bought on 16 January 2024 (16 of 31 days of January covered) and paid off over one
    // year: the payments run by the hardware's age, so a partial first month pays its share
    // and the last partial month (to 16 January 2025) the rest. Over 400 days the capital
    // repaid is the whole 270,000, straight line or annuity; the straight-line January pays
    // 22,500 × 16/31 = 11,612.903.
    for interest in [0.0, 6.0] {
        let text = scenario(interest)
            .replace("2024-01-01T00:00:00Z", "2024-01-16T00:00:00Z")
            .replace("horizon = \"45d\"", "horizon = \"400d\"")
            .replace("amortization_years = 4.0", "amortization_years = 1.0");
        let (dir, out) = run(&text);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let repaid = summary(dir.path())["amortization_cost"].as_f64().unwrap();
        assert!((repaid - 270_000.0).abs() < 1e-6, "{interest} %: {repaid}");
        if interest == 0.0 {
            let jan = amount(&lines(dir.path()), "2024-01", "capex_amortization");
            assert!((jan - 22_500.0 * 16.0 / 31.0).abs() < 1e-9, "{jan}");
        }
    }
}
