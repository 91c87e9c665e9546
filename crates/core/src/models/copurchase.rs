//! Frequently bought together: product pairs that share baskets more often than chance.
//!
//! For products `i` and `j` in `N` orders, lift is `n_ij · N / (n_i · n_j)`: 1 when buying one
//! says nothing about the other, above 1 when they go together. Lift alone favours rare items (two
//! orders of two oddities give a huge lift), so a pair must appear in at least `min_support`
//! orders; each product then keeps its `top_n` partners by lift.
//!
//! ```
//! use aisle_core::models::copurchase::CoPurchase;
//! use aisle_core::input::orders::OrderLine;
//! # use aisle_core::catalog::Catalog;
//! // Tea and towels go together; the lamp is bought alone.
//! let order = |id: &str, items: &[&str]| items.iter().map(|item| OrderLine { invoice: id.into(), ..OrderLine::purchase("c", item, 0) }).collect::<Vec<_>>();
//! let lines = [order("1", &["TEA", "TOWEL"]), order("2", &["TEA", "TOWEL"]), order("3", &["LAMP"])].concat();
//! let catalog = Catalog::from_orders(&lines);
//! let pairs = CoPurchase::params().min_support(2).fit(&catalog, &lines).unwrap();
//! let tea = catalog.position("TEA").unwrap();
//! assert_eq!(pairs.partners(tea).0, [catalog.position("TOWEL").unwrap() as u32]);
//! ```

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::{Result, ensure_at_least_one};
use crate::input::orders::OrderLine;
use crate::math::sparse::SparseRows;
use crate::models::item_weights::{ItemWeights, keep_strongest};
use crate::statistics::pairs::PairCounts;

/// Settings for [`CoPurchase`]; check and fit with [`CoPurchaseParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct CoPurchaseParams {
    min_support: u32,
    top_n: usize,
}

/// Each product's strongest basket partners, by lift.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoPurchase {
    pairs: ItemWeights,
}

impl CoPurchase {
    /// Defaults: pairs seen in at least 10 orders, 10 partners kept per product.
    pub fn params() -> CoPurchaseParams {
        CoPurchaseParams {
            min_support: 10,
            top_n: 10,
        }
    }

    /// Wraps partner lists (row `i`: `i`'s partners and lifts, strongest first).
    pub fn from_pairs(pairs: ItemWeights) -> Self {
        Self { pairs }
    }

    /// Partners of product `item` and their lifts, strongest first.
    pub fn partners(&self, item: usize) -> (&[u32], &[f32]) {
        self.pairs.targets().row(item)
    }

    /// The partner lists as item weights (for the bundle's checks).
    pub fn pairs(&self) -> &ItemWeights {
        &self.pairs
    }
}

impl CoPurchaseParams {
    /// Orders a pair must share to count (at least 1).
    pub fn min_support(mut self, orders: u32) -> Self {
        self.min_support = orders;
        self
    }

    /// Partners kept per product (at least 1).
    pub fn top_n(mut self, top_n: usize) -> Self {
        self.top_n = top_n;
        self
    }

    /// Counts products and pairs per order (invoice) in cleaned order lines.
    pub fn fit(&self, catalog: &Catalog, lines: &[OrderLine]) -> Result<CoPurchase> {
        let number = |item: &str| Some(catalog.position(item)? as u32);
        let counts = PairCounts::from_lines(lines, catalog.len(), number);
        self.fit_counts(catalog.len(), &counts, Some)
    }

    /// Partners for `n_items` catalog products from the orders products and pairs share:
    /// `position` gives a product number its catalog position, and products without one are
    /// left out.
    pub fn fit_counts(
        &self,
        n_items: usize,
        counts: &PairCounts,
        position: impl Fn(u32) -> Option<u32>,
    ) -> Result<CoPurchase> {
        ensure_at_least_one("min_support", self.min_support as usize)?;
        ensure_at_least_one("top_n", self.top_n)?;
        let total = counts.baskets() as f64;
        let holding = counts.holding();
        // Each product's row is cut to its strongest as soon as it is counted: collected from
        // every pair counted, a row keeps room for all of them, and rows held until the last
        // product is done raise a 758,238-product build's peak by 1.2 GiB (docs/scale.md).
        let mut rows: Vec<Option<Vec<(u32, f32)>>> = vec![None; n_items];
        counts.partners(|product, partners| {
            let Some(item) = position(product as u32) else {
                return;
            };
            let alone = f64::from(holding[product]);
            let mut row: Vec<(u32, f32)> = partners
                .iter()
                .filter(|&&(_, both)| both >= self.min_support)
                .filter_map(|&(other, both)| {
                    let partner = f64::from(holding[other as usize]);
                    let lift = f64::from(both) * total / (alone * partner);
                    Some((position(other)?, lift as f32))
                })
                .collect();
            keep_strongest(&mut row, self.top_n);
            row.shrink_to_fit();
            rows[item as usize] = Some(row);
        });
        let mut pairs = SparseRows::new();
        for row in rows {
            pairs.push_row(&row.unwrap_or_default());
        }
        pairs.shrink_to_fit();
        Ok(CoPurchase {
            pairs: ItemWeights::from_targets(pairs),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::fixtures::catalog;

    fn order(invoice: &str, items: &[&str]) -> Vec<OrderLine> {
        items
            .iter()
            .map(|item| OrderLine {
                invoice: invoice.into(),
                ..OrderLine::purchase("c", item, 0)
            })
            .collect()
    }

    #[test]
    fn lift_matches_a_hand_computed_value_and_support_filters() {
        // 4 orders: {A, B}, {A, B}, {A, C}, {D}. n_A = 3, n_B = 2, n_AB = 2, N = 4.
        // lift(A, B) = 2 * 4 / (3 * 2) = 4/3; lift(A, C) = 1 * 4 / (3 * 1) = 4/3 but support 1.
        let lines = [
            order("1", &["A", "B"]),
            order("2", &["A", "B"]),
            order("3", &["A", "C"]),
            order("4", &["D"]),
        ]
        .concat();
        let pairs = CoPurchase::params()
            .min_support(2)
            .fit(&catalog(&["A", "B", "C", "D"]), &lines)
            .unwrap();
        let (partners, lifts) = pairs.partners(0);
        assert_eq!(partners, [1]);
        assert!((lifts[0] - 4.0 / 3.0).abs() < 1e-6);
        assert_eq!(pairs.partners(3).0.len(), 0);
        let loose = CoPurchase::params()
            .min_support(1)
            .fit(&catalog(&["A", "B", "C", "D"]), &lines)
            .unwrap();
        assert_eq!(loose.partners(0).0, [1, 2]); // equal lifts: lower position first
    }

    #[test]
    fn bad_parameters_are_named() {
        let error = CoPurchase::params()
            .min_support(0)
            .fit(&catalog(&["A"]), &[])
            .unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidParameter {
                name: "min_support",
                ..
            }
        ));
    }
}
