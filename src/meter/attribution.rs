//! Charging a consumer of constant power for a span of time, from two meter snapshots.

use super::Accumulators;
use super::KW_PER_UW;
use crate::result::Attribution;
use crate::time::{SimTime, ms_to_hours};

/// Energy, facility energy, cost and carbon of a constant draw `power_uw` [µW] from `t0` to
/// `t1` [ms], given the meter integrals at both ends.
#[inline]
pub fn attribute(
    power_uw: u64,
    t0: SimTime,
    t1: SimTime,
    a0: &Accumulators,
    a1: &Accumulators,
) -> Attribution {
    let kw = power_uw as f64 * KW_PER_UW;
    Attribution {
        it_energy_kwh: kw * ms_to_hours(t1.saturating_sub(t0)),
        facility_energy_kwh: kw * (a1.facility_h - a0.facility_h),
        cost: kw * (a1.cost_per_kw - a0.cost_per_kw),
        carbon_kg: kw * (a1.carbon_kg_per_kw - a0.carbon_kg_per_kw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_constant_power_between_snapshots() {
        // 2 kW (2e9 µW) for 3 h at PUE 1.5, price 0.1, 400 g/kWh:
        // IT 6 kWh, facility 9 kWh, cost 0.9, carbon 3.6 kg.
        let a0 = Accumulators::default();
        let a1 = Accumulators {
            facility_h: 4.5,
            cost_per_kw: 0.45,
            carbon_kg_per_kw: 1.8,
        };
        let a = attribute(2_000_000_000, 0, 3 * 3_600_000, &a0, &a1);
        assert!((a.it_energy_kwh - 6.0).abs() < 1e-12);
        assert!((a.facility_energy_kwh - 9.0).abs() < 1e-12);
        assert!((a.cost - 0.9).abs() < 1e-12);
        assert!((a.carbon_kg - 3.6).abs() < 1e-12);
    }
}
