//! The update step of Lloyd iterations: each cluster's sum and count of points, kept from one
//! iteration to the next.
//!
//! Summing every point again each iteration reads all of them once more. After the first few
//! iterations most points keep their cluster, so [`ClusterSums::place`] moves only those that
//! changed from one sum to the other. In the benchmark's fit (200,000 × 16 points, 8 clusters,
//! 30 iterations) 30,075 points (15 %) changed cluster in the second iteration, and 2,166 to
//! 15,917 (1–8 %) in each later one. A point is placed as the assignment step finds its
//! nearest centre ([`super::grouped::for_each_nearest`]), from the group of points it has just
//! read. A pass of its own would read every label again and fetch the moved points' rows from
//! memory; measured natively with perf, such a pass took 22 % of an iteration. The sums are in
//! f64, so a move rounds them by about 1e-16 of their size, far below the f32 centres they give.

use ndarray::{Array2, ArrayView2};

use super::grouped::GroupedPoints;

/// The label of a point not yet counted in any cluster.
const UNCOUNTED: usize = usize::MAX;

/// Each cluster's f64 sum of its points' features, of their squares, and its count of points.
pub(super) struct ClusterSums {
    /// Shape (k, n_features).
    sums: Array2<f64>,
    /// Each cluster's sum of its points' squared norms.
    squares: Vec<f64>,
    counts: Vec<usize>,
    /// The cluster each point is counted in, [`UNCOUNTED`] before it is placed.
    labels: Vec<usize>,
}

impl ClusterSums {
    /// The sums of `k` empty clusters, for `points` points of `n_features` features none of
    /// which is counted yet.
    pub(super) fn new(k: usize, n_features: usize, points: usize) -> Self {
        Self {
            sums: Array2::zeros((k, n_features)),
            squares: vec![0.0; k],
            counts: vec![0; k],
            labels: vec![UNCOUNTED; points],
        }
    }

    /// Counts point `index` in cluster `label`, taking it out of the cluster it was counted in
    /// if that is another; `feature(f)` is its feature `f`. Placing every point in order, each
    /// iteration, gives the same sums to the bit as moving them in a pass of its own would.
    #[inline]
    pub(super) fn place(&mut self, index: usize, label: usize, feature: impl Fn(usize) -> f32) {
        let kept = self.labels[index];
        if kept == label {
            return;
        }
        let n_features = self.sums.ncols();
        let sums = self.sums.as_slice_mut().expect("a new array is contiguous");
        let square: f64 = (0..n_features).map(|f| f64::from(feature(f)).powi(2)).sum();
        if kept != UNCOUNTED {
            self.counts[kept] -= 1;
            self.squares[kept] -= square;
            for (f, sum) in sums[kept * n_features..][..n_features]
                .iter_mut()
                .enumerate()
            {
                *sum -= f64::from(feature(f));
            }
        }
        self.counts[label] += 1;
        self.squares[label] += square;
        for (f, sum) in sums[label * n_features..][..n_features]
            .iter_mut()
            .enumerate()
        {
            *sum += f64::from(feature(f));
        }
        self.labels[index] = label;
    }

    /// The sum of squared distances from each point to the centre of its cluster, `centroids`
    /// (shape (k, n_features)), from the clusters' sums alone: `Σ|x|² - 2 c·Σx + n|c|²`. The
    /// subtraction cancels, so rounding in f64 errs by about 1e-16 of `Σ|x|²`: on data centred
    /// near the origin, as the studio's standardized features are, far less than the rounding of
    /// each point's distance in f32.
    pub(super) fn inertia(&self, centroids: ArrayView2<f32>) -> f64 {
        let mut inertia = 0.0;
        for (((centre, sum), &square), &count) in centroids
            .rows()
            .into_iter()
            .zip(self.sums.rows())
            .zip(&self.squares)
            .zip(&self.counts)
        {
            let (mut cross, mut norm) = (0.0, 0.0);
            for (&c, &s) in centre.iter().zip(sum) {
                let c = f64::from(c);
                cross += c * s;
                norm += c * c;
            }
            inertia += square - 2.0 * cross + count as f64 * norm;
        }
        inertia.max(0.0)
    }

    /// Whether a cluster holds no point.
    pub(super) fn has_empty_cluster(&self) -> bool {
        self.counts.contains(&0)
    }

    /// Moves each centre (shape (k, n_features)) to the mean of its points, and each empty
    /// cluster's centre to the point worst served (by `distances`), which then counts as served.
    pub(super) fn move_centres(
        &self,
        points: &GroupedPoints<'_>,
        distances: &[f64],
        centroids: &mut Array2<f32>,
    ) {
        assert_eq!(
            centroids.dim(),
            self.sums.dim(),
            "centres and points have different shapes"
        );
        for ((mut centre, sum), &count) in centroids
            .rows_mut()
            .into_iter()
            .zip(self.sums.rows())
            .zip(&self.counts)
        {
            if count > 0 {
                centre
                    .iter_mut()
                    .zip(sum)
                    .for_each(|(c, s)| *c = (s / count as f64) as f32);
            }
        }
        if self.counts.iter().all(|&count| count > 0) {
            return;
        }
        let mut served = distances.to_vec();
        for cluster in (0..self.counts.len()).filter(|&cluster| self.counts[cluster] == 0) {
            let worst = (0..served.len())
                .max_by(|&a, &b| served[a].total_cmp(&served[b]))
                .unwrap_or(0);
            centroids.row_mut(cluster).assign(&points.row(worst));
            served[worst] = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use proptest::prelude::*;

    /// The sums of `labels`, each point placed once into fresh sums.
    fn placed(points: &GroupedPoints<'_>, labels: &[usize], k: usize) -> ClusterSums {
        let mut sums = ClusterSums::new(k, points.n_features(), points.len());
        for (index, &label) in labels.iter().enumerate() {
            sums.place(index, label, |f| points.row(index)[f]);
        }
        sums
    }

    #[test]
    fn an_empty_cluster_takes_the_worst_served_point() {
        let rows = array![[0.0f32], [1.0], [9.0]];
        let points = GroupedPoints::new(rows.view());
        let mut centroids = array![[0.0f32], [100.0]];
        let sums = placed(&points, &[0, 0, 0], 2);
        assert!(sums.has_empty_cluster());
        sums.move_centres(&points, &[0.0, 1.0, 81.0], &mut centroids);
        assert_eq!(centroids, array![[10.0f32 / 3.0], [9.0]]);
    }

    /// Points of 3 features and several successive labellings of them into 4 clusters.
    fn points_and_labellings() -> impl Strategy<Value = (Array2<f32>, Vec<Vec<usize>>)> {
        (1usize..40).prop_flat_map(|n| {
            let points = prop::collection::vec(-1e3f32..1e3, n * 3)
                .prop_map(move |values| Array2::from_shape_vec((n, 3), values).unwrap());
            let labels = prop::collection::vec(prop::collection::vec(0usize..4, n), 2..6);
            (points, labels)
        })
    }

    proptest! {
        #[test]
        fn placing_points_again_gives_the_sums_made_afresh(
            (rows, labellings) in points_and_labellings(),
        ) {
            let points = GroupedPoints::new(rows.view());
            let mut followed = placed(&points, &labellings[0], 4);
            for labels in &labellings[1..] {
                for (index, &label) in labels.iter().enumerate() {
                    followed.place(index, label, |f| rows[(index, f)]);
                }
                let afresh = placed(&points, labels, 4);
                prop_assert_eq!(&followed.counts, &afresh.counts);
                prop_assert_eq!(&followed.labels, &afresh.labels);
                for (a, b) in followed.sums.iter().zip(&afresh.sums) {
                    prop_assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "{} against {}", a, b);
                }
            }
        }
    }
}
