//! The events of a run: what can happen at an instant.

use crate::scheduler::JobId;

/// Something that happens at an instant.
#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
    /// An explicit job is submitted.
    Submit(JobId),
    /// The next job of a workload arrives.
    Arrival(u32),
    /// A running job finishes; the second field is its slot in the running table (stale
    /// when the slot holds another job or the job ends at another time).
    Finish(JobId, u32),
    /// The pending job of a trace is submitted.
    TraceRow(u32),
    /// A running job's utilisation changes (load profile); job and slot (stale unless the
    /// slot's next change is due now).
    Phase(JobId, u32),
    /// A service's load changes: rescale and re-load its replicas.
    ServiceStep(u32),
    /// The scheduler asked to be woken: a scheduling pass.
    Wake,
    /// A job placed on booting nodes begins; job and slot (stale if the slot was reused).
    Begin(JobId, u32),
    /// A booting node of a pool is up: pool and node.
    NodeUp(u32, u32),
    /// A node's idle time may be up (power it off if it stayed idle): pool and node.
    NodeIdle(u32, u32),
    /// A pool is installed (`from`).
    Install(u32),
    /// A pool is retired (`until`).
    Retire(u32),
}
