//! aisle-core: the engine behind Aisle's on-device recommendations.
//!
//! Pure Rust with no browser types, so the same code runs in the native CLI that builds a shop's
//! bundle and in the shopper's browser (compiled to WebAssembly) that uses it.
//!
//! The path of data through the crate:
//! [`orders`] reads order logs, [`clean`] keeps real purchases, [`catalog`] and [`popularity`]
//! learn from them, [`bundle`] encodes what the browser needs; in the browser, [`bundle`] decodes
//! and verifies it, [`events`] are what the shopper does, [`profile`] folds them into bounded interest, and
//! [`recommend`] ranks products (with the reason for each) and [`search`] finds them.
//!
//! ```
//! use aisle_core::{clean::clean, orders::{ColumnMap, OrderLog}, catalog::Catalog};
//! let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
//!            1,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850.0\n\
//!            2,POST,POSTAGE,1,2010-12-01 08:28:00,18.00,17850.0\n";
//! let mut log = OrderLog::default();
//! log.read_csv(csv.as_bytes(), "orders.csv", &ColumnMap::online_retail()).unwrap();
//! let (lines, report) = clean(log.lines);
//! assert_eq!(report.not_a_product, 1);
//! assert_eq!(Catalog::from_orders(&lines).products()[0].title, "Hand Warmer Union Jack");
//! ```

#![warn(missing_docs)]

pub mod affinity;
pub mod baskets;
pub mod blend;
pub mod bundle;
pub mod catalog;
pub mod category;
pub mod clean;
pub mod content;
mod cooccurrence;
pub mod coordinate_search;
pub mod copurchase;
pub mod copy;
mod corpus;
pub mod csv_lines;
pub mod derived;
pub mod diversity;
#[cfg(feature = "train-dense")]
pub mod ease;
pub mod error;
pub mod events;
pub mod feature_ranking;
pub mod features;
pub mod fields;
#[cfg(test)]
mod fixtures;
pub mod holdout;
pub mod interaction_file;
pub mod interactions;
pub mod interner;
pub mod item_weights;
pub mod itemknn;
pub mod kmeans;
pub mod metrics;
pub mod missing;
pub mod orders;
pub mod pca;
pub mod popularity;
pub mod product_file;
pub mod profile;
pub mod quantized;
pub mod ranking;
pub mod reason;
pub mod recommend;
pub mod repeat;
pub mod rules;
pub mod scaling;
pub mod search;
pub mod segment_model;
pub mod segments;
pub mod shopper_features;
pub mod silhouette;
pub mod similarity;
pub mod sparse;
pub mod stats;
pub mod studio;
pub mod text;
pub mod tifuknn;
#[cfg(feature = "train-dense")]
pub mod train;
pub mod trending;
pub mod userknn;
pub mod weights;
pub mod workloads;

pub use error::{Error, Result};
