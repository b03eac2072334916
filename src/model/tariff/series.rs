//! A stepwise time series: each value holds from its timestamp until the next one.

/// Values that change at given instants.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSeries {
    /// Instants, strictly increasing [ms since the Unix epoch, UTC].
    pub times_ms: Vec<i64>,
    /// The value from each instant on.
    pub values: Vec<f64>,
    /// End of the last step [ms since the epoch]: the series covers `[times[0], end)`.
    pub end_ms: i64,
}

impl StepSeries {
    /// The value in force at `t_ms` (the first value before the series starts, the last after).
    #[inline]
    pub fn value_at(&self, t_ms: i64) -> f64 {
        let i = self.times_ms.partition_point(|&x| x <= t_ms);
        self.values[i.saturating_sub(1).min(self.values.len() - 1)]
    }

    /// The first change strictly after `t_ms`, if any.
    #[inline]
    pub fn next_change_after(&self, t_ms: i64) -> Option<i64> {
        let i = self.times_ms.partition_point(|&x| x <= t_ms);
        self.times_ms.get(i).copied()
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
        };
        assert_eq!(s.value_at(0), 1.0);
        assert_eq!(s.value_at(99), 1.0);
        assert_eq!(s.value_at(100), 2.0);
        assert_eq!(s.value_at(250), 3.0);
        assert_eq!(s.next_change_after(0), Some(100));
        assert_eq!(s.next_change_after(100), Some(200));
        assert_eq!(s.next_change_after(200), None);
    }
}
