//! The job table: jobs live here only while queued or running (vacant entries are reused),
//! numbered in creation order, with tenants named as they appear; each job is counted and
//! handed to the sink as it leaves.

use crate::model::scenario::Scenario;
use crate::result::{JobNames, JobRecord, JobSink, JobStats};
use crate::scheduler::JobId;
use std::collections::HashMap;

/// Jobs queued or running, and the aggregates of those that left.
pub(super) struct JobTable<'s> {
    /// Where jobs go when they leave the run.
    sink: &'s mut dyn JobSink,
    /// Aggregates of the jobs that left.
    pub(super) stats: JobStats,
    /// Names job records index into (tenants grow during trace replay).
    pub(super) names: JobNames,
    /// Tenant name → index into `names.tenants`.
    tenant_index: HashMap<String, u32>,
    /// The entries (a table whose vacant entries are reused unless `keep`).
    pub(super) records: Vec<JobRecord>,
    /// Vacant entries of `records`.
    pub(super) vacant: Vec<JobId>,
    /// Keep every job in `records` (entries are not reused; job i is entry i − 1).
    pub(super) keep: bool,
    /// Jobs created and not yet left [count], and the most at once.
    live: u64,
    pub(super) peak_live: u64,
    /// Jobs created so far [count]; the next job's id is one more.
    created: u64,
}

impl<'s> JobTable<'s> {
    /// An empty table; a kept table is sized once for `expected` jobs.
    pub(super) fn new(
        scenario: &Scenario,
        sink: &'s mut dyn JobSink,
        keep: bool,
        expected: usize,
    ) -> Self {
        Self {
            sink,
            stats: JobStats {
                warmup_ms: scenario.warmup_ms,
                ..JobStats::default()
            },
            names: super::names(scenario),
            tenant_index: scenario
                .tenants
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), i as u32))
                .collect(),
            records: Vec::with_capacity(if keep { expected } else { 0 }),
            vacant: Vec::new(),
            keep,
            live: 0,
            peak_live: 0,
            created: 0,
        }
    }

    /// The index of tenant `name`, adding it if new.
    pub(super) fn tenant_id(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.tenant_index.get(name) {
            return i;
        }
        let i = self.names.tenants.len() as u32;
        self.names.tenants.push(name.to_string());
        self.tenant_index.insert(name.to_string(), i);
        i
    }

    /// Creates a job (numbering it) in a vacant table entry.
    #[inline(always)]
    pub(super) fn push(&mut self, mut job: JobRecord) -> JobId {
        self.created += 1;
        self.live += 1;
        self.peak_live = self.peak_live.max(self.live);
        job.id = self.created;
        crate::engine::slab::put(&mut self.records, &mut self.vacant, job)
    }

    /// Takes back the job just created, as if it never was (a replica with no room).
    pub(super) fn unpush(&mut self, job: JobId) {
        self.created -= 1;
        self.live -= 1;
        if self.keep {
            self.records.pop(); // the newest entry: kept tables only grow at the end
        } else {
            self.vacant.push(job);
        }
    }

    /// A job leaves the run: it is counted and handed to the sink, and its entry is freed.
    pub(super) fn leave(&mut self, job: JobId) {
        let record = &self.records[job as usize];
        self.stats.record(record);
        self.sink.job(record, &self.names);
        self.live -= 1;
        if !self.keep {
            self.vacant.push(job);
        }
    }
}

impl std::ops::Index<JobId> for JobTable<'_> {
    type Output = JobRecord;
    #[inline]
    fn index(&self, job: JobId) -> &JobRecord {
        &self.records[job as usize]
    }
}

impl std::ops::IndexMut<JobId> for JobTable<'_> {
    #[inline]
    fn index_mut(&mut self, job: JobId) -> &mut JobRecord {
        &mut self.records[job as usize]
    }
}
