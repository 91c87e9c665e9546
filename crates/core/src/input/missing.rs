//! Missing values: how rows that left a quantity, price or timestamp blank are filled, per
//! column, and a report of what was done.
//!
//! The reader never guesses: it sets such rows aside ([`crate::input::orders::OrderLog::incomplete`]).
//! A caller that wants them back chooses a [`Fill`] per field. The fill value is computed from
//! the rows where the field is present, so one blank never shifts another's fill. Dropping is
//! the default, and what the CLI and the evaluation do.
//!
//! ```
//! use aisle_core::input::missing::{Fill, MissingValues, fill_missing};
//! use aisle_core::input::orders::{ColumnMap, OrderLog};
//! let csv = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
//!            1,A,2,2011-01-01 10:00:00,1.00,7\n\
//!            2,B,4,2011-01-02 10:00:00,3.00,7\n\
//!            3,C,,2011-01-03 10:00:00,,8\n";
//! let mut log = OrderLog::default();
//! log.read_csv(csv.as_bytes(), "orders.csv", &ColumnMap::online_retail()).unwrap();
//! let policy = MissingValues { quantity: Fill::Median, unit_price: Fill::Mean, ..MissingValues::default() };
//! let report = fill_missing(&mut log, &policy);
//! assert_eq!(log.lines[2].quantity, 3);
//! assert_eq!(log.lines[2].unit_price, 2.0);
//! assert_eq!(report.rows_filled, 1);
//! ```

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::input::orders::{FillableField, OrderLog};
use crate::math::stats::median;

/// What to do with a blank cell of one field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fill {
    /// Drop the row.
    #[default]
    Drop,
    /// The mean of the rows where the field is present.
    Mean,
    /// The median of those rows: what one outlier (a wholesale order) cannot move.
    Median,
    /// The most common value among those rows.
    Mode,
}

impl Fill {
    /// Every strategy, in the order a person is offered them.
    pub const ALL: [Fill; 4] = [Self::Drop, Self::Mean, Self::Median, Self::Mode];

    /// The strategy's name in files and forms (as serde writes it).
    pub fn key(self) -> &'static str {
        match self {
            Self::Drop => "drop",
            Self::Mean => "mean",
            Self::Median => "median",
            Self::Mode => "mode",
        }
    }
}

/// The strategy for each fillable field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingValues {
    /// For a blank quantity.
    pub quantity: Fill,
    /// For a blank unit price.
    pub unit_price: Fill,
    /// For a blank timestamp.
    pub timestamp: Fill,
}

impl MissingValues {
    /// These strategies with `field`'s replaced by `fill`.
    pub fn with(mut self, field: FillableField, fill: Fill) -> Self {
        match field {
            FillableField::Quantity => self.quantity = fill,
            FillableField::UnitPrice => self.unit_price = fill,
            FillableField::Timestamp => self.timestamp = fill,
        }
        self
    }

    /// The strategy for `field`.
    pub fn for_field(&self, field: FillableField) -> Fill {
        match field {
            FillableField::Quantity => self.quantity,
            FillableField::UnitPrice => self.unit_price,
            FillableField::Timestamp => self.timestamp,
        }
    }
}

/// What was done about one field's blanks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FieldFill {
    /// The field.
    pub field: FillableField,
    /// Rows where it was blank.
    pub blank: u64,
    /// The strategy applied.
    pub fill: Fill,
    /// The value written into the blanks, when they were filled (none when no row had the field
    /// to compute it from: those rows are dropped).
    pub value: Option<f64>,
}

/// What [`fill_missing`] did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MissingReport {
    /// One entry per fillable field, blank or not.
    pub fields: Vec<FieldFill>,
    /// Incomplete rows filled and kept.
    pub rows_filled: u64,
    /// Incomplete rows dropped (a strategy said so, or no value could be computed).
    pub rows_dropped: u64,
}

/// Fills or drops every row of `log.incomplete` as `policy` says, appending the filled rows to
/// `log.lines`, and reports what it did.
pub fn fill_missing(log: &mut OrderLog, policy: &MissingValues) -> MissingReport {
    let fields: Vec<FieldFill> = FillableField::ALL
        .into_iter()
        .map(|field| {
            let blank = log
                .incomplete
                .iter()
                .filter(|row| row.blank.contains(&field))
                .count() as u64;
            let fill = policy.for_field(field);
            let value = if blank == 0 {
                None
            } else {
                fill_value(log, field, fill)
            };
            FieldFill {
                field,
                blank,
                fill,
                value,
            }
        })
        .collect();
    let mut report = MissingReport {
        fields,
        ..MissingReport::default()
    };
    for mut row in std::mem::take(&mut log.incomplete) {
        let values: Option<Vec<(FillableField, f64)>> = row
            .blank
            .iter()
            .map(|&field| {
                let entry = report.fields.iter().find(|entry| entry.field == field)?;
                Some((field, entry.value?))
            })
            .collect();
        match values {
            Some(values) => {
                for (field, value) in values {
                    field.set(&mut row.line, value);
                }
                log.lines.push(row.line);
                report.rows_filled += 1;
            }
            None => report.rows_dropped += 1,
        }
    }
    report
}

/// The value `fill` computes for `field` from every row where it is present; `None` for
/// [`Fill::Drop`] or when no row has it.
fn fill_value(log: &OrderLog, field: FillableField, fill: Fill) -> Option<f64> {
    let present = log.lines.iter().map(|line| field.value(line)).chain(
        log.incomplete
            .iter()
            .filter(|row| !row.blank.contains(&field))
            .map(|row| field.value(&row.line)),
    );
    let mut values: Vec<f64> = present.collect();
    if values.is_empty() {
        return None;
    }
    match fill {
        Fill::Drop => None,
        Fill::Mean => Some(values.iter().sum::<f64>() / values.len() as f64),
        Fill::Median => Some(median(&mut values)),
        Fill::Mode => {
            let mut counts: FxHashMap<u64, usize> = FxHashMap::default();
            for value in &values {
                *counts.entry(value.to_bits()).or_default() += 1;
            }
            // Ties go to the smaller value, so the result does not depend on hash order.
            counts
                .into_iter()
                .map(|(bits, count)| (count, f64::from_bits(bits)))
                .max_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
                .map(|(_, value)| value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::orders::ColumnMap;

    fn log(rows: &str) -> OrderLog {
        let csv = format!("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n{rows}");
        let mut log = OrderLog::default();
        log.read_csv(csv.as_bytes(), "t.csv", &ColumnMap::online_retail())
            .unwrap();
        log
    }

    const ROWS: &str = "1,A,1,2011-01-01 00:00:00,1.00,7\n\
                        2,A,1,2011-01-01 00:00:00,1.00,7\n\
                        3,B,10,2011-01-03 00:00:00,7.00,8\n\
                        4,C,,2011-01-05 00:00:00,,9\n\
                        5,D,2,,2.00,9\n";

    #[test]
    fn drop_is_the_default_and_is_reported() {
        let mut log = log(ROWS);
        assert_eq!(log.report.rows_incomplete, 2);
        let report = fill_missing(&mut log, &MissingValues::default());
        assert_eq!((report.rows_filled, report.rows_dropped), (0, 2));
        assert_eq!(log.lines.len(), 3);
        let blanks: Vec<u64> = report.fields.iter().map(|entry| entry.blank).collect();
        assert_eq!(blanks, [1, 1, 1]);
    }

    #[test]
    fn mean_median_and_mode_use_the_rows_where_the_field_is_present() {
        // Quantities present: 1, 1, 10, 2 -> mean 3.5 (rounds to 4), median 1.5 (rounds to 2), mode 1.
        // Prices present: 1, 1, 7, 2 -> mean 2.75, median 1.5, mode 1.
        for (fill, quantity, price) in [
            (Fill::Mean, 4, 2.75),
            (Fill::Median, 2, 1.5),
            (Fill::Mode, 1, 1.0),
        ] {
            let mut log = log(ROWS);
            let policy = MissingValues {
                quantity: fill,
                unit_price: fill,
                timestamp: Fill::Drop,
            };
            let report = fill_missing(&mut log, &policy);
            assert_eq!(
                (report.rows_filled, report.rows_dropped),
                (1, 1),
                "{fill:?}"
            );
            let filled = log.lines.last().unwrap();
            assert_eq!(&*filled.item, "C");
            assert_eq!((filled.quantity, filled.unit_price), (quantity, price));
        }
    }

    #[test]
    fn keys_are_the_serde_names_and_with_sets_one_field() {
        for fill in Fill::ALL {
            assert_eq!(
                serde_json::to_string(&fill).unwrap(),
                format!("\"{}\"", fill.key())
            );
        }
        let policy = MissingValues::default().with(FillableField::UnitPrice, Fill::Mode);
        assert_eq!(policy.for_field(FillableField::UnitPrice), Fill::Mode);
        assert_eq!(policy.for_field(FillableField::Quantity), Fill::Drop);
    }

    #[test]
    fn a_field_no_row_has_cannot_be_filled() {
        let mut log = log("1,A,,2011-01-01 00:00:00,1.00,7\n");
        let policy = MissingValues {
            quantity: Fill::Mean,
            ..MissingValues::default()
        };
        let report = fill_missing(&mut log, &policy);
        assert_eq!(report.fields[0].value, None);
        assert_eq!(report.rows_dropped, 1);
        assert!(log.lines.is_empty());
    }
}
