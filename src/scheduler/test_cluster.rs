//! A one-pool, one-node cluster for policy unit tests: jobs of given sizes (and, optionally,
//! priorities and runtime estimates), devices taken as jobs start, a clock that tests move,
//! and a step series of grid intensity.

use super::{Cluster, GridSignal, JobId, RunningJob, WaitingJob};
use crate::time::SimTime;

/// A waiting job of `devices` devices estimated at `estimate_ms`, submitted at 0, for tests.
pub fn waiting_job(
    id: JobId,
    devices: u32,
    estimate_ms: SimTime,
    tenant: Option<u32>,
) -> WaitingJob {
    WaitingJob {
        id,
        devices,
        share_milli: 1000,
        pool: None,
        submit_ms: 0,
        tenant,
        priority: 0,
        runtime_estimate_ms: estimate_ms,
        deadline_ms: None,
    }
}

/// A single node with `free` devices and a list of job sizes (job id `i` has `sizes[i]`
/// devices).
pub struct TestCluster {
    free: u32,
    capacity: u32,
    sizes: Vec<u32>,
    priorities: Vec<i64>,
    estimates: Vec<SimTime>,
    intensity: Vec<(SimTime, f64)>,
    /// The clock [ms].
    pub now: SimTime,
    /// Jobs started, in order.
    pub started: Vec<JobId>,
    /// Wake-ups asked for [ms].
    pub wakes: Vec<SimTime>,
    /// Deferrals: (job, until [ms]).
    pub deferred: Vec<(JobId, SimTime)>,
    /// Jobs ended [count].
    ended: usize,
    /// Jobs whose next start fails even when they fit (a placement split across nodes).
    refuse: Vec<JobId>,
}

impl TestCluster {
    /// A node with `free` devices and jobs of `sizes` devices (each estimated at 1 h).
    pub fn new(free: u32, sizes: &[u32]) -> Self {
        Self {
            free,
            capacity: free,
            sizes: sizes.to_vec(),
            priorities: vec![0; sizes.len()],
            estimates: vec![3_600_000; sizes.len()],
            intensity: vec![(0, 0.0)],
            now: 0,
            started: vec![],
            wakes: vec![],
            deferred: vec![],
            ended: 0,
            refuse: vec![],
        }
    }

    /// Job `job` has priority `p`.
    pub fn with_priority(mut self, job: JobId, p: i64) -> Self {
        self.priorities[job as usize] = p;
        self
    }

    /// Job `job` is estimated to run `ms`.
    pub fn with_estimate(mut self, job: JobId, ms: SimTime) -> Self {
        self.estimates[job as usize] = ms;
        self
    }

    /// Grid intensity as steps (from [ms], g/kWh).
    pub fn with_intensity(mut self, steps: Vec<(SimTime, f64)>) -> Self {
        self.intensity = steps;
        self
    }

    /// Job `job`'s next start fails once even if it fits.
    pub fn refusing_once(mut self, job: JobId) -> Self {
        self.refuse.push(job);
        self
    }

    /// A started job ends, giving back its devices.
    pub fn end(&mut self, job: JobId) {
        self.free += self.sizes[job as usize];
        self.ended += 1;
    }
}

impl Cluster for TestCluster {
    fn now(&self) -> SimTime {
        self.now
    }
    fn job(&self, job: JobId) -> WaitingJob {
        WaitingJob {
            priority: self.priorities[job as usize],
            ..waiting_job(
                job,
                self.sizes[job as usize],
                self.estimates[job as usize],
                None,
            )
        }
    }
    fn pools(&self) -> u32 {
        1
    }
    fn free_devices(&self, _pool: u32) -> u64 {
        self.free as u64
    }
    fn shape(&self, _pool: u32) -> (u32, u32) {
        (1, self.capacity)
    }
    fn free_on_node(&self, _pool: u32, _node: u32) -> u32 {
        self.free
    }
    fn running(&self, _visit: &mut dyn FnMut(&RunningJob)) {}
    fn grid(&self, t: SimTime) -> GridSignal {
        let i = self
            .intensity
            .partition_point(|s| s.0 <= t)
            .saturating_sub(1);
        GridSignal {
            intensity_g_per_kwh: self.intensity[i].1,
            ..GridSignal::default()
        }
    }
    fn next_grid_change_after(&self, t: SimTime) -> Option<SimTime> {
        self.intensity.iter().map(|s| s.0).find(|&s| s > t)
    }
    fn changes(&self) -> u64 {
        (self.started.len() + self.ended) as u64
    }
    fn horizon(&self) -> SimTime {
        SimTime::MAX / 4
    }
    fn uniform_estimates(&self) -> bool {
        true
    }
    fn estimate_on(&self, job: JobId, _pool: u32) -> SimTime {
        self.estimates[job as usize]
    }
    fn try_start(&mut self, job: JobId) -> Option<RunningJob> {
        self.try_start_on(job, 0)
    }
    fn try_start_on(&mut self, job: JobId, _pool: u32) -> Option<RunningJob> {
        let need = self.sizes[job as usize];
        if need > self.free {
            return None;
        }
        if let Some(i) = self.refuse.iter().position(|&j| j == job) {
            self.refuse.remove(i);
            return None;
        }
        self.free -= need;
        self.started.push(job);
        Some(RunningJob {
            id: job,
            pool: 0,
            held_devices: need,
            start_ms: self.now,
            estimated_end_ms: self.now + self.estimates[job as usize],
        })
    }
    fn defer(&mut self, job: JobId, until: SimTime) {
        self.deferred.push((job, until));
        self.wakes.push(until);
    }
    fn wake_at(&mut self, t: SimTime) {
        self.wakes.push(t);
    }
}
