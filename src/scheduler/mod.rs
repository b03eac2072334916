//! Scheduling: which waiting job starts next and when (a policy behind the [`Scheduler`]
//! trait — FIFO, EASY and conservative backfilling, one file each, chosen by
//! `[scheduler] policy` — over a shared priority queue with quotas and deferral), where it
//! goes (first-fit placement over each pool's nodes), and the power-manager seam beside it.
//!
//! A policy sees the cluster through [`Cluster`]: free devices per pool and node, the running
//! jobs with their start and estimated end, the waiting jobs' sizes, estimates and deadlines,
//! and the grid's price and intensity now and ahead. It acts only through it: start a job (on
//! the first pool with room, or on a given one), hold a job back to a later start, or ask to
//! be woken at a time. The engine accounts for every effect, so energy stays exact.

pub mod book;
pub mod config;
pub mod conservative;
pub mod easy;
pub mod fifo;
pub mod lane;
pub mod placement;
pub mod power;
pub mod profile;
pub mod queue;
pub mod queued;
pub mod shared;
pub mod shift;
#[cfg(test)]
pub(crate) mod test_cluster;

pub use config::{Config, Estimate, Forecast, Quota, Shift, Signal};
pub use conservative::ConservativeScheduler;
pub use easy::EasyScheduler;
pub use fifo::FifoScheduler;
pub use placement::{NodeSlots, Placement};
pub use power::{AlwaysOn, BudgetCaps, PowerManager};

use crate::time::SimTime;
use serde::Deserialize;

/// Index of a job in the run's job table.
pub type JobId = u32;

/// The scheduling policies a scenario can name (`[scheduler] policy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Strict order: the first waiting job that does not fit blocks the ones behind it (the
    /// default).
    #[default]
    Fifo,
    /// EASY backfilling: the first blocked job holds a reservation; later jobs may start if
    /// they do not delay it.
    EasyBackfill,
    /// Conservative backfilling: every waiting job holds a reservation; a job may start early
    /// only if it delays none of them.
    ConservativeBackfill,
}

impl Config {
    /// Runs `work` with a fresh scheduler of this configuration's policy (statically
    /// dispatched, so the event loop is compiled once per policy and pays no virtual call per
    /// event).
    pub fn with<W: WithScheduler>(&self, work: W) -> W::Output {
        let queue = queue::WaitQueue::new(self);
        let book = book::Book::new(&self.quotas, self.policy != Policy::Fifo);
        let depth = self.backfill_depth;
        match self.policy {
            Policy::Fifo => work.run(FifoScheduler::new(queue, book, fifo::Fifo)),
            Policy::EasyBackfill => {
                work.run(EasyScheduler::new(queue, book, easy::Easy::new(depth)))
            }
            Policy::ConservativeBackfill => work.run(ConservativeScheduler::new(
                queue,
                book,
                conservative::Conservative::new(depth),
            )),
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
    /// Estimated runtime [ms] (`runtime_estimate` applied to the runtime as submitted: the
    /// wall time, or the runtime on the job's reference device; see
    /// [`Cluster::estimate_on`] for a given pool).
    pub runtime_estimate_ms: SimTime,
    /// Latest end [ms], if the job has a deadline.
    pub deadline_ms: Option<SimTime>,
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
    /// Marginal grid carbon intensity [g/kWh] (0 without a marginal series).
    pub marginal_g_per_kwh: f64,
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
    /// Jobs started or ended so far, by any source [count]: unchanged between two passes
    /// means no device was taken or freed in between (a policy may then reuse its plan).
    fn changes(&self) -> u64;
    /// The end of the simulated span [ms].
    fn horizon(&self) -> SimTime;
    /// The estimated runtime of waiting job `job` on pool `pool` [ms].
    fn estimate_on(&self, job: JobId, pool: u32) -> SimTime;
    /// Whether every job's estimate is the same on every pool (then
    /// `WaitingJob::runtime_estimate_ms` is it, and [`Cluster::estimate_on`] need not be asked).
    fn uniform_estimates(&self) -> bool;
    /// Starts `job` now on the first eligible pool with room; `None` when it does not fit.
    fn try_start(&mut self, job: JobId) -> Option<RunningJob>;
    /// Starts `job` now on pool `pool`; `None` when it does not fit there (or may not run
    /// there).
    fn try_start_on(&mut self, job: JobId, pool: u32) -> Option<RunningJob>;
    /// Holds `job` until `until` [ms] (a deferral, reported per job) and asks for a pass then.
    fn defer(&mut self, job: JobId, until: SimTime);
    /// Asks for a scheduling pass at time `t` [ms] (ignored at or beyond the horizon).
    fn wake_at(&mut self, t: SimTime);
}

/// Devices a job of `devices` devices (a share of one when `share_milli < 1000`) holds on a
/// pool of `devices_per_node`-device nodes: itself, or whole nodes when larger than a node; a
/// share counts as one device [count].
pub fn held_need(devices: u32, share_milli: u32, devices_per_node: u32) -> u64 {
    if share_milli < 1000 || devices <= devices_per_node {
        devices.max(1) as u64
    } else {
        devices.div_ceil(devices_per_node) as u64 * devices_per_node as u64
    }
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
    /// The jobs still waiting, in queue order (held jobs last, by release time).
    fn waiting(&self) -> Vec<JobId>;
    /// A job this policy started has ended at `at` [ms] (finished or reached its wall time).
    fn ended(&mut self, job: JobId, at: SimTime);
}
