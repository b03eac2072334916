//! Minimum bills: tops a month up to the tariff's monthly minimum, and each 12 billing months
//! of the run up to its yearly minimum (in the year's last month), before tax — as NREL SAM's
//! Utilityrate5 compares energy, demand and fixed charges with `ur_monthly_min_charge` and
//! `ur_annual_min_charge`.

use super::Tariff;
use crate::result::{BillLine, LineItem, MonthBill};

/// Adds the `minimum` lines to `months` (the run's billing months, in order, without tax).
/// Minimums are pro-rated: a month by its covered fraction, a year by its months' fractions
/// over 12; both are escalated with the month's (or the year's last month's) prices.
pub(super) fn apply(tariff: &Tariff, months: &mut [MonthBill]) {
    if tariff.min_per_month > 0.0 {
        for (k, month) in months.iter_mut().enumerate() {
            let fraction = month.fraction;
            let floor = tariff.min_per_month * tariff.escalation(k) * fraction;
            let charged = month.total();
            top_up(
                month,
                floor - charged,
                "monthly_minimum",
                "month",
                format!(
                    "the month's charges come to {charged:.2}, below the minimum of {} per month{}",
                    tariff.min_per_month,
                    prorated(fraction)
                ),
            );
        }
    }
    if tariff.min_per_year > 0.0 {
        for (y, year) in months.chunks_mut(12).enumerate() {
            let share = year.iter().map(|m| m.fraction).sum::<f64>() / 12.0;
            let floor = tariff.min_per_year * tariff.escalation(y * 12) * share;
            let charged: f64 = year.iter().map(MonthBill::total).sum();
            let first = year.first().map(|m| m.label.clone()).unwrap_or_default();
            let Some(last) = year.last_mut() else {
                continue;
            };
            let note = format!(
                "the charges of {first} to {} come to {charged:.2}, below the minimum of {} per year{}",
                last.label,
                tariff.min_per_year,
                prorated(share)
            );
            top_up(last, floor - charged, "yearly_minimum", "year", note);
        }
    }
}

/// Adds a line of `shortfall` [currency] to `month`, when it is positive.
fn top_up(month: &mut MonthBill, shortfall: f64, name: &str, unit: &'static str, note: String) {
    if shortfall > 0.0 {
        month.lines.push(BillLine {
            item: LineItem::Minimum,
            name: name.to_string(),
            tier: None,
            quantity: 1.0,
            unit,
            rate: shortfall,
            amount: shortfall,
            peak_at_ms: None,
            note,
        });
    }
}

/// `" (pro-rated to 0.4839)"` for a share below one, otherwise empty.
fn prorated(share: f64) -> String {
    if share < 1.0 - 1e-12 {
        format!(" (pro-rated to {share:.4})")
    } else {
        String::new()
    }
}
