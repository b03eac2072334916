//! Grid carbon intensity over time. A constant here; hourly and marginal series implement the
//! same trait.

use crate::time::SimTime;
use std::fmt::Debug;

/// A grid carbon-intensity source.
pub trait CarbonIntensity: Debug + Send + Sync {
    /// Intensity [gCO2e/kWh] at time `t` [ms].
    fn g_per_kwh(&self, t: SimTime) -> f64;
    /// The first time after `t` at which the intensity may change [ms].
    fn next_edge_after(&self, _t: SimTime) -> Option<SimTime> {
        None
    }
}

/// A constant intensity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantIntensity {
    /// Intensity [gCO2e/kWh], ≥ 0.
    pub g_per_kwh: f64,
}

impl CarbonIntensity for ConstantIntensity {
    fn g_per_kwh(&self, _t: SimTime) -> f64 {
        self.g_per_kwh
    }
}
