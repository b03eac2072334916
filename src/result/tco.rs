//! A run's total cost of ownership as plain data: per billing month, the energy bill's lines
//! and the costs of owning the hardware — capital repaid, interest, maintenance, hosting and
//! other fixed costs — each pro-rated by the share of the calendar month simulated.

use super::bill::Bill;
use crate::model::costs::Costs;

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
    /// The lines of `costs` beside `bill`: month k of the bill (0 = the first, when the
    /// hardware is bought) pays its annuity or straight-line share, maintenance, hosting and
    /// other costs, each times the month's covered fraction.
    pub fn new(costs: &Costs, bill: &Bill) -> Tco {
        let mut lines = vec![];
        let maintenance = costs.capex * costs.maintenance_per_year / 12.0;
        let hosting = costs.hosting_per_kw_month * costs.provisioned_it_kw;
        let method = if costs.interest_per_year == 0.0 {
            "straight line"
        } else {
            "annuity"
        };
        for (k, m) in bill.months.iter().enumerate() {
            let f = m.fraction;
            let (interest, capital) = costs.payment_in_month(k as u32);
            let share = format!("× {f:.6} of the month");
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
                capital * f,
                format!(
                    "{method}, month {} of {}, {share}",
                    k + 1,
                    costs.amortization_months
                ),
            );
            push(
                TcoItem::Interest,
                interest * f,
                format!(
                    "{:.3} % a year on the unpaid capital, {share}",
                    costs.interest_per_year * 100.0
                ),
            );
            push(
                TcoItem::Maintenance,
                maintenance * f,
                format!(
                    "{:.3} % of {:.2} a year / 12, {share}",
                    costs.maintenance_per_year * 100.0,
                    costs.capex
                ),
            );
            push(
                TcoItem::Hosting,
                hosting * f,
                format!(
                    "{:.3} kW provisioned × {} per kW-month, {share}",
                    costs.provisioned_it_kw, costs.hosting_per_kw_month
                ),
            );
            push(
                TcoItem::Other,
                costs.other_per_month * f,
                format!("{} a month, {share}", costs.other_per_month),
            );
        }
        Tco {
            capex: costs.capex,
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
