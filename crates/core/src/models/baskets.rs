//! Each customer's orders as a sequence of baskets, oldest first: what next-basket models
//! (TIFU-KNN) read, where the purchase matrix keeps only counts.
//!
//! ```
//! use aisle_core::models::baskets::Baskets;
//! use aisle_core::catalog::Catalog;
//! use aisle_core::models::interactions::Interactions;
//! use aisle_core::input::orders::OrderLine;
//! let lines = [OrderLine::purchase("u", "B", 20), OrderLine::purchase("u", "A", 10)];
//! let catalog = Catalog::from_orders(&lines);
//! let matrix = Interactions::from_orders(&catalog, &lines);
//! let baskets = Baskets::from_orders(&matrix, &catalog, &lines);
//! let (a, b) = (catalog.position("A").unwrap() as u32, catalog.position("B").unwrap() as u32);
//! assert_eq!(baskets.of(0), [vec![a], vec![b]]); // A was bought first
//! ```

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::input::orders::OrderLine;
use crate::models::interactions::Interactions;

/// One customer's orders by invoice: (time, order of appearance, items).
type Orders<'a> = HashMap<&'a str, (i64, usize, Vec<u32>)>;

/// Per customer (the rows of an [`Interactions`]): baskets oldest first, each the sorted,
/// distinct catalog positions of one order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Baskets {
    per_user: Vec<Vec<Vec<u32>>>,
}

impl Baskets {
    /// Groups `lines` by customer and order, numbering customers as `matrix` does. An order's
    /// time is its earliest line's; orders at the same time keep the order they first appear
    /// in. Lines outside the catalog or the matrix are left out.
    pub fn from_orders(matrix: &Interactions, catalog: &Catalog, lines: &[OrderLine]) -> Self {
        let rows: HashMap<&str, usize> = (0..matrix.n_users())
            .map(|row| (matrix.user_id(row), row))
            .collect();
        let mut orders: Vec<Orders> = vec![HashMap::new(); matrix.n_users()];
        for (seen, line) in lines.iter().enumerate() {
            let found = line
                .customer
                .as_deref()
                .and_then(|customer| rows.get(customer))
                .zip(catalog.position(&line.item));
            let Some((&row, item)) = found else {
                continue;
            };
            let basket =
                orders[row]
                    .entry(&line.invoice)
                    .or_insert((line.timestamp, seen, Vec::new()));
            basket.0 = basket.0.min(line.timestamp);
            basket.2.push(item as u32);
        }
        let per_user = orders
            .into_iter()
            .map(|invoices| {
                let mut baskets: Vec<(i64, usize, Vec<u32>)> = invoices.into_values().collect();
                baskets.sort_unstable_by_key(|(time, seen, _)| (*time, *seen));
                baskets
                    .into_iter()
                    .map(|(_, _, mut items)| {
                        items.sort_unstable();
                        items.dedup();
                        items
                    })
                    .collect()
            })
            .collect();
        Self { per_user }
    }

    /// Number of customers.
    pub fn n_users(&self) -> usize {
        self.per_user.len()
    }

    /// One customer's baskets, oldest first.
    pub fn of(&self, user: usize) -> &[Vec<u32>] {
        &self.per_user[user]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_become_time_ordered_baskets_of_distinct_items() {
        let line = |customer: &str, invoice: &str, item: &str, at: i64| OrderLine {
            invoice: invoice.into(),
            ..OrderLine::purchase(customer, item, at)
        };
        let lines = [
            line("u1", "2", "B", 50),
            line("u1", "2", "B", 50), // the same product twice in one order
            line("u1", "1", "A", 10),
            line("u1", "1", "C", 11), // a later line of order 1: still order 1
            line("u2", "3", "A", 5),
            line("u2", "3", "Z", 5), // not in the catalog
        ];
        let catalog = crate::fixtures::catalog(&["A", "B", "C"]);
        let matrix = Interactions::from_orders(&catalog, &lines);
        let baskets = Baskets::from_orders(&matrix, &catalog, &lines);
        assert_eq!(baskets.n_users(), 2);
        // Customers by first purchase: u2's at 5 comes before u1's at 10.
        assert_eq!(baskets.of(0), [vec![0]]);
        assert_eq!(baskets.of(1), [vec![0, 2], vec![1]]);
    }
}
