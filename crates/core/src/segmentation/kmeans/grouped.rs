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
//! Lloyd iterations find each point's nearest centre from the expansion `|x|² - 2 x·c + |c|²`:
//! with `|x|²` computed once per fit and `|c|²` once per iteration, that costs two lane
//! operations per point, centre and feature (a multiply and an add) where the distance itself
//! costs three (a subtract too). It rounds otherwise, though, and a point nearly as close to
//! two centres could so change cluster. Each point's nearest centre is therefore checked: in
//! f32 with unit roundoff `u` (2^-24), each expanded distance of `n` features is within
//! `2(n + 3)u (|x|² + |c|²)` of the true one, and the distance summed gap by gap within
//! `(n + 3)u` of itself. When the two nearest expanded distances of every point of a group are
//! further apart than `8(n + 3)u (|x|² + |c|²)`, with the largest centre's `|c|²`, the true
//! nearest centre is nearer than any other by more than both sums' rounding, and summing the
//! gaps would have picked it too (the check allows twice that margin). Otherwise (a tie, or
//! nearly, or a distance too large for f32) the group's distances are summed gap by gap: on the
//! benchmark's uniform points, 7 groups in a thousand. The labels, the cluster sums and the
//! centres are so the same to the bit as the straightforward formula's; [`Assignment::of`],
//! which also gives each point's distance, always sums the gaps.
//!
//! With few features the expansion's costs per centre outweigh what it saves per feature, so
//! it is used from [`PRODUCTS_FROM_FEATURES`] features up, and only where the lanes run in SIMD
//! registers ([`LANES_IN_SIMD`]); the studio's five customer features are compared by summed
//! gaps. On the benchmark's 16 features and 8 centres, a Lloyd iteration took 0.87 times as
//! long as with summed gaps natively and 0.74 times in Chromium (side by side, `cargo bench -p
//! aisle-core --features workloads --bench kernels -- lloyd` and the kernels' simd128 wasm
//! build of `scripts/bench`).

use ndarray::{ArrayView1, ArrayView2, CowArray, Ix2};

/// Points per group, one lane each: two 4-lane SIMD vectors of f32.
const GROUP: usize = 8;

/// Centres compared with a group at once. Their 4 × 2 accumulators, the group's feature and a
/// centre's value fit in the 16 vector registers of x86-64 and of wasm engines; 8 centres at
/// once spill, and measured two to three times as slow.
const CENTRES_AT_ONCE: usize = 4;

/// Features from which [`for_each_nearest`] uses the expansion (with more centres than one
/// block holds). Below, its costs per centre (the expansion itself, the two nearest kept for
/// the check) outweigh the subtraction it saves per feature: natively, on 200,000 uniform
/// points and 8 centres, it took 1.25 times as long as summed gaps with 5 features, 1.01 with
/// 10, 0.97 with 12, 0.90 with 16; with 3 centres and 12 features, 1.10.
const PRODUCTS_FROM_FEATURES: usize = 12;

/// Whether the lanes run in SIMD registers: natively, or in wasm built with simd128. In wasm
/// without it, the check's selects run lane by lane and the expansion took 1.9 times as long as
/// summed gaps on the benchmark's fit (`scripts/bench`'s scalar build, side by side).
const LANES_IN_SIMD: bool = !cfg!(target_arch = "wasm32") || cfg!(target_feature = "simd128");

/// Whether points of `n_features` features may be compared through the expansion: from
/// [`PRODUCTS_FROM_FEATURES`] up, where the lanes run in SIMD registers.
fn may_expand(n_features: usize) -> bool {
    LANES_IN_SIMD && n_features >= PRODUCTS_FROM_FEATURES
}

/// Margin of [`Nearest::by_products`] per feature (plus three), in multiples of `|x|² + |c|²`:
/// sixteen times f32's unit roundoff (2^-24), twice the eight the module docs derive.
const SLACK_PER_FEATURE: f32 = 16.0 * f32::EPSILON / 2.0;

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
    /// Group `g`'s squared norms `|x|²`, summed in f32 feature by feature; only where the
    /// expansion may be used ([`may_expand`]), empty otherwise.
    norms: Vec<[f32; GROUP]>,
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
        let norms = if may_expand(n_features) {
            groups
                .chunks_exact(n_features.max(1))
                .map(|group| {
                    let mut norms = [0.0f32; GROUP];
                    for values in group {
                        for lane in 0..GROUP {
                            norms[lane] += values[lane] * values[lane];
                        }
                    }
                    norms
                })
                .collect()
        } else {
            Vec::new()
        };
        Self {
            len,
            n_features,
            groups,
            norms,
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
        let centres = CentreBlocks::new(centroids, FAR_AWAY);
        let mut labels = Vec::with_capacity(points.len);
        let mut distances = Vec::with_capacity(points.len);
        for (group_index, group) in points.groups().enumerate() {
            let nearest = Nearest::exactly(group, &centres);
            let used = (points.len - group_index * GROUP).min(GROUP);
            labels.extend(nearest.centres[..used].iter().map(|&c| c as usize));
            distances.extend(nearest.least[..used].iter().map(|&d| f64::from(d)));
        }
        Self { labels, distances }
    }

    pub(super) fn inertia(&self) -> f64 {
        self.distances.iter().sum()
    }
}

/// The centres as the kernels read them: in blocks of [`CENTRES_AT_ONCE`], feature by feature,
/// as the groups are. Each value is broadcast to the lanes as a group reads it: stored broadcast
/// instead (a value per lane), the iteration ran 1.2 times as fast natively but 1.04 times as
/// slow in V8.
struct CentreBlocks {
    /// Block `b`'s feature `f` at `b * n_features + f`; the last block's unused centres hold
    /// the padding value.
    blocks: Vec<[f32; CENTRES_AT_ONCE]>,
    /// Each block's squared norms `|c|²`, infinite for the padding.
    norms: Vec<[f32; CENTRES_AT_ONCE]>,
    /// The largest squared norm of a centre.
    largest_norm: f32,
    n_features: usize,
}

impl CentreBlocks {
    /// `centroids` has shape (k, n_features). The padding centres of the last block take the
    /// value `padding` in every feature.
    fn new(centroids: ArrayView2<f32>, padding: f32) -> Self {
        let (k, n_features) = centroids.dim();
        let mut blocks = vec![[padding; CENTRES_AT_ONCE]; k.div_ceil(CENTRES_AT_ONCE) * n_features];
        let mut norms = vec![[f32::INFINITY; CENTRES_AT_ONCE]; k.div_ceil(CENTRES_AT_ONCE)];
        for (centre, values) in centroids.rows().into_iter().enumerate() {
            let (block, offset) = (centre / CENTRES_AT_ONCE, centre % CENTRES_AT_ONCE);
            for (feature, &value) in values.iter().enumerate() {
                blocks[block * n_features + feature][offset] = value;
            }
            norms[block][offset] = values.iter().fold(0.0, |sum, &value| sum + value * value);
        }
        let largest_norm = norms
            .iter()
            .flatten()
            .filter(|norm| norm.is_finite())
            .fold(0.0f32, |largest, &norm| largest.max(norm));
        Self {
            blocks,
            norms,
            largest_norm,
            n_features,
        }
    }

    /// The blocks in order, each as its `n_features` features.
    fn blocks(&self) -> std::slice::ChunksExact<'_, [f32; CENTRES_AT_ONCE]> {
        self.blocks.chunks_exact(self.n_features.max(1))
    }
}

/// The nearest centre of each point of a group (the first of equally near ones) and its
/// squared distance, a lane per point, as the centres' blocks are taken in.
struct Nearest {
    centres: [u32; GROUP],
    least: [f32; GROUP],
}

impl Nearest {
    fn new() -> Self {
        Self {
            centres: [0; GROUP],
            least: [f32::INFINITY; GROUP],
        }
    }

    /// Takes in block `block_index`'s distances, a lane per point.
    #[inline(always)]
    fn take(&mut self, block_index: usize, distances: &[[f32; GROUP]; CENTRES_AT_ONCE]) {
        let Self { centres, least } = self;
        for (offset, distance) in distances.iter().enumerate() {
            let centre = (block_index * CENTRES_AT_ONCE + offset) as u32;
            // Selects rather than branches, so the compiler keeps this in lanes.
            for lane in 0..GROUP {
                let closer = distance[lane] < least[lane];
                least[lane] = if closer { distance[lane] } else { least[lane] };
                centres[lane] = if closer { centre } else { centres[lane] };
            }
        }
    }

    /// The nearest centres of a group's points (its `n_features` feature lanes, see
    /// [`GroupedPoints`]), with their distances summed gap by gap.
    #[inline]
    fn exactly(group: &[[f32; GROUP]], centres: &CentreBlocks) -> Self {
        let mut nearest = Self::new();
        for (block_index, block) in centres.blocks().enumerate() {
            let mut sums = [[0.0f32; GROUP]; CENTRES_AT_ONCE];
            for (values, centre_values) in group.iter().zip(block) {
                for (sum, centre_value) in sums.iter_mut().zip(centre_values) {
                    for lane in 0..GROUP {
                        let gap = values[lane] - *centre_value;
                        sum[lane] += gap * gap;
                    }
                }
            }
            nearest.take(block_index, &sums);
        }
        nearest
    }

    /// The nearest centres of a group's points, found from `|x|² - 2 x·c + |c|²`, or `None`
    /// when a point's two nearest centres are too close to tell apart that way (see the module
    /// docs). `norms` are the points' `|x|²`; `centres` are padded with zeros.
    #[inline]
    fn by_products(
        group: &[[f32; GROUP]],
        norms: &[f32; GROUP],
        centres: &CentreBlocks,
    ) -> Option<[u32; GROUP]> {
        let mut nearest = Self::new();
        let mut second = [f32::INFINITY; GROUP];
        for (block_index, block) in centres.blocks().enumerate() {
            let mut products = [[0.0f32; GROUP]; CENTRES_AT_ONCE];
            for (values, centre_values) in group.iter().zip(block) {
                for (product, centre_value) in products.iter_mut().zip(centre_values) {
                    for lane in 0..GROUP {
                        product[lane] += values[lane] * *centre_value;
                    }
                }
            }
            for (product, centre_norm) in products.iter_mut().zip(&centres.norms[block_index]) {
                for lane in 0..GROUP {
                    product[lane] = norms[lane] + *centre_norm - 2.0 * product[lane];
                }
            }
            // The block's two least distances, then the two least so far. Taken block by block
            // rather than centre by centre: keeping the next nearest up to date with each
            // centre held more values than the registers do, and the kernel spilled.
            let mut block_least = products[0];
            let mut block_second = [f32::INFINITY; GROUP];
            for product in &products[1..] {
                for lane in 0..GROUP {
                    block_second[lane] = lesser(
                        block_second[lane],
                        greater(block_least[lane], product[lane]),
                    );
                    block_least[lane] = lesser(block_least[lane], product[lane]);
                }
            }
            for lane in 0..GROUP {
                second[lane] = lesser(
                    lesser(second[lane], block_second[lane]),
                    greater(nearest.least[lane], block_least[lane]),
                );
            }
            nearest.take(block_index, &products);
        }
        let slack = SLACK_PER_FEATURE * (centres.n_features as f32 + 3.0);
        // Written so that a NaN (from distances past f32's range) counts as unclear.
        let mut clear = true;
        for lane in 0..GROUP {
            clear &=
                second[lane] - nearest.least[lane] > slack * (norms[lane] + centres.largest_norm);
        }
        clear.then_some(nearest.centres)
    }
}

/// The lesser of two distances, as a select the compiler keeps in lanes.
#[inline(always)]
fn lesser(a: f32, b: f32) -> f32 {
    if b < a { b } else { a }
}

/// The greater of two distances, as a select the compiler keeps in lanes.
#[inline(always)]
fn greater(a: f32, b: f32) -> f32 {
    if a < b { b } else { a }
}

/// One group's points with their nearest centres, as [`for_each_nearest`] finds them.
pub(super) struct NearestInGroup<'g> {
    /// The index of the group's first point.
    pub(super) first: usize,
    /// The group's features, each a lane per point.
    features: &'g [[f32; GROUP]],
    centres: [u32; GROUP],
    /// Points in the group: [`GROUP`] but in the last group.
    used: usize,
}

impl NearestInGroup<'_> {
    /// Each point's nearest centre.
    pub(super) fn centres(&self) -> &[u32] {
        &self.centres[..self.used]
    }

    /// Feature `feature` of the group's point `lane`.
    pub(super) fn feature(&self, lane: usize, feature: usize) -> f32 {
        self.features[feature][lane]
    }
}

/// Finds every point's nearest centre (the first of equally near ones) and hands them over a
/// group at a time, in the points' order, while the group is still in cache: a Lloyd iteration
/// moves the points that changed cluster from the group itself ([`super::cluster_sums`]),
/// rather than reading every label and those points again in a second pass. `centroids` has
/// shape (k, n_features).
pub(super) fn for_each_nearest(
    points: &GroupedPoints<'_>,
    centroids: ArrayView2<f32>,
    mut visit: impl FnMut(&NearestInGroup<'_>),
) {
    let (k, n_features) = centroids.dim();
    let by_products =
        (may_expand(n_features) && k > CENTRES_AT_ONCE).then(|| CentreBlocks::new(centroids, 0.0));
    let exactly = CentreBlocks::new(centroids, FAR_AWAY);
    for (group_index, group) in points.groups().enumerate() {
        let centres = by_products
            .as_ref()
            .and_then(|centres| Nearest::by_products(group, &points.norms[group_index], centres))
            .unwrap_or_else(|| Nearest::exactly(group, &exactly).centres);
        let first = group_index * GROUP;
        visit(&NearestInGroup {
            first,
            features: group,
            centres,
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

    /// Every point's nearest centre as [`for_each_nearest`] hands it over.
    fn nearest_centres(points: ArrayView2<f32>, centroids: ArrayView2<f32>) -> Vec<usize> {
        let mut labels = Vec::new();
        for_each_nearest(&GroupedPoints::new(points), centroids, |group| {
            labels.extend(group.centres().iter().map(|&centre| centre as usize));
        });
        labels
    }

    proptest! {
        #[test]
        fn nearest_centres_equal_the_straightforward_ones_even_at_ties(
            n in 0usize..40,
            k in 1usize..11,
            n_features in prop_oneof![1usize..7, PRODUCTS_FROM_FEATURES..20],
            seed in any::<u64>(),
        ) {
            let (points, centroids) = points_and_centres(n, k, n_features, seed);
            let (labels, _) = straightforward(points.view(), centroids.view());
            prop_assert_eq!(nearest_centres(points.view(), centroids.view()), labels);
        }

        #[test]
        fn nearest_centres_equal_the_straightforward_ones_far_from_the_origin(
            n in 1usize..200,
            k in 1usize..11,
            offset in -1e4f32..1e4,
            seed in any::<u64>(),
        ) {
            use rand::{Rng, SeedableRng};
            let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed);
            let mut value = || offset + rng.random::<f32>();
            let points = Array2::from_shape_simple_fn((n, 16), &mut value);
            let centroids = Array2::from_shape_simple_fn((k, 16), &mut value);
            let (labels, _) = straightforward(points.view(), centroids.view());
            prop_assert_eq!(nearest_centres(points.view(), centroids.view()), labels);
        }
    }

    #[test]
    fn only_near_ties_are_summed_gap_by_gap() {
        // A group of eight points on a line; centres at 0 and 10.
        let centres = CentreBlocks::new(array![[0.0f32], [10.0]].view(), 0.0);
        let rows = array![[1.0f32], [2.0], [3.0], [4.0], [6.0], [7.0], [8.0], [9.0]];
        let clear = GroupedPoints::new(rows.view());
        // One feature: each point's |x|² is its value squared.
        let norms = |points: &GroupedPoints<'_>| points.groups[0].map(|value| value * value);
        assert_eq!(
            Nearest::by_products(&clear.groups[..1], &norms(&clear), &centres),
            Some([0, 0, 0, 0, 1, 1, 1, 1])
        );
        // 5 is as near to both; 5.00001 nearer to 10, by less than the margin (about 5e-4 in
        // squared distance here).
        for tie in [5.0f32, 5.00001] {
            let rows = array![[1.0f32], [2.0], [3.0], [4.0], [tie], [7.0], [8.0], [9.0]];
            let unclear = GroupedPoints::new(rows.view());
            assert_eq!(
                Nearest::by_products(&unclear.groups[..1], &norms(&unclear), &centres),
                None
            );
        }
    }

    #[test]
    fn distances_past_the_range_of_f32_are_summed_gap_by_gap() {
        // |x|² overflows, the gaps do not.
        let points = Array2::from_shape_fn((9, 16), |(row, _)| 1e19f32 * (1.0 + row as f32 / 1e3));
        let centroids =
            Array2::from_shape_fn((6, 16), |(row, _)| 1e19f32 * (1.0 + row as f32 / 6e2));
        let (labels, _) = straightforward(points.view(), centroids.view());
        assert!(labels.iter().any(|&label| label > 0));
        assert_eq!(nearest_centres(points.view(), centroids.view()), labels);
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
