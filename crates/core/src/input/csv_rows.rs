//! The rows of a CSV file, one at a time, each with the line it starts on and its first byte's
//! offset, for every CSV file Aisle reads (orders, products, interactions).
//!
//! Hand-written over `csv_core` because reading is most of the studio's time on a large order
//! file: nearly every row of an export has no quote, and such a row is found with one `memchr`
//! scan for its line break (SIMD where the target has it) and split at its delimiters where it
//! lies in the read buffer, without copying. A row with a `"` goes through `csv_core`'s state
//! machine, which handles quoted delimiters, doubled quotes and line breaks inside cells. Both
//! read rows as the `csv` crate does with `flexible(true)`: a row ends at `\r`, `\n` or `\r\n`,
//! blank lines are skipped, and rows may have any number of cells.
//!
//! Lines are counted at `\n`, as an editor counts them in files whose lines end in `\n` or
//! `\r\n`.
//!
//! ```
//! use aisle_core::input::csv_rows::CsvRows;
//! let text = b"id,name\r\n\r\nA,\"mug, blue\"\r\nB,jug";
//! let mut rows = CsvRows::new(&text[..], b',');
//! let mut read = Vec::new();
//! while let Some(row) = rows.next_row().unwrap() {
//!     read.push((row.line, row.cells().map(<[u8]>::to_vec).collect::<Vec<_>>()));
//! }
//! assert_eq!(read[1], (3, vec![b"A".to_vec(), b"mug, blue".to_vec()]));
//! assert_eq!(read[2], (4, vec![b"B".to_vec(), b"jug".to_vec()]));
//! ```

use std::io::{self, Read};

use csv_core::ReadRecordResult;

/// Bytes read from the input at a time; the buffer grows past this only for a longer row.
const READ_BYTES: usize = 64 * 1024;

/// A CSV file's rows (see the module's doc).
pub struct CsvRows<R> {
    input: R,
    delimiter: u8,
    /// Bytes read and not yet consumed: `buffer[start..filled]`.
    buffer: Vec<u8>,
    start: usize,
    filled: usize,
    /// The input has no more bytes.
    ended: bool,
    /// The file offset of `buffer[0]`.
    offset: u64,
    /// The line `buffer[start]` is on, from 1.
    line: u64,
    /// The state machine for rows with quotes, with the cells it unquoted and their ends.
    quoted: csv_core::Reader,
    unquoted: Vec<u8>,
    ends: Vec<usize>,
}

/// One row, valid until the next is read.
#[derive(Debug, Clone, Copy)]
pub struct Row<'r> {
    /// The row's cells, one after another: separated by one delimiter byte each when `gap` is
    /// 1, unquoted and back to back when it is 0.
    bytes: &'r [u8],
    /// Where each cell ends in `bytes`.
    ends: &'r [usize],
    gap: usize,
    /// The line the row starts on, from 1.
    pub line: u64,
    /// The file offset of the row's first byte.
    pub byte: u64,
}

impl<'r> Row<'r> {
    /// How many cells the row has.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no cells (never, for a row read from a file).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The byte range of cell `index` in [`Row::bytes`].
    fn range(&self, index: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] + self.gap,
        };
        Some(start..end)
    }

    /// Cell `index`'s bytes.
    pub fn get(&self, index: usize) -> Option<&'r [u8]> {
        self.range(index).map(|range| &self.bytes[range])
    }

    /// The cells' bytes, in order.
    pub fn cells(&self) -> impl Iterator<Item = &'r [u8]> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    /// The row's bytes, all cells together: valid UTF-8 when every cell is, and not only then
    /// for a quoted row, whose cells lie back to back.
    pub fn bytes(&self) -> &'r [u8] {
        self.bytes
    }

    /// Cell `index` of the row whose [`Row::bytes`] are `text`: `None` when it has no such cell
    /// or, in a quoted row, when the cell alone is not UTF-8.
    pub fn get_text<'t>(&self, text: &'t str, index: usize) -> Option<&'t str> {
        text.get(self.range(index)?)
    }
}

impl<R: Read> CsvRows<R> {
    /// Rows of `input`, whose cells `delimiter` separates.
    pub fn new(input: R, delimiter: u8) -> Self {
        Self::with_buffer(input, delimiter, READ_BYTES)
    }

    fn with_buffer(input: R, delimiter: u8, buffer_bytes: usize) -> Self {
        Self {
            input,
            delimiter,
            buffer: vec![0; buffer_bytes.max(1)],
            start: 0,
            filled: 0,
            ended: false,
            offset: 0,
            line: 1,
            quoted: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            unquoted: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// The first bytes of the input (up to a buffer's worth), before any row is read: for
    /// sniffing the delimiter and the encoding.
    pub fn head(&mut self) -> io::Result<&[u8]> {
        while !self.ended && self.filled < self.buffer.len() {
            self.read_more()?;
        }
        Ok(&self.buffer[self.start..self.filled])
    }

    /// Sets the delimiter, for rows not read yet.
    pub fn set_delimiter(&mut self, delimiter: u8) {
        self.delimiter = delimiter;
        self.quoted = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    }

    /// The next row, or `None` at the end of the input.
    pub fn next_row(&mut self) -> io::Result<Option<Row<'_>>> {
        // Line breaks before a row: blank lines, or the `\n` of a `\r\n` that ended the last.
        loop {
            if self.start == self.filled {
                if self.ended {
                    return Ok(None);
                }
                self.read_more()?;
                continue;
            }
            match self.buffer[self.start] {
                b'\n' => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.start += 1;
        }
        let line = self.line;
        let byte = self.offset + self.start as u64;
        // From the row's first byte: how far the search for its end has looked.
        let mut searched = 0;
        loop {
            let rest = &self.buffer[self.start + searched..self.filled];
            match memchr::memchr3(b'\n', b'\r', b'"', rest) {
                Some(at) if rest[at] == b'"' => return self.quoted_row(line, byte),
                Some(at) => {
                    let end = self.start + searched + at;
                    if rest[at] == b'\n' {
                        self.line += 1;
                    }
                    return Ok(Some(self.plain_row(end, end + 1, line, byte)));
                }
                None if self.ended => {
                    let end = self.filled;
                    return Ok(Some(self.plain_row(end, end, line, byte)));
                }
                None => {
                    searched = self.filled - self.start;
                    self.read_more()?;
                }
            }
        }
    }

    /// The row `buffer[start..end]`, which has no quote, split at its delimiters; the next row
    /// is read from `next`.
    fn plain_row(&mut self, end: usize, next: usize, line: u64, byte: u64) -> Row<'_> {
        let bytes = &self.buffer[self.start..end];
        self.start = next;
        self.ends.clear();
        self.ends.extend(memchr::memchr_iter(self.delimiter, bytes));
        self.ends.push(bytes.len());
        Row {
            bytes,
            ends: &self.ends,
            gap: 1,
            line,
            byte,
        }
    }

    /// The row from `buffer[start]`, which has a quote, read by `csv_core`.
    fn quoted_row(&mut self, line: u64, byte: u64) -> io::Result<Option<Row<'_>>> {
        self.quoted.reset();
        if self.unquoted.is_empty() {
            self.unquoted.resize(READ_BYTES, 0);
        }
        if self.ends.len() < 16 {
            self.ends.resize(16, 0);
        }
        let (mut written, mut cells) = (0, 0);
        loop {
            let input = &self.buffer[self.start..self.filled];
            let (result, read, wrote, ended) = self.quoted.read_record(
                input,
                &mut self.unquoted[written..],
                &mut self.ends[cells..],
            );
            self.line += memchr::memchr_iter(b'\n', &input[..read]).count() as u64;
            self.start += read;
            written += wrote;
            cells += ended;
            match result {
                ReadRecordResult::InputEmpty => self.read_more()?,
                ReadRecordResult::OutputFull => {
                    let grown = self.unquoted.len() * 2;
                    self.unquoted.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => break,
                // Not at a row's first byte, which is not a line break.
                ReadRecordResult::End => return Ok(None),
            }
        }
        self.ends.truncate(cells);
        Ok(Some(Row {
            bytes: &self.unquoted[..written],
            ends: &self.ends,
            gap: 0,
            line,
            byte,
        }))
    }

    /// Reads more of the input after the unconsumed bytes, first moving them to the buffer's
    /// start, and growing it when they fill it; sets `ended` at the input's end.
    fn read_more(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buffer.copy_within(self.start..self.filled, 0);
            self.offset += self.start as u64;
            self.filled -= self.start;
            self.start = 0;
        }
        if self.filled == self.buffer.len() {
            let grown = self.buffer.len() * 2;
            self.buffer.resize(grown, 0);
        }
        loop {
            match self.input.read(&mut self.buffer[self.filled..]) {
                Ok(0) => {
                    self.ended = true;
                    return Ok(());
                }
                Ok(count) => {
                    self.filled += count;
                    return Ok(());
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type ReadRows = Vec<(u64, u64, Vec<Vec<u8>>)>;

    fn rows(text: &[u8], delimiter: u8, buffer_bytes: usize) -> ReadRows {
        let mut rows = CsvRows::with_buffer(text, delimiter, buffer_bytes);
        let mut read = Vec::new();
        while let Some(row) = rows.next_row().unwrap() {
            let cells = row.cells().map(<[u8]>::to_vec).collect();
            read.push((row.line, row.byte, cells));
        }
        read
    }

    fn cells(read: ReadRows) -> Vec<Vec<Vec<u8>>> {
        read.into_iter().map(|(_, _, cells)| cells).collect()
    }

    /// What the `csv` crate reads, with the settings this module follows.
    fn csv_crate(text: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text)
            .byte_records()
            .map(|row| row.unwrap().iter().map(<[u8]>::to_vec).collect())
            .collect()
    }

    #[test]
    fn rows_have_their_own_line_and_first_byte() {
        let text = b"h,i\r\n\r\nA,1\r\n\"B\nb\",2\n\nC,3";
        let read = rows(text, b',', 4);
        let places: Vec<(u64, u64)> = read.iter().map(|(line, byte, _)| (*line, *byte)).collect();
        assert_eq!(places, [(1, 0), (3, 7), (4, 12), (7, 21)]);
        assert_eq!(read[2].2, [b"B\nb".to_vec(), b"2".to_vec()]);
    }

    #[test]
    fn cells_of_a_quoted_row_are_text_only_where_they_are_whole() {
        // "é" split over two cells: together valid UTF-8, each alone not.
        let text = b"\"\xc3\",\"\xa9\",\"ok\"\n";
        let mut rows = CsvRows::new(&text[..], b',');
        let row = rows.next_row().unwrap().unwrap();
        let text = std::str::from_utf8(row.bytes()).unwrap();
        assert_eq!(row.get_text(text, 0), None);
        assert_eq!(row.get_text(text, 2), Some("ok"));
    }

    proptest! {
        #[test]
        fn rows_are_those_the_csv_crate_reads(
            text in proptest::collection::vec(
                prop::sample::select(vec![b'a', b'b', b',', b';', b'"', b'\r', b'\n', b' ', 0xc3]),
                0..200,
            ),
            semicolon in any::<bool>(),
            buffer_bytes in 1usize..40,
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            prop_assert_eq!(cells(rows(&text, delimiter, buffer_bytes)), csv_crate(&text, delimiter));
        }
    }
}
