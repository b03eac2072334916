//! Validates a job source's terms with the scheduler: `walltime` (a duration, `{ factor }` or
//! a distribution), `deadline` (a duration after submission, or `{ slack, share }`) and
//! `priority`.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::{RawSlack, RawWalltimeTable, StringOr};
use crate::model::terms::{Deadline, JobTerms, Walltime};

type Result<T> = std::result::Result<T, ScenarioError>;

/// The raw terms of one source.
pub(super) struct RawTerms<'r> {
    pub walltime: Option<&'r StringOr<RawWalltimeTable>>,
    pub deadline: Option<&'r StringOr<RawSlack>>,
    pub priority: Option<i64>,
}

/// The terms of the source at `key`; `single` for one explicit job (no distribution, no
/// share of jobs).
pub(super) fn job_terms(ctx: &Ctx, key: &KeyPath, raw: RawTerms, single: bool) -> Result<JobTerms> {
    let wkey = key.key("walltime");
    let walltime = match raw.walltime {
        None => None,
        Some(StringOr::Text(text)) => Some(Walltime::Fixed(positive(ctx, &wkey, text)?)),
        Some(StringOr::Table(RawWalltimeTable::Factor(f))) => Some(Walltime::Factor(ctx.number(
            &wkey.key("factor"),
            f.factor,
            1e-3,
            1e3,
            "a wall-time factor",
        )?)),
        Some(StringOr::Table(RawWalltimeTable::Dist(d))) => {
            if single {
                return Err(ctx.err(
                    &wkey,
                    "a distribution",
                    "one job has one wall time",
                    "give a duration such as walltime = \"6h\", or { factor = 1.5 }",
                ));
            }
            Some(Walltime::Dist(super::distributions::duration_dist(
                ctx, &wkey, d,
            )?))
        }
    };
    let dkey = key.key("deadline");
    let (deadline, deadline_share) = match raw.deadline {
        None => (None, None),
        Some(StringOr::Text(text)) => (Some(Deadline::After(positive(ctx, &dkey, text)?)), None),
        Some(StringOr::Table(t)) => {
            let slack = ctx.duration(&dkey.key("slack"), &t.slack)?;
            let share = match t.share {
                Some(_) if single => {
                    return Err(ctx.err(
                        &dkey.key("share"),
                        t.share.unwrap_or_default(),
                        "a share of jobs applies to workloads and traces, not to one job",
                        "remove share (the job has the deadline), or remove the deadline",
                    ));
                }
                Some(s) => Some(ctx.number(&dkey.key("share"), s, 0.0, 1.0, "a share of jobs")?),
                None => None,
            };
            (Some(Deadline::Slack(slack)), share)
        }
    };
    Ok(JobTerms {
        walltime,
        deadline,
        deadline_share,
        priority: raw.priority.unwrap_or(0),
    })
}

/// A duration longer than zero.
fn positive(ctx: &Ctx, key: &KeyPath, text: &str) -> Result<crate::time::SimTime> {
    let ms = ctx.duration(key, text)?;
    super::distributions::positive_duration(ms, text, key, ctx)?;
    Ok(ms)
}
