//! Jobs on devices: starting a job on the first pool with room (its wall time and draw on
//! that pool), load-profile phases and utilisation changes, and ending it with its energy,
//! cost and carbon charged from the meter's integrals.

use super::core::Core;
use super::event::Event;
use super::ledger::job_power_uw;
use super::state::Running;
use crate::model::work::wall_ms;
use crate::result::JobOutcome;
use crate::scheduler::JobId;
use crate::time::SimTime;

impl Core<'_, '_> {
    /// Starts `job` on the first pool with room; returns its running-table slot.
    pub(super) fn start(&mut self, job: JobId, now: SimTime) -> Option<u32> {
        let candidates = match self.jobs[job].pool {
            Some(p) => p..p + 1,
            None => 0..self.ledger.pools.len() as u32,
        };
        candidates
            .into_iter()
            .find_map(|p| self.start_on(job, p, now))
    }

    /// The true wall time of `job` on pool `p` [ms] (before any wall-time limit).
    #[inline]
    pub(super) fn wall_on(&self, job: JobId, p: u32) -> SimTime {
        let record = &self.jobs[job];
        let (work, speeds, _) = self.scenario.job_params(record.origin);
        self.wall_with(record, work, speeds, p)
    }

    /// The true wall time on pool `p` [ms] of a job sized by `work` and `speeds`.
    #[inline]
    fn wall_with(
        &self,
        record: &crate::result::JobRecord,
        work: &crate::model::work::Work,
        speeds: &crate::model::work::Speeds,
        p: u32,
    ) -> SimTime {
        let pool = &self.scenario.pools[p as usize];
        wall_ms(
            work,
            record.duration_ms,
            speeds,
            &pool.device,
            record.devices,
            pool.cap_slowdown(record.utilization),
        )
    }

    /// Starts `job` on pool `p` if it has room (and the job may run there); returns its
    /// running-table slot.
    pub(super) fn start_on(&mut self, job: JobId, p: u32, now: SimTime) -> Option<u32> {
        let record = &self.jobs[job];
        if record.pool.is_some_and(|only| only != p) {
            return None;
        }
        let (devices, u, milli) = (record.devices, record.utilization, record.share_milli);
        let (placement, idle_freed, busy) = self.ledger.pools[p as usize].place(devices, milli)?;
        let pool = &self.scenario.pools[p as usize];
        let held = self.ledger.pools[p as usize].slots.held(&placement);
        let (work, speeds, profile) = self.scenario.job_params(record.origin);
        let (u_now, next_change) = profile.map_or((u, None), |pr| pr.at(0));
        let power_uw = job_power_uw(pool, devices, held, milli, u_now);
        let duration_ms = self.wall_with(record, work, speeds, p);
        let walltime = record.walltime_ms;
        // A job is ended at its wall time (as Slurm does); the policy sees only its estimate.
        let run_ms = walltime.map_or(duration_ms, |w| duration_ms.min(w));
        let estimate_ms = self
            .scenario
            .scheduler
            .estimate
            .runtime_ms(duration_ms, walltime);
        self.settle_idle(now);
        self.ledger.start(p, idle_freed, power_uw, busy);
        let record = &mut self.jobs[job];
        record.duration_ms = duration_ms;
        record.start_ms = Some(now);
        record.pool = Some(p);
        record.held_devices = held;
        record.power_uw = power_uw;
        let end = now.saturating_add(run_ms);
        let next_phase_ms = next_change.map(|o| now + o).filter(|&t| t < end);
        let running = Some(Running {
            job,
            pool: p,
            placement,
            since: self.meter.accumulators(),
            since_ms: now,
            end_ms: end,
            estimated_end_ms: now.saturating_add(estimate_ms),
            next_phase_ms,
        });
        let slot = crate::engine::slab::put(&mut self.running, &mut self.free_slots, running);
        if let Some(next) = next_phase_ms {
            self.queue.push(next, Event::Phase(job, slot));
        }
        self.queue.push(end, Event::Finish(job, slot));
        Some(slot)
    }

    /// A running job ends at `now` (its work done, or its wall time reached): attribute its
    /// energy and free its devices. Returns whether it ended (not a stale event).
    pub(super) fn finish(&mut self, job: JobId, slot: u32, now: SimTime) -> bool {
        if self.running[slot as usize]
            .as_ref()
            .is_none_or(|r| r.job != job || r.end_ms != now)
        {
            return false;
        }
        let record = &self.jobs[job];
        let outcome = if record.walltime_ms.is_some_and(|w| w < record.duration_ms) {
            JobOutcome::Timeout
        } else {
            JobOutcome::Completed
        };
        let record = &mut self.jobs[job];
        record.missed_deadline = record
            .deadline_ms
            .is_some_and(|d| now > d || outcome == JobOutcome::Timeout);
        self.finish_as(job, slot, now, outcome);
        true
    }

    /// Ends a running job at `now` with `outcome`.
    pub(super) fn finish_as(&mut self, job: JobId, slot: u32, now: SimTime, outcome: JobOutcome) {
        let Some(running) = self.running[slot as usize].take() else {
            return;
        };
        self.free_slots.push(slot);
        debug_assert_eq!(running.job, job);
        let acc = self.meter.accumulators();
        let record = &mut self.jobs[job];
        running.charge(record, now, &acc);
        record.end_ms = Some(now);
        record.outcome = outcome;
        let (power_uw, devices) = (record.power_uw, record.devices);
        let (idle_back, freed) =
            self.ledger.pools[running.pool as usize].release(&running.placement, devices);
        self.settle_idle(now);
        self.ledger.end(running.pool, idle_back, power_uw, freed);
        self.jobs.leave(job);
    }

    /// A running job's utilisation changes (load profile): switch, schedule the next change.
    pub(super) fn phase(&mut self, job: JobId, slot: u32, now: SimTime) {
        if self.running[slot as usize]
            .as_ref()
            .is_none_or(|r| r.job != job || r.next_phase_ms != Some(now))
        {
            return; // the job has ended, or its entry was reused (a stale change)
        }
        let record = &self.jobs[job];
        let start = record.start_ms.unwrap_or(now);
        let end = self.running[slot as usize]
            .as_ref()
            .map_or(now, |r| r.end_ms);
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
    pub(super) fn set_utilization(&mut self, job: JobId, slot: u32, u: f64, now: SimTime) {
        let Some(running) = self.running[slot as usize].as_mut() else {
            return;
        };
        let acc = self.meter.accumulators();
        let record = &mut self.jobs[job];
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
        record.power_uw = power_uw;
        self.ledger.change(p, old, power_uw);
    }
}
