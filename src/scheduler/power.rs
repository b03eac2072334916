//! The power-manager seam: a policy that changes node power states and device caps during a
//! run, beside the scheduler. Today's only manager keeps every node on, uncapped; budgets,
//! peak shaving and idle power-down are further implementations behind the same trait.

/// A power-management policy.
pub trait PowerManager {
    /// Manager name for reports (`power_manager` in metadata.json).
    fn name(&self) -> &'static str;
}

/// Every node on at all times, devices at their configured cap.
#[derive(Debug, Clone, Copy, Default)]
pub struct AlwaysOn;

impl PowerManager for AlwaysOn {
    fn name(&self) -> &'static str {
        "always-on"
    }
}
