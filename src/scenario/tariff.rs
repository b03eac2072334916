//! Validates `[tariff]`: a flat price, time-of-use periods with tiers, a real-time price series
//! from CSV, or a URDB rate file; demand charges, fixed charges and tax.

use super::context::{Ctx, Span, time_zone};
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::{RawDemand, RawPeriod, RawTariff};
use super::tariff_tiers::{
    DEMAND_TIERS, ENERGY_TIERS, TierKeys, energy_bounds, energy_tier_unit, price_or_tiers,
};
use crate::input::series_csv::{SeriesSpec, check_coverage, read_step_series};
use crate::model::tariff::{
    DemandCharge, DemandScope, EnergyPeriod, EnergyPricing, FixedCharge, Ratchet, Schedule, Tariff,
};
use chrono_tz::Tz;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Validates an optional `[tariff]` table; `notes` collects charges a URDB file has that
/// wattsim does not model.
pub fn validate_tariff(
    raw: Option<&RawTariff>,
    ctx: &Ctx,
    span: Span,
    notes: &mut Vec<String>,
) -> Result<Tariff> {
    let default = RawTariff::default();
    let raw = raw.unwrap_or(&default);
    let key = KeyPath::default().key("tariff");
    let tz = match &raw.time_zone {
        Some(name) => Some(time_zone(name, &key.key("time_zone"), ctx)?),
        None => None,
    };
    ctx.at_most_one(
        &key,
        &[
            ("price_per_kwh", raw.price_per_kwh.is_some()),
            ("periods", raw.periods.is_some()),
            ("prices", raw.prices.is_some()),
            ("urdb", raw.urdb.is_some()),
        ],
        "a tariff prices energy one way only",
    )?;
    let mut tariff = if let Some(file) = &raw.urdb {
        for (name, given) in [
            ("demand", raw.demand.is_some()),
            ("fixed_per_month", raw.fixed_per_month.is_some()),
            ("fixed_per_day", raw.fixed_per_day.is_some()),
            ("minimum_per_month", raw.minimum_per_month.is_some()),
            ("minimum_per_year", raw.minimum_per_year.is_some()),
        ] {
            if given {
                return Err(ctx.err(
                    &key.key(name),
                    "(given)",
                    "the URDB file already defines the demand, fixed and minimum charges",
                    format!("remove `{name}`, or drop `urdb` and write the whole tariff in TOML"),
                ));
            }
        }
        let tz = tz.ok_or_else(|| {
            ctx.err(
                &key.key("time_zone"),
                "(missing)",
                "URDB records do not name the utility's time zone, and the schedules are in local time",
                "set tariff.time_zone, e.g. \"America/Los_Angeles\"",
            )
        })?;
        crate::input::urdb::load(&ctx.resolve(file), tz, (span.start_ms, span.end_ms), notes)
            .map_err(|e| ctx.referenced(&key.key("urdb"), e))?
    } else {
        let mut t = Tariff::flat(0.0, "USD");
        t.time_zone = tz.unwrap_or(Tz::UTC);
        t.energy = energy_pricing(raw, &key, ctx, span)?;
        if let Some(demand) = &raw.demand {
            let periods = match &t.energy {
                EnergyPricing::Tou { periods, schedule } => {
                    t.demand_schedule = (**schedule).clone();
                    t.demand_period_names = periods.iter().map(|p| p.name.clone()).collect();
                    Some(&t.demand_period_names)
                }
                EnergyPricing::RealTime { .. } => None,
            };
            t.demand = demand
                .iter()
                .enumerate()
                .map(|(i, d)| demand_charge(d, &key.key("demand").index(i), periods, ctx))
                .collect::<Result<_>>()?;
        }
        t.fixed = match (raw.fixed_per_month, raw.fixed_per_day) {
            (Some(_), Some(_)) => {
                return Err(ctx.err(
                    &key.key("fixed_per_day"),
                    "(given)",
                    "give a fixed charge per month or per day, not both",
                    "remove one of fixed_per_month and fixed_per_day",
                ));
            }
            (Some(c), None) => Some(FixedCharge::PerMonth(money(
                ctx,
                &key.key("fixed_per_month"),
                c,
            )?)),
            (None, Some(c)) => Some(FixedCharge::PerDay(money(
                ctx,
                &key.key("fixed_per_day"),
                c,
            )?)),
            (None, None) => None,
        };
        if let Some(c) = raw.minimum_per_month {
            t.min_per_month = money(ctx, &key.key("minimum_per_month"), c)?;
        }
        if let Some(c) = raw.minimum_per_year {
            t.min_per_year = money(ctx, &key.key("minimum_per_year"), c)?;
        }
        t
    };
    if let Some(c) = &raw.currency {
        tariff.currency = c.clone();
    }
    if let Some(text) = &raw.demand_interval {
        let k = key.key("demand_interval");
        let ms = ctx.duration(&k, text)?;
        if ms == 0 || !crate::time::MS_PER_HOUR.is_multiple_of(ms) || !ms.is_multiple_of(60_000) {
            return Err(ctx.err(
                &k,
                format!("{text:?}"),
                "the demand interval must be whole minutes that divide one hour",
                "use 5min, 15min (the usual), 30min or 60min",
            ));
        }
        tariff.demand_interval_ms = ms;
    }
    if let Some(p) = raw.tax_percent {
        tariff.tax_percent =
            ctx.number(&key.key("tax_percent"), p, 0.0, 100.0, "a tax percentage")?;
    }
    if let Some(p) = raw.escalation_percent_per_year {
        tariff.escalation_per_year = ctx.number(
            &key.key("escalation_percent_per_year"),
            p,
            -50.0,
            100.0,
            "a yearly price change in percent",
        )? / 100.0;
    }
    Ok(tariff)
}

fn money(ctx: &Ctx, key: &KeyPath, v: f64) -> Result<f64> {
    ctx.number(key, v, 0.0, 1e12, "a charge")
}

fn energy_pricing(raw: &RawTariff, key: &KeyPath, ctx: &Ctx, span: Span) -> Result<EnergyPricing> {
    if let Some(prices) = &raw.prices {
        let pk = key.key("prices");
        let scale = ctx.choice(
            &pk.key("unit"),
            prices.unit.as_deref().unwrap_or("per_kwh"),
            &[("per_kwh", 1.0), ("per_mwh", 0.001)],
            "price unit",
        )?;
        let path = ctx.resolve(&prices.file);
        let spec = SeriesSpec {
            time_column: prices.time_column.as_deref().unwrap_or("timestamp"),
            value_column: prices.price_column.as_deref().unwrap_or("price"),
            scale,
            naive_zone: Tz::UTC,
            allow_negative: true,
            hold_gaps: false,
            repeat: crate::model::series::Repeat::No,
            irregular: false,
        };
        let series = read_step_series(&path, &spec)
            .and_then(|series| {
                check_coverage(&path, &series, span.start_ms, span.end_ms, spec.time_column)?;
                Ok(series)
            })
            .map_err(|e| ctx.referenced(&pk.key("file"), e))?;
        let adder = match prices.adder_per_kwh {
            Some(a) => ctx.number(&pk.key("adder_per_kwh"), a, -1e6, 1e6, "the adder")?,
            None => 0.0,
        };
        return Ok(EnergyPricing::RealTime {
            series,
            adder_per_kwh: adder,
        });
    }
    if let Some(periods) = &raw.periods {
        return tou(periods, &key.key("periods"), ctx);
    }
    let price = match raw.price_per_kwh {
        Some(p) => ctx.number(&key.key("price_per_kwh"), p, 0.0, 1e6, "the price per kWh")?,
        None => 0.0,
    };
    Ok(Tariff::flat(price, "USD").energy)
}

/// Months 1–12 as a mask (index 0 = January); all months when none are listed.
fn month_mask(ctx: &Ctx, key: &KeyPath, months: Option<&Vec<i64>>) -> Result<[bool; 12]> {
    let mut mask = [months.is_none(); 12];
    for (i, &m) in months.into_iter().flatten().enumerate() {
        if !(1..=12).contains(&m) {
            return Err(ctx.err(
                &key.index(i),
                m,
                "months are numbered 1 (January) to 12 (December)",
                "list months as numbers 1..12",
            ));
        }
        mask[m as usize - 1] = true;
    }
    Ok(mask)
}

/// Month (0–11), day type (weekend?) and hour (0–23) filter of a period.
struct Filter {
    months: [bool; 12],
    weekdays: bool,
    weekends: bool,
    hours: [bool; 24],
}

fn filter(p: &RawPeriod, key: &KeyPath, ctx: &Ctx) -> Result<Filter> {
    let mut f = Filter {
        months: month_mask(ctx, &key.key("months"), p.months.as_ref())?,
        weekdays: true,
        weekends: true,
        hours: [p.hours.is_none(); 24],
    };
    let (weekdays, weekends) = ctx.choice(
        &key.key("days"),
        p.days.as_deref().unwrap_or("all"),
        &[
            ("all", (true, true)),
            ("weekdays", (true, false)),
            ("weekends", (false, true)),
        ],
        "day type (all; weekdays: Mon–Fri; weekends: Sat, Sun)",
    )?;
    f.weekdays = weekdays;
    f.weekends = weekends;
    for (i, &[a, b]) in p.hours.iter().flatten().enumerate() {
        if !(0 <= a && a < b && b <= 24) {
            return Err(ctx.err(
                &key.key("hours").index(i),
                format!("[{a}, {b}]"),
                "an hour range is [start, end) with 0 ≤ start < end ≤ 24 in local time",
                "e.g. hours = [[16, 21]] for 4 pm to 9 pm",
            ));
        }
        for h in a..b {
            f.hours[h as usize] = true;
        }
    }
    Ok(f)
}

fn tou(periods: &[RawPeriod], key: &KeyPath, ctx: &Ctx) -> Result<EnergyPricing> {
    if periods.is_empty() || periods.len() > 250 {
        return Err(ctx.err(
            key,
            format!("{} period(s)", periods.len()),
            "a time-of-use tariff needs between 1 and 250 periods",
            "add [[tariff.periods]] entries",
        ));
    }
    let mut out = Vec::with_capacity(periods.len());
    let mut filters = Vec::with_capacity(periods.len());
    for (i, p) in periods.iter().enumerate() {
        let pk = key.index(i);
        if out.iter().any(|q: &EnergyPeriod| q.name == p.name) {
            return Err(ctx.err(
                &pk.key("name"),
                format!("{:?}", p.name),
                "another period has this name",
                "give each period a distinct name",
            ));
        }
        let (tier_unit, bound) = energy_tier_unit(p, &pk, ctx)?;
        let tiers = price_or_tiers(
            ctx,
            &pk,
            p.price_per_kwh,
            p.tiers.as_ref().map(|t| {
                t.iter()
                    .map(|t| {
                        (
                            energy_bounds(t).into_iter().flatten().next(),
                            t.price_per_kwh,
                        )
                    })
                    .collect()
            }),
            &TierKeys {
                bound,
                ..ENERGY_TIERS
            },
        )?;
        filters.push(filter(p, &pk, ctx)?);
        out.push(EnergyPeriod {
            name: p.name.clone(),
            tiers,
            tier_unit,
        });
    }
    let mut schedule = Schedule::constant(0);
    for month in 0..12 {
        for hour in 0..24 {
            for weekend in [false, true] {
                let found = filters.iter().position(|f| {
                    f.months[month]
                        && f.hours[hour]
                        && if weekend { f.weekends } else { f.weekdays }
                });
                let Some(p) = found else {
                    return Err(ctx.err(
                        key,
                        format!("{} period(s)", periods.len()),
                        format!(
                            "no period covers {} in month {} at {hour:02}:00",
                            if weekend { "weekends" } else { "weekdays" },
                            month + 1
                        ),
                        "add a catch-all period with no months, days or hours as the last entry",
                    ));
                };
                let table = if weekend {
                    &mut schedule.weekend
                } else {
                    &mut schedule.weekday
                };
                table[month][hour] = p as u8;
            }
        }
    }
    Ok(EnergyPricing::Tou {
        periods: out,
        schedule: Box::new(schedule),
    })
}

fn demand_charge(
    d: &RawDemand,
    key: &KeyPath,
    period_names: Option<&Vec<String>>,
    ctx: &Ctx,
) -> Result<DemandCharge> {
    let tiers = price_or_tiers(
        ctx,
        key,
        d.price_per_kw,
        d.tiers
            .as_ref()
            .map(|t| t.iter().map(|t| (t.up_to_kw, t.price_per_kw)).collect()),
        &DEMAND_TIERS,
    )?;
    let scope = match &d.periods {
        None => DemandScope::All,
        Some(names) => {
            let Some(known) = period_names else {
                return Err(ctx.err(
                    &key.key("periods"),
                    format!("{names:?}"),
                    "TOU demand needs time-of-use energy periods to refer to",
                    "define [[tariff.periods]], or remove `periods` for a facility demand charge",
                ));
            };
            let mut idx = Vec::with_capacity(names.len());
            for (i, n) in names.iter().enumerate() {
                match known.iter().position(|k| k == n) {
                    Some(p) => idx.push(p),
                    None => {
                        return Err(ctx.err(
                            &key.key("periods").index(i),
                            format!("{n:?}"),
                            "no energy period has this name",
                            format!("use one of: {}", known.join(", ")),
                        ));
                    }
                }
            }
            DemandScope::Periods(idx)
        }
    };
    let months = month_mask(ctx, &key.key("months"), d.months.as_ref())?;
    let ratchet = match &d.ratchet {
        Some(r) => Some(Ratchet {
            share: ctx.number(
                &key.key("ratchet").key("share"),
                r.share,
                0.0,
                1.0,
                "the ratchet share",
            )?,
            months: ctx.count(&key.key("ratchet").key("months"), r.months, 1)? as usize,
        }),
        None => None,
    };
    Ok(DemandCharge {
        name: d.name.clone().unwrap_or_else(|| "demand".to_string()),
        scope,
        tiers_by_month: months
            .iter()
            .map(|&on| if on { tiers.clone() } else { vec![] })
            .collect(),
        ratchet,
    })
}
