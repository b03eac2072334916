//! Second-tier tests against the real data sets in `../shared/data`. They are ignored by a
//! plain `cargo test` (reported as ignored, not as passed: a fresh clone has no data) and run
//! with `WATTSIM_REAL_DATA=DIR cargo test --release --test it -- --ignored real_data`, as
//! `.ci/run` does when the folder exists; run without the variable or the data, they fail.

use crate::common;

use std::path::PathBuf;

/// The real-data folder named by `WATTSIM_REAL_DATA`; a test run without it fails.
fn real_data() -> PathBuf {
    let dir = std::env::var_os("WATTSIM_REAL_DATA")
        .map(PathBuf::from)
        .expect("set WATTSIM_REAL_DATA to the real data sets' folder (../shared/data)");
    assert!(
        dir.is_dir(),
        "WATTSIM_REAL_DATA is set to {} but that folder does not exist",
        dir.display()
    );
    dir
}

/// (value, cdf) rows of a CDF file.
fn cdf(path: &std::path::Path) -> Vec<(f64, f64)> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].parse().unwrap(), r[1].parse().unwrap())
        })
        .collect()
}

/// The smallest value whose CDF reaches `q`.
fn quantile(rows: &[(f64, f64)], q: f64) -> f64 {
    rows.iter().find(|(_, c)| *c >= q).map(|(v, _)| *v).unwrap()
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn catalog_a100_idle_lies_in_the_measured_idle_range() {
    let dir = real_data();
    // Acme traces (Hu et al., NSDI 2024), Kalos cluster of A100-SXM4-80GB: per-GPU DCGM power.
    // Idle GPUs form the bottom of the distribution: the catalog's idle_w must lie between the
    // observed minimum (55.7 W) and the 10th percentile (63 W).
    let rows = cdf(&dir.join("acme-power-util-cdf/gpu_power_w_kalos_cdf.csv"));
    let (min, p10) = (rows[0].0, quantile(&rows, 0.10));
    let idle = wattsim::model::catalog::lookup("A100-SXM4-80GB")
        .unwrap()
        .idle_w;
    assert!(
        min <= idle && idle <= p10,
        "idle {idle} W outside [{min}, {p10}] W"
    );
    // And the catalog's 400 W TDP sits near the 90th percentile of a busy cluster (403.7 W).
    let max = wattsim::model::catalog::lookup("A100-SXM4-80GB")
        .unwrap()
        .max_w;
    let p90 = quantile(&rows, 0.90);
    assert!((max - p90).abs() / max < 0.05, "TDP {max} W vs p90 {p90} W");
}

/// Bills a constant 1,000 kW through the calendar year 2025 in Los Angeles time on a URDB
/// record from the real-data folder, returning (energy, demand, fixed, total).
fn bill_2025(dir: &std::path::Path, file: &str, tweak: impl Fn(&mut Vec<f64>)) -> [f64; 4] {
    use wattsim::result::LineItem;
    let start = chrono::DateTime::parse_from_rfc3339("2025-01-01T08:00:00Z")
        .unwrap()
        .timestamp_millis();
    let mut kw = vec![1000.0; 8760 * 4];
    tweak(&mut kw);
    let load = wattsim::input::load::LoadProfile {
        start_ms: start,
        step_ms: 900_000,
        kw,
    };
    let span = wattsim::scenario::context::Span {
        start_ms: start,
        end_ms: start + 8760 * 3_600_000,
    };
    let path = dir.join("urdb-ci-tariffs").join(file);
    let tariff = wattsim::scenario::tariff_file::read_tariff(
        &path,
        Some("America/Los_Angeles"),
        span,
        &mut vec![],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (bill, kwh) = wattsim::billing::bill_load(&load, &tariff);
    assert!(
        (kwh - 8_760_000.0 - load.kw.iter().map(|k| k - 1000.0).sum::<f64>() / 4.0).abs() < 1e-3
    );
    assert_eq!(bill.months.len(), 12);
    [
        bill.sum(LineItem::Energy),
        bill.sum(LineItem::Demand),
        bill.sum(LineItem::Fixed),
        bill.total(),
    ]
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn smud_ci_tod4_annual_bill_by_hand() {
    let dir = real_data();
    // SMUD CI-TOD4 (SOURCE.md decodes it), 1,000 kW all of 2025, local time. 2025 has 261
    // weekdays: 174 in the winter months (Oct–May), 87 in summer (Jun–Sep); 69 winter and 35
    // summer weekend days. Daylight saving drops a winter weekend off-peak hour on 9 March and
    // adds one on 2 November.
    // Hours: winter peak 16–21: 174 × 5 = 870; winter off-peak: 174 × 12 + 69 × 24 = 3,744;
    // winter 09–16: 174 × 7 = 1,218; summer peak 16–21: 87 × 5 = 435;
    // summer off-peak: 87 × 19 + 35 × 24 = 2,493 (sum 8,760).
    // Energy (rate + 0.0003 adj): 870,000 × 0.1445 + 3,744,000 × 0.1189 + 1,218,000 × 0.0768
    // + 435,000 × 0.2370 + 2,493,000 × 0.1154 = 125,715.00 + 445,161.60 + 93,542.40
    // + 103,095.00 + 287,692.20 = 1,055,206.20.
    // Demand: 5.539 × 1000 × 12 = 66,468 + summer peak 11.609 × 1000 × 4 = 46,436 → 112,904.
    // Fixed: 3,897.40 × 12 = 46,768.80. Total 1,214,879.00.
    let [energy, demand, fixed, total] =
        bill_2025(&dir, "smud_ci_tod4_secondary_1000kw_2025.json", |_| {});
    assert!(near(energy, 1_055_206.20), "{energy}");
    assert!(near(demand, 112_904.0), "{demand}");
    assert!(near(fixed, 46_768.80), "{fixed}");
    assert!(near(total, 1_214_879.00), "{total}");
    // A stepped load: 2,000 kW for one 15-minute interval at 17:00 local on Tuesday 15 July
    // (00:00Z on 16 July) raises July's facility and summer-peak demand to 2,000 kW:
    // + (5.539 + 11.609) × 1000 = 17,148; energy + 250 kWh × 0.2370 = 59.25.
    let july_16_0000z = ((31 + 28 + 31 + 30 + 31 + 30 + 15) * 24 - 8) * 4;
    let [energy2, demand2, _, _] =
        bill_2025(&dir, "smud_ci_tod4_secondary_1000kw_2025.json", |kw| {
            kw[july_16_0000z] = 2000.0;
        });
    assert!(near(demand2 - demand, 17_148.0), "{}", demand2 - demand);
    assert!(near(energy2 - energy, 59.25), "{}", energy2 - energy);
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn sce_tou8_annual_bill_by_hand() {
    let dir = real_data();
    // SCE TOU-8 Option D (< 2 kV), 1,000 kW all of 2025. Winter (Oct–May, 243 days, weekdays
    // and weekends alike): 08–16 at 0.08973 for 243 × 8 = 1,944 h; 00–08 and 21–24 at 0.12331
    // for 243 × 11 − 1 + 1 = 2,673 h (daylight saving); 16–21 at 0.12428 for 243 × 5 = 1,215 h.
    // Summer (122 days: 87 weekdays, 35 weekend days): off-peak 0.11343 for 122 × 19 = 2,318 h;
    // weekend 16–21 at 0.14199 for 35 × 5 = 175 h; weekday 16–21 at 0.15186 for 87 × 5 = 435 h.
    // Energy: 174,435.12 + 329,607.63 + 151,000.20 + 262,930.74 + 24,848.25 + 66,059.10
    // = 1,008,881.04. Demand: facilities 25.36 × 1000 × 12 = 304,320; TOU 16–21: winter
    // 8.83 × 1000 × 8 = 70,640, summer 29.54 × 1000 × 4 = 118,160. Fixed 447.44 × 12 = 5,369.28.
    // Total 1,507,370.32.
    let [energy, demand, fixed, total] =
        bill_2025(&dir, "sce_tou8_option_d_under2kv_2024.json", |_| {});
    assert!(near(energy, 1_008_881.04), "{energy}");
    assert!(near(demand, 493_120.0), "{demand}");
    assert!(near(fixed, 5_369.28), "{fixed}");
    assert!(near(total, 1_507_370.32), "{total}");
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn sdge_al_tou_annual_bill_by_hand() {
    let dir = real_data();
    // SDG&E AL-TOU secondary, 1,000 kW all of 2025; every price is 0.01874 + adj.
    // Summer = Jun–Oct (110 weekdays, 43 weekend days); winter = the other 7 months (108
    // weekdays in Jan, Feb, May, Nov, Dec; 43 in Mar, Apr with a 10:00–14:00 super-off-peak;
    // 61 weekend days). Hours: summer on-peak (16–21) 153 × 5 = 765 at 0.22842; summer off-peak
    // 110 × 13 + 43 × 5 = 1,645 at 0.14825; summer super-off-peak 110 × 6 + 43 × 14 = 1,262 at
    // 0.12431; winter on-peak 212 × 5 = 1,060 at 0.23992; winter off-peak 108 × 13 + 43 × 9
    // + 61 × 5 = 2,096 at 0.14299; winter super-off-peak 108 × 6 + 43 × 10 + 61 × 14 = 1,932 at
    // 0.11473 (daylight saving −1 + 1 there). Energy: 174,741.30 + 243,871.25 + 156,879.22
    // + 254,315.20 + 299,707.04 + 221,658.36 = 1,351,172.37.
    // Demand: non-coincident 30.63 × 1000 × 12 = 367,560; on-peak summer (30.80 + 14.81)
    // × 1000 × 5 = 228,050; winter 32.93 × 1000 × 7 = 230,510 → 826,120.
    // Fixed 766.91 × 12 = 9,202.92. Total 2,186,495.29.
    let [energy, demand, fixed, total] = bill_2025(&dir, "sdge_al_tou_secondary_2024.json", |_| {});
    assert!(near(energy, 1_351_172.37), "{energy}");
    assert!(near(demand, 826_120.0), "{demand}");
    assert!(near(fixed, 9_202.92), "{fixed}");
    assert!(near(total, 2_186_495.29), "{total}");
}

/// Runs a constant 1,000 kW IT load (PUE from `facility`) over `span` with `carbon`, where
/// `{DATA}` in the TOML is replaced by the real-data folder.
fn constant_megawatt(
    dir: &std::path::Path,
    start: &str,
    horizon: &str,
    facility: &str,
    carbon: &str,
) -> wattsim::report::Summary {
    let text = format!(
        r#"
[simulation]
start = "{start}"
horizon = "{horizon}"
output_interval = "1d"

[devices.flat]
idle_w = 1000.0
max_w = 1000.0

[[pools]]
device = "flat"
nodes = 1
devices_per_node = 1000

[facility]
{facility}

[carbon]
{carbon}
"#
    )
    .replace("{DATA}", &dir.display().to_string());
    let s = wattsim::scenario::parse(&text, std::path::Path::new("real.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    wattsim::report::Summary::from_result(&wattsim::run(&s, 1))
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn eia_regions_constant_load_reproduces_the_annual_mean_intensity() {
    let dir = real_data();
    // For a constant load, energy-weighted intensity = time-weighted intensity. Each row holds
    // until the next (missing hours hold the previous value, gaps = "hold"), the last for one
    // hour; the expected mean is that stepwise time average of the file's avg_CI over 2022
    // (for the complete files, the plain mean of the 8,760 rows, e.g. BPAT 54.7 g/kWh in
    // SOURCE.md).
    for ba in [
        "AZPS", "BPAT", "CISO", "ERCO", "MISO", "NYIS", "PJM", "SOCO",
    ] {
        let file = dir.join(format!("sustaindc-eia-ci-2022/{ba}_ci_2022.csv"));
        let mut reader = csv::Reader::from_path(&file).unwrap();
        // Rows with an empty avg_CI (23 in PJM, 3 in CISO and MISO) are missing hours.
        let rows: Vec<(i64, f64)> = reader
            .records()
            .filter_map(|r| {
                let r = r.unwrap();
                let t = chrono::DateTime::parse_from_str(&r[0], "%Y-%m-%d %H:%M:%S%:z").unwrap();
                let v = r[r.len() - 1].parse().ok()?;
                Some((t.timestamp_millis(), v))
            })
            .collect();
        let end = rows[rows.len() - 1].0 + 3_600_000;
        let start = rows[0].0;
        let weighted: f64 = rows
            .iter()
            .enumerate()
            .map(|(i, &(t, v))| v * (rows.get(i + 1).map_or(end, |n| n.0) - t) as f64)
            .sum::<f64>()
            / (end - start) as f64;
        let hours = (end - start) / 3_600_000;
        let s = constant_megawatt(
            &dir,
            &chrono::DateTime::from_timestamp_millis(start)
                .unwrap()
                .to_rfc3339(),
            &format!("{hours}h"),
            "pue = 1.0",
            &format!(
                "intensity = {{ file = \"{{DATA}}/sustaindc-eia-ci-2022/{ba}_ci_2022.csv\", value_column = \"avg_CI\", gaps = \"hold\" }}"
            ),
        );
        let mean = s.carbon_kg * 1000.0 / s.facility_energy_kwh;
        assert!(
            (mean - weighted).abs() < 1e-9 * weighted,
            "{ba}: {mean} vs {weighted}"
        );
        if rows.len() == 8760 {
            let plain = rows.iter().map(|r| r.1).sum::<f64>() / 8760.0;
            assert!((mean - plain).abs() < 1e-9 * plain, "{ba}");
        }
    }
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn watttime_marginal_series_in_pounds_per_mwh() {
    let dir = real_data();
    // The WattTime CAISO_NORTH sample: 8,928 five-minute rows (31 days) from 2023-06-08,
    // mean 355.3 lb/MWh (SOURCE.md). A constant 1,000 kW for the 31 days uses 744,000 kWh:
    // 744,000 × 355.3 × 0.45359237 / 1000 = 119,903 kg (to the 4 digits of the quoted mean).
    let s = constant_megawatt(
        &dir,
        "2023-06-08T00:00:00Z",
        "31d",
        "pue = 1.0",
        "intensity_g_per_kwh = 0.0\nmarginal = { file = \"{DATA}/vessim-watttime-caiso-north/watttime_example.csv\", time_column = \"oootime\", value_column = \"Caiso_North\", unit = \"lb_per_mwh\" }",
    );
    let marginal = s.carbon_marginal_kg.unwrap();
    assert!(
        (marginal - 119_903.0).abs() / 119_903.0 < 2e-4,
        "{marginal}"
    );
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn phoenix_cools_harder_than_virginia() {
    let dir = real_data();
    // The same air-cooled hall over a year: Phoenix (hot desert) spends far more hours above
    // the 18 °C economiser limit than Leesburg, Virginia, so its annual PUE is higher.
    //
    // Derived independently of wattsim's weather clock and integration: a constant 1,000 kW
    // over 365 days from 1 January 00:00 UTC covers each of the file's 8,760 hours exactly
    // once (local standard time UTC−7 / UTC−5 starts on the last day's evening, then the whole
    // year), so facility / IT energy = the plain mean over the file's hours of the preset's
    // documented PUE(T) = 1 + 0.06 UPS + 0.08 fans + share(T) / COP(T), share = (T − 18) / 9
    // clamped to [0, 1], COP = max(2.96 − 0.06 (T − 35), 1.5). Those means are 1.326884 for
    // Phoenix and 1.207289 for Virginia (the dry-bulb column of the EPW files); the
    // simulated figures must equal them to rounding (1e-9).
    let pue = |epw: &str| {
        constant_megawatt(
            &dir,
            "2025-01-01T00:00:00Z",
            "365d",
            &format!(
                "cooling = \"air_cooled\"\nweather = {{ file = \"{{DATA}}/sustaindc-weather-tmy/{epw}\" }}"
            ),
            "intensity_g_per_kwh = 0.0",
        )
    };
    let hourly_mean = |epw: &str| {
        let text = std::fs::read_to_string(dir.join("sustaindc-weather-tmy").join(epw)).unwrap();
        let pue_at = |t: f64| {
            let share = ((t - 18.0) / 9.0).clamp(0.0, 1.0);
            let cop = (2.96 - 0.06 * (t - 35.0)).max(1.5);
            1.14 + share / cop
        };
        let hours: Vec<f64> = text
            .lines()
            .skip(8)
            .map(|l| pue_at(l.split(',').nth(6).unwrap().parse().unwrap()))
            .collect();
        assert_eq!(hours.len(), 8760, "{epw}");
        hours.iter().sum::<f64>() / 8760.0
    };
    let (phx_file, va_file) = ("USA_AZ_Phoenix-Sky.Harbor.epw", "USA_VA_Leesburg.Exec.epw");
    let (phx, va) = (pue(phx_file), pue(va_file));
    let (phx_mean, va_mean) = (hourly_mean(phx_file), hourly_mean(va_file));
    assert!(
        common::rel(phx.average_pue, phx_mean) < 1e-9,
        "{} vs {phx_mean}",
        phx.average_pue
    );
    assert!(
        common::rel(va.average_pue, va_mean) < 1e-9,
        "{} vs {va_mean}",
        va.average_pue
    );
    // The figures quoted above, to the digits given (catches a changed data file).
    assert!(
        (phx.average_pue - 1.326884).abs() < 5e-7,
        "{}",
        phx.average_pue
    );
    assert!(
        (va.average_pue - 1.207289).abs() < 5e-7,
        "{}",
        va.average_pue
    );
    assert!(phx.water_l > va.water_l);
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn philly_runtimes_as_an_empirical_distribution() {
    let dir = real_data();
    // SOURCE.md: 83,154 Philly job runtimes, median 1,186 s, p90 12,860 s. 40,000 resampled
    // durations reproduce both within 3 % (a sample quantile's relative s.e. here is < 1 %).
    let text = format!(
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "400d"
[[pools]]
device = "V100-SXM2-32GB"
nodes = 100000
devices_per_node = 8
[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = 100.0 }}
max_jobs = 40000
devices = 1
duration = {{ distribution = "empirical", file = "{}/alibaba-gpu-traces/philly_runtime.csv", column = "runtime", unit = "s" }}
"#,
        dir.display()
    );
    let s = wattsim::scenario::parse(&text, std::path::Path::new("philly.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = wattsim::run(&s, 4);
    let d = common::sorted_durations_s(&r);
    let q = |p: f64| common::quantile(&d, p);
    assert_eq!(d.len(), 40_000);
    assert!((q(0.5) / 1186.0 - 1.0).abs() < 0.03, "median {}", q(0.5));
    assert!((q(0.9) / 12_860.0 - 1.0).abs() < 0.03, "p90 {}", q(0.9));
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn zeus_v100_power_caps_have_an_energy_optimum_in_the_middle() {
    let dir = real_data();
    // Zeus (NSDI'23) ImageNet / ResNet-50, batch 128, Adadelta on a V100 (250 W): epoch time
    // per power limit. Relative throughput at a cap = time(250 W) / time(cap). One epoch at
    // full load (the 250 W run time) simulated at caps 100, 150 and 250 W must reproduce the
    // measured times and put the energy optimum in the middle (published: 679, 617 and 802
    // kJ; wattsim charges the cap itself rather than the slightly lower measured average).
    let mut reader =
        csv::Reader::from_path(dir.join("zeus-power-limit-sweeps/summary_power_v100.csv")).unwrap();
    let mut times: Vec<(f64, f64)> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[1] == "resnet50" && &r[2] == "128" && &r[3] == "adadelta")
        .map(|r| (r[4].parse().unwrap(), r[5].parse().unwrap()))
        .collect();
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let t250 = times.iter().find(|t| t.0 == 250.0).unwrap().1;
    let table: Vec<String> = times
        .iter()
        .map(|(c, t)| format!("[{c:.1}, {}]", t250 / t))
        .collect();
    let energy_kj = |cap: f64| {
        let text = format!(
            r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "1d"
[[pools]]
device = "V100-PCIe-32GB"
nodes = 1
devices_per_node = 1
power_cap_w = {cap:.1}
cap_throughput = [{}]
[[jobs]]
devices = 1
duration = "{t250}s"
"#,
            table.join(", ")
        );
        let r = wattsim::run(&common::scenario(&text), 1);
        let measured = times.iter().find(|t| t.0 == cap).unwrap().1;
        assert!(
            (r.jobs[0].duration_ms as f64 / 1000.0 - measured).abs() < 0.01,
            "cap {cap}"
        );
        r.jobs[0].attribution.it_energy_kwh * 3600.0
    };
    // At full load the device draws its cap, so one epoch costs cap × the measured epoch
    // time, which the simulation holds in whole milliseconds: 100 W × 6,824.417 s = 682.44 kJ,
    // 150 W × 4,243.257 s = 636.49 kJ, 250 W × 3,603.597 s = 900.90 kJ (the file's
    // time_per_epoch). The published energies (the file's
    // average_power × time: 679.0, 617.2 and 801.6 kJ) are lower by the ratio of the cap to
    // the measured average power: 100 / 99.50 = 1.0051, 150 / 145.46 = 1.0312,
    // 250 / 222.44 = 1.1239; each simulated energy must lie within that ratio of them.
    for (cap, time_s, published_kj, ratio) in [
        (100.0, 6824.416666666667, 679.0, 1.0051),
        (150.0, 4243.256666666667, 617.2, 1.0312),
        (250.0, 3603.5966666666664, 801.6, 1.1239),
    ] {
        let e = energy_kj(cap);
        let whole_ms = (time_s * 1000.0_f64).round() / 1000.0;
        assert!(
            common::rel(e, cap * whole_ms / 1000.0) < 1e-12,
            "cap {cap}: {e}"
        );
        assert!(
            e >= published_kj * 0.9999 && e <= published_kj * ratio * 1.0001,
            "cap {cap}: {e} kJ against the published {published_kj}"
        );
    }
    // The energy optimum lies in the middle, as Zeus found.
    let (e100, e150, e250) = (energy_kj(100.0), energy_kj(150.0), energy_kj(250.0));
    assert!(e150 < e100 && e150 < e250);
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn alibaba_openb_trace_replays_with_counted_skips() {
    let dir = real_data();
    // Alibaba GPU 2023 (Weng et al., ATC 2023) openb_pod_list_default.csv: 8,152 tasks, of
    // which 1,088 request no GPU and 1 has deletion_time ≤ creation_time; creation times run
    // to 12,901,761 s (149.3 days), all within a 150-day horizon. The 1,213 GPU nodes of
    // openb_node_list_gpu_node.csv (6,212 GPUs) become pools by GPUs per node:
    // 617 × 8, 54 × 4, 518 × 2, 24 × 1. Expected: 7,063 replayed, 1,088 + 1 skipped.
    // Of the 3,078 tasks asking for part of one GPU (gpu_milli < 1000), 3,077 are replayed
    // (the other is the one with deletion_time ≤ creation_time); they share devices.
    let text = format!(
        r#"
[simulation]
start = "2023-01-01T00:00:00Z"
horizon = "150d"
output_interval = "1d"
[devices.gpu]
idle_w = 50.0
max_w = 300.0
[[pools]]
name = "8gpu"
device = "gpu"
nodes = 617
devices_per_node = 8
[[pools]]
name = "4gpu"
device = "gpu"
nodes = 54
devices_per_node = 4
[[pools]]
name = "2gpu"
device = "gpu"
nodes = 518
devices_per_node = 2
[[pools]]
name = "1gpu"
device = "gpu"
nodes = 24
devices_per_node = 1
[[traces]]
name = "openb"
file = "{}/alibaba-gpu-traces/openb_pod_list_default.csv"
format = "alibaba-openb"                # creation_time, deletion_time, num_gpu, seconds
utilization = 0.6
"#,
        dir.display()
    );
    let s = wattsim::scenario::parse(&text, std::path::Path::new("openb.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = wattsim::run(&s, 1);
    let sum = wattsim::report::Summary::from_result(&r);
    let reasons: Vec<(&str, u64)> = sum
        .trace_skips
        .iter()
        .map(|t| (t.reason.as_str(), t.rows))
        .collect();
    assert_eq!(sum.trace_rows_used, 7063, "{reasons:?}");
    assert_eq!(
        reasons,
        vec![("zero devices", 1088), ("non-positive duration", 1)]
    );
    assert_eq!(sum.jobs_submitted, 7063);
    assert_eq!(sum.jobs_rejected, 0);
    let fractional = r.jobs.iter().filter(|j| j.share_milli < 1000).count();
    assert_eq!(fractional, 3077);
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn dgx_a100_host_idle_matches_the_acme_servers() {
    let dir = real_data();
    // Seren (8 × A100 per server): server power p10 minus 8 GPUs at the GPU power p10 is the
    // host's draw when the cluster is quiet; the DGX-A100 preset's idle_w must be within 10 %.
    let server = cdf(&dir.join("acme-power-util-cdf/gpu_server_power_w_seren_cdf.csv"));
    let gpu = cdf(&dir.join("acme-power-util-cdf/gpu_power_w_seren_cdf.csv"));
    let host_idle = quantile(&server, 0.10) - 8.0 * quantile(&gpu, 0.10);
    let preset = wattsim::model::catalog::host("DGX-A100").unwrap().idle_w;
    assert!(
        (preset - host_idle).abs() / host_idle < 0.10,
        "preset {preset} W vs {host_idle} W"
    );
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn calibrate_caps_from_the_zeus_sweep() {
    let dir = real_data();
    // ResNet-50, batch 128, Adadelta: 3,603.6 s/epoch at 250 W and 4,243.3 s at 150 W →
    // relative throughput 3603.597 / 4243.257 = 0.8493 at 150 W (SOURCE.md example).
    let sweep = dir.join("zeus-power-limit-sweeps/summary_power_v100.csv");
    let o = common::wattsim(
        &[
            "calibrate",
            "caps",
            "--sweep",
            sweep.to_str().unwrap(),
            "--where",
            "network=resnet50",
            "--where",
            "batch_size=128",
            "--where",
            "optimizer=adadelta",
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("[150.0, 0.8493]") && out.contains("[250.0, 1.0000]"),
        "{out}"
    );
}

#[test]
#[ignore = "reads the real data sets: WATTSIM_REAL_DATA=DIR, --ignored"]
fn philly_gpu_utilization_cdf_drives_per_job_utilization() {
    let dir = real_data();
    // The Philly per-minute GPU utilisation CDF of the Acme analysis (percent, 1,000 points;
    // SOURCE.md: p50 48.6 %, p90 99.3 %) as a workload's utilisation distribution. Over
    // 20,000 jobs, the sampled utilisations must reproduce the table: their mean within 4
    // standard errors of the table's mean Σ v_i (c_i − c_{i−1}), and the share at or below
    // the table's median value within 4 standard errors (√(0.25 / n) = 0.0035 each) of the
    // table's cumulative probability there.
    let file = dir.join("acme-power-util-cdf/gpu_util_pct_philly_cdf.csv");
    let rows = cdf(&file);
    let (mut mean, mut square, mut prev) = (0.0, 0.0, 0.0);
    for (v, c) in &rows {
        let (u, p) = (v / 100.0, c - prev);
        mean += u * p;
        square += u * u * p;
        prev = *c;
    }
    let sd = (square - mean * mean).sqrt();
    let text = format!(
        r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "201h"
output_interval = "1h"
[[pools]]
device = "A100-SXM4-80GB"
nodes = 64
devices_per_node = 8
[[workloads]]
arrival = {{ process = "poisson", rate_per_hour = 100.0 }}
devices = 1
duration = {{ distribution = "fixed", value = "1h" }}
utilization = {{ distribution = "cdf", file = {file:?}, scale = 0.01 }}
max_jobs = 20000
"#
    );
    let r = wattsim::run(&common::scenario(&text), 4);
    let n = r.jobs.len() as f64;
    assert_eq!(r.jobs.len(), 20_000);
    let got_mean = r.jobs.iter().map(|j| j.utilization).sum::<f64>() / n;
    assert!(
        (got_mean - mean).abs() < 4.0 * sd / n.sqrt(),
        "mean {got_mean} vs table {mean} (sd {sd})"
    );
    let median = quantile(&rows, 0.5) / 100.0;
    let at_median = rows.iter().find(|(_, c)| *c >= 0.5).map(|r| r.1).unwrap();
    let share = r.jobs.iter().filter(|j| j.utilization <= median).count() as f64 / n;
    assert!(
        (share - at_median).abs() < 4.0 * (0.25 / n).sqrt(),
        "{share} vs {at_median}"
    );
    assert!(
        (median - 0.486).abs() < 0.001,
        "SOURCE.md p50 48.6 %: {median}"
    );
}
