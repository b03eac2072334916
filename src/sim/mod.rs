//! One simulation run: the event loop. It wires the engine (queue, random streams), the meter
//! and recorder, the model (pools, jobs, workloads, site) and the scenario's scheduling policy,
//! and returns plain-data results. Jobs live in a recycled table only while queued or running;
//! each is handed to a [`JobSink`] as it leaves, so memory follows the jobs in flight, not the
//! length of the run.
//!
//! Files: `event` (what can happen), `core` (the run's state), `jobs` (the job table),
//! `ledger` (pools and their power), `state` (running jobs and job sources), `running` (jobs
//! placed, beginning, changing load, ending), `arrivals` (workloads, traces, services
//! arriving), `cluster` (the policy's view), `power` (the limit, the gate on starts and the
//! power manager's view), `caps` (runtime device caps), `nodes` (node power states:
//! power-down and boots), `install` (pools installed and retired during the run), `close` (the
//! end of the run).

mod arrivals;
mod caps;
mod close;
mod cluster;
mod core;
mod event;
mod install;
mod jobs;
mod ledger;
mod nodes;
mod power;
mod running;
mod state;

use crate::model::scenario::Scenario;
use crate::result::{JobNames, JobSink, RunResult};
use crate::scheduler::{AlwaysOn, BudgetCaps, PowerManager, Scheduler, WithScheduler};
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
        let (sc, seed, sink, keep) = (self.scenario, self.seed, self.sink, self.keep);
        // A manager that caps only when caps may be lowered: otherwise the loop has none.
        if sc.power.caps() {
            event_loop(sc, seed, sink, keep, &mut scheduler, &mut BudgetCaps)
        } else {
            event_loop(sc, seed, sink, keep, &mut scheduler, &mut AlwaysOn)
        }
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
    core.advance(0, 0);
    while let Some((now, event)) = core.queue.pop_until(horizon) {
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
            Event::Wake => {
                // A job held by the power rules may be due now (its latest start for peak
                // shaving): what a policy remembers of the last pass is stale.
                if core.power.gated {
                    core.ledger.changes += 1;
                }
                true
            }
            Event::Begin(job, slot) => {
                core.begin(job, slot, now);
                false
            }
            Event::NodeUp(pool, node) => {
                core.node_up(pool, node, now);
                false
            }
            Event::NodeIdle(pool, node) => core.node_idle(pool, node, now),
            Event::Install(pool) => {
                core.install(pool, now);
                true
            }
            Event::Retire(pool) => {
                core.retire(pool, now);
                false
            }
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
mod tests;
