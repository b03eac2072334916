//! Reads a tariff in the OpenEI Utility Rate Database (URDB) JSON format — one rate record,
//! bare or wrapped as `{"items": [record]}` — into the tariff model.
//!
//! Used fields: `energyratestructure` (periods × tiers of `rate` + `adj` [$/kWh], `max` monthly
//! kWh), `energyweekdayschedule` / `energyweekendschedule` (12 × 24 period indices),
//! `demandratestructure` with `demandweekdayschedule` / `demandweekendschedule` (TOU demand
//! [$/kW-month], tiers by `max` kW), `flatdemandstructure` with `flatdemandmonths` (facility
//! demand), `fixedchargefirstmeter` with `fixedchargeunits` (`$/month` or `$/day`).

use super::error::{InputError, data_error};
use crate::model::tariff::{
    DemandCharge, DemandScope, EnergyPeriod, EnergyPricing, FixedCharge, Schedule, Tariff, Tier,
};
use chrono_tz::Tz;
use serde::Deserialize;
use std::path::Path;

type Result<T> = std::result::Result<T, InputError>;

/// One tier of a URDB rate structure.
#[derive(Debug, Deserialize)]
struct UrdbTier {
    rate: Option<f64>,
    adj: Option<f64>,
    max: Option<f64>,
    unit: Option<String>,
}

/// The fields of a URDB record that wattsim reads (others are ignored).
#[derive(Debug, Deserialize)]
struct UrdbRecord {
    name: Option<String>,
    utility: Option<String>,
    energyratestructure: Option<Vec<Vec<UrdbTier>>>,
    energyweekdayschedule: Option<Vec<Vec<i64>>>,
    energyweekendschedule: Option<Vec<Vec<i64>>>,
    demandratestructure: Option<Vec<Vec<UrdbTier>>>,
    demandweekdayschedule: Option<Vec<Vec<i64>>>,
    demandweekendschedule: Option<Vec<Vec<i64>>>,
    flatdemandstructure: Option<Vec<Vec<UrdbTier>>>,
    flatdemandmonths: Option<Vec<i64>>,
    fixedchargefirstmeter: Option<f64>,
    fixedchargeunits: Option<String>,
    coincidentratestructure: Option<serde_json::Value>,
    demandratchetpercentage: Option<Vec<f64>>,
    minmonthlycharge: Option<f64>,
    annualmincharge: Option<f64>,
    /// When the rate takes effect, and ends [s since the epoch].
    startdate: Option<i64>,
    enddate: Option<i64>,
}

/// Loads a URDB file; `tz` is the utility's time zone and `span` the simulated span [ms since
/// the epoch, start and end]. Charges present in the record that wattsim does not model, and a
/// span outside the record's `startdate` / `enddate`, are described in `notes`.
pub fn load(path: &Path, tz: Tz, span: (i64, i64), notes: &mut Vec<String>) -> Result<Tariff> {
    let text = crate::input::read_data_text(path)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        data_error(
            path,
            Some(e.line() as u64),
            "(json)",
            format!("column {}", e.column()),
            e.to_string(),
            "the file must be a URDB rate record in JSON",
        )
    })?;
    let record = match value.get("items") {
        Some(serde_json::Value::Array(items)) if items.len() == 1 => items[0].clone(),
        Some(serde_json::Value::Array(items)) => {
            return Err(data_error(
                path,
                None,
                "items",
                format!("{} records", items.len()),
                "the file must hold exactly one rate record",
                "keep the one record you want to use",
            ));
        }
        _ => value,
    };
    let r: UrdbRecord = serde_json::from_value(record).map_err(|e| {
        data_error(
            path,
            None,
            "(record)",
            "",
            e.to_string(),
            "check the field types against the URDB documentation",
        )
    })?;
    let bad = |field: &str, value: String, problem: String, hint: &str| {
        data_error(path, None, field, value, problem, hint)
    };

    // Energy.
    let structure = r.energyratestructure.as_ref().ok_or_else(|| {
        bad(
            "energyratestructure",
            "(missing)".into(),
            "the record has no energy rates".into(),
            "use a record with energyratestructure",
        )
    })?;
    let tiers = structure
        .iter()
        .enumerate()
        .map(|(p, t)| tiers_of(t, &format!("energyratestructure[{p}]"), "kWh", path))
        .collect::<Result<Vec<_>>>()?;
    let names = ranked_names(&tiers);
    let periods: Vec<EnergyPeriod> = tiers
        .into_iter()
        .zip(names)
        .map(|(tiers, name)| EnergyPeriod { name, tiers })
        .collect();
    let schedule = schedule_of(
        path,
        ("energyweekdayschedule", r.energyweekdayschedule.as_ref()),
        ("energyweekendschedule", r.energyweekendschedule.as_ref()),
        periods.len(),
    )?;
    let mut tariff = Tariff::flat(0.0, "USD");
    tariff.time_zone = tz;
    tariff.energy = EnergyPricing::Tou {
        periods,
        schedule: Box::new(schedule),
    };

    // TOU demand.
    if let Some(structure) = &r.demandratestructure {
        let schedule = schedule_of(
            path,
            ("demandweekdayschedule", r.demandweekdayschedule.as_ref()),
            ("demandweekendschedule", r.demandweekendschedule.as_ref()),
            structure.len(),
        )?;
        let all_tiers = structure
            .iter()
            .enumerate()
            .map(|(p, t)| tiers_of(t, &format!("demandratestructure[{p}]"), "kW", path))
            .collect::<Result<Vec<_>>>()?;
        let names = ranked_names(&all_tiers);
        for (p, tiers) in all_tiers.into_iter().enumerate() {
            if tiers.iter().all(|t| t.price == 0.0) {
                continue;
            }
            let tiers_by_month = (0..12)
                .map(|m| {
                    let used = schedule.weekday[m]
                        .iter()
                        .chain(&schedule.weekend[m])
                        .any(|&q| q as usize == p);
                    if used { tiers.clone() } else { vec![] }
                })
                .collect();
            tariff.demand.push(DemandCharge {
                name: format!("tou_demand_{}", names[p]),
                scope: DemandScope::Periods(vec![p]),
                tiers_by_month,
                ratchet: None,
            });
        }
        tariff.demand_period_names = names;
        tariff.demand_schedule = schedule;
    }

    // Facility (flat) demand.
    if let Some(structure) = &r.flatdemandstructure {
        let months = r.flatdemandmonths.as_ref().ok_or_else(|| {
            bad(
                "flatdemandmonths",
                "(missing)".into(),
                "flatdemandstructure needs flatdemandmonths (12 period indices)".into(),
                "add flatdemandmonths",
            )
        })?;
        if months.len() != 12 {
            return Err(bad(
                "flatdemandmonths",
                format!("{} entries", months.len()),
                "must have 12 entries, one per month".into(),
                "give one period index per month, January first",
            ));
        }
        let per_period = structure
            .iter()
            .enumerate()
            .map(|(p, t)| tiers_of(t, &format!("flatdemandstructure[{p}]"), "kW", path))
            .collect::<Result<Vec<_>>>()?;
        let mut tiers_by_month = Vec::with_capacity(12);
        for (m, &p) in months.iter().enumerate() {
            let tiers = per_period
                .get(p as usize)
                .filter(|_| p >= 0)
                .ok_or_else(|| {
                    bad(
                        &format!("flatdemandmonths[{m}]"),
                        p.to_string(),
                        format!(
                            "period index out of range: flatdemandstructure has {} period(s)",
                            per_period.len()
                        ),
                        "use an index of an existing flatdemandstructure period",
                    )
                })?;
            let charged = tiers.iter().any(|t| t.price != 0.0);
            tiers_by_month.push(if charged { tiers.clone() } else { vec![] });
        }
        if tiers_by_month.iter().any(|t| !t.is_empty()) {
            tariff.demand.push(DemandCharge {
                name: "facility_demand".to_string(),
                scope: DemandScope::All,
                tiers_by_month,
                ratchet: None,
            });
        }
    }

    // Fixed charge.
    if let Some(c) = r.fixedchargefirstmeter.filter(|c| *c != 0.0) {
        if !c.is_finite() || c < 0.0 {
            return Err(bad(
                "fixedchargefirstmeter",
                c.to_string(),
                "not a finite, non-negative charge".into(),
                "fix the value",
            ));
        }
        tariff.fixed = Some(match r.fixedchargeunits.as_deref().unwrap_or("$/month") {
            "$/month" => FixedCharge::PerMonth(c),
            "$/day" => FixedCharge::PerDay(c),
            other => {
                return Err(bad(
                    "fixedchargeunits",
                    format!("{other:?}"),
                    "unsupported fixed-charge unit".into(),
                    "wattsim reads \"$/month\" and \"$/day\"",
                ));
            }
        });
    }

    // Charges not modelled: say so rather than under-bill silently.
    let label = [r.utility.as_deref(), r.name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" — ");
    if r.coincidentratestructure.is_some() {
        notes.push(format!(
            "{label}: coincident demand charges are not modelled"
        ));
    }
    if r.demandratchetpercentage
        .as_ref()
        .is_some_and(|v| v.iter().any(|x| *x != 0.0))
    {
        notes.push(format!(
            "{label}: the demand ratchet percentages are not modelled"
        ));
    }
    if r.minmonthlycharge.is_some_and(|c| c > 0.0) || r.annualmincharge.is_some_and(|c| c > 0.0) {
        notes.push(format!("{label}: minimum charges are not modelled"));
    }
    if let Some(note) = outside_dates(&label, r.startdate, r.enddate, span) {
        notes.push(note);
    }
    Ok(tariff)
}

/// A note when the simulated `span` [ms] starts before the record's `startdate` or ends after
/// its `enddate` [s]: the utility's prices may differ then.
fn outside_dates(
    label: &str,
    start_s: Option<i64>,
    end_s: Option<i64>,
    span: (i64, i64),
) -> Option<String> {
    let date = |s: i64| {
        chrono::DateTime::from_timestamp(s, 0)
            .map_or_else(|| s.to_string(), |d| d.format("%Y-%m-%d").to_string())
    };
    let before = start_s.filter(|&s| span.0 < s.saturating_mul(1000));
    let after = end_s.filter(|&e| span.1 > e.saturating_mul(1000));
    let why = match (before, after) {
        (Some(s), _) => format!("takes effect on {}, after the run starts", date(s)),
        (None, Some(e)) => format!("ends on {}, before the run ends", date(e)),
        (None, None) => return None,
    };
    Some(format!(
        "{label}: the rate record {why}; its prices may not be the ones in force over the whole run (check the utility's earlier or later rate, or move [simulation] start)"
    ))
}

/// Names periods by their price rank (the first tier's): `period_3 (highest price)`,
/// `period_2 (lowest price)`, `period_0 (price rank 2 of 5)`; URDB records carry no labels
/// for their periods.
fn ranked_names(periods: &[Vec<Tier>]) -> Vec<String> {
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

/// Converts URDB tiers: price = rate + adj; `max` bounds in `unit` (kWh per month or kW).
fn tiers_of(tiers: &[UrdbTier], field: &str, unit: &str, path: &Path) -> Result<Vec<Tier>> {
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
    for (i, t) in tiers.iter().enumerate() {
        let f = format!("{field}[{i}]");
        if let Some(u) = t.unit.as_deref().filter(|u| *u != unit) {
            return Err(data_error(
                path,
                None,
                format!("{f}.unit"),
                format!("{u:?}"),
                format!("wattsim bills tiers in {unit} per month only"),
                "convert the record's tiers, or write the tariff in wattsim's TOML",
            ));
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
        out.push(Tier { max, price });
    }
    Ok(out)
}

/// Reads the weekday and weekend 12 × 24 tables and checks every index is a valid period.
fn schedule_of(
    path: &Path,
    weekday: (&str, Option<&Vec<Vec<i64>>>),
    weekend: (&str, Option<&Vec<Vec<i64>>>),
    periods: usize,
) -> Result<Schedule> {
    let mut schedule = Schedule::constant(0);
    for ((field, table), target) in [weekday, weekend]
        .into_iter()
        .zip([&mut schedule.weekday, &mut schedule.weekend])
    {
        let table = table.ok_or_else(|| {
            data_error(
                path,
                None,
                field,
                "(missing)",
                "the schedule is missing",
                "give a 12 × 24 table of period indices",
            )
        })?;
        if table.len() != 12 || table.iter().any(|row| row.len() != 24) {
            let shape: Vec<usize> = table.iter().map(|r| r.len()).collect();
            return Err(data_error(
                path,
                None,
                field,
                format!("{} rows of lengths {shape:?}", table.len()),
                "a schedule must be 12 months × 24 hours",
                "give 12 rows (January first) of 24 period indices (hour 0 first)",
            ));
        }
        for (m, row) in table.iter().enumerate() {
            for (h, &p) in row.iter().enumerate() {
                if p < 0 || p as usize >= periods || p > 255 {
                    return Err(data_error(
                        path,
                        None,
                        format!("{field}[{m}][{h}]"),
                        p,
                        format!(
                            "period index out of range: the rate structure has {periods} period(s)"
                        ),
                        "use indices 0..(number of periods − 1)",
                    ));
                }
                target[m][h] = p as u8;
            }
        }
    }
    Ok(schedule)
}
