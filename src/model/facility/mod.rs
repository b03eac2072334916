//! The building: how IT power becomes facility power (PUE) and how much water cooling uses.
//! A constant PUE, a PUE curve over IT load, or a parametric cooling model driven by weather.

pub mod cooling;
pub mod weather;

pub use cooling::{CoolingModel, CoolingParams};
pub use weather::Weather;

use crate::time::SimTime;
use std::fmt::Debug;

/// A facility overhead model.
pub trait Facility: Debug + Send + Sync {
    /// PUE [-] (≥ 1) at time `t` [ms] for an IT load fraction [0..1] of the installed capacity.
    fn pue(&self, t: SimTime, load_fraction: f64) -> f64;
    /// The first time after `t` at which the PUE may change for a fixed load [ms].
    fn next_edge_after(&self, _t: SimTime) -> Option<SimTime> {
        None
    }
    /// Outdoor dry-bulb temperature [°C] at `t`, when the model knows the weather.
    fn outdoor_c(&self, _t: SimTime) -> Option<f64> {
        None
    }
    /// Water usage effectiveness [L per kWh of IT energy] at `t`.
    fn wue_l_per_kwh(&self, _t: SimTime) -> f64 {
        0.0
    }
    /// Whether the PUE is the same at every load (it may still change at the model's time
    /// edges), so it can be read once per edge instead of once per change of load.
    fn load_independent(&self) -> bool {
        false
    }
}

/// A constant PUE and water usage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantPue {
    /// PUE [-], ≥ 1.
    pub pue: f64,
    /// Water usage effectiveness [L/kWh of IT energy].
    pub wue_l_per_kwh: f64,
}

impl Facility for ConstantPue {
    fn pue(&self, _t: SimTime, _load_fraction: f64) -> f64 {
        self.pue
    }
    fn load_independent(&self) -> bool {
        true
    }
    fn wue_l_per_kwh(&self, _t: SimTime) -> f64 {
        self.wue_l_per_kwh
    }
}

/// PUE as a curve over the IT load fraction (part-load PUE rises): points (load, PUE) sorted by
/// load, interpolated linearly, held flat beyond the ends.
#[derive(Debug, Clone, PartialEq)]
pub struct PueCurve {
    /// (IT load fraction [0..1], PUE [-]) points.
    pub points: Vec<(f64, f64)>,
    /// Water usage effectiveness [L/kWh of IT energy].
    pub wue_l_per_kwh: f64,
}

impl Facility for PueCurve {
    fn pue(&self, _t: SimTime, load_fraction: f64) -> f64 {
        crate::model::power::interpolate(&self.points, load_fraction.clamp(0.0, 1.0))
    }
    fn wue_l_per_kwh(&self, _t: SimTime) -> f64 {
        self.wue_l_per_kwh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pue_curve_at_two_loads() {
        // (0.2, 1.6) and (1.0, 1.2): at load 0.6 halfway → 1.4; at 0.2 → 1.6; below → held 1.6.
        let c = PueCurve {
            points: vec![(0.2, 1.6), (1.0, 1.2)],
            wue_l_per_kwh: 0.0,
        };
        assert!((c.pue(0, 0.6) - 1.4).abs() < 1e-12);
        assert_eq!(c.pue(0, 0.2), 1.6);
        assert_eq!(c.pue(0, 0.05), 1.6);
        assert_eq!(c.pue(0, 1.0), 1.2);
    }
}
