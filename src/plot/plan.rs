//! The charts and report of a capacity plan, drawn from `plan.json`: each target metric
//! against the sized key (mean and 95 % interval per probe, the target line, the answer
//! marked), the cost against the sized key, and the cost of each alternative at its answer
//! as stacked bars of its parts.

use super::render::{
    Draw, DrawResult, Drawn, PALETTE, caption, err, keep, label, legend, range, render, tick,
};
use super::{PlotError, chart_files};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde_json::Value;

type Area<'a, DB> = DrawingArea<DB, Shift>;

/// One probe on a chart: (value, mean, 95 % low, 95 % high).
type Dot = (f64, f64, f64, f64);

/// The probes of `metric` of each alternative, in rank order.
fn series(plan: &Value, metric: &str) -> Vec<(String, Vec<Dot>)> {
    let mut out: Vec<(String, Vec<Dot>)> = vec![];
    for p in plan["points"].as_array().into_iter().flatten() {
        let alt = p["alternative"].as_str().unwrap_or("").to_string();
        let m = &p["metrics"][metric];
        let (Some(v), Some(mean)) = (p["value"].as_f64(), m["mean"].as_f64()) else {
            continue;
        };
        let lo = m["ci95_low"].as_f64().unwrap_or(mean);
        let hi = m["ci95_high"].as_f64().unwrap_or(mean);
        match out.iter_mut().find(|(a, _)| *a == alt) {
            Some((_, pts)) => pts.push((v, mean, lo, hi)),
            None => out.push((alt, vec![(v, mean, lo, hi)])),
        }
    }
    out
}

/// The probed values whose queue does not settle, per alternative (their metrics say
/// nothing about the service: drawn hollow).
fn unsettled(plan: &Value) -> Vec<(String, f64)> {
    plan["points"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["unsettled"].is_string())
        .filter_map(|p| Some((p["alternative"].as_str()?.to_string(), p["value"].as_f64()?)))
        .collect()
}

/// An alternative's label for a chart: the values it sets, without the key paths, cut to
/// 40 characters (`base` stays `base`).
fn short(label: &str) -> String {
    let values: Vec<&str> = label
        .split(", ")
        .map(|kv| kv.split_once(" = ").map_or(kv, |(_, v)| v))
        .collect();
    let text = values.join(" / ");
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(39).collect::<String>())
    } else {
        text
    }
}

/// The sized key's values of each alternative's answer.
fn answers(plan: &Value) -> Vec<(String, f64)> {
    plan["alternatives"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| Some((a["alternative"].as_str()?.to_string(), a["value"].as_f64()?)))
        .collect()
}

struct Metric<'a> {
    plan: &'a Value,
    metric: String,
    target: Option<(String, f64)>,
}

impl Draw for Metric<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let data = series(self.plan, &self.metric);
        let vary = self.plan["vary"].as_str().unwrap_or("value");
        let xs = data.iter().flat_map(|(_, p)| p.iter().map(|q| q.0));
        // Far-off probes (an overloaded end of the range) would flatten the rest: the axis
        // stops at four times the target (or the largest interval below that), and probes
        // above are drawn at the top with their value.
        let highs = data.iter().flat_map(|(_, p)| p.iter().map(|q| q.3));
        let top = match &self.target {
            Some((_, b)) if b.abs() > 0.0 => {
                let cap = 4.0 * b.abs();
                highs.filter(|h| *h <= cap).fold(cap, f64::max)
            }
            _ => highs.fold(f64::NEG_INFINITY, f64::max),
        };
        let ys = data
            .iter()
            .flat_map(|(_, p)| p.iter().flat_map(|q| [q.2, q.3]))
            .chain(self.target.iter().map(|t| t.1))
            .map(|y| y.min(top));
        let title = match &self.target {
            Some((side, bound)) => format!(
                "{} per probed {vary} (target: {side} {})",
                self.metric,
                tick(bound)
            ),
            None => format!("{} per probed {vary}", self.metric),
        };
        let x_range = range(xs, false);
        let mut chart = ChartBuilder::on(root)
            .caption(title, caption())
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(90)
            .build_cartesian_2d(x_range.clone(), range(ys, true))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .light_line_style(WHITE.mix(0.0))
            .x_desc(vary)
            .y_desc(format!("{} (mean, 95 % CI)", self.metric))
            .label_style(label())
            .axis_desc_style(label())
            .draw()
            .map_err(err)?;
        if let Some((_, bound)) = &self.target {
            let b = *bound;
            chart
                .draw_series(DashedLineSeries::new(
                    [(x_range.start, b), (x_range.end, b)],
                    8,
                    6,
                    BLACK.mix(0.7).stroke_width(2),
                ))
                .map_err(err)?
                .label("target")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2))
                });
        }
        let answers = answers(self.plan);
        let hollow = unsettled(self.plan);
        let mut any_hollow = false;
        for (i, (alt, pts)) in data.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            let is_hollow = |v: f64| hollow.iter().any(|(a, x)| a == alt && *x == v);
            any_hollow |= pts.iter().any(|q| is_hollow(q.0));
            let clip = |q: &Dot| (q.0, q.1.min(top), q.2.min(top), q.3.min(top));
            chart
                .draw_series(
                    pts.iter().map(clip).map(|q| {
                        ErrorBar::new_vertical(q.0, q.2, q.1, q.3, color.stroke_width(2), 10)
                    }),
                )
                .map_err(err)?;
            chart
                .draw_series(pts.iter().map(clip).map(|q| {
                    let style = if is_hollow(q.0) {
                        color.stroke_width(2)
                    } else {
                        color.filled()
                    };
                    Circle::new((q.0, q.1), 5, style)
                }))
                .map_err(err)?
                .label(short(alt))
                .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
            chart
                .draw_series(pts.iter().filter(|q| q.1 > top).map(|q| {
                    EmptyElement::at((q.0, top))
                        + TriangleMarker::new((0, 0), 7, color.filled())
                        + Text::new(
                            format!("↑ {}", tick(&q.1)),
                            (10, 2 + 18 * i as i32),
                            label(),
                        )
                }))
                .map_err(err)?;
            if let Some(&(_, v)) = answers.iter().find(|(a, _)| a == alt)
                && let Some(q) = pts.iter().find(|q| q.0 == v)
            {
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((q.0, q.1.min(top)))
                            + Circle::new((0, 0), 11, color.stroke_width(3))
                            + Text::new(format!("answer {}", tick(&v)), (14, -22), label()),
                    ))
                    .map_err(err)?;
            }
        }
        if any_hollow {
            // A legend entry for the hollow markers.
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                .map_err(err)?
                .label("hollow: queue does not settle (metrics not meaningful)")
                .legend(|(x, y)| Circle::new((x + 10, y), 5, BLACK.stroke_width(2)));
        }
        // Waits fall and costs rise with capacity: the legend goes where the probes are not.
        let corner = match &self.target {
            Some((side, _)) if side == "at least" => SeriesLabelPosition::LowerRight,
            Some(_) => SeriesLabelPosition::UpperRight,
            None => SeriesLabelPosition::UpperLeft,
        };
        legend(&mut chart, corner)
    }
}

/// The parts of an alternative's cost at its answer (`tco` breakdown), as (name, amount).
fn parts(a: &Value) -> Vec<(String, f64)> {
    a["tco"]["parts"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.as_f64()?)))
        .collect()
}

struct Tco<'a>(&'a Value);

impl Draw for Tco<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult {
        let alts: Vec<&Value> = self.0["alternatives"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| !parts(a).is_empty())
            .collect();
        let names: Vec<String> = alts
            .first()
            .map(|a| parts(a))
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.0)
            .collect();
        let top = alts
            .iter()
            .map(|a| parts(a).iter().map(|p| p.1).sum::<f64>())
            .fold(0.0, f64::max);
        let n = alts.len();
        let mut chart = ChartBuilder::on(root)
            .caption(
                "total cost of ownership of each alternative at its answer",
                caption(),
            )
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(90)
            // Headroom above the tallest bar for the legend.
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0.0..(top * 1.45).max(1.0))
            .map_err(err)?;
        let labels: Vec<String> = alts
            .iter()
            .map(|a| {
                format!(
                    "{} × {}",
                    a["value"].as_i64().unwrap_or(0),
                    short(a["alternative"].as_str().unwrap_or(""))
                )
            })
            .collect();
        chart
            .configure_mesh()
            .y_label_formatter(&tick)
            .light_line_style(WHITE.mix(0.0))
            .x_labels(n.max(1))
            .x_label_formatter(&|x: &f64| {
                if (x - x.round()).abs() < 1e-6 {
                    labels.get(x.round() as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .disable_x_mesh()
            .y_desc("cost over the horizon")
            .label_style(label())
            .axis_desc_style(label())
            .draw()
            .map_err(err)?;
        for (k, name) in names.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let bars: Vec<(f64, f64, f64)> = alts
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let p = parts(a);
                    let below: f64 = p.iter().take(k).map(|q| q.1).sum();
                    let mine = p.get(k).map_or(0.0, |q| q.1);
                    (i as f64, below, below + mine)
                })
                .collect();
            chart
                .draw_series(bars.into_iter().map(|(x, lo, hi)| {
                    Rectangle::new([(x - 0.3, lo), (x + 0.3, hi)], color.filled())
                }))
                .map_err(err)?
                .label(name.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled())
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

/// The plan's charts that have data; the second list names the skipped ones and why.
pub fn charts(plan: &Value) -> Result<Drawn, PlotError> {
    let mut drawn: Drawn = (vec![], vec![]);
    for t in plan["targets"].as_array().into_iter().flatten() {
        let Some(metric) = t["metric"].as_str() else {
            continue;
        };
        let target = ["at_most", "at_least"]
            .iter()
            .find_map(|side| t[*side].as_f64().map(|b| (side.replace('_', " "), b)));
        let chart = Metric {
            plan,
            metric: metric.to_string(),
            target,
        };
        keep(
            &mut drawn,
            render(
                &format!("plan_{metric}"),
                &format!("{metric} against the sized key"),
                &chart,
            ),
        )?;
    }
    let cost = if series(plan, "tco_total").is_empty() {
        "total_cost"
    } else {
        "tco_total"
    };
    if series(plan, cost).is_empty() {
        drawn
            .1
            .push(("plan_cost".into(), "no probe has a cost".into()));
    } else {
        let chart = Metric {
            plan,
            metric: cost.to_string(),
            target: None,
        };
        keep(
            &mut drawn,
            render(
                "plan_cost",
                &format!("{cost} against the sized key"),
                &chart,
            ),
        )?;
    }
    let priced = plan["alternatives"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| !parts(x).is_empty()));
    if priced {
        keep(
            &mut drawn,
            render(
                "plan_tco",
                "Total cost of ownership per alternative",
                &Tco(plan),
            ),
        )?;
    } else {
        drawn.1.push((
            "plan_tco".into(),
            "no alternative has an answer priced with [costs] and pool prices".into(),
        ));
    }
    Ok(drawn)
}

/// The charts and `report.html` of a plan, from its `plan.json` bytes.
pub fn plan_outputs(plan_json: &[u8], title: &str) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    let plan: Value = serde_json::from_slice(plan_json).map_err(|e| PlotError::Input {
        path: "plan.json".into(),
        message: e.to_string(),
    })?;
    let (charts, skipped) = charts(&plan)?;
    let mut out = chart_files(&charts);
    out.push((
        crate::report::files::REPORT_HTML.to_string(),
        super::html::plan_report(title, &plan, &charts, &skipped).into_bytes(),
    ));
    Ok(out)
}
