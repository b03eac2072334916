//! `wattsim plan`: size a cluster against service targets — bisection over the sized key for
//! each alternative, replications at every probed value — and write `plan.json`, `plan.csv`,
//! charts and report.html.

use super::{file_stem, warn};
use crate::plan::output::{PlanOutcome, plan_csv, plan_json};
use crate::report::folder::{OutputFolder, Scope};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Plans `file` into `out` [default: output/plan-STEM] on `threads` threads (0 = one per
/// core); `charts` draws the charts and report.html. A run estimated beyond `limits` (at the
/// largest value) stops the plan before it starts.
pub fn plan(
    file: &Path,
    out: Option<PathBuf>,
    threads: usize,
    charts: bool,
    force: bool,
    limits: &crate::scenario::estimate::Limits,
) -> Result<()> {
    let spec = crate::scenario::plan::read(file)?;
    let dir =
        out.unwrap_or_else(|| PathBuf::from("output").join(format!("plan-{}", file_stem(file))));
    let folder = OutputFolder::claim(&dir, Scope::Whole, force)?;
    for (i, alt) in spec.alternatives.iter().enumerate() {
        let s = spec.scenario(alt, spec.max)?;
        crate::scenario::estimate::check(&s, file, &spec.template.source, limits, false)?;
        if i == 0 {
            warn(&s.notes);
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting the worker threads")?;
    let mut sized = vec![];
    for alt in &spec.alternatives {
        let mut evaluate = |v: i64| {
            let p = crate::plan::evaluate(&spec, alt, v, &pool);
            progress!(
                "plan: {}{} = {v}: {}",
                if spec.alternatives.len() > 1 {
                    format!("[{}] ", alt.label)
                } else {
                    String::new()
                },
                spec.vary,
                describe(&spec, &p)
            );
            p
        };
        sized.push(crate::plan::size(&spec, &alt.label, &mut evaluate));
    }
    let outcome = PlanOutcome::new(&spec, sized);
    let json =
        serde_json::to_vec_pretty(&plan_json(&spec, &outcome)).context("encoding plan.json")?;
    let json = [json, b"\n".to_vec()].concat();
    let drawn = if charts {
        crate::plot::plan::plan_outputs(&json, &file_stem(file))?
    } else {
        vec![]
    };
    let mut files = vec![
        ("plan.json".to_string(), json),
        (
            "plan.csv".to_string(),
            plan_csv(&spec, &outcome).context("encoding plan.csv")?,
        ),
    ];
    files.extend(drawn);
    let written = crate::report::output::write_files(&dir, &files)
        .with_context(|| format!("writing the plan into `{}`", dir.display()))?;
    folder.finish(&written)?;
    say!("{}", render(&spec, &outcome));
    sayln!(
        "wrote {}/ (plan.json, plan.csv{})",
        dir.display(),
        if charts { ", charts/, report.html" } else { "" }
    );
    Ok(())
}

/// One probe in a line: met or not, each target metric's mean and interval.
fn describe(spec: &crate::scenario::plan::PlanSpec, p: &crate::plan::Probe) -> String {
    if let Some(e) = p.error.as_deref().filter(|_| p.runs == 0 || p.failed > 0) {
        return format!("failed: {}", e.lines().last().unwrap_or(e));
    }
    let metrics: Vec<String> = spec
        .targets
        .iter()
        .filter_map(|t| {
            p.stat(&t.metric).map(|s| {
                format!(
                    "{} {:.4} (95 % CI {:.4} … {:.4})",
                    t.metric, s.mean, s.ci95_low, s.ci95_high
                )
            })
        })
        .collect();
    let verdict = match (&p.unsettled, p.met) {
        (Some(why), _) => format!("misses ({why})"),
        (None, true) => "meets".to_string(),
        (None, false) => "misses".to_string(),
    };
    format!("{verdict} — {}", metrics.join(", "))
}

/// The console summary: the answer, each alternative, the notes and warnings that apply.
fn render(spec: &crate::scenario::plan::PlanSpec, outcome: &PlanOutcome) -> String {
    let mut out = String::new();
    let range = format!("{} = {}..{}", spec.vary, spec.min, spec.max);
    for (rank, s) in outcome.ranked.iter().enumerate() {
        let head = if outcome.ranked.len() > 1 {
            format!("{}. {}: ", rank + 1, s.label)
        } else {
            String::new()
        };
        match s.answer.and_then(|v| s.probe(v)) {
            Some(p) => {
                let cost = crate::plan::cost_metric(p);
                let c = p.stat(cost).map_or(f64::NAN, |c| c.mean);
                out.push_str(&format!(
                    "{head}smallest {} meeting every target: {} ({cost} {c:.2} mean over {} runs)\n",
                    spec.vary, p.value, p.runs
                ));
                for w in &p.warnings {
                    out.push_str(&format!("  warning: {w}\n"));
                }
            }
            None => out.push_str(&format!(
                "{head}no value in {range} meets every target{}\n",
                s.best
                    .map(|b| format!("; the closest probed is {b}"))
                    .unwrap_or_default()
            )),
        }
        for n in &s.notes {
            out.push_str(&format!("  note: {n}\n"));
        }
    }
    out.push_str(&format!(
        "{} runs at {} probed values (a full scan of {range} would take {} runs)\n",
        outcome.runs,
        outcome.ranked.iter().map(|s| s.probes.len()).sum::<usize>(),
        outcome.full_scan_runs
    ));
    out
}
