//! A shop's rules for one shelf: what may be shown there (price range, never these products,
//! not out of stock, only these categories) and how varied the list should be ([`crate::serve::diversity`]).
//!
//! The [`Model`] lists already leave out what their placement needs left out ("For you" skips
//! what the shopper viewed, has in the cart or bought; "Buy it again" skips the cart); rules are
//! what the page adds on top, applied after ranking so that every placement honours them alike.
//!
//! ```
//! use aisle_core::serve::rules::Rules;
//! # use aisle_core::catalog::Product;
//! let rules = Rules { max_price: Some(5.0), unavailable: vec!["22633".into()], ..Rules::default() };
//! let product = |id: &str, price: f64| Product::new(id, "Mug", price);
//! assert!(rules.admits(&product("85123A", 2.55)));
//! assert!(!rules.admits(&product("85123A", 12.75))); // too dear for this shelf
//! assert!(!rules.admits(&product("22633", 1.85)));   // out of stock
//! ```

use crate::catalog::Product;
use crate::serve::diversity::rerank;
use crate::serve::recommend::{Model, Recommendation};

/// Rules for one shelf. The default admits everything and keeps the ranking's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// Lowest price shown.
    pub min_price: Option<f64>,
    /// Highest price shown.
    pub max_price: Option<f64>,
    /// Products never shown on this shelf (the page's own product, say).
    pub exclude: Vec<String>,
    /// Products out of stock.
    pub unavailable: Vec<String>,
    /// When not empty, only products of these categories (a category page's shelf).
    pub categories: Vec<String>,
    /// How much to favour variety over score, in [0, 1]: 0 keeps the score order (see
    /// [`crate::serve::diversity::rerank`]; similarity is title similarity).
    pub diversity: f32,
}

impl Rules {
    /// Whether `product` may be shown.
    pub fn admits(&self, product: &Product) -> bool {
        self.min_price.is_none_or(|min| product.price >= min)
            && self.max_price.is_none_or(|max| product.price <= max)
            && !self.exclude.contains(&product.id)
            && !self.unavailable.contains(&product.id)
            && (self.categories.is_empty() || self.categories.contains(&product.category))
    }

    /// The first `k` admitted products of `ranked` (best first, from `model`), re-ranked for
    /// variety when [`Rules::diversity`] is above 0.
    pub fn apply(
        &self,
        model: &Model,
        ranked: Vec<Recommendation>,
        k: usize,
    ) -> Vec<Recommendation> {
        let admitted: Vec<Recommendation> = ranked
            .into_iter()
            .filter(|recommendation| {
                model
                    .catalog()
                    .product(recommendation.item)
                    .is_some_and(|product| self.admits(product))
            })
            .collect();
        if self.diversity <= 0.0 || self.diversity.is_nan() {
            return admitted.into_iter().take(k).collect();
        }
        // Variety among the strongest candidates only: far down the list nothing is relevant.
        let pool = &admitted[..admitted.len().min(k.saturating_mul(DIVERSITY_POOL))];
        let candidates: Vec<(usize, f32)> = pool
            .iter()
            .enumerate()
            .map(|(position, recommendation)| (position, recommendation.score))
            .collect();
        rerank(&candidates, k, self.diversity, |a, b| {
            model.similarity(pool[a].item, pool[b].item)
        })
        .into_iter()
        .map(|position| pool[position].clone())
        .collect()
    }
}

/// Candidates considered per list place when re-ranking for variety.
const DIVERSITY_POOL: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::recommend::tests::model;

    fn ranked(model: &Model, ids: &[&str]) -> Vec<Recommendation> {
        ids.iter()
            .enumerate()
            .map(|(rank, id)| Recommendation {
                item: model.catalog().position(id).unwrap(),
                score: -(rank as f32),
                reason: crate::serve::reason::Reason::Trending,
            })
            .collect()
    }

    fn ids(model: &Model, list: &[Recommendation]) -> Vec<String> {
        list.iter()
            .map(|r| model.catalog().product(r.item).unwrap().id.clone())
            .collect()
    }

    #[test]
    fn every_rule_leaves_out_its_products_and_k_truncates() {
        let model = model();
        let list = ranked(&model, &["A", "B", "C", "D", "E"]);
        let rules = Rules {
            exclude: vec!["A".into()],
            unavailable: vec!["C".into()],
            ..Rules::default()
        };
        assert_eq!(
            ids(&model, &rules.apply(&model, list.clone(), 2)),
            ["B", "D"]
        );
        let kitchen = Rules {
            categories: vec!["Kitchen & dining".into()],
            ..Rules::default()
        };
        // A tea cup and a tea towel; the lanterns and the candle are lighting.
        assert_eq!(
            ids(&model, &kitchen.apply(&model, list.clone(), 9)),
            ["A", "E"]
        );
        let all = Rules::default().apply(&model, list, 9);
        assert_eq!(ids(&model, &all), ["A", "B", "C", "D", "E"]);
    }

    #[test]
    fn diversity_moves_a_look_alike_down() {
        // B and C are both metal lanterns; A (a tea cup) shares no title word with them.
        let model = model();
        let list = ranked(&model, &["B", "C", "A", "D", "E"]);
        let plain = Rules::default().apply(&model, list.clone(), 3);
        assert_eq!(ids(&model, &plain), ["B", "C", "A"]);
        let varied = Rules {
            diversity: 0.6,
            ..Rules::default()
        }
        .apply(&model, list, 3);
        assert_eq!(ids(&model, &varied)[0], "B");
        assert_ne!(ids(&model, &varied)[1], "C");
    }
}
