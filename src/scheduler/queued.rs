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
    /// Whether a job arriving to an empty queue is started at once if it can be (and
    /// queued otherwise), as the pass would decide for a queue of one: the pass is then
    /// skipped, and so is filing the job in the queue and taking it out again.
    const STARTS_ALONE: bool = false;
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
    /// A job that arrived to an empty queue, not filed yet (`Pass::STARTS_ALONE`).
    alone: Option<WaitingJob>,
    starts: Starts,
    pass: P,
}

impl<P: Pass> Queued<P> {
    /// A scheduler over `queue`, keeping `book`, deciding with `pass`.
    pub fn new(queue: WaitQueue, book: Book, pass: P) -> Self {
        Queued {
            queue,
            alone: None,
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
        if let Some(first) = self.alone.take() {
            self.queue.push(&first);
        }
        if P::STARTS_ALONE && self.queue.is_empty() && self.queue.ready_at_once(job) {
            self.alone = Some(*job);
        } else {
            self.queue.push(job);
        }
    }

    fn queued(&self) -> usize {
        self.queue.len() + usize::from(self.alone.is_some())
    }

    fn dispatch<C: Cluster>(&mut self, cluster: &mut C) {
        if let Some(job) = self.alone.take() {
            // The only job waiting: the pass would try it and nothing else.
            if !self.starts.over_quota(&job)
                && let Some(r) = cluster.try_start(job.id)
            {
                self.starts.book.started(&r, &job);
                return;
            }
            self.queue.push(&job);
            self.queue.settled();
            return;
        }
        self.queue.admit(cluster);
        self.pass.pass(&self.queue, &mut self.starts, cluster);
        self.queue.remove(&mut self.starts.keys);
        self.queue.settled();
    }

    fn waiting(&self) -> Vec<JobId> {
        let mut ids: Vec<JobId> = self.alone.iter().map(|j| j.id).collect();
        ids.extend(self.queue.ids());
        ids
    }

    fn ended(&mut self, job: JobId, at: SimTime) {
        if let Some(estimated) = self.starts.book.ended(job) {
            self.pass.ended(estimated == at);
        }
    }
}
