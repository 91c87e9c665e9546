//! The EASE weights as the blend ranks with them: by history item ("which targets does `i`
//! feed"), every row at hand, or rows arriving shard by shard.
//!
//! Ranking a history reads only the rows of the products in it, so a store need not fetch the
//! whole model: a bundle splits the rows into shards of products grouped by a hash of their id
//! ([`crate::catalog::shards`]), and a store fetches the shards its shopper's history needs
//! ([`EaseRows::missing_shards`]) and hands each over as it arrives ([`EaseRows::provide`]).
//! The command line and the JS package hold every row at once ([`EaseRows::from`] an
//! [`ItemWeights`]). Rows read either way are the same numbers, so a history whose shards are
//! all here ranks exactly as `aisle evaluate` measured.
//!
//! ```
//! use aisle_core::models::ease_rows::EaseRows;
//! use aisle_core::models::item_weights::ItemWeights;
//! use aisle_core::math::sparse::SparseRows;
//! // Target 0 is fed by item 1.
//! let rows = EaseRows::from(ItemWeights::from_targets(SparseRows::from_rows(vec![vec![(1, 0.5)], vec![]])));
//! assert_eq!(rows.weight(1, 0), 0.5);
//! assert!(rows.missing_shards([0, 1]).is_empty());
//! ```

use std::sync::OnceLock;

use crate::catalog::shards::Grouping;
use crate::math::sparse::SparseRows;
use crate::models::item_weights::ItemWeights;

/// EASE rows by source item, whole or by shard.
#[derive(Debug, Clone, PartialEq)]
pub struct EaseRows(Held);

#[derive(Debug, Clone, PartialEq)]
enum Held {
    /// Every row.
    Whole(ItemWeights),
    /// The shards that have arrived: shard `s`'s rows, one per member of the grouping's shard
    /// `s` in its order.
    Sharded {
        grouping: Grouping,
        shards: Vec<OnceLock<SparseRows>>,
    },
}

impl From<ItemWeights> for EaseRows {
    fn from(weights: ItemWeights) -> Self {
        Self(Held::Whole(weights))
    }
}

impl Default for EaseRows {
    fn default() -> Self {
        Self::from(ItemWeights::default())
    }
}

impl EaseRows {
    /// No rows yet, for products grouped into shards as `grouping` says; each arrives with
    /// [`EaseRows::provide`].
    pub fn awaiting(grouping: Grouping) -> Self {
        let shards = (0..grouping.len()).map(|_| OnceLock::new()).collect();
        Self(Held::Sharded { grouping, shards })
    }

    /// Every row, when they are held whole.
    pub fn whole(&self) -> Option<&ItemWeights> {
        match &self.0 {
            Held::Whole(weights) => Some(weights),
            Held::Sharded { .. } => None,
        }
    }

    /// How the products are grouped into shards, when rows arrive by shard.
    pub fn grouping(&self) -> Option<&Grouping> {
        match &self.0 {
            Held::Whole(_) => None,
            Held::Sharded { grouping, .. } => Some(grouping),
        }
    }

    /// Item `source`'s row: the targets it feeds and their weights, targets ascending; `None`
    /// while its shard has not arrived. An item outside the catalog feeds nothing.
    pub fn row(&self, source: u32) -> Option<(&[u32], &[f32])> {
        match &self.0 {
            Held::Whole(weights) => Some(weights.sources().row(source as usize)),
            Held::Sharded { grouping, shards } => {
                let Some((shard, slot)) = grouping.locate(source as usize) else {
                    return Some((&[], &[]));
                };
                shards[shard].get().map(|rows| rows.row(slot))
            }
        }
    }

    /// Adds `weight * w(source, j)` to `scores[j]` for every target `j` that `source` feeds;
    /// nothing while its row has not arrived.
    pub fn add_scores(&self, source: u32, weight: f32, scores: &mut [f32]) {
        if let Some((targets, weights)) = self.row(source) {
            for (&target, &w) in targets.iter().zip(weights) {
                scores[target as usize] += weight * w;
            }
        }
    }

    /// `w(source, target)`: 0 when `target` did not keep `source`, or its row has not arrived.
    pub fn weight(&self, source: u32, target: u32) -> f32 {
        self.row(source)
            .and_then(|(targets, weights)| {
                targets.binary_search(&target).ok().map(|at| weights[at])
            })
            .unwrap_or(0.0)
    }

    /// The shards, ascending and each once, holding rows of `items` (catalog positions) that
    /// have not arrived; empty when every row they need is here.
    pub fn missing_shards(&self, items: impl IntoIterator<Item = usize>) -> Vec<usize> {
        let Held::Sharded { grouping, shards } = &self.0 else {
            return Vec::new();
        };
        let mut needed = vec![false; shards.len()];
        for shard in items.into_iter().filter_map(|item| grouping.shard_of(item)) {
            needed[shard] = true;
        }
        (0..shards.len())
            .filter(|&shard| needed[shard] && shards[shard].get().is_none())
            .collect()
    }

    /// Gives shard `shard` its rows (one per member, in the grouping's order); false, and
    /// nothing changes, when it has them already, when rows are held whole, or when `rows`
    /// does not have one row per member.
    pub fn provide(&self, shard: usize, rows: SparseRows) -> bool {
        let Held::Sharded { grouping, shards } = &self.0 else {
            return false;
        };
        rows.n_rows() == grouping.members(shard).len()
            && shards.get(shard).is_some_and(|held| held.set(rows).is_ok())
    }

    /// Number of weights held.
    pub fn n_entries(&self) -> usize {
        match &self.0 {
            Held::Whole(weights) => weights.sources().n_entries(),
            Held::Sharded { shards, .. } => shards
                .iter()
                .filter_map(OnceLock::get)
                .map(SparseRows::n_entries)
                .sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::shards::ShardPlan;

    /// 1,200 products in two shards; item `i` feeds items `i + 1` and `i + 2`.
    fn weights_and_grouping() -> (ItemWeights, Grouping) {
        let n = 1200u32;
        let per_target = (0..n)
            .map(|target| {
                (1..=2)
                    .filter(|&back| target >= back)
                    .map(|back| (target - back, back as f32 / 4.0))
                    .collect()
            })
            .collect();
        let ids: Vec<String> = (0..n).map(|item| format!("P{item}")).collect();
        let plan = ShardPlan::for_ids(ids.iter().map(String::as_str), 500);
        assert_eq!(plan.len(), 2);
        let weights = ItemWeights::from_targets(SparseRows::from_rows(per_target));
        (weights, plan.group(ids.iter().map(String::as_str)))
    }

    /// The rows of `grouping`'s shard `shard`, cut from `weights`.
    fn shard_rows(weights: &ItemWeights, grouping: &Grouping, shard: usize) -> SparseRows {
        SparseRows::from_rows(
            grouping
                .members(shard)
                .iter()
                .map(|&item| {
                    let (targets, values) = weights.sources().row(item as usize);
                    targets
                        .iter()
                        .copied()
                        .zip(values.iter().copied())
                        .collect()
                })
                .collect(),
        )
    }

    #[test]
    fn rows_arrive_by_shard_and_then_score_as_the_whole() {
        let (weights, grouping) = weights_and_grouping();
        let whole = EaseRows::from(weights.clone());
        let sharded = EaseRows::awaiting(grouping.clone());
        let history = [7u32, 900];
        let needed: Vec<usize> = history
            .iter()
            .map(|&item| grouping.shard_of(item as usize).unwrap())
            .collect();
        let mut expected_missing = needed.clone();
        expected_missing.sort_unstable();
        expected_missing.dedup();
        assert_eq!(
            sharded.missing_shards(history.iter().map(|&item| item as usize)),
            expected_missing
        );
        assert_eq!(sharded.row(7), None);
        assert_eq!(sharded.weight(7, 8), 0.0);

        for shard in 0..grouping.len() {
            assert!(!sharded.provide(shard, SparseRows::default()), "wrong size");
            assert!(sharded.provide(shard, shard_rows(&weights, &grouping, shard)));
            assert!(!sharded.provide(shard, shard_rows(&weights, &grouping, shard)));
        }
        assert!(sharded.missing_shards(0..1200).is_empty());
        let (mut from_whole, mut from_shards) = (vec![0.0; 1200], vec![0.0; 1200]);
        for &item in &history {
            whole.add_scores(item, 1.5, &mut from_whole);
            sharded.add_scores(item, 1.5, &mut from_shards);
        }
        assert_eq!(from_whole, from_shards);
        assert_eq!(from_whole[8], 1.5 * 0.25);
        assert_eq!(sharded.weight(7, 9), 0.5);
        assert_eq!(sharded.n_entries(), whole.n_entries());
        assert!(!whole.provide(0, shard_rows(&weights, &grouping, 0)));
    }

    #[test]
    fn an_item_outside_the_catalog_feeds_nothing() {
        let (_, grouping) = weights_and_grouping();
        let sharded = EaseRows::awaiting(grouping);
        assert_eq!(sharded.row(5000), Some((&[][..], &[][..])));
        assert!(sharded.missing_shards([5000]).is_empty());
    }
}
