//! The power of a long run month by month: small multiples of IT and facility power, one per
//! calendar month (UTC) on one power scale, for runs over 60 days, where one time axis of a
//! year or more averages the days away.

use super::data::{IntervalRow, RunData, chart_rows};
use super::render::{Draw, DrawResult, FONT, PALETTE, caption, err, label, tick};
use chrono::{DateTime, Datelike, TimeZone, Utc};
use plotters::coord::Shift;
use plotters::prelude::*;

type Area<'a, DB> = DrawingArea<DB, Shift>;

/// Runs longer than this [h] get the chart.
pub const MONTHLY_FROM_H: i64 = 60 * 24;

/// Panels at most (beyond, every 2nd, 3rd, … month is drawn).
const MAX_PANELS: usize = 12;

/// Points per panel at most (more intervals are drawn as means of groups).
const PANEL_POINTS: usize = 400;

/// Seconds per day [s/d].
const S_PER_DAY: f64 = 86_400.0;

/// The first instant of the calendar month (UTC) holding `t`.
fn month_start(t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(t.year(), t.month(), 1, 0, 0, 0)
        .single()
}

/// A calendar month's start and the rows starting in it.
pub type Month<'a> = (DateTime<Utc>, &'a [IntervalRow]);

/// The run's months as (start, the rows starting in it), every `step`-th one from the first
/// so that at most 12 are kept; and that step. A month the run covers for less than a day (a
/// run starting at local midnight west of UTC touches the next month by hours) is left out.
pub fn months(rows: &[IntervalRow]) -> (Vec<Month<'_>>, usize) {
    // The rows are in time order: each month is a run of them.
    let mut all: Vec<Month<'_>> = vec![];
    let mut from = 0;
    for (i, r) in rows.iter().enumerate() {
        let next = rows.get(i + 1).and_then(|n| month_start(n.start));
        if next != month_start(r.start) {
            if let Some(m) = month_start(r.start) {
                all.push((m, &rows[from..=i]));
            }
            from = i + 1;
        }
    }
    all.retain(|(_, rows)| rows.iter().map(|r| r.hours).sum::<f64>() >= 24.0);
    let step = all.len().div_ceil(MAX_PANELS).max(1);
    (all.into_iter().step_by(step).collect(), step)
}

/// Whether a run's intervals span enough for the chart.
pub fn wanted(rows: &[IntervalRow]) -> bool {
    match (rows.first(), rows.last()) {
        (Some(a), Some(b)) => (b.end() - a.start).num_hours() > MONTHLY_FROM_H,
        _ => false,
    }
}

/// The chart.
pub struct PowerMonths<'a>(pub &'a RunData);

impl Draw for PowerMonths<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let (months, step) = months(&self.0.intervals);
        let every = match step {
            1 => String::new(),
            2 => ", every 2nd month".to_string(),
            3 => ", every 3rd month".to_string(),
            n => format!(", every {n}th month"),
        };
        let root = root
            .titled(
                &format!(
                    "{}: power by month (kW; UTC months), IT filled and facility as a line, one scale{every}",
                    self.0.scenario
                ),
                caption(),
            )
            .map_err(err)?;
        let cols = if months.len() > 6 { 4 } else { 3 };
        let grid = (months.len().div_ceil(cols).max(1), cols);
        let top = months
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|r| r.facility_kw.max(r.it_kw)))
            .fold(0.0, f64::max);
        let y = 0.0..(top * 1.05).max(1e-9);
        for (panel, (start, rows)) in root.split_evenly(grid).iter().zip(&months) {
            let (rows, _) = chart_rows(rows, PANEL_POINTS);
            let days = month_days(*start);
            let at = |t: DateTime<Utc>| (t - *start).num_seconds() as f64 / S_PER_DAY;
            let mut chart = ChartBuilder::on(panel)
                .caption(start.format("%b %Y").to_string(), (FONT, 16))
                .margin(6)
                .x_label_area_size(22)
                .y_label_area_size(60)
                .build_cartesian_2d(0.0..days, y.clone())
                .map_err(err)?;
            chart
                .configure_mesh()
                .y_label_formatter(&tick)
                .y_labels(4)
                .x_labels(6)
                // Day of the month at the tick; none at the month's end (the next month's 1st).
                .x_label_formatter(&|d: &f64| {
                    if *d > days - 1.0 {
                        String::new()
                    } else {
                        format!("{}", d.round() as i64 + 1)
                    }
                })
                .label_style(label())
                .light_line_style(WHITE.mix(0.0))
                .draw()
                .map_err(err)?;
            let step_points = |f: fn(&IntervalRow) -> f64| -> Vec<(f64, f64)> {
                rows.iter()
                    .flat_map(|r| [(at(r.start), f(r)), (at(r.end()), f(r))])
                    .collect()
            };
            chart
                .draw_series(AreaSeries::new(
                    step_points(|r| r.it_kw),
                    0.0,
                    PALETTE[1].mix(0.45),
                ))
                .map_err(err)?;
            chart
                .draw_series(LineSeries::new(
                    step_points(|r| r.facility_kw),
                    PALETTE[0].stroke_width(1),
                ))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Days in the calendar month starting at `start`.
fn month_days(start: DateTime<Utc>) -> f64 {
    crate::time::days_in_month(start.year(), start.month()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(start: DateTime<Utc>) -> IntervalRow {
        IntervalRow {
            start,
            hours: 24.0,
            it_kw: 1.0,
            facility_kw: 1.2,
            busy: 0.0,
            queued: 0.0,
            cost: 0.0,
            carbon_kg: 0.0,
            intensity: 0.0,
            pool_kw: vec![],
            limit_kw: None,
            nodes_off: 0.0,
            price_range: (0.0, 0.0),
            intensity_range: (0.0, 0.0),
        }
    }

    #[test]
    fn months_are_kept_whole_and_thinned_to_twelve() {
        // Daily rows from 15 March 2025 for 400 days: 14 calendar months (March 2025 to April
        // 2026, the last from 1 to 18 April), so every 2nd is drawn: March, May, … January,
        // March (7 panels).
        let t0 = Utc.with_ymd_and_hms(2025, 3, 15, 0, 0, 0).unwrap();
        let rows: Vec<IntervalRow> = (0..400)
            .map(|d| row(t0 + chrono::Duration::days(d)))
            .collect();
        assert!(wanted(&rows));
        let (kept, step) = months(&rows);
        assert_eq!(step, 2);
        assert_eq!(kept.len(), 7);
        assert_eq!(kept[0].1.len(), 17); // 15–31 March
        assert_eq!(
            kept[1].0,
            Utc.with_ymd_and_hms(2025, 5, 1, 0, 0, 0).unwrap()
        );
        assert_eq!(kept[1].1.len(), 31);
        // A run touching its last month for less than a day: that month is left out (12
        // months of daily rows and 12 hours more → 12 panels, step 1).
        let t1 = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let mut year: Vec<IntervalRow> = (0..365)
            .map(|d| row(t1 + chrono::Duration::days(d)))
            .collect();
        let mut tail = row(t1 + chrono::Duration::days(365));
        tail.hours = 12.0;
        year.push(tail);
        assert_eq!(months(&year).0.len(), 12);
        assert_eq!(months(&year).1, 1);
        // 60 days is not long enough.
        assert!(!wanted(&rows[..60]));
        assert_eq!(
            month_days(Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap()),
            29.0
        );
    }
}
