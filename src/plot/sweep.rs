//! The charts of a sweep: key metrics per point with 95 % confidence intervals, cost against
//! CO2e with the Pareto front, and the P10–P90 band of the monthly bill forecast.

use super::PlotError;
use super::data_sweep::SweepData;
use super::render::{
    Draw, DrawResult, Drawn, PALETTE, caption, err, keep, label, legend, range, render, tick,
};
use super::sweep_layout::{currency, unit};
use super::sweep_metrics::Metrics;
use plotters::coord::Shift;
use plotters::prelude::*;

type Area<'a, DB> = DrawingArea<DB, Shift>;

/// Indices of the points no other point beats on both cost and CO2e, by increasing cost.
pub fn pareto_front(pts: &[(f64, f64)]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..pts.len())
        .filter(|&i| {
            !pts.iter()
                .any(|q| q.0 <= pts[i].0 && q.1 <= pts[i].1 && (q.0 < pts[i].0 || q.1 < pts[i].1))
        })
        .collect();
    idx.sort_by(|&a, &b| pts[a].0.total_cmp(&pts[b].0));
    idx
}

struct Pareto<'a>(&'a SweepData);

/// Points named in the Pareto chart's key at most (the rest are in `sweep_summary.csv`).
const MAX_KEYED: usize = 24;

/// The corner of the plot with the fewest of `pts` in its quarter (ties: upper left, upper
/// right, lower left, lower right).
fn emptiest_corner(pts: &[(f64, f64)]) -> SeriesLabelPosition {
    let (xs, ys) = (
        range(pts.iter().map(|p| p.0), false),
        range(pts.iter().map(|p| p.1), false),
    );
    let (mx, my) = ((xs.start + xs.end) / 2.0, (ys.start + ys.end) / 2.0);
    let count = |left: bool, upper: bool| {
        pts.iter()
            .filter(|p| (p.0 < mx) == left && (p.1 >= my) == upper)
            .count()
    };
    [
        (count(true, true), SeriesLabelPosition::UpperLeft),
        (count(false, true), SeriesLabelPosition::UpperRight),
        (count(true, false), SeriesLabelPosition::LowerLeft),
        (count(false, false), SeriesLabelPosition::LowerRight),
    ]
    .into_iter()
    .min_by_key(|c| c.0)
    .map_or(SeriesLabelPosition::UpperLeft, |c| c.1)
}

impl Draw for Pareto<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let raw: Vec<(f64, f64)> = self
            .0
            .points
            .iter()
            .map(|p| {
                (
                    p.metrics.get("total_cost").map_or(0.0, |m| m.0),
                    p.metrics.get("carbon_kg").map_or(0.0, |m| m.0),
                )
            })
            .collect();
        let largest = |f: fn(&(f64, f64)) -> f64| raw.iter().map(f).fold(0.0, f64::max);
        let cur = currency(&self.0.points);
        let (fx, x_desc) = unit("total_cost", "mean total cost", largest(|p| p.0), &cur);
        let (fy, y_desc) = unit("carbon_kg", "mean CO2e", largest(|p| p.1), &cur);
        let pts: Vec<(f64, f64)> = raw.iter().map(|p| (p.0 * fx, p.1 * fy)).collect();
        let front = pareto_front(&pts);
        let x_range = range(pts.iter().map(|p| p.0), false);
        // Labels of points in the right part of the plot go to their left, so they stay in it.
        let left_from = x_range.start + 0.6 * (x_range.end - x_range.start);
        let mut chart = ChartBuilder::on(root)
            .caption(
                "cost against CO2e per point (Pareto front in orange)",
                caption(),
            )
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(90)
            .build_cartesian_2d(x_range, range(pts.iter().map(|p| p.1), false))
            .map_err(err)?;
        chart
            .configure_mesh()
            .y_label_formatter(&tick)
            .light_line_style(WHITE.mix(0.0))
            .x_label_formatter(&tick)
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style(label())
            .axis_desc_style(label())
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                front.iter().map(|&i| pts[i]),
                PALETTE[1].stroke_width(2),
            ))
            .map_err(err)?;
        // Points named by their settings while that stays legible; by number beyond.
        let named = pts.len() <= 8;
        chart
            .draw_series(pts.iter().enumerate().map(|(i, &p)| {
                let on = front.contains(&i);
                let color = if on { PALETTE[1] } else { PALETTE[0] };
                let name = match self.0.points.get(i) {
                    Some(point) if named => point.label.clone(),
                    _ => format!("#{i}"),
                };
                let dx = if p.0 > left_from {
                    -12 - 8 * name.chars().count() as i32
                } else {
                    10
                };
                EmptyElement::at(p)
                    + Circle::new((0, 0), if on { 8 } else { 6 }, color.filled())
                    + Text::new(name, (dx, -10), label())
            }))
            .map_err(err)?;
        if !named {
            // Numbered points get a key naming their settings, in the emptiest corner.
            for (i, point) in self.0.points.iter().enumerate().take(MAX_KEYED) {
                chart
                    .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                    .map_err(err)?
                    .label(format!("#{i}  {}", point.label))
                    .legend(|(x, y)| EmptyElement::at((x, y)));
            }
            legend(&mut chart, emptiest_corner(&pts))?;
        }
        Ok(())
    }
}

struct Forecast<'a>(&'a SweepData);

impl Draw for Forecast<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let rows = &self.0.forecast;
        let mut months: Vec<&str> = rows.iter().map(|r| r.month.as_str()).collect();
        months.sort();
        months.dedup();
        let m = months.len();
        let mut chart = ChartBuilder::on(root)
            .caption(
                "monthly bill forecast: median and P10–P90 band per point",
                caption(),
            )
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(90)
            .build_cartesian_2d(
                -0.5f64..(m as f64 - 0.5),
                range(rows.iter().flat_map(|r| [r.p10, r.p90]), true),
            )
            .map_err(err)?;
        let labels = months.clone();
        chart
            .configure_mesh()
            .y_label_formatter(&tick)
            .light_line_style(WHITE.mix(0.0))
            .x_labels(m.min(24))
            .x_label_formatter(&|x: &f64| {
                if (x - x.round()).abs() < 1e-6 {
                    labels
                        .get(x.round() as usize)
                        .map(|s| s.to_string())
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc(match currency(&self.0.points) {
                c if c.is_empty() => "bill per month".to_string(),
                c => format!("bill per month [{c}]"),
            })
            .label_style(label())
            .axis_desc_style(label())
            .draw()
            .map_err(err)?;
        let points = rows.iter().map(|r| r.point).max().map_or(0, |p| p + 1);
        for p in 0..points {
            let color = PALETTE[p % PALETTE.len()];
            let mine: Vec<(f64, f64, f64, f64)> = rows
                .iter()
                .filter(|r| r.point == p)
                .filter_map(|r| {
                    months
                        .iter()
                        .position(|m| *m == r.month)
                        .map(|i| (i as f64, r.p10, r.p50, r.p90))
                })
                .collect();
            if mine.is_empty() {
                continue;
            }
            // The band: P90 left to right, then P10 back.
            let mut band: Vec<(f64, f64)> = mine.iter().map(|r| (r.0, r.3)).collect();
            band.extend(mine.iter().rev().map(|r| (r.0, r.1)));
            if mine.len() == 1 {
                let r = mine[0];
                band = vec![
                    (r.0 - 0.2, r.3),
                    (r.0 + 0.2, r.3),
                    (r.0 + 0.2, r.1),
                    (r.0 - 0.2, r.1),
                ];
            }
            chart
                .draw_series(std::iter::once(Polygon::new(band, color.mix(0.2).filled())))
                .map_err(err)?;
            let label_text = self
                .0
                .points
                .get(p)
                .map_or(format!("#{p}"), |pt| pt.label.clone());
            chart
                .draw_series(
                    LineSeries::new(mine.iter().map(|r| (r.0, r.2)), color.stroke_width(2))
                        .point_size(4),
                )
                .map_err(err)?
                .label(label_text)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
                });
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}

/// The sweep charts that have data; the second list names the skipped ones and why.
pub fn charts(data: &SweepData) -> Result<Drawn, PlotError> {
    let mut drawn: Drawn = (vec![], vec![]);
    if data.points.iter().any(|p| !p.metrics.is_empty()) {
        keep(
            &mut drawn,
            render("sweep_metrics", "Key metrics per point", &Metrics(data)),
        )?;
        keep(
            &mut drawn,
            render("sweep_pareto", "Cost against CO2e", &Pareto(data)),
        )?;
    } else {
        drawn
            .1
            .push(("sweep_metrics".into(), "no successful run".into()));
    }
    if data.forecast.is_empty() {
        drawn
            .1
            .push(("sweep_forecast".into(), "no bill forecast".into()));
    } else {
        keep(
            &mut drawn,
            render("sweep_forecast", "Monthly bill forecast", &Forecast(data)),
        )?;
    }
    Ok(drawn)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_key_goes_to_the_emptiest_corner() {
        use plotters::prelude::SeriesLabelPosition as P;
        // Points rising from lower left to upper right over [0, 10]²: the middle is (5, 5);
        // the upper left and lower right quarters hold none, and ties go to the upper left.
        let rising: Vec<(f64, f64)> = (0..=10).map(|i| (i as f64, i as f64)).collect();
        assert!(matches!(super::emptiest_corner(&rising), P::UpperLeft));
        // Falling points: the middle one, (5, 5), counts to the upper right (not left of the
        // middle, not below it), so the lower left is the only empty quarter.
        let falling: Vec<(f64, f64)> = (0..=10).map(|i| (i as f64, 10.0 - i as f64)).collect();
        assert!(matches!(super::emptiest_corner(&falling), P::LowerLeft));
    }

    #[test]
    fn pareto_front_of_known_points() {
        // (1, 5) and (3, 2) and (4, 1) trade off; (3, 4) is beaten by (3, 2); (5, 5) by all.
        let pts = [(1.0, 5.0), (3.0, 4.0), (3.0, 2.0), (4.0, 1.0), (5.0, 5.0)];
        assert_eq!(super::pareto_front(&pts), vec![0, 2, 3]);
    }
}
