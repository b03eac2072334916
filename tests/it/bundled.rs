//! The example scenarios shipped in `scenarios/` stay valid.

use crate::common;

#[test]
fn every_bundled_scenario_validates() {
    // Each example in scenarios/ (recursively) passes `wattsim validate`, so a change to the
    // scenario format cannot silently break the files users start from.
    fn tomls(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                tomls(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    tomls(&common::root().join("scenarios"), &mut files);
    // quickstart, 2 validation, 2 tariffs, 1 site, 1 sweep, 4 traces (replay, philly, pai,
    // helios), 2 workloads (capacity, refresh), 1 policies (compare), 3 power (grid-limit,
    // peak-shaving, overnight).
    assert_eq!(files.len(), 17, "{files:?}");
    for f in &files {
        let out = common::wattsim(&["validate", f.to_str().unwrap()], &common::root());
        assert!(
            out.status.success(),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
