//! Reads a tariff in the OpenEI Utility Rate Database (URDB) JSON format — one rate record,
//! bare or wrapped as `{"items": [record]}` — into the tariff model.
//!
//! Used fields: `energyratestructure` (periods × tiers of `rate` + `adj` [$/kWh], `max` monthly
//! kWh), `energyweekdayschedule` / `energyweekendschedule` (12 × 24 period indices),
//! `demandratestructure` with `demandweekdayschedule` / `demandweekendschedule` (TOU demand
//! [$/kW-month], tiers by `max` kW), `flatdemandstructure` with `flatdemandmonths` (facility
//! demand), `fixedchargefirstmeter` with `fixedchargeunits` (`$/month` or `$/day`), and the
//! minimum bills `minmonthlycharge`, `annualmincharge` and `mincharge` / `minchargeunits`.
//! Energy tiers count `kWh` per month, `kWh/kW` of billed demand, `kWh daily` or
//! `kWh/kW daily`, as NREL SAM reads them.

use super::error::{InputError, data_error};
use super::urdb_tiers::{DEMAND_UNITS, ENERGY_UNITS, UrdbTier, ranked_names, tiers_of};
use crate::model::tariff::{
    DemandCharge, DemandScope, EnergyPeriod, EnergyPricing, FixedCharge, Schedule, Tariff, Tier,
    TierUnit,
};
use chrono_tz::Tz;
use serde::Deserialize;
use std::path::Path;

type Result<T> = std::result::Result<T, InputError>;

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
    /// Newer records: one minimum charge with its unit (`$/month` or `$/year`).
    mincharge: Option<f64>,
    minchargeunits: Option<String>,
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
        .map(|(p, t)| tiers_of(t, &format!("energyratestructure[{p}]"), ENERGY_UNITS, path))
        .collect::<Result<Vec<_>>>()?;
    let (tiers, units): (Vec<Vec<Tier>>, Vec<TierUnit>) = tiers.into_iter().unzip();
    let names = ranked_names(&tiers);
    let periods: Vec<EnergyPeriod> = tiers
        .into_iter()
        .zip(names)
        .zip(units)
        .map(|((tiers, name), tier_unit)| EnergyPeriod {
            name,
            tiers,
            tier_unit,
        })
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
            .map(|(p, t)| tiers_of(t, &format!("demandratestructure[{p}]"), DEMAND_UNITS, path))
            .map(|r| r.map(|(tiers, _)| tiers))
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
            .map(|(p, t)| tiers_of(t, &format!("flatdemandstructure[{p}]"), DEMAND_UNITS, path))
            .map(|r| r.map(|(tiers, _)| tiers))
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
    minimum_charges(&r, &mut tariff, path)?;
    if let Some(note) = outside_dates(&label, r.startdate, r.enddate, span) {
        notes.push(note);
    }
    Ok(tariff)
}

/// Reads `minmonthlycharge` [$/month], `annualmincharge` [$/year] and the newer `mincharge`
/// with `minchargeunits` into the tariff's minimum bills.
fn minimum_charges(r: &UrdbRecord, tariff: &mut Tariff, path: &Path) -> Result<()> {
    let checked = |field: &str, c: f64| {
        if c.is_finite() && c >= 0.0 {
            Ok(c)
        } else {
            Err(data_error(
                path,
                None,
                field,
                c,
                "not a finite, non-negative charge",
                "fix the value",
            ))
        }
    };
    if let Some(c) = r.minmonthlycharge {
        tariff.min_per_month = checked("minmonthlycharge", c)?;
    }
    if let Some(c) = r.annualmincharge {
        tariff.min_per_year = checked("annualmincharge", c)?;
    }
    if let Some(c) = r.mincharge.filter(|c| *c != 0.0) {
        let c = checked("mincharge", c)?;
        match r.minchargeunits.as_deref().unwrap_or("$/month") {
            "$/month" => tariff.min_per_month = tariff.min_per_month.max(c),
            "$/year" => tariff.min_per_year = tariff.min_per_year.max(c),
            other => {
                return Err(data_error(
                    path,
                    None,
                    "minchargeunits",
                    format!("{other:?}"),
                    "unsupported minimum-charge unit",
                    "wattsim bills minimums in \"$/month\" and \"$/year\"; convert the record's minimum to one of them",
                ));
            }
        }
    }
    Ok(())
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
