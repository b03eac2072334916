//! Scenario files: the only code that knows the input format. Reads TOML, checks it, and
//! returns a fully validated, typed model; nothing downstream re-validates.

pub mod arrivals;
pub mod context;
pub mod costs;
pub mod devices;
pub mod distributions;
pub mod error;
pub mod estimate;
pub mod jobs;
pub mod locate;
pub mod plan;
pub mod pools;
pub mod power;
pub mod raw;
pub mod raw_dist;
pub mod raw_policy;
pub mod scheduler;
pub mod services;
pub mod site;
pub mod suggest;
pub mod sweep;
pub mod tariff;
pub mod tariff_file;
mod tariff_tiers;
pub mod template;
pub mod terms;
pub mod trace;
pub mod trace_options;
pub mod validate;
pub mod work;

pub use error::{Invalid, Location, ScenarioError};

pub use crate::model::scenario::Scenario;
use std::path::{Path, PathBuf};

/// A scenario with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The validated scenario.
    pub scenario: Scenario,
    /// The file's path.
    pub path: PathBuf,
    /// The file's text, byte for byte.
    pub source: String,
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<LoadedScenario, ScenarioError> {
    let source = read_source(path)?;
    let scenario = parse(&source, path)?;
    Ok(LoadedScenario {
        scenario,
        path: path.to_path_buf(),
        source,
    })
}

/// A scenario's name when it gives none: its file name without the extension (`scenario`
/// when there is none).
pub fn default_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".to_string())
}

/// Reads a scenario file's text; an empty file is an error that says what a scenario needs.
pub fn read_source(path: &Path) -> Result<String, ScenarioError> {
    let source = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    check_not_empty(&source, path)?;
    Ok(source)
}

/// An empty (or all-blank) scenario text is an error.
fn check_not_empty(source: &str, path: &Path) -> Result<(), ScenarioError> {
    if source.trim().is_empty() {
        return Err(ScenarioError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Parses and validates scenario text; `path` is used for messages and the default name.
pub fn parse(source: &str, path: &Path) -> Result<Scenario, ScenarioError> {
    check_not_empty(source, path)?;
    let raw: raw::RawScenario = toml::from_str(source).map_err(|e| ScenarioError::Syntax {
        path: path.to_path_buf(),
        message: suggest::enrich_serde_message(&e.to_string()),
    })?;
    let default_name = default_name(path);
    let has_plan = raw.plan.is_some();
    let scenario = validate::validate(raw, &context::Ctx::file(path, source), &default_name)?;
    if has_plan {
        // A run ignores [plan], but a mistake in it is still a mistake in the file.
        plan::from_template(template::Template::parse(path, source.to_string())?)?;
    }
    Ok(scenario)
}
