//! Reading pre-split interaction files: `user, item[, rating[, timestamp]]` per line.
//!
//! The common exchange format of recommender data sets. The delimiter (comma, tab or semicolon)
//! is detected from the first line; a header is recognised when its first two fields name a
//! user and an item. Each kept row becomes a one-unit purchase ([`OrderLine::purchase`]), so
//! every model and the evaluation read these files exactly as they read order logs.
//!
//! ```
//! use aisle_core::input::interaction_file::read_interactions;
//! let text = "user\titem\trating\n1\t10\t5\n1\t11\t2\n";
//! let lines = read_interactions(text.as_bytes(), "ratings.tsv", Some(4.0)).unwrap();
//! assert_eq!(lines.len(), 1); // the rating-2 row is below --min-rating 4
//! assert_eq!(&*lines[0].item, "10");
//! ```

use std::io::Read;

use crate::error::{Error, Result};
use crate::input::csv_rows::CsvRows;
use crate::input::fields::{decode_text, parse_timestamp};
use crate::input::orders::OrderLine;

/// Reads every row; with `min_rating`, keeps rows whose rating is at least that. A row that
/// cannot be read is an error naming its line and column: pre-split evaluation files are
/// machine-written, so a bad row means a wrong file, not noise to skip.
pub fn read_interactions<R: Read>(
    input: R,
    source_name: &str,
    min_rating: Option<f64>,
) -> Result<Vec<OrderLine>> {
    let unreadable = |error: std::io::Error| Error::Unreadable {
        source_name: source_name.to_owned(),
        message: error.to_string(),
    };
    let mut rows = CsvRows::new(input, b',');
    let head = rows.head().map_err(unreadable)?;
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',');
    rows.set_delimiter(delimiter);
    let bad = |line: u64, column: &str, message: String| Error::Unreadable {
        source_name: source_name.to_owned(),
        message: format!("line {line}, column `{column}`: {message}"),
    };
    let mut lines = Vec::new();
    let mut first = true;
    while let Some(row) = rows.next_row().map_err(unreadable)? {
        let line = row.line;
        let field = |index: usize| {
            row.get(index)
                .map(decode_text)
                .map(|text| text.trim().to_owned())
        };
        if std::mem::take(&mut first)
            && is_header(&field(0).unwrap_or_default(), &field(1).unwrap_or_default())
        {
            continue;
        }
        let (Some(user), Some(item)) = (
            field(0).filter(|f| !f.is_empty()),
            field(1).filter(|f| !f.is_empty()),
        ) else {
            return Err(bad(line, "item", "a row needs a user and an item".into()));
        };
        let rating = match field(2).filter(|f| !f.is_empty()) {
            Some(text) => Some(
                text.parse::<f64>()
                    .map_err(|_| bad(line, "rating", format!("`{text}` is not a number")))?,
            ),
            None => None,
        };
        if let Some(minimum) = min_rating {
            match rating {
                Some(rating) if rating < minimum => continue,
                Some(_) => {}
                None => {
                    return Err(bad(
                        line,
                        "rating",
                        "--min-rating needs a rating on every row".into(),
                    ));
                }
            }
        }
        let timestamp = match field(3).filter(|f| !f.is_empty()) {
            Some(text) => text
                .parse::<i64>()
                .ok()
                .or_else(|| parse_timestamp(&text))
                .ok_or_else(|| {
                    bad(
                        line,
                        "timestamp",
                        format!("`{text}` is neither seconds since 1970 nor a date"),
                    )
                })?,
            None => 0,
        };
        lines.push(OrderLine::purchase(&user, &item, timestamp));
    }
    Ok(lines)
}

fn is_header(first: &str, second: &str) -> bool {
    let names =
        |text: &str, words: &[&str]| words.iter().any(|word| text.to_lowercase().contains(word));
    names(first, &["user", "customer", "client"])
        && names(second, &["item", "product", "movie", "sku", "article"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_headers_and_timestamps() {
        let comma = read_interactions("7,A,4.5,100\n8,B\n".as_bytes(), "x.csv", None).unwrap();
        assert_eq!(comma.len(), 2);
        assert_eq!(
            (comma[0].customer.as_deref(), comma[0].timestamp),
            (Some("7"), 100)
        );
        let semicolon = read_interactions(
            "UserId;ItemId;Rating;Timestamp\n1;2;3;2011-01-01\n".as_bytes(),
            "x.csv",
            None,
        )
        .unwrap();
        assert_eq!(semicolon.len(), 1);
        assert_eq!(semicolon[0].timestamp, 1_293_840_000);
    }

    #[test]
    fn bad_rows_name_their_line_and_column() {
        let error = read_interactions("1,2,five\n".as_bytes(), "r.csv", None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "r.csv: cannot read input: line 1, column `rating`: `five` is not a number"
        );
        let error = read_interactions("1,2\n".as_bytes(), "r.csv", Some(3.0)).unwrap_err();
        assert!(error.to_string().contains("--min-rating needs a rating"));
        let error = read_interactions("1\n".as_bytes(), "r.csv", None).unwrap_err();
        assert!(error.to_string().contains("line 1, column `item`"));
        let crlf = "user,item\r\n1,2\r\n3\r\n".as_bytes();
        let error = read_interactions(crlf, "r.csv", None).unwrap_err();
        assert!(
            error.to_string().contains("line 3, column `item`"),
            "{error}"
        );
    }
}
