//! Output folders under hostile conditions: links planted in them are never written through,
//! and temporary files a killed wattsim left behind are removed by the next run (only those of
//! wattsim's own pattern and of processes that no longer run).

use crate::common;

/// The good scenario of the bad-input tests, written into a fresh folder.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), crate::bad_input::GOOD).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn a_charts_link_is_refused_and_its_target_untouched() {
    let dir = folder();
    let victim = dir.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("out/charts")).unwrap();
    let o = common::wattsim(&["run", "s.toml", "--out", "out"], dir.path());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("out/charts") && stderr.contains("symbolic link"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(&victim).unwrap().count(),
        0,
        "nothing written through"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // Refused before any report was written.
    assert_eq!(left, vec!["charts".to_string()]);
}

#[cfg(unix)]
#[test]
fn a_link_at_a_report_name_is_replaced_not_written_through() {
    // `summary.json` planted as a link to a file outside: the run replaces the link with its
    // own file, and the file outside keeps its bytes.
    let dir = folder();
    let outside = dir.path().join("precious.txt");
    std::fs::write(&outside, "keep me").unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let link = dir.path().join("out/summary.json");
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    let o = common::wattsim(
        &["run", "s.toml", "--out", "out", "--no-charts"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me");
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_file());
    assert!(
        std::fs::read_to_string(&link)
            .unwrap()
            .contains("\"it_energy_kwh\"")
    );
}

#[cfg(target_os = "linux")]
#[test]
fn stale_temporaries_of_dead_processes_are_removed_and_nothing_else() {
    // PID 4,000,000,000 is above any Linux pid_max (at most 2^22), so that process is dead.
    let dir = folder();
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("charts")).unwrap();
    let stale = [
        ".jobs.csv.tmp-4000000000-a1B2c3",
        "charts/.power.png.tmp-4000000000-zz9Z00",
    ];
    // Not of wattsim's pattern, or of a live process (this test's own): kept.
    let live = format!(".summary.json.tmp-{}-q1w2e3", std::process::id());
    let kept = [
        ".jobs.csv.tmp-4000000000",
        "notes.tmp-4000000000-a1B2c3",
        "mine.txt",
        &live,
    ];
    for name in stale.iter().chain(kept.iter()) {
        std::fs::write(out.join(name), "x").unwrap();
    }
    let o = common::wattsim(&["run", "s.toml", "--out", "out"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in stale {
        assert!(!out.join(name).exists(), "{name} should be gone");
    }
    for name in kept {
        assert!(out.join(name).exists(), "{name} must stay");
    }
}
