//! The validated `[power]` table: a facility or IT power budget (constant or time-varying)
//! with what to do when it binds, and idle node power-down with boots.

use crate::model::series::StepSeries;
use crate::time::SimTime;

/// Cap levels between a pool's floor and its devices' maximum draw: a runtime cap is
/// `floor + (max − floor)·level / CAP_LEVELS` [W].
pub const CAP_LEVELS: u32 = 20;

/// Power management of a scenario (`[power]`); the default manages nothing.
#[derive(Debug, Clone, Default)]
pub struct PowerPlan {
    /// A power limit, if any.
    pub budget: Option<Budget>,
    /// Idle node power-down, if enabled.
    pub power_down: Option<PowerDown>,
    /// Demand-charge peak shaving, if enabled.
    pub peak_shaving: Option<PeakShaving>,
}

impl PowerPlan {
    /// Whether any power management is configured.
    pub fn is_active(&self) -> bool {
        self.budget.is_some() || self.power_down.is_some() || self.peak_shaving.is_some()
    }

    /// Whether device caps may be lowered at run time (by the budget or for peak shaving).
    pub fn caps(&self) -> bool {
        self.budget.as_ref().is_some_and(Budget::caps)
            || self.peak_shaving.as_ref().is_some_and(|s| s.cap)
    }

    /// The lowest runtime cap as a fraction of each device's maximum draw [0..1].
    pub fn cap_floor(&self) -> f64 {
        match &self.budget {
            Some(b) if b.caps() => b.cap_floor,
            _ => self.peak_shaving.as_ref().map_or(0.0, |s| s.cap_floor),
        }
    }
}

/// Peak shaving: each billing month's demand kept at or under a target by holding jobs that
/// have a deadline (never past the latest start that still meets it) and, if allowed, by
/// device caps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeakShaving {
    /// Facility power to stay at or under [kW].
    pub target_kw: f64,
    /// Whether device caps may be lowered to stay under the target.
    pub cap: bool,
    /// The lowest runtime cap for shaving [fraction of the maximum draw] (a budget that caps
    /// sets its own).
    pub cap_floor: f64,
}

/// What the budget limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetOn {
    /// Facility power: IT power × PUE at that instant.
    Facility,
    /// IT power (devices and hosts).
    It,
}

/// What the manager does when a start or a rise of power would break the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetAction {
    /// Jobs wait until the power with them running stays within the limit.
    Hold,
    /// Device power caps are lowered just enough (down to the floor) and raised again when
    /// power frees up; jobs never wait for power.
    Cap,
    /// Caps are lowered down to the floor; a job starts only if, with every device at the
    /// floor, the power with it running stays within the limit.
    CapThenHold,
}

/// A power limit.
#[derive(Debug, Clone)]
pub struct Budget {
    /// The limit before any series row, or at all times without a series [kW].
    pub constant_kw: Option<f64>,
    /// A time-varying limit [kW], stepping at its rows (UTC ms since the epoch).
    pub series: Option<StepSeries>,
    /// What the limit applies to.
    pub on: BudgetOn,
    /// What happens when it binds.
    pub action: BudgetAction,
    /// The lowest runtime cap as a fraction of each device's maximum draw [0..1] (never below
    /// the device's idle draw).
    pub cap_floor: f64,
    /// UTC instant of simulation time 0 [ms since the epoch].
    pub epoch_ms: i64,
}

impl Budget {
    /// The limit in force at `t` [kW] (`∞` when none).
    pub fn limit_kw(&self, t: SimTime) -> f64 {
        let abs = self.epoch_ms + t as i64;
        match &self.series {
            Some(s) if abs >= s.times_ms[0] || s.repeat != crate::model::series::Repeat::No => {
                s.value_at(abs)
            }
            _ => self.constant_kw.unwrap_or(f64::INFINITY),
        }
    }

    /// The first instant after `t` at which the limit may change [ms].
    pub fn next_change_after(&self, t: SimTime) -> Option<SimTime> {
        let s = self.series.as_ref()?;
        let abs = self.epoch_ms + t as i64;
        let next = s.next_change_after(abs)?;
        u64::try_from(next - self.epoch_ms).ok().filter(|&n| n > t)
    }

    /// Whether starts are held for power.
    pub fn holds(&self) -> bool {
        self.action != BudgetAction::Cap
    }

    /// Whether device caps are lowered.
    pub fn caps(&self) -> bool {
        self.action != BudgetAction::Hold
    }
}

/// Idle node power-down.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerDown {
    /// How long a node stays idle before it powers off [ms].
    pub after_ms: SimTime,
    /// Draw of an off node [W].
    pub off_w: f64,
    /// Boot time [ms].
    pub boot_ms: SimTime,
    /// Draw of a booting node [W].
    pub boot_w: f64,
    /// Idle nodes per pool that stay on [count].
    pub keep_on: u32,
    /// Pools that power down (indices; all when the scenario names none).
    pub pools: Vec<bool>,
}
