//! The table-writer seam. Every output table is a row type ([`Row`]) that hands its fields, in
//! column order, to a [`FieldSink`] — text, whole numbers, numbers, instants — without knowing
//! the file format. [`CsvTable`] (in `csv_out`) is the CSV format; another format (Parquet)
//! is one more `FieldSink`, not a copy of every table writer.

use crate::time::SimTime;

/// What a column holds, for formats with typed columns (Parquet); CSV writes every kind as
/// text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text that repeats from row to row (names of workloads, tenants and pools, states):
    /// dictionary-encoded in Parquet.
    Text,
    /// Text unique to its row (a job's name): plain-encoded, without statistics.
    Key,
    /// A whole number (may be negative).
    Int,
    /// A number.
    Num,
    /// An instant (UTC milliseconds in Parquet, RFC 3339 in CSV).
    Time,
    /// true or false.
    Flag,
}

/// `names` with their `kinds`, paired (the two lists are parallel constants of a table).
pub fn typed_columns(names: &[&str], kinds: &[Kind]) -> Vec<(String, Kind)> {
    names
        .iter()
        .zip(kinds)
        .map(|(n, k)| (n.to_string(), *k))
        .collect()
}

/// Receives the fields of one row, in column order.
pub trait FieldSink {
    /// A text field (may be empty).
    fn text(&mut self, s: &str);
    /// A whole number.
    fn int(&mut self, x: u64);
    /// A number.
    fn num(&mut self, x: f64);
    /// A number, or an empty field.
    fn opt_num(&mut self, x: Option<f64>) {
        match x {
            Some(x) => self.num(x),
            None => self.text(""),
        }
    }
    /// An instant of simulation time [ms], or an empty field.
    fn time(&mut self, t: Option<SimTime>);
    /// A whole number that may be negative.
    fn signed(&mut self, x: i64) {
        match u64::try_from(x) {
            Ok(x) => self.int(x),
            Err(_) => self.text(&x.to_string()),
        }
    }
    /// Text made of `stem`, then `sep` and `n` if there is a number (a job's name, e.g.
    /// `mmc-53`): formats may write it without building the text.
    fn numbered(&mut self, stem: &str, sep: &str, n: Option<u64>) {
        match n {
            Some(n) => self.text(&format!("{stem}{sep}{n}")),
            None => self.text(stem),
        }
    }
    /// A flag, written `true` / `false` in text formats.
    fn flag(&mut self, b: bool) {
        self.text(if b { "true" } else { "false" });
    }
}

/// One row of an output table.
pub trait Row {
    /// Writes the row's fields, in the table's column order (generic over the sink, so a
    /// format's field writers inline into each table).
    fn write<S: FieldSink + ?Sized>(&self, out: &mut S);
}

pub use super::csv_out::{CsvTable, csv_table};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{IntervalRecord, JobNames, JobRecord, MonthBill, TenantTotals};

    /// Counts the fields of a row.
    #[derive(Default)]
    struct Count(usize);

    impl FieldSink for Count {
        fn text(&mut self, _: &str) {
            self.0 += 1;
        }
        fn int(&mut self, _: u64) {
            self.0 += 1;
        }
        fn num(&mut self, _: f64) {
            self.0 += 1;
        }
        fn time(&mut self, _: Option<SimTime>) {
            self.0 += 1;
        }
    }

    fn fields(row: &impl Row) -> usize {
        let mut c = Count::default();
        row.write(&mut c);
        c.0
    }

    #[test]
    fn every_row_type_writes_one_field_per_column() {
        // An unstarted job of the first `[[jobs]]` entry.
        let names = JobNames {
            jobs: vec!["j".to_string()],
            ..JobNames::default()
        };
        let job = JobRecord::UNSTARTED;
        let jobs = super::super::jobs::JobRow {
            job: &job,
            names: &names,
        };
        assert_eq!(fields(&jobs), super::super::jobs::COLUMNS.len());
        let interval = IntervalRecord::default();
        let pools = vec!["a".to_string(), "b".to_string()];
        let ts = super::super::timeseries::TimeseriesRow {
            interval: &interval,
            pools: 2,
        };
        assert_eq!(fields(&ts), super::super::timeseries::columns(&pools).len());
        let tenant = super::super::tenants::TenantRow {
            tenant: "t",
            totals: TenantTotals::default(),
        };
        assert_eq!(fields(&tenant), super::super::tenants::COLUMNS.len());
        let month = MonthBill {
            label: "2024-01".into(),
            start_ms: 0,
            end_ms: 1,
            fraction: 0.5,
            lines: vec![],
            energy_repriced: 0.0,
        };
        let total = super::super::bill::BillRow::Total {
            month: &month,
            currency: "USD",
        };
        assert_eq!(fields(&total), super::super::bill::COLUMNS.len());
    }

    /// The kind of each field a row writes (`None` for an empty field: a null).
    #[derive(Default)]
    struct Kinds(Vec<Option<Kind>>);

    impl FieldSink for Kinds {
        fn text(&mut self, s: &str) {
            self.0.push((!s.is_empty()).then_some(Kind::Text));
        }
        fn int(&mut self, _: u64) {
            self.0.push(Some(Kind::Int));
        }
        fn signed(&mut self, _: i64) {
            self.0.push(Some(Kind::Int));
        }
        fn num(&mut self, _: f64) {
            self.0.push(Some(Kind::Num));
        }
        fn time(&mut self, t: Option<SimTime>) {
            self.0.push(t.map(|_| Kind::Time));
        }
        fn flag(&mut self, _: bool) {
            self.0.push(Some(Kind::Flag));
        }
    }

    #[test]
    fn job_rows_write_each_field_as_its_column_kind() {
        // A started job of a named workload on a pool, with a tenant: every field filled or
        // null, and each filled one of its column's kind (unique names are text too).
        let names = JobNames {
            workloads: vec!["w".to_string()],
            tenants: vec!["t".to_string()],
            pools: vec!["p".to_string()],
            ..JobNames::default()
        };
        let mut job = JobRecord::UNSTARTED;
        job.origin = crate::result::JobOrigin::Generated {
            workload: 0,
            seq: 1,
        };
        job.start_ms = Some(5);
        job.end_ms = Some(9);
        job.pool = Some(0);
        job.tenant = Some(0);
        let mut k = Kinds::default();
        super::super::jobs::JobRow {
            job: &job,
            names: &names,
        }
        .write(&mut k);
        let kinds = super::super::jobs::KINDS;
        assert_eq!(k.0.len(), kinds.len());
        for (i, (got, want)) in k.0.iter().zip(kinds).enumerate() {
            let want = if *want == Kind::Key {
                Kind::Text
            } else {
                *want
            };
            assert!(
                got.is_none_or(|g| g == want),
                "column {} ({}): {got:?} written, {want:?} declared",
                i,
                super::super::jobs::COLUMNS[i]
            );
        }
    }
}
