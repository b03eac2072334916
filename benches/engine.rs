//! Engine benchmarks: event-queue throughput, a whole M/M/c-like run (1,000 devices,
//! 1,000,000 one-device exponential jobs, load 0.8, exact metering on; jobs streamed out as a
//! sweep does, and all kept in memory as `wattsim::run` does), a bare-loop baseline
//! of the same queue for comparison, and the quickstart scenario end to end.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_distr::{Distribution, Exp1};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::path::Path;
use wattsim::engine::EventQueue;
use wattsim::engine::rng::SimRng;

/// 125 nodes × 8 devices = 1,000 devices; λ = 800 jobs/h, mean 1 h → load 0.8.
const MMC: &str = include_str!("mmc.toml");

fn queue_hold(c: &mut Criterion) {
    // The classic "hold" model: 1,000 pending events; each step pops the earliest and pushes
    // one at an exponential distance.
    const STEPS: u64 = 1_000_000;
    let mut g = c.benchmark_group("event_queue");
    g.sample_size(10);
    g.throughput(Throughput::Elements(STEPS));
    g.bench_function("hold_1000_pending", |b| {
        b.iter(|| {
            let mut rng = SimRng::seed_from_u64(1);
            let mut q = EventQueue::new();
            for i in 0..1000u64 {
                let dt: f64 = Exp1.sample(&mut rng);
                q.push((dt * 1e6) as u64, i);
            }
            for _ in 0..STEPS {
                let (t, e) = q.pop().unwrap();
                let dt: f64 = Exp1.sample(&mut rng);
                q.push(t + (dt * 1e6) as u64, e);
            }
            black_box(q.len())
        })
    });
    g.finish();
}

/// A bare loop of the same M/M/c queue with only std's BinaryHeap and a linear power
/// integral: the floor for what the full engine does with its bookkeeping.
fn bare_mmc(jobs: u64) -> (u64, f64) {
    let mut rng = SimRng::seed_from_u64(7);
    let mut heap: BinaryHeap<Reverse<(u64, u64, bool)>> = BinaryHeap::new();
    let (mut seq, mut free, mut queued, mut arrived) = (0u64, 1000u32, 0u64, 0u64);
    let (mut last, mut power_w, mut energy_wms) = (0u64, 1000.0 * 60.0, 0.0f64);
    let gap = |rng: &mut SimRng| {
        let x: f64 = Exp1.sample(rng);
        (x * 4500.0) as u64 // 3.6e6 ms / 800
    };
    let first = gap(&mut rng);
    heap.push(Reverse((first, seq, true)));
    let mut events = 0u64;
    while let Some(Reverse((t, _, arrival))) = heap.pop() {
        events += 1;
        energy_wms += power_w * (t - last) as f64;
        last = t;
        let mut start = false;
        if arrival {
            arrived += 1;
            if arrived < jobs {
                seq += 1;
                heap.push(Reverse((t + gap(&mut rng), seq, true)));
            }
            if free > 0 { start = true } else { queued += 1 }
        } else {
            free += 1;
            power_w -= 332.0;
            if queued > 0 {
                queued -= 1;
                start = true;
            }
        }
        if start {
            free -= 1;
            power_w += 332.0;
            let x: f64 = Exp1.sample(&mut rng);
            seq += 1;
            heap.push(Reverse((t + (x * 3.6e6) as u64, seq, false)));
        }
    }
    (events, energy_wms)
}

fn whole_runs(c: &mut Criterion) {
    let scenario = wattsim::scenario::parse(MMC, Path::new("mmc-bench.toml")).expect("valid");
    let events = wattsim::run(&scenario, 1).events;
    let mut g = c.benchmark_group("mmc_1000_devices_1m_jobs");
    g.sample_size(10);
    g.throughput(Throughput::Elements(events));
    // Jobs streamed out and dropped (as in a sweep): the engine itself.
    g.bench_function("wattsim_run_streamed", |b| {
        b.iter(|| {
            let r = wattsim::sim::run_with(&scenario, 1, &mut wattsim::result::Discard);
            black_box(r.totals.energy.it_energy_kwh)
        })
    });
    // Every job kept in memory in id order (`wattsim::run`, for library users and tests).
    g.bench_function("wattsim_run_keeping_jobs", |b| {
        b.iter(|| black_box(wattsim::run(&scenario, 1).totals.energy.it_energy_kwh))
    });
    // The whole `wattsim run` minus argument parsing and charts: the run into a folder with
    // its job table as CSV, as Parquet, and none (#15's whole-process targets are against
    // the bare loop below).
    let out = tempfile::tempdir().expect("temporary folder");
    for format in [
        wattsim::report::format::TableFormat::Csv,
        wattsim::report::format::TableFormat::Parquet,
        wattsim::report::format::TableFormat::None,
    ] {
        let mut sc = scenario.clone();
        sc.output.jobs = format;
        let dir = out.path().join(format.to_string());
        g.bench_function(format!("wattsim_run_to_folder_jobs_{format}"), |b| {
            b.iter(|| {
                let w = wattsim::run_folder::run_to_folder(&sc, 1, &dir, "mmc.toml", "", false)
                    .expect("written");
                black_box(w.result.totals.energy.it_energy_kwh)
            })
        });
    }
    let (bare_events, _) = bare_mmc(1_000_000);
    g.throughput(Throughput::Elements(bare_events));
    g.bench_function("bare_binaryheap_loop", |b| {
        b.iter(|| black_box(bare_mmc(1_000_000)))
    });
    g.finish();

    let quick = wattsim::scenario::load(Path::new("scenarios/quickstart.toml")).expect("valid");
    let events = wattsim::run(&quick.scenario, quick.scenario.seed).events;
    let mut g = c.benchmark_group("scenario");
    g.sample_size(20);
    g.throughput(Throughput::Elements(events));
    g.bench_function("quickstart_run_and_reports", |b| {
        b.iter(|| {
            let r = wattsim::run(&quick.scenario, quick.scenario.seed);
            let jobs = wattsim::report::jobs::to_csv(&r).expect("csv");
            let ts = wattsim::report::timeseries::to_csv(&r).expect("csv");
            black_box((jobs.len(), ts.len()))
        })
    });
    g.finish();
}

/// A year of 1-minute load (525,600 rows, varying every minute) billed on a TOU tariff with
/// facility and TOU demand charges, through the same meter and biller a simulation uses.
fn billing_year(c: &mut Criterion) {
    use wattsim::model::tariff::{DemandCharge, DemandScope, EnergyPeriod, EnergyPricing, Tier};
    let mut tariff = wattsim::model::tariff::Tariff::flat(0.1, "USD");
    tariff.time_zone = "America/Los_Angeles".parse().expect("zone");
    let mut schedule = wattsim::model::tariff::Schedule::constant(0);
    for month in 0..12 {
        for hour in 16..21 {
            schedule.weekday[month][hour] = 1;
        }
    }
    let tier = |price| vec![Tier { max: None, price }];
    tariff.energy = EnergyPricing::Tou {
        periods: vec![
            EnergyPeriod {
                name: "off".into(),
                tiers: tier(0.1),
                tier_unit: Default::default(),
            },
            EnergyPeriod {
                name: "peak".into(),
                tiers: tier(0.3),
                tier_unit: Default::default(),
            },
        ],
        schedule: Box::new(schedule.clone()),
    };
    tariff.demand_schedule = schedule;
    tariff.demand = vec![
        DemandCharge {
            name: "facility".into(),
            scope: DemandScope::All,
            tiers_by_month: vec![tier(10.0); 12],
            ratchet: None,
        },
        DemandCharge {
            name: "peak".into(),
            scope: DemandScope::Periods(vec![1]),
            tiers_by_month: vec![tier(20.0); 12],
            ratchet: None,
        },
    ];
    let mut rng = SimRng::seed_from_u64(3);
    let kw: Vec<f64> = (0..525_600)
        .map(|_| {
            let x: f64 = Exp1.sample(&mut rng);
            800.0 + 100.0 * x
        })
        .collect();
    let load = wattsim::input::load::LoadProfile {
        start_ms: 1_735_718_400_000, // 2025-01-01T08:00:00Z
        step_ms: 60_000,
        kw,
    };
    let mut g = c.benchmark_group("billing");
    g.sample_size(10);
    g.throughput(Throughput::Elements(525_600));
    g.bench_function("year_of_1min_load_tou_demand", |b| {
        b.iter(|| black_box(wattsim::billing::bill_load(&load, &tariff).0.total()))
    });
    g.finish();
}

criterion_group!(benches, queue_hold, whole_runs, billing_year);
criterion_main!(benches);
