//! Training: from cleaned order lines to the [`Bundle`] a shop ships.
//!
//! One place decides what the browser gets, so the CLI and the evaluation cannot drift apart.
//! EASE needs dense linear algebra, so training is native only (feature `train-dense`).
//!
//! ```
//! use aisle_core::catalog::Catalog;
//! use aisle_core::orders::OrderLine;
//! use aisle_core::train::{TrainOptions, train};
//! let line = OrderLine {
//!     invoice: "1".into(), item: "22633".into(), description: "HAND WARMER".into(),
//!     quantity: 6, timestamp: 0, unit_price: 1.85, customer: Some("17850".into()),
//! };
//! let lines = [line];
//! let (bundle, counts) = train(Catalog::from_orders(&lines), &lines, &TrainOptions::default()).unwrap();
//! assert_eq!((counts.products, counts.customers), (1, 1));
//! assert_eq!(bundle.popularity.buyers(), [1]);
//! ```

use std::collections::HashSet;

use crate::bundle::{Bundle, Counts};
use crate::catalog::Catalog;
use crate::copurchase::CoPurchase;
use crate::ease::Ease;
use crate::error::Result;
use crate::interactions::Interactions;
use crate::orders::OrderLine;
use crate::popularity::Popularity;
use crate::segment_model::SegmentModel;
use crate::trending::Trending;

/// EASE weights shipped per product by default: the download budget's largest part.
pub const SHIPPED_EASE_WEIGHTS: usize = 100;

/// What a shop can choose when training (`aisle build` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainOptions {
    /// Customer segments: a number, or `None` to choose by silhouette.
    pub segments: Option<usize>,
    /// Seed for k-means (training is otherwise deterministic).
    pub seed: u64,
    /// EASE weights shipped per product.
    pub neighbours: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            segments: None,
            seed: 0,
            neighbours: SHIPPED_EASE_WEIGHTS,
        }
    }
}

/// Learns every bundle part for `catalog` (derived from the same lines, perhaps with the shop's
/// product file applied) from cleaned order lines. "Now", for trending, is the newest order.
/// A log with too few customers to segment (no more than k, or than 2 when k is chosen
/// automatically) ships without segments rather than failing the whole build.
pub fn train(
    catalog: Catalog,
    lines: &[OrderLine],
    options: &TrainOptions,
) -> Result<(Bundle, Counts)> {
    let popularity = Popularity::fit(&catalog, lines);
    let newest = lines.iter().map(|line| line.timestamp).max().unwrap_or(0);
    let trending = Trending::params().fit(&catalog, lines, newest)?;
    let matrix = Interactions::from_orders(&catalog, lines);
    let ease = Ease::params().top_n(options.neighbours).fit(&matrix)?;
    let copurchase = CoPurchase::params().fit(&catalog, lines)?;
    let customers: HashSet<&str> = lines.iter().filter_map(|l| l.customer.as_deref()).collect();
    let segments = if customers.len() > options.segments.unwrap_or(2) {
        SegmentModel::fit(&catalog, lines, options.segments, options.seed)?
    } else {
        SegmentModel::default()
    };
    let counts = Counts {
        products: catalog.len() as u64,
        customers: customers.len() as u64,
        order_lines: lines.len() as u64,
    };
    Ok((
        Bundle {
            catalog,
            popularity,
            trending,
            ease,
            copurchase,
            segments,
        },
        counts,
    ))
}
