//! Sweep definitions: the `[sweep]` table of a scenario — axes named by key path with their
//! values, zipped groups of axes that move together, replications — expanded into one
//! validated scenario per point.

use super::context::Ctx;
use super::error::{Location, ScenarioError};
use super::locate::{KeyPath, Step, locate};
use super::suggest::enrich_serde_message;
use super::validate::validate;
use super::{Scenario, raw::RawScenario};
use std::path::{Path, PathBuf};
use toml::{Table, Value};

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
    let source = super::read_source(path)?;
    let mut table: Table = source
        .parse()
        .map_err(|e: toml::de::Error| ScenarioError::Syntax {
            path: path.to_path_buf(),
            message: enrich_serde_message(&e.to_string()),
        })?;
    let sweep = match table.remove("sweep") {
        None => Table::new(),
        Some(Value::Table(t)) => t,
        Some(other) => {
            return Err(sweep_error(
                path,
                "sweep",
                other.type_str(),
                "`sweep` must be a table",
                "write [sweep] with axis = [values]",
            ));
        }
    };
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
        check_path(&table, name).map_err(|problem| {
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
    let default_name = super::default_name(path);
    // Where each axis is written, so a point's error points at the sweep entry it came from.
    let swept: Vec<(KeyPath, Option<Location>)> = axes
        .iter()
        .map(|(name, _)| {
            let at = locate(&source, &KeyPath::default().key("sweep").key(name));
            (axis_key_path(name), at)
        })
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
        let mut t = table.clone();
        let mut settings = vec![(String::new(), String::new()); axes.len()];
        for (d, dim) in dims.iter().enumerate() {
            for &a in dim {
                let (name, values) = &axes[a];
                let value = values[digits[d]].clone();
                let shown = match &value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                settings[a] = (name.clone(), shown);
                set_path(&mut t, name, value);
            }
        }
        let scenario = point_scenario(t, path, &source, &swept, &default_name).map_err(|e| {
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
        source,
        replications,
        axes: axes.into_iter().map(|(n, _)| n).collect(),
        points,
    })
}

/// The key path an axis name such as `pools.0.nodes` sets (numeric steps are indices).
fn axis_key_path(name: &str) -> KeyPath {
    KeyPath(
        name.split('.')
            .map(|step| match step.parse::<usize>() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Key(step.to_string()),
            })
            .collect(),
    )
}

fn point_scenario(
    t: Table,
    path: &Path,
    source: &str,
    swept: &[(KeyPath, Option<Location>)],
    default_name: &str,
) -> Result<Scenario, ScenarioError> {
    let raw: RawScenario =
        Value::Table(t)
            .try_into()
            .map_err(|e: toml::de::Error| ScenarioError::Syntax {
                path: path.to_path_buf(),
                message: enrich_serde_message(&e.to_string()),
            })?;
    let ctx = Ctx {
        path,
        source,
        swept,
    };
    validate(raw, &ctx, default_name)
}

/// Checks that `path` can be set in `t`: array indices exist and no step goes through a value
/// that is not a table or array. Missing keys are fine (they are created).
fn check_path(t: &Table, path: &str) -> Result<(), String> {
    let steps: Vec<&str> = path.split('.').collect();
    if steps.iter().any(|s| s.is_empty()) {
        return Err("empty step in the key path".to_string());
    }
    check_steps(t, &steps)
}

fn check_steps(t: &Table, steps: &[&str]) -> Result<(), String> {
    let (step, rest) = (steps[0], &steps[1..]);
    match (t.get(step), rest.is_empty()) {
        (None, _) => Ok(()),
        (Some(Value::Table(_)), true) => Err(format!("`{step}` is a table; name one of its keys")),
        (Some(_), true) => Ok(()),
        (Some(Value::Table(inner)), false) => check_steps(inner, rest),
        (Some(Value::Array(a)), false) => {
            let Ok(n) = rest[0].parse::<usize>() else {
                return Err(format!(
                    "`{step}` is a list: the next step must be an index, not `{}`",
                    rest[0]
                ));
            };
            match a.get(n) {
                None => Err(format!(
                    "`{step}` has {} entries; index {n} does not exist",
                    a.len()
                )),
                Some(Value::Table(inner)) if rest.len() > 1 => check_steps(inner, &rest[1..]),
                Some(Value::Table(_)) => Err(format!(
                    "`{step}.{n}` is a whole entry; name one of its keys"
                )),
                Some(_) if rest.len() == 1 => Ok(()),
                Some(_) => Err(format!("`{step}.{n}` is a value, not a table")),
            }
        }
        (Some(_), false) => Err(format!("`{step}` is a value, not a table")),
    }
}

/// Sets `path` in `t` to `value`, creating tables on the way (paths were checked).
fn set_path(t: &mut Table, path: &str, value: Value) {
    let steps: Vec<&str> = path.split('.').collect();
    set_steps(t, &steps, value);
}

fn set_steps(t: &mut Table, steps: &[&str], value: Value) {
    let (first, rest) = (steps[0], &steps[1..]);
    if rest.is_empty() {
        t.insert(first.to_string(), value);
        return;
    }
    let entry = t
        .entry(first.to_string())
        .or_insert_with(|| Value::Table(Table::new()));
    match entry {
        Value::Table(inner) => set_steps(inner, rest, value),
        Value::Array(a) => match rest[0].parse::<usize>().ok().and_then(|n| a.get_mut(n)) {
            Some(Value::Table(inner)) if rest.len() > 1 => set_steps(inner, &rest[1..], value),
            Some(slot) if rest.len() == 1 => *slot = value,
            _ => {}
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked_and_set() {
        let mut t: Table = "[[pools]]\ndevice = \"a\"\nnodes = 1\n[facility]\npue = 1.2\n"
            .parse()
            .unwrap();
        assert!(check_path(&t, "pools.0.device").is_ok());
        assert!(check_path(&t, "carbon.intensity_g_per_kwh").is_ok()); // created on set
        assert!(
            check_path(&t, "pools.1.device")
                .unwrap_err()
                .contains("index 1 does not exist")
        );
        assert!(
            check_path(&t, "facility.pue.x")
                .unwrap_err()
                .contains("is a value")
        );
        assert!(
            check_path(&t, "pools.device")
                .unwrap_err()
                .contains("must be an index")
        );
        set_path(&mut t, "pools.0.device", Value::String("b".into()));
        set_path(&mut t, "carbon.intensity_g_per_kwh", Value::Float(100.0));
        assert_eq!(t["pools"][0]["device"].as_str(), Some("b"));
        assert_eq!(t["carbon"]["intensity_g_per_kwh"].as_float(), Some(100.0));
    }
}
