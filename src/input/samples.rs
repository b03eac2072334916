//! Reads numeric columns from a CSV with a header row (observed values for empirical
//! distributions; power samples and power-limit sweeps for `wattsim calibrate`, keeping only
//! rows that match `column = value` filters).

use super::error::{InputError, data_error};
use super::series_csv::{column_index, open_csv};
use std::path::Path;

/// The values of `columns` in every row that matches all `filters`, row by row; an error
/// when no row matches.
pub fn read_columns(
    path: &Path,
    columns: &[&str],
    filters: &[(String, String)],
) -> Result<Vec<Vec<f64>>, InputError> {
    let out = read_rows(path, columns, filters)?;
    if out.is_empty() {
        return Err(data_error(
            path,
            None,
            "rows",
            0,
            "no row matches (check the filters)",
            "remove or correct --where filters",
        ));
    }
    Ok(out.into_iter().map(|(_, row)| row).collect())
}

/// A data row: its line in the file (when known) and the values of the requested columns.
pub type NumberRow = (Option<u64>, Vec<f64>);

/// The values of `columns` in every row that matches all `filters`, with each row's line. A
/// cell that is not a finite number is an error naming the file, line, column and text.
pub fn read_rows(
    path: &Path,
    columns: &[&str],
    filters: &[(String, String)],
) -> Result<Vec<NumberRow>, InputError> {
    let (mut reader, headers) = open_csv(path, false)?;
    let idx = columns
        .iter()
        .map(|c| column_index(path, &headers, c, c))
        .collect::<Result<Vec<_>, _>>()?;
    let fidx = filters
        .iter()
        .map(|(c, v)| Ok((column_index(path, &headers, c, c)?, v.as_str())))
        .collect::<Result<Vec<_>, InputError>>()?;
    let mut out = vec![];
    for r in reader.records() {
        let r = r.map_err(|e| super::series_csv::csv_error(path, e))?;
        if !fidx
            .iter()
            .all(|(i, v)| r.get(*i).map(str::trim) == Some(*v))
        {
            continue;
        }
        let line = r.position().map(|p| p.line());
        let row = idx
            .iter()
            .zip(columns)
            .map(|(&i, name)| {
                let text = r.get(i).unwrap_or("");
                text.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| {
                        data_error(
                            path,
                            line,
                            *name,
                            format!("{text:?}"),
                            "not a finite number",
                            "fix or remove the row",
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.push((line, row));
    }
    Ok(out)
}
