//! Validates tiers of `[tariff]` prices: one price or increasing blocks, and what an energy
//! tier's bound counts (`up_to_kwh`, `up_to_kwh_per_kw`, `up_to_kwh_per_day`,
//! `up_to_kwh_per_kw_per_day`).

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::{RawEnergyTier, RawPeriod};
use crate::model::tariff::{Tier, TierUnit};

type Result<T> = std::result::Result<T, ScenarioError>;

/// The keys of one kind of tier, for messages.
pub(super) struct TierKeys {
    pub(super) price: &'static str,
    pub(super) bound: &'static str,
    pub(super) min_price: f64,
    pub(super) example: &'static str,
}

/// Energy tiers: monthly kWh blocks; prices may be negative (credits).
pub(super) const ENERGY_TIERS: TierKeys = TierKeys {
    price: "price_per_kwh",
    bound: "up_to_kwh",
    min_price: -1e6,
    example: "price_per_kwh = 0.12, or tiers = [{ up_to_kwh = 100000, price_per_kwh = 0.10 }, { price_per_kwh = 0.12 }]",
};

/// Demand tiers: kW blocks of the billed demand.
pub(super) const DEMAND_TIERS: TierKeys = TierKeys {
    price: "price_per_kw",
    bound: "up_to_kw",
    min_price: 0.0,
    example: "price_per_kw = 15.0 (per kW-month), or tiers = [{ up_to_kw = 500, price_per_kw = 12.0 }, { price_per_kw = 15.0 }]",
};

/// One price, or tiers of (upper bound, price) with increasing bounds and an open last tier.
pub(super) fn price_or_tiers(
    ctx: &Ctx,
    key: &KeyPath,
    single: Option<f64>,
    tiers: Option<Vec<(Option<f64>, f64)>>,
    k: &TierKeys,
) -> Result<Vec<Tier>> {
    let tiers = match (single, tiers) {
        (Some(price), None) => vec![(None, price)],
        (None, Some(tiers)) if !tiers.is_empty() => tiers,
        _ => {
            return Err(ctx.err(
                key,
                "(entry)",
                format!("give either `{}` or `tiers` (not both)", k.price),
                format!("e.g. {}", k.example),
            ));
        }
    };
    let mut out: Vec<Tier> = Vec::with_capacity(tiers.len());
    let one = tiers.len() == 1;
    for (j, &(bound, price)) in tiers.iter().enumerate() {
        let tk = if one && bound.is_none() {
            key.clone()
        } else {
            key.key("tiers").index(j)
        };
        let price = ctx.number(&tk.key(k.price), price, k.min_price, 1e6, "the price")?;
        let max = match bound {
            Some(m) => Some(ctx.number(&tk.key(k.bound), m, 0.0, f64::INFINITY, "a tier bound")?),
            None if j + 1 < tiers.len() => {
                return Err(ctx.err(
                    &tk.key(k.bound),
                    "(missing)",
                    "every tier but the last needs an upper bound",
                    format!("give `{}` for this tier", k.bound),
                ));
            }
            None => None,
        };
        if let (Some(m), Some(prev)) = (max, out.last().and_then(|t| t.max))
            && m <= prev
        {
            return Err(ctx.err(
                &tk.key(k.bound),
                m,
                "tier bounds must increase",
                "list tiers from the lowest bound to the highest",
            ));
        }
        out.push(Tier { max, price });
    }
    Ok(out)
}

/// The bound keys of an energy tier, in the order of [`ENERGY_BOUNDS`].
pub(super) fn energy_bounds(t: &RawEnergyTier) -> [Option<f64>; 4] {
    [
        t.up_to_kwh,
        t.up_to_kwh_per_kw,
        t.up_to_kwh_per_day,
        t.up_to_kwh_per_kw_per_day,
    ]
}

/// The energy tier bound keys and what each counts.
const ENERGY_BOUNDS: [(&str, TierUnit); 4] = [
    ("up_to_kwh", TierUnit::Kwh),
    ("up_to_kwh_per_kw", TierUnit::KwhPerKw),
    ("up_to_kwh_per_day", TierUnit::KwhPerDay),
    ("up_to_kwh_per_kw_per_day", TierUnit::KwhPerKwPerDay),
];

/// What a period's tier bounds count, and the key they are given by: one kind of bound for
/// every tier of the period.
pub(super) fn energy_tier_unit(
    p: &RawPeriod,
    key: &KeyPath,
    ctx: &Ctx,
) -> Result<(TierUnit, &'static str)> {
    let mut found: Option<(TierUnit, &'static str)> = None;
    for (j, t) in p.tiers.iter().flatten().enumerate() {
        let given: Vec<usize> = energy_bounds(t)
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.map(|_| i))
            .collect();
        let tk = key.key("tiers").index(j);
        match given.as_slice() {
            [] => {}
            [i] => {
                let (name, unit) = ENERGY_BOUNDS[*i];
                match found {
                    Some((_, first)) if first != name => {
                        return Err(ctx.err(
                            &tk.key(name),
                            "(given)",
                            format!("the period's earlier tiers are bounded by `{first}`"),
                            "bound every tier of a period the same way",
                        ));
                    }
                    _ => found = Some((unit, name)),
                }
            }
            _ => {
                let names: Vec<&str> = given.iter().map(|&i| ENERGY_BOUNDS[i].0).collect();
                return Err(ctx.err(
                    &tk,
                    names.join(", "),
                    "a tier has one upper bound",
                    "keep one of up_to_kwh, up_to_kwh_per_kw, up_to_kwh_per_day and up_to_kwh_per_kw_per_day",
                ));
            }
        }
    }
    Ok(found.unwrap_or((TierUnit::Kwh, "up_to_kwh")))
}
