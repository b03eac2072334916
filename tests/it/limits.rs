//! Resource bombs that validate: a run's events and output are estimated before it starts, and
//! one beyond the documented limits is refused (exit 2), naming the key that drives the
//! estimate, unless `--max-events` / `--max-output-gb` raise them; a sweep of more runs than
//! its limit is refused at `sweep.replications`.

use crate::common;

/// A one-device cluster over `horizon`, plus `extra`.
fn scenario(horizon: &str, extra: &str) -> String {
    format!(
        "[simulation]\nstart = \"2024-01-01T00:00:00Z\"\nhorizon = \"{horizon}\"\noutput_interval = \"30d\"\n\
         [devices.d]\nidle_w = 50.0\nmax_w = 300.0\n[[pools]]\ndevice = \"d\"\nnodes = 1\ndevices_per_node = 1\n{extra}"
    )
}

/// Runs `wattsim args…` on `text` (with `files` beside it) and returns exit code and stderr.
fn wattsim(text: &str, files: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let o = common::wattsim(args, dir.path());
    let out_exists = dir.path().join("out").exists();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        out_exists,
    )
}

/// A scenario text, the data files beside it, and what its error must say.
type Case<'a> = (String, &'a [(&'a str, &'a str)], &'a [&'a str]);

#[test]
fn bombs_are_refused_before_they_run_naming_the_key() {
    // A 2 ms load cycle over a 36,000-day job: 3.6e4 d × 8.64e7 ms/d / 2 ms × 2 changes ≈
    // 3.1e12 events. A 2-row, 1 ms carbon series cycled over 100 years: 3.15e12 edges. A
    // workload of 2,000 one-second jobs an hour for 10 years: 1.75e8 jobs × 250 B ≈ 44 GB of
    // jobs.csv.
    let profile = "[[jobs]]\ndevices = 1\nduration = \"36000d\"\n\
                   load_profile = { cycle = [{ duration = \"1ms\", utilization = 1.0 }, { duration = \"1ms\", utilization = 0.5 }] }\n";
    let carbon =
        "[carbon]\nintensity = { file = \"ci.csv\", value_column = \"ci\", repeat = \"cycle\" }\n";
    let ci = "timestamp,ci\n2024-01-01T00:00:00.000Z,100\n2024-01-01T00:00:00.001Z,200\n";
    let jobs = "[[workloads]]\narrival = { process = \"poisson\", rate_per_hour = 2000.0 }\n\
                devices = 1\nduration = { distribution = \"exponential\", mean = \"1s\" }\n";
    let cases: [Case; 3] = [
        (
            scenario("36500d", profile),
            &[],
            &["jobs[0]", "3.11e12 events", "--max-events"],
        ),
        (
            scenario("36500d", carbon),
            &[("ci.csv", ci)],
            &["carbon.intensity", "3.15e12 events", "--max-events"],
        ),
        (
            scenario("3650d", jobs),
            &[],
            &["workloads[0].arrival", "43.8 GB", "--max-output-gb"],
        ),
    ];
    for (text, files, needles) in &cases {
        for args in [
            &["validate", "s.toml"][..],
            &["run", "s.toml", "--out", "out"][..],
        ] {
            let (code, stderr, out) = wattsim(text, files, args);
            assert_eq!(code, Some(2), "{args:?}: {stderr}");
            for n in *needles {
                assert!(stderr.contains(n), "{args:?}: `{n}` not in {stderr}");
            }
            assert!(stderr.contains("s.toml"), "{stderr}");
            assert!(!out, "nothing written");
        }
    }
    // Raised limits let the same scenario through (validate only: not run for minutes).
    let (code, stderr, _) = wattsim(
        &cases[2].0,
        &[],
        &["validate", "s.toml", "--max-output-gb", "100"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    // The same jobs as Parquet are about 0.3 of the CSV's bytes (68 of 243 MB measured):
    // 43.8 × 0.3 = 13.1 GB, under the 20 GB default; with no job table, nothing.
    for format in ["parquet", "none"] {
        let text = format!("{}\n[output]\njobs = \"{format}\"\n", cases[2].0);
        let (code, stderr, _) = wattsim(&text, &[], &["validate", "s.toml"]);
        assert_eq!(code, Some(0), "{format}: {stderr}");
    }
}

#[test]
fn a_sweep_of_too_many_runs_is_refused_at_its_replications() {
    let text = scenario(
        "1d",
        "[[jobs]]\ndevices = 1\nduration = \"1h\"\n[sweep]\nreplications = 1000000000000\n",
    );
    for args in [
        &["validate", "s.toml"][..],
        &["sweep", "s.toml", "--out", "out"][..],
    ] {
        let (code, stderr, out) = wattsim(&text, &[], args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("sweep.replications") && stderr.contains("1000000 runs"),
            "{stderr}"
        );
        assert!(!out, "nothing written");
    }
}
