//! Tests of whole runs through the event loop with policies and power managers built by hand:
//! the power manager's view, EASY's promises, and the kept plans and indexed scans checked
//! against planning and scanning afresh.

use super::*;
use crate::scheduler::power::PowerControl;
use crate::scheduler::queued::{Pass, Queued};
use crate::scheduler::{Config, FifoScheduler};
use crate::time::SimTime;

/// `nodes` nodes of `per_node` devices `d` (50 W idle, 300 W busy, no host) from
/// 2024-01-01T00:00Z for `horizon`, with `rest` (jobs, workloads, `[scheduler]`).
fn cluster(horizon: &str, nodes: u32, per_node: u32, rest: &str) -> Scenario {
    let text = format!(
        "[simulation]\nstart = \"2024-01-01T00:00:00Z\"\nhorizon = \"{horizon}\"\n\
         [devices.d]\nidle_w = 50.0\nmax_w = 300.0\n\
         [[pools]]\ndevice = \"d\"\nnodes = {nodes}\ndevices_per_node = {per_node}\n{rest}"
    );
    crate::scenario::parse(&text, std::path::Path::new("t.toml")).unwrap()
}

/// Job sizes from one device to 32 nodes, mostly small [devices].
const SIZES: &str = "devices = { values = [1, 2, 4, 8, 16, 64, 256], weights = [30.0, 20.0, 15.0, 15.0, 10.0, 7.0, 3.0] }";

/// A queue policy running `pass` over a queue set up as `config` says, keeping its running
/// jobs by estimated end.
fn queued<P: Pass>(config: &Config, pass: P) -> Queued<P> {
    Queued::new(
        crate::scheduler::queue::WaitQueue::new(config),
        crate::scheduler::book::Book::new(&[], true),
        pass,
    )
}

/// Runs `sc` with seed 4 and `scheduler`, keeping every job.
fn run_keeping<S: Scheduler>(sc: &Scenario, scheduler: &mut S) -> RunResult {
    event_loop(
        sc,
        4,
        &mut crate::result::Discard,
        true,
        scheduler,
        &mut AlwaysOn,
    )
}

/// The start of every job of `sc` under `scheduler` (seed 4).
fn starts<S: Scheduler>(sc: &Scenario, mut scheduler: S) -> Vec<Option<SimTime>> {
    let r = run_keeping(sc, &mut scheduler);
    r.jobs.iter().map(|j| j.start_ms).collect()
}

/// Records what it sees after each event; asks once to be woken at 30 min.
#[derive(Default)]
struct Watch {
    seen: Vec<(SimTime, f64)>,
}

impl PowerManager for Watch {
    fn name(&self) -> &'static str {
        "watch"
    }
    fn after_event<P: PowerControl + ?Sized>(&mut self, power: &mut P) {
        if self.seen.is_empty() {
            power.wake_at(1_800_000);
        }
        self.seen.push((power.now(), power.it_kw()));
    }
}

#[test]
fn the_power_manager_sees_the_ledger_after_each_event_and_can_be_woken() {
    // One device (idle 50 W, max 300 W, no host) and one job at full load from 0 to 1 h.
    let sc = cluster("2h", 1, 1, "[[jobs]]\ndevices = 1\nduration = \"1h\"\n");
    let mut watch = Watch::default();
    let r = event_loop(
        &sc,
        1,
        &mut crate::result::Discard,
        true,
        &mut FifoScheduler::default(),
        &mut watch,
    );
    // Submit at 0 (the job starts: 0.3 kW), the wake-up at 30 min (still 0.3 kW), the
    // finish at 1 h (idle again: 0.05 kW); kW from whole µW, so to 1e-12.
    let expected = [(0, 0.3), (1_800_000, 0.3), (3_600_000, 0.05)];
    assert_eq!(watch.seen.len(), expected.len(), "{:?}", watch.seen);
    for (&(t, kw), &(t_want, kw_want)) in watch.seen.iter().zip(&expected) {
        assert_eq!(t, t_want);
        assert!((kw - kw_want).abs() < 1e-12, "{t}: {kw} kW");
    }
    assert_eq!(r.power_manager, "watch");
    // The wake-up is an event of its own.
    assert_eq!(r.events, 3);
}

#[test]
fn easy_with_exact_estimates_never_starts_a_head_after_its_reservation() {
    // One-device nodes (no fragmentation: a count of free devices is a placement), exact
    // estimates, no priorities: a head's shadow time is a promise the policy must keep.
    let sc = cluster(
        "20d",
        64,
        1,
        r#"[[workloads]]
arrival = { process = "poisson", rate_per_hour = 6.0 }
devices = { values = [1, 2, 8, 32], weights = [5.0, 2.0, 2.0, 1.0] }
duration = { distribution = "lognormal", median = "2h", sigma = 1.0 }
"#,
    );
    let mut easy = queued(&Config::default(), crate::scheduler::easy::Easy::new(1000));
    let r = run_keeping(&sc, &mut easy);
    let promises = &easy.pass().promises;
    assert!(
        promises.len() > 100,
        "the load must block heads: {}",
        promises.len()
    );
    // A kept table never reuses entries: a job's entry is its index in `r.jobs`.
    for &(job, shadow) in promises {
        let start = r.jobs[job as usize].start_ms;
        assert!(
            start.is_none_or(|s| s <= shadow),
            "job {job}: {start:?} > {shadow}"
        );
        assert!(
            start.is_some() || shadow >= sc.horizon_ms,
            "job {job} never started"
        );
    }
}

#[test]
fn conservative_keeps_its_plan_exactly_as_planning_again_would() {
    use crate::scheduler::conservative::Conservative;
    // Mixed sizes on 8-device nodes (small jobs split nodes, so some jobs fit by count but
    // not by placement), load near 1; exact estimates (the plan is kept between job ends)
    // and wall-time estimates (jobs end early: it is replanned).
    for estimate in ["exact", "walltime"] {
        let sc = cluster(
            "6d",
            250,
            8,
            &format!(
                "[[workloads]]\narrival = {{ process = \"poisson\", rate_per_hour = 58.0 }}\n{SIZES}\n\
                 duration = {{ distribution = \"exponential\", mean = \"2h\" }}\n\
                 walltime = {{ factor = 2.0 }}\n[scheduler]\nruntime_estimate = \"{estimate}\"\n"
            ),
        );
        for depth in [1000, 7] {
            let kept = starts(&sc, queued(&sc.scheduler, Conservative::new(depth)));
            let fresh = starts(&sc, queued(&sc.scheduler, Conservative::replanning(depth)));
            assert!(
                kept.iter().filter(|s| s.is_some()).count() > 2000,
                "{estimate}"
            );
            assert_eq!(kept, fresh, "{estimate}, depth {depth}");
        }
    }
}

#[test]
fn easy_skipping_by_the_lane_index_starts_what_a_full_scan_starts() {
    // A backlog of mixed sizes on 8-device nodes: the indexed scan (skipping ranges of
    // jobs too large or too long) against the plain scan of every job, same jobs.
    let sc = cluster(
        "3d",
        100,
        8,
        r#"[[workloads]]
arrival = { process = "poisson", rate_per_hour = 24.0 }
DEVICES
duration = { distribution = "exponential", mean = "2h" }
[[workloads]]
arrival = { process = "poisson", rate_per_hour = 3000.0 }
devices = { values = [1, 2, 4, 8, 16, 64], weights = [30.0, 20.0, 15.0, 15.0, 10.0, 7.0] }
duration = { distribution = "exponential", mean = "2h" }
max_jobs = 1500
[scheduler]
policy = "easy-backfill"
"#
        .replace("DEVICES", SIZES)
        .as_str(),
    );
    let easy = |config: &Config, depth| queued(config, crate::scheduler::easy::Easy::new(depth));
    let plain = Config::default(); // FIFO's queue keeps no index
    for depth in [1000, 50] {
        let indexed = starts(&sc, easy(&sc.scheduler, depth));
        let scanned = starts(&sc, easy(&plain, depth));
        assert!(indexed.iter().filter(|s| s.is_some()).count() > 1500);
        assert_eq!(indexed, scanned, "depth {depth}");
    }
}
