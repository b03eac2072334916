//! A stepwise time series (prices, carbon intensity, clean supply, temperature): each value
//! holds from its timestamp until the next one; typical-year data may repeat.

/// Values that change at given instants.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSeries {
    /// Instants, strictly increasing [ms since the Unix epoch, UTC].
    pub times_ms: Vec<i64>,
    /// The value from each instant on.
    pub values: Vec<f64>,
    /// End of the last step [ms since the epoch]: the series covers `[times[0], end)`.
    pub end_ms: i64,
    /// Whether the series repeats with period `end − times[0]` outside its span (typical-year
    /// data reused for another year).
    pub repeat: bool,
}

impl StepSeries {
    /// `t_ms` mapped into the series' span when it repeats, and the shift applied.
    #[inline]
    fn wrap(&self, t_ms: i64) -> (i64, i64) {
        let start = self.times_ms[0];
        if !self.repeat || (t_ms >= start && t_ms < self.end_ms) {
            return (t_ms, 0);
        }
        let len = self.end_ms - start;
        let inside = start + (t_ms - start).rem_euclid(len);
        (inside, t_ms - inside)
    }

    /// The value in force at `t_ms` (the first value before the series starts, the last after,
    /// unless it repeats).
    #[inline]
    pub fn value_at(&self, t_ms: i64) -> f64 {
        let (t, _) = self.wrap(t_ms);
        let i = self.times_ms.partition_point(|&x| x <= t);
        self.values[i.saturating_sub(1).min(self.values.len() - 1)]
    }

    /// The first change strictly after `t_ms`, if any.
    #[inline]
    pub fn next_change_after(&self, t_ms: i64) -> Option<i64> {
        let (t, shift) = self.wrap(t_ms);
        let i = self.times_ms.partition_point(|&x| x <= t);
        match self.times_ms.get(i) {
            Some(&next) => Some(next + shift),
            None if self.repeat => Some(self.end_ms + shift),
            None => None,
        }
    }

    /// ∫ value dt over `[a_ms, b_ms)` [value · h].
    pub fn integral_h(&self, a_ms: i64, b_ms: i64) -> f64 {
        let mut t = a_ms;
        let mut sum = 0.0;
        while t < b_ms {
            let next = self.next_change_after(t).map_or(b_ms, |n| n.min(b_ms));
            sum += self.value_at(t) * (next - t) as f64 / crate::time::MS_PER_HOUR_F64;
            t = next;
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_until_the_next_row() {
        let s = StepSeries {
            times_ms: vec![0, 100, 200],
            values: vec![1.0, 2.0, 3.0],
            end_ms: 300,
            repeat: false,
        };
        assert_eq!(s.value_at(0), 1.0);
        assert_eq!(s.value_at(99), 1.0);
        assert_eq!(s.value_at(100), 2.0);
        assert_eq!(s.value_at(250), 3.0);
        assert_eq!(s.next_change_after(0), Some(100));
        assert_eq!(s.next_change_after(100), Some(200));
        assert_eq!(s.next_change_after(200), None);
    }

    #[test]
    fn a_repeating_series_wraps_with_its_own_length() {
        let s = StepSeries {
            times_ms: vec![0, 100, 200],
            values: vec![1.0, 2.0, 3.0],
            end_ms: 300,
            repeat: true,
        };
        // 350 is 50 into the second cycle; −50 is 250 of the previous one.
        assert_eq!(s.value_at(350), 1.0);
        assert_eq!(s.value_at(-50), 3.0);
        assert_eq!(s.next_change_after(350), Some(400));
        assert_eq!(s.next_change_after(250), Some(300));
        // ∫ over one full cycle = (1 + 2 + 3) × 100 ms = 600 ms·value = 600 / 3.6e6 h·value.
        assert!((s.integral_h(1000, 1300) - 600.0 / 3.6e6).abs() < 1e-15);
    }
}
