//! Published training footprints reproduced from the bundled validation scenarios.

use crate::common;

use wattsim::report::Summary;

fn summary_of(file: &str) -> Summary {
    let loaded = wattsim::scenario::load(&common::root().join(file)).expect("scenario loads");
    let result = wattsim::run(&loaded.scenario, loaded.scenario.seed);
    Summary::from_result(&result)
}

#[test]
fn gpt3_matches_patterson_2021_within_one_percent() {
    // Patterson et al. 2021 (arXiv:2104.10350) Table 4: GPT-3 used 1,287 MWh and emitted
    // 552 tCO2e. By hand: 10,000 × 330 W × 355.2 h × PUE 1.10 = 1,289,376 kWh; × 0.429 = 553,142 kg.
    let s = summary_of("scenarios/validation/gpt3.toml");
    assert!(
        common::rel(s.facility_energy_kwh, 1_287_000.0) < 0.01,
        "{}",
        s.facility_energy_kwh
    );
    assert!(
        common::rel(s.carbon_kg, 552_000.0) < 0.01,
        "{}",
        s.carbon_kg
    );
    // And exactly the hand-derived figures (to float rounding): 1,289,376 kWh × 0.429 kg/kWh
    // = 553,142.304 kg.
    assert!(common::rel(s.facility_energy_kwh, 1_289_376.0) < 1e-9);
    assert!(
        common::rel(s.carbon_kg, 553_142.304) < 1e-9,
        "{}",
        s.carbon_kg
    );
    assert_eq!(s.jobs_completed, 1);
}

#[test]
fn bloom_matches_luccioni_2022_within_one_percent() {
    // Luccioni et al. 2022 (arXiv:2211.02001): 433,196 kWh dynamic energy, 24.69 tCO2e.
    // By hand: 384 × 0.4 kW × 2,820.3 h = 433,198.08 kWh; × 0.057 = 24,692.29 kg.
    let s = summary_of("scenarios/validation/bloom.toml");
    assert!(
        common::rel(s.it_energy_kwh, 433_196.0) < 0.01,
        "{}",
        s.it_energy_kwh
    );
    assert!(common::rel(s.carbon_kg, 24_690.0) < 0.01, "{}", s.carbon_kg);
    // Exactly the hand-derived figures: 433,198.08 kWh × 0.057 kg/kWh = 24,692.29056 kg.
    assert!(common::rel(s.it_energy_kwh, 433_198.08) < 1e-9);
    assert!(
        common::rel(s.carbon_kg, 24_692.290_56) < 1e-9,
        "{}",
        s.carbon_kg
    );
}
