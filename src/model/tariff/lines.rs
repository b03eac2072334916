//! The bill lines of one billing month: energy by period and tier, demand by charge and tier
//! (with ratchets and pro-rating), the fixed charge, and tax on the rest.

use super::biller::{MS_PER_DAY, MonthState, split_tiers};
use super::{EnergyPricing, FixedCharge, Tariff, TierUnit};
use crate::result::{BillLine, LineItem, MonthBill};

/// The bill lines of one month; `history` holds each demand charge's earlier actual peaks.
/// The bill of month `m`, every price times `escalation`.
pub(super) fn month_bill(
    tariff: &Tariff,
    m: &MonthState,
    escalation: f64,
    history: &mut [Vec<f64>],
) -> MonthBill {
    let covered_ms = (m.end - m.start) as f64;
    let fraction = covered_ms / m.full_ms as f64;
    let partial = fraction < 1.0 - 1e-12;
    let partial_note = if partial {
        format!(
            "partial month: {:.3} of {:.0} days",
            covered_ms / MS_PER_DAY,
            m.full_ms as f64 / MS_PER_DAY
        )
    } else {
        String::new()
    };
    let escalated = if escalation == 1.0 {
        String::new()
    } else {
        format!("prices escalated × {escalation:.6}")
    };
    let mut lines = Vec::new();
    let (energy_names, tier_prices): (Vec<String>, Vec<Vec<Option<f64>>>) = match &tariff.energy {
        EnergyPricing::Tou { periods, .. } => periods
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.tiers.iter().map(|t| Some(t.price * escalation)).collect(),
                )
            })
            .unzip(),
        EnergyPricing::RealTime { .. } => (vec!["real_time".to_string()], vec![vec![None]]),
    };
    for (p, cells) in m.energy.iter().enumerate() {
        let bounds = tier_bounds_note(tariff, p, m);
        let note = [escalated.as_str(), bounds.as_str()]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        for (tier, &(kwh, cost)) in cells.iter().enumerate() {
            if kwh <= 0.0 {
                continue;
            }
            lines.push(BillLine {
                item: LineItem::Energy,
                name: energy_names[p].clone(),
                tier: (cells.len() > 1).then_some(tier + 1),
                quantity: kwh,
                unit: "kWh",
                // A real-time price varies within the month: its rate is the average.
                rate: tier_prices[p][tier].unwrap_or(cost / kwh),
                amount: cost,
                peak_at_ms: None,
                note: note.clone(),
            });
        }
    }
    for (d, charge) in tariff.demand.iter().enumerate() {
        let tiers = &charge.tiers_by_month[m.month0];
        let peak = m.peaks[d];
        let actual_kw = peak.map_or(0.0, |(kw, _)| kw);
        let mut billed_kw = actual_kw;
        let mut notes = vec![];
        if let Some(r) = charge.ratchet {
            let past = &history[d];
            let floor = past[past.len().saturating_sub(r.months)..]
                .iter()
                .fold(0.0f64, |a, &b| a.max(b))
                * r.share;
            if floor > billed_kw {
                notes.push(format!(
                    "ratchet: {:.0}% of the {}-month high sets the billed demand above the actual peak {actual_kw:.3} kW",
                    r.share * 100.0,
                    r.months
                ));
                billed_kw = floor;
            }
        }
        history[d].push(actual_kw);
        if tiers.is_empty() || (peak.is_none() && billed_kw == 0.0) {
            continue;
        }
        if partial {
            notes.push(format!(
                "{partial_note}: the demand charge is pro-rated to {:.4} of the month",
                fraction
            ));
        }
        if !escalated.is_empty() {
            notes.push(escalated.clone());
        }
        let note = notes.join("; ");
        let mut rows = vec![];
        split_tiers(tiers, 1.0, 0.0, billed_kw, escalation, |tier, kw, price| {
            rows.push((tier, kw, price))
        });
        if rows.is_empty() {
            rows.push((0, 0.0, tiers[0].price * escalation));
        }
        for (tier, kw, price) in rows {
            lines.push(BillLine {
                item: LineItem::Demand,
                name: charge.name.clone(),
                tier: (tiers.len() > 1).then_some(tier + 1),
                quantity: kw,
                unit: "kW",
                rate: price,
                amount: kw * price * fraction,
                peak_at_ms: peak.map(|(_, at)| at),
                note: note.clone(),
            });
        }
    }
    match tariff.fixed {
        Some(FixedCharge::PerMonth(c)) => lines.push(BillLine {
            item: LineItem::Fixed,
            name: "customer_charge".to_string(),
            tier: None,
            quantity: fraction,
            unit: "month",
            rate: c * escalation,
            amount: c * escalation * fraction,
            peak_at_ms: None,
            note: partial_note.clone(),
        }),
        Some(FixedCharge::PerDay(c)) => {
            let days = covered_ms / MS_PER_DAY;
            lines.push(BillLine {
                item: LineItem::Fixed,
                name: "customer_charge".to_string(),
                tier: None,
                quantity: days,
                unit: "day",
                rate: c * escalation,
                amount: c * escalation * days,
                peak_at_ms: None,
                note: partial_note.clone(),
            });
        }
        None => {}
    }
    MonthBill {
        label: m.label.clone(),
        start_ms: m.start,
        end_ms: m.end,
        fraction,
        lines,
        energy_repriced: 0.0,
    }
}

/// What the tier bounds of energy period `p` came to in month `m`, when they are not plain
/// monthly kWh (empty otherwise).
fn tier_bounds_note(tariff: &Tariff, p: usize, m: &MonthState) -> String {
    let EnergyPricing::Tou { periods, .. } = &tariff.energy else {
        return String::new();
    };
    let period = &periods[p];
    if period.tiers.len() < 2 || period.tier_unit == TierUnit::Kwh {
        return String::new();
    }
    let scale = period.tier_unit.scale(m.days, m.peak_kw);
    let bounds = period
        .tiers
        .iter()
        .filter_map(|t| t.max)
        .map(|max| {
            format!(
                "{max} {} = {:.3} kWh",
                period.tier_unit.label(),
                max * scale
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let demand = if period.tier_unit.per_kw() {
        format!(
            " on a billed demand of {:.3} kW (the month's highest interval average)",
            m.peak_kw
        )
    } else {
        String::new()
    };
    let days = if matches!(
        period.tier_unit,
        TierUnit::KwhPerDay | TierUnit::KwhPerKwPerDay
    ) {
        format!(" over the month's {} days", m.days)
    } else {
        String::new()
    };
    format!("tier bounds {bounds}{demand}{days}")
}

/// Adds the tax line on the month's other charges.
pub(super) fn add_tax(tariff: &Tariff, month: &mut MonthBill) {
    if tariff.tax_percent > 0.0 {
        let base: f64 = month.lines.iter().map(|l| l.amount).sum();
        month.lines.push(BillLine {
            item: LineItem::Tax,
            name: "tax".to_string(),
            tier: None,
            quantity: base,
            unit: "currency",
            rate: tariff.tax_percent / 100.0,
            amount: base * tariff.tax_percent / 100.0,
            peak_at_ms: None,
            note: format!("{}% of the month's other charges", tariff.tax_percent),
        });
    }
}
