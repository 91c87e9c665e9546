//! Who bought what: the customer-by-product matrix every collaborative model learns from.
//!
//! Rows are customers (by first purchase, then id), columns catalog positions. An entry records how often (distinct orders)
//! and when last the customer bought the product; most models read it as binary (bought or not),
//! the repeat-purchase part of the blend reads the counts and dates.
//!
//! ```
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::models::interactions::Interactions;
//! use aisle_core::input::orders::OrderLine;
//! let line = OrderLine::purchase("7", "A", 0);
//! let catalog = Catalog::from_orders(&[line.clone()]);
//! let matrix = Interactions::from_orders(&catalog, &[line.clone(), line]);
//! assert_eq!(matrix.user_items(0)[0].orders, 1); // two lines of one order
//! ```

use crate::catalog::Catalog;
use crate::input::orders::OrderLine;
use crate::statistics::customers::Purchases;

/// One customer's purchases of one product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purchase {
    /// Catalog position.
    pub item: u32,
    /// Distinct orders (invoices) that included it.
    pub orders: u32,
    /// When it was first bought, seconds since the epoch.
    pub first_at: i64,
    /// When it was last bought, seconds since the epoch.
    pub last_at: i64,
}

/// Sparse customer-by-product purchases, readable by row and by column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Interactions {
    users: Vec<String>,
    /// Per user: purchases sorted by catalog position.
    by_user: Vec<Vec<Purchase>>,
    /// Per item: users who bought it, sorted.
    by_item: Vec<Vec<u32>>,
}

impl Interactions {
    /// Builds the matrix from order lines; lines for products outside `catalog`, or without a
    /// customer, are left out. Customers are in [`Purchases`]' order: by first purchase, then id.
    pub fn from_orders(catalog: &Catalog, lines: &[OrderLine]) -> Self {
        let purchases = Purchases::from_lines(lines, |item| Some(catalog.position(item)? as u32));
        Self::from_purchases(catalog.len(), &purchases, Some)
    }

    /// The matrix of `purchases` over `n_items` catalog products: `position` gives a
    /// statistics' product number's catalog position, and purchases of products without one
    /// are left out, as are customers left with none.
    pub fn from_purchases(
        n_items: usize,
        purchases: &Purchases,
        position: impl Fn(u32) -> Option<u32>,
    ) -> Self {
        let mut users = Vec::new();
        let mut by_user: Vec<Vec<Purchase>> = Vec::new();
        for (customer, bought) in purchases.customers().iter().zip(purchases.by_customer()) {
            let mut items: Vec<Purchase> = bought
                .iter()
                .filter_map(|purchase| {
                    let item = position(purchase.item)?;
                    Some(Purchase { item, ..*purchase })
                })
                .collect();
            if items.is_empty() {
                continue;
            }
            items.sort_unstable_by_key(|purchase| purchase.item);
            users.push(customer.clone());
            by_user.push(items);
        }
        let mut by_item = vec![Vec::new(); n_items];
        for (user, items) in by_user.iter().enumerate() {
            for purchase in items {
                by_item[purchase.item as usize].push(user as u32);
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

    /// The products a customer bought, sorted by catalog position.
    pub fn user_items(&self, user: usize) -> &[Purchase] {
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
            .map(|items| items.iter().map(|purchase| purchase.item).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_columns_agree() {
        let catalog = crate::fixtures::catalog(&["A", "B", "C"]);
        let line = |customer: Option<&str>, item: &str, invoice: &str, at: i64| OrderLine {
            invoice: invoice.into(),
            customer: customer.map(Into::into),
            ..OrderLine::purchase("", item, at)
        };
        let lines = [
            line(Some("u1"), "B", "1", 10),
            line(Some("u2"), "A", "2", 20),
            line(Some("u1"), "A", "3", 30),
            line(Some("u1"), "B", "3", 30),
            line(Some("u1"), "B", "3", 30), // the same order again: one order, not two
            line(None, "C", "4", 40),
            line(Some("u2"), "Z", "5", 50),
        ];
        let matrix = Interactions::from_orders(&catalog, &lines);
        assert_eq!((matrix.n_users(), matrix.n_items()), (2, 3));
        assert_eq!(matrix.user_id(0), "u1");
        let purchase = |item, orders, first_at, last_at| Purchase {
            item,
            orders,
            first_at,
            last_at,
        };
        assert_eq!(
            matrix.user_items(0),
            [purchase(0, 1, 30, 30), purchase(1, 2, 10, 30)]
        );
        assert_eq!(matrix.user_items(1), [purchase(0, 1, 20, 20)]);
        assert_eq!(matrix.item_users(0), [0, 1]);
        assert_eq!(matrix.item_users(2), [] as [u32; 0]);
    }
}
