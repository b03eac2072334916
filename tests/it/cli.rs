//! The command line itself: `--quiet` on every command, shell completions and the manual page.

use crate::common;

#[test]
fn quiet_prints_nothing_but_warnings_and_errors() {
    let d = tempfile::tempdir().unwrap();
    let gpt3 = common::root().join("scenarios/validation/gpt3.toml");
    let gpt3 = gpt3.to_str().unwrap();
    // Before and after the subcommand, short and long.
    for args in [
        vec!["-q", "run", gpt3, "--out", "a"],
        vec!["run", gpt3, "--out", "b", "--quiet"],
        vec!["validate", gpt3, "-q"],
    ] {
        let o = common::wattsim(&args, d.path());
        assert!(o.status.success(), "{args:?}");
        assert!(
            o.stdout.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    // Without it the same commands print their summaries.
    let o = common::wattsim(&["validate", gpt3], d.path());
    assert!(String::from_utf8_lossy(&o.stdout).contains(": ok"));
    // An error is still printed, with its exit code.
    let o = common::wattsim(&["-q", "run", "missing.toml"], d.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.toml"));
}

#[test]
fn completions_and_the_manual_page_cover_every_command() {
    let d = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = common::wattsim(&["completions", shell], d.path());
        assert!(o.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&o.stdout);
        // Fish writes long options as `-l force`: match the names.
        for word in ["sweep", "plan", "merge", "force", "no-charts"] {
            assert!(text.contains(word), "{shell}: no {word}");
        }
    }
    let o = common::wattsim(&["man"], d.path());
    assert!(o.status.success());
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(
        page.starts_with(".ie") && page.contains(".TH wattsim 1"),
        "{page}"
    );
    assert!(
        page.contains("wattsim\\-sweep") && page.contains("wattsim\\-plan"),
        "{page}"
    );
}
