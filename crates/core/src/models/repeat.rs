//! Buying again: the products a customer bought before, and how often the shop's customers buy
//! each product again.
//!
//! [`add_repeat_scores`] ranks a customer's own products by how many orders held them: in a
//! gift wholesaler's log most of next month's basket is a re-order, so this simple signal (the
//! P-TopFreq anchor of the evaluation) beats every collaborative model on task `all`.
//!
//! [`RepeatRates`] is the item side of the same question: of a product's buyers, the share who
//! ordered it more than once. Wrapping paper runs out and is bought again; a vase rarely is. The
//! blend scales a product's buy-again score by it.
//!
//! ```
//! use aisle_core::models::interactions::Purchase;
//! use aisle_core::models::repeat::add_repeat_scores;
//! let bought = [Purchase { item: 0, orders: 1, first_at: 0, last_at: 0 }, Purchase { item: 2, orders: 5, first_at: 0, last_at: 0 }];
//! let mut scores = vec![0.0; 3];
//! add_repeat_scores(&bought, 1.0, &mut scores);
//! assert_eq!(scores, [1.0, 0.0, 5.0]);
//! ```

use serde::{Deserialize, Serialize};

use crate::models::interactions::{Interactions, Purchase};

/// How many buyers' worth of the shop-wide share a product's own share is pulled towards, so a
/// product with two buyers is not called "always bought again" after one re-order.
const PRIOR_BUYERS: f32 = 5.0;

/// Adds `weight * orders` for each past purchase.
pub fn add_repeat_scores(purchases: &[Purchase], weight: f32, scores: &mut [f32]) {
    for purchase in purchases {
        scores[purchase.item as usize] += weight * purchase.orders as f32;
    }
}

/// Per catalog position: the share of its buyers who ordered it more than once, shrunk towards
/// the shop-wide share; in (0, 1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RepeatRates {
    rates: Vec<f32>,
}

impl RepeatRates {
    /// Wraps precomputed rates, one per catalog position.
    pub fn from_rates(rates: Vec<f32>) -> Self {
        Self { rates }
    }

    /// Counts, per product, the customers in `matrix` who bought it in more than one order.
    pub fn fit(matrix: &Interactions) -> Self {
        let mut buyers = vec![0u32; matrix.n_items()];
        let mut again = vec![0u32; matrix.n_items()];
        for user in 0..matrix.n_users() {
            for purchase in matrix.user_items(user) {
                buyers[purchase.item as usize] += 1;
                again[purchase.item as usize] += u32::from(purchase.orders > 1);
            }
        }
        let all_buyers: u32 = buyers.iter().sum();
        let all_again: u32 = again.iter().sum();
        let shop = (all_again as f32 + 1.0) / (all_buyers as f32 + 2.0);
        let rates = buyers
            .iter()
            .zip(&again)
            .map(|(&buyers, &again)| {
                (again as f32 + PRIOR_BUYERS * shop) / (buyers as f32 + PRIOR_BUYERS)
            })
            .collect();
        Self { rates }
    }

    /// Each product's rate, by catalog position.
    pub fn rates(&self) -> &[f32] {
        &self.rates
    }

    /// The rates, one per catalog position.
    pub fn into_rates(self) -> Vec<f32> {
        self.rates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::input::orders::OrderLine;

    #[test]
    fn rates_count_buyers_who_ordered_again_shrunk_to_the_shop() {
        let catalog = fixtures::catalog(&["A", "B"]);
        let order = |customer: &str, item: &str, invoice: &str| OrderLine {
            invoice: invoice.into(),
            ..OrderLine::purchase(customer, item, 0)
        };
        // A: u1 twice, u2 once. B: u1 once.
        let lines = [
            order("u1", "A", "1"),
            order("u1", "A", "2"),
            order("u1", "B", "2"),
            order("u2", "A", "3"),
        ];
        let rates = RepeatRates::fit(&crate::models::interactions::Interactions::from_orders(
            &catalog, &lines,
        ));
        // Shop: 1 of 3 buyer-product pairs again: (1 + 1) / (3 + 2) = 0.4.
        let shop = 0.4f32;
        let a = (1.0 + 5.0 * shop) / (2.0 + 5.0);
        let b = (0.0 + 5.0 * shop) / (1.0 + 5.0);
        assert!((rates.rates()[0] - a).abs() < 1e-6);
        assert!((rates.rates()[1] - b).abs() < 1e-6);
    }
}
