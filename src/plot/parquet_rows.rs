//! Parquet tables read back for the charts: rows as (column → text), each field written as
//! the CSV of the same run would hold it (numbers with their shortest exact digits, instants
//! in RFC 3339 UTC, nulls empty), so the CSV readers serve both formats; and one number
//! column read by itself, row group by row group, for tables too long to hold as text.

use super::PlotError;
use super::data::TextRows;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

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
        Field::TimestampMillis(ms) => chrono::DateTime::from_timestamp_millis(*ms)
            .map(crate::time::rfc3339)
            .unwrap_or_default(),
        other => other.to_string(),
    }
}

fn reader(name: &str, bytes: Vec<u8>) -> Result<SerializedFileReader<bytes::Bytes>, PlotError> {
    SerializedFileReader::new(bytes::Bytes::from(bytes)).map_err(|e| input(name, e))
}

/// A Parquet table's column names, in order, and every row as (column → text).
pub fn table(name: &str, bytes: Vec<u8>) -> Result<(Vec<String>, TextRows), PlotError> {
    let r = reader(name, bytes)?;
    let header = r
        .metadata()
        .file_metadata()
        .schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let rows = r
        .get_row_iter(None)
        .map_err(|e| input(name, e))?
        .map(|row| {
            let row = row.map_err(|e| input(name, e))?;
            Ok(row
                .get_column_iter()
                .map(|(c, f)| (c.clone(), text(f)))
                .collect())
        })
        .collect::<Result<_, PlotError>>()?;
    Ok((header, rows))
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
