//! Small hand-made catalogs and purchase matrices shared by the unit tests.

use crate::catalog::{Catalog, Product};
use crate::interactions::Interactions;
use crate::orders::OrderLine;

/// A catalog of these ids, in this order, titled by their ids.
pub fn catalog(ids: &[&str]) -> Catalog {
    Catalog::new(
        ids.iter()
            .map(|id| Product {
                id: (*id).into(),
                title: (*id).into(),
                price: 1.0,
            })
            .collect(),
    )
}

/// The purchase matrix of (customer, item) pairs over a catalog of `items`.
pub fn matrix(bought: &[(&str, &str)], items: &[&str]) -> Interactions {
    let lines: Vec<OrderLine> = bought
        .iter()
        .map(|(customer, item)| OrderLine::purchase(customer, item, 0))
        .collect();
    Interactions::from_orders(&catalog(items), &lines)
}
