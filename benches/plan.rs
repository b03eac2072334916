//! Capacity-plan benchmark: `wattsim plan` on the bundled capacity example — the H100
//! alternative sized over 8..400 nodes with 5 replications per probed value — and one probed
//! value alone (5 runs at 96 nodes), so that a plan's cost reads as probes × one probe. The
//! full scan it replaces (393 values × 5 runs) is not benched: quoted by hand in the README.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn plan(c: &mut Criterion) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/workloads/capacity.toml");
    let spec = wattsim::scenario::plan::read(&path).expect("the capacity example plans");
    let alt = &spec.alternatives[0];
    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .expect("a thread pool");
    let mut g = c.benchmark_group("plan");
    g.sample_size(10);
    g.bench_function("capacity 8..400 nodes x 5 replications (H100)", |b| {
        b.iter(|| {
            let sized = wattsim::plan::size(&spec, &alt.label, &mut |v| {
                wattsim::plan::evaluate(&spec, alt, v, &pool)
            });
            black_box(sized.answer)
        })
    });
    g.bench_function("one probe: 96 nodes x 5 replications", |b| {
        b.iter(|| black_box(wattsim::plan::evaluate(&spec, alt, 96, &pool).met))
    });
    g.finish();
}

criterion_group!(benches, plan);
criterion_main!(benches);
