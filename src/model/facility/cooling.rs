//! A parametric cooling model driven by outdoor temperature. Facility power is
//!
//! `P_fac = P_IT · (1 + ups_loss + fans + mech(T)) + fixed`
//!
//! where `mech(T) = s(T) / COP(T)` is the mechanical (chiller) cooling per unit of IT heat:
//! `s(T)` is 0 at or below `economizer_max_c` (free cooling only), rises linearly to 1 over
//! `economizer_band_c` (partial economiser), and `COP(T) = max(cop_min, cop_rated −
//! cop_slope_per_c · (T − cop_rated_c))` falls as it gets hotter. Water: evaporative heat
//! rejection uses `wue_mechanical_l_per_kwh` per kWh of IT energy in proportion to `s(T)`,
//! `wue_free_l_per_kwh` otherwise.

use super::{Facility, Weather};
use crate::time::SimTime;

/// Parameters of the cooling model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoolingParams {
    /// UPS and power-distribution losses [fraction of IT power].
    pub ups_loss_fraction: f64,
    /// Fans, pumps and other cooling overhead present at all temperatures [fraction of IT].
    pub fan_fraction: f64,
    /// Highest outdoor temperature with full free cooling [°C].
    pub economizer_max_c: f64,
    /// Width of the partial-economiser band above it [°C].
    pub economizer_band_c: f64,
    /// Chiller coefficient of performance at `cop_rated_c` [-].
    pub cop_rated: f64,
    /// Outdoor temperature of the rated COP [°C].
    pub cop_rated_c: f64,
    /// Loss of COP per °C above the rating temperature [1/°C].
    pub cop_slope_per_c: f64,
    /// Floor of the COP [-].
    pub cop_min: f64,
    /// Lighting, offices and other fixed loads [kW].
    pub fixed_kw: f64,
    /// Water used while chillers / evaporative towers run [L per kWh of IT].
    pub wue_mechanical_l_per_kwh: f64,
    /// Water used under free cooling [L per kWh of IT].
    pub wue_free_l_per_kwh: f64,
}

impl CoolingParams {
    /// An air-cooled hall with air-side economiser and air-cooled chillers.
    ///
    /// Sources: free cooling up to 18 °C and partial economiser to 27 °C follow the ASHRAE
    /// TC 9.9 recommended inlet range (18–27 °C); COP 2.96 at 35 °C is the ASHRAE 90.1 minimum
    /// full-load efficiency of an air-cooled chiller (10.1 EER); the water figure is the US
    /// average on-site water intensity of 1.8 L/kWh (Shehabi et al., LBNL 2016). The 6 % UPS
    /// and distribution losses, 8 % fans and the COP slope are typical engineering figures,
    /// not from one source. Calibrate against a real site's metered PUE.
    pub const AIR_COOLED: CoolingParams = CoolingParams {
        ups_loss_fraction: 0.06,
        fan_fraction: 0.08,
        economizer_max_c: 18.0,
        economizer_band_c: 9.0,
        cop_rated: 2.96,
        cop_rated_c: 35.0,
        cop_slope_per_c: 0.06,
        cop_min: 1.5,
        fixed_kw: 0.0,
        wue_mechanical_l_per_kwh: 1.8,
        wue_free_l_per_kwh: 0.0,
    };

    /// A direct-liquid-cooled hall with warm facility water, dry coolers and water-cooled
    /// chillers as trim.
    ///
    /// Sources: ASHRAE liquid-cooling class W32 allows facility water up to 32 °C, so dry
    /// coolers (a few kelvin of approach) give free cooling up to about 27 °C outdoors, partial
    /// to 37 °C; COP 6.28 at 35 °C is the ASHRAE 90.1 minimum for large water-cooled
    /// centrifugal chillers (0.56 kW/ton); 4 % UPS and distribution and 3 % pumps and residual
    /// fans are typical figures for such halls. Calibrate for a real site.
    pub const LIQUID_COOLED: CoolingParams = CoolingParams {
        ups_loss_fraction: 0.04,
        fan_fraction: 0.03,
        economizer_max_c: 27.0,
        economizer_band_c: 10.0,
        // 0.56 kW of electricity per ton of refrigeration (3.51685 kW of heat): COP 6.28.
        cop_rated: 3.516_85 / 0.56,
        cop_rated_c: 35.0,
        cop_slope_per_c: 0.1,
        cop_min: 2.0,
        fixed_kw: 0.0,
        wue_mechanical_l_per_kwh: 1.8,
        wue_free_l_per_kwh: 0.0,
    };

    /// The share of heat removed mechanically at `t_c` [0..1].
    pub fn mechanical_share(&self, t_c: f64) -> f64 {
        if self.economizer_band_c <= 0.0 {
            return if t_c > self.economizer_max_c {
                1.0
            } else {
                0.0
            };
        }
        ((t_c - self.economizer_max_c) / self.economizer_band_c).clamp(0.0, 1.0)
    }

    /// Chiller COP at `t_c`.
    pub fn cop(&self, t_c: f64) -> f64 {
        (self.cop_rated - self.cop_slope_per_c * (t_c - self.cop_rated_c)).max(self.cop_min)
    }

    /// PUE at outdoor temperature `t_c` for an IT power of `it_kw`.
    pub fn pue(&self, t_c: f64, it_kw: f64) -> f64 {
        let mech = self.mechanical_share(t_c) / self.cop(t_c);
        let fixed = if it_kw > 0.0 {
            self.fixed_kw / it_kw
        } else {
            0.0
        };
        1.0 + self.ups_loss_fraction + self.fan_fraction + mech + fixed
    }

    /// WUE at `t_c` [L/kWh of IT].
    pub fn wue(&self, t_c: f64) -> f64 {
        let s = self.mechanical_share(t_c);
        s * self.wue_mechanical_l_per_kwh + (1.0 - s) * self.wue_free_l_per_kwh
    }
}

/// The cooling model at a site.
#[derive(Debug, Clone, PartialEq)]
pub struct CoolingModel {
    /// Parameters.
    pub params: CoolingParams,
    /// Outdoor weather.
    pub weather: Weather,
    /// UTC instant of simulation time 0 [ms since the epoch].
    pub epoch_ms: i64,
    /// IT power at full load [kW], to turn the load fraction into kW for fixed loads.
    pub capacity_kw: f64,
}

impl Facility for CoolingModel {
    fn pue(&self, t: SimTime, load_fraction: f64) -> f64 {
        let t_c = self.weather.temperature_c(self.epoch_ms + t as i64);
        self.params.pue(t_c, load_fraction * self.capacity_kw)
    }
    fn next_edge_after(&self, t: SimTime) -> Option<SimTime> {
        self.weather
            .next_change_after(self.epoch_ms + t as i64)
            .map(|abs| (abs - self.epoch_ms).max(t as i64 + 1) as SimTime)
    }
    fn outdoor_c(&self, t: SimTime) -> Option<f64> {
        Some(self.weather.temperature_c(self.epoch_ms + t as i64))
    }
    fn wue_l_per_kwh(&self, t: SimTime) -> f64 {
        self.params
            .wue(self.weather.temperature_c(self.epoch_ms + t as i64))
    }
    fn load_independent(&self) -> bool {
        // The load enters only through the fixed overhead's share.
        self.params.fixed_kw == 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_and_above_the_economiser_threshold() {
        let p = CoolingParams::AIR_COOLED;
        // 10 °C: free cooling → PUE = 1 + 0.06 + 0.08 = 1.14, no water.
        assert!((p.pue(10.0, 1000.0) - 1.14).abs() < 1e-12);
        assert_eq!(p.wue(10.0), 0.0);
        // 35 °C: fully mechanical (18 + 9 = 27 < 35), COP 2.96 → 1.14 + 1/2.96 = 1.477838.
        assert!((p.pue(35.0, 1000.0) - (1.14 + 1.0 / 2.96)).abs() < 1e-12);
        assert!((p.wue(35.0) - 1.8).abs() < 1e-12);
        // 22.5 °C: half way through the band → 1.14 + 0.5 / COP(22.5);
        // COP(22.5) = 2.96 + 0.06 × 12.5 = 3.71.
        assert!((p.pue(22.5, 1000.0) - (1.14 + 0.5 / 3.71)).abs() < 1e-12);
        // A fixed 50 kW on 1,000 kW of IT adds 0.05.
        let q = CoolingParams {
            fixed_kw: 50.0,
            ..p
        };
        assert!((q.pue(10.0, 1000.0) - 1.19).abs() < 1e-12);
    }
}
