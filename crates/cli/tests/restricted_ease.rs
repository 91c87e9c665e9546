//! EASE restricted to each product's strongest partners, the solver for large catalogs
//! (docs/scale.md), against the exact dense solution on the demo log: with the default number of
//! candidates it must stay within 0.005 Recall@20 of dense EASE in both tasks, on the
//! evaluation protocol's split (the default was chosen at another cut-off, 2011-08-01).
//!
//! Release builds only, as the other tests over the whole demo log: `scripts/test` runs it with
//! `cargo test --release -p aisle-cli --test restricted_ease`.
#![cfg(not(debug_assertions))]

mod common;

use aisle_core::models::ease::DEFAULT_CANDIDATES;
use common::{aisle_json, demo_orders};

/// The `ease` anchor's Recall@20 in both tasks, with these extra arguments.
fn ease_recalls(extra: &[String]) -> [f64; 2] {
    let mut args: Vec<String> = vec!["evaluate".into(), "--orders".into()];
    args.extend(demo_orders().iter().map(|path| path.display().to_string()));
    args.extend(["--cutoff", "2011-11-01", "--models", "ease", "--quiet"].map(String::from));
    args.extend_from_slice(extra);
    let report = aisle_json(&args);
    ["all", "new"].map(|task| report["tasks"][task]["ease"]["recall"].as_f64().unwrap())
}

#[test]
fn restricted_ease_stays_within_0_005_of_dense_ease_on_the_demo_log() {
    // The demo's 3,659 products are below the dense limit, so no flag means the exact solution.
    let dense = ease_recalls(&[]);
    let restricted = ease_recalls(&["--ease-candidates".into(), DEFAULT_CANDIDATES.to_string()]);
    for ((task, dense), restricted) in ["all", "new"].iter().zip(dense).zip(restricted) {
        assert!(
            (dense - restricted).abs() <= 0.005,
            "task {task}: restricted {restricted:.4} against dense {dense:.4}"
        );
    }
    // The two are different solvers, not one run twice.
    assert_ne!(dense, restricted);
}
