//! Power management at run time: the limit in force (refreshed at its rows and, for a facility
//! budget, at every PUE step, each a wake-up), the gate a start passes under a budget that
//! holds, runtime device caps (one level shared by all pools, each pool's cap between its
//! floor and its devices' maximum draw), and the power manager's view of all this.

use super::cluster::Dispatch;
use super::core::Core;
use crate::meter::KW_PER_UW;
use crate::meter::recorder::LIMIT_TOLERANCE;
use crate::model::pool::Pool;
use crate::model::power_plan::{BudgetAction, BudgetOn, CAP_LEVELS, PowerPlan};
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
    /// Whether starts are gated (a budget or peak shaving), so jobs' peak draws are tracked.
    pub(super) gated: bool,
    /// When the limit or the PUE next changes [ms] (a wake-up is scheduled for it).
    next_edge_ms: Option<SimTime>,
    /// Jobs refused a start for power [count].
    pub(super) held_jobs: u64,
    /// Jobs held for peak shaving [count].
    pub(super) held_for_shaving: u64,
    /// Node boots [count].
    pub(super) boots: u64,
}

impl PowerRuntime {
    /// Uncapped, nothing held yet.
    pub(super) fn new(pools: &[Pool], plan: &PowerPlan, capacity_kw: f64) -> Self {
        let floor = plan.cap_floor();
        let floor_caps_w = pools
            .iter()
            .map(|p| match &plan.budget {
                Some(b) if b.action == BudgetAction::CapThenHold => {
                    p.effective_cap_w(Some(p.runtime_cap_w(floor, 0)))
                }
                _ => p.power_cap_w,
            })
            .collect();
        Self {
            level: CAP_LEVELS,
            caps_w: pools.iter().map(|p| p.power_cap_w).collect(),
            floor_caps_w,
            capacity_kw,
            gated: plan.budget.is_some() || plan.peak_shaving.is_some(),
            // Without a limit or a target there is nothing to refresh.
            next_edge_ms: (plan.budget.is_some() || plan.peak_shaving.is_some()).then_some(0),
            held_jobs: 0,
            held_for_shaving: 0,
            boots: 0,
        }
    }
}

impl Core<'_, '_> {
    /// Facility power (IT × PUE) for an IT draw of `it_uw` [µW] at `now` [kW].
    fn facility_kw(&self, it_uw: u64, now: SimTime) -> f64 {
        let it_kw = it_uw as f64 * KW_PER_UW;
        it_kw * crate::meter::pue_at(&&self.scenario.site, now, it_kw, self.power.capacity_kw)
    }

    /// Whether an IT draw of `it_uw` [µW] keeps the limited power (facility or IT) within the
    /// budget's limit in force at `now`.
    pub(super) fn within_limit(&self, it_uw: u64, now: SimTime) -> bool {
        let limit = self.ledger.flags.limit_kw;
        if limit == f64::INFINITY {
            return true;
        }
        let limited = match self.scenario.power.budget.as_ref().map(|b| b.on) {
            Some(BudgetOn::It) => it_uw as f64 * KW_PER_UW,
            _ => self.facility_kw(it_uw, now),
        };
        at_most(limited, limit)
    }

    /// Whether an IT draw of `it_uw` [µW] keeps facility power at or under the peak-shaving
    /// target (true without shaving).
    fn within_target(&self, it_uw: u64, now: SimTime) -> bool {
        self.scenario
            .power
            .peak_shaving
            .as_ref()
            .is_none_or(|s| at_most(self.facility_kw(it_uw, now), s.target_kw))
    }

    /// Whether caps at a level that gives an IT draw of `it_uw` [µW] comply: within the
    /// budget, and under the shaving target when shaving may cap.
    fn caps_comply(&self, it_uw: u64, now: SimTime) -> bool {
        let shaving_caps = self
            .scenario
            .power
            .peak_shaving
            .as_ref()
            .is_some_and(|s| s.cap);
        self.within_limit(it_uw, now) && (!shaving_caps || self.within_target(it_uw, now))
    }

    /// Whether a start of `job` on pool `p` that adds `add_uw` at once and then `peak_uw`
    /// (or `floor_uw` with every device at the cap floor) when it begins passes the power
    /// rules at `now`: the budget's gate, and peak shaving for a job with a deadline that it
    /// can still meet later.
    pub(super) fn admits(
        &mut self,
        job: crate::scheduler::JobId,
        p: u32,
        add_uw: u64,
        (peak_uw, floor_uw): (u64, u64),
        now: SimTime,
    ) -> Admit {
        let plan = &self.scenario.power;
        if let Some(budget) = &plan.budget {
            let fits = match budget.action {
                BudgetAction::Cap => true,
                BudgetAction::Hold => {
                    self.within_limit(self.ledger.committed_uw() + add_uw + peak_uw, now)
                }
                BudgetAction::CapThenHold => {
                    self.within_limit(self.ledger.committed_floor_uw() + add_uw + floor_uw, now)
                }
            };
            if !fits {
                return Admit::NoPower;
            }
        }
        if plan.peak_shaving.is_none() {
            return Admit::Yes;
        }
        let Some(deadline) = self.jobs[job].deadline_ms else {
            return Admit::Yes;
        };
        if self.within_target(self.ledger.committed_uw() + add_uw + peak_uw, now) {
            return Admit::Yes;
        }
        // Held only while it can still start later (boot included) and meet its deadline by
        // the policy's estimate.
        let boot_ms = plan.power_down.as_ref().map_or(0, |d| d.boot_ms);
        let latest = deadline.saturating_sub(self.estimate_ms(job, p).saturating_add(boot_ms));
        if now >= latest {
            return Admit::Yes;
        }
        let record = &mut self.jobs[job];
        if !record.held_for_shaving {
            record.held_for_shaving = true;
            self.power.held_for_shaving += 1;
        }
        self.wake_at(latest, now);
        Admit::Shaving
    }

    /// Brings the limit in force up to `now`, and schedules a wake-up for its next change (or
    /// the next PUE step, when facility power is limited or shaved).
    #[inline]
    pub(super) fn refresh_limit(&mut self, now: SimTime) {
        if self.power.next_edge_ms.is_none_or(|t| t > now) {
            return;
        }
        let plan = &self.scenario.power;
        if let Some(budget) = &plan.budget {
            self.ledger.flags.limit_kw = budget.limit_kw(now);
            self.ledger.flags.limit_on_facility = budget.on == BudgetOn::Facility;
        }
        // Whatever the scheduler learnt of the room for power is stale.
        self.ledger.changes += 1;
        let on_facility = plan.peak_shaving.is_some()
            || plan
                .budget
                .as_ref()
                .is_some_and(|b| b.on == BudgetOn::Facility);
        let pue_edge = on_facility
            .then(|| self.scenario.site.facility.next_edge_after(now))
            .flatten();
        let next = [
            plan.budget.as_ref().and_then(|b| b.next_change_after(now)),
            pue_edge,
        ]
        .into_iter()
        .flatten()
        .min();
        self.power.next_edge_ms = next;
        if let Some(t) = next {
            self.wake_at(t, now);
        }
    }
}

/// What the power rules say of a start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Admit {
    /// It may start.
    Yes,
    /// The budget has no room for it.
    NoPower,
    /// It waits to keep demand under the peak-shaving target.
    Shaving,
}

/// Whether `kw` is at or under `limit_kw`, up to float rounding of the same sum.
fn at_most(kw: f64, limit_kw: f64) -> bool {
    kw <= limit_kw * (1.0 + LIMIT_TOLERANCE) + 1e-12
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
        self.core.scenario.power.caps()
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
        self.core.caps_comply(it, self.now)
    }

    fn could_raise(&self) -> bool {
        let floor = self.core.scenario.power.cap_floor();
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
            .map(|p| p.runtime_cap_w(floor, level + 1) - p.runtime_cap_w(floor, level))
            .fold(0.0, f64::max);
        let bound_uw = super::ledger::to_uw(self.core.ledger.busy_devices() as f64 * step_w);
        self.core
            .caps_comply(self.core.ledger.it_uw() + bound_uw, self.now)
    }

    fn set_cap_level(&mut self, level: u32) {
        self.core.set_cap_level(level.min(CAP_LEVELS), self.now);
    }
}
