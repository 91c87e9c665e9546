//! The one error type of aisle-core.
//!
//! Each variant is a failure a user can act on, and its message says what went wrong and where
//! (which file, which line, which column), so that the CLI can print it as it is and the browser
//! can show it to the shopper or marketer without a stack trace.

/// Everything that can go wrong in aisle-core.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read at all (I/O failure, broken gzip stream, broken CSV framing).
    #[error("{source_name}: cannot read input: {message}")]
    Unreadable {
        /// The file (or other source) being read.
        source_name: String,
        /// What the reader reported.
        message: String,
    },
    /// A required column is absent from the header row.
    #[error("{source_name}: line 1: the header has no `{column}` column (it has: {found})")]
    MissingColumn {
        /// The file being read.
        source_name: String,
        /// The column that was looked for.
        column: String,
        /// The header as found, comma-separated.
        found: String,
    },
    /// Reading and cleaning left no order line to learn from.
    #[error("no usable order rows: {rows_read} rows read, none left after cleaning")]
    NoUsableRows {
        /// How many data rows were read before cleaning.
        rows_read: u64,
    },
    /// The bundle manifest is not an Aisle bundle this version can read.
    #[error(
        "bundle manifest: format `{format}` version {version} is not supported (this build reads `{expected_format}` versions {oldest_version} to {expected_version}; a newer bundle needs a newer page: reload it)"
    )]
    UnsupportedBundle {
        /// The manifest's `format` field.
        format: String,
        /// The manifest's `version` field.
        version: u32,
        /// The format this build reads.
        expected_format: String,
        /// The newest version this build reads.
        expected_version: u32,
        /// The oldest version this build reads.
        oldest_version: u32,
    },
    /// A bundle file's bytes do not hash to what the manifest says: it was changed or truncated.
    #[error(
        "bundle file `{file}`: sha256 is {actual}, the manifest says {expected} (the file was changed or truncated)"
    )]
    ChecksumMismatch {
        /// The file's name in the manifest.
        file: String,
        /// The digest the manifest lists.
        expected: String,
        /// The digest of the bytes received.
        actual: String,
    },
    /// A file the manifest lists was not supplied.
    #[error("bundle file `{file}` is listed in the manifest but was not found")]
    MissingBundleFile {
        /// The file's name in the manifest.
        file: String,
    },
    /// A bundle file (or the manifest) passed its checksum but does not decode.
    #[error("bundle file `{file}`: cannot decode: {message}")]
    BundleDecode {
        /// The file's name.
        file: String,
        /// What the decoder reported.
        message: String,
    },
    /// A model parameter is out of its range; the message says which and why.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name, as its setter is called.
        name: &'static str,
        /// What is wrong with the value given.
        reason: String,
    },
    /// Data given to a model cannot be used as it is; the message says what is wrong.
    #[error("invalid data: {reason}")]
    InvalidData {
        /// What is wrong with the data.
        reason: String,
    },
    /// An event cannot be recorded as given; the message names the kind and the field.
    #[error("{kind} event: {field} {reason}")]
    InvalidEvent {
        /// The event's kind (`purchase`).
        kind: &'static str,
        /// The field at fault (`price`).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Marketing copy templates that the store could not use.
    #[error("{source_name}: {at}: {message}")]
    Templates {
        /// The file (or other source) the templates came from.
        source_name: String,
        /// Where in it: `line 4, column 12`, or `the end` for a section that is missing.
        at: String,
        /// What is wrong there.
        message: String,
    },
    /// A report (`aisle_core::measure::report`) that is not one a store sends.
    #[error("{source_name}: line {line}: {message}")]
    Report {
        /// The file the reports came from.
        source_name: String,
        /// The line of the report, from 1.
        line: usize,
        /// What is wrong with it, with the column where the reader saw it.
        message: String,
    },
    /// Stored shopper data (the profile) is unreadable or from a newer schema.
    #[error("stored profile: {message}")]
    Profile {
        /// What is wrong with it.
        message: String,
    },
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Refuses a count parameter of 0.
pub(crate) fn ensure_at_least_one(name: &'static str, value: usize) -> Result<()> {
    if value == 0 {
        return Err(Error::InvalidParameter {
            name,
            reason: "must be at least 1".into(),
        });
    }
    Ok(())
}

/// Refuses a parameter that is not a finite number above 0.
pub(crate) fn ensure_positive(name: &'static str, value: f64) -> Result<()> {
    if !(value > 0.0 && value.is_finite()) {
        return Err(Error::InvalidParameter {
            name,
            reason: format!("must be a finite number > 0, not {value}"),
        });
    }
    Ok(())
}

/// Refuses a parameter that is not a finite number of at least 0.
pub(crate) fn ensure_non_negative(name: &'static str, value: f64) -> Result<()> {
    if !(value >= 0.0 && value.is_finite()) {
        return Err(Error::InvalidParameter {
            name,
            reason: format!("must be a finite number >= 0, not {value}"),
        });
    }
    Ok(())
}

/// Refuses a table with a NaN or infinite value, naming the first one's row and feature.
pub(crate) fn ensure_finite(table: ndarray::ArrayView2<f32>) -> Result<()> {
    match table.indexed_iter().find(|(_, value)| !value.is_finite()) {
        Some(((row, column), value)) => Err(Error::InvalidData {
            reason: format!("row {row}, feature {column} is {value}"),
        }),
        None => Ok(()),
    }
}
