//! Large-power tariffs: hours-use (`kWh/kW`) and daily energy tiers, tiered facility and TOU
//! demand and minimum bills, against NREL SAM on a URDB record and by hand through a run.

use crate::common;
use std::path::Path;

/// Facility kW over 15-minute step `i` of 2018 (UTC): the profile `compare_sam.py` gives SAM
/// (the same formula): 800 kW, +400 kW 09:00–18:00, +600 kW at 17:00 every seventh day from
/// 4 January; October flat at 800 kW; March at a tenth.
fn load_kw(i: u32) -> f64 {
    use chrono::{Datelike, Timelike};
    let t = chrono::NaiveDate::from_ymd_opt(2018, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + chrono::Duration::minutes(15 * i as i64);
    let (day, hour) = (i / 96, t.hour());
    if t.month() == 10 {
        return 800.0;
    }
    let mut kw = 800.0;
    if (9..18).contains(&hour) {
        kw += 400.0;
    }
    if day % 7 == 3 && hour == 17 {
        kw += 600.0;
    }
    if t.month() == 3 { kw * 0.1 } else { kw }
}

/// Sums of `bill.csv` amounts by (month, item).
fn amounts(path: &Path) -> std::collections::BTreeMap<(String, String), f64> {
    let mut out = std::collections::BTreeMap::new();
    for row in common::csv_rows(path) {
        let amount: f64 = row["amount"].parse().unwrap();
        *out.entry((row["month"].clone(), row["item"].clone()))
            .or_insert(0.0) += amount;
    }
    out
}

#[test]
fn an_hours_use_urdb_tariff_bills_as_nrel_sam_does() {
    // The fixture record tiers energy by kWh per kW of the month's billed demand (300 and 450
    // kWh/kW), tiers the facility demand (1,000 kW) and the summer peak demand (500 kW), and
    // has a 25,000 monthly minimum. SAM's monthly charges (hours-use-lp.sam.json, written by
    // compare_sam.py with NREL PySAM 7.1.1) are matched to the cent in every month and kind.
    // By hand, January: peak 1,800 kW (a Thursday 17:00 spike), 31 × 22,800 + 4 × 600 =
    // 709,200 kWh; 540,000 kWh at 0.075 + 169,200 at 0.056 = 49,975.20; demand 1,000 × 12.5
    // + 800 × 10.25 = 20,700. March: 8,100.88 of charges, topped up by 16,899.12.
    let root = common::root();
    let fixtures = root.join("tests/fixtures/sam");
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("timestamp,kw\n");
    let start = chrono::NaiveDate::from_ymd_opt(2018, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for i in 0..365 * 96 {
        let t = start + chrono::Duration::minutes(15 * i as i64);
        csv.push_str(&format!(
            "{},{}\n",
            t.format("%Y-%m-%dT%H:%M:%S"),
            load_kw(i)
        ));
    }
    std::fs::write(dir.path().join("meter.csv"), csv).unwrap();
    let tariff = fixtures.join("hours-use-lp.urdb.json");
    let o = common::wattsim(
        &[
            "bill",
            "--load",
            "meter.csv",
            "--tariff",
            tariff.to_str().unwrap(),
            "--time-zone",
            "UTC",
            "--out",
            "b",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ours = amounts(&dir.path().join("b/bill.csv"));
    let sam: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures.join("hours-use-lp.sam.json")).unwrap(),
    )
    .unwrap();
    let months = sam["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    for m in months {
        let month = m["month"].as_str().unwrap().to_string();
        for item in ["energy", "demand", "fixed", "minimum", "total"] {
            let theirs = m[item].as_f64().unwrap();
            let key = (month.clone(), item.to_string());
            let mine = ours.get(&key).copied().unwrap_or(0.0);
            assert!(
                (mine - theirs).abs() < 0.005,
                "{month} {item}: wattsim {mine} vs SAM {theirs}"
            );
        }
    }
    let jan = &ours[&("2018-01".to_string(), "energy".to_string())];
    assert!((jan - 49_975.20).abs() < 1e-6, "{jan}");
    let top_up = &ours[&("2018-03".to_string(), "minimum".to_string())];
    assert!((top_up - 16_899.12).abs() < 1e-6, "{top_up}");
}

/// A run of one node drawing `w` watts for `days` days from 1 June 2025, on `tariff`.
fn constant_run(tariff: &str, w: f64, days: u32) -> wattsim::report::Summary {
    let text = format!(
        r#"
[simulation]
start = "2025-06-01T00:00:00Z"
horizon = "{days}d"

[devices.flat]
idle_w = {w}
max_w = {w}

[[pools]]
name = "p"
device = "flat"
nodes = 1
devices_per_node = 1
host_max_w = 0.0

[facility]
pue = 1.0

{tariff}
"#
    );
    let s = common::scenario(&text);
    wattsim::report::Summary::from_result(&wattsim::run(&s, 1))
}

#[test]
fn hours_use_tiers_are_priced_on_the_months_peak_and_the_difference_is_the_sites() {
    // 1 MW for 10 days from 1 June: 240,000 kWh, peak 1,000 kW. Tiers of 100 kWh/kW at 0.10,
    // then 0.05: 100,000 kWh × 0.10 + 140,000 × 0.05 = 17,000. During the first demand
    // interval of the month the peak is not yet known, so those 250 kWh are first charged at
    // the second tier; jobs and idle capacity carry what was charged as the run went, and
    // the month-end correction (+12.50) is the site's, so the parts still add up.
    let tariff = r#"
[tariff]
[[tariff.periods]]
name = "all"
tiers = [{ up_to_kwh_per_kw = 100, price_per_kwh = 0.10 }, { price_per_kwh = 0.05 }]
"#;
    let s = constant_run(tariff, 1_000_000.0, 10);
    assert!((s.energy_cost - 17_000.0).abs() < 1e-6, "{}", s.energy_cost);
    assert!((s.total_cost - 17_000.0).abs() < 1e-6);
    let attributed = s.jobs_cost + s.idle_cost;
    assert!(
        (attributed - (17_000.0 - 12.5)).abs() < 1e-6,
        "{attributed}"
    );
    assert!((s.site_cost - 12.5).abs() < 1e-6, "{}", s.site_cost);
    assert!((attributed + s.site_cost - s.total_cost).abs() < 1e-6);
}

#[test]
fn daily_tiers_scale_with_the_days_of_the_month_and_minimums_top_up() {
    // 100 kW for 30 days of June: 72,000 kWh. `up_to_kwh_per_day = 2000` bounds the first
    // tier at 2,000 × 30 = 60,000 kWh: 60,000 × 0.10 + 12,000 × 0.20 = 8,400. A minimum of
    // 10,000 per month tops June up by 1,600.
    let tariff = r#"
[tariff]
minimum_per_month = 10000.0
[[tariff.periods]]
name = "all"
tiers = [{ up_to_kwh_per_day = 2000, price_per_kwh = 0.10 }, { price_per_kwh = 0.20 }]
"#;
    let s = constant_run(tariff, 100_000.0, 30);
    assert!((s.energy_cost - 8_400.0).abs() < 1e-6, "{}", s.energy_cost);
    assert!(
        (s.minimum_cost - 1_600.0).abs() < 1e-6,
        "{}",
        s.minimum_cost
    );
    assert!((s.total_cost - 10_000.0).abs() < 1e-6);
    // Energy tiers in plain kWh are charged exactly as the run goes: nothing to re-price.
    assert!((s.jobs_cost + s.idle_cost - 8_400.0).abs() < 1e-6);
}

#[test]
fn a_yearly_minimum_is_pro_rated_and_billed_in_the_last_month() {
    // 10 kW for 61 days (June and July): 14,640 kWh at 0.10 = 1,464. A minimum of 12,000 per
    // year over 2 of 12 months is 2,000, so July carries a top-up of 536.
    let tariff = "[tariff]\nprice_per_kwh = 0.10\nminimum_per_year = 12000.0\n";
    let s = constant_run(tariff, 10_000.0, 61);
    assert!((s.energy_cost - 1_464.0).abs() < 1e-6, "{}", s.energy_cost);
    assert!((s.minimum_cost - 536.0).abs() < 1e-6, "{}", s.minimum_cost);
    assert!((s.total_cost - 2_000.0).abs() < 1e-6);
}

#[test]
fn urdb_tiers_mixing_units_and_a_daily_minimum_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let record = |tiers: &str, extra: &str| {
        format!(
            r#"{{"energyratestructure": [[{tiers}]],
  "energyweekdayschedule": {s}, "energyweekendschedule": {s}{extra}}}"#,
            s = serde_json::to_string(&vec![vec![0; 24]; 12]).unwrap()
        )
    };
    let cases = [
        (
            record(
                r#"{"max": 300, "unit": "kWh/kW", "rate": 0.07}, {"max": 5000, "unit": "kWh", "rate": 0.06}, {"rate": 0.05}"#,
                "",
            ),
            "energyratestructure[0][1].unit",
        ),
        (
            record(
                r#"{"rate": 0.07}"#,
                r#", "mincharge": 30, "minchargeunits": "$/day""#,
            ),
            "minchargeunits",
        ),
        (
            record(r#"{"max": -5, "rate": 0.07}, {"rate": 0.05}"#, ""),
            "energyratestructure[0][0].max",
        ),
    ];
    for (i, (json, field)) in cases.iter().enumerate() {
        let name = format!("t{i}.json");
        std::fs::write(dir.path().join(&name), json).unwrap();
        std::fs::write(
            dir.path().join("m.csv"),
            "timestamp,kw\n2025-06-01 00:00,5\n2025-06-01 00:15,5\n",
        )
        .unwrap();
        let o = common::wattsim(
            &[
                "bill",
                "--load",
                "m.csv",
                "--tariff",
                &name,
                "--time-zone",
                "UTC",
                "--out",
                "b",
                "--force",
            ],
            dir.path(),
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(field) && err.contains(&name), "{field}: {err}");
    }
}

#[test]
fn a_daily_fixed_charge_and_the_charges_not_modelled_on_the_shipped_record() {
    // The shipped SMUD record (scenarios/tariffs/smud-ci-tod4.urdb.json) with its customer
    // charge made 100 $/day, and a coincident demand structure and a demand ratchet added.
    // Two days of meter readings (1–3 June 2025, Pacific time): the fixed line is 2 days ×
    // 100 = 200, and the two charges wattsim does not model are warned about by name.
    let root = common::root();
    let mut record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("scenarios/tariffs/smud-ci-tod4.urdb.json")).unwrap(),
    )
    .unwrap();
    let r = match record.get_mut("items") {
        Some(items) => &mut items[0],
        None => &mut record,
    };
    r["fixedchargeunits"] = "$/day".into();
    r["fixedchargefirstmeter"] = 100.0.into();
    r["coincidentratestructure"] = serde_json::json!([[{ "rate": 1.0 }]]);
    r["demandratchetpercentage"] = serde_json::json!(vec![80.0; 12]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.json"), record.to_string()).unwrap();
    let mut meter = String::from("timestamp,kw\n");
    let start = chrono::NaiveDate::from_ymd_opt(2025, 6, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for q in 0..2 * 96 {
        let t = start + chrono::Duration::minutes(15 * q);
        meter.push_str(&format!("{},100\n", t.format("%Y-%m-%d %H:%M")));
    }
    std::fs::write(dir.path().join("m.csv"), meter).unwrap();
    let o = common::wattsim(
        &[
            "bill",
            "--load",
            "m.csv",
            "--tariff",
            "r.json",
            "--time-zone",
            "America/Los_Angeles",
            "--out",
            "b",
        ],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("coincident demand charges are not modelled"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the demand ratchet percentages are not modelled"),
        "{stderr}"
    );
    let fixed: Vec<(String, String, String)> = common::csv_rows(&dir.path().join("b/bill.csv"))
        .into_iter()
        .filter(|r| r["item"] == "fixed")
        .map(|r| {
            (
                r["quantity"].clone(),
                r["unit"].clone(),
                r["amount"].clone(),
            )
        })
        .collect();
    assert_eq!(fixed, vec![("2".into(), "day".into(), "200".into())]);
}
