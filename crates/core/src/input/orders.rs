//! Reading order logs: CSV (optionally gzip-compressed) into typed [`OrderLine`]s.
//!
//! The reader is forgiving where exports differ harmlessly (column order, header case, a BOM,
//! CRLF, Latin-1 text, ids written as floats) and strict where a row is broken: such a row is
//! skipped and reported with its line and column, never guessed at. Here are the row types and
//! the log that reads file after file; a row's cells are parsed in `order_row`, and the file is
//! opened by [`crate::input::csv_file`].
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

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::input::csv_file::{CsvFile, comparable_name, open_csv, unreadable};
use crate::input::csv_rows::Row;
use crate::input::fields::{DateOrder, NumberFormat};
use crate::input::interner::{Interner, SharedText};
use crate::input::order_row::{
    HeaderPositions, Parsed, RepeatedCells, RowCells, SlashDates, parse_row,
};

/// One line of one order, as read (before cleaning). Its texts are shared with every other line
/// that holds the same one ([`crate::input::interner`]), or, in a file read in parts
/// ([`crate::input::parts`]), with those of its part.
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
    /// Rows whose slash date reads both ways (`03/04/2011`) in a file whose other dates do not
    /// decide it, read month-first; stating the date order reads them otherwise.
    #[serde(default)]
    pub dates_assumed_month_first: u64,
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

    /// The field's name in the studio's test ids and the key of its text there
    /// (`field.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Quantity => "quantity",
            Self::UnitPrice => "unit-price",
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
    pub(super) texts: Interner,
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
        let kept_before = (self.lines.len(), self.incomplete.len());
        let slashes = self.read_rows(input, source_name, columns, &mut |_| false)?;
        self.settle_slash_dates(slashes, source_name, kept_before)
    }

    /// Reads `input`'s rows until its end or the first row `stops_before` refuses, appending
    /// them; the slash dates are left for the caller to settle.
    pub(super) fn read_rows<R: Read>(
        &mut self,
        input: R,
        source_name: &str,
        columns: &ColumnMap,
        stops_before: &mut dyn FnMut(&Row<'_>) -> bool,
    ) -> Result<SlashDates> {
        let CsvFile { mut rows, header } = open_csv(input, source_name)?;
        let positions = HeaderPositions::find(&header, columns, source_name)?;
        let mut slashes = SlashDates::default();
        let mut repeated = RepeatedCells::default();
        while let Some(row) = rows
            .next_row()
            .map_err(|error| unreadable(source_name, error.to_string()))?
        {
            if stops_before(&row) {
                break;
            }
            self.report.rows_read += 1;
            let line = row.line;
            let parsed = self.parse(
                &RowCells::of(row),
                &positions,
                &header,
                &mut repeated,
                columns,
            );
            if let Ok(Parsed {
                slashed: Some(moment),
                blank,
                ..
            }) = &parsed
            {
                // Where the line is about to go, should the file turn out day-first.
                let slot = if blank.is_empty() {
                    (false, self.lines.len())
                } else {
                    (true, self.incomplete.len())
                };
                slashes.note(line, *moment, slot);
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
        Ok(slashes)
    }

    /// Settles a file's slash dates when its [`DateOrder`] is to be decided from its values:
    /// day-first when a line reads only day-first, month-first when one reads only month-first.
    /// A file with both is refused, and its rows are not kept: either reading would misdate
    /// some. A file whose slash dates all read both ways is read month-first (as US exports and
    /// the UCI spreadsheet write them), and the report counts the rows so read
    /// ([`ReadReport::dates_assumed_month_first`]), for the reader to be told.
    pub(super) fn settle_slash_dates(
        &mut self,
        slashes: SlashDates,
        source_name: &str,
        (lines_before, incomplete_before): (usize, usize),
    ) -> Result<()> {
        let refusal = match (slashes.month_first_only, slashes.day_first_only) {
            (Some(month_first), Some(day_first)) => format!(
                "its dates are month/day/year on line {month_first} and day/month/year on line {day_first}: say which the file uses (the date order)"
            ),
            (None, Some(_)) => {
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
            (None, None) => {
                self.report.dates_assumed_month_first += slashes.readings.len() as u64;
                return Ok(());
            }
            (Some(_), None) => return Ok(()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
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
        let mut log = OrderLog::default();
        let refused = log.read_csv(mixed.as_bytes(), "t.csv", &ColumnMap::online_retail());
        assert!(refused.is_err());
        assert!(log.lines.is_empty(), "a refused file's rows are not kept");
        // Undecided: month-first, and counted so that the reader is told.
        let undecided = format!("{HEADER}\n{}{}", row("03/04/2011"), row("05/05/2011"));
        let log = read_deciding_dates(&undecided).unwrap();
        assert_eq!(format_date(log.lines[0].timestamp), "2011-03-04");
        assert_eq!(
            log.report.dates_assumed_month_first, 1,
            "05/05 reads the same both ways"
        );

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
