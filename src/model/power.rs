//! Device power curves: `P(u) = idle + (max − idle) · f(u)` with `f` linear, a power law, or a
//! measured table of (utilisation, watts) points.

/// The shape of a device's power draw against utilisation.
#[derive(Debug, Clone, PartialEq)]
pub enum PowerCurve {
    /// `f(u) = u`.
    Linear,
    /// `f(u) = u^exponent` (exponent > 0).
    PowerLaw {
        /// Exponent `k` [-].
        exponent: f64,
    },
    /// Measured points (utilisation [0..1], power [W]), sorted by utilisation, first at 0 and
    /// last at 1; power is interpolated linearly between points.
    Table {
        /// (utilisation [-], power [W]) pairs.
        points: Vec<(f64, f64)>,
    },
}

impl PowerCurve {
    /// Device power [W] at utilisation `u` (clamped to 0..1) for a device with the given idle
    /// and maximum draw [W]. A table ignores `idle_w` and `max_w`: its points are absolute.
    #[inline]
    pub fn power_w(&self, idle_w: f64, max_w: f64, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match self {
            PowerCurve::Linear => idle_w + (max_w - idle_w) * u,
            PowerCurve::PowerLaw { exponent } => idle_w + (max_w - idle_w) * u.powf(*exponent),
            PowerCurve::Table { points } => interpolate(points, u),
        }
    }

    /// Short name used in reports and the catalog listing.
    pub fn label(&self) -> String {
        match self {
            PowerCurve::Linear => "linear".to_string(),
            PowerCurve::PowerLaw { exponent } => format!("power_law(k={exponent})"),
            PowerCurve::Table { points } => format!("table({} points)", points.len()),
        }
    }
}

/// Piecewise-linear interpolation of `(x, y)` points sorted by x at `u`; held flat outside
/// the table.
pub fn interpolate(points: &[(f64, f64)], u: f64) -> f64 {
    match points {
        [] => 0.0,
        [(_, w)] => *w,
        _ => {
            let i = points.partition_point(|(x, _)| *x <= u);
            if i == 0 {
                return points[0].1;
            }
            if i == points.len() {
                return points[points.len() - 1].1;
            }
            let (x0, y0) = points[i - 1];
            let (x1, y1) = points[i];
            if x1 == x0 {
                y1
            } else {
                y0 + (y1 - y0) * (u - x0) / (x1 - x0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_curve() {
        // 60 W idle, 400 W max at u = 0.8: 60 + 340 × 0.8 = 332 W.
        assert!((PowerCurve::Linear.power_w(60.0, 400.0, 0.8) - 332.0).abs() < 1e-12);
        // Clamped above 1.
        assert_eq!(PowerCurve::Linear.power_w(60.0, 400.0, 1.7), 400.0);
    }

    #[test]
    fn power_law_curve() {
        // k = 2 at u = 0.5: 100 + 200 × 0.25 = 150 W.
        let c = PowerCurve::PowerLaw { exponent: 2.0 };
        assert!((c.power_w(100.0, 300.0, 0.5) - 150.0).abs() < 1e-12);
    }

    #[test]
    fn table_curve_interpolates_between_points() {
        let c = PowerCurve::Table {
            points: vec![(0.0, 50.0), (0.5, 250.0), (1.0, 300.0)],
        };
        // u = 0.25: halfway 50 → 250 = 150 W; u = 0.75: halfway 250 → 300 = 275 W.
        assert!((c.power_w(0.0, 0.0, 0.25) - 150.0).abs() < 1e-12);
        assert!((c.power_w(0.0, 0.0, 0.75) - 275.0).abs() < 1e-12);
        assert_eq!(c.power_w(0.0, 0.0, 0.0), 50.0);
        assert_eq!(c.power_w(0.0, 0.0, 1.0), 300.0);
        assert_eq!(c.power_w(0.0, 0.0, 0.5), 250.0);
    }
}
