//! Which products' texts a large catalog's bundle ships with the catalog, for the first page a
//! new shopper sees; the rest travel apart.
//!
//! Titles and descriptions are most of a catalog's bytes: on the 100,000-product scale workload
//! ([`crate::synth`]) the texts apart take 0.32 MB gzip, more than twice the rest of the
//! catalog (0.14 MB), and would take what a new shopper fetches before the first
//! recommendation from 0.37 MB to 0.69 MB, past its 500 KB. Yet a first page names a few dozen
//! products, all from a few short lists that are the same for every new shopper: "For you"
//! and "Trending" from what sells and trends, the grid from each category's best sellers, and
//! the products the shop's merchandising names. So a bundle of more than
//! [`TEXTS_APART_ABOVE`] products carries with its catalog the texts of the heads of those lists
//! ([`first_page_products`]), and every other product's in a part of its own
//! ([`TextColumns`](crate::catalog::columns::TextColumns)), which a store fetches once its
//! first page is painted. That request is the same for every shopper, so it tells the host
//! nothing. Until it has arrived, a store knows the other products by id, price and category
//! only, and what reads texts (look-alikes, search) waits for it.
//!
//! A smaller catalog's texts travel whole with it: a few tens of KB, which a second request
//! and the wait for search would cost more than they save.
//!
//! ```
//! use aisle_core::catalog::first_page::first_page_products;
//! let categories = ["Mugs", "Mugs", "Lamps"];
//! let kept = first_page_products(&categories, &[0, 1, 2], &[0.0, 0.0, 1.0], 1, 1, &[]);
//! // The best seller, the most trending, and each category's best seller.
//! assert_eq!(kept, [true, false, true]);
//! ```

/// The most products a bundle ships with their texts in the catalog alone; a larger catalog's
/// texts travel apart but for its first page's.
pub const TEXTS_APART_ABOVE: usize = 5_000;

/// How many of the best sellers, and of the most trending products, keep their texts with the
/// catalog: "For you" for a new shopper draws its 16 candidates a category from the top of
/// both, and "Trending" shows its top; a thousand of each covers them many times over.
pub const FIRST_PAGE_RANKED: usize = 1_000;

/// How many of each category's best sellers keep their texts with the catalog: the category
/// grid's first two pages (24 cards each).
pub const FIRST_PAGE_PER_CATEGORY: usize = 48;

/// Marks, by catalog position, the products a first page can show: the `ranked` best sellers'
/// first `ranked_kept` (positions, best first), the `ranked_kept` highest `trending` scores,
/// the first `per_category` best sellers of each of `categories` (one per product), and the
/// positions the shop's merchandising `named`.
pub fn first_page_products(
    categories: &[&str],
    ranked: &[usize],
    trending: &[f32],
    ranked_kept: usize,
    per_category: usize,
    named: &[usize],
) -> Vec<bool> {
    let mut kept = vec![false; categories.len()];
    let mut keep = |position: usize| {
        if let Some(slot) = kept.get_mut(position) {
            *slot = true;
        }
    };
    ranked.iter().take(ranked_kept).for_each(|&p| keep(p));
    let mut by_trend: Vec<usize> = (0..trending.len()).collect();
    by_trend.sort_by(|&a, &b| trending[b].total_cmp(&trending[a]).then(a.cmp(&b)));
    by_trend.iter().take(ranked_kept).for_each(|&p| keep(p));
    let mut shown_of: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for &position in ranked {
        let Some(&category) = categories.get(position) else {
            continue;
        };
        let shown = shown_of.entry(category).or_default();
        if *shown < per_category {
            *shown += 1;
            keep(position);
        }
    }
    named.iter().for_each(|&p| keep(p));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_keeps_its_head_and_nothing_else() {
        let categories = ["A", "A", "A", "B", "B", "C"];
        // Best sellers 0, 1, 3, 2, 4, 5; trending highest for 5 then 2.
        let ranked = [0, 1, 3, 2, 4, 5];
        let trending = [0.0, 0.1, 0.8, 0.0, 0.0, 0.9];
        let kept = first_page_products(&categories, &ranked, &trending, 1, 1, &[4]);
        // 0: best seller and A's first; 5: most trending and C's; 3: B's first; 4: named.
        assert_eq!(kept, [true, false, false, true, true, true]);
        let more = first_page_products(&categories, &ranked, &trending, 2, 2, &[]);
        assert_eq!(more, [true, true, true, true, true, true]);
    }
}
