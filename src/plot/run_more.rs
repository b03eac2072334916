//! The run charts beyond the time series: the monthly bill by line item, the CDF of queue
//! wait, the load-duration curve and the hour-of-day × day heatmap of facility power.

use super::data::{IntervalRow, MAX_CHART_INTERVALS, RunData};
use super::render::{Draw, DrawResult, PALETTE, caption, err, label, legend, range, tick};
use chrono::{DateTime, Duration, Timelike, Utc};
use plotters::coord::Shift;
use plotters::prelude::*;

type Area<'a, DB> = DrawingArea<DB, Shift>;

pub(super) struct Bill<'a>(pub(super) &'a RunData);

impl Draw for Bill<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let bill = &self.0.bill;
        let mut months: Vec<&str> = bill.iter().map(|l| l.month.as_str()).collect();
        months.dedup();
        let mut parts: Vec<String> = vec![];
        for l in bill {
            let key = format!("{}: {}", l.item, l.name);
            if !parts.contains(&key) {
                parts.push(key);
            }
        }
        // Stacked by kind (energy at the bottom, as the bill lists it), so every month stacks
        // in the same order whichever periods it has; within a kind, by first appearance.
        let rank = |key: &String| {
            ["energy", "demand", "fixed", "minimum", "tax"]
                .iter()
                .position(|item| key.starts_with(&format!("{item}: ")))
                .unwrap_or(5)
        };
        parts.sort_by_key(rank);
        let totals: Vec<f64> = months
            .iter()
            .map(|m| {
                bill.iter()
                    .filter(|l| l.month == *m)
                    .map(|l| l.amount.max(0.0))
                    .sum()
            })
            .collect();
        let y = range(totals.iter().copied(), true);
        let y = 0.0..y.end * 1.1 + (parts.len() as f64) * y.end * 0.04;
        let n = months.len();
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("{}: monthly bill by line item", self.0.scenario),
                caption(),
            )
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(90)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), y)
            .map_err(err)?;
        let labels = months.clone();
        chart
            .configure_mesh()
            .y_label_formatter(&tick)
            .y_label_formatter(&tick)
            .x_labels(n.min(24))
            .x_label_formatter(&|x: &f64| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    labels
                        .get(i as usize)
                        .map(|m| m.to_string())
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc(self.0.currency.as_str())
            .label_style(label())
            .axis_desc_style(label())
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for (p, part) in parts.iter().enumerate() {
            let color = PALETTE[p % PALETTE.len()];
            let rects: Vec<Rectangle<(f64, f64)>> = months
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    let below: f64 = parts[..p]
                        .iter()
                        .map(|q| {
                            bill.iter()
                                .filter(|l| {
                                    l.month == *m && format!("{}: {}", l.item, l.name) == *q
                                })
                                .map(|l| l.amount.max(0.0))
                                .sum::<f64>()
                        })
                        .sum();
                    let amount: f64 = bill
                        .iter()
                        .filter(|l| l.month == *m && format!("{}: {}", l.item, l.name) == *part)
                        .map(|l| l.amount.max(0.0))
                        .sum();
                    (amount > 0.0).then(|| {
                        Rectangle::new(
                            [(i as f64 - 0.35, below), (i as f64 + 0.35, below + amount)],
                            color.filled(),
                        )
                    })
                })
                .collect();
            chart
                .draw_series(rects)
                .map_err(err)?
                .label(part.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled())
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}

/// A chart of `(x, y)` points as a line, with axis descriptions.
fn xy<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    pts: &[(f64, f64)],
) -> DrawResult {
    let mut chart = ChartBuilder::on(root)
        .caption(title, caption())
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d(
            range(pts.iter().map(|p| p.0), true),
            range(pts.iter().map(|p| p.1), true),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .y_label_formatter(&tick)
        .x_label_formatter(&tick)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(label())
        .axis_desc_style(label())
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            pts.iter().copied(),
            PALETTE[0].stroke_width(3),
        ))
        .map_err(err)?;
    Ok(())
}

pub(super) struct WaitCdf<'a>(pub(super) &'a RunData);

impl Draw for WaitCdf<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        // Steps below 1/2,000 of the share are merged: invisible at chart size, and the SVG
        // stays small for runs of millions of jobs.
        let pts: Vec<(f64, f64)> = self
            .0
            .waits
            .as_ref()
            .map_or_else(Vec::new, |w| w.cdf_points(2000))
            .into_iter()
            .map(|(s, share)| (s / 3600.0, share))
            .collect();
        xy(
            root,
            "queue wait: cumulative distribution",
            "wait [h]",
            "share of started jobs",
            &pts,
        )
    }
}

pub(super) struct LoadDuration<'a>(pub(super) &'a RunData);

impl Draw for LoadDuration<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let mut rows: Vec<&IntervalRow> = self.0.intervals.iter().collect();
        rows.sort_by(|a, b| b.facility_kw.total_cmp(&a.facility_kw));
        let mut t = 0.0;
        let mut pts = vec![];
        // Every interval of the sorted curve, thinned to at most MAX_CHART_INTERVALS steps (the
        // curve is monotone, so thinning keeps its shape).
        let k = rows.len().div_ceil(MAX_CHART_INTERVALS).max(1);
        for (i, r) in rows.iter().enumerate() {
            if i % k == 0 || i + 1 == rows.len() {
                pts.push((t, r.facility_kw));
            }
            t += r.hours;
        }
        if let Some(last) = rows.last() {
            pts.push((t, last.facility_kw));
        }
        xy(
            root,
            "load-duration curve (facility power, interval means, highest first)",
            "hours at or above",
            "kW",
            &pts,
        )
    }
}

pub(super) struct Heatmap<'a>(pub(super) &'a RunData);

impl Draw for Heatmap<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let rows = &self.0.intervals;
        let day0 = rows[0].start.date_naive();
        // The last day drawn is the one holding the run's last instant (a run ending at
        // midnight ends the day before): the axis ends at the data.
        let last = rows[rows.len() - 1].end() - Duration::milliseconds(1);
        let days = (last.date_naive() - day0).num_days().max(0) as usize + 1;
        let mut sum = vec![[0.0f64; 24]; days];
        let mut weight = vec![[0.0f64; 24]; days];
        for r in rows {
            // Spread the interval over the clock hours it covers.
            let mut t = r.start;
            let stop = r.end();
            while t < stop {
                let next = (t + Duration::hours(1))
                    .with_minute(0)
                    .and_then(|x| x.with_second(0))
                    .and_then(|x| x.with_nanosecond(0))
                    .unwrap_or(stop)
                    .min(stop);
                let w = (next - t).num_milliseconds() as f64;
                let d = (t.date_naive() - day0).num_days() as usize;
                if d < days {
                    sum[d][t.hour() as usize] += r.facility_kw * w;
                    weight[d][t.hour() as usize] += w;
                }
                t = next;
            }
        }
        let cells: Vec<(usize, usize, f64)> = (0..days)
            .flat_map(|d| (0..24).map(move |h| (d, h)))
            .filter(|&(d, h)| weight[d][h] > 0.0)
            .map(|(d, h)| (d, h, sum[d][h] / weight[d][h]))
            .collect();
        // The colour scale and its legend span the data's own range.
        let lo = cells.iter().map(|c| c.2).fold(f64::INFINITY, f64::min);
        let hi = cells.iter().map(|c| c.2).fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, lo + 1.0)
        };
        let x0 = day0.and_time(chrono::NaiveTime::MIN).and_utc();
        let x1 = x0 + Duration::days(days as i64);
        let mut chart = ChartBuilder::on(root)
            .caption("facility power by hour of day (UTC) and day", caption())
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(60)
            // A time axis over whole days, ticked as the other time charts are.
            .build_cartesian_2d(super::time_chart::time_axis(x0, x1), 0.0f64..24.0)
            .map_err(err)?;
        let span_h = days as i64 * 24;
        chart
            .configure_mesh()
            .y_label_formatter(&tick)
            .x_desc("day")
            .y_desc("hour (UTC)")
            .x_label_formatter(&|d: &DateTime<Utc>| super::time_axis::date_tick(d, span_h))
            .label_style(label())
            .axis_desc_style(label())
            .disable_mesh()
            .draw()
            .map_err(err)?;
        // Light yellow (low) to dark blue (high).
        let color = |v: f64| {
            let s = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
            let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * s) as u8;
            RGBColor(mix(250, 8), mix(240, 48), mix(180, 107))
        };
        chart
            .draw_series(cells.iter().map(|&(d, h, v)| {
                let from = x0 + Duration::days(d as i64);
                Rectangle::new(
                    [(from, h as f64), (from + Duration::days(1), h as f64 + 1.0)],
                    color(v).filled(),
                )
            }))
            .map_err(err)?;
        root.draw(&Text::new(
            format!("{lo:.0} kW (light) – {hi:.0} kW (dark)"),
            (80, 35),
            label(),
        ))
        .map_err(err)?;
        Ok(())
    }
}
