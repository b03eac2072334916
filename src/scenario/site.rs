//! Validates `[facility]` (constant PUE, PUE curve, or the weather-driven cooling model with
//! water) and `[carbon]` (constant or series intensity, marginal intensity, clean-energy
//! contracts).

use super::context::{Ctx, PointTable, Span, time_zone};
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::{RawCarbon, RawFacility, RawSeriesRef};
use crate::input::series_csv::{SeriesSpec, check_coverage, read_step_series};
use crate::model::carbon::{ConstantIntensity, Grid, MarketContract, SeriesIntensity};
use crate::model::facility::{
    ConstantPue, CoolingModel, CoolingParams, Facility, PueCurve, Weather,
};
use crate::model::series::StepSeries;
use crate::time::MS_PER_DAY_I64;
use std::sync::Arc;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Reads the series a `{ file = … }` entry names, converting its unit with `units`
/// ((name, factor to the model's unit)); the first unit is the default.
pub fn read_series(
    r: &RawSeriesRef,
    key: &KeyPath,
    units: &[(&str, f64)],
    default_value_column: &str,
    allow_negative: bool,
    ctx: &Ctx,
    span: Span,
) -> Result<StepSeries> {
    let rules = SeriesRules {
        allow_negative,
        irregular: false,
        cover: true,
    };
    read_series_with(r, key, units, default_value_column, rules, ctx, span)
}

/// What a series read by [`read_series_with`] must satisfy.
#[derive(Debug, Clone, Copy)]
pub struct SeriesRules {
    /// Negative values allowed.
    pub allow_negative: bool,
    /// Rows at any increasing times (events), each holding until the next.
    pub irregular: bool,
    /// The series must cover the simulated span.
    pub cover: bool,
}

/// Reads a series as [`read_series`] does, under `rules`.
pub fn read_series_with(
    r: &RawSeriesRef,
    key: &KeyPath,
    units: &[(&str, f64)],
    default_value_column: &str,
    rules: SeriesRules,
    ctx: &Ctx,
    span: Span,
) -> Result<StepSeries> {
    let unit = r.unit.as_deref().unwrap_or(units[0].0);
    let Some(&(_, scale)) = units.iter().find(|(u, _)| *u == unit) else {
        let names: Vec<&str> = units.iter().map(|(u, _)| *u).collect();
        return Err(ctx.err(
            &key.key("unit"),
            format!("{unit:?}"),
            "unknown unit",
            format!("use one of: {}", names.join(", ")),
        ));
    };
    use crate::model::series::Repeat;
    // Not given: a series of one year repeats by the calendar, any other not at all (decided
    // once its span is read).
    let given = match &r.repeat {
        Some(text) => Some(ctx.choice(
            &key.key("repeat"),
            text,
            &[
                ("no", Repeat::No),
                ("cycle", Repeat::Cycle),
                ("year", Repeat::Year),
                ("yearly", Repeat::Year),
            ],
            "repeat mode (no: the series must cover the run; year: a year of data applied to other years by month, day and hour, the default for a series of one year; cycle: repeated with its own length, e.g. a typical day every day)",
        )?),
        None => None,
    };
    if given.is_some_and(|g| g != Repeat::No) && rules.irregular {
        return Err(ctx.err(
            &key.key("repeat"),
            format!("{:?}", r.repeat.as_deref().unwrap_or("")),
            "a series of events (rows at any times) cannot repeat",
            "remove `repeat`, and give rows over the whole simulated span",
        ));
    }
    let hold_gaps = ctx.choice(
        &key.key("gaps"),
        r.gaps.as_deref().unwrap_or("error"),
        &[("error", false), ("hold", true)],
        "gap policy (error, the default; hold: the previous value holds across missing rows)",
    )?;
    let zone = match &r.time_zone {
        Some(z) => time_zone(z, &key.key("time_zone"), ctx)?,
        None => chrono_tz::Tz::UTC,
    };
    let path = ctx.resolve(&r.file);
    let spec = SeriesSpec {
        time_column: r.time_column.as_deref().unwrap_or("timestamp"),
        value_column: r.value_column.as_deref().unwrap_or(default_value_column),
        scale,
        naive_zone: zone,
        allow_negative: rules.allow_negative,
        hold_gaps,
        repeat: given.unwrap_or(Repeat::No),
        irregular: rules.irregular,
    };
    read_step_series(&path, &spec)
        .and_then(|mut s| {
            let year_long =
                (365 * MS_PER_DAY_I64..=366 * MS_PER_DAY_I64).contains(&(s.end_ms - s.times_ms[0]));
            if given.is_none() && year_long && !rules.irregular {
                s.repeat = Repeat::Year;
            }
            if s.repeat == Repeat::Year && given.is_none() {
                note_other_year(ctx, key, &r.file, &s, span);
            }
            let first_row_late = s.times_ms[0] > span.start_ms && s.repeat == Repeat::No;
            if rules.cover && (!rules.irregular || first_row_late) {
                check_coverage(&path, &s, span.start_ms, span.end_ms, spec.time_column)?;
            }
            Ok(s)
        })
        .map_err(|e| ctx.referenced(&key.key("file"), e))
}

/// Notes that a year of data is applied to a run in other years (by the calendar), when the
/// run does not lie within the data's span.
fn note_other_year(ctx: &Ctx, key: &KeyPath, file: &str, s: &StepSeries, span: Span) {
    use chrono::Datelike;
    if s.times_ms[0] <= span.start_ms && span.end_ms <= s.end_ms {
        return;
    }
    let year = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).map_or(0, |t| t.year());
    let (data, first, last) = (
        year(s.times_ms[0]),
        year(span.start_ms),
        year(span.end_ms - 1),
    );
    let run = if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    };
    ctx.note(format!(
        "`{}` ({file}) holds {data} data and the run is in {run}: it is applied by month, day and hour (29 February takes the 28th), so the data's weekdays fall on other days (set repeat explicitly to silence this)",
        key.key("file")
    ));
}

/// Carbon-intensity units and their factor to g/kWh: 1 lb = 453.59237 g, 1 MWh = 1000 kWh.
const INTENSITY_UNITS: &[(&str, f64)] = &[
    ("g_per_kwh", 1.0),
    ("kg_per_kwh", 1000.0),
    ("lb_per_mwh", 0.453_592_37),
];

fn intensity(
    constant: Option<f64>,
    series: Option<&RawSeriesRef>,
    key: &KeyPath,
    constant_key: &str,
    series_key: &str,
    ctx: &Ctx,
    span: Span,
) -> Result<Option<Arc<dyn crate::model::carbon::CarbonIntensity>>> {
    match (constant, series) {
        (Some(_), Some(_)) => Err(ctx.err(
            &key.key(series_key),
            "(given)",
            format!("give `{constant_key}` or `{series_key}`, not both"),
            format!("remove one of {constant_key} and {series_key}"),
        )),
        (Some(g), None) => Ok(Some(Arc::new(ConstantIntensity {
            g_per_kwh: ctx.number(&key.key(constant_key), g, 0.0, 1e5, "an intensity in g/kWh")?,
        }))),
        (None, Some(r)) => {
            let series = read_series(
                r,
                &key.key(series_key),
                INTENSITY_UNITS,
                "intensity",
                false,
                ctx,
                span,
            )?;
            Ok(Some(Arc::new(SeriesIntensity {
                series,
                epoch_ms: span.start_ms,
            })))
        }
        (None, None) => Ok(None),
    }
}

/// Validates `[carbon]`.
pub fn validate_carbon(raw: Option<&RawCarbon>, ctx: &Ctx, span: Span) -> Result<Grid> {
    let default = RawCarbon::default();
    let raw = raw.unwrap_or(&default);
    let key = KeyPath::default().key("carbon");
    let average = intensity(
        raw.intensity_g_per_kwh,
        raw.intensity.as_ref(),
        &key,
        "intensity_g_per_kwh",
        "intensity",
        ctx,
        span,
    )?
    .unwrap_or_else(|| Arc::new(ConstantIntensity { g_per_kwh: 0.0 }));
    let marginal = intensity(
        raw.marginal_g_per_kwh,
        raw.marginal.as_ref(),
        &key,
        "marginal_g_per_kwh",
        "marginal",
        ctx,
        span,
    )?;
    let market = if raw.certificates_mwh_per_year.is_some()
        || raw.ppa.is_some()
        || raw.residual_g_per_kwh.is_some()
    {
        let ppa_kw = match &raw.ppa {
            Some(r) => Some(read_series(
                r,
                &key.key("ppa"),
                &[("kw", 1.0), ("mw", 1000.0)],
                "supply",
                false,
                ctx,
                span,
            )?),
            None => None,
        };
        Some(MarketContract {
            certificates_mwh_per_year: match raw.certificates_mwh_per_year {
                Some(m) => ctx.number(
                    &key.key("certificates_mwh_per_year"),
                    m,
                    0.0,
                    1e12,
                    "certificates in MWh per year",
                )?,
                None => 0.0,
            },
            ppa_kw,
            residual_g_per_kwh: match raw.residual_g_per_kwh {
                Some(g) => Some(ctx.number(
                    &key.key("residual_g_per_kwh"),
                    g,
                    0.0,
                    1e5,
                    "a residual-mix intensity in g/kWh",
                )?),
                None => None,
            },
        })
    } else {
        None
    };
    // A grid getting cleaner: both intensities decline by whole years of the run.
    let (average, marginal) = match raw.decline_percent_per_year {
        None => (average, marginal),
        Some(d) => {
            let d = ctx.number(
                &key.key("decline_percent_per_year"),
                d,
                0.0,
                99.0,
                "a yearly decline in percent",
            )? / 100.0;
            let decline = |inner| -> Arc<dyn crate::model::carbon::CarbonIntensity> {
                Arc::new(crate::model::carbon::DecliningIntensity {
                    inner,
                    decline_per_year: d,
                })
            };
            (decline(average), marginal.map(decline))
        }
    };
    Ok(Grid {
        average,
        marginal,
        market,
    })
}

/// Validates `[facility]`; `capacity_kw` is the installed IT power at full load.
pub fn validate_facility(
    raw: Option<&RawFacility>,
    ctx: &Ctx,
    span: Span,
    capacity_kw: f64,
) -> Result<Arc<dyn Facility>> {
    let default = RawFacility::default();
    let raw = raw.unwrap_or(&default);
    let key = KeyPath::default().key("facility");
    ctx.at_most_one(
        &key,
        &[
            ("pue", raw.pue.is_some()),
            ("pue_curve", raw.pue_curve.is_some()),
            ("cooling", raw.cooling.is_some()),
        ],
        "the facility overhead is modelled one way only",
    )?;
    let wue = match raw.wue_l_per_kwh {
        Some(w) => ctx.number(
            &key.key("wue_l_per_kwh"),
            w,
            0.0,
            100.0,
            "a water usage effectiveness in L/kWh",
        )?,
        None => 0.0,
    };
    let pue_number = |k: &KeyPath, p: f64| -> Result<f64> {
        if p.is_finite() && p < 1.0 {
            return Err(ctx.err(
                k,
                p,
                "PUE cannot be below 1.0 (facility power is IT power plus overhead)",
                "set the PUE to 1.0 or more, e.g. 1.2 for a modern air-cooled hall",
            ));
        }
        ctx.number(k, p, 1.0, 10.0, "PUE")
    };
    if let Some(points) = &raw.pue_curve {
        let rule = PointTable {
            min_points: 2,
            too_few: "a PUE curve needs at least two (load, PUE) points",
            example: "e.g. pue_curve = [[0.1, 1.9], [0.5, 1.35], [1.0, 1.2]]",
            x_name: "load fractions",
            sort_hint: "sort the points by load",
        };
        let table = ctx.point_table(&key.key("pue_curve"), points, &rule, |k, load, pue| {
            ctx.number(k, load, 0.0, 1.0, "the IT load fraction")?;
            pue_number(k, pue).map(|_| ())
        })?;
        return Ok(Arc::new(PueCurve {
            points: table,
            wue_l_per_kwh: wue,
        }));
    }
    if let Some(preset) = &raw.cooling {
        let mut p = ctx.choice(
            &key.key("cooling"),
            preset,
            &[
                ("air_cooled", CoolingParams::AIR_COOLED),
                ("liquid_cooled", CoolingParams::LIQUID_COOLED),
            ],
            "cooling preset (then override single parameters)",
        )?;
        let set = |k: &str, v: Option<f64>, target: &mut f64, min: f64, max: f64| -> Result<()> {
            if let Some(v) = v {
                *target = ctx.number(&key.key(k), v, min, max, k)?;
            }
            Ok(())
        };
        set(
            "ups_loss_fraction",
            raw.ups_loss_fraction,
            &mut p.ups_loss_fraction,
            0.0,
            1.0,
        )?;
        set(
            "fan_fraction",
            raw.fan_fraction,
            &mut p.fan_fraction,
            0.0,
            1.0,
        )?;
        set(
            "economizer_max_c",
            raw.economizer_max_c,
            &mut p.economizer_max_c,
            -50.0,
            60.0,
        )?;
        set(
            "economizer_band_c",
            raw.economizer_band_c,
            &mut p.economizer_band_c,
            0.0,
            60.0,
        )?;
        set("cop_rated", raw.cop_rated, &mut p.cop_rated, 0.5, 30.0)?;
        set(
            "cop_rated_c",
            raw.cop_rated_c,
            &mut p.cop_rated_c,
            -50.0,
            60.0,
        )?;
        set(
            "cop_slope_per_c",
            raw.cop_slope_per_c,
            &mut p.cop_slope_per_c,
            0.0,
            5.0,
        )?;
        set("cop_min", raw.cop_min, &mut p.cop_min, 0.5, 30.0)?;
        set("fixed_kw", raw.fixed_kw, &mut p.fixed_kw, 0.0, 1e7)?;
        set(
            "wue_mechanical_l_per_kwh",
            raw.wue_mechanical_l_per_kwh,
            &mut p.wue_mechanical_l_per_kwh,
            0.0,
            100.0,
        )?;
        set(
            "wue_free_l_per_kwh",
            raw.wue_free_l_per_kwh,
            &mut p.wue_free_l_per_kwh,
            0.0,
            100.0,
        )?;
        let Some(w) = &raw.weather else {
            return Err(ctx.err(&key.key("weather"), "(missing)", "the cooling model needs outdoor temperatures", "add weather = { file = \"site.epw\" } (EnergyPlus EPW) or a CSV with a temperature column"));
        };
        let wk = key.key("weather");
        let is_epw = match w.format.as_deref() {
            Some(format) => ctx.choice(
                &wk.key("format"),
                format,
                &[("epw", true), ("csv", false)],
                "weather format",
            )?,
            None => w.file.to_ascii_lowercase().ends_with(".epw"),
        };
        let weather = if is_epw {
            crate::input::epw::read_epw(&ctx.resolve(&w.file))
                .map_err(|e| ctx.referenced(&wk.key("file"), e))?
        } else {
            // °F → °C is affine; read in the file's unit, then convert.
            let mut s = read_series(
                w,
                &wk,
                &[("c", 1.0), ("f", 1.0)],
                "temperature",
                true,
                ctx,
                span,
            )?;
            if w.unit.as_deref() == Some("f") {
                for v in &mut s.values {
                    *v = (*v - 32.0) * 5.0 / 9.0;
                }
            }
            Weather::Series(s)
        };
        return Ok(Arc::new(CoolingModel {
            params: p,
            weather,
            epoch_ms: span.start_ms,
            capacity_kw,
        }));
    }
    let pue = match raw.pue {
        Some(p) => pue_number(&key.key("pue"), p)?,
        None => 1.0,
    };
    Ok(Arc::new(ConstantPue {
        pue,
        wue_l_per_kwh: wue,
    }))
}
