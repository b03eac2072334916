//! The filter every trace format applies to its rows: a window on submit times and a minimum
//! number of devices.

use crate::model::trace::{TraceItem, TraceJob};
use crate::time::SimTime;

/// The filters every trace format applies: a window on submit times and a minimum size.
#[derive(Debug, Clone, Copy)]
pub struct Filter {
    /// Rows submitted before this are skipped [ms].
    pub from_ms: SimTime,
    /// Rows submitted at or after this are skipped [ms].
    pub until_ms: SimTime,
    /// Rows with fewer devices are skipped [count].
    pub min_devices: u32,
}

impl Filter {
    /// A parsed row → the job, or the reason it is skipped.
    pub fn admit(&self, row: std::result::Result<TraceJob, &'static str>) -> TraceItem {
        match row {
            Ok(job) if job.submit_ms < self.from_ms || job.submit_ms >= self.until_ms => {
                TraceItem::Skip("outside the time window")
            }
            Ok(job) if job.devices < self.min_devices => {
                TraceItem::Skip("fewer devices than min_devices")
            }
            Ok(job) => TraceItem::Job(job),
            Err(reason) => TraceItem::Skip(reason),
        }
    }
}
