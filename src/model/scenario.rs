//! The validated scenario: the typed model a run reads (pools, jobs, workloads, traces,
//! services, site), plus what a job needs resolved from its origin. Built by `scenario/`.

use crate::model::pool::Pool;
use crate::model::site::Site;
use crate::model::workload::{JobSpec, Workload};
use crate::time::{Calendar, SimTime};

/// Replicas run for their wall time (until scaled in or the horizon).
static WALL_TIME: crate::model::work::Work = crate::model::work::Work::WallTime;
/// No per-device throughput overrides.
static NO_SPEEDS: crate::model::work::Speeds = crate::model::work::Speeds {
    overrides: Vec::new(),
};

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Scenario name.
    pub name: String,
    /// Start of the simulation in UTC.
    pub calendar: Calendar,
    /// Simulated span [ms].
    pub horizon_ms: SimTime,
    /// Base seed.
    pub seed: u64,
    /// Time-series resolution [ms].
    pub output_interval_ms: SimTime,
    /// Warm-up [ms]: jobs submitted before it are left out of the queue-wait and slowdown
    /// statistics (energy, cost and carbon still count from time 0).
    pub warmup_ms: SimTime,
    /// Device pools, in file order.
    pub pools: Vec<Pool>,
    /// Explicit jobs, in file order.
    pub jobs: Vec<JobSpec>,
    /// Generated workloads, in file order.
    pub workloads: Vec<Workload>,
    /// Facility, tariff and grid.
    pub site: Site,
    /// Warnings about inputs wattsim reads only in part (e.g. URDB charges not modelled).
    pub notes: Vec<String>,
    /// Remarks for the console that are not warnings (the file also has a `[sweep]` table).
    pub remarks: Vec<String>,
    /// Tenant names, in order of first appearance.
    pub tenants: Vec<String>,
    /// Job traces to replay.
    pub traces: Vec<crate::model::trace::Trace>,
    /// Inference services.
    pub services: Vec<crate::model::service::Service>,
    /// How waiting jobs are scheduled (`[scheduler]`).
    pub scheduler: crate::scheduler::Config,
    /// Power budget and node power states (`[power]`).
    pub power: crate::model::power_plan::PowerPlan,
    /// Costs of ownership (`[costs]` and pool prices), if priced.
    pub costs: Option<crate::model::costs::Costs>,
    /// Formats of the job table and the time series (`[output]`; CSV unless asked).
    pub output: crate::report::format::OutputFormats,
}

impl Scenario {
    /// Why a job of `devices` devices (restricted to `pool`, if given) can never run, or
    /// `None` when some eligible pool is large enough.
    pub fn never_fits(&self, devices: u32, pool: Option<usize>) -> Option<String> {
        never_fits(&self.pools, devices, pool)
    }

    /// Why a job of `devices` devices arriving at `now` [ms] can never run, if it cannot: it
    /// fits no eligible pool (see [`Scenario::never_fits`]), or only pools retired by then.
    pub fn never_fits_at(&self, devices: u32, pool: Option<usize>, now: SimTime) -> Option<String> {
        // The common case first, in one pass: an eligible pool still installed fits it.
        let open = |p: &Pool| p.until_ms > now && p.can_fit(devices);
        if eligible(&self.pools, pool).iter().any(open) {
            return None;
        }
        never_fits(&self.pools, devices, pool)
            .or_else(|| retired_for(&self.pools, devices, pool, now))
    }

    /// Whether every job runs as long on every pool as submitted (all work given as wall
    /// time, no power cap, configured or from a budget, slowing a pool), so runtime estimates do not depend on the pool.
    pub fn uniform_runtimes(&self) -> bool {
        use crate::model::work::Work;
        let wall = |w: &Work| matches!(w, Work::WallTime);
        self.pools.iter().all(|p| p.power_cap_w.is_none())
            && !self.power.caps()
            && self.jobs.iter().all(|j| wall(&j.work))
            && self.workloads.iter().all(|w| wall(&w.work))
            && self.traces.iter().all(|t| wall(&t.work))
    }

    /// Whether any job or workload is sized in FLOPs.
    pub fn sizes_in_flops(&self) -> bool {
        let flops = |w: &crate::model::work::Work| w.flops(0).is_some();
        self.jobs.iter().any(|j| flops(&j.work)) || self.workloads.iter().any(|w| flops(&w.work))
    }

    /// How a job of this origin is sized, and its load profile.
    #[inline]
    pub fn job_params(
        &self,
        origin: crate::result::JobOrigin,
    ) -> (
        &crate::model::work::Work,
        &crate::model::work::Speeds,
        Option<&crate::model::workload::LoadProfile>,
    ) {
        use crate::result::JobOrigin;
        match origin {
            JobOrigin::Explicit(i) => {
                let j = &self.jobs[i as usize];
                (&j.work, &j.speeds, j.profile.as_ref())
            }
            JobOrigin::Generated { workload, .. } => {
                let w = &self.workloads[workload as usize];
                (&w.work, &w.speeds, w.profile.as_ref())
            }
            JobOrigin::Trace { trace, .. } => {
                let t = &self.traces[trace as usize];
                (&t.work, &t.speeds, None)
            }
            JobOrigin::Replica { .. } => (&WALL_TIME, &NO_SPEEDS, None),
        }
    }

    /// The most devices installed at once over all pools [count] (all of them, unless pools
    /// are installed or retired during the run).
    pub fn installed_devices(&self) -> u64 {
        crate::model::pool::peak_installed(&self.pools, |p| p.devices() as f64) as u64
    }
}

/// Why a job of `devices` devices (restricted to pool index `pool`, if given) can never run
/// on `pools`, or `None` when an eligible pool is large enough.
pub fn never_fits(pools: &[Pool], devices: u32, pool: Option<usize>) -> Option<String> {
    let eligible = eligible(pools, pool);
    if eligible.iter().any(|p| p.can_fit(devices)) {
        return None;
    }
    Some(fit_explanation(devices, eligible))
}

/// Why a job of `devices` devices that fits some eligible pool cannot run when it arrives at
/// `now` [ms], if it cannot: every pool it fits is retired by then.
pub fn retired_for(
    pools: &[Pool],
    devices: u32,
    pool: Option<usize>,
    now: SimTime,
) -> Option<String> {
    let fitting = eligible(pools, pool).iter().filter(|p| p.can_fit(devices));
    if fitting.clone().any(|p| p.until_ms > now) {
        return None;
    }
    let names: Vec<String> = fitting.map(|p| format!("`{}`", p.name)).collect();
    Some(format!(
        "it fits only pool(s) {}, retired before it arrives",
        names.join(", ")
    ))
}

/// The pools a job may run on: pool index `pool`, or all of them.
pub fn eligible(pools: &[Pool], pool: Option<usize>) -> &[Pool] {
    match pool {
        Some(p) => &pools[p..=p],
        None => pools,
    }
}

fn fit_explanation(devices: u32, pools: &[Pool]) -> String {
    let sizes: Vec<String> = pools
        .iter()
        .map(|p| {
            format!(
                "pool `{}` has {} node(s) × {} devices",
                p.name, p.nodes, p.devices_per_node
            )
        })
        .collect();
    format!(
        "it needs {devices} devices (whole nodes beyond one node) but {}",
        sizes.join("; ")
    )
}
