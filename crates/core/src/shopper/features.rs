//! The five features a marketer asks for first, for one shopper, computed on their device from
//! their profile: browse frequency, purchase frequency, search keywords, browse duration and
//! purchase amount, plus category affinity.
//!
//! The shop never has these for its customers (browsing stays in each browser); the shopper sees
//! their own on the "Your data" page, and a shop's page can read them through the JS package to
//! shape what it shows, on the device.
//!
//! ```
//! use aisle_core::catalog::language::Language;
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::shopper::events::Event;
//! use aisle_core::shopper::profile::Profile;
//! use aisle_core::shopper::features::ShopperFeatures;
//! let catalog = Catalog::new(vec![Product::new("1", "White Lantern", 3.0)]);
//! let mut profile = Profile::default();
//! profile.record(Event::view("1", 0)).unwrap();
//! profile.record(Event::dwell("1", 30_000, 30_000)).unwrap();
//! profile.record(Event::search("red lanterns", 40_000)).unwrap();
//! let features = ShopperFeatures::of(&profile, &catalog, Language::English, 60_000);
//! assert_eq!(features.views_per_week, 1.0);
//! assert_eq!(features.browse_seconds, 30.0);
//! assert_eq!(features.search_keywords, ["red", "lantern"]);
//! ```

use serde::Serialize;

use crate::catalog::Catalog;
use crate::catalog::language::Language;
use crate::catalog::text::tokens;
use crate::segmentation::affinity::category_shares;
use crate::shopper::profile::Profile;

/// Search keywords listed, strongest first.
pub const KEYWORDS: usize = 5;
/// Categories listed in [`ShopperFeatures::categories`], largest share first.
pub const CATEGORIES: usize = 4;

const WEEK_MS: f64 = 7.0 * 86_400_000.0;

/// One shopper's features.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShopperFeatures {
    /// Browse frequency: product views per week since the first recorded event (a shorter
    /// history counts as one week, so a first visit is not a burst of hundreds a week).
    pub views_per_week: f64,
    /// Purchase frequency: orders placed.
    pub orders: u32,
    /// Search keywords: the words of the shopper's searches, strongest search first, each once.
    pub search_keywords: Vec<String>,
    /// Browse duration: time on product pages, in seconds.
    pub browse_seconds: f64,
    /// Purchase amount: total spent.
    pub spent: f64,
    /// Category affinity: share of the shopper's interest per category, largest first.
    pub categories: Vec<(String, f64)>,
}

impl ShopperFeatures {
    /// The features of `profile` at `now_ms`, with categories from `catalog` and search words
    /// read as the shop's `language` (of Chinese text, the pairs of characters: one character
    /// alone says little about what was looked for).
    pub fn of(profile: &Profile, catalog: &Catalog, language: Language, now_ms: i64) -> Self {
        let views = profile
            .event_counts()
            .into_iter()
            .find(|(kind, _)| *kind == "view")
            .map_or(0, |(_, count)| count);
        let weeks = profile
            .first_ms()
            .map_or(1.0, |first| ((now_ms - first) as f64 / WEEK_MS).max(1.0));
        let mut search_keywords: Vec<String> = Vec::new();
        for (query, _) in profile.searches(now_ms) {
            for word in tokens(query, language) {
                if word.chars().count() >= 2
                    && search_keywords.len() < KEYWORDS
                    && !search_keywords.contains(&word)
                {
                    search_keywords.push(word);
                }
            }
        }
        let interests = profile
            .interests(now_ms)
            .into_iter()
            .filter_map(|(id, interest)| Some((catalog.position(id)?, interest)));
        let totals = profile.order_totals();
        Self {
            views_per_week: views as f64 / weeks,
            orders: totals.orders,
            search_keywords,
            browse_seconds: profile.dwell_ms() as f64 / 1000.0,
            spent: totals.spent,
            categories: category_shares(catalog, interests)
                .into_iter()
                .take(CATEGORIES)
                .map(|(category, share)| (category.to_owned(), share))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Product;
    use crate::shopper::events::Event;

    #[test]
    fn features_follow_a_fortnight_of_shopping() {
        let day = 86_400_000;
        let catalog = Catalog::new(vec![
            Product::new("A", "Tea Cup", 2.0),
            Product::new("B", "White Lantern", 5.0),
        ]);
        let mut profile = Profile::default();
        for event in [
            Event::view("A", 0),
            Event::dwell("A", 20_000, 20_000),
            Event::view("B", 3 * day),
            Event::view("A", 7 * day),
            Event::dwell("A", 10_000, 7 * day),
            Event::search("tea cups", 8 * day),
            Event::search("TEA pots", 9 * day),
            Event::view("B", 10 * day),
            Event::purchase("A", 2, 2.0, 14 * day),
            Event::purchase("B", 1, 5.0, 14 * day),
        ] {
            profile.record(event).unwrap();
        }
        let features = ShopperFeatures::of(&profile, &catalog, Language::English, 14 * day);
        // Four views over two weeks.
        assert_eq!(features.views_per_week, 2.0);
        // One checkout of two products: one order, 2 × 2.00 + 5.00 spent.
        assert_eq!((features.orders, features.spent), (1, 9.0));
        assert_eq!(features.browse_seconds, 30.0);
        // The later search is the stronger; "tea" is listed once.
        assert_eq!(features.search_keywords, ["tea", "pot", "cup"]);
        // Forgetting a product forgets its time on the page.
        let mut forgetful = profile.clone();
        forgetful.forget_item("A");
        assert_eq!(
            ShopperFeatures::of(&forgetful, &catalog, Language::English, 14 * day).browse_seconds,
            0.0
        );
        let categories: Vec<&str> = features
            .categories
            .iter()
            .map(|(c, _)| c.as_str())
            .collect();
        assert_eq!(categories.len(), 2);
        let total: f64 = features.categories.iter().map(|(_, share)| share).sum();
        assert!((total - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_new_shopper_has_nothing_yet() {
        let features = ShopperFeatures::of(
            &Profile::default(),
            &Catalog::default(),
            Language::English,
            0,
        );
        assert_eq!(features.views_per_week, 0.0);
        assert!(features.search_keywords.is_empty() && features.categories.is_empty());
    }
}
