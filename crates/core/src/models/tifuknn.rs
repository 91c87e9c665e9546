//! TIFU-KNN (Hu et al., "Modeling Personalized Item Frequency Information for Next-basket
//! Recommendation", SIGIR 2020): the next-basket anchor `aisle evaluate` measures the blend
//! against.
//!
//! Each customer becomes a vector of time-decayed item frequencies. Their baskets, oldest
//! first, are cut into at most `groups` consecutive groups of near-equal size (later groups take
//! the extra basket); within a group of `m` baskets the `i`-th counts `within_decay^(m − i)`,
//! and the group is their mean; the `j`-th of `n` groups counts `group_decay^(n − j)`, and the
//! vector is the mean of the weighted groups. A customer's scores are `alpha` times their own
//! vector plus `1 − alpha` times the mean vector of their `neighbours` nearest customers by
//! Euclidean distance (themselves included, as in the authors' code).
//!
//! The neighbour search is exact: distances to customers who share a product come from sparse
//! dot products over the products' buyers, and the nearest of the others are those with the
//! shortest vectors, taken in order of length.
//!
//! [`TifuKnnParams::tune`] searches the parameters the paper searches, on the blend's validation
//! folds, by the same [`coordinate_ascent`].
//!
//! ```
//! use aisle_core::models::baskets::Baskets;
//! use aisle_core::models::tifuknn::TifuKnn;
//! # use aisle_core::{catalog::Catalog, models::interactions::Interactions, input::orders::OrderLine};
//! // u1 and u2 both buy A then B; u3 buys A only.
//! let lines = [("u1", "A", 0), ("u1", "B", 1), ("u2", "A", 0), ("u2", "B", 1), ("u3", "A", 0)]
//!     .map(|(c, i, t)| OrderLine::purchase(c, i, t));
//! let catalog = Catalog::from_orders(&lines);
//! let matrix = Interactions::from_orders(&catalog, &lines);
//! let baskets = Baskets::from_orders(&matrix, &catalog, &lines);
//! let model = TifuKnn::params().neighbours(2).alpha(0.5).fit(&baskets, catalog.len()).unwrap();
//! let mut scores = vec![0.0; 2];
//! model.add_scores_for(2, 1.0, &mut scores); // u3: its neighbours bought B
//! assert!(scores[catalog.position("B").unwrap()] > 0.0);
//! ```

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use crate::error::{Error, Result, ensure_at_least_one};
use crate::eval::coordinate_search::{Axis, coordinate_ascent};
use crate::eval::holdout::{Holdout, Task};
use crate::models::baskets::Baskets;

/// TIFU-KNN; [`TifuKnn::params`] starts its configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct TifuKnn {
    alpha: f32,
    /// Per customer: (item, value), sorted by item.
    vectors: Vec<Vec<(u32, f32)>>,
    /// Per customer: the nearest customers, nearest first.
    neighbours: Vec<Vec<u32>>,
}

/// Settings for TIFU-KNN; check and fit with [`TifuKnnParams::fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TifuKnnParams {
    groups: usize,
    within_decay: f32,
    group_decay: f32,
    neighbours: usize,
    alpha: f32,
}

impl TifuKnn {
    /// The paper's defaults: 7 groups, decays 0.9 within a group and 0.7 across groups, 300
    /// neighbours, alpha 0.7.
    pub fn params() -> TifuKnnParams {
        TifuKnnParams {
            groups: 7,
            within_decay: 0.9,
            group_decay: 0.7,
            neighbours: 300,
            alpha: 0.7,
        }
    }

    /// Adds `weight` times the customer's scores (one per catalog position) to `scores`.
    pub fn add_scores_for(&self, user: usize, weight: f32, scores: &mut [f32]) {
        self.add_scores_with(user, self.alpha, usize::MAX, weight, scores);
    }

    /// [`TifuKnn::add_scores_for`] with another alpha and at most `neighbours` neighbours:
    /// what tuning varies without refitting.
    fn add_scores_with(
        &self,
        user: usize,
        alpha: f32,
        neighbours: usize,
        weight: f32,
        scores: &mut [f32],
    ) {
        for &(item, value) in &self.vectors[user] {
            scores[item as usize] += weight * alpha * value;
        }
        let nearest = &self.neighbours[user];
        let nearest = &nearest[..nearest.len().min(neighbours)];
        if nearest.is_empty() {
            return;
        }
        let share = weight * (1.0 - alpha) / nearest.len() as f32;
        for &neighbour in nearest {
            for &(item, value) in &self.vectors[neighbour as usize] {
                scores[item as usize] += share * value;
            }
        }
    }
}

impl TifuKnnParams {
    /// Consecutive groups the baskets are cut into (at least 1).
    pub fn groups(mut self, groups: usize) -> Self {
        self.groups = groups;
        self
    }

    /// Weight ratio between a basket and the next one in its group, in (0, 1].
    pub fn within_decay(mut self, decay: f32) -> Self {
        self.within_decay = decay;
        self
    }

    /// Weight ratio between a group and the next one, in (0, 1].
    pub fn group_decay(mut self, decay: f32) -> Self {
        self.group_decay = decay;
        self
    }

    /// Nearest customers whose vectors are averaged (at least 1).
    pub fn neighbours(mut self, neighbours: usize) -> Self {
        self.neighbours = neighbours;
        self
    }

    /// Share of the customer's own vector in the scores, in [0, 1].
    pub fn alpha(mut self, alpha: f32) -> Self {
        self.alpha = alpha;
        self
    }

    fn check(&self) -> Result<()> {
        ensure_at_least_one("groups", self.groups)?;
        ensure_at_least_one("neighbours", self.neighbours)?;
        let unit = |name: &'static str, value: f32, zero_allowed: bool| {
            let low_ok = if zero_allowed {
                value >= 0.0
            } else {
                value > 0.0
            };
            if low_ok && value <= 1.0 {
                Ok(())
            } else {
                Err(Error::InvalidParameter {
                    name,
                    reason: format!("{value} is outside its range (0 to 1)"),
                })
            }
        };
        unit("within_decay", self.within_decay, false)?;
        unit("group_decay", self.group_decay, false)?;
        unit("alpha", self.alpha, true)
    }

    /// Builds every customer's vector and finds their neighbours. `n_items` is the catalog
    /// size.
    pub fn fit(&self, baskets: &Baskets, n_items: usize) -> Result<TifuKnn> {
        self.check()?;
        let vectors: Vec<Vec<(u32, f32)>> = (0..baskets.n_users())
            .map(|user| self.vector(baskets.of(user)))
            .collect();
        let neighbours = nearest(&vectors, n_items, self.neighbours);
        Ok(TifuKnn {
            alpha: self.alpha,
            vectors,
            neighbours,
        })
    }

    /// One customer's time-decayed frequency vector, sorted by item.
    fn vector(&self, baskets: &[Vec<u32>]) -> Vec<(u32, f32)> {
        let mut sums: HashMap<u32, f32> = HashMap::new();
        let groups = group_sizes(baskets.len(), self.groups);
        let mut start = 0;
        for (index, &size) in groups.iter().enumerate() {
            let group_weight = self.group_decay.powi((groups.len() - 1 - index) as i32)
                / groups.len() as f32
                / size as f32;
            for (position, basket) in baskets[start..start + size].iter().enumerate() {
                let weight = group_weight * self.within_decay.powi((size - 1 - position) as i32);
                for &item in basket {
                    *sums.entry(item).or_insert(0.0) += weight;
                }
            }
            start += size;
        }
        let mut vector: Vec<(u32, f32)> = sums.into_iter().collect();
        vector.sort_unstable_by_key(|&(item, _)| item);
        vector
    }

    /// Searches the parameters on the validation `folds` for `task`, scoring at most `budget`
    /// settings by their mean Recall at `k`, from the paper's defaults. Returns the best
    /// parameters; `progress` hears (settings scored, budget).
    pub fn tune(
        folds: &[Holdout],
        task: Task,
        k: usize,
        budget: usize,
        progress: impl FnMut(usize, usize),
    ) -> Result<Self> {
        let baskets: Vec<Baskets> = folds
            .iter()
            .map(|fold| Baskets::from_orders(fold.train(), fold.catalog(), fold.train_lines()))
            .collect();
        let axes = [
            Axis::new("groups", &[1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0], 4),
            Axis::new("within_decay", &[0.5, 0.6, 0.7, 0.8, 0.9, 1.0], 4),
            Axis::new("group_decay", &[0.5, 0.6, 0.7, 0.8, 0.9, 1.0], 2),
            Axis::new("neighbours", &[50.0, 100.0, 300.0, 600.0, 1000.0], 2),
            Axis::new(
                "alpha",
                &[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
                7,
            ),
        ];
        let params = |values: &[f64]| TifuKnnParams {
            groups: values[0] as usize,
            within_decay: values[1] as f32,
            group_decay: values[2] as f32,
            neighbours: values[3] as usize,
            alpha: values[4] as f32,
        };
        let largest = axes[3].values.iter().copied().fold(0.0, f64::max) as usize;
        // Neighbours for the largest count serve every smaller one (they come nearest first),
        // and alpha needs no refit: fit once per fold and set of vectors. Settings that build
        // the same vectors share a fit (with one basket per customer, the decays and groups
        // change nothing). Only the latest fits are kept: coordinate ascent moves one axis at a
        // time, and a fit holds a thousand neighbours per customer.
        let mut fitted: Vec<(usize, u64, TifuKnn)> = Vec::new();
        let mut failure = None;
        let found = coordinate_ascent(
            &axes,
            budget,
            |values| {
                let wanted = params(values);
                if let Err(error) = wanted.check() {
                    failure = Some(error);
                    return Vec::new();
                }
                let mut samples = Vec::new();
                for (index, (fold, baskets)) in folds.iter().zip(&baskets).enumerate() {
                    let vectors: Vec<Vec<(u32, f32)>> = (0..baskets.n_users())
                        .map(|user| wanted.vector(baskets.of(user)))
                        .collect();
                    let mut hasher = FxHasher::default();
                    for vector in &vectors {
                        for (item, value) in vector {
                            (item, value.to_bits()).hash(&mut hasher);
                        }
                        u32::MAX.hash(&mut hasher);
                    }
                    let key = hasher.finish();
                    let at = match fitted.iter().position(|(of, hash, model)| {
                        (*of, *hash) == (index, key) && model.vectors == vectors
                    }) {
                        Some(at) => at,
                        None => {
                            let neighbours = nearest(&vectors, fold.catalog().len(), largest);
                            let model = TifuKnn {
                                alpha: wanted.alpha,
                                vectors,
                                neighbours,
                            };
                            if fitted.len() >= 2 * folds.len() {
                                fitted.remove(0);
                            }
                            fitted.push((index, key, model));
                            fitted.len() - 1
                        }
                    };
                    let model = &fitted[at].2;
                    samples.extend(fold.recalls(task, k, |user, scores| {
                        model.add_scores_with(user, wanted.alpha, wanted.neighbours, 1.0, scores)
                    }));
                }
                samples
            },
            progress,
        );
        if let Some(error) = failure {
            return Err(error);
        }
        Ok(params(&found.values))
    }
}

/// Sizes of at most `groups` consecutive groups of `baskets`, as equal as possible, the later
/// ones one larger when they cannot all be.
fn group_sizes(baskets: usize, groups: usize) -> Vec<usize> {
    let count = baskets.min(groups);
    if count == 0 {
        return Vec::new();
    }
    let (base, extra) = (baskets / count, baskets % count);
    (0..count)
        .map(|index| base + usize::from(index >= count - extra))
        .collect()
}

/// Each vector's `k` nearest (Euclidean) among all vectors, itself included, nearest first;
/// ties go to the lower index.
fn nearest(vectors: &[Vec<(u32, f32)>], n_items: usize, k: usize) -> Vec<Vec<u32>> {
    let n = vectors.len();
    let norms: Vec<f32> = vectors
        .iter()
        .map(|vector| vector.iter().map(|(_, value)| value * value).sum())
        .collect();
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n_items];
    for (user, vector) in vectors.iter().enumerate() {
        for &(item, value) in vector {
            postings[item as usize].push((user as u32, value));
        }
    }
    let mut by_norm: Vec<u32> = (0..n as u32).collect();
    by_norm.sort_by(|&a, &b| {
        norms[a as usize]
            .total_cmp(&norms[b as usize])
            .then(a.cmp(&b))
    });
    let mut dots = vec![0.0f32; n];
    let mut touched_mark = vec![false; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut candidates: Vec<(f32, u32)> = Vec::new();
    (0..n)
        .map(|user| {
            for &(item, value) in &vectors[user] {
                for &(other, other_value) in &postings[item as usize] {
                    if !touched_mark[other as usize] {
                        touched_mark[other as usize] = true;
                        touched.push(other);
                    }
                    dots[other as usize] += value * other_value;
                }
            }
            candidates.clear();
            let distance =
                |other: u32, dot: f32| (norms[user] + norms[other as usize] - 2.0 * dot).max(0.0);
            candidates.extend(
                touched
                    .iter()
                    .map(|&other| (distance(other, dots[other as usize]), other)),
            );
            // Of the customers sharing nothing, the nearest are the shortest vectors.
            candidates.extend(
                by_norm
                    .iter()
                    .filter(|&&other| !touched_mark[other as usize])
                    .take(k)
                    .map(|&other| (distance(other, 0.0), other)),
            );
            for &other in &touched {
                dots[other as usize] = 0.0;
                touched_mark[other as usize] = false;
            }
            touched.clear();
            let order = |a: &(f32, u32), b: &(f32, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
            if candidates.len() > k {
                candidates.select_nth_unstable_by(k, order);
                candidates.truncate(k);
            }
            candidates.sort_unstable_by(order);
            candidates.iter().map(|&(_, other)| other).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_near_equal_with_the_later_ones_larger() {
        assert_eq!(group_sizes(10, 3), [3, 3, 4]);
        assert_eq!(group_sizes(2, 7), [1, 1]);
        assert_eq!(group_sizes(0, 7), [] as [usize; 0]);
        assert_eq!(group_sizes(7, 7), [1; 7]);
    }

    #[test]
    fn the_vector_decays_within_and_across_groups_by_hand() {
        // Four baskets in two groups of two: [A], [B] | [A], [C].
        let params = TifuKnn::params()
            .groups(2)
            .within_decay(0.5)
            .group_decay(0.8);
        let vector = params.vector(&[vec![0], vec![1], vec![0], vec![2]]);
        // Group 1 (weight 0.8, mean of 2): A 0.5, B 1. Group 2 (weight 1): A 0.5, C 1.
        // Mean of two groups: A (0.8·0.5/2 + 0.5/2) / 2, B 0.8/2/2, C 1/2/2.
        let a = (0.8 * 0.5 / 2.0 + 0.5 / 2.0) / 2.0;
        let expected = [(0, a), (1, 0.8 / 4.0), (2, 0.25)];
        for ((item, value), (want_item, want)) in vector.iter().zip(expected) {
            assert_eq!(*item, want_item);
            assert!((value - want).abs() < 1e-6, "{vector:?}");
        }
    }

    #[test]
    fn neighbours_are_exact_by_euclidean_distance() {
        // Vectors: u0 = (1, 0, 0), u1 = (0.9, 0, 0), u2 = (0, 0, 0.1), u3 = (0, 1, 0).
        let vectors = vec![
            vec![(0, 1.0)],
            vec![(0, 0.9)],
            vec![(2, 0.1)],
            vec![(1, 1.0)],
        ];
        let found = nearest(&vectors, 3, 3);
        // u0: itself 0, u1 0.01, u2 1.01, u3 2.
        assert_eq!(found[0], [0, 1, 2]);
        // u3: itself, then u2 (1.01) before u1 (1.81) though it shares nothing with either.
        assert_eq!(found[3], [3, 2, 1]);
    }

    #[test]
    fn bad_parameters_are_named() {
        let baskets = Baskets::default();
        let error = TifuKnn::params().alpha(1.5).fit(&baskets, 0).unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidParameter { name: "alpha", .. }
        ));
        let error = TifuKnn::params().groups(0).fit(&baskets, 0).unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidParameter { name: "groups", .. }
        ));
    }
}
