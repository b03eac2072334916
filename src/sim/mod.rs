//! One simulation run: wires the engine (queue, meter, recorder, random streams) to the model
//! (pools, jobs, workloads, site) and a scheduler, and returns plain-data results. Jobs live in
//! a recycled table only while queued or running; each is handed to a [`JobSink`] as it
//! leaves, so memory follows the jobs in flight, not the length of the run.

mod attribution;

use crate::engine::rng::{SimRng, stream};
use crate::engine::{Accumulators, EventQueue, IntervalRecorder, Meter, PowerState};
use crate::model::site::Site;
use crate::model::tariff::Biller;
use crate::model::trace::{TraceItem, TraceJob};
use crate::model::work::wall_ms;
use crate::result::{
    Attribution, JobNames, JobOrigin, JobOutcome, JobRecord, JobSink, JobStats, RunResult,
};
use crate::scenario::Scenario;
use crate::scheduler::{FifoScheduler, JobId, NodeSlots, Placement, Scheduler};
use crate::time::SimTime;
use attribution::attribute;

/// Something that happens at an instant.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// An explicit job is submitted.
    Submit(JobId),
    /// The next job of a workload arrives.
    Arrival(u32),
    /// A running job finishes; the second field is its slot in the running table (stale
    /// when the slot holds another job or the job ends at another time).
    Finish(JobId, u32),
    /// The pending job of a trace is submitted.
    TraceRow(u32),
    /// A running job's utilisation changes (load profile); job and slot (stale unless the
    /// slot's next change is due now).
    Phase(JobId, u32),
    /// A service's load changes: rescale and re-load its replicas.
    ServiceStep(u32),
}

/// A service's replicas.
#[derive(Default)]
struct ServiceState {
    /// Running replicas: job and running-table slot (a replica keeps its slot until it ends).
    replicas: Vec<(JobId, u32)>,
    seq: u64,
    /// Replicas wanted but not placed since `last_step`.
    unplaced: u32,
    last_step: SimTime,
}

/// A trace being replayed: rows are read one ahead of the clock.
struct TraceState {
    rows: Box<dyn Iterator<Item = TraceItem> + Send>,
    pending: Option<(u64, TraceJob)>,
    row: u64,
    last_submit: SimTime,
    skips: crate::model::trace::SkipCounts,
    used: u64,
}

/// A pool's runtime state.
struct PoolState {
    slots: NodeSlots,
    /// Devices shared by fractional jobs.
    shared: crate::scheduler::shared::SharedDevices,
    /// Draw of one idle slot [µW].
    idle_slot_uw: u64,
}

impl PoolState {
    /// Idle draw of `free_milli` thousandths of an idle slot [µW] (integer, so taking and
    /// giving back the same share moves exactly the same power).
    fn idle_share_uw(&self, free_milli: u32) -> u64 {
        self.idle_slot_uw * free_milli as u64 / 1000
    }

    /// Places `devices` devices (or `milli` thousandths of one); returns the placement, the
    /// idle draw it takes [µW] and the devices it makes busy.
    fn place(&mut self, devices: u32, milli: u32) -> Option<(Placement, u64, u32)> {
        if milli >= 1000 {
            let placement = self.slots.place(devices)?;
            let held = self.slots.held(&placement);
            return Some((placement, held as u64 * self.idle_slot_uw, devices));
        }
        if let Some(d) = self.shared.find(milli) {
            let (before, after) = self.shared.take(d, milli);
            let taken = self.idle_share_uw(before) - self.idle_share_uw(after);
            return Some((Placement::Fraction { device: d, milli }, taken, 0));
        }
        let Placement::Shared { node, .. } = self.slots.place(1)? else {
            return None;
        };
        let d = self.shared.open(node);
        let (_, after) = self.shared.take(d, milli);
        // The whole slot leaves the idle pool; its free share stays idle.
        let taken = self.idle_slot_uw - self.idle_share_uw(after);
        Some((Placement::Fraction { device: d, milli }, taken, 1))
    }

    /// Releases a placement; returns the idle draw given back [µW] and the devices freed.
    fn release(&mut self, placement: &Placement, devices: u32) -> (u64, u32) {
        match placement {
            Placement::Fraction { device, milli } => {
                let (before, after, closed) = self.shared.give(*device, *milli);
                match closed {
                    Some(node) => {
                        self.slots.release(&Placement::Shared { node, devices: 1 });
                        (self.idle_slot_uw - self.idle_share_uw(before), 1)
                    }
                    None => (self.idle_share_uw(after) - self.idle_share_uw(before), 0),
                }
            }
            other => {
                let held = self.slots.held(other);
                self.slots.release(other);
                (held as u64 * self.idle_slot_uw, devices)
            }
        }
    }
}

/// A job that holds devices.
struct Running {
    job: JobId,
    pool: u32,
    placement: Placement,
    /// Meter integrals when the job's current draw began.
    since: Accumulators,
    /// When the current draw began [ms].
    since_ms: SimTime,
    /// When it finishes [ms].
    end_ms: SimTime,
    /// When its load profile next changes [ms].
    next_phase_ms: Option<SimTime>,
}

impl Running {
    /// Charges the job's record with its current draw from when it began up to `now`, when
    /// the meter's integrals are `acc`.
    fn charge(&self, record: &mut JobRecord, now: SimTime, acc: &Accumulators) {
        record.attribution.add(&attribute(
            record.power_uw,
            self.since_ms,
            now,
            &self.since,
            acc,
        ));
    }
}

/// Everything but the scheduler, so the scheduler can call back into it.
struct Core<'a, 's> {
    scenario: &'a Scenario,
    /// Where jobs go when they leave the run.
    sink: &'s mut dyn JobSink,
    /// Aggregates of the jobs that left.
    stats: JobStats,
    /// Names job records index into (tenants grow during trace replay).
    names: JobNames,
    /// Tenant name → index into `names.tenants`.
    tenant_index: std::collections::HashMap<String, u32>,
    /// Vacant entries of `jobs`.
    free_jobs: Vec<JobId>,
    /// Keep every job in `jobs` (entries are not reused; job i is entry i − 1).
    keep: bool,
    /// Jobs created and not yet left [count], and the most at once.
    live: u64,
    peak_live: u64,
    /// Jobs created so far [count]; the next job's id is one more.
    created: u64,
    queue: EventQueue<Event>,
    meter: Meter<&'a Site, Biller<'a>>,
    recorder: IntervalRecorder,
    pools: Vec<PoolState>,
    /// Jobs queued or running (a table whose vacant entries are reused).
    jobs: Vec<JobRecord>,
    /// Slab of running jobs; `free_slots` lists the vacant entries.
    running: Vec<Option<Running>>,
    free_slots: Vec<u32>,
    rngs: Vec<SimRng>,
    /// Markov-modulated arrival state of each workload.
    modulation: Vec<crate::model::workload::ArrivalState>,
    generated: Vec<u64>,
    /// Draw of slots no job holds [µW].
    idle_uw: u64,
    /// Draw of running jobs [µW].
    running_uw: u64,
    /// Draw of each pool (idle slots and running jobs) [µW], and the same in kW.
    pool_uw: Vec<u64>,
    pool_kw: Vec<f64>,
    busy_devices: u32,
    idle: Attribution,
    idle_since_ms: SimTime,
    idle_since: Accumulators,
    events: u64,
    seed: u64,
    traces: Vec<TraceState>,
    services: Vec<ServiceState>,
    unplaced_replica_hours: f64,
}

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
    let mut scheduler = FifoScheduler::default();
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
        let offer = match event {
            Event::Submit(job) => {
                scheduler.enqueue(job);
                true
            }
            Event::Arrival(workload) => core.arrive(workload, now, &mut scheduler),
            Event::TraceRow(trace) => core.trace_arrive(trace, now, &mut scheduler),
            Event::Phase(job, slot) => {
                core.phase(job, slot, now);
                false
            }
            Event::ServiceStep(service) => core.service_step(service, now),
            Event::Finish(job, slot) => {
                core.finish(job, slot, now);
                true
            }
        };
        if offer && scheduler.queued() > 0 {
            scheduler.dispatch(&mut |job| core.try_start(job, now));
        }
    }
    core.advance(horizon, scheduler.queued());
    core.close(&scheduler)
}

impl<'a, 's> Core<'a, 's> {
    fn new(scenario: &'a Scenario, seed: u64, sink: &'s mut dyn JobSink, keep: bool) -> Self {
        let pools: Vec<PoolState> = scenario
            .pools
            .iter()
            .map(|p| PoolState {
                slots: NodeSlots::new(p.nodes, p.devices_per_node),
                shared: Default::default(),
                idle_slot_uw: to_uw(p.idle_slot_w()),
            })
            .collect();
        let pool_uw: Vec<u64> = scenario
            .pools
            .iter()
            .zip(&pools)
            .map(|(p, s)| p.devices() * s.idle_slot_uw)
            .collect();
        let idle_uw = pool_uw.iter().sum();
        let capacity_kw = scenario.pools.iter().map(|p| p.max_it_w()).sum::<f64>() / 1000.0;
        let mut core = Core {
            scenario,
            sink,
            stats: JobStats::default(),
            names: names(scenario),
            tenant_index: scenario
                .tenants
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), i as u32))
                .collect(),
            free_jobs: Vec::new(),
            keep,
            live: 0,
            peak_live: 0,
            created: 0,
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
            pools,
            // A kept table holds every job: size it once.
            jobs: Vec::with_capacity(if keep { expected_jobs(scenario) } else { 0 }),
            running: Vec::new(),
            free_slots: Vec::new(),
            rngs: (0..scenario.workloads.len() as u64)
                .map(|w| stream(seed, &[w]))
                .collect(),
            generated: vec![0; scenario.workloads.len()],
            modulation: vec![Default::default(); scenario.workloads.len()],
            idle_uw,
            running_uw: 0,
            pool_kw: pool_uw.iter().map(|&uw| uw as f64 * 1e-9).collect(),
            pool_uw,
            busy_devices: 0,
            idle: Attribution::default(),
            idle_since_ms: 0,
            idle_since: Accumulators::default(),
            events: 0,
            seed,
            traces: scenario
                .traces
                .iter()
                .map(|t| TraceState {
                    rows: t.source.open(),
                    pending: None,
                    row: 0,
                    last_submit: 0,
                    skips: vec![],
                    used: 0,
                })
                .collect(),
            services: (0..scenario.services.len())
                .map(|_| ServiceState::default())
                .collect(),
            unplaced_replica_hours: 0.0,
        };
        for (i, spec) in scenario.jobs.iter().enumerate() {
            let id = core.push_job(JobRecord {
                origin: JobOrigin::Explicit(i as u32),
                submit_ms: spec.submit_ms,
                devices: spec.devices,
                share_milli: spec.share_milli,
                duration_ms: spec.duration_ms,
                utilization: spec.utilization,
                pool: spec.pool.map(|p| p as u32),
                tenant: spec.tenant,
                ..JobRecord::UNSTARTED
            });
            core.queue.push(spec.submit_ms, Event::Submit(id));
        }
        for w in 0..scenario.workloads.len() {
            core.schedule_arrival(w as u32, 0);
        }
        for t in 0..scenario.traces.len() {
            core.next_trace_row(t as u32);
        }
        for s in 0..scenario.services.len() {
            core.queue.push(0, Event::ServiceStep(s as u32));
        }
        core
    }

    /// A service's load changes: scale its replicas to the load and set their utilisation.
    fn service_step(&mut self, s: u32, now: SimTime) -> bool {
        let scenario = self.scenario;
        let svc = &scenario.services[s as usize];
        let state = &mut self.services[s as usize];
        self.unplaced_replica_hours +=
            state.unplaced as f64 * crate::time::ms_to_hours(now - state.last_step);
        state.last_step = now;
        let rps = svc.rps_at(now);
        let want = svc.replicas_for(rps) as usize;
        let mut freed = false;
        while self.services[s as usize].replicas.len() > want {
            let Some((job, slot)) = self.services[s as usize].replicas.pop() else {
                break;
            };
            self.finish_as(job, slot, now, JobOutcome::ScaledIn);
            freed = true;
        }
        while self.services[s as usize].replicas.len() < want {
            let seq = self.services[s as usize].seq + 1;
            let id = self.push_job(JobRecord {
                origin: JobOrigin::Replica { service: s, seq },
                submit_ms: now,
                devices: svc.devices_per_replica,
                // Replicas run until scaled in or the horizon.
                duration_ms: SimTime::MAX / 4,
                utilization: svc.utilization(rps, want as u32),
                pool: svc.pool.map(|p| p as u32),
                tenant: svc.tenant,
                ..JobRecord::UNSTARTED
            });
            if let Some(slot) = self.start(id, now) {
                let state = &mut self.services[s as usize];
                state.seq = seq;
                state.replicas.push((id, slot));
            } else {
                self.unpush_job(id);
                break;
            }
        }
        let placed = self.services[s as usize].replicas.len();
        self.services[s as usize].unplaced = (want - placed.min(want)) as u32;
        let u = svc.utilization(rps, placed as u32);
        for i in 0..placed {
            let (job, slot) = self.services[s as usize].replicas[i];
            self.set_utilization(job, slot, u, now);
        }
        if let Some(next) = svc
            .next_change_after(now)
            .filter(|&t| t < scenario.horizon_ms)
        {
            self.queue.push(next, Event::ServiceStep(s));
        }
        freed
    }

    /// Reads trace `t` up to its next usable row and schedules its submission.
    fn next_trace_row(&mut self, t: u32) {
        let horizon = self.scenario.horizon_ms;
        let state = &mut self.traces[t as usize];
        let count = crate::model::trace::count_skip;
        for item in state.rows.by_ref() {
            state.row += 1;
            match item {
                TraceItem::Skip(reason) => count(&mut state.skips, reason),
                TraceItem::Job(job) if job.submit_ms < state.last_submit => count(
                    &mut state.skips,
                    "out of order (submit time earlier than the row before)",
                ),
                TraceItem::Job(job) if job.submit_ms >= horizon => {
                    count(&mut state.skips, "outside the time window")
                }
                TraceItem::Job(job) => {
                    state.last_submit = job.submit_ms;
                    self.queue.push(job.submit_ms, Event::TraceRow(t));
                    state.pending = Some((job.row.unwrap_or(state.row), job));
                    return;
                }
            }
        }
    }

    /// The pending job of trace `t` is submitted. Returns whether a job was queued.
    fn trace_arrive(&mut self, t: u32, now: SimTime, scheduler: &mut dyn Scheduler) -> bool {
        let Some((row, job)) = self.traces[t as usize].pending.take() else {
            return false;
        };
        self.traces[t as usize].used += 1;
        let trace = &self.scenario.traces[t as usize];
        let tenant = job.tenant.as_ref().map(|name| self.tenant_id(name));
        let queued = self.admit(
            JobRecord {
                origin: JobOrigin::Trace { trace: t, row },
                submit_ms: now,
                devices: job.devices,
                share_milli: job.share_milli,
                duration_ms: job.duration_ms,
                utilization: job.utilization,
                pool: trace.pool.map(|p| p as u32),
                tenant,
                ..JobRecord::UNSTARTED
            },
            scheduler,
        );
        self.next_trace_row(t);
        queued
    }

    /// A job arriving now: queued, or — when it can never fit — rejected and gone at once.
    /// Returns whether it was queued.
    fn admit(&mut self, job: JobRecord, scheduler: &mut dyn Scheduler) -> bool {
        let rejection = self
            .scenario
            .never_fits(job.devices, job.pool.map(|p| p as usize));
        let queued = rejection.is_none();
        let outcome = rejection.map_or(JobOutcome::Queued, JobOutcome::Rejected);
        let id = self.push_job(JobRecord { outcome, ..job });
        if queued {
            scheduler.enqueue(id);
        } else {
            self.leave(id);
        }
        queued
    }

    /// The index of tenant `name`, adding it if new.
    fn tenant_id(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.tenant_index.get(name) {
            return i;
        }
        let i = self.names.tenants.len() as u32;
        self.names.tenants.push(name.to_string());
        self.tenant_index.insert(name.to_string(), i);
        i
    }

    /// Creates a job (numbering it) in a vacant table entry.
    fn push_job(&mut self, mut job: JobRecord) -> JobId {
        self.created += 1;
        self.live += 1;
        self.peak_live = self.peak_live.max(self.live);
        job.id = self.created;
        crate::engine::slab::put(&mut self.jobs, &mut self.free_jobs, job)
    }

    /// Takes back the job just created, as if it never was (a replica with no room).
    fn unpush_job(&mut self, job: JobId) {
        self.created -= 1;
        self.live -= 1;
        if self.keep {
            self.jobs.pop(); // the newest entry: kept tables only grow at the end
        } else {
            self.free_jobs.push(job);
        }
    }

    /// A job leaves the run: it is counted and handed to the sink, and its entry is freed.
    fn leave(&mut self, job: JobId) {
        let record = &self.jobs[job as usize];
        self.stats.record(record);
        self.sink.job(record, &self.names);
        self.live -= 1;
        if !self.keep {
            self.free_jobs.push(job);
        }
    }

    /// Integrates power up to `now`.
    fn advance(&mut self, now: SimTime, queued: usize) {
        let state = PowerState {
            it_kw: (self.idle_uw + self.running_uw) as f64 * 1e-9,
            pool_kw: &self.pool_kw,
            busy_devices: self.busy_devices,
            queued_jobs: queued as u32,
        };
        self.meter.advance(now, &state, &mut self.recorder);
    }

    /// Schedules the next arrival of workload `w` after `now`, if any remain.
    fn schedule_arrival(&mut self, w: u32, now: SimTime) {
        let workload = &self.scenario.workloads[w as usize];
        if workload
            .max_jobs
            .is_some_and(|max| self.generated[w as usize] >= max)
        {
            return;
        }
        let next = workload.arrival.next_arrival(
            now,
            self.scenario.horizon_ms,
            &mut self.rngs[w as usize],
            &mut self.modulation[w as usize],
        );
        if let Some(at) = next {
            self.queue.push(at, Event::Arrival(w));
        }
    }

    /// Generated jobs arrive (a batch of one or more): sample each, reject those that can
    /// never fit, queue the rest. Returns whether a job was queued.
    fn arrive(&mut self, w: u32, now: SimTime, scheduler: &mut dyn Scheduler) -> bool {
        let scenario = self.scenario;
        let workload = &scenario.workloads[w as usize];
        let batch = workload.batch.sample(&mut self.rngs[w as usize]);
        let mut queued = false;
        for _ in 0..batch {
            if workload
                .max_jobs
                .is_some_and(|max| self.generated[w as usize] >= max)
            {
                break;
            }
            let rng = &mut self.rngs[w as usize];
            let devices = workload.devices.sample(rng);
            let duration_ms = workload.duration.sample_ms(rng);
            let utilization = workload.utilization.sample(rng);
            self.generated[w as usize] += 1;
            let seq = self.generated[w as usize];
            let job = JobRecord {
                origin: JobOrigin::Generated { workload: w, seq },
                submit_ms: now,
                devices,
                duration_ms,
                utilization,
                pool: workload.pool.map(|p| p as u32),
                tenant: workload.tenant,
                ..JobRecord::UNSTARTED
            };
            queued |= self.admit(job, scheduler);
        }
        self.schedule_arrival(w, now);
        queued
    }

    /// Adds the idle slots' share from the last idle change up to now.
    fn settle_idle(&mut self, now: SimTime) {
        let acc = self.meter.accumulators();
        self.idle.add(&attribute(
            self.idle_uw,
            self.idle_since_ms,
            now,
            &self.idle_since,
            &acc,
        ));
        self.idle_since_ms = now;
        self.idle_since = acc;
    }

    /// Starts `job` on the first pool with room, if any.
    fn try_start(&mut self, job: JobId, now: SimTime) -> bool {
        self.start(job, now).is_some()
    }

    /// Starts `job` on the first pool with room; returns its running-table slot.
    fn start(&mut self, job: JobId, now: SimTime) -> Option<u32> {
        let record = &self.jobs[job as usize];
        let (devices, u) = (record.devices, record.utilization);
        let candidates = match record.pool {
            Some(p) => p..p + 1,
            None => 0..self.pools.len() as u32,
        };
        let milli = record.share_milli;
        for p in candidates {
            let Some((placement, idle_freed, busy)) = self.pools[p as usize].place(devices, milli)
            else {
                continue;
            };
            let pool = &self.scenario.pools[p as usize];
            let held = self.pools[p as usize].slots.held(&placement);
            let record = &self.jobs[job as usize];
            let (work, speeds, profile) = self.scenario.job_params(record.origin);
            let (u_now, next_change) = profile.map_or((u, None), |pr| pr.at(0));
            let power_uw = job_power_uw(pool, devices, held, milli, u_now);
            let duration_ms = wall_ms(
                work,
                record.duration_ms,
                speeds,
                &pool.device,
                devices,
                pool.cap_slowdown(u),
            );
            self.settle_idle(now);
            self.idle_uw -= idle_freed;
            self.running_uw += power_uw;
            self.busy_devices += busy;
            self.set_pool_uw(p, self.pool_uw[p as usize] - idle_freed + power_uw);
            let record = &mut self.jobs[job as usize];
            record.duration_ms = duration_ms;
            record.start_ms = Some(now);
            record.pool = Some(p);
            record.held_devices = held;
            record.power_uw = power_uw;
            let end = now.saturating_add(record.duration_ms);
            let next_phase_ms = next_change.map(|o| now + o).filter(|&t| t < end);
            let running = Some(Running {
                job,
                pool: p,
                placement,
                since: self.meter.accumulators(),
                since_ms: now,
                end_ms: end,
                next_phase_ms,
            });
            let slot = crate::engine::slab::put(&mut self.running, &mut self.free_slots, running);
            if let Some(next) = next_phase_ms {
                self.queue.push(next, Event::Phase(job, slot));
            }
            self.queue.push(end, Event::Finish(job, slot));
            return Some(slot);
        }
        None
    }

    /// A running job ends at `now`: attribute its energy and free its devices.
    fn finish(&mut self, job: JobId, slot: u32, now: SimTime) {
        if self.running[slot as usize]
            .as_ref()
            .is_some_and(|r| r.job == job && r.end_ms == now)
        {
            self.finish_as(job, slot, now, JobOutcome::Completed);
        }
    }

    /// Ends a running job at `now` with `outcome`.
    fn finish_as(&mut self, job: JobId, slot: u32, now: SimTime, outcome: JobOutcome) {
        let Some(running) = self.running[slot as usize].take() else {
            return;
        };
        self.free_slots.push(slot);
        debug_assert_eq!(running.job, job);
        let acc = self.meter.accumulators();
        let record = &mut self.jobs[job as usize];
        running.charge(record, now, &acc);
        record.end_ms = Some(now);
        record.outcome = outcome;
        let (power_uw, devices) = (record.power_uw, record.devices);
        let (idle_back, freed) =
            self.pools[running.pool as usize].release(&running.placement, devices);
        self.settle_idle(now);
        self.idle_uw += idle_back;
        self.running_uw -= power_uw;
        self.busy_devices -= freed;
        let p = running.pool;
        self.set_pool_uw(p, self.pool_uw[p as usize] + idle_back - power_uw);
        self.leave(job);
    }

    /// A running job's utilisation changes (load profile): switch, schedule the next change.
    fn phase(&mut self, job: JobId, slot: u32, now: SimTime) {
        if self.running[slot as usize]
            .as_ref()
            .is_none_or(|r| r.job != job || r.next_phase_ms != Some(now))
        {
            return; // the job has ended, or its entry was reused (a stale change)
        }
        let record = &self.jobs[job as usize];
        let start = record.start_ms.unwrap_or(now);
        let end = start + record.duration_ms;
        let (_, _, profile) = self.scenario.job_params(record.origin);
        let Some(profile) = profile else {
            return;
        };
        let (u, next) = profile.at(now - start);
        self.set_utilization(job, slot, u, now);
        let next = next.map(|o| start + o).filter(|&t| t < end);
        if let Some(running) = self.running[slot as usize].as_mut() {
            running.next_phase_ms = next;
        }
        if let Some(t) = next {
            self.queue.push(t, Event::Phase(job, slot));
        }
    }

    /// Charges a running job's draw up to `now` and switches it to utilisation `u`.
    fn set_utilization(&mut self, job: JobId, slot: u32, u: f64, now: SimTime) {
        let Some(running) = self.running[slot as usize].as_mut() else {
            return;
        };
        let acc = self.meter.accumulators();
        let record = &mut self.jobs[job as usize];
        running.charge(record, now, &acc);
        running.since = acc;
        running.since_ms = now;
        let p = running.pool;
        let pool = &self.scenario.pools[p as usize];
        let power_uw = job_power_uw(
            pool,
            record.devices,
            record.held_devices,
            record.share_milli,
            u,
        );
        let old = record.power_uw;
        self.running_uw = self.running_uw - old + power_uw;
        record.power_uw = power_uw;
        self.set_pool_uw(p, self.pool_uw[p as usize] - old + power_uw);
    }

    /// Sets pool `p`'s draw [µW] (and its kW mirror for the meter).
    fn set_pool_uw(&mut self, p: u32, uw: u64) {
        self.pool_uw[p as usize] = uw;
        self.pool_kw[p as usize] = uw as f64 * 1e-9;
    }

    /// Closes the run at the horizon: running jobs are charged up to it and leave, then the
    /// jobs still queued or not yet submitted, each group in id order.
    fn close(mut self, scheduler: &dyn Scheduler) -> RunResult {
        let horizon = self.scenario.horizon_ms;
        debug_assert!(
            scheduler
                .waiting()
                .iter()
                .all(|&j| self.jobs[j as usize].outcome == JobOutcome::Queued)
        );
        let acc = self.meter.accumulators();
        let mut still_running: Vec<Running> =
            self.running.iter_mut().filter_map(Option::take).collect();
        still_running.sort_by_key(|r| self.jobs[r.job as usize].id);
        let mut vacant = vec![false; self.jobs.len()];
        for &j in &self.free_jobs {
            vacant[j as usize] = true;
        }
        for running in &still_running {
            let record = &mut self.jobs[running.job as usize];
            running.charge(record, horizon, &acc);
            record.end_ms = Some(horizon);
            record.outcome = JobOutcome::Running;
            vacant[running.job as usize] = true;
            self.leave(running.job);
        }
        // Still queued (or not yet submitted): live entries that have not left.
        let mut waiting: Vec<JobId> = (0..self.jobs.len() as JobId)
            .filter(|&j| !vacant[j as usize] && self.jobs[j as usize].outcome == JobOutcome::Queued)
            .collect();
        waiting.sort_by_key(|&j| self.jobs[j as usize].id);
        for j in waiting {
            self.leave(j);
        }
        // A streamed run's table grew only when no entry was free: to the most jobs at once.
        debug_assert!(self.keep || self.jobs.len() as u64 == self.peak_live);
        self.settle_idle(horizon);
        let (intervals, totals, hourly) = self.recorder.finish();
        let bill = self.meter.into_pricer().finish();
        let sc = self.scenario;
        let carbon = carbon_report(sc, &totals, hourly);
        RunResult {
            scenario: sc.name.clone(),
            seed: self.seed,
            calendar: sc.calendar,
            horizon_ms: horizon,
            output_interval_ms: sc.output_interval_ms,
            currency: sc.site.tariff.currency.clone(),
            installed_devices: sc.pools.iter().map(|p| p.devices()).sum(),
            names: self.names,
            trace_skips: sc
                .traces
                .iter()
                .zip(&self.traces)
                .flat_map(|(t, s)| {
                    s.skips
                        .iter()
                        .map(|(reason, n)| (t.name.clone(), reason.to_string(), *n))
                })
                .collect(),
            trace_rows_used: self.traces.iter().map(|s| s.used).sum(),
            unplaced_replica_hours: self.unplaced_replica_hours
                + self
                    .services
                    .iter()
                    .map(|s| s.unplaced as f64 * crate::time::ms_to_hours(horizon - s.last_step))
                    .sum::<f64>(),
            intervals,
            peak_live_jobs: self.peak_live,
            jobs: if self.keep { self.jobs } else { vec![] },
            job_stats: self.stats,
            idle: self.idle,
            totals,
            events: self.events,
            bill,
            carbon,
        }
    }
}

/// Market-based, marginal and embodied carbon of a run.
fn carbon_report(
    sc: &Scenario,
    totals: &crate::result::Totals,
    hourly: Option<crate::engine::recorder::HourlyBins>,
) -> crate::result::CarbonReport {
    use crate::model::carbon::{amortised_kg, market};
    let span_h = crate::time::ms_to_hours(sc.horizon_ms);
    let (market_kg, cfe_score) = match (&sc.site.grid.market, hourly) {
        (Some(contract), Some((first_hour_ms, hours))) => {
            let r = market::account(contract, &hours, first_hour_ms, span_h);
            (r.market_kg, r.cfe_score)
        }
        _ => (totals.energy.carbon_kg, 0.0),
    };
    let embodied_kg = sc
        .pools
        .iter()
        .map(|p| {
            amortised_kg(
                p.device.embodied_kg * p.devices() as f64,
                p.device.lifetime_years,
                span_h,
            ) + amortised_kg(
                p.host_embodied_kg * p.nodes as f64,
                p.host_lifetime_years,
                span_h,
            )
        })
        .sum();
    crate::result::CarbonReport {
        market_kg,
        marginal_kg: sc
            .site
            .grid
            .marginal
            .is_some()
            .then_some(totals.marginal_carbon_kg),
        embodied_kg,
        cfe_score,
    }
}

/// Jobs a run is likely to create (explicit jobs plus each workload's arrivals at its peak
/// rate, capped by `max_jobs` and at 2,000,000), to size a kept job table once.
fn expected_jobs(scenario: &Scenario) -> usize {
    let hours = crate::time::ms_to_hours(scenario.horizon_ms);
    let generated: f64 = scenario
        .workloads
        .iter()
        .map(|w| {
            let rate_per_hour = w.arrival.peak_rate_per_hour(scenario.horizon_ms);
            let mean = rate_per_hour * hours * 1.05 * w.batch.max() as f64 + 16.0;
            w.max_jobs.map_or(mean, |m| mean.min(m as f64))
        })
        .sum();
    scenario.jobs.len() + generated.min(2e6) as usize
}

/// IT draw of a job [µW]: its devices busy at `u` (clipped by any power cap) with their host
/// share, plus devices it holds but does not use, at idle.
/// A fractional job (`milli` < 1000) draws its share of one busy slot; the rest of the shared
/// device stays with idle capacity.
fn job_power_uw(
    pool: &crate::model::pool::Pool,
    devices: u32,
    held: u32,
    milli: u32,
    u: f64,
) -> u64 {
    if milli < 1000 {
        return to_uw(milli as f64 / 1000.0 * pool.busy_slot_w(u));
    }
    to_uw(devices as f64 * pool.busy_slot_w(u) + (held - devices) as f64 * pool.idle_slot_w())
}

/// Watts to whole microwatts [µW]; integer power makes the running sum exact.
fn to_uw(w: f64) -> u64 {
    crate::time::round_u64(w * 1e6)
}
