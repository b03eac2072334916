//! Sweep benchmarks: 200 runs of a one-month, 1,000-GPU scenario with 1 and 2 threads (runs/s
//! and parallel efficiency), the same 200 simulations without any sweep machinery (to isolate
//! the per-run overhead of expansion, records and reports), and expanding a 200-point sweep.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use wattsim::sweep::{SweepOptions, run_sweep};

/// 125 nodes × 8 = 1,000 GPUs for 30 days; ~0.7 load of 1–8-GPU jobs; TOU + demand tariff.
fn scenario(sweep: &str) -> String {
    format!(
        r#"
{sweep}

[simulation]
start = "2025-04-01T07:00:00Z"
horizon = "30d"
seed = 1
output_interval = "1h"

[[pools]]
device = "H100-SXM5-80GB"
nodes = 125
devices_per_node = 8
host_idle_w = 1200.0
host_max_w = 3000.0

[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = 110.0 }}
devices = {{ values = [1, 2, 4, 8], weights = [0.5, 0.2, 0.2, 0.1] }}
duration = {{ distribution = "exponential", mean = "2.5h" }}
utilization = 0.8

[facility]
pue = 1.3

[tariff]
time_zone = "America/Los_Angeles"
[[tariff.periods]]
name = "peak"
days = "weekdays"
hours = [[16, 21]]
price_per_kwh = 0.25
[[tariff.periods]]
name = "off"
price_per_kwh = 0.11
[[tariff.demand]]
price_per_kw = 20.0
"#
    )
}

fn sweeps(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.toml");
    std::fs::write(&path, scenario("[sweep]\nreplications = 200")).expect("write");
    let files = vec![wattsim::scenario::sweep::expand(&path, 0).expect("valid")];
    let quiet = |_p: wattsim::sweep::runner::Progress| {};

    let mut g = c.benchmark_group("sweep_200_runs_1000_gpus_1_month");
    g.sample_size(10);
    g.throughput(Throughput::Elements(200));
    for threads in [1, 2] {
        g.bench_function(format!("threads_{threads}"), |b| {
            let opts = SweepOptions {
                threads,
                ..Default::default()
            };
            let out = dir.path().join(format!("out{threads}"));
            b.iter(|| black_box(run_sweep(&files, &out, &opts, &quiet).expect("sweep").ran))
        });
    }
    // The same simulations with nothing around them: the difference is the sweep's overhead.
    let base = files[0].points[0].scenario.as_ref().expect("valid");
    let seeds: Vec<u64> = (0..200)
        .map(|r| wattsim::engine::rng::replication_seed(base.seed, r))
        .collect();
    g.bench_function("simulations_only_threads_1", |b| {
        b.iter(|| {
            let total: f64 = seeds
                .iter()
                .map(|&s| wattsim::run(base, s).totals.energy.it_energy_kwh)
                .sum();
            black_box(total)
        })
    });
    g.finish();

    let values: Vec<String> = (0..200).map(|i| i.to_string()).collect();
    std::fs::write(
        &path,
        scenario(&format!(
            "[sweep]\n\"simulation.seed\" = [{}]",
            values.join(", ")
        )),
    )
    .expect("write");
    let mut g = c.benchmark_group("sweep_expand");
    g.sample_size(10);
    g.throughput(Throughput::Elements(200));
    g.bench_function("expand_and_validate_200_points", |b| {
        b.iter(|| {
            black_box(
                wattsim::scenario::sweep::expand(&path, 0)
                    .expect("valid")
                    .points
                    .len(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, sweeps);
criterion_main!(benches);
