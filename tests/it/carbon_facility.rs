//! Carbon series, market-based accounting, embodied carbon, PUE curves and the weather-driven
//! cooling model through whole scenarios, derived by hand.

use crate::common;

use wattsim::report::Summary;

/// A constant 1,000 kW IT load (1,000 devices drawing 1 kW at any utilisation) for `hours`
/// from 2024-06-01T00:00Z, plus `extra` TOML; data files are written beside the scenario.
fn run(hours: u32, extra: &str, files: &[(&str, &str)]) -> (Summary, wattsim::RunResult) {
    run_with(hours, "", extra, files)
}

/// As `run`, with `device` keys added to the device and the pool (`host_…` keys).
fn run_with(
    hours: u32,
    device: &str,
    extra: &str,
    files: &[(&str, &str)],
) -> (Summary, wattsim::RunResult) {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let (host, dev): (Vec<&str>, Vec<&str>) = device.lines().partition(|l| l.starts_with("host_"));
    let (host, dev) = (host.join("\n"), dev.join("\n"));
    let idle = if dev.contains("idle_w") {
        ""
    } else {
        "idle_w = 1000.0"
    };
    let text = format!(
        r#"
[simulation]
start = "2024-06-01T00:00:00Z"
horizon = "{hours}h"
output_interval = "1h"

[[pools]]
device = "flat"
nodes = 1
devices_per_node = 1000
{host}

[devices.flat]
{idle}
max_w = 1000.0
{dev}

{extra}
"#
    );
    let path = dir.path().join("s.toml");
    std::fs::write(&path, &text).unwrap();
    let loaded = wattsim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let r = wattsim::run(&loaded.scenario, 1);
    (Summary::from_result(&r), r)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

const TWO_HOURS: &str = "timestamp,ci\n2024-06-01T00:00:00Z,100\n2024-06-01T01:00:00Z,300\n";

#[test]
fn a_load_across_an_intensity_step() {
    // 1,000 kWh at 100 g/kWh then 1,000 kWh at 300 g/kWh = 100 + 300 = 400 kg.
    let (s, r) = run(
        2,
        "[carbon]\nintensity = { file = \"ci.csv\", value_column = \"ci\" }",
        &[("ci.csv", TWO_HOURS)],
    );
    assert!(
        close(s.carbon_location_kg, 400.0),
        "{}",
        s.carbon_location_kg
    );
    assert!(close(s.carbon_market_kg, 400.0));
    assert_eq!(s.carbon_marginal_kg, None);
    // The time series carries the intensity of each hour.
    let csv = String::from_utf8(wattsim::report::timeseries::to_csv(&r).unwrap()).unwrap();
    assert!(csv.lines().nth(2).unwrap().contains(",300,"), "{csv}");
}

#[test]
fn kg_and_lb_units_convert() {
    // 0.1 kg/kWh = 100 g/kWh; 1,000 lb/MWh = 453.59237 g/kWh (1 lb = 453.59237 g).
    let (s, _) = run(
        1,
        "[carbon]\nintensity = { file = \"ci.csv\", value_column = \"ci\", unit = \"kg_per_kwh\" }\nmarginal = { file = \"m.csv\", time_column = \"t\", value_column = \"moer\", unit = \"lb_per_mwh\" }",
        &[
            (
                "ci.csv",
                "timestamp,ci\n2024-06-01T00:00:00Z,0.1\n2024-06-01T01:00:00Z,0.1\n",
            ),
            (
                "m.csv",
                "t,moer\n2024-06-01 00:00:00,1000\n2024-06-01 00:30:00,1000\n",
            ),
        ],
    );
    assert!(close(s.carbon_location_kg, 100.0));
    assert!(
        close(s.carbon_marginal_kg.unwrap(), 453.592_37),
        "{:?}",
        s.carbon_marginal_kg
    );
}

#[test]
fn certificates_covering_half_the_energy() {
    // 2,000 kWh at 400 g/kWh = 800 kg location-based. Certificates of 4,380 MWh/yr pro-rated
    // to 2 h: 4380 × 1000 × 2 / 8760 = 1,000 kWh = half → market-based 400 kg.
    let (s, _) = run(
        2,
        "[carbon]\nintensity_g_per_kwh = 400.0\ncertificates_mwh_per_year = 4380.0",
        &[],
    );
    assert!(close(s.carbon_location_kg, 800.0));
    assert!(close(s.carbon_market_kg, 400.0), "{}", s.carbon_market_kg);
    assert_eq!(s.cfe_score, 0.0);
}

#[test]
fn certificates_beyond_consumption_cover_it_and_no_more() {
    // 2,000 kWh at 400 g/kWh. Certificates of 17,520 MWh/yr pro-rated to 2 h: 17520 × 1000 ×
    // 2 / 8760 = 4,000 kWh, twice the consumption: they cover all of it, so market-based
    // carbon is 0 — not the −800 kg an uncapped credit would give.
    let (s, _) = run(
        2,
        "[carbon]\nintensity_g_per_kwh = 400.0\ncertificates_mwh_per_year = 17520.0",
        &[],
    );
    assert!(close(s.carbon_location_kg, 800.0));
    assert_eq!(s.carbon_market_kg, 0.0, "{}", s.carbon_market_kg);
}

#[test]
fn the_residual_mix_prices_what_contracts_leave_uncovered() {
    // As `certificates_covering_half_the_energy`: 1,000 of 2,000 kWh covered; the other
    // 1,000 kWh at the residual mix's 550 g/kWh (not the location-based 400) = 550 kg.
    let (s, _) = run(
        2,
        "[carbon]\nintensity_g_per_kwh = 400.0\ncertificates_mwh_per_year = 4380.0\nresidual_g_per_kwh = 550.0",
        &[],
    );
    assert!(close(s.carbon_location_kg, 800.0));
    assert!(close(s.carbon_market_kg, 550.0), "{}", s.carbon_market_kg);
}

#[test]
fn hourly_cfe_with_a_ppa_profile() {
    // Consumption 1,000 kWh in each of 2 hours; the PPA delivers 500 kW then 1,500 kW.
    // Matched: 500 + 1,000 (the extra 500 is lost) = 1,500 of 2,000 → CFE 0.75.
    // Unmatched 500 kWh of hour 0 at its location intensity 100 g/kWh → 50 kg market-based.
    let (s, _) = run(
        2,
        "[carbon]\nintensity = { file = \"ci.csv\", value_column = \"ci\" }\nppa = { file = \"ppa.csv\", value_column = \"mw\", unit = \"mw\" }",
        &[
            ("ci.csv", TWO_HOURS),
            (
                "ppa.csv",
                "timestamp,mw\n2024-06-01T00:00:00Z,0.5\n2024-06-01T01:00:00Z,1.5\n",
            ),
        ],
    );
    assert!(close(s.cfe_score, 0.75), "{}", s.cfe_score);
    assert!(close(s.carbon_market_kg, 50.0), "{}", s.carbon_market_kg);
}

#[test]
fn embodied_carbon_amortised_over_thirty_days_of_five_years() {
    // 1,000 devices × 150 kg + 1 host × 3,000 kg = 153,000 kg over 5 × 8,760 = 43,800 h;
    // 30 days = 720 h → 153000 × 720 / 43800 = 2,515.068 kg.
    let (s, _) = run_with(
        720,
        "embodied_kg = 150.0\nlifetime_years = 5.0\nhost_embodied_kg = 3000.0\nhost_lifetime_years = 5.0",
        "",
        &[],
    );
    assert!(
        close(s.carbon_embodied_kg, 153_000.0 * 720.0 / 43_800.0),
        "{}",
        s.carbon_embodied_kg
    );
    // Without embodied figures it is zero, not a guess.
    let (s, _) = run(1, "", &[]);
    assert_eq!(s.carbon_embodied_kg, 0.0);
}

#[test]
fn pue_curve_follows_the_load() {
    // The installed capacity is 1,000 kW and the flat devices draw 1,000 kW (load fraction
    // 1.0) → PUE 1.1; facility 2 h × 1,000 kW × 1.1 = 2,200 kWh.
    let (s, _) = run(2, "[facility]\npue_curve = [[0.0, 1.5], [1.0, 1.1]]", &[]);
    assert!(
        close(s.facility_energy_kwh, 2200.0),
        "{}",
        s.facility_energy_kwh
    );
    // With a device drawing 250 W idle (load fraction 0.25): PUE = 1.5 − 0.4 × 0.25 = 1.4.
    let (s, _) = run_with(
        2,
        "idle_w = 250.0",
        "[facility]\npue_curve = [[0.0, 1.5], [1.0, 1.1]]",
        &[],
    );
    // IT 2 h × 250 kW = 500 kWh; facility 500 × 1.4 = 700 kWh.
    assert!(close(s.it_energy_kwh, 500.0));
    assert!(
        close(s.facility_energy_kwh, 700.0),
        "{}",
        s.facility_energy_kwh
    );
}

#[test]
fn cooling_model_below_and_above_the_economiser() {
    // Air-cooled preset, 10 °C in hour 0 (free cooling: PUE 1.14, no water) and 35 °C in
    // hour 1 (mechanical: PUE 1.14 + 1/2.96, water 1.8 L per IT kWh).
    // Facility = 1,000 × 1.14 + 1,000 × (1.14 + 1/2.96) kWh; water = 1,000 kWh × 1.8 = 1,800 L.
    let (s, r) = run(
        2,
        "[facility]\ncooling = \"air_cooled\"\nweather = { file = \"t.csv\", value_column = \"temp\" }",
        &[(
            "t.csv",
            "timestamp,temp\n2024-06-01T00:00:00Z,10\n2024-06-01T01:00:00Z,35\n",
        )],
    );
    let expected = 1000.0 * 1.14 + 1000.0 * (1.14 + 1.0 / 2.96);
    assert!(
        close(s.facility_energy_kwh, expected),
        "{}",
        s.facility_energy_kwh
    );
    assert!(close(s.water_l, 1800.0), "{}", s.water_l);
    assert!(close(s.average_pue, expected / 2000.0));
    let csv = String::from_utf8(wattsim::report::timeseries::to_csv(&r).unwrap()).unwrap();
    let row0: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(row0[col("outdoor_c")], "10");
    assert!(close(row0[col("pue")].parse::<f64>().unwrap(), 1.14));
    // The water falls in the hot hour only: 0 L, then 1,000 kWh × 1.8 L/kWh.
    let row1: Vec<&str> = csv.lines().nth(2).unwrap().split(',').collect();
    assert_eq!(row0[col("water_l")], "0");
    assert!(close(row1[col("water_l")].parse::<f64>().unwrap(), 1800.0));
    // Fahrenheit input: 50 °F = 10 °C gives the same first hour.
    let (s2, _) = run(
        1,
        "[facility]\ncooling = \"air_cooled\"\nweather = { file = \"t.csv\", value_column = \"temp\", unit = \"f\" }",
        &[(
            "t.csv",
            "timestamp,temp\n2024-06-01T00:00:00Z,50\n2024-06-01T01:00:00Z,50\n",
        )],
    );
    assert!(
        close(s2.facility_energy_kwh, 1140.0),
        "{}",
        s2.facility_energy_kwh
    );
}

#[test]
fn the_liquid_cooled_preset_and_fixed_kw_by_hand() {
    // Liquid-cooled preset (README table: UPS 0.04, fans 0.03, economiser to 27 °C over a
    // 10 °C band, COP at 35 °C from 0.56 kW per ton of 3.51685 kW, i.e. 6.28009, falling
    // 0.1 per °C, at least 2.0) with fixed_kw = 40.
    // Hour 0 at 40 °C: all mechanical (s = 1), COP = 6.28009 − 0.1 × 5 = 5.78009:
    //   1,000 kWh × (1 + 0.04 + 0.03 + 1 / 5.78009) + 40 kWh = 1,283.008 kWh; water 1,000 × 1.8.
    // Hour 1 at 32 °C: half mechanical (s = (32 − 27) / 10 = 0.5), COP = 6.28009 + 0.3:
    //   1,000 × (1.07 + 0.5 / 6.58009) + 40 = 1,185.987 kWh; water 1,000 × 1.8 × 0.5 = 900 L.
    let (s, _) = run(
        2,
        "[facility]\ncooling = \"liquid_cooled\"\nfixed_kw = 40.0\nweather = { file = \"t.csv\", value_column = \"temp\" }",
        &[(
            "t.csv",
            "timestamp,temp\n2024-06-01T00:00:00Z,40\n2024-06-01T01:00:00Z,32\n",
        )],
    );
    let cop_35 = 3.516_85 / 0.56;
    let hot = 1000.0 * (1.0 + 0.04 + 0.03 + 1.0 / (cop_35 - 0.5)) + 40.0;
    let mild = 1000.0 * (1.0 + 0.04 + 0.03 + 0.5 / (cop_35 + 0.3)) + 40.0;
    assert!(
        close(s.facility_energy_kwh, hot + mild),
        "{} vs {}",
        s.facility_energy_kwh,
        hot + mild
    );
    assert!(close(s.water_l, 1800.0 + 900.0), "{}", s.water_l);
}

#[test]
fn carbon_attribution_still_adds_up_and_output_interval_changes_nothing() {
    let extra = "[facility]\ncooling = \"liquid_cooled\"\nweather = { file = \"t.csv\", value_column = \"temp\" }\n[carbon]\nintensity = { file = \"ci.csv\", value_column = \"ci\" }";
    let files = [
        (
            "t.csv",
            "timestamp,temp\n2024-06-01T00:00:00Z,20\n2024-06-01T01:00:00Z,40\n",
        ),
        ("ci.csv", TWO_HOURS),
    ];
    let (s, r) = run(2, extra, &files);
    let jobs: f64 = r.jobs.iter().map(|j| j.attribution.carbon_kg).sum();
    assert!(close(jobs + r.idle.carbon_kg, s.carbon_kg));
    let mut fine = wattsim::scenario::parse(
        &std::fs::read_to_string(common::root().join("scenarios/quickstart.toml")).unwrap(),
        std::path::Path::new("q.toml"),
    )
    .unwrap();
    let coarse = wattsim::report::Summary::from_result(&wattsim::run(&fine, 2));
    fine.output_interval_ms = 7 * 60_000;
    let f = wattsim::report::Summary::from_result(&wattsim::run(&fine, 2));
    assert!(close(coarse.carbon_kg, f.carbon_kg));
}

#[test]
fn a_year_of_intensity_applies_to_another_year_by_the_calendar() {
    // Daily intensities of 2022 (not leap; value = 100 + day of year) with no `repeat` key:
    // a series of one year repeats by the calendar. One idle node of 8 A100s (catalog idle
    // 60 W, no host draw: 0.48 kW, 11.52 kWh a day) runs through February and March 2024,
    // a leap year. 29 February takes 28 February's 158 g/kWh → 1.820 kg; 1 March takes
    // 2022-03-01's 159 → 1.832 kg (a 365-day cycle would have given 160 from 29 February).
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("timestamp,ci\n");
    let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    for d in 0..365 {
        let day = start + chrono::Duration::days(d);
        csv.push_str(&format!("{day}T00:00:00Z,{}\n", 100 + d));
    }
    std::fs::write(dir.path().join("ci.csv"), csv).unwrap();
    let text = r#"
[simulation]
start = "2024-02-01T00:00:00Z"
horizon = "60d"
output_interval = "1d"

[[pools]]
device = "A100-SXM4-80GB"
nodes = 1
host_max_w = 0.0

[carbon]
intensity = { file = "ci.csv", value_column = "ci" }
"#;
    std::fs::write(dir.path().join("s.toml"), text).unwrap();
    let o = common::wattsim(&["run", "s.toml", "--out", "o", "--no-charts"], dir.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    // The data's year differs from the run's: said once, naming the key and file.
    assert_eq!(
        err.matches("`carbon.intensity.file` (ci.csv) holds 2022 data and the run is in 2024")
            .count(),
        1,
        "{err}"
    );
    let kg: Vec<f64> = common::csv_rows(&dir.path().join("o/timeseries.csv"))
        .iter()
        .map(|r| r["carbon_kg"].parse().unwrap())
        .collect();
    // Rows: 0 = 1 February … 27 = 28 February, 28 = 29 February, 29 = 1 March.
    for (row, g) in [(27, 158.0), (28, 158.0), (29, 159.0), (59, 189.0)] {
        assert!(
            (kg[row] - 11.52 * g / 1000.0).abs() < 1e-9,
            "row {row}: {}",
            kg[row]
        );
    }
    // With repeat = "no" the same series does not cover 2024: refused, naming both fixes.
    std::fs::write(
        dir.path().join("s.toml"),
        text.replace(
            "value_column = \"ci\" }",
            "value_column = \"ci\", repeat = \"no\" }",
        ),
    )
    .unwrap();
    let o = common::wattsim(&["run", "s.toml", "--out", "p"], dir.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("does not cover") && err.contains("repeat = \"year\""),
        "{err}"
    );
}
