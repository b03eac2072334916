//! The ready jobs while they arrive in queue order: a vector in that order, with tombstones
//! for jobs that leave from the middle (backfilled), and a tree over it holding each range's
//! smallest size and estimate and its number of jobs. A backfill scan asks for the next job
//! that might start and skips, a whole range at a time, the jobs that cannot — instead of
//! looking at each of thousands waiting after every job end.

use super::WaitingJob;
use super::queue::Key;
use crate::time::SimTime;

/// A range's summary: the fewest devices and the shortest estimate in it, and its jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Fewest devices requested [count].
    pub devices: u32,
    /// Shortest estimated runtime [ms].
    pub estimate_ms: SimTime,
    /// Jobs [count].
    live: u32,
}

const EMPTY: Summary = Summary {
    devices: u32::MAX,
    estimate_ms: SimTime::MAX,
    live: 0,
};

fn merge(a: Summary, b: Summary) -> Summary {
    Summary {
        devices: a.devices.min(b.devices),
        estimate_ms: a.estimate_ms.min(b.estimate_ms),
        live: a.live + b.live,
    }
}

/// Ready jobs in queue order.
#[derive(Debug, Clone, Default)]
pub struct Lane {
    /// Keep the tree (a policy scans for candidates); without it the lane is a plain queue.
    indexed: bool,
    /// In queue order; `None` once a job left (its key stays, for the binary search).
    slots: Vec<(Key, Option<WaitingJob>)>,
    /// `slots[..front]` have all left.
    front: usize,
    live: usize,
    /// Summaries: leaves from `leaf0`, node `i` over `2i` and `2i + 1`.
    tree: Vec<Summary>,
    leaf0: usize,
}

impl Lane {
    /// An empty lane, with the candidate tree if `indexed`.
    pub fn new(indexed: bool) -> Self {
        Lane {
            indexed,
            ..Lane::default()
        }
    }

    /// Whether it keeps the candidate tree.
    pub fn indexed(&self) -> bool {
        self.indexed
    }

    /// Jobs waiting [count].
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether no job waits.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The last key ever pushed (a new key must come after it).
    pub fn back_key(&self) -> Option<&Key> {
        self.slots.last().map(|(k, _)| k)
    }

    fn set(&mut self, i: usize, s: Summary) {
        if !self.indexed {
            return;
        }
        let mut n = self.leaf0 + i;
        self.tree[n] = s;
        while n > 1 {
            n /= 2;
            self.tree[n] = merge(self.tree[2 * n], self.tree[2 * n + 1]);
        }
    }

    fn leaf(job: &WaitingJob) -> Summary {
        Summary {
            devices: job.devices,
            estimate_ms: job.runtime_estimate_ms,
            live: 1,
        }
    }

    /// Rebuilds the tree over the slots (after growth or compaction).
    fn rebuild(&mut self) {
        if !self.indexed {
            self.leaf0 = usize::MAX;
            return;
        }
        self.leaf0 = (self.slots.len() + 1).next_power_of_two().max(64);
        self.tree = vec![EMPTY; 2 * self.leaf0];
        for (i, (_, job)) in self.slots.iter().enumerate() {
            self.tree[self.leaf0 + i] = job.as_ref().map_or(EMPTY, Self::leaf);
        }
        for n in (1..self.leaf0).rev() {
            self.tree[n] = merge(self.tree[2 * n], self.tree[2 * n + 1]);
        }
    }

    /// Appends a job (its key after every key pushed before).
    pub fn push(&mut self, key: Key, job: WaitingJob) {
        debug_assert!(self.back_key().is_none_or(|b| *b < key));
        self.slots.push((key, Some(job)));
        self.live += 1;
        if self.slots.len() > self.leaf0 {
            self.rebuild();
        } else {
            self.set(self.slots.len() - 1, Self::leaf(&job));
        }
    }

    fn find(&self, key: &Key) -> Option<usize> {
        self.slots[self.front..]
            .binary_search_by(|(k, _)| k.cmp(key))
            .ok()
            .map(|i| i + self.front)
    }

    /// Removes the job at `key`, if it waits.
    pub fn remove(&mut self, key: &Key) {
        let Some(i) = self.find(key) else {
            return;
        };
        if self.slots[i].1.take().is_none() {
            return;
        }
        self.live -= 1;
        self.set(i, EMPTY);
        while self.front < self.slots.len() && self.slots[self.front].1.is_none() {
            self.front += 1;
        }
        if self.front >= 4096 && 2 * self.front > self.slots.len() {
            self.slots.drain(..self.front);
            self.front = 0;
            self.rebuild();
        }
    }

    /// The job at `key`, if it waits.
    pub fn get(&self, key: &Key) -> Option<&WaitingJob> {
        self.find(key).and_then(|i| self.slots[i].1.as_ref())
    }

    /// The waiting job at position `i`, if any.
    pub fn at(&self, i: usize) -> Option<(&Key, &WaitingJob)> {
        let (k, j) = self.slots.get(i)?;
        j.as_ref().map(|j| (k, j))
    }

    /// The position of the first slot after `key`.
    pub fn position_after(&self, key: &Key) -> usize {
        self.front + self.slots[self.front..].partition_point(|(k, _)| k <= key)
    }

    /// The position of `key` (a waiting job).
    pub fn position(&self, key: &Key) -> Option<usize> {
        self.find(key)
    }

    /// The waiting jobs from position `from`, in order.
    pub fn slots_from(&self, from: usize) -> LaneIter<'_> {
        LaneIter(self.slots[from.max(self.front).min(self.slots.len())..].iter())
    }

    /// The key of the last waiting job before position `end`.
    pub fn last_before(&self, end: usize) -> Option<&Key> {
        self.slots[self.front..end.min(self.slots.len())]
            .iter()
            .rev()
            .find(|(_, j)| j.is_some())
            .map(|(k, _)| k)
    }

    /// The position just past the first `n` waiting jobs (the end of a window of `n`).
    pub fn window_end(&self, n: usize) -> usize {
        if n >= self.live {
            return self.slots.len();
        }
        // Descend to the n-th waiting job (0-based n is the first one left out).
        let (mut node, mut left) = (1, n as u32);
        while node < self.leaf0 {
            let l = self.tree[2 * node].live;
            if left < l {
                node *= 2;
            } else {
                left -= l;
                node = 2 * node + 1;
            }
        }
        node - self.leaf0
    }

    /// The first position in `[from, end)` whose job might pass `test` — `test` of a range's
    /// summary must be true whenever one of its jobs could pass — or `None`.
    pub fn next_candidate(
        &self,
        from: usize,
        end: usize,
        test: &impl Fn(&Summary) -> bool,
    ) -> Option<usize> {
        let end = end.min(self.slots.len());
        if from >= end {
            return None;
        }
        self.search(1, 0, self.leaf0, from, end, test)
    }

    fn search(
        &self,
        node: usize,
        lo: usize,
        hi: usize,
        from: usize,
        end: usize,
        test: &impl Fn(&Summary) -> bool,
    ) -> Option<usize> {
        if hi <= from || lo >= end || self.tree[node].live == 0 || !test(&self.tree[node]) {
            return None;
        }
        if node >= self.leaf0 {
            return Some(lo);
        }
        let mid = (lo + hi) / 2;
        self.search(2 * node, lo, mid, from, end, test)
            .or_else(|| self.search(2 * node + 1, mid, hi, from, end, test))
    }
}

/// The waiting jobs of a lane in order.
pub struct LaneIter<'a>(std::slice::Iter<'a, (Key, Option<WaitingJob>)>);

impl<'a> Iterator for LaneIter<'a> {
    type Item = (&'a Key, &'a WaitingJob);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        for (k, j) in self.0.by_ref() {
            if let Some(j) = j {
                return Some((k, j));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: u32, devices: u32, estimate_ms: SimTime) -> WaitingJob {
        crate::scheduler::test_cluster::waiting_job(id, devices, estimate_ms, None)
    }

    #[test]
    fn candidates_skip_ranges_that_cannot_pass() {
        let mut lane = Lane::new(true);
        let mut keys = vec![];
        // 200 jobs of 8 devices and 10 h, except job 150 (1 device) and job 170 (8, 1 h).
        for i in 0..200u32 {
            let (d, e) = match i {
                150 => (1, 36_000_000),
                170 => (8, 3_600_000),
                _ => (8, 36_000_000),
            };
            let key = Key::test(i as u64);
            lane.push(key, job(i, d, e));
            keys.push(key);
        }
        // Fits in 4 devices, or ends within 2 h: jobs 150 and 170 only.
        let test = |s: &Summary| s.devices <= 4 || s.estimate_ms <= 7_200_000;
        assert_eq!(lane.next_candidate(0, 200, &test), Some(150));
        assert_eq!(lane.next_candidate(151, 200, &test), Some(170));
        assert_eq!(lane.next_candidate(171, 200, &test), None);
        assert_eq!(
            lane.next_candidate(0, 150, &test),
            None,
            "the window ends before"
        );
        lane.remove(&keys[150]);
        assert_eq!(lane.next_candidate(0, 200, &test), Some(170));
        // Windows count waiting jobs: the first 10 end at position 10; with job 3 gone, at 11.
        assert_eq!(lane.window_end(10), 10);
        lane.remove(&keys[3]);
        assert_eq!(lane.window_end(10), 11);
        assert_eq!(lane.len(), 198);
        // Removing from the front advances it; order and lookups hold.
        for k in &keys[..3] {
            lane.remove(k);
        }
        assert_eq!(lane.slots_from(0).next().map(|(_, j)| j.id), Some(4));
        assert_eq!(lane.get(&keys[170]).map(|j| j.id), Some(170));
        assert_eq!(lane.position_after(&keys[170]), 171);
    }
}
