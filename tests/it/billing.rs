//! Bills derived by hand: time-of-use energy, demand on interval averages, tiers, daylight
//! saving, ratchets, partial months, and the bill of a simulated run.

use crate::common;

use wattsim::billing::bill_load;
use wattsim::input::load::LoadProfile;
use wattsim::result::{Bill, LineItem};
use wattsim::scenario::context::Span;
use wattsim::scenario::tariff_file::read_tariff;

const H: u64 = 3_600_000;
const MIN: u64 = 60_000;

/// UTC ms since the epoch of an RFC 3339 instant.
fn at(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .timestamp_millis()
}

/// Bills `load` on the TOML tariff `tariff` (the body of a `[tariff]` file).
fn bill(tariff: &str, load: &LoadProfile) -> Bill {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tariff.toml");
    std::fs::write(&path, tariff).unwrap();
    let span = Span {
        start_ms: load.start_ms,
        end_ms: load.start_ms + (load.step_ms * load.kw.len() as u64) as i64,
    };
    let t = read_tariff(&path, None, span, &mut vec![]).unwrap_or_else(|e| panic!("{e}"));
    bill_load(load, &t).0
}

/// A constant `kw` from `start` for `hours`, in 1 h rows.
fn constant(start: &str, hours: usize, kw: f64) -> LoadProfile {
    LoadProfile {
        start_ms: at(start),
        step_ms: H,
        kw: vec![kw; hours],
    }
}

fn line<'a>(bill: &'a Bill, item: LineItem, name: &str) -> &'a wattsim::result::BillLine {
    bill.months
        .iter()
        .flat_map(|m| &m.lines)
        .find(|l| l.item == item && l.name == name)
        .unwrap_or_else(|| panic!("no {item:?} line {name}: {bill:#?}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Peak 0.30 on weekdays 12:00–18:00 UTC, else 0.10; facility demand 10 per kW-month, peak
/// demand 5 per kW-month; 100 per month fixed; 10 % tax.
const SMALL: &str = r#"
[tariff]
time_zone = "UTC"
fixed_per_month = 100.0
tax_percent = 10.0

[[tariff.periods]]
name = "peak"
days = "weekdays"
hours = [[12, 18]]
price_per_kwh = 0.30

[[tariff.periods]]
name = "off_peak"
price_per_kwh = 0.10

[[tariff.demand]]
name = "facility"
price_per_kw = 10.0

[[tariff.demand]]
name = "peak_demand"
price_per_kw = 5.0
periods = ["peak"]
"#;

#[test]
fn constant_megawatt_for_a_month_on_tou_and_demand() {
    // April 2024: 30 days from Monday 1 April; 22 weekdays. Peak hours 22 × 6 = 132 h →
    // 132,000 kWh × 0.30 = 39,600; off-peak 720 − 132 = 588 h → 588,000 kWh × 0.10 = 58,800.
    // Demand 1,000 kW: facility 10,000, peak 5,000. Fixed 100. Tax 10 % of 113,500 = 11,350.
    // Total 124,850.
    let b = bill(SMALL, &constant("2024-04-01T00:00:00Z", 720, 1000.0));
    assert_eq!(b.months.len(), 1);
    assert!(close(
        line(&b, LineItem::Energy, "peak").quantity,
        132_000.0
    ));
    assert!(close(line(&b, LineItem::Energy, "peak").amount, 39_600.0));
    assert!(close(
        line(&b, LineItem::Energy, "off_peak").amount,
        58_800.0
    ));
    assert!(close(
        line(&b, LineItem::Demand, "facility").quantity,
        1000.0
    ));
    assert!(close(
        line(&b, LineItem::Demand, "peak_demand").amount,
        5_000.0
    ));
    assert!(close(
        line(&b, LineItem::Fixed, "customer_charge").amount,
        100.0
    ));
    assert!(close(line(&b, LineItem::Tax, "tax").amount, 11_350.0));
    assert!(close(b.total(), 124_850.0), "{}", b.total());
}

#[test]
fn a_load_step_across_a_period_edge_is_split_and_demand_uses_interval_averages() {
    // 20-minute load rows on Monday 1 April 2024: 0 kW from 11:30, 600 kW from 11:50 to 12:10
    // (a row that straddles the 12:00 peak edge), 0 kW to 12:30.
    // Energy: 11:50–12:00 off-peak 100 kWh × 0.10 = 10; 12:00–12:10 peak 100 kWh × 0.30 = 30.
    // Demand windows: 11:45–12:00 averages 600 × 10/15 = 400 kW; 12:00–12:15 also 400 kW.
    let load = LoadProfile {
        start_ms: at("2024-04-01T11:30:00Z"),
        step_ms: 20 * MIN,
        kw: vec![0.0, 600.0, 0.0],
    };
    let b = bill(SMALL, &load);
    assert!(close(line(&b, LineItem::Energy, "off_peak").amount, 10.0));
    assert!(close(line(&b, LineItem::Energy, "peak").amount, 30.0));
    let facility = line(&b, LineItem::Demand, "facility");
    assert!(close(facility.quantity, 400.0), "{}", facility.quantity);
    assert!(close(
        line(&b, LineItem::Demand, "peak_demand").quantity,
        400.0
    ));
    // The month is partial (1 h of 30 days): the fixed charge is pro-rated 1/720 and says so.
    let fixed = line(&b, LineItem::Fixed, "customer_charge");
    assert!(close(fixed.amount, 100.0 / 720.0));
    assert!(fixed.note.contains("partial month"));
}

#[test]
fn a_one_minute_spike_bills_its_interval_average() {
    // 15 one-minute rows at 1,000 kW, one of them at 2,000 kW: the window averages
    // (14 × 1000 + 2000) / 15 = 1,066.67 kW — not the instantaneous 2,000 kW.
    let mut kw = vec![1000.0; 15];
    kw[7] = 2000.0;
    let load = LoadProfile {
        start_ms: at("2024-04-06T00:00:00Z"),
        step_ms: MIN,
        kw,
    };
    let b = bill(SMALL, &load);
    assert!(close(
        line(&b, LineItem::Demand, "facility").quantity,
        16_000.0 / 15.0
    ));
}

#[test]
fn tiers_are_crossed_mid_month() {
    // Up to 100,000 kWh a month at 0.10, beyond at 0.05. 1,000 kW for all of April
    // (720,000 kWh) crosses the bound after 100 h: 100,000 × 0.10 + 620,000 × 0.05 = 41,000.
    let tariff = r#"
[tariff]
[[tariff.periods]]
name = "all"
tiers = [{ up_to_kwh = 100000.0, price_per_kwh = 0.10 }, { price_per_kwh = 0.05 }]
"#;
    let b = bill(tariff, &constant("2024-04-01T00:00:00Z", 720, 1000.0));
    let tiers: Vec<(Option<usize>, f64)> = b.months[0]
        .lines
        .iter()
        .map(|l| (l.tier, l.quantity))
        .collect();
    assert_eq!(tiers, vec![(Some(1), 100_000.0), (Some(2), 620_000.0)]);
    assert!(close(b.total(), 41_000.0));
    // A new month restarts the tiers: May's first 100 MWh are at 0.10 again.
    let b = bill(tariff, &constant("2024-04-01T00:00:00Z", 720 + 200, 1000.0));
    assert_eq!(b.months.len(), 2);
    assert!(close(
        b.months[1].total(),
        100_000.0 * 0.10 + 100_000.0 * 0.05
    ));
}

#[test]
fn daylight_saving_moves_local_periods_in_utc() {
    // Los Angeles, peak 16:00–21:00 local every day. 1,000 kW for one hour at 23:00–24:00 UTC
    // on Saturday 8 March 2025 (PST, UTC−8: 15:00 local, off-peak) and on Monday 10 March
    // (PDT after the switch on 9 March, UTC−7: 16:00 local, peak). A fixed offset would price
    // both hours off-peak.
    let tariff = r#"
[tariff]
time_zone = "America/Los_Angeles"
fixed_per_month = 743.0
[[tariff.periods]]
name = "peak"
hours = [[16, 21]]
price_per_kwh = 0.30
[[tariff.periods]]
name = "off_peak"
price_per_kwh = 0.10
"#;
    let mut kw = vec![0.0; 49];
    kw[0] = 1000.0; // 8 March 23:00Z
    kw[48] = 1000.0; // 10 March 23:00Z
    let load = LoadProfile {
        start_ms: at("2025-03-08T23:00:00Z"),
        step_ms: H,
        kw,
    };
    let b = bill(tariff, &load);
    assert!(close(line(&b, LineItem::Energy, "peak").quantity, 1000.0));
    assert!(close(
        line(&b, LineItem::Energy, "off_peak").quantity,
        1000.0
    ));
    // March 2025 in Los Angeles has 743 hours (one lost on 9 March): 49 h billed pro-rate the
    // 743-per-month fixed charge to exactly 49.
    assert!(close(
        line(&b, LineItem::Fixed, "customer_charge").amount,
        49.0
    ));
}

#[test]
fn a_ratchet_sets_a_floor_on_billed_demand() {
    // Facility demand 10 per kW-month with an 80 % ratchet over 11 months. January draws
    // 1,000 kW, February 500 kW: February bills max(500, 0.8 × 1000) = 800 kW = 8,000.
    let tariff = r#"
[tariff]
[[tariff.demand]]
name = "facility"
price_per_kw = 10.0
ratchet = { share = 0.8, months = 11 }
"#;
    let mut load = constant("2024-01-01T00:00:00Z", 31 * 24 + 29 * 24, 1000.0);
    for kw in &mut load.kw[31 * 24..] {
        *kw = 500.0;
    }
    let b = bill(tariff, &load);
    let feb = &b.months[1]
        .lines
        .iter()
        .find(|l| l.item == LineItem::Demand)
        .unwrap();
    assert!(close(feb.quantity, 800.0), "{}", feb.quantity);
    assert!(close(feb.amount, 8_000.0));
    assert!(feb.note.contains("ratchet"));
    assert!(close(b.months[0].total(), 10_000.0));
}

#[test]
fn a_price_series_is_billed_stepwise() {
    // Hourly prices 50, -20, 100 USD/MWh (+0.01 USD/kWh adder); 1,000 kW for 3 h:
    // 1000 × (0.06 − 0.01 + 0.11) = 160.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("prices.csv"),
        "time,lmp\n2024-05-01T00:00:00Z,50\n2024-05-01T01:00:00Z,-20\n2024-05-01T02:00:00Z,100\n",
    )
    .unwrap();
    let tariff = r#"
[tariff]
prices = { file = "prices.csv", time_column = "time", price_column = "lmp", unit = "per_mwh", adder_per_kwh = 0.01 }
"#;
    let path = dir.path().join("tariff.toml");
    std::fs::write(&path, tariff).unwrap();
    let load = constant("2024-05-01T00:00:00Z", 3, 1000.0);
    let span = Span {
        start_ms: load.start_ms,
        end_ms: load.start_ms + 3 * H as i64,
    };
    let t = read_tariff(&path, None, span, &mut vec![]).unwrap();
    assert!(close(bill_load(&load, &t).0.total(), 160.0));
    // A load that runs past the series is an error, not a silent extrapolation.
    let span = Span {
        start_ms: load.start_ms,
        end_ms: load.start_ms + 4 * H as i64,
    };
    let e = read_tariff(&path, None, span, &mut vec![])
        .unwrap_err()
        .to_string();
    assert!(e.contains("does not cover"), "{e}");
}

#[test]
fn a_simulated_run_bills_the_same_way_and_attribution_adds_up() {
    // A 1,000 kW constant cluster (1,000 devices drawing 1 kW at any load) on the SMALL tariff
    // for April 2024, with a job on half the devices. Facility energy is 720,000 kWh whatever
    // the jobs do, so the bill equals the constant-load bill above: 124,850.
    let src = format!(
        r#"
[simulation]
start = "2024-04-01T00:00:00Z"
horizon = "30d"
output_interval = "6h"

[devices.flat]
idle_w = 1000.0
max_w = 1000.0

[[pools]]
device = "flat"
nodes = 125
devices_per_node = 8

[[jobs]]
devices = 500
submit = "3d"
duration = "10d"
{SMALL}"#
    );
    let scenario = common::scenario(&src);
    let r = wattsim::run(&scenario, 1);
    let s = wattsim::report::Summary::from_result(&r);
    assert!(close(s.total_cost, 124_850.0), "{}", s.total_cost);
    // Energy 98,400 (39,600 + 58,800); demand 15,000; fixed 100; tax 11,350.
    assert!(close(s.energy_cost, 98_400.0));
    assert!(close(s.demand_cost, 15_000.0));
    assert!(close(s.fixed_cost, 100.0));
    assert!(close(s.tax_cost, 11_350.0));
    // Jobs + idle energy charges = energy cost; + site charges = total.
    assert!(close(s.jobs_cost + s.idle_cost, s.energy_cost));
    assert!(close(s.jobs_cost + s.idle_cost + s.site_cost, s.total_cost));
    // The job asks for 500 devices, so it holds ceil(500 / 8) = 63 whole nodes = 504 devices
    // drawing 504 kW. From Thursday 4 April 00:00 to Sunday 14 April 00:00 it sees 7 weekdays
    // (4, 5, 8–12) × 6 peak hours = 42 h at 0.30 and 198 h at 0.10:
    // 504 × (42 × 0.30 + 198 × 0.10) = 504 × 32.4 = 16,329.6.
    assert_eq!(r.jobs[0].held_devices, 504);
    assert!(
        close(r.jobs[0].attribution.cost, 16_329.6),
        "{}",
        r.jobs[0].attribution.cost
    );
    // The bill does not depend on the output interval.
    let mut fine = scenario.clone();
    fine.output_interval_ms = 7 * MIN;
    let s2 = wattsim::report::Summary::from_result(&wattsim::run(&fine, 1));
    assert!(close(s2.total_cost, s.total_cost));
}

#[test]
fn bill_command_prices_a_meter_file() {
    // Two 15-minute rows of 400 and 800 kWh (1,600 and 3,200 kW) at a flat 0.10 per kWh:
    // 1,200 kWh → 120.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("meter.csv"),
        "timestamp,kwh\n2024-06-03 10:00,400\n2024-06-03 10:15,800\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("flat.toml"),
        "[tariff]\nprice_per_kwh = 0.10\n",
    )
    .unwrap();
    let o = common::wattsim(
        &[
            "bill",
            "--load",
            "meter.csv",
            "--tariff",
            "flat.toml",
            "--value-column",
            "kwh",
            "--unit",
            "kwh",
            "--out",
            "b",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(dir.path().join("b/bill.csv")).unwrap();
    let total: f64 = csv
        .lines()
        .find(|l| l.contains("month_total"))
        .and_then(|l| l.split(',').nth(7))
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(close(total, 120.0), "{csv}");
}

#[test]
fn an_hourly_meter_on_a_15_minute_demand_tariff_is_warned_about() {
    // Hourly readings priced on a tariff whose demand is billed on 15-minute averages: the
    // billed peak is an hourly average, lower than the utility's, and the command says so; a
    // 15-minute meter on the same tariff, or an hourly one on a tariff without demand
    // charges, gives no such warning.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("hourly.csv"),
        "timestamp,kw\n2024-06-03 10:00,500\n2024-06-03 11:00,800\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("quarter.csv"),
        "timestamp,kw\n2024-06-03 10:00,500\n2024-06-03 10:15,800\n",
    )
    .unwrap();
    let demand = "[tariff]\nprice_per_kwh = 0.10\n[[tariff.demand]]\nname = \"facility\"\nprice_per_kw = 10.0\n";
    std::fs::write(dir.path().join("demand.toml"), demand).unwrap();
    std::fs::write(
        dir.path().join("flat.toml"),
        "[tariff]\nprice_per_kwh = 0.10\n",
    )
    .unwrap();
    let warned = |load: &str, tariff: &str| {
        let out = format!("out-{load}-{tariff}");
        let o = common::wattsim(
            &[
                "bill",
                "--load",
                load,
                "--tariff",
                tariff,
                "--value-column",
                "kw",
                "--out",
                &out,
            ],
            dir.path(),
        );
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(o.status.success(), "{err}");
        err.contains("readings are 1h apart but the tariff bills demand on 15min averages")
    };
    assert!(warned("hourly.csv", "demand.toml"));
    assert!(!warned("quarter.csv", "demand.toml"));
    assert!(!warned("hourly.csv", "flat.toml"));
}
