//! Silhouette: how well each point sits in its cluster compared with the next best one.
//!
//! For point `i` with mean distance `a` to the rest of its cluster and smallest mean distance
//! `b` to another cluster, `s = (b − a) / max(a, b)`, in [−1, 1]; a point alone in its cluster
//! scores 0 (scikit-learn's convention). The score of a clustering is the mean over points. The
//! exact score costs n² distances, so for large n [`silhouette_sampled`] scores a seeded sample
//! of points among themselves, as scikit-learn's `silhouette_score(sample_size=...)` does: the
//! cost is the sample's square whatever n is, and the same seed gives the same score.
//!
//! ```
//! use aisle_core::segmentation::silhouette::silhouette;
//! use ndarray::array;
//! let points = array![[0.0f32], [1.0], [10.0], [11.0]];
//! let score = silhouette(points.view(), &[0, 0, 1, 1]).unwrap();
//! assert!(score > 0.85); // two tight, distant pairs
//! ```

use ndarray::{ArrayView2, Axis};
use rand::SeedableRng;
use rand::seq::index::sample;
use rand_pcg::Pcg64Mcg;

use crate::error::{Error, Result};

/// Mean silhouette over every point. `labels[i]` is the cluster of row `i` of `points`
/// (shape (n, n_features)); there must be at least two clusters.
pub fn silhouette(points: ArrayView2<f32>, labels: &[usize]) -> Result<f64> {
    let everyone: Vec<usize> = (0..points.nrows()).collect();
    mean_over(points, labels, &everyone)
}

/// Mean silhouette over a seeded sample of `sample_size` points (all of them when fewer).
pub fn silhouette_sampled(
    points: ArrayView2<f32>,
    labels: &[usize],
    sample_size: usize,
    seed: u64,
) -> Result<f64> {
    let n = points.nrows();
    if sample_size >= n {
        return silhouette(points, labels);
    }
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut chosen = sample(&mut rng, n, sample_size).into_vec();
    chosen.sort_unstable();
    // `None` when the labels do not match the points: `mean_over` then names the mismatch.
    let sampled_labels: Option<Vec<usize>> =
        chosen.iter().map(|&i| labels.get(i).copied()).collect();
    match sampled_labels {
        Some(sampled_labels) if labels.len() == n && distinct(&sampled_labels) >= 2 => {
            let sampled = points.select(Axis(0), &chosen);
            silhouette(sampled.view(), &sampled_labels)
        }
        // A sample that missed every cluster but one (tiny clusters) is scored against every
        // point instead, which still needs only the sample's rows.
        _ => mean_over(points, labels, &chosen),
    }
}

/// How many different values `labels` holds.
fn distinct(labels: &[usize]) -> usize {
    let mut seen = labels.to_vec();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

fn mean_over(points: ArrayView2<f32>, labels: &[usize], chosen: &[usize]) -> Result<f64> {
    if labels.len() != points.nrows() {
        return Err(Error::InvalidData {
            reason: format!("{} labels for {} points", labels.len(), points.nrows()),
        });
    }
    let clusters = labels.iter().max().map_or(0, |&most| most + 1);
    let mut sizes = vec![0usize; clusters];
    for &label in labels {
        sizes[label] += 1;
    }
    if sizes.iter().filter(|&&size| size > 0).count() < 2 {
        return Err(Error::InvalidData {
            reason: "the silhouette needs at least two clusters".into(),
        });
    }
    if chosen.is_empty() {
        return Err(Error::InvalidData {
            reason: "no points to score".into(),
        });
    }
    // The points sorted by cluster, feature by feature: a point's distances to every other
    // point are then a few vectorised passes over flat columns, and each cluster's sum of
    // distances is a sum over one contiguous range.
    let n = points.nrows();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&j| labels[j]);
    let columns: Vec<Vec<f32>> = points
        .columns()
        .into_iter()
        .map(|column| order.iter().map(|&j| column[j]).collect())
        .collect();
    let mut starts = vec![0usize; clusters + 1];
    for (c, &size) in sizes.iter().enumerate() {
        starts[c + 1] = starts[c] + size;
    }
    let mut distances = vec![0.0f32; n];
    let mut sums = vec![0.0f64; clusters];
    let total: f64 = chosen
        .iter()
        .map(|&i| {
            let point = points.row(i);
            // The first feature sets the squared distances, the others add to them.
            for (feature, (column, &x)) in columns.iter().zip(point).enumerate() {
                for (distance, &value) in distances.iter_mut().zip(column) {
                    let difference = value - x;
                    let before = if feature == 0 { 0.0 } else { *distance };
                    *distance = before + difference * difference;
                }
            }
            for (c, sum) in sums.iter_mut().enumerate() {
                // f32 within a block of 256 (exact enough), f64 across blocks.
                *sum = distances[starts[c]..starts[c + 1]]
                    .chunks(256)
                    .map(|block| f64::from(sum_of_roots(block)))
                    .sum();
            }
            // The point's distance to itself is 0, so it adds nothing to its own cluster's sum.
            let own = labels[i];
            if sizes[own] == 1 {
                return 0.0;
            }
            let a = sums[own] / (sizes[own] - 1) as f64;
            let b = (0..clusters)
                .filter(|&c| c != own && sizes[c] > 0)
                .map(|c| sums[c] / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if a.max(b) == 0.0 {
                0.0
            } else {
                (b - a) / a.max(b)
            }
        })
        .sum();
    Ok(total / chosen.len() as f64)
}

/// Independent partial sums in [`sum_of_roots`]: the compiler turns them into SIMD registers,
/// which one running sum would forbid (float addition is not associative).
const LANES: usize = 8;

/// The sum of the square roots of `squared`.
fn sum_of_roots(squared: &[f32]) -> f32 {
    let chunks = squared.chunks_exact(LANES);
    let tail: f32 = chunks.remainder().iter().map(|value| value.sqrt()).sum();
    let mut lanes = [0.0f32; LANES];
    for chunk in chunks {
        for (lane, value) in lanes.iter_mut().zip(chunk) {
            *lane += value.sqrt();
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    #[test]
    fn matches_a_hand_computed_score() {
        // Points 0, 2 | 5. Point 0: a = 2, b = 5 -> 0.6. Point 2: a = 2, b = 3 -> 1/3.
        // Point 5 is alone: 0. Mean (0.6 + 1/3 + 0) / 3.
        let points = array![[0.0f32], [2.0], [5.0]];
        let score = silhouette(points.view(), &[0, 0, 1]).unwrap();
        assert!((score - (0.6 + 1.0 / 3.0) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_sample_of_everything_is_the_exact_score_and_a_sample_is_reproducible() {
        let points = Array2::from_shape_fn((40, 2), |(i, j)| ((i * 31 + j * 17) % 23) as f32);
        let labels: Vec<usize> = (0..40).map(|i| i % 3).collect();
        let exact = silhouette(points.view(), &labels).unwrap();
        assert_eq!(
            silhouette_sampled(points.view(), &labels, 100, 1).unwrap(),
            exact
        );
        let once = silhouette_sampled(points.view(), &labels, 10, 7).unwrap();
        assert_eq!(
            silhouette_sampled(points.view(), &labels, 10, 7).unwrap(),
            once
        );
        assert!((-1.0..=1.0).contains(&once));
    }

    #[test]
    fn a_sample_that_misses_a_tiny_cluster_is_still_scored() {
        // One point in cluster 1: most samples of 5 miss it and fall back to scoring the sample
        // against every point.
        let points =
            Array2::from_shape_fn((40, 1), |(i, _)| if i == 39 { 100.0 } else { i as f32 });
        let mut labels = vec![0; 40];
        labels[39] = 1;
        for seed in 0..20 {
            let score = silhouette_sampled(points.view(), &labels, 5, seed).unwrap();
            assert!((0.0..=1.0).contains(&score), "seed {seed}: {score}");
        }
    }

    #[test]
    fn one_cluster_or_mismatched_labels_are_refused() {
        let points = array![[0.0f32], [1.0]];
        assert!(silhouette(points.view(), &[0, 0]).is_err());
        assert!(silhouette(points.view(), &[0]).is_err());
    }
}
