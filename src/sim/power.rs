//! Power management at run time: the limit in force (refreshed at its rows and, for a facility
//! budget, at every PUE step, each a wake-up), the gate a start passes under a budget that
//! holds, runtime device caps (one level shared by all pools, each pool's cap between its
//! floor and its devices' maximum draw), and the power manager's view of all this.

use super::cluster::Dispatch;
use super::core::Core;
use super::ledger::job_power_uw;
use crate::meter::recorder::LIMIT_TOLERANCE;
use crate::meter::{KW_PER_UW, Rates};
use crate::model::pool::Pool;
use crate::model::power_plan::{Budget, BudgetAction, BudgetOn, CAP_LEVELS};
use crate::scheduler::power::PowerControl;
use crate::time::SimTime;

/// The power manager's run-time state held by the core.
pub(super) struct PowerRuntime {
    /// Runtime cap level: `CAP_LEVELS` is uncapped, 0 the floor.
    pub(super) level: u32,
    /// Per pool, the cap in force [W]: the pool's configured cap combined with the runtime
    /// cap of the current level (`None`: uncapped).
    pub(super) caps_w: Vec<Option<f64>>,
    /// Per pool, the cap in force at the floor level [W].
    pub(super) floor_caps_w: Vec<Option<f64>>,
    /// IT power at full load [kW], for a load-dependent PUE.
    pub(super) capacity_kw: f64,
    /// When the limit or the PUE next changes [ms] (a wake-up is scheduled for it).
    next_edge_ms: Option<SimTime>,
    /// Jobs refused a start for power [count].
    pub(super) held_jobs: u64,
    /// Whether the last placement attempt was refused for power.
    pub(super) refused: bool,
    /// Node boots [count].
    pub(super) boots: u64,
}

impl PowerRuntime {
    /// Uncapped, nothing held yet.
    pub(super) fn new(pools: &[Pool], budget: Option<&Budget>, capacity_kw: f64) -> Self {
        let floor_caps_w = pools
            .iter()
            .map(|p| match budget {
                Some(b) if b.caps() => p.effective_cap_w(Some(runtime_cap_w(p, b, 0))),
                _ => p.power_cap_w,
            })
            .collect();
        Self {
            level: CAP_LEVELS,
            caps_w: pools.iter().map(|p| p.power_cap_w).collect(),
            floor_caps_w,
            capacity_kw,
            next_edge_ms: Some(0),
            held_jobs: 0,
            refused: false,
            boots: 0,
        }
    }
}

/// Pool `pool`'s runtime cap at `level` [W]: from the floor (a fraction of the maximum draw,
/// never below idle) up to the maximum in `CAP_LEVELS` equal steps.
pub(super) fn runtime_cap_w(pool: &Pool, budget: &Budget, level: u32) -> f64 {
    let (idle, max) = (pool.device.power_w(0.0), pool.device.power_w(1.0));
    let floor = (budget.cap_floor * max).max(idle).min(max);
    floor + (max - floor) * level as f64 / CAP_LEVELS as f64
}

impl Core<'_, '_> {
    /// The power that the budget limits for an IT draw of `it_uw` [kW] at `now`.
    pub(super) fn limited_kw(&self, it_uw: u64, now: SimTime) -> f64 {
        let it_kw = it_uw as f64 * KW_PER_UW;
        match self.scenario.power.budget.as_ref().map(|b| b.on) {
            Some(BudgetOn::It) => it_kw,
            _ => {
                let cap = self.power.capacity_kw;
                let load = if cap > 0.0 { it_kw / cap } else { 0.0 };
                it_kw * (&self.scenario.site).pue(now, load)
            }
        }
    }

    /// Whether an IT draw of `it_uw` [µW] stays within the limit at `now`.
    pub(super) fn within_limit(&self, it_uw: u64, now: SimTime) -> bool {
        let limit = self.ledger.flags.limit_kw;
        limit == f64::INFINITY
            || self.limited_kw(it_uw, now) <= limit * (1.0 + LIMIT_TOLERANCE) + 1e-12
    }

    /// Whether a start that adds `add_uw` at once and `later_uw` more when it begins (peak
    /// draws, at the floor caps under `cap_then_hold`) passes the budget's gate at `now`.
    pub(super) fn admits(&self, add_uw: u64, later_uw: u64, now: SimTime) -> bool {
        let Some(budget) = &self.scenario.power.budget else {
            return true;
        };
        let committed = match budget.action {
            BudgetAction::Cap => return true,
            BudgetAction::Hold => self.ledger.committed_uw(),
            BudgetAction::CapThenHold => self.ledger.committed_floor_uw(),
        };
        self.within_limit(committed + add_uw + later_uw, now)
    }

    /// Brings the limit in force up to `now`, and schedules a wake-up for its next change (or
    /// the next PUE step under a facility budget).
    pub(super) fn refresh_limit(&mut self, now: SimTime) {
        let Some(budget) = &self.scenario.power.budget else {
            return;
        };
        if self.power.next_edge_ms.is_none_or(|t| t > now) {
            return;
        }
        self.ledger.flags.limit_kw = budget.limit_kw(now);
        self.ledger.flags.limit_on_facility = budget.on == BudgetOn::Facility;
        // Whatever the scheduler learnt of the room for power is stale.
        self.ledger.changes += 1;
        let pue_edge = match budget.on {
            BudgetOn::Facility => self.scenario.site.facility.next_edge_after(now),
            BudgetOn::It => None,
        };
        let next = [budget.next_change_after(now), pue_edge]
            .into_iter()
            .flatten()
            .min();
        self.power.next_edge_ms = next;
        if let Some(t) = next {
            self.wake_at(t, now);
        }
    }

    /// IT power with every running job's devices under the caps of `level` [µW].
    fn it_uw_at_level(&self, level: u32) -> u64 {
        let Some(budget) = &self.scenario.power.budget else {
            return self.ledger.it_uw();
        };
        let caps: Vec<Option<f64>> = self.caps_at(budget, level);
        let mut it = self.ledger.idle_uw;
        for r in self.running.iter().flatten().filter(|r| r.begun) {
            let record = &self.jobs[r.job];
            let pool = &self.scenario.pools[r.pool as usize];
            it += job_power_uw(
                pool,
                record.devices,
                record.held_devices,
                record.share_milli,
                r.u_now,
                caps[r.pool as usize],
            );
        }
        it
    }

    /// The mean device cap and whether caps are lowered, for the meter (a budget that caps
    /// only).
    pub(super) fn refresh_cap_flags(&mut self) {
        if !self
            .scenario
            .power
            .budget
            .as_ref()
            .is_some_and(|b| b.caps())
        {
            return;
        }
        let pools = &self.scenario.pools;
        let devices: f64 = pools.iter().map(|p| p.devices() as f64).sum();
        let cap_sum: f64 = pools
            .iter()
            .zip(&self.power.caps_w)
            .map(|(p, c)| p.devices() as f64 * c.unwrap_or(p.device.power_w(1.0)))
            .sum();
        self.ledger.flags.mean_cap_w = if devices > 0.0 {
            cap_sum / devices
        } else {
            0.0
        };
        self.ledger.flags.capped = self.power.level < CAP_LEVELS;
    }

    /// The cap in force in each pool at `level`.
    fn caps_at(&self, budget: &Budget, level: u32) -> Vec<Option<f64>> {
        self.scenario
            .pools
            .iter()
            .map(|p| {
                let runtime = (level < CAP_LEVELS).then(|| runtime_cap_w(p, budget, level));
                p.effective_cap_w(runtime)
            })
            .collect()
    }

    /// Sets the runtime cap level: every running job's draw, peak and speed follow at `now`.
    fn set_cap_level(&mut self, level: u32, now: SimTime) {
        let Some(budget) = &self.scenario.power.budget else {
            return;
        };
        if level == self.power.level {
            return;
        }
        self.power.level = level;
        self.power.caps_w = self.caps_at(budget, level);
        self.refresh_cap_flags();
        self.ledger.changes += 1;
        for slot in 0..self.running.len() as u32 {
            if self.running[slot as usize]
                .as_ref()
                .is_some_and(|r| r.begun)
            {
                self.recap(slot, now);
            }
        }
    }
}

impl PowerControl for Dispatch<'_, '_, '_> {
    fn now(&self) -> SimTime {
        self.now
    }

    fn it_kw(&self) -> f64 {
        self.core.ledger.it_kw()
    }

    fn pool_kw(&self, pool: u32) -> f64 {
        self.core.ledger.pool_kw(pool)
    }

    fn busy_devices(&self) -> u32 {
        self.core.ledger.busy_devices()
    }

    fn free_devices(&self, pool: u32) -> u64 {
        self.core.ledger.free_devices(pool)
    }

    fn wake_at(&mut self, t: SimTime) {
        self.core.wake_at(t, self.now);
    }

    fn caps_enabled(&self) -> bool {
        self.core
            .scenario
            .power
            .budget
            .as_ref()
            .is_some_and(|b| b.caps())
    }

    fn cap_level(&self) -> u32 {
        self.core.power.level
    }

    fn within_limit_at_level(&self, level: u32) -> bool {
        let it = if level == self.core.power.level {
            self.core.ledger.it_uw()
        } else {
            self.core.it_uw_at_level(level)
        };
        self.core.within_limit(it, self.now)
    }

    fn could_raise(&self) -> bool {
        let Some(budget) = &self.core.scenario.power.budget else {
            return false;
        };
        let level = self.core.power.level;
        if level >= CAP_LEVELS {
            return false;
        }
        // Raising one level adds at most one step per busy device.
        let step_w = self
            .core
            .scenario
            .pools
            .iter()
            .map(|p| runtime_cap_w(p, budget, level + 1) - runtime_cap_w(p, budget, level))
            .fold(0.0, f64::max);
        let bound_uw = super::ledger::to_uw(self.core.ledger.busy_devices() as f64 * step_w);
        self.core
            .within_limit(self.core.ledger.it_uw() + bound_uw, self.now)
    }

    fn set_cap_level(&mut self, level: u32) {
        self.core.set_cap_level(level.min(CAP_LEVELS), self.now);
    }
}
