//! The one report a store may send per period, as JSON: a fixed schema with no identifier, no
//! product and no time finer than the period, read back strictly (any other field refuses the
//! report), so a collector can check every body it stores.
//!
//! ```
//! use aisle_core::measure::{Answer, report::{Report, read_reports}};
//! let sent = Report::new("2026-W49", "B", 1.0, Answer::Opened);
//! let body = sent.to_json();
//! assert_eq!(body, r#"{"schema":1,"period":"2026-W49","epsilon":1.0,"arm":"B","answer":"opened"}"#);
//! assert_eq!(read_reports("reports.jsonl", &body).unwrap(), [sent]);
//! let extra = r#"{"schema":1,"period":"2026-W49","epsilon":1.0,"arm":"B","answer":"opened","user":"u1"}"#;
//! let message = read_reports("reports.jsonl", extra).unwrap_err().to_string();
//! assert!(message.starts_with("reports.jsonl: line 1: column 80: unknown field `user`"), "{message}");
//! ```

use serde::{Deserialize, Serialize};

use super::Answer;
use super::randomizer::Randomizer;
use crate::error::{Error, Result};

/// The schema version a report carries.
pub const SCHEMA: u32 = 1;

/// The longest arm name a report may carry.
pub const MAX_ARM_LENGTH: usize = 32;

/// One browser's report for one period, its answer already randomized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: u32,
    /// The ISO week the report is for (`2026-W49`): the finest time it tells.
    pub period: String,
    /// The privacy budget the answer was randomized with.
    pub epsilon: f64,
    /// The experiment's arm the browser drew.
    pub arm: String,
    /// The randomized answer.
    pub answer: Answer,
}

impl Report {
    /// A report of `answer` (randomized already) for `arm` in `period`.
    pub fn new(period: &str, arm: &str, epsilon: f64, answer: Answer) -> Self {
        Self {
            schema: SCHEMA,
            period: period.to_owned(),
            epsilon,
            arm: arm.to_owned(),
            answer,
        }
    }

    /// The report as the one-line JSON body a store sends.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a report holds only strings and numbers")
    }

    /// Why this report is not one a store sends, if it is not.
    fn check(&self) -> std::result::Result<(), String> {
        if self.schema != SCHEMA {
            return Err(format!("schema {} is not {SCHEMA}", self.schema));
        }
        Randomizer::new(self.epsilon).map_err(|error| error.to_string())?;
        if !is_iso_week(&self.period) {
            return Err(format!(
                "period `{}` is not an ISO week such as 2026-W49",
                self.period
            ));
        }
        check_arm(&self.arm)
    }
}

/// Why `arm` cannot name an experiment's arm, if it cannot: 1 to [`MAX_ARM_LENGTH`] ASCII
/// letters, digits, `-` or `_`, so a name can carry nothing else.
pub(crate) fn check_arm(arm: &str) -> std::result::Result<(), String> {
    let fits = !arm.is_empty()
        && arm.len() <= MAX_ARM_LENGTH
        && arm
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fits {
        Ok(())
    } else {
        Err(format!(
            "arm `{arm}` is not 1 to {MAX_ARM_LENGTH} letters, digits, `-` or `_`"
        ))
    }
}

/// `2026-W49`: a year, `-W` and a week from 01 to 53.
fn is_iso_week(period: &str) -> bool {
    let bytes = period.as_bytes();
    bytes.len() == 8
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && &bytes[4..6] == b"-W"
        && bytes[6..].iter().all(u8::is_ascii_digit)
        && (1..=53).contains(&period[6..].parse::<u32>().unwrap_or(0))
}

/// The reports in `text`, one JSON object per line (blank lines skipped), each checked; the
/// first that is not a store's report is named by `source_name` and its line.
pub fn read_reports(source_name: &str, text: &str) -> Result<Vec<Report>> {
    let mut reports = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fault = |message: String| Error::Report {
            source_name: source_name.to_owned(),
            line: index + 1,
            message,
        };
        let report: Report = serde_json::from_str(line).map_err(|error| {
            // The reader counts lines of one report: say the column, the line is ours.
            let position = format!(" at line {} column {}", error.line(), error.column());
            let message = error.to_string();
            let message = message.strip_suffix(&position).unwrap_or(&message);
            fault(format!("column {}: {message}", error.column()))
        })?;
        report.check().map_err(fault)?;
        reports.push(report);
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_bad_report_is_refused_with_its_line() {
        let good = Report::new("2026-W01", "control_1", 1.0, Answer::Bought).to_json();
        let cases = [
            ("{\"schema\":1", "EOF while parsing"),
            (
                r#"{"schema":2,"period":"2026-W01","epsilon":1.0,"arm":"A","answer":"opened"}"#,
                "schema 2",
            ),
            (
                r#"{"schema":1,"period":"2026-12-01","epsilon":1.0,"arm":"A","answer":"opened"}"#,
                "ISO week",
            ),
            (
                r#"{"schema":1,"period":"2026-W54","epsilon":1.0,"arm":"A","answer":"opened"}"#,
                "ISO week",
            ),
            (
                r#"{"schema":1,"period":"2026-W01","epsilon":0.0,"arm":"A","answer":"opened"}"#,
                "epsilon",
            ),
            (
                r#"{"schema":1,"period":"2026-W01","epsilon":1.0,"arm":"","answer":"opened"}"#,
                "arm ``",
            ),
            (
                r#"{"schema":1,"period":"2026-W01","epsilon":1.0,"arm":"<b>","answer":"opened"}"#,
                "arm `<b>`",
            ),
            (
                r#"{"schema":1,"period":"2026-W01","epsilon":1.0,"arm":"A","answer":"viewed"}"#,
                "unknown variant `viewed`",
            ),
            (
                r#"{"schema":1,"period":"2026-W01","epsilon":1.0,"arm":"A"}"#,
                "missing field `answer`",
            ),
            (
                r#"{"schema":1,"period":"2026-W01","epsilon":1.0,"arm":"A","answer":"opened","ip":"1.2.3.4"}"#,
                "unknown field `ip`",
            ),
        ];
        for (bad, expected) in cases {
            let text = format!("{good}\n\n{bad}\n{good}\n");
            let message = read_reports("week.jsonl", &text).unwrap_err().to_string();
            assert!(message.starts_with("week.jsonl: line 3: "), "{message}");
            assert!(message.contains(expected), "{bad}: {message}");
        }
        let long_arm = "a".repeat(MAX_ARM_LENGTH + 1);
        let text = Report::new("2026-W01", &long_arm, 1.0, Answer::Nothing).to_json();
        assert!(read_reports("r", &text).is_err());
        assert_eq!(
            read_reports("r", &format!("{good}\n{good}")).unwrap().len(),
            2
        );
    }
}
