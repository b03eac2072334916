//! Which format a run's per-job and per-interval tables are written in: CSV (the default),
//! Parquet, or not at all (`--jobs`, `--timeseries`, `[output]`).

#[cfg(doc)]
use super::files;
use clap::ValueEnum;
use std::fmt;

/// The format of a table that can be large (`jobs`, `timeseries`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Comma-separated text with a header row; instants in RFC 3339 UTC.
    #[default]
    Csv,
    /// Apache Parquet: typed columns (UTC millisecond timestamps, INT64, DOUBLE, dictionary
    /// strings), Snappy-compressed, in row groups of 65,536 rows.
    Parquet,
    /// Not written (the summary, bill, tenants and charts are unchanged).
    None,
}

impl TableFormat {
    /// The format named `name` (`csv`, `parquet`, `none`; the names the command line takes).
    pub fn parse(name: &str) -> Option<TableFormat> {
        <Self as ValueEnum>::from_str(name, false).ok()
    }

    /// Every format's name, as written in a scenario or on the command line.
    pub fn names() -> Vec<String> {
        Self::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect()
    }

    /// The file name of a table in this format, out of its CSV and Parquet names (e.g.
    /// [`files::JOBS`], [`files::JOBS_PARQUET`]); `None` when the table is not written.
    pub fn file_name(self, csv: &'static str, parquet: &'static str) -> Option<&'static str> {
        match self {
            TableFormat::Csv => Some(csv),
            TableFormat::Parquet => Some(parquet),
            TableFormat::None => None,
        }
    }
}

impl fmt::Display for TableFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_possible_value() {
            Some(v) => f.write_str(v.get_name()),
            None => Ok(()),
        }
    }
}

/// The formats of a run's large tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputFormats {
    /// `jobs.csv` / `jobs.parquet`.
    pub jobs: TableFormat,
    /// `timeseries.csv` / `timeseries.parquet`.
    pub timeseries: TableFormat,
}

#[cfg(test)]
mod tests {
    use super::super::files;
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(TableFormat::names(), ["csv", "parquet", "none"]);
        for name in TableFormat::names() {
            let f = TableFormat::parse(&name).unwrap();
            assert_eq!(f.to_string(), name);
        }
        assert_eq!(TableFormat::parse("CSV"), None);
        let jobs = |f: TableFormat| f.file_name(files::JOBS, files::JOBS_PARQUET);
        assert_eq!(jobs(TableFormat::Parquet), Some("jobs.parquet"));
        assert_eq!(jobs(TableFormat::None), None);
    }
}
