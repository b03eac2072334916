//! Raw scenario structs that mirror the TOML file one-to-one (`deny_unknown_fields`, no
//! defaults applied, no checks). Validation turns them into the typed model.

pub use super::raw_dist::*;
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
    pub output: Option<RawOutput>,
}

/// `[output]`: the formats of the large tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutput {
    pub jobs: Option<String>,
    pub timeseries: Option<String>,
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
    pub duration: Option<RawDuration>,
    pub flops: Option<RawFlops>,
    pub mfu: Option<f64>,
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
    pub minimum_per_month: Option<f64>,
    pub minimum_per_year: Option<f64>,
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
    pub up_to_kwh_per_kw: Option<f64>,
    pub up_to_kwh_per_day: Option<f64>,
    pub up_to_kwh_per_kw_per_day: Option<f64>,
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
