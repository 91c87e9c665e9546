//! Popularity: how many distinct customers bought each product.
//!
//! The non-personal baseline every placement falls back on, and the prior that breaks ties for a
//! shopper the model knows little about. Distinct buyers, not units: one wholesale order of 10,000
//! units says less about appeal than 100 customers buying one each.
//!
//! ```
//! use aisle_core::models::popularity::Popularity;
//! let popularity = Popularity::from_buyers(vec![3, 7, 7, 1]);
//! assert_eq!(popularity.ranked(), [1, 2, 0, 3]);
//! ```

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::input::orders::OrderLine;
use crate::models::interactions::Interactions;

/// Distinct buyers per catalog position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Popularity {
    buyers: Vec<u32>,
}

impl Popularity {
    /// Wraps precomputed buyer counts, one per catalog position.
    pub fn from_buyers(buyers: Vec<u32>) -> Self {
        Self { buyers }
    }

    /// Counts distinct buyers of each catalog product in cleaned order lines. Lines for items
    /// outside the catalog, or without a customer, are ignored.
    pub fn fit(catalog: &Catalog, lines: &[OrderLine]) -> Self {
        Self::from_interactions(&Interactions::from_orders(catalog, lines))
    }

    /// Counts each product's buyers in the customer-by-product matrix.
    pub fn from_interactions(matrix: &Interactions) -> Self {
        let buyers = (0..matrix.n_items())
            .map(|item| matrix.item_users(item).len() as u32)
            .collect();
        Self { buyers }
    }

    /// Distinct buyers of each product, by catalog position.
    pub fn buyers(&self) -> &[u32] {
        &self.buyers
    }

    /// Catalog positions from most to least bought; ties keep catalog order.
    pub fn ranked(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.buyers.len()).collect();
        // A stable sort keeps catalog order among equals, so the ranking is reproducible.
        order.sort_by(|&a, &b| self.buyers[b].cmp(&self.buyers[a]));
        order
    }

    /// Adds `weight * buyers` to each product's score.
    pub fn add_scores(&self, weight: f32, scores: &mut [f32]) {
        for (score, &count) in scores.iter_mut().zip(&self.buyers) {
            *score += weight * count as f32;
        }
    }

    /// Buyers of each product divided by the largest count: in [0, 1], for blending with other
    /// scores on the same scale.
    pub fn normalised(&self) -> Vec<f32> {
        let most = self.buyers.iter().copied().max().unwrap_or(0).max(1) as f32;
        self.buyers
            .iter()
            .map(|&count| count as f32 / most)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::catalog;

    /// A purchase, or a guest's (no customer) when `customer` is `None`.
    fn line(item: &str, customer: Option<&str>) -> OrderLine {
        OrderLine {
            customer: customer.map(Into::into),
            ..OrderLine::purchase("guest", item, 0)
        }
    }

    #[test]
    fn counts_distinct_buyers_not_lines() {
        let catalog = catalog(&["A", "B", "C"]);
        let lines = [
            line("A", Some("1")),
            line("A", Some("1")), // the same buyer again
            line("A", Some("2")),
            line("B", Some("1")),
            line("C", None),      // guest: not a known buyer
            line("Z", Some("3")), // not in the catalog
        ];
        let popularity = Popularity::fit(&catalog, &lines);
        assert_eq!(popularity.buyers(), [2, 1, 0]);
        assert_eq!(popularity.ranked(), [0, 1, 2]);
        assert_eq!(popularity.normalised(), [1.0, 0.5, 0.0]);
    }

    #[test]
    fn an_empty_model_normalises_without_dividing_by_zero() {
        assert_eq!(Popularity::from_buyers(vec![0, 0]).normalised(), [0.0, 0.0]);
    }
}
