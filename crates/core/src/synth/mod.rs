//! Synthetic order logs of any size, shaped like a real one: the workload for measuring how
//! training and the bundle scale to catalogs of 100,000 products and more, which no public log
//! of that size with Online Retail's columns provides.
//!
//! [`LogShape::measure`] reads a log's shape (its rank-frequency curve of popularity, basket
//! sizes, orders per customer, repeat share, months, prices, quantities and title words);
//! a [`Synthesizer`] writes a log of the asked number of products and lines in that shape, with
//! co-purchase structure across the whole catalog (customers favour topics that span it), not
//! copies of the source side by side. The same seed writes the same log.
//!
//! ```
//! use aisle_core::input::orders::OrderLine;
//! use aisle_core::synth::{LogShape, SynthParams, Synthesizer};
//! let source: Vec<OrderLine> = (0..40)
//!     .map(|i| OrderLine::purchase(&format!("c{}", i % 7), &format!("p{}", i % 5), 1_300_000_000 + i * 86_400))
//!     .collect();
//! let shape = LogShape::measure(&source);
//! let mut lines = Vec::new();
//! let params = SynthParams { products: 50, lines: 300, seed: 7 };
//! let synth = Synthesizer::new(&shape, params);
//! assert_eq!(synth.catalog().ids.len(), 50);
//! synth.write_lines(|line, _| { lines.push(*line); Ok::<_, ()>(()) }, |_| {}).unwrap();
//! assert_eq!(lines.len(), 300);
//! assert!(lines.iter().all(|line| line.item < 50));
//! ```

mod generate;
mod shape;

pub use generate::{
    CSV_HEADER, SynthCatalog, SynthLine, SynthParams, Synthesizer, Written, csv_row,
};
pub use shape::{LogShape, MAX_BASKET, MAX_ORDERS, MAX_QUANTITY, month_of};
