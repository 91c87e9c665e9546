//! Opening a CSV file of any kind (orders, products): plain or gzip, comma-, semicolon- or
//! tab-separated, its header read, its rows ([`CsvRows`]) each with the line a person sees in
//! an editor.

use std::io::{BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;

use crate::error::{Error, Result};
use crate::input::csv_rows::CsvRows;
use crate::input::fields::decode_text;

/// Wraps `input` in a gzip decoder when it starts with the gzip magic bytes, so callers can pass
/// `.csv` and `.csv.gz` alike.
pub fn decompress_if_gzip<'a, R: BufRead + 'a>(mut input: R) -> Result<Box<dyn BufRead + 'a>> {
    let head = input.fill_buf().map_err(|error| Error::Unreadable {
        source_name: String::new(),
        message: error.to_string(),
    })?;
    Ok(if is_gzip(head) {
        Box::new(BufReader::new(MultiGzDecoder::new(input)))
    } else {
        Box::new(input)
    })
}

/// Whether a file starting with `head` is gzip-compressed (its magic bytes).
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// A header name as [`crate::input::orders::ColumnMap`] compares it: no BOM, spaces or underscores, lower case.
pub fn comparable_name(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads just the header row of a CSV file (plain or gzip), for choosing a [`crate::input::orders::ColumnMap`].
pub fn read_header<R: Read>(input: R, source_name: &str) -> Result<Vec<String>> {
    open_csv(input, source_name).map(|file| file.header)
}

/// An order or product file opened by [`open_csv`].
pub(crate) struct CsvFile<'a> {
    /// Its rows after the header (of any length).
    pub(crate) rows: CsvRows<Box<dyn BufRead + 'a>>,
    /// The header's names, decoded.
    pub(crate) header: Vec<String>,
}

/// Opens `input` (plain or gzip CSV) and reads its header row.
pub(crate) fn open_csv<'a, R: Read + 'a>(input: R, source_name: &str) -> Result<CsvFile<'a>> {
    let input = decompress_if_gzip(BufReader::new(input)).map_err(|error| match error {
        Error::Unreadable { message, .. } => unreadable(source_name, message),
        other => other,
    })?;
    let failed = |error: std::io::Error| unreadable(source_name, error.to_string());
    let mut rows = CsvRows::new(input, b',');
    let delimiter = sniff_delimiter(rows.head().map_err(failed)?);
    rows.set_delimiter(delimiter);
    let header = match rows.next_row().map_err(failed)? {
        Some(row) => row
            .cells()
            .map(|name| decode_text(name).into_owned())
            .collect(),
        None => Vec::new(),
    };
    Ok(CsvFile { rows, header })
}

/// The file's field separator, from its header line: a comma, or the semicolon or tab that
/// European spreadsheet exports use (whichever appears most outside quotes; a comma on a tie).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in head {
        match byte {
            b'\n' if !quoted => break,
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let best = (0..3)
        .max_by_key(|&at| (counts[at], std::cmp::Reverse(at)))
        .unwrap_or(0);
    candidates[best]
}

/// The error for a file that cannot be read at all.
pub(crate) fn unreadable(source_name: &str, message: String) -> Error {
    Error::Unreadable {
        source_name: source_name.to_owned(),
        message,
    }
}
