//! First-in, first-out (in priority order): jobs start strictly in queue order; a job that
//! does not fit blocks the ones behind it (no backfilling). A job held by its tenant's quota
//! does not block others.

use super::Cluster;
use super::queue::WaitQueue;
use super::queued::{Pass, Queued, Starts};

/// Strict queue order.
pub type FifoScheduler = Queued<Fifo>;

/// The FIFO pass: start ready jobs in order until one does not fit.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fifo;

impl Pass for Fifo {
    const NAME: &'static str = "fifo";
    const STARTS_ALONE: bool = true;

    fn pass<C: Cluster>(&mut self, queue: &WaitQueue, jobs: &mut Starts, cluster: &mut C) {
        for (key, job) in queue.ready() {
            if jobs.over_quota(job) {
                continue;
            }
            let Some(r) = cluster.try_start(job.id) else {
                break;
            };
            jobs.record(key, &r, job);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::Scheduler;
    use crate::scheduler::test_cluster::TestCluster;

    #[test]
    fn head_of_line_blocks() {
        let mut s = FifoScheduler::default();
        // 4 free devices; jobs 1, 2 and 3 of 2, 3 and 1 devices arrive in that order.
        let mut cluster = TestCluster::new(4, &[0, 2, 3, 1]);
        for j in [1, 2, 3] {
            s.enqueue(&cluster.job(j));
        }
        // Job 1 starts; job 2 (3 devices) does not fit in the 2 left: job 3 must wait behind
        // it even though it would fit.
        s.dispatch(&mut cluster);
        assert_eq!(cluster.started, vec![1]);
        assert_eq!(s.waiting(), vec![2, 3]);
        assert_eq!(s.queued(), 2);
    }

    #[test]
    fn a_job_alone_starts_at_once_or_waits_as_the_pass_would_decide() {
        let mut s = FifoScheduler::default();
        // 4 free devices; job 1 (3 devices) arrives to an empty queue and starts.
        let mut cluster = TestCluster::new(4, &[0, 3, 2, 1]);
        s.enqueue(&cluster.job(1));
        assert_eq!(s.queued(), 1);
        s.dispatch(&mut cluster);
        assert_eq!(cluster.started, vec![1]);
        assert_eq!(s.queued(), 0);
        // Job 2 (2 devices) does not fit in the 1 left: it waits, and job 3 (1 device), which
        // would fit, waits behind it.
        s.enqueue(&cluster.job(2));
        s.dispatch(&mut cluster);
        assert_eq!(s.waiting(), vec![2]);
        s.enqueue(&cluster.job(3));
        s.dispatch(&mut cluster);
        assert_eq!(cluster.started, vec![1]);
        assert_eq!(s.waiting(), vec![2, 3]);
    }

    #[test]
    fn priority_orders_the_queue() {
        let mut s = FifoScheduler::default();
        // 2 free devices; job 1 (2 devices) then job 2 (2 devices, priority 5).
        let mut cluster = TestCluster::new(2, &[0, 2, 2]).with_priority(2, 5);
        for j in [1, 2] {
            s.enqueue(&cluster.job(j));
        }
        s.dispatch(&mut cluster);
        assert_eq!(cluster.started, vec![2], "the higher priority starts first");
        assert_eq!(s.waiting(), vec![1]);
    }
}
