//! aisle-bench: the kernels `cargo bench -p aisle-core` times natively, on the same inputs
//! (`aisle_core::eval::workloads`), exported to JavaScript so `scripts/bench` can time them in
//! Chromium.
//!
//! Each export builds its input once, runs the kernel `runs` times and returns the median
//! milliseconds per run, measured with `performance.now()`.

use aisle_core::eval::workloads::{
    LLOYD_ITERATIONS, LLOYD_POINTS, TOP_TWENTY_ITEMS, TOP_TWENTY_NOW, lloyd_fit, lloyd_input,
    shopper_events, top_twenty_input,
};
use aisle_core::math::ranking::top_k;
use aisle_core::shopper::profile::Profile;
use wasm_bindgen::prelude::wasm_bindgen;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or_else(js_sys::Date::now, |performance| performance.now())
}

/// Median of `runs` timings of `run`, in milliseconds.
fn median_ms(runs: u32, mut run: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = now_ms();
            run();
            now_ms() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// One k-means Lloyd iteration on 200,000 x 16 f32 points with k = 8: the median time of
/// `runs` fits of [`LLOYD_ITERATIONS`] iterations each, over the iterations, as natively and for
/// the scikit-learn anchor.
#[wasm_bindgen]
pub fn lloyd_iteration_ms(runs: u32) -> f64 {
    let (points, start) = lloyd_input(LLOYD_POINTS);
    median_ms(runs, || {
        let fit = std::hint::black_box(lloyd_fit(points.view(), &start));
        assert_eq!(fit.iterations(), LLOYD_ITERATIONS, "a fit stopped early");
    }) / LLOYD_ITERATIONS as f64
}

/// One shopper's top 20 of 100,000 items with 50 co-purchase weights each and 500 history
/// items.
#[wasm_bindgen]
pub fn top_twenty_ms(runs: u32) -> f64 {
    let (blend, history) = top_twenty_input();
    median_ms(runs, || {
        let mut scores = vec![0.0f32; TOP_TWENTY_ITEMS];
        blend.add_scores(&history, TOP_TWENTY_NOW, None, &mut scores);
        std::hint::black_box(top_k(&scores, 20));
    })
}

/// A profile built from 1,000,000 events: milliseconds to record them all, the stored size in
/// bytes, and milliseconds to read the stored form back, as `[record_ms, bytes, load_ms]`.
#[wasm_bindgen]
pub fn million_events() -> Vec<f64> {
    let events = shopper_events(1_000_000);
    let start = now_ms();
    let mut profile = Profile::default();
    for event in events {
        profile.record(event).expect("generated events are valid");
    }
    let recorded = now_ms() - start;
    let stored = profile.to_json();
    let start = now_ms();
    let loaded = Profile::from_json(&stored).expect("a written profile reads back");
    let load = now_ms() - start;
    assert_eq!(loaded, profile);
    vec![recorded, stored.len() as f64, load]
}
