//! The records the run's core holds besides the job table and ledger: each running job (where
//! it runs, since when its current draw is charged, when it ends or changes load) and the
//! state of every source of jobs (workload streams, trace readers, service replicas).

use crate::engine::rng::{SimRng, stream};
use crate::meter::{Accumulators, attribute};
use crate::model::scenario::Scenario;
use crate::model::trace::{SkipCounts, TraceItem, TraceJob};
use crate::model::workload::ArrivalState;
use crate::result::JobRecord;
use crate::scheduler::{JobId, Placement};
use crate::time::SimTime;

/// The first index of the random streams for job terms (apart from workload `w`'s `[w]`).
const TERMS_STREAM: u64 = 1 << 40;

/// A job that holds devices.
pub(super) struct Running {
    pub(super) job: JobId,
    pub(super) pool: u32,
    pub(super) placement: Placement,
    /// Meter integrals when the job's current draw began.
    pub(super) since: Accumulators,
    /// When the current draw began [ms].
    pub(super) since_ms: SimTime,
    /// When it finishes (or reaches its wall time) [ms].
    pub(super) end_ms: SimTime,
    /// When the policy expects it to end [ms].
    pub(super) estimated_end_ms: SimTime,
    /// When its load profile next changes [ms].
    pub(super) next_phase_ms: Option<SimTime>,
    /// Its utilisation now [0..1].
    pub(super) u_now: f64,
    /// Its draw at the highest utilisation of its load profile under the caps now [µW].
    pub(super) peak_uw: u64,
    /// The same with every device at the cap floor (`cap_then_hold`) [µW].
    pub(super) floor_uw: u64,
    /// What a job placed on booting nodes does when it begins (`None` once it has begun).
    pub(super) pending: Option<Box<Pending>>,
    /// Slow-down of its work under the caps now [≥ 1], and when it would finish at that
    /// pace without a wall-time limit [ms].
    pub(super) slowdown: f64,
    pub(super) natural_end_ms: SimTime,
    /// Its work when sized in FLOPs [FLOP], else 0 (its stated size is replaced by its wall
    /// time when it begins).
    pub(super) flops: f64,
}

/// A job placed on nodes still booting: what it takes over when it begins.
pub(super) struct Pending {
    /// Idle draw its placement takes over [µW], and the devices it makes busy.
    pub(super) idle_taken_uw: u64,
    pub(super) busy: u32,
    /// What it adds to the ledger's `extra_uw` and `floor_uw` until it begins [µW].
    pub(super) reserve_uw: u64,
    pub(super) floor_reserve_uw: u64,
}

impl Running {
    /// Whether it has begun (a job placed on booting nodes begins when they are up).
    #[inline]
    pub(super) fn begun(&self) -> bool {
        self.pending.is_none()
    }

    /// Charges the job's record with its current draw from when it began up to `now`, when
    /// the meter's integrals are `acc`.
    pub(super) fn charge(&self, record: &mut JobRecord, now: SimTime, acc: &Accumulators) {
        record.attribution.add(&attribute(
            record.power_uw,
            self.since_ms,
            now,
            &self.since,
            acc,
        ));
    }
}

/// A service's replicas.
#[derive(Default)]
pub(super) struct ServiceState {
    /// Running replicas: job and running-table slot (a replica keeps its slot until it ends).
    pub(super) replicas: Vec<(JobId, u32)>,
    pub(super) seq: u64,
    /// Replicas wanted but not placed since `last_step`.
    pub(super) unplaced: u32,
    pub(super) last_step: SimTime,
}

/// A trace being replayed: rows are read one ahead of the clock.
pub(super) struct TraceState {
    pub(super) rows: Box<dyn Iterator<Item = TraceItem> + Send>,
    pub(super) pending: Option<(u64, TraceJob)>,
    pub(super) row: u64,
    pub(super) last_submit: SimTime,
    pub(super) skips: SkipCounts,
    pub(super) used: u64,
}

/// The run-time state of every source of jobs.
pub(super) struct Arrivals {
    /// One random stream per workload.
    pub(super) rngs: Vec<SimRng>,
    /// Markov-modulated arrival state of each workload.
    pub(super) modulation: Vec<ArrivalState>,
    /// Jobs generated so far per workload [count].
    pub(super) generated: Vec<u64>,
    pub(super) traces: Vec<TraceState>,
    pub(super) services: Vec<ServiceState>,
    /// Replica-hours wanted but not placed, up to each service's last step [h].
    pub(super) unplaced_replica_hours: f64,
    /// One stream per trace for job terms that draw (wall-time distributions, deadline
    /// shares), apart from the workloads' streams.
    pub(super) terms_rngs: Vec<SimRng>,
}

impl Arrivals {
    /// Fresh state: workload streams seeded from `seed`, traces opened at their first row.
    pub(super) fn new(scenario: &Scenario, seed: u64) -> Self {
        let workloads = scenario.workloads.len();
        Self {
            rngs: (0..workloads as u64).map(|w| stream(seed, &[w])).collect(),
            modulation: vec![Default::default(); workloads],
            generated: vec![0; workloads],
            traces: scenario
                .traces
                .iter()
                .map(|t| TraceState {
                    rows: t.source.open(),
                    pending: None,
                    row: 0,
                    last_submit: 0,
                    skips: vec![],
                    used: 0,
                })
                .collect(),
            services: (0..scenario.services.len())
                .map(|_| ServiceState::default())
                .collect(),
            unplaced_replica_hours: 0.0,
            terms_rngs: (0..=scenario.traces.len() as u64)
                .map(|t| stream(seed, &[TERMS_STREAM, t]))
                .collect(),
        }
    }
}
