//! First-in, first-out: jobs start strictly in arrival order; a job that does not fit blocks
//! the ones behind it (no backfilling).

use super::{JobId, Scheduler};
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

    fn enqueue(&mut self, job: JobId) {
        self.queue.push_back(job);
    }

    fn queued(&self) -> usize {
        self.queue.len()
    }

    fn dispatch(&mut self, try_start: &mut dyn FnMut(JobId) -> bool) {
        while let Some(&job) = self.queue.front() {
            if !try_start(job) {
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

    #[test]
    fn head_of_line_blocks() {
        let mut s = FifoScheduler::default();
        for j in [1, 2, 3] {
            s.enqueue(j);
        }
        let mut started = vec![];
        // Job 2 does not fit: job 3 must wait behind it even though it would fit.
        s.dispatch(&mut |j| {
            if j == 2 {
                return false;
            }
            started.push(j);
            true
        });
        assert_eq!(started, vec![1]);
        assert_eq!(s.waiting(), vec![2, 3]);
        assert_eq!(s.queued(), 2);
    }
}
