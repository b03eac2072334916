//! Jobs on devices: starting a job on the first pool with room (its wall time and draw on
//! that pool), load-profile phases and utilisation changes, and ending it with its energy,
//! cost and carbon charged from the meter's integrals.

use super::core::Core;
use super::event::Event;
use super::state::{Pending, Running};
use crate::model::work::wall_ms;
use crate::result::JobOutcome;
use crate::scheduler::{JobId, Placement};
use crate::time::SimTime;

/// Why a job could not be placed on a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refused {
    /// No room (or not its pool), or held back for peak shaving.
    NoRoom,
    /// The power budget has no room for it.
    Power,
}

impl Core<'_, '_> {
    /// Starts `job` on the first pool with room; returns its running-table slot.
    pub(super) fn start(&mut self, job: JobId, now: SimTime) -> Option<u32> {
        let pools = match self.jobs[job].pool {
            Some(p) => p..p + 1,
            None => 0..self.ledger.pools.len() as u32,
        };
        self.start_among(job, pools, now)
    }

    /// Starts `job` on pool `p` only, as [`Core::start`] does.
    pub(super) fn start_in(&mut self, job: JobId, p: u32, now: SimTime) -> Option<u32> {
        self.start_among(job, p..p + 1, now)
    }

    /// Starts `job` on the first of `pools` with room; a job refused everywhere and for power
    /// somewhere is counted as held for power (once).
    fn start_among(
        &mut self,
        job: JobId,
        pools: std::ops::Range<u32>,
        now: SimTime,
    ) -> Option<u32> {
        let mut for_power = false;
        for p in pools {
            match self.start_on(job, p, now) {
                Ok(slot) => return Some(slot),
                Err(Refused::Power) => for_power = true,
                Err(Refused::NoRoom) => {}
            }
        }
        let record = &mut self.jobs[job];
        if for_power && !record.held_for_power {
            record.held_for_power = true;
            self.power.held_jobs += 1;
        }
        None
    }

    /// The true wall time of `job` on pool `p` [ms] (before any wall-time limit), under
    /// the caps in force now.
    #[inline]
    pub(super) fn wall_on(&self, job: JobId, p: u32) -> SimTime {
        let record = &self.jobs[job];
        let (work, speeds, _) = self.scenario.job_params(record.origin);
        let slowdown = self.scenario.pools[p as usize]
            .cap_slowdown_at(record.utilization, self.power.caps_w[p as usize]);
        self.wall_with(record, work, speeds, p, slowdown)
    }

    /// The true wall time on pool `p` [ms] of a job sized by `work` and `speeds`, its work
    /// slowed by `slowdown` (power caps).
    #[inline]
    fn wall_with(
        &self,
        record: &crate::result::JobRecord,
        work: &crate::model::work::Work,
        speeds: &crate::model::work::Speeds,
        p: u32,
        slowdown: f64,
    ) -> SimTime {
        let pool = &self.scenario.pools[p as usize];
        wall_ms(
            work,
            record.duration_ms,
            speeds,
            &pool.device,
            record.devices,
            slowdown,
        )
    }

    /// Places `job` on pool `p` if it has room (and the job may run there, and the power
    /// budget lets it); returns its running-table slot. A start that boots nodes places the
    /// job now and begins it when they are up.
    fn start_on(&mut self, job: JobId, p: u32, now: SimTime) -> Result<u32, Refused> {
        let record = &self.jobs[job];
        if record.pool.is_some_and(|only| only != p) {
            return Err(Refused::NoRoom);
        }
        if !self.ledger.pools[p as usize].open || !self.done_before_retired(job, p, now) {
            return Err(Refused::NoRoom);
        }
        let (devices, u, milli) = (record.devices, record.utilization, record.share_milli);
        let boot_ms = self
            .scenario
            .power
            .power_down
            .as_ref()
            .map_or(0, |d| d.boot_ms);
        let state = &mut self.ledger.pools[p as usize];
        let (placement, idle_taken, busy, changes) = state
            .place_powered(devices, milli, boot_ms, now)
            .ok_or(Refused::NoRoom)?;
        let held = state.slots.held(&placement);
        // A placement on a booting node begins when the node is up.
        let begins = match &state.nodes {
            Some(nodes) => state
                .nodes_of(&placement)
                .iter()
                .filter_map(|&n| nodes.up_at(n))
                .max()
                .unwrap_or(now),
            None => now,
        };
        let (node_idle_uw, boot_uw, off_uw) = match &state.nodes {
            Some(n) => (
                state.slots.devices_per_node() as u64 * state.idle_slot_uw,
                n.boot_uw(),
                n.off_uw(),
            ),
            None => (0, 0, 0),
        };
        let cap = self.power.caps_w[p as usize];
        let peak_uw = self.peak_uw(record, p, held, cap, 0);
        let floor_uw = if self.holds_at_floor() {
            let floor = self.power.floor_caps_w[p as usize];
            self.peak_uw(record, p, held, floor, 0)
        } else {
            0
        };
        // What the start adds to the committed power: the booted nodes' draw at once, then
        // the job's peak over the idle draw it takes, the booted nodes' boot draw giving way
        // to their idle draw.
        let booted = changes.booted.len() as u64;
        let boot_add = booted * boot_uw.saturating_sub(off_uw);
        let up = |gain: u64| {
            (gain + booted * node_idle_uw).saturating_sub(idle_taken + booted * boot_uw)
        };
        let (reserve_uw, floor_reserve_uw) = (up(peak_uw), up(floor_uw));
        if begins > now && !self.done_before_retired(job, p, begins) {
            // Its nodes would be up too late to finish before the pool is retired.
            self.ledger.pools[p as usize].undo_placement(&placement, devices, &changes);
            return Err(Refused::NoRoom);
        }
        let admit = self.admits(job, p, boot_add, (reserve_uw, floor_reserve_uw), now);
        if admit != super::power::Admit::Yes {
            self.ledger.pools[p as usize].undo_placement(&placement, devices, &changes);
            return Err(if admit == super::power::Admit::NoPower {
                Refused::Power
            } else {
                Refused::NoRoom
            });
        }
        if !changes.booted.is_empty() {
            self.settle_idle(now);
            for &node in &changes.booted {
                self.ledger.shift_idle(p, off_uw, boot_uw);
                self.queue.push(begins, Event::NodeUp(p, node));
            }
            self.power.boots += booted;
            self.refresh_node_flags();
        }
        let record = &mut self.jobs[job];
        record.start_ms = Some(begins);
        record.pool = Some(p);
        record.held_devices = held;
        let running = Some(Running {
            job,
            pool: p,
            placement,
            since: self.meter.accumulators(),
            since_ms: now,
            end_ms: SimTime::MAX,
            estimated_end_ms: SimTime::MAX,
            next_phase_ms: None,
            u_now: u,
            peak_uw,
            floor_uw,
            pending: (begins > now).then(|| {
                Box::new(Pending {
                    idle_taken_uw: idle_taken,
                    busy,
                    reserve_uw,
                    floor_reserve_uw,
                })
            }),
            slowdown: 1.0,
            natural_end_ms: SimTime::MAX,
            flops: 0.0,
        });
        let slot = crate::engine::slab::put(&mut self.running, &mut self.free_slots, running);
        if begins > now {
            self.ledger.extra_uw += reserve_uw;
            self.ledger.floor_uw += floor_reserve_uw;
            let estimate_ms = self.estimate_ms(job, p);
            if let Some(r) = self.running[slot as usize].as_mut() {
                r.estimated_end_ms = begins.saturating_add(estimate_ms);
            }
            self.queue.push(begins, Event::Begin(job, slot));
        } else {
            self.begin_in(job, slot, now, idle_taken, busy);
        }
        Ok(slot)
    }

    /// Whether `job`, beginning at `at` on pool `p`, is expected (by the policy's estimate) to
    /// end by the pool's retirement.
    #[inline]
    fn done_before_retired(&self, job: JobId, p: u32, at: SimTime) -> bool {
        let until = self.scenario.pools[p as usize].until_ms;
        until == SimTime::MAX || at.saturating_add(self.estimate_ms(job, p)) <= until
    }

    /// A job's draw at its peak utilisation under `cap_w` on pool `p` holding `held` devices
    /// [µW], at least `power_uw` (its draw now); just `power_uw` where starts are not gated
    /// (nothing reads peaks then).
    #[inline(always)]
    pub(super) fn peak_uw(
        &self,
        record: &crate::result::JobRecord,
        p: u32,
        held: u32,
        cap_w: Option<f64>,
        power_uw: u64,
    ) -> u64 {
        if !self.power.gated {
            return power_uw;
        }
        let u_peak = self.peak_utilization(record);
        self.draw_uw(p, record, held, u_peak, cap_w).max(power_uw)
    }

    /// The IT draw on pool `p` of the job of `record` holding `held` devices at utilisation
    /// `u` under `cap_w` [µW] (see [`super::ledger::PoolState::job_power_uw`]: the pool's
    /// state and its model are paired here, once).
    #[inline(always)]
    pub(super) fn draw_uw(
        &self,
        p: u32,
        record: &crate::result::JobRecord,
        held: u32,
        u: f64,
        cap_w: Option<f64>,
    ) -> u64 {
        self.ledger.pools[p as usize].job_power_uw(
            &self.scenario.pools[p as usize],
            record.devices,
            held,
            record.share_milli,
            u,
            cap_w,
        )
    }

    /// The highest utilisation a job reaches: its load profile's peak, full load for a
    /// service replica (its load follows the service), otherwise its utilisation [0..1].
    fn peak_utilization(&self, record: &crate::result::JobRecord) -> f64 {
        if let crate::result::JobOrigin::Replica { .. } = record.origin {
            return 1.0;
        }
        let (_, _, profile) = self.scenario.job_params(record.origin);
        profile.map_or(record.utilization, |pr| pr.peak_utilization())
    }

    /// Whether starts are gated with every device at the cap floor (`cap_then_hold`).
    #[inline]
    fn holds_at_floor(&self) -> bool {
        self.scenario
            .power
            .budget
            .as_ref()
            .is_some_and(|b| b.action == crate::model::power_plan::BudgetAction::CapThenHold)
    }

    /// The runtime the policy expects of `job` on pool `p` under the caps now [ms].
    pub(super) fn estimate_ms(&self, job: JobId, p: u32) -> SimTime {
        let record = &self.jobs[job];
        self.scenario
            .scheduler
            .estimate
            .runtime_ms(self.wall_on(job, p), record.walltime_ms)
    }

    /// A job placed on booting nodes begins (its nodes are up): a stale event is ignored.
    pub(super) fn begin(&mut self, job: JobId, slot: u32, now: SimTime) {
        let Some(r) = self.running[slot as usize].as_mut() else {
            return;
        };
        if r.job != job {
            return;
        }
        let Some(pending) = r.pending.take() else {
            return;
        };
        self.ledger.extra_uw -= pending.reserve_uw;
        self.ledger.floor_uw -= pending.floor_reserve_uw;
        self.begin_in(job, slot, now, pending.idle_taken_uw, pending.busy);
    }

    /// The placed job in `slot` begins at `now`, taking over `idle_taken` [µW] of idle draw
    /// and making `busy` devices busy: its draw, wall time, phases and end.
    fn begin_in(&mut self, job: JobId, slot: u32, now: SimTime, idle_taken: u64, busy: u32) {
        let Some(r) = self.running[slot as usize].as_ref() else {
            return;
        };
        let (p, floor_uw) = (r.pool, r.floor_uw);
        let record = &self.jobs[job];
        let (u, held) = (record.utilization, record.held_devices);
        let pool = &self.scenario.pools[p as usize];
        let (work, speeds, profile) = self.scenario.job_params(record.origin);
        let (u_now, next_change) = profile.map_or((u, None), |pr| pr.at(0));
        let cap = self.power.caps_w[p as usize];
        let power_uw = self.draw_uw(p, record, held, u_now, cap);
        let peak_uw = self.peak_uw(record, p, held, cap, power_uw);
        let slowdown = pool.cap_slowdown_at(u, cap);
        let duration_ms = self.wall_with(record, work, speeds, p, slowdown);
        let flops = work.flops(record.duration_ms).unwrap_or(0.0);
        let walltime = record.walltime_ms;
        // A job is ended at its wall time (as Slurm does); the policy sees only its estimate.
        let run_ms = walltime.map_or(duration_ms, |w| duration_ms.min(w));
        let estimate_ms = self
            .scenario
            .scheduler
            .estimate
            .runtime_ms(duration_ms, walltime);
        self.settle_idle(now);
        self.ledger.start(p, idle_taken, power_uw, busy);
        self.ledger.extra_uw += peak_uw - power_uw;
        self.ledger.floor_uw += floor_uw;
        let record = &mut self.jobs[job];
        record.duration_ms = duration_ms;
        record.start_ms = Some(now);
        record.power_uw = power_uw;
        let end = now.saturating_add(run_ms);
        let next_phase_ms = next_change.map(|o| now + o).filter(|&t| t < end);
        let since = self.meter.accumulators();
        if let Some(r) = self.running[slot as usize].as_mut() {
            r.since = since;
            r.since_ms = now;
            r.end_ms = end;
            r.natural_end_ms = now.saturating_add(duration_ms);
            if r.estimated_end_ms == SimTime::MAX {
                r.estimated_end_ms = now.saturating_add(estimate_ms);
            }
            r.next_phase_ms = next_phase_ms;
            r.u_now = u_now;
            r.peak_uw = peak_uw;
            r.slowdown = slowdown;
            r.flops = flops;
        }
        if let Some(next) = next_phase_ms {
            self.queue.push(next, Event::Phase(job, slot));
        }
        self.queue.push(end, Event::Finish(job, slot));
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
        if outcome == JobOutcome::Completed {
            self.flops_done += self.running[slot as usize]
                .as_ref()
                .map_or(0.0, |r| r.flops);
        }
        self.finish_as(job, slot, now, outcome);
        true
    }

    /// Ends a running job at `now` with `outcome`.
    pub(super) fn finish_as(&mut self, job: JobId, slot: u32, now: SimTime, outcome: JobOutcome) {
        // Read in place and then vacated (moving the whole entry out is a copy per job).
        let Some(running) = self.running[slot as usize].as_mut() else {
            return;
        };
        debug_assert_eq!(running.job, job);
        let acc = self.meter.accumulators();
        let record = &mut self.jobs[job];
        running.charge(record, now, &acc);
        record.end_ms = Some(now);
        record.outcome = outcome;
        let (pool, peak_uw, floor_uw) = (running.pool, running.peak_uw, running.floor_uw);
        let placement = std::mem::replace(&mut running.placement, Placement::NONE);
        // Vacated by `take` (assigning `None` copies a whole entry-sized value).
        drop(self.running[slot as usize].take());
        self.free_slots.push(slot);
        let (power_uw, devices) = (record.power_uw, record.devices);
        let state = &mut self.ledger.pools[pool as usize];
        let retired = now >= self.scenario.pools[pool as usize].until_ms;
        let nodes = (state.nodes.is_some() || retired).then(|| state.nodes_of(&placement));
        let (idle_back, freed) = state.release(&placement, devices);
        self.settle_idle(now);
        self.ledger.end(pool, idle_back, power_uw, freed);
        self.ledger.extra_uw -= peak_uw.saturating_sub(power_uw);
        self.ledger.floor_uw -= floor_uw;
        if let Some(nodes) = nodes {
            self.leave_if_retired(pool, &nodes, now);
            let idle = self.ledger.pools[pool as usize].now_idle(&nodes, now);
            self.nodes_idle(&idle, now, pool);
        }
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
        let Some(p) = self.running[slot as usize].as_ref().map(|r| r.pool) else {
            return;
        };
        let record = &self.jobs[job];
        let power_uw = self.draw_uw(
            p,
            record,
            record.held_devices,
            u,
            self.power.caps_w[p as usize],
        );
        let Some(running) = self.running[slot as usize].as_mut() else {
            return;
        };
        let acc = self.meter.accumulators();
        let record = &mut self.jobs[job];
        running.charge(record, now, &acc);
        running.since = acc;
        running.since_ms = now;
        running.u_now = u;
        let old = record.power_uw;
        record.power_uw = power_uw;
        self.ledger.change(p, old, power_uw, running.peak_uw);
    }
}
