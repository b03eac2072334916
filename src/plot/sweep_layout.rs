//! How a sweep's points are laid out on its metric charts (lines against a numeric axis,
//! groups of a categorical one, or dots), and the units a metric reads in at its size.

use super::data_sweep::PointRow;

/// How the points are laid out.
#[derive(Debug, Clone, PartialEq)]
pub enum Layout {
    /// Lines against the numeric axis `x` (an axis key path), one per value of `series`.
    Lines {
        /// The numeric axis on the x axis.
        x: String,
        /// The axis whose values name the lines, if two axes vary.
        series: Option<String>,
    },
    /// Grouped by the values of the categorical axis `x` (named on the x axis): a dot and
    /// whisker per point, coloured by the value of `series` (or by point, when alone).
    Groups {
        /// The axis whose values name the groups.
        x: String,
        /// The axis whose values name the colours, if two axes vary.
        series: Option<String>,
    },
    /// One dot per point, coloured, named in the legend.
    Dots,
}

/// The layout for these points: lines when one axis varies and is numeric, or two vary and
/// one is (the numeric one with more values on x); groups when the axes are categorical (with
/// two, the one with the shorter names on x); dots otherwise.
pub fn layout(points: &[PointRow]) -> Layout {
    let mut varying: Vec<(String, Vec<String>)> = vec![];
    for p in points {
        for (a, v) in &p.axes {
            match varying.iter_mut().find(|(name, _)| name == a) {
                Some((_, values)) if !values.contains(v) => values.push(v.clone()),
                Some(_) => {}
                None => varying.push((a.clone(), vec![v.clone()])),
            }
        }
    }
    varying.retain(|(_, values)| values.len() > 1);
    let numeric = |values: &[String]| values.iter().all(|v| v.parse::<f64>().is_ok());
    // Every point must set every varying axis, once per combination.
    let complete = points.iter().all(|p| {
        varying
            .iter()
            .all(|(a, _)| p.axes.iter().any(|(name, _)| name == a))
    });
    let mut keys: Vec<Vec<&String>> = points
        .iter()
        .map(|p| p.axes.iter().map(|(_, v)| v).collect())
        .collect();
    keys.sort();
    keys.dedup();
    if !complete || keys.len() != points.len() {
        return Layout::Dots;
    }
    let names = |values: &[String]| values.iter().map(|v| v.chars().count()).sum::<usize>();
    match varying.as_slice() {
        [(a, values)] if numeric(values) => Layout::Lines {
            x: a.clone(),
            series: None,
        },
        [(a, _)] => Layout::Groups {
            x: a.clone(),
            series: None,
        },
        [(a, va), (b, vb)] => match (numeric(va), numeric(vb)) {
            (true, true) if vb.len() > va.len() => Layout::Lines {
                x: b.clone(),
                series: Some(a.clone()),
            },
            (true, _) => Layout::Lines {
                x: a.clone(),
                series: Some(b.clone()),
            },
            (false, true) => Layout::Lines {
                x: b.clone(),
                series: Some(a.clone()),
            },
            (false, false) if names(vb) < names(va) => Layout::Groups {
                x: b.clone(),
                series: Some(a.clone()),
            },
            (false, false) => Layout::Groups {
                x: a.clone(),
                series: Some(b.clone()),
            },
        },
        _ => Layout::Dots,
    }
}

/// A metric's display unit: the factor its values are multiplied by and the axis caption.
pub fn unit(key: &str, name: &str, largest: f64, currency: &str) -> (f64, String) {
    match key {
        "total_cost" | "energy_cost" | "demand_cost" if !currency.is_empty() => {
            (1.0, format!("{name} [{currency}]"))
        }
        "carbon_kg" if largest >= 10_000.0 => (1e-3, format!("{name} [t]")),
        "carbon_kg" => (1.0, format!("{name} [kg]")),
        "facility_energy_kwh" | "it_energy_kwh" if largest >= 1e6 => {
            (1e-3, format!("{name} [MWh]"))
        }
        "facility_energy_kwh" | "it_energy_kwh" => (1.0, format!("{name} [kWh]")),
        k if k.ends_with("_wait_s") && largest >= 7_200.0 => (1.0 / 3600.0, format!("{name} [h]")),
        k if k.ends_with("_wait_s") && largest >= 120.0 => (1.0 / 60.0, format!("{name} [min]")),
        k if k.ends_with("_wait_s") => (1.0, format!("{name} [s]")),
        _ => (1.0, name.to_string()),
    }
}

/// The points' currency, or "mixed currencies" when they differ.
pub fn currency(points: &[PointRow]) -> String {
    let mut all: Vec<&str> = points
        .iter()
        .map(|p| p.currency.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    all.dedup();
    match all.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        _ => "mixed currencies".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(axes: &[(&str, &str)]) -> PointRow {
        PointRow {
            label: String::new(),
            axes: axes
                .iter()
                .map(|(a, v)| (a.to_string(), v.to_string()))
                .collect(),
            currency: "USD".into(),
            metrics: Default::default(),
        }
    }

    #[test]
    fn layout_follows_the_axes() {
        // One numeric axis: lines against it.
        let nodes = [
            point(&[("pools.0.nodes", "64")]),
            point(&[("pools.0.nodes", "96")]),
        ];
        assert_eq!(
            layout(&nodes),
            Layout::Lines {
                x: "pools.0.nodes".into(),
                series: None
            }
        );
        // A categorical axis and a numeric one: x is the numeric one, a line per device.
        let hw: Vec<PointRow> = ["A100", "H100"]
            .iter()
            .flat_map(|d| {
                ["1.1", "1.4"]
                    .iter()
                    .map(move |p| point(&[("pools.0.device", d), ("facility.pue", p)]))
            })
            .collect();
        assert_eq!(
            layout(&hw),
            Layout::Lines {
                x: "facility.pue".into(),
                series: Some("pools.0.device".into())
            }
        );
        // Only categorical values, or a repeated combination: dots.
        // A categorical axis: groups; two, with the shorter names on x.
        let policies = [
            point(&[("scheduler.policy", "fifo")]),
            point(&[("scheduler.policy", "easy")]),
        ];
        assert_eq!(
            layout(&policies),
            Layout::Groups {
                x: "scheduler.policy".into(),
                series: None
            }
        );
        let both: Vec<PointRow> = ["fifo", "conservative-backfill"]
            .iter()
            .flat_map(|p| {
                ["none", "carbon"]
                    .iter()
                    .map(move |s| point(&[("scheduler.policy", p), ("scheduler.shift.signal", s)]))
            })
            .collect();
        assert_eq!(
            layout(&both),
            Layout::Groups {
                x: "scheduler.shift.signal".into(),
                series: Some("scheduler.policy".into())
            }
        );
        let repeated = [
            point(&[("pools.0.nodes", "64")]),
            point(&[("pools.0.nodes", "64")]),
        ];
        assert_eq!(layout(&repeated), Layout::Dots);
    }

    #[test]
    fn units_read_at_their_size() {
        // 5,400 s is 90 min; 9,000 s is 2.5 h; 25,000 kg is 25 t.
        assert_eq!(
            unit("p95_wait_s", "wait", 5_400.0, "USD"),
            (1.0 / 60.0, "wait [min]".into())
        );
        assert_eq!(unit("p95_wait_s", "wait", 9_000.0, "USD").1, "wait [h]");
        assert_eq!(unit("p95_wait_s", "wait", 30.0, "USD").1, "wait [s]");
        assert_eq!(
            unit("carbon_kg", "CO2e", 25_000.0, "USD"),
            (1e-3, "CO2e [t]".into())
        );
        assert_eq!(
            unit("total_cost", "total cost", 1.0, "EUR").1,
            "total cost [EUR]"
        );
    }
}
