//! The hot kernels at the sizes the issues name: one k-means Lloyd iteration on 200,000 x 16
//! points with k = 8, and one shopper's top 20 from a 100,000-item model with 50 co-purchase
//! weights per item and 500 history items. Run: `cargo bench -p aisle-core` (or `scripts/bench`,
//! which also times them in Chromium and runs the Python anchors).

use std::hint::black_box;
use std::time::Instant;

use aisle_core::eval::workloads::{
    LLOYD_ITERATIONS, LLOYD_POINTS, TOP_TWENTY_ITEMS, TOP_TWENTY_NOW, lloyd_fit, lloyd_input,
    top_twenty_input,
};
use aisle_core::math::ranking::top_k;
use criterion::{Criterion, criterion_group, criterion_main};

fn lloyd(c: &mut Criterion) {
    let (points, start) = lloyd_input(LLOYD_POINTS);
    // Reported per iteration: a whole fit's time over its iterations, like the anchor's.
    c.bench_function("lloyd", |b| {
        b.iter_custom(|fits| {
            let start_time = Instant::now();
            for _ in 0..fits {
                let fit = black_box(lloyd_fit(points.view(), &start));
                assert_eq!(fit.iterations(), LLOYD_ITERATIONS, "a fit stopped early");
            }
            start_time.elapsed() / LLOYD_ITERATIONS as u32
        })
    });
}

fn top_twenty(c: &mut Criterion) {
    let (blend, history) = top_twenty_input();
    c.bench_function("top_twenty", |b| {
        b.iter(|| {
            let mut scores = vec![0.0f32; TOP_TWENTY_ITEMS];
            blend.add_scores(&history, TOP_TWENTY_NOW, None, &mut scores);
            black_box(top_k(&scores, 20))
        })
    });
}

criterion_group!(benches, lloyd, top_twenty);
criterion_main!(benches);
