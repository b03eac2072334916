//! Second-tier tests against the real data sets in `../shared/data`. They run when
//! `WATTSIM_REAL_DATA` names that folder (`.ci/run` sets it) and fail loudly when it is set but
//! the data is missing.

use std::path::PathBuf;

/// The real-data folder, or `None` (test skipped) when the variable is unset.
fn real_data() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("WATTSIM_REAL_DATA")?);
    assert!(
        dir.is_dir(),
        "WATTSIM_REAL_DATA is set to {} but that folder does not exist",
        dir.display()
    );
    Some(dir)
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
fn catalog_a100_idle_lies_in_the_measured_idle_range() {
    let Some(dir) = real_data() else {
        eprintln!("skipped: WATTSIM_REAL_DATA not set");
        return;
    };
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
