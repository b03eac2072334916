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
    // Forced: the folder is not wattsim's, and the links must hold even so.
    let o = common::wattsim(&["run", "s.toml", "--out", "out", "--force"], dir.path());
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
        &["run", "s.toml", "--out", "out", "--no-charts", "--force"],
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
    let o = common::wattsim(&["run", "s.toml", "--out", "out", "--force"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in stale {
        assert!(!out.join(name).exists(), "{name} should be gone");
    }
    for name in kept {
        assert!(out.join(name).exists(), "{name} must stay");
    }
}

/// The names in `dir` (recursively, relative, sorted), without wattsim's own file list.
fn names(dir: &std::path::Path) -> Vec<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = vec![];
    walk(dir, dir, &mut out);
    out.retain(|n| n != ".wattsim-files");
    out.sort();
    out
}

/// Runs a bundled scenario into `out` of `cwd` with `extra` arguments; returns the output.
fn run_bundled(
    cwd: &std::path::Path,
    scenario: &str,
    out: &str,
    extra: &[&str],
) -> std::process::Output {
    let path = common::root().join(scenario);
    let mut args = vec!["run", path.to_str().unwrap(), "--out", out, "-q"];
    args.extend_from_slice(extra);
    common::wattsim(&args, cwd)
}

#[test]
fn a_run_leaves_only_its_own_files() {
    let d = tempfile::tempdir().unwrap();
    let o = d.path().join("o");
    // The quickstart draws a bill chart and a wait CDF; GPT-3 (one job on a flat tariff with
    // no charges but energy) draws neither, and the refresh example writes tco.csv.
    assert!(
        run_bundled(d.path(), "scenarios/workloads/refresh.toml", "o", &[])
            .status
            .success()
    );
    assert!(o.join("tco.csv").exists());
    assert!(
        run_bundled(d.path(), "scenarios/quickstart.toml", "o", &[])
            .status
            .success()
    );
    assert!(!o.join("tco.csv").exists(), "the last run has no costs");
    assert!(o.join("charts/wait_cdf.png").exists());
    let out = run_bundled(d.path(), "scenarios/validation/gpt3.toml", "o", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for gone in [
        "charts/wait_cdf.png",
        "charts/wait_cdf.svg",
        "charts/bill.png",
    ] {
        assert!(!o.join(gone).exists(), "{gone} is the quickstart's");
    }
    let html = std::fs::read_to_string(o.join("report.html")).unwrap();
    assert!(
        html.contains("wait_cdf"),
        "the report says why it is not drawn"
    );
    // The list names exactly what is there.
    let listed: Vec<String> = std::fs::read_to_string(o.join(".wattsim-files"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect();
    assert_eq!(listed, names(&o));
    // Without charts, no chart and no report are left from before.
    assert!(
        run_bundled(
            d.path(),
            "scenarios/validation/gpt3.toml",
            "o",
            &["--no-charts"]
        )
        .status
        .success()
    );
    assert!(
        names(&o)
            .iter()
            .all(|n| !n.starts_with("charts/") && n != "report.html")
    );
}

#[test]
fn a_folder_that_is_not_wattsims_is_refused_unless_forced() {
    let d = tempfile::tempdir().unwrap();
    let mine = d.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("thesis.tex"), "keep").unwrap();
    let out = run_bundled(d.path(), "scenarios/validation/gpt3.toml", "mine", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("mine")
            && err.contains("not a wattsim output folder")
            && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        names(&mine),
        vec!["thesis.tex".to_string()],
        "nothing touched"
    );
    // Forced, wattsim writes its files and leaves the others alone, then and on the next run.
    for extra in [&["--force"][..], &[]] {
        let out = run_bundled(d.path(), "scenarios/validation/gpt3.toml", "mine", extra);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(mine.join("thesis.tex")).unwrap(),
            "keep"
        );
        assert!(mine.join("summary.json").exists());
    }
    // A folder an earlier wattsim wrote (metadata.json, no list) is accepted as wattsim's.
    let old = d.path().join("old");
    std::fs::create_dir(&old).unwrap();
    std::fs::write(
        old.join("metadata.json"),
        r#"{ "wattsim_version": "0.0.9" }"#,
    )
    .unwrap();
    assert!(
        run_bundled(d.path(), "scenarios/validation/gpt3.toml", "old", &[])
            .status
            .success()
    );
}
