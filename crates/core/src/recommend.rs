//! Recommendations computed on the shopper's device from the shipped model and their event log.
//!
//! "For you" is the [`Blend`] (co-purchase, trending, buy-again) over what the shopper viewed,
//! plus content similarity to those views (recent views weigh more), so that a product nobody
//! has bought together yet still pulls its look-alikes up. With no history the blend's trending
//! part alone ranks, so a new shopper sees what sells now. Viewed products are left out: they
//! belong to "Recently viewed", not to discovery.
//!
//! ```
//! use aisle_core::bundle::Bundle;
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::copurchase::CoPurchase;
//! use aisle_core::events::{Event, EventLog};
//! use aisle_core::item_weights::ItemWeights;
//! use aisle_core::popularity::Popularity;
//! use aisle_core::recommend::Model;
//! use aisle_core::sparse::SparseRows;
//! use aisle_core::trending::Trending;
//! let product = |id: &str, title: &str| Product { id: id.into(), title: title.into(), price: 1.0 };
//! let model = Model::new(Bundle {
//!     catalog: Catalog::new(vec![product("1", "TEA CUP"), product("2", "WHITE LANTERN"), product("3", "RED LANTERN")]),
//!     popularity: Popularity::from_buyers(vec![9, 2, 1]),
//!     trending: Trending::from_scores(vec![1.0, 0.2, 0.1]),
//!     ease: ItemWeights::from_targets(SparseRows::from_rows(vec![vec![]; 3])),
//!     copurchase: CoPurchase::from_pairs(ItemWeights::from_targets(SparseRows::from_rows(vec![vec![]; 3]))),
//! });
//! let mut log = EventLog::default();
//! assert_eq!(model.for_you(&log, 0, 1)[0].item, 0); // trending first
//! log.push(Event::view("2", 0));
//! assert_eq!(model.for_you(&log, 0, 1)[0].item, 2); // the other lantern
//! ```

use crate::blend::{Blend, HistoryItem};
use crate::bundle::Bundle;
use crate::catalog::Catalog;
use crate::content::ContentIndex;
use crate::copurchase::CoPurchase;
use crate::events::EventLog;

/// Weight of content similarity to the latest view. A close look-alike (cosine 0.6) then adds
/// 0.3, about as much as a strong co-purchase link, so both kinds of relation show.
const CONTENT_WEIGHT: f32 = 0.5;

/// Each older distinct view's content pull counts this much less than the one after it.
const RECENCY_DECAY: f32 = 0.8;

/// How much trending adds among similar products: enough to order near-equal matches, far too
/// little to lift a weaker match over a closer one.
const SIMILAR_TIE_BREAK: f32 = 0.01;

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
    /// Catalog positions by distinct buyers, most first: ranked once, shown on every visit.
    best_sellers: Vec<usize>,
    content: ContentIndex,
    blend: Blend,
    copurchase: CoPurchase,
}

impl Model {
    /// Builds the model from a decoded bundle, indexing product titles for content similarity.
    pub fn new(bundle: Bundle) -> Self {
        let content =
            ContentIndex::build(bundle.catalog.products().iter().map(|p| p.title.as_str()));
        Self {
            catalog: bundle.catalog,
            best_sellers: bundle.popularity.ranked(),
            content,
            blend: Blend::new(bundle.ease, bundle.trending.scores().to_vec()),
            copurchase: bundle.copurchase,
        }
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Catalog positions by distinct buyers, most first (ties in catalog order).
    pub fn best_sellers(&self) -> &[usize] {
        &self.best_sellers
    }

    /// The `k` best products for this shopper at `now_ms` (milliseconds since the epoch), best
    /// first.
    pub fn for_you(&self, history: &EventLog, now_ms: i64, k: usize) -> Vec<Recommendation> {
        let viewed: Vec<HistoryItem> = history
            .recent_views()
            .into_iter()
            .filter_map(|(id, at_ms)| {
                Some(HistoryItem {
                    item: self.catalog.position(id)? as u32,
                    orders: 0.0,
                    last_at: at_ms / 1000,
                })
            })
            .collect();
        let mut scores = vec![0.0; self.catalog.len()];
        let recent = &viewed[..viewed.len().min(MAX_HISTORY)];
        self.blend.add_scores(recent, now_ms / 1000, &mut scores);
        let mut weight = CONTENT_WEIGHT;
        for entry in recent {
            self.content
                .add_similar(entry.item as usize, weight, &mut scores);
            weight *= RECENCY_DECAY;
        }
        for entry in &viewed {
            scores[entry.item as usize] = f32::NEG_INFINITY;
        }
        top_k(&scores, k)
    }

    /// Up to `k` products that look like `item` (title similarity), best first; what sells now
    /// breaks ties between equally similar ones. Products sharing no title word are not similar.
    pub fn similar(&self, item: usize, k: usize) -> Vec<Recommendation> {
        let mut scores = vec![0.0; self.catalog.len()];
        self.content.add_similar(item, 1.0, &mut scores);
        for (score, trend) in scores.iter_mut().zip(self.blend.trend()) {
            *score = if *score > 0.0 {
                *score + SIMILAR_TIE_BREAK * trend
            } else {
                f32::NEG_INFINITY
            };
        }
        if let Some(own) = scores.get_mut(item) {
            *own = f32::NEG_INFINITY;
        }
        top_k(&scores, k)
    }

    /// Up to `k` products most often bought together with `item`, strongest first.
    pub fn bought_together(&self, item: usize, k: usize) -> Vec<Recommendation> {
        let (partners, lifts) = self.copurchase.partners(item);
        partners
            .iter()
            .zip(lifts)
            .take(k)
            .map(|(&partner, &lift)| Recommendation {
                item: partner as usize,
                score: lift,
            })
            .collect()
    }

    /// The `k` products selling most now, best first.
    pub fn trending(&self, k: usize) -> Vec<Recommendation> {
        top_k(self.blend.trend(), k)
    }
}

/// The `k` highest finite scores, best first; equal scores keep catalog order.
pub fn top_k(scores: &[f32], k: usize) -> Vec<Recommendation> {
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
    use crate::item_weights::ItemWeights;
    use crate::popularity::Popularity;
    use crate::sparse::SparseRows;
    use crate::trending::Trending;

    /// Five products; E is fed by A in co-purchase (people who buy tea cups buy tea towels).
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
        let ease = ItemWeights::from_targets(SparseRows::from_rows(vec![
            vec![],
            vec![],
            vec![],
            vec![],
            vec![(0, 0.4)],
        ]));
        Model::new(Bundle {
            catalog,
            popularity: Popularity::from_buyers(vec![10, 1, 2, 3, 5]),
            trending: Trending::from_scores(vec![1.0, 0.1, 0.2, 0.3, 0.5]),
            ease,
            // Tea cups and tea towels share baskets.
            copurchase: CoPurchase::from_pairs(ItemWeights::from_targets(SparseRows::from_rows(
                vec![vec![(4, 3.0)], vec![], vec![], vec![], vec![(0, 3.0)]],
            ))),
        })
    }

    fn ids(model: &Model, recommendations: &[Recommendation]) -> Vec<String> {
        recommendations
            .iter()
            .map(|r| model.catalog().product(r.item).unwrap().id.clone())
            .collect()
    }

    #[test]
    fn a_new_shopper_gets_what_trends() {
        let model = model();
        let list = model.for_you(&EventLog::default(), 0, 3);
        assert_eq!(ids(&model, &list), ["A", "E", "D"]);
        assert_eq!(ids(&model, &model.trending(3)), ["A", "E", "D"]);
    }

    #[test]
    fn views_pull_look_alikes_up_and_leave_viewed_ones_out() {
        let model = model();
        let mut log = EventLog::default();
        log.push(Event::view("B", 1));
        let list = model.for_you(&log, 1, 4);
        // C shares "metal" and "lantern" with B; D only "lantern"; A and E nothing.
        assert_eq!(ids(&model, &list), ["C", "D", "A", "E"]);
    }

    #[test]
    fn views_pull_co_purchased_products_up() {
        let model = model();
        let mut log = EventLog::default();
        log.push(Event::view("A", 1));
        // E: trending 0.15 * 0.5 + co-purchase 0.4 + content ("tea") beats the lanterns.
        assert_eq!(ids(&model, &model.for_you(&log, 1, 1)), ["E"]);
    }

    #[test]
    fn recent_views_weigh_more_than_older_ones() {
        let model = model();
        let towel_score = |views: [&str; 2]| {
            let mut log = EventLog::default();
            for (at, item) in views.into_iter().enumerate() {
                log.push(Event::view(item, at as i64));
            }
            model
                .for_you(&log, 2, 5)
                .iter()
                .find(|r| r.item == 4)
                .unwrap()
                .score
        };
        // The tea towel relates to the tea cup (A) only: it scores higher when A is the newer view.
        assert!(towel_score(["B", "A"]) > towel_score(["A", "B"]));
    }

    #[test]
    fn similar_items_share_title_words_and_exclude_the_item() {
        let model = model();
        // White metal lantern: the red metal lantern shares two words, the candle one.
        assert_eq!(ids(&model, &model.similar(1, 5)), ["C", "D"]);
        assert_eq!(ids(&model, &model.similar(0, 5)), ["E"]);
    }

    #[test]
    fn best_sellers_follow_distinct_buyers() {
        let model = model();
        let ids: Vec<&str> = model
            .best_sellers()
            .iter()
            .map(|&i| model.catalog().product(i).unwrap().id.as_str())
            .collect();
        assert_eq!(ids, ["A", "E", "D", "C", "B"]);
    }

    #[test]
    fn bought_together_lists_basket_partners() {
        let model = model();
        assert_eq!(ids(&model, &model.bought_together(0, 5)), ["E"]);
        assert!(model.bought_together(1, 5).is_empty());
    }

    #[test]
    fn unknown_items_in_the_history_are_ignored() {
        let model = model();
        let mut log = EventLog::default();
        log.push(Event::view("gone-from-catalog", 1));
        assert_eq!(ids(&model, &model.for_you(&log, 1, 2)), ["A", "E"]);
    }

    #[test]
    fn top_k_handles_k_beyond_the_list() {
        let list = top_k(&[0.5, f32::NEG_INFINITY, 0.5, 0.9], 10);
        let items: Vec<usize> = list.iter().map(|r| r.item).collect();
        assert_eq!(items, [3, 0, 2]);
        assert!(top_k(&[1.0], 0).is_empty());
    }
}
