//! Validates `[costs]` and the pools' prices (`device_price`, `node_price`,
//! `network_price_per_node`) into the capital and running costs of ownership. wattsim invents
//! no prices: a `[costs]` table needs every pool's prices, and names the missing ones.

use super::context::Ctx;
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::RawPool;
use super::raw_policy::RawCosts;
use crate::model::costs::{Costs, PoolPrices, Tranche};
use crate::model::pool::Pool;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Longest amortisation period [years].
const MAX_YEARS: f64 = 100.0;

/// A pool's price keys and values, in file order.
fn prices(p: &RawPool) -> [(&'static str, Option<f64>); 3] {
    [
        ("device_price", p.device_price),
        ("node_price", p.node_price),
        ("network_price_per_node", p.network_price_per_node),
    ]
}

/// The costs of ownership, or `None` without a `[costs]` table (pool prices alone are an
/// error: they would be silently unused).
pub(super) fn validate_costs(
    raw: Option<&RawCosts>,
    raw_pools: &[RawPool],
    pools: &[Pool],
    ctx: &Ctx,
) -> Result<Option<Costs>> {
    let at = KeyPath::default().key("costs");
    let Some(c) = raw else {
        if let Some((i, key)) = raw_pools.iter().enumerate().find_map(|(i, p)| {
            prices(p)
                .into_iter()
                .find(|(_, v)| v.is_some())
                .map(|(k, _)| (i, k))
        }) {
            return Err(ctx.err(
                &KeyPath::default().key("pools").index(i).key(key),
                "(set)",
                "pool prices are used only with a [costs] table",
                "add [costs] with amortization_years (and the other rates), or remove the price",
            ));
        }
        return Ok(None);
    };
    let years = c.amortization_years.ok_or_else(|| {
        ctx.err(
            &at.key("amortization_years"),
            "(missing)",
            "the hardware's price is spread over its amortisation period",
            "set amortization_years, e.g. 4.0",
        )
    })?;
    let years = ctx.number(
        &at.key("amortization_years"),
        years,
        1.0 / 12.0,
        MAX_YEARS,
        "a period in years",
    )?;
    let percent = |key: &str, v: Option<f64>| -> Result<f64> {
        Ok(ctx.number(&at.key(key), v.unwrap_or(0.0), 0.0, 100.0, "a percentage")? / 100.0)
    };
    let money = |key: &KeyPath, v: Option<f64>| -> Result<f64> {
        ctx.number(
            key,
            v.unwrap_or(0.0),
            0.0,
            f64::INFINITY,
            "an amount of money",
        )
    };
    let interest_per_year = percent("interest_rate_percent", c.interest_rate_percent)?;
    let maintenance_per_year = percent(
        "maintenance_percent_per_year",
        c.maintenance_percent_per_year,
    )?;
    let hosting_per_kw_month = money(&at.key("hosting_per_kw_month"), c.hosting_per_kw_month)?;
    let other_per_month = money(&at.key("other_per_month"), c.other_per_month)?;
    let mut tranches = vec![];
    for (i, (p, pool)) in raw_pools.iter().zip(pools).enumerate() {
        let key = KeyPath::default().key("pools").index(i);
        // The network price may be left out (0); the others are what the hardware is.
        let missing: Vec<&str> = prices(p)
            .into_iter()
            .filter(|(k, v)| v.is_none() && *k != "network_price_per_node")
            .map(|(k, _)| k)
            .collect();
        if !missing.is_empty() {
            return Err(ctx.err(
                &key,
                &pool.name,
                format!("[costs] needs the pool's {}", missing.join(" and ")),
                "give the prices you pay (wattsim has no default prices; write 0 for hardware already paid off)",
            ));
        }
        let prices = PoolPrices {
            device_price: money(&key.key("device_price"), p.device_price)?,
            node_price: money(&key.key("node_price"), p.node_price)?,
            network_price_per_node: money(
                &key.key("network_price_per_node"),
                p.network_price_per_node,
            )?,
        };
        let nodes = pool.nodes as f64;
        tranches.push(Tranche {
            pool: pool.name.clone(),
            capex: nodes
                * (pool.devices_per_node as f64 * prices.device_price
                    + prices.node_price
                    + prices.network_price_per_node),
            provisioned_it_kw: pool.provisioned_w() / 1000.0,
            from_ms: pool.from_ms,
            until_ms: pool.until_ms,
        });
    }
    Ok(Some(Costs {
        amortization_months: years * 12.0,
        interest_per_year,
        maintenance_per_year,
        hosting_per_kw_month,
        other_per_month,
        tranches,
    }))
}
