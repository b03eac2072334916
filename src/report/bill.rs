//! `bill.csv`: one row per billing month and line item (energy by period and tier, demand
//! charges with the billed kW and when the peak occurred, fixed charges, tax), then a total row
//! per month.

use super::{ReportError, csv_bytes};
use crate::result::Bill;
use crate::time::Calendar;

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    "month", "item", "name", "tier", "quantity", "unit", "rate", "amount", "currency", "peak_at",
    "note",
];

/// Renders a bill as CSV bytes; `calendar` turns peak times into UTC timestamps.
pub fn to_csv(bill: &Bill, calendar: &Calendar) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for month in &bill.months {
        for line in &month.lines {
            w.write_record([
                month.label.clone(),
                line.item.label().to_string(),
                line.name.clone(),
                line.tier.map(|t| t.to_string()).unwrap_or_default(),
                line.quantity.to_string(),
                line.unit.to_string(),
                line.rate.to_string(),
                line.amount.to_string(),
                bill.currency.clone(),
                line.peak_at_ms.map(|t| calendar.iso(t)).unwrap_or_default(),
                line.note.clone(),
            ])?;
        }
        let note = if month.fraction < 1.0 - 1e-12 {
            format!("partial month: {:.4} of the calendar month", month.fraction)
        } else {
            String::new()
        };
        w.write_record([
            month.label.clone(),
            "total".to_string(),
            "month_total".to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            month.total().to_string(),
            bill.currency.clone(),
            String::new(),
            note,
        ])?;
    }
    csv_bytes(w)
}
