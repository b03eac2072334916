//! Market-based carbon (GHG Protocol Scope 2): consumption matched by contracted clean energy —
//! an hourly supply profile (a PPA) matched hour by hour, then annual certificates — and the
//! hourly carbon-free-energy (CFE) score.

use crate::model::series::StepSeries;

/// Contracted clean energy.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketContract {
    /// Unbundled certificates per year [MWh/yr], pro-rated to the simulated span.
    pub certificates_mwh_per_year: f64,
    /// Clean supply delivered over time [kW], stepwise; matched hour by hour.
    pub ppa_kw: Option<StepSeries>,
    /// Intensity of energy not covered [g/kWh]; `None` = the location-based intensity.
    pub residual_g_per_kwh: Option<f64>,
}

/// Market-based results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarketResult {
    /// Market-based CO2e [kg].
    pub market_kg: f64,
    /// Share of consumption matched hour by hour by the PPA supply [0..1].
    pub cfe_score: f64,
}

pub use crate::meter::HourUse;

/// Market-based CO2e and CFE score of hourly consumption `hours` (the first hour starting at
/// `first_hour_ms`, ms since the epoch) over a span of `span_h` hours.
///
/// Each hour's consumption is first matched by that hour's PPA supply (excess supply is
/// lost — no banking); annual certificates (pro-rated: MWh/yr × span / 8,760 h) then cover the
/// remaining energy pro rata; what is left is charged at the residual intensity (or, without
/// one, at the hour's location-based intensity).
pub fn account(
    contract: &MarketContract,
    hours: &[HourUse],
    first_hour_ms: i64,
    span_h: f64,
) -> MarketResult {
    let mut total_kwh = 0.0;
    let mut matched_kwh = 0.0;
    let mut unmatched_kwh = 0.0;
    let mut unmatched_kg = 0.0;
    for (i, h) in hours.iter().enumerate() {
        let supply = contract.ppa_kw.as_ref().map_or(0.0, |s| {
            let a = first_hour_ms + i as i64 * crate::time::MS_PER_HOUR_I64;
            s.integral_h(a, a + crate::time::MS_PER_HOUR_I64)
        });
        let matched = h.kwh.min(supply.max(0.0));
        let rest = h.kwh - matched;
        total_kwh += h.kwh;
        matched_kwh += matched;
        unmatched_kwh += rest;
        unmatched_kg += match contract.residual_g_per_kwh {
            Some(g) => rest * g / 1000.0,
            None if h.kwh > 0.0 => h.location_kg * rest / h.kwh,
            None => 0.0,
        };
    }
    let certificates_kwh =
        contract.certificates_mwh_per_year * 1000.0 * span_h / super::HOURS_PER_YEAR;
    let covered = if unmatched_kwh > 0.0 {
        (certificates_kwh / unmatched_kwh).min(1.0)
    } else {
        0.0
    };
    MarketResult {
        market_kg: unmatched_kg * (1.0 - covered),
        cfe_score: if total_kwh > 0.0 {
            matched_kwh / total_kwh
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_covering_half_the_energy_halve_market_carbon() {
        // 2 h of 500 kWh at 400 g/kWh = 400 kg location-based. Certificates of 2,190 MWh/yr
        // pro-rated to 2 h: 2190 × 1000 × 2 / 8760 = 500 kWh, half of the 1,000 kWh → market
        // 400 × 0.5 = 200 kg. No PPA → CFE 0.
        let hours = [HourUse {
            kwh: 500.0,
            location_kg: 200.0,
        }; 2];
        let c = MarketContract {
            certificates_mwh_per_year: 2190.0,
            ppa_kw: None,
            residual_g_per_kwh: None,
        };
        let r = account(&c, &hours, 0, 2.0);
        assert!((r.market_kg - 200.0).abs() < 1e-9);
        assert_eq!(r.cfe_score, 0.0);
    }

    #[test]
    fn hourly_cfe_of_a_two_hour_toy_case() {
        // Consumption 100 kWh then 300 kWh; PPA supplies 200 kW then 100 kW. Hour 1: matched
        // 100 (100 kW of supply is lost, no banking); hour 2: matched 100, 200 unmatched.
        // CFE = 200 / 400 = 0.5. Residual 500 g/kWh → market = 200 × 0.5 = 100 kg.
        let hours = [
            HourUse {
                kwh: 100.0,
                location_kg: 40.0,
            },
            HourUse {
                kwh: 300.0,
                location_kg: 120.0,
            },
        ];
        let c = MarketContract {
            certificates_mwh_per_year: 0.0,
            ppa_kw: Some(StepSeries {
                times_ms: vec![0, 3_600_000],
                values: vec![200.0, 100.0],
                end_ms: 7_200_000,
                repeat: crate::model::series::Repeat::No,
            }),
            residual_g_per_kwh: Some(500.0),
        };
        let r = account(&c, &hours, 0, 2.0);
        assert!((r.cfe_score - 0.5).abs() < 1e-12);
        assert!((r.market_kg - 100.0).abs() < 1e-9);
    }

    #[test]
    fn hours_without_consumption_add_nothing() {
        // An idle hour (0 kWh, 0 kg) beside an hour of 100 kWh and 50 kg, with no PPA, no
        // certificates and no residual: market = location = 50 kg (the idle hour adds 0, not
        // 0 / 0). With only idle hours: 0 kg and a CFE score of 0 (not 0 / 0).
        let idle = HourUse {
            kwh: 0.0,
            location_kg: 0.0,
        };
        let busy = HourUse {
            kwh: 100.0,
            location_kg: 50.0,
        };
        let c = MarketContract {
            certificates_mwh_per_year: 0.0,
            ppa_kw: None,
            residual_g_per_kwh: None,
        };
        let r = account(&c, &[idle, busy], 0, 2.0);
        assert_eq!(r.market_kg, 50.0);
        let r = account(&c, &[idle, idle], 0, 2.0);
        assert_eq!((r.market_kg, r.cfe_score), (0.0, 0.0));
    }
}
