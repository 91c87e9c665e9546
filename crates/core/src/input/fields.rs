//! Field-level format unification: the small parsers that turn the text of one CSV cell into a
//! typed value, forgiving the ways real exports write the same thing.
//!
//! ```
//! use aisle_core::input::fields::{parse_id, parse_price, parse_timestamp};
//! assert_eq!(parse_id("17850.0"), Some("17850"));
//! assert_eq!(parse_price("£2.55"), Some(2.55));
//! assert_eq!(parse_timestamp("2010-12-01 08:26:00"), Some(1_291_191_960));
//! ```

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

/// Timestamp layouts seen in order exports, tried in order. The Online Retail CSV uses the first;
/// the UCI spreadsheet export the `m/d/Y H:M` one.
const TIMESTAMP_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
];

/// Parses a timestamp in one of the common export layouts into seconds since the Unix epoch. A
/// date alone (`2011-11-01`) means its midnight.
///
/// Exports carry the shop's local time without a zone; it is read as UTC so that day boundaries
/// (such as the evaluation cut-off) stay where the shop put them.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = trim_cell(text);
    if is_canonical_timestamp(text) {
        // The common layout, without chrono's format interpreter: a third of reading time.
        let number = |range: std::ops::Range<usize>| {
            text.as_bytes()[range]
                .iter()
                .fold(0u32, |value, digit| value * 10 + u32::from(digit - b'0'))
        };
        let moment = NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))?
            .and_hms_opt(number(11..13), number(14..16), number(17..19))?;
        return Some(moment.and_utc().timestamp());
    }
    TIMESTAMP_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })
        .map(|moment| moment.and_utc().timestamp())
}

/// The calendar date (`YYYY-MM-DD`) of `seconds` since the epoch, read as UTC like
/// [`parse_timestamp`] writes it; out-of-range times give an empty string.
///
/// ```
/// use aisle_core::input::fields::format_date;
/// assert_eq!(format_date(1_291_191_960), "2010-12-01");
/// ```
pub fn format_date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|moment| moment.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// True for `YYYY-MM-DD HH:MM:SS` (digits and separators only; the calendar is checked when
/// parsing), the layout every other one is unified into.
pub fn is_canonical_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 19
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            10 => *byte == b' ',
            13 | 16 => *byte == b':',
            _ => byte.is_ascii_digit(),
        })
}

/// Normalises an identifier: trims it and writes integral floats (`17850.0`, spreadsheets' habit)
/// as integers. Returns `None` for an empty cell. Borrows from `text`: the normal form is
/// always a part of it.
pub fn parse_id(text: &str) -> Option<&str> {
    let text = trim_cell(text);
    if text.is_empty() {
        return None;
    }
    match text.split_once('.') {
        Some((whole, fraction))
            if !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.bytes().all(|b| b == b'0') =>
        {
            Some(whole)
        }
        _ => Some(text),
    }
}

/// Parses a price, ignoring a currency sign and surrounding space. A decimal comma is accepted
/// when it is the only separator (`2,55`).
pub fn parse_price(text: &str) -> Option<f64> {
    parse_price_with_form(text).map(|(value, _)| value)
}

/// [`parse_price`], also saying whether the cell was a plain number (`true`) or had a currency
/// sign, a thousands separator or a decimal comma to unify (`false`).
///
/// ```
/// use aisle_core::input::fields::parse_price_with_form;
/// assert_eq!(parse_price_with_form(" 2.55"), Some((2.55, true)));
/// assert_eq!(parse_price_with_form("£2.55"), Some((2.55, false)));
/// ```
pub fn parse_price_with_form(text: &str) -> Option<(f64, bool)> {
    // Plain numbers first: most cells, and no allocation.
    if let Ok(value) = trim_cell(text).parse::<f64>() {
        return value.is_finite().then_some((value, true));
    }
    let digits = trim_cell(trim_cell(text).trim_start_matches(['£', '$', '€']));
    let normalised = if digits.contains(',') && !digits.contains('.') {
        digits.replace(',', ".")
    } else {
        digits.replace(',', "")
    };
    normalised
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
        .map(|value| (value, false))
}

/// Parses a quantity: an integer, or an integral float such as `6.0`.
pub fn parse_quantity(text: &str) -> Option<i64> {
    let text = trim_cell(text);
    text.parse::<i64>().ok().or_else(|| {
        let value = text.parse::<f64>().ok()?;
        // Only whole quantities within i64's exact range are meaningful counts.
        (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
    })
}

/// Upper-cases and trims a product code, so `85123a ` and `85123A` are one item. Borrows when
/// the code is already in that form, as nearly every cell is.
pub fn normalise_code(text: &str) -> Cow<'_, str> {
    let text = trim_cell(text);
    if text.bytes().any(|byte| byte.is_ascii_lowercase()) {
        Cow::Owned(text.to_ascii_uppercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Trims white space from both ends of a cell, as [`str::trim`] does, but at ASCII speed: a
/// cell rarely has other white space (a no-break space), and only then is the Unicode trim run.
/// Reading a file trims every cell, so this is a tenth of reading time.
///
/// ```
/// use aisle_core::input::fields::trim_cell;
/// assert_eq!(trim_cell(" 85123A\t"), "85123A");
/// assert_eq!(trim_cell("\u{a0}MUG\u{a0}"), "MUG");
/// ```
pub fn trim_cell(text: &str) -> &str {
    let ascii = text.trim_ascii();
    match (ascii.as_bytes().first(), ascii.as_bytes().last()) {
        (Some(first), Some(last)) if !first.is_ascii() || !last.is_ascii() => ascii.trim(),
        _ => ascii,
    }
}

/// Decodes one cell's bytes: UTF-8 when valid, otherwise Latin-1 (every byte is one character),
/// which is what older spreadsheet exports write.
///
/// Borrows when the bytes are UTF-8 (nearly always), so reading a cell allocates nothing
/// until a field keeps it.
pub fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|&byte| char::from(byte)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_common_layouts_agree() {
        // 2010-12-01 08:26:00 UTC = 14944 days * 86400 + 8h26m.
        let expected = 14_944 * 86_400 + 8 * 3600 + 26 * 60;
        assert_eq!(parse_timestamp("2010-12-01 08:26:00"), Some(expected));
        assert_eq!(parse_timestamp("2010-12-01T08:26:00"), Some(expected));
        assert_eq!(parse_timestamp("12/1/2010 8:26"), Some(expected));
        assert_eq!(parse_timestamp(" 2010-12-01 08:26 "), Some(expected));
        assert_eq!(parse_timestamp("2010-12-01"), Some(14_944 * 86_400));
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    proptest::proptest! {
        /// The fast path for the common layout reads exactly what chrono reads, impossible
        /// dates (30 February, month 13, hour 24) included.
        #[test]
        fn the_fast_path_agrees_with_chrono(
            year in 1900i32..2100, month in 0u32..14, day in 0u32..33,
            hour in 0u32..26, minute in 0u32..61, second in 0u32..60,
        ) {
            let text = format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}");
            let by_chrono = NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|moment| moment.and_utc().timestamp());
            proptest::prop_assert_eq!(parse_timestamp(&text), by_chrono);
        }
    }

    #[test]
    fn ids_written_as_floats_become_integers() {
        assert_eq!(parse_id("17850.0"), Some("17850"));
        assert_eq!(parse_id("17850"), Some("17850"));
        assert_eq!(parse_id(" 12.50 "), Some("12.50"));
        assert_eq!(parse_id("A17.0"), Some("A17.0"));
        assert_eq!(parse_id(".0"), Some(".0"));
        assert_eq!(parse_id("  "), None);
    }

    #[test]
    fn prices_forgive_currency_and_decimal_commas() {
        assert_eq!(parse_price("2.55"), Some(2.55));
        assert_eq!(parse_price(" £2.55"), Some(2.55));
        assert_eq!(parse_price("2,55"), Some(2.55));
        assert_eq!(parse_price("1,234.50"), Some(1234.5));
        assert_eq!(parse_price("-11062.06"), Some(-11062.06));
        assert_eq!(parse_price("NaN"), None);
        assert_eq!(parse_price(""), None);
    }

    #[test]
    fn quantities_accept_integral_floats_only() {
        assert_eq!(parse_quantity("6"), Some(6));
        assert_eq!(parse_quantity("-80995"), Some(-80995));
        assert_eq!(parse_quantity("6.0"), Some(6));
        assert_eq!(parse_quantity("6.5"), None);
        assert_eq!(parse_quantity("six"), None);
    }

    #[test]
    fn latin1_cells_decode_to_the_same_characters() {
        assert_eq!(decode_text(b"caf\xe9"), "café");
        assert_eq!(decode_text("café".as_bytes()), "café");
    }
}
