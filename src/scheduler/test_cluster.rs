//! A one-pool, one-node cluster for policy unit tests: jobs of given sizes, devices taken as
//! jobs start, time fixed at 0.

use super::{Cluster, GridSignal, JobId, RunningJob, WaitingJob};
use crate::time::SimTime;

/// A single node with `free` devices and a list of job sizes (job id `i` has `sizes[i]`
/// devices).
pub struct TestCluster {
    free: u32,
    sizes: Vec<u32>,
    /// Jobs started, in order.
    pub started: Vec<JobId>,
    /// Wake-ups asked for [ms].
    pub wakes: Vec<SimTime>,
}

impl TestCluster {
    /// A node with `free` devices and jobs of `sizes` devices.
    pub fn new(free: u32, sizes: &[u32]) -> Self {
        Self {
            free,
            sizes: sizes.to_vec(),
            started: vec![],
            wakes: vec![],
        }
    }
}

impl Cluster for TestCluster {
    fn now(&self) -> SimTime {
        0
    }
    fn job(&self, job: JobId) -> WaitingJob {
        WaitingJob {
            id: job,
            devices: self.sizes[job as usize],
            share_milli: 1000,
            pool: None,
            submit_ms: 0,
            tenant: None,
            priority: 0,
            runtime_estimate_ms: 3_600_000,
        }
    }
    fn pools(&self) -> u32 {
        1
    }
    fn free_devices(&self, _pool: u32) -> u64 {
        self.free as u64
    }
    fn shape(&self, _pool: u32) -> (u32, u32) {
        (1, self.free)
    }
    fn free_on_node(&self, _pool: u32, _node: u32) -> u32 {
        self.free
    }
    fn running(&self, _visit: &mut dyn FnMut(&RunningJob)) {}
    fn grid(&self, _t: SimTime) -> GridSignal {
        GridSignal::default()
    }
    fn next_grid_change_after(&self, _t: SimTime) -> Option<SimTime> {
        None
    }
    fn try_start(&mut self, job: JobId) -> bool {
        let need = self.sizes[job as usize];
        if need > self.free {
            return false;
        }
        self.free -= need;
        self.started.push(job);
        true
    }
    fn wake_at(&mut self, t: SimTime) {
        self.wakes.push(t);
    }
}
