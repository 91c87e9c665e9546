//! How a bundle groups the catalog's products into shards, so a store fetches the rows its
//! shopper's history needs rather than the whole model, and no request names one product.
//!
//! A product's shard follows from a hash of its id alone ([`product_hash`], 32-bit FNV-1a): the
//! plan ([`ShardPlan`]) lists where each shard's range of hashes starts, cut so that every shard
//! holds at least [`MIN_SHARD_PRODUCTS`] products, or the whole catalog when it is smaller. A
//! host that sees a shard requested learns that the shopper's history holds one of its products,
//! and nothing narrower: hashing scatters a category, a range or a new arrival over every shard.
//! Ranges of hashes rather than `hash % shards` make the shards equal in size (within the few
//! products that share a hash), so the smallest is as big as the privacy floor asks and no bigger.
//!
//! A later deploy keeps the earlier plan's cuts where it can ([`ShardPlan::following`]): its
//! shards are unions of earlier shards, or lie within one. A host that sees one shopper ask for
//! a product's shard before a deploy and after it could otherwise intersect the two and narrow
//! the product down past the floor.
//!
//! FNV-1a is written out here rather than taken from a crate: it is five lines, its output must
//! never change between the build and the browser, and the store's download carries no more.
//!
//! ```
//! use aisle_core::catalog::shards::ShardPlan;
//! let ids: Vec<String> = (0..1500).map(|n| format!("SKU-{n}")).collect();
//! let plan = ShardPlan::for_ids(ids.iter().map(String::as_str), 500);
//! assert_eq!(plan.len(), 3);
//! let grouping = plan.group(ids.iter().map(String::as_str));
//! assert!((0..3).all(|shard| grouping.members(shard).len() >= 500));
//! ```

use serde::{Deserialize, Serialize};

/// The fewest products a shard may hold: a request for it hides the shopper's product among
/// this many at least.
pub const MIN_SHARD_PRODUCTS: usize = 500;

/// The ids' hashes, ascending.
fn sorted_hashes<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let mut hashes: Vec<u32> = ids.map(product_hash).collect();
    hashes.sort_unstable();
    hashes
}

/// The 32-bit FNV-1a hash of a product id's UTF-8 bytes.
pub fn product_hash(id: &str) -> u32 {
    id.bytes().fold(0x811c_9dc5, |hash: u32, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// Where each shard's range of product hashes starts: shard `k` holds the products whose hash is
/// at least `starts[k]` and below `starts[k + 1]`. Written into the manifest as the list of
/// starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShardPlan {
    starts: Vec<u32>,
}

impl ShardPlan {
    /// The plan with the most shards of at least `min_products` products each for these ids
    /// (one shard when there are fewer than twice that many).
    pub fn for_ids<'a>(ids: impl Iterator<Item = &'a str>, min_products: usize) -> Self {
        Self::equal_cuts(&sorted_hashes(ids), min_products)
    }

    /// A plan for these ids that keeps `previous`'s cuts (a plan for an earlier catalog, as the
    /// deploy before wrote it) where it can: a shard left with fewer than `min_products`
    /// products joins its smaller neighbour, and one that joined none and holds twice that many
    /// or more is cut at equal counts within its range. Every shard is then a union of earlier
    /// shards or lies within one, so a host that sees one shopper ask for a product's shard
    /// before and after the deploy learns no narrower a set than either shard. An unusable
    /// `previous` is ignored.
    pub fn following<'a>(
        previous: &ShardPlan,
        ids: impl Iterator<Item = &'a str>,
        min_products: usize,
    ) -> Self {
        let hashes = sorted_hashes(ids);
        if previous.check().is_err() {
            return Self::equal_cuts(&hashes, min_products);
        }
        let mut plan = previous.clone();
        while plan.len() > 1 {
            let sizes = plan.sizes(&hashes);
            let Some(short) = (0..sizes.len())
                .filter(|&shard| sizes[shard] < min_products)
                .min_by_key(|&shard| sizes[shard])
            else {
                break;
            };
            let into_next =
                short == 0 || (short + 1 < sizes.len() && sizes[short + 1] < sizes[short - 1]);
            plan.starts
                .remove(if into_next { short + 1 } else { short });
        }
        let mut starts = Vec::with_capacity(plan.len());
        for (shard, &start) in plan.starts.iter().enumerate() {
            let end = plan.starts.get(shard + 1);
            starts.push(start);
            // A joined shard is not cut again: a piece of it would straddle an earlier shard.
            let at = previous.shard_of_hash(start);
            if previous.starts.get(at + 1) != end {
                continue;
            }
            let from = hashes.partition_point(|&hash| hash < start);
            let to = end.map_or(hashes.len(), |&end| {
                hashes.partition_point(|&hash| hash < end)
            });
            // Cuts within the range fall on its products' hashes, above its start.
            let within = Self::equal_cuts(&hashes[from..to], min_products);
            starts.extend_from_slice(&within.starts[1..]);
        }
        Self { starts }
    }

    /// The most shards of at least `min_products` of these hashes (ascending) each, cut at
    /// equal counts.
    fn equal_cuts(hashes: &[u32], min_products: usize) -> Self {
        let products = hashes.len();
        let mut shards = (products / min_products.max(1)).max(1);
        loop {
            // Cut at equal counts; products sharing the hash at a cut all go to the later
            // shard, which can leave the earlier one short: then try one shard fewer.
            let mut starts = vec![0];
            starts.extend((1..shards).map(|shard| hashes[shard * products / shards]));
            starts.dedup();
            let plan = Self { starts };
            let sizes = plan.sizes(hashes);
            if shards == 1 || sizes.iter().all(|&size| size >= min_products) {
                return plan;
            }
            shards -= 1;
        }
    }

    /// Number of shards.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Always false: a plan has one shard at least.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The shard holding the product with this id.
    pub fn shard_of(&self, id: &str) -> usize {
        self.shard_of_hash(product_hash(id))
    }

    fn shard_of_hash(&self, hash: u32) -> usize {
        self.starts.partition_point(|&start| start <= hash).max(1) - 1
    }

    fn sizes(&self, sorted_hashes: &[u32]) -> Vec<usize> {
        let mut sizes = vec![0; self.len()];
        for &hash in sorted_hashes {
            sizes[self.shard_of_hash(hash)] += 1;
        }
        sizes
    }

    /// Checks a plan read from a manifest: starting at 0, its starts strictly ascending.
    pub fn check(&self) -> Result<(), String> {
        if self.starts.first() != Some(&0) || !self.starts.windows(2).all(|pair| pair[0] < pair[1])
        {
            return Err("the shard plan's starts must begin at 0 and ascend".to_owned());
        }
        Ok(())
    }

    /// Which products of a catalog (ids by position) each shard holds.
    pub fn group<'a>(&self, ids: impl Iterator<Item = &'a str>) -> Grouping {
        let mut members = vec![Vec::new(); self.len()];
        let shard_of = ids
            .enumerate()
            .map(|(item, id)| {
                let shard = self.shard_of(id);
                members[shard].push(item as u32);
                shard as u32
            })
            .collect();
        Grouping { shard_of, members }
    }
}

/// A plan applied to one catalog: each product's shard and each shard's products.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// Per catalog position, its shard.
    shard_of: Vec<u32>,
    /// Per shard, its products' catalog positions, ascending.
    members: Vec<Vec<u32>>,
}

impl Grouping {
    /// Number of shards.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True for a grouping of no shards.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The shard of the product at catalog position `item`, if there is one.
    pub fn shard_of(&self, item: usize) -> Option<usize> {
        self.shard_of.get(item).map(|&shard| shard as usize)
    }

    /// The catalog positions of `shard`'s products, ascending.
    pub fn members(&self, shard: usize) -> &[u32] {
        self.members.get(shard).map_or(&[], Vec::as_slice)
    }

    /// The shard of the product at `item`, and where it comes among that shard's members.
    pub fn locate(&self, item: usize) -> Option<(usize, usize)> {
        let shard = self.shard_of(item)?;
        let slot = self.members(shard).binary_search(&(item as u32)).ok()?;
        Some((shard, slot))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|n| format!("{}", 20_000 + n)).collect()
    }

    #[test]
    fn the_hash_is_fnv_1a() {
        // Published FNV-1a test vectors.
        assert_eq!(product_hash(""), 0x811c_9dc5);
        assert_eq!(product_hash("a"), 0xe40c_292c);
        assert_eq!(product_hash("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn every_shard_holds_the_floor_and_they_cover_the_catalog() {
        for n in [1, 499, 999, 1000, 3659, 10_001] {
            let ids = ids(n);
            let plan = ShardPlan::for_ids(ids.iter().map(String::as_str), 500);
            assert_eq!(plan.len(), (n / 500).max(1), "{n} products");
            plan.check().unwrap();
            let grouping = plan.group(ids.iter().map(String::as_str));
            let mut seen: Vec<u32> = (0..grouping.len())
                .flat_map(|shard| grouping.members(shard).to_vec())
                .collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..n as u32).collect::<Vec<_>>());
            for shard in 0..grouping.len() {
                let members = grouping.members(shard);
                assert!(
                    members.len() >= 500.min(n),
                    "{n}: shard {shard} of {}",
                    members.len()
                );
                for (slot, &item) in members.iter().enumerate() {
                    assert_eq!(grouping.shard_of(item as usize), Some(shard));
                    assert_eq!(grouping.locate(item as usize), Some((shard, slot)));
                }
            }
        }
    }

    #[test]
    fn products_sharing_a_hash_at_a_cut_leave_no_shard_short() {
        // 1,000 products, 600 of them with one id (so one hash): no cut can split them, and
        // two shards of 500 are impossible.
        let ids: Vec<String> = (0..1000)
            .map(|n| {
                if n < 600 {
                    "same".to_owned()
                } else {
                    format!("{n}")
                }
            })
            .collect();
        let plan = ShardPlan::for_ids(ids.iter().map(String::as_str), 500);
        assert_eq!(plan.len(), 1);
    }

    #[test]
    fn a_shard_depends_on_the_id_alone() {
        let ids = ids(2000);
        let plan = ShardPlan::for_ids(ids.iter().map(String::as_str), 500);
        let grouping = plan.group(ids.iter().map(String::as_str));
        let reversed: Vec<&str> = ids.iter().rev().map(String::as_str).collect();
        let other = plan.group(reversed.iter().copied());
        for (item, id) in ids.iter().enumerate() {
            assert_eq!(grouping.shard_of(item), Some(plan.shard_of(id)));
            assert_eq!(
                other.shard_of(ids.len() - 1 - item),
                Some(plan.shard_of(id))
            );
        }
    }

    /// True when every shard of `next` lies within one shard of `before`, or is a union of
    /// shards of it: its range starts at a cut of `before` and ends at one.
    fn nested(before: &ShardPlan, next: &ShardPlan) -> bool {
        let end = |plan: &ShardPlan, shard: usize| {
            plan.starts
                .get(shard + 1)
                .map_or(1u64 << 32, |&end| u64::from(end))
        };
        (0..next.len()).all(|shard| {
            let (start, stop) = (next.starts[shard], end(next, shard));
            let within = before.shard_of_hash(start);
            stop <= end(before, within)
                || (before.starts.contains(&start)
                    && (stop == 1 << 32 || before.starts.contains(&(stop as u32))))
        })
    }

    #[test]
    fn a_later_deploy_keeps_the_cuts_so_shards_nest_and_still_hold_the_floor() {
        let first = ids(5000);
        let plan = ShardPlan::for_ids(first.iter().map(String::as_str), 500);
        assert_eq!(plan.len(), 10);
        let same = ShardPlan::following(&plan, first.iter().map(String::as_str), 500);
        assert_eq!(same, plan, "the same catalog, the same plan");
        // Every third product gone, the catalog doubled, or other ids altogether: shards join
        // and split.
        let thinned: Vec<String> = first.iter().step_by(3).cloned().collect();
        let doubled = ids(10_000);
        let other: Vec<String> = (0..7000).map(|n| format!("N{n}")).collect();
        for (next, shards) in [(&thinned, 2..=3), (&doubled, 12..=20), (&other, 8..=14)] {
            let following = ShardPlan::following(&plan, next.iter().map(String::as_str), 500);
            following.check().unwrap();
            assert!(
                shards.contains(&following.len()),
                "{} shards",
                following.len()
            );
            assert!(nested(&plan, &following));
            let grouping = following.group(next.iter().map(String::as_str));
            for shard in 0..grouping.len() {
                let size = grouping.members(shard).len();
                assert!(size >= 500, "shard {shard}: {size}");
            }
        }
        let unusable = ShardPlan { starts: vec![5] };
        let fresh = ShardPlan::following(&unusable, first.iter().map(String::as_str), 500);
        assert_eq!(fresh, plan);
    }

    #[test]
    fn malformed_plans_are_refused() {
        assert!(ShardPlan { starts: vec![] }.check().is_err());
        assert!(ShardPlan { starts: vec![1] }.check().is_err());
        assert!(
            ShardPlan {
                starts: vec![0, 5, 5]
            }
            .check()
            .is_err()
        );
        assert!(ShardPlan { starts: vec![0, 5] }.check().is_ok());
    }
}
