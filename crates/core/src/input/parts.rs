//! Reading one plain CSV order file as several parts side by side, then joining them into the
//! [`OrderLog`] that reading the file whole gives: the same lines in the same order, the same
//! report (a skipped row on its line of the whole file), the same slash-date decision.
//!
//! **Cutting.** The file is cut at equal byte offsets, each moved to just after the next `\n`,
//! and each part reads the file's header line and then its own bytes ([`PartBounds`]). A cut can
//! still fall inside a quoted cell that spans lines, and no rule on the bytes near it can tell:
//! a `"` opens a quote only at the start of a cell, so only reading from the file's start knows.
//! Each part therefore reads on past its end to the row after its last, which it reads from a
//! true row start (the first part's start is, and by induction so is each next one's), and
//! checks that this row is where the next part began. If one is not, the cut was inside a cell
//! and [`OrderLog::append_parts`] declines the parts: the caller reads the file whole.
//!
//! Gzip files are read whole: a deflate stream can only be decoded from its start.
//!
//! ```
//! use aisle_core::input::orders::{ColumnMap, OrderLog};
//! use aisle_core::input::parts::{FileCuts, OrderPart};
//! let mut csv = String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
//! for row in 0..400 {
//!     csv += &format!("{row},85123A,MUG,{},2011-01-01 10:00:00,1.50,7\n", row % 5 + 1);
//! }
//! let bytes = csv.as_bytes();
//! let cuts = FileCuts::plan(bytes, bytes.len() as u64, 3, 1, |at| Some(bytes[at as usize..].to_vec()))
//!     .unwrap();
//! let parts: Vec<OrderPart> = cuts
//!     .parts()
//!     .map(|bounds| OrderPart::read(bounds.stream(bytes), &bounds, "a.csv", &ColumnMap::online_retail()).unwrap())
//!     .collect();
//! let mut joined = OrderLog::default();
//! assert!(joined.append_parts(parts, "a.csv").unwrap());
//! let mut whole = OrderLog::default();
//! whole.read_csv(bytes, "a.csv", &ColumnMap::online_retail()).unwrap();
//! assert_eq!(joined.lines, whole.lines);
//! ```

use std::io::{self, Read};

use crate::error::Result;
use crate::input::csv_file::is_gzip;
use crate::input::order_row::SlashDates;
use crate::input::orders::{ColumnMap, OrderLog, ReadReport};

/// Bytes a part reads past its end at most, to find the row after its last: more than any
/// order row. A part whose next row starts further on is declined, and the file read whole.
pub const READ_PAST_END: u64 = 1 << 20;

/// Where the parts of one plain CSV file start and end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCuts {
    /// The header line's bytes, its line break included.
    header_end: u64,
    /// Each part's first byte, then the file's size.
    starts: Vec<u64>,
    /// The file's size.
    size: u64,
}

/// One part of a file: the bytes `[start, end)` after the header `[0, header_end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartBounds {
    /// The header line's bytes, its line break included.
    pub header_end: u64,
    /// The part's first byte, the start of a line.
    pub start: u64,
    /// The next part's first byte, or the file's size.
    pub end: u64,
    /// The file's size.
    pub size: u64,
}

impl FileCuts {
    /// Cuts a plain CSV file of `size` bytes, whose first bytes are `head`, into up to `parts`
    /// parts of at least `min_part_bytes` each. `window(offset)` gives some kilobytes of the file
    /// from `offset` on, where a part may start. `None` when the file should be read whole:
    /// gzip, one part, or a header line that `head` does not end or that quotes a line break.
    pub fn plan(
        head: &[u8],
        size: u64,
        parts: usize,
        min_part_bytes: u64,
        mut window: impl FnMut(u64) -> Option<Vec<u8>>,
    ) -> Option<Self> {
        if is_gzip(head) {
            return None;
        }
        let header_end = head.iter().position(|&byte| byte == b'\n')? as u64 + 1;
        let header = &head[..header_end as usize];
        if header.iter().filter(|&&byte| byte == b'"').count() % 2 != 0 {
            return None;
        }
        let body = size.checked_sub(header_end)?;
        let parts = (parts as u64).min(body / min_part_bytes.max(1));
        if parts < 2 {
            return None;
        }
        let mut starts = vec![header_end];
        for part in 1..parts {
            let from = header_end + body * part / parts;
            match window(from).and_then(|bytes| line_start_in(&bytes, from)) {
                Some(start) if start > *starts.last()? && start < size => starts.push(start),
                _ => break,
            }
        }
        if starts.len() < 2 {
            return None;
        }
        starts.push(size);
        Some(Self {
            header_end,
            starts,
            size,
        })
    }

    /// The header line's length in bytes, its line break included: the head of every part's
    /// stream.
    pub fn header_len(&self) -> usize {
        self.header_end as usize
    }

    /// The parts, in file order.
    pub fn parts(&self) -> impl Iterator<Item = PartBounds> + '_ {
        self.starts.windows(2).map(|pair| PartBounds {
            header_end: self.header_end,
            start: pair[0],
            end: pair[1],
            size: self.size,
        })
    }
}

impl PartBounds {
    /// How many bytes of the file from `start` a part reads: its own and up to
    /// [`READ_PAST_END`] more.
    pub fn read_len(&self) -> u64 {
        (self.end + READ_PAST_END).min(self.size) - self.start
    }

    /// The part's stream out of the whole file held in memory: the header line, then the
    /// part's [`PartBounds::read_len`] bytes.
    pub fn stream<'a>(&self, file: &'a [u8]) -> impl Read + 'a {
        let header = &file[..self.header_end as usize];
        let start = self.start as usize;
        header.chain(&file[start..start + self.read_len() as usize])
    }
}

/// What one part read, for [`OrderLog::append_parts`].
#[derive(Debug)]
pub struct OrderPart {
    log: OrderLog,
    slashes: SlashDates,
    /// `\n` bytes in `[start, end)`: the lines before the next part.
    newlines: u64,
    /// Whether the row after the part's last begins where the next part does.
    ends_at_next_start: bool,
}

impl OrderPart {
    /// Reads the part `bounds` of a file from `stream`: the header line, then the file's bytes
    /// from `bounds.start` on ([`PartBounds::stream`]).
    pub fn read<R: Read>(
        stream: R,
        bounds: &PartBounds,
        source_name: &str,
        columns: &ColumnMap,
    ) -> Result<Self> {
        let watched = std::cell::RefCell::new(Watch::new(*bounds));
        let mut log = OrderLog::default();
        let mut stop = None;
        let slashes = log.read_rows(
            Watched {
                inner: stream,
                watch: &watched,
            },
            source_name,
            columns,
            &mut |row| {
                let at = row.byte + bounds.start - bounds.header_end;
                let stops = watched.borrow().belongs_to_next(at);
                if stops {
                    stop = Some(at);
                }
                stops
            },
        )?;
        let watch = watched.into_inner();
        let ends_at_next_start = match stop {
            Some(at) => watch.only_line_breaks_from_end_to(at),
            None => watch.read_to == bounds.size,
        };
        Ok(Self {
            log,
            slashes,
            newlines: watch.newlines,
            ends_at_next_start,
        })
    }
}

/// What a part's reader has seen of the file's bytes, by file offset.
struct Watch {
    bounds: PartBounds,
    /// Stream bytes read so far.
    streamed: u64,
    /// The file offset the stream has reached.
    read_to: u64,
    newlines: u64,
    /// The first byte from `end` on that is not a line break.
    first_content_from_end: Option<u64>,
}

impl Watch {
    fn new(bounds: PartBounds) -> Self {
        Self {
            bounds,
            streamed: 0,
            read_to: bounds.start,
            newlines: 0,
            first_content_from_end: None,
        }
    }

    fn see(&mut self, bytes: &[u8]) {
        let header_end = self.bounds.header_end;
        let skip = header_end
            .saturating_sub(self.streamed)
            .min(bytes.len() as u64) as usize;
        self.streamed += bytes.len() as u64;
        let bytes = &bytes[skip..];
        let from = self.read_to;
        self.read_to += bytes.len() as u64;
        let end = self.bounds.end;
        let own = &bytes[..(end.saturating_sub(from) as usize).min(bytes.len())];
        self.newlines += own.iter().filter(|&&byte| byte == b'\n').count() as u64;
        if self.first_content_from_end.is_none() {
            let after = &bytes[own.len()..];
            if let Some(at) = after.iter().position(|&byte| !is_line_break(byte)) {
                self.first_content_from_end = Some(from + (own.len() + at) as u64);
            }
        }
    }

    /// Whether a row that begins at `at` is the next part's.
    fn belongs_to_next(&self, at: u64) -> bool {
        at >= self.bounds.end
    }

    /// Whether only line breaks lie between the end and `at`, where the row after the part's
    /// last begins: then the next part, which skips line breaks at its start, read that row
    /// first.
    fn only_line_breaks_from_end_to(&self, at: u64) -> bool {
        at <= self.bounds.end || self.first_content_from_end.is_some_and(|first| first >= at)
    }
}

/// Where a part may start in `window` (byte `offset` of the file on): just after its first `\n`.
fn line_start_in(window: &[u8], offset: u64) -> Option<u64> {
    memchr::memchr(b'\n', window).map(|at| offset + at as u64 + 1)
}

fn is_line_break(byte: u8) -> bool {
    byte == b'\n' || byte == b'\r'
}

/// A part's stream, watched.
struct Watched<'w, R> {
    inner: R,
    watch: &'w std::cell::RefCell<Watch>,
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let count = self.inner.read(buffer)?;
        self.watch.borrow_mut().see(&buffer[..count]);
        Ok(count)
    }
}

impl OrderLog {
    /// Appends one file read as `parts` (in file order, from [`FileCuts::parts`]), as
    /// [`OrderLog::read_csv`] would have read it whole, and settles its slash dates. Returns
    /// `false`, appending nothing, when a cut fell inside a cell: the file is to be read whole.
    pub fn append_parts(&mut self, parts: Vec<OrderPart>, source_name: &str) -> Result<bool> {
        if parts.iter().any(|part| !part.ends_at_next_start) {
            return Ok(false);
        }
        let kept_before = (self.lines.len(), self.incomplete.len());
        let mut slashes = SlashDates::default();
        let mut lines_before = 0;
        // The rows of the parts not yet joined: the first part's vector makes room for the rest
        // once.
        let mut rest: usize = parts.iter().map(|part| part.log.lines.len()).sum();
        for part in parts {
            let OrderPart {
                log, slashes: own, ..
            } = part;
            rest = rest.saturating_sub(log.lines.len());
            let shift = |line: u64| line + lines_before;
            slashes.month_first_only = slashes.month_first_only.or(own.month_first_only.map(shift));
            slashes.day_first_only = slashes.day_first_only.or(own.day_first_only.map(shift));
            let (lines_at, incomplete_at) = (self.lines.len(), self.incomplete.len());
            slashes.readings.extend(own.readings.into_iter().map(
                |(incomplete, index, day_first)| {
                    let at = if incomplete { incomplete_at } else { lines_at };
                    (incomplete, at + index, day_first)
                },
            ));
            self.add_report(&log.report, lines_before);
            // The part's rows keep the part's copies of their texts: a few thousand texts held
            // twice cost less than re-pointing every row. A later file shares the first copy.
            for text in log.texts.iter() {
                self.texts.adopt(text);
            }
            if self.lines.is_empty() {
                self.lines = log.lines;
                self.lines.reserve(rest);
            } else {
                self.lines.extend(log.lines);
            }
            self.incomplete.extend(log.incomplete);
            lines_before += part.newlines;
        }
        self.settle_slash_dates(slashes, source_name, kept_before)?;
        Ok(true)
    }

    /// Adds a part's counts and skipped rows, their lines moved down by `lines_before`.
    fn add_report(&mut self, part: &ReadReport, lines_before: u64) {
        let report = &mut self.report;
        report.rows_read += part.rows_read;
        report.rows_incomplete += part.rows_incomplete;
        report.unified.customer_ids += part.unified.customer_ids;
        report.unified.product_codes += part.unified.product_codes;
        report.unified.prices += part.unified.prices;
        report.unified.timestamps += part.unified.timestamps;
        // The part's issues are its first ones; the rest it only counted.
        let listed = part.issues.len() as u64;
        for issue in &part.issues {
            let mut issue = issue.clone();
            issue.line += lines_before;
            report.skip(issue);
        }
        report.rows_skipped += part.rows_skipped - listed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::input::fields::DateOrder;

    const HEADER: &str =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID";

    /// `bytes` read in `parts` parts of at least one byte; `None` when declined.
    fn in_parts(bytes: &[u8], parts: usize, columns: &ColumnMap) -> Option<Result<OrderLog>> {
        let cuts = FileCuts::plan(bytes, bytes.len() as u64, parts, 1, |at| {
            Some(bytes[at as usize..].to_vec())
        })?;
        let read: Result<Vec<OrderPart>> = cuts
            .parts()
            .map(|bounds| OrderPart::read(bounds.stream(bytes), &bounds, "t.csv", columns))
            .collect();
        let mut log = OrderLog::default();
        match read.and_then(|parts| log.append_parts(parts, "t.csv")) {
            Ok(true) => Some(Ok(log)),
            Ok(false) => None,
            Err(error) => Some(Err(error)),
        }
    }

    fn whole(bytes: &[u8], columns: &ColumnMap) -> Result<OrderLog> {
        let mut log = OrderLog::default();
        log.read_csv(bytes, "t.csv", columns)?;
        Ok(log)
    }

    /// Reads `text` in 2 to 40 parts; returns how many times the parts were declined.
    fn same_as_whole(text: &str, columns: &ColumnMap) -> usize {
        let expected = whole(text.as_bytes(), columns);
        let mut declined = 0;
        for parts in 2..=40 {
            match (in_parts(text.as_bytes(), parts, columns), &expected) {
                (None, _) => declined += 1,
                (Some(Ok(log)), Ok(expected)) => {
                    assert_eq!(log.lines, expected.lines, "{parts} parts");
                    assert_eq!(log.incomplete, expected.incomplete, "{parts} parts");
                    assert_eq!(log.report, expected.report, "{parts} parts");
                }
                (Some(Err(error)), Err(expected)) => {
                    assert_eq!(error.to_string(), expected.to_string(), "{parts} parts")
                }
                (got, expected) => panic!("{parts} parts: {got:?} against {expected:?}"),
            }
        }
        declined
    }

    fn rows(count: usize, line_break: &str) -> String {
        let mut text = format!("{HEADER}{line_break}");
        for row in 0..count {
            let quantity = match row % 11 {
                3 => "x".to_owned(),
                7 => String::new(),
                other => other.to_string(),
            };
            let customer = if row % 5 == 0 {
                String::new()
            } else {
                format!("{}", row % 13)
            };
            let description = if row % 4 == 0 { "\"MUG, BLUE\"" } else { "JUG" };
            text += &format!(
                "{},{}A,{description},{quantity},2011-0{}-0{} 10:00:00,{}.50,{customer}{line_break}",
                500 + row / 3,
                row % 17,
                row % 9 + 1,
                row % 7 + 1,
                row % 6
            );
        }
        text
    }

    #[test]
    fn parts_read_what_the_whole_file_reads_with_either_line_break() {
        let columns = ColumnMap::online_retail();
        for line_break in ["\n", "\r\n"] {
            let text = rows(120, line_break);
            assert_eq!(same_as_whole(&text, &columns), 0, "{line_break:?}");
            let blank_lines = text.replace("\n50", &format!("\n{line_break}{line_break}50"));
            assert_eq!(same_as_whole(&blank_lines, &columns), 0, "{line_break:?}");
        }
        let log = in_parts(rows(120, "\n").as_bytes(), 4, &columns)
            .unwrap()
            .unwrap();
        // Row 113 (a quantity of `x`) is on line 115 of the file, in the last part.
        assert_eq!(log.report.issues.last().map(|issue| issue.line), Some(115));
    }

    #[test]
    fn a_cut_inside_a_quoted_line_break_is_declined_never_misread() {
        let columns = ColumnMap::online_retail();
        let mut text = rows(60, "\n");
        text = text.replace(",JUG,", ",\"JUG\nWITH\n\nLID\",");
        // A `"` inside an unquoted cell is text, which counting quotes would misjudge.
        text = text.replace("\"MUG, BLUE\"", "12\" RULER");
        let declined = same_as_whole(&text, &columns);
        assert!(declined > 0 && declined < 39, "declined {declined} of 39");
    }

    #[test]
    fn slash_dates_are_settled_over_the_whole_file() {
        let mut text = format!("{HEADER}\n");
        for row in 0..80 {
            text += &format!("{row},A,JUG,1,03/04/2011 10:00,1.00,7\n");
        }
        // Only the last rows prove the file day-first.
        text += "90,A,JUG,1,25/04/2011 10:00,1.00,7\n";
        let columns = ColumnMap::online_retail();
        assert_eq!(same_as_whole(&text, &columns), 0);
        let log = in_parts(text.as_bytes(), 5, &columns).unwrap().unwrap();
        assert_eq!(log.report.dates_assumed_month_first, 0);
        // Both orders in one file are refused with the lines of the whole file.
        text += "91,A,JUG,1,12/31/2011 10:00,1.00,7\n";
        assert_eq!(same_as_whole(&text, &columns), 0);
        let error = in_parts(text.as_bytes(), 5, &columns).unwrap().unwrap_err();
        assert!(matches!(error, Error::Unreadable { .. }));
        assert!(error.to_string().contains("line 83") && error.to_string().contains("line 82"));
        let stated = ColumnMap {
            date_order: DateOrder::DayFirst,
            ..columns
        };
        assert_eq!(same_as_whole(&text, &stated), 0);
    }

    #[test]
    fn gzip_small_files_and_unended_headers_are_read_whole() {
        let none = |_| None;
        assert_eq!(
            FileCuts::plan(&[0x1f, 0x8b, 8, 0], 1 << 30, 4, 1, none),
            None
        );
        assert_eq!(FileCuts::plan(b"a,b\n1,2\n", 8, 4, 100, none), None);
        assert_eq!(FileCuts::plan(b"a,b", 1 << 30, 4, 1, none), None);
        assert_eq!(FileCuts::plan(b"\"a\nb\",c\n", 1 << 30, 4, 1, none), None);
    }
}
