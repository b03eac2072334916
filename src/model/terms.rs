//! A job's terms with the scheduler: the wall time it requests, the deadline by which it must
//! end (which lets a policy defer it), and its priority. Explicit jobs, workloads and traces
//! carry the same terms; each job's are fixed when it is created.

use super::distribution::DurationDist;
use crate::engine::rng::SimRng;
use crate::time::SimTime;
use rand::Rng;

/// The requested wall time of a source's jobs (`walltime`).
#[derive(Debug, Clone, PartialEq)]
pub enum Walltime {
    /// The same for every job [ms] (`walltime = "6h"`).
    Fixed(SimTime),
    /// The true runtime times a factor, rounded to the clock (`{ factor = 1.5 }`).
    Factor(f64),
    /// Drawn for each job (`{ distribution = … }`), independently of its runtime.
    Dist(DurationDist),
}

/// When a source's jobs must end (`deadline`), counted from each job's submission.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Deadline {
    /// Latest end this long after submission [ms] (`deadline = "36h"`).
    After(SimTime),
    /// Latest end the job's runtime plus this slack after submission [ms]
    /// (`deadline = { slack = "12h" }`).
    Slack(SimTime),
}

/// The terms of a source's jobs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobTerms {
    /// Requested wall time, if any.
    pub walltime: Option<Walltime>,
    /// Deadline, if any.
    pub deadline: Option<Deadline>,
    /// Share of the jobs that have the deadline (`deadline = { …, share = 0.3 }`) [0..1];
    /// `None`: all of them.
    pub deadline_share: Option<f64>,
    /// Priority: higher starts first [-].
    pub priority: i64,
}

/// One job's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Terms {
    /// Requested wall time [ms].
    pub walltime_ms: Option<SimTime>,
    /// Latest end [ms since the simulation start].
    pub deadline_ms: Option<SimTime>,
    /// Priority [-].
    pub priority: i64,
}

impl JobTerms {
    /// The terms of a job submitted at `submit_ms` with runtime `runtime_ms` (as submitted:
    /// wall time, or the runtime on the reference device). `requested_ms` is a wall time the
    /// job's own record gives (a trace's requested-time column), which wins over `walltime`.
    /// Draws from `rng` only for a wall-time distribution or a deadline share, so sources
    /// without them draw exactly what they drew before terms existed.
    pub fn realize(
        &self,
        submit_ms: SimTime,
        runtime_ms: SimTime,
        requested_ms: Option<SimTime>,
        rng: &mut SimRng,
    ) -> Terms {
        let walltime_ms = requested_ms.or_else(|| {
            self.walltime.as_ref().map(|w| match w {
                Walltime::Fixed(ms) => *ms,
                Walltime::Factor(f) => crate::time::round_u64(runtime_ms as f64 * f).max(1),
                Walltime::Dist(d) => d.sample_ms(rng),
            })
        });
        let has_deadline = match self.deadline_share {
            Some(share) if self.deadline.is_some() => rng.random::<f64>() < share,
            _ => self.deadline.is_some(),
        };
        let deadline_ms = self.deadline.filter(|_| has_deadline).map(|d| match d {
            Deadline::After(ms) => submit_ms.saturating_add(ms),
            Deadline::Slack(ms) => submit_ms.saturating_add(runtime_ms).saturating_add(ms),
        });
        Terms {
            walltime_ms,
            deadline_ms,
            priority: self.priority,
        }
    }

    /// Whether realising these terms draws random numbers.
    pub fn draws(&self) -> bool {
        matches!(self.walltime, Some(Walltime::Dist(_)))
            || (self.deadline.is_some() && self.deadline_share.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_follow_the_source() {
        let mut rng = crate::engine::rng::stream(1, &[0]);
        let h = 3_600_000;
        let t = JobTerms {
            walltime: Some(Walltime::Factor(1.5)),
            deadline: Some(Deadline::Slack(12 * h)),
            deadline_share: None,
            priority: 7,
        };
        // Submitted at 1 h, 2 h runtime: wall time 1.5 × 2 h = 3 h; deadline 1 + 2 + 12 = 15 h.
        let got = t.realize(h, 2 * h, None, &mut rng);
        assert_eq!(got.walltime_ms, Some(3 * h));
        assert_eq!(got.deadline_ms, Some(15 * h));
        assert_eq!(got.priority, 7);
        // A requested time in the job's record wins.
        assert_eq!(t.realize(h, 2 * h, Some(5), &mut rng).walltime_ms, Some(5));
        // `After` counts from submission only: 1 h + 36 h.
        let after = JobTerms {
            deadline: Some(Deadline::After(36 * h)),
            ..JobTerms::default()
        };
        assert_eq!(
            after.realize(h, 2 * h, None, &mut rng).deadline_ms,
            Some(37 * h)
        );
        assert!(!after.draws() && !t.draws());
    }

    #[test]
    fn a_deadline_share_marks_that_share_of_jobs() {
        let mut rng = crate::engine::rng::stream(9, &[0]);
        let t = JobTerms {
            deadline: Some(Deadline::After(1000)),
            deadline_share: Some(0.3),
            ..JobTerms::default()
        };
        let n = 20_000;
        let with = (0..n)
            .filter(|_| t.realize(0, 10, None, &mut rng).deadline_ms.is_some())
            .count();
        // Binomial(20000, 0.3): σ = √(20000 · 0.3 · 0.7) ≈ 64.8; ±5σ ≈ ±324 jobs.
        assert!((with as i64 - 6000).abs() < 324, "{with}");
    }
}
