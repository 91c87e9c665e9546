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
    SilhouetteSample::new(points, sample_size, seed).score(points, labels)
}

/// The distances among a seeded sample of points, kept to score several clusterings of the
/// same points: the k sweep scores nine. The distances are most of a score's work and do not
/// depend on the labels, so each further score only adds them up by cluster. A score is the
/// same to the bit as [`silhouette_sampled`]'s with the same sample size and seed.
///
/// The distances take `4 * sample_size²` bytes (16 MB for the studio's 2,000).
///
/// ```
/// use aisle_core::segmentation::silhouette::{SilhouetteSample, silhouette_sampled};
/// use ndarray::array;
/// let points = array![[0.0f32], [1.0], [2.0], [10.0], [11.0], [30.0]];
/// let sample = SilhouetteSample::new(points.view(), 4, 7);
/// for labels in [[0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 2]] {
///     let expected = silhouette_sampled(points.view(), &labels, 4, 7).unwrap();
///     assert_eq!(sample.score(points.view(), &labels).unwrap(), expected);
/// }
/// ```
#[derive(Debug, Clone)]
pub struct SilhouetteSample {
    /// Rows of the points the sample was drawn from.
    rows: usize,
    /// The sampled rows, ascending.
    chosen: Vec<usize>,
    /// Row `a` of the sample's distances to every sampled point, at `a * chosen.len()`.
    distances: Vec<f32>,
}

impl SilhouetteSample {
    /// Draws `sample_size` of `points`' rows with `seed` (every row when there are no more)
    /// and computes their distances to each other.
    pub fn new(points: ArrayView2<f32>, sample_size: usize, seed: u64) -> Self {
        let rows = points.nrows();
        let chosen = if sample_size >= rows {
            (0..rows).collect()
        } else {
            let mut rng = Pcg64Mcg::seed_from_u64(seed);
            let mut chosen = sample(&mut rng, rows, sample_size).into_vec();
            chosen.sort_unstable();
            chosen
        };
        let sampled = points.select(Axis(0), &chosen);
        let columns: Vec<Vec<f32>> = sampled.columns().into_iter().map(|c| c.to_vec()).collect();
        let m = chosen.len();
        let mut distances = vec![0.0f32; m * m];
        for (point, row) in sampled
            .rows()
            .into_iter()
            .zip(distances.chunks_exact_mut(m.max(1)))
        {
            squared_distances(&columns, point.iter().copied(), row);
            for distance in row.iter_mut() {
                *distance = distance.sqrt();
            }
        }
        Self {
            rows,
            chosen,
            distances,
        }
    }

    /// The mean silhouette of the sample under `labels` (one per row of `points`, the points
    /// the sample was drawn from). A sample that holds one cluster only (tiny clusters) is
    /// scored against every point instead, which still needs only the sample's rows.
    pub fn score(&self, points: ArrayView2<f32>, labels: &[usize]) -> Result<f64> {
        if labels.len() != self.rows || points.nrows() != self.rows {
            return Err(Error::InvalidData {
                reason: format!(
                    "{} labels for {} points, a sample drawn from {}",
                    labels.len(),
                    points.nrows(),
                    self.rows
                ),
            });
        }
        let sampled_labels: Vec<usize> = self.chosen.iter().map(|&i| labels[i]).collect();
        // Refused only for holding fewer than two clusters.
        let Ok(clusters) = Clusters::of(&sampled_labels) else {
            return mean_over(points, labels, &self.chosen);
        };
        let m = self.chosen.len();
        let mut sums = vec![0.0f64; clusters.sizes.len()];
        let mut block = [0.0f32; BLOCK];
        let total: f64 = self
            .distances
            .chunks_exact(m)
            .zip(&sampled_labels)
            .map(|(row, &own)| {
                for (c, sum) in sums.iter_mut().enumerate() {
                    // The cluster's distances gathered in the order `mean_over` keeps them.
                    *sum = clusters
                        .members(c)
                        .chunks(BLOCK)
                        .map(|members| {
                            let block = &mut block[..members.len()];
                            for (value, &member) in block.iter_mut().zip(members) {
                                *value = row[member];
                            }
                            f64::from(sum_in_lanes(block))
                        })
                        .sum();
                }
                clusters.point_score(&sums, own)
            })
            .sum();
        Ok(total / m as f64)
    }
}

/// Points grouped by cluster, for summing a point's distances cluster by cluster.
struct Clusters {
    /// Points per cluster label (0 for labels no point has).
    sizes: Vec<usize>,
    /// The points' indices sorted by cluster, each cluster's in ascending order.
    order: Vec<usize>,
    /// Where each cluster's points start in `order`, and where the last ends.
    starts: Vec<usize>,
}

impl Clusters {
    /// Groups `labels`, refusing fewer than two clusters.
    fn of(labels: &[usize]) -> Result<Self> {
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
        let mut order: Vec<usize> = (0..labels.len()).collect();
        order.sort_by_key(|&j| labels[j]);
        let mut starts = vec![0usize; clusters + 1];
        for (c, &size) in sizes.iter().enumerate() {
            starts[c + 1] = starts[c] + size;
        }
        Ok(Self {
            sizes,
            order,
            starts,
        })
    }

    /// The points of cluster `c`.
    fn members(&self, c: usize) -> &[usize] {
        &self.order[self.starts[c]..self.starts[c + 1]]
    }

    /// The silhouette of a point of cluster `own` whose distances to each cluster's points sum
    /// to `sums` (its distance to itself is 0, so it adds nothing to its own cluster's sum).
    fn point_score(&self, sums: &[f64], own: usize) -> f64 {
        let sizes = &self.sizes;
        if sizes[own] == 1 {
            return 0.0;
        }
        let a = sums[own] / (sizes[own] - 1) as f64;
        let b = (0..sizes.len())
            .filter(|&c| c != own && sizes[c] > 0)
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::INFINITY, f64::min);
        if a.max(b) == 0.0 {
            0.0
        } else {
            (b - a) / a.max(b)
        }
    }
}

/// Sets `out[j]` to the squared distance from `point` to point `j` of `columns` (one flat
/// column per feature): the first feature sets it, the others add to theirs, so that each
/// feature is one vectorised pass.
fn squared_distances(columns: &[Vec<f32>], point: impl IntoIterator<Item = f32>, out: &mut [f32]) {
    for (feature, (column, x)) in columns.iter().zip(point).enumerate() {
        for (distance, &value) in out.iter_mut().zip(column) {
            let difference = value - x;
            let before = if feature == 0 { 0.0 } else { *distance };
            *distance = before + difference * difference;
        }
    }
}

/// The mean silhouette of the `chosen` points against every point, computing their distances
/// as it goes: memory stays linear in the number of points.
fn mean_over(points: ArrayView2<f32>, labels: &[usize], chosen: &[usize]) -> Result<f64> {
    if labels.len() != points.nrows() {
        return Err(Error::InvalidData {
            reason: format!("{} labels for {} points", labels.len(), points.nrows()),
        });
    }
    let clusters = Clusters::of(labels)?;
    if chosen.is_empty() {
        return Err(Error::InvalidData {
            reason: "no points to score".into(),
        });
    }
    // The points sorted by cluster, feature by feature: a point's distances to every other
    // point are then a few vectorised passes over flat columns, and each cluster's sum of
    // distances is a sum over one contiguous range.
    let columns: Vec<Vec<f32>> = points
        .columns()
        .into_iter()
        .map(|column| clusters.order.iter().map(|&j| column[j]).collect())
        .collect();
    let mut distances = vec![0.0f32; points.nrows()];
    let mut sums = vec![0.0f64; clusters.sizes.len()];
    let total: f64 = chosen
        .iter()
        .map(|&i| {
            squared_distances(&columns, points.row(i).iter().copied(), &mut distances);
            for distance in distances.iter_mut() {
                *distance = distance.sqrt();
            }
            for (c, sum) in sums.iter_mut().enumerate() {
                *sum = distances[clusters.starts[c]..clusters.starts[c + 1]]
                    .chunks(BLOCK)
                    .map(|block| f64::from(sum_in_lanes(block)))
                    .sum();
            }
            clusters.point_score(&sums, labels[i])
        })
        .sum();
    Ok(total / chosen.len() as f64)
}

/// Distances summed in f32 within a block (exact enough), in f64 across blocks.
const BLOCK: usize = 256;

/// Independent partial sums in [`sum_in_lanes`]: the compiler turns them into SIMD registers,
/// which one running sum would forbid (float addition is not associative).
const LANES: usize = 8;

/// The sum of `values`, in [`LANES`] partial sums.
fn sum_in_lanes(values: &[f32]) -> f32 {
    let chunks = values.chunks_exact(LANES);
    let tail: f32 = chunks.remainder().iter().sum();
    let mut lanes = [0.0f32; LANES];
    for chunk in chunks {
        for (lane, value) in lanes.iter_mut().zip(chunk) {
            *lane += value;
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
    fn a_kept_sample_scores_each_clustering_as_the_sample_scored_alone() {
        let points = Array2::from_shape_fn((900, 5), |(i, j)| {
            ((i * 37 + j * 11) % 101) as f32 / 7.0 + (i % 4) as f32 * 3.0
        });
        let sample = SilhouetteSample::new(points.view(), 600, 9);
        let sampled = points.select(Axis(0), &sample.chosen);
        for k in 2..=9 {
            // Labels of uneven clusters, some labels unused.
            let labels: Vec<usize> = (0..900).map(|i| (i * i + i / 7) % k * 2).collect();
            let sampled_labels: Vec<usize> = sample.chosen.iter().map(|&i| labels[i]).collect();
            let alone = silhouette(sampled.view(), &sampled_labels).unwrap();
            assert_eq!(
                sample.score(points.view(), &labels).unwrap(),
                alone,
                "k = {k}"
            );
        }
        assert!(sample.score(points.view(), &[0; 899]).is_err());
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
