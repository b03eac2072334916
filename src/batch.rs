//! Batches of runs in parallel: one single-threaded, deterministic run per (scenario, seed),
//! spread over a rayon pool. Results come back in input order whatever the thread count.

use crate::result::RunResult;
use crate::scenario::Scenario;
use rayon::prelude::*;

/// One run to do.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The run's seed.
    pub seed: u64,
}

/// Runs every spec, in parallel over `threads` threads (0 = one per core); results are in
/// the order of `specs`.
pub fn run_all(
    specs: &[RunSpec<'_>],
    threads: usize,
) -> Result<Vec<RunResult>, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    Ok(pool.install(|| {
        specs
            .par_iter()
            .map(|spec| crate::sim::run(spec.scenario, spec.seed))
            .collect()
    }))
}

/// Seeds for `replications` runs of a scenario: the base seed, then seeds derived from it.
pub fn replication_seeds(base: u64, replications: u64) -> Vec<u64> {
    (0..replications)
        .map(|r| crate::engine::rng::replication_seed(base, r))
        .collect()
}
