//! Conservative backfilling (Mu'alem & Feitelson 2001): at every pass each waiting job, in
//! queue order, gets a reservation at the earliest time its estimated run fits beside the
//! running jobs and the reservations before it; a job starts now only when its reservation is
//! now, so no job ever delays an earlier one's reservation.

use super::easy::eligible;
use super::profile::Profile;
use super::queue::WaitQueue;
use super::queued::{Pass, Queued, Starts};
use super::{Cluster, WaitingJob, held_need};
use crate::time::SimTime;

/// Conservative backfilling over a priority queue.
pub type ConservativeScheduler = Queued<Conservative>;

/// The conservative pass, reserving at most `depth` ready jobs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Conservative {
    /// Ready jobs reserved per pass [count].
    pub depth: usize,
}

/// The earliest reservation of `job` over the eligible pools: (start [ms], pool, devices,
/// estimated runtime [ms]); the first pool on a tie.
fn earliest<C: Cluster>(
    cluster: &C,
    profiles: &[Profile],
    job: &WaitingJob,
    from: SimTime,
) -> Option<(SimTime, u32, u64, SimTime)> {
    let mut best: Option<(SimTime, u32, u64, SimTime)> = None;
    for p in eligible(cluster, job) {
        let need = held_need(job.devices, job.share_milli, cluster.shape(p).1);
        let run = cluster.estimate_on(job.id, p).max(1);
        if let Some(t) = profiles[p as usize].earliest(need, run, from)
            && best.is_none_or(|b| t < b.0)
        {
            best = Some((t, p, need, run));
        }
    }
    best
}

impl Pass for Conservative {
    const NAME: &'static str = "conservative-backfill";

    fn pass<C: Cluster>(&mut self, queue: &WaitQueue, jobs: &mut Starts, cluster: &mut C) {
        let now = cluster.now();
        let mut profiles: Vec<Profile> = (0..cluster.pools())
            .map(|p| Profile::new(now, cluster.free_devices(p), jobs.book().ends(p, now)))
            .collect();
        for (key, job) in queue.ready().take(self.depth) {
            if jobs.over_quota(job) {
                continue;
            }
            let Some((mut t, p, need, run)) = earliest(cluster, &profiles, job, now) else {
                continue;
            };
            if t == now {
                if let Some(r) = cluster.try_start_on(job.id, p) {
                    profiles[p as usize].reserve(now, r.estimated_end_ms.max(now + 1), need);
                    jobs.record(key, &r, job);
                    continue;
                }
                // Free by count but not by placement (devices split across nodes): hold the
                // next possible start instead.
                match profiles[p as usize].earliest(need, run, now + 1) {
                    Some(later) => t = later,
                    None => continue,
                }
            }
            profiles[p as usize].reserve(t, t.saturating_add(run), need);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::book::Book;
    use crate::scheduler::test_cluster::TestCluster;
    use crate::scheduler::{Config, Scheduler};

    const H: SimTime = 3_600_000;

    #[test]
    fn no_job_delays_any_earlier_reservation() {
        // 6 devices. Job 1 (4 devices, 10 h) starts: 2 free until 10 h. Job 2 (5 devices, 1 h)
        // is reserved at [10 h, 11 h), leaving 1 free then; job 3 (6 devices, 1 h) at
        // [11 h, 12 h), leaving 0. Job 4 (1 device, 11.5 h) would cross job 3's reservation:
        // it is reserved after it (EASY would start it on job 2's extra device). Job 5
        // (1 device, 10.5 h) fits beside both: it starts now.
        let mut c = TestCluster::new(6, &[0, 4, 5, 6, 1, 1])
            .with_estimate(1, 10 * H)
            .with_estimate(4, 23 * H / 2)
            .with_estimate(5, 21 * H / 2);
        let config = Config::default();
        let mut s = ConservativeScheduler::new(
            WaitQueue::new(&config),
            Book::new(&[], true),
            Conservative { depth: 1000 },
        );
        for j in 1..=5 {
            s.enqueue(&c.job(j));
        }
        s.dispatch(&mut c);
        assert_eq!(c.started, vec![1, 5]);
        assert_eq!(s.waiting(), vec![2, 3, 4]);

        // EASY on the same jobs gives job 2's one extra device to job 4 (first in queue order,
        // and job 3 holds no reservation), which leaves none for job 5 (it ends after 10 h).
        let mut c = TestCluster::new(6, &[0, 4, 5, 6, 1, 1])
            .with_estimate(1, 10 * H)
            .with_estimate(4, 23 * H / 2)
            .with_estimate(5, 21 * H / 2);
        let mut e = crate::scheduler::EasyScheduler::new(
            WaitQueue::new(&config),
            Book::new(&[], true),
            crate::scheduler::easy::Easy::new(1000),
        );
        for j in 1..=5 {
            e.enqueue(&c.job(j));
        }
        e.dispatch(&mut c);
        assert_eq!(c.started, vec![1, 4]);
    }
}
