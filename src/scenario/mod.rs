//! Scenario files: the only code that knows the input format. Reads TOML, checks it, and
//! returns a fully validated, typed model; nothing downstream re-validates.

pub mod epw;
pub mod error;
pub mod load_profile;
pub mod locate;
pub mod philly;
pub mod raw;
pub mod samples;
pub mod series_csv;
pub mod site;
pub mod suggest;
pub mod sweep;
pub mod tariff;
pub mod trace;
pub mod trace_sort;
pub mod urdb;
pub mod validate;
pub mod work;

pub use error::{Invalid, Location, ScenarioError};

use crate::model::pool::Pool;
use crate::model::site::Site;
use crate::model::workload::{JobSpec, Workload};
use crate::time::{Calendar, SimTime};
use std::path::{Path, PathBuf};

/// Replicas run for their wall time (until scaled in or the horizon).
static WALL_TIME: crate::model::work::Work = crate::model::work::Work::WallTime;
/// No per-device throughput overrides.
static NO_SPEEDS: crate::model::work::Speeds = crate::model::work::Speeds {
    overrides: Vec::new(),
};

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Scenario name.
    pub name: String,
    /// Start of the simulation in UTC.
    pub calendar: Calendar,
    /// Simulated span [ms].
    pub horizon_ms: SimTime,
    /// Base seed.
    pub seed: u64,
    /// Time-series resolution [ms].
    pub output_interval_ms: SimTime,
    /// Device pools, in file order.
    pub pools: Vec<Pool>,
    /// Explicit jobs, in file order.
    pub jobs: Vec<JobSpec>,
    /// Generated workloads, in file order.
    pub workloads: Vec<Workload>,
    /// Facility, tariff and grid.
    pub site: Site,
    /// Warnings about inputs wattsim reads only in part (e.g. URDB charges not modelled).
    pub notes: Vec<String>,
    /// Tenant names, in order of first appearance.
    pub tenants: Vec<String>,
    /// Job traces to replay.
    pub traces: Vec<crate::model::trace::Trace>,
    /// Inference services.
    pub services: Vec<crate::model::service::Service>,
}

impl Scenario {
    /// Why a job of `devices` devices (restricted to `pool`, if given) can never run, or
    /// `None` when some eligible pool is large enough.
    pub fn never_fits(&self, devices: u32, pool: Option<usize>) -> Option<String> {
        validate::never_fits(&self.pools, devices, pool)
    }

    /// How a job of this origin is sized, and its load profile.
    #[inline]
    pub fn job_params(
        &self,
        origin: crate::result::JobOrigin,
    ) -> (
        &crate::model::work::Work,
        &crate::model::work::Speeds,
        Option<&crate::model::workload::LoadProfile>,
    ) {
        use crate::result::JobOrigin;
        match origin {
            JobOrigin::Explicit(i) => {
                let j = &self.jobs[i as usize];
                (&j.work, &j.speeds, j.profile.as_ref())
            }
            JobOrigin::Generated { workload, .. } => {
                let w = &self.workloads[workload as usize];
                (&w.work, &w.speeds, w.profile.as_ref())
            }
            JobOrigin::Trace { trace, .. } => {
                let t = &self.traces[trace as usize];
                (&t.work, &t.speeds, None)
            }
            JobOrigin::Replica { .. } => (&WALL_TIME, &NO_SPEEDS, None),
        }
    }

    /// Installed devices over all pools [count].
    pub fn installed_devices(&self) -> u64 {
        self.pools.iter().map(|p| p.devices()).sum()
    }
}

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
    let source = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let scenario = parse(&source, path)?;
    Ok(LoadedScenario {
        scenario,
        path: path.to_path_buf(),
        source,
    })
}

/// Parses and validates scenario text; `path` is used for messages and the default name.
pub fn parse(source: &str, path: &Path) -> Result<Scenario, ScenarioError> {
    if source.trim().is_empty() {
        return Err(ScenarioError::Empty {
            path: path.to_path_buf(),
        });
    }
    let raw: raw::RawScenario = toml::from_str(source).map_err(|e| ScenarioError::Syntax {
        path: path.to_path_buf(),
        message: suggest::enrich_serde_message(&e.to_string()),
    })?;
    let default_name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".to_string());
    validate::validate(raw, &validate::Ctx { path, source }, &default_name)
}
