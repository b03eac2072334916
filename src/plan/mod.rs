//! Capacity planning: finds the smallest value of a key (nodes of a pool) whose runs meet
//! every service target, by bisection on values that improve with capacity — probing a few
//! values, each with the same replications (common random numbers) — and checks what the
//! bisection assumes: that the targets' metrics move one way, and that each probe's
//! confidence interval is clear of its target. Each alternative is sized the same way, then
//! ranked by total cost of ownership.

pub mod output;
pub mod search;

pub use search::{Probe, Sized, judge, size};

use crate::scenario::plan::PlanSpec;
use crate::sweep::record::RunRecord;
use crate::sweep::stats::{Stats, stats};

/// The metric alternatives are ranked by: the total cost of ownership where the scenario
/// prices its hardware, else the energy bill.
pub fn cost_metric(probe: &Probe) -> &'static str {
    if probe.stat("tco_total").is_some() {
        "tco_total"
    } else {
        "total_cost"
    }
}

/// A probed value's runs: statistics of every metric over the runs that succeeded.
pub fn probe_of(value: i64, runs: Vec<RunRecord>, spec: &PlanSpec) -> Probe {
    let ok: Vec<&RunRecord> = runs.iter().filter(|r| r.error.is_none()).collect();
    let mut metrics: Vec<(String, Stats)> = vec![];
    if let Some(first) = ok.first() {
        for (name, _) in &first.metrics {
            let values: Vec<f64> = ok.iter().filter_map(|r| r.metric(name)).collect();
            if values.len() == ok.len() {
                metrics.push((name.clone(), stats(&values)));
            }
        }
    }
    let error = runs.iter().find_map(|r| r.error.clone());
    let mut probe = Probe {
        value,
        runs: runs.len(),
        failed: runs.len() - ok.len(),
        error,
        metrics,
        met: false,
        unsettled: None,
        warnings: vec![],
    };
    // A queue that does not settle has waits that grow with the horizon: whatever its
    // means say, such a value does not meet a service target.
    let unsettled = runs
        .iter()
        .filter(|r| {
            r.warnings
                .iter()
                .any(|w| crate::report::overload::unsettled(w))
        })
        .count();
    // Judged like the targets: on the mean, the queue must settle in most runs; on the
    // pessimistic end of the interval, in every run.
    let allowed = match spec.decide {
        crate::scenario::plan::Decide::Mean => runs.len() / 2,
        crate::scenario::plan::Decide::UpperCi => 0,
    };
    if unsettled > allowed {
        probe.unsettled = Some(format!(
            "the queue does not settle in {unsettled} of {} runs; see the warnings",
            runs.len()
        ));
    }
    probe.met = probe.failed == 0 && probe.unsettled.is_none() && judge(spec, &probe);
    probe.warnings = search::warnings(spec, &probe, &runs);
    probe
}

/// Runs `spec`'s alternative `alt` at `value`: every replication on `pool`, seeded as in a
/// sweep (the same seeds at every value). A value whose scenario is invalid is a probe that
/// failed with the reason.
pub fn evaluate(
    spec: &PlanSpec,
    alt: &crate::scenario::plan::Alternative,
    value: i64,
    pool: &rayon::ThreadPool,
) -> Probe {
    use rayon::prelude::*;
    let scenario = match spec.scenario(alt, value) {
        Ok(s) => s,
        Err(e) => {
            return Probe {
                value,
                runs: 0,
                failed: 0,
                error: Some(e.to_string()),
                metrics: vec![],
                met: false,
                unsettled: None,
                warnings: vec![],
            };
        }
    };
    let runs: Vec<RunRecord> = pool.install(|| {
        (0..spec.replications)
            .into_par_iter()
            .map(|r| {
                let seed = crate::engine::rng::replication_seed(scenario.seed, r);
                match crate::sweep::runner::guarded(|| {
                    crate::sim::run_with(&scenario, seed, &mut crate::result::Discard)
                }) {
                    Ok(result) => RunRecord::from_result(0, r, &result),
                    Err(error) => RunRecord {
                        point: 0,
                        replication: r,
                        seed,
                        error: Some(error),
                        metrics: vec![],
                        months: vec![],
                        warnings: vec![],
                    },
                }
            })
            .collect()
    });
    probe_of(value, runs, spec)
}
