//! Buy it again: the products a customer bought before, most often ordered first.
//!
//! In a gift wholesaler's log most of next month's basket is a re-order, so this simple signal
//! beats every collaborative model on task `all` of the evaluation protocol; it is also what the
//! "Buy it again" placement shows.
//!
//! ```
//! use aisle_core::interactions::Purchase;
//! use aisle_core::repeat::add_repeat_scores;
//! let bought = [Purchase { item: 0, orders: 1, last_at: 0 }, Purchase { item: 2, orders: 5, last_at: 0 }];
//! let mut scores = vec![0.0; 3];
//! add_repeat_scores(&bought, 1.0, &mut scores);
//! assert_eq!(scores, [1.0, 0.0, 5.0]);
//! ```

use crate::interactions::Purchase;

/// Adds `weight * orders` for each past purchase.
pub fn add_repeat_scores(purchases: &[Purchase], weight: f32, scores: &mut [f32]) {
    for purchase in purchases {
        scores[purchase.item as usize] += weight * purchase.orders as f32;
    }
}
