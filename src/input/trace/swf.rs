//! Traces in the Standard Workload Format of the Parallel Workloads Archive, read line by
//! line while a run goes.

use super::filter::Filter;
use crate::model::trace::{TraceItem, TraceJob, TraceSource};
use crate::time::SimTime;
use std::path::PathBuf;

/// A trace in the Standard Workload Format of the Parallel Workloads Archive: one job per
/// line, 18 whitespace-separated fields, `;` comments, -1 for unknown. wattsim reads field 2
/// (submit time, s), 4 (run time, s), 5 (allocated processors; else 8, requested) as devices,
/// 9 (requested time, s) as the wall time, and 12 (user id) as the tenant `user-<id>`.
#[derive(Debug, Clone)]
pub struct SwfTrace {
    pub path: PathBuf,
    pub default_utilization: f64,
    pub shift_ms: i64,
    pub filter: Filter,
}

impl SwfTrace {
    fn parse(&self, line: &str) -> Option<std::result::Result<TraceJob, &'static str>> {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') {
            return None;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 12 {
            return Some(Err("malformed SWF line (fewer than 12 fields)"));
        }
        let num = |i: usize| f[i].parse::<f64>().ok().filter(|v| v.is_finite());
        Some((|| {
            let submit = num(1).ok_or("unparsable submit time")?;
            let run = num(3).ok_or("unparsable duration")?;
            if run < 0.0 {
                return Err("no duration");
            }
            if run == 0.0 {
                return Err("non-positive duration");
            }
            let devices = num(4)
                .filter(|d| *d > 0.0)
                .or_else(|| num(7).filter(|d| *d > 0.0))
                .ok_or("zero devices")?;
            let submit_ms = (submit * 1000.0).round() as i64 + self.shift_ms;
            if submit_ms < 0 {
                return Err("before the simulation start");
            }
            let user = num(11)
                .filter(|u| *u >= 0.0)
                .map(|u| format!("user-{}", u as i64));
            Ok(TraceJob {
                row: None,
                submit_ms: submit_ms as SimTime,
                devices: devices.ceil() as u32,
                share_milli: 1000,
                duration_ms: (run * 1000.0).round() as SimTime,
                utilization: self.default_utilization,
                tenant: user,
                walltime_ms: num(8)
                    .filter(|w| *w > 0.0)
                    .map(|w| (w * 1000.0).round() as SimTime),
            })
        })())
    }
}

impl TraceSource for SwfTrace {
    fn open(&self) -> Box<dyn Iterator<Item = TraceItem> + Send> {
        use std::io::BufRead;
        let Ok(file) = crate::input::open_data(&self.path) else {
            return Box::new(std::iter::once(TraceItem::Skip("trace file unreadable")));
        };
        let me = self.clone();
        // A read error ends the trace (counted once): a reader that keeps failing would
        // otherwise yield errors forever.
        let mut failed = false;
        Box::new(
            std::io::BufReader::new(file)
                .lines()
                .map_while(move |line| match line {
                    _ if failed => None,
                    Err(_) => {
                        failed = true;
                        Some(Some(TraceItem::Skip("unreadable line")))
                    }
                    Ok(line) => Some(me.parse(&line).map(|r| me.filter.admit(r))),
                })
                .flatten(),
        )
    }
}
