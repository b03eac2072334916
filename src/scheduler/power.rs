//! The power-manager seam: a policy beside the scheduler that watches the cluster's power
//! after every event and acts on it. It reads the power ledger (IT draw in all and per pool,
//! busy and free devices) and can ask to be woken at a time; node power states and device
//! caps changed during a run are the actions budgets, peak shaving and idle power-down add
//! here. Today's only manager keeps every node on, uncapped.

use crate::time::SimTime;

/// The cluster's power as a manager sees it after an event, and what it may do.
pub trait PowerControl {
    /// The current time [ms].
    fn now(&self) -> SimTime;
    /// IT power now [kW].
    fn it_kw(&self) -> f64;
    /// IT power of pool `pool` now [kW].
    fn pool_kw(&self, pool: u32) -> f64;
    /// Devices running jobs [count].
    fn busy_devices(&self) -> u32;
    /// Free devices in pool `pool` [count].
    fn free_devices(&self, pool: u32) -> u64;
    /// Asks to be called again at time `t` [ms] (ignored at or beyond the horizon).
    fn wake_at(&mut self, t: SimTime);
}

/// A power-management policy.
pub trait PowerManager {
    /// Manager name for reports (`power_manager` in metadata.json).
    fn name(&self) -> &'static str;
    /// Called after every event, once the scheduler has had its pass.
    fn after_event<P: PowerControl + ?Sized>(&mut self, _power: &mut P) {}
}

/// Every node on at all times, devices at their configured cap.
#[derive(Debug, Clone, Copy, Default)]
pub struct AlwaysOn;

impl PowerManager for AlwaysOn {
    fn name(&self) -> &'static str {
        "always-on"
    }
}
