//! `wattsim validate`: check a scenario and every point of its sweep without running.

use super::warn;
use anyhow::Result;
use std::path::Path;

/// Loads `file` and expands its sweep; prints what it holds, or returns the first error.
pub fn validate(file: &Path) -> Result<()> {
    let loaded = crate::scenario::load(file)?;
    warn(&loaded.scenario.notes);
    let s = &loaded.scenario;
    let expanded = crate::scenario::sweep::expand(file, 0)?;
    let total = expanded.points.len();
    if let Some(error) = expanded.points.into_iter().find_map(|p| p.scenario.err()) {
        return Err(error.into());
    }
    let sweep = if expanded.axes.is_empty() {
        String::new()
    } else {
        format!(
            "; sweep of {total} point(s) × {} replication(s), every point valid",
            expanded.replications
        )
    };
    println!(
        "{}: ok — scenario `{}`: {} pool(s), {} device(s), {} job(s), {} workload(s), horizon {}{sweep}",
        file.display(),
        s.name,
        s.pools.len(),
        s.installed_devices(),
        s.jobs.len(),
        s.workloads.len(),
        crate::time::format_duration_ms(s.horizon_ms)
    );
    Ok(())
}
