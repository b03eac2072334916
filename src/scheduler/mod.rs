//! Scheduling: which waiting job starts next (a policy trait) and where it goes (first-fit
//! placement over each pool's nodes).

pub mod fifo;
pub mod placement;
pub mod shared;

pub use fifo::FifoScheduler;
pub use placement::{NodeSlots, Placement};

/// Index of a job in the run's job table.
pub type JobId = u32;

/// A queueing policy. The simulation owns placement; the policy only orders the waiting jobs
/// and decides which to try.
pub trait Scheduler {
    /// Policy name for reports.
    fn name(&self) -> &'static str;
    /// A job has arrived and waits.
    fn enqueue(&mut self, job: JobId);
    /// Number of waiting jobs.
    fn queued(&self) -> usize;
    /// Offers waiting jobs to `try_start`, which starts the job and returns `true` when it
    /// could be placed; started jobs leave the queue.
    fn dispatch(&mut self, try_start: &mut dyn FnMut(JobId) -> bool);
    /// The jobs still waiting, in queue order.
    fn waiting(&self) -> Vec<JobId>;
}
