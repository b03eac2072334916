//! Errors of the readers of outside formats: each names the data file, the line or row where
//! known, the field and the value, and says how to fix it.

use std::path::PathBuf;

/// A bad field or row in a data file.
#[derive(Debug, Clone, PartialEq)]
pub struct DataProblem {
    /// The data file.
    pub path: PathBuf,
    /// Line (CSV row line, JSON line) where known.
    pub line: Option<u64>,
    /// Column or field name.
    pub field: String,
    /// The offending value.
    pub value: String,
    /// What is wrong.
    pub problem: String,
    /// How to fix it.
    pub hint: String,
}

/// Why a data file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A data file named by the scenario (CSV, URDB JSON) could not be read.
    #[error(
        "cannot read data file `{path}`: {source}; check the path (relative paths start at the scenario's folder)"
    )]
    ReadData {
        /// File path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A data file the scenario names (CSV series, URDB JSON) has a bad field or row.
    #[error("{}", render_data(problem))]
    Data {
        /// What is wrong, and where.
        problem: Box<DataProblem>,
    },
}

fn render_data(d: &DataProblem) -> String {
    let place = match d.line {
        Some(line) => format!("{}:{line}", d.path.display()),
        None => d.path.display().to_string(),
    };
    format!(
        "{place}: `{}` = {}: {}\n  hint: {}",
        d.field, d.value, d.problem, d.hint
    )
}

/// Builds an [`InputError::Data`], as that or as any error it converts into (a scenario
/// error, for validators).
pub fn data_error<E: From<InputError>>(
    path: &std::path::Path,
    line: Option<u64>,
    field: impl Into<String>,
    value: impl std::fmt::Display,
    problem: impl Into<String>,
    hint: impl Into<String>,
) -> E {
    E::from(InputError::Data {
        problem: Box::new(DataProblem {
            path: path.to_path_buf(),
            line,
            field: field.into(),
            value: value.to_string(),
            problem: problem.into(),
            hint: hint.into(),
        }),
    })
}

/// Opens a data file for reading, refusing anything but a regular file: a folder, a device or
/// a pipe would read as garbage or never end.
pub fn open_data(path: &std::path::Path) -> Result<std::fs::File, InputError> {
    let read_error = |source| InputError::ReadData {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "it is a folder"
        } else {
            "it is not a regular file (a device, pipe or socket)"
        };
        return Err(read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{what}; name a data file"),
        )));
    }
    std::fs::File::open(path).map_err(read_error)
}

/// Reads a whole data file as text (a regular file only, see [`open_data`]).
pub fn read_data_text(path: &std::path::Path) -> Result<String, InputError> {
    use std::io::Read;
    let mut text = String::new();
    open_data(path)?
        .read_to_string(&mut text)
        .map_err(|source| InputError::ReadData {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(text)
}
