//! The product catalog a shop ships: one entry per product with a readable title and a price.
//!
//! Derived from cleaned order lines: the title is the item's most frequent description in
//! readable case, the price the median unit price paid (robust to the odd discount or
//! wholesale line).
//!
//! ```
//! use aisle_core::catalog::Catalog;
//! let catalog = Catalog::new(vec![]);
//! assert!(catalog.is_empty());
//! ```

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::orders::OrderLine;
use crate::stats::median;
use crate::text::readable_title;

/// One product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// The shop's product code (`85123A`).
    pub id: String,
    /// Readable title (`White Hanging Heart T-Light Holder`).
    pub title: String,
    /// Typical unit price.
    pub price: f64,
}

/// All products, ordered by id. An item's position in this list is its index in every model
/// array of the bundle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<Product>", into = "Vec<Product>")]
pub struct Catalog {
    products: Vec<Product>,
    positions: FxHashMap<String, usize>,
}

impl From<Vec<Product>> for Catalog {
    fn from(products: Vec<Product>) -> Self {
        Self::new(products)
    }
}

impl From<Catalog> for Vec<Product> {
    fn from(catalog: Catalog) -> Self {
        catalog.products
    }
}

impl Catalog {
    /// A catalog of these products, in the order given.
    pub fn new(products: Vec<Product>) -> Self {
        let positions = products
            .iter()
            .enumerate()
            .map(|(position, product)| (product.id.clone(), position))
            .collect();
        Self {
            products,
            positions,
        }
    }

    /// Derives the catalog from cleaned order lines.
    pub fn from_orders(lines: &[OrderLine]) -> Self {
        #[derive(Default)]
        struct Seen<'a> {
            descriptions: FxHashMap<&'a str, u32>,
            prices: Vec<f64>,
        }
        let mut seen: FxHashMap<&str, Seen> = FxHashMap::default();
        for line in lines {
            let entry = seen.entry(line.item.as_str()).or_default();
            if !line.description.is_empty() {
                *entry
                    .descriptions
                    .entry(line.description.as_str())
                    .or_default() += 1;
            }
            entry.prices.push(line.unit_price);
        }
        let mut products: Vec<Product> = seen
            .into_iter()
            .map(|(id, mut item)| {
                // Most frequent description; ties go to the alphabetically first, for determinism.
                let description = item
                    .descriptions
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map_or(id, |(text, _)| *text);
                Product {
                    id: id.to_owned(),
                    title: readable_title(description),
                    price: median(&mut item.prices),
                }
            })
            .collect();
        products.sort_by(|a, b| a.id.cmp(&b.id));
        Self::new(products)
    }

    /// Number of products.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// True when there are no products.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// All products, in catalog order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The product at a catalog position.
    pub fn product(&self, position: usize) -> Option<&Product> {
        self.products.get(position)
    }

    /// The catalog position of a product id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(item: &str, description: &str, price: f64) -> OrderLine {
        OrderLine {
            invoice: "1".into(),
            item: item.into(),
            description: description.into(),
            quantity: 1,
            timestamp: 0,
            unit_price: price,
            customer: Some("1".into()),
        }
    }

    #[test]
    fn catalog_takes_the_usual_description_and_the_median_price() {
        let lines = [
            line("22633", "HAND WARMER UNION JACK", 1.85),
            line("22633", "HAND WARMER UNION JACK", 2.10),
            line("22633", "hand warmer", 1.65),
            line("22633", "", 9.99),
            line("10002", "INFLATABLE POLITICAL GLOBE", 0.85),
        ];
        let catalog = Catalog::from_orders(&lines);
        assert_eq!(catalog.len(), 2);
        assert_eq!(catalog.position("10002"), Some(0));
        let warmer = catalog.product(catalog.position("22633").unwrap()).unwrap();
        assert_eq!(warmer.title, "Hand Warmer Union Jack");
        // Prices 1.65, 1.85, 2.10, 9.99: median is (1.85 + 2.10) / 2.
        assert!((warmer.price - 1.975).abs() < 1e-12);
    }

    #[test]
    fn catalog_round_trips_through_serde_with_its_index() {
        let catalog = Catalog::from_orders(&[line("22633", "HAND WARMER", 1.0)]);
        let json = serde_json::to_string(&catalog).unwrap();
        let back: Catalog = serde_json::from_str(&json).unwrap();
        assert_eq!(back.position("22633"), Some(0));
        assert_eq!(back, catalog);
    }
}
