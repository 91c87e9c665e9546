//! k-means clustering: seeded k-means++ starts, Lloyd iterations, several restarts.
//!
//! The customer segments of the studio and the storefront come from here. Configuration follows
//! linfa's params pattern: [`KMeans::params`] returns settings, [`KMeansParams::fit`] checks them
//! and the data (every bad value names itself) and returns the fitted model. Every random choice
//! comes from a generator seeded by [`KMeansParams::seed`], so a run reproduces exactly.
//!
//! A fit lays the points out once for its iterations ([`GroupedPoints`], whose module says why
//! that layout), and keeps each cluster's sums from one iteration to the next, so only points
//! that change cluster are summed again.
//!
//! ```
//! use aisle_core::segmentation::kmeans::KMeans;
//! use ndarray::array;
//! let points = array![[0.0f32, 0.0], [0.0, 1.0], [10.0, 10.0], [10.0, 11.0]];
//! let model = KMeans::params(2).seed(7).fit(points.view()).unwrap();
//! let labels = model.predict(points.view());
//! assert_eq!(labels[0], labels[1]);
//! assert_ne!(labels[0], labels[2]);
//! assert!((model.inertia() - 1.0).abs() < 1e-6); // four points, each 0.5 from its centre
//! ```

use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::error::{Error, Result, ensure_at_least_one, ensure_finite, ensure_non_negative};

mod cluster_sums;
mod grouped;

use cluster_sums::ClusterSums;
pub use grouped::GroupedPoints;
use grouped::{Assignment, for_each_nearest};

/// Settings for k-means; check and fit with [`KMeansParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams {
    k: usize,
    n_init: usize,
    max_iterations: usize,
    tolerance: f64,
    seed: u64,
    /// Points per mini-batch; 0 for full Lloyd iterations.
    batch_size: usize,
}

/// A fitted k-means model.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeans {
    /// (k, n_features)
    centroids: Array2<f32>,
    inertia: f64,
    iterations: usize,
    /// Inertia after each assignment step of the kept run, first to last.
    inertia_history: Vec<f64>,
}

impl KMeans {
    /// Settings for `k` clusters, with scikit-learn's defaults: 10 restarts, at most 300
    /// iterations, tolerance 1e-4, seed 0.
    pub fn params(k: usize) -> KMeansParams {
        KMeansParams {
            k,
            n_init: 10,
            max_iterations: 300,
            tolerance: 1e-4,
            seed: 0,
            batch_size: 0,
        }
    }

    /// The cluster centres. Shape (k, n_features).
    pub fn centroids(&self) -> ArrayView2<'_, f32> {
        self.centroids.view()
    }

    /// Sum of squared distances of the training points to their nearest centre.
    pub fn inertia(&self) -> f64 {
        self.inertia
    }

    /// Lloyd iterations the kept run took.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Inertia after each assignment of the kept run; never rises.
    pub fn inertia_history(&self) -> &[f64] {
        &self.inertia_history
    }

    /// The nearest centre of each row of `points` (shape (n, n_features)).
    pub fn predict(&self, points: ArrayView2<f32>) -> Vec<usize> {
        Assignment::of(&GroupedPoints::new(points), self.centroids.view()).labels
    }
}

impl KMeansParams {
    /// Independent restarts; the run with the lowest inertia is kept (at least 1).
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }

    /// Most Lloyd iterations per run (at least 1).
    pub fn max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// A run stops when the centres move less than this, in squared distance summed over
    /// centres, relative to the data's mean feature variance (scikit-learn's convention; >= 0).
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Seed of every random choice.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    fn check(&self, points: ArrayView2<f32>) -> Result<()> {
        ensure_at_least_one("k", self.k)?;
        ensure_at_least_one("n_init", self.n_init)?;
        ensure_at_least_one("max_iterations", self.max_iterations)?;
        ensure_non_negative("tolerance", self.tolerance)?;
        if points.nrows() < self.k {
            return Err(Error::InvalidParameter {
                name: "k",
                reason: format!(
                    "{} clusters need at least {} points, got {}",
                    self.k,
                    self.k,
                    points.nrows()
                ),
            });
        }
        if points.ncols() == 0 {
            return Err(Error::InvalidData {
                reason: "points have no features".into(),
            });
        }
        ensure_finite(points)
    }

    /// Mini-batch k-means (Sculley, 2010) with batches of `batch_size` points, for large n:
    /// each of `max_iterations` steps moves the centres toward a random batch, each centre at
    /// rate 1 / (points it has seen), so a run costs `max_iterations × batch_size × k` distance
    /// computations whatever n is. The inertia is still measured on every point at the end.
    /// 0 (the default) means full Lloyd iterations.
    pub fn mini_batch(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// Clusters `points` (shape (n, n_features)).
    pub fn fit(&self, points: ArrayView2<f32>) -> Result<KMeans> {
        self.check(points)?;
        // k-means++ reads the points row by row and Lloyd iterations group by group: each
        // layout is made once per fit, not per pass.
        let standard = points.as_standard_layout();
        let points = standard.view();
        let grouped = GroupedPoints::new(points);
        let mut rng = Pcg64Mcg::seed_from_u64(self.seed);
        let threshold = self.tolerance * mean_variance(points);
        let mut best: Option<KMeans> = None;
        for _ in 0..self.n_init {
            let start = kmeans_plus_plus(points, self.k, &mut rng);
            let run = match self.batch_size {
                0 => lloyd(&grouped, start, self.max_iterations, threshold),
                batch_size => mini_batch(
                    points,
                    &grouped,
                    start,
                    self.max_iterations,
                    batch_size,
                    &mut rng,
                ),
            };
            if best.as_ref().is_none_or(|kept| run.inertia < kept.inertia) {
                best = Some(run);
            }
        }
        Ok(best.expect("n_init >= 1 was checked"))
    }
}

/// Lanes of independent partial sums: the compiler turns them into SIMD registers (SSE/AVX
/// natively, simd128 in wasm), which one running sum would forbid.
const LANES: usize = 8;

/// Squared Euclidean distance of two equally long slices, the k-means hot loop.
fn squared_distance_slices(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; LANES];
    let (a_chunks, b_chunks) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| (x - y) * (x - y))
        .sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for lane in 0..LANES {
            let d = x[lane] - y[lane];
            lanes[lane] += d * d;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

fn squared_distance(a: ArrayView1<f32>, b: ArrayView1<f32>) -> f64 {
    match (a.as_slice(), b.as_slice()) {
        (Some(a), Some(b)) => f64::from(squared_distance_slices(a, b)),
        _ => a.iter().zip(b).map(|(x, y)| f64::from(x - y).powi(2)).sum(),
    }
}

/// Mean over features of each feature's variance.
fn mean_variance(points: ArrayView2<f32>) -> f64 {
    let n = points.nrows() as f64;
    let variances = points.axis_iter(Axis(1)).map(|column| {
        let mean = column.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        column
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            / n
    });
    variances.sum::<f64>() / points.ncols() as f64
}

/// k-means++: the first centre uniformly, each next one with probability proportional to its
/// squared distance from the nearest centre chosen so far.
fn kmeans_plus_plus(points: ArrayView2<f32>, k: usize, rng: &mut impl Rng) -> Array2<f32> {
    let n = points.nrows();
    let mut centroids = Array2::<f32>::zeros((k, points.ncols()));
    centroids
        .row_mut(0)
        .assign(&points.row(rng.random_range(0..n)));
    let mut distances: Vec<f64> = points
        .rows()
        .into_iter()
        .map(|p| squared_distance(p, centroids.row(0)))
        .collect();
    for chosen in 1..k {
        let total: f64 = distances.iter().sum();
        let pick = if total > 0.0 {
            let mut target = rng.random::<f64>() * total;
            distances
                .iter()
                .position(|&d| {
                    target -= d;
                    target < 0.0
                })
                .unwrap_or(n - 1)
        } else {
            // Every point sits on a centre already: duplicates; any point will do.
            rng.random_range(0..n)
        };
        centroids.row_mut(chosen).assign(&points.row(pick));
        for (distance, point) in distances.iter_mut().zip(points.rows()) {
            *distance = distance.min(squared_distance(point, centroids.row(chosen)));
        }
    }
    centroids
}

/// One Lloyd iteration: assigns every point to its nearest centre, then moves each centre
/// (shape (k, n_features)) to the mean of its points. Returns the inertia of the assignment,
/// that is, before the move. A centre left without points takes the point worst served by its
/// centre, which then costs nothing, so inertia can only fall and every cluster stays in use.
///
/// ```
/// use aisle_core::segmentation::kmeans::{GroupedPoints, lloyd_iteration};
/// use ndarray::array;
/// let rows = array![[0.0f32], [2.0], [10.0]];
/// let points = GroupedPoints::new(rows.view());
/// let mut centroids = array![[0.0f32], [10.0]];
/// assert_eq!(lloyd_iteration(&points, &mut centroids), 4.0); // 0 + 2² + 0
/// assert_eq!(centroids, array![[1.0f32], [10.0]]);
/// ```
pub fn lloyd_iteration(points: &GroupedPoints<'_>, centroids: &mut Array2<f32>) -> f64 {
    Iterations::new(points, centroids.dim().0).step(centroids)
}

/// What Lloyd iterations keep from one to the next: each cluster's sums, so only the points
/// that change cluster are summed again.
struct Iterations<'p, 'a> {
    points: &'p GroupedPoints<'a>,
    sums: ClusterSums,
}

impl<'p, 'a> Iterations<'p, 'a> {
    fn new(points: &'p GroupedPoints<'a>, k: usize) -> Self {
        Self {
            points,
            sums: ClusterSums::new(k, points.n_features(), points.len()),
        }
    }

    /// Assigns every point to its nearest centre of `centroids` (shape (k, n_features)) and
    /// returns the inertia of the assignment, from the cluster sums ([`ClusterSums::inertia`]):
    /// the assignment finds the nearest centres without each one's exact distance.
    fn assign(&mut self, centroids: ArrayView2<f32>) -> f64 {
        for_each_nearest(self.points, centroids, |group| {
            for (lane, &centre) in group.centres().iter().enumerate() {
                self.sums.place(group.first + lane, centre as usize, |f| {
                    group.feature(lane, f)
                });
            }
        });
        self.sums.inertia(centroids)
    }

    /// One iteration (see [`lloyd_iteration`]): an assignment, then the centres' move.
    fn step(&mut self, centroids: &mut Array2<f32>) -> f64 {
        let inertia = self.assign(centroids.view());
        // Only an emptied cluster needs each point's distance (to take the worst served): rare
        // enough to pay a full assignment for.
        let distances = if self.sums.has_empty_cluster() {
            Assignment::of(self.points, centroids.view()).distances
        } else {
            Vec::new()
        };
        self.sums.move_centres(self.points, &distances, centroids);
        inertia
    }
}

/// Lloyd's algorithm from `centroids` until they move less than `threshold` or `max_iterations`.
pub(crate) fn lloyd(
    points: &GroupedPoints<'_>,
    mut centroids: Array2<f32>,
    max_iterations: usize,
    threshold: f64,
) -> KMeans {
    let mut history = Vec::new();
    let mut iterations = 0;
    let mut state = Iterations::new(points, centroids.nrows());
    while iterations < max_iterations {
        let previous = centroids.clone();
        history.push(state.step(&mut centroids));
        iterations += 1;
        let shift: f64 = previous
            .rows()
            .into_iter()
            .zip(centroids.rows())
            .map(|(before, after)| squared_distance(before, after))
            .sum();
        if shift <= threshold {
            break;
        }
    }
    // A last assignment against the final centres, so inertia and labels agree.
    history.push(state.assign(centroids.view()));
    KMeans {
        centroids,
        inertia: *history.last().expect("one assignment at least"),
        iterations,
        inertia_history: history,
    }
}

/// `steps` mini-batch updates from `centroids` (see [`KMeansParams::mini_batch`]); the final
/// inertia is measured on `grouped`, the same points regrouped.
fn mini_batch(
    points: ArrayView2<f32>,
    grouped: &GroupedPoints<'_>,
    mut centroids: Array2<f32>,
    steps: usize,
    batch_size: usize,
    rng: &mut impl Rng,
) -> KMeans {
    let n = points.nrows();
    let mut seen = vec![0u64; centroids.nrows()];
    let mut batch = Array2::<f32>::zeros((batch_size.min(n), points.ncols()));
    for _ in 0..steps {
        for mut row in batch.rows_mut() {
            row.assign(&points.row(rng.random_range(0..n)));
        }
        let assignment = Assignment::of(&GroupedPoints::new(batch.view()), centroids.view());
        for (point, &label) in batch.rows().into_iter().zip(&assignment.labels) {
            seen[label] += 1;
            let rate = 1.0 / seen[label] as f32;
            for (centre, &value) in centroids.row_mut(label).iter_mut().zip(point) {
                *centre += rate * (value - *centre);
            }
        }
    }
    let inertia = Assignment::of(grouped, centroids.view()).inertia();
    KMeans {
        centroids,
        inertia,
        iterations: steps,
        inertia_history: vec![inertia],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use proptest::prelude::*;

    #[test]
    fn separated_blobs_are_found_with_the_hand_computed_inertia() {
        let points = array![
            [0.0f32, 0.0],
            [2.0, 0.0],
            [100.0, 0.0],
            [102.0, 0.0],
            [50.0, 80.0]
        ];
        let model = KMeans::params(3).fit(points.view()).unwrap();
        // Centres (1, 0), (101, 0), (50, 80): four points at distance 1, one at 0.
        assert!((model.inertia() - 4.0).abs() < 1e-6);
        let labels = model.predict(points.view());
        assert_eq!(labels[0], labels[1]);
        assert_eq!(labels[2], labels[3]);
        assert_eq!(
            labels
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len(),
            3
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_model() {
        let points = Array2::from_shape_fn((60, 3), |(i, j)| ((i * 7 + j * 13) % 17) as f32);
        let a = KMeans::params(4).seed(42).fit(points.view()).unwrap();
        let b = KMeans::params(4).seed(42).fit(points.view()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn duplicate_points_still_give_k_used_clusters() {
        let points = array![[1.0f32], [1.0], [1.0], [5.0]];
        let model = KMeans::params(3).fit(points.view()).unwrap();
        assert_eq!(model.centroids().nrows(), 3);
        assert!(model.inertia() < 1e-9);
    }

    #[test]
    fn bad_settings_and_data_are_named() {
        let points = array![[0.0f32, 1.0], [2.0, 3.0]];
        let name = |params: KMeansParams| match params.fit(points.view()).unwrap_err() {
            Error::InvalidParameter { name, .. } => name,
            other => panic!("{other}"),
        };
        assert_eq!(name(KMeans::params(0)), "k");
        assert_eq!(name(KMeans::params(3)), "k");
        assert_eq!(name(KMeans::params(1).n_init(0)), "n_init");
        assert_eq!(name(KMeans::params(1).max_iterations(0)), "max_iterations");
        assert_eq!(name(KMeans::params(1).tolerance(-1.0)), "tolerance");
        let nan = array![[0.0f32, f32::NAN]];
        let error = KMeans::params(1).fit(nan.view()).unwrap_err();
        assert_eq!(error.to_string(), "invalid data: row 0, feature 1 is NaN");
    }

    proptest! {
        #[test]
        fn inertia_never_rises_across_lloyd_iterations(
            values in prop::collection::vec(-100.0f32..100.0, 2..240),
            k in 1usize..6,
            seed in any::<u64>(),
        ) {
            let rows = values.len() / 2;
            prop_assume!(rows >= k);
            let points = Array2::from_shape_vec((rows, 2), values[..rows * 2].to_vec()).unwrap();
            let model = KMeans::params(k).n_init(1).tolerance(0.0).seed(seed).fit(points.view()).unwrap();
            for pair in model.inertia_history().windows(2) {
                prop_assert!(pair[1] <= pair[0] * (1.0 + 1e-9) + 1e-9, "{:?}", model.inertia_history());
            }
        }
    }

    /// Lloyd's algorithm as the textbook writes it: every point assigned afresh, each centre
    /// the f64 mean of its points summed in order, an emptied centre moved to the point worst
    /// served, and a last assignment. Returns the centres and the inertia of each assignment.
    fn textbook_lloyd(
        points: ArrayView2<f32>,
        mut centroids: Array2<f32>,
        iterations: usize,
    ) -> (Array2<f32>, Vec<f64>) {
        let mut history = Vec::new();
        for _ in 0..iterations {
            let (labels, distances) = grouped::tests::straightforward(points, centroids.view());
            history.push(distances.iter().sum());
            let mut sums = Array2::<f64>::zeros(centroids.dim());
            let mut counts = vec![0usize; centroids.nrows()];
            for (point, &label) in points.rows().into_iter().zip(&labels) {
                counts[label] += 1;
                for (sum, &value) in sums.row_mut(label).iter_mut().zip(point) {
                    *sum += f64::from(value);
                }
            }
            let mut served = distances.clone();
            for (centre, &count) in counts.iter().enumerate() {
                if count > 0 {
                    for (c, s) in centroids.row_mut(centre).iter_mut().zip(sums.row(centre)) {
                        *c = (s / count as f64) as f32;
                    }
                }
            }
            for centre in (0..counts.len()).filter(|&centre| counts[centre] == 0) {
                let worst = (0..served.len())
                    .max_by(|&a, &b| served[a].total_cmp(&served[b]))
                    .unwrap();
                centroids.row_mut(centre).assign(&points.row(worst));
                served[worst] = 0.0;
            }
        }
        let (_, distances) = grouped::tests::straightforward(points, centroids.view());
        history.push(distances.iter().sum());
        (centroids, history)
    }

    /// Whether two inertia histories agree within the rounding of f32 distances, which the
    /// textbook sums and the cluster sums do not.
    fn same_inertia(fit: &[f64], textbook: &[f64]) -> bool {
        fit.len() == textbook.len()
            && fit
                .iter()
                .zip(textbook)
                .all(|(a, b)| (a - b).abs() <= 1e-6 * b.abs() + 1e-9)
    }

    proptest! {
        #[test]
        fn lloyd_equals_the_textbook_algorithm(
            n in 1usize..60,
            k in 1usize..7,
            iterations in 1usize..6,
            seed in any::<u64>(),
        ) {
            prop_assume!(n >= k);
            let (points, start) = grouped::tests::points_and_centres(n, k, 3, seed);
            let fit = lloyd(&GroupedPoints::new(points.view()), start.clone(), iterations, -1.0);
            let (centroids, history) = textbook_lloyd(points.view(), start, iterations);
            prop_assert_eq!(fit.centroids, centroids);
            prop_assert!(same_inertia(&fit.inertia_history, &history), "{:?} against {:?}", fit.inertia_history, history);
        }
    }

    #[test]
    fn the_benchmark_fit_equals_the_textbook_one() {
        // Uniform points, where many lie near the border of two clusters: the expansion must
        // leave each of those to the distances summed gap by gap.
        let (points, start) = crate::eval::workloads::lloyd_input(4_000);
        let fit = lloyd(&GroupedPoints::new(points.view()), start.clone(), 30, -1.0);
        let (centroids, history) = textbook_lloyd(points.view(), start, 30);
        assert_eq!(fit.centroids, centroids);
        assert!(same_inertia(&fit.inertia_history, &history));
    }

    #[test]
    fn mini_batches_come_close_to_full_lloyd() {
        let (points, _) = crate::eval::workloads::lloyd_input(20_000);
        let full = KMeans::params(8)
            .n_init(3)
            .seed(5)
            .fit(points.view())
            .unwrap();
        let batched = KMeans::params(8)
            .n_init(3)
            .seed(5)
            .max_iterations(200)
            .mini_batch(512)
            .fit(points.view())
            .unwrap();
        let ratio = batched.inertia() / full.inertia();
        assert!(
            (1.0..1.05).contains(&ratio),
            "mini-batch / full inertia = {ratio}"
        );
        assert_eq!(batched.iterations(), 200);
        // Its inertia is measured on every point: recomputing it from the centres agrees.
        let labels = batched.predict(points.view());
        let recomputed: f64 = points
            .rows()
            .into_iter()
            .zip(&labels)
            .map(|(point, &label)| squared_distance(point, batched.centroids().row(label)))
            .sum();
        assert!((recomputed - batched.inertia()).abs() < 1e-3 * recomputed);
    }
}
