//! The segmentation studio's engine: the whole pipeline a marketer runs on their own order file,
//! from bytes to named segments with products and exports. The browser's studio page only shows
//! what this computes and asks for choices; a Web Worker runs it (see [`session`]).
//!
//! The steps, each a type a person can read:
//! 1. **Read** ([`Studio::read`]): one or more CSV files (plain or gzip), with the Online
//!    Retail columns or a mapping; rows that do not parse are reported by file, line and column.
//! 2. **Clean** ([`CleaningSummary`]): blanks filled or dropped per column ([`crate::input::missing`]),
//!    exact duplicates removed, then the evaluation protocol's rules (no customer, cancelled,
//!    non-positive quantity or price, not a product).
//! 3. **Features** ([`FeatureSummary`]): one row per customer ([`crate::segmentation::customer_features`]), each column
//!    with its distribution.
//! 4. **Segments** ([`segmenting`]): the marketer's features and scaling, a k sweep with a
//!    suggested k, k-means, names, what sets each segment apart, its top products, a 2-D map.
//! 5. **Export** ([`export`]): customer-to-segment CSV, summary JSON, copy CSV.
//!
//! ```
//! use aisle_core::input::missing::MissingValues;
//! use aisle_core::input::orders::ColumnMap;
//! use aisle_core::studio::{Input, Studio};
//! let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
//!            1,10001,MUG,2,2011-01-01 10:00:00,1.50,7\n\
//!            1,10001,MUG,2,2011-01-01 10:00:00,1.50,7\n\
//!            C2,10001,MUG,-1,2011-01-02 10:00:00,1.50,7\n";
//! let studio = Studio::read(
//!     vec![Input::from_bytes("orders.csv", csv.as_bytes())],
//!     &ColumnMap::online_retail(),
//!     &MissingValues::default(),
//!     &mut |_| {},
//! )
//! .unwrap();
//! assert_eq!(studio.cleaning.duplicates_removed, 1);
//! assert_eq!(studio.cleaning.rules.cancelled, 1);
//! assert_eq!(studio.cleaning.customers, 1);
//! ```

pub mod columns;
pub mod distribution;
pub mod export;
pub mod segmenting;
pub mod session;
pub mod texts;

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::input::clean::{CleaningReport, CleaningRules, clean, remove_exact_duplicates};
use crate::input::missing::{MissingReport, MissingValues, fill_missing};
use crate::input::orders::{ColumnMap, OrderLine, OrderLog, ReadReport};
use crate::segmentation::customer_features::CustomerFeatures;
use crate::segmentation::segments::SegmentingStage;
use crate::serve::ui_texts::UiTexts;

pub use distribution::{FeatureSummary, Histogram};

/// Where a long step is, for a progress indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// What is being done.
    pub stage: Stage,
    /// How far, in [0, 1].
    pub done: f64,
}

impl Progress {
    /// `stage`, `done` of the way through.
    pub fn new(stage: Stage, done: f64) -> Self {
        Self {
            stage,
            done: done.clamp(0.0, 1.0),
        }
    }
}

/// What the studio is doing, which its page says in the marketer's language ([`texts`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// A request is on its way to the worker.
    Starting,
    /// Reading the file named `file`.
    Reading {
        /// The file's name.
        file: String,
    },
    /// Filling blanks, removing duplicates, applying the cleaning rules.
    Cleaning,
    /// Computing the customer table.
    Features,
    /// Segmenting ([`segment_customers`](crate::segmentation::segments::segment_customers)).
    Segmenting(SegmentingStage),
    /// Describing each segment for its card.
    Describing,
    /// Drawing the map.
    Drawing,
}

impl Stage {
    /// The stage in the words of `texts` (the studio's, [`texts::studio_texts`]).
    pub fn describe(&self, texts: &UiTexts) -> String {
        match self {
            Self::Starting => texts.get("stage.starting").to_owned(),
            Self::Reading { file } => texts.fill("stage.reading", &[("file", file)]),
            Self::Cleaning => texts.get("stage.cleaning").to_owned(),
            Self::Features => texts.get("stage.features").to_owned(),
            Self::Segmenting(SegmentingStage::TryingK { k }) => {
                texts.fill("stage.trying-k", &[("k", &k.to_string())])
            }
            Self::Segmenting(SegmentingStage::Clustering { k }) => {
                texts.fill("stage.clustering", &[("k", &k.to_string())])
            }
            Self::Segmenting(SegmentingStage::Naming) => texts.get("stage.naming").to_owned(),
            Self::Describing => texts.get("stage.describing").to_owned(),
            Self::Drawing => texts.get("stage.drawing").to_owned(),
        }
    }
}

/// Everything reading and cleaning did, for the cleaning report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CleaningSummary {
    /// The files read, in order.
    pub files: Vec<String>,
    /// Rows read, rows skipped as unparseable (with the first few places), formats unified.
    pub read: ReadReport,
    /// How blank quantities, prices and timestamps were filled or dropped.
    pub missing: MissingReport,
    /// Rows identical in every field to an earlier one, removed.
    pub duplicates_removed: u64,
    /// Rows dropped by the protocol's rules, by rule.
    pub rules: CleaningReport,
    /// Rows with no description, which take their product's most common one.
    pub blank_descriptions: u64,
    /// Customers in the cleaned data.
    pub customers: usize,
    /// Products in the cleaned data.
    pub products: usize,
    /// The first and last order, in seconds since the epoch.
    pub period: (i64, i64),
}

/// One file to read: its name (for reports), its size in bytes (for progress; 0 if unknown) and
/// its contents, plain or gzip CSV.
pub struct Input<R> {
    /// The file's name.
    pub name: String,
    /// Its size in bytes, as stored (compressed, for gzip).
    pub size: u64,
    /// Its bytes.
    pub reader: R,
}

impl<'a> Input<&'a [u8]> {
    /// A file held in memory.
    pub fn from_bytes(name: &str, bytes: &'a [u8]) -> Self {
        Self {
            name: name.to_owned(),
            size: bytes.len() as u64,
            reader: bytes,
        }
    }
}

/// Reports reading progress every [`PROGRESS_EVERY`] bytes as a share of all inputs' bytes.
struct Counting<'p, R> {
    inner: R,
    stage: Stage,
    read: u64,
    reported: u64,
    total: u64,
    progress: &'p mut dyn FnMut(Progress),
}

/// The bytes of a short order line in a CSV export (the Online Retail log's average 88.6): an
/// estimate of the rows in a file that errs towards more.
const SHORT_ROW_BYTES: u64 = 64;

/// Bytes between two reading-progress reports.
const PROGRESS_EVERY: u64 = 1 << 20;

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(buffer)?;
        self.read += count as u64;
        if self.read - self.reported >= PROGRESS_EVERY && self.total > 0 {
            self.reported = self.read;
            (self.progress)(Progress::new(
                self.stage.clone(),
                self.read as f64 / self.total as f64,
            ));
        }
        Ok(count)
    }
}

/// A cleaned order file, ready to segment: its customer table, products and baskets.
#[derive(Debug, Clone)]
pub struct Studio {
    /// What reading and cleaning did.
    pub cleaning: CleaningSummary,
    /// One row per customer, in original units; "now" for recency is the last order.
    pub table: CustomerFeatures,
    /// The products bought, with readable titles.
    pub catalog: Catalog,
    /// Per customer (table row), the distinct catalog positions they bought, ascending.
    pub baskets: Vec<Vec<u32>>,
}

impl Studio {
    /// Reads `inputs` (each plain or gzip CSV) with `columns`, fills or drops blanks as
    /// `missing` says, cleans, and computes the customer table. `progress` hears about each
    /// stage, and about reading every megabyte.
    pub fn read<R: Read>(
        inputs: Vec<Input<R>>,
        columns: &ColumnMap,
        missing: &MissingValues,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self> {
        let mut log = OrderLog::default();
        let mut names = Vec::new();
        let total: u64 = inputs.iter().map(|input| input.size).sum();
        // Room for the rows a plain file of this size holds, so that the lines are not copied
        // each time they outgrow their vector (a gzip file's rows still grow it). Room never
        // filled costs address space, not memory: its pages are never touched. It is only a
        // hint: where the address space runs out (wasm32 has 4 GB), the lines grow as they come.
        let rows = usize::try_from(total / SHORT_ROW_BYTES).unwrap_or(usize::MAX);
        let _ = log.lines.try_reserve(rows);
        let mut read_before = 0;
        for input in inputs {
            let mut counting = Counting {
                inner: input.reader,
                stage: Stage::Reading {
                    file: input.name.clone(),
                },
                read: read_before,
                reported: read_before,
                total,
                progress: &mut *progress,
            };
            log.read_csv(&mut counting, &input.name, columns)?;
            read_before += input.size;
            names.push(input.name);
        }
        progress(Progress::new(Stage::Cleaning, 0.0));
        let missing = fill_missing(&mut log, missing);
        let read = log.report;
        let (lines, duplicates_removed) = remove_exact_duplicates(log.lines);
        let (lines, rules) = clean(lines, &CleaningRules::for_columns(columns));
        if lines.is_empty() {
            return Err(Error::NoUsableRows {
                rows_read: read.rows_read,
            });
        }
        progress(Progress::new(Stage::Features, 0.5));
        let blank_descriptions = lines
            .iter()
            .filter(|line| line.description.is_empty())
            .count() as u64;
        let first = lines.iter().map(|line| line.timestamp).min().unwrap_or(0);
        let last = lines.iter().map(|line| line.timestamp).max().unwrap_or(0);
        let table = CustomerFeatures::from_orders(&lines, last);
        let catalog = Catalog::from_orders(&lines);
        let baskets = baskets(&lines, &table, &catalog);
        Ok(Self {
            cleaning: CleaningSummary {
                files: names,
                read,
                missing,
                duplicates_removed,
                rules,
                blank_descriptions,
                customers: table.customers.len(),
                products: catalog.len(),
                period: (first, last),
            },
            table,
            catalog,
            baskets,
        })
    }

    /// Each feature's distribution, in the table's column order.
    pub fn features(&self) -> Vec<FeatureSummary> {
        self.table
            .features
            .iter()
            .zip(self.table.original.columns())
            .map(|(feature, column)| FeatureSummary::new(*feature, column))
            .collect()
    }
}

/// The distinct products each customer of `table` bought, as sorted catalog positions.
fn baskets(lines: &[OrderLine], table: &CustomerFeatures, catalog: &Catalog) -> Vec<Vec<u32>> {
    let rows: rustc_hash::FxHashMap<&str, usize> = table
        .customers
        .iter()
        .enumerate()
        .map(|(row, id)| (id.as_str(), row))
        .collect();
    let mut baskets = vec![Vec::new(); table.customers.len()];
    // The lines of one order come together: the line before usually names the same customer.
    let mut previous: Option<(&str, usize)> = None;
    for line in lines {
        let (Some(customer), Some(item)) = (line.customer.as_deref(), catalog.position(&line.item))
        else {
            continue;
        };
        let row = match previous {
            Some((id, row)) if id == customer => row,
            _ => match rows.get(customer) {
                Some(&row) => row,
                None => continue,
            },
        };
        previous = Some((customer, row));
        baskets[row].push(item as u32);
    }
    for basket in &mut baskets {
        basket.sort_unstable();
        basket.dedup();
    }
    baskets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cleaning_step_is_counted() {
        let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
                   1,10001,MUG,2,2011-01-01 10:00:00,1.50,7\n\
                   1,10001,MUG,2,2011-01-01 10:00:00,1.50,7\n\
                   2,10002,,1,2011-01-03 10:00:00,4.00,7\n\
                   3,10001,MUG,,2011-01-04 10:00:00,1.50,8\n\
                   4,POST,POSTAGE,1,2011-01-04 10:00:00,9.00,8\n\
                   5,10002,JUG,1,2011-01-05 10:00:00,4.00,\n\
                   6,10002,JUG,x,2011-01-05 10:00:00,4.00,9\n";
        let mut heard = Vec::new();
        let studio = Studio::read(
            vec![Input::from_bytes("a.csv", csv.as_bytes())],
            &ColumnMap::online_retail(),
            &MissingValues {
                quantity: crate::input::missing::Fill::Median,
                ..MissingValues::default()
            },
            &mut |progress| heard.push(progress.stage),
        )
        .unwrap();
        let summary = &studio.cleaning;
        assert_eq!(summary.read.rows_read, 7);
        assert_eq!(summary.read.rows_skipped, 1);
        assert_eq!(summary.missing.rows_filled, 1);
        assert_eq!(summary.duplicates_removed, 1);
        assert_eq!(summary.rules.not_a_product, 1);
        assert_eq!(summary.rules.missing_customer, 1);
        assert_eq!(summary.rules.rows_kept, 3);
        assert_eq!(summary.blank_descriptions, 1);
        assert_eq!((summary.customers, summary.products), (2, 2));
        assert_eq!(heard, [Stage::Cleaning, Stage::Features]);
        // Customer 7 bought both products; customer 8 the mug (quantity filled with the median).
        assert_eq!(studio.baskets, [vec![0, 1], vec![0]]);
        assert_eq!(studio.features().len(), studio.table.features.len());
    }

    #[test]
    fn a_file_with_nothing_usable_says_so() {
        let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
                   C1,10001,MUG,-2,2011-01-01 10:00:00,1.50,7\n";
        let error = Studio::read(
            vec![Input::from_bytes("a.csv", csv.as_bytes())],
            &ColumnMap::online_retail(),
            &MissingValues::default(),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(matches!(error, Error::NoUsableRows { rows_read: 1 }));
    }
}
