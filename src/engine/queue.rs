//! The event queue: a radix heap of base 64 keyed on integer time, so events pop in time order
//! and events with equal times pop in the order they were pushed.
//!
//! A simulation never schedules into its past, so the keys pushed are never below the last key
//! popped: the monotone case a radix heap is made for. Times are read as 11 digits of 6 bits
//! (the last of 4). An event at time `t` is kept at level `l` = the position of the highest
//! digit in which `t` differs from the last time popped, in the bucket of `t`'s digit at that
//! level (equal to the last time popped: the `due` list). Popping takes `due` in push order;
//! when it is empty, the lowest non-empty bucket of the lowest non-empty level — which holds
//! the earliest events — is spread over lower levels around its earliest time. An event moves
//! down at most 11 times, a level at a time rather than a bit at a time (as in a binary radix
//! heap): in the M/M/c bench (1,000 events pending, an hour ahead on average) an event is
//! filed 1.95 times after its push, against 2.34 with base 16. Pushes are O(1), pops amortised
//! O(digits of the time span), with no comparisons between events of the same time at all;
//! a level's non-empty buckets are one 64-bit word, found with one trailing-zero count.
//!
//! Ties keep push order because equal times always share a bucket (a bucket depends only on
//! the time and the last time popped), buckets are appended to in push order, and spreading
//! a bucket keeps its order.

use crate::time::SimTime;
use std::collections::VecDeque;

/// Bits of one digit.
const DIGIT_BITS: u32 = 6;
/// Buckets per level: one per digit value.
const RADIX: usize = 1 << DIGIT_BITS;
/// Levels: digits of a 64-bit time (the top one partial).
const LEVELS: usize = 64_usize.div_ceil(DIGIT_BITS as usize);

/// A future-event list with deterministic tie-breaking.
pub struct EventQueue<E> {
    /// Events at exactly `last` [ms], in push order.
    due: VecDeque<(SimTime, E)>,
    /// `buckets[l * RADIX + d]`: events whose highest digit differing from `last` is digit `l`,
    /// and whose digit `l` is `d`, in push order.
    buckets: Vec<Vec<(SimTime, E)>>,
    /// Bit `l` set when a bucket of level `l` is not empty.
    levels: u16,
    /// `digits[l]`: bit `d` set when bucket `d` of level `l` is not empty.
    digits: [u64; LEVELS],
    /// The last time popped (or spread around) [ms]: no event may be pushed before it.
    last: SimTime,
    len: usize,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self {
            due: VecDeque::new(),
            buckets: (0..LEVELS * RADIX).map(|_| Vec::new()).collect(),
            levels: 0,
            digits: [0; LEVELS],
            last: 0,
            len: 0,
        }
    }

    /// Schedules `event` at simulation time `time` [ms], which must not be before the last
    /// event popped (a simulation does not schedule into its past).
    #[inline]
    pub fn push(&mut self, time: SimTime, event: E) {
        debug_assert!(
            time >= self.last,
            "event pushed at {time} ms, before the last popped at {} ms",
            self.last
        );
        let time = time.max(self.last);
        self.len += 1;
        self.file(time, event);
    }

    /// Puts an event into its bucket relative to `last`.
    #[inline]
    fn file(&mut self, time: SimTime, event: E) {
        let diff = time ^ self.last;
        if diff == 0 {
            self.due.push_back((time, event));
        } else {
            let level = (63 - diff.leading_zeros()) / DIGIT_BITS;
            let digit = (time >> (level * DIGIT_BITS)) as usize & (RADIX - 1);
            let level = level as usize;
            self.buckets[level * RADIX + digit].push((time, event));
            self.digits[level] |= 1 << digit;
            self.levels |= 1 << level;
        }
    }

    /// Makes `due` hold the earliest events, if any are pending; false when none are.
    #[inline(always)]
    fn refill(&mut self) -> bool {
        !self.due.is_empty() || self.spread()
    }

    /// With `due` empty: spreads the lowest non-empty bucket around its earliest time, so
    /// `due` holds the earliest events. Out of line: most pops find `due` filled.
    #[inline(never)]
    fn spread(&mut self) -> bool {
        if self.levels == 0 {
            return false;
        }
        let level = self.levels.trailing_zeros() as usize;
        let digit = self.digits[level].trailing_zeros() as usize;
        self.digits[level] &= !(1 << digit);
        if self.digits[level] == 0 {
            self.levels &= !(1 << level);
        }
        let b = level * RADIX + digit;
        // Most often the bucket holds one event: it is the earliest, due now.
        if self.buckets[b].len() == 1
            && let Some((time, event)) = self.buckets[b].pop()
        {
            self.last = time;
            self.due.push_back((time, event));
            return true;
        }
        let mut bucket = std::mem::take(&mut self.buckets[b]);
        self.last = bucket.iter().map(|&(t, _)| t).min().unwrap_or(self.last);
        // Every event of the bucket shares its digits from `level` up with the new `last`, so
        // it goes to a lower level (or to `due`): the bucket stays empty.
        for (time, event) in bucket.drain(..) {
            self.file(time, event);
        }
        self.buckets[b] = bucket; // keep its allocation
        true
    }

    /// Removes and returns the earliest event and its time [ms].
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_until(SimTime::MAX)
    }

    /// Removes and returns the earliest event and its time [ms] if it is not after `limit`
    /// [ms]; otherwise leaves the queue as it is (an event loop's horizon).
    #[inline]
    pub fn pop_until(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
        if !self.refill() || self.due.front().is_none_or(|&(t, _)| t > limit) {
            return None;
        }
        self.len -= 1;
        self.due.pop_front()
    }

    /// The time of the earliest event [ms], if any (it may sort the queue, hence `&mut`).
    #[inline]
    pub fn peek_time(&mut self) -> Option<SimTime> {
        if !self.refill() {
            return None;
        }
        self.due.front().map(|&(t, _)| t)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no events are pending.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut q = EventQueue::new();
        q.push(20, "c");
        q.push(10, "a");
        q.push(20, "d");
        q.push(10, "b");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![(10, "a"), (10, "b"), (20, "c"), (20, "d")]);
    }

    #[test]
    fn peek_reports_earliest_time() {
        let mut q = EventQueue::new();
        assert_eq!(q.peek_time(), None);
        q.push(u64::MAX, ());
        q.push(5, ());
        assert_eq!(q.peek_time(), Some(5));
        assert_eq!(q.len(), 2);
        assert_eq!(q.pop(), Some((5, ())));
        assert_eq!(q.pop(), Some((u64::MAX, ())));
        assert_eq!(q.pop(), None);
        assert!(q.is_empty());
    }

    #[test]
    fn pop_until_leaves_events_after_the_limit() {
        let mut q = EventQueue::new();
        q.push(30, "late");
        q.push(10, "early");
        // The earliest (10) is due by 20; the next (30) is not, and stays queued.
        assert_eq!(q.pop_until(20), Some((10, "early")));
        assert_eq!(q.pop_until(20), None);
        assert_eq!(q.len(), 1);
        // At the limit itself an event is due.
        assert_eq!(q.pop_until(30), Some((30, "late")));
        assert_eq!(q.pop_until(SimTime::MAX), None);
        assert!(q.is_empty());
    }

    /// Against a sorted reference under the hold model (pop one, push one at or after it),
    /// with many equal times: the order is (time, push order) exactly.
    #[test]
    fn matches_a_stable_sort_under_interleaved_pushes_and_pops() {
        let mut rng = crate::engine::rng::SimRng::seed_from_u64(3);
        let mut q = EventQueue::new();
        // Reference: pending (time, push number), popped as the minimum.
        let mut reference: Vec<(SimTime, u64)> = Vec::new();
        let mut pushed = 0u64;
        let mut push = |q: &mut EventQueue<u64>, reference: &mut Vec<_>, t: SimTime| {
            q.push(t, pushed);
            reference.push((t, pushed));
            pushed += 1;
        };
        for _ in 0..200 {
            let t = rng.random_range(0..50u64);
            push(&mut q, &mut reference, t);
        }
        for step in 0..20_000 {
            let got = q.pop().expect("not empty");
            let (i, _) = reference
                .iter()
                .enumerate()
                .min_by_key(|&(_, &k)| k)
                .expect("not empty");
            assert_eq!(got, reference.swap_remove(i), "step {step}");
            // Some at the same time, some soon, some far off.
            for _ in 0..rng.random_range(0..3) {
                let dt = match rng.random_range(0..3) {
                    0 => 0,
                    1 => rng.random_range(0..8u64),
                    _ => rng.random_range(0..1u64 << 40),
                };
                push(&mut q, &mut reference, got.0 + dt);
            }
            if q.is_empty() {
                push(&mut q, &mut reference, got.0);
            }
            assert_eq!(q.len(), reference.len());
        }
    }
}
