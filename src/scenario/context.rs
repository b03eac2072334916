//! What validation shares: the context (the file, its text, the keys a sweep point set) with
//! its checks that name the key, value and fix, and the calendar helpers (the span a series
//! or tariff must cover, IANA time zones). Every section validator imports this; it imports
//! none of them.

use super::error::{Invalid, Location, ScenarioError};
use super::locate::{KeyPath, locate};
use super::suggest::nearest;
use crate::time::{DURATION_UNITS_HINT, SimTime, parse_duration_ms};
use chrono_tz::Tz;
use std::fmt::Display;
use std::path::Path;

type Result<T> = std::result::Result<T, ScenarioError>;

/// What validation needs to know about the file.
pub struct Ctx<'a> {
    /// File path, for messages.
    pub path: &'a Path,
    /// File text, to locate keys.
    pub source: &'a str,
    /// Keys a sweep point sets, each with where its `[sweep]` entry is written: an error at or
    /// under such a key points at the sweep entry, not at the base value it replaced.
    pub swept: &'a [(KeyPath, Option<Location>)],
    /// Warnings found while validating, for `Scenario::notes` (a validator that only reads
    /// `&Ctx` can still add one).
    pub notes: std::cell::RefCell<Vec<String>>,
}

impl<'a> Ctx<'a> {
    /// The context of a whole file (not a sweep point).
    pub fn file(path: &'a Path, source: &'a str) -> Self {
        Ctx {
            path,
            source,
            swept: &[],
            notes: Default::default(),
        }
    }

    /// Adds a warning about the input to the scenario's notes.
    pub(crate) fn note(&self, text: String) {
        self.notes.borrow_mut().push(text);
    }

    /// Where the value at `key` is written: in the `[sweep]` entry that set it, or in the file.
    fn locate(&self, key: &KeyPath) -> Option<Location> {
        self.swept
            .iter()
            .find(|(axis, _)| key.0.starts_with(&axis.0))
            .map_or_else(|| locate(self.source, key), |(_, at)| *at)
    }

    /// At most one of the alternative keys under `key` may be given (`given`: each key and
    /// whether it is set); otherwise an error at the second names both. `problem` says why.
    pub(crate) fn at_most_one(
        &self,
        key: &KeyPath,
        given: &[(&str, bool)],
        problem: &str,
    ) -> Result<()> {
        let set: Vec<&str> = given
            .iter()
            .filter(|(_, on)| *on)
            .map(|(k, _)| *k)
            .collect();
        if set.len() < 2 {
            return Ok(());
        }
        let names: Vec<&str> = given.iter().map(|(k, _)| *k).collect();
        Err(self.err(
            &key.key(set[1]),
            format!("both `{}` and `{}`", set[0], set[1]),
            problem,
            format!("keep one of {}", names.join(", ")),
        ))
    }

    /// Resolves a path written in the scenario relative to the scenario's folder.
    pub(crate) fn resolve(&self, file: &str) -> std::path::PathBuf {
        let file = Path::new(file);
        if file.is_absolute() {
            return file.to_path_buf();
        }
        self.path
            .parent()
            .map_or_else(|| file.to_path_buf(), |dir| dir.join(file))
    }

    pub(crate) fn err(
        &self,
        key: &KeyPath,
        value: impl Display,
        problem: impl Into<String>,
        hint: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError::Invalid {
            path: self.path.to_path_buf(),
            invalid: Box::new(Invalid {
                key: key.to_string(),
                value: value.to_string(),
                problem: problem.into(),
                hint: hint.into(),
                location: self.locate(key),
            }),
        }
    }

    /// Wraps an error from a data file named at `key`, so the message names both files.
    pub(crate) fn referenced(
        &self,
        key: &KeyPath,
        source: impl Into<ScenarioError>,
    ) -> ScenarioError {
        ScenarioError::Referenced {
            path: self.path.to_path_buf(),
            location: self.locate(key),
            key: key.to_string(),
            source: Box::new(source.into()),
        }
    }

    /// A finite number within `[min, max]`.
    pub(crate) fn number(
        &self,
        key: &KeyPath,
        v: f64,
        min: f64,
        max: f64,
        what: &str,
    ) -> Result<f64> {
        if !v.is_finite() {
            return Err(self.err(
                key,
                v,
                "not a finite number",
                format!("write {what} as an ordinary number"),
            ));
        }
        if v < min || v > max {
            let range = if max == f64::INFINITY {
                format!("at least {min}")
            } else {
                format!("between {min} and {max}")
            };
            return Err(self.err(
                key,
                v,
                format!("out of range: {what} must be {range}"),
                format!("set `{key}` to a value {range}"),
            ));
        }
        Ok(v)
    }

    /// A power draw [W]: finite and ≥ 0.
    pub(crate) fn watts(&self, key: &KeyPath, v: f64) -> Result<f64> {
        self.number(key, v, 0.0, f64::INFINITY, "a power draw in watts")
    }

    /// A whole count ≥ `min`.
    pub(crate) fn count(&self, key: &KeyPath, v: i64, min: i64) -> Result<u32> {
        if v < min || v > u32::MAX as i64 {
            return Err(self.err(
                key,
                v,
                format!("must be a whole number of at least {min}"),
                format!("set `{key}` to a positive whole number"),
            ));
        }
        Ok(v as u32)
    }

    /// One of the named `options` (`text` as written at `key`), or an error that names the key
    /// and value, suggests the nearest name and lists them all; `what` names the option.
    pub(crate) fn choice<T: Copy>(
        &self,
        key: &KeyPath,
        text: &str,
        options: &[(&str, T)],
        what: &str,
    ) -> Result<T> {
        if let Some(&(_, v)) = options.iter().find(|(name, _)| *name == text) {
            return Ok(v);
        }
        let names: Vec<String> = options.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        let list = format!("use one of {}", names.join(", "));
        let hint = match nearest(text, options.iter().map(|(n, _)| *n)) {
            Some(best) => format!("did you mean \"{best}\"? {list}"),
            None => list,
        };
        Err(self.err(key, format!("{text:?}"), format!("unknown {what}"), hint))
    }

    /// A table of `(x, y)` points at `key`: at least `rule.min_points`, each checked by
    /// `check` (at the point's key), x increasing strictly from point to point.
    pub(crate) fn point_table(
        &self,
        key: &KeyPath,
        points: &[[f64; 2]],
        rule: &PointTable,
        mut check: impl FnMut(&KeyPath, f64, f64) -> Result<()>,
    ) -> Result<Vec<(f64, f64)>> {
        if points.len() < rule.min_points {
            return Err(self.err(
                key,
                format!("{} point(s)", points.len()),
                rule.too_few,
                rule.example,
            ));
        }
        for (i, &[x, y]) in points.iter().enumerate() {
            let k = key.index(i);
            check(&k, x, y)?;
            if i > 0 && x <= points[i - 1][0] {
                return Err(self.err(
                    &k,
                    format!("[{x}, {y}]"),
                    format!("{} must increase strictly from point to point", rule.x_name),
                    rule.sort_hint,
                ));
            }
        }
        Ok(points.iter().map(|&[x, y]| (x, y)).collect())
    }

    /// A moment of the run → [ms from the start]: an offset from the start (a duration such as
    /// "1y"), or a date (`2027-01-01`, midnight UTC) or timestamp (RFC 3339, or naive in UTC)
    /// not before the start.
    pub(crate) fn moment(&self, key: &KeyPath, text: &str, span: Span) -> Result<SimTime> {
        if let Ok(ms) = parse_duration_ms(text) {
            return Ok(ms);
        }
        let trimmed = text.trim();
        let at_ms = chrono::NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp_millis())
            .or_else(|| crate::input::series_csv::parse_timestamp_ms(trimmed, chrono_tz::Tz::UTC));
        let Some(at_ms) = at_ms else {
            return Err(self.err(
                key,
                format!("{text:?}"),
                "neither an offset from the start nor a date",
                "write an offset such as \"1y\" or \"90d\", a date such as \"2027-01-01\" (UTC), or an RFC 3339 timestamp",
            ));
        };
        if at_ms < span.start_ms {
            return Err(self.err(
                key,
                format!("{text:?}"),
                "the moment is before the simulation's start",
                "give a moment at or after [simulation] start (or an offset from it)",
            ));
        }
        Ok((at_ms - span.start_ms) as SimTime)
    }

    /// A duration string → [ms].
    pub(crate) fn duration(&self, key: &KeyPath, text: &str) -> Result<SimTime> {
        parse_duration_ms(text)
            .map_err(|e| self.err(key, format!("{text:?}"), e.to_string(), DURATION_UNITS_HINT))
    }
}

/// What a table of `(x, y)` points must hold, for [`Ctx::point_table`] and its messages.
pub(crate) struct PointTable {
    /// Fewest points.
    pub min_points: usize,
    /// The problem when there are fewer.
    pub too_few: &'static str,
    /// An example table (the hint when there are too few).
    pub example: &'static str,
    /// What the first values are, plural ("caps").
    pub x_name: &'static str,
    /// The hint when they do not increase.
    pub sort_hint: &'static str,
}

/// The UTC span a tariff must cover [ms since the epoch].
#[derive(Debug, Clone, Copy)]
pub struct Span {
    /// First instant.
    pub start_ms: i64,
    /// End (exclusive).
    pub end_ms: i64,
}

/// Parses an IANA time-zone name.
pub fn time_zone(name: &str, key: &KeyPath, ctx: &Ctx) -> Result<Tz> {
    name.parse::<Tz>().map_err(|_| {
        let hint = match nearest(name, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())) {
            Some(best) => {
                format!("did you mean `{best}`? Use an IANA name such as America/Los_Angeles")
            }
            None => "use an IANA time-zone name such as America/Los_Angeles, Europe/Paris or UTC"
                .to_string(),
        };
        ctx.err(key, format!("{name:?}"), "not an IANA time-zone name", hint)
    })
}
