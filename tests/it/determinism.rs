//! Determinism and resolution independence: the same scenario and seed give byte-identical
//! files; the output interval and the thread count change no total.

use crate::common;

use wattsim::batch::{RunSpec, run_all};
use wattsim::report::Summary;

#[test]
fn two_runs_write_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::root().join("scenarios/quickstart.toml");
    let scenario = scenario.to_str().unwrap();
    for out in ["a", "b"] {
        let o = common::wattsim(&["run", scenario, "--out", out, "--quiet"], dir.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Every file of the folder, charts and report included, and the same list of files.
    let a = files_under(&dir.path().join("a"));
    let b = files_under(&dir.path().join("b"));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for name in [
        "summary.json",
        "timeseries.csv",
        "jobs.csv",
        "tenants.csv",
        "bill.csv",
        "report.html",
        "charts/power.png",
        "charts/power.svg",
    ] {
        assert!(names(&a).iter().any(|n| n == name), "{name} missing");
    }
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(!x.is_empty(), "{name} is empty");
        assert!(x == y, "{name} differs between two identical runs");
    }
}

/// Every file under `dir` as (path relative to it, bytes), sorted by path.
fn files_under(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![];
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn seed_override_changes_the_workload() {
    let loaded =
        wattsim::scenario::load(&common::root().join("scenarios/quickstart.toml")).unwrap();
    let a = Summary::from_result(&wattsim::run(&loaded.scenario, 1));
    let b = Summary::from_result(&wattsim::run(&loaded.scenario, 2));
    assert_ne!(a.jobs_submitted, 0);
    assert_ne!(a.it_energy_kwh, b.it_energy_kwh);
}

#[test]
fn output_interval_changes_no_total() {
    let loaded =
        wattsim::scenario::load(&common::root().join("scenarios/quickstart.toml")).unwrap();
    let hourly = loaded.scenario.clone();
    let mut fine = loaded.scenario.clone();
    fine.output_interval_ms = 5 * 60_000;
    let mut odd = loaded.scenario;
    odd.output_interval_ms = 7 * 60_000 + 13; // does not divide the horizon
    let h = Summary::from_result(&wattsim::run(&hourly, 9));
    for other in [fine, odd] {
        let r = wattsim::run(&other, 9);
        let s = Summary::from_result(&r);
        for (name, a, b) in [
            ("it", h.it_energy_kwh, s.it_energy_kwh),
            ("facility", h.facility_energy_kwh, s.facility_energy_kwh),
            ("cost", h.total_cost, s.total_cost),
            ("carbon", h.carbon_kg, s.carbon_kg),
            ("busy", h.device_busy_hours, s.device_busy_hours),
            ("jobs", h.jobs_it_energy_kwh, s.jobs_it_energy_kwh),
        ] {
            assert!(common::rel(a, b) < 1e-9, "{name}: {a} vs {b}");
        }
        assert_eq!(h.peak_it_kw, s.peak_it_kw);
        assert_eq!(h.jobs_completed, s.jobs_completed);
        assert_eq!(h.mean_wait_s, s.mean_wait_s);
        // Rows sum to the totals.
        let rows: f64 = r.intervals.iter().map(|i| i.totals.it_energy_kwh).sum();
        assert!(common::rel(rows, s.it_energy_kwh) < 1e-12);
    }
}

#[test]
fn thread_count_changes_nothing() {
    let loaded =
        wattsim::scenario::load(&common::root().join("scenarios/quickstart.toml")).unwrap();
    let specs: Vec<RunSpec> = wattsim::batch::replication_seeds(5, 4)
        .into_iter()
        .map(|seed| RunSpec {
            scenario: &loaded.scenario,
            seed,
        })
        .collect();
    let one = run_all(&specs, 1).unwrap();
    let two = run_all(&specs, 2).unwrap();
    for (a, b) in one.iter().zip(&two) {
        assert_eq!(
            wattsim::report::jobs::to_csv(a).unwrap(),
            wattsim::report::jobs::to_csv(b).unwrap()
        );
        assert_eq!(Summary::from_result(a), Summary::from_result(b));
    }
    // Replications differ from each other.
    assert_ne!(one[0].jobs.len(), 0);
    assert_ne!(
        Summary::from_result(&one[0]).it_energy_kwh,
        Summary::from_result(&one[1]).it_energy_kwh
    );
}
