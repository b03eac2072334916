//! Arrival processes of generated work: Poisson, daily and weekly rate profiles with monthly
//! growth, and Markov-modulated bursts; each draws the next arrival time from its stream.

use crate::engine::rng::SimRng;
use crate::time::SimTime;
use rand::Rng;
use rand_distr::{Distribution, Exp1};

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
        /// Growth of both rates per month [fraction] (0: none).
        growth_per_month: f64,
    },
}

/// The growth factor `(1 + g)^(t / month)` at `t` [ms].
fn growth(g: f64, t: SimTime) -> f64 {
    (1.0 + g).powf(t as f64 / MONTH_MS)
}

/// The largest growth factor over `[0, horizon]` (at the end for growth, at 0 for decline).
fn max_growth(g: f64, horizon: SimTime) -> f64 {
    growth(g, horizon).max(1.0)
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
const MONTH_MS: f64 = 30.4375 * crate::time::MS_PER_DAY as f64;

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
        self.rate_per_hour * self.hourly[h] * self.weekly[d] * growth(self.growth_per_month, t)
    }

    /// An upper bound of the rate over `[0, horizon]` [1/h].
    pub fn max_rate(&self, horizon: SimTime) -> f64 {
        let top = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
        self.rate_per_hour
            * top(&self.hourly)
            * top(&self.weekly)
            * max_growth(self.growth_per_month, horizon)
    }
}

impl Arrival {
    /// The highest arrival rate before `horizon` [1/h].
    pub fn peak_rate_per_hour(&self, horizon: SimTime) -> f64 {
        match self {
            Arrival::Poisson { rate_per_hour } => *rate_per_hour,
            Arrival::Profile(p) => p.max_rate(horizon),
            Arrival::Mmpp {
                rates_per_hour,
                growth_per_month,
                ..
            } => rates_per_hour[0].max(rates_per_hour[1]) * max_growth(*growth_per_month, horizon),
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
                growth_per_month,
            } => {
                // With growth, candidates come at the rate's largest factor and each is kept
                // with probability factor(t) / largest (thinning); without, every one is kept
                // and no extra draw is made.
                let g = *growth_per_month;
                let top = if g == 0.0 {
                    1.0
                } else {
                    max_growth(g, horizon)
                };
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
                    let rate = rates_per_hour[modulation.state] * top;
                    let candidate = if rate > 0.0 {
                        t.saturating_add(gap(rate, rng))
                    } else {
                        SimTime::MAX
                    };
                    if candidate < modulation.until {
                        if candidate >= horizon {
                            return None;
                        }
                        if g != 0.0 {
                            let keep: f64 = rng.random();
                            if keep * top >= growth(g, candidate) {
                                t = candidate;
                                continue;
                            }
                        }
                        return Some(candidate);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::stream;

    /// Quiet 1/h for a mean of 9 h, busy 100/h for a mean of 1 h, growing `growth` a month.
    fn bursts(growth: f64) -> Arrival {
        Arrival::Mmpp {
            rates_per_hour: [1.0, 100.0],
            mean_stay_ms: [9.0 * 3.6e6, 3.6e6],
            growth_per_month: growth,
        }
    }

    /// Arrivals of `a` before `horizon` [ms] from the random stream `seed`.
    fn count(a: &Arrival, horizon: SimTime, seed: u64) -> u64 {
        let mut rng = stream(seed, &[]);
        let mut st = ArrivalState::default();
        let (mut t, mut n) = (0, 0u64);
        while let Some(next) = a.next_arrival(t, horizon, &mut rng, &mut st) {
            t = next;
            n += 1;
        }
        n
    }

    #[test]
    fn markov_modulated_arrivals_average_the_two_rates() {
        // Quiet 1/h for a mean of 9 h, busy 100/h for a mean of 1 h: the long-run rate is
        // (1 × 9 + 100 × 1) / 10 = 10.9 per hour. 200,000 h hold ~20,000 busy spells; the count
        // varies mostly with their (exponential) lengths, a relative s.d. of about
        // (100 × 1) / (10.9 × 10) / √20000 ≈ 0.65 %, so ±5 % is over 7 s.d.
        let n = count(&bursts(0.0), 200_000 * 3_600_000, 9);
        let rate = n as f64 / 200_000.0;
        assert!((rate / 10.9 - 1.0).abs() < 0.05, "{rate}");
    }

    #[test]
    fn markov_modulated_arrivals_grow() {
        // As above (long-run 10.9/h) with both rates growing 10 % a month, over 40 months of
        // M = 730.5 h: expected arrivals = 10.9/h × ∫ 1.1^(t/M) dt = 10.9 × M / ln 1.1 ×
        // (1.1^40 − 1) = 10.9 × 7,664.5 × 44.2593 = 3.6975e6. The count varies mostly with the
        // ~2,900 busy spells' lengths, weighted towards the later (larger) ones: a relative s.d.
        // of about 2 %, so ±6 % is 3 s.d.
        let month_h = 730.5;
        let n = count(&bursts(0.1), (40.0 * month_h * 3.6e6) as SimTime, 4);
        let expected = 10.9 * month_h / 1.1f64.ln() * (1.1f64.powi(40) - 1.0);
        assert!(
            (n as f64 / expected - 1.0).abs() < 0.06,
            "{n} vs {expected}"
        );
    }
}
