//! URDB rate-structure tiers: `rate` + `adj` prices, `max` bounds in the units URDB writes
//! (`kWh`, `kWh/kW`, `kWh daily`, `kWh/kW daily` for energy; kW for demand), and period names
//! by price rank.

use super::error::{InputError, data_error};
use crate::model::tariff::{Tier, TierUnit};
use serde::Deserialize;
use std::path::Path;

type Result<T> = std::result::Result<T, InputError>;

/// One tier of a URDB rate structure.
#[derive(Debug, Deserialize)]
pub(super) struct UrdbTier {
    pub(super) rate: Option<f64>,
    pub(super) adj: Option<f64>,
    pub(super) max: Option<f64>,
    pub(super) unit: Option<String>,
}

/// Names periods by their price rank (the first tier's): `period_3 (highest price)`,
/// `period_2 (lowest price)`, `period_0 (price rank 2 of 5)`; URDB records carry no labels
/// for their periods.
pub(super) fn ranked_names(periods: &[Vec<Tier>]) -> Vec<String> {
    let price = |p: usize| periods[p].first().map_or(0.0, |t| t.price);
    let mut order: Vec<usize> = (0..periods.len()).collect();
    order.sort_by(|&a, &b| price(b).total_cmp(&price(a)).then(a.cmp(&b)));
    let mut names = vec![String::new(); periods.len()];
    for (rank, &p) in order.iter().enumerate() {
        let what = if periods.len() == 1 {
            "the only period".to_string()
        } else if rank == 0 {
            "highest price".to_string()
        } else if rank + 1 == periods.len() {
            "lowest price".to_string()
        } else {
            format!("price rank {} of {}", rank + 1, periods.len())
        };
        names[p] = format!("period_{p} ({what})");
    }
    names
}

/// The tier units URDB writes for energy, and what they mean.
pub(super) const ENERGY_UNITS: &[(&str, TierUnit)] = &[
    ("kWh", TierUnit::Kwh),
    ("kWh/kW", TierUnit::KwhPerKw),
    ("kWh daily", TierUnit::KwhPerDay),
    ("kWh/kW daily", TierUnit::KwhPerKwPerDay),
];

/// The tier unit of demand charges.
pub(super) const DEMAND_UNITS: &[(&str, TierUnit)] = &[("kW", TierUnit::Kwh)];

/// Converts URDB tiers: price = rate + adj; `max` bounds in one of `units` (the first is the
/// default), the same for every tier of the period.
pub(super) fn tiers_of(
    tiers: &[UrdbTier],
    field: &str,
    units: &[(&str, TierUnit)],
    path: &Path,
) -> Result<(Vec<Tier>, TierUnit)> {
    if tiers.is_empty() {
        return Err(data_error(
            path,
            None,
            field,
            "[]",
            "a period needs at least one tier",
            "give the period a rate",
        ));
    }
    let mut out = Vec::with_capacity(tiers.len());
    let mut unit: Option<(&str, TierUnit)> = None;
    for (i, t) in tiers.iter().enumerate() {
        let f = format!("{field}[{i}]");
        // A tier without a unit counts as the period's earlier tiers do.
        let name = t
            .unit
            .as_deref()
            .unwrap_or(unit.map_or(units[0].0, |(u, _)| u));
        let Some(&this) = units.iter().find(|(u, _)| u.eq_ignore_ascii_case(name)) else {
            let known: Vec<String> = units.iter().map(|(u, _)| format!("{u:?}")).collect();
            return Err(data_error(
                path,
                None,
                format!("{f}.unit"),
                format!("{name:?}"),
                format!("wattsim bills these tiers in {}", known.join(", ")),
                "convert the record's tiers, or write the tariff in wattsim's TOML",
            ));
        };
        match unit {
            Some((first, u)) if u != this.1 => {
                return Err(data_error(
                    path,
                    None,
                    format!("{f}.unit"),
                    format!("{name:?}"),
                    format!(
                        "the period's first tier counts {first:?}: tiers mixing units (the block-and-step tariffs that nest kWh steps inside kWh/kW blocks) are not billed"
                    ),
                    "give every tier of the period the same unit, or write the tariff in wattsim's TOML",
                ));
            }
            Some(_) => {}
            None => unit = Some(this),
        }
        if t.rate.is_none() {
            // Billing the adjustment alone (or nothing) silently would under-bill.
            return Err(data_error(
                path,
                None,
                format!("{f}.rate"),
                "(missing)",
                if t.adj.is_some() {
                    "the tier has an adjustment (`adj`) but no `rate`: it would be billed at the adjustment alone"
                } else {
                    "the tier has no `rate`"
                },
                "give the tier's rate (write \"rate\": 0 if it is truly billed at the adjustment alone)",
            ));
        }
        // Rounded to 1e-9 so that e.g. 0.1151 + 0.0003 reads 0.1154, not 0.11539999999999999.
        let price = ((t.rate.unwrap_or(0.0) + t.adj.unwrap_or(0.0)) * 1e9).round() / 1e9;
        if !price.is_finite() {
            return Err(data_error(
                path,
                None,
                f,
                price,
                "not a finite rate",
                "fix the rate",
            ));
        }
        let max = if i + 1 < tiers.len() { t.max } else { None };
        if let Some(m) = max.filter(|m| !m.is_finite() || *m < 0.0) {
            return Err(data_error(
                path,
                None,
                format!("{f}.max"),
                m,
                "a tier bound must be a finite, non-negative number",
                "fix the bound",
            ));
        }
        out.push(Tier { max, price });
    }
    Ok((out, unit.map_or(units[0].1, |(_, u)| u)))
}
