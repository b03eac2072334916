//! Conservative backfilling (Mu'alem & Feitelson 2001): at every pass each waiting job, in
//! queue order, gets a reservation at the earliest time its estimated run fits beside the
//! running jobs and the reservations before it; a job starts now only when its reservation is
//! now, so no job ever delays an earlier one's reservation.
//!
//! The reservations are kept from pass to pass while every job ends at its estimated end and
//! nothing else takes or frees devices: they are then exactly what planning again would give
//! (each job's earliest slot is unchanged), so a pass only starts the jobs whose time has
//! come and reserves the newcomers. A job ending early, a newcomer ranked before reserved
//! jobs, a service taking or freeing devices or a quota makes the next pass plan afresh.

use super::easy::eligible;
use super::profile::Profile;
use super::queue::{Key, WaitQueue};
use super::queued::{Pass, Queued, Starts};
use super::{Cluster, WaitingJob, held_need};
use crate::time::SimTime;
use std::collections::BTreeMap;

/// Conservative backfilling over a priority queue.
pub type ConservativeScheduler = Queued<Conservative>;

/// The conservative pass, reserving at most `depth` ready jobs.
#[derive(Debug, Clone, Default)]
pub struct Conservative {
    /// Ready jobs reserved per pass [count].
    depth: usize,
    /// Plan afresh at every pass (for the tests that check the kept plan against it).
    always_replan: bool,
    /// The last pass's plan, while it holds.
    plan: Option<Plan>,
}

impl Conservative {
    /// A pass reserving at most `depth` ready jobs.
    pub fn new(depth: usize) -> Self {
        Conservative {
            depth,
            ..Conservative::default()
        }
    }

    /// The same, planning afresh at every pass.
    pub fn replanning(depth: usize) -> Self {
        Conservative {
            always_replan: true,
            ..Conservative::new(depth)
        }
    }
}

/// The reservations of the last pass.
#[derive(Debug, Clone, Default)]
struct Plan {
    /// The cluster's change count when the pass ended.
    changes: u64,
    /// Jobs ended since at their estimated end [count].
    ends: u64,
    /// A job ended before its estimated end, or one did not fit where the count said it would.
    broken: bool,
    /// Free devices over time per pool, reservations taken.
    profiles: Vec<Profile>,
    /// Jobs reserved and not started: (start [ms], pool, devices), in queue order.
    reserved: BTreeMap<Key, (SimTime, u32, u64)>,
    /// The last ready job examined, and the jobs of the window examined [count].
    last: Option<Key>,
    examined: usize,
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
        let plan = self.plan.take().filter(|p| {
            !self.always_replan
                && !p.broken
                && !jobs.has_quotas()
                && cluster.changes() == p.changes + p.ends
                && queue
                    .first_new()
                    .is_none_or(|k| p.last.is_none_or(|last| k > last))
        });
        let plan = match plan {
            Some(plan) => self.follow(plan, queue, jobs, cluster),
            None => None,
        };
        let mut plan = match plan {
            Some(plan) => plan,
            None => self.replan(queue, jobs, cluster),
        };
        // The window is the first `depth` jobs waiting when a pass begins: those started now
        // leave it for the next pass.
        plan.examined -= jobs.count();
        plan.changes = cluster.changes();
        self.plan = Some(plan);
    }

    fn ended(&mut self, at_estimate: bool) {
        if let Some(plan) = self.plan.as_mut() {
            if at_estimate {
                plan.ends += 1;
            } else {
                plan.broken = true;
            }
        }
    }
}

impl Conservative {
    /// Plans afresh: every ready job of the window, in order, reserved at its earliest slot
    /// (started if that is now).
    fn replan<C: Cluster>(&self, queue: &WaitQueue, jobs: &mut Starts, cluster: &mut C) -> Plan {
        let now = cluster.now();
        let mut plan = Plan {
            profiles: (0..cluster.pools())
                .map(|p| Profile::new(now, cluster.free_devices(p), jobs.book().ends(p, now)))
                .collect(),
            // Jobs a kept plan started earlier in this pass were in the window.
            examined: jobs.count(),
            ..Plan::default()
        };
        self.reserve_all(queue.ready(), &mut plan, jobs, cluster);
        plan
    }

    /// Reserves (or starts) each of `ready` in order while the window has room.
    fn reserve_all<'q, C: Cluster>(
        &self,
        ready: impl Iterator<Item = (&'q Key, &'q WaitingJob)>,
        plan: &mut Plan,
        jobs: &mut Starts,
        cluster: &mut C,
    ) {
        let now = cluster.now();
        let mut ready = ready;
        while plan.examined < self.depth {
            let Some((key, job)) = ready.next() else {
                break;
            };
            // Jobs a kept plan started earlier in this pass are no longer waiting.
            if jobs.started(key) {
                continue;
            }
            plan.last = Some(*key);
            plan.examined += 1;
            if jobs.over_quota(job) {
                continue;
            }
            let Some((mut t, p, need, run)) = earliest(cluster, &plan.profiles, job, now) else {
                continue;
            };
            let profile = &mut plan.profiles[p as usize];
            if t == now {
                if let Some(r) = cluster.try_start_on(job.id, p) {
                    profile.reserve(now, r.estimated_end_ms.max(now + 1), need);
                    jobs.record(key, &r, job);
                    continue;
                }
                // Free by count but not by placement (devices split across nodes): hold the
                // next possible start instead. Planning again later may find the job room
                // sooner, so this plan is not kept.
                plan.broken = true;
                match profile.earliest(need, run, now + 1) {
                    Some(later) => t = later,
                    None => continue,
                }
            }
            profile.reserve(t, t.saturating_add(run), need);
            plan.reserved.insert(*key, (t, p, need));
        }
    }

    /// Follows a kept plan: starts the jobs whose reservation is now and reserves the jobs
    /// after the last one examined; `None` when the plan no longer holds (a reserved start
    /// passed, or a job does not fit where it was planned), to plan afresh.
    fn follow<C: Cluster>(
        &self,
        mut plan: Plan,
        queue: &WaitQueue,
        jobs: &mut Starts,
        cluster: &mut C,
    ) -> Option<Plan> {
        let now = cluster.now();
        plan.ends = 0;
        for profile in &mut plan.profiles {
            profile.forget_before(now);
        }
        // Reservations are in queue order, not time order: every due one, in that order.
        let due: Vec<(Key, SimTime, u32)> = plan
            .reserved
            .iter()
            .filter(|(_, r)| r.0 <= now)
            .map(|(k, r)| (*k, r.0, r.1))
            .collect();
        for (key, t, pool) in due {
            if t < now {
                return None;
            }
            let job = queue.get(&key)?;
            let r = cluster.try_start_on(job.id, pool)?;
            jobs.record(&key, &r, job);
            plan.reserved.remove(&key);
        }
        match plan.last {
            Some(last) => self.reserve_all(queue.ready_after(&last), &mut plan, jobs, cluster),
            None => self.reserve_all(queue.ready(), &mut plan, jobs, cluster),
        }
        Some(plan)
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
            Conservative::new(1000),
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

    #[test]
    fn a_job_that_did_not_fit_where_counted_is_planned_again() {
        // 4 free devices; job 1 (2 devices) fits by count, but its first placement fails (as
        // when free devices are split across nodes): it is held to the next instant. A second
        // pass at the same instant (job 2 arrives) plans again and starts it, as planning
        // afresh at every pass would.
        let mut c = TestCluster::new(4, &[0, 2, 1]).refusing_once(1);
        let config = Config::default();
        let mut s = ConservativeScheduler::new(
            WaitQueue::new(&config),
            Book::new(&[], true),
            Conservative::new(1000),
        );
        s.enqueue(&c.job(1));
        s.dispatch(&mut c);
        assert!(c.started.is_empty());
        s.enqueue(&c.job(2));
        s.dispatch(&mut c);
        assert_eq!(c.started, vec![1, 2]);
    }
}
