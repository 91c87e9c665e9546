//! The line a CSV row starts on, as a person counts lines in an editor, for the "line N" of a
//! skipped row's report.
//!
//! The csv crate gives each row the line where it began reading it, and it ends a row at the
//! first byte of its line break. In a file whose lines end in CRLF that byte is the `\r`, so the
//! `\n` is read as the start of the next row, and every row but the first was given the line
//! before its own. [`LineEnds`] adds that line back. (A row right after blank lines is still
//! given the first of them: the reader skips them as part of the row.)
//!
//! ```
//! use aisle_core::input::csv_lines::LineEnds;
//! let text = b"id,qty\r\nA,1\r\nB,two\r\n";
//! let ends = LineEnds::of(text);
//! let mut reader = csv::Reader::from_reader(&text[..]);
//! let lines: Vec<u64> = reader.byte_records().map(|row| ends.line_of(&row.unwrap())).collect();
//! assert_eq!(lines, [2, 3]);
//! ```

/// How a file's lines end, as its first line break shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineEnds {
    crlf: bool,
}

impl LineEnds {
    /// From the first bytes of a file: CRLF if its first line break is one.
    pub fn of(head: &[u8]) -> Self {
        let crlf = head
            .iter()
            .position(|&byte| byte == b'\n')
            .is_some_and(|end| end > 0 && head[end - 1] == b'\r');
        Self { crlf }
    }

    /// The 1-based line `record` starts on; 0 if the reader gave no position.
    pub fn line_of(self, record: &csv::ByteRecord) -> u64 {
        record.position().map_or(0, |position| {
            // Only the file's first row starts at byte 0; every other one was begun at a `\n`.
            position.line() + u64::from(self.crlf && position.byte() > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[u8]) -> Vec<u64> {
        let ends = LineEnds::of(text);
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text)
            .byte_records()
            .map(|row| ends.line_of(&row.unwrap()))
            .collect()
    }

    #[test]
    fn rows_get_their_own_line_with_either_line_end() {
        assert_eq!(lines(b"h\nA\n\"B\nb\"\nC\n"), [1, 2, 3, 5]);
        assert_eq!(lines(b"h\r\nA\r\n\"B\r\nb\"\r\nC\r\n"), [1, 2, 3, 5]);
        assert_eq!(lines(b"\xef\xbb\xbfh\r\nA\r\n"), [1, 2]);
    }

    #[test]
    fn the_first_line_break_decides() {
        assert_eq!(LineEnds::of(b"a,b\r\n1,2\n"), LineEnds { crlf: true });
        assert_eq!(LineEnds::of(b"a,b\n1,2\r\n"), LineEnds { crlf: false });
        assert_eq!(LineEnds::of(b"\nx"), LineEnds { crlf: false });
        assert_eq!(LineEnds::of(b"no break yet"), LineEnds::default());
    }
}
