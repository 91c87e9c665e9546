//! The shop's customer segments as shipped to the browser: enough to place a shopper in one
//! and to recommend what that segment buys.
//!
//! Trained natively from order history (the [`segments`](crate::segmentation::segments) pipeline: RFM
//! features, `log1p`, z-score, k-means, named by rule). Per segment it keeps the centroid in
//! scaled units, its name and share, and its most popular products (by distinct buyers within
//! the segment): "Popular with customers like you". In the browser the shopper's own checkout
//! totals become the same five features, scaled the same way, and the nearest centroid is their
//! segment. A shopper who has bought nothing yet has no segment.
//!
//! ```
//! use aisle_core::segmentation::segment_model::SegmentModel;
//! use aisle_core::shopper::profile::OrderTotals;
//! let none = SegmentModel::default();
//! let totals = OrderTotals { orders: 1, spent: 20.0, last_order_ms: Some(0) };
//! assert_eq!(none.assign(&totals, 1, 0), None);
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::Result;
use crate::input::orders::OrderLine;
use crate::models::interactions::Interactions;
use crate::segmentation::customer_features::{CustomerFeatures, ORDER_FEATURES, order_features};
use crate::segmentation::scaling::Scaler;
use crate::segmentation::segments::{
    SegmentProfile, SegmentRequest, segment_customers, segment_name,
};
use crate::shopper::profile::OrderTotals;
use crate::statistics::customers::{CustomerTotals, customer_totals};

/// Products kept per segment for "Popular with customers like you".
pub const POPULAR_PER_SEGMENT: usize = 50;

const DAY_MS: f64 = 86_400_000.0;

/// One shipped segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShippedSegment {
    /// Its name ("Champions", "At risk 2").
    pub name: String,
    /// Its share of the shop's customers, in [0, 1].
    pub share: f32,
    /// The centroid in scaled units, in [`ORDER_FEATURES`] order.
    pub centroid: Vec<f32>,
    /// Catalog positions of its most popular products, most buyers first.
    pub popular: Vec<u32>,
}

/// The shop's segments and how to place a shopper among them. The default has no segments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentModel {
    /// The z-score fitted on the shop's customers (after `log1p`); `None` without segments.
    scaler: Option<Scaler>,
    /// The shop's median customer, for naming a shopper's own segment.
    median: Option<SegmentProfile>,
    segments: Vec<ShippedSegment>,
}

impl SegmentModel {
    /// Segments the customers in cleaned order `lines` (`k` segments, or chosen by silhouette
    /// when `None`) and ranks each segment's products. "Now", for recency, is the newest order.
    pub fn fit(
        catalog: &Catalog,
        lines: &[OrderLine],
        k: Option<usize>,
        seed: u64,
    ) -> Result<Self> {
        let now = lines.iter().map(|line| line.timestamp).max().unwrap_or(0);
        let matrix = Interactions::from_orders(catalog, lines);
        Self::fit_statistics(&customer_totals(lines), &matrix, now, k, seed)
    }

    /// Segments customers by their totals as of `now`, and ranks each segment's products by
    /// their buyers in `matrix`.
    pub fn fit_statistics(
        totals: &[CustomerTotals],
        matrix: &Interactions,
        now: i64,
        k: Option<usize>,
        seed: u64,
    ) -> Result<Self> {
        let table = CustomerFeatures::from_totals(totals, now);
        let request = SegmentRequest {
            k,
            seed,
            ..SegmentRequest::default()
        };
        let segmentation = segment_customers(&table, &request, &mut |_, _| {})?;
        let segment_of: HashMap<&str, usize> = table
            .customers
            .iter()
            .map(String::as_str)
            .zip(segmentation.labels.iter().copied())
            .collect();
        let mut buyers = vec![vec![0u32; matrix.n_items()]; segmentation.k];
        for user in 0..matrix.n_users() {
            if let Some(&segment) = segment_of.get(matrix.user_id(user)) {
                for purchase in matrix.user_items(user) {
                    buyers[segment][purchase.item as usize] += 1;
                }
            }
        }
        let segments = segmentation
            .segments
            .iter()
            .zip(segmentation.scaled_centroids.rows())
            .zip(buyers)
            .map(|((segment, centroid), buyers)| {
                let mut ranked: Vec<u32> = (0..buyers.len() as u32)
                    .filter(|&item| buyers[item as usize] > 0)
                    .collect();
                ranked.sort_by_key(|&item| std::cmp::Reverse(buyers[item as usize]));
                ranked.truncate(POPULAR_PER_SEGMENT);
                ShippedSegment {
                    name: segment.name.clone(),
                    share: segment.share as f32,
                    centroid: centroid.to_vec(),
                    popular: ranked,
                }
            })
            .collect();
        Ok(Self {
            scaler: Some(segmentation.scaler),
            median: Some(segmentation.median),
            segments,
        })
    }

    /// The segments, in cluster order.
    pub fn segments(&self) -> &[ShippedSegment] {
        &self.segments
    }

    /// The segment of a shopper with these checkout totals and this many distinct products
    /// bought, at `now_ms`; `None` when they have not ordered yet or the shop has no segments.
    pub fn assign(
        &self,
        totals: &OrderTotals,
        distinct_items: usize,
        now_ms: i64,
    ) -> Option<usize> {
        let scaler = self.scaler.as_ref()?;
        let last = totals.last_order_ms.filter(|_| totals.orders > 0)?;
        let recency_days = (now_ms.saturating_sub(last).max(0) as f64 / DAY_MS) as f32;
        let raw = order_features(recency_days, totals.orders, totals.spent, distinct_items);
        let compressed: Vec<f32> = ORDER_FEATURES
            .iter()
            .zip(raw)
            .map(|(feature, value)| feature.compress(value, true))
            .collect();
        let scaled = scaler.transform_row(&compressed);
        let distance = |centroid: &[f32]| -> f32 {
            centroid
                .iter()
                .zip(&scaled)
                .map(|(c, x)| (c - x) * (c - x))
                .sum()
        };
        self.segments
            .iter()
            .enumerate()
            .min_by(|a, b| distance(&a.1.centroid).total_cmp(&distance(&b.1.centroid)))
            .map(|(index, _)| index)
    }

    /// The name of a shopper's own segment by the naming rule (see the module docs), from their
    /// checkout totals at `now_ms`; `None` before their first order or without segments.
    pub fn name_for(&self, totals: &OrderTotals, now_ms: i64) -> Option<&'static str> {
        let median = self.median.as_ref()?;
        let last = totals.last_order_ms.filter(|_| totals.orders > 0)?;
        let shopper = SegmentProfile {
            recency_days: (now_ms.saturating_sub(last).max(0) as f64 / DAY_MS) as f32,
            frequency: totals.orders as f32,
            monetary: totals.spent as f32,
        };
        Some(segment_name(&shopper, median))
    }

    /// Checks what a decoded model claims: centroids of [`ORDER_FEATURES`]'s width, popular
    /// products inside a catalog of `n_items`. The error says what does not fit.
    pub fn check(&self, n_items: usize) -> std::result::Result<(), String> {
        let width = ORDER_FEATURES.len();
        if self.scaler.is_none() && !self.segments.is_empty() {
            return Err("segments without a scaler".into());
        }
        for segment in &self.segments {
            if segment.centroid.len() != width || segment.centroid.iter().any(|v| !v.is_finite()) {
                return Err(format!(
                    "segment `{}`: its centroid is not {width} finite numbers",
                    segment.name
                ));
            }
            if let Some(&item) = segment
                .popular
                .iter()
                .find(|&&item| item as usize >= n_items)
            {
                return Err(format!(
                    "segment `{}` lists product {item}, but the catalog has {n_items} products",
                    segment.name
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::fixtures::big_and_small_spenders;

    const DAY: i64 = 86_400;

    #[test]
    fn places_shoppers_like_the_customers_they_resemble() {
        let lines = big_and_small_spenders("GIFT", "CARD");
        let catalog = Catalog::from_orders(&lines);
        let model = SegmentModel::fit(&catalog, &lines, Some(2), 7).unwrap();
        let names: Vec<&str> = model.segments().iter().map(|s| s.name.as_str()).collect();
        let champions = names.iter().position(|name| *name == "Champions").unwrap();
        let other = 1 - champions;
        assert_eq!(names[other], "Hibernating");
        let gift = catalog.position("GIFT").unwrap() as u32;
        let card = catalog.position("CARD").unwrap() as u32;
        assert_eq!(model.segments()[champions].popular, [gift]);
        assert_eq!(model.segments()[other].popular, [card]);
        assert_eq!(model.segments()[champions].share, 0.5);

        let now = 304 * DAY * 1000;
        let big = OrderTotals {
            orders: 5,
            spent: 1_000.0,
            last_order_ms: Some(now),
        };
        let small = OrderTotals {
            orders: 1,
            spent: 1.0,
            last_order_ms: Some(0),
        };
        assert_eq!(model.assign(&big, 1, now), Some(champions));
        assert_eq!(model.assign(&small, 1, now), Some(other));
        assert_eq!(model.assign(&OrderTotals::default(), 0, now), None);
        // By the naming rule, one small order placed today is promising, whatever it resembles.
        assert_eq!(model.name_for(&small, 0), Some("Promising"));
        assert_eq!(model.name_for(&big, now), Some("Champions"));
        assert_eq!(model.name_for(&OrderTotals::default(), now), None);
        assert_eq!(model.check(catalog.len()), Ok(()));
        assert!(
            model
                .check(1)
                .unwrap_err()
                .contains("catalog has 1 products")
        );
    }
}
