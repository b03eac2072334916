//! Scheduling-policy benchmarks: a 10,000-GPU cluster (1,250 nodes × 8) at offered load 0.95
//! with a backlog of 3,000 jobs submitted in the first minutes (thousands waiting), two days,
//! jobs streamed out as a sweep does: FIFO, EASY and conservative backfilling on the same
//! jobs, events/s. Conservative backfilling reserves every examined job at every pass, so it
//! runs with `backfill_depth = 100` here (1,000, the default, takes minutes per run).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// Offered load: 292 jobs/h × 16.26 devices (mean of the size mix) × 2 h = 9,496 of 10,000
/// devices ≈ 0.95; plus the backlog.
const CLUSTER: &str = r#"
name = "policies-bench"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "2d"
output_interval = "1h"
[[pools]]
device = "H100-SXM5-80GB"
nodes = 1250
devices_per_node = 8
[[workloads]]
name = "steady"
arrival = { process = "poisson", rate_per_hour = 292.0 }
devices = { values = [1, 2, 4, 8, 16, 64, 256], weights = [30.0, 20.0, 15.0, 15.0, 10.0, 7.0, 3.0] }
duration = { distribution = "exponential", mean = "2h" }
walltime = { factor = 1.5 }
[[workloads]]
name = "backlog"
arrival = { process = "poisson", rate_per_hour = 30000.0 }
devices = { values = [1, 2, 4, 8, 16, 64, 256], weights = [30.0, 20.0, 15.0, 15.0, 10.0, 7.0, 3.0] }
duration = { distribution = "exponential", mean = "2h" }
max_jobs = 3000
[tariff]
price_per_kwh = 0.1
[carbon]
intensity_g_per_kwh = 400.0
"#;

fn policies(c: &mut Criterion) {
    let mut g = c.benchmark_group("policies_10000_gpus_load_0.95");
    g.sample_size(10);
    for (name, scheduler) in [
        ("fifo", "policy = \"fifo\""),
        ("easy_backfill", "policy = \"easy-backfill\""),
        (
            "conservative_backfill_depth_100",
            "policy = \"conservative-backfill\"\nbackfill_depth = 100",
        ),
    ] {
        let text = format!("{CLUSTER}\n[scheduler]\n{scheduler}\n");
        let scenario = wattsim::scenario::parse(&text, Path::new("policies-bench.toml"))
            .expect("valid scenario");
        let events = wattsim::sim::run_with(&scenario, 1, &mut wattsim::result::Discard).events;
        g.throughput(Throughput::Elements(events));
        g.bench_function(name, |b| {
            b.iter(|| {
                let r = wattsim::sim::run_with(&scenario, 1, &mut wattsim::result::Discard);
                black_box(r.job_stats.waits.mean_s())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, policies);
criterion_main!(benches);
