//! Work: explicit jobs and generated workloads (arrival process, device-count and duration
//! distributions, utilisation).

use crate::engine::rng::SimRng;
use crate::time::SimTime;
use rand::Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};

/// A job listed explicitly in the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSpec {
    /// Job name.
    pub name: String,
    /// Submission time [ms since start].
    pub submit_ms: SimTime,
    /// Devices requested [count].
    pub devices: u32,
    /// Share of one device [thousandths] for a fractional job (1000 = whole devices).
    pub share_milli: u32,
    /// Run time once started [ms].
    pub duration_ms: SimTime,
    /// Device utilisation while running [0..1].
    pub utilization: f64,
    /// Pool the job must run on (index into the scenario's pools), or any pool.
    pub pool: Option<usize>,
    /// How `duration_ms` is to be read (wall time, reference run time, or FLOPs).
    pub work: crate::model::work::Work,
    /// Per-device throughput overrides.
    pub speeds: crate::model::work::Speeds,
    /// Tenant index into the scenario's tenants.
    pub tenant: Option<u32>,
    /// Utilisation over time, if not constant.
    pub profile: Option<LoadProfile>,
}

/// How a job's utilisation changes while it runs: `phases` once from the start (e.g. data
/// loading), then `cycle` repeated until the job ends (e.g. training steps with a checkpoint
/// dip). Each entry is (length [ms], utilisation [0..1]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadProfile {
    /// Phases run once.
    pub phases: Vec<(SimTime, f64)>,
    /// Phases repeated after them (may be empty: the last phase then holds).
    pub cycle: Vec<(SimTime, f64)>,
}

impl LoadProfile {
    /// Utilisation at `offset` [ms] after the start, and the offset of the next change.
    pub fn at(&self, offset: SimTime) -> (f64, Option<SimTime>) {
        let mut t = 0;
        for &(len, u) in &self.phases {
            if offset < t + len {
                return (u, Some(t + len));
            }
            t += len;
        }
        let period: SimTime = self.cycle.iter().map(|(len, _)| len).sum();
        if period == 0 {
            return (self.phases.last().map_or(1.0, |p| p.1), None);
        }
        let into = (offset - t) % period;
        let cycle_start = offset - into;
        let mut c = 0;
        for &(len, u) in &self.cycle {
            if into < c + len {
                return (u, Some(cycle_start + c + len));
            }
            c += len;
        }
        (self.cycle[0].1, Some(cycle_start + period))
    }
}

/// How jobs of a workload arrive.
#[derive(Debug, Clone, PartialEq)]
pub enum Arrival {
    /// Poisson process: exponential inter-arrival times.
    Poisson {
        /// Mean arrivals per hour [1/h], > 0.
        rate_per_hour: f64,
    },
    /// Non-homogeneous Poisson process with an hour-of-day × day-of-week profile and a growth
    /// trend, sampled by thinning.
    Profile(Box<RateProfile>),
    /// Markov-modulated Poisson process: a quiet and a busy state, each with its own rate,
    /// lasting exponentially distributed times (bursts of arrivals).
    Mmpp {
        /// Arrival rate in the quiet and the busy state [1/h].
        rates_per_hour: [f64; 2],
        /// Mean time spent in each state [ms].
        mean_stay_ms: [f64; 2],
    },
}

/// Where a Markov-modulated process is: its state and when the state ends [ms].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ArrivalState {
    /// 0 = quiet, 1 = busy.
    pub state: usize,
    /// End of the current state [ms]; 0 before the first draw.
    pub until: SimTime,
}

/// A time-varying arrival rate: `rate_per_hour × hourly[local hour] × weekly[local weekday]
/// × (1 + growth_per_month)^(months since start)`, months of 30.4375 days.
#[derive(Debug, Clone, PartialEq)]
pub struct RateProfile {
    /// Base rate [1/h].
    pub rate_per_hour: f64,
    /// Factor per local hour, 0 = 00:00–01:00.
    pub hourly: [f64; 24],
    /// Factor per local weekday, 0 = Monday.
    pub weekly: [f64; 7],
    /// Time zone of the profile.
    pub zone: chrono_tz::Tz,
    /// Growth of the rate per month [fraction].
    pub growth_per_month: f64,
    /// UTC instant of simulation time 0 [ms since the epoch].
    pub epoch_ms: i64,
}

/// Average month used for growth trends [ms] (365.25 / 12 days).
const MONTH_MS: f64 = 30.4375 * 86_400_000.0;

impl RateProfile {
    /// The arrival rate at `t` [1/h].
    pub fn rate_at(&self, t: SimTime) -> f64 {
        use chrono::{Datelike, TimeZone, Timelike};
        let local = self
            .zone
            .timestamp_millis_opt(self.epoch_ms + t as i64)
            .single();
        let (h, d) = local.map_or((0, 0), |l| {
            (
                l.hour() as usize,
                l.weekday().num_days_from_monday() as usize,
            )
        });
        self.rate_per_hour
            * self.hourly[h]
            * self.weekly[d]
            * (1.0 + self.growth_per_month).powf(t as f64 / MONTH_MS)
    }

    /// An upper bound of the rate over `[0, horizon]` [1/h].
    pub fn max_rate(&self, horizon: SimTime) -> f64 {
        let growth = (1.0 + self.growth_per_month)
            .powf(horizon as f64 / MONTH_MS)
            .max(1.0);
        let top = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
        self.rate_per_hour * top(&self.hourly) * top(&self.weekly) * growth
    }
}

impl Arrival {
    /// The highest arrival rate before `horizon` [1/h].
    pub fn peak_rate_per_hour(&self, horizon: SimTime) -> f64 {
        match self {
            Arrival::Poisson { rate_per_hour } => *rate_per_hour,
            Arrival::Profile(p) => p.max_rate(horizon),
            Arrival::Mmpp { rates_per_hour, .. } => rates_per_hour[0].max(rates_per_hour[1]),
        }
    }

    /// The time of the next arrival after `now` [ms], or `None` if none comes before
    /// `horizon`.
    pub fn next_arrival(
        &self,
        now: SimTime,
        horizon: SimTime,
        rng: &mut SimRng,
        modulation: &mut ArrivalState,
    ) -> Option<SimTime> {
        let gap = |rate_per_hour: f64, rng: &mut SimRng| {
            let x: f64 = Exp1.sample(rng);
            crate::time::round_u64(x / rate_per_hour * crate::time::MS_PER_HOUR_F64)
        };
        match self {
            Arrival::Poisson { rate_per_hour } => {
                Some(now.saturating_add(gap(*rate_per_hour, rng))).filter(|&t| t < horizon)
            }
            Arrival::Mmpp {
                rates_per_hour,
                mean_stay_ms,
            } => {
                let stay = |s: usize, rng: &mut SimRng| {
                    let x: f64 = Exp1.sample(rng);
                    crate::time::round_u64(x * mean_stay_ms[s]).max(1)
                };
                if modulation.until == 0 {
                    modulation.until = stay(0, rng);
                }
                let mut t = now;
                loop {
                    // Exponential gaps are memoryless: a fresh gap from t in the current state.
                    let rate = rates_per_hour[modulation.state];
                    let candidate = if rate > 0.0 {
                        t.saturating_add(gap(rate, rng))
                    } else {
                        SimTime::MAX
                    };
                    if candidate < modulation.until {
                        return Some(candidate).filter(|&c| c < horizon);
                    }
                    t = modulation.until;
                    if t >= horizon {
                        return None;
                    }
                    modulation.state = 1 - modulation.state;
                    modulation.until = t.saturating_add(stay(modulation.state, rng));
                }
            }
            Arrival::Profile(p) => {
                // Thinning (Lewis & Shedler 1979): candidates at the maximum rate, each kept
                // with probability rate(t) / max.
                let max = p.max_rate(horizon);
                if max <= 0.0 {
                    return None;
                }
                let mut t = now;
                loop {
                    t = t.saturating_add(gap(max, rng));
                    if t >= horizon {
                        return None;
                    }
                    let keep: f64 = rng.random();
                    if keep * max < p.rate_at(t) {
                        return Some(t);
                    }
                }
            }
        }
    }
}

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

/// A generated stream of jobs.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Workload name; generated jobs are named `<name>-<n>`.
    pub name: String,
    /// Arrival process.
    pub arrival: Arrival,
    /// Device-count distribution.
    pub devices: DeviceCount,
    /// Duration distribution.
    pub duration: DurationDist,
    /// Device utilisation of each job while running [0..1].
    pub utilization: UtilizationDist,
    /// Stop after this many jobs (else arrivals continue to the horizon).
    pub max_jobs: Option<u64>,
    /// Pool the jobs must run on, or any pool.
    pub pool: Option<usize>,
    /// How sampled durations are read (wall time or run time on a reference device).
    pub work: crate::model::work::Work,
    /// Per-device throughput overrides.
    pub speeds: crate::model::work::Speeds,
    /// Tenant index into the scenario's tenants.
    pub tenant: Option<u32>,
    /// Jobs arriving together at each arrival [count distribution].
    pub batch: DeviceCount,
    /// Utilisation over time, if not constant.
    pub profile: Option<LoadProfile>,
}

#[cfg(test)]
mod tests {
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
    fn markov_modulated_arrivals_average_the_two_rates() {
        // Quiet 1/h for a mean of 9 h, busy 100/h for a mean of 1 h: the long-run rate is
        // (1 × 9 + 100 × 1) / 10 = 10.9 per hour. 200,000 h hold ~20,000 busy spells; the count
        // varies mostly with their (exponential) lengths, a relative s.d. of about
        // (100 × 1) / (10.9 × 10) / √20000 ≈ 0.65 %, so ±5 % is over 7 s.d.
        let a = Arrival::Mmpp {
            rates_per_hour: [1.0, 100.0],
            mean_stay_ms: [9.0 * 3.6e6, 3.6e6],
        };
        let mut rng = stream(9, &[]);
        let mut st = ArrivalState::default();
        let horizon = 200_000 * 3_600_000;
        let (mut t, mut n) = (0, 0u64);
        while let Some(next) = a.next_arrival(t, horizon, &mut rng, &mut st) {
            t = next;
            n += 1;
        }
        let rate = n as f64 / 200_000.0;
        assert!((rate / 10.9 - 1.0).abs() < 0.05, "{rate}");
    }

    #[test]
    fn load_profile_phases_then_cycle() {
        // 5 min at 0.3, then cycles of 28 min at 0.95 and 2 min at 0.15.
        let m = 60_000;
        let p = LoadProfile {
            phases: vec![(5 * m, 0.3)],
            cycle: vec![(28 * m, 0.95), (2 * m, 0.15)],
        };
        assert_eq!(p.at(0), (0.3, Some(5 * m)));
        assert_eq!(p.at(5 * m), (0.95, Some(33 * m)));
        assert_eq!(p.at(33 * m), (0.15, Some(35 * m)));
        // 64 min = 5 + 30 + 29: in the second cycle's dip (63..65 min).
        assert_eq!(p.at(64 * m), (0.15, Some(65 * m)));
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
