//! The synthetic inputs the benchmarks time, built the same way natively (`cargo bench`) and in
//! the browser (`crates/bench`), so the two measure exactly the same work.
//!
//! ```
//! use aisle_core::eval::workloads::{lloyd_fit, lloyd_input};
//! let (points, start) = lloyd_input(1_000);
//! assert_eq!((points.dim(), start.dim()), ((1_000, 16), (8, 16)));
//! let model = lloyd_fit(points.view(), &start);
//! assert!(model.iterations() <= 30 && model.inertia() > 0.0);
//! ```

use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::math::sparse::SparseRows;
use crate::models::blend::{Blend, BlendSettings, HistoryItem};
use crate::models::history_rows::HistoryRows;
use crate::models::item_weights::ItemWeights;
use crate::segmentation::kmeans::{GroupedPoints, KMeans, lloyd};

/// Points in the Lloyd benchmark (issue target: 200,000 x 16, k = 8).
pub const LLOYD_POINTS: usize = 200_000;
/// Lloyd iterations in one timed fit. The per-iteration figure is a fit's time divided by this,
/// as for the scikit-learn anchor (`scripts/bench_anchors.py`), which fits this many iterations
/// from the same start.
pub const LLOYD_ITERATIONS: usize = 30;
/// Items in the top-20 benchmark's model.
pub const TOP_TWENTY_ITEMS: usize = 100_000;
/// "Now" for the top-20 benchmark, in seconds: just after the last history item.
pub const TOP_TWENTY_NOW: i64 = 500 * 3_600;

/// `n` uniform random points of 16 features, and eight of them as starting centres (as
/// k-means++ would start from).
pub fn lloyd_input(n: usize) -> (Array2<f32>, Array2<f32>) {
    let mut rng = Pcg64Mcg::seed_from_u64(1);
    let points = Array2::from_shape_simple_fn((n, 16), || rng.random::<f32>());
    let start = points.slice(ndarray::s![0..8.min(n), ..]).to_owned();
    (points, start)
}

/// The work the Lloyd benchmark times, matching what scikit-learn's `KMeans.fit` does with a
/// given start, `n_init=1` and `tol=0`: the points laid out for the iterations,
/// [`LLOYD_ITERATIONS`] iterations from `start` (fewer only if the centres stop moving, which
/// the benchmark's input does not), and a last assignment.
pub fn lloyd_fit(points: ArrayView2<f32>, start: &Array2<f32>) -> KMeans {
    lloyd(
        &GroupedPoints::new(points),
        start.clone(),
        LLOYD_ITERATIONS,
        0.0,
    )
}

/// A blend over [`TOP_TWENTY_ITEMS`] items with 50 random co-purchase weights each and random
/// trends, and a shopper with 500 history items an hour apart.
pub fn top_twenty_input() -> (Blend, Vec<HistoryItem>) {
    let mut rng = Pcg64Mcg::seed_from_u64(2);
    let items = TOP_TWENTY_ITEMS as u32;
    let rows = (0..TOP_TWENTY_ITEMS)
        .map(|_| {
            (0..50)
                .map(|_| (rng.random_range(0..items), rng.random::<f32>()))
                .collect()
        })
        .collect();
    let trend: Vec<f32> = (0..TOP_TWENTY_ITEMS).map(|_| rng.random()).collect();
    let popularity: Vec<f32> = (0..TOP_TWENTY_ITEMS).map(|_| rng.random()).collect();
    let settings = BlendSettings {
        content: 0.0,
        ..BlendSettings::DEFAULT
    };
    let blend = Blend::new(
        settings,
        HistoryRows::whole(
            ItemWeights::from_targets(SparseRows::from_rows(rows)),
            vec![0.5; TOP_TWENTY_ITEMS],
        ),
        trend,
        popularity,
    );
    let history = (0..500)
        .map(|i| HistoryItem {
            item: rng.random_range(0..items),
            orders: (i % 3) as f32,
            first_at: i64::from(i) * 3_600,
            last_at: i64::from(i) * 3_600,
        })
        .collect();
    (blend, history)
}

/// A shopper's year: `n` events over 365 days, mostly views of 5,000 products, with searches,
/// carts and purchases mixed in, in time order.
pub fn shopper_events(n: usize) -> Vec<crate::shopper::events::Event> {
    use crate::shopper::events::Event;
    let mut rng = Pcg64Mcg::seed_from_u64(3);
    let year_ms = 365 * 86_400_000i64;
    (0..n)
        .map(|i| {
            let at = i as i64 * year_ms / n.max(1) as i64;
            let item = format!("{}", 10_000 + rng.random_range(0..5_000));
            match rng.random_range(0..100) {
                0..=79 => Event::view(item, at),
                80..=89 => Event::search(format!("query {}", rng.random_range(0..300)), at),
                90..=95 => Event::add_to_cart(item, 1, at),
                _ => Event::purchase(item, 1, 2.5, at),
            }
        })
        .collect()
}
