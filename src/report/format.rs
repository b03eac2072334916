//! Which format a run's per-job and per-interval tables are written in: CSV (the default),
//! Parquet, or not at all (`--jobs`, `--timeseries`, `[output]`).

use std::fmt;

/// The format of a table that can be large (`jobs`, `timeseries`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
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
    /// Every format's name, as written in a scenario or on the command line.
    pub const NAMES: &[&str] = &["csv", "parquet", "none"];

    /// The format named `name` (`csv`, `parquet`, `none`).
    pub fn parse(name: &str) -> Option<TableFormat> {
        match name {
            "csv" => Some(TableFormat::Csv),
            "parquet" => Some(TableFormat::Parquet),
            "none" => Some(TableFormat::None),
            _ => None,
        }
    }

    /// The file name of table `stem` in this format (`jobs.csv`, `jobs.parquet`); `None` when
    /// the table is not written.
    pub fn file_name(self, stem: &str) -> Option<String> {
        match self {
            TableFormat::Csv => Some(format!("{stem}.csv")),
            TableFormat::Parquet => Some(format!("{stem}.parquet")),
            TableFormat::None => None,
        }
    }
}

impl fmt::Display for TableFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TableFormat::Csv => "csv",
            TableFormat::Parquet => "parquet",
            TableFormat::None => "none",
        })
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
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in TableFormat::NAMES {
            let f = TableFormat::parse(name).unwrap();
            assert_eq!(f.to_string(), *name);
        }
        assert_eq!(TableFormat::parse("CSV"), None);
        assert_eq!(
            TableFormat::Parquet.file_name("jobs").as_deref(),
            Some("jobs.parquet")
        );
        assert_eq!(TableFormat::None.file_name("jobs"), None);
    }
}
