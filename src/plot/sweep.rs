//! The charts of a sweep: key metrics per point with 95 % confidence intervals, cost against
//! CO2e with the Pareto front, and the P10–P90 band of the monthly bill forecast.

use super::PlotError;
use super::data::SweepData;
use super::render::{
    Draw, DrawResult, Drawn, PALETTE, caption, err, keep, label, legend, range, render, tick,
};
use plotters::coord::Shift;
use plotters::prelude::*;

type Area<'a, DB> = DrawingArea<DB, Shift>;

/// Metrics shown as small multiples (two rows of three), with their axis labels.
const METRICS: &[(&str, &str)] = &[
    ("total_cost", "total cost"),
    ("carbon_kg", "CO2e [kg]"),
    ("facility_energy_kwh", "facility energy [kWh]"),
    ("p95_wait_s", "p95 queue wait [s]"),
    ("deadlines_missed", "deadlines missed"),
    ("mean_bounded_slowdown", "mean bounded slowdown"),
];

struct Metrics<'a>(&'a SweepData);

impl Draw for Metrics<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let points = &self.0.points;
        let root = root
            .titled(
                "per point: mean (dot) and 95 % confidence interval of the mean (whiskers)",
                label(),
            )
            .map_err(err)?;
        let panels = root.split_evenly((2, 3));
        for (panel, (key, desc)) in panels.iter().zip(METRICS) {
            let values: Vec<(f64, f64, f64)> = points
                .iter()
                .map(|p| p.metrics.get(*key).copied().unwrap_or((0.0, 0.0, 0.0)))
                .collect();
            let n = values.len();
            let mut chart = ChartBuilder::on(panel)
                .caption(*desc, caption())
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(80)
                .build_cartesian_2d(
                    -0.5f64..(n as f64 - 0.5),
                    // Dots, not bars: the axis fits the intervals, so small differences show.
                    range(values.iter().flat_map(|v| [v.1, v.2]), false),
                )
                .map_err(err)?;
            chart
                .configure_mesh()
                .y_label_formatter(&tick)
                .light_line_style(WHITE.mix(0.0))
                .x_labels(n.min(20))
                .x_label_formatter(&|x: &f64| {
                    if (x - x.round()).abs() < 1e-6 {
                        format!("#{}", x.round())
                    } else {
                        String::new()
                    }
                })
                .label_style(label())
                .disable_x_mesh()
                .draw()
                .map_err(err)?;
            chart
                .draw_series(values.iter().enumerate().map(|(i, v)| {
                    let color = PALETTE[i % PALETTE.len()];
                    ErrorBar::new_vertical(i as f64, v.1, v.0, v.2, color.stroke_width(3), 14)
                }))
                .map_err(err)?;
            chart
                .draw_series(values.iter().enumerate().map(|(i, v)| {
                    Circle::new((i as f64, v.0), 6, PALETTE[i % PALETTE.len()].filled())
                }))
                .map_err(err)?;
        }
        Ok(())
    }
}

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

impl Draw for Pareto<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let pts: Vec<(f64, f64)> = self
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
        let front = pareto_front(&pts);
        let mut chart = ChartBuilder::on(root)
            .caption(
                "cost against CO2e per point (Pareto front in orange)",
                caption(),
            )
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(90)
            .build_cartesian_2d(
                range(pts.iter().map(|p| p.0), false),
                range(pts.iter().map(|p| p.1), false),
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .y_label_formatter(&tick)
            .light_line_style(WHITE.mix(0.0))
            .x_label_formatter(&tick)
            .x_desc("mean total cost")
            .y_desc("mean CO2e [kg]")
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
        chart
            .draw_series(pts.iter().enumerate().map(|(i, &p)| {
                let on = front.contains(&i);
                let color = if on { PALETTE[1] } else { PALETTE[0] };
                EmptyElement::at(p)
                    + Circle::new((0, 0), if on { 8 } else { 6 }, color.filled())
                    + Text::new(format!("#{i}"), (10, -10), label())
            }))
            .map_err(err)?;
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
            .y_desc("bill per month")
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
                .map_or(format!("#{p}"), |pt| format!("#{p} {}", pt.label));
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
    fn pareto_front_of_known_points() {
        // (1, 5) and (3, 2) and (4, 1) trade off; (3, 4) is beaten by (3, 2); (5, 5) by all.
        let pts = [(1.0, 5.0), (3.0, 4.0), (3.0, 2.0), (4.0, 1.0), (5.0, 5.0)];
        assert_eq!(super::pareto_front(&pts), vec![0, 2, 3]);
    }
}
