//! Property tests of the invariants: energy ≥ 0, facility ≥ IT, attribution adds up to the
//! totals, rows add up to the totals, and a power-state integral equals Σ P·Δt.

use crate::common;

use proptest::prelude::*;
use wattsim::report::Summary;

/// The knobs a generated scenario varies.
#[derive(Debug, Clone, Copy)]
struct Params {
    nodes: u32,
    dpn: u32,
    rate: f64,
    mean_h: f64,
    util: f64,
    pue: f64,
    price: f64,
    host: f64,
    interval_min: u32,
}

fn scenario_text(p: Params) -> String {
    let Params {
        nodes,
        dpn,
        rate,
        mean_h,
        util,
        pue,
        price,
        host,
        interval_min,
    } = p;
    format!(
        r#"
[simulation]
start = "2024-03-01T00:00:00Z"
horizon = "3d"
output_interval = "{interval_min}min"

[[pools]]
device = "A100-SXM4-40GB"
nodes = {nodes}
devices_per_node = {dpn}
host_idle_w = {host}
host_max_w = {host2}

[[jobs]]
devices = 1
duration = "5h"
submit = "1h"

[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = {rate} }}
devices = {{ values = [1, 2, {dpn}, {big}], weights = [4.0, 2.0, 1.0, 0.5] }}
duration = {{ distribution = "exponential", mean = "{mean_h}h" }}
utilization = {util}

[facility]
pue = {pue}

[tariff]
price_per_kwh = {price}

[carbon]
intensity_g_per_kwh = 300.0
"#,
        host2 = host * 2.0,
        big = dpn * 2,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn invariants_hold(
        nodes in 1u32..6,
        dpn in 1u32..9,
        rate in 0.5f64..20.0,
        mean_h in 0.2f64..6.0,
        util in 0.0f64..=1.0,
        pue in 1.0f64..2.0,
        price in 0.0f64..0.5,
        host in 0.0f64..800.0,
        interval_min in 1u32..240,
        seed in any::<u64>(),
    ) {
        let src = scenario_text(Params { nodes, dpn, rate, mean_h, util, pue, price, host, interval_min });
        let r = wattsim::run(&common::scenario(&src), seed);
        let s = Summary::from_result(&r);
        // Energy is non-negative and facility ≥ IT.
        prop_assert!(s.it_energy_kwh > 0.0);
        prop_assert!(s.facility_energy_kwh >= s.it_energy_kwh * (1.0 - 1e-12));
        // Each job draws a constant power (one utilisation, no caps): its IT energy, charged
        // from two meter snapshots, is that power times its time on the devices.
        for j in &r.jobs {
            let (Some(start), Some(end)) = (j.start_ms, j.end_ms) else { continue };
            let expected = j.power_uw as f64 * 1e-9 * (end - start) as f64 / 3.6e6;
            prop_assert!(
                (j.attribution.it_energy_kwh - expected).abs() <= 1e-9 * expected.max(1e-9),
                "job {}: {} vs {}", j.id, j.attribution.it_energy_kwh, expected
            );
        }
        // Attribution adds up: jobs + idle = totals.
        for (a, b) in [
            (s.jobs_it_energy_kwh + s.idle_it_energy_kwh, s.it_energy_kwh),
            (s.jobs_cost + s.idle_cost, s.total_cost),
            (s.jobs_carbon_kg + s.idle_carbon_kg, s.carbon_kg),
        ] {
            prop_assert!(common::rel(a, b) < 1e-9, "{} vs {}", a, b);
        }
        // Each interval's per-pool IT energy adds up to its IT energy.
        for iv in &r.intervals {
            let pools: f64 = iv.pool_it_kwh.iter().sum();
            prop_assert!((pools - iv.totals.it_energy_kwh).abs() <= 1e-9 * iv.totals.it_energy_kwh.max(1e-9));
        }
        // Rows add up to the totals.
        let rows: f64 = r.intervals.iter().map(|i| i.totals.facility_energy_kwh).sum();
        prop_assert!(common::rel(rows, s.facility_energy_kwh) < 1e-9);
        // Cost = facility energy × price and carbon = facility energy × 0.3 kg/kWh (flat rates).
        prop_assert!(common::rel(s.total_cost, s.facility_energy_kwh * price) < 1e-9 || price == 0.0);
        prop_assert!(common::rel(s.carbon_kg, s.facility_energy_kwh * 0.3) < 1e-9);
        // IT energy is bounded by idle and full-load power over the horizon (72 h).
        let slot_idle_w = 55.0 + host / dpn as f64;
        let slot_max_w = 400.0 + 2.0 * host / dpn as f64;
        let devices = (nodes * dpn) as f64;
        prop_assert!(s.it_energy_kwh >= devices * slot_idle_w * 72.0 / 1000.0 * (1.0 - 1e-9));
        prop_assert!(s.it_energy_kwh <= devices * slot_max_w * 72.0 / 1000.0 * (1.0 + 1e-9));
        // Per-job energy = power × run time, exactly as Σ P·Δt of a constant draw.
        for j in r.jobs.iter().filter(|j| j.start_ms.is_some()) {
            let hours = (j.end_ms.unwrap() - j.start_ms.unwrap()) as f64 / 3.6e6;
            let expect = j.power_uw as f64 * 1e-9 * hours;
            prop_assert!((j.attribution.it_energy_kwh - expect).abs() <= 1e-9 * expect.max(1e-9));
        }
    }
}

/// A week in Phoenix where everything varies in time: weather-driven cooling (the PUE follows
/// the outdoor temperature), an hourly grid intensity, a time-of-use tariff with facility and
/// peak demand charges, and jobs that load their devices by a phased, cycling profile.
fn varying_text(rate: f64, interval_min: u32) -> String {
    format!(
        r#"
[simulation]
start = "2025-07-14T07:00:00Z"
horizon = "3d"
output_interval = "{interval_min}min"

[[pools]]
device = "H100-SXM5-80GB"
nodes = 4
devices_per_node = 8
host_idle_w = 1200.0
host_max_w = 3000.0

[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = {rate} }}
devices = {{ values = [1, 2, 4, 8], weights = [0.5, 0.2, 0.2, 0.1] }}
duration = {{ distribution = "lognormal", median = "2h", sigma = 1.0 }}
utilization = 0.8
load_profile = {{ phases = [{{ duration = "7min", utilization = 0.3 }}],
                 cycle = [{{ duration = "23min", utilization = 0.95 }},
                          {{ duration = "4min", utilization = 0.1 }}] }}

[facility]
cooling = "air_cooled"
fixed_kw = 15.0
weather = {{ file = "weather.csv", value_column = "temperature_c", repeat = "cycle" }}

[tariff]
time_zone = "America/Phoenix"
[[tariff.periods]]
name = "on_peak"
days = "weekdays"
hours = [[15, 19]]
price_per_kwh = 0.31
[[tariff.periods]]
name = "off_peak"
price_per_kwh = 0.08
[[tariff.demand]]
name = "facility"
price_per_kw = 12.0
[[tariff.demand]]
name = "peak"
price_per_kw = 9.5
periods = ["on_peak"]

[carbon]
intensity = {{ file = "ci.csv", value_column = "avg_CI", repeat = "cycle" }}
"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn attribution_and_resolution_hold_when_everything_varies(
        rate in 2.0f64..30.0,
        interval_min in 1u32..180,
        seed in any::<u64>(),
    ) {
        let site = common::root().join("scenarios/site");
        let weather = std::fs::read_to_string(site.join("phoenix-07-15-temperature.csv")).unwrap();
        let ci = std::fs::read_to_string(site.join("azps-2022-07-15-ci.csv")).unwrap();
        let files = [("weather.csv", weather.as_str()), ("ci.csv", ci.as_str())];
        let r = common::run_with_files(&varying_text(rate, interval_min), &files, seed);
        let s = Summary::from_result(&r);
        // Jobs and idle capacity carry the IT energy, the energy charges and the carbon, the
        // site the rest of the bill: the parts add up to the totals.
        for (a, b) in [
            (s.jobs_it_energy_kwh + s.idle_it_energy_kwh, s.it_energy_kwh),
            (s.jobs_cost + s.idle_cost + s.site_cost, s.total_cost),
            (s.jobs_cost + s.idle_cost, s.energy_cost),
            (s.jobs_carbon_kg + s.idle_carbon_kg, s.carbon_kg),
        ] {
            prop_assert!(common::rel(a, b) < 1e-9, "{} vs {}", a, b);
        }
        prop_assert!(s.demand_cost > 0.0);
        // The intervals add up to the totals, whatever their length.
        let sum = |f: fn(&wattsim::result::IntervalRecord) -> f64| r.intervals.iter().map(f).sum::<f64>();
        prop_assert!(common::rel(sum(|i| i.totals.facility_energy_kwh), s.facility_energy_kwh) < 1e-9);
        prop_assert!(common::rel(sum(|i| i.totals.cost), s.energy_cost) < 1e-9);
        prop_assert!(common::rel(sum(|i| i.totals.carbon_kg), s.carbon_kg) < 1e-9);
        // And the totals do not depend on the output interval: the same run at one hour.
        let hourly = common::run_with_files(&varying_text(rate, 60), &files, seed);
        let h = Summary::from_result(&hourly);
        for (a, b) in [
            (s.facility_energy_kwh, h.facility_energy_kwh),
            (s.total_cost, h.total_cost),
            (s.demand_cost, h.demand_cost),
            (s.carbon_kg, h.carbon_kg),
            (s.water_l, h.water_l),
            (s.jobs_cost, h.jobs_cost),
        ] {
            prop_assert!(common::rel(a, b) < 1e-9, "{} vs {} at {} min", a, b, interval_min);
        }
    }
}
