//! A stepwise time series (prices, carbon intensity, clean supply, temperature): each value
//! holds from its timestamp until the next one; typical-year data may repeat, by its own
//! length or by the calendar (month, day and hour, as EPW weather is applied).

/// Values that change at given instants.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSeries {
    /// Instants, strictly increasing [ms since the Unix epoch, UTC].
    pub times_ms: Vec<i64>,
    /// The value from each instant on.
    pub values: Vec<f64>,
    /// End of the last step [ms since the epoch]: the series covers `[times[0], end)`.
    pub end_ms: i64,
    /// How the series is read outside its span.
    pub repeat: Repeat,
}

/// How a series is read outside its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Not repeated: the first value before the series, the last after (a run must be covered).
    No,
    /// Repeated with period `end − times[0]`: a typical day every day, or a year by its length
    /// (a 2022 year applied to 2025 is shifted a day after a leap year).
    Cycle,
    /// A year's data applied to other years by month, day and time of day in UTC; 29 February
    /// takes the 28th.
    Year,
}

impl StepSeries {
    /// `t_ms` mapped into the series' span when it repeats, and the shift applied.
    #[inline]
    fn wrap(&self, t_ms: i64) -> (i64, i64) {
        let start = self.times_ms[0];
        if self.repeat == Repeat::No || (t_ms >= start && t_ms < self.end_ms) {
            return (t_ms, 0);
        }
        let inside = match self.repeat {
            Repeat::Year => same_date_in_span(t_ms, start, self.end_ms),
            _ => start + (t_ms - start).rem_euclid(self.end_ms - start),
        };
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
        let next = match self.times_ms.get(i) {
            Some(&next) => Some(next + shift),
            None if self.repeat != Repeat::No => Some(self.end_ms + shift),
            None => None,
        };
        // By the calendar, the shift holds within a UTC day only: the next midnight is an
        // edge too (where the mapped date may jump, e.g. past 29 February).
        if self.repeat == Repeat::Year && shift != 0 {
            let midnight =
                (t_ms.div_euclid(crate::time::MS_PER_DAY_I64) + 1) * crate::time::MS_PER_DAY_I64;
            return next.map(|n| n.min(midnight));
        }
        next
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

/// `t_ms` moved to the same month, day and time of day (UTC) in the year of `start_ms` or the
/// next, whichever falls in `[start_ms, end_ms)` (29 February → the 28th where that year has
/// none); the first year's date when neither does.
fn same_date_in_span(t_ms: i64, start_ms: i64, end_ms: i64) -> i64 {
    use chrono::Datelike;
    let (Some(t), Some(s)) = (
        chrono::DateTime::from_timestamp_millis(t_ms),
        chrono::DateTime::from_timestamp_millis(start_ms),
    ) else {
        return t_ms;
    };
    let in_year = |year: i32| {
        let date = chrono::NaiveDate::from_ymd_opt(year, t.month(), t.day())
            .or_else(|| chrono::NaiveDate::from_ymd_opt(year, t.month(), t.day() - 1))?;
        Some(date.and_time(t.time()).and_utc().timestamp_millis())
    };
    let first = in_year(s.year());
    [first, in_year(s.year() + 1)]
        .into_iter()
        .flatten()
        .find(|&c| c >= start_ms && c < end_ms)
        .or(first)
        .unwrap_or(t_ms)
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
            repeat: Repeat::No,
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
            repeat: Repeat::Cycle,
        };
        // 350 is 50 into the second cycle; −50 is 250 of the previous one.
        assert_eq!(s.value_at(350), 1.0);
        assert_eq!(s.value_at(-50), 3.0);
        assert_eq!(s.next_change_after(350), Some(400));
        assert_eq!(s.next_change_after(250), Some(300));
        // ∫ over one full cycle = (1 + 2 + 3) × 100 ms = 600 ms·value = 600 / 3.6e6 h·value.
        assert!((s.integral_h(1000, 1300) - 600.0 / 3.6e6).abs() < 1e-15);
    }

    #[test]
    fn a_year_repeats_by_the_calendar() {
        // Daily values of 2022 (not leap), value = day of year (0 = 1 January).
        let day = crate::time::MS_PER_DAY_I64;
        let y2022 = 1_640_995_200_000; // 2022-01-01T00:00:00Z
        let s = StepSeries {
            times_ms: (0..365).map(|d| y2022 + d * day).collect(),
            values: (0..365).map(|d| d as f64).collect(),
            end_ms: y2022 + 365 * day,
            repeat: Repeat::Year,
        };
        // 2024-03-01 (a leap year) takes 2022-03-01, day 59 — not day 60, as a cycle of
        // 365 days would after 29 February.
        let mar1_2024 = 1_709_251_200_000;
        assert_eq!(s.value_at(mar1_2024 + 5 * 3_600_000), 59.0);
        // 29 February 2024 takes the 28th (day 58), all day.
        let feb29 = mar1_2024 - day;
        assert_eq!(s.value_at(feb29), 58.0);
        assert_eq!(s.value_at(feb29 + day - 1), 58.0);
        // Its next edge is the next midnight (where the mapped date moves on).
        assert_eq!(s.next_change_after(feb29 + 3_600_000), Some(mar1_2024));
        // 2025-12-31 takes 2022-12-31 (day 364); the next edge is the new year's midnight.
        let dec31_2025 = 1_767_139_200_000;
        assert_eq!(s.value_at(dec31_2025 + 1), 364.0);
        assert_eq!(s.next_change_after(dec31_2025 + 1), Some(dec31_2025 + day));
        // The integral over 2024 (366 days) counts day 58 twice: Σ 0..364 + 58 = 66,488 days.
        let y2024 = 1_704_067_200_000;
        let total = s.integral_h(y2024, y2024 + 366 * day) / 24.0;
        assert!((total - 66_488.0).abs() < 1e-9, "{total}");
    }

    #[test]
    fn a_date_taken_twice_is_an_edge_at_its_midnights() {
        // 2022 (not leap): 1.0 from 1 January, 2.0 from 28 February 12:00 to the year's end.
        let (day, hour) = (crate::time::MS_PER_DAY_I64, 3_600_000);
        let y2022 = 1_640_995_200_000; // 2022-01-01T00:00:00Z
        let s = StepSeries {
            times_ms: vec![y2022, y2022 + 58 * day + 12 * hour],
            values: vec![1.0, 2.0],
            end_ms: y2022 + 365 * day,
            repeat: Repeat::Year,
        };
        // 2024: 28 February is 1.0 then 2.0 from noon; 29 February takes the 28th, so it
        // starts at 1.0 again at midnight, though 2022 has no row there.
        let feb29_2024 = 1_709_164_800_000;
        let feb28_2024 = feb29_2024 - day;
        assert_eq!(s.value_at(feb28_2024 + 13 * hour), 2.0);
        assert_eq!(s.value_at(feb29_2024 + 6 * hour), 1.0);
        assert_eq!(
            s.next_change_after(feb28_2024 + 13 * hour),
            Some(feb29_2024)
        );
        // ∫ over 28 and 29 February = (12 h × 1 + 12 h × 2) × 2 days = 72 value·h.
        let both = s.integral_h(feb28_2024, feb29_2024 + day);
        assert!((both - 72.0).abs() < 1e-12, "{both}");
    }

    #[test]
    fn a_cycle_changes_only_at_its_own_rows() {
        // A 3-day cycle: 1.0 for 2 days, then 2.0 for 1 day. An hour into the second cycle
        // the next change is its day-2 row (day 5), not the midnight of day 4.
        let day = crate::time::MS_PER_DAY_I64;
        let s = StepSeries {
            times_ms: vec![0, 2 * day],
            values: vec![1.0, 2.0],
            end_ms: 3 * day,
            repeat: Repeat::Cycle,
        };
        assert_eq!(s.next_change_after(3 * day + 3_600_000), Some(5 * day));
    }

    #[test]
    fn a_year_from_mid_year_takes_each_date_from_the_year_it_has_it_in() {
        // 1.0 from 2022-07-01, 2.0 from 2023-01-01, to 2023-07-01: March is in 2023 only,
        // September in 2022 only.
        let day = crate::time::MS_PER_DAY_I64;
        let (jul1_2022, jan1_2023) = (1_656_633_600_000, 1_672_531_200_000);
        let jul1_2023 = 1_688_169_600_000;
        let s = StepSeries {
            times_ms: vec![jul1_2022, jan1_2023],
            values: vec![1.0, 2.0],
            end_ms: jul1_2023,
            repeat: Repeat::Year,
        };
        let (mar1_2024, sep1_2024) = (1_709_251_200_000, 1_725_148_800_000);
        assert_eq!(s.value_at(mar1_2024 + 5 * 3_600_000), 2.0);
        assert_eq!(s.value_at(sep1_2024 + 5 * 3_600_000), 1.0);
        // A year shorter than 12 months (to 2023-03-01, excluded): 1 March is in neither
        // year, so it takes the first year's date (2022-03-01, before the data: its first
        // value), not the end.
        let mar1_2023 = jan1_2023 + 59 * day;
        let short = StepSeries {
            end_ms: mar1_2023,
            ..s
        };
        assert_eq!(short.value_at(mar1_2024), 1.0);
    }
}
