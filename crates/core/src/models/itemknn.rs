//! Item-to-item nearest neighbours by cosine similarity of their buyer sets.
//!
//! Two products are similar when the same customers bought both: `|U_i ∩ U_j| / sqrt(|U_i| |U_j|)`,
//! optionally shrunk by `n / (n + shrinkage)` so that a pair seen together by two customers does
//! not outrank one seen by two hundred. Each item keeps its `neighbours` most similar items, as
//! [`ItemWeights`] whose per-target lists are the "similar items" of each product.
//!
//! ```
//! use aisle_core::models::itemknn::ItemKnn;
//! # use aisle_core::{catalog::Catalog, models::interactions::Interactions, input::orders::OrderLine};
//! // Customers 1 and 2 bought A and B; customer 3 bought C.
//! let lines = [("1", "A"), ("1", "B"), ("2", "A"), ("2", "B"), ("3", "C")].map(|(c, i)| OrderLine::purchase(c, i, 0));
//! let matrix = Interactions::from_orders(&Catalog::from_orders(&lines), &lines);
//! let model = ItemKnn::params().neighbours(10).fit(&matrix).unwrap();
//! let mut scores = vec![0.0; 3];
//! model.add_scores(&[0], 1.0, &mut scores); // history: item A
//! assert_eq!(scores, [0.0, 1.0, 0.0]);      // B was always bought with A; C never
//! ```

use crate::error::{Result, ensure_at_least_one, ensure_non_negative};
use crate::math::sparse::SparseRows;
use crate::models::cooccurrence::{CoCounter, shrunk_set_cosine};
use crate::models::interactions::Interactions;
use crate::models::item_weights::{ItemWeights, keep_strongest};

/// Settings for [`ItemKnn`]; check and fit with [`ItemKnnParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct ItemKnnParams {
    neighbours: usize,
    shrinkage: f32,
}

/// Item-kNN by cosine similarity; [`ItemKnn::params`] starts its configuration.
pub struct ItemKnn;

impl ItemKnn {
    /// Default settings: 100 neighbours per item, no shrinkage.
    pub fn params() -> ItemKnnParams {
        ItemKnnParams {
            neighbours: 100,
            shrinkage: 0.0,
        }
    }
}

impl ItemKnnParams {
    /// How many neighbours each item keeps (at least 1).
    pub fn neighbours(mut self, neighbours: usize) -> Self {
        self.neighbours = neighbours;
        self
    }

    /// Shrinkage: similarities from `n` co-buyers are scaled by `n / (n + shrinkage)`.
    pub fn shrinkage(mut self, shrinkage: f32) -> Self {
        self.shrinkage = shrinkage;
        self
    }

    fn check(&self) -> Result<()> {
        ensure_at_least_one("neighbours", self.neighbours)?;
        ensure_non_negative("shrinkage", f64::from(self.shrinkage))
    }

    /// Computes every item's neighbours from the purchase matrix.
    pub fn fit(&self, matrix: &Interactions) -> Result<ItemWeights> {
        self.check()?;
        let n_items = matrix.n_items();
        let user_items: Vec<Vec<u32>> = matrix.user_item_lists().collect();
        let buyers: Vec<f32> = (0..n_items)
            .map(|item| matrix.item_users(item).len() as f32)
            .collect();

        // Co-buyer counts for one item at a time: a dense counter plus the list of touched
        // columns, so each item costs only what its buyers bought.
        let mut counter = CoCounter::new(n_items);
        let rows = (0..n_items)
            .map(|item| {
                let mut row: Vec<(u32, f32)> = counter
                    .count(item, matrix.item_users(item), &user_items)
                    .into_iter()
                    .map(|(other, count)| {
                        let size_b = buyers[other as usize];
                        let similarity =
                            shrunk_set_cosine(count, buyers[item], size_b, self.shrinkage);
                        (other, similarity)
                    })
                    .collect();
                keep_strongest(&mut row, self.neighbours);
                row
            })
            .collect();
        Ok(ItemWeights::from_targets(SparseRows::from_rows(rows)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::fixtures;

    /// Users 1..=3 and items A..D:
    ///   u1: A B      u2: A B C      u3: C D
    fn matrix() -> Interactions {
        let bought = [
            ("u1", "A"),
            ("u1", "B"),
            ("u2", "A"),
            ("u2", "B"),
            ("u2", "C"),
            ("u3", "C"),
            ("u3", "D"),
        ];
        fixtures::matrix(&bought, &["A", "B", "C", "D"])
    }

    #[test]
    fn cosine_neighbours_match_hand_computed_values() {
        let model = ItemKnn::params().fit(&matrix()).unwrap();
        // A: buyers {1,2}; B {1,2}; C {2,3}; D {3}.
        // cos(A,B) = 2/sqrt(2*2) = 1; cos(A,C) = 1/sqrt(2*2) = 0.5; cos(C,D) = 1/sqrt(2*1).
        assert_eq!(model.targets().row(0), (&[1, 2][..], &[1.0, 0.5][..]));
        let (columns, weights) = model.targets().row(3);
        assert_eq!(columns, [2]);
        assert!((weights[0] - 1.0 / 2f32.sqrt()).abs() < 1e-6);
    }

    #[test]
    fn shrinkage_discounts_rare_pairs() {
        let model = ItemKnn::params().shrinkage(1.0).fit(&matrix()).unwrap();
        // cos(A,B) = 1 from 2 co-buyers: 1 * 2/3; cos(A,C) = 0.5 from 1: 0.5 * 1/2.
        let (_, weights) = model.targets().row(0);
        assert!((weights[0] - 2.0 / 3.0).abs() < 1e-6);
        assert!((weights[1] - 0.25).abs() < 1e-6);
    }

    #[test]
    fn neighbour_lists_are_cut_to_size() {
        let model = ItemKnn::params().neighbours(1).fit(&matrix()).unwrap();
        assert_eq!(model.targets().row(0).0, [1]);
        assert_eq!(model.targets().row(2).0.len(), 1);
    }

    #[test]
    fn scores_count_history_items_only_where_the_target_lists_them() {
        let model = ItemKnn::params().neighbours(2).fit(&matrix()).unwrap();
        // N(A) = {B, C}; N(C) = {D, A} (A wins the 0.5 tie with B on position).
        // History {B}: A lists B (cos 1); C does not list B, though B lists C.
        let mut scores = vec![0.0; 4];
        model.add_scores(&[1], 1.0, &mut scores);
        assert_eq!(scores, [1.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn bad_parameters_are_named() {
        let error = ItemKnn::params().neighbours(0).fit(&matrix()).unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidParameter {
                name: "neighbours",
                ..
            }
        ));
        let error = ItemKnn::params()
            .shrinkage(f32::NAN)
            .fit(&matrix())
            .unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidParameter {
                name: "shrinkage",
                ..
            }
        ));
    }
}
