//! The state of one run: the event queue, meter and recorder, the job table, pools and their
//! power ledger, running jobs, the sources of jobs and the idle share; and the two steps every
//! event takes (integrate power up to now; settle the idle share when idle draw changes).

use super::event::Event;
use super::jobs::JobTable;
use super::ledger::PowerLedger;
use super::state::{Arrivals, Running};
use crate::engine::EventQueue;
use crate::meter::{Accumulators, IntervalRecorder, Meter, attribute};
use crate::model::scenario::Scenario;
use crate::model::site::Site;
use crate::model::tariff::Biller;
use crate::result::{Attribution, JobSink};
use crate::time::SimTime;

/// Everything but the scheduler, so the scheduler can act on it.
pub(super) struct Core<'a, 's> {
    pub(super) scenario: &'a Scenario,
    pub(super) jobs: JobTable<'s>,
    pub(super) queue: EventQueue<Event>,
    pub(super) meter: Meter<&'a Site, Biller<'a>>,
    pub(super) recorder: IntervalRecorder,
    pub(super) ledger: PowerLedger,
    /// Slab of running jobs; `free_slots` lists the vacant entries.
    pub(super) running: Vec<Option<Running>>,
    pub(super) free_slots: Vec<u32>,
    pub(super) arrivals: Arrivals,
    /// Energy of slots no job holds, settled up to `idle_since_ms`.
    pub(super) idle: Attribution,
    idle_since_ms: SimTime,
    idle_since: Accumulators,
    /// Events handled [count].
    pub(super) events: u64,
    /// Runtimes do not depend on the pool (see `Scenario::uniform_runtimes`).
    pub(super) uniform_runtimes: bool,
    /// Power management's state: limit, caps, counters.
    pub(super) power: super::power::PowerRuntime,
    pub(super) seed: u64,
    /// Work of the FLOP-sized jobs completed so far [FLOP].
    pub(super) flops_done: f64,
}

impl<'a, 's> Core<'a, 's> {
    /// A run at time 0: pools idle, every source of jobs scheduled.
    pub(super) fn new(
        scenario: &'a Scenario,
        seed: u64,
        sink: &'s mut dyn JobSink,
        keep: bool,
    ) -> Self {
        let capacity_kw = crate::model::pool::peak_installed_it_w(&scenario.pools) / 1000.0;
        let mut core = Core {
            scenario,
            // A kept table holds every job: size it once.
            jobs: JobTable::new(scenario, sink, keep, expected_jobs(scenario)),
            queue: EventQueue::new(),
            meter: Meter::new(
                &scenario.site,
                Biller::new(
                    &scenario.site.tariff,
                    scenario.calendar.start.timestamp_millis(),
                    scenario.horizon_ms,
                ),
                scenario.output_interval_ms,
                capacity_kw,
            ),
            recorder: {
                let r = IntervalRecorder::new(scenario.output_interval_ms, scenario.horizon_ms);
                if scenario.site.needs_hourly() {
                    r.with_hourly(scenario.site.epoch_ms, scenario.horizon_ms)
                } else {
                    r
                }
            },
            ledger: PowerLedger::new(&scenario.pools, |p| {
                let down = scenario.power.power_down.as_ref()?;
                down.pools[p].then(|| super::nodes::NodePower::new(&scenario.pools[p], down))
            }),
            running: Vec::new(),
            free_slots: Vec::new(),
            arrivals: Arrivals::new(scenario, seed),
            idle: Attribution::default(),
            idle_since_ms: 0,
            idle_since: Accumulators::default(),
            events: 0,
            uniform_runtimes: scenario.uniform_runtimes(),
            power: super::power::PowerRuntime::new(&scenario.pools, &scenario.power, capacity_kw),
            seed,
            flops_done: 0.0,
        };
        core.schedule_sources();
        core.schedule_installs();
        core.ledger.flags.active = scenario.power.is_active();
        core.schedule_power_down();
        core.refresh_cap_flags();
        core
    }

    /// Integrates power up to `now`, with `queued` jobs waiting, and brings the power limit
    /// in force up to `now`.
    pub(super) fn advance(&mut self, now: SimTime, queued: usize) {
        let state = self.ledger.state(queued);
        self.meter.advance(now, &state, &mut self.recorder);
        self.refresh_limit(now);
    }

    /// A wake-up (a scheduling and power pass) at `t`, not before `now` and only before the
    /// horizon.
    pub(super) fn wake_at(&mut self, t: SimTime, now: SimTime) {
        if t < self.scenario.horizon_ms {
            self.queue.push(t.max(now), Event::Wake);
        }
    }

    /// Adds the idle slots' share from the last idle change up to now.
    pub(super) fn settle_idle(&mut self, now: SimTime) {
        let acc = self.meter.accumulators();
        self.idle.add(&attribute(
            self.ledger.idle_uw,
            self.idle_since_ms,
            now,
            &self.idle_since,
            &acc,
        ));
        self.idle_since_ms = now;
        self.idle_since = acc;
    }
}

/// Jobs a run is likely to create (explicit jobs plus each workload's arrivals at its peak
/// rate, capped by `max_jobs` and at 2,000,000), to size a kept job table once.
fn expected_jobs(scenario: &Scenario) -> usize {
    let generated: f64 = scenario
        .workloads
        .iter()
        .map(|w| {
            let mean = w.jobs_at_peak_rate(scenario.horizon_ms) * 1.05 + 16.0;
            w.max_jobs.map_or(mean, |m| mean.min(m as f64))
        })
        .sum();
    scenario.jobs.len() + generated.min(2e6) as usize
}
