//! Grid carbon: the intensity of the electricity over time (average, optionally marginal),
//! market-based accounting with contracted clean energy, and embodied carbon of the hardware.

pub mod market;

pub use market::{MarketContract, MarketResult};

use crate::model::series::StepSeries;
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

/// An intensity series [g/kWh], stepwise between rows.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesIntensity {
    /// The series, in g/kWh.
    pub series: StepSeries,
    /// UTC instant of simulation time 0 [ms since the epoch].
    pub epoch_ms: i64,
}

impl CarbonIntensity for SeriesIntensity {
    #[inline]
    fn g_per_kwh(&self, t: SimTime) -> f64 {
        self.series.value_at(self.epoch_ms + t as i64)
    }
    fn next_edge_after(&self, t: SimTime) -> Option<SimTime> {
        self.series
            .next_change_after(self.epoch_ms + t as i64)
            .map(|abs| (abs - self.epoch_ms).max(0) as SimTime)
    }
}

/// An intensity that declines by a share each year of the run (a grid getting cleaner): the
/// inner intensity times `(1 − d)^⌊t / 365 d⌋`, changing at each year of 365 days from the
/// start.
#[derive(Debug, Clone)]
pub struct DecliningIntensity {
    /// The intensity before decline.
    pub inner: std::sync::Arc<dyn CarbonIntensity>,
    /// Yearly decline [fraction], 0..1.
    pub decline_per_year: f64,
}

/// A year of the run [ms] (365 days).
const YEAR_MS: SimTime = 365 * crate::time::MS_PER_DAY;

impl CarbonIntensity for DecliningIntensity {
    #[inline]
    fn g_per_kwh(&self, t: SimTime) -> f64 {
        self.inner.g_per_kwh(t) * (1.0 - self.decline_per_year).powi((t / YEAR_MS) as i32)
    }
    fn next_edge_after(&self, t: SimTime) -> Option<SimTime> {
        let year = (t / YEAR_MS + 1).saturating_mul(YEAR_MS);
        Some(self.inner.next_edge_after(t).map_or(year, |e| e.min(year)))
    }
}

/// The grid a site draws from.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Average (location-based) intensity.
    pub average: std::sync::Arc<dyn CarbonIntensity>,
    /// Marginal intensity, when given.
    pub marginal: Option<std::sync::Arc<dyn CarbonIntensity>>,
    /// Contracted clean energy, for market-based accounting.
    pub market: Option<MarketContract>,
}

impl Grid {
    /// A constant average intensity, nothing else.
    pub fn constant(g_per_kwh: f64) -> Grid {
        Grid {
            average: std::sync::Arc::new(ConstantIntensity { g_per_kwh }),
            marginal: None,
            market: None,
        }
    }
}

/// Hours in the year used to amortise embodied carbon [h] (365 days).
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// Embodied carbon [kg] amortised over `span_h` of a lifetime of `lifetime_years`.
pub fn amortised_kg(embodied_kg: f64, lifetime_years: f64, span_h: f64) -> f64 {
    if lifetime_years <= 0.0 {
        return 0.0;
    }
    embodied_kg * span_h / (lifetime_years * HOURS_PER_YEAR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embodied_carbon_over_thirty_days_of_five_years() {
        // 1,500 kg over 5 years × 8,760 h = 43,800 h; 30 days = 720 h → 1500 × 720 / 43800
        // = 24.6575 kg.
        assert!((amortised_kg(1500.0, 5.0, 720.0) - 1500.0 * 720.0 / 43_800.0).abs() < 1e-12);
        assert_eq!(amortised_kg(1500.0, 0.0, 720.0), 0.0);
    }

    #[test]
    fn series_intensity_steps_at_its_rows() {
        let s = SeriesIntensity {
            series: StepSeries {
                times_ms: vec![1_000, 3_601_000],
                values: vec![100.0, 300.0],
                end_ms: 7_201_000,
                repeat: crate::model::series::Repeat::No,
            },
            epoch_ms: 1_000,
        };
        assert_eq!(s.g_per_kwh(0), 100.0);
        assert_eq!(s.g_per_kwh(3_600_000), 300.0);
        assert_eq!(s.next_edge_after(0), Some(3_600_000));
    }
}
