//! User-to-user nearest neighbours: recommend what the customers most like this one bought.
//!
//! Two customers are similar when they bought the same products: the cosine of their product
//! sets, `|I_u ∩ I_v| / sqrt(|I_u| |I_v|)`, shrunk by `n / (n + shrinkage)` so that two
//! customers with one product in common do not count as twins. A shopper's `neighbours` most
//! similar customers each add their similarity to every product they bought.
//!
//! Unlike item-kNN this needs every customer's purchases at scoring time, so it is a model for
//! the shop's own machine (`aisle evaluate`), never shipped to browsers: the bundle must not
//! carry other customers' histories.
//!
//! ```
//! use aisle_core::models::userknn::UserKnn;
//! # use aisle_core::{catalog::Catalog, models::interactions::Interactions, input::orders::OrderLine};
//! // Customers 1 and 2 bought A and B, customer 2 also C; customer 3 bought D.
//! let lines = [("1", "A"), ("1", "B"), ("2", "A"), ("2", "B"), ("2", "C"), ("3", "D")]
//!     .map(|(c, i)| OrderLine::purchase(c, i, 0));
//! let matrix = Interactions::from_orders(&Catalog::from_orders(&lines), &lines);
//! let model = UserKnn::params().fit(&matrix).unwrap();
//! let mut scores = vec![0.0; 4];
//! model.add_scores(&[0, 1], 1.0, &mut scores); // a shopper who bought A and B
//! assert!(scores[2] > 0.0 && scores[3] == 0.0); // C from customer 2; nobody like them bought D
//! ```

use crate::error::{Result, ensure_at_least_one, ensure_non_negative};
use crate::models::cooccurrence::{CoCounter, shrunk_set_cosine};
use crate::models::interactions::Interactions;
use crate::models::item_weights::keep_strongest;

/// Settings for [`UserKnn`]; check and fit with [`UserKnnParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct UserKnnParams {
    neighbours: usize,
    shrinkage: f32,
}

/// User-kNN by cosine similarity of purchase sets.
#[derive(Debug, Clone)]
pub struct UserKnn {
    params: UserKnnParams,
    /// Per customer: the distinct products bought.
    bought: Vec<Vec<u32>>,
    /// Per product: the customers who bought it.
    buyers: Vec<Vec<u32>>,
}

impl UserKnn {
    /// Default settings: 50 neighbours, shrinkage 5.
    pub fn params() -> UserKnnParams {
        UserKnnParams {
            neighbours: 50,
            shrinkage: 5.0,
        }
    }

    /// Adds, for a shopper who bought `history` (catalog positions) and is not among the
    /// training customers, `weight` times each neighbour's similarity to every product that
    /// neighbour bought.
    pub fn add_scores(&self, history: &[u32], weight: f32, scores: &mut [f32]) {
        self.add_neighbour_scores(history, self.bought.len(), weight, scores);
    }

    /// The same for training customer `user` (a row of the matrix it was fitted on), who is
    /// left out of their own neighbours.
    pub fn add_scores_for(&self, user: usize, weight: f32, scores: &mut [f32]) {
        if let Some(history) = self.bought.get(user) {
            self.add_neighbour_scores(history, user, weight, scores);
        }
    }

    fn add_neighbour_scores(
        &self,
        history: &[u32],
        except: usize,
        weight: f32,
        scores: &mut [f32],
    ) {
        let mut history: Vec<u32> = history
            .iter()
            .copied()
            .filter(|&item| (item as usize) < self.buyers.len())
            .collect();
        history.sort_unstable();
        history.dedup();
        if history.is_empty() {
            return;
        }
        let mut counter = CoCounter::new(self.bought.len());
        let own = history.len() as f32;
        let mut neighbours: Vec<(u32, f32)> = counter
            .count(except, &history, &self.buyers)
            .into_iter()
            .map(|(other, shared)| {
                let theirs = self.bought[other as usize].len() as f32;
                let similarity = shrunk_set_cosine(shared, own, theirs, self.params.shrinkage);
                (other, similarity)
            })
            .collect();
        keep_strongest(&mut neighbours, self.params.neighbours);
        for (other, similarity) in neighbours {
            for &item in &self.bought[other as usize] {
                if let Some(score) = scores.get_mut(item as usize) {
                    *score += weight * similarity;
                }
            }
        }
    }
}

impl UserKnnParams {
    /// How many of the most similar customers speak for a shopper (at least 1).
    pub fn neighbours(mut self, neighbours: usize) -> Self {
        self.neighbours = neighbours;
        self
    }

    /// Shrinkage: similarities from `n` shared products are scaled by `n / (n + shrinkage)`.
    pub fn shrinkage(mut self, shrinkage: f32) -> Self {
        self.shrinkage = shrinkage;
        self
    }

    /// Keeps the purchase matrix's rows and columns for scoring.
    pub fn fit(&self, matrix: &Interactions) -> Result<UserKnn> {
        ensure_at_least_one("neighbours", self.neighbours)?;
        ensure_non_negative("shrinkage", f64::from(self.shrinkage))?;
        Ok(UserKnn {
            params: self.clone(),
            bought: matrix.user_item_lists().collect(),
            buyers: (0..matrix.n_items())
                .map(|item| matrix.item_users(item).to_vec())
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::fixtures;

    /// u1: A B; u2: A B C; u3: A D; u4: E.
    fn matrix() -> Interactions {
        fixtures::matrix(
            &[
                ("u1", "A"),
                ("u1", "B"),
                ("u2", "A"),
                ("u2", "B"),
                ("u2", "C"),
                ("u3", "A"),
                ("u3", "D"),
                ("u4", "E"),
            ],
            &["A", "B", "C", "D", "E"],
        )
    }

    #[test]
    fn neighbours_add_their_hand_computed_similarity() {
        let model = UserKnn::params().shrinkage(0.0).fit(&matrix()).unwrap();
        let mut scores = vec![0.0; 5];
        model.add_scores_for(0, 1.0, &mut scores); // u1, left out of their own neighbours
        // u2 shares A, B: 2 / sqrt(2 * 3). u3 shares A: 1 / sqrt(2 * 2) = 0.5. u4 shares nothing.
        let u2 = 2.0 / 6f32.sqrt();
        let expected = [u2 + 0.5, u2, u2, 0.5, 0.0];
        for (got, want) in scores.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{scores:?}");
        }
    }

    #[test]
    fn only_the_nearest_neighbours_speak_and_shrinkage_favours_more_evidence() {
        let model = UserKnn::params().neighbours(1).fit(&matrix()).unwrap();
        let mut scores = vec![0.0; 5];
        model.add_scores(&[0, 1], 1.0, &mut scores); // like u1: nearest is u1 itself (A, B)
        assert_eq!(scores[2], 0.0); // u2's C is not heard: u2 is second
        assert!(scores[0] > 0.0 && scores[3] == 0.0);
        // Shrinkage 5: u1's 2 shared products give 1.0 × 2 / 7.
        assert!((scores[0] - 2.0 / 7.0).abs() < 1e-6);
    }

    #[test]
    fn unknown_items_and_empty_histories_add_nothing() {
        let model = UserKnn::params().fit(&matrix()).unwrap();
        let mut scores = vec![0.0; 5];
        model.add_scores(&[], 1.0, &mut scores);
        model.add_scores(&[99], 1.0, &mut scores);
        model.add_scores_for(99, 1.0, &mut scores);
        assert_eq!(scores, [0.0; 5]);
    }

    #[test]
    fn bad_settings_are_named() {
        let name = |params: UserKnnParams| match params.fit(&matrix()).unwrap_err() {
            Error::InvalidParameter { name, .. } => name,
            other => panic!("{other}"),
        };
        assert_eq!(name(UserKnn::params().neighbours(0)), "neighbours");
        assert_eq!(name(UserKnn::params().shrinkage(-1.0)), "shrinkage");
    }
}
