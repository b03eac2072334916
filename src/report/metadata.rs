//! `metadata.json`: what produced an output folder (wattsim version, scenario hash, seed,
//! scheduling policy).
//! Holds no wall-clock time, so identical runs give identical bytes.

use crate::result::RunResult;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Provenance of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metadata {
    /// wattsim version.
    pub wattsim_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file name (without its folder).
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// Seed used.
    pub seed: u64,
    /// Scheduling policy (`[scheduler] policy`).
    pub policy: String,
    /// Power manager.
    pub power_manager: String,
    /// Simulation start, RFC 3339 UTC.
    pub start: String,
    /// Simulated span, e.g. `7d`.
    pub horizon: String,
    /// Time-series resolution, e.g. `1h`.
    pub output_interval: String,
}

impl Metadata {
    /// Metadata for a run of the scenario file `file_name` with text `source`.
    pub fn new(r: &RunResult, file_name: &str, source: &str) -> Metadata {
        Metadata {
            wattsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: r.scenario.clone(),
            scenario_file: file_name.to_string(),
            scenario_sha256: sha256_hex(source.as_bytes()),
            seed: r.seed,
            policy: r.policy.clone(),
            power_manager: r.power_manager.clone(),
            start: r.calendar.iso(0),
            horizon: crate::time::format_duration_ms(r.horizon_ms),
            output_interval: crate::time::format_duration_ms(r.output_interval_ms),
        }
    }

    /// Pretty JSON bytes with a trailing newline.
    pub fn to_json(&self) -> Result<Vec<u8>, super::ReportError> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_abc() {
        // FIPS 180-2 test vector for "abc".
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
