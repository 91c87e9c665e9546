//! The hot kernels at the sizes the issues name: one k-means Lloyd iteration on 200,000 x 16
//! points with k = 8, and one shopper's top 20 from a 100,000-item model with 50 co-purchase
//! weights per item and 500 history items. Run: `cargo bench -p aisle-core` (or `scripts/bench`,
//! which also times them in Chromium and runs the Python anchors).

use std::hint::black_box;

use aisle_core::kmeans::lloyd_iteration;
use aisle_core::ranking::top_k;
use aisle_core::workloads::{
    LLOYD_POINTS, TOP_TWENTY_ITEMS, TOP_TWENTY_NOW, lloyd_input, top_twenty_input,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn lloyd(c: &mut Criterion) {
    let (points, start) = lloyd_input(LLOYD_POINTS);
    c.bench_function("lloyd", |b| {
        b.iter_batched_ref(
            || start.clone(),
            |centroids| black_box(lloyd_iteration(points.view(), centroids)),
            criterion::BatchSize::SmallInput,
        )
    });
}

fn top_twenty(c: &mut Criterion) {
    let (blend, history) = top_twenty_input();
    c.bench_function("top_twenty", |b| {
        b.iter(|| {
            let mut scores = vec![0.0f32; TOP_TWENTY_ITEMS];
            blend.add_scores(&history, TOP_TWENTY_NOW, &mut scores);
            black_box(top_k(&scores, 20))
        })
    });
}

criterion_group!(benches, lloyd, top_twenty);
criterion_main!(benches);
