//! The update step of Lloyd iterations: each cluster's sum and count of points, kept from one
//! iteration to the next.
//!
//! Summing every point again each iteration reads all of them once more. After the first few
//! iterations most points keep their cluster, so [`ClusterSums::follow`] moves only those that
//! changed from one sum to the other. In the benchmark's fit (200,000 × 16 points, 8 clusters,
//! 30 iterations) 30,075 points (15 %) changed cluster in the second iteration, and 2,166 to
//! 15,917 (1–8 %) in each later one. The sums are in f64, so a move rounds them by about 1e-16
//! of their size, far below the f32 centres they give.

use ndarray::Array2;

use super::grouped::GroupedPoints;

/// Each cluster's f64 sum of its points' features and its count of points.
pub(super) struct ClusterSums {
    /// Shape (k, n_features).
    sums: Array2<f64>,
    counts: Vec<usize>,
    /// The cluster each point is counted in.
    labels: Vec<usize>,
}

impl ClusterSums {
    /// The sums of `k` clusters with point `i` in cluster `labels[i]`, point by point in order.
    pub(super) fn of(points: &GroupedPoints<'_>, labels: &[usize], k: usize) -> Self {
        let n_features = points.n_features();
        let mut sums = Array2::<f64>::zeros((k, n_features));
        let mut counts = vec![0usize; k];
        let sums_flat = sums.as_slice_mut().expect("a new array is contiguous");
        // Row by row: a point's features are contiguous there, so they convert and add in SIMD
        // lanes; from the groups they are gathered one by one (36 % of a Lloyd iteration in
        // perf, against 30 % from rows).
        let rows = points.rows();
        let rows = rows.as_slice().expect("standard layout is contiguous");
        for (point, &label) in rows.chunks_exact(n_features.max(1)).zip(labels) {
            counts[label] += 1;
            for (sum, &value) in sums_flat[label * n_features..][..n_features]
                .iter_mut()
                .zip(point)
            {
                *sum += f64::from(value);
            }
        }
        Self {
            sums,
            counts,
            labels: labels.to_vec(),
        }
    }

    /// Brings the sums to the new `labels`, moving only the points whose cluster changed. (A
    /// move costs two adds a feature, so summing afresh would pay only if more than half the
    /// points moved: 15 % is the most seen in the benchmark.)
    pub(super) fn follow(&mut self, points: &GroupedPoints<'_>, labels: &[usize]) {
        let rows = points.rows();
        for (index, (kept, &label)) in self.labels.iter_mut().zip(labels).enumerate() {
            if *kept == label {
                continue;
            }
            self.counts[*kept] -= 1;
            self.counts[label] += 1;
            for (feature, &value) in rows.row(index).iter().enumerate() {
                self.sums[(*kept, feature)] -= f64::from(value);
                self.sums[(label, feature)] += f64::from(value);
            }
            *kept = label;
        }
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

    #[test]
    fn an_empty_cluster_takes_the_worst_served_point() {
        let rows = array![[0.0f32], [1.0], [9.0]];
        let points = GroupedPoints::new(rows.view());
        let mut centroids = array![[0.0f32], [100.0]];
        let sums = ClusterSums::of(&points, &[0, 0, 0], 2);
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
        fn following_new_labels_gives_the_sums_made_afresh(
            (rows, labellings) in points_and_labellings(),
        ) {
            let points = GroupedPoints::new(rows.view());
            let mut followed = ClusterSums::of(&points, &labellings[0], 4);
            for labels in &labellings[1..] {
                followed.follow(&points, labels);
                let afresh = ClusterSums::of(&points, labels, 4);
                prop_assert_eq!(&followed.counts, &afresh.counts);
                prop_assert_eq!(&followed.labels, &afresh.labels);
                for (a, b) in followed.sums.iter().zip(&afresh.sums) {
                    prop_assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "{} against {}", a, b);
                }
            }
        }
    }
}
