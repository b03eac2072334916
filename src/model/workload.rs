//! Work: explicit jobs, generated workloads (an arrival process and the distributions each
//! job is drawn from) and per-job load profiles.

pub use super::arrival::{Arrival, ArrivalState, RateProfile};
pub use super::distribution::{Choice, DeviceCount, DurationDist, UtilizationDist};

use crate::time::SimTime;

/// A job listed explicitly in the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSpec {
    /// Job name.
    pub name: String,
    /// Submission time [ms since start].
    pub submit_ms: SimTime,
    /// Devices requested [count].
    pub devices: u32,
    /// Share of one device [thousandths] for a fractional job (1000 = whole devices).
    pub share_milli: u32,
    /// Run time once started [ms].
    pub duration_ms: SimTime,
    /// Device utilisation while running [0..1].
    pub utilization: f64,
    /// Pool the job must run on (index into the scenario's pools), or any pool.
    pub pool: Option<usize>,
    /// How `duration_ms` is to be read (wall time, reference run time, or FLOPs).
    pub work: crate::model::work::Work,
    /// Per-device throughput overrides.
    pub speeds: crate::model::work::Speeds,
    /// Tenant index into the scenario's tenants.
    pub tenant: Option<u32>,
    /// Utilisation over time, if not constant.
    pub profile: Option<LoadProfile>,
    /// Wall time, deadline and priority.
    pub terms: crate::model::terms::JobTerms,
}

/// How a job's utilisation changes while it runs: `phases` once from the start (e.g. data
/// loading), then `cycle` repeated until the job ends (e.g. training steps with a checkpoint
/// dip). Each entry is (length [ms], utilisation [0..1]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadProfile {
    /// Phases run once.
    pub phases: Vec<(SimTime, f64)>,
    /// Phases repeated after them (may be empty: the last phase then holds).
    pub cycle: Vec<(SimTime, f64)>,
}

impl LoadProfile {
    /// The highest utilisation any phase reaches [0..1].
    pub fn peak_utilization(&self) -> f64 {
        self.phases
            .iter()
            .chain(&self.cycle)
            .map(|&(_, u)| u)
            .fold(0.0, f64::max)
    }

    /// Utilisation at `offset` [ms] after the start, and the offset of the next change.
    pub fn at(&self, offset: SimTime) -> (f64, Option<SimTime>) {
        let mut t = 0;
        for &(len, u) in &self.phases {
            if offset < t + len {
                return (u, Some(t + len));
            }
            t += len;
        }
        let period: SimTime = self.cycle.iter().map(|(len, _)| len).sum();
        if period == 0 {
            return (self.phases.last().map_or(1.0, |p| p.1), None);
        }
        let into = (offset - t) % period;
        let cycle_start = offset - into;
        let mut c = 0;
        for &(len, u) in &self.cycle {
            if into < c + len {
                return (u, Some(cycle_start + c + len));
            }
            c += len;
        }
        (self.cycle[0].1, Some(cycle_start + period))
    }
}

/// A generated stream of jobs.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Workload name; generated jobs are named `<name>-<n>`.
    pub name: String,
    /// Arrival process.
    pub arrival: Arrival,
    /// Device-count distribution.
    pub devices: DeviceCount,
    /// Each job's stated size: its run time [ms] (wall time, or on the reference device), or
    /// its work in GFLOP when `work` is [`Work::DrawnFlops`](crate::model::work::Work).
    pub size: DurationDist,
    /// Device utilisation of each job while running [0..1].
    pub utilization: UtilizationDist,
    /// Stop after this many jobs (else arrivals continue to the horizon).
    pub max_jobs: Option<u64>,
    /// Pool the jobs must run on, or any pool.
    pub pool: Option<usize>,
    /// How sampled sizes are read (wall time, run time on a reference device, or FLOPs).
    pub work: crate::model::work::Work,
    /// Per-device throughput overrides.
    pub speeds: crate::model::work::Speeds,
    /// Tenant index into the scenario's tenants.
    pub tenant: Option<u32>,
    /// Jobs arriving together at each arrival [count distribution].
    pub batch: DeviceCount,
    /// Utilisation over time, if not constant.
    pub profile: Option<LoadProfile>,
    /// Wall time, deadline and priority.
    pub terms: crate::model::terms::JobTerms,
}

impl Workload {
    /// A job's mean run time [ms] on the first pool it may run on (for estimates; a job sized
    /// in FLOPs counted at its largest device count, reference sizes scaled to that pool).
    pub fn mean_run_ms(&self, pools: &[crate::model::pool::Pool]) -> f64 {
        let mean = self.size.mean_ms();
        let Some(pool) = crate::model::scenario::eligible(pools, self.pool).first() else {
            return mean;
        };
        let base = crate::time::round_u64(mean);
        crate::model::work::wall_ms(
            &self.work,
            base,
            &self.speeds,
            &pool.device,
            self.devices.max().max(1),
            1.0,
        ) as f64
    }

    /// Jobs it would create over `horizon_ms` arriving at its peak rate, batches at their
    /// largest, before any `max_jobs` cap [count] (an upper estimate for sizing and limits).
    pub fn jobs_at_peak_rate(&self, horizon_ms: SimTime) -> f64 {
        let hours = crate::time::ms_to_hours(horizon_ms);
        self.arrival.peak_rate_per_hour(horizon_ms) * hours * self.batch.max() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_profile_phases_then_cycle() {
        // 5 min at 0.3, then cycles of 28 min at 0.95 and 2 min at 0.15.
        let m = 60_000;
        let p = LoadProfile {
            phases: vec![(5 * m, 0.3)],
            cycle: vec![(28 * m, 0.95), (2 * m, 0.15)],
        };
        assert_eq!(p.at(0), (0.3, Some(5 * m)));
        assert_eq!(p.at(5 * m), (0.95, Some(33 * m)));
        assert_eq!(p.at(33 * m), (0.15, Some(35 * m)));
        // 64 min = 5 + 30 + 29: in the second cycle's dip (63..65 min).
        assert_eq!(p.at(64 * m), (0.15, Some(65 * m)));
    }
}
