//! Reads EnergyPlus weather files (EPW): the typical-year format used worldwide. wattsim takes
//! the time-zone offset from the `LOCATION` header and the hourly dry-bulb temperature (field
//! 7) of the 8,760 data rows.

use super::error::{InputError, data_error};
use crate::model::facility::Weather;
use std::path::Path;

/// Reads an EPW file into a typical year.
pub fn read_epw(path: &Path) -> Result<Weather, InputError> {
    let text = crate::input::read_data_text(path)?;
    let mut lines = text.lines().enumerate();
    let (_, location) = lines.next().ok_or_else(|| {
        data_error(
            path,
            Some(1),
            "LOCATION",
            "(empty file)",
            "not an EPW file",
            "use an EnergyPlus .epw weather file",
        )
    })?;
    let fields: Vec<&str> = location.split(',').collect();
    if fields.first().map(|f| f.trim()) != Some("LOCATION") || fields.len() < 10 {
        return Err(data_error(
            path,
            Some(1),
            "LOCATION",
            format!("{:?}", location.chars().take(40).collect::<String>()),
            "the first line of an EPW file is the LOCATION header",
            "use an EnergyPlus .epw weather file",
        ));
    }
    let offset_h: f64 = fields[8]
        .trim()
        .parse()
        .ok()
        .filter(|h: &f64| h.is_finite() && h.abs() <= 14.0)
        .ok_or_else(|| {
            data_error(
                path,
                Some(1),
                "LOCATION time zone",
                fields[8],
                "not a time-zone offset in hours",
                "the 9th field of LOCATION is the offset from UTC, e.g. -7.0",
            )
        })?;
    let mut hourly_c = Vec::with_capacity(8760);
    for (i, line) in lines {
        let line_no = i as u64 + 1;
        let f: Vec<&str> = line.split(',').collect();
        // Header lines start with a keyword; data rows with the year.
        if f.first().is_none_or(|y| y.trim().parse::<i32>().is_err()) {
            continue;
        }
        let (month, day): (u32, u32) = match (
            f.get(1).and_then(|m| m.trim().parse().ok()),
            f.get(2).and_then(|d| d.trim().parse().ok()),
        ) {
            (Some(m), Some(d)) => (m, d),
            _ => {
                return Err(data_error(
                    path,
                    Some(line_no),
                    "month/day",
                    line.chars().take(20).collect::<String>(),
                    "not a date",
                    "fix the row",
                ));
            }
        };
        if month == 2 && day == 29 {
            continue; // typical years have 365 days; a leap day is dropped
        }
        let t = f
            .get(6)
            .and_then(|t| t.trim().parse::<f64>().ok())
            .filter(|t| t.is_finite() && (-90.0..=70.0).contains(t))
            .ok_or_else(|| {
                data_error(
                    path,
                    Some(line_no),
                    "dry-bulb temperature (field 7)",
                    f.get(6).copied().unwrap_or("(missing)"),
                    "not a temperature in °C (EPW uses 99.9 for missing values)",
                    "fill the missing temperature",
                )
            })?;
        hourly_c.push(t);
    }
    if hourly_c.len() != 8760 {
        return Err(data_error(
            path,
            None,
            "data rows",
            hourly_c.len(),
            "a typical year has 8,760 hourly rows",
            "use a complete EPW typical-year file",
        ));
    }
    Ok(Weather::TypicalYear {
        hourly_c,
        utc_offset_ms: (offset_h * crate::time::MS_PER_HOUR_F64).round() as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epw(rows: usize, bad_row: Option<usize>) -> String {
        let mut s = String::from(
            "LOCATION,Test,XX,USA,SRC,000,0.0,0.0,-5.0,100\nDESIGN CONDITIONS,0\nTYPICAL/EXTREME PERIODS,0\nGROUND TEMPERATURES,0\nHOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0\nCOMMENTS 1,x\nCOMMENTS 2,x\nDATA PERIODS,1,1,Data,Sunday,1/ 1,12/31\n",
        );
        let mut day = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        for i in 0..rows {
            use chrono::Datelike;
            let hour = i % 24 + 1;
            let t = if Some(i) == bad_row {
                "99.9".to_string()
            } else {
                format!("{:.1}", (i % 24) as f64)
            };
            s.push_str(&format!(
                "2021,{},{},{hour},0,?,{t},0,0\n",
                day.month(),
                day.day()
            ));
            if hour == 24 {
                day = day.succ_opt().unwrap();
            }
        }
        s
    }

    #[test]
    fn reads_temperatures_and_offset() {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), epw(8760, None)).unwrap();
        let Weather::TypicalYear {
            hourly_c,
            utc_offset_ms,
        } = read_epw(f.path()).unwrap()
        else {
            panic!("typical year expected")
        };
        assert_eq!(hourly_c.len(), 8760);
        assert_eq!(hourly_c[5], 5.0);
        assert_eq!(utc_offset_ms, -5 * 3_600_000);
    }

    #[test]
    fn bad_rows_and_short_files_are_errors_with_lines() {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), epw(8760, Some(3))).unwrap();
        // Row 3 of the data is line 8 + 4 = 12.
        let e = read_epw(f.path()).unwrap_err().to_string();
        assert!(e.contains(":12:") && e.contains("99.9"), "{e}");
        std::fs::write(f.path(), epw(100, None)).unwrap();
        let e = read_epw(f.path()).unwrap_err().to_string();
        assert!(e.contains("8,760"), "{e}");
    }
}
