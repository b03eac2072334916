//! Puts a trace that is not in time order into submit-time order in bounded memory: jobs are
//! sorted in chunks, chunks beyond the first are spilled to temporary files (fixed-size binary
//! records), and each run merges the chunks as it reads them. Skipped rows are kept only as
//! counts by reason. The temporary files live as long as the scenario.

use crate::input::{InputError, data_error};
use crate::model::trace::{SkipCounts, TraceItem, TraceJob, TraceSource, count_skip};
use crate::time::SimTime;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Jobs sorted in memory at once before a chunk is spilled [count] (~20 MB of jobs).
pub const CHUNK_JOBS: usize = 1 << 18;

/// Bytes of one spilled job: submit, file order, duration (u64); devices, share, tenant
/// (u32); utilisation (f64 bits).
const RECORD_BYTES: usize = 8 * 3 + 4 * 3 + 8 + 8;

/// No wall time, in a spilled record.
const NO_WALLTIME: u64 = u64::MAX;

/// No tenant, in a spilled record.
const NO_TENANT: u32 = u32::MAX;

/// A job with its place in the file (ties in submit time keep file order).
#[derive(Debug, Clone, PartialEq)]
struct Keyed {
    submit_ms: SimTime,
    seq: u64,
    devices: u32,
    share_milli: u32,
    duration_ms: SimTime,
    utilization: f64,
    tenant: u32,
    walltime_ms: u64,
}

impl Keyed {
    fn key(&self) -> (SimTime, u64) {
        (self.submit_ms, self.seq)
    }

    fn encode(&self) -> [u8; RECORD_BYTES] {
        let mut b = [0u8; RECORD_BYTES];
        b[0..8].copy_from_slice(&self.submit_ms.to_le_bytes());
        b[8..16].copy_from_slice(&self.seq.to_le_bytes());
        b[16..24].copy_from_slice(&self.duration_ms.to_le_bytes());
        b[24..28].copy_from_slice(&self.devices.to_le_bytes());
        b[28..32].copy_from_slice(&self.share_milli.to_le_bytes());
        b[32..36].copy_from_slice(&self.tenant.to_le_bytes());
        b[36..44].copy_from_slice(&self.utilization.to_bits().to_le_bytes());
        b[44..52].copy_from_slice(&self.walltime_ms.to_le_bytes());
        b
    }

    fn decode(b: &[u8; RECORD_BYTES]) -> Keyed {
        let u64_at = |i: usize| {
            let mut x = [0u8; 8];
            x.copy_from_slice(&b[i..i + 8]);
            u64::from_le_bytes(x)
        };
        let u32_at = |i: usize| {
            let mut x = [0u8; 4];
            x.copy_from_slice(&b[i..i + 4]);
            u32::from_le_bytes(x)
        };
        Keyed {
            submit_ms: u64_at(0),
            seq: u64_at(8),
            duration_ms: u64_at(16),
            devices: u32_at(24),
            share_milli: u32_at(28),
            tenant: u32_at(32),
            utilization: f64::from_bits(u64_at(36)),
            walltime_ms: u64_at(44),
        }
    }
}

/// A trace in submit-time order: skipped rows first (as counts by reason, in first-seen
/// order), then jobs by submit time, ties in file order. Shared by every run of a sweep.
#[derive(Debug)]
pub struct SortedTrace {
    skips: SkipCounts,
    tenants: Arc<Vec<String>>,
    /// The last (or only) chunk, kept in memory, sorted.
    memory: Arc<Vec<Keyed>>,
    /// Spilled chunks, each sorted.
    files: Vec<PathBuf>,
    /// Holds the spill folder until the trace is dropped.
    _dir: Option<SpillDir>,
}

/// A temporary folder of spilled chunks, removed when dropped — or by an interrupt handler
/// (it is registered with [`crate::cleanup`] while it exists).
#[derive(Debug)]
struct SpillDir(tempfile::TempDir);

impl SpillDir {
    fn new() -> std::io::Result<SpillDir> {
        let dir = tempfile::Builder::new().prefix("wattsim-sort-").tempdir()?;
        crate::cleanup::track(dir.path(), true);
        Ok(SpillDir(dir))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        crate::cleanup::track(self.0.path(), false);
    }
}

impl SortedTrace {
    /// Sorts `items`, spilling every `CHUNK_JOBS` jobs to a temporary file.
    pub fn new(items: impl IntoIterator<Item = TraceItem>) -> std::io::Result<SortedTrace> {
        Self::with_chunk(items, CHUNK_JOBS)
    }

    /// Sorts `items` with chunks of `chunk_jobs` jobs (tests use small chunks).
    pub fn with_chunk(
        items: impl IntoIterator<Item = TraceItem>,
        chunk_jobs: usize,
    ) -> std::io::Result<SortedTrace> {
        let mut sorter = Sorter::with_chunk(chunk_jobs);
        for item in items {
            sorter.push(item)?;
        }
        Ok(sorter.finish())
    }

    /// Files spilled to disk [count].
    pub fn spilled_chunks(&self) -> usize {
        self.files.len()
    }
}

/// The error when the temporary folder cannot take the spilled chunks of the trace `path`.
pub fn sort_error(e: std::io::Error, path: &std::path::Path) -> InputError {
    data_error(
        path,
        None,
        "trace",
        "",
        format!("cannot sort the trace in a temporary folder: {e}"),
        "free space in the temporary folder (TMPDIR), or put the file in submit-time order and set sort = false",
    )
}

/// Takes a trace's rows one at a time (for readers that push rows, like a streaming JSON
/// parser) and builds a [`SortedTrace`].
#[derive(Debug)]
pub struct Sorter {
    chunk_jobs: usize,
    seq: u64,
    skips: SkipCounts,
    tenants: Vec<String>,
    tenant_index: std::collections::HashMap<String, u32>,
    chunk: Vec<Keyed>,
    dir: Option<SpillDir>,
    files: Vec<PathBuf>,
}

impl Default for Sorter {
    /// A sorter that spills every `CHUNK_JOBS` jobs.
    fn default() -> Sorter {
        Sorter::with_chunk(CHUNK_JOBS)
    }
}

impl Sorter {
    /// A sorter that spills every `CHUNK_JOBS` jobs.
    pub fn new() -> Sorter {
        Sorter::default()
    }

    /// A sorter that spills every `chunk_jobs` jobs.
    pub fn with_chunk(chunk_jobs: usize) -> Sorter {
        Sorter {
            chunk_jobs: chunk_jobs.max(1),
            seq: 0,
            skips: vec![],
            tenants: vec![],
            tenant_index: Default::default(),
            chunk: vec![],
            dir: None,
            files: vec![],
        }
    }

    /// Adds the next row of the file.
    pub fn push(&mut self, item: TraceItem) -> std::io::Result<()> {
        let seq = self.seq;
        self.seq += 1;
        let job = match item {
            TraceItem::Skip(reason) => {
                count_skip(&mut self.skips, reason);
                return Ok(());
            }
            TraceItem::Job(job) => job,
        };
        let tenant = match job.tenant {
            None => NO_TENANT,
            Some(name) => match self.tenant_index.get(&name) {
                Some(&i) => i,
                None => {
                    let i = self.tenants.len() as u32;
                    self.tenant_index.insert(name.clone(), i);
                    self.tenants.push(name);
                    i
                }
            },
        };
        self.chunk.push(Keyed {
            submit_ms: job.submit_ms,
            seq,
            devices: job.devices,
            share_milli: job.share_milli,
            duration_ms: job.duration_ms,
            utilization: job.utilization,
            tenant,
            walltime_ms: job.walltime_ms.unwrap_or(NO_WALLTIME),
        });
        if self.chunk.len() == self.chunk_jobs {
            let folder = match &self.dir {
                Some(d) => d,
                None => self.dir.insert(SpillDir::new()?),
            };
            let path = folder
                .path()
                .join(format!("chunk-{}.bin", self.files.len()));
            spill(&mut self.chunk, &path)?;
            self.files.push(path);
        }
        Ok(())
    }

    /// Sorts the last chunk (kept in memory) and returns the sorted trace.
    pub fn finish(mut self) -> SortedTrace {
        self.chunk.sort_unstable_by_key(Keyed::key);
        SortedTrace {
            skips: self.skips,
            tenants: Arc::new(self.tenants),
            memory: Arc::new(self.chunk),
            files: self.files,
            _dir: self.dir,
        }
    }
}

/// Sorts a chunk and writes it to `path`, leaving the chunk empty.
fn spill(chunk: &mut Vec<Keyed>, path: &std::path::Path) -> std::io::Result<()> {
    chunk.sort_unstable_by_key(Keyed::key);
    let mut out = BufWriter::with_capacity(1 << 16, std::fs::File::create(path)?);
    for job in chunk.drain(..) {
        out.write_all(&job.encode())?;
    }
    out.flush()
}

/// One sorted chunk being read.
enum Chunk {
    File(BufReader<std::fs::File>),
    Memory(Arc<Vec<Keyed>>, usize),
}

impl Chunk {
    /// The next job, `None` at the end; `Err` when a spilled file cannot be read back.
    fn next(&mut self) -> Option<Result<Keyed, ()>> {
        match self {
            Chunk::Memory(jobs, i) => {
                let job = jobs.get(*i)?.clone();
                *i += 1;
                Some(Ok(job))
            }
            Chunk::File(reader) => {
                let mut b = [0u8; RECORD_BYTES];
                match reader.read_exact(&mut b) {
                    Ok(()) => Some(Ok(Keyed::decode(&b))),
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => None,
                    Err(_) => Some(Err(())),
                }
            }
        }
    }
}

/// A k-way merge of sorted chunks.
struct Merge {
    chunks: Vec<Chunk>,
    heads: BinaryHeap<Reverse<((SimTime, u64), usize)>>,
    pending: Vec<Option<Keyed>>,
    tenants: Arc<Vec<String>>,
}

impl Merge {
    fn pull(&mut self, i: usize) -> Option<TraceItem> {
        match self.chunks[i].next() {
            Some(Ok(job)) => {
                self.heads.push(Reverse((job.key(), i)));
                self.pending[i] = Some(job);
                None
            }
            Some(Err(())) => Some(TraceItem::Skip("temporary sort file unreadable")),
            None => None,
        }
    }
}

impl Iterator for Merge {
    type Item = TraceItem;

    fn next(&mut self) -> Option<TraceItem> {
        let Reverse((_, i)) = self.heads.pop()?;
        let job = self.pending[i].take()?;
        if let Some(skip) = self.pull(i) {
            return Some(skip);
        }
        Some(TraceItem::Job(TraceJob {
            submit_ms: job.submit_ms,
            devices: job.devices,
            share_milli: job.share_milli,
            duration_ms: job.duration_ms,
            utilization: job.utilization,
            tenant: (job.tenant != NO_TENANT).then(|| self.tenants[job.tenant as usize].clone()),
            row: Some(job.seq + 1),
            walltime_ms: (job.walltime_ms != NO_WALLTIME).then_some(job.walltime_ms),
        }))
    }
}

impl TraceSource for SortedTrace {
    fn open(&self) -> Box<dyn Iterator<Item = TraceItem> + Send> {
        let skipped = self
            .skips
            .clone()
            .into_iter()
            .flat_map(|(reason, n)| std::iter::repeat_n(TraceItem::Skip(reason), n as usize));
        let mut chunks = vec![];
        let mut unreadable = 0;
        for path in &self.files {
            match std::fs::File::open(path) {
                Ok(f) => chunks.push(Chunk::File(BufReader::with_capacity(1 << 16, f))),
                Err(_) => unreadable += 1,
            }
        }
        chunks.push(Chunk::Memory(Arc::clone(&self.memory), 0));
        let n = chunks.len();
        let mut merge = Merge {
            chunks,
            heads: BinaryHeap::with_capacity(n),
            pending: vec![None; n],
            tenants: Arc::clone(&self.tenants),
        };
        let mut failed = vec![];
        for i in 0..n {
            failed.extend(merge.pull(i));
        }
        let lost = std::iter::repeat_n(
            TraceItem::Skip("temporary sort file unreadable"),
            unreadable,
        );
        Box::new(skipped.chain(lost).chain(failed).chain(merge))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(submit_ms: SimTime, devices: u32, tenant: Option<&str>) -> TraceItem {
        TraceItem::Job(TraceJob {
            submit_ms,
            devices,
            share_milli: 1000,
            duration_ms: 1000 * devices as u64,
            utilization: 0.5,
            tenant: tenant.map(String::from),
            row: None,
            // Every third job has a requested time: both forms survive a spill.
            walltime_ms: devices.is_multiple_of(3).then_some(7_000 * devices as u64),
        })
    }

    #[test]
    fn spilled_and_in_memory_sorts_give_the_same_order() {
        // 1,000 jobs with submit times scattered by a multiplicative hash (many ties, since
        // times are taken mod 97), two kinds of skipped rows among them. Sorted with chunks of
        // 1,000 (all in memory) and of 7 (960 jobs: 137 spilled chunks + 1 job in memory): the same items,
        // skips first, then jobs by (submit, file order) — which a stable sort gives directly.
        let items: Vec<TraceItem> = (0..1000u64)
            .map(|i| match i % 50 {
                0 => TraceItem::Skip("zero devices"),
                1 => TraceItem::Skip("malformed CSV row"),
                _ => job(
                    (i * 7919) % 97 * 1000,
                    (i % 8) as u32 + 1,
                    (i % 3 == 0).then_some("u"),
                ),
            })
            .collect();
        // Sorted jobs carry their file row (from 1).
        let mut expected: Vec<TraceItem> = items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                TraceItem::Job(j) => TraceItem::Job(TraceJob {
                    row: Some(i as u64 + 1),
                    ..j.clone()
                }),
                skip => skip.clone(),
            })
            .collect();
        expected.sort_by_key(|item| match item {
            TraceItem::Skip(_) => None,
            TraceItem::Job(j) => Some(j.submit_ms),
        });
        let whole = SortedTrace::with_chunk(items.clone(), 1000).unwrap();
        assert_eq!(whole.spilled_chunks(), 0);
        let spilled = SortedTrace::with_chunk(items, 7).unwrap();
        assert_eq!(spilled.spilled_chunks(), 960 / 7);
        // Skips come out grouped by reason; compare counts, then the job sequence exactly.
        let jobs = |v: Vec<TraceItem>| -> (usize, Vec<TraceItem>) {
            let skips = v.iter().filter(|i| matches!(i, TraceItem::Skip(_))).count();
            (
                skips,
                v.into_iter()
                    .filter(|i| matches!(i, TraceItem::Job(_)))
                    .collect(),
            )
        };
        let want = jobs(expected);
        assert_eq!(want.0, 40);
        assert_eq!(jobs(whole.open().collect()), want);
        assert_eq!(jobs(spilled.open().collect()), want);
        // Runs can read the same sorted trace again (a sweep's runs share it).
        assert_eq!(jobs(spilled.open().collect()), want);
    }

    #[test]
    fn the_spill_folder_is_removed_with_the_trace() {
        let items = (0..10u64).map(|i| job(10 - i, 1, None));
        let sorted = SortedTrace::with_chunk(items, 3).unwrap();
        let dir = sorted.files[0].parent().map(PathBuf::from).unwrap();
        assert!(dir.exists());
        drop(sorted);
        assert!(!dir.exists());
    }
}
