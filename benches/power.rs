//! Power-management benchmarks: the engine's M/M/c model (1,000 devices, 1,000,000
//! one-device jobs, load 0.8, jobs streamed out) without `[power]`, and with a 560 kW facility
//! budget in `cap` mode (mean facility power uncapped is 521 kW, its peak 594 kW, so caps
//! move often) plus idle power-down, events/s on the same jobs.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// 125 nodes × 8 devices, λ = 800 jobs/h of mean 1 h: load 0.8 (see `benches/engine.rs`).
const MMC: &str = include_str!("mmc.toml");

/// The budget and power-down added to the same model.
const POWER: &str = r#"
[power]
budget_kw = 560.0
budget_on = "facility"
budget_action = "cap"
idle_power_down = { after = "30min", off_w = 20.0, boot = "5min", boot_w = 1500.0 }
"#;

fn power(c: &mut Criterion) {
    let mut g = c.benchmark_group("mmc_power_management");
    g.sample_size(10);
    for (name, extra) in [("without_power", ""), ("cap_budget_and_power_down", POWER)] {
        let text = format!("{MMC}\n{extra}");
        let scenario =
            wattsim::scenario::parse(&text, Path::new("mmc-power.toml")).expect("valid scenario");
        let events = wattsim::sim::run_with(&scenario, 1, &mut wattsim::result::Discard).events;
        g.throughput(Throughput::Elements(events));
        g.bench_function(name, |b| {
            b.iter(|| {
                let r = wattsim::sim::run_with(&scenario, 1, &mut wattsim::result::Discard);
                black_box(r.totals.energy.it_energy_kwh)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, power);
criterion_main!(benches);
