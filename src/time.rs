//! Simulation time [ms since scenario start], duration strings ("90s", "2.5h") and the UTC calendar.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

/// Simulation time: whole milliseconds since the scenario start [ms].
pub type SimTime = u64;

/// Milliseconds per second [ms/s].
pub const MS_PER_S: u64 = 1_000;
/// Milliseconds per hour [ms/h].
pub const MS_PER_HOUR: u64 = 3_600_000;
/// Milliseconds per hour as a float, for converting durations to hours [ms/h].
pub const MS_PER_HOUR_F64: f64 = 3_600_000.0;

/// Milliseconds per hour, for instants in ms since the epoch [ms/h].
pub const MS_PER_HOUR_I64: i64 = 3_600_000;
/// Milliseconds per minute [ms/min].
pub const MS_PER_MIN: u64 = 60_000;
/// Milliseconds per day [ms/d].
pub const MS_PER_DAY: u64 = 86_400_000;
/// Milliseconds per day, signed (for timestamps since the epoch).
pub const MS_PER_DAY_I64: i64 = 86_400_000;

/// Days in calendar month `month` (1–12) of `year` (30 for a month chrono cannot name).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let first = chrono::NaiveDate::from_ymd_opt(year, month, 1);
    let next = if month == 12 {
        chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => (b - a).num_days() as u32,
        _ => 30,
    }
}

/// A unit of time that numbers in a data file are written in (trace times and durations,
/// observed durations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Milliseconds.
    Ms,
    /// Seconds.
    S,
    /// Minutes.
    Min,
    /// Hours.
    H,
}

impl TimeUnit {
    /// Every unit with the name a scenario writes it by.
    pub const NAMES: [(&'static str, TimeUnit); 4] = [
        ("ms", TimeUnit::Ms),
        ("s", TimeUnit::S),
        ("min", TimeUnit::Min),
        ("h", TimeUnit::H),
    ];

    /// Milliseconds in one unit [ms].
    pub fn ms(self) -> f64 {
        match self {
            TimeUnit::Ms => 1.0,
            TimeUnit::S => MS_PER_S as f64,
            TimeUnit::Min => MS_PER_MIN as f64,
            TimeUnit::H => MS_PER_HOUR_F64,
        }
    }
}

/// Converts a span [ms] into hours [h].
#[inline]
pub fn ms_to_hours(ms: u64) -> f64 {
    ms as f64 / MS_PER_HOUR_F64
}

/// Rounds a non-negative value (a span [ms], a power [µW]) to the nearest whole number
/// (halves round up). Inline arithmetic: `f64::round` is a library call, and this runs per
/// event.
#[inline]
pub fn round_u64(x: f64) -> u64 {
    (x + 0.5) as u64
}

/// Why a duration string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// The string is empty.
    #[error("the duration is empty")]
    Empty,
    /// A bare number without a unit.
    #[error("the duration has no unit")]
    NoUnit,
    /// The unit is not one of the accepted ones.
    #[error(
        "`{0}` is not a duration unit (a duration is a number and a unit: ms, s, min, h, d, w or y)"
    )]
    UnknownUnit(String),
    /// The numeric part is not a finite, non-negative number.
    #[error(
        "`{0}` is not a non-negative number (a duration is a number and a unit: ms, s, min, h, d, w or y)"
    )]
    BadNumber(String),
    /// The value does not fit in the simulation clock.
    #[error("the duration is too long")]
    TooLong,
}

/// Accepted units and their length [ms], longest names first so that `min` wins over `m`-prefixes.
const UNITS: &[(&str, f64)] = &[
    ("ms", 1.0),
    ("s", 1_000.0),
    ("min", 60_000.0),
    ("h", 3_600_000.0),
    ("d", 86_400_000.0),
    ("w", 604_800_000.0),
    // A year of 365 days (multi-year plans; calendar years are 365 or 366 days).
    ("y", 31_536_000_000.0),
];

/// The list of units, for error hints.
pub const DURATION_UNITS_HINT: &str = "write a number followed by a unit: ms, s, min, h, d, w or y (365 d) (e.g. \"2d\", \"90s\", \"15min\", \"2.5h\", \"3y\")";

/// Parses a duration such as `"90s"`, `"15min"`, `"2.5h"` or `"14.8d"` into whole milliseconds,
/// rounding to the nearest millisecond (the clock's resolution).
pub fn parse_duration_ms(text: &str) -> Result<u64, DurationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let Some((unit, unit_ms)) = UNITS
        .iter()
        .filter(|(name, _)| text.ends_with(name))
        .max_by_key(|(name, _)| name.len())
    else {
        if text.parse::<f64>().is_ok() {
            return Err(DurationError::NoUnit);
        }
        // The unit is what follows the number (any characters, not only ASCII letters).
        let number_end = text
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_ascii_digit() || *c == '.')
            .map_or(0, |(i, c)| i + c.len_utf8());
        return Err(DurationError::UnknownUnit(
            text[number_end..].trim().to_string(),
        ));
    };
    let number = text[..text.len() - unit.len()].trim();
    let value: f64 = number.parse().map_err(|_| {
        // "2 days" ends with the unit `s` but its unit is `days`: name what follows the
        // leading number, if there is one.
        let end = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        match text[..end].parse::<f64>() {
            Ok(_) => DurationError::UnknownUnit(text[end..].trim().to_string()),
            Err(_) => DurationError::BadNumber(number.to_string()),
        }
    })?;
    if !value.is_finite() || value < 0.0 {
        return Err(DurationError::BadNumber(number.to_string()));
    }
    let ms = (value * unit_ms).round();
    if ms > 1e17 {
        return Err(DurationError::TooLong);
    }
    Ok(ms as u64)
}

/// Formats a span [ms] with the largest unit that divides it exactly (e.g. 5400000 → "90min").
pub fn format_duration_ms(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    for (name, unit_ms) in UNITS.iter().rev() {
        let unit_ms = *unit_ms as u64;
        if ms.is_multiple_of(unit_ms) {
            return format!("{}{}", ms / unit_ms, name);
        }
    }
    format!("{ms}ms")
}

/// The calendar: maps simulation time onto UTC wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    /// The scenario start (simulation time 0) in UTC.
    pub start: DateTime<Utc>,
}

impl Calendar {
    /// The UTC instant of a simulation time [ms].
    pub fn instant(&self, t: SimTime) -> DateTime<Utc> {
        self.start + TimeDelta::milliseconds(t as i64)
    }

    /// RFC 3339 / ISO 8601 UTC text of a simulation time, e.g. `2022-01-01T01:00:00Z`
    /// (milliseconds are shown only when non-zero).
    pub fn iso(&self, t: SimTime) -> String {
        rfc3339(self.instant(t))
    }
}

/// RFC 3339 UTC text of an instant, e.g. `2022-01-01T01:00:00Z`, with milliseconds only when
/// they are not zero (`…:00.250Z`): how every output file writes instants.
pub fn rfc3339(instant: DateTime<Utc>) -> String {
    let format = if instant.timestamp_subsec_millis() == 0 {
        SecondsFormat::Secs
    } else {
        SecondsFormat::Millis
    };
    instant.to_rfc3339_opts(format, true)
}

/// Parses an RFC 3339 timestamp (e.g. `2022-01-01T00:00:00Z`) into UTC.
pub fn parse_rfc3339(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(text.trim()).map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        // 90 s = 90 × 1000 ms; 15 min = 15 × 60000 ms; 14.8 d = 14.8 × 86400000 = 1278720000 ms.
        assert_eq!(parse_duration_ms("500ms"), Ok(500));
        assert_eq!(parse_duration_ms("90s"), Ok(90_000));
        assert_eq!(parse_duration_ms("15min"), Ok(900_000));
        assert_eq!(parse_duration_ms("6h"), Ok(21_600_000));
        assert_eq!(parse_duration_ms("14.8d"), Ok(1_278_720_000));
        assert_eq!(parse_duration_ms("2w"), Ok(1_209_600_000));
        // 2820.3 h × 3600000 ms/h = 10153080000 ms (f64 gives ...0000.000002, rounded).
        assert_eq!(parse_duration_ms("2820.3h"), Ok(10_153_080_000));
        assert_eq!(parse_duration_ms(" 1.5 h "), Ok(5_400_000));
        // A year is 365 d: 2 × 365 × 86400000 = 63072000000 ms; it prints back as "2y".
        assert_eq!(parse_duration_ms("2y"), Ok(63_072_000_000));
        assert_eq!(format_duration_ms(63_072_000_000), "2y");
        assert_eq!(format_duration_ms(366 * 86_400_000), "366d");
    }

    #[test]
    fn rejects_bad_durations() {
        assert_eq!(parse_duration_ms("90"), Err(DurationError::NoUnit));
        assert_eq!(parse_duration_ms(""), Err(DurationError::Empty));
        assert_eq!(
            parse_duration_ms("5m"),
            Err(DurationError::UnknownUnit("m".into()))
        );
        assert!(matches!(
            parse_duration_ms("-5h"),
            Err(DurationError::BadNumber(_))
        ));
        assert!(matches!(
            parse_duration_ms("nanh"),
            Err(DurationError::BadNumber(_))
        ));
        // Units of several bytes per character are named whole, never cut inside a character.
        for (text, unit) in [("1°", "°"), ("15мин", "мин"), ("2 часа", "часа")] {
            assert_eq!(
                parse_duration_ms(text),
                Err(DurationError::UnknownUnit(unit.into())),
                "{text}"
            );
        }
        // "µs" and "days" end in "s", but the unit is what follows the leading number.
        for (text, unit) in [("3.5µs", "µs"), ("2 days", "days")] {
            assert_eq!(
                parse_duration_ms(text),
                Err(DurationError::UnknownUnit(unit.into())),
                "{text}"
            );
        }
        // No leading number at all: the number is what is wrong.
        assert_eq!(
            parse_duration_ms("xs"),
            Err(DurationError::BadNumber("x".into()))
        );
    }

    #[test]
    fn formats_with_largest_exact_unit() {
        assert_eq!(format_duration_ms(5_400_000), "90min");
        assert_eq!(format_duration_ms(3_600_000), "1h");
        assert_eq!(format_duration_ms(1_500), "1500ms");
        assert_eq!(format_duration_ms(0), "0s");
    }

    #[test]
    fn calendar_formats_iso_utc() {
        let cal = Calendar {
            start: parse_rfc3339("2022-01-01T00:00:00Z").unwrap(),
        };
        // 25 h after midnight on 1 January is 01:00 on 2 January.
        assert_eq!(cal.iso(25 * MS_PER_HOUR), "2022-01-02T01:00:00Z");
        assert_eq!(cal.iso(1_500), "2022-01-01T00:00:01.500Z");
    }
}
