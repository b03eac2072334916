//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wattsim::Scenario;

/// Parses and validates scenario text, panicking with the error on failure.
pub fn scenario(src: &str) -> Scenario {
    wattsim::scenario::parse(src, Path::new("test.toml")).unwrap_or_else(|e| panic!("{e}"))
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the wattsim binary with `args` in `cwd`.
pub fn wattsim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wattsim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the wattsim binary runs")
}

/// Relative difference |a − b| / max(|a|, |b|, tiny).
pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-300)
}

/// Durations of the jobs of a run [s], sorted, and a quantile function over them
/// (nearest order statistic below `p`).
pub fn sorted_durations_s(r: &wattsim::RunResult) -> Vec<f64> {
    let mut d: Vec<f64> = r
        .jobs
        .iter()
        .map(|j| j.duration_ms as f64 / 1000.0)
        .collect();
    d.sort_by(f64::total_cmp);
    d
}

/// The `p` quantile of sorted values (the order statistic at ⌊(n − 1)·p⌋).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p) as usize]
}
