//! Field-level format unification: the small parsers that turn the text of one CSV cell into a
//! typed value, forgiving the ways real exports write the same thing.
//!
//! ```
//! use aisle_core::input::fields::{parse_id, parse_price, parse_timestamp};
//! assert_eq!(parse_id("17850.0"), Some("17850"));
//! assert_eq!(parse_price("£2.55"), Some(2.55));
//! assert_eq!(parse_price("1.234,56 €"), Some(1234.56));
//! assert_eq!(parse_timestamp("2010-12-01 08:26:00"), Some(1_291_191_960));
//! assert_eq!(parse_timestamp("2010-12-01T08:26:00Z"), Some(1_291_191_960));
//! ```

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Timestamp layouts without a zone seen in order exports, tried in order. The Online Retail CSV
/// uses the first. Slash dates (`12/1/2010 8:26`, the UCI spreadsheet's) are read by
/// [`parse_moment`], both ways.
const TIMESTAMP_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
];

/// Which of the two numbers before the year in a slash date (`03/04/2011`) is the month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// Decided per file from its values, never row by row: a first number above 12 makes it
    /// day-first, a second one above 12 month-first; a file with both is refused, and one with
    /// neither is read month-first, its rows counted in the read report.
    #[default]
    Auto,
    /// `12/31/2011`, as in the United States.
    MonthFirst,
    /// `31/12/2011`, as in most of the world.
    DayFirst,
}

/// What a timestamp cell says: one moment, or a slash date that may read two ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// Seconds since the Unix epoch.
    At(i64),
    /// A slash date read month-first and day-first (`None`: not a date that way, as
    /// `13/01/2011` month-first). At least one is a date; both are when day and month are 12 or
    /// less.
    Slashed {
        /// Read as month/day/year.
        month_first: Option<i64>,
        /// Read as day/month/year.
        day_first: Option<i64>,
    },
}

/// Reads a timestamp cell: the layouts [`parse_timestamp`] reads, and slash dates
/// (`d/m/Y` or `m/d/Y`, with `H:M` or `H:M:S` after a space) both ways, for the caller to decide
/// per file which way they are written (see [`DateOrder`]).
///
/// ```
/// use aisle_core::input::fields::{Moment, parse_moment};
/// assert!(matches!(parse_moment("13/01/2011 10:00"), Some(Moment::Slashed { month_first: None, day_first: Some(_) })));
/// ```
pub fn parse_moment(text: &str) -> Option<Moment> {
    let text = trim_cell(text);
    if let Some(seconds) = parse_unslashed(text) {
        return Some(Moment::At(seconds));
    }
    let (date, time) = text.split_once(' ').unwrap_or((text, ""));
    let mut numbers = date.split('/').map(|part| part.parse::<u32>().ok());
    let (Some(Some(first)), Some(Some(second)), Some(Some(year)), None) = (
        numbers.next(),
        numbers.next(),
        numbers.next(),
        numbers.next(),
    ) else {
        return None;
    };
    let time = trim_cell(time);
    let time = if time.is_empty() {
        chrono::NaiveTime::MIN
    } else {
        chrono::NaiveTime::parse_from_str(time, "%H:%M:%S")
            .or_else(|_| chrono::NaiveTime::parse_from_str(time, "%H:%M"))
            .ok()?
    };
    let at = |month: u32, day: u32| {
        let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
        Some(date.and_time(time).and_utc().timestamp())
    };
    let (month_first, day_first) = (at(first, second), at(second, first));
    (month_first.is_some() || day_first.is_some()).then_some(Moment::Slashed {
        month_first,
        day_first,
    })
}

/// Layouts with a UTC offset, after RFC 3339 (`2011-09-28T08:48:00+00:00`, `...Z`): Shopify's
/// `2011-09-28 08:48:00 +0000` and its neighbours.
const OFFSET_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M %z",
];

/// Parses a timestamp in one of the common export layouts into seconds since the Unix epoch:
/// ISO 8601 with a space or `T`, with or without seconds, fractions, `Z` or a UTC offset
/// (`+00:00`, `+0000`, Shopify's ` +0000`); `m/d/Y H:M` (a file's slash dates are read with
/// [`parse_moment`], which decides day-first or month-first per file); a date alone (its
/// midnight); or Unix time, in seconds (9 or 10 digits) or milliseconds (12 or 13).
///
/// Exports mostly carry the shop's local time without a zone; it is read as if it were UTC so
/// that day boundaries (such as the evaluation cut-off) stay where the shop put them. A time with
/// an offset is read the same way, as the wall-clock time it shows (`08:48:00 -0500` is 08:48 of
/// that day), so a file that mixes offsets (summer and winter time) keeps the shop's days.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    match parse_moment(text)? {
        Moment::At(seconds) => Some(seconds),
        // One value alone has no file to decide by: month-first, as the UCI spreadsheet writes.
        Moment::Slashed { month_first, .. } => month_first,
    }
}

/// The layouts without a slash date.
fn parse_unslashed(text: &str) -> Option<i64> {
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
        .or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .or_else(|| {
                    OFFSET_FORMATS
                        .iter()
                        .find_map(|format| DateTime::parse_from_str(text, format).ok())
                })
                .map(|moment| moment.naive_local())
        })
        .map(|moment| moment.and_utc().timestamp())
        .or_else(|| unix_time(text))
}

/// Unix time written as digits: seconds (9 or 10 digits: 1973 to 2286) or milliseconds (12 or
/// 13). Other lengths are not read as times (eight digits could be a `YYYYMMDD` date).
fn unix_time(text: &str) -> Option<i64> {
    if !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let value: i64 = text.parse().ok()?;
    match text.len() {
        9 | 10 => Some(value),
        12 | 13 => Some(value.div_euclid(1000)),
        _ => None,
    }
}

/// The calendar date (`YYYY-MM-DD`) of `seconds` since the epoch, read as UTC like
/// [`parse_timestamp`] writes it; out-of-range times give an empty string.
///
/// ```
/// use aisle_core::input::fields::format_date;
/// assert_eq!(format_date(1_291_191_960), "2010-12-01");
/// ```
pub fn format_date(seconds: i64) -> String {
    // Written field by field: chrono's `format` would bring its whole format interpreter into
    // the browser's download for this one layout.
    use chrono::Datelike;
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|moment| {
            format!(
                "{:04}-{:02}-{:02}",
                moment.year(),
                moment.month(),
                moment.day()
            )
        })
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

/// How a file writes decimal numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NumberFormat {
    /// Worked out from each value: `1,234.56` and `1.234,56` both read, `2,55` is 2.55, and a
    /// value that reads two ways (`1,234`: 1234 or 1.234) is refused rather than guessed.
    #[default]
    Auto,
    /// `1,234.56`: a decimal point; commas, spaces or apostrophes group thousands.
    DecimalPoint,
    /// `1.234,56`: a decimal comma; points, spaces or apostrophes group thousands.
    DecimalComma,
}

/// Parses a price, ignoring a currency sign or code on either side (`£2.55`, `2,55 €`,
/// `EUR 12.50`), in the [`NumberFormat::Auto`] format.
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
    parse_price_in(text, NumberFormat::Auto).ok()
}

/// Currency signs and codes are at most this many characters (`US$`, `CHF`, `EUR`).
const MAX_CURRENCY_CHARS: usize = 4;

/// [`parse_price_with_form`] in a stated [`NumberFormat`]; the error says why the cell is not a
/// price (ambiguous, or not a number).
///
/// ```
/// use aisle_core::input::fields::{NumberFormat, parse_price_in};
/// assert_eq!(parse_price_in("1.234", NumberFormat::DecimalComma), Ok((1234.0, false)));
/// assert!(parse_price_in("1,234", NumberFormat::Auto).unwrap_err().contains("1234 or 1.234"));
/// ```
pub fn parse_price_in(text: &str, format: NumberFormat) -> Result<(f64, bool), String> {
    let text = trim_cell(text);
    // Plain numbers first: most cells, and no allocation.
    if format != NumberFormat::DecimalComma
        && let Ok(value) = text.parse::<f64>()
    {
        return value
            .is_finite()
            .then_some((value, true))
            .ok_or_else(|| format!("`{text}` is not a price"));
    }
    let not_a_price = || format!("`{text}` is not a price");
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, trim_cell(rest)),
        None => (false, text),
    };
    // The sign may also come after the currency (`€-2,55`).
    let number = strip_currency(unsigned).ok_or_else(not_a_price)?;
    let (negative, number) = match number.strip_prefix('-') {
        Some(rest) if !negative => (true, rest),
        _ => (negative, number),
    };
    let value = read_grouped(number, format, text)?;
    Ok((if negative { -value } else { value }, false))
}

/// The number inside a cell with a currency sign or code before or after it (and space
/// between), or `None` when what surrounds the number is longer than a currency.
fn strip_currency(text: &str) -> Option<&str> {
    let is_number = |c: char| c.is_ascii_digit() || matches!(c, ',' | '.');
    let start = text.find(|c: char| c.is_ascii_digit() || c == '-')?;
    let end = text.rfind(is_number)? + 1;
    let (before, after) = (trim_cell(&text[..start]), trim_cell(&text[end..]));
    let currency = |part: &str| {
        part.chars().count() <= MAX_CURRENCY_CHARS
            && part
                .chars()
                .all(|c| !c.is_ascii_digit() && !c.is_whitespace())
    };
    (currency(before) && currency(after) && (before.is_empty() || after.is_empty()))
        .then(|| &text[start..end])
}

/// Reads digits with a decimal separator and thousands groups as `format` says; `cell` names the
/// whole cell in errors.
fn read_grouped(number: &str, format: NumberFormat, cell: &str) -> Result<f64, String> {
    let not_a_price = || format!("`{cell}` is not a price");
    let has = |separator: char| number.contains(separator);
    let count = |separator: char| number.matches(separator).count();
    let decimal = match format {
        NumberFormat::DecimalPoint => Some('.').filter(|_| has('.')),
        NumberFormat::DecimalComma => Some(',').filter(|_| has(',')),
        NumberFormat::Auto => match (has(','), has('.')) {
            // Both: the last one is the decimal separator.
            (true, true) => number
                .rfind([',', '.'])
                .map(|at| char::from(number.as_bytes()[at])),
            (true, false) | (false, true) => {
                let separator = if has(',') { ',' } else { '.' };
                let after = number.len() - number.rfind(separator).unwrap_or(0) - 1;
                if count(separator) > 1 {
                    None
                } else if after == 3 {
                    return Err(format!(
                        "`{cell}` could be read two ways ({} or {}): state the file's number format (decimal point or decimal comma)",
                        number.replace(separator, ""),
                        number.replace(separator, ".")
                    ));
                } else {
                    Some(separator)
                }
            }
            (false, false) => None,
        },
    };
    let (whole, fraction) = match decimal {
        Some(separator) => {
            let at = number.rfind(separator).expect("the separator was found");
            (&number[..at], &number[at + 1..])
        }
        None => (number, ""),
    };
    if fraction.is_empty() && decimal.is_some() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_price());
    }
    // Thousands groups: 1 to 3 digits, then groups of exactly 3, one separator throughout, and
    // not the decimal one.
    let groups: Vec<&str> = whole
        .split([',', '.', ' ', '\'', '\u{a0}', '\u{202f}'])
        .collect();
    let separators: Vec<char> = whole.chars().filter(|c| !c.is_ascii_digit()).collect();
    let digits_only = |group: &str| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit());
    let well_formed = groups.iter().all(|group| digits_only(group))
        && (groups.len() == 1
            || ((1..=3).contains(&groups[0].len())
                && groups[1..].iter().all(|group| group.len() == 3)
                && separators.windows(2).all(|pair| pair[0] == pair[1])
                && Some(separators[0]) != decimal));
    if !well_formed {
        return Err(not_a_price());
    }
    let digits: String = groups.concat();
    format!(
        "{digits}.{}",
        if fraction.is_empty() { "0" } else { fraction }
    )
    .parse::<f64>()
    .ok()
    .filter(|value| value.is_finite())
    .ok_or_else(not_a_price)
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
    fn european_prices_with_currency_on_either_side_are_read() {
        assert_eq!(parse_price("1.234,56"), Some(1234.56));
        assert_eq!(parse_price("2,55 €"), Some(2.55));
        assert_eq!(parse_price("€ 2,55"), Some(2.55));
        assert_eq!(parse_price("EUR 1.234,56"), Some(1234.56));
        assert_eq!(parse_price("1 234,56 kr"), Some(1234.56));
        assert_eq!(parse_price("1\u{a0}234,56"), Some(1234.56));
        assert_eq!(parse_price("CHF 1'234.50"), Some(1234.5));
        assert_eq!(parse_price("12.50 USD"), Some(12.5));
        assert_eq!(parse_price("1,234,567.89"), Some(1_234_567.89));
        assert_eq!(parse_price("1.234.567,89"), Some(1_234_567.89));
        assert_eq!(parse_price("-2,55 €"), Some(-2.55));
        assert_eq!(parse_price("€-2,55"), Some(-2.55));
    }

    #[test]
    fn ambiguous_or_malformed_prices_are_refused_with_the_reason() {
        for ambiguous in ["1,234", "1.234 €", "€12,500"] {
            let error = parse_price_in(ambiguous, NumberFormat::Auto).unwrap_err();
            assert!(error.contains("two ways"), "{ambiguous}: {error}");
        }
        for bad in [
            "1,23,4.00",
            "about 12",
            "12 apples",
            "1.234,5,6",
            "£",
            "1..2",
            "12,",
        ] {
            assert_eq!(parse_price(bad), None, "{bad}");
        }
        // A stated format reads them one way.
        assert_eq!(
            parse_price_in("1,234", NumberFormat::DecimalPoint),
            Ok((1234.0, false))
        );
        assert_eq!(
            parse_price_in("1,234", NumberFormat::DecimalComma),
            Ok((1.234, false))
        );
        assert_eq!(
            parse_price_in("1.234", NumberFormat::DecimalComma),
            Ok((1234.0, false))
        );
        assert_eq!(
            parse_price_in("2,55", NumberFormat::DecimalComma),
            Ok((2.55, false))
        );
        // A point in a decimal-comma file is a thousands separator, so 2.55 is malformed there.
        assert!(parse_price_in("2.55", NumberFormat::DecimalComma).is_err());
        assert_eq!(
            parse_price_in("2.55", NumberFormat::DecimalPoint),
            Ok((2.55, true))
        );
    }

    #[test]
    fn slash_dates_read_both_ways_until_the_file_decides() {
        let at = |text| parse_timestamp(text).unwrap();
        assert_eq!(
            parse_moment("03/04/2011 10:00"),
            Some(Moment::Slashed {
                month_first: Some(at("2011-03-04 10:00:00")),
                day_first: Some(at("2011-04-03 10:00:00")),
            })
        );
        assert_eq!(
            parse_moment("13/04/2011"),
            Some(Moment::Slashed {
                month_first: None,
                day_first: Some(at("2011-04-13 00:00:00")),
            })
        );
        assert_eq!(
            parse_moment("12/31/2011 23:59:59"),
            Some(Moment::Slashed {
                month_first: Some(at("2011-12-31 23:59:59")),
                day_first: None,
            })
        );
        assert_eq!(parse_moment("13/13/2011"), None);
        assert_eq!(parse_moment("1/2/3/2011"), None);
        assert_eq!(
            parse_moment("2011-04-03"),
            Some(Moment::At(at("2011-04-03 00:00:00")))
        );
    }

    #[test]
    fn iso_8601_shopify_and_unix_times_are_read_as_the_shops_wall_clock() {
        let expected = parse_timestamp("2011-09-28 08:48:00").unwrap();
        for text in [
            "2011-09-28T08:48:00Z",
            "2011-09-28T08:48:00+00:00",
            "2011-09-28T08:48:00.000Z",
            "2011-09-28 08:48:00 +0000",
            "2011-09-28 08:48:00 -0500",
            "2011-09-28T08:48:00+02:00",
            "2011-09-28T08:48",
            "2011-09-28 08:48:00.250",
        ] {
            assert_eq!(parse_timestamp(text), Some(expected), "{text}");
        }
        assert_eq!(parse_timestamp("1317199680"), Some(1_317_199_680));
        assert_eq!(parse_timestamp("1317199680123"), Some(1_317_199_680));
        assert_eq!(
            parse_timestamp("20110928"),
            None,
            "eight digits are not a Unix time"
        );
        assert_eq!(parse_timestamp("2011-09-28 08:48:00 +9999"), None);
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
