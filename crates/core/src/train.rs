//! Training: from cleaned order lines to the [`Bundle`] a shop ships.
//!
//! One place decides what the browser gets, so the CLI, the evaluation and (later) the studio
//! cannot drift apart.
//!
//! ```
//! use aisle_core::orders::OrderLine;
//! use aisle_core::train::train;
//! let line = OrderLine {
//!     invoice: "1".into(), item: "22633".into(), description: "HAND WARMER".into(),
//!     quantity: 6, timestamp: 0, unit_price: 1.85, customer: Some("17850".into()),
//! };
//! let (bundle, counts) = train(&[line]);
//! assert_eq!((counts.products, counts.customers), (1, 1));
//! assert_eq!(bundle.popularity.buyers(), [1]);
//! ```

use std::collections::HashSet;

use crate::bundle::{Bundle, Counts};
use crate::catalog::Catalog;
use crate::orders::OrderLine;
use crate::popularity::Popularity;

/// Learns every bundle part from cleaned order lines.
pub fn train(lines: &[OrderLine]) -> (Bundle, Counts) {
    let catalog = Catalog::from_orders(lines);
    let popularity = Popularity::fit(&catalog, lines);
    let customers: HashSet<&str> = lines.iter().filter_map(|l| l.customer.as_deref()).collect();
    let counts = Counts {
        products: catalog.len() as u64,
        customers: customers.len() as u64,
        order_lines: lines.len() as u64,
    };
    (
        Bundle {
            catalog,
            popularity,
        },
        counts,
    )
}
