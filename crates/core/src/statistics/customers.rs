//! What the order lines say about each customer: their totals (the features segmentation
//! clusters) and what they bought (the customer-by-product matrix the collaborative models
//! learn from).
//!
//! Customers are listed by their first purchase, then by id: an order that holds for a log read
//! in any order, from one file or from a warehouse table written by many workers.
//!
//! ```
//! use aisle_core::input::orders::OrderLine;
//! use aisle_core::statistics::customers::{Purchases, customer_totals};
//! let lines = [OrderLine::purchase("b", "X", 5), OrderLine::purchase("a", "X", 9), OrderLine::purchase("b", "Y", 9)];
//! let totals = customer_totals(&lines);
//! assert_eq!((totals[0].id.as_str(), totals[0].orders, totals[0].items), ("b", 2, 2));
//! let bought = Purchases::from_lines(&lines, |item| Some(if item == "X" { 0 } else { 1 }));
//! assert_eq!(bought.customers(), ["b", "a"]);
//! ```

use rustc_hash::{FxHashMap, FxHashSet};

use crate::input::interner::TextKey;
use crate::input::orders::OrderLine;
use crate::models::interactions::Purchase;

/// One customer's totals over their cleaned lines.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerTotals {
    /// The customer id.
    pub id: String,
    /// Their first line's timestamp, seconds since the epoch.
    pub first_at: i64,
    /// Their last line's timestamp.
    pub last_at: i64,
    /// Distinct orders (invoices).
    pub orders: u32,
    /// Quantity times unit price, summed over their lines.
    pub spent: f64,
    /// Distinct products.
    pub items: u32,
}

/// Every customer's totals, by first purchase then id.
pub fn customer_totals(lines: &[OrderLine]) -> Vec<CustomerTotals> {
    struct Running<'a> {
        first_at: i64,
        last_at: i64,
        orders: FxHashSet<&'a str>,
        spent: f64,
        /// The number of each line's product, repeats included, sorted and counted once at the
        /// end: cheaper than a set of texts per customer that grows and rehashes line by line,
        /// most of all in wasm, where comparing texts goes byte by byte.
        items: Vec<u32>,
    }
    // Each distinct product as a number, looked up once a line.
    let mut item_numbers: FxHashMap<TextKey, u32> = FxHashMap::default();
    let mut rows: FxHashMap<&str, usize> = FxHashMap::default();
    let mut ids: Vec<&str> = Vec::new();
    let mut running: Vec<Running> = Vec::new();
    // The lines of one order come together: the line before names the same customer and
    // invoice, which is checked before any hashing.
    let mut previous: Option<(&str, &str, usize)> = None;
    for line in lines {
        let Some(customer) = line.customer.as_deref() else {
            continue;
        };
        let (row, same_order) = match previous {
            Some((id, invoice, row)) if id == customer => (row, invoice == &*line.invoice),
            _ => {
                let row = *rows.entry(customer).or_insert_with(|| {
                    ids.push(customer);
                    running.push(Running {
                        first_at: i64::MAX,
                        last_at: i64::MIN,
                        orders: FxHashSet::default(),
                        spent: 0.0,
                        items: Vec::new(),
                    });
                    ids.len() - 1
                });
                (row, false)
            }
        };
        previous = Some((customer, &line.invoice, row));
        let entry = &mut running[row];
        entry.first_at = entry.first_at.min(line.timestamp);
        entry.last_at = entry.last_at.max(line.timestamp);
        if !same_order {
            entry.orders.insert(&line.invoice);
        }
        entry.spent += line.quantity as f64 * line.unit_price;
        let next = u32::try_from(item_numbers.len()).expect("fewer than 2^32 products");
        entry
            .items
            .push(*item_numbers.entry(TextKey(&line.item)).or_insert(next));
    }
    let totals = ids
        .into_iter()
        .zip(running)
        .map(|(id, mut entry)| {
            entry.items.sort_unstable();
            entry.items.dedup();
            CustomerTotals {
                id: id.to_owned(),
                first_at: entry.first_at,
                last_at: entry.last_at,
                orders: entry.orders.len() as u32,
                spent: entry.spent,
                items: entry.items.len() as u32,
            }
        })
        .collect();
    in_order(totals)
}

/// Customers' totals in the statistics' order: by first purchase, then id.
pub fn in_order(mut totals: Vec<CustomerTotals>) -> Vec<CustomerTotals> {
    totals.sort_by(|a, b| a.first_at.cmp(&b.first_at).then_with(|| a.id.cmp(&b.id)));
    totals
}

/// Who bought what: for each customer, one [`Purchase`] per product they bought (its `item`
/// the product's number in the statistics, sorted), customers by first purchase then id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Purchases {
    customers: Vec<String>,
    by_customer: Vec<Vec<Purchase>>,
}

impl Purchases {
    /// The purchases in cleaned lines of the products `number` knows (by their number); lines
    /// without a customer, or of other products, are left out.
    pub fn from_lines(lines: &[OrderLine], number: impl Fn(&str) -> Option<u32>) -> Self {
        let mut rows: FxHashMap<&str, usize> = FxHashMap::default();
        let mut customers: Vec<&str> = Vec::new();
        let mut bought: Vec<FxHashMap<u32, Purchase>> = Vec::new();
        let mut orders_seen: FxHashSet<(u32, u32, &str)> = FxHashSet::default();
        for line in lines {
            let (Some(customer), Some(item)) = (line.customer.as_deref(), number(&line.item))
            else {
                continue;
            };
            let row = *rows.entry(customer).or_insert_with(|| {
                customers.push(customer);
                bought.push(FxHashMap::default());
                customers.len() - 1
            });
            let purchase = bought[row].entry(item).or_insert(Purchase {
                item,
                orders: 0,
                first_at: line.timestamp,
                last_at: line.timestamp,
            });
            purchase.first_at = purchase.first_at.min(line.timestamp);
            purchase.last_at = purchase.last_at.max(line.timestamp);
            if orders_seen.insert((row as u32, item, &line.invoice)) {
                purchase.orders += 1;
            }
        }
        let rows = customers
            .into_iter()
            .zip(bought)
            .map(|(customer, items)| (customer.to_owned(), items.into_values().collect()));
        Self::from_customers(rows.collect())
    }

    /// Purchases from each customer's list, in any order; a customer named twice has their
    /// lists joined (a table written in parts may split one customer's rows).
    pub fn from_customers(mut rows: Vec<(String, Vec<Purchase>)>) -> Self {
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1.append(&mut later.1);
            }
            same
        });
        let first_at = |items: &[Purchase]| items.iter().map(|p| p.first_at).min();
        let mut rows: Vec<(Option<i64>, String, Vec<Purchase>)> = rows
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(customer, mut items)| {
                items.sort_unstable_by_key(|purchase| purchase.item);
                (first_at(&items), customer, items)
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let (customers, by_customer) = rows
            .into_iter()
            .map(|(_, customer, items)| (customer, items))
            .unzip();
        Self {
            customers,
            by_customer,
        }
    }

    /// The customers, in order.
    pub fn customers(&self) -> &[String] {
        &self.customers
    }

    /// Each customer's purchases, in the customers' order.
    pub fn by_customer(&self) -> &[Vec<Purchase>] {
        &self.by_customer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(customer: &str, invoice: &str, item: &str, quantity: i64, at: i64) -> OrderLine {
        OrderLine {
            invoice: invoice.into(),
            quantity,
            unit_price: 2.5,
            ..OrderLine::purchase(customer, item, at)
        }
    }

    #[test]
    fn totals_count_orders_products_and_money_by_first_purchase() {
        let lines = [
            line("late", "1", "A", 1, 50),
            line("early", "2", "A", 2, 10),
            line("early", "2", "B", 1, 10),
            line("early", "3", "A", 4, 30),
        ];
        let totals = customer_totals(&lines);
        let early = CustomerTotals {
            id: "early".into(),
            first_at: 10,
            last_at: 30,
            orders: 2,
            spent: 17.5,
            items: 2,
        };
        assert_eq!(totals[0], early);
        assert_eq!((totals[1].id.as_str(), totals[1].spent), ("late", 2.5));
    }

    #[test]
    fn purchases_read_in_parts_equal_those_of_the_lines() {
        let lines = [
            line("b", "1", "X", 1, 20),
            line("a", "2", "Y", 1, 20),
            line("b", "3", "X", 1, 40),
            line("a", "4", "X", 1, 5),
        ];
        let number = |item: &str| Some(u32::from(item == "Y"));
        let from_lines = Purchases::from_lines(&lines, number);
        // "a" bought first (at 5), so comes first; X is product 0.
        assert_eq!(from_lines.customers(), ["a", "b"]);
        let x_by_b = Purchase {
            item: 0,
            orders: 2,
            first_at: 20,
            last_at: 40,
        };
        assert_eq!(from_lines.by_customer()[1], [x_by_b]);
        // The same rows split over parts, in another order, and a customer with none.
        let bought = |item, orders, at| Purchase {
            item,
            orders,
            first_at: at,
            last_at: at,
        };
        let parts = vec![
            ("b".to_string(), vec![x_by_b]),
            ("a".to_string(), vec![bought(1, 1, 20)]),
            ("nobody".to_string(), vec![]),
            ("a".to_string(), vec![bought(0, 1, 5)]),
        ];
        assert_eq!(Purchases::from_customers(parts), from_lines);
    }
}
