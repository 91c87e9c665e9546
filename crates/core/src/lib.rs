//! aisle-core: the engine behind Aisle's on-device recommendations.
//!
//! Pure Rust with no browser types, so the same code runs in the native CLI that builds a shop's
//! bundle and in the shopper's browser (compiled to WebAssembly) that uses it.
//!
//! The path of data through the crate, one folder per concern:
//! - [`input`] reads order logs and product files and cleans them into purchases;
//! - [`catalog`] holds the products and what is read from their texts (categories, look-alikes,
//!   search);
//! - [`models`] learns from the purchases (popularity, trending, EASE, co-purchase pairs) and
//!   holds the blend that ranks with them, with the search for its settings;
//! - [`bundle`] encodes what the browser needs, and in the browser decodes and verifies it;
//! - [`shopper`] is what the shopper does, folded into a bounded profile;
//! - [`serve`] ranks shelves on the device, with the reason for each product, and writes copy;
//! - [`segmentation`] and [`studio`] turn customers into named segments;
//! - [`eval`] is the offline evaluation, [`synth`] writes logs of any size for scale tests;
//!   [`math`] the numeric building blocks they share;
//! - [`measure`] is what a browser may report about recommendations, randomized on the device,
//!   and the estimates a shop draws from many reports.
//!
//! ```
//! use aisle_core::input::{CleaningRules, ColumnMap, OrderLog, clean};
//! use aisle_core::Catalog;
//! let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
//!            1,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850.0\n\
//!            2,POST,POSTAGE,1,2010-12-01 08:28:00,18.00,17850.0\n";
//! let mut log = OrderLog::default();
//! log.read_csv(csv.as_bytes(), "orders.csv", &ColumnMap::online_retail()).unwrap();
//! let (lines, report) = clean(log.lines, &CleaningRules::online_retail());
//! assert_eq!(report.not_a_product, 1);
//! assert_eq!(Catalog::from_orders(&lines).products()[0].title, "Hand Warmer Union Jack");
//! ```

#![warn(missing_docs)]

pub mod bundle;
pub mod catalog;
pub mod error;
pub mod eval;
#[cfg(test)]
mod fixtures;
pub mod input;
pub mod math;
pub mod measure;
pub mod models;
pub mod segmentation;
pub mod serve;
pub mod shopper;
pub mod statistics;
pub mod studio;
pub mod synth;

pub use bundle::{Bundle, Manifest};
pub use catalog::{Catalog, Product};
pub use error::{Error, Result};
pub use models::blend::{Blend, BlendSettings, Tuning};
pub use serve::recommend::{Model, Recommendation};
pub use shopper::{Event, Profile};
