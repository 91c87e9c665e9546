//! One order row's cells parsed into an [`OrderLine`]: the fields unified as
//! [`crate::input::fields`] reads them, cells repeated from the row before compared instead of
//! parsed again, and what a file's slash dates say about their order gathered for the file to
//! settle.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::input::csv_file::comparable_name;
use crate::input::csv_rows::Row;
use crate::input::fields::{
    DateOrder, Moment, decode_text, is_canonical_timestamp, normalise_code, parse_id, parse_moment,
    parse_price_in, parse_quantity, trim_cell,
};
use crate::input::interner::{Interner, SharedText, same_text};
use crate::input::orders::{ColumnMap, FillableField, OrderLine, UnifiedFormats};

/// Positions of the mapped columns within one file's header.
pub(super) struct HeaderPositions {
    pub(super) invoice: usize,
    pub(super) item: usize,
    pub(super) description: Option<usize>,
    pub(super) quantity: usize,
    pub(super) timestamp: usize,
    pub(super) unit_price: usize,
    pub(super) customer: usize,
}

impl HeaderPositions {
    pub(super) fn find(header: &[String], columns: &ColumnMap, source_name: &str) -> Result<Self> {
        let names: Vec<String> = header.iter().map(|name| comparable_name(name)).collect();
        let position = |wanted: &str| {
            names
                .iter()
                .position(|name| *name == comparable_name(wanted))
        };
        let required = |wanted: &str| {
            position(wanted).ok_or_else(|| Error::MissingColumn {
                source_name: source_name.to_owned(),
                column: wanted.to_owned(),
                found: header.join(","),
            })
        };
        Ok(Self {
            invoice: required(&columns.invoice)?,
            item: required(&columns.item)?,
            // An empty name means "no description column", never a header cell left blank.
            description: Some(&columns.description)
                .filter(|name| !name.trim().is_empty())
                .and_then(|name| position(name)),
            quantity: required(&columns.quantity)?,
            timestamp: required(&columns.timestamp)?,
            unit_price: required(&columns.unit_price)?,
            customer: required(&columns.customer)?,
        })
    }
}

/// The cells of the row before that the next line of the same order repeats (its invoice,
/// timestamp and customer), with what they parsed to: a repeated cell is compared, not parsed
/// again, which saves about an eighth of the instructions reading the demo log takes.
#[derive(Default)]
pub(super) struct RepeatedCells {
    invoice: LastCell<SharedText>,
    /// The moment, and whether the text was in the canonical layout.
    timestamp: LastCell<Option<(Moment, bool)>>,
    /// The customer's id, and whether it was written in another form (`17850.0`).
    customer: LastCell<(Option<SharedText>, bool)>,
}

/// One column's last cell text and its parsed value.
struct LastCell<T> {
    last: Option<(String, T)>,
}

impl<T> Default for LastCell<T> {
    fn default() -> Self {
        Self { last: None }
    }
}

impl<T: Clone> LastCell<T> {
    /// `parse(text)`, or the value kept from the row before when `text` repeats its cell.
    fn parse(&mut self, text: &str, parse: impl FnOnce(&str) -> T) -> T {
        match &mut self.last {
            Some((last, value)) if same_text(last, text) => value.clone(),
            Some((last, value)) => {
                last.clear();
                last.push_str(text);
                *value = parse(text);
                value.clone()
            }
            None => self.last.insert((text.to_owned(), parse(text))).1.clone(),
        }
    }
}

/// One row's cells: the row known to be UTF-8 as a whole (nearly every row), or bytes decoded
/// cell by cell.
pub(super) enum RowCells<'r> {
    Utf8(Row<'r>, &'r str),
    Bytes(Row<'r>),
}

impl<'r> RowCells<'r> {
    /// The row's cells, its bytes checked as UTF-8 at once (a single ASCII scan for nearly every
    /// row) rather than cell by cell.
    pub(super) fn of(row: Row<'r>) -> Self {
        match std::str::from_utf8(row.bytes()) {
            Ok(text) => Self::Utf8(row, text),
            Err(_) => Self::Bytes(row),
        }
    }

    fn get(&self, position: usize) -> Option<Cow<'r, str>> {
        match self {
            Self::Utf8(row, text) => match row.get_text(text, position) {
                Some(cell) => Some(Cow::Borrowed(cell)),
                // A quoted row's cell that is not UTF-8 alone.
                None => row.get(position).map(decode_text),
            },
            Self::Bytes(row) => row.get(position).map(decode_text),
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Utf8(row, _) | Self::Bytes(row) => row.len(),
        }
    }
}

/// One parsed row and the fillable fields it left blank.
pub(super) struct Parsed {
    pub(super) line: OrderLine,
    pub(super) blank: Vec<FillableField>,
    /// Its timestamp, when a slash date that the file's [`DateOrder`] decides (the line holds
    /// the month-first reading where there is one, until then).
    pub(super) slashed: Option<Moment>,
}

/// What a file's slash dates say about their order, and the lines to change if it is
/// day-first.
#[derive(Debug, Default)]
pub(super) struct SlashDates {
    /// The first line only month-first reads (`12/31/2011`).
    pub(super) month_first_only: Option<u64>,
    /// The first line only day-first reads (`31/12/2011`).
    pub(super) day_first_only: Option<u64>,
    /// Lines read month-first that read otherwise day-first: in `lines` (`false`) or
    /// `incomplete` (`true`), their index, and the day-first reading.
    pub(super) readings: Vec<(bool, usize, i64)>,
}

impl SlashDates {
    /// Notes what line `line`'s slash date says: the order it proves, or, when it reads both
    /// ways differently, where the line goes (`incomplete`, index) and its day-first reading.
    pub(super) fn note(&mut self, line: u64, moment: Moment, (incomplete, index): (bool, usize)) {
        match moment {
            Moment::Slashed {
                month_first: Some(_),
                day_first: None,
            } => {
                self.month_first_only.get_or_insert(line);
            }
            Moment::Slashed {
                month_first: None,
                day_first: Some(_),
            } => {
                self.day_first_only.get_or_insert(line);
            }
            Moment::Slashed {
                month_first: Some(month_first),
                day_first: Some(day_first),
            } if month_first != day_first => self.readings.push((incomplete, index, day_first)),
            _ => {}
        }
    }
}

/// Parses one record, counting the cells it unified; on failure returns the offending column's
/// header name and the reason.
pub(super) fn parse_row(
    record: &RowCells<'_>,
    at: &HeaderPositions,
    header: &[String],
    unified: &mut UnifiedFormats,
    texts: &mut Interner,
    repeated: &mut RepeatedCells,
    columns: &ColumnMap,
) -> std::result::Result<Parsed, (String, String)> {
    let (number_format, date_order) = (columns.number_format, columns.date_order);
    let cell = |position: usize| -> std::result::Result<Cow<'_, str>, (String, String)> {
        record.get(position).ok_or_else(|| {
            (
                header[position].clone(),
                format!(
                    "missing cell: the row has {} fields, the header {}",
                    record.len(),
                    header.len()
                ),
            )
        })
    };
    let mut blank = Vec::new();
    // A blank cell of a fillable field is recorded, not rejected; a non-blank one must parse.
    // `parse` gives the value, or why the cell is not one (`None`: "`cell` is not `expected`").
    let mut fillable = |position: usize,
                        field: FillableField,
                        expected: &str,
                        parse: &mut dyn FnMut(&str) -> std::result::Result<f64, Option<String>>|
     -> std::result::Result<f64, (String, String)> {
        let text = cell(position)?;
        if trim_cell(&text).is_empty() {
            blank.push(field);
            return Ok(0.0);
        }
        parse(&text).map_err(|why| {
            (
                header[position].clone(),
                why.unwrap_or_else(|| format!("`{text}` is not {expected}")),
            )
        })
    };

    let quantity = fillable(
        at.quantity,
        FillableField::Quantity,
        "a whole number",
        &mut |text| parse_quantity(text).map(|value| value as f64).ok_or(None),
    )?;
    // Whether the price was a plain number and the timestamp in the canonical layout, learnt
    // while parsing them (a second parse, to count unified prices, cost a twentieth of reading).
    let mut plain_price = true;
    let unit_price = fillable(
        at.unit_price,
        FillableField::UnitPrice,
        "a price",
        &mut |text| {
            let (value, plain) = parse_price_in(text, number_format).map_err(Some)?;
            plain_price = plain;
            Ok(value)
        },
    )?;
    let mut canonical_timestamp = true;
    let mut slashed = None;
    let timestamp = fillable(
        at.timestamp,
        FillableField::Timestamp,
        "a date and time (such as 2011-12-09 12:50:00 or 2011-12-09T12:50:00Z)",
        &mut |text| {
            let (moment, canonical) = repeated
                .timestamp
                .parse(text, |text| {
                    Some((parse_moment(text)?, is_canonical_timestamp(trim_cell(text))))
                })
                .ok_or(None)?;
            canonical_timestamp = canonical;
            let seconds = match (moment, date_order) {
                (Moment::At(seconds), _) => seconds,
                (Moment::Slashed { month_first, .. }, DateOrder::MonthFirst) => month_first
                    .ok_or_else(|| {
                        Some(format!(
                            "`{text}` is not a month-first date (month/day/year)"
                        ))
                    })?,
                (Moment::Slashed { day_first, .. }, DateOrder::DayFirst) => {
                    day_first.ok_or_else(|| {
                        Some(format!("`{text}` is not a day-first date (day/month/year)"))
                    })?
                }
                (
                    Moment::Slashed {
                        month_first,
                        day_first,
                    },
                    DateOrder::Auto,
                ) => {
                    slashed = Some(moment);
                    month_first
                        .or(day_first)
                        .expect("a slash date reads one way at least")
                }
            };
            Ok(seconds as f64)
        },
    )?;
    let description = match at.description {
        Some(position) => texts.intern(trim_cell(&cell(position)?)),
        None => texts.intern(""),
    };
    let item_text = cell(at.item)?;
    let item = normalise_code(&item_text);
    let (customer, customer_unified) = repeated.customer.parse(&cell(at.customer)?, |text| {
        let id = parse_id(text);
        (
            id.map(|id| texts.intern(id)),
            id.is_some_and(|id| id != text),
        )
    });

    unified.prices += u64::from(!plain_price);
    unified.timestamps += u64::from(!canonical_timestamp);
    unified.product_codes += u64::from(item != item_text);
    unified.customer_ids += u64::from(customer_unified);
    Ok(Parsed {
        line: OrderLine {
            invoice: repeated
                .invoice
                .parse(trim_cell(&cell(at.invoice)?), |text| texts.intern(text)),
            item: texts.intern(&item),
            description,
            quantity: quantity as i64,
            timestamp: timestamp as i64,
            unit_price,
            customer,
        },
        blank,
        slashed,
    })
}
