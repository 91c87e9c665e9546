//! Data of other shapes, derived from one order log, so that the evaluation (and its tests)
//! can check the blend on shops unlike the demo's: one where nobody buys a product twice, one
//! where the question is what completes a basket, and one with a short history.
//!
//! - [`no_repeat`]: each customer's first order of each product only, as ratings data has one
//!   rating per product; re-buying cannot help, so a blend that learns must switch it off.
//! - [`basket_completion`]: each order becomes a "customer" and one of its products, drawn at
//!   random, is held out for the others to predict.
//! - [`last_months`]: only the log's last few months.
//!
//! ```
//! use aisle_core::eval::derived::no_repeat;
//! use aisle_core::input::orders::OrderLine;
//! let order = |invoice: &str, item: &str, at| OrderLine { invoice: invoice.into(), ..OrderLine::purchase("c", item, at) };
//! let lines = [order("1", "A", 0), order("2", "A", 5), order("2", "B", 5)];
//! let kept = no_repeat(&lines);
//! let kept: Vec<&str> = kept.iter().map(|line| &*line.item).collect();
//! assert_eq!(kept, ["A", "B"]); // A's second order is gone
//! ```

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use rand::Rng;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use rustc_hash::FxHasher;

use crate::eval::holdout::Window;
use crate::input::orders::OrderLine;

/// The lines of each customer's first order of each product (every line of that order for the
/// product, so quantities stay as bought); lines without a customer are left out.
pub fn no_repeat(lines: &[OrderLine]) -> Vec<OrderLine> {
    // The first order of each (customer, product): the earliest, the first seen among equals.
    let mut first: HashMap<(&str, &str), (i64, &str)> = HashMap::new();
    for line in lines {
        let Some(customer) = line.customer.as_deref() else {
            continue;
        };
        let entry = first
            .entry((customer, &*line.item))
            .or_insert((line.timestamp, &*line.invoice));
        if line.timestamp < entry.0 {
            *entry = (line.timestamp, &*line.invoice);
        }
    }
    lines
        .iter()
        .filter(|line| {
            line.customer.as_deref().is_some_and(|customer| {
                first
                    .get(&(customer, &*line.item))
                    .map(|(_, invoice)| *invoice)
                    == Some(&*line.invoice)
            })
        })
        .cloned()
        .collect()
}

/// Each order as a customer of its own (its invoice becomes the customer id), with one of its
/// distinct products, drawn by `seed`, held out: returns (train, test). Orders with fewer than
/// two products have nothing to complete and stay whole in train.
pub fn basket_completion(lines: &[OrderLine], seed: u64) -> (Vec<OrderLine>, Vec<OrderLine>) {
    let mut products: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in lines {
        let items = products.entry(&line.invoice).or_default();
        if !items.contains(&&*line.item) {
            items.push(&line.item);
        }
    }
    let held_out: HashMap<&str, &str> = products
        .into_iter()
        .filter(|(_, items)| items.len() >= 2)
        .map(|(invoice, mut items)| {
            items.sort_unstable();
            let mut hasher = FxHasher::default();
            (seed, invoice).hash(&mut hasher);
            let pick = Pcg64Mcg::seed_from_u64(hasher.finish()).random_range(0..items.len());
            (invoice, items[pick])
        })
        .collect();
    lines
        .iter()
        .map(|line| OrderLine {
            customer: Some(line.invoice.clone()),
            ..line.clone()
        })
        .partition(|line| held_out.get(&*line.invoice) != Some(&&*line.item))
}

/// The lines of the log's last `window` (up to and including its newest line).
pub fn last_months(lines: &[OrderLine], window: Window) -> Vec<OrderLine> {
    let Some(newest) = lines.iter().map(|line| line.timestamp).max() else {
        return Vec::new();
    };
    let start = window.before(newest + 1);
    lines
        .iter()
        .filter(|line| line.timestamp >= start)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(customer: &str, invoice: &str, item: &str, at: i64) -> OrderLine {
        OrderLine {
            invoice: invoice.into(),
            ..OrderLine::purchase(customer, item, at)
        }
    }

    #[test]
    fn no_repeat_keeps_each_customers_first_order_of_each_product() {
        let lines = [
            order("u1", "2", "A", 20),
            order("u1", "1", "A", 10), // u1's first order of A, though read second
            order("u1", "1", "A", 10), // a second line of that order: kept too
            order("u2", "3", "A", 30), // another customer's first
            order("u1", "2", "B", 20),
        ];
        let kept = no_repeat(&lines);
        let kept: Vec<(&str, &str)> = kept
            .iter()
            .map(|line| (&*line.invoice, &*line.item))
            .collect();
        assert_eq!(kept, [("1", "A"), ("1", "A"), ("3", "A"), ("2", "B")]);
    }

    #[test]
    fn basket_completion_holds_out_one_product_per_order_of_two_or_more() {
        let lines = [
            order("u1", "1", "A", 0),
            order("u1", "1", "B", 0),
            order("u1", "1", "C", 0),
            order("u1", "2", "A", 5), // one product: nothing to complete
        ];
        let (train, test) = basket_completion(&lines, 3);
        assert_eq!(test.len(), 1);
        assert_eq!(test[0].customer.as_deref(), Some("1"));
        assert_eq!(train.len(), 3);
        assert!(
            train
                .iter()
                .all(|line| line.customer.as_deref() == Some(&*line.invoice))
        );
        // The draw depends on the seed only.
        assert_eq!(basket_completion(&lines, 3).1, test);
    }

    #[test]
    fn last_months_cuts_at_the_calendar() {
        let at = |text| crate::input::fields::parse_timestamp(text).unwrap();
        let lines = [
            order("u", "1", "A", at("2011-08-31")),
            order("u", "2", "A", at("2011-09-10")),
            order("u", "3", "A", at("2011-12-09 12:00:00")),
        ];
        let kept = last_months(&lines, Window::Months(3));
        assert_eq!(kept.len(), 2);
    }
}
