//! Outdoor weather for the cooling model: an EnergyPlus EPW typical year (hourly dry-bulb
//! temperature in local standard time, repeated every year) or a temperature series.

use crate::model::series::StepSeries;
use chrono::{Datelike, Timelike};

/// Milliseconds per hour.
const H_MS: i64 = crate::time::MS_PER_HOUR_I64;

/// Outdoor dry-bulb temperature over time [°C].
#[derive(Debug, Clone, PartialEq)]
pub enum Weather {
    /// A typical year of 8,760 hourly values, the first for 1 January 00:00–01:00 local
    /// standard time; applied to any year by month, day and hour (29 February uses
    /// 28 February).
    TypicalYear {
        /// Hourly dry-bulb temperatures [°C].
        hourly_c: Vec<f64>,
        /// Offset of local standard time from UTC [ms] (from the EPW header).
        utc_offset_ms: i64,
    },
    /// A temperature series [°C], stepwise.
    Series(StepSeries),
}

impl Weather {
    /// Temperature [°C] at `abs_ms` (ms since the epoch, UTC).
    pub fn temperature_c(&self, abs_ms: i64) -> f64 {
        match self {
            Weather::TypicalYear {
                hourly_c,
                utc_offset_ms,
            } => {
                let local = chrono::DateTime::from_timestamp_millis(abs_ms + utc_offset_ms)
                    .unwrap_or_default()
                    .naive_utc();
                let mut day0 = local.ordinal0() as usize;
                // In a leap year, days from 29 February on shift back by one (29 Feb reuses 28 Feb).
                if local.date().leap_year() && day0 >= 59 {
                    day0 -= 1;
                }
                hourly_c[(day0.min(364) * 24 + local.hour() as usize) % hourly_c.len()]
            }
            Weather::Series(s) => s.value_at(abs_ms),
        }
    }

    /// The next instant after `abs_ms` at which the temperature may change.
    pub fn next_change_after(&self, abs_ms: i64) -> Option<i64> {
        match self {
            Weather::TypicalYear { utc_offset_ms, .. } => {
                let local = abs_ms + utc_offset_ms;
                Some((local.div_euclid(H_MS) + 1) * H_MS - utc_offset_ms)
            }
            Weather::Series(s) => s.next_change_after(abs_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical_year_maps_local_standard_hours() {
        // Hour index = day-of-year × 24 + hour; UTC−7: 2025-01-01T07:30Z is 00:30 local → 0;
        // 2025-03-01T08:00Z is 01:00 local on day 59 → 59 × 24 + 1 = 1417.
        let hourly_c: Vec<f64> = (0..8760).map(|i| i as f64).collect();
        let w = Weather::TypicalYear {
            hourly_c,
            utc_offset_ms: -7 * H_MS,
        };
        let at = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .timestamp_millis()
        };
        assert_eq!(w.temperature_c(at("2025-01-01T07:30:00Z")), 0.0);
        assert_eq!(w.temperature_c(at("2025-03-01T08:00:00Z")), 1417.0);
        // 2024 is a leap year: 1 March 01:00 local is day 60, mapped back to day 59.
        assert_eq!(w.temperature_c(at("2024-03-01T08:00:00Z")), 1417.0);
        assert_eq!(
            w.next_change_after(at("2025-01-01T07:30:00Z")),
            Some(at("2025-01-01T08:00:00Z"))
        );
    }
}
