//! Carbon- and price-aware deferral: the start, within a window, that minimises a grid signal
//! integrated over a job's run. The signal is a step function, so the integral over a
//! sliding window is piecewise linear in the start and its minimum lies where the window's
//! start or end meets a step: only those starts (and the window's ends) are evaluated.

use super::Cluster;
use super::config::{Forecast, Shift};
use crate::time::{MS_PER_HOUR_F64, SimTime};
use rand_distr::{Distribution, StandardNormal};

/// The start in `[earliest, latest]` [ms] whose run of `run_ms` sees the least of the shift's
/// signal, as forecast at `cluster.now()`; among equal starts the earliest.
pub fn best_start<C: Cluster + ?Sized>(
    cluster: &C,
    shift: &Shift,
    earliest: SimTime,
    latest: SimTime,
    run_ms: SimTime,
) -> SimTime {
    let steps = Steps::forecast(cluster, shift, earliest, latest + run_ms);
    let mut candidates = vec![earliest, latest];
    for &b in &steps.at {
        candidates.push(b);
        candidates.push(b.saturating_sub(run_ms));
    }
    candidates.retain(|&s| s >= earliest && s <= latest);
    candidates.sort_unstable();
    candidates.dedup();
    let mut best = (earliest, steps.integral(earliest, earliest + run_ms));
    for s in candidates {
        let v = steps.integral(s, s + run_ms);
        // Defer only for a real gain, not for rounding in the last digits.
        if v < best.1 - 1e-12 * best.1.abs() {
            best = (s, v);
        }
    }
    best.0
}

/// A step function over `[at[0], end]`: value `value[i]` from `at[i]` to the next step,
/// with its running integral `cum[i]` up to `at[i]` [signal·ms].
struct Steps {
    at: Vec<SimTime>,
    value: Vec<f64>,
    cum: Vec<f64>,
}

impl Steps {
    /// The shift's signal from `from` to `to` [ms] as forecast at `cluster.now()`.
    fn forecast<C: Cluster + ?Sized>(
        cluster: &C,
        shift: &Shift,
        from: SimTime,
        to: SimTime,
    ) -> Self {
        let now = cluster.now();
        let mut steps = Steps {
            at: vec![],
            value: vec![],
            cum: vec![],
        };
        let mut t = from;
        let mut cum = 0.0;
        loop {
            let next = cluster
                .next_grid_change_after(t)
                .map_or(to, |n| n.min(to))
                .max(t + 1);
            let actual = shift.signal.of(&cluster.grid(t));
            let v = match shift.forecast {
                Forecast::Perfect => actual,
                Forecast::Noisy { error, seed } => {
                    let lead_h = (t - now.min(t)) as f64 / MS_PER_HOUR_F64;
                    let sigma = error * (lead_h / 24.0).sqrt();
                    let mut rng = crate::engine::rng::stream(seed, &[now, t]);
                    let z: f64 = StandardNormal.sample(&mut rng);
                    actual * (1.0 + sigma * z).max(0.0)
                }
            };
            steps.at.push(t);
            steps.value.push(v);
            steps.cum.push(cum);
            cum += v * (next - t) as f64;
            if next >= to {
                break;
            }
            t = next;
        }
        steps
    }

    /// ∫ signal over `[0, x]` relative to the first step, for `x` within the steps.
    fn upto(&self, x: SimTime) -> f64 {
        let i = self.at.partition_point(|&a| a <= x).saturating_sub(1);
        self.cum[i] + self.value[i] * (x - self.at[i]) as f64
    }

    /// ∫ signal over `[a, b]` [signal·ms].
    fn integral(&self, a: SimTime, b: SimTime) -> f64 {
        self.upto(b) - self.upto(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::config::Signal;
    use crate::scheduler::test_cluster::TestCluster;

    const H: SimTime = 3_600_000;

    fn carbon() -> Shift {
        Shift {
            signal: Signal::Carbon,
            forecast: Forecast::Perfect,
        }
    }

    #[test]
    fn the_minimum_is_where_the_window_meets_a_step() {
        // Intensity 500 g/kWh, except 100 from 5 h to 7 h. A 3 h run may start in [0, 10 h].
        let c = TestCluster::new(1, &[1]).with_intensity(vec![
            (0, 500.0),
            (5 * H, 100.0),
            (7 * H, 500.0),
        ]);
        // Any start in [4 h, 5 h] covers the whole clean 2 h (integral 2·100 + 1·500 = 700
        // g/kWh·h, against 1500 at 0 h); the earliest is where the window's end meets the
        // 7 h step: s = 4 h.
        assert_eq!(best_start(&c, &carbon(), 0, 10 * H, 3 * H), 4 * H);
        // A 1 h run fits inside the clean hours: the earliest start there is 5 h.
        assert_eq!(best_start(&c, &carbon(), 0, 10 * H, H), 5 * H);
        // A window that ends before the clean hours: the whole window is 500 → start now.
        assert_eq!(best_start(&c, &carbon(), 0, H, H), 0);
    }

    #[test]
    fn zero_forecast_error_is_perfect_foresight() {
        let c = TestCluster::new(1, &[1]).with_intensity(vec![
            (0, 300.0),
            (2 * H, 50.0),
            (3 * H, 400.0),
        ]);
        let noisy = Shift {
            forecast: Forecast::Noisy {
                error: 0.0,
                seed: 3,
            },
            ..carbon()
        };
        assert_eq!(
            best_start(&c, &noisy, 0, 20 * H, H),
            best_start(&c, &carbon(), 0, 20 * H, H)
        );
        assert_eq!(best_start(&c, &carbon(), 0, 20 * H, H), 2 * H);
    }
}
