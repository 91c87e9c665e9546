//! The layout Lloyd iterations read, and their assignment step on it.
//!
//! The assignment step compares every point with every centre, so its memory layout decides
//! the speed of k-means. [`GroupedPoints`] regroups the points [`GROUP`] at a time, feature by
//! feature: one feature of a whole group is one contiguous `[f32; GROUP]`, which the compiler
//! keeps in SIMD registers (SSE natively, simd128 in wasm). Each point so has a lane of its own.
//! Its distances to a few centres at once grow in separate registers, and its nearest centre is
//! picked lane by lane with compares and selects: no horizontal sums and no branches.
//!
//! Row by row, with the centres in lanes instead, each point's distances would be one chain of
//! dependent adds and its nearest centre a chain of compares, one point after another: about
//! twice the assignment's time in V8 and 1.6 times natively, on 200,000 × 16 points and 8
//! centres. The regrouping is one pass over the points, made once per fit.
//!
//! Distances are summed feature by feature, in the same order as a plain loop over a row, so
//! the results are the same to the bit as the straightforward formula's. That costs three lane
//! operations per point, centre and feature (subtract, multiply, add), which bound the
//! assignment's speed: the expansion `|x|² - 2 x·c + |c|²` needs two (a multiply and an add,
//! with `|x|²` and `|c|²` computed once), but rounds otherwise, so a point nearly as close to
//! two centres may change cluster.

use ndarray::{ArrayView1, ArrayView2, CowArray, Ix2};

/// Points per group, one lane each: two 4-lane SIMD vectors of f32.
const GROUP: usize = 8;

/// Centres compared with a group at once. Their 4 × 2 accumulators, the group's feature and a
/// centre's value fit in the 16 vector registers of x86-64 and of wasm engines; 8 centres at
/// once spill, and measured two to three times as slow.
const CENTRES_AT_ONCE: usize = 4;

/// Value of the padding centres that fill the last block: far enough never to be nearest, near
/// enough that their squared gaps stay finite.
const FAR_AWAY: f32 = 1e18;

/// Points regrouped for Lloyd iterations (see the module docs), and the rows themselves, from
/// which a point moves to a centre left without points. Build once per data set, then run any
/// number of iterations on it.
///
/// ```
/// use aisle_core::segmentation::kmeans::GroupedPoints;
/// use ndarray::array;
/// let rows = array![[1.0f32, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let points = GroupedPoints::new(rows.view());
/// assert_eq!((points.len(), points.n_features()), (3, 2));
/// assert_eq!(points.row(1), array![3.0, 4.0]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedPoints<'a> {
    len: usize,
    n_features: usize,
    /// Group `g`'s feature `f` at `g * n_features + f`. The last group's unused lanes hold 0.
    groups: Vec<[f32; GROUP]>,
    /// The points row by row, borrowed when they already are laid out so.
    rows: CowArray<'a, f32, Ix2>,
}

impl<'a> GroupedPoints<'a> {
    /// Regroups `points` (shape (n, n_features)), whatever their memory layout.
    pub fn new(points: ArrayView2<'a, f32>) -> Self {
        let (len, n_features) = points.dim();
        let mut groups = vec![[0.0; GROUP]; len.div_ceil(GROUP) * n_features];
        for (index, point) in points.rows().into_iter().enumerate() {
            let group = &mut groups[index / GROUP * n_features..][..n_features];
            for (feature, &value) in group.iter_mut().zip(point) {
                feature[index % GROUP] = value;
            }
        }
        Self {
            len,
            n_features,
            groups,
            rows: if points.is_standard_layout() {
                points.into()
            } else {
                points.as_standard_layout().into_owned().into()
            },
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Features per point.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The features of point `index` (which must be below [`GroupedPoints::len`]).
    pub fn row(&self, index: usize) -> ArrayView1<'_, f32> {
        self.rows.row(index)
    }

    /// The groups in order, each as its `n_features` features.
    fn groups(&self) -> std::slice::ChunksExact<'_, [f32; GROUP]> {
        self.groups.chunks_exact(self.n_features.max(1))
    }
}

/// Nearest-centre labels and squared distances of every point.
pub(super) struct Assignment {
    pub(super) labels: Vec<usize>,
    pub(super) distances: Vec<f64>,
}

impl Assignment {
    /// Every point's nearest centre (the first of equally near ones) and squared distance to
    /// it. `centroids` has shape (k, n_features).
    pub(super) fn of(points: &GroupedPoints<'_>, centroids: ArrayView2<f32>) -> Self {
        let mut labels = Vec::with_capacity(points.len);
        let mut distances = Vec::with_capacity(points.len);
        for_each_nearest(points, centroids, |nearest| {
            labels.extend(nearest.centres().iter().map(|&centre| centre as usize));
            distances.extend(nearest.distances().iter().map(|&d| f64::from(d)));
        });
        Self { labels, distances }
    }

    pub(super) fn inertia(&self) -> f64 {
        self.distances.iter().sum()
    }
}

/// One group's points with their nearest centres, as [`for_each_nearest`] finds them.
pub(super) struct NearestInGroup<'g> {
    /// The index of the group's first point.
    pub(super) first: usize,
    /// The group's features, each a lane per point.
    features: &'g [[f32; GROUP]],
    nearest: [u32; GROUP],
    least: [f32; GROUP],
    /// Points in the group: [`GROUP`] but in the last group.
    used: usize,
}

impl NearestInGroup<'_> {
    /// Each point's nearest centre.
    pub(super) fn centres(&self) -> &[u32] {
        &self.nearest[..self.used]
    }

    /// Each point's squared distance to its nearest centre.
    pub(super) fn distances(&self) -> &[f32] {
        &self.least[..self.used]
    }

    /// Feature `feature` of the group's point `lane`.
    pub(super) fn feature(&self, lane: usize, feature: usize) -> f32 {
        self.features[feature][lane]
    }
}

/// Finds every point's nearest centre (the first of equally near ones) and squared distance to
/// it, and hands them over a group at a time, in the points' order, while the group is still in
/// cache: a Lloyd iteration moves the points that changed cluster from the group itself
/// ([`super::cluster_sums`]), rather than reading every label and those points again in a second
/// pass. `centroids` has shape (k, n_features).
pub(super) fn for_each_nearest(
    points: &GroupedPoints<'_>,
    centroids: ArrayView2<f32>,
    mut visit: impl FnMut(&NearestInGroup<'_>),
) {
    let (k, n_features) = centroids.dim();
    // The centres in blocks of CENTRES_AT_ONCE, feature by feature, as the groups are. Each
    // value is broadcast to the lanes as a group reads it: stored broadcast instead (a value per
    // lane), the iteration ran 1.2 times as fast natively but 1.04 times as slow in V8.
    let mut blocks = vec![[FAR_AWAY; CENTRES_AT_ONCE]; k.div_ceil(CENTRES_AT_ONCE) * n_features];
    for ((centre, feature), &value) in centroids.indexed_iter() {
        blocks[centre / CENTRES_AT_ONCE * n_features + feature][centre % CENTRES_AT_ONCE] = value;
    }
    for (group_index, group) in points.groups().enumerate() {
        let mut nearest = [0u32; GROUP];
        let mut least = [f32::INFINITY; GROUP];
        for (block_index, block) in blocks.chunks_exact(n_features.max(1)).enumerate() {
            let mut sums = [[0.0f32; GROUP]; CENTRES_AT_ONCE];
            for (values, centre_values) in group.iter().zip(block) {
                for (sum, centre_value) in sums.iter_mut().zip(centre_values) {
                    for lane in 0..GROUP {
                        let gap = values[lane] - *centre_value;
                        sum[lane] += gap * gap;
                    }
                }
            }
            for (offset, sum) in sums.iter().enumerate() {
                let centre = (block_index * CENTRES_AT_ONCE + offset) as u32;
                for lane in 0..GROUP {
                    // Selects rather than a branch, so the compiler keeps this in lanes.
                    let closer = sum[lane] < least[lane];
                    least[lane] = if closer { sum[lane] } else { least[lane] };
                    nearest[lane] = if closer { centre } else { nearest[lane] };
                }
            }
        }
        let first = group_index * GROUP;
        visit(&NearestInGroup {
            first,
            features: group,
            nearest,
            least,
            used: (points.len - first).min(GROUP),
        });
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use ndarray::{Array2, array};
    use proptest::prelude::*;

    /// The textbook assignment, one point and one centre at a time.
    pub(in crate::segmentation::kmeans) fn straightforward(
        points: ArrayView2<f32>,
        centroids: ArrayView2<f32>,
    ) -> (Vec<usize>, Vec<f64>) {
        points
            .rows()
            .into_iter()
            .map(|point| {
                let mut best = (0, f32::INFINITY);
                for (centre, values) in centroids.rows().into_iter().enumerate() {
                    let distance = point
                        .iter()
                        .zip(values)
                        .fold(0.0f32, |sum, (x, c)| sum + (x - c) * (x - c));
                    if distance < best.1 {
                        best = (centre, distance);
                    }
                }
                (best.0, f64::from(best.1))
            })
            .unzip()
    }

    /// `n` points and `k` centres of `n_features` features, drawn from few distinct values, so
    /// that ties between centres, and clusters left empty, happen.
    pub(in crate::segmentation::kmeans) fn points_and_centres(
        n: usize,
        k: usize,
        n_features: usize,
        seed: u64,
    ) -> (Array2<f32>, Array2<f32>) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed);
        let mut value = || f32::from(rng.random_range(-3i8..4)) * 0.5;
        let points = Array2::from_shape_simple_fn((n, n_features), &mut value);
        let centres = Array2::from_shape_simple_fn((k, n_features), &mut value);
        (points, centres)
    }

    proptest! {
        #[test]
        fn assignment_equals_the_straightforward_one_to_the_bit(
            n in 0usize..40,
            k in 1usize..11,
            n_features in 1usize..7,
            seed in any::<u64>(),
        ) {
            let (points, centroids) = points_and_centres(n, k, n_features, seed);
            let assignment = Assignment::of(&GroupedPoints::new(points.view()), centroids.view());
            let (labels, distances) = straightforward(points.view(), centroids.view());
            prop_assert_eq!(assignment.labels, labels);
            prop_assert_eq!(assignment.distances, distances);
        }
    }

    #[test]
    fn a_column_major_view_regroups_like_its_standard_copy() {
        let points = array![[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]];
        let transposed = points.t().to_owned();
        assert_eq!(
            GroupedPoints::new(transposed.t()),
            GroupedPoints::new(points.view())
        );
        assert_eq!(
            GroupedPoints::new(transposed.t()).row(1),
            array![4.0f32, 5.0, 6.0]
        );
    }
}
