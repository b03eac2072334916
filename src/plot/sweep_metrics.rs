//! The sweep's key metrics as small multiples (laid out by `sweep_layout`): against a numeric axis as lines with the 95 %
//! confidence interval of the mean as a band (one line per value of a second axis), otherwise
//! one dot and whisker per point; points and lines named by their settings in a shared legend,
//! values in units that read (waits in minutes or hours, costs in the currency, CO2e in t).

use super::data_sweep::{PointRow, SweepData, short_axis};
use super::render::{Draw, DrawResult, FONT, PALETTE, caption, err, label, range, tick};
use super::sweep_layout::{Layout, currency, layout, unit};
use plotters::coord::Shift;
use plotters::prelude::*;

type Area<'a, DB> = DrawingArea<DB, Shift>;

/// Metrics shown as small multiples (two rows of three), with their names.
pub const METRICS: &[(&str, &str)] = &[
    ("total_cost", "total cost"),
    ("carbon_kg", "CO2e"),
    ("facility_energy_kwh", "facility energy"),
    ("p95_wait_s", "p95 queue wait"),
    ("deadlines_missed", "deadlines missed"),
    ("mean_bounded_slowdown", "mean bounded slowdown"),
];

/// Legend rows above the panels at most (entries beyond are cut; with more points than
/// colours they are numbered, on the x axis and in the legend, as in `sweep_summary.csv`).
const MAX_LEGEND_ROWS: u32 = 5;

/// One drawn line (or set of dots): its colour, legend text and points as (x, (mean, low,
/// high)).
struct Line {
    color: RGBColor,
    name: String,
    values: Vec<(f64, (f64, f64, f64))>,
}

/// The value `p` sets for axis `a` (empty when it sets none).
fn setting(p: &PointRow, a: &str) -> String {
    p.axes
        .iter()
        .find(|(name, _)| name == a)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The distinct values of axis `a` over `points`, in order of first appearance (one empty
/// value for no axis).
fn values_of(points: &[PointRow], a: Option<&String>) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for p in points {
        let v = a.map_or_else(String::new, |a| setting(p, a));
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Whether more points are drawn than there are colours: they are then numbered.
fn numbered(points: &[PointRow], layout: &Layout) -> bool {
    matches!(layout, Layout::Dots | Layout::Groups { series: None, .. })
        && points.len() > PALETTE.len()
}

/// What is drawn for `key` in `layout`: a line per series, or a dot per point; `all` are the
/// sweep's axes (for their short names).
fn lines(points: &[PointRow], all: &[String], layout: &Layout, key: &str) -> Vec<Line> {
    let metric = |p: &PointRow| p.metrics.get(key).copied();
    let numbered = numbered(points, layout);
    // Dots name their points by values alone (the title names the axes), to keep the legend
    // compact.
    let name = |i: usize, p: &PointRow| {
        let text = match layout {
            Layout::Dots => p
                .axes
                .iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(" / "),
            _ => p.label.clone(),
        };
        if numbered {
            format!("#{i} {text}")
        } else {
            text
        }
    };
    let per_point = |x: &dyn Fn(usize, &PointRow) -> f64| -> Vec<Line> {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| Line {
                color: PALETTE[i % PALETTE.len()],
                name: name(i, p),
                values: metric(p).map(|m| (x(i, p), m)).into_iter().collect(),
            })
            .collect()
    };
    match layout {
        Layout::Dots => per_point(&|i, _| i as f64),
        Layout::Groups { x, series: None } => {
            let groups = values_of(points, Some(x));
            per_point(&|_, p| {
                let v = setting(p, x);
                groups.iter().position(|g| *g == v).unwrap_or(0) as f64
            })
        }
        Layout::Groups {
            x,
            series: Some(series),
        } => {
            let groups = values_of(points, Some(x));
            let names = values_of(points, Some(series));
            let m = names.len() as f64;
            names
                .iter()
                .enumerate()
                .map(|(j, s)| {
                    // Side by side within a group, 0.8 of a group wide in all.
                    let offset = (j as f64 - (m - 1.0) / 2.0) * 0.8 / m;
                    let values = points
                        .iter()
                        .filter(|p| setting(p, series) == *s)
                        .filter_map(|p| {
                            let g = groups.iter().position(|g| *g == setting(p, x))?;
                            metric(p).map(|v| (g as f64 + offset, v))
                        })
                        .collect();
                    Line {
                        color: PALETTE[j % PALETTE.len()],
                        name: format!("{} = {s}", short_axis(series, all)),
                        values,
                    }
                })
                .collect()
        }
        Layout::Lines { x, series } => values_of(points, series.as_ref())
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut values: Vec<(f64, (f64, f64, f64))> = points
                    .iter()
                    .filter(|p| series.as_ref().is_none_or(|a| setting(p, a) == *s))
                    .filter_map(|p| {
                        let xv = setting(p, x).parse::<f64>().ok()?;
                        metric(p).map(|m| (xv, m))
                    })
                    .collect();
                values.sort_by(|a, b| a.0.total_cmp(&b.0));
                Line {
                    color: PALETTE[i % PALETTE.len()],
                    name: series.as_ref().map_or_else(
                        || "mean, with its 95 % confidence band".to_string(),
                        |a| format!("{} = {s}", short_axis(a, all)),
                    ),
                    values,
                }
            })
            .collect(),
    }
}

/// Width of a legend entry [px]: a 40 px swatch, about 8 px per character, 20 px of space.
fn entry_px(name: &str) -> u32 {
    40 + 8 * name.chars().count() as u32 + 20
}

/// Rows of legend entries that fit `width` [px].
fn legend_rows(names: &[String], width: u32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = vec![vec![]];
    let mut used = 0;
    for (i, n) in names.iter().enumerate() {
        let w = entry_px(n);
        if used + w > width && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(vec![]);
            used = 0;
        }
        used += w;
        if let Some(row) = rows.last_mut() {
            row.push(i);
        }
    }
    rows
}

/// Draws the legend strip: a swatch and the name of each line, wrapped into rows.
fn draw_legend<DB: DrawingBackend>(area: &Area<DB>, lines: &[Line], dots: bool) -> DrawResult {
    let (width, _) = area.dim_in_pixel();
    let names: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
    let rows = legend_rows(&names, width.saturating_sub(40));
    for (r, row) in rows.iter().take(MAX_LEGEND_ROWS as usize).enumerate() {
        let y = 14 + 22 * r as i32;
        let mut x = 20;
        for &i in row {
            let line = &lines[i];
            if dots {
                area.draw(&Circle::new((x + 12, y), 6, line.color.filled()))
                    .map_err(err)?;
            } else {
                area.draw(&PathElement::new(
                    vec![(x, y), (x + 26, y)],
                    line.color.stroke_width(3),
                ))
                .map_err(err)?;
            }
            area.draw(&Text::new(line.name.clone(), (x + 34, y - 8), label()))
                .map_err(err)?;
            x += entry_px(&line.name) as i32;
        }
    }
    Ok(())
}

/// The metrics chart.
pub struct Metrics<'a>(pub &'a SweepData);

impl Draw for Metrics<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let points = &self.0.points;
        let layout = layout(points);
        let all = &self.0.axes;
        let (title, x_name) = match &layout {
            Layout::Lines { x, .. } => (
                format!(
                    "mean per point against {} (line) and the 95 % confidence interval of the mean (band)",
                    short_axis(x, all)
                ),
                short_axis(x, all),
            ),
            Layout::Groups { x, .. } => (
                format!(
                    "mean per point by {} (dot) and the 95 % confidence interval of the mean (whiskers)",
                    short_axis(x, all)
                ),
                short_axis(x, all),
            ),
            Layout::Dots => (
                format!(
                    "mean per point (dot) and the 95 % confidence interval of the mean (whiskers); points by {}",
                    all.iter()
                        .map(|a| short_axis(a, all))
                        .collect::<Vec<_>>()
                        .join(" / ")
                ),
                String::new(),
            ),
        };
        let root = root.titled(&title, label()).map_err(err)?;
        let legend_lines = lines(points, all, &layout, "total_cost");
        let (width, _) = root.dim_in_pixel();
        let names: Vec<String> = legend_lines.iter().map(|l| l.name.clone()).collect();
        let rows = legend_rows(&names, width.saturating_sub(40)).len() as u32;
        let (top, panels_area) = root.split_vertically(10 + 22 * rows.min(MAX_LEGEND_ROWS));
        draw_legend(&top, &legend_lines, !matches!(layout, Layout::Lines { .. }))?;
        let cur = currency(points);
        let groups = match &layout {
            Layout::Groups { x, .. } => values_of(points, Some(x)),
            _ => vec![],
        };
        let frame = Frame {
            layout: &layout,
            x_name: &x_name,
            groups: &groups,
            numbered: numbered(points, &layout),
            count: points.len(),
        };
        for (panel, (key, name)) in panels_area.split_evenly((2, 3)).iter().zip(METRICS) {
            let mut drawn = lines(points, all, &layout, key);
            let largest = drawn
                .iter()
                .flat_map(|l| l.values.iter().map(|v| v.1.0.abs()))
                .fold(0.0, f64::max);
            let (factor, desc) = unit(key, name, largest, &cur);
            for l in &mut drawn {
                for v in &mut l.values {
                    v.1 = (v.1.0 * factor, v.1.1 * factor, v.1.2 * factor);
                }
            }
            panel_chart(panel, &desc, &drawn, &frame)?;
        }
        Ok(())
    }
}

/// What every small multiple shares: the layout and its x axis.
struct Frame<'a> {
    layout: &'a Layout,
    /// The x axis's name (empty for dots).
    x_name: &'a str,
    /// The group names of a `Groups` layout, in x order.
    groups: &'a [String],
    /// Whether points are numbered (more points than colours).
    numbered: bool,
    /// Points in all.
    count: usize,
}

/// One small multiple: `lines` against the x axis, with bands (or whiskers for dots).
fn panel_chart<DB: DrawingBackend>(
    panel: &Area<DB>,
    desc: &str,
    lines: &[Line],
    frame: &Frame,
) -> DrawResult {
    let x_range = match frame.layout {
        Layout::Dots => -0.5f64..(frame.count as f64 - 0.5),
        Layout::Groups { .. } => -0.5f64..(frame.groups.len() as f64 - 0.5),
        Layout::Lines { .. } => range(
            lines.iter().flat_map(|l| l.values.iter().map(|v| v.0)),
            false,
        ),
    };
    // The axis fits the intervals, so small differences show.
    let y_range = range(
        lines
            .iter()
            .flat_map(|l| l.values.iter().flat_map(|v| [v.1.1, v.1.2])),
        false,
    );
    let (panel_w, _) = panel.dim_in_pixel();
    // Group names go under their groups when they fit the panel's width.
    let names_fit = frame
        .groups
        .iter()
        .map(|g| 8 * g.chars().count() as u32 + 12)
        .sum::<u32>()
        < panel_w.saturating_sub(100);
    let labelled = match frame.layout {
        Layout::Lines { .. } => true,
        Layout::Groups { .. } => names_fit || frame.numbered,
        Layout::Dots => frame.numbered,
    };
    let mut chart = ChartBuilder::on(panel)
        .caption(desc, caption())
        .margin(10)
        .x_label_area_size(if labelled { 40 } else { 10 })
        .y_label_area_size(80)
        .build_cartesian_2d(x_range, y_range)
        .map_err(err)?;
    let at_integer = |x: &f64| (x - x.round()).abs() < 1e-6;
    let group_name = |x: &f64| {
        if at_integer(x) {
            let i = x.round() as usize;
            match frame.groups.get(i) {
                Some(g) if names_fit => g.clone(),
                Some(_) => format!("#{i}"),
                None => String::new(),
            }
        } else {
            String::new()
        }
    };
    let point_number = |x: &f64| {
        if at_integer(x) {
            format!("#{}", x.round())
        } else {
            String::new()
        }
    };
    let mut mesh = chart.configure_mesh();
    mesh.y_label_formatter(&tick)
        .light_line_style(WHITE.mix(0.0))
        .label_style(label())
        .axis_desc_style((FONT, 14));
    match frame.layout {
        Layout::Lines { .. } => {
            mesh.x_label_formatter(&tick)
                .x_labels(6)
                .x_desc(frame.x_name);
        }
        Layout::Groups { .. } => {
            mesh.disable_x_mesh()
                .x_labels(frame.groups.len() * 2 + 1)
                .x_label_formatter(&group_name);
            if names_fit {
                mesh.x_desc(frame.x_name);
            }
        }
        Layout::Dots if frame.numbered => {
            mesh.disable_x_mesh()
                .x_labels(frame.count.min(20) * 2 + 1)
                .x_label_formatter(&point_number);
        }
        Layout::Dots => {
            mesh.disable_x_mesh().x_labels(0);
        }
    }
    mesh.draw().map_err(err)?;
    for l in lines {
        if let Layout::Lines { .. } = frame.layout {
            let mut band: Vec<(f64, f64)> = l.values.iter().map(|v| (v.0, v.1.2)).collect();
            band.extend(l.values.iter().rev().map(|v| (v.0, v.1.1)));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band,
                    l.color.mix(0.2).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(LineSeries::new(
                    l.values.iter().map(|v| (v.0, v.1.0)),
                    l.color.stroke_width(2),
                ))
                .map_err(err)?;
        } else {
            chart
                .draw_series(l.values.iter().map(|&(x, (mean, lo, hi))| {
                    ErrorBar::new_vertical(x, lo, mean, hi, l.color.stroke_width(3), 12)
                }))
                .map_err(err)?;
        }
        chart
            .draw_series(
                l.values
                    .iter()
                    .map(|&(x, (mean, _, _))| Circle::new((x, mean), 5, l.color.filled())),
            )
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_entries_wrap_to_the_width() {
        // Entries of 10 characters take 40 + 80 + 20 = 140 px: three fit in 450 px.
        let names: Vec<String> = (0..7).map(|i| format!("setting {i:02}")).collect();
        let rows = legend_rows(&names, 450);
        assert_eq!(rows, vec![vec![0, 1, 2], vec![3, 4, 5], vec![6]]);
    }
}
