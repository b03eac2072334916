//! What `[scheduler]` configures beyond the policy: how runtimes are estimated, how deep a
//! backfill pass looks, priority ageing, tenant quotas and carbon- or price-aware deferral.
//! Plain data, validated by `scenario/`.

use super::Policy;
use crate::time::SimTime;

/// The scheduler of a run (`[scheduler]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The policy (`policy`, FIFO by default).
    pub policy: Policy,
    /// What the policy takes a job's runtime to be (`runtime_estimate`).
    pub estimate: Estimate,
    /// Waiting jobs examined per pass (`backfill_depth`) [count].
    pub backfill_depth: usize,
    /// Priority gained per hour of waiting (`priority_age_per_hour`) [1/h].
    pub priority_age_per_hour: f64,
    /// Deferral of jobs with deadlines to cheap or clean hours (`shift`).
    pub shift: Option<Shift>,
    /// Devices each tenant may use at once (`[[scheduler.quotas]]`).
    pub quotas: Vec<Quota>,
}

/// Jobs a backfill pass examines unless `backfill_depth` says otherwise [count].
pub const DEFAULT_BACKFILL_DEPTH: usize = 1000;

impl Default for Config {
    fn default() -> Self {
        Config {
            policy: Policy::Fifo,
            estimate: Estimate::Exact,
            backfill_depth: DEFAULT_BACKFILL_DEPTH,
            priority_age_per_hour: 0.0,
            shift: None,
            quotas: Vec::new(),
        }
    }
}

/// How the policy estimates a job's runtime (`runtime_estimate`); jobs always run their true
/// runtime, cut at their wall time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Estimate {
    /// The true runtime (`"exact"`).
    Exact,
    /// The requested wall time (`"walltime"`); the true runtime for jobs without one.
    Walltime,
    /// The true runtime times a factor (`{ factor = F }`).
    Factor(f64),
}

impl Estimate {
    /// The estimated runtime [ms] of a job whose true runtime is `true_ms` and whose wall
    /// time is `walltime_ms` (never more than the wall time: the job is ended there).
    pub fn runtime_ms(self, true_ms: SimTime, walltime_ms: Option<SimTime>) -> SimTime {
        let limit = walltime_ms.unwrap_or(SimTime::MAX);
        match self {
            Estimate::Exact => true_ms.min(limit),
            Estimate::Walltime => walltime_ms.unwrap_or(true_ms),
            Estimate::Factor(f) => (crate::time::round_u64(true_ms as f64 * f)).min(limit),
        }
    }
}

/// Deferral of deadline jobs to the hours where a signal is lowest (`shift`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    /// The signal integrated over the job's run (`signal`).
    pub signal: Signal,
    /// What the policy knows of the signal ahead (`forecast`).
    pub forecast: Forecast,
}

/// The signal a deferral minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Location-based grid intensity (`"carbon"`).
    Carbon,
    /// Marginal grid intensity (`"marginal"`).
    Marginal,
    /// The tariff's posted energy price, TOU or real-time (`"price"`).
    Price,
}

impl Signal {
    /// Its value in a grid signal.
    pub fn of(self, g: &super::GridSignal) -> f64 {
        match self {
            Signal::Carbon => g.intensity_g_per_kwh,
            Signal::Marginal => g.marginal_g_per_kwh,
            Signal::Price => g.price_per_kwh,
        }
    }
}

/// The forecast a deferral decides on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Forecast {
    /// The actual series (`"perfect"`).
    Perfect,
    /// The actual series with a multiplicative error whose spread grows with lead time
    /// (`{ error = E, seed = S }`): each step of the series `L` hours ahead of the decision is
    /// seen as `actual × max(0, 1 + E·√(L/24)·z)`, `z` standard normal, independent per step
    /// and per decision time (so `E` is the 1-σ relative error a day ahead).
    Noisy {
        /// Relative error a day ahead (1 σ) [-].
        error: f64,
        /// Seed of the error draws.
        seed: u64,
    },
}

/// At most `max_devices` devices in use by `tenant` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Tenant index (into the scenario's tenants).
    pub tenant: u32,
    /// Devices requested by the tenant's running jobs, at most [count].
    pub max_devices: u64,
}
