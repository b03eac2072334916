//! The cluster as a scheduling policy sees it during one pass: a read-only view of pools,
//! running and waiting jobs and grid signals, and the actions (start a job, hold it, wake me).
//! The power manager's view of the same state is in `power`.

use super::arrivals::waiting_job;
use super::core::Core;
use crate::meter::{Pricer as _, Rates};
use crate::scheduler::{Cluster, GridSignal, JobId, RunningJob, WaitingJob};
use crate::time::SimTime;

/// One scheduling pass at `now` over the run's state.
pub(super) struct Dispatch<'c, 'a, 's> {
    pub(super) core: &'c mut Core<'a, 's>,
    pub(super) now: SimTime,
}

impl Cluster for Dispatch<'_, '_, '_> {
    fn now(&self) -> SimTime {
        self.now
    }

    fn job(&self, job: JobId) -> WaitingJob {
        waiting_job(
            job,
            &self.core.jobs[job],
            self.core.scenario.scheduler.estimate,
        )
    }

    fn pools(&self) -> u32 {
        self.core.ledger.pools.len() as u32
    }

    fn free_devices(&self, pool: u32) -> u64 {
        self.core.ledger.free_devices(pool)
    }

    fn shape(&self, pool: u32) -> (u32, u32) {
        let p = &self.core.scenario.pools[pool as usize];
        (p.nodes, p.devices_per_node)
    }

    fn free_on_node(&self, pool: u32, node: u32) -> u32 {
        self.core.ledger.pools[pool as usize].slots.free_on(node)
    }

    fn running(&self, visit: &mut dyn FnMut(&RunningJob)) {
        for r in self.core.running.iter().flatten() {
            let record = &self.core.jobs[r.job];
            visit(&RunningJob {
                id: r.job,
                pool: r.pool,
                held_devices: record.held_devices,
                start_ms: record.start_ms.unwrap_or(self.now),
                estimated_end_ms: r.estimated_end_ms,
            });
        }
    }

    fn grid(&self, t: SimTime) -> GridSignal {
        let site = &self.core.scenario.site;
        GridSignal {
            price_per_kwh: site.tariff.posted_price_per_kwh(site.epoch_ms + t as i64),
            intensity_g_per_kwh: site.intensity_g_per_kwh(t),
            marginal_g_per_kwh: site.marginal_g_per_kwh(t),
        }
    }

    fn next_grid_change_after(&self, t: SimTime) -> Option<SimTime> {
        let site = &self.core.scenario.site;
        [
            site.next_edge_after(t),
            self.core.meter.pricer().next_edge_after(t),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn changes(&self) -> u64 {
        self.core.ledger.changes
    }

    fn horizon(&self) -> SimTime {
        self.core.scenario.horizon_ms
    }

    fn uniform_estimates(&self) -> bool {
        self.core.uniform_runtimes
    }

    fn estimate_on(&self, job: JobId, pool: u32) -> SimTime {
        let record = &self.core.jobs[job];
        let estimate = self.core.scenario.scheduler.estimate;
        if self.core.uniform_runtimes {
            return estimate.runtime_ms(record.duration_ms, record.walltime_ms);
        }
        estimate.runtime_ms(self.core.wall_on(job, pool), record.walltime_ms)
    }

    fn try_start(&mut self, job: JobId) -> Option<RunningJob> {
        let slot = self.core.start(job, self.now)?;
        Some(self.started(slot))
    }

    fn try_start_on(&mut self, job: JobId, pool: u32) -> Option<RunningJob> {
        let slot = self.core.start_in(job, pool, self.now)?;
        Some(self.started(slot))
    }

    fn defer(&mut self, job: JobId, until: SimTime) {
        let record = &mut self.core.jobs[job];
        record.deferred_ms = until.saturating_sub(record.submit_ms);
        self.core.wake_at(until, self.now);
    }

    fn wake_at(&mut self, t: SimTime) {
        self.core.wake_at(t, self.now);
    }
}

impl Dispatch<'_, '_, '_> {
    /// What the policy learns of the job just started in running-table slot `slot`.
    fn started(&self, slot: u32) -> RunningJob {
        let r = self.core.running[slot as usize]
            .as_ref()
            .expect("a job just started holds its slot");
        RunningJob {
            id: r.job,
            pool: r.pool,
            held_devices: self.core.jobs[r.job].held_devices,
            start_ms: self.core.jobs[r.job].start_ms.unwrap_or(self.now),
            estimated_end_ms: r.estimated_end_ms,
        }
    }
}
