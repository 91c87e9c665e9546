//! Reading order logs: CSV (optionally gzip-compressed) into typed [`OrderLine`]s.
//!
//! The reader is forgiving where exports differ harmlessly (column order, header case, a BOM,
//! CRLF, Latin-1 text, ids written as floats) and strict where a row is broken: such a row is
//! skipped and reported with its line and column, never guessed at.
//!
//! ```
//! use aisle_core::input::orders::{ColumnMap, OrderLog};
//! let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
//!            536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n";
//! let mut log = OrderLog::default();
//! log.read_csv(csv.as_bytes(), "orders.csv", &ColumnMap::online_retail()).unwrap();
//! assert_eq!(log.lines[0].customer.as_deref(), Some("17850"));
//! assert_eq!(log.report.rows_read, 1);
//! ```

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::mem::replace;

use flate2::bufread::MultiGzDecoder;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input::csv_lines::LineEnds;
use crate::input::fields::{
    DateOrder, Moment, NumberFormat, decode_text, is_canonical_timestamp, normalise_code, parse_id,
    parse_moment, parse_price_in, parse_quantity, trim_cell,
};
use crate::input::interner::{Interner, SharedText};

/// One line of one order, as read (before cleaning). Its texts are shared with every other line
/// that holds the same one ([`crate::input::interner`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderLine {
    /// Invoice number; a leading `C` marks a cancellation in the Online Retail log.
    pub invoice: SharedText,
    /// Product code, trimmed and upper-cased.
    pub item: SharedText,
    /// Free-text product description as the shop wrote it.
    pub description: SharedText,
    /// Units; negative for returns.
    pub quantity: i64,
    /// Seconds since the Unix epoch (the shop's local time read as UTC).
    pub timestamp: i64,
    /// Price of one unit.
    pub unit_price: f64,
    /// Customer id, `None` for guest orders.
    pub customer: Option<SharedText>,
}

impl OrderLine {
    /// One unit of `item` bought by `customer` at `timestamp`, at unit price 1, in an order of
    /// its own (one per customer and moment). For interaction files that carry no order detail,
    /// and for examples.
    ///
    /// ```
    /// use aisle_core::input::orders::OrderLine;
    /// let line = OrderLine::purchase("17850", "85123A", 0);
    /// assert_eq!((line.customer.as_deref(), line.quantity), (Some("17850"), 1));
    /// ```
    pub fn purchase(customer: &str, item: &str, timestamp: i64) -> Self {
        Self {
            invoice: format!("{customer}@{timestamp}").into(),
            item: item.into(),
            description: "".into(),
            quantity: 1,
            timestamp,
            unit_price: 1.0,
            customer: Some(customer.into()),
        }
    }
}

/// Which header names hold which field. Names match case-insensitively, ignoring spaces and
/// underscores, so `Customer ID`, `customer_id` and `CustomerID` are one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMap {
    /// Invoice or order number.
    pub invoice: String,
    /// Product code.
    pub item: String,
    /// Product description (optional in the file: missing means empty descriptions).
    pub description: String,
    /// Quantity.
    pub quantity: String,
    /// Order timestamp.
    pub timestamp: String,
    /// Unit price.
    pub unit_price: String,
    /// Customer id.
    pub customer: String,
    /// How the file writes prices (`1,234.56` or `1.234,56`); worked out per value unless said.
    #[serde(default)]
    pub number_format: NumberFormat,
    /// Whether slash dates are day-first or month-first; decided per file unless said.
    #[serde(default)]
    pub date_order: DateOrder,
}

impl ColumnMap {
    /// True when the columns are the Online Retail log's, whose own cleaning rules then apply
    /// (see [`crate::input::clean::CleaningRules::for_columns`]).
    pub fn is_online_retail_layout(&self) -> bool {
        let ours = Self::online_retail();
        let names = |map: &Self| {
            [
                &map.invoice,
                &map.item,
                &map.quantity,
                &map.timestamp,
                &map.unit_price,
                &map.customer,
            ]
            .map(|name| comparable_name(name))
        };
        names(self) == names(&ours)
    }

    /// The columns of the UCI Online Retail log.
    pub fn online_retail() -> Self {
        Self {
            invoice: "InvoiceNo".into(),
            item: "StockCode".into(),
            description: "Description".into(),
            quantity: "Quantity".into(),
            timestamp: "InvoiceDate".into(),
            unit_price: "UnitPrice".into(),
            customer: "CustomerID".into(),
            number_format: NumberFormat::Auto,
            date_order: DateOrder::Auto,
        }
    }
}

/// A row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowIssue {
    /// The file the row came from.
    pub source_name: String,
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    /// The column at fault, by its header name.
    pub column: String,
    /// What is wrong with the cell.
    pub message: String,
}

impl std::fmt::Display for RowIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: line {}: column `{}`: {}",
            self.source_name, self.line, self.column, self.message
        )
    }
}

/// What reading found, across every file read into one [`OrderLog`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadReport {
    /// Data rows seen (header rows excluded).
    pub rows_read: u64,
    /// Rows skipped because a cell could not be parsed.
    pub rows_skipped: u64,
    /// Rows with a blank quantity, price or timestamp, set aside in [`OrderLog::incomplete`].
    pub rows_incomplete: u64,
    /// Cells written in another format than the canonical one, and unified on reading.
    pub unified: UnifiedFormats,
    /// The first [`ReadReport::MAX_ISSUES`] skipped rows, for showing to a person.
    pub issues: Vec<RowIssue>,
}

/// Counts of cells the reader rewrote into one format, so a person can see what was unified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnifiedFormats {
    /// Customer ids written as floats (`17850.0`) or with surrounding space.
    pub customer_ids: u64,
    /// Product codes in lower case or with surrounding space (`85123a `).
    pub product_codes: u64,
    /// Prices with a currency sign, a thousands separator or a decimal comma (`£1,250.00`).
    pub prices: u64,
    /// Timestamps in another layout than `YYYY-MM-DD HH:MM:SS` (`12/1/2010 8:26`).
    pub timestamps: u64,
}

/// A field a row may leave blank and [`crate::input::missing`] can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FillableField {
    /// Units ordered.
    Quantity,
    /// Price of one unit.
    UnitPrice,
    /// When the order was placed.
    Timestamp,
}

impl FillableField {
    /// Every fillable field, in report order.
    pub const ALL: [FillableField; 3] = [Self::Quantity, Self::UnitPrice, Self::Timestamp];

    /// The field's name in reports and the studio.
    pub fn label(self) -> &'static str {
        match self {
            Self::Quantity => "quantity",
            Self::UnitPrice => "unit price",
            Self::Timestamp => "timestamp",
        }
    }

    /// The field's value in `line`, as a number.
    pub fn value(self, line: &OrderLine) -> f64 {
        match self {
            Self::Quantity => line.quantity as f64,
            Self::UnitPrice => line.unit_price,
            Self::Timestamp => line.timestamp as f64,
        }
    }

    /// Sets the field in `line` to `value` (rounded for the whole-number fields).
    pub fn set(self, line: &mut OrderLine, value: f64) {
        match self {
            Self::Quantity => line.quantity = value.round() as i64,
            Self::UnitPrice => line.unit_price = value,
            Self::Timestamp => line.timestamp = value.round() as i64,
        }
    }
}

/// A row with blank cells in [`FillableField`]s: kept aside, not guessed at, until a caller
/// chooses how to fill them ([`crate::input::missing::fill_missing`]); callers that do not choose drop
/// them.
#[derive(Debug, Clone, PartialEq)]
pub struct IncompleteLine {
    /// The row, with zero in each blank field.
    pub line: OrderLine,
    /// The blank fields.
    pub blank: Vec<FillableField>,
}

impl ReadReport {
    /// How many skipped rows are kept with their details; the rest are only counted.
    pub const MAX_ISSUES: usize = 100;

    pub(crate) fn skip(&mut self, issue: RowIssue) {
        self.rows_skipped += 1;
        if self.issues.len() < Self::MAX_ISSUES {
            self.issues.push(issue);
        }
    }
}

/// Order lines read from one or more files, with the report of what was skipped.
#[derive(Debug, Clone, Default)]
pub struct OrderLog {
    /// Every complete row that parsed, in file order.
    pub lines: Vec<OrderLine>,
    /// Rows that parsed but left a quantity, price or timestamp blank.
    pub incomplete: Vec<IncompleteLine>,
    /// Counts and details of rows read and skipped.
    pub report: ReadReport,
    /// The texts the lines share, so that a later file shares them too.
    texts: Interner,
}

/// The cells of the row before that the next line of the same order repeats (its invoice,
/// timestamp and customer), with what they parsed to: a repeated cell is compared, not parsed
/// again, which saves about an eighth of the instructions reading the demo log takes.
#[derive(Default)]
struct RepeatedCells {
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
            Some((last, value)) if last == text => value.clone(),
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

/// Wraps `input` in a gzip decoder when it starts with the gzip magic bytes, so callers can pass
/// `.csv` and `.csv.gz` alike.
pub fn decompress_if_gzip<'a, R: BufRead + 'a>(mut input: R) -> Result<Box<dyn BufRead + 'a>> {
    let head = input.fill_buf().map_err(|error| Error::Unreadable {
        source_name: String::new(),
        message: error.to_string(),
    })?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::new(MultiGzDecoder::new(input)))
    } else {
        Box::new(input)
    })
}

/// Positions of the mapped columns within one file's header.
struct HeaderPositions {
    invoice: usize,
    item: usize,
    description: Option<usize>,
    quantity: usize,
    timestamp: usize,
    unit_price: usize,
    customer: usize,
}

/// A header name as [`ColumnMap`] compares it: no BOM, spaces or underscores, lower case.
pub fn comparable_name(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads just the header row of a CSV file (plain or gzip), for choosing a [`ColumnMap`].
pub fn read_header<R: Read>(input: R, source_name: &str) -> Result<Vec<String>> {
    open_csv(input, source_name).map(|file| file.header)
}

/// An order or product file opened by [`open_csv`].
pub(crate) struct CsvFile<'a> {
    /// Its rows after the header (of any length).
    pub(crate) rows: csv::Reader<Box<dyn BufRead + 'a>>,
    /// The header's names, decoded.
    pub(crate) header: Vec<String>,
    /// How its lines end, for the line a skipped row is reported on.
    pub(crate) line_ends: LineEnds,
}

/// Opens `input` (plain or gzip CSV) and reads its header row.
pub(crate) fn open_csv<'a, R: Read + 'a>(input: R, source_name: &str) -> Result<CsvFile<'a>> {
    let mut input = decompress_if_gzip(BufReader::new(input)).map_err(|error| match error {
        Error::Unreadable { message, .. } => unreadable(source_name, message),
        other => other,
    })?;
    let head = input
        .fill_buf()
        .map_err(|error| unreadable(source_name, error.to_string()))?;
    let line_ends = LineEnds::of(head);
    let delimiter = sniff_delimiter(head);
    let mut rows = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input);
    let header = rows
        .byte_headers()
        .map_err(|error| unreadable(source_name, error.to_string()))?
        .iter()
        .map(|name| decode_text(name).into_owned())
        .collect();
    Ok(CsvFile {
        rows,
        header,
        line_ends,
    })
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

impl HeaderPositions {
    fn find(header: &[String], columns: &ColumnMap, source_name: &str) -> Result<Self> {
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

impl OrderLog {
    /// Reads one CSV file (plain or gzip) and appends its rows.
    ///
    /// Rows whose cells do not parse are skipped and recorded in [`OrderLog::report`]; only a
    /// file that cannot be read at all, or lacks a required column, is an error.
    pub fn read_csv<R: Read>(
        &mut self,
        input: R,
        source_name: &str,
        columns: &ColumnMap,
    ) -> Result<()> {
        let CsvFile {
            mut rows,
            header,
            line_ends,
        } = open_csv(input, source_name)?;
        let positions = HeaderPositions::find(&header, columns, source_name)?;
        let mut slashes = SlashDates::default();
        let kept_before = (self.lines.len(), self.incomplete.len());

        let mut record = csv::ByteRecord::new();
        let mut spare = csv::ByteRecord::new();
        let mut repeated = RepeatedCells::default();
        loop {
            match rows.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => return Err(unreadable(source_name, error.to_string())),
            }
            self.report.rows_read += 1;
            let line = line_ends.line_of(&record);
            // The whole row is checked as UTF-8 at once (a single ASCII scan for nearly every
            // row), not cell by cell. That takes the row's buffer, so the spare one reads the
            // next row, and this one becomes the spare.
            let row = replace(&mut record, spare);
            let (parsed, buffer) = match csv::StringRecord::from_byte_record(row) {
                Ok(text) => (
                    self.parse(
                        &RowCells::Utf8(&text),
                        &positions,
                        &header,
                        &mut repeated,
                        columns,
                    ),
                    text.into_byte_record(),
                ),
                Err(error) => {
                    let bytes = error.into_byte_record();
                    (
                        self.parse(
                            &RowCells::Bytes(&bytes),
                            &positions,
                            &header,
                            &mut repeated,
                            columns,
                        ),
                        bytes,
                    )
                }
            };
            spare = buffer;
            if let Ok(Parsed {
                slashed:
                    Some(Moment::Slashed {
                        month_first,
                        day_first,
                    }),
                blank,
                ..
            }) = &parsed
            {
                let first = |slot: &mut Option<u64>| {
                    slot.get_or_insert(line);
                };
                match (month_first, day_first) {
                    (Some(_), None) => first(&mut slashes.month_first_only),
                    (None, Some(_)) => first(&mut slashes.day_first_only),
                    (Some(month_first), Some(day_first)) => {
                        first(&mut slashes.either);
                        if month_first != day_first {
                            let incomplete = !blank.is_empty();
                            let index = if incomplete {
                                self.incomplete.len()
                            } else {
                                self.lines.len()
                            };
                            slashes.readings.push((incomplete, index, *day_first));
                        }
                    }
                    (None, None) => {}
                }
            }
            match parsed {
                Ok(Parsed { line, blank, .. }) if blank.is_empty() => self.lines.push(line),
                Ok(Parsed { line, blank, .. }) => {
                    self.report.rows_incomplete += 1;
                    self.incomplete.push(IncompleteLine { line, blank });
                }
                Err((column, message)) => self.report.skip(RowIssue {
                    source_name: source_name.to_owned(),
                    line,
                    column,
                    message,
                }),
            }
        }
        self.settle_slash_dates(slashes, source_name, kept_before)
    }

    /// Settles a file's slash dates when its [`DateOrder`] is to be decided from its values:
    /// day-first when a line reads only day-first, month-first when one reads only month-first.
    /// A file with both, or whose slash dates all read both ways, is refused, and its rows are
    /// not kept: a guess would misdate them.
    fn settle_slash_dates(
        &mut self,
        slashes: SlashDates,
        source_name: &str,
        (lines_before, incomplete_before): (usize, usize),
    ) -> Result<()> {
        let refusal = match (
            slashes.month_first_only,
            slashes.day_first_only,
            slashes.either,
        ) {
            (Some(month_first), Some(day_first), _) => format!(
                "its dates are month/day/year on line {month_first} and day/month/year on line {day_first}: say which the file uses (the date order)"
            ),
            (None, Some(_), _) => {
                for (incomplete, index, day_first) in slashes.readings {
                    let line = if incomplete {
                        &mut self.incomplete[index].line
                    } else {
                        &mut self.lines[index]
                    };
                    line.timestamp = day_first;
                }
                return Ok(());
            }
            (None, None, Some(either)) => format!(
                "every date reads both as day/month/year and as month/day/year (the first on line {either}): say which the file uses (the date order)"
            ),
            (Some(_), None, _) | (None, None, None) => return Ok(()),
        };
        self.lines.truncate(lines_before);
        self.incomplete.truncate(incomplete_before);
        Err(unreadable(source_name, refusal))
    }

    /// [`parse_row`] with this log's format counts and texts.
    fn parse(
        &mut self,
        cells: &RowCells<'_>,
        at: &HeaderPositions,
        header: &[String],
        repeated: &mut RepeatedCells,
        columns: &ColumnMap,
    ) -> std::result::Result<Parsed, (String, String)> {
        parse_row(
            cells,
            at,
            header,
            &mut self.report.unified,
            &mut self.texts,
            repeated,
            columns,
        )
    }
}

/// One row's cells: known to be UTF-8 (nearly every row), or bytes decoded cell by cell.
enum RowCells<'r> {
    Utf8(&'r csv::StringRecord),
    Bytes(&'r csv::ByteRecord),
}

impl RowCells<'_> {
    fn get(&self, position: usize) -> Option<Cow<'_, str>> {
        match self {
            Self::Utf8(record) => record.get(position).map(Cow::Borrowed),
            Self::Bytes(record) => record.get(position).map(decode_text),
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Utf8(record) => record.len(),
            Self::Bytes(record) => record.len(),
        }
    }
}

/// One parsed row and the fillable fields it left blank.
struct Parsed {
    line: OrderLine,
    blank: Vec<FillableField>,
    /// Its timestamp, when a slash date that the file's [`DateOrder`] decides (the line holds
    /// the month-first reading where there is one, until then).
    slashed: Option<Moment>,
}

/// What a file's slash dates say about their order, and the lines to change if it is
/// day-first.
#[derive(Default)]
struct SlashDates {
    /// The first line only month-first reads (`12/31/2011`).
    month_first_only: Option<u64>,
    /// The first line only day-first reads (`31/12/2011`).
    day_first_only: Option<u64>,
    /// The first line that reads both ways.
    either: Option<u64>,
    /// Lines read month-first that read otherwise day-first: in `lines` (`false`) or
    /// `incomplete` (`true`), their index, and the day-first reading.
    readings: Vec<(bool, usize, i64)>,
}

/// Parses one record, counting the cells it unified; on failure returns the offending column's
/// header name and the reason.
fn parse_row(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::fields::format_date;

    const HEADER: &str =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    fn read(text: &[u8]) -> Result<OrderLog> {
        // The UCI spreadsheet's slash dates are month-first; deciding per file is tested below.
        let columns = ColumnMap {
            date_order: DateOrder::MonthFirst,
            ..ColumnMap::online_retail()
        };
        let mut log = OrderLog::default();
        log.read_csv(text, "t.csv", &columns)?;
        Ok(log)
    }

    #[test]
    fn reads_online_retail_rows() {
        let text = format!(
            "{HEADER}\n536365,85123a ,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n\
             536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,,United Kingdom\n"
        );
        let log = read(text.as_bytes()).unwrap();
        assert_eq!(log.lines.len(), 2);
        let first = &log.lines[0];
        assert_eq!(&*first.item, "85123A");
        assert_eq!(first.quantity, 6);
        assert_eq!(first.unit_price, 2.55);
        assert_eq!(first.customer.as_deref(), Some("17850"));
        assert_eq!(log.lines[1].customer, None);
        assert_eq!(log.report.rows_skipped, 0);
    }

    #[test]
    fn rows_share_their_texts_across_files() {
        let text = format!(
            "{HEADER}\n536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850.0,UK\n\
             536365,85123a,HEART,1,2010-12-01 08:26:00,2.55,17850,UK\n"
        );
        let mut log = read(text.as_bytes()).unwrap();
        log.read_csv(text.as_bytes(), "again.csv", &ColumnMap::online_retail())
            .unwrap();
        let first = &log.lines[0];
        for other in &log.lines[1..] {
            assert!(std::sync::Arc::ptr_eq(&first.invoice, &other.invoice));
            assert!(std::sync::Arc::ptr_eq(&first.item, &other.item));
            assert!(std::sync::Arc::ptr_eq(
                &first.description,
                &other.description
            ));
            let (a, b) = (first.customer.as_ref(), other.customer.as_ref());
            assert!(std::sync::Arc::ptr_eq(a.unwrap(), b.unwrap()));
        }
        assert_eq!(log.texts.len(), 4);
    }

    #[test]
    fn bom_crlf_quoted_newlines_and_latin1_are_read() {
        let mut text = b"\xef\xbb\xbf".to_vec();
        text.extend_from_slice(HEADER.as_bytes());
        text.extend_from_slice(
            b"\r\n1,22633,\"CAF\xc9\nMUG\",2,2010-12-01 08:28:00,1.85,1.0,UK\r\n",
        );
        let log = read(&text).unwrap();
        assert_eq!(log.lines.len(), 1);
        assert_eq!(&*log.lines[0].description, "CAF\u{c9}\nMUG");
    }

    #[test]
    fn broken_rows_are_skipped_with_line_and_column() {
        let text = format!(
            "{HEADER}\n1,22633,A,two,2010-12-01 08:28:00,1.85,1.0,UK\n\
             2,22633,A,2,2010-12-01 08:28:00,1.85,1.0,UK\n\
             3,22633,A,2,not a date,1.85,1.0,UK\n\
             4,22633\n"
        );
        let log = read(text.as_bytes()).unwrap();
        assert_eq!(log.report.rows_read, 4);
        assert_eq!(log.report.rows_skipped, 3);
        assert_eq!(log.lines.len(), 1);
        let places: Vec<(u64, &str)> = log
            .report
            .issues
            .iter()
            .map(|issue| (issue.line, issue.column.as_str()))
            .collect();
        assert_eq!(
            places,
            [(2, "Quantity"), (4, "InvoiceDate"), (5, "Quantity")]
        );
        assert_eq!(
            log.report.issues[0].to_string(),
            "t.csv: line 2: column `Quantity`: `two` is not a whole number"
        );
        // A Windows export (CRLF) names the same lines, not the ones before them.
        let crlf = read(text.replace('\n', "\r\n").as_bytes()).unwrap();
        let lines: Vec<u64> = crlf.report.issues.iter().map(|issue| issue.line).collect();
        assert_eq!(lines, [2, 4, 5]);
    }

    #[test]
    fn blank_cells_are_set_aside_and_unified_formats_counted() {
        let text = format!(
            "{HEADER}\n1,85123a ,A,2,12/1/2010 8:26,£1.85,17850.0,UK\n\
             2,22633,A,,2010-12-01 08:28:00,1.85,1,UK\n\
             3,22633,A,2,2010-12-01 08:28:00, ,1,UK\n"
        );
        let log = read(text.as_bytes()).unwrap();
        assert_eq!((log.lines.len(), log.report.rows_incomplete), (1, 2));
        assert_eq!(log.report.rows_skipped, 0);
        let blank: Vec<&[FillableField]> = log
            .incomplete
            .iter()
            .map(|row| row.blank.as_slice())
            .collect();
        assert_eq!(
            blank,
            [[FillableField::Quantity], [FillableField::UnitPrice]]
        );
        assert_eq!(
            log.report.unified,
            UnifiedFormats {
                customer_ids: 1,
                product_codes: 1,
                prices: 1,
                timestamps: 1
            }
        );
        assert_eq!(log.lines[0].timestamp, 1_291_191_960);
    }

    #[test]
    fn cells_repeated_from_the_row_before_parse_and_count_as_on_their_own() {
        let text = format!(
            "{HEADER}\n1,A1,X,1,12/1/2010 8:26,1,17850.0,UK\n\
             1,A2,X,1,12/1/2010 8:26,1,17850.0,UK\n\
             1,A3,X,1,12/1/2010 8:27,1,17851.0,UK\n\
             2,A4,X,1,not a date,1,17851,UK\n\
             2,A5,X,1,not a date,1,17851,UK\n\
             3,A6,X,1,2010-12-01 08:27:00,1,,UK\n\
             3,A7,X,1,2010-12-01 08:27:00,1,,UK\n"
        );
        let log = read(text.as_bytes()).unwrap();
        let seen: Vec<(i64, Option<&str>)> = log
            .lines
            .iter()
            .map(|line| (line.timestamp, line.customer.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                (1_291_191_960, Some("17850")),
                (1_291_191_960, Some("17850")),
                (1_291_192_020, Some("17851")),
                (1_291_192_020, None),
                (1_291_192_020, None),
            ]
        );
        let lines: Vec<u64> = log.report.issues.iter().map(|issue| issue.line).collect();
        assert_eq!(lines, [5, 6]);
        assert_eq!(
            (
                log.report.unified.timestamps,
                log.report.unified.customer_ids
            ),
            (3, 3)
        );
    }

    fn read_deciding_dates(text: &str) -> Result<OrderLog> {
        let mut log = OrderLog::default();
        log.read_csv(text.as_bytes(), "t.csv", &ColumnMap::online_retail())?;
        Ok(log)
    }

    #[test]
    fn a_files_slash_dates_are_day_first_or_month_first_as_its_values_say() {
        let row = |date: &str| format!("1,A1,X,1,{date},1,17850,UK\n");
        let day = |text: &str| format_date(read_deciding_dates(text).unwrap().lines[0].timestamp);
        // 13/04 can only be day-first, so 03/04 is the 3rd of April.
        let day_first = format!(
            "{HEADER}\n{}{}",
            row("03/04/2011 10:00"),
            row("13/04/2011 10:00")
        );
        assert_eq!(day(&day_first), "2011-04-03");
        let month_first = format!(
            "{HEADER}\n{}{}",
            row("03/04/2011 10:00"),
            row("12/31/2011 10:00")
        );
        assert_eq!(day(&month_first), "2011-03-04");

        let mixed = format!("{HEADER}\n{}{}", row("12/31/2011"), row("31/12/2011"));
        let error = read_deciding_dates(&mixed).unwrap_err().to_string();
        assert!(
            error.contains("month/day/year on line 2 and day/month/year on line 3"),
            "{error}"
        );
        let undecided = format!("{HEADER}\n{}{}", row("03/04/2011"), row("05/06/2011"));
        let mut log = OrderLog::default();
        let error = log
            .read_csv(undecided.as_bytes(), "t.csv", &ColumnMap::online_retail())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("every date reads both") && error.contains("line 2"),
            "{error}"
        );
        assert!(log.lines.is_empty(), "a refused file's rows are not kept");

        // Stated, the file is read that way, and a date that cannot be is its row's problem.
        let columns = ColumnMap {
            date_order: DateOrder::DayFirst,
            ..ColumnMap::online_retail()
        };
        let mut log = OrderLog::default();
        log.read_csv(mixed.as_bytes(), "t.csv", &columns).unwrap();
        assert_eq!(format_date(log.lines[0].timestamp), "2011-12-31");
        assert_eq!(log.report.issues[0].line, 2);
        assert!(
            log.report.issues[0]
                .message
                .contains("not a day-first date")
        );
    }

    #[test]
    fn a_missing_column_names_the_column_and_the_header() {
        let error = read(b"InvoiceNo,StockCode\n1,2\n").unwrap_err();
        assert!(matches!(
            &error,
            Error::MissingColumn { column, .. } if column == "Quantity"
        ));
        assert!(error.to_string().starts_with("t.csv: line 1:"));
    }

    #[test]
    fn gzip_input_is_detected() {
        use flate2::{Compression, write::GzEncoder};
        use std::io::Write;
        let text = format!("{HEADER}\n1,22633,A,2,2010-12-01 08:28:00,1.85,1.0,UK\n");
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        let log = read(&encoder.finish().unwrap()).unwrap();
        assert_eq!(log.lines.len(), 1);
    }

    #[test]
    fn an_empty_file_has_no_header_to_find_columns_in() {
        let error = read(b"").unwrap_err();
        assert!(matches!(error, Error::MissingColumn { .. }));
    }

    #[test]
    fn a_header_only_file_reads_no_rows_and_huge_fields_are_kept() {
        let log = read(format!("{HEADER}\r\n").as_bytes()).unwrap();
        assert!(log.lines.is_empty());
        assert_eq!(log.report.rows_skipped, 0);
        let huge = "X".repeat(2_000_000);
        let text = format!("{HEADER}\n1,22633,{huge},2,2010-12-01 08:28:00,1.85,1.0,UK\n");
        let log = read(text.as_bytes()).unwrap();
        assert_eq!(log.lines[0].description.len(), 2_000_000);
    }
}
