//! `bill.csv`: one row per billing month and line item (energy by period and tier, demand
//! charges with the billed kW and when the peak occurred, fixed charges, tax), then a total row
//! per month.

use super::ReportError;
use super::rows::{FieldSink, Row, csv_table};
use crate::result::{Bill, BillLine, MonthBill};
use crate::time::Calendar;

/// Column names, one constant each: the writer's header and the readers (the charts) share
/// them.
pub mod col {
    /// `month`.
    pub const MONTH: &str = "month";
    /// `item`.
    pub const ITEM: &str = "item";
    /// `name`.
    pub const NAME: &str = "name";
    /// `tier`.
    pub const TIER: &str = "tier";
    /// `quantity`.
    pub const QUANTITY: &str = "quantity";
    /// `unit`.
    pub const UNIT: &str = "unit";
    /// `rate`.
    pub const RATE: &str = "rate";
    /// `amount`.
    pub const AMOUNT: &str = "amount";
    /// `currency`.
    pub const CURRENCY: &str = "currency";
    /// `peak_at`.
    pub const PEAK_AT: &str = "peak_at";
    /// `note`.
    pub const NOTE: &str = "note";
}

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    col::MONTH,
    col::ITEM,
    col::NAME,
    col::TIER,
    col::QUANTITY,
    col::UNIT,
    col::RATE,
    col::AMOUNT,
    col::CURRENCY,
    col::PEAK_AT,
    col::NOTE,
];

/// One row of `bill.csv`: a line item of a month, or the month's total.
pub enum BillRow<'a> {
    /// A line item.
    Line {
        /// The month.
        month: &'a MonthBill,
        /// The line.
        line: &'a BillLine,
        /// Currency label.
        currency: &'a str,
    },
    /// The month's total.
    Total {
        /// The month.
        month: &'a MonthBill,
        /// Currency label.
        currency: &'a str,
    },
}

impl Row for BillRow<'_> {
    fn write<S: FieldSink + ?Sized>(&self, w: &mut S) {
        match self {
            BillRow::Line {
                month,
                line,
                currency,
            } => {
                w.text(&month.label);
                w.text(line.item.label());
                w.text(&line.name);
                match line.tier {
                    Some(t) => w.int(t as u64),
                    None => w.text(""),
                }
                w.num(line.quantity);
                w.text(line.unit);
                w.num(line.rate);
                w.num(line.amount);
                w.text(currency);
                w.time(line.peak_at_ms);
                w.text(&line.note);
            }
            BillRow::Total { month, currency } => {
                w.text(&month.label);
                w.text("total");
                w.text("month_total");
                for _ in 0..4 {
                    w.text("");
                }
                w.num(month.total());
                w.text(currency);
                w.text("");
                if month.fraction < 1.0 - 1e-12 {
                    w.text(&format!(
                        "partial month: {:.4} of the calendar month",
                        month.fraction
                    ));
                } else {
                    w.text("");
                }
            }
        }
    }
}

/// The rows of `bill.csv`: each month's lines, then its total.
pub fn rows(bill: &Bill) -> Vec<BillRow<'_>> {
    let currency = bill.currency.as_str();
    bill.months
        .iter()
        .flat_map(|month| {
            month
                .lines
                .iter()
                .map(move |line| BillRow::Line {
                    month,
                    line,
                    currency,
                })
                .chain(std::iter::once(BillRow::Total { month, currency }))
        })
        .collect()
}

/// Renders a bill as CSV bytes; `calendar` turns peak times into UTC timestamps.
pub fn to_csv(bill: &Bill, calendar: &Calendar) -> Result<Vec<u8>, ReportError> {
    let rows = rows(bill);
    csv_table(*calendar, COLUMNS, rows.iter())
}
