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
        prop_assert!(r.jobs.iter().all(|j| j.attribution.it_energy_kwh >= 0.0));
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
