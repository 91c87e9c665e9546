//! `aisle synth` end to end: a synthetic log written from the demo log's shape reads back with
//! that shape (basket sizes, orders per customer, repeat share, the head's share of lines), at
//! exactly the asked size, the same for the same seed; and its co-purchase structure is there
//! to learn, as on the demo: EASE beats popularity on task `new`.
//!
//! Reading the demo log and fitting EASE take minutes unoptimised, so these tests exist in
//! release builds only (`scripts/test` runs them with `cargo test --release`).
#![cfg(not(debug_assertions))]

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};

use aisle_core::input::clean::{CleaningRules, clean};
use aisle_core::input::orders::{ColumnMap, OrderLine, OrderLog};
use aisle_core::synth::LogShape;
use common::{aisle, aisle_json, demo_orders};

fn read_clean(paths: &[PathBuf]) -> Vec<OrderLine> {
    let mut log = OrderLog::default();
    for path in paths {
        let name = path.display().to_string();
        log.read_csv(
            File::open(path).unwrap(),
            &name,
            &ColumnMap::online_retail(),
        )
        .unwrap();
    }
    assert_eq!(log.report.rows_skipped, 0);
    clean(log.lines, &CleaningRules::online_retail()).0
}

fn synth(out: &Path, products: &str, lines: &str, seed: &str) {
    let mut args: Vec<String> = vec!["synth".into(), "--orders".into()];
    args.extend(demo_orders().iter().map(|path| path.display().to_string()));
    args.extend(
        [
            "--products",
            products,
            "--lines",
            lines,
            "--seed",
            seed,
            "--quiet",
        ]
        .map(String::from),
    );
    args.extend(["--out".into(), out.display().to_string()]);
    let output = aisle(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_synthetic_log_has_the_demo_logs_shape_at_the_asked_size() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("synth.csv.gz");
    synth(&out, "3000", "250000", "3");

    let source = LogShape::measure(&read_clean(&demo_orders()));
    let lines = read_clean(std::slice::from_ref(&out));
    assert_eq!(
        lines.len(),
        250_000,
        "every line is a product line kept by cleaning"
    );
    let made = LogShape::measure(&lines);
    assert!(made.popularity.len() <= 3000);
    let near = |what: &str, made: f64, source: f64, tolerance: f64| {
        assert!(
            (made - source).abs() <= tolerance,
            "{what}: {made:.4} made, {source:.4} in the demo log"
        );
    };
    near(
        "lines an order",
        made.mean_basket(),
        source.mean_basket(),
        0.05 * source.mean_basket(),
    );
    near(
        "orders a customer",
        made.mean_orders(),
        source.mean_orders(),
        0.1 * source.mean_orders(),
    );
    near("repeat share", made.repeat_share, source.repeat_share, 0.02);
    near(
        "top tenth's share of lines",
        made.head_share(0.1),
        source.head_share(0.1),
        0.03,
    );
    for month in 0..12 {
        near(
            "a month's share of orders",
            made.months[month],
            source.months[month],
            0.02,
        );
    }

    // The same seed writes the same bytes; another seed another log.
    let again = work.path().join("again.csv.gz");
    synth(&again, "3000", "250000", "3");
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
    synth(&again, "3000", "250000", "4");
    assert_ne!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());

    // Products bought together are there to learn: EASE beats popularity on new products by
    // as much as on the demo log (about 2.5 times the recall there).
    let report = aisle_json(&[
        "evaluate",
        "--orders",
        out.to_str().unwrap(),
        "--models",
        "popularity,ease",
        "--quiet",
    ]);
    let recall = |model: &str| report["tasks"]["new"][model]["recall"].as_f64().unwrap();
    assert!(
        recall("ease") > 1.5 * recall("popularity"),
        "ease {} against popularity {}",
        recall("ease"),
        recall("popularity")
    );
}

#[test]
fn a_bad_size_is_refused_and_writes_nothing() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("synth.csv");
    let output = aisle(&[
        "synth",
        "--orders",
        "missing.csv",
        "--products",
        "0",
        "--lines",
        "10",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--products and --lines must be at least 1")
    );
    assert!(!out.exists());
}
