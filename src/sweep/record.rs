//! The record of one sweep run, stored as it finishes (one small JSON file per run) so that a
//! sweep can resume and shards can be merged.

use serde::{Deserialize, Serialize};

/// What a run record is called in messages.
pub(super) const RECORD: &str = "wattsim sweep run record";

/// What one run produced, or why it failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Point index (global over the sweep's files).
    pub point: usize,
    /// Replication index from 0.
    pub replication: u64,
    /// Seed the run used.
    pub seed: u64,
    /// The error, for a failed run.
    pub error: Option<String>,
    /// Every numeric summary metric, in `summary.json` order.
    pub metrics: Vec<(String, f64)>,
    /// Bill total per billing month (`YYYY-MM`, total).
    pub months: Vec<(String, f64)>,
    /// The run's warnings (`summary.json` `warnings`).
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl RunRecord {
    /// The value of metric `name`, if the run recorded it.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
    }

    /// The file name under which the record is stored.
    pub fn file_name(point: usize, replication: u64) -> String {
        format!("p{point:06}-r{replication:05}.json")
    }

    /// Whether `path` holds a readable record (a resumed sweep redoes a run whose record is
    /// missing, empty or damaged, as a kill during its write could leave it).
    pub fn readable(path: &std::path::Path) -> bool {
        super::error::read_json::<RunRecord>(path, RECORD).is_ok()
    }

    /// The record of a successful run.
    pub fn from_result(point: usize, replication: u64, r: &crate::result::RunResult) -> RunRecord {
        let summary = crate::report::Summary::from_result(r);
        let metrics = match serde_json::to_value(&summary) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .filter_map(|(k, v)| v.as_f64().map(|x| (k, x)))
                .filter(|(k, _)| k != "seed")
                .collect(),
            _ => vec![],
        };
        RunRecord {
            point,
            replication,
            seed: r.seed,
            error: None,
            metrics,
            months: r
                .bill
                .months
                .iter()
                .map(|m| (m.label.clone(), m.total()))
                .collect(),
            // The run's own warnings; the inputs' are printed once for the sweep.
            warnings: summary
                .warnings
                .into_iter()
                .filter(|w| !r.notes.contains(w))
                .collect(),
        }
    }
}
