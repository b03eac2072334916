//! Validates `[devices.*]` against the catalog (custom devices, overrides, embodied carbon)
//! and their power curves.

use super::context::{Ctx, PointTable};
use super::error::ScenarioError;
use super::locate::KeyPath;
use super::raw::*;
use super::suggest::nearest;
use crate::model::catalog;
use crate::model::device::Device;
use crate::model::power::PowerCurve;
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Service life assumed for embodied-carbon amortisation when none is given [years]
/// (the common depreciation period of datacenter servers).
pub const DEFAULT_LIFETIME_YEARS: f64 = 5.0;

/// Resolves `[devices.*]` against the catalog.
pub(super) fn validate_devices(
    raw: &BTreeMap<String, RawDevice>,
    ctx: &Ctx,
) -> Result<BTreeMap<String, Device>> {
    let mut out = BTreeMap::new();
    for (id, d) in raw {
        let key = KeyPath::default().key("devices").key(id);
        let base = match &d.based_on {
            Some(base) => Some(catalog::lookup(base).ok_or_else(|| {
                ctx.err(
                    &key.key("based_on"),
                    format!("{base:?}"),
                    "not a catalog device",
                    catalog_hint(base),
                )
            })?),
            None => catalog::lookup(id),
        };
        let idle_w = match (d.idle_w, base) {
            (Some(w), _) => ctx.watts(&key.key("idle_w"), w)?,
            (None, Some(b)) => b.idle_w,
            (None, None) if d.power_curve_is_table() => 0.0,
            (None, None) => return Err(missing_for_custom(ctx, &key, "idle_w", id)),
        };
        let max_w = match (d.max_w, base) {
            (Some(w), _) => ctx.watts(&key.key("max_w"), w)?,
            (None, Some(b)) => b.max_w,
            (None, None) if d.power_curve_is_table() => 0.0,
            (None, None) => return Err(missing_for_custom(ctx, &key, "max_w", id)),
        };
        let peak_tflops = match d.peak_tflops {
            Some(v) => ctx.number(&key.key("peak_tflops"), v, 0.0, f64::INFINITY, "TFLOPS")?,
            None => base.map_or(0.0, |b| b.peak_tflops),
        };
        let memory_gb = match d.memory_gb {
            Some(v) => ctx.number(&key.key("memory_gb"), v, 0.0, f64::INFINITY, "GB")?,
            None => base.map_or(0.0, |b| b.memory_gb),
        };
        let curve = validate_curve(d.power_curve.as_ref(), &key.key("power_curve"), ctx)?;
        let (idle_w, max_w) = match &curve {
            PowerCurve::Table { points } => (points[0].1, points[points.len() - 1].1),
            _ => (idle_w, max_w),
        };
        if idle_w > max_w {
            return Err(ctx.err(
                &key.key("idle_w"),
                idle_w,
                format!("idle draw is above the maximum draw max_w = {max_w}"),
                "idle_w must be at most max_w; check the two values (watts per device)",
            ));
        }
        let (embodied_kg, lifetime_years) = embodied(
            ctx,
            (&key.key("embodied_kg"), d.embodied_kg),
            (&key.key("lifetime_years"), d.lifetime_years),
        )?;
        let relative_throughput = match d.relative_throughput {
            Some(v) => ctx.number(
                &key.key("relative_throughput"),
                v,
                1e-9,
                1e9,
                "a relative throughput",
            )?,
            None => peak_tflops,
        };
        out.insert(
            id.clone(),
            Device {
                id: id.clone(),
                idle_w,
                max_w,
                peak_tflops,
                memory_gb,
                curve,
                embodied_kg,
                lifetime_years,
                relative_throughput,
            },
        );
    }
    Ok(out)
}

impl RawDevice {
    fn power_curve_is_table(&self) -> bool {
        matches!(self.power_curve, Some(RawPowerCurve::Table { .. }))
    }
}

/// Embodied carbon [kg] (default 0) and lifetime [years] (default 5) from their keys.
pub(super) fn embodied(
    ctx: &Ctx,
    (kg_key, kg): (&KeyPath, Option<f64>),
    (life_key, life): (&KeyPath, Option<f64>),
) -> Result<(f64, f64)> {
    let kg = match kg {
        Some(v) => ctx.number(kg_key, v, 0.0, 1e7, "embodied carbon in kg")?,
        None => 0.0,
    };
    let life = match life {
        Some(v) => ctx.number(life_key, v, 0.1, 100.0, "a lifetime in years")?,
        None => DEFAULT_LIFETIME_YEARS,
    };
    Ok((kg, life))
}

fn missing_for_custom(ctx: &Ctx, key: &KeyPath, field: &str, id: &str) -> ScenarioError {
    ctx.err(
        &key.key(field),
        "(missing)",
        format!("`{id}` is not a catalog device, so `{field}` is required"),
        format!(
            "give `{field}` in watts, or set `based_on` to a catalog id ({})",
            catalog_hint(id)
        ),
    )
}

fn catalog_hint(word: &str) -> String {
    match nearest(word, catalog::ids()) {
        Some(best) => {
            format!("did you mean `{best}`? `wattsim catalog` lists the built-in devices")
        }
        None => "`wattsim catalog` lists the built-in devices".to_string(),
    }
}

fn validate_curve(raw: Option<&RawPowerCurve>, key: &KeyPath, ctx: &Ctx) -> Result<PowerCurve> {
    Ok(match raw {
        None | Some(RawPowerCurve::Linear {}) => PowerCurve::Linear,
        Some(RawPowerCurve::PowerLaw { exponent }) => {
            let k = ctx.number(&key.key("exponent"), *exponent, 0.01, 100.0, "the exponent")?;
            PowerCurve::PowerLaw { exponent: k }
        }
        Some(RawPowerCurve::Table { points }) => {
            let pk = key.key("points");
            let rule = PointTable {
                min_points: 2,
                too_few: "a power table needs at least two (utilisation, watts) points",
                example: "give points from utilisation 0.0 to 1.0, e.g. [[0.0, 60.0], [1.0, 400.0]]",
                x_name: "utilisation values",
                sort_hint: "sort the points by utilisation and remove duplicates",
            };
            let table = ctx.point_table(&pk, points, &rule, |k, u, w| {
                ctx.number(k, u, 0.0, 1.0, "utilisation")?;
                ctx.watts(k, w).map(|_| ())
            })?;
            let (first, last) = (points[0][0], points[points.len() - 1][0]);
            if first != 0.0 || last != 1.0 {
                return Err(ctx.err(
                    &pk,
                    format!("utilisation {first} .. {last}"),
                    "the table must span utilisation 0.0 to 1.0",
                    "add a point at 0.0 (idle) and one at 1.0 (full load)",
                ));
            }
            PowerCurve::Table { points: table }
        }
    })
}
