//! EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001): jobs start in queue order while
//! the first fits; the first that does not (the head) gets a reservation at its *shadow
//! time*, the earliest estimated end of running jobs at which enough devices are free for it;
//! each later job may start now if it fits now and either ends (by its estimate) by the
//! shadow time, or needs no more than the *extra* devices — those free at the shadow time
//! beyond the head's need — which it then uses up.

use super::book::Book;
use super::queue::Key;
use super::queued::{Pass, Queued, Starts};
use super::{Cluster, RunningJob, WaitingJob, held_need};
use crate::time::SimTime;

/// EASY backfilling over a priority queue.
pub type EasyScheduler = Queued<Easy>;

/// The EASY pass, examining at most `depth` ready jobs.
#[derive(Debug, Clone, Default)]
pub struct Easy {
    /// Ready jobs examined per pass [count].
    depth: usize,
    /// Every reservation made: (head, shadow time [ms]), for the tests' property checks.
    #[cfg(test)]
    pub(crate) promises: Vec<(crate::scheduler::JobId, SimTime)>,
}

impl Easy {
    /// A pass examining at most `depth` ready jobs.
    pub fn new(depth: usize) -> Self {
        Easy {
            depth,
            #[cfg(test)]
            promises: Vec::new(),
        }
    }
}

/// The head's reservation: on `pool` at `shadow_ms`, with `extra` devices to spare then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    /// Pool it is held on.
    pub pool: u32,
    /// Shadow time [ms].
    pub shadow_ms: SimTime,
    /// Devices free at the shadow time beyond the head's need [count].
    pub extra: u64,
}

/// The pools `job` may run on.
pub(super) fn eligible<C: Cluster>(cluster: &C, job: &WaitingJob) -> std::ops::Range<u32> {
    job.pool.map_or(0..cluster.pools(), |p| p..p + 1)
}

/// The head's reservation: the eligible pool with the earliest shadow time (the first such
/// pool on a tie), or `None` when the running jobs never free enough for it.
pub fn reserve<C: Cluster>(cluster: &C, book: &Book, head: &WaitingJob) -> Option<Reservation> {
    let now = cluster.now();
    let mut best: Option<Reservation> = None;
    for p in eligible(cluster, head) {
        let (nodes, per_node) = cluster.shape(p);
        let need = held_need(head.devices, head.share_milli, per_node);
        if need > nodes as u64 * per_node as u64 {
            continue;
        }
        if let Some((t, free)) = book.shadow(p, now, cluster.free_devices(p), need)
            && best.is_none_or(|b| t < b.shadow_ms)
        {
            best = Some(Reservation {
                pool: p,
                shadow_ms: t,
                extra: free - need,
            });
        }
    }
    best
}

/// Starts `job` now if that does not delay the head's reservation `res`; updates `res`.
pub fn backfill<C: Cluster>(
    cluster: &mut C,
    job: &WaitingJob,
    res: &mut Option<Reservation>,
) -> Option<RunningJob> {
    let now = cluster.now();
    for p in eligible(cluster, job) {
        if cluster.free_devices(p) == 0 {
            continue;
        }
        let Some(r) = res.as_mut().filter(|r| r.pool == p) else {
            if let Some(started) = cluster.try_start_on(job.id, p) {
                return Some(started);
            }
            continue;
        };
        let need = held_need(job.devices, job.share_milli, cluster.shape(p).1);
        let long = now.saturating_add(cluster.estimate_on(job.id, p)) > r.shadow_ms;
        if long && need > r.extra {
            continue;
        }
        if let Some(started) = cluster.try_start_on(job.id, p) {
            if long {
                r.extra -= need;
            }
            return Some(started);
        }
    }
    None
}

/// Whether no eligible pool of any job has a free device.
pub(super) fn full<C: Cluster>(cluster: &C) -> bool {
    (0..cluster.pools()).all(|p| cluster.free_devices(p) == 0)
}

impl Pass for Easy {
    const NAME: &'static str = "easy-backfill";

    fn pass<'q, C: Cluster>(
        &mut self,
        ready: impl Iterator<Item = (&'q Key, &'q WaitingJob)>,
        jobs: &mut Starts,
        cluster: &mut C,
    ) {
        // `None` until the head is found; then its reservation (`Some(None)`: none possible).
        let mut head: Option<Option<Reservation>> = None;
        for (key, job) in ready.take(self.depth) {
            if jobs.over_quota(job) {
                continue;
            }
            let started = match head.as_mut() {
                None => match cluster.try_start(job.id) {
                    Some(r) => Some(r),
                    None => {
                        let res = reserve(cluster, jobs.book(), job);
                        #[cfg(test)]
                        if let Some(r) = res {
                            self.promises.push((job.id, r.shadow_ms));
                        }
                        head = Some(res);
                        None
                    }
                },
                Some(res) => backfill(cluster, job, res),
            };
            if let Some(r) = started {
                jobs.record(key, &r, job);
            }
            if head.is_some() && full(cluster) {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::queue::WaitQueue;
    use crate::scheduler::test_cluster::TestCluster;
    use crate::scheduler::{Config, Scheduler};

    const H: SimTime = 3_600_000;

    fn easy() -> EasyScheduler {
        let config = Config::default();
        EasyScheduler::new(
            WaitQueue::new(&config),
            Book::new(&[], true),
            Easy::new(1000),
        )
    }

    #[test]
    fn short_jobs_backfill_a_blocked_head_long_ones_wait() {
        // 4 devices. Job 1 (2 devices, 10 h) starts; job 2 (4 devices) cannot: its shadow time
        // is job 1's end at 10 h, when 4 are free — no extra devices beyond its need.
        // Job 3 (1 device, 20 h) fits now but would hold a device past 10 h: it waits.
        // Jobs 4 (1 device, 5 h) and 5 (1 device, 3 h) end before 10 h: both start.
        let mut c = TestCluster::new(4, &[0, 2, 4, 1, 1, 1])
            .with_estimate(1, 10 * H)
            .with_estimate(3, 20 * H)
            .with_estimate(4, 5 * H)
            .with_estimate(5, 3 * H);
        let mut s = easy();
        for j in 1..=5 {
            s.enqueue(&c.job(j));
        }
        s.dispatch(&mut c);
        assert_eq!(c.started, vec![1, 4, 5]);
        assert_eq!(s.waiting(), vec![2, 3]);
        // FIFO would have started job 1 only (the head blocks).
    }

    #[test]
    fn long_jobs_may_use_the_extra_devices_once() {
        // 6 devices. Job 1 (4 devices, 10 h) starts; job 2 needs 5: shadow 10 h with 6 free,
        // so 1 extra device. Job 3 (1 device, 20 h) takes it; job 4 (1 device, 20 h) would
        // then delay job 2 and waits.
        let mut c = TestCluster::new(6, &[0, 4, 5, 1, 1])
            .with_estimate(1, 10 * H)
            .with_estimate(3, 20 * H)
            .with_estimate(4, 20 * H);
        let mut s = easy();
        for j in 1..=4 {
            s.enqueue(&c.job(j));
        }
        s.dispatch(&mut c);
        assert_eq!(c.started, vec![1, 3]);
        assert_eq!(s.waiting(), vec![2, 4]);
        // At 10 h job 1 ends: job 2 starts at its reservation.
        c.now = 10 * H;
        c.end(1);
        s.ended(1);
        s.dispatch(&mut c);
        assert_eq!(c.started, vec![1, 3, 2]);
    }
}
