//! The order log's sufficient statistics: everything a build learns from a shop's orders,
//! in a few tables whose size is bounded by the shop's customers and products rather than by
//! its history's length.
//!
//! | table | one row per | read by |
//! |---|---|---|
//! | [`products`] | product, description or price | the catalog (title, median price) |
//! | [`customers::CustomerTotals`] | customer | segmentation's features |
//! | [`customers::Purchases`] | customer and product | EASE, next purchase, re-order rates, popularity, segments' best sellers |
//! | [`BuyerDay`] | customer, product and day | trending |
//! | [`pairs`] | product, and pair of products sharing an order | co-purchase |
//!
//! A native build computes them from the cleaned lines ([`OrderStatistics::from_lines`]); a
//! shop whose history lives in a warehouse computes them there (`jobs/spark/`) and the CLI reads
//! them (`aisle build --stats`). Training reads nothing else, so both give one bundle.
//! `docs/statistics.md` defines every column.
//!
//! ```
//! use aisle_core::input::orders::OrderLine;
//! use aisle_core::statistics::OrderStatistics;
//! let lines = [OrderLine::purchase("c", "A", 0), OrderLine::purchase("c", "B", 86_400)];
//! let statistics = OrderStatistics::from_lines(&lines);
//! assert_eq!((statistics.lines, statistics.newest_at), (2, 86_400));
//! assert_eq!(statistics.buyer_days.len(), 2);
//! ```

pub mod customers;
pub mod pairs;
pub mod products;

use rustc_hash::FxHashMap;

use crate::input::orders::OrderLine;
use crate::statistics::customers::{CustomerTotals, Purchases, customer_totals};
use crate::statistics::pairs::PairCounts;
use crate::statistics::products::Products;

/// Seconds in a day, the unit trending counts buyers in.
pub const DAY: i64 = 86_400;

/// A customer's purchases of one product on one day (days since the epoch, in the log's
/// clock): trending counts each once, aged from the day's first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BuyerDay {
    /// The product's number ([`Products`]).
    pub product: u32,
    /// The first of the day's purchases, seconds since the epoch.
    pub at: i64,
}

/// One [`BuyerDay`] per customer, product `number` knows, and day in cleaned lines, sorted.
pub fn buyer_days(lines: &[OrderLine], number: impl Fn(&str) -> Option<u32>) -> Vec<BuyerDay> {
    let mut first: FxHashMap<(&str, u32, i64), i64> = FxHashMap::default();
    for line in lines {
        let (Some(customer), Some(product)) = (line.customer.as_deref(), number(&line.item)) else {
            continue;
        };
        let day = line.timestamp.div_euclid(DAY);
        let at = first
            .entry((customer, product, day))
            .or_insert(line.timestamp);
        *at = (*at).min(line.timestamp);
    }
    let mut days: Vec<BuyerDay> = first
        .into_iter()
        .map(|((_, product, _), at)| BuyerDay { product, at })
        .collect();
    days.sort_unstable();
    days
}

/// Every statistic of one log. See the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderStatistics {
    /// Cleaned lines summarised.
    pub lines: u64,
    /// The newest line's timestamp: "now" for trending, fading and recency.
    pub newest_at: i64,
    /// Each product's descriptions and prices; a product's place is its number.
    pub products: Products,
    /// Each customer's totals, by first purchase then id.
    pub customers: Vec<CustomerTotals>,
    /// Who bought which product, how often and when.
    pub purchases: Purchases,
    /// Each customer's first purchase of each product on each day.
    pub buyer_days: Vec<BuyerDay>,
    /// Orders shared by products and pairs of products.
    pub pairs: PairCounts,
}

impl OrderStatistics {
    /// The statistics of cleaned order lines.
    pub fn from_lines(lines: &[OrderLine]) -> Self {
        Self::from_products_and_lines(Products::from_lines(lines), lines)
    }

    /// The statistics of cleaned order lines whose products were tallied already
    /// ([`Products::from_lines`] on the same lines).
    pub fn from_products_and_lines(products: Products, lines: &[OrderLine]) -> Self {
        let number = |item: &str| products.number(item);
        Self {
            lines: lines.len() as u64,
            newest_at: lines.iter().map(|line| line.timestamp).max().unwrap_or(0),
            customers: customer_totals(lines),
            purchases: Purchases::from_lines(lines, number),
            buyer_days: buyer_days(lines, number),
            pairs: PairCounts::from_lines(lines, products.len(), number),
            products,
        }
    }
}
