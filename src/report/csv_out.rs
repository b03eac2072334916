//! The CSV format of the table-writer seam: [`CsvTable`] writes a header, then rows, as
//! RFC 4180 text byte for byte as the `csv` crate's default writer does (a field is quoted only
//! when it holds a comma, a quote or a line break, quotes inside doubled; `\n` line ends; a row
//! of one empty field written `""`) — but numbers and instants, which never need quotes, go
//! straight into the buffer, and an instant's date is formatted once per day. `jobs.csv`
//! writes tens of millions of fields; the `csv` crate's per-field state machine was a sixth of
//! a 1M-job run.

use super::ReportError;
use super::number::push_f64;
use super::rows::{FieldSink, Row};
use crate::time::{Calendar, SimTime, rfc3339};
use std::io::Write;

/// Bytes gathered before they are written to the output.
const FLUSH_AT: usize = 64 * 1024;

/// Milliseconds in a UTC day.
const MS_PER_DAY: i64 = 86_400_000;

/// A CSV table: a header, then rows; numbers as Rust prints them (shortest digits that read
/// back exactly), instants as RFC 3339 UTC. The first write error is kept and returned by
/// [`CsvTable::finish`] (later rows are dropped).
pub struct CsvTable<W: Write> {
    out: W,
    /// Text not yet written to `out`; whole rows only.
    buf: Vec<u8>,
    /// Places instants on UTC; without one, instants are written as whole ms.
    instants: Option<InstantText>,
    /// Where the row being written begins in `buf`, and its fields so far [count].
    row_start: usize,
    fields: usize,
    /// Fields of the header [count] (every row has as many).
    columns: usize,
    error: Option<std::io::Error>,
}

impl<W: Write> CsvTable<W> {
    /// A table writing to `out` that has written the header `columns`; `calendar` places
    /// instants on UTC.
    pub fn new<C: AsRef<[u8]>>(
        out: W,
        calendar: impl Into<Option<Calendar>>,
        columns: impl IntoIterator<Item = C>,
    ) -> Self {
        let mut table = CsvTable {
            out,
            buf: Vec::with_capacity(FLUSH_AT + 1024),
            instants: calendar.into().map(InstantText::new),
            row_start: 0,
            fields: 0,
            columns: 0,
            error: None,
        };
        for c in columns {
            table.field(c.as_ref());
        }
        table.columns = table.fields;
        table.end_row();
        table
    }

    /// Writes one row.
    pub fn row<R: Row + ?Sized>(&mut self, row: &R) {
        if self.error.is_some() {
            return;
        }
        row.write(self);
        debug_assert_eq!(self.fields, self.columns, "a row as wide as the header");
        self.end_row();
    }

    /// Writes what is buffered, flushes and returns the output, or the first error.
    pub fn finish(mut self) -> Result<W, ReportError> {
        self.write_out();
        if self.error.is_none() {
            self.error = self.out.flush().err();
        }
        match self.error {
            Some(e) => Err(ReportError::Csv(e.into())),
            None => Ok(self.out),
        }
    }

    /// Starts a field: a comma after the row's first.
    #[inline]
    fn next_field(&mut self) -> &mut Vec<u8> {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.fields += 1;
        &mut self.buf
    }

    /// A field of any text, quoted where it must be.
    fn field(&mut self, s: &[u8]) {
        let quoted = needs_quotes(s);
        let buf = self.next_field();
        if quoted {
            buf.push(b'"');
            for &b in s {
                if b == b'"' {
                    buf.push(b'"');
                }
                buf.push(b);
            }
            buf.push(b'"');
        } else {
            buf.extend_from_slice(s);
        }
    }

    /// Ends the row (a row with no text at all is written `""`, as an empty record would be
    /// lost) and writes the buffer out once it is full.
    fn end_row(&mut self) {
        if self.buf.len() == self.row_start {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        self.fields = 0;
        if self.buf.len() >= FLUSH_AT {
            self.write_out();
        }
        self.row_start = self.buf.len();
    }

    /// Writes the buffer to the output (after an error, drops it).
    fn write_out(&mut self) {
        if self.error.is_none() {
            self.error = self.out.write_all(&self.buf).err();
        }
        self.buf.clear();
        self.row_start = 0;
    }
}

impl<W: Write> FieldSink for CsvTable<W> {
    #[inline]
    fn text(&mut self, s: &str) {
        self.field(s.as_bytes());
    }

    fn numbered(&mut self, stem: &str, sep: &str, n: Option<u64>) {
        match n {
            Some(n) if !needs_quotes(stem.as_bytes()) && !needs_quotes(sep.as_bytes()) => {
                let mut digits = itoa::Buffer::new();
                let buf = self.next_field();
                buf.extend_from_slice(stem.as_bytes());
                buf.extend_from_slice(sep.as_bytes());
                buf.extend_from_slice(digits.format(n).as_bytes());
            }
            Some(n) => self.text(&format!("{stem}{sep}{n}")),
            None => self.text(stem),
        }
    }

    #[inline]
    fn int(&mut self, x: u64) {
        let mut digits = itoa::Buffer::new();
        let text = digits.format(x);
        self.next_field().extend_from_slice(text.as_bytes());
    }

    #[inline]
    fn num(&mut self, x: f64) {
        push_f64(self.next_field(), x);
    }

    fn time(&mut self, t: Option<SimTime>) {
        match t {
            Some(t) if self.instants.is_some() => {
                self.next_field();
                if let Some(instants) = &mut self.instants {
                    instants.write(t, &mut self.buf);
                }
            }
            Some(t) => self.int(t),
            None => self.text(""),
        }
    }
}

/// A whole table as CSV bytes: `columns`, then `rows`.
pub fn csv_table<'r, C: AsRef<[u8]>, R: Row + 'r>(
    calendar: impl Into<Option<Calendar>>,
    columns: impl IntoIterator<Item = C>,
    rows: impl IntoIterator<Item = &'r R>,
) -> Result<Vec<u8>, ReportError> {
    let mut table = CsvTable::new(Vec::new(), calendar, columns);
    for row in rows {
        table.row(row);
    }
    table.finish()
}

/// RFC 3339 UTC text of simulation times exactly as [`rfc3339`] writes it (milliseconds only
/// when not zero), keeping the date of the last day written: a table's instants come many to
/// a day.
struct InstantText {
    calendar: Calendar,
    /// The calendar's start [ms since the Unix epoch].
    start_ms: i64,
    /// The UTC day of `date` [days since the Unix epoch] (`i64::MIN` before the first).
    day: i64,
    /// `YYYY-MM-DDT` of `day`.
    date: String,
}

impl InstantText {
    fn new(calendar: Calendar) -> Self {
        InstantText {
            calendar,
            start_ms: calendar.start.timestamp_millis(),
            day: i64::MIN,
            date: String::new(),
        }
    }

    /// Appends the text of simulation time `t` [ms].
    fn write(&mut self, t: SimTime, out: &mut Vec<u8>) {
        let Some(abs) = i64::try_from(t)
            .ok()
            .and_then(|t| t.checked_add(self.start_ms))
        else {
            out.extend_from_slice(self.calendar.iso(t).as_bytes());
            return;
        };
        let (day, ms) = (abs.div_euclid(MS_PER_DAY), abs.rem_euclid(MS_PER_DAY));
        if day != self.day {
            let midnight = self.calendar.instant(t) - chrono::TimeDelta::milliseconds(ms);
            let text = rfc3339(midnight);
            let date_len = text.find('T').map_or(text.len(), |i| i + 1);
            self.date = text[..date_len].to_string();
            self.day = day;
        }
        out.extend_from_slice(self.date.as_bytes());
        let (s, milli) = (ms / 1000, ms % 1000);
        two_digits(out, s / 3600);
        out.push(b':');
        two_digits(out, s / 60 % 60);
        out.push(b':');
        two_digits(out, s % 60);
        if milli != 0 {
            out.push(b'.');
            out.push(b'0' + (milli / 100) as u8);
            two_digits(out, milli % 100);
        }
        out.push(b'Z');
    }
}

/// Whether a field must be quoted: it holds a comma, a quote or a line break.
#[inline]
fn needs_quotes(s: &[u8]) -> bool {
    s.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// Appends `x` (0..=99) as two digits.
#[inline]
fn two_digits(out: &mut Vec<u8>, x: i64) {
    out.extend_from_slice(&[b'0' + (x / 10) as u8, b'0' + (x % 10) as u8]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One row of `fields`, as text.
    struct Texts<'a>(&'a [&'a str]);
    impl Row for Texts<'_> {
        fn write<S: FieldSink + ?Sized>(&self, out: &mut S) {
            for f in self.0 {
                out.text(f);
            }
        }
    }

    /// The same rows through the `csv` crate's default writer.
    fn by_csv_crate(header: &[&str], rows: &[&[&str]]) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).unwrap();
        for r in rows {
            w.write_record(*r).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn text_is_quoted_as_the_csv_crate_quotes_it() {
        let header = ["a", "b,c", "q\"uote"];
        let rows: [&[&str]; 4] = [
            &["", "", ""],
            &["line\nbreak", "cr\rhere", "\"\""],
            &[" spaced ", "tab\there", "é"],
            &["x", "", "y"],
        ];
        let mut ours = CsvTable::new(Vec::new(), None, header);
        for r in rows {
            ours.row(&Texts(r));
        }
        assert_eq!(ours.finish().unwrap(), by_csv_crate(&header, &rows));
    }

    #[test]
    fn a_numbered_name_is_written_as_its_text_would_be() {
        struct Names;
        impl Row for Names {
            fn write<S: FieldSink + ?Sized>(&self, out: &mut S) {
                out.numbered("mmc", "-", Some(53));
                out.numbered("a,b", "-r", Some(7));
                out.numbered("say \"hi\"", "-", None);
                out.numbered("", "-", Some(0));
            }
        }
        let bytes = csv_table(None, ["w", "x", "y", "z"], [&Names]).unwrap();
        let by_text = by_csv_crate(
            &["w", "x", "y", "z"],
            &[&["mmc-53", "a,b-r7", "say \"hi\"", "-0"]],
        );
        assert_eq!(bytes, by_text);
    }

    #[test]
    fn a_row_of_one_empty_field_is_two_quotes() {
        let mut ours = CsvTable::new(Vec::new(), None, ["only"]);
        ours.row(&Texts(&[""]));
        let bytes = ours.finish().unwrap();
        assert_eq!(bytes, b"only\n\"\"\n");
        assert_eq!(bytes, by_csv_crate(&["only"], &[&[""]]));
    }

    #[test]
    fn a_failed_write_is_returned() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut t = CsvTable::new(Full, None, ["a"]);
        t.row(&Texts(&["1"]));
        let err = t.finish().err().expect("the write fails");
        assert!(err.to_string().contains("disk full"), "{err}");
    }

    #[test]
    fn csv_numbers_and_instants() {
        // 2024-01-01T00:00:00Z + 90 s; 0.1 + 0.2 prints as its shortest exact digits.
        let calendar = Calendar {
            start: chrono::DateTime::from_timestamp(1_704_067_200, 0).unwrap(),
        };
        struct R;
        impl Row for R {
            fn write<S: FieldSink + ?Sized>(&self, w: &mut S) {
                w.int(7);
                w.num(0.1 + 0.2);
                w.opt_num(None);
                w.time(Some(90_000));
                w.text("a,b");
            }
        }
        let bytes = csv_table(calendar, ["i", "x", "y", "t", "s"], [&R]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "i,x,y,t,s\n7,0.30000000000000004,,2024-01-01T00:01:30Z,\"a,b\"\n"
        );
    }

    proptest! {
        /// Any run of instants from any start between the years 1 and 9999 is written as
        /// `rfc3339` writes each one.
        #[test]
        fn instants_read_as_rfc3339_writes_them(
            start_s in -62_135_596_800i64..253_402_300_799 - 40_000_000,
            steps in proptest::collection::vec(0u64..200_000_000, 1..20),
        ) {
            let calendar = Calendar {
                start: chrono::DateTime::from_timestamp(start_s, 0).unwrap(),
            };
            let mut text = InstantText::new(calendar);
            let mut t = 0;
            for step in steps {
                t += step;
                let mut out = Vec::new();
                text.write(t, &mut out);
                prop_assert_eq!(String::from_utf8(out).unwrap(), rfc3339(calendar.instant(t)));
            }
        }
    }
}
