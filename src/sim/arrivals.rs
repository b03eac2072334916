//! Where jobs come from during a run: generated workloads (each with its own random stream),
//! traces (the next already-read row, one ahead of the clock) and autoscaled services; and
//! admission (queue a job, or reject one that can never fit at once).

use super::core::Core;
use super::event::Event;
use crate::model::terms::Terms;
use crate::model::trace::TraceItem;
use crate::result::{JobOrigin, JobOutcome, JobRecord};
use crate::scheduler::{Estimate, JobId, Scheduler, WaitingJob};
use crate::time::SimTime;

/// What a policy knows of job `id` from its record, its runtime estimated as `estimate`
/// says.
pub(super) fn waiting_job(id: JobId, record: &JobRecord, estimate: Estimate) -> WaitingJob {
    WaitingJob {
        id,
        devices: record.devices,
        share_milli: record.share_milli,
        pool: record.pool,
        submit_ms: record.submit_ms,
        tenant: record.tenant,
        priority: record.priority,
        runtime_estimate_ms: estimate.runtime_ms(record.duration_ms, record.walltime_ms),
        deadline_ms: record.deadline_ms,
    }
}

/// A record with its terms (wall time, deadline, priority) set.
#[inline(always)]
fn with_terms(record: JobRecord, terms: Terms) -> JobRecord {
    JobRecord {
        walltime_ms: terms.walltime_ms,
        deadline_ms: terms.deadline_ms,
        priority: terms.priority,
        ..record
    }
}

impl Core<'_, '_> {
    /// Puts the explicit jobs, the first arrivals, trace rows and service steps on the queue.
    pub(super) fn schedule_sources(&mut self) {
        let scenario = self.scenario;
        let explicit = scenario.traces.len();
        for (i, spec) in scenario.jobs.iter().enumerate() {
            let terms = spec.terms.realize(
                spec.submit_ms,
                spec.duration_ms,
                None,
                &mut self.arrivals.terms_rngs[explicit],
            );
            let record = JobRecord {
                origin: JobOrigin::Explicit(i as u32),
                submit_ms: spec.submit_ms,
                devices: spec.devices,
                share_milli: spec.share_milli,
                duration_ms: spec.duration_ms,
                utilization: spec.utilization,
                pool: spec.pool.map(|p| p as u32),
                tenant: spec.tenant,
                ..JobRecord::UNSTARTED
            };
            let id = self.jobs.push(with_terms(record, terms));
            self.queue.push(spec.submit_ms, Event::Submit(id));
        }
        for w in 0..scenario.workloads.len() {
            self.schedule_arrival(w as u32, 0);
        }
        for t in 0..scenario.traces.len() {
            self.next_trace_row(t as u32);
        }
        for s in 0..scenario.services.len() {
            self.queue.push(0, Event::ServiceStep(s as u32));
        }
    }

    /// An explicit job's submission time has come: it waits.
    pub(super) fn submit(&mut self, job: JobId, scheduler: &mut impl Scheduler) {
        let estimate = self.scenario.scheduler.estimate;
        scheduler.enqueue(&waiting_job(job, &self.jobs[job], estimate));
    }

    /// A service's load changes: scale its replicas to the load and set their utilisation.
    /// Returns whether replicas were removed (devices freed).
    pub(super) fn service_step(&mut self, s: u32, now: SimTime) -> bool {
        let scenario = self.scenario;
        let svc = &scenario.services[s as usize];
        let state = &mut self.arrivals.services[s as usize];
        self.arrivals.unplaced_replica_hours +=
            state.unplaced as f64 * crate::time::ms_to_hours(now - state.last_step);
        state.last_step = now;
        let rps = svc.rps_at(now);
        let want = svc.replicas_for(rps) as usize;
        let mut freed = false;
        while self.arrivals.services[s as usize].replicas.len() > want {
            let Some((job, slot)) = self.arrivals.services[s as usize].replicas.pop() else {
                break;
            };
            self.finish_as(job, slot, now, JobOutcome::ScaledIn);
            freed = true;
        }
        while self.arrivals.services[s as usize].replicas.len() < want {
            let seq = self.arrivals.services[s as usize].seq + 1;
            let id = self.jobs.push(JobRecord {
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
                let state = &mut self.arrivals.services[s as usize];
                state.seq = seq;
                state.replicas.push((id, slot));
            } else {
                self.jobs.unpush(id);
                break;
            }
        }
        let placed = self.arrivals.services[s as usize].replicas.len();
        self.arrivals.services[s as usize].unplaced = (want - placed.min(want)) as u32;
        let u = svc.utilization(rps, placed as u32);
        for i in 0..placed {
            let (job, slot) = self.arrivals.services[s as usize].replicas[i];
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
        let state = &mut self.arrivals.traces[t as usize];
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
    pub(super) fn trace_arrive(
        &mut self,
        t: u32,
        now: SimTime,
        scheduler: &mut impl Scheduler,
    ) -> bool {
        let Some((row, job)) = self.arrivals.traces[t as usize].pending.take() else {
            return false;
        };
        self.arrivals.traces[t as usize].used += 1;
        let trace = &self.scenario.traces[t as usize];
        let tenant = job.tenant.as_ref().map(|name| self.jobs.tenant_id(name));
        let terms = trace.terms.realize(
            now,
            job.duration_ms,
            job.walltime_ms,
            &mut self.arrivals.terms_rngs[t as usize],
        );
        let queued = self.admit(
            with_terms(
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
                terms,
            ),
            scheduler,
        );
        self.next_trace_row(t);
        queued
    }

    /// A job arriving now: queued, or — when it can never fit — rejected and gone at once.
    /// Returns whether it was queued.
    #[inline(always)]
    fn admit(&mut self, job: JobRecord, scheduler: &mut impl Scheduler) -> bool {
        let rejection = self
            .scenario
            .never_fits_at(job.devices, job.pool.map(|p| p as usize), job.submit_ms)
            .or_else(|| self.over_quota(&job));
        let queued = rejection.is_none();
        let outcome = rejection.map_or(JobOutcome::Queued, JobOutcome::Rejected);
        let id = self.jobs.push(JobRecord { outcome, ..job });
        if queued {
            self.submit(id, scheduler);
        } else {
            self.jobs.leave(id);
        }
        queued
    }

    /// Why a job can never run within its tenant's quota, if it cannot.
    fn over_quota(&self, job: &JobRecord) -> Option<String> {
        let tenant = job.tenant?;
        let quota = self
            .scenario
            .scheduler
            .quotas
            .iter()
            .find(|q| q.tenant == tenant)?;
        (job.devices as u64 > quota.max_devices).then(|| {
            format!(
                "asks for {} devices, more than its tenant's quota of {}",
                job.devices, quota.max_devices
            )
        })
    }

    /// Schedules the next arrival of workload `w` after `now`, if any remain.
    fn schedule_arrival(&mut self, w: u32, now: SimTime) {
        let workload = &self.scenario.workloads[w as usize];
        if workload
            .max_jobs
            .is_some_and(|max| self.arrivals.generated[w as usize] >= max)
        {
            return;
        }
        let next = workload.arrival.next_arrival(
            now,
            self.scenario.horizon_ms,
            &mut self.arrivals.rngs[w as usize],
            &mut self.arrivals.modulation[w as usize],
        );
        if let Some(at) = next {
            self.queue.push(at, Event::Arrival(w));
        }
    }

    /// Generated jobs arrive (a batch of one or more): sample each, reject those that can
    /// never fit, queue the rest. Returns whether a job was queued.
    pub(super) fn arrive(&mut self, w: u32, now: SimTime, scheduler: &mut impl Scheduler) -> bool {
        let scenario = self.scenario;
        let workload = &scenario.workloads[w as usize];
        let batch = workload.batch.sample(&mut self.arrivals.rngs[w as usize]);
        let mut queued = false;
        for _ in 0..batch {
            if workload
                .max_jobs
                .is_some_and(|max| self.arrivals.generated[w as usize] >= max)
            {
                break;
            }
            let rng = &mut self.arrivals.rngs[w as usize];
            let devices = workload.devices.sample(rng);
            let duration_ms = workload.size.sample_ms(rng);
            let utilization = workload.utilization.sample(rng);
            let terms = workload.terms.realize(now, duration_ms, None, rng);
            self.arrivals.generated[w as usize] += 1;
            let seq = self.arrivals.generated[w as usize];
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
            queued |= self.admit(with_terms(job, terms), scheduler);
        }
        self.schedule_arrival(w, now);
        queued
    }
}
