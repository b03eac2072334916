//! Sweep definitions: the `[sweep]` table of a scenario — axes named by key path with their
//! values, zipped groups of axes that move together, replications — expanded into one
//! validated scenario per point.

use super::Scenario;
use super::error::{Location, ScenarioError};
use super::locate::KeyPath;
use super::template::{Setting, Template};
use std::path::{Path, PathBuf};
use toml::Value;

/// One point of a sweep: the axis settings and the scenario they give (or why it is invalid).
#[derive(Debug)]
pub struct Point {
    /// Index of the scenario file among the sweep's files.
    pub file: usize,
    /// `(axis key path, value as written)` for every axis of the file.
    pub settings: Vec<(String, String)>,
    /// The validated scenario, or the error that names the axis values.
    pub scenario: Result<Scenario, ScenarioError>,
}

/// A scenario file expanded into its points.
#[derive(Debug)]
pub struct SweepFile {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub source: String,
    /// Runs per point.
    pub replications: u64,
    /// Axis key paths in file order.
    pub axes: Vec<String>,
    /// Whether the file has an `[output]` table (it formats run folders: a sweep writes them
    /// only with `--keep-runs`).
    pub has_output: bool,
    /// The points, first axis varying slowest.
    pub points: Vec<Point>,
}

/// Most points one file may expand to (a guard against typos such as a 10⁶-value axis).
pub const MAX_POINTS: usize = 1_000_000;
/// Most runs (points × replications) in one sweep.
pub const MAX_RUNS: u64 = 1_000_000;

fn sweep_error(
    path: &Path,
    key: &str,
    value: impl std::fmt::Display,
    problem: &str,
    hint: &str,
) -> ScenarioError {
    super::error::data_error(path, None, key, value, problem, hint)
}

/// Reads a scenario file and expands its `[sweep]` table (a file without one is one point).
pub fn expand(path: &Path, file_index: usize) -> Result<SweepFile, ScenarioError> {
    let mut template = Template::read(path)?;
    let sweep = template
        .take("sweep", "write [sweep] with axis = [values]")?
        .unwrap_or_default();
    let mut replications = 1u64;
    let mut zip: Vec<Vec<String>> = vec![];
    let mut axes: Vec<(String, Vec<Value>)> = vec![];
    for (key, value) in sweep {
        match (key.as_str(), value) {
            ("replications", Value::Integer(n)) if n >= 1 => replications = n as u64,
            ("replications", v) => {
                return Err(sweep_error(
                    path,
                    "sweep.replications",
                    v,
                    "must be a whole number ≥ 1",
                    "e.g. replications = 30",
                ));
            }
            ("zip", Value::Array(groups)) => {
                for g in groups {
                    let names: Option<Vec<String>> = g.as_array().map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    });
                    match names {
                        Some(n)
                            if n.len() >= 2 && g.as_array().is_some_and(|a| a.len() == n.len()) =>
                        {
                            zip.push(n)
                        }
                        _ => {
                            return Err(sweep_error(
                                path,
                                "sweep.zip",
                                g,
                                "each zip group is a list of at least two axis names",
                                "e.g. zip = [[\"tariff.price_per_kwh\", \"carbon.intensity_g_per_kwh\"]]",
                            ));
                        }
                    }
                }
            }
            (_, Value::Array(values)) if !values.is_empty() => axes.push((key, values)),
            (_, v) => {
                return Err(sweep_error(
                    path,
                    &format!("sweep.\"{key}\""),
                    v,
                    "an axis needs a non-empty list of values",
                    "e.g. \"facility.pue\" = [1.1, 1.4]",
                ));
            }
        }
    }
    for (name, _) in &axes {
        template.check_key(name).map_err(|problem| {
            sweep_error(
                path,
                &format!("sweep.\"{name}\""),
                name,
                &problem,
                "name a key as section.key, with array entries by index, e.g. \"pools.0.device\"",
            )
        })?;
    }
    // Dimensions: zip groups move together; other axes alone. Ordered by first axis.
    let mut dims: Vec<Vec<usize>> = vec![];
    let mut grouped = vec![false; axes.len()];
    for group in &zip {
        let mut idx = vec![];
        for name in group {
            let Some(i) = axes.iter().position(|(n, _)| n == name) else {
                return Err(sweep_error(
                    path,
                    "sweep.zip",
                    name,
                    "names no axis of this sweep",
                    "list axes defined in [sweep]",
                ));
            };
            if grouped[i] {
                return Err(sweep_error(
                    path,
                    "sweep.zip",
                    name,
                    "an axis can be in one zip group only",
                    "remove the axis from the other group",
                ));
            }
            grouped[i] = true;
            idx.push(i);
        }
        let len = axes[idx[0]].1.len();
        if let Some(&j) = idx.iter().find(|&&j| axes[j].1.len() != len) {
            return Err(sweep_error(
                path,
                "sweep.zip",
                &axes[j].0,
                &format!(
                    "zipped axes must have the same number of values ({len} for `{}`)",
                    axes[idx[0]].0
                ),
                "give each zipped axis as many values",
            ));
        }
        dims.push(idx);
    }
    for (i, _) in grouped.iter().enumerate().filter(|(_, g)| !**g) {
        dims.push(vec![i]);
    }
    dims.sort_by_key(|d| d.iter().copied().min().unwrap_or(0));
    let sizes: Vec<usize> = dims.iter().map(|d| axes[d[0]].1.len()).collect();
    let count = sizes
        .iter()
        .try_fold(1usize, |a, &b| a.checked_mul(b))
        .filter(|&n| n <= MAX_POINTS);
    let Some(count) = count else {
        return Err(sweep_error(
            path,
            "sweep",
            format!("{sizes:?}"),
            &format!("the sweep has more than {MAX_POINTS} points"),
            "sweep fewer values at once",
        ));
    };
    if (count as u64)
        .checked_mul(replications)
        .is_none_or(|runs| runs > MAX_RUNS)
    {
        return Err(sweep_error(
            path,
            "sweep.replications",
            replications,
            &format!(
                "{count} point(s) × {replications} replications is more than the limit of {MAX_RUNS} runs in one sweep"
            ),
            "use fewer replications (30 give a 95 % interval within ±0.37 standard deviations), or split the sweep into shards of files",
        ));
    }
    // Where each axis is written, so a point's error points at the sweep entry it came from.
    let written: Vec<Option<Location>> = axes
        .iter()
        .map(|(name, _)| template.locate(&KeyPath::default().key("sweep").key(name)))
        .collect();
    let mut points = Vec::with_capacity(count);
    for p in 0..count {
        // Mixed-radix digits, first dimension slowest.
        let mut rest = p;
        let mut digits = vec![0; dims.len()];
        for d in (0..dims.len()).rev() {
            digits[d] = rest % sizes[d];
            rest /= sizes[d];
        }
        let mut set: Vec<Option<Setting>> = vec![None; axes.len()];
        for (d, dim) in dims.iter().enumerate() {
            for &a in dim {
                let (name, values) = &axes[a];
                set[a] = Some(Setting {
                    key: name.clone(),
                    value: values[digits[d]].clone(),
                    at: written[a],
                });
            }
        }
        let set: Vec<Setting> = set.into_iter().flatten().collect();
        let settings: Vec<(String, String)> =
            set.iter().map(|s| (s.key.clone(), s.shown())).collect();
        let scenario = template.variant(&set).map_err(|e| {
            let at: Vec<String> = settings.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            ScenarioError::SweepPoint {
                path: path.to_path_buf(),
                point: p,
                settings: at.join(", "),
                source: Box::new(e),
            }
        });
        points.push(Point {
            file: file_index,
            settings,
            scenario,
        });
    }
    Ok(SweepFile {
        path: path.to_path_buf(),
        has_output: template.table.contains_key("output"),
        source: template.source,
        replications,
        axes: axes.into_iter().map(|(n, _)| n).collect(),
        points,
    })
}
