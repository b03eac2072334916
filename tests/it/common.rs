//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wattsim::Scenario;

/// Parses and validates scenario text, panicking with the error on failure.
pub fn scenario(src: &str) -> Scenario {
    wattsim::scenario::parse(src, Path::new("test.toml")).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs scenario `text` with `seed`, with data `files` (name, contents) written beside it,
/// keeping every job.
pub fn run_with_files(text: &str, files: &[(&str, &str)], seed: u64) -> wattsim::RunResult {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text).unwrap();
    let loaded = wattsim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    wattsim::run(&loaded.scenario, seed)
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the wattsim binary with `args` in `cwd`.
pub fn wattsim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wattsim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the wattsim binary runs")
}

/// Relative difference |a − b| / max(|a|, |b|, tiny).
pub fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-300)
}

/// Durations of the jobs of a run [s], sorted, and a quantile function over them
/// (nearest order statistic below `p`).
pub fn sorted_durations_s(r: &wattsim::RunResult) -> Vec<f64> {
    let mut d: Vec<f64> = r
        .jobs
        .iter()
        .map(|j| j.duration_ms as f64 / 1000.0)
        .collect();
    d.sort_by(f64::total_cmp);
    d
}

/// The `p` quantile of sorted values (the order statistic at ⌊(n − 1)·p⌋).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p) as usize]
}

/// Writes a synthetic job trace of `jobs` rows to `path` in the CSV shape of
/// `scenarios/traces/sample-trace.csv` (`job_id,submit_s,gpus,runtime_s,gpu_util_pct,user`):
/// Poisson submissions at `rate_per_hour`, 1–8 GPUs (mean 2.83), exponential run times with a
/// mean of 1 h, 100 users. Deterministic for a `seed`.
pub fn synthetic_trace(path: &Path, jobs: u64, rate_per_hour: f64, seed: u64) {
    use rand::{Rng, SeedableRng};
    use rand_distr::{Distribution, Exp1};
    use std::io::Write;
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let file = std::fs::File::create(path).expect("trace file");
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "job_id,submit_s,gpus,runtime_s,gpu_util_pct,user").expect("write");
    let mut t = 0.0f64;
    for id in 1..=jobs {
        let gap: f64 = Exp1.sample(&mut rng);
        t += gap * 3600.0 / rate_per_hour;
        let gpus = [1, 1, 1, 2, 4, 8][rng.random_range(0..6)];
        let run: f64 = Exp1.sample(&mut rng);
        let util = rng.random_range(30..100);
        let user = rng.random_range(0..100);
        writeln!(
            out,
            "j{id},{:.0},{gpus},{:.0},{util},u{user}",
            t.floor(),
            (run * 3600.0).max(1.0)
        )
        .expect("write");
    }
    out.flush().expect("flush");
}

/// Rows of a CSV file, each a map from column name to text.
pub fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|row| {
            let row = row.unwrap();
            headers
                .iter()
                .zip(row.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Runs `wattsim args` in `dir` and checks it is refused as bad input: exit code 2, every one
/// of `needles` in stderr, no panic, and no `out` or `output` folder left behind.
pub fn assert_refused(dir: &Path, args: &[&str], needles: &[&str]) -> String {
    let o = wattsim(args, dir);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{args:?}: `{needle}` not in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.join("out").exists(), "{args:?} left an output folder");
    assert!(
        !dir.join("output").exists(),
        "{args:?} left an output folder"
    );
    stderr
}
