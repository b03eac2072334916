//! The site: facility, tariff and grid together. Facility and grid are the rates the meter
//! integrates; the tariff is applied by a biller.

use super::carbon::Grid;
use super::facility::Facility;
use super::tariff::Tariff;
use crate::meter::Rates;
use crate::time::MS_PER_HOUR_I64;
use crate::time::SimTime;
use std::sync::Arc;

/// Facility, tariff and grid of one site.
#[derive(Debug, Clone)]
pub struct Site {
    /// PUE and water model.
    pub facility: Arc<dyn Facility>,
    /// Utility tariff.
    pub tariff: Arc<Tariff>,
    /// Grid carbon intensity and clean-energy contracts.
    pub grid: Grid,
    /// UTC instant of simulation time 0 [ms since the epoch].
    pub epoch_ms: i64,
}

impl Site {
    /// Whether consumption must be binned by UTC hour (hourly clean-energy matching).
    pub fn needs_hourly(&self) -> bool {
        self.grid.market.is_some()
    }
}

impl Rates for &Site {
    #[inline]
    fn pue(&self, t: SimTime, load_fraction: f64) -> f64 {
        self.facility.pue(t, load_fraction)
    }
    #[inline]
    fn intensity_g_per_kwh(&self, t: SimTime) -> f64 {
        self.grid.average.g_per_kwh(t)
    }
    #[inline]
    fn marginal_g_per_kwh(&self, t: SimTime) -> f64 {
        self.grid.marginal.as_ref().map_or(0.0, |m| m.g_per_kwh(t))
    }
    #[inline]
    fn outdoor_c(&self, t: SimTime) -> Option<f64> {
        self.facility.outdoor_c(t)
    }
    #[inline]
    fn wue_l_per_kwh(&self, t: SimTime) -> f64 {
        self.facility.wue_l_per_kwh(t)
    }
    fn pue_load_independent(&self) -> bool {
        self.facility.load_independent()
    }
    fn next_edge_after(&self, t: SimTime) -> Option<SimTime> {
        let hour_edge = self.needs_hourly().then(|| {
            let abs = self.epoch_ms + t as i64;
            ((abs.div_euclid(MS_PER_HOUR_I64) + 1) * MS_PER_HOUR_I64 - self.epoch_ms) as SimTime
        });
        [
            self.facility.next_edge_after(t),
            self.grid.average.next_edge_after(t),
            self.grid
                .marginal
                .as_ref()
                .and_then(|m| m.next_edge_after(t)),
            hour_edge,
        ]
        .into_iter()
        .flatten()
        .min()
    }
}
