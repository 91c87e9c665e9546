//! Who bought what: the customer-by-product matrix every collaborative model learns from.
//!
//! Rows are customers, columns catalog positions. An entry counts the order lines in which the
//! customer bought the product; most models read it as binary (bought or not), the repeat-purchase
//! model reads the counts.
//!
//! ```
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::interactions::Interactions;
//! use aisle_core::orders::OrderLine;
//! let catalog = Catalog::new(vec![Product { id: "A".into(), title: "A".into(), price: 1.0 }]);
//! let line = OrderLine { invoice: "1".into(), item: "A".into(), description: String::new(),
//!     quantity: 1, timestamp: 0, unit_price: 1.0, customer: Some("7".into()) };
//! let matrix = Interactions::from_orders(&catalog, &[line.clone(), line]);
//! assert_eq!(matrix.user_items(0), [(0, 2)]);
//! ```

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::orders::OrderLine;

/// Sparse customer-by-product purchase counts, readable by row and by column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Interactions {
    users: Vec<String>,
    /// Per user: (catalog position, lines bought), sorted by position.
    by_user: Vec<Vec<(u32, u32)>>,
    /// Per item: users who bought it, sorted.
    by_item: Vec<Vec<u32>>,
}

impl Interactions {
    /// Builds the matrix from order lines; lines for products outside `catalog`, or without a
    /// customer, are left out. Users are numbered in order of first appearance.
    pub fn from_orders(catalog: &Catalog, lines: &[OrderLine]) -> Self {
        let mut user_index: HashMap<&str, u32> = HashMap::new();
        let mut users = Vec::new();
        let mut counts: Vec<HashMap<u32, u32>> = Vec::new();
        for line in lines {
            let (Some(customer), Some(item)) =
                (line.customer.as_deref(), catalog.position(&line.item))
            else {
                continue;
            };
            let user = *user_index.entry(customer).or_insert_with(|| {
                users.push(customer.to_owned());
                counts.push(HashMap::new());
                (users.len() - 1) as u32
            });
            *counts[user as usize].entry(item as u32).or_insert(0) += 1;
        }
        let by_user: Vec<Vec<(u32, u32)>> = counts
            .into_iter()
            .map(|items| {
                let mut items: Vec<(u32, u32)> = items.into_iter().collect();
                items.sort_unstable();
                items
            })
            .collect();
        let mut by_item = vec![Vec::new(); catalog.len()];
        for (user, items) in by_user.iter().enumerate() {
            for &(item, _) in items {
                by_item[item as usize].push(user as u32);
            }
        }
        Self {
            users,
            by_user,
            by_item,
        }
    }

    /// Number of customers (rows).
    pub fn n_users(&self) -> usize {
        self.users.len()
    }

    /// Number of catalog products (columns).
    pub fn n_items(&self) -> usize {
        self.by_item.len()
    }

    /// The customer id of a row.
    pub fn user_id(&self, user: usize) -> &str {
        &self.users[user]
    }

    /// The products a customer bought, with line counts, by catalog position.
    pub fn user_items(&self, user: usize) -> &[(u32, u32)] {
        &self.by_user[user]
    }

    /// The customers who bought a product, sorted.
    pub fn item_users(&self, item: usize) -> &[u32] {
        &self.by_item[item]
    }

    /// Every customer's distinct products, without counts.
    pub fn user_item_lists(&self) -> impl Iterator<Item = Vec<u32>> + '_ {
        self.by_user
            .iter()
            .map(|items| items.iter().map(|&(item, _)| item).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Product;

    #[test]
    fn rows_and_columns_agree() {
        let catalog = Catalog::new(
            ["A", "B", "C"]
                .iter()
                .map(|id| Product {
                    id: (*id).into(),
                    title: String::new(),
                    price: 1.0,
                })
                .collect(),
        );
        let line = |customer: Option<&str>, item: &str| OrderLine {
            invoice: "1".into(),
            item: item.into(),
            description: String::new(),
            quantity: 1,
            timestamp: 0,
            unit_price: 1.0,
            customer: customer.map(Into::into),
        };
        let lines = [
            line(Some("u1"), "B"),
            line(Some("u2"), "A"),
            line(Some("u1"), "A"),
            line(Some("u1"), "B"),
            line(None, "C"),
            line(Some("u2"), "Z"),
        ];
        let matrix = Interactions::from_orders(&catalog, &lines);
        assert_eq!((matrix.n_users(), matrix.n_items()), (2, 3));
        assert_eq!(matrix.user_id(0), "u1");
        assert_eq!(matrix.user_items(0), [(0, 1), (1, 2)]);
        assert_eq!(matrix.user_items(1), [(0, 1)]);
        assert_eq!(matrix.item_users(0), [0, 1]);
        assert_eq!(matrix.item_users(2), [] as [u32; 0]);
    }
}
