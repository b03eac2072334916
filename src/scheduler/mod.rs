//! Scheduling: which waiting job starts next and when (a policy behind the [`Scheduler`]
//! trait, one file each, chosen by `[scheduler] policy`), where it goes (first-fit placement
//! over each pool's nodes), and the power-manager seam beside it.
//!
//! A policy sees the cluster through [`Cluster`]: free devices per pool and node, the running
//! jobs with their start and estimated end, the waiting jobs' sizes and estimates, and the
//! grid's price and intensity now and ahead. It acts only through it: start a job, or ask to
//! be woken at a time. The engine accounts for every effect, so energy stays exact.

pub mod fifo;
pub mod placement;
pub mod power;
pub mod shared;
#[cfg(test)]
pub(crate) mod test_cluster;

pub use fifo::FifoScheduler;
pub use placement::{NodeSlots, Placement};
pub use power::{AlwaysOn, PowerManager};

use crate::time::SimTime;
use serde::Deserialize;

/// Index of a job in the run's job table.
pub type JobId = u32;

/// The scheduling policies a scenario can name (`[scheduler] policy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Strict first-in, first-out (the default).
    #[default]
    Fifo,
}

impl Policy {
    /// Runs `work` with a fresh scheduler of this policy (statically dispatched, so the event
    /// loop is compiled once per policy and pays no virtual call per event).
    pub fn with<W: WithScheduler>(self, work: W) -> W::Output {
        match self {
            Policy::Fifo => work.run(FifoScheduler::default()),
        }
    }
}

/// Work to do with a run's scheduler, whatever its policy (see [`Policy::with`]).
pub trait WithScheduler {
    /// What the work returns.
    type Output;
    /// Does the work with `scheduler`.
    fn run<S: Scheduler>(self, scheduler: S) -> Self::Output;
}

/// What a policy knows of a job when it arrives and while it waits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitingJob {
    /// The job.
    pub id: JobId,
    /// Devices requested [count].
    pub devices: u32,
    /// Share of one device for a fractional job [thousandths]; 1000 = whole devices.
    pub share_milli: u32,
    /// The pool it must run on, if restricted.
    pub pool: Option<u32>,
    /// Submission time [ms].
    pub submit_ms: SimTime,
    /// Tenant index, if any.
    pub tenant: Option<u32>,
    /// Priority: higher starts first [-]; 0 unless the scenario sets one.
    pub priority: i64,
    /// Runtime as submitted [ms]: the wall time, or the runtime on the job's reference device
    /// (the pool it runs on may be faster or slower).
    pub runtime_estimate_ms: SimTime,
}

/// What a policy knows of a running job.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunningJob {
    /// The job.
    pub id: JobId,
    /// Pool index it runs on.
    pub pool: u32,
    /// Devices it holds (whole nodes for multi-node jobs) [count].
    pub held_devices: u32,
    /// Start time [ms].
    pub start_ms: SimTime,
    /// Estimated end [ms].
    pub estimated_end_ms: SimTime,
}

/// The grid's signals at one instant.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GridSignal {
    /// Posted energy price [currency/kWh] (first tier of the period, or real-time price).
    pub price_per_kwh: f64,
    /// Location-based grid carbon intensity [g/kWh].
    pub intensity_g_per_kwh: f64,
}

/// The cluster as a policy sees it during a scheduling pass, and the actions it may take.
pub trait Cluster {
    /// The current time [ms].
    fn now(&self) -> SimTime;
    /// A waiting job's facts.
    fn job(&self, job: JobId) -> WaitingJob;
    /// Number of pools.
    fn pools(&self) -> u32;
    /// Free devices in pool `pool` [count].
    fn free_devices(&self, pool: u32) -> u64;
    /// Nodes in pool `pool` [count] and devices per node [count].
    fn shape(&self, pool: u32) -> (u32, u32);
    /// Free devices on node `node` of pool `pool` [count].
    fn free_on_node(&self, pool: u32, node: u32) -> u32;
    /// Calls `visit` for every running job, in no particular order.
    fn running(&self, visit: &mut dyn FnMut(&RunningJob));
    /// The grid's signals at time `t` [ms] (now or ahead).
    fn grid(&self, t: SimTime) -> GridSignal;
    /// The first time after `t` at which a grid signal may change [ms], if any.
    fn next_grid_change_after(&self, t: SimTime) -> Option<SimTime>;
    /// Starts `job` now on the first eligible pool with room; `false` when it does not fit.
    fn try_start(&mut self, job: JobId) -> bool;
    /// Asks for a scheduling pass at time `t` [ms] (ignored at or beyond the horizon).
    fn wake_at(&mut self, t: SimTime);
}

/// A scheduling policy. The simulation owns placement and accounting; the policy orders the
/// waiting jobs and decides which to start, and when.
pub trait Scheduler {
    /// Policy name for reports (`policy` in metadata.json and summary.json).
    fn name(&self) -> &'static str;
    /// A job has arrived and waits.
    fn enqueue(&mut self, job: &WaitingJob);
    /// Number of waiting jobs.
    fn queued(&self) -> usize;
    /// A scheduling pass at `cluster.now()`: after a job arrives or ends, or at a requested
    /// wake-up. Started jobs leave the queue.
    fn dispatch<C: Cluster>(&mut self, cluster: &mut C);
    /// The jobs still waiting, in queue order.
    fn waiting(&self) -> Vec<JobId>;
}
