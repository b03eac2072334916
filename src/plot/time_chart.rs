//! Time charts of a run: a UTC time axis ticked by `time_axis`, the mesh with shaded
//! intervals, an optional right-hand axis, and panels of step lines with a min–max band.

use super::data::IntervalRow;
use super::render::{DrawResult, PALETTE, SHADE, caption, err, label, legend, range, tick};
use super::time_axis::{date_tick, time_ticks};
use chrono::{DateTime, Utc};
use plotters::coord::Shift;
use plotters::coord::combinators::{BindKeyPoints, WithKeyPoints};
use plotters::prelude::*;

type Area<'a, DB> = DrawingArea<DB, Shift>;

/// A named quantity of an interval, drawn as one line.
pub(super) type Series<'a> = (&'a str, &'a dyn Fn(&IntervalRow) -> f64);

/// Step points of a piecewise-constant quantity over the intervals.
pub(super) fn steps(
    rows: &[IntervalRow],
    f: impl Fn(&IntervalRow) -> f64,
) -> Vec<(DateTime<Utc>, f64)> {
    rows.iter()
        .flat_map(|r| [(r.start, f(r)), (r.end(), f(r))])
        .collect()
}

/// A UTC time axis with its ticks where `time_ticks` puts them.
pub(super) type TimeAxis = WithKeyPoints<plotters::coord::types::RangedDateTime<DateTime<Utc>>>;

/// The time axis over `[x0, x1]`.
pub(super) fn time_axis(x0: DateTime<Utc>, x1: DateTime<Utc>) -> TimeAxis {
    (x0..x1).with_key_points(time_ticks(x0, x1))
}

/// A chart with a UTC time axis and a linear y axis.
pub(super) type TimeChart<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<TimeAxis, plotters::coord::types::RangedCoordf64>>;

/// A chart over the run's time span with `y` [units of `y_desc`], its mesh drawn and the
/// intervals `shade` picks shaded, and `right` pixels on the right for a secondary axis over
/// `y2` (0: none). The primary mesh is drawn once the secondary axis has taken the right-hand
/// label area, so only the secondary's labels appear there.
pub(super) fn time_chart<'a, DB: DrawingBackend + 'a>(
    area: &'a Area<DB>,
    title: &str,
    y_desc: &str,
    rows: &[IntervalRow],
    y: std::ops::Range<f64>,
    shade: &dyn Fn(&IntervalRow) -> bool,
    (right, y2): (u32, std::ops::Range<f64>),
) -> Result<DualTimeChart<'a, DB>, String> {
    let (x0, x1) = (rows[0].start, rows[rows.len() - 1].end());
    let chart = builder(area, title, right)
        .build_cartesian_2d(time_axis(x0, x1), y.clone())
        .map_err(err)?;
    let mut chart = chart.set_secondary_coord(time_axis(x0, x1), y2);
    dress(&mut chart, y_desc, rows, y, shade)?;
    Ok(chart)
}

/// The builder of a time chart titled `title`, with `right` pixels for a right-hand axis.
pub(super) fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a Area<DB>,
    title: &str,
    right: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.caption(title, caption())
        .margin(10)
        .x_label_area_size(35)
        .y_label_area_size(80)
        .right_y_label_area_size(right);
    b
}

/// Draws a time chart's mesh (dates on x, `y_desc` on y) and shades the intervals `shade`
/// picks over `y`.
pub(super) fn dress<DB: DrawingBackend>(
    chart: &mut TimeChart<'_, DB>,
    y_desc: &str,
    rows: &[IntervalRow],
    y: std::ops::Range<f64>,
    shade: &dyn Fn(&IntervalRow) -> bool,
) -> DrawResult {
    let (x0, x1) = (rows[0].start, rows[rows.len() - 1].end());
    let span_h = (x1 - x0).num_hours();
    let fmt = move |d: &DateTime<Utc>| date_tick(d, span_h);
    chart
        .configure_mesh()
        .y_label_formatter(&tick)
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&fmt)
        .y_desc(y_desc)
        .label_style(label())
        .axis_desc_style(label())
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(
            rows.iter()
                .filter(|r| shade(r))
                .map(|r| Rectangle::new([(r.start, y.start), (r.end(), y.end)], SHADE.filled())),
        )
        .map_err(err)?;
    Ok(())
}

/// No right-hand axis.
pub(super) const NO_AXIS: (u32, std::ops::Range<f64>) = (0, 0.0..1.0);

/// A time chart with a secondary linear y axis on the right.
pub(super) type DualTimeChart<'a, DB> = plotters::chart::DualCoordChartContext<
    'a,
    DB,
    Cartesian2d<TimeAxis, plotters::coord::types::RangedCoordf64>,
    Cartesian2d<TimeAxis, plotters::coord::types::RangedCoordf64>,
>;

/// The lowest and highest value of a quantity over the intervals a chart row stands for.
pub(super) type Band<'a> = &'a dyn Fn(&IntervalRow) -> (f64, f64);

/// Draws one time panel with step lines; `shade` marks intervals to shade; `band`, when
/// rows stand for groups of intervals, draws the first series' range in each group under it.
pub(super) fn time_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    title: &str,
    y_desc: &str,
    rows: &[IntervalRow],
    series: &[Series],
    shade: &dyn Fn(&IntervalRow) -> bool,
    band: Option<Band>,
) -> DrawResult {
    let banded = band
        .iter()
        .flat_map(|b| rows.iter().flat_map(|r| [b(r).0, b(r).1]));
    let y = range(
        series
            .iter()
            .flat_map(|(_, f)| rows.iter().map(f))
            .chain(banded),
        true,
    );
    let y = y.start..y.end + (y.end - y.start) * 0.25; // room for the legend
    let mut chart = time_chart(area, title, y_desc, rows, y, shade, NO_AXIS)?;
    if let Some(b) = band {
        // Stepped: the high edge left to right, then the low edge back.
        let mut edge: Vec<(DateTime<Utc>, f64)> = steps(rows, |r| b(r).1);
        edge.extend(steps(rows, |r| b(r).0).into_iter().rev());
        let color = PALETTE[0];
        chart
            .draw_series(std::iter::once(Polygon::new(
                edge,
                color.mix(0.25).filled(),
            )))
            .map_err(err)?
            .label("lowest to highest interval")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.25).filled())
            });
    }
    for (i, (name, f)) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(steps(rows, f), color.stroke_width(2)))
            .map_err(err)?
            .label(*name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
            });
    }
    if series.len() > 1 || band.is_some() {
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    }
    Ok(())
}
