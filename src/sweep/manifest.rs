//! The manifest of a sweep: its identity (a hash of its scenario files, replications and
//! wattsim version) and its point table, stored beside the run records so that a sweep can
//! resume and shards can be merged.

use super::error::SweepError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One point of the sweep as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointInfo {
    /// Scenario file name.
    pub file: String,
    /// (axis, value) settings.
    pub settings: Vec<(String, String)>,
    /// Runs of this point.
    pub replications: u64,
    /// The currency of the point's tariff (empty for a point that failed to validate, or in a
    /// manifest from before it was recorded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub currency: String,
}

/// The identity and point table of a sweep, stored as `manifest.json` beside its records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// wattsim version that wrote it.
    pub wattsim_version: String,
    /// Hash of the scenario files, replications and version.
    pub sweep_sha256: String,
    /// All axis key paths, in order.
    pub axes: Vec<String>,
    /// The points.
    pub points: Vec<PointInfo>,
    /// The shard this folder ran, as (I, N), when the sweep was sharded (`--shard I/N`); not
    /// part of the sweep's identity, and absent from a merged or unsharded folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<(usize, usize)>,
}

impl Manifest {
    /// Reads a manifest file.
    pub fn read(path: &Path) -> Result<Manifest, SweepError> {
        super::error::read_json(path, "wattsim sweep manifest")
    }

    /// Pretty JSON bytes.
    pub fn to_json(&self) -> Result<Vec<u8>, crate::report::ReportError> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// The value of `axis` at point `p`, or empty.
    pub(super) fn setting(&self, p: usize, axis: &str) -> String {
        self.points[p]
            .settings
            .iter()
            .find(|(k, _)| k == axis)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}
