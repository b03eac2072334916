//! Parquet as a table format: a [`FieldSink`] that gathers each column of a row group in a
//! typed buffer and writes it when the group is full, so a table of any length is written
//! while the run goes with memory bounded by one row group. Columns are typed by their
//! [`Kind`]: text as dictionary-encoded UTF-8, whole numbers as INT64, numbers as DOUBLE,
//! instants as INT64 `TIMESTAMP(MILLIS, UTC)`, flags as BOOLEAN; every column is nullable (an
//! empty CSV field is a null). Pages are Snappy-compressed.

use super::ReportError;
use super::rows::{FieldSink, Kind, Row};
use crate::time::{Calendar, SimTime};
use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{ColumnPath, Type};
use std::sync::Arc;

/// Rows per row group: large enough for good compression and fast scans, small enough that a
/// group of the widest table (27 columns) stays within a few megabytes.
pub const ROWS_PER_GROUP: usize = 65_536;

/// One column's values in the current row group, with its definition levels (1 = a value,
/// 0 = null).
enum Buffer {
    Text(TextBuffer),
    Int(Vec<i64>),
    Num(Vec<f64>),
    Flag(Vec<bool>),
}

/// The text values of a row group: their bytes one after another, each value a range of them.
/// A value equal to the one before shares its range (names and states repeat row after row).
/// The values become [`ByteArray`]s — views of one shared buffer — only when the group is
/// written, so a value costs no allocation of its own.
#[derive(Default)]
struct TextBuffer {
    bytes: Vec<u8>,
    ranges: Vec<(usize, usize)>,
}

impl TextBuffer {
    /// Adds the value `write` appends to the bytes (not empty).
    #[inline]
    fn push_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        let start = self.bytes.len();
        write(&mut self.bytes);
        let end = self.bytes.len();
        match self.ranges.last() {
            Some(&(a, b)) if same_bytes(&self.bytes[a..b], &self.bytes[start..end]) => {
                self.bytes.truncate(start);
                self.ranges.push((a, b));
            }
            _ => self.ranges.push((start, end)),
        }
    }

    /// The values, as views of the bytes (which move into one shared buffer); the buffer is
    /// left empty.
    fn take(&mut self) -> Vec<ByteArray> {
        let shared = bytes::Bytes::from(std::mem::take(&mut self.bytes));
        self.ranges
            .drain(..)
            .map(|(a, b)| ByteArray::from(shared.slice(a..b)))
            .collect()
    }
}

struct Column {
    buffer: Buffer,
    defs: Vec<i16>,
}

impl Column {
    fn new(kind: Kind) -> Self {
        let buffer = match kind {
            Kind::Text | Kind::Key => Buffer::Text(TextBuffer::default()),
            Kind::Int | Kind::Time => Buffer::Int(vec![]),
            Kind::Num => Buffer::Num(vec![]),
            Kind::Flag => Buffer::Flag(vec![]),
        };
        Column {
            buffer,
            defs: vec![],
        }
    }

    fn null(&mut self) {
        self.defs.push(0);
    }

    fn clear(&mut self) {
        self.defs.clear();
        match &mut self.buffer {
            Buffer::Text(v) => {
                v.bytes.clear();
                v.ranges.clear();
            }
            Buffer::Int(v) => v.clear(),
            Buffer::Num(v) => v.clear(),
            Buffer::Flag(v) => v.clear(),
        }
    }
}

/// The Parquet schema of a table: `columns` with their kinds, all optional.
fn schema(name: &str, columns: &[(String, Kind)]) -> Result<Type, ReportError> {
    let fields = columns
        .iter()
        .map(|(column, kind)| {
            let (physical, logical) = match kind {
                Kind::Text | Kind::Key => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
                Kind::Int => (Physical::INT64, None),
                Kind::Num => (Physical::DOUBLE, None),
                Kind::Time => (
                    Physical::INT64,
                    Some(LogicalType::timestamp(true, TimeUnit::MILLIS)),
                ),
                Kind::Flag => (Physical::BOOLEAN, None),
            };
            Type::primitive_type_builder(column, physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Type::group_type_builder(name).with_fields(fields).build()?)
}

/// A Parquet table written to `W` row group by row group. The first error is kept and
/// returned by [`ParquetTable::finish`] (later rows are dropped).
pub struct ParquetTable<W: std::io::Write + Send> {
    writer: Option<SerializedFileWriter<W>>,
    columns: Vec<Column>,
    /// The next field's column in the current row.
    field: usize,
    rows: usize,
    /// UTC instant of simulation time 0 [ms since the epoch].
    epoch_ms: i64,
    error: Option<ReportError>,
}

impl<W: std::io::Write + Send> ParquetTable<W> {
    /// A table named `name` with `columns` (name, kind), writing to `out`; `calendar` places
    /// instants on UTC.
    pub fn new(
        out: W,
        calendar: Calendar,
        name: &str,
        columns: &[(String, Kind)],
    ) -> Result<Self, ReportError> {
        let mut props = WriterProperties::builder()
            .set_writer_version(WriterVersion::PARQUET_1_0)
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("wattsim {}", env!("CARGO_PKG_VERSION")))
            .set_max_row_group_row_count(Some(ROWS_PER_GROUP))
            // Dictionaries pay off for repeated names and states, not for measured numbers or
            // unique names. Column-chunk statistics (not per page) keep row groups of numbers
            // and instants prunable at little cost; text min / max would compare every value
            // (a third of the writer's time) for little use.
            .set_dictionary_enabled(false)
            .set_statistics_enabled(EnabledStatistics::Chunk);
        for (column, kind) in columns {
            let path = || ColumnPath::from(column.as_str());
            if matches!(kind, Kind::Text | Kind::Key) {
                props = props.set_column_statistics_enabled(path(), EnabledStatistics::None);
            }
            if *kind == Kind::Text {
                props = props.set_column_dictionary_enabled(path(), true);
            }
        }
        let writer = SerializedFileWriter::new(
            out,
            Arc::new(schema(name, columns)?),
            Arc::new(props.build()),
        )?;
        Ok(ParquetTable {
            writer: Some(writer),
            columns: columns.iter().map(|(_, k)| Column::new(*k)).collect(),
            field: 0,
            rows: 0,
            epoch_ms: calendar.start.timestamp_millis(),
            error: None,
        })
    }

    /// Writes one row.
    pub fn row<R: Row + ?Sized>(&mut self, row: &R) {
        if self.error.is_some() {
            return;
        }
        self.field = 0;
        row.write(self);
        // A row that wrote fewer fields than the table has columns gets nulls.
        while self.field < self.columns.len() {
            self.columns[self.field].null();
            self.field += 1;
        }
        self.rows += 1;
        if self.rows == ROWS_PER_GROUP
            && let Err(e) = self.flush_group()
        {
            self.error = Some(e);
        }
    }

    /// Writes the buffered rows as a row group.
    fn flush_group(&mut self) -> Result<(), ReportError> {
        if self.rows == 0 {
            return Ok(());
        }
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        let mut group = writer.next_row_group()?;
        for column in &mut self.columns {
            let Some(mut out) = group.next_column()? else {
                break;
            };
            let defs = Some(column.defs.as_slice());
            match &mut column.buffer {
                Buffer::Text(v) => {
                    let values = v.take();
                    out.typed::<ByteArrayType>()
                        .write_batch(&values, defs, None)?
                }
                Buffer::Int(v) => out.typed::<Int64Type>().write_batch(v, defs, None)?,
                Buffer::Num(v) => out.typed::<DoubleType>().write_batch(v, defs, None)?,
                Buffer::Flag(v) => out.typed::<BoolType>().write_batch(v, defs, None)?,
            };
            out.close()?;
            column.clear();
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group and the footer; returns the output, or the first error.
    pub fn finish(mut self) -> Result<W, ReportError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.flush_group()?;
        let writer = self.writer.take().ok_or_else(|| {
            ReportError::Parquet(parquet::errors::ParquetError::General(
                "the table was already finished".into(),
            ))
        })?;
        Ok(writer.into_inner()?)
    }

    /// The current field's column, advancing to the next; `None` past the last column.
    fn next(&mut self) -> Option<&mut Column> {
        let i = self.field;
        self.field += 1;
        self.columns.get_mut(i)
    }

    /// Puts `x` into the current field's column. A column of another kind — a table whose
    /// `KINDS` disagree with its rows, a bug the kind tests catch — gets a null, and debug
    /// builds fail an assertion.
    fn put<T: Value>(&mut self, x: T) {
        let Some(c) = self.next() else { return };
        match T::slot(&mut c.buffer) {
            Some(values) => {
                values.push(x);
                c.defs.push(1);
            }
            None => {
                debug_assert!(false, "a field of another kind than its column");
                c.null();
            }
        }
    }
}

/// A value type a column buffer holds.
trait Value: Sized {
    /// The buffer's values, when it holds this type.
    fn slot(buffer: &mut Buffer) -> Option<&mut Vec<Self>>;
}

impl Value for i64 {
    fn slot(buffer: &mut Buffer) -> Option<&mut Vec<Self>> {
        match buffer {
            Buffer::Int(v) => Some(v),
            _ => None,
        }
    }
}

impl Value for f64 {
    fn slot(buffer: &mut Buffer) -> Option<&mut Vec<Self>> {
        match buffer {
            Buffer::Num(v) => Some(v),
            _ => None,
        }
    }
}

impl Value for bool {
    fn slot(buffer: &mut Buffer) -> Option<&mut Vec<Self>> {
        match buffer {
            Buffer::Flag(v) => Some(v),
            _ => None,
        }
    }
}

/// Whether `a` and `b` hold the same bytes, compared inline (short names repeat on every
/// row, and a call to the C library's `memcmp` per field cost more than the compare).
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a8, mut b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8]));
    let words_equal = a8
        .by_ref()
        .zip(b8.by_ref())
        .all(|(x, y)| word(x) == word(y));
    words_equal
        && a8
            .remainder()
            .iter()
            .zip(b8.remainder())
            .fold(true, |eq, (x, y)| eq & (x == y))
}

impl<W: std::io::Write + Send> ParquetTable<W> {
    /// Puts the text `write` appends into the current field's column, `empty` telling whether
    /// it is empty (then a null, in every column: what CSV writes for "no value", e.g. no
    /// tenant or no reason).
    #[inline]
    fn put_text(&mut self, empty: bool, write: impl FnOnce(&mut Vec<u8>)) {
        let Some(c) = self.next() else { return };
        match &mut c.buffer {
            Buffer::Text(_) if empty => c.null(),
            Buffer::Text(v) => {
                v.push_with(write);
                c.defs.push(1);
            }
            _ => {
                debug_assert!(empty, "text in a column of another kind");
                c.null();
            }
        }
    }
}

impl<W: std::io::Write + Send> FieldSink for ParquetTable<W> {
    fn text(&mut self, s: &str) {
        self.put_text(s.is_empty(), |b| b.extend_from_slice(s.as_bytes()));
    }

    fn numbered(&mut self, stem: &str, sep: &str, n: Option<u64>) {
        let Some(n) = n else {
            return self.text(stem);
        };
        self.put_text(false, |b| {
            b.extend_from_slice(stem.as_bytes());
            b.extend_from_slice(sep.as_bytes());
            b.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
        });
    }

    fn int(&mut self, x: u64) {
        self.signed(i64::try_from(x).unwrap_or(i64::MAX));
    }

    fn signed(&mut self, x: i64) {
        self.put(x);
    }

    fn num(&mut self, x: f64) {
        self.put(x);
    }

    fn flag(&mut self, x: bool) {
        self.put(x);
    }

    fn time(&mut self, t: Option<SimTime>) {
        match t {
            Some(t) => self.put(self.epoch_ms + t as i64),
            // As CSV: an empty field, which is a null.
            None => self.text(""),
        }
    }
}

/// A whole table as Parquet bytes: `columns` (name, kind), then `rows`.
pub fn parquet_table<'r, R: Row + 'r>(
    calendar: Calendar,
    name: &str,
    columns: &[(String, Kind)],
    rows: impl IntoIterator<Item = &'r R>,
) -> Result<Vec<u8>, ReportError> {
    let mut table = ParquetTable::new(Vec::new(), calendar, name, columns)?;
    for row in rows {
        table.row(row);
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use super::{TextBuffer, same_bytes};

    #[test]
    fn text_values_repeat_by_sharing_the_range_before() {
        let mut t = TextBuffer::default();
        for v in ["pool-a", "pool-a", "b", "pool-a", "job-", "job-"] {
            t.push_with(|out| out.extend_from_slice(v.as_bytes()));
        }
        // Only a value unlike the one before adds bytes: "pool-a" "b" "pool-a" "job-".
        assert_eq!(t.bytes, b"pool-abpool-ajob-");
        let values: Vec<Vec<u8>> = t.take().iter().map(|v| v.data().to_vec()).collect();
        let want: Vec<Vec<u8>> = ["pool-a", "pool-a", "b", "pool-a", "job-", "job-"]
            .iter()
            .map(|v| v.as_bytes().to_vec())
            .collect();
        assert_eq!(values, want);
        assert!(t.bytes.is_empty() && t.ranges.is_empty());
    }

    #[test]
    fn same_bytes_agrees_with_slice_equality() {
        // Lengths 0..=20 cross the 8-byte words and their remainders; each pair differs in
        // one byte at every position, or in length, or not at all.
        for len in 0..=20usize {
            let a: Vec<u8> = (0..len as u8).collect();
            assert!(same_bytes(&a, &a.clone()));
            for i in 0..len {
                let mut b = a.clone();
                b[i] ^= 0x40;
                assert!(!same_bytes(&a, &b), "len {len}, byte {i}");
            }
            let mut longer = a.clone();
            longer.push(0);
            assert!(!same_bytes(&a, &longer));
        }
    }
}
