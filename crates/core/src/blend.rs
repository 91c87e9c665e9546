//! The Aisle blend: how "For you" ranks products, and the model `aisle evaluate` reports as
//! `aisle`, from the same code.
//!
//! Three signals, each for a reason the evaluation showed on the demo log:
//! - **co-purchase** (sparsified EASE) from the shopper's history, each item weighed by how recent
//!   it is (`exp(−age / 180 days)`): tastes drift;
//! - **trending** (a week's time constant): a gift shop is seasonal, and what sells now is what
//!   sells next;
//! - **buy again**: products the shopper ordered before, by how many orders, scaled by
//!   `0.5 + trending`: re-orders cluster in season (last Christmas's baubles, this Christmas).
//!
//! The weights were chosen on the demo log's temporal holdout and are fixed here, so the browser
//! and the evaluation agree; other shops' logs are checked with `aisle evaluate --train/--test`.
//!
//! ```
//! use aisle_core::blend::{Blend, HistoryItem};
//! use aisle_core::item_weights::ItemWeights;
//! use aisle_core::sparse::SparseRows;
//! // Item 1 goes with item 0; item 2 is trending.
//! let ease = ItemWeights::from_targets(SparseRows::from_rows(vec![vec![], vec![(0, 1.0)], vec![]]));
//! let blend = Blend::new(ease, vec![0.0, 0.0, 1.0]);
//! let mut scores = vec![0.0; 3];
//! blend.add_scores(&[HistoryItem { item: 0, orders: 0.0, last_at: 0 }], 0, &mut scores);
//! assert!(scores[1] > scores[2] && scores[2] > scores[0]);
//! ```

use crate::interactions::Purchase;
use crate::item_weights::ItemWeights;

/// Seconds over which a history item's co-purchase pull falls to 1/e.
const HISTORY_TIME_CONSTANT: f32 = 180.0 * 86_400.0;
/// Weight of the trending score.
pub const TREND_WEIGHT: f32 = 0.15;
/// Weight of one past order of a product.
const REPEAT_WEIGHT: f32 = 0.4;
/// A past order's weight out of season (trending 0); in season (trending 1) it is 1.5 times that.
const REPEAT_BASE: f32 = 0.5;

/// Something in the shopper's history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryItem {
    /// Catalog position.
    pub item: u32,
    /// Distinct orders that included it (0 for an item only viewed).
    pub orders: f32,
    /// When the shopper last bought or viewed it, seconds since the epoch.
    pub last_at: i64,
}

impl From<&Purchase> for HistoryItem {
    fn from(purchase: &Purchase) -> Self {
        Self {
            item: purchase.item,
            orders: purchase.orders as f32,
            last_at: purchase.last_at,
        }
    }
}

/// The blend's model parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Blend {
    ease: ItemWeights,
    trend: Vec<f32>,
}

impl Blend {
    /// Combines sparsified EASE weights and trending scores (one per catalog position).
    pub fn new(ease: ItemWeights, trend: Vec<f32>) -> Self {
        Self { ease, trend }
    }

    /// The co-purchase weights.
    pub fn ease(&self) -> &ItemWeights {
        &self.ease
    }

    /// The trending scores, by catalog position.
    pub fn trend(&self) -> &[f32] {
        &self.trend
    }

    /// Adds the blend's score of every product to `scores`, for a shopper with this `history`
    /// at time `now` (seconds since the epoch).
    pub fn add_scores(&self, history: &[HistoryItem], now: i64, scores: &mut [f32]) {
        for entry in history {
            self.add_neighbours(entry, 1.0, now, scores);
        }
        self.add_trend(TREND_WEIGHT, scores);
        for entry in history.iter().filter(|entry| entry.orders > 0.0) {
            scores[entry.item as usize] += self.repeat_score(entry.item, entry.orders);
        }
    }

    /// Adds what one history item says about every product (its co-purchase weights, faded by
    /// the item's age at `now`), times `weight`.
    pub fn add_neighbours(&self, entry: &HistoryItem, weight: f32, now: i64, scores: &mut [f32]) {
        let age = now.saturating_sub(entry.last_at).max(0) as f32;
        let recency = (-age / HISTORY_TIME_CONSTANT).exp();
        self.ease
            .add_scores(&[entry.item], weight * recency, scores);
    }

    /// Adds `weight` times every product's trending score ([`TREND_WEIGHT`] in the blend).
    pub fn add_trend(&self, weight: f32, scores: &mut [f32]) {
        for (score, trend) in scores.iter_mut().zip(&self.trend) {
            *score += weight * trend;
        }
    }

    /// How strongly to suggest buying `item` again after `orders` orders: more orders and a
    /// product in season count more.
    pub fn repeat_score(&self, item: u32, orders: f32) -> f32 {
        let in_season = self.trend.get(item as usize).copied().unwrap_or(0.0);
        REPEAT_WEIGHT * orders * (REPEAT_BASE + in_season)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparse::SparseRows;

    const DAY: i64 = 86_400;

    fn blend() -> Blend {
        // Target 1 is fed by item 0 (0.5); target 2 by item 0 (0.2). Item 3 trends.
        let ease = ItemWeights::from_targets(SparseRows::from_rows(vec![
            vec![],
            vec![(0, 0.5)],
            vec![(0, 0.2)],
            vec![],
        ]));
        Blend::new(ease, vec![0.0, 0.0, 0.0, 1.0])
    }

    #[test]
    fn each_signal_adds_its_hand_computed_share() {
        let now = 1_000 * DAY;
        let history = [HistoryItem {
            item: 0,
            orders: 2.0,
            last_at: now - 180 * DAY,
        }];
        let mut scores = vec![0.0; 4];
        blend().add_scores(&history, now, &mut scores);
        let recency = (-1.0f32).exp(); // 180 days old: e^-1
        let expected = [0.4 * 2.0 * 0.5, 0.5 * recency, 0.2 * recency, 0.15];
        for (got, want) in scores.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{scores:?} vs {expected:?}");
        }
    }

    #[test]
    fn a_new_shopper_gets_trending_order() {
        let mut scores = vec![0.0; 4];
        blend().add_scores(&[], 0, &mut scores);
        assert_eq!(scores, [0.0, 0.0, 0.0, 0.15]);
    }

    #[test]
    fn viewed_items_pull_neighbours_but_are_not_repeats() {
        let mut scores = vec![0.0; 4];
        blend().add_scores(
            &[HistoryItem {
                item: 0,
                orders: 0.0,
                last_at: 0,
            }],
            0,
            &mut scores,
        );
        assert_eq!(scores[0], 0.0);
        assert!((scores[1] - 0.5).abs() < 1e-6);
    }
}
