//! The time axis of run charts: where its ticks go (month starts on runs over 120 days,
//! midnights over three days, whole hours below) and how they read.

use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};

/// Ticks at most on a time axis.
const MAX_TICKS: i64 = 12;

/// Runs longer than this [h] are ticked at month starts (a shorter run would show two or
/// three month starts at most; midnights every 14 days read better there).
const MONTHS_FROM_H: i64 = 120 * 24;

/// The tick instants in `[x0, x1]` (UTC): the first of every month (or every 2nd, 3rd, … so
/// that at most 12 show) on a span over 120 days; midnights every 1, 2, 7 or 14 days over
/// three days; whole hours every 1, 2, 3, 6 or 12 hours below.
pub fn time_ticks(x0: DateTime<Utc>, x1: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    // A label centred on a tick this close to an end would be cut by the plot's edge.
    let edge = (x1 - x0) / 30;
    all_ticks(x0, x1)
        .into_iter()
        .filter(|&t| t - x0 >= edge && x1 - t >= edge)
        .collect()
}

/// Every tick of [`time_ticks`], up to the ends.
fn all_ticks(x0: DateTime<Utc>, x1: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let span_h = (x1 - x0).num_hours();
    if span_h > MONTHS_FROM_H {
        let months = |d: DateTime<Utc>| d.year() as i64 * 12 + d.month0() as i64;
        let step = ((months(x1) - months(x0) + MAX_TICKS - 1) / MAX_TICKS).max(1);
        let mut out = vec![];
        let mut m = months(x0) + 1;
        while m <= months(x1) {
            // A tick only on whole steps from January, so the same months are labelled
            // whatever the start.
            if m % step == 0
                && let Some(t) = Utc
                    .with_ymd_and_hms((m / 12) as i32, (m % 12) as u32 + 1, 1, 0, 0, 0)
                    .single()
                && t >= x0
                && t <= x1
            {
                out.push(t);
            }
            m += 1;
        }
        return out;
    }
    let (unit, steps): (Duration, &[i64]) = if span_h > 3 * 24 {
        (Duration::days(1), &[1, 2, 7, 14])
    } else {
        (Duration::hours(1), &[1, 2, 3, 6, 12])
    };
    let units = (x1 - x0).num_seconds() / unit.num_seconds().max(1);
    let step = steps
        .iter()
        .copied()
        .find(|s| units / s <= MAX_TICKS)
        .unwrap_or(steps[steps.len() - 1]);
    // The first whole unit at or after x0.
    let floor = if unit == Duration::days(1) {
        x0.date_naive().and_hms_opt(0, 0, 0).map(|d| d.and_utc())
    } else {
        x0.with_minute(0)
            .and_then(|d| d.with_second(0))
            .and_then(|d| d.with_nanosecond(0))
    };
    let Some(mut t) = floor else {
        return vec![];
    };
    if t < x0 {
        t += unit;
    }
    // Midnights every `step` days from the first; hours on multiples of `step`.
    let mut out = vec![];
    let mut k = 0;
    while t <= x1 {
        let aligned = if unit == Duration::days(1) {
            k % step == 0
        } else {
            t.hour() as i64 % step == 0
        };
        if aligned {
            out.push(t);
        }
        t += unit;
        k += 1;
    }
    out
}

/// A date on a time axis spanning `span_h` hours: year and month beyond a year (the month
/// and day would repeat), month and year beyond 120 days (ticks are month starts), month and
/// day beyond three days, else down to the minute.
pub fn date_tick(d: &DateTime<Utc>, span_h: i64) -> String {
    if span_h > 24 * 366 {
        d.format("%Y-%m").to_string()
    } else if span_h > MONTHS_FROM_H {
        d.format("%b %Y").to_string()
    } else if span_h > 24 * 3 {
        d.format("%b %d").to_string()
    } else {
        d.format("%m-%d %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn long_runs_tick_at_month_starts() {
        // 10 March 2025 to 10 March 2026: the first of April … February, 11 ticks; 1 March
        // 2026 is 9 days from the end, within 365 / 30 = 12.2 days, so its label would be cut.
        let ticks = time_ticks(at("2025-03-10T00:00:00Z"), at("2026-03-10T00:00:00Z"));
        assert_eq!(ticks.len(), 11);
        assert_eq!(ticks[0], at("2025-04-01T00:00:00Z"));
        assert_eq!(ticks[10], at("2026-02-01T00:00:00Z"));
        // Likewise 1 June 2026 in a run to 1 June 07:00.
        let ticks = time_ticks(at("2025-06-01T07:00:00Z"), at("2026-06-01T07:00:00Z"));
        assert_eq!(ticks.last(), Some(&at("2026-05-01T00:00:00Z")));
        // Three years: every 3rd month from January (36 months / 12 ticks).
        let ticks = time_ticks(at("2025-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z"));
        assert!(
            ticks.iter().all(|t| t.day() == 1 && t.month0() % 3 == 0),
            "{ticks:?}"
        );
        assert!(ticks.len() <= 12, "{}", ticks.len());
    }

    #[test]
    fn short_runs_tick_at_midnights_and_hours() {
        // Two weeks from noon: midnights every 2 days (14 / 1 > 12), the first on the 2nd.
        let ticks = time_ticks(at("2025-06-01T12:00:00Z"), at("2025-06-15T12:00:00Z"));
        assert_eq!(ticks[0], at("2025-06-02T00:00:00Z"));
        assert!(ticks.len() <= 12);
        assert!(ticks.iter().all(|t| t.hour() == 0));
        // A day: every 2 hours at even hours.
        let ticks = time_ticks(at("2025-06-01T00:30:00Z"), at("2025-06-02T00:30:00Z"));
        assert_eq!(ticks[0], at("2025-06-01T02:00:00Z"));
        assert!(ticks.iter().all(|t| t.hour() % 2 == 0));
        // Two months (1 June 07:00 + 61 days): midnights every 7 days (61 / 7 = 8 ≤ 12) from
        // the first, 2 June, which lies within 61 / 30 = 2.03 days of the start and is
        // dropped: 9 June … 28 July, 8 ticks, where month starts would give 1 July alone.
        let ticks = time_ticks(at("2025-06-01T07:00:00Z"), at("2025-08-01T07:00:00Z"));
        assert_eq!(ticks.len(), 8, "{ticks:?}");
        assert_eq!(ticks[0], at("2025-06-09T00:00:00Z"));
        assert_eq!(ticks[7], at("2025-07-28T00:00:00Z"));
    }
}
