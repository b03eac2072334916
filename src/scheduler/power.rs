//! The power-manager seam: a policy beside the scheduler that watches the cluster's power
//! after every event and acts on it. It reads the power ledger (IT draw in all and per pool,
//! busy and free devices, whether the limit in force holds at a cap level) and acts through
//! it: set the device cap level, ask to be woken at a time. Starts held for power and node
//! power states are the engine's rules (`[power]`); the manager chooses the caps.

use crate::model::power_plan::CAP_LEVELS;
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
    /// Whether the scenario lets the manager lower device caps.
    fn caps_enabled(&self) -> bool {
        false
    }
    /// The cap level in force: `CAP_LEVELS` is uncapped, 0 the floor.
    fn cap_level(&self) -> u32 {
        CAP_LEVELS
    }
    /// Whether the limited power (facility or IT) would stay within the limit now with every
    /// running job's devices at the caps of `level`.
    fn within_limit_at_level(&self, _level: u32) -> bool {
        true
    }
    /// Whether raising the cap level by one would surely stay within the limit (a cheap bound
    /// checked before a search).
    fn could_raise(&self) -> bool {
        false
    }
    /// Sets the cap level (running jobs' draw and speed follow at once).
    fn set_cap_level(&mut self, _level: u32) {}
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

/// Keeps the limited power within the budget by device caps: after every event it lowers the
/// cap level just enough when power is over the limit, and raises it as far as the limit
/// allows when one more level surely fits (so caps do not change at every event). Levels are
/// found by bisection, each probe one pass over the running jobs.
#[derive(Debug, Clone, Copy, Default)]
pub struct BudgetCaps;

impl PowerManager for BudgetCaps {
    fn name(&self) -> &'static str {
        "budget-caps"
    }

    fn after_event<P: PowerControl + ?Sized>(&mut self, power: &mut P) {
        if !power.caps_enabled() {
            return;
        }
        let level = power.cap_level();
        if !power.within_limit_at_level(level) {
            // The highest level below that complies; the floor when none does.
            let best = if power.within_limit_at_level(0) {
                highest_within(power, 0, level)
            } else {
                0
            };
            power.set_cap_level(best);
        } else if level < CAP_LEVELS && power.could_raise() {
            let best = highest_within(power, level + 1, CAP_LEVELS + 1);
            power.set_cap_level(best);
        }
    }
}

/// The highest level in `[ok, bad)` within the limit, given that `ok` is and `bad` is not (or
/// is beyond the top): bisection, power growing with the level.
fn highest_within<P: PowerControl + ?Sized>(power: &P, mut ok: u32, mut bad: u32) -> u32 {
    while bad - ok > 1 {
        let mid = ok + (bad - ok) / 2;
        if power.within_limit_at_level(mid) {
            ok = mid;
        } else {
            bad = mid;
        }
    }
    ok
}
