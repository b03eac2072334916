//! The waiting jobs every policy shares: ordered by priority (raised by waiting, so a job
//! never starves), then submission; jobs with deadlines held back to the start a `shift`
//! chose; arrivals admitted at the next pass, when the cluster can be asked about the grid.

use super::config::{Config, Shift};
use super::lane::Lane;
use super::{Cluster, JobId, WaitingJob};
use crate::time::{MS_PER_HOUR_F64, SimTime};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A waiting job's place in the queue: highest rank first, then earliest submission, then
/// arrival order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Key {
    /// Priority less the ageing a later submission forgoes [-]: with every job ageing at the
    /// same rate, `priority + age × (now − submit)` orders jobs as `priority − age × submit`
    /// does, at every `now`, so the order never has to be rebuilt.
    rank: f64,
    submit_ms: SimTime,
    seq: u64,
}

impl Eq for Key {}

#[cfg(test)]
impl Key {
    /// The `seq`-th key of equal rank and submission (for tests).
    pub fn test(seq: u64) -> Key {
        Key {
            rank: 0.0,
            submit_ms: 0,
            seq,
        }
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .rank
            .total_cmp(&self.rank)
            .then(self.submit_ms.cmp(&other.submit_ms))
            .then(self.seq.cmp(&other.seq))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The waiting jobs of a run.
#[derive(Debug, Clone, Default)]
pub struct WaitQueue {
    age_per_hour: f64,
    shift: Option<Shift>,
    /// Arrived since the last pass.
    fresh: Vec<WaitingJob>,
    /// Deferred: held until their release time [ms].
    held: BTreeMap<(SimTime, u64), WaitingJob>,
    /// Eligible to start, in queue order.
    ready: Ready,
    seq: u64,
    /// The first key made ready since the last [`WaitQueue::settled`].
    first_new: Option<Key>,
}

impl WaitQueue {
    /// An empty queue ordered and held as `config` says.
    pub fn new(config: &Config) -> Self {
        let indexed = config.policy == super::Policy::EasyBackfill;
        WaitQueue {
            age_per_hour: config.priority_age_per_hour,
            shift: config.shift,
            ready: Ready::InOrder(Lane::new(indexed)),
            ..WaitQueue::default()
        }
    }

    /// A job arrives: ready at once, or — when a shift may defer it — admitted at the next
    /// pass, when the grid can be asked.
    #[inline]
    pub fn push(&mut self, job: &WaitingJob) {
        if self.ready_at_once(job) {
            self.insert(*job);
        } else {
            self.fresh.push(*job);
        }
    }

    /// Whether `job` is ready as soon as it arrives (no shift may defer it).
    #[inline]
    pub fn ready_at_once(&self, job: &WaitingJob) -> bool {
        self.shift.is_none() || job.deadline_ms.is_none()
    }

    /// Waiting jobs, held ones included [count].
    pub fn len(&self) -> usize {
        self.fresh.len() + self.held.len() + self.ready.len()
    }

    /// Whether no job waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Admits the jobs that arrived (deferring those a shift moves later) and releases the
    /// held jobs whose time has come.
    #[inline]
    pub fn admit<C: Cluster>(&mut self, cluster: &mut C) {
        if !self.fresh.is_empty() || !self.held.is_empty() {
            self.admit_held(cluster);
        }
    }

    fn admit_held<C: Cluster>(&mut self, cluster: &mut C) {
        let now = cluster.now();
        // Drained in place, so the buffer keeps its capacity from pass to pass.
        let mut fresh = std::mem::take(&mut self.fresh);
        for job in fresh.drain(..) {
            let release = match (self.shift, job.deadline_ms) {
                (Some(shift), Some(deadline)) => release_time(cluster, &shift, &job, deadline),
                _ => now,
            };
            if release > now {
                self.seq += 1;
                cluster.defer(job.id, release);
                self.held.insert((release, self.seq), job);
            } else {
                self.insert(job);
            }
        }
        self.fresh = fresh;
        while let Some(entry) = self.held.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let job = entry.remove();
            self.insert(job);
        }
    }

    #[inline]
    fn insert(&mut self, job: WaitingJob) {
        self.seq += 1;
        let rank = if self.age_per_hour == 0.0 {
            job.priority as f64
        } else {
            job.priority as f64 - self.age_per_hour * job.submit_ms as f64 / MS_PER_HOUR_F64
        };
        let key = Key {
            rank,
            submit_ms: job.submit_ms,
            seq: self.seq,
        };
        if self.first_new.is_none_or(|k| key < k) {
            self.first_new = Some(key);
        }
        self.ready.insert(key, job);
    }

    /// The jobs eligible to start, in queue order.
    pub fn ready(&self) -> ReadyIter<'_> {
        match &self.ready {
            Ready::InOrder(d) => ReadyIter::InOrder(d.slots_from(0)),
            Ready::Ranked(m) => ReadyIter::Ranked(m.range(..)),
        }
    }

    /// The ready jobs as an indexed lane, while they are in arrival order and the queue keeps
    /// the index (backfilling policies).
    pub fn lane(&self) -> Option<&Lane> {
        match &self.ready {
            Ready::InOrder(d) if d.indexed() => Some(d),
            _ => None,
        }
    }

    /// The first key (in queue order) made ready since the last pass settled, if any.
    pub fn first_new(&self) -> Option<Key> {
        self.first_new
    }

    /// A pass has seen every ready job: later arrivals count as new.
    pub fn settled(&mut self) {
        self.first_new = None;
    }

    /// The ready job at `key`.
    pub fn get(&self, key: &Key) -> Option<&WaitingJob> {
        match &self.ready {
            Ready::InOrder(d) => d.get(key),
            Ready::Ranked(m) => m.get(key),
        }
    }

    /// The ready jobs after `key`, in queue order.
    pub fn ready_after(&self, key: &Key) -> ReadyIter<'_> {
        use std::ops::Bound::{Excluded, Unbounded};
        match &self.ready {
            Ready::InOrder(d) => ReadyIter::InOrder(d.slots_from(d.position_after(key))),
            Ready::Ranked(m) => ReadyIter::Ranked(m.range((Excluded(*key), Unbounded))),
        }
    }

    /// Removes the jobs at `keys` (those a pass started).
    pub fn remove(&mut self, keys: &mut Vec<Key>) {
        for key in keys.drain(..) {
            self.ready.remove(&key);
        }
    }

    /// Every waiting job: eligible ones in queue order, then held ones by release time, then
    /// any not yet admitted.
    pub fn ids(&self) -> Vec<JobId> {
        self.ready()
            .map(|(_, j)| j)
            .chain(self.held.values())
            .chain(&self.fresh)
            .map(|j| j.id)
            .collect()
    }
}

/// The ready jobs: a lane in arrival order while they arrive in queue order (no priorities,
/// no ageing, no deferral), an ordered map from the first that does not.
#[derive(Debug, Clone)]
enum Ready {
    InOrder(Lane),
    Ranked(BTreeMap<Key, WaitingJob>),
}

impl Default for Ready {
    fn default() -> Self {
        Ready::InOrder(Lane::default())
    }
}

impl Ready {
    fn len(&self) -> usize {
        match self {
            Ready::InOrder(d) => d.len(),
            Ready::Ranked(m) => m.len(),
        }
    }

    fn insert(&mut self, key: Key, job: WaitingJob) {
        if let Ready::InOrder(d) = self {
            if d.back_key().is_none_or(|last| *last < key) {
                d.push(key, job);
                return;
            }
            let jobs: BTreeMap<Key, WaitingJob> = d.slots_from(0).map(|(k, j)| (*k, *j)).collect();
            *self = Ready::Ranked(jobs);
        }
        if let Ready::Ranked(m) = self {
            m.insert(key, job);
        }
    }

    fn remove(&mut self, key: &Key) {
        match self {
            Ready::InOrder(d) => d.remove(key),
            Ready::Ranked(m) => {
                m.remove(key);
            }
        }
    }
}

/// The ready jobs in queue order.
pub enum ReadyIter<'a> {
    /// From the lane.
    InOrder(super::lane::LaneIter<'a>),
    /// From the map.
    Ranked(std::collections::btree_map::Range<'a, Key, WaitingJob>),
}

impl<'a> Iterator for ReadyIter<'a> {
    type Item = (&'a Key, &'a WaitingJob);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            ReadyIter::InOrder(i) => i.next(),
            ReadyIter::Ranked(i) => i.next(),
        }
    }
}

/// When a job with a deadline is released: the start in `[now, latest]` that minimises the
/// shift's signal over its estimated run, where `latest` lets it end by its deadline and
/// within the horizon (no deferral when that leaves no room).
fn release_time<C: Cluster>(
    cluster: &C,
    shift: &Shift,
    job: &WaitingJob,
    deadline: SimTime,
) -> SimTime {
    let now = cluster.now();
    let run = job.runtime_estimate_ms.max(1);
    let latest = deadline.min(cluster.horizon()).saturating_sub(run);
    if latest <= now {
        return now;
    }
    super::shift::best_start(cluster, shift, now, latest, run)
}
