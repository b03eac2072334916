//! Reads a stepwise time series (timestamp, value) from a CSV file by naming its columns, with
//! row-numbered errors for bad values, unsorted or duplicate timestamps and gaps.

use super::error::{InputError, data_error};
use crate::model::tariff::StepSeries;
use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use std::path::Path;

/// How to read a series file.
#[derive(Debug, Clone)]
pub struct SeriesSpec<'a> {
    /// Timestamp column.
    pub time_column: &'a str,
    /// Value column.
    pub value_column: &'a str,
    /// Factor from the file's unit to the model's unit (e.g. 1/1000 for per-MWh prices).
    pub scale: f64,
    /// Zone for timestamps written without an offset.
    pub naive_zone: Tz,
    /// Whether negative values are allowed (wholesale prices can be negative).
    pub allow_negative: bool,
    /// Whether a step longer than the regular one (missing rows, or rows with an empty value)
    /// is allowed: the previous value then holds across the gap.
    pub hold_gaps: bool,
    /// How the series repeats outside its span (typical-year data).
    pub repeat: crate::model::series::Repeat,
    /// Whether rows may come at any increasing times (events: each value holds until the next
    /// row, the last one for ever); otherwise every step must be equal.
    pub irregular: bool,
}

/// Parses a timestamp: RFC 3339 (`2022-01-01T00:00:00Z`, any offset), or a naive
/// `YYYY-MM-DD HH:MM[:SS]` / `YYYY-MM-DDTHH:MM[:SS]` read in `zone`. Returns ms since the epoch.
pub fn parse_timestamp_ms(text: &str, zone: Tz) -> Option<i64> {
    let text = text.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis());
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.timestamp_millis())
}

/// Opens a CSV data file (rows may differ in length when `flexible`) and reads its header.
pub fn open_csv(
    path: &Path,
    flexible: bool,
) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord), InputError> {
    let mut reader = csv_reader(path, flexible, true)?;
    let headers = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    Ok((reader, headers))
}

/// A CSV reader over `path`; `flexible` allows rows of differing lengths.
pub fn csv_reader(
    path: &Path,
    flexible: bool,
    has_headers: bool,
) -> Result<csv::Reader<std::fs::File>, InputError> {
    let file = crate::input::open_data(path)?;
    Ok(csv::ReaderBuilder::new()
        .flexible(flexible)
        .has_headers(has_headers)
        .from_reader(file))
}

/// Finds a column by name, or explains which columns exist.
pub fn column_index(
    path: &Path,
    headers: &csv::StringRecord,
    name: &str,
    key: &str,
) -> Result<usize, InputError> {
    headers
        .iter()
        .position(|h| h.trim() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = headers.iter().collect();
            data_error(
                path,
                Some(1),
                key,
                format!("{name:?}"),
                "no such column in the header",
                format!("the file's columns are: {}", names.join(", ")),
            )
        })
}

/// Reads a regular stepwise series: rows strictly increasing in time, all steps equal (a
/// different step is a gap or a duplicate and is an error). The last row holds for one step.
pub fn read_step_series(path: &Path, spec: &SeriesSpec) -> Result<StepSeries, InputError> {
    let (mut reader, headers) = open_csv(path, false)?;
    let tcol = column_index(path, &headers, spec.time_column, "time_column")?;
    let vcol = column_index(path, &headers, spec.value_column, "value column")?;
    let (mut times_ms, mut values) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let line = record.position().map(|p| p.line());
        let t_text = record.get(tcol).unwrap_or("");
        let t = parse_timestamp_ms(t_text, spec.naive_zone).ok_or_else(|| {
            data_error(
                path,
                line,
                spec.time_column,
                format!("{t_text:?}"),
                "not a timestamp",
                "write RFC 3339 (2022-01-01T00:00:00Z) or YYYY-MM-DD HH:MM:SS",
            )
        })?;
        let v_text = record.get(vcol).unwrap_or("");
        if spec.hold_gaps && v_text.trim().is_empty() {
            continue; // a missing value: the previous one holds across it
        }
        let v: f64 = v_text
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && (spec.allow_negative || *v >= 0.0))
            .ok_or_else(|| {
                data_error(
                    path,
                    line,
                    spec.value_column,
                    format!("{v_text:?}"),
                    if spec.allow_negative {
                        "not a finite number"
                    } else {
                        "not a finite, non-negative number"
                    },
                    if v_text.trim().is_empty() {
                        // Removing the row would only make a gap: point to the key that
                        // holds the previous value across missing ones.
                        "fill in the value, or set gaps = \"hold\" on the series to hold the previous value across empty ones"
                    } else {
                        "fix the value, or remove the row"
                    },
                )
            })?;
        if let Some(&prev) = times_ms.last() {
            if t <= prev {
                return Err(data_error(
                    path,
                    line,
                    spec.time_column,
                    format!("{t_text:?}"),
                    if t == prev {
                        "duplicate timestamp"
                    } else {
                        "timestamps are not in increasing order"
                    },
                    "sort the rows by time and remove duplicates",
                ));
            }
            if times_ms.len() >= 2 && !spec.irregular {
                let step = times_ms[1] - times_ms[0];
                if t - prev != step && !(spec.hold_gaps && (t - prev) % step == 0) {
                    return Err(data_error(
                        path,
                        line,
                        spec.time_column,
                        format!("{t_text:?}"),
                        format!(
                            "the series steps every {} s but this row comes {} s after the previous one (a gap or an irregular step)",
                            step / 1000,
                            (t - prev) / 1000
                        ),
                        "fill the gap so that every step is equal (or, for a series with missing rows, set gaps = \"hold\" to hold the previous value across them)",
                    ));
                }
            }
        }
        times_ms.push(t);
        values.push(v * spec.scale);
    }
    if spec.irregular && !times_ms.is_empty() {
        return Ok(StepSeries {
            times_ms,
            values,
            end_ms: i64::MAX,
            repeat: crate::model::series::Repeat::No,
        });
    }
    if times_ms.len() < 2 {
        return Err(data_error(
            path,
            None,
            spec.value_column,
            format!("{} row(s)", times_ms.len()),
            "a series needs at least two rows",
            "add rows covering the simulated span",
        ));
    }
    let step = times_ms[1] - times_ms[0];
    let end_ms = times_ms[times_ms.len() - 1] + step;
    Ok(StepSeries {
        times_ms,
        values,
        end_ms,
        repeat: spec.repeat,
    })
}

/// Checks that a series covers `[start_ms, end_ms)`.
pub fn check_coverage(
    path: &Path,
    series: &StepSeries,
    start_ms: i64,
    end_ms: i64,
    field: &str,
) -> Result<(), InputError> {
    let iso = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    let repeats = series.repeat != crate::model::series::Repeat::No;
    if !repeats && (series.times_ms[0] > start_ms || series.end_ms < end_ms) {
        return Err(data_error(
            path,
            None,
            field,
            format!("{} .. {}", iso(series.times_ms[0]), iso(series.end_ms)),
            format!(
                "the series does not cover the simulated span {} .. {}",
                iso(start_ms),
                iso(end_ms)
            ),
            "extend the series, move [simulation] start / shorten the horizon, or set repeat = \"year\" (a year of data applied by month, day and hour) or repeat = \"cycle\" (repeated with its own length, e.g. a typical day)",
        ));
    }
    Ok(())
}

/// A CSV reading error as a scenario error naming the file and line.
pub fn csv_error(path: &Path, e: csv::Error) -> InputError {
    let line = e.position().map(|p| p.line());
    match e.kind() {
        csv::ErrorKind::Io(_) => InputError::ReadData {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        },
        _ => data_error(
            path,
            line,
            "row",
            "(malformed)",
            e.to_string(),
            "every row needs the same number of fields as the header",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    fn spec() -> SeriesSpec<'static> {
        SeriesSpec {
            time_column: "timestamp",
            value_column: "price",
            scale: 0.001,
            naive_zone: Tz::UTC,
            allow_negative: true,
            hold_gaps: false,
            repeat: crate::model::series::Repeat::No,
            irregular: false,
        }
    }

    #[test]
    fn reads_a_regular_series_and_scales_it() {
        let f = write(
            "timestamp,price\n2024-01-01T00:00:00Z,50\n2024-01-01 01:00,-10\n2024-01-01T02:00:00+00:00,30\n",
        );
        let s = read_step_series(f.path(), &spec()).unwrap();
        // 50 $/MWh = 0.05 $/kWh; the last row holds one step (1 h) past 02:00.
        assert_eq!(s.values, vec![0.05, -0.01, 0.03]);
        assert_eq!(s.end_ms - s.times_ms[0], 3 * 3_600_000);
    }

    #[test]
    fn rejects_gaps_duplicates_disorder_and_bad_values_with_line_numbers() {
        let cases = [
            (
                "timestamp,price\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,1\n2024-01-01T03:00:00Z,1\n",
                ":4:",
                "gap",
            ),
            (
                "timestamp,price\n2024-01-01T00:00:00Z,1\n2024-01-01T00:00:00Z,1\n",
                ":3:",
                "duplicate",
            ),
            (
                "timestamp,price\n2024-01-01T01:00:00Z,1\n2024-01-01T00:00:00Z,1\n",
                ":3:",
                "increasing order",
            ),
            (
                "timestamp,price\n2024-01-01T00:00:00Z,abc\n",
                ":2:",
                "not a finite number",
            ),
            (
                "timestamp,price\n2024-01-01T00:00:00Z,NaN\n",
                ":2:",
                "not a finite number",
            ),
            (
                "time,price\n2024-01-01T00:00:00Z,1\n",
                ":1:",
                "columns are: time, price",
            ),
            (
                "timestamp,price\n2024-01-01T00:00:00Z,1,9\n",
                ":2",
                "same number of fields",
            ),
        ];
        for (text, line, needle) in cases {
            let f = write(text);
            let msg = read_step_series(f.path(), &spec()).unwrap_err().to_string();
            assert!(msg.contains(line) && msg.contains(needle), "{msg}");
        }
    }
}
