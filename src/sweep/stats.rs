//! Statistics across replications: mean, sample standard deviation, percentiles and a 95 %
//! confidence interval of the mean. Sums run in input order (no parallel reductions).

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Summary statistics of one metric over a point's replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    /// Number of values.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1), 0 for one value.
    pub std: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Lower end of the 95 % confidence interval of the mean (Student t).
    pub ci95_low: f64,
    /// Upper end.
    pub ci95_high: f64,
}

/// The `q`-quantile (0..1) of sorted values, interpolating linearly between order statistics
/// (Hyndman & Fan type 7, the default of R and NumPy).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Statistics of `values` (in run order).
pub fn stats(values: &[f64]) -> Stats {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    let std = if n > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let half = if n > 1 {
        let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
            .map(|d| d.inverse_cdf(0.975))
            .unwrap_or(f64::NAN);
        t * std / (n as f64).sqrt()
    } else {
        0.0
    };
    Stats {
        n,
        mean,
        std,
        p5: quantile(&sorted, 0.05),
        p50: quantile(&sorted, 0.50),
        p95: quantile(&sorted, 0.95),
        ci95_low: mean - half,
        ci95_high: mean + half,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_of_known_values() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5; squared deviations sum 32; s = sqrt(32 / 7) = 2.13809.
        // t(0.975, 7) = 2.364624 (standard table); half-width = 2.364624 × 2.13809 / sqrt(8)
        // = 5.055786 / 2.828427 = 1.787487. Median (type 7): h = 3.5 → 4 + 0.5 × (5 − 4) = 4.5.
        // p5: h = 0.35 → 2 + 0.35 × 2 = 2.7; p95: h = 6.65 → 7 + 0.65 × 2 = 8.3.
        let s = stats(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.n, 8);
        assert!((s.mean - 5.0).abs() < 1e-12);
        assert!((s.std - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert!(
            (s.ci95_high - 5.0 - 1.787487).abs() < 1e-5,
            "{}",
            s.ci95_high
        );
        assert!((s.ci95_low - 5.0 + 1.787487).abs() < 1e-5);
        assert!((s.p50 - 4.5).abs() < 1e-12);
        assert!((s.p5 - 2.7).abs() < 1e-12);
        assert!((s.p95 - 8.3).abs() < 1e-12);
    }

    #[test]
    fn one_value_has_no_spread() {
        let s = stats(&[3.0]);
        assert_eq!(
            (s.mean, s.std, s.ci95_low, s.ci95_high, s.p95),
            (3.0, 0.0, 3.0, 3.0, 3.0)
        );
    }
}
