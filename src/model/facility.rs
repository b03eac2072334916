//! The building: how IT power becomes facility power (PUE). Constant PUE here; load curves and
//! weather-driven cooling implement the same trait.

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
}

/// A constant PUE.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantPue {
    /// PUE [-], ≥ 1.
    pub pue: f64,
}

impl Facility for ConstantPue {
    fn pue(&self, _t: SimTime, _load_fraction: f64) -> f64 {
        self.pue
    }
}
