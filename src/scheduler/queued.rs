//! What every queue-based policy shares: the waiting queue, the book of started jobs, and the
//! [`Scheduler`] plumbing around a policy's own pass ([`Pass`]), so a policy file holds only
//! its decision rule.

use super::book::Book;
use super::queue::{Key, WaitQueue};
use super::{Cluster, JobId, RunningJob, Scheduler, WaitingJob};
use crate::time::SimTime;

/// A policy's scheduling pass over the admitted queue.
pub trait Pass {
    /// Policy name for reports.
    const NAME: &'static str;
    /// Decides which ready jobs of `queue` start now (walking them in queue order), recording
    /// each start in `jobs`.
    fn pass<C: Cluster>(&mut self, queue: &WaitQueue, jobs: &mut Starts, cluster: &mut C);
    /// A job the book kept has ended, at its estimated end or not.
    fn ended(&mut self, _at_estimate: bool) {}
}

/// The book during a pass, and the queue entries the pass started.
#[derive(Debug, Clone, Default)]
pub struct Starts {
    book: Book,
    keys: Vec<Key>,
}

impl Starts {
    /// Whether `job` must wait for its tenant's quota (counting the jobs started so far).
    #[inline]
    pub fn over_quota(&self, job: &WaitingJob) -> bool {
        self.book.over_quota(job)
    }

    /// The running jobs the policy started.
    pub fn book(&self) -> &Book {
        &self.book
    }

    /// Whether the job at `key` started in this pass.
    pub fn started(&self, key: &Key) -> bool {
        self.keys.contains(key)
    }

    /// Jobs started in this pass [count].
    pub fn count(&self) -> usize {
        self.keys.len()
    }

    /// Whether any tenant has a quota.
    pub fn has_quotas(&self) -> bool {
        self.book.has_quotas()
    }

    /// Records that the job at `key` started as `r`.
    pub fn record(&mut self, key: &Key, r: &RunningJob, job: &WaitingJob) {
        self.book.started(r, job);
        self.keys.push(*key);
    }
}

/// A queue-based scheduler running pass `P`.
#[derive(Debug, Clone, Default)]
pub struct Queued<P> {
    queue: WaitQueue,
    starts: Starts,
    pass: P,
}

impl<P: Pass> Queued<P> {
    /// A scheduler over `queue`, keeping `book`, deciding with `pass`.
    pub fn new(queue: WaitQueue, book: Book, pass: P) -> Self {
        Queued {
            queue,
            starts: Starts { book, keys: vec![] },
            pass,
        }
    }
}

impl<P> Queued<P> {
    /// The policy's pass.
    pub fn pass(&self) -> &P {
        &self.pass
    }
}

impl<P: Pass> Scheduler for Queued<P> {
    fn name(&self) -> &'static str {
        P::NAME
    }

    fn enqueue(&mut self, job: &WaitingJob) {
        self.queue.push(job);
    }

    fn queued(&self) -> usize {
        self.queue.len()
    }

    fn dispatch<C: Cluster>(&mut self, cluster: &mut C) {
        self.queue.admit(cluster);
        self.pass.pass(&self.queue, &mut self.starts, cluster);
        self.queue.remove(&mut self.starts.keys);
        self.queue.settled();
    }

    fn waiting(&self) -> Vec<JobId> {
        self.queue.ids()
    }

    fn ended(&mut self, job: JobId, at: SimTime) {
        if let Some(estimated) = self.starts.book.ended(job) {
            self.pass.ended(estimated == at);
        }
    }
}
