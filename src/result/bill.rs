//! A run's bill as plain data: line items per billing month, and the whole bill.

use crate::time::SimTime;

/// Kinds of bill line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineItem {
    /// Energy charge (per kWh).
    Energy,
    /// Demand charge (per kW-month).
    Demand,
    /// Fixed customer charge.
    Fixed,
    /// Tax or surcharge.
    Tax,
    /// The top-up of a bill below the tariff's monthly or yearly minimum.
    Minimum,
}

impl LineItem {
    /// The label in `bill.csv`.
    pub fn label(self) -> &'static str {
        match self {
            LineItem::Energy => "energy",
            LineItem::Demand => "demand",
            LineItem::Fixed => "fixed",
            LineItem::Tax => "tax",
            LineItem::Minimum => "minimum",
        }
    }
}

/// One line of a monthly bill.
#[derive(Debug, Clone, PartialEq)]
pub struct BillLine {
    /// What kind of charge.
    pub item: LineItem,
    /// Period or charge name.
    pub name: String,
    /// Tier number from 1, where the charge has tiers.
    pub tier: Option<usize>,
    /// Billed quantity in `unit`.
    pub quantity: f64,
    /// `kWh`, `kW`, `month`, `day` or `currency`.
    pub unit: &'static str,
    /// Price per unit [currency/unit] (a fraction for tax).
    pub rate: f64,
    /// Amount [currency].
    pub amount: f64,
    /// Start of the demand interval that set the peak [ms].
    pub peak_at_ms: Option<SimTime>,
    /// Remarks (partial month, ratchet).
    pub note: String,
}

/// One billing month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthBill {
    /// `YYYY-MM` in the tariff's time zone.
    pub label: String,
    /// Covered span [ms].
    pub start_ms: SimTime,
    /// End of the covered span [ms].
    pub end_ms: SimTime,
    /// Covered share of the calendar month [0..1].
    pub fraction: f64,
    /// The lines.
    pub lines: Vec<BillLine>,
    /// What pricing hours-use (`kWh/kW`) tiers again at month end, on the month's billed
    /// demand, changed against the charges made during the month [currency]; the energy
    /// lines hold the re-priced amounts, jobs and idle capacity the earlier ones (0 for
    /// other tariffs).
    pub energy_repriced: f64,
}

impl MonthBill {
    /// The month's total [currency].
    pub fn total(&self) -> f64 {
        // A fold from +0.0: an empty f64 sum is −0.0, which would print as "-0".
        self.lines.iter().fold(0.0, |sum, l| sum + l.amount)
    }
}

/// The bill of a run: one entry per billing month.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bill {
    /// Currency label.
    pub currency: String,
    /// Months in order.
    pub months: Vec<MonthBill>,
}

impl Bill {
    /// Sum of the lines of one kind [currency].
    pub fn sum(&self, item: LineItem) -> f64 {
        self.months
            .iter()
            .flat_map(|m| &m.lines)
            .filter(|l| l.item == item)
            .fold(0.0, |sum, l| sum + l.amount)
    }

    /// Energy charges as attributed during the run (to jobs, idle capacity and the
    /// timeseries): the energy lines less the month-end re-pricing of hours-use tiers
    /// [currency].
    pub fn energy_attributed(&self) -> f64 {
        self.months
            .iter()
            .fold(self.sum(LineItem::Energy), |sum, m| sum - m.energy_repriced)
    }

    /// Sum of the months' totals [currency].
    pub fn total(&self) -> f64 {
        self.months.iter().fold(0.0, |sum, m| sum + m.total())
    }
}
