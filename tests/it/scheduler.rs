//! The scheduling seam: `[scheduler] policy` selects the policy by name, its name reaches
//! summary.json and metadata.json, an unknown policy is refused with a suggestion, and the
//! grid signals a policy sees are the tariff's posted prices.

use crate::common;

use std::path::Path;

const BASE: &str = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "2d"

[[pools]]
device = "H100-SXM5-80GB"
nodes = 2
devices_per_node = 8

[[workloads]]
name = "w"
arrival = { process = "poisson", rate_per_hour = 6.0 }
devices = { values = [1, 8], weights = [3.0, 1.0] }
duration = { distribution = "exponential", mean = "2h" }
"#;

#[test]
fn fifo_by_name_is_the_default() {
    let default = common::scenario(BASE);
    let named = common::scenario(&format!("{BASE}\n[scheduler]\npolicy = \"fifo\"\n"));
    let a = wattsim::report::Summary::from_result(&wattsim::run(&default, 5));
    let b = wattsim::report::Summary::from_result(&wattsim::run(&named, 5));
    assert_eq!(a.policy, "fifo");
    assert_eq!(a, b);
    assert!(a.jobs_completed > 0, "the run must do work to compare");
}

#[test]
fn unknown_policy_is_refused_with_a_suggestion() {
    let src = format!("{BASE}\n[scheduler]\npolicy = \"fifoo\"\n");
    let err = wattsim::scenario::parse(&src, Path::new("s.toml"))
        .expect_err("an unknown policy must be refused")
        .to_string();
    assert!(
        err.contains("fifoo") && err.contains("did you mean `fifo`"),
        "{err}"
    );
    let src = format!("{BASE}\n[scheduler]\npolicy = \"fifo\"\ndepth = 3\n");
    let err = wattsim::scenario::parse(&src, Path::new("s.toml"))
        .expect_err("an unknown key must be refused")
        .to_string();
    assert!(err.contains("depth"), "{err}");
}

#[test]
fn policy_name_is_in_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(&file, BASE).unwrap();
    let out = common::wattsim(&["run", "s.toml", "--out", "out"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/metadata.json")).unwrap())
            .unwrap();
    assert_eq!(meta["policy"], "fifo");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["policy"], "fifo");
}

#[test]
fn posted_price_follows_the_time_of_use_periods() {
    // scenarios/tariffs/sce-tou8.toml starts at midnight, Tuesday 1 July 2025, Los Angeles
    // (07:00 UTC). Its periods: summer weekdays 16–21 h on-peak 0.15186, summer weekends 16–21 h
    // mid-peak 0.14199, other summer hours off-peak 0.11343 [USD/kWh].
    let loaded =
        wattsim::scenario::load(&common::root().join("scenarios/tariffs/sce-tou8.toml")).unwrap();
    let site = &loaded.scenario.site;
    let h = 3_600_000i64;
    let price = |hours: i64| site.tariff.posted_price_per_kwh(site.epoch_ms + hours * h);
    assert_eq!(price(17), 0.15186, "Tuesday 17:00 local: on-peak");
    assert_eq!(price(10), 0.11343, "Tuesday 10:00 local: off-peak");
    // Saturday 5 July 17:00 local = 4 days and 17 hours after the start.
    assert_eq!(
        price(4 * 24 + 17),
        0.14199,
        "Saturday 17:00 local: mid-peak"
    );
}
