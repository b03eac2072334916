//! One simulation run: the event loop. It wires the engine (queue, random streams), the meter
//! and recorder, the model (pools, jobs, workloads, site) and the scenario's scheduling policy,
//! and returns plain-data results. Jobs live in a recycled table only while queued or running;
//! each is handed to a [`JobSink`] as it leaves, so memory follows the jobs in flight, not the
//! length of the run.
//!
//! Files: `event` (what can happen), `core` (the run's state), `jobs` (the job table),
//! `ledger` (pools and their power), `state` (running jobs and job sources), `running` (jobs
//! starting, changing load, ending), `arrivals` (workloads, traces, services arriving),
//! `cluster` (the policy's view), `close` (the end of the run).

mod arrivals;
mod close;
mod cluster;
mod core;
mod event;
mod jobs;
mod ledger;
mod running;
mod state;

use crate::model::scenario::Scenario;
use crate::result::{JobNames, JobSink, RunResult};
use crate::scheduler::{AlwaysOn, PowerManager, Scheduler, WithScheduler};
use cluster::Dispatch;
use core::Core;
use event::Event;

/// Runs `scenario` with `seed` and returns its results with every job in `RunResult::jobs`
/// (in id order). Deterministic: the same scenario and seed give the same result. For long
/// runs, [`run_with`] streams jobs instead of keeping them.
pub fn run(scenario: &Scenario, seed: u64) -> RunResult {
    simulate(scenario, seed, &mut crate::result::Discard, true)
}

/// The names a run's job records index into, before any trace adds tenants.
pub fn names(scenario: &Scenario) -> JobNames {
    JobNames {
        pools: scenario.pools.iter().map(|p| p.name.clone()).collect(),
        jobs: scenario.jobs.iter().map(|j| j.name.clone()).collect(),
        workloads: scenario.workloads.iter().map(|w| w.name.clone()).collect(),
        traces: scenario.traces.iter().map(|t| t.name.clone()).collect(),
        services: scenario.services.iter().map(|s| s.name.clone()).collect(),
        tenants: scenario.tenants.clone(),
    }
}

/// Runs `scenario` with `seed`, handing each job to `sink` as it leaves the run (see
/// [`JobSink`] for the order); `RunResult::jobs` stays empty and `RunResult::job_stats` holds
/// the aggregates. Memory stays proportional to the jobs queued and running.
pub fn run_with(scenario: &Scenario, seed: u64, sink: &mut dyn JobSink) -> RunResult {
    simulate(scenario, seed, sink, false)
}

/// One run; with `keep`, the job table keeps every job and becomes `RunResult::jobs`.
fn simulate(scenario: &Scenario, seed: u64, sink: &mut dyn JobSink, keep: bool) -> RunResult {
    scenario.scheduler.with(Simulate {
        scenario,
        seed,
        sink,
        keep,
    })
}

/// A run waiting for its scheduler.
struct Simulate<'a, 's> {
    scenario: &'a Scenario,
    seed: u64,
    sink: &'s mut dyn JobSink,
    keep: bool,
}

impl WithScheduler for Simulate<'_, '_> {
    type Output = RunResult;

    fn run<S: Scheduler>(self, mut scheduler: S) -> RunResult {
        let mut power = AlwaysOn;
        event_loop(
            self.scenario,
            self.seed,
            self.sink,
            self.keep,
            &mut scheduler,
            &mut power,
        )
    }
}

/// The event loop: pops events in time order up to the horizon, lets each change the state,
/// gives the scheduler a pass when a job may start, then the power manager its look.
fn event_loop<S: Scheduler, P: PowerManager>(
    scenario: &Scenario,
    seed: u64,
    sink: &mut dyn JobSink,
    keep: bool,
    scheduler: &mut S,
    power: &mut P,
) -> RunResult {
    let mut core = Core::new(scenario, seed, sink, keep);
    let horizon = scenario.horizon_ms;
    while let Some(t) = core.queue.peek_time() {
        if t > horizon {
            break;
        }
        let Some((now, event)) = core.queue.pop() else {
            break;
        };
        core.events += 1;
        core.advance(now, scheduler.queued());
        // Whether the event may let a waiting job start (a pass follows).
        let offer = match event {
            Event::Submit(job) => {
                core.submit(job, scheduler);
                true
            }
            Event::Arrival(workload) => core.arrive(workload, now, scheduler),
            Event::TraceRow(trace) => core.trace_arrive(trace, now, scheduler),
            Event::Phase(job, slot) => {
                core.phase(job, slot, now);
                false
            }
            Event::ServiceStep(service) => core.service_step(service, now),
            Event::Finish(job, slot) => {
                let ended = core.finish(job, slot, now);
                if ended {
                    scheduler.ended(job, now);
                }
                ended
            }
            Event::Wake => true,
        };
        let mut pass = Dispatch {
            core: &mut core,
            now,
        };
        if offer && scheduler.queued() > 0 {
            scheduler.dispatch(&mut pass);
        }
        power.after_event(&mut pass);
    }
    core.advance(horizon, scheduler.queued());
    core.close(&*scheduler, &*power)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::FifoScheduler;
    use crate::scheduler::power::PowerControl;
    use crate::time::SimTime;

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
        let sc = crate::scenario::parse(
            r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "2h"
[devices.d]
idle_w = 50.0
max_w = 300.0
[[pools]]
device = "d"
nodes = 1
devices_per_node = 1
[[jobs]]
devices = 1
duration = "1h"
"#,
            std::path::Path::new("t.toml"),
        )
        .unwrap();
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
        let sc = crate::scenario::parse(
            r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "20d"
[devices.d]
idle_w = 50.0
max_w = 300.0
[[pools]]
device = "d"
nodes = 64
devices_per_node = 1
[[workloads]]
arrival = { process = "poisson", rate_per_hour = 6.0 }
devices = { values = [1, 2, 8, 32], weights = [5.0, 2.0, 2.0, 1.0] }
duration = { distribution = "lognormal", median = "2h", sigma = 1.0 }
"#,
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let config = crate::scheduler::Config::default();
        let mut easy = crate::scheduler::EasyScheduler::new(
            crate::scheduler::queue::WaitQueue::new(&config),
            crate::scheduler::book::Book::new(&[], true),
            crate::scheduler::easy::Easy::new(1000),
        );
        let r = event_loop(
            &sc,
            4,
            &mut crate::result::Discard,
            true,
            &mut easy,
            &mut AlwaysOn,
        );
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

    /// The start of every job of `sc` under `scheduler` (seed 4).
    fn starts<S: Scheduler>(sc: &Scenario, mut scheduler: S) -> Vec<Option<crate::time::SimTime>> {
        let mut sink = crate::result::Discard;
        let r = event_loop(sc, 4, &mut sink, true, &mut scheduler, &mut AlwaysOn);
        r.jobs.iter().map(|j| j.start_ms).collect()
    }

    #[test]
    fn conservative_keeps_its_plan_exactly_as_planning_again_would() {
        use crate::scheduler::conservative::Conservative;
        // Mixed sizes on 8-device nodes (small jobs split nodes, so some jobs fit by count but
        // not by placement), load near 1; exact estimates (the plan is kept between job ends)
        // and wall-time estimates (jobs end early: it is replanned).
        for estimate in ["exact", "walltime"] {
            let sc = crate::scenario::parse(
                &format!(
                    r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "6d"
[devices.d]
idle_w = 50.0
max_w = 300.0
[[pools]]
device = "d"
nodes = 250
devices_per_node = 8
[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = 58.0 }}
devices = {{ values = [1, 2, 4, 8, 16, 64, 256], weights = [30.0, 20.0, 15.0, 15.0, 10.0, 7.0, 3.0] }}
duration = {{ distribution = "exponential", mean = "2h" }}
walltime = {{ factor = 2.0 }}
[scheduler]
runtime_estimate = "{estimate}"
"#
                ),
                std::path::Path::new("t.toml"),
            )
            .unwrap();
            let config = sc.scheduler.clone();
            let make = |pass: Conservative| {
                crate::scheduler::ConservativeScheduler::new(
                    crate::scheduler::queue::WaitQueue::new(&config),
                    crate::scheduler::book::Book::new(&[], true),
                    pass,
                )
            };
            for depth in [1000, 7] {
                let kept = starts(&sc, make(Conservative::new(depth)));
                let fresh = starts(&sc, make(Conservative::replanning(depth)));
                assert!(
                    kept.iter().filter(|s| s.is_some()).count() > 2000,
                    "{estimate}"
                );
                assert_eq!(kept, fresh, "{estimate}, depth {depth}");
            }
        }
    }
}
