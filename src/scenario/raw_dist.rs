//! The TOML schema of the distributions a generated job is drawn from: device counts,
//! utilisations, durations and FLOP counts (a number or a table, read by hand so that a
//! table's unknown or missing key is named).

use serde::Deserialize;

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

/// A workload's `flops`: a FLOP count per job, `3.1e21`, or `{ distribution = … }` over FLOP
/// counts (the forms of `duration`, with numbers in place of durations).
#[derive(Debug)]
pub enum RawFlops {
    Fixed(f64),
    Table(RawFlopsTable),
}

impl<'de> Deserialize<'de> for RawFlops {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expecting = "a FLOP count per job such as 3.1e21, or a table such as { distribution = \"lognormal\", median = 1e21, sigma = 1.0 }";
        Ok(match NumberOrTable::deserialize(d, expecting)? {
            NumberOrTable::Integer(n) => RawFlops::Fixed(n as f64),
            NumberOrTable::Float(x) => RawFlops::Fixed(x),
            NumberOrTable::Table(t) => RawFlops::Table(t),
        })
    }
}

/// `flops = { distribution = … }`.
#[derive(Debug, Deserialize)]
#[serde(
    tag = "distribution",
    rename_all = "snake_case",
    deny_unknown_fields,
    expecting = "a FLOP-count distribution, e.g. { distribution = \"exponential\", mean = 1e21 }, \"lognormal\" (median, sigma), \"weibull\" (shape, scale) or \"fixed\" (value)"
)]
pub enum RawFlopsTable {
    Exponential { mean: f64 },
    Lognormal { median: f64, sigma: f64 },
    Fixed { value: f64 },
    Weibull { shape: f64, scale: f64 },
}
