//! The hot kernels at the sizes the issues name: one k-means Lloyd iteration on 200,000 x 16
//! points with k = 8, and one shopper's top 20 from a 100,000-item model with 50 co-purchase
//! weights per item and 500 history items. Run: `cargo bench -p aisle-core`.

use std::hint::black_box;

use aisle_core::blend::{Blend, HistoryItem};
use aisle_core::item_weights::ItemWeights;
use aisle_core::kmeans::lloyd_iteration;
use aisle_core::ranking::top_k;
use aisle_core::sparse::SparseRows;
use criterion::{Criterion, criterion_group, criterion_main};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

fn lloyd(c: &mut Criterion) {
    let mut rng = Pcg64Mcg::seed_from_u64(1);
    // (200_000, 16)
    let points = Array2::from_shape_simple_fn((200_000, 16), || rng.random::<f32>());
    // (8, 16): eight of the points, as k-means++ would start from.
    let start = points.slice(ndarray::s![0..8, ..]).to_owned();
    c.bench_function("lloyd iteration 200000x16 k=8", |b| {
        b.iter_batched_ref(
            || start.clone(),
            |centroids| black_box(lloyd_iteration(points.view(), centroids)),
            criterion::BatchSize::SmallInput,
        )
    });
}

fn top_twenty(c: &mut Criterion) {
    const ITEMS: usize = 100_000;
    let mut rng = Pcg64Mcg::seed_from_u64(2);
    let rows = (0..ITEMS)
        .map(|_| {
            (0..50)
                .map(|_| (rng.random_range(0..ITEMS as u32), rng.random::<f32>()))
                .collect()
        })
        .collect();
    let trend: Vec<f32> = (0..ITEMS).map(|_| rng.random()).collect();
    let blend = Blend::new(
        ItemWeights::from_targets(SparseRows::from_rows(rows)),
        trend,
    );
    let history: Vec<HistoryItem> = (0..500)
        .map(|i| HistoryItem {
            item: rng.random_range(0..ITEMS as u32),
            orders: (i % 3) as f32,
            last_at: i64::from(i) * 3_600,
        })
        .collect();
    c.bench_function(
        "top 20 of 100000 items, 50 weights each, 500 history",
        |b| {
            b.iter(|| {
                let mut scores = vec![0.0f32; ITEMS];
                blend.add_scores(&history, 500 * 3_600, &mut scores);
                black_box(top_k(&scores, 20))
            })
        },
    );
}

criterion_group!(benches, lloyd, top_twenty);
criterion_main!(benches);
