//! Training: from cleaned order lines to the [`Bundle`] a shop ships.
//!
//! One place decides what the browser gets, so the CLI and the evaluation cannot drift apart.
//! EASE needs dense linear algebra, so training is native only (feature `train-dense`).
//!
//! ```
//! use aisle_core::orders::OrderLine;
//! use aisle_core::train::train;
//! let line = OrderLine {
//!     invoice: "1".into(), item: "22633".into(), description: "HAND WARMER".into(),
//!     quantity: 6, timestamp: 0, unit_price: 1.85, customer: Some("17850".into()),
//! };
//! let (bundle, counts) = train(&[line]).unwrap();
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
use crate::trending::Trending;

/// EASE weights shipped per product: the download budget's largest part.
pub const SHIPPED_EASE_WEIGHTS: usize = 100;

/// Learns every bundle part from cleaned order lines. "Now", for trending, is the newest order.
pub fn train(lines: &[OrderLine]) -> Result<(Bundle, Counts)> {
    let catalog = Catalog::from_orders(lines);
    let popularity = Popularity::fit(&catalog, lines);
    let newest = lines.iter().map(|line| line.timestamp).max().unwrap_or(0);
    let trending = Trending::params().fit(&catalog, lines, newest)?;
    let matrix = Interactions::from_orders(&catalog, lines);
    let ease = Ease::params().top_n(SHIPPED_EASE_WEIGHTS).fit(&matrix)?;
    let copurchase = CoPurchase::params().fit(&catalog, lines)?;
    let customers: HashSet<&str> = lines.iter().filter_map(|l| l.customer.as_deref()).collect();
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
        },
        counts,
    ))
}
