//! Prices a measured load profile on a tariff without simulating anything, through the same
//! meter and biller a simulation uses.

use crate::input::load::LoadProfile;
use crate::meter::{Meter, PowerState, Rates, Recorder, Segment};
use crate::model::tariff::{Biller, Tariff};
use crate::result::Bill;
use crate::time::SimTime;

/// A metered load is facility power already: PUE 1, no carbon.
struct Metered;

impl Rates for Metered {
    fn pue(&self, _t: SimTime, _load_fraction: f64) -> f64 {
        1.0
    }
    fn intensity_g_per_kwh(&self, _t: SimTime) -> f64 {
        0.0
    }
    fn next_edge_after(&self, _t: SimTime) -> Option<SimTime> {
        None
    }
    fn pue_load_independent(&self) -> bool {
        true
    }
}

/// Totals the energy the meter saw, as a cross-check [kWh].
#[derive(Default)]
struct Total(f64);

impl Recorder for Total {
    fn segment(&mut self, s: &Segment) {
        self.0 += s.it_kw * s.hours();
    }
}

/// The bill of `load` under `tariff`, and the energy billed [kWh].
pub fn bill_load(load: &LoadProfile, tariff: &Tariff) -> (Bill, f64) {
    let horizon = load.step_ms * load.kw.len() as u64;
    let biller = Biller::new(tariff, load.start_ms, horizon);
    let mut meter = Meter::new(Metered, biller, horizon.max(1), 0.0);
    let mut total = Total::default();
    for (i, &kw) in load.kw.iter().enumerate() {
        let state = PowerState {
            it_kw: kw,
            pool_kw: &[],
            busy_devices: 0,
            queued_jobs: 0,
            power: &crate::meter::PowerFlags::NONE,
        };
        meter.advance((i as u64 + 1) * load.step_ms, &state, &mut total);
    }
    (meter.into_pricer().finish(), total.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_tariff_bills_energy_times_price() {
        // 4 intervals of 15 min at 100, 200, 300, 400 kW = 25 + 50 + 75 + 100 = 250 kWh;
        // at 0.2 per kWh the bill is 50.
        let load = LoadProfile {
            start_ms: 1_700_000_100_000,
            step_ms: 900_000,
            kw: vec![100.0, 200.0, 300.0, 400.0],
        };
        let (bill, kwh) = bill_load(&load, &Tariff::flat(0.2, "USD"));
        assert!((kwh - 250.0).abs() < 1e-9);
        assert!((bill.total() - 50.0).abs() < 1e-9);
    }
}
