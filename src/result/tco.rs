//! A run's total cost of ownership as plain data: per billing month, the energy bill's lines
//! and the costs of owning the hardware — capital repaid, interest, maintenance, hosting and
//! other fixed costs — each pro-rated by the share of the calendar month it covers; each
//! pool's hardware from when it is installed.

use super::bill::Bill;
use crate::model::costs::Costs;
use crate::time::SimTime;

/// Kinds of ownership cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcoItem {
    /// The energy bill's lines (energy, demand, fixed, tax) of the month.
    Energy,
    /// Capital repaid (straight-line amortisation, or the annuity's principal).
    Capex,
    /// Interest on the unpaid capital.
    Interest,
    /// Maintenance.
    Maintenance,
    /// Colocation hosting on the provisioned IT power.
    Hosting,
    /// Other fixed costs.
    Other,
}

impl TcoItem {
    /// Every item, in `tco.csv` order.
    pub const ALL: [TcoItem; 6] = [
        TcoItem::Energy,
        TcoItem::Capex,
        TcoItem::Interest,
        TcoItem::Maintenance,
        TcoItem::Hosting,
        TcoItem::Other,
    ];

    /// The label in `tco.csv`.
    pub fn label(self) -> &'static str {
        match self {
            TcoItem::Energy => "energy_bill",
            TcoItem::Capex => "capex_amortization",
            TcoItem::Interest => "interest",
            TcoItem::Maintenance => "maintenance",
            TcoItem::Hosting => "hosting",
            TcoItem::Other => "other",
        }
    }
}

/// One line of the cost of ownership.
#[derive(Debug, Clone, PartialEq)]
pub struct TcoLine {
    /// Billing month, `YYYY-MM`.
    pub month: String,
    /// What kind of cost.
    pub item: TcoItem,
    /// Amount [currency].
    pub amount: f64,
    /// How it was computed.
    pub basis: String,
}

/// The cost of ownership over a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Tco {
    /// Capital cost of the installed hardware [currency].
    pub capex: f64,
    /// Every line, month by month in [`TcoItem::ALL`] order.
    pub lines: Vec<TcoLine>,
}

impl Tco {
    /// The lines of `costs` beside `bill`. Each pool's hardware is bought when it is installed
    /// and paid off from then, by the hardware's age in months (a partial month pays its share,
    /// so the period's payments add up to the price); maintenance and hosting run while it is
    /// installed; other costs run with the bill. Every amount is pro-rated by the share of the
    /// calendar month it covers.
    pub fn new(costs: &Costs, bill: &Bill) -> Tco {
        let mut lines = vec![];
        let method = if costs.interest_per_year == 0.0 {
            "straight line"
        } else {
            "annuity"
        };
        // Each tranche's age at the start of the month [months].
        let mut age = vec![0.0; costs.tranches.len()];
        for m in &bill.months {
            let f = m.fraction;
            // The calendar month's length [ms]: the covered span over its share.
            let month_ms = (m.end_ms - m.start_ms) as f64 / f.max(f64::MIN_POSITIVE);
            let share = |from: SimTime, until: SimTime| {
                let (a, b) = (m.start_ms.max(from), m.end_ms.min(until));
                b.saturating_sub(a) as f64 / month_ms
            };
            let (mut interest, mut capital, mut maintenance, mut hosting) = (0.0, 0.0, 0.0, 0.0);
            let (mut ages, mut installed) = (vec![], vec![]);
            for (t, a) in costs.tranches.iter().zip(age.iter_mut()) {
                let paid = share(t.from_ms, SimTime::MAX);
                let (i, c) = costs.payments_between(t.capex, *a, *a + paid);
                interest += i;
                capital += c;
                if paid > 0.0 {
                    ages.push(format!("`{}` {:.3}–{:.3}", t.pool, *a, *a + paid));
                }
                *a += paid;
                let on = share(t.from_ms, t.until_ms);
                maintenance += t.capex * costs.maintenance_per_year / 12.0 * on;
                hosting += costs.hosting_per_kw_month * t.provisioned_it_kw * on;
                if on > 0.0 {
                    installed.push(format!(
                        "`{}` {:.3} kW × {on:.6}",
                        t.pool, t.provisioned_it_kw
                    ));
                }
            }
            let ages = list(&ages, "no hardware bought yet");
            let installed = list(&installed, "no hardware installed");
            let mut push = |item, amount: f64, basis: String| {
                lines.push(TcoLine {
                    month: m.label.clone(),
                    item,
                    amount,
                    basis,
                })
            };
            push(
                TcoItem::Energy,
                m.total(),
                "bill.csv total of the month".to_string(),
            );
            push(
                TcoItem::Capex,
                capital,
                format!(
                    "{method} over {} months; hardware age in months: {ages}",
                    costs.amortization_months
                ),
            );
            push(
                TcoItem::Interest,
                interest,
                format!(
                    "{:.3} % a year on the unpaid capital; age in months: {ages}",
                    costs.interest_per_year * 100.0
                ),
            );
            push(
                TcoItem::Maintenance,
                maintenance,
                format!(
                    "{:.3} % a year / 12 of the installed hardware's price",
                    costs.maintenance_per_year * 100.0,
                ),
            );
            push(
                TcoItem::Hosting,
                hosting,
                format!(
                    "{} per kW-month on the provisioned kW × share of the month installed: {installed}",
                    costs.hosting_per_kw_month
                ),
            );
            push(
                TcoItem::Other,
                costs.other_per_month * f,
                format!("{} a month × {f:.6} of the month", costs.other_per_month),
            );
        }
        Tco {
            capex: costs.capex(),
            lines,
        }
    }

    /// The whole cost of ownership over the run [currency] (sum of every line, in order).
    pub fn total(&self) -> f64 {
        self.lines.iter().fold(0.0, |s, l| s + l.amount)
    }

    /// The sum of one item over the run [currency].
    pub fn sum(&self, item: TcoItem) -> f64 {
        self.lines
            .iter()
            .filter(|l| l.item == item)
            .fold(0.0, |s, l| s + l.amount)
    }
}

/// The parts joined by "; ", or `none` when there are none.
fn list(parts: &[String], none: &str) -> String {
    if parts.is_empty() {
        none.to_string()
    } else {
        parts.join("; ")
    }
}
