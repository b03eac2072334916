//! The charts of one run: power with price and carbon intensity, cumulative cost and CO2e,
//! utilisation and queue (the others are in `run_more`), and the list of every run chart.

use super::PlotError;
use super::data::{IntervalRow, MAX_CHART_INTERVALS, RunData, chart_rows};
use super::render::{
    Draw, DrawResult, Drawn, PALETTE, err, keep, label, legend, range, render, tick,
};
use super::run_more::{Bill, Heatmap, LoadDuration, WaitCdf};
use super::time_chart::{Band, NO_AXIS, steps, time_chart, time_panel};
use chrono::{DateTime, Utc};
use plotters::coord::Shift;
use plotters::prelude::*;

type Area<'a, DB> = DrawingArea<DB, Shift>;

/// Width of the power panel's right-hand axis of nodes off [px].
const NODES_AXIS_PX: u32 = 70;

/// Facility power as a line over the IT power stacked by pool; with power management, the
/// limit in force as a line and powered-off nodes as a grey band on a right-hand axis.
fn pool_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    data: &RunData,
    rows: &[IntervalRow],
    shade: &dyn Fn(&IntervalRow) -> bool,
    shading: bool,
) -> DrawResult {
    let (_, group) = chart_rows(&data.intervals, MAX_CHART_INTERVALS);
    let limits = rows.iter().filter_map(|r| r.limit_kw);
    let y = range(
        rows.iter()
            .map(|r| r.facility_kw.max(r.it_kw))
            .chain(limits),
        true,
    );
    let max_off = rows.iter().map(|r| r.nodes_off).fold(0.0, f64::max);
    let has_limit = rows.iter().any(|r| r.limit_kw.is_some());
    // Headroom for the legend (one line per pool, the facility line, limit and band).
    let lines = data.pools.len() + usize::from(has_limit) + usize::from(max_off > 0.0);
    let y = y.start..y.end + (y.end - y.start) * (0.45 + 0.2 * lines as f64);
    let note = if shading {
        " (shaded: higher-price periods)"
    } else {
        ""
    };
    let title = if group > 1 {
        format!("{}: power, means of {group} intervals{note}", data.scenario)
    } else {
        format!("{}: power{note}", data.scenario)
    };
    // Nodes off on a right-hand axis whose top is three times the most off, so the band
    // keeps to the lower third of the panel.
    let px = if max_off > 0.0 { NODES_AXIS_PX } else { 0 };
    let right = (px, 0.0..(max_off * 3.0).max(1.0));
    let mut chart = time_chart(area, &title, "kW", rows, y, shade, right)?;
    if max_off > 0.0 {
        chart
            .configure_secondary_axes()
            .y_desc("nodes off")
            .y_label_formatter(&tick)
            .label_style(label())
            .axis_desc_style(label())
            .draw()
            .map_err(err)?;
        let band = RGBColor(110, 110, 110);
        chart
            .draw_secondary_series(
                AreaSeries::new(steps(rows, |r| r.nodes_off), 0.0, band.mix(0.3))
                    .border_style(band.mix(0.6)),
            )
            .map_err(err)?
            .label("nodes off (right axis)")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], band.mix(0.3).filled())
            });
    }
    // Stack from the top pool down so each area covers the ones below it.
    let n = data.pools.len();
    for k in (0..n).rev() {
        let color = PALETTE[(k + 1) % PALETTE.len()];
        let top = steps(rows, |r| r.pool_kw.iter().take(k + 1).sum());
        chart
            .draw_series(AreaSeries::new(top, 0.0, color.mix(0.55)).border_style(color))
            .map_err(err)?
            .label(format!("IT: {}", data.pools[k]))
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.mix(0.55).filled())
            });
    }
    if n == 0 {
        chart
            .draw_series(LineSeries::new(
                steps(rows, |r| r.it_kw),
                PALETTE[1].stroke_width(2),
            ))
            .map_err(err)?
            .label("IT")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[1].stroke_width(3))
            });
    }
    chart
        .draw_series(LineSeries::new(
            steps(rows, |r| r.facility_kw),
            PALETTE[0].stroke_width(2),
        ))
        .map_err(err)?
        .label("facility (IT × PUE)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[0].stroke_width(3)));
    if has_limit {
        // One line per stretch of intervals with a limit in force.
        let stretches = rows
            .chunk_by(|a, b| a.limit_kw.is_some() == b.limit_kw.is_some())
            .filter(|g| g[0].limit_kw.is_some());
        for (i, stretch) in stretches.enumerate() {
            let line = steps(stretch, |r| r.limit_kw.unwrap_or(0.0));
            let series = chart
                .draw_series(DashedLineSeries::new(line, 8, 5, BLACK.stroke_width(2)))
                .map_err(err)?;
            if i == 0 {
                series.label("power limit (budget)").legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2))
                });
            }
        }
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

struct Power<'a>(&'a RunData);

impl Draw for Power<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let (rows, group) = chart_rows(&self.0.intervals, MAX_CHART_INTERVALS);
        let rows = &rows;
        // Grouped rows are means: their ranges show the peaks the means smooth away.
        // A band as thin as its line (a constant intensity) would only crowd the legend.
        let spread = |f: fn(&IntervalRow) -> (f64, f64)| {
            rows.iter().any(|r| {
                let (lo, hi) = f(r);
                hi - lo > 1e-9 * hi.abs().max(1.0)
            })
        };
        let price_band: Option<Band> =
            (group > 1 && spread(|r| r.price_range)).then_some(&|r| r.price_range);
        let intensity_band: Option<Band> =
            (group > 1 && spread(|r| r.intensity_range)).then_some(&|r| r.intensity_range);
        let ranged = |band: bool| if band { " and their range" } else { "" };
        let (price_title, intensity_title, mean) = if group > 1 {
            (
                format!(
                    "energy price, mean of each {group} intervals{}",
                    ranged(price_band.is_some())
                ),
                format!(
                    "grid carbon intensity, mean of each {group} intervals{}",
                    ranged(intensity_band.is_some())
                ),
                "mean",
            )
        } else {
            (
                "energy price".to_string(),
                "grid carbon intensity".to_string(),
                "",
            )
        };
        // Shade the intervals priced above the run's cheapest (TOU peaks, price spikes).
        let cheapest = rows
            .iter()
            .filter(|r| r.facility_kw > 0.0)
            .map(|r| r.price())
            .fold(f64::INFINITY, f64::min);
        let above = move |r: &IntervalRow| r.price() > cheapest * 1.02 + 1e-12;
        // Shading marks peaks: not when nothing is above the cheapest (a flat tariff), nor
        // when most of the run is (an escalating tariff's later years), where it would say
        // nothing.
        let span_ms = |r: &IntervalRow| (r.end() - r.start).num_milliseconds() as f64;
        let total: f64 = rows.iter().map(span_ms).sum();
        let shaded: f64 = rows.iter().filter(|r| above(r)).map(span_ms).sum();
        let shading = shaded > 0.0 && shaded <= 0.5 * total;
        let pricey = move |r: &IntervalRow| shading && above(r);
        let panels = root.split_evenly((3, 1));
        pool_panel(&panels[0], self.0, rows, &pricey, shading)?;
        // The power panel's right-hand axis (nodes off) narrows its plot: keep the time axes
        // of the panels below aligned with it.
        let right = if rows.iter().any(|r| r.nodes_off > 0.0) {
            NODES_AXIS_PX as i32
        } else {
            0
        };
        let panels: Vec<_> = panels.iter().map(|p| p.margin(0, 0, 0, right)).collect();
        let price_label = format!("{}/kWh", self.0.currency);
        time_panel(
            &panels[1],
            &price_title,
            &price_label,
            rows,
            &[(
                if group > 1 { mean } else { "price" },
                &|r: &IntervalRow| r.price(),
            )],
            &pricey,
            price_band,
        )?;
        time_panel(
            &panels[2],
            &intensity_title,
            "gCO2e/kWh",
            rows,
            &[(
                if group > 1 { mean } else { "intensity" },
                &|r: &IntervalRow| r.intensity,
            )],
            &pricey,
            intensity_band,
        )
    }
}

struct Utilisation<'a>(&'a RunData);

impl Draw for Utilisation<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let (rows, _) = chart_rows(&self.0.intervals, MAX_CHART_INTERVALS);
        let rows = &rows;
        let panels = root.split_evenly((2, 1));
        let none = |_: &IntervalRow| false;
        time_panel(
            &panels[0],
            "busy devices",
            "devices",
            rows,
            &[("busy devices (mean)", &|r: &IntervalRow| r.busy)],
            &none,
            None,
        )?;
        time_panel(
            &panels[1],
            "queue length",
            "jobs",
            rows,
            &[("queued jobs (mean)", &|r: &IntervalRow| r.queued)],
            &none,
            None,
        )
    }
}

struct Cumulative<'a>(&'a RunData);

impl Draw for Cumulative<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        // Group sums are exact, so the cumulative curves lose nothing but resolution.
        let (rows, _) = chart_rows(&self.0.intervals, MAX_CHART_INTERVALS);
        let rows = &rows;
        let panels = root.split_evenly((2, 1));
        // Cumulative sums at interval ends, drawn as lines (the integral is continuous).
        let mut cost = 0.0;
        let mut co2 = 0.0;
        let mut pts: Vec<(DateTime<Utc>, f64, f64)> = vec![(rows[0].start, 0.0, 0.0)];
        for r in rows {
            cost += r.cost;
            co2 += r.carbon_kg / 1000.0;
            pts.push((r.end(), cost, co2));
        }
        for (i, (panel, title, unit)) in [
            (
                &panels[0],
                "cumulative energy cost",
                self.0.currency.clone(),
            ),
            (
                &panels[1],
                "cumulative CO2e (location-based)",
                "tCO2e".to_string(),
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let value = |p: &(DateTime<Utc>, f64, f64)| if i == 0 { p.1 } else { p.2 };
            let y = range(pts.iter().map(value), true);
            let mut chart = time_chart(panel, title, &unit, rows, y, &|_| false, NO_AXIS)?;
            chart
                .draw_series(LineSeries::new(
                    pts.iter().map(|p| (p.0, value(p))),
                    PALETTE[i].stroke_width(3),
                ))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// All run charts that have data; the second list names the ones skipped and why.
pub fn charts(data: &RunData) -> Result<Drawn, PlotError> {
    let mut drawn: Drawn = (vec![], vec![]);
    if data.intervals.is_empty() {
        drawn.1.push(("power".into(), "no time series".into()));
    } else {
        keep(
            &mut drawn,
            render(
                "power",
                "Power, energy price and grid intensity",
                &Power(data),
            ),
        )?;
        if super::run_months::wanted(&data.intervals) {
            keep(
                &mut drawn,
                render(
                    "power_months",
                    "Power month by month",
                    &super::run_months::PowerMonths(data),
                ),
            )?;
        }
        keep(
            &mut drawn,
            render("cumulative", "Cumulative cost and CO2e", &Cumulative(data)),
        )?;
        keep(
            &mut drawn,
            render(
                "utilization",
                "Utilisation and queue length",
                &Utilisation(data),
            ),
        )?;
        keep(
            &mut drawn,
            render("load_duration", "Load-duration curve", &LoadDuration(data)),
        )?;
        keep(
            &mut drawn,
            render("heatmap", "Facility power by hour and day", &Heatmap(data)),
        )?;
    }
    if data.bill.iter().any(|l| l.amount > 0.0) {
        keep(
            &mut drawn,
            render("bill", "Monthly bill by line item", &Bill(data)),
        )?;
    } else {
        drawn
            .1
            .push(("bill".into(), "the bill has no charges".into()));
    }
    let skipped = match &data.waits {
        None => Some("the folder has no job table (the run was written with --jobs none)"),
        Some(w) if w.count() == 0 => Some("no job started"),
        Some(w) if w.quantile_s(1.0) == 0.0 => Some("every job started without waiting"),
        Some(_) => None,
    };
    match skipped {
        Some(why) => drawn.1.push(("wait_cdf".into(), why.into())),
        None => keep(
            &mut drawn,
            render("wait_cdf", "Queue wait distribution", &WaitCdf(data)),
        )?,
    }
    Ok(drawn)
}
