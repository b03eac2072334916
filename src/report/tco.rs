//! `tco.csv`: the cost of ownership, one row per billing month and item — the month's energy
//! bill, capital repaid, interest, maintenance, hosting and other costs — with how each was
//! computed, then a total row per month. Written when the scenario prices its hardware.

use super::ReportError;
use super::rows::{FieldSink, Row, csv_table};
use crate::result::tco::{Tco, TcoLine};

/// Column names, in order.
pub const COLUMNS: &[&str] = &["month", "item", "amount", "currency", "basis"];

/// One row: a line, or a month's total.
pub enum TcoRow<'a> {
    /// A line.
    Line(&'a TcoLine, &'a str),
    /// A month's total (`month`, amount, currency).
    Total(&'a str, f64, &'a str),
}

impl Row for TcoRow<'_> {
    fn write<S: FieldSink + ?Sized>(&self, w: &mut S) {
        match self {
            TcoRow::Line(l, currency) => {
                w.text(&l.month);
                w.text(l.item.label());
                w.num(l.amount);
                w.text(currency);
                w.text(&l.basis);
            }
            TcoRow::Total(month, amount, currency) => {
                w.text(month);
                w.text("month_total");
                w.num(*amount);
                w.text(currency);
                w.text("");
            }
        }
    }
}

/// Renders the cost of ownership as CSV bytes.
pub fn to_csv(tco: &Tco, currency: &str) -> Result<Vec<u8>, ReportError> {
    let mut rows = vec![];
    let mut i = 0;
    while i < tco.lines.len() {
        let month = tco.lines[i].month.as_str();
        let mut total = 0.0;
        while i < tco.lines.len() && tco.lines[i].month == month {
            total += tco.lines[i].amount;
            rows.push(TcoRow::Line(&tco.lines[i], currency));
            i += 1;
        }
        rows.push(TcoRow::Total(month, total, currency));
    }
    csv_table(None, COLUMNS, rows.iter())
}
