//! Recommendations computed on the shopper's device from the shipped model and their event log.
//!
//! "For you" blends content similarity to what the shopper viewed (recent views weigh more) with
//! a small popularity prior. With no history the prior alone ranks, so a new shopper sees the
//! best sellers; every view then pulls related products up. Viewed products are left out: they
//! belong to "Recently viewed", not to discovery.
//!
//! ```
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::events::{Event, EventLog};
//! use aisle_core::popularity::Popularity;
//! use aisle_core::recommend::Model;
//! let product = |id: &str, title: &str| Product { id: id.into(), title: title.into(), price: 1.0 };
//! let catalog = Catalog::new(vec![
//!     product("1", "TEA CUP"), product("2", "WHITE LANTERN"), product("3", "RED LANTERN"),
//! ]);
//! let model = Model::new(catalog, Popularity::from_buyers(vec![9, 2, 1]));
//! let mut log = EventLog::default();
//! assert_eq!(model.for_you(&log, 1)[0].item, 0); // best seller first
//! log.push(Event::view("2", 0));
//! assert_eq!(model.for_you(&log, 1)[0].item, 2); // the other lantern
//! ```

use crate::catalog::Catalog;
use crate::content::ContentIndex;
use crate::events::EventLog;
use crate::popularity::Popularity;

/// How much the popularity prior adds at most. Small next to a content match (a cosine of 0.1 or
/// more), so it orders the unrelated rest and breaks ties, and never outweighs a real signal.
const POPULARITY_PRIOR: f32 = 0.05;

/// Each older distinct view counts this much less than the one after it.
const RECENCY_DECAY: f32 = 0.8;

/// Only this many of the most recent distinct views shape the list: older interest has faded.
const MAX_HISTORY: usize = 20;

/// One recommended product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recommendation {
    /// Catalog position.
    pub item: usize,
    /// Blended score; higher is better. Comparable within one list only.
    pub score: f32,
}

/// Everything the browser needs to recommend, decoded once from the bundle.
#[derive(Debug, Clone)]
pub struct Model {
    catalog: Catalog,
    popularity: Popularity,
    popularity_prior: Vec<f32>,
    content: ContentIndex,
}

impl Model {
    /// Builds the model, indexing product titles for content similarity.
    pub fn new(catalog: Catalog, popularity: Popularity) -> Self {
        let content = ContentIndex::build(catalog.products().iter().map(|p| p.title.as_str()));
        let popularity_prior = popularity
            .normalised()
            .into_iter()
            .map(|share| share * POPULARITY_PRIOR)
            .collect();
        Self {
            catalog,
            popularity,
            popularity_prior,
            content,
        }
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The popularity counts.
    pub fn popularity(&self) -> &Popularity {
        &self.popularity
    }

    /// The `k` best products for this shopper, best first.
    pub fn for_you(&self, history: &EventLog, k: usize) -> Vec<Recommendation> {
        let mut scores = self.popularity_prior.clone();
        let viewed: Vec<usize> = history
            .recent_views()
            .into_iter()
            .filter_map(|id| self.catalog.position(id))
            .collect();
        let mut weight = 1.0;
        for &item in viewed.iter().take(MAX_HISTORY) {
            self.content.add_similar(item, weight, &mut scores);
            weight *= RECENCY_DECAY;
        }
        for &item in &viewed {
            scores[item] = f32::NEG_INFINITY;
        }
        top_k(&scores, k)
    }
}

/// The `k` highest finite scores, best first; equal scores keep catalog order.
pub(crate) fn top_k(scores: &[f32], k: usize) -> Vec<Recommendation> {
    let mut ranked: Vec<Recommendation> = scores
        .iter()
        .enumerate()
        .filter(|(_, score)| score.is_finite())
        .map(|(item, &score)| Recommendation { item, score })
        .collect();
    let by_score = |a: &Recommendation, b: &Recommendation| {
        b.score.total_cmp(&a.score).then(a.item.cmp(&b.item))
    };
    if k < ranked.len() {
        ranked.select_nth_unstable_by(k, by_score);
        ranked.truncate(k);
    }
    ranked.sort_by(by_score);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Product;
    use crate::events::Event;

    fn model() -> Model {
        let product = |id: &str, title: &str| Product {
            id: id.into(),
            title: title.into(),
            price: 1.0,
        };
        let catalog = Catalog::new(vec![
            product("A", "TEA CUP"),
            product("B", "WHITE METAL LANTERN"),
            product("C", "RED METAL LANTERN"),
            product("D", "LANTERN CANDLE"),
            product("E", "TEA TOWEL"),
        ]);
        Model::new(catalog, Popularity::from_buyers(vec![10, 1, 2, 3, 5]))
    }

    fn ids(model: &Model, recommendations: &[Recommendation]) -> Vec<String> {
        recommendations
            .iter()
            .map(|r| model.catalog().product(r.item).unwrap().id.clone())
            .collect()
    }

    #[test]
    fn a_new_shopper_gets_the_best_sellers() {
        let model = model();
        let list = model.for_you(&EventLog::default(), 3);
        assert_eq!(ids(&model, &list), ["A", "E", "D"]);
        assert!((list[0].score - POPULARITY_PRIOR).abs() < 1e-6);
    }

    #[test]
    fn views_pull_related_products_up_and_leave_viewed_ones_out() {
        let model = model();
        let mut log = EventLog::default();
        log.push(Event::view("B", 1));
        let list = model.for_you(&log, 4);
        // C shares "metal" and "lantern" with B; D only "lantern"; A and E nothing.
        assert_eq!(ids(&model, &list), ["C", "D", "A", "E"]);
    }

    #[test]
    fn recent_views_weigh_more_than_older_ones() {
        let model = model();
        let towel_score = |views: [&str; 2]| {
            let mut log = EventLog::default();
            for (at, item) in views.into_iter().enumerate() {
                log.push(Event::view(item, at as i64));
            }
            let list = model.for_you(&log, 5);
            list.iter().find(|r| r.item == 4).unwrap().score
        };
        // The tea towel relates to the tea cup (A) only: it scores higher when A is the newer view.
        assert!(towel_score(["B", "A"]) > towel_score(["A", "B"]));
    }

    #[test]
    fn unknown_items_in_the_history_are_ignored() {
        let model = model();
        let mut log = EventLog::default();
        log.push(Event::view("gone-from-catalog", 1));
        assert_eq!(ids(&model, &model.for_you(&log, 2)), ["A", "E"]);
    }

    #[test]
    fn top_k_handles_k_beyond_the_list() {
        let list = top_k(&[0.5, f32::NEG_INFINITY, 0.5, 0.9], 10);
        let items: Vec<usize> = list.iter().map(|r| r.item).collect();
        assert_eq!(items, [3, 0, 2]);
        assert!(top_k(&[1.0], 0).is_empty());
    }
}
