//! Baskets shared by products: how many orders hold each product, and each pair of products.
//!
//! Pair counts are the one statistic that grows faster than the log (an order of `n` products
//! holds `n(n-1)/2` pairs), so a native build keeps the baskets and counts one product's
//! partners at a time, while a build from a warehouse's statistics reads them
//! counted. Both answer [`PairCounts::partners`], which is all co-purchase reads.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::input::orders::OrderLine;
use crate::models::cooccurrence::CoCounter;

/// Where a product's pair counts come from.
#[derive(Debug, Clone, PartialEq)]
enum Counts {
    /// Each basket's products (by number), counted when asked.
    Baskets {
        baskets: Vec<Vec<u32>>,
        /// The baskets holding each product.
        in_baskets: Vec<Vec<u32>>,
    },
    /// Each product's partners and the baskets shared with each, counted already.
    Counted(Vec<Vec<(u32, u32)>>),
}

/// The orders (baskets) of a log, and the baskets each product and each pair share.
#[derive(Debug, Clone, PartialEq)]
pub struct PairCounts {
    baskets: u64,
    holding: Vec<u32>,
    counts: Counts,
}

impl PairCounts {
    /// The baskets of cleaned lines (one per invoice) over the `products` products `number`
    /// knows; lines of other products are left out.
    pub fn from_lines(
        lines: &[OrderLine],
        products: usize,
        number: impl Fn(&str) -> Option<u32>,
    ) -> Self {
        let mut by_invoice: FxHashMap<&str, FxHashSet<u32>> = FxHashMap::default();
        for line in lines {
            if let Some(item) = number(&line.item) {
                by_invoice.entry(&line.invoice).or_default().insert(item);
            }
        }
        let baskets: Vec<Vec<u32>> = by_invoice
            .into_values()
            .map(|items| items.into_iter().collect())
            .collect();
        let mut in_baskets: Vec<Vec<u32>> = vec![Vec::new(); products];
        for (basket, items) in baskets.iter().enumerate() {
            for &item in items {
                in_baskets[item as usize].push(basket as u32);
            }
        }
        Self {
            baskets: baskets.len() as u64,
            holding: in_baskets.iter().map(|held| held.len() as u32).collect(),
            counts: Counts::Baskets {
                baskets,
                in_baskets,
            },
        }
    }

    /// Counts read from a table: `baskets` orders in all, `holding[p]` of them holding product
    /// `p`, and each product's partners with the baskets it shares with each (both ways: `q`
    /// is among `p`'s partners when `p` is among `q`'s).
    pub fn counted(baskets: u64, holding: Vec<u32>, partners: Vec<Vec<(u32, u32)>>) -> Self {
        Self {
            baskets,
            holding,
            counts: Counts::Counted(partners),
        }
    }

    /// Orders in all.
    pub fn baskets(&self) -> u64 {
        self.baskets
    }

    /// The orders holding each product, by number.
    pub fn holding(&self) -> &[u32] {
        &self.holding
    }

    /// Calls `visit` with each product's number and its partners, each with the orders the two
    /// share, products in order; `visit` may keep only what it needs, so a native build never
    /// holds every pair at once.
    pub fn partners(&self, mut visit: impl FnMut(usize, &[(u32, u32)])) {
        match &self.counts {
            Counts::Baskets {
                baskets,
                in_baskets,
            } => {
                let mut counter = CoCounter::new(in_baskets.len());
                for (item, held) in in_baskets.iter().enumerate() {
                    visit(item, &counter.count(item, held, baskets));
                }
            }
            Counts::Counted(partners) => {
                for (item, row) in partners.iter().enumerate() {
                    visit(item, row);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baskets_counted_natively_equal_the_same_counts_read() {
        fn order(invoice: &str, items: &[&str]) -> Vec<OrderLine> {
            let line = |item: &&str| OrderLine {
                invoice: invoice.into(),
                ..OrderLine::purchase("c", item, 0)
            };
            items.iter().map(line).collect()
        }
        let lines = [
            order("1", &["A", "B"]),
            order("2", &["A", "B", "C"]),
            order("3", &["C"]),
        ]
        .concat();
        let number = |item: &str| Some(item.as_bytes()[0] as u32 - b'A' as u32);
        let native = PairCounts::from_lines(&lines, 3, number);
        let read = PairCounts::counted(
            3,
            vec![2, 2, 2],
            vec![
                vec![(1, 2), (2, 1)],
                vec![(0, 2), (2, 1)],
                vec![(0, 1), (1, 1)],
            ],
        );
        let rows = |counts: &PairCounts| {
            let mut rows = Vec::new();
            counts.partners(|item, row| {
                let mut row = row.to_vec();
                row.sort_unstable();
                rows.push((item, row));
            });
            rows
        };
        assert_eq!(
            (native.baskets(), native.holding()),
            (3, [2, 2, 2].as_slice())
        );
        assert_eq!(rows(&native), rows(&read));
    }
}
