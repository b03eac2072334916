//! The distributions a generated job is drawn from: durations (exponential, lognormal,
//! Weibull, fixed, empirical), weighted choices, device counts and utilisation.

use crate::engine::rng::SimRng;
use crate::time::SimTime;
use rand::Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};

/// How long a generated job runs.
#[derive(Debug, Clone, PartialEq)]
pub enum DurationDist {
    /// Exponential with the given mean [ms].
    Exponential {
        /// Mean [ms].
        mean_ms: f64,
    },
    /// Log-normal with the given median [ms] and shape `sigma` (of the underlying normal).
    LogNormal {
        /// Median [ms].
        median_ms: f64,
        /// Standard deviation of ln(duration) [-].
        sigma: f64,
    },
    /// Always the same duration [ms].
    Fixed {
        /// Duration [ms].
        value_ms: SimTime,
    },
    /// Weibull with shape `k` and scale `lambda` [ms].
    Weibull {
        /// Shape `k` [-].
        shape: f64,
        /// Scale [ms].
        scale_ms: f64,
    },
    /// Observed durations, each equally likely (resampled as they are).
    Empirical {
        /// Observed durations [ms], sorted.
        values_ms: std::sync::Arc<Vec<SimTime>>,
    },
}

impl DurationDist {
    /// The mean run time [ms] (for estimates; an empirical distribution's sample mean).
    pub fn mean_ms(&self) -> f64 {
        match self {
            DurationDist::Exponential { mean_ms } => *mean_ms,
            DurationDist::LogNormal { median_ms, sigma } => median_ms * (sigma * sigma / 2.0).exp(),
            DurationDist::Fixed { value_ms } => *value_ms as f64,
            DurationDist::Weibull { shape, scale_ms } => scale_ms * gamma(1.0 + 1.0 / shape),
            DurationDist::Empirical { values_ms } => {
                values_ms.iter().map(|&v| v as f64).sum::<f64>() / values_ms.len().max(1) as f64
            }
        }
    }

    /// A sampled run time [ms], rounded to the clock and at least 1 ms.
    #[inline]
    pub fn sample_ms(&self, rng: &mut SimRng) -> SimTime {
        let ms = match self {
            DurationDist::Exponential { mean_ms } => {
                let x: f64 = Exp1.sample(rng);
                x * mean_ms
            }
            DurationDist::LogNormal { median_ms, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                median_ms * (sigma * z).exp()
            }
            DurationDist::Fixed { value_ms } => return (*value_ms).max(1),
            DurationDist::Weibull { shape, scale_ms } => {
                // Inverse transform: λ (−ln U)^(1/k), U uniform on (0, 1].
                let u: f64 = 1.0 - rng.random::<f64>();
                scale_ms * (-u.ln()).powf(1.0 / shape)
            }
            DurationDist::Empirical { values_ms } => {
                let i = rng.random_range(0..values_ms.len());
                return values_ms[i].max(1);
            }
        };
        crate::time::round_u64(ms).max(1)
    }
}

/// A choice among values with given probabilities: the cumulative, normalised weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice<T> {
    /// The values.
    pub values: Vec<T>,
    /// Cumulative normalised weights, non-decreasing, last = 1.
    pub cumulative: Vec<f64>,
}

impl<T> Choice<T> {
    /// From weights (non-negative, finite, not all zero — checked by the scenario validator).
    pub fn weighted(values: Vec<T>, weights: &[f64]) -> Self {
        let mut acc = 0.0;
        let cumulative: Vec<f64> = weights
            .iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        Self::from_cumulative(values, cumulative)
    }

    /// From a tabulated cumulative distribution (non-decreasing, last > 0): value i has
    /// probability `(c[i] − c[i−1]) / c[last]`.
    pub fn from_cumulative(values: Vec<T>, mut cumulative: Vec<f64>) -> Self {
        let total = cumulative.last().copied().unwrap_or(1.0);
        for c in &mut cumulative {
            *c /= total;
        }
        Choice { values, cumulative }
    }

    /// A sampled value (inverse transform: the first value whose cumulative weight exceeds a
    /// uniform draw).
    #[inline]
    pub fn sample(&self, rng: &mut SimRng) -> &T {
        let x: f64 = rng.random();
        let i = self.cumulative.partition_point(|c| *c <= x);
        &self.values[i.min(self.values.len() - 1)]
    }
}

/// How hard a generated job loads its devices [0..1].
#[derive(Debug, Clone, PartialEq)]
pub enum UtilizationDist {
    /// Every job the same.
    Fixed(f64),
    /// Uniform between `low` and `high`.
    Uniform {
        /// Lowest [0..1].
        low: f64,
        /// Highest [0..1].
        high: f64,
    },
    /// Weighted values, or a tabulated (step) cumulative distribution.
    Choice(Choice<f64>),
    /// Observed utilisations, each equally likely.
    Observed(std::sync::Arc<Vec<f64>>),
}

impl UtilizationDist {
    /// A sampled utilisation; `Fixed` draws nothing from `rng`, so a constant utilisation
    /// leaves a workload's other draws as they were.
    #[inline]
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match self {
            UtilizationDist::Fixed(u) => *u,
            UtilizationDist::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            UtilizationDist::Choice(c) => *c.sample(rng),
            UtilizationDist::Observed(v) => v[rng.random_range(0..v.len())],
        }
    }

    /// The mean utilisation [0..1].
    pub fn mean(&self) -> f64 {
        match self {
            UtilizationDist::Fixed(u) => *u,
            UtilizationDist::Uniform { low, high } => (low + high) / 2.0,
            UtilizationDist::Choice(c) => {
                let mut prev = 0.0;
                c.values
                    .iter()
                    .zip(&c.cumulative)
                    .map(|(v, cum)| {
                        let p = cum - prev;
                        prev = *cum;
                        v * p
                    })
                    .sum()
            }
            UtilizationDist::Observed(v) => v.iter().sum::<f64>() / v.len() as f64,
        }
    }
}

/// How many devices a generated job asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceCount {
    /// Always this many.
    Fixed(u32),
    /// One of several counts, chosen with probabilities proportional to their weights.
    Weighted(Choice<u32>),
}

impl DeviceCount {
    /// Builds a weighted choice; weights must be non-negative, finite and not all zero
    /// (checked by the scenario validator).
    pub fn weighted(values: Vec<u32>, weights: &[f64]) -> Self {
        DeviceCount::Weighted(Choice::weighted(values, weights))
    }

    /// A sampled device count.
    #[inline]
    pub fn sample(&self, rng: &mut SimRng) -> u32 {
        match self {
            DeviceCount::Fixed(n) => *n,
            DeviceCount::Weighted(c) => *c.sample(rng),
        }
    }

    /// The largest count this can produce.
    pub fn max(&self) -> u32 {
        match self {
            DeviceCount::Fixed(n) => *n,
            DeviceCount::Weighted(c) => c.values.iter().copied().max().unwrap_or(0),
        }
    }
}

/// Γ(x) for x ≥ 1 by Stirling's series after shifting x up past 10 (relative error below
/// 1e-10 there), for the Weibull mean.
fn gamma(mut x: f64) -> f64 {
    let mut product = 1.0;
    while x < 10.0 {
        product *= x;
        x += 1.0;
    }
    let ln = (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x.powi(3))
        + 1.0 / (1260.0 * x.powi(5))
        - 1.0 / (1680.0 * x.powi(7));
    ln.exp() / product
}

#[cfg(test)]
mod tests {
    #[test]
    fn gamma_matches_known_values() {
        // Γ(1) = 1, Γ(5) = 4! = 24, Γ(1.5) = √π / 2, Γ(11) = 10! = 3,628,800.
        let rel = |a: f64, b: f64| (a / b - 1.0).abs();
        assert!(rel(gamma(1.0), 1.0) < 1e-10);
        assert!(rel(gamma(5.0), 24.0) < 1e-10);
        assert!(rel(gamma(1.5), std::f64::consts::PI.sqrt() / 2.0) < 1e-10);
        assert!(rel(gamma(11.0), 3_628_800.0) < 1e-10);
    }

    use super::*;
    use crate::engine::rng::stream;

    #[test]
    fn weighted_counts_follow_weights() {
        // Weights 3:1 → P(8) = 0.75; with 40000 draws the standard error is
        // sqrt(0.75 × 0.25 / 40000) ≈ 0.0022, so ±0.01 is > 4 sigma.
        let d = DeviceCount::weighted(vec![8, 1], &[3.0, 1.0]);
        let mut rng = stream(1, &[]);
        let n = 40_000;
        let eights = (0..n).filter(|_| d.sample(&mut rng) == 8).count();
        assert!((eights as f64 / n as f64 - 0.75).abs() < 0.01);
        assert_eq!(d.max(), 8);
    }

    #[test]
    fn exponential_mean_matches() {
        // Mean 1 h = 3.6e6 ms; the sample mean of 40000 draws has relative s.e. 1/200 = 0.5 %.
        let d = DurationDist::Exponential { mean_ms: 3.6e6 };
        let mut rng = stream(2, &[]);
        let n = 40_000;
        let mean = (0..n).map(|_| d.sample_ms(&mut rng) as f64).sum::<f64>() / n as f64;
        assert!((mean / 3.6e6 - 1.0).abs() < 0.025, "{mean}");
    }

    #[test]
    fn weibull_and_empirical_durations() {
        // Weibull k = 1 is exponential with mean λ: λ = 1 h, 40000 draws → mean within 2.5 %.
        let d = DurationDist::Weibull {
            shape: 1.0,
            scale_ms: 3.6e6,
        };
        let mut rng = stream(4, &[]);
        let n = 40_000;
        let mean = (0..n).map(|_| d.sample_ms(&mut rng) as f64).sum::<f64>() / n as f64;
        assert!((mean / 3.6e6 - 1.0).abs() < 0.025, "{mean}");
        // Empirical: only observed values come out.
        let d = DurationDist::Empirical {
            values_ms: std::sync::Arc::new(vec![10, 20, 30]),
        };
        assert!((0..100).all(|_| [10, 20, 30].contains(&d.sample_ms(&mut rng))));
    }

    #[test]
    fn fixed_duration_is_exact_and_positive() {
        let mut rng = stream(3, &[]);
        assert_eq!(DurationDist::Fixed { value_ms: 42 }.sample_ms(&mut rng), 42);
        assert_eq!(DurationDist::Fixed { value_ms: 0 }.sample_ms(&mut rng), 1);
    }
}
