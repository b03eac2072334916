//! Raw `[scheduler]` and job-terms structs (`walltime`, `deadline`, `priority` of jobs,
//! workloads and traces), mirroring the TOML one-to-one like `raw`; forms that are a string or
//! a table are read by hand so that a table with a wrong key is reported as such.

use super::raw::RawDuration;
use serde::Deserialize;

/// `[scheduler]`: the scheduling policy and its settings.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawScheduler {
    #[serde(default)]
    pub policy: crate::scheduler::Policy,
    pub runtime_estimate: Option<StringOr<RawFactor>>,
    pub backfill_depth: Option<i64>,
    pub priority_age_per_hour: Option<f64>,
    pub shift: Option<RawShift>,
    #[serde(default)]
    pub quotas: Vec<RawQuota>,
}

/// `{ factor = 1.5 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFactor {
    pub factor: f64,
}

/// `shift = { signal = "carbon", forecast = "perfect" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    pub signal: String,
    pub forecast: Option<StringOr<RawNoisy>>,
}

/// `forecast = { error = 0.15, seed = 3 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNoisy {
    pub error: f64,
    pub seed: Option<u64>,
}

/// `[[scheduler.quotas]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuota {
    pub tenant: String,
    pub max_devices: i64,
}

/// `deadline = { slack = "12h", share = 0.3 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSlack {
    pub slack: String,
    pub share: Option<f64>,
}

/// The table forms of `walltime`: `{ factor = F }` or a duration distribution.
#[derive(Debug)]
pub enum RawWalltimeTable {
    Factor(RawFactor),
    Dist(RawDuration),
}

impl<'de> Deserialize<'de> for RawWalltimeTable {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let table = toml::Table::deserialize(d)?;
        let value = toml::Value::Table(table);
        let factor = value.as_table().is_some_and(|t| t.contains_key("factor"));
        let parsed = if factor {
            value.try_into().map(RawWalltimeTable::Factor)
        } else {
            value.try_into().map(RawWalltimeTable::Dist)
        };
        parsed.map_err(|e| serde::de::Error::custom(e.message()))
    }
}

/// A value written as a string (a name or a duration) or as a table `T`.
#[derive(Debug)]
pub enum StringOr<T> {
    Text(String),
    Table(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for StringOr<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = StringOr<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a table")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StringOr::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(StringOr::Table)
            }
        }
        d.deserialize_any(Visit(std::marker::PhantomData))
    }
}

/// `[power]`: a power budget, peak shaving and idle node power-down.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPower {
    pub budget_kw: Option<f64>,
    pub budget_on: Option<String>,
    pub budget_action: Option<String>,
    pub budget: Option<super::raw::RawSeriesRef>,
    pub cap_floor: Option<f64>,
    pub peak_shaving: Option<RawPeakShaving>,
    pub idle_power_down: Option<RawPowerDown>,
}

/// `peak_shaving = { target_kw = 700.0 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeakShaving {
    pub target_kw: f64,
    pub cap: Option<bool>,
    pub enabled: Option<bool>,
}

/// `idle_power_down = { after = "30min", off_w = 20.0, boot = "5min", boot_w = 1500.0,
/// keep_on = 2 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPowerDown {
    pub after: String,
    pub off_w: f64,
    pub boot: String,
    pub boot_w: f64,
    pub keep_on: Option<i64>,
    pub pools: Option<Vec<String>>,
}

/// `[costs]`: what the hardware costs to own beside the energy bill.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    pub amortization_years: Option<f64>,
    pub interest_rate_percent: Option<f64>,
    pub maintenance_percent_per_year: Option<f64>,
    pub hosting_per_kw_month: Option<f64>,
    pub other_per_month: Option<f64>,
}
