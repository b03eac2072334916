//! Parquet tables read back for the charts: rows as (column → text), each field written as
//! the CSV of the same run would hold it (numbers with their shortest exact digits, instants
//! in RFC 3339 UTC, nulls empty), so the CSV readers serve both formats; and one number
//! column read by itself, row group by row group, for tables too long to hold as text.

use super::PlotError;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::collections::BTreeMap;

fn input(path: &str, message: impl std::fmt::Display) -> PlotError {
    PlotError::Input {
        path: path.to_string(),
        message: message.to_string(),
    }
}

/// A field as the CSV writer writes it.
fn text(field: &Field) -> String {
    match field {
        Field::Null => String::new(),
        Field::Bool(b) => b.to_string(),
        Field::Long(x) => x.to_string(),
        Field::Double(x) => {
            let mut s = String::new();
            crate::report::number::push_f64(&mut s, *x);
            s
        }
        Field::Str(s) => s.clone(),
        Field::TimestampMillis(ms) => {
            let format = if ms % 1000 == 0 {
                chrono::SecondsFormat::Secs
            } else {
                chrono::SecondsFormat::Millis
            };
            chrono::DateTime::from_timestamp_millis(*ms)
                .map(|t| t.to_rfc3339_opts(format, true))
                .unwrap_or_default()
        }
        other => other.to_string(),
    }
}

fn reader(name: &str, bytes: Vec<u8>) -> Result<SerializedFileReader<bytes::Bytes>, PlotError> {
    SerializedFileReader::new(bytes::Bytes::from(bytes)).map_err(|e| input(name, e))
}

/// The column names of a Parquet table, in order.
pub fn columns(name: &str, bytes: &[u8]) -> Result<Vec<String>, PlotError> {
    let r = reader(name, bytes.to_vec())?;
    Ok(r.metadata()
        .file_metadata()
        .schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect())
}

/// Every row of a Parquet table as (column → text).
pub fn rows(name: &str, bytes: &[u8]) -> Result<Vec<BTreeMap<String, String>>, PlotError> {
    let r = reader(name, bytes.to_vec())?;
    let iter = r.get_row_iter(None).map_err(|e| input(name, e))?;
    iter.map(|row| {
        let row = row.map_err(|e| input(name, e))?;
        Ok(row
            .get_column_iter()
            .map(|(c, f)| (c.clone(), text(f)))
            .collect())
    })
    .collect()
}

/// Calls `each` with every value of the number column `column` (`None` for a null), reading
/// only that column.
pub fn for_each_number(
    name: &str,
    bytes: Vec<u8>,
    column: &str,
    mut each: impl FnMut(Option<f64>) -> Result<(), PlotError>,
) -> Result<(), PlotError> {
    let r = reader(name, bytes)?;
    let root = r.metadata().file_metadata().schema();
    let field = root
        .get_fields()
        .iter()
        .find(|f| f.name() == column)
        .cloned()
        .ok_or_else(|| input(name, format!("no column `{column}`")))?;
    let projection = parquet::schema::types::Type::group_type_builder(root.name())
        .with_fields(vec![field])
        .build()
        .map_err(|e| input(name, e))?;
    let iter = r
        .get_row_iter(Some(projection))
        .map_err(|e| input(name, e))?;
    for row in iter {
        let row = row.map_err(|e| input(name, e))?;
        let value = match row.get_column_iter().next().map(|(_, f)| f) {
            Some(Field::Double(x)) => Some(*x),
            Some(Field::Null) | None => None,
            Some(other) => {
                return Err(input(name, format!("`{column}` = {other} is not a number")));
            }
        };
        each(value)?;
    }
    Ok(())
}
