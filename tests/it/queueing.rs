//! Queueing theory check: Poisson arrivals of one-device exponential jobs on c devices form an
//! M/M/c queue, whose mean wait is given by the Erlang C formula.

use crate::common;

use wattsim::report::Summary;

/// The Erlang C probability that a job waits, for offered load `a` erlangs on `c` servers:
/// C(c, a) = (a^c / c!) / (1 − ρ) / (Σ_{k<c} a^k / k! + (a^c / c!) / (1 − ρ)), ρ = a / c.
pub(crate) fn erlang_c(a: f64, c: u32) -> f64 {
    let rho = a / c as f64;
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        sum += term;
        term *= a / (k + 1) as f64;
    }
    let tail = term / (1.0 - rho);
    tail / (sum + tail)
}

/// Erlang C mean queue wait [h] for arrival rate `lambda` [1/h], service rate `mu` [1/h] and
/// `c` servers: Wq = C(c, a) / (c·mu − lambda), a = lambda / mu.
fn erlang_c_wait_h(lambda: f64, mu: f64, c: u32) -> f64 {
    erlang_c(lambda / mu, c) / (c as f64 * mu - lambda)
}

#[test]
fn erlang_c_by_hand() {
    // M/M/1 with λ = 0.5, μ = 1: Wq = ρ / (μ − λ) = 0.5 / 0.5 = 1 h.
    assert!((erlang_c_wait_h(0.5, 1.0, 1) - 1.0).abs() < 1e-12);
    // M/M/2 with a = 1 (ρ = 0.5): C = (1/2)/(0.5) / (1 + 1 + 1) = 1/3; Wq = (1/3) / (2 − 1) h.
    assert!((erlang_c_wait_h(1.0, 1.0, 2) - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn mmc_mean_wait_matches_erlang_c() {
    // c = 8 devices, mean service 1 h (μ = 1/h), λ = 6/h: ρ = 0.75, Erlang-C Wq ≈ 0.1067 h.
    // 40,000 h of simulated time is ≈ 240,000 jobs per seed; averaged over 4 seeds the mean
    // wait's standard error is ≈ 1.5 % (batch means at this load), so 6 % is a 4-sigma bound.
    let src = r#"
[simulation]
start = "2024-01-01T00:00:00Z"
horizon = "40000h"
output_interval = "1000h"

[[pools]]
device = "A100-SXM4-80GB"
nodes = 1
devices_per_node = 8

[[workloads]]
name = "mmc"
arrival = { process = "poisson", rate_per_hour = 6.0 }
devices = 1
duration = { distribution = "exponential", mean = "1h" }
"#;
    let scenario = common::scenario(src);
    let expected_s = erlang_c_wait_h(6.0, 1.0, 8) * 3600.0;
    let seeds = [11, 12, 13, 14];
    let per_seed: Vec<f64> = seeds
        .iter()
        .map(|&seed| Summary::from_result(&wattsim::run(&scenario, seed)).mean_wait_s)
        .collect();
    eprintln!("mean waits per seed [s]: {per_seed:?}, Erlang C {expected_s:.1} s");
    let mean_s = per_seed.iter().sum::<f64>() / seeds.len() as f64;
    assert!(
        common::rel(mean_s, expected_s) < 0.06,
        "simulated {mean_s:.1} s vs Erlang C {expected_s:.1} s"
    );
}
