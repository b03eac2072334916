//! The free devices of one pool over time, as a step function from now: what running jobs
//! free at their estimated ends, less the reservations made so far. Conservative backfilling
//! reserves every waiting job in it.

use crate::time::SimTime;

/// Free devices of a pool from each breakpoint on (the last one holds forever).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// (from [ms], free devices [count]), ascending in time.
    steps: Vec<(SimTime, i64)>,
}

impl Profile {
    /// `free` devices now, and each running job's (estimated end [ms] ≥ now, held devices)
    /// in ascending order of end.
    pub fn new(now: SimTime, free: u64, ends: impl Iterator<Item = (SimTime, u64)>) -> Self {
        let mut steps = vec![(now, free as i64)];
        for (t, held) in ends {
            let last = steps.len() - 1;
            let free = steps[last].1 + held as i64;
            if steps[last].0 >= t {
                steps[last].1 = free;
            } else {
                steps.push((t, free));
            }
        }
        Profile { steps }
    }

    /// Drops the steps that end before `now` [ms] (they can no longer matter).
    pub fn forget_before(&mut self, now: SimTime) {
        let i = self.steps.partition_point(|s| s.0 <= now).saturating_sub(1);
        self.steps.drain(..i);
    }

    /// The earliest start ≥ `from` [ms] at which `need` devices stay free for `run_ms`, or
    /// `None` when they never are.
    pub fn earliest(&self, need: u64, run_ms: SimTime, from: SimTime) -> Option<SimTime> {
        let need = need as i64;
        let mut i = self
            .steps
            .partition_point(|s| s.0 <= from)
            .saturating_sub(1);
        'start: while i < self.steps.len() {
            let start = self.steps[i].0.max(from);
            let end = start.saturating_add(run_ms);
            let mut j = i;
            while j < self.steps.len() && self.steps[j].0 < end {
                if self.steps[j].1 < need {
                    i = j + 1;
                    continue 'start;
                }
                j += 1;
            }
            return Some(start);
        }
        None
    }

    /// The index of the step starting at `t`, splitting the step that covers it.
    fn split(&mut self, t: SimTime) -> usize {
        let i = self.steps.partition_point(|s| s.0 <= t);
        if i > 0 && self.steps[i - 1].0 == t {
            return i - 1;
        }
        let free = self.steps[i.saturating_sub(1)].1;
        self.steps.insert(i, (t, free));
        i
    }

    /// Takes `need` devices over `[start, end)` [ms].
    pub fn reserve(&mut self, start: SimTime, end: SimTime, need: u64) {
        let a = self.split(start);
        let b = self.split(end);
        for s in &mut self.steps[a..b] {
            s.1 -= need as i64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_carve_the_profile() {
        // 2 free now; 3 more at 10, 1 more at 20 (6 in all from then on).
        let mut p = Profile::new(0, 2, [(10, 3), (20, 1)].into_iter());
        assert_eq!(p.earliest(2, 100, 0), Some(0));
        assert_eq!(p.earliest(4, 5, 0), Some(10));
        assert_eq!(p.earliest(6, 5, 0), Some(20));
        assert_eq!(p.earliest(7, 5, 0), None);
        // Reserve 4 over [10, 30): 1 free on [10, 20), 2 on [20, 30), 6 after.
        p.reserve(10, 30, 4);
        assert_eq!(p.earliest(2, 5, 0), Some(0), "[0, 5) has 2 free");
        assert_eq!(
            p.earliest(2, 15, 0),
            Some(20),
            "[0, 15) would cross [10, 20) with 1 free"
        );
        assert_eq!(p.earliest(3, 1, 0), Some(30));
        // At 25 the steps before [20, 30) are gone; what lies ahead is unchanged.
        let ahead = |p: &Profile| {
            (
                p.earliest(2, 5, 25),
                p.earliest(3, 1, 25),
                p.earliest(7, 1, 25),
            )
        };
        let before = ahead(&p);
        p.forget_before(25);
        assert_eq!(p.steps[0].0, 20);
        assert_eq!(ahead(&p), before);
    }
}
