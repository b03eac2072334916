//! EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001): jobs start in queue order while
//! the first fits; the first that does not (the head) gets a reservation at its *shadow
//! time*, the earliest estimated end of running jobs at which enough devices are free for it;
//! each later job may start now if it fits now and either ends (by its estimate) by the
//! shadow time, or needs no more than the *extra* devices — those free at the shadow time
//! beyond the head's need — which it then uses up.

use super::book::Book;
use super::lane::Summary;
use super::queue::{Key, WaitQueue};
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
    /// What the last pass left, while nothing has started or ended since.
    memo: Option<Memo>,
    /// The pools' room during a pass.
    room: Room,
    /// Every reservation made: (head, shadow time [ms]), for the tests' property checks.
    #[cfg(test)]
    pub(crate) promises: Vec<(crate::scheduler::JobId, SimTime)>,
}

impl Easy {
    /// A pass examining at most `depth` ready jobs.
    pub fn new(depth: usize) -> Self {
        Easy {
            depth,
            memo: None,
            room: Room::default(),
            #[cfg(test)]
            promises: Vec::new(),
        }
    }
}

/// Where a pass that found a blocked head stopped: valid while no job starts or ends (the
/// cluster's change count) and no new job ranks before `last`. A later pass then only
/// examines the jobs after `last` — an arrival costs one job's look, not a scan of the queue.
#[derive(Debug, Clone, Copy)]
struct Memo {
    changes: u64,
    head: Option<Reservation>,
    /// The last job examined.
    last: Key,
    /// Jobs examined [count].
    examined: usize,
    /// The pass stopped because no device was free.
    full: bool,
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

/// Free devices and node sizes per pool, read once per pass and kept current as the pass
/// starts jobs (so a candidate that cannot fit costs a comparison, not a look at the cluster).
#[derive(Debug, Clone, Default)]
pub struct Room {
    per_node: Vec<u32>,
    free: Vec<u64>,
    /// Estimates do not depend on the pool.
    uniform: bool,
}

impl Room {
    /// Reads the cluster's pools now.
    pub fn read<C: Cluster>(&mut self, cluster: &C) {
        self.per_node.clear();
        self.free.clear();
        self.uniform = cluster.uniform_estimates();
        for p in 0..cluster.pools() {
            self.per_node.push(cluster.shape(p).1);
            self.free.push(cluster.free_devices(p));
        }
    }

    /// Whether no pool has a free device.
    pub fn full(&self) -> bool {
        self.free.iter().all(|&f| f == 0)
    }
}

/// Whether `job` certainly cannot backfill now: a quick test, inlined into the scan, for a job
/// with one eligible pool (the common case); [`backfill`] decides the rest.
#[inline(always)]
fn cannot_backfill(room: &Room, job: &WaitingJob, res: &Option<Reservation>, now: SimTime) -> bool {
    let p = match job.pool {
        Some(p) => p,
        None if room.free.len() == 1 => 0,
        None => return false,
    };
    let i = p as usize;
    let need = held_need(job.devices, job.share_milli, room.per_node[i]);
    if need > room.free[i] {
        return true;
    }
    match res {
        Some(r) if r.pool == p && room.uniform => {
            need > r.extra && now.saturating_add(job.runtime_estimate_ms) > r.shadow_ms
        }
        _ => false,
    }
}

/// Starts `job` now if that does not delay the head's reservation `res`; updates `res` and
/// `room`.
pub fn backfill<C: Cluster>(
    cluster: &mut C,
    room: &mut Room,
    job: &WaitingJob,
    res: &mut Option<Reservation>,
) -> Option<RunningJob> {
    let pools = job.pool.map_or(0..room.free.len() as u32, |p| p..p + 1);
    for p in pools {
        let i = p as usize;
        let need = held_need(job.devices, job.share_milli, room.per_node[i]);
        if need > room.free[i] {
            continue;
        }
        let mut long = false;
        if let Some(r) = res.as_ref().filter(|r| r.pool == p) {
            let run = if room.uniform {
                job.runtime_estimate_ms
            } else {
                cluster.estimate_on(job.id, p)
            };
            long = cluster.now().saturating_add(run) > r.shadow_ms;
            if long && need > r.extra {
                continue;
            }
        }
        if let Some(started) = cluster.try_start_on(job.id, p) {
            room.free[i] = cluster.free_devices(p);
            if let Some(r) = res.as_mut().filter(|_| long) {
                r.extra -= need;
            }
            return Some(started);
        }
    }
    None
}

impl Pass for Easy {
    const NAME: &'static str = "easy-backfill";

    fn pass<C: Cluster>(&mut self, queue: &WaitQueue, jobs: &mut Starts, cluster: &mut C) {
        let changes = cluster.changes();
        let now = cluster.now();
        let memo = self.memo.take().filter(|m| {
            m.changes == changes
                && queue.first_new().is_none_or(|k| k > m.last)
                && m.head.is_none_or(|r| now < r.shadow_ms)
        });
        let Some(mut memo) = memo else {
            self.memo = self.full_pass(queue, jobs, cluster);
            return;
        };
        // Nothing started or ended since the last pass: the jobs it examined still cannot
        // start, and its reservation stands. Only the jobs after them are new.
        if !memo.full {
            self.room.read(cluster);
            let mut res = memo.head;
            for (key, job) in queue
                .ready_after(&memo.last)
                .take(self.depth - memo.examined)
            {
                memo.last = *key;
                memo.examined += 1;
                if self.try_backfill(cluster, jobs, key, job, &mut res) {
                    memo.full = true;
                    break;
                }
            }
            memo.head = res;
        }
        memo.changes = cluster.changes();
        self.memo = Some(memo);
    }
}

impl Easy {
    /// Starts `job` (at `key`) if it may backfill past the reservation `res`; returns whether
    /// no device is left free.
    fn try_backfill<C: Cluster>(
        &mut self,
        cluster: &mut C,
        jobs: &mut Starts,
        key: &Key,
        job: &WaitingJob,
        res: &mut Option<Reservation>,
    ) -> bool {
        if jobs.over_quota(job) || cannot_backfill(&self.room, job, res, cluster.now()) {
            return false;
        }
        match backfill(cluster, &mut self.room, job, res) {
            Some(r) => {
                jobs.record(key, &r, job);
                self.room.full()
            }
            None => false,
        }
    }

    /// A pass from the head of the queue; returns where it stopped, if a head was blocked.
    fn full_pass<C: Cluster>(
        &mut self,
        queue: &WaitQueue,
        jobs: &mut Starts,
        cluster: &mut C,
    ) -> Option<Memo> {
        let now = cluster.now();
        let mut ready = queue.ready().take(self.depth);
        let mut examined = 0;
        // Jobs start in order while they fit; the first that does not is the head.
        let (mut last, mut res) = loop {
            let (key, job) = ready.next()?;
            examined += 1;
            if jobs.over_quota(job) {
                continue;
            }
            match cluster.try_start(job.id) {
                Some(r) => jobs.record(key, &r, job),
                None => {
                    let res = reserve(cluster, jobs.book(), job);
                    #[cfg(test)]
                    if let Some(r) = res {
                        self.promises.push((job.id, r.shadow_ms));
                    }
                    break (key, res);
                }
            }
        };
        self.room.read(cluster);
        let mut full = self.room.full();
        let lane = queue
            .lane()
            .filter(|_| self.room.free.len() == 1 && self.room.uniform);
        if let (false, Some(lane)) = (full, lane) {
            // Skip, a range at a time, the jobs that cannot start: too large for the free
            // devices, or too long for the shadow time and too large for the extra devices.
            let end = lane.window_end(self.depth);
            let mut at = lane.position(last).map_or(end, |p| p + 1);
            loop {
                let free = self.room.free[0];
                let head = res;
                let test = |s: &Summary| {
                    let devices = s.devices as u64;
                    devices <= free
                        && head.is_none_or(|r| {
                            devices <= r.extra || s.estimate_ms <= r.shadow_ms.saturating_sub(now)
                        })
                };
                let Some(p) = lane.next_candidate(at, end, &test) else {
                    break;
                };
                at = p + 1;
                let Some((key, job)) = lane.at(p) else {
                    continue;
                };
                if self.try_backfill(cluster, jobs, key, job, &mut res) {
                    full = true;
                    break;
                }
            }
            examined = self.depth.min(lane.len());
            last = lane.last_before(end).unwrap_or(last);
        } else if !full {
            for (key, job) in ready {
                examined += 1;
                last = key;
                if self.try_backfill(cluster, jobs, key, job, &mut res) {
                    full = true;
                    break;
                }
            }
        }
        Some(Memo {
            changes: cluster.changes(),
            head: res,
            last: *last,
            examined,
            full,
        })
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
        s.ended(1, 10 * H);
        s.dispatch(&mut c);
        assert_eq!(c.started, vec![1, 3, 2]);
    }
}
