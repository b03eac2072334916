//! Trace-replay benchmark: a 1,000,000-job synthetic trace (CSV, streamed) replayed on a
//! 10,000-GPU cluster, with jobs dropped into the aggregates and with `jobs.csv` streamed to
//! disk as `wattsim run` does. First it prints the peak resident memory of a
//! 100,000-job and a 1,000,000-job replay (Linux `VmHWM`, reset between them), which must
//! stay flat with trace length.

#[path = "../tests/it/common.rs"]
#[allow(dead_code)] // the bench uses only the trace generator
mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use wattsim::Scenario;

/// 1,250 nodes × 8 = 10,000 H100s; 2,500 jobs/h × 2.83 GPUs × 1 h ≈ 0.71 load.
fn scenario(trace: &Path, hours: u64) -> Scenario {
    let text = format!(
        r#"
name = "trace-bench"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "{hours}h"
output_interval = "1h"
[[pools]]
device = "H100-SXM5-80GB"
nodes = 1250
devices_per_node = 8
host_idle_w = 1200.0
host_max_w = 3000.0
[[traces]]
name = "synthetic"
file = {trace:?}
submit_column = "submit_s"
devices_column = "gpus"
duration_column = "runtime_s"
time_unit = "s"
utilization_column = "gpu_util_pct"
utilization_scale = 0.01
tenant_column = "user"
[facility]
pue = 1.2
[tariff]
price_per_kwh = 0.1
[carbon]
intensity_g_per_kwh = 400.0
"#
    );
    wattsim::scenario::parse(&text, Path::new("trace-bench.toml")).expect("valid")
}

/// Peak resident memory of this process since the last reset [MiB] (Linux only).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resets the peak resident memory to the current one (Linux ≥ 4.0).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn replay(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("trace-1m.csv");
    let small = dir.path().join("trace-100k.csv");
    common::synthetic_trace(&big, 1_000_000, 2500.0, 1);
    common::synthetic_trace(&small, 100_000, 2500.0, 1);
    let out = dir.path().join("out");
    // Memory first, while the process is fresh.
    for (name, trace, hours) in [("100,000", &small, 50), ("1,000,000", &big, 410)] {
        let sc = scenario(trace, hours);
        reset_peak_rss();
        let before = peak_rss_mib();
        let w =
            wattsim::run_folder::run_to_folder(&sc, 1, &out, "t.toml", "", false).expect("written");
        let after = peak_rss_mib();
        if let (Some(before), Some(after)) = (before, after) {
            println!(
                "peak RSS replaying {name} jobs with jobs.csv: {after:.1} MiB (process at start {before:.1} MiB); job table peak {} jobs",
                w.result.peak_live_jobs
            );
        }
    }
    // 1,000,000 jobs at 2,500/h arrive within 400 h; run to 410 h.
    let sc = scenario(&big, 410);
    let events = wattsim::sim::run_with(&sc, 1, &mut wattsim::result::Discard).events;
    let mut g = c.benchmark_group("trace_replay_1m_jobs_10000_gpus");
    g.sample_size(10);
    g.throughput(Throughput::Elements(events));
    g.bench_function("aggregates_only", |b| {
        b.iter(|| {
            let r = wattsim::sim::run_with(&sc, 1, &mut wattsim::result::Discard);
            black_box(r.totals.energy.it_energy_kwh)
        })
    });
    g.bench_function("with_jobs_csv_and_reports", |b| {
        b.iter(|| {
            let w = wattsim::run_folder::run_to_folder(&sc, 1, &out, "t.toml", "", false)
                .expect("written");
            black_box(w.result.totals.energy.it_energy_kwh)
        })
    });
    g.finish();
}

criterion_group!(benches, replay);
criterion_main!(benches);
