//! `wattsim validate`: check a scenario and every point of its sweep without running.

use super::warn;
use anyhow::Result;
use std::path::Path;

/// Loads `file` and expands its sweep; prints what it holds and what a run is estimated to
/// cost, or returns the first error (a run beyond `limits` included).
pub fn validate(file: &Path, limits: &crate::scenario::estimate::Limits) -> Result<()> {
    let loaded = crate::scenario::load(file)?;
    warn(&loaded.scenario.notes);
    super::remark(&loaded.scenario.remarks);
    let s = &loaded.scenario;
    let estimate = crate::scenario::estimate::check(s, file, &loaded.source, limits, true)?;
    let expanded = crate::scenario::sweep::expand(file, 0)?;
    let total = expanded.points.len();
    for point in expanded.points {
        let scenario = point.scenario?;
        crate::scenario::estimate::check(&scenario, file, &loaded.source, limits, false)?;
    }
    let mut sweep = if expanded.axes.is_empty() {
        String::new()
    } else {
        format!(
            "; sweep of {total} point(s) × {} replication(s), every point valid",
            expanded.replications
        )
    };
    // The text already read: no second read of the file.
    let template = crate::scenario::template::Template::parse(file, loaded.source.clone())?;
    if template.table.contains_key("plan") {
        let plan = crate::scenario::plan::from_template(template)?;
        sweep.push_str(&format!(
            "; plan of `{}` over {}..{} against {} target(s), {} alternative(s), each valid at both ends",
            plan.vary,
            plan.min,
            plan.max,
            plan.targets.len(),
            plan.alternatives.len()
        ));
    }
    sayln!(
        "{}: ok — scenario `{}`: {} pool(s), {} device(s), {} job(s), {} workload(s), horizon {}{sweep}; a run is estimated at {} events and {:.2} GB of output",
        file.display(),
        s.name,
        s.pools.len(),
        s.installed_devices(),
        s.jobs.len(),
        s.workloads.len(),
        crate::time::format_duration_ms(s.horizon_ms),
        estimate_count(estimate.total_events()),
        estimate.total_output_bytes() / 1e9
    );
    Ok(())
}

/// A count for the console: whole up to a million, then in millions or billions.
fn estimate_count(n: f64) -> String {
    if n < 1e6 {
        format!("{n:.0}")
    } else if n < 1e9 {
        format!("{:.1} million", n / 1e6)
    } else {
        format!("{:.1} billion", n / 1e9)
    }
}
