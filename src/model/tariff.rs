//! The utility tariff: the price of energy over time. A flat price here; time-of-use, URDB and
//! real-time tariffs implement the same trait.

use crate::time::SimTime;
use std::fmt::Debug;

/// An energy tariff.
pub trait Tariff: Debug + Send + Sync {
    /// Energy price [currency/kWh] at time `t` [ms].
    fn price_per_kwh(&self, t: SimTime) -> f64;
    /// The first time after `t` at which the price may change [ms].
    fn next_edge_after(&self, _t: SimTime) -> Option<SimTime> {
        None
    }
    /// Currency label for reports, e.g. `USD`.
    fn currency(&self) -> &str;
}

/// One price for every kWh.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatTariff {
    /// Price [currency/kWh], ≥ 0.
    pub price_per_kwh: f64,
    /// Currency label.
    pub currency: String,
}

impl Tariff for FlatTariff {
    fn price_per_kwh(&self, _t: SimTime) -> f64 {
        self.price_per_kwh
    }
    fn currency(&self) -> &str {
        &self.currency
    }
}
