//! Small hand-made catalogs and purchase matrices shared by the unit tests.

use crate::catalog::{Catalog, Product};
use crate::input::orders::OrderLine;
use crate::models::interactions::Interactions;

/// A catalog of these ids, in this order, titled by their ids.
pub fn catalog(ids: &[&str]) -> Catalog {
    Catalog::new(ids.iter().map(|id| Product::new(id, id, 1.0)).collect())
}

/// The purchase matrix of (customer, item) pairs over a catalog of `items`.
pub fn matrix(bought: &[(&str, &str)], items: &[&str]) -> Interactions {
    let lines: Vec<OrderLine> = bought
        .iter()
        .map(|(customer, item)| OrderLine::purchase(customer, item, 0))
        .collect();
    Interactions::from_orders(&catalog(items), &lines)
}

/// Two kinds of customer: six who ordered `big_item` five times each lately (days 300 to 304,
/// 200.0 an order) and six who once bought one `small_item` long ago (days 0 to 5, 1.0).
pub fn big_and_small_spenders(big_item: &str, small_item: &str) -> Vec<OrderLine> {
    const DAY: i64 = 86_400;
    let mut lines = Vec::new();
    for customer in 0..6 {
        for order in 0..5 {
            lines.push(OrderLine {
                invoice: format!("big{customer}-{order}").into(),
                quantity: 10,
                unit_price: 20.0,
                ..OrderLine::purchase(&format!("big{customer}"), big_item, (300 + order) * DAY)
            });
        }
    }
    for customer in 0..6 {
        lines.push(OrderLine {
            invoice: format!("small{customer}").into(),
            ..OrderLine::purchase(&format!("small{customer}"), small_item, customer * DAY)
        });
    }
    lines
}
