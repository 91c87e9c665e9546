//! Category affinity: how someone's purchases or interest spread over the catalog's categories,
//! and which categories a group leans towards compared with everyone.
//!
//! A shopper's "Your data" page shows their interests by category; a segment card in the studio
//! shows the categories its customers buy more of than the average customer ("Christmas &
//! seasonal, 1.9×"), the figure a marketer plans a campaign on.
//!
//! ```
//! use aisle_core::segmentation::affinity::category_shares;
//! use aisle_core::catalog::{Catalog, Product};
//! let catalog = Catalog::new(vec![Product::new("1", "Mug", 1.0), Product::new("2", "Lantern", 1.0)]);
//! let shares = category_shares(&catalog, [(0, 3.0), (1, 1.0)]);
//! assert_eq!(shares, [("Kitchen & dining", 0.75), ("Candles & lighting", 0.25)]);
//! ```

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;

/// Each category's share of the total weight of `items` (catalog position, weight), largest
/// first (ties by name). Products without a category, positions outside the catalog and
/// non-positive weights count for nothing; no weight at all gives an empty list.
pub fn category_shares(
    catalog: &Catalog,
    items: impl IntoIterator<Item = (usize, f64)>,
) -> Vec<(&str, f64)> {
    let mut weights: FxHashMap<&str, f64> = FxHashMap::default();
    for (item, weight) in items {
        let Some(product) = catalog.product(item) else {
            continue;
        };
        if weight > 0.0 && !product.category.is_empty() {
            *weights.entry(product.category.as_str()).or_default() += weight;
        }
    }
    let total: f64 = weights.values().sum();
    let mut shares: Vec<(&str, f64)> = weights
        .into_iter()
        .map(|(category, weight)| (category, weight / total))
        .collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    shares
}

/// A category a group leans towards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leaning {
    /// The category.
    pub category: String,
    /// Its share of the group's weight.
    pub share: f64,
    /// `share` over its share among everyone: 2.0 is twice as much as the average.
    pub lift: f64,
}

/// Categories that make up at least this share of a group's weight can be a leaning: a lift
/// on a sliver of purchases says nothing a marketer can plan on.
pub const MIN_LEANING_SHARE: f64 = 0.05;

/// The group's categories with a lift of at least `min_lift` over `everyone`, by lift (ties by
/// name), at most `limit`. Only categories with [`MIN_LEANING_SHARE`] of the group count.
///
/// ```
/// use aisle_core::segmentation::affinity::leanings;
/// let everyone = [("Kitchen & dining", 0.6), ("Jewellery", 0.4)];
/// let group = [("Jewellery", 0.8), ("Kitchen & dining", 0.2)];
/// let leaning = &leanings(&group, &everyone, 1.2, 3)[0];
/// assert_eq!((leaning.category.as_str(), leaning.lift), ("Jewellery", 2.0));
/// ```
pub fn leanings(
    group: &[(&str, f64)],
    everyone: &[(&str, f64)],
    min_lift: f64,
    limit: usize,
) -> Vec<Leaning> {
    let mut found: Vec<Leaning> = group
        .iter()
        .filter(|(_, share)| *share >= MIN_LEANING_SHARE)
        .filter_map(|&(category, share)| {
            let overall = everyone.iter().find(|(name, _)| *name == category)?.1;
            Some(Leaning {
                category: category.to_owned(),
                share,
                lift: share / overall,
            })
        })
        .filter(|leaning| leaning.lift >= min_lift)
        .collect();
    found.sort_by(|a, b| {
        b.lift
            .total_cmp(&a.lift)
            .then_with(|| a.category.cmp(&b.category))
    });
    found.truncate(limit);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Product;

    fn catalog() -> Catalog {
        Catalog::new(vec![
            Product::new("1", "Mug", 1.0),
            Product::new("2", "Bowl", 1.0),
            Product::new("3", "Lantern", 1.0),
            Product::new("4", "Space Cadet", 1.0),
        ])
    }

    #[test]
    fn shares_sum_to_one_over_the_categorised_weight() {
        let catalog = catalog();
        // The uncategorised product (4), a zero weight and an unknown position count for nothing.
        let shares = category_shares(
            &catalog,
            [(0, 1.0), (1, 1.0), (2, 2.0), (3, 5.0), (1, 0.0), (9, 1.0)],
        );
        assert_eq!(
            shares,
            [("Candles & lighting", 0.5), ("Kitchen & dining", 0.5)]
        );
        assert!(category_shares(&catalog, [(3, 1.0)]).is_empty());
    }

    #[test]
    fn leanings_need_a_share_and_a_lift() {
        let everyone = [("A", 0.5), ("B", 0.3), ("C", 0.19), ("D", 0.01)];
        // D's lift is 4 but on 4% of the group; A's and B's lifts are below 1.
        let group = [("C", 0.57), ("A", 0.3), ("B", 0.09), ("D", 0.04)];
        let found = leanings(&group, &everyone, 1.2, 3);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].category, "C");
        assert!((found[0].lift - 3.0).abs() < 1e-12);
        assert!(leanings(&group, &everyone, 5.0, 3).is_empty());
    }
}
