//! Reads a stand-alone tariff file for `wattsim bill`: wattsim TOML with a `[tariff]` table
//! (validated as in a scenario), or a URDB JSON record.

use super::context::Ctx;
use super::context::{Span, time_zone};
use super::error::{ScenarioError, data_error};
use super::raw::RawTariffFile;
use super::tariff::validate_tariff;
use crate::model::tariff::Tariff;
use chrono_tz::Tz;
use std::path::Path;

/// Reads a tariff file: `.json` is a URDB record (its zone from `zone`, required), anything
/// else a TOML file with a `[tariff]` table as in a scenario. `span` is the load's span.
pub fn read_tariff(
    path: &Path,
    zone: Option<&str>,
    span: Span,
    notes: &mut Vec<String>,
) -> Result<Tariff, ScenarioError> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        let Some(zone) = zone else {
            return Err(data_error(
                path,
                None,
                "--time-zone",
                "(missing)",
                "URDB records do not name the utility's time zone",
                "pass --time-zone, e.g. --time-zone America/Los_Angeles",
            ));
        };
        let tz: Tz = zone.parse().map_err(|_| {
            data_error::<ScenarioError>(
                path,
                None,
                "--time-zone",
                format!("{zone:?}"),
                "not an IANA time-zone name",
                "use a name such as America/Los_Angeles",
            )
        })?;
        return Ok(crate::input::urdb::load(
            path,
            tz,
            (span.start_ms, span.end_ms),
            notes,
        )?);
    }
    let source = crate::input::read_data_text(path).map_err(ScenarioError::from)?;
    let raw: RawTariffFile = toml::from_str(&source).map_err(|e| ScenarioError::Syntax {
        path: path.to_path_buf(),
        message: super::suggest::enrich_serde_message(&e.to_string()),
    })?;
    let ctx = Ctx::file(path, &source);
    let mut tariff = validate_tariff(Some(&raw.tariff), &ctx, span, notes)?;
    if let (None, Some(zone)) = (&raw.tariff.time_zone, zone) {
        let key = super::locate::KeyPath::default()
            .key("tariff")
            .key("time_zone");
        tariff.time_zone = time_zone(zone, &key, &ctx)?;
    }
    Ok(tariff)
}
