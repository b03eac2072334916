//! The site: facility, tariff and grid together. Facility and grid are the rates the meter
//! integrates; the tariff is applied by a biller.

use super::carbon::CarbonIntensity;
use super::facility::Facility;
use super::tariff::Tariff;
use crate::engine::Rates;
use crate::time::SimTime;
use std::sync::Arc;

/// Facility, tariff and carbon intensity of one site.
#[derive(Debug, Clone)]
pub struct Site {
    /// PUE model.
    pub facility: Arc<dyn Facility>,
    /// Utility tariff.
    pub tariff: Arc<Tariff>,
    /// Grid carbon intensity.
    pub carbon: Arc<dyn CarbonIntensity>,
}

impl Rates for &Site {
    #[inline]
    fn pue(&self, t: SimTime, load_fraction: f64) -> f64 {
        self.facility.pue(t, load_fraction)
    }
    #[inline]
    fn intensity_g_per_kwh(&self, t: SimTime) -> f64 {
        self.carbon.g_per_kwh(t)
    }
    fn next_edge_after(&self, t: SimTime) -> Option<SimTime> {
        [
            self.facility.next_edge_after(t),
            self.carbon.next_edge_after(t),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}
