//! Raw scenario structs that mirror the TOML file one-to-one (`deny_unknown_fields`, no
//! defaults applied, no checks). Validation turns them into the typed model.

pub use super::raw_policy::*;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub simulation: RawSimulation,
    #[serde(default)]
    pub devices: BTreeMap<String, RawDevice>,
    #[serde(default)]
    pub pools: Vec<RawPool>,
    #[serde(default)]
    pub jobs: Vec<RawJob>,
    #[serde(default)]
    pub workloads: Vec<RawWorkload>,
    pub facility: Option<RawFacility>,
    pub tariff: Option<RawTariff>,
    pub carbon: Option<RawCarbon>,
    /// Read by `wattsim sweep` (see `scenario::sweep`); a plain run uses the base values.
    pub sweep: Option<toml::Table>,
    /// Read by `wattsim plan` (see `scenario::plan`); a plain run uses the base values.
    pub plan: Option<toml::Table>,
    #[serde(default)]
    pub traces: Vec<RawTrace>,
    #[serde(default)]
    pub services: Vec<RawService>,
    pub scheduler: Option<RawScheduler>,
    pub power: Option<RawPower>,
    pub costs: Option<super::raw_policy::RawCosts>,
}

/// `[[services]]`: an inference service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub name: Option<String>,
    pub pool: Option<String>,
    pub devices_per_replica: Option<i64>,
    pub capacity_rps: f64,
    pub load_rps: Option<Vec<f64>>,
    pub load: Option<RawSeriesRef>,
    pub time_zone: Option<String>,
    pub replicas: Option<i64>,
    pub min_replicas: Option<i64>,
    pub max_replicas: Option<i64>,
    pub target_utilization: Option<f64>,
    pub tenant: Option<String>,
}

/// `[[traces]]`: a job trace replayed from CSV.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrace {
    pub name: Option<String>,
    pub file: String,
    pub format: Option<String>,
    pub submit_column: Option<String>,
    pub devices_column: Option<String>,
    pub devices_scale: Option<f64>,
    pub instances_column: Option<String>,
    pub share_column: Option<String>,
    pub share_scale: Option<f64>,
    pub duration_column: Option<String>,
    pub end_column: Option<String>,
    pub time_unit: Option<String>,
    pub duration_unit: Option<String>,
    pub shift: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
    pub min_devices: Option<i64>,
    pub utilization: Option<f64>,
    pub utilization_column: Option<String>,
    pub utilization_scale: Option<f64>,
    pub tenant_column: Option<String>,
    pub pool: Option<String>,
    pub reference_device: Option<String>,
    pub relative_throughput: Option<BTreeMap<String, f64>>,
    pub on_bad_row: Option<String>,
    pub sort: Option<bool>,
    pub jobs_file: Option<String>,
    pub walltime_column: Option<String>,
    pub walltime: Option<StringOr<RawWalltimeTable>>,
    pub deadline: Option<StringOr<RawSlack>>,
    pub priority: Option<i64>,
}

/// `[simulation]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub start: String,
    pub horizon: String,
    pub seed: Option<u64>,
    pub output_interval: Option<String>,
    pub warmup: Option<String>,
}

/// `[devices.ID]`: a custom device or an override of a catalog entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDevice {
    pub based_on: Option<String>,
    pub idle_w: Option<f64>,
    pub max_w: Option<f64>,
    pub peak_tflops: Option<f64>,
    pub memory_gb: Option<f64>,
    pub power_curve: Option<RawPowerCurve>,
    pub embodied_kg: Option<f64>,
    pub lifetime_years: Option<f64>,
    pub relative_throughput: Option<f64>,
}

/// `power_curve = { kind = … }`.
#[derive(Debug, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    deny_unknown_fields,
    expecting = "a power curve: { kind = \"linear\" }, { kind = \"power_law\", exponent = 1.5 } or { kind = \"table\", points = [[0.0, 60.0], [1.0, 400.0]] }"
)]
pub enum RawPowerCurve {
    Linear {},
    PowerLaw { exponent: f64 },
    Table { points: Vec<[f64; 2]> },
}

/// `[[pools]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPool {
    pub name: Option<String>,
    pub device: String,
    pub nodes: i64,
    pub devices_per_node: Option<i64>,
    pub host: Option<String>,
    pub host_idle_w: Option<f64>,
    pub host_max_w: Option<f64>,
    pub host_embodied_kg: Option<f64>,
    pub host_lifetime_years: Option<f64>,
    pub power_cap_w: Option<f64>,
    pub cap_throughput: Option<Vec<[f64; 2]>>,
    pub device_price: Option<f64>,
    pub node_price: Option<f64>,
    pub network_price_per_node: Option<f64>,
    pub from: Option<String>,
    pub until: Option<String>,
}

/// `[[jobs]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJob {
    pub name: Option<String>,
    pub submit: Option<String>,
    pub devices: i64,
    pub device_share: Option<f64>,
    pub duration: Option<String>,
    pub reference_device: Option<String>,
    pub flops: Option<f64>,
    pub mfu: Option<f64>,
    pub relative_throughput: Option<BTreeMap<String, f64>>,
    pub utilization: Option<f64>,
    pub pool: Option<String>,
    pub tenant: Option<String>,
    pub load_profile: Option<RawLoadProfile>,
    pub walltime: Option<StringOr<RawWalltimeTable>>,
    pub deadline: Option<StringOr<RawSlack>>,
    pub priority: Option<i64>,
}

/// `load_profile = { phases = [...], cycle = [...] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoadProfile {
    pub phases: Option<Vec<RawPhase>>,
    pub cycle: Option<Vec<RawPhase>>,
}

/// `{ duration = "2min", utilization = 0.15 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    pub duration: String,
    pub utilization: f64,
}

/// `[[workloads]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    pub name: Option<String>,
    pub arrival: RawArrival,
    pub devices: RawDeviceCount,
    pub duration: RawDuration,
    pub utilization: Option<RawUtilization>,
    pub max_jobs: Option<i64>,
    pub pool: Option<String>,
    pub reference_device: Option<String>,
    pub relative_throughput: Option<BTreeMap<String, f64>>,
    pub tenant: Option<String>,
    pub batch: Option<RawDeviceCount>,
    pub load_profile: Option<RawLoadProfile>,
    pub walltime: Option<StringOr<RawWalltimeTable>>,
    pub deadline: Option<StringOr<RawSlack>>,
    pub priority: Option<i64>,
}

/// `arrival = { process = … }`.
#[derive(Debug, Deserialize)]
#[serde(
    tag = "process",
    rename_all = "snake_case",
    deny_unknown_fields,
    expecting = "an arrival process, e.g. { process = \"poisson\", rate_per_hour = 30.0 } or { process = \"profile\", rate_per_hour = 30.0, hourly = [...24 factors], weekly = [...7 factors] } or { process = \"mmpp\", quiet_rate_per_hour = 2.0, busy_rate_per_hour = 60.0, mean_quiet = \"6h\", mean_busy = \"30min\" }"
)]
pub enum RawArrival {
    Poisson {
        rate_per_hour: f64,
        growth_per_month: Option<f64>,
    },
    Profile {
        rate_per_hour: f64,
        hourly: Option<Vec<f64>>,
        weekly: Option<Vec<f64>>,
        time_zone: Option<String>,
        growth_per_month: Option<f64>,
    },
    Mmpp {
        quiet_rate_per_hour: f64,
        busy_rate_per_hour: f64,
        mean_quiet: String,
        mean_busy: String,
        growth_per_month: Option<f64>,
    },
}

/// `devices = 8` or `devices = { values = […], weights = […] }`.
#[derive(Debug)]
pub enum RawDeviceCount {
    Fixed(i64),
    Weighted(RawWeighted<i64>),
}

impl<'de> Deserialize<'de> for RawDeviceCount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const EXPECTING: &str = "a device count: an integer such as 8, or { values = [1, 2, 4, 8], weights = [0.5, 0.2, 0.2, 0.1] }";
        match NumberOrTable::deserialize(d, EXPECTING)? {
            NumberOrTable::Integer(n) => Ok(RawDeviceCount::Fixed(n)),
            NumberOrTable::Float(x) => Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Float(x),
                &EXPECTING,
            )),
            NumberOrTable::Table(t) => Ok(RawDeviceCount::Weighted(t)),
        }
    }
}

/// A value that is a number or a table. Read by hand rather than as an untagged enum so
/// that a table with an unknown or missing key is reported as such (an untagged enum would
/// only say that nothing matched).
enum NumberOrTable<T> {
    Integer(i64),
    Float(f64),
    Table(T),
}

impl<'de, T: Deserialize<'de>> NumberOrTable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(
        d: D,
        expecting: &'static str,
    ) -> Result<Self, D::Error> {
        struct Visit<T>(&'static str, std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = NumberOrTable<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(self.0)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(NumberOrTable::Integer(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(NumberOrTable::Integer)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(NumberOrTable::Float(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(NumberOrTable::Table)
            }
        }
        d.deserialize_any(Visit(expecting, std::marker::PhantomData))
    }
}

/// The weighted form of a device count or a utilisation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeighted<T> {
    pub values: Vec<T>,
    pub weights: Vec<f64>,
}

/// A workload's `utilization`: `0.8`, `{ values = […], weights = […] }` or
/// `{ distribution = … }` (which keys go with which form is checked by the validator).
#[derive(Debug)]
pub enum RawUtilization {
    Fixed(f64),
    Table(Box<RawUtilizationTable>),
}

impl<'de> Deserialize<'de> for RawUtilization {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expecting = "a utilisation: a number in 0..1 such as 0.8, or a table such as { values = [0.3, 0.95], weights = [1.0, 3.0] } or { distribution = \"uniform\", low = 0.5, high = 1.0 }";
        Ok(match NumberOrTable::deserialize(d, expecting)? {
            NumberOrTable::Integer(n) => RawUtilization::Fixed(n as f64),
            NumberOrTable::Float(x) => RawUtilization::Fixed(x),
            NumberOrTable::Table(t) => RawUtilization::Table(Box::new(t)),
        })
    }
}

/// The table forms of `utilization`: weighted `values`, or a `distribution` (`uniform` with
/// `low`/`high`; `empirical` with `file`, `column`, `scale`; `cdf` with `file`,
/// `value_column`, `cdf_column`, `scale`).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawUtilizationTable {
    pub values: Option<Vec<f64>>,
    pub weights: Option<Vec<f64>>,
    pub distribution: Option<String>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub file: Option<String>,
    pub column: Option<String>,
    pub value_column: Option<String>,
    pub cdf_column: Option<String>,
    pub scale: Option<f64>,
}

/// `duration = { distribution = … }`.
#[derive(Debug, Deserialize)]
#[serde(
    tag = "distribution",
    rename_all = "snake_case",
    deny_unknown_fields,
    expecting = "a duration distribution, e.g. { distribution = \"exponential\", mean = \"2h\" }, { distribution = \"lognormal\", median = \"1h\", sigma = 1.0 } or { distribution = \"fixed\", value = \"30min\" }"
)]
pub enum RawDuration {
    Exponential {
        mean: String,
    },
    Lognormal {
        median: String,
        sigma: f64,
    },
    Fixed {
        value: String,
    },
    Weibull {
        shape: f64,
        scale: String,
    },
    Empirical {
        file: String,
        column: Option<String>,
        unit: Option<String>,
    },
}

/// `[facility]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFacility {
    pub pue: Option<f64>,
    pub pue_curve: Option<Vec<[f64; 2]>>,
    pub cooling: Option<String>,
    pub weather: Option<RawSeriesRef>,
    pub wue_l_per_kwh: Option<f64>,
    pub ups_loss_fraction: Option<f64>,
    pub fan_fraction: Option<f64>,
    pub economizer_max_c: Option<f64>,
    pub economizer_band_c: Option<f64>,
    pub cop_rated: Option<f64>,
    pub cop_rated_c: Option<f64>,
    pub cop_slope_per_c: Option<f64>,
    pub cop_min: Option<f64>,
    pub fixed_kw: Option<f64>,
    pub wue_mechanical_l_per_kwh: Option<f64>,
    pub wue_free_l_per_kwh: Option<f64>,
}

/// A time series in a data file: `{ file = "…", time_column = "…", value_column = "…", … }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeriesRef {
    pub file: String,
    pub format: Option<String>,
    pub time_column: Option<String>,
    pub value_column: Option<String>,
    pub unit: Option<String>,
    pub repeat: Option<String>,
    pub gaps: Option<String>,
    pub time_zone: Option<String>,
}

/// `[tariff]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTariff {
    pub price_per_kwh: Option<f64>,
    pub currency: Option<String>,
    pub time_zone: Option<String>,
    pub urdb: Option<String>,
    pub periods: Option<Vec<RawPeriod>>,
    pub prices: Option<RawPriceSeries>,
    pub demand: Option<Vec<RawDemand>>,
    pub demand_interval: Option<String>,
    pub fixed_per_month: Option<f64>,
    pub fixed_per_day: Option<f64>,
    pub tax_percent: Option<f64>,
    pub escalation_percent_per_year: Option<f64>,
}

/// `[[tariff.periods]]`: a time-of-use period.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub name: String,
    pub price_per_kwh: Option<f64>,
    pub tiers: Option<Vec<RawEnergyTier>>,
    pub months: Option<Vec<i64>>,
    pub days: Option<String>,
    pub hours: Option<Vec<[i64; 2]>>,
}

/// A monthly energy tier.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnergyTier {
    pub up_to_kwh: Option<f64>,
    pub price_per_kwh: f64,
}

/// `[tariff.prices]`: a real-time or day-ahead price series.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPriceSeries {
    pub file: String,
    pub time_column: Option<String>,
    pub price_column: Option<String>,
    pub unit: Option<String>,
    pub adder_per_kwh: Option<f64>,
}

/// `[[tariff.demand]]`: a demand charge.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    pub name: Option<String>,
    pub price_per_kw: Option<f64>,
    pub tiers: Option<Vec<RawDemandTier>>,
    pub periods: Option<Vec<String>>,
    pub months: Option<Vec<i64>>,
    pub ratchet: Option<RawRatchet>,
}

/// A demand tier.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDemandTier {
    pub up_to_kw: Option<f64>,
    pub price_per_kw: f64,
}

/// `ratchet = { share = 0.8, months = 11 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRatchet {
    pub share: f64,
    pub months: i64,
}

/// A stand-alone tariff file for `wattsim bill`: the scenario's `[tariff]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTariffFile {
    pub tariff: RawTariff,
}

/// `[carbon]`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCarbon {
    pub intensity_g_per_kwh: Option<f64>,
    pub intensity: Option<RawSeriesRef>,
    pub marginal_g_per_kwh: Option<f64>,
    pub marginal: Option<RawSeriesRef>,
    pub certificates_mwh_per_year: Option<f64>,
    pub ppa: Option<RawSeriesRef>,
    pub residual_g_per_kwh: Option<f64>,
    pub decline_percent_per_year: Option<f64>,
}
