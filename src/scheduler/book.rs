//! What a policy keeps of the jobs it started: each one's pool, held devices and estimated
//! end, ordered by estimated end per pool (the shadow time of a reservation is a walk along
//! it, never a sort), and the devices each tenant uses against its quota.

use super::config::Quota;
use super::{JobId, RunningJob, WaitingJob};
use crate::time::SimTime;
use std::collections::BTreeSet;

/// A started job as the book keeps it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    pool: u32,
    held: u64,
    estimated_end_ms: SimTime,
    tenant: Option<u32>,
    devices: u64,
}

/// The running jobs a policy started, and tenant usage. A policy that plans no reservations
/// and a run without quotas keep nothing (FIFO pays nothing for the book).
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Keep the jobs by estimated end (backfilling policies).
    by_end_kept: bool,
    /// By job id (ids are reused after a job leaves, by which time its entry is gone).
    entries: Vec<Option<Entry>>,
    /// Per pool: (estimated end, job), ascending.
    by_end: Vec<BTreeSet<(SimTime, JobId)>>,
    /// Per tenant: the quota [devices], if any.
    limit: Vec<Option<u64>>,
    /// Per tenant: devices requested by its running jobs [count].
    in_use: Vec<u64>,
}

impl Book {
    /// An empty book enforcing `quotas`, keeping the jobs by estimated end if `by_end`.
    pub fn new(quotas: &[Quota], by_end: bool) -> Self {
        let tenants = quotas
            .iter()
            .map(|q| q.tenant as usize + 1)
            .max()
            .unwrap_or(0);
        let mut limit = vec![None; tenants];
        for q in quotas {
            limit[q.tenant as usize] = Some(q.max_devices);
        }
        Book {
            by_end_kept: by_end,
            in_use: vec![0; tenants],
            limit,
            ..Book::default()
        }
    }

    /// Whether `job` must wait because its tenant would exceed its quota.
    #[inline]
    pub fn over_quota(&self, job: &WaitingJob) -> bool {
        let Some(t) = job.tenant else {
            return false;
        };
        match self.limit.get(t as usize) {
            Some(Some(max)) => self.in_use[t as usize] + job.devices as u64 > *max,
            _ => false,
        }
    }

    /// Records a job the policy started.
    #[inline]
    pub fn started(&mut self, r: &RunningJob, job: &WaitingJob) {
        if self.by_end_kept || !self.limit.is_empty() {
            self.keep(r, job);
        }
    }

    fn keep(&mut self, r: &RunningJob, job: &WaitingJob) {
        let id = r.id as usize;
        if id >= self.entries.len() {
            self.entries.resize(id + 1, None);
        }
        let pool = r.pool as usize;
        if pool >= self.by_end.len() {
            self.by_end.resize(pool + 1, BTreeSet::new());
        }
        if self.by_end_kept {
            self.by_end[pool].insert((r.estimated_end_ms, r.id));
        }
        self.entries[id] = Some(Entry {
            pool: r.pool,
            held: r.held_devices.max(1) as u64,
            estimated_end_ms: r.estimated_end_ms,
            tenant: job.tenant,
            devices: job.devices as u64,
        });
        if let Some(t) = job.tenant.filter(|&t| (t as usize) < self.in_use.len()) {
            self.in_use[t as usize] += job.devices as u64;
        }
    }

    /// A job ended; returns its estimated end [ms] if the book kept it (jobs the policy did
    /// not start are ignored).
    #[inline]
    pub fn ended(&mut self, job: JobId) -> Option<SimTime> {
        let e = self.entries.get_mut(job as usize).and_then(Option::take)?;
        if self.by_end_kept {
            self.by_end[e.pool as usize].remove(&(e.estimated_end_ms, job));
        }
        if let Some(t) = e.tenant.filter(|&t| (t as usize) < self.in_use.len()) {
            self.in_use[t as usize] -= e.devices;
        }
        Some(e.estimated_end_ms)
    }

    /// Whether any tenant has a quota.
    pub fn has_quotas(&self) -> bool {
        !self.limit.is_empty()
    }

    /// The running jobs of `pool` by estimated end: (end, held devices), ends in the past
    /// taken as `now` (a job past its estimate is expected to end at any moment).
    pub fn ends(&self, pool: u32, now: SimTime) -> impl Iterator<Item = (SimTime, u64)> + '_ {
        self.by_end
            .get(pool as usize)
            .into_iter()
            .flatten()
            .map(move |&(end, id)| {
                let held = self.entries[id as usize].map_or(0, |e| e.held);
                (end.max(now), held)
            })
    }

    /// The shadow time of a job needing `need` devices on `pool` with `free` free now: the
    /// earliest estimated end at which enough are free, and how many are free then [count]
    /// (`None` when the jobs this book knows of never free enough).
    pub fn shadow(&self, pool: u32, now: SimTime, free: u64, need: u64) -> Option<(SimTime, u64)> {
        if free >= need {
            return Some((now, free));
        }
        let mut free = free;
        let mut ends = self.ends(pool, now).peekable();
        while let Some((t, held)) = ends.next() {
            free += held;
            // All jobs ending at the same instant free their devices together.
            if free >= need && ends.peek().is_none_or(|&(next, _)| next > t) {
                return Some((t, free));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running(id: JobId, pool: u32, held: u32, end: SimTime) -> RunningJob {
        RunningJob {
            id,
            pool,
            held_devices: held,
            start_ms: 0,
            estimated_end_ms: end,
        }
    }

    fn waiting(id: JobId, devices: u32, tenant: Option<u32>) -> WaitingJob {
        crate::scheduler::test_cluster::waiting_job(id, devices, 1, tenant)
    }

    #[test]
    fn the_shadow_time_walks_the_ends_in_order() {
        let mut b = Book::new(&[], true);
        // Ends at 30 (2 devices), 10 (1), 20 (3) on pool 0; one on pool 1.
        for (id, held, end) in [(1, 2, 30), (2, 1, 10), (3, 3, 20)] {
            b.started(&running(id, 0, held, end), &waiting(id, held, None));
        }
        b.started(&running(4, 1, 8, 5), &waiting(4, 8, None));
        // 1 free now, 4 needed: +1 at 10 (2), +3 at 20 (5 ≥ 4) → shadow 20 with 5 free.
        assert_eq!(b.shadow(0, 0, 1, 4), Some((20, 5)));
        assert_eq!(b.shadow(0, 0, 4, 4), Some((0, 4)), "fits now");
        assert_eq!(b.shadow(0, 0, 0, 7), None, "6 at most");
        assert_eq!(b.ended(3), Some(20));
        assert_eq!(b.shadow(0, 0, 1, 4), Some((30, 4)));
        // An estimate already passed counts as ending now.
        assert_eq!(b.shadow(0, 15, 1, 2), Some((15, 2)));
    }

    #[test]
    fn quotas_count_the_tenants_running_devices() {
        let mut b = Book::new(
            &[Quota {
                tenant: 1,
                max_devices: 4,
            }],
            false,
        );
        let j = waiting(1, 3, Some(1));
        assert!(!b.over_quota(&j));
        b.started(&running(1, 0, 3, 10), &j);
        assert!(b.over_quota(&waiting(2, 2, Some(1))), "3 + 2 > 4");
        assert!(!b.over_quota(&waiting(3, 1, Some(1))), "3 + 1 = 4");
        assert!(
            !b.over_quota(&waiting(4, 9, Some(0))),
            "tenant 0 has no quota"
        );
        assert_eq!(b.ended(1), Some(10));
        assert!(!b.over_quota(&waiting(2, 2, Some(1))));
    }
}
