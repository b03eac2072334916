//! First-in, first-out: jobs start strictly in arrival order; a job that does not fit blocks
//! the ones behind it (no backfilling).

use super::{Cluster, JobId, Scheduler, WaitingJob};
use std::collections::VecDeque;

/// Strict FIFO queue.
#[derive(Debug, Default, Clone)]
pub struct FifoScheduler {
    queue: VecDeque<JobId>,
}

impl Scheduler for FifoScheduler {
    fn name(&self) -> &'static str {
        "fifo"
    }

    fn enqueue(&mut self, job: &WaitingJob) {
        self.queue.push_back(job.id);
    }

    fn queued(&self) -> usize {
        self.queue.len()
    }

    fn dispatch<C: Cluster>(&mut self, cluster: &mut C) {
        while let Some(&job) = self.queue.front() {
            if !cluster.try_start(job) {
                break;
            }
            self.queue.pop_front();
        }
    }

    fn waiting(&self) -> Vec<JobId> {
        self.queue.iter().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
