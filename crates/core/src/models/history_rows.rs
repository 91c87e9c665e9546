//! What each product brings to a shopper's history that holds it: the targets it feeds in the
//! EASE weights, its basket partners (frequently bought together), and how often its buyers buy
//! it again. Every row at hand, or rows arriving shard by shard.
//!
//! All three are read by history item only, so a store need not fetch them for the whole
//! catalog: a bundle splits them into shards of products grouped by a hash of their id
//! ([`crate::catalog::shards`]), one file per shard, and a store fetches the shards its
//! shopper's history needs ([`HistoryRows::missing_shards`]) and hands each over as it arrives
//! ([`HistoryRows::provide`]). The command line, the evaluation and the JS package hold every
//! row at once ([`HistoryRows::whole`]). Rows read either way are the same numbers, so a
//! history whose shards are all here ranks exactly as `aisle evaluate` measured.
//!
//! ```
//! use aisle_core::models::copurchase::CoPurchase;
//! use aisle_core::models::history_rows::HistoryRows;
//! use aisle_core::models::item_weights::ItemWeights;
//! use aisle_core::math::sparse::SparseRows;
//! // Target 0 is fed by item 1; item 1 is bought again by half its buyers.
//! let ease = ItemWeights::from_targets(SparseRows::from_rows(vec![vec![(1, 0.5)], vec![]]));
//! let rows = HistoryRows::whole(ease, vec![0.1, 0.5]);
//! assert_eq!(rows.weight(1, 0), 0.5);
//! assert_eq!(rows.repeat_rate(1), Some(0.5));
//! assert!(rows.missing_shards([0, 1]).is_empty());
//! ```

use std::sync::OnceLock;

use crate::catalog::shards::Grouping;
use crate::math::sparse::SparseRows;
use crate::models::copurchase::CoPurchase;
use crate::models::item_weights::ItemWeights;

/// What the products of one shard bring to a history, one entry per member of the shard in
/// the grouping's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryShard {
    /// Per member, the EASE targets it feeds and their weights, targets ascending.
    pub ease: SparseRows,
    /// Per member, its basket partners and their lifts, strongest first.
    pub partners: SparseRows,
    /// Per member, the share of its buyers who bought it again.
    pub repeat_rates: Vec<f32>,
}

impl HistoryShard {
    /// Nothing for each of `members` products: what stands in for a shard that could not be
    /// used, so no shelf waits for it. Its re-order rates are 1, which leave buy-again scores
    /// as they are, as rates missing from whole rows do.
    pub fn empty(members: usize) -> Self {
        Self {
            ease: SparseRows::from_rows(vec![Vec::new(); members]),
            partners: SparseRows::from_rows(vec![Vec::new(); members]),
            repeat_rates: vec![1.0; members],
        }
    }

    /// True when it has one entry per member of a shard of `members` products.
    fn fits(&self, members: usize) -> bool {
        self.ease.n_rows() == members
            && self.partners.n_rows() == members
            && self.repeat_rates.len() == members
    }
}

/// What each product brings to a history, whole or by shard.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRows(Held);

#[derive(Debug, Clone, PartialEq)]
enum Held {
    /// Every row.
    Whole(Box<WholeRows>),
    /// The shards that have arrived.
    Sharded {
        grouping: Grouping,
        shards: Vec<OnceLock<HistoryShard>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct WholeRows {
    ease: ItemWeights,
    partners: CoPurchase,
    repeat_rates: Vec<f32>,
}

impl Default for HistoryRows {
    fn default() -> Self {
        Self::whole(ItemWeights::default(), Vec::new())
    }
}

impl HistoryRows {
    /// Every row: the EASE weights and each product's re-order rate (one per catalog
    /// position, in [0, 1]), with no basket partners ([`HistoryRows::with_partners`]).
    pub fn whole(ease: ItemWeights, repeat_rates: Vec<f32>) -> Self {
        Self(Held::Whole(Box::new(WholeRows {
            ease,
            partners: CoPurchase::default(),
            repeat_rates,
        })))
    }

    /// Whole rows with `partners` as each product's basket partners; rows held by shard are
    /// returned unchanged (their partners arrive with their shards).
    pub fn with_partners(self, partners: CoPurchase) -> Self {
        match self.0 {
            Held::Whole(whole) => Self(Held::Whole(Box::new(WholeRows { partners, ..*whole }))),
            sharded @ Held::Sharded { .. } => Self(sharded),
        }
    }

    /// No rows yet, for products grouped into shards as `grouping` says; each shard arrives
    /// with [`HistoryRows::provide`].
    pub fn awaiting(grouping: Grouping) -> Self {
        let shards = (0..grouping.len()).map(|_| OnceLock::new()).collect();
        Self(Held::Sharded { grouping, shards })
    }

    /// Every EASE weight, when rows are held whole.
    pub fn whole_ease(&self) -> Option<&ItemWeights> {
        match &self.0 {
            Held::Whole(whole) => Some(&whole.ease),
            Held::Sharded { .. } => None,
        }
    }

    /// Every product's re-order rate, when rows are held whole.
    pub fn whole_repeat_rates(&self) -> Option<&[f32]> {
        match &self.0 {
            Held::Whole(whole) => Some(&whole.repeat_rates),
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

    /// Item `source`'s EASE row: the targets it feeds and their weights, targets ascending;
    /// `None` while its shard has not arrived. An item outside the catalog feeds nothing.
    pub fn ease_row(&self, source: u32) -> Option<(&[u32], &[f32])> {
        match &self.0 {
            Held::Whole(whole) => Some(whole.ease.sources().row(source as usize)),
            Held::Sharded { grouping, shards } => {
                match look_up(grouping, shards, source as usize) {
                    Lookup::Outside => Some((&[], &[])),
                    Lookup::Awaited => None,
                    Lookup::Here(held, slot) => Some(held.ease.row(slot)),
                }
            }
        }
    }

    /// Adds `weight * w(source, j)` to `scores[j]` for every target `j` that `source` feeds;
    /// nothing while its row has not arrived.
    pub fn add_scores(&self, source: u32, weight: f32, scores: &mut [f32]) {
        if let Some((targets, weights)) = self.ease_row(source) {
            for (&target, &w) in targets.iter().zip(weights) {
                scores[target as usize] += weight * w;
            }
        }
    }

    /// `w(source, target)`: 0 when `target` did not keep `source`, or its row has not arrived.
    pub fn weight(&self, source: u32, target: u32) -> f32 {
        self.ease_row(source)
            .and_then(|(targets, weights)| {
                targets.binary_search(&target).ok().map(|at| weights[at])
            })
            .unwrap_or(0.0)
    }

    /// Item `item`'s basket partners and their lifts, strongest first: none while its shard
    /// has not arrived, or for an item outside the catalog.
    pub fn partners(&self, item: usize) -> (&[u32], &[f32]) {
        let none = (&[][..], &[][..]);
        match &self.0 {
            Held::Whole(whole) if item < whole.partners.pairs().n_items() => {
                whole.partners.partners(item)
            }
            Held::Whole(_) => none,
            Held::Sharded { grouping, shards } => match look_up(grouping, shards, item) {
                Lookup::Here(held, slot) => held.partners.row(slot),
                Lookup::Outside | Lookup::Awaited => none,
            },
        }
    }

    /// The share of item `item`'s buyers who bought it again; `None` while its shard has not
    /// arrived, or for an item the rates do not cover.
    pub fn repeat_rate(&self, item: usize) -> Option<f32> {
        match &self.0 {
            Held::Whole(whole) => whole.repeat_rates.get(item).copied(),
            Held::Sharded { grouping, shards } => match look_up(grouping, shards, item) {
                Lookup::Here(held, slot) => Some(held.repeat_rates[slot]),
                Lookup::Outside | Lookup::Awaited => None,
            },
        }
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

    /// Gives shard `shard` its rows; false, and nothing changes, when it has them already,
    /// when rows are held whole, or when `rows` does not have one entry per member.
    pub fn provide(&self, shard: usize, rows: HistoryShard) -> bool {
        let Held::Sharded { grouping, shards } = &self.0 else {
            return false;
        };
        shards
            .get(shard)
            .is_some_and(|held| rows.fits(grouping.members(shard).len()) && held.set(rows).is_ok())
    }

    /// Number of EASE weights held.
    pub fn n_entries(&self) -> usize {
        match &self.0 {
            Held::Whole(whole) => whole.ease.sources().n_entries(),
            Held::Sharded { shards, .. } => shards
                .iter()
                .filter_map(OnceLock::get)
                .map(|held| held.ease.n_entries())
                .sum(),
        }
    }
}

/// Where a product's rows are, for rows held by shard.
enum Lookup<'a> {
    /// Outside the catalog: it brings nothing.
    Outside,
    /// Its shard has not arrived.
    Awaited,
    /// In this shard, at this slot.
    Here(&'a HistoryShard, usize),
}

fn look_up<'a>(
    grouping: &Grouping,
    shards: &'a [OnceLock<HistoryShard>],
    item: usize,
) -> Lookup<'a> {
    match grouping.locate(item) {
        None => Lookup::Outside,
        Some((shard, slot)) => shards[shard]
            .get()
            .map_or(Lookup::Awaited, |held| Lookup::Here(held, slot)),
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::shards::ShardPlan;

    /// 1,200 products in two shards; item `i` feeds items `i + 1` and `i + 2`, goes with item
    /// `i + 1` in baskets, and is bought again by a share `i / 1,200` of its buyers.
    fn rows_and_grouping() -> (HistoryRows, Grouping) {
        let n = 1200u32;
        let per_target = (0..n)
            .map(|target| {
                (1..=2)
                    .filter(|&back| target >= back)
                    .map(|back| (target - back, back as f32 / 4.0))
                    .collect()
            })
            .collect();
        let pairs = (0..n).map(|item| vec![((item + 1) % n, 2.0)]).collect();
        let ids: Vec<String> = (0..n).map(|item| format!("P{item}")).collect();
        let plan = ShardPlan::for_ids(ids.iter().map(String::as_str), 500);
        assert_eq!(plan.len(), 2);
        let rows = HistoryRows::whole(
            ItemWeights::from_targets(SparseRows::from_rows(per_target)),
            (0..n).map(|item| item as f32 / n as f32).collect(),
        )
        .with_partners(CoPurchase::from_pairs(ItemWeights::from_targets(
            SparseRows::from_rows(pairs),
        )));
        (rows, plan.group(ids.iter().map(String::as_str)))
    }

    /// The rows of `grouping`'s shard `shard`, cut from `whole`.
    fn shard_rows(whole: &HistoryRows, grouping: &Grouping, shard: usize) -> HistoryShard {
        let members = grouping.members(shard);
        fn cut<'a>(members: &[u32], row: impl Fn(usize) -> (&'a [u32], &'a [f32])) -> SparseRows {
            SparseRows::from_row_slices(members.iter().map(|&item| row(item as usize)))
        }
        HistoryShard {
            ease: cut(members, |item| whole.ease_row(item as u32).unwrap()),
            partners: cut(members, |item| whole.partners(item)),
            repeat_rates: members
                .iter()
                .map(|&item| whole.repeat_rate(item as usize).unwrap())
                .collect(),
        }
    }

    #[test]
    fn rows_arrive_by_shard_and_then_score_as_the_whole() {
        let (whole, grouping) = rows_and_grouping();
        let sharded = HistoryRows::awaiting(grouping.clone());
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
        assert_eq!(sharded.ease_row(7), None);
        assert_eq!(sharded.weight(7, 8), 0.0);
        assert_eq!(sharded.partners(7), (&[][..], &[][..]));
        assert_eq!(sharded.repeat_rate(7), None);

        for shard in 0..grouping.len() {
            assert!(
                !sharded.provide(shard, HistoryShard::default()),
                "wrong size"
            );
            let mut short = shard_rows(&whole, &grouping, shard);
            short.repeat_rates.pop();
            assert!(!sharded.provide(shard, short), "a rate short");
            assert!(sharded.provide(shard, shard_rows(&whole, &grouping, shard)));
            assert!(!sharded.provide(shard, shard_rows(&whole, &grouping, shard)));
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
        assert_eq!(sharded.partners(7), (&[8][..], &[2.0][..]));
        assert_eq!(sharded.repeat_rate(600), Some(0.5));
        for item in 0..1200 {
            assert_eq!(sharded.partners(item), whole.partners(item));
            assert_eq!(sharded.repeat_rate(item), whole.repeat_rate(item));
        }
        assert_eq!(sharded.n_entries(), whole.n_entries());
        assert!(!whole.provide(0, shard_rows(&whole, &grouping, 0)));
    }

    #[test]
    fn an_item_outside_the_catalog_brings_nothing() {
        let (whole, grouping) = rows_and_grouping();
        let sharded = HistoryRows::awaiting(grouping);
        for rows in [&whole, &sharded] {
            assert_eq!(rows.partners(5000), (&[][..], &[][..]));
            assert_eq!(rows.repeat_rate(5000), None);
        }
        assert_eq!(sharded.ease_row(5000), Some((&[][..], &[][..])));
        assert!(sharded.missing_shards([5000]).is_empty());
    }
}
