//! A scenario file as a TOML table from which variants are made by setting key paths: the
//! points of a sweep, the probed sizes and the alternatives of a capacity plan. Each variant
//! is validated as a whole file, its errors pointing at the entry that set the key.

use super::context::Ctx;
use super::error::{Location, ScenarioError};
use super::locate::{KeyPath, Step};
use super::suggest::enrich_serde_message;
use super::validate::validate;
use super::{Scenario, raw::RawScenario};
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// A scenario file's text and table.
#[derive(Debug, Clone)]
pub struct Template {
    /// The file.
    pub path: PathBuf,
    /// Its text, byte for byte.
    pub source: String,
    /// Its table (with the tables removed by [`Template::take`]).
    pub table: Table,
    /// The scenario name when the file gives none.
    pub default_name: String,
}

/// A key set in a variant: its path, the value, and where the setting is written.
#[derive(Debug, Clone)]
pub struct Setting {
    /// Key path as written (`pools.0.nodes`).
    pub key: String,
    /// The value set.
    pub value: Value,
    /// Where the setting is written (for error messages), if found.
    pub at: Option<Location>,
}

impl Setting {
    /// The value as a user wrote it (strings without quotes).
    pub fn shown(&self) -> String {
        shown(&self.value)
    }
}

/// A TOML value as a user wrote it (strings without quotes).
pub fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

impl Template {
    /// Reads and parses a scenario file.
    pub fn read(path: &Path) -> Result<Template, ScenarioError> {
        Template::parse(path, super::read_source(path)?)
    }

    /// Parses scenario text read from `path`.
    pub fn parse(path: &Path, source: String) -> Result<Template, ScenarioError> {
        let table: Table = source
            .parse()
            .map_err(|e: toml::de::Error| ScenarioError::Syntax {
                path: path.to_path_buf(),
                message: enrich_serde_message(&e.to_string()),
            })?;
        Ok(Template {
            path: path.to_path_buf(),
            default_name: super::default_name(path),
            source,
            table,
        })
    }

    /// Removes and returns the top-level table `name` (`sweep`, `plan`); an error when the
    /// key holds something else.
    pub fn take(&mut self, name: &str, hint: &str) -> Result<Option<Table>, ScenarioError> {
        match self.table.remove(name) {
            None => Ok(None),
            Some(Value::Table(t)) => Ok(Some(t)),
            Some(other) => Err(super::error::data_error(
                &self.path,
                None,
                name,
                other.type_str(),
                format!("`{name}` must be a table"),
                hint,
            )),
        }
    }

    /// Checks that `key` names a settable value of the file (array entries by index); the
    /// problem otherwise.
    pub fn check_key(&self, key: &str) -> Result<(), String> {
        check_path(&self.table, key)
    }

    /// The current value at `key`, if set.
    pub fn get(&self, key: &str) -> Option<&Value> {
        let mut at: &Value = self.table.get(key.split('.').next()?)?;
        for step in key.split('.').skip(1) {
            at = match at {
                Value::Table(t) => t.get(step)?,
                Value::Array(a) => a.get(step.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(at)
    }

    /// Where a key of the file is written.
    pub fn locate(&self, key: &KeyPath) -> Option<Location> {
        super::locate::locate(&self.source, key)
    }

    /// The validated scenario with `settings` applied (keys were checked).
    pub fn variant(&self, settings: &[Setting]) -> Result<Scenario, ScenarioError> {
        let mut t = self.table.clone();
        for s in settings {
            set_path(&mut t, &s.key, s.value.clone());
        }
        let swept: Vec<(KeyPath, Option<Location>)> =
            settings.iter().map(|s| (key_path(&s.key), s.at)).collect();
        let raw: RawScenario =
            Value::Table(t)
                .try_into()
                .map_err(|e: toml::de::Error| ScenarioError::Syntax {
                    path: self.path.clone(),
                    message: enrich_serde_message(&e.to_string()),
                })?;
        let ctx = Ctx {
            path: &self.path,
            source: &self.source,
            swept: &swept,
            notes: Default::default(),
        };
        validate(raw, &ctx, &self.default_name)
    }
}

/// The key path a name such as `pools.0.nodes` sets (numeric steps are indices).
pub fn key_path(name: &str) -> KeyPath {
    KeyPath(
        name.split('.')
            .map(|step| match step.parse::<usize>() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Key(step.to_string()),
            })
            .collect(),
    )
}

/// Checks that `path` can be set in `t`: array indices exist and no step goes through a value
/// that is not a table or array. Missing keys are fine (they are created).
pub fn check_path(t: &Table, path: &str) -> Result<(), String> {
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
pub fn set_path(t: &mut Table, path: &str, value: Value) {
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
