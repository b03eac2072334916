//! Queue-wait distribution in bounded memory: exact count and mean, and nearest-rank
//! quantiles that are exact up to [`EXACT_WAITS`] waits and within 0.05 % beyond, so a run of
//! any length keeps at most a fixed few hundred kilobytes of waits.

/// Waits kept exactly [count]; beyond this many, waits go to a log-linear histogram.
pub const EXACT_WAITS: usize = 1 << 16;

/// Sub-buckets per power of two in the histogram: a bucket spans at most 1/1024 of its lower
/// bound, so its midpoint is within 1/2048 (0.049 %) of any wait in it.
const SUB_BITS: u32 = 10;
const SUB: u64 = 1 << SUB_BITS;

/// Waits [ms] of jobs that started.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Waits {
    count: u64,
    sum_ms: u128,
    /// Every wait, while there are at most `EXACT_WAITS`.
    exact: Vec<u64>,
    /// Counts per log-linear bucket once `exact` overflowed (empty before).
    buckets: Vec<u64>,
}

/// Bucket index of a wait [ms]: waits below 2 × 1024 ms have a bucket each; above, 1024
/// buckets per power of two.
fn bucket(wait_ms: u64) -> usize {
    if wait_ms < 2 * SUB {
        return wait_ms as usize;
    }
    let shift = 63 - wait_ms.leading_zeros() - SUB_BITS;
    let sub = wait_ms >> shift; // in [SUB, 2·SUB)
    (2 * SUB + (shift as u64 - 1) * SUB + (sub - SUB)) as usize
}

/// The midpoint of a bucket [ms] (the wait itself for the exact buckets below 2,048 ms).
fn bucket_value(index: usize) -> u64 {
    let i = index as u64;
    if i < 2 * SUB {
        return i;
    }
    let shift = (i - 2 * SUB) / SUB + 1;
    let low = (SUB + (i - 2 * SUB) % SUB) << shift;
    low + ((1 << shift) - 1) / 2
}

impl Waits {
    /// Records one wait [ms].
    pub fn add(&mut self, wait_ms: u64) {
        self.count += 1;
        self.sum_ms += wait_ms as u128;
        if self.buckets.is_empty() {
            if self.exact.len() < EXACT_WAITS {
                self.exact.push(wait_ms);
                return;
            }
            for w in std::mem::take(&mut self.exact) {
                self.count_in_bucket(w);
            }
        }
        self.count_in_bucket(wait_ms);
    }

    /// Counts one wait [ms] in its bucket.
    #[inline]
    fn count_in_bucket(&mut self, wait_ms: u64) {
        let b = bucket(wait_ms);
        if b >= self.buckets.len() {
            self.buckets.resize(b + 1, 0);
        }
        self.buckets[b] += 1;
    }

    /// Waits recorded [count].
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether quantiles are exact (at most `EXACT_WAITS` waits).
    pub fn is_exact(&self) -> bool {
        self.buckets.is_empty()
    }

    /// Mean wait [s] (0 when empty), exact: the sum is kept in integer ms.
    pub fn mean_s(&self) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        self.sum_ms as f64 / self.count as f64 / 1000.0
    }

    /// Distinct waits [ms] (bucket midpoints once approximate) with their counts, ascending.
    pub fn distribution(&self) -> Vec<(u64, u64)> {
        if !self.is_exact() {
            return self
                .buckets
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (bucket_value(i), *n))
                .collect();
        }
        let mut sorted = self.exact.clone();
        sorted.sort_unstable();
        let mut out: Vec<(u64, u64)> = Vec::new();
        for w in sorted {
            match out.last_mut() {
                Some((v, n)) if *v == w => *n += 1,
                _ => out.push((w, 1)),
            }
        }
        out
    }

    /// Nearest-rank quantile `q` in (0, 1] [s]; 0 when empty. Linear in the waits kept.
    pub fn quantile_s(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        if self.is_exact() {
            let mut waits = self.exact.clone();
            let (_, w, _) = waits.select_nth_unstable(rank as usize - 1);
            return *w as f64 / 1000.0;
        }
        let mut seen = 0;
        for (i, n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return bucket_value(i) as f64 / 1000.0;
            }
        }
        0.0
    }

    /// The empirical CDF as a step line of at most about `max_steps` steps: points (wait [s],
    /// share of waits at or below it). Steps are merged only where they add less than
    /// 1/`max_steps` of the share, so the line stays within that of the exact CDF.
    pub fn cdf_points(&self, max_steps: usize) -> Vec<(f64, f64)> {
        let n = self.count as f64;
        let min_rise = 1.0 / max_steps.max(1) as f64;
        let mut pts = vec![];
        let (mut seen, mut drawn) = (0u64, 0.0);
        let dist = self.distribution();
        for (i, (v, c)) in dist.iter().enumerate() {
            seen += c;
            let share = seen as f64 / n;
            if share - drawn >= min_rise || i + 1 == dist.len() {
                let x = *v as f64 / 1000.0;
                pts.push((x, drawn));
                pts.push((x, share));
                drawn = share;
            }
        }
        pts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_statistics_by_hand() {
        // Waits 1..=20 s: mean 10.5 s; nearest rank ceil(0.95 × 20) = 19 → 19 s.
        let mut w = Waits::default();
        for s in (1..=20).rev() {
            w.add(s * 1000);
        }
        assert_eq!((w.mean_s(), w.quantile_s(0.95)), (10.5, 19.0));
        assert_eq!(Waits::default().quantile_s(0.95), 0.0);
        assert_eq!(Waits::default().mean_s(), 0.0);
        // One wait: both statistics are that wait.
        let mut one = Waits::default();
        one.add(4000);
        assert_eq!((one.mean_s(), one.quantile_s(0.95)), (4.0, 4.0));
    }

    #[test]
    fn buckets_cover_every_wait_within_half_a_permille() {
        // Every wait maps to a bucket whose midpoint is within 1/2048 of it, bucket indices
        // never decrease with the wait, and waits below 2,048 ms are exact.
        let mut last = 0;
        for w in (0..5000u64).chain((13..62).flat_map(|p| {
            let b = 1u64 << p;
            [b - 1, b, b + 1, b + b / 3]
        })) {
            let i = bucket(w);
            assert!(i >= last, "bucket order at {w}");
            last = i;
            let v = bucket_value(i);
            assert!(
                (v as f64 - w as f64).abs() <= w as f64 / 2048.0,
                "{w} → {v}"
            );
            if w < 2048 {
                assert_eq!(v, w);
            }
        }
    }

    #[test]
    fn waits_stay_exact_up_to_the_limit_and_not_one_past_it() {
        // EXACT_WAITS waits of 3,000 ms are kept exactly; one more (of 5,000 ms) moves them all
        // to the histogram. Above 2,048 ms a bucket spans 2^shift ms from its lower bound
        // (wait >> shift) << shift, shift = (highest bit) − 10, and reads as its midpoint
        // low + (2^shift − 1) / 2: 3,000 ms (bit 11, shift 1) → low 3,000, midpoint 3,000;
        // 5,000 ms (bit 12, shift 2) → low 5,000, midpoint 5,000 + 3 / 2 = 5,001.
        let mut w = Waits::default();
        for _ in 0..EXACT_WAITS {
            w.add(3000);
        }
        assert!(w.is_exact());
        assert_eq!(w.distribution(), vec![(3000, EXACT_WAITS as u64)]);
        w.add(5000);
        assert!(!w.is_exact());
        assert_eq!(w.count(), EXACT_WAITS as u64 + 1);
        assert_eq!(
            w.distribution(),
            vec![(3000, EXACT_WAITS as u64), (5001, 1)]
        );
    }

    #[test]
    fn past_the_exact_limit_quantiles_stay_within_the_bound() {
        // 200,000 waits 1..=200,000 s (ms multiples of 1000): the nearest-rank p95 is the
        // 190,000th = 190,000 s, the mean 100,000.5 s exactly (the sum is kept exactly).
        let mut w = Waits::default();
        for s in 1..=200_000u64 {
            w.add(s * 1000);
        }
        assert!(!w.is_exact());
        assert_eq!(w.count(), 200_000);
        assert_eq!(w.mean_s(), 100_000.5);
        let p95 = w.quantile_s(0.95);
        assert!((p95 - 190_000.0).abs() <= 190_000.0 / 2048.0, "{p95}");
        let cdf = w.cdf_points(100);
        assert!(cdf.len() <= 2 * 101, "{}", cdf.len());
        assert_eq!(cdf.last().map(|p| p.1), Some(1.0));
        assert!(cdf.windows(2).all(|p| p[0].0 <= p[1].0 && p[0].1 <= p[1].1));
    }
}
