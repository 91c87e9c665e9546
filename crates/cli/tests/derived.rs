//! The blend, with the settings it learns, against every single model on data shaped unlike
//! the demo's, derived from the demo log (`aisle evaluate --derive`, docs/evaluation.md): where
//! nobody buys a product twice, where each order is a basket to complete, and where the history
//! is three months long. On each, in both tasks, `aisle` must be ahead of the best single model
//! or within 0.005 of it.
//!
//! Each evaluation fits EASE several times on the whole demo log, which takes minutes unoptimised,
//! so these tests exist in release builds only: `scripts/test` runs them with
//! `cargo test --release -p aisle-cli --test derived`.
#![cfg(not(debug_assertions))]

mod common;

use common::{aisle_json, demo_orders};

/// How far behind the best single model the blend may be.
const TOLERANCE: f64 = 0.005;

/// Evaluates `derive`, checks the blend against the best other model in both tasks, and
/// returns the report.
fn blend_keeps_up_on(derive: &str) -> serde_json::Value {
    let mut args: Vec<String> = vec!["evaluate".into(), "--orders".into()];
    args.extend(demo_orders().iter().map(|path| path.display().to_string()));
    args.extend(["--derive", derive, "--quiet"].map(String::from));
    let report = aisle_json(&args);
    for task in ["all", "new"] {
        let models = report["tasks"][task].as_object().unwrap();
        let recall = |model: &str| models[model]["recall"].as_f64().unwrap();
        let (best, best_recall) = models
            .keys()
            .filter(|model| *model != "aisle")
            .map(|model| (model.as_str(), recall(model)))
            .fold(("", f64::MIN), |a, b| if b.1 > a.1 { b } else { a });
        assert!(
            recall("aisle") >= best_recall - TOLERANCE,
            "{derive}, task {task}: aisle {:.4} against {best} {best_recall:.4}",
            recall("aisle")
        );
    }
    // The settings were learned, not defaulted.
    assert!(
        report["aisle"]["validation"].is_object(),
        "{derive}: {}",
        report["aisle"]
    );
    report
}

#[test]
fn without_repeat_purchases() {
    let report = blend_keeps_up_on("no-repeat");
    // Nobody buys anything twice, so buying again is switched off.
    assert_eq!(report["aisle"]["settings"]["repeat"], 0.0);
}

#[test]
fn completing_baskets() {
    blend_keeps_up_on("basket-completion");
}

#[test]
fn with_three_months_of_history() {
    blend_keeps_up_on("short-history");
}
