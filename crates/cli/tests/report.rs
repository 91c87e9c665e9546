//! `aisle simulate-reports` and `aisle report` end to end: reports written from a known truth
//! through the store's randomizer decode back to that truth, in the JSON the interface fixes.

mod common;

use common::{aisle, aisle_json};

const TRUTH: &str = r#"{"arms": {"A": {"share": 0.5, "open": 0.05, "purchase_after_open": 0.2},
                                  "B": {"share": 0.5, "open": 0.06, "purchase_after_open": 0.2}}}"#;

/// `aisle simulate-reports` of 100,000 shoppers from `truth` at ε = 1.
fn simulate(truth: &std::path::Path, seed: u64) -> std::process::Output {
    let seed = seed.to_string();
    aisle(&[
        "simulate-reports".as_ref(),
        "--shoppers".as_ref(),
        "100000".as_ref(),
        "--truth".as_ref(),
        truth.as_os_str(),
        "--epsilon".as_ref(),
        "1".as_ref(),
        "--seed".as_ref(),
        seed.as_ref() as &std::ffi::OsStr,
    ])
}

#[test]
fn simulated_reports_decode_to_the_truth_they_were_drawn_from() {
    let work = tempfile::tempdir().unwrap();
    let truth = work.path().join("truth.json");
    std::fs::write(&truth, TRUTH).unwrap();
    let simulated = simulate(&truth, 5);
    assert!(
        simulated.status.success(),
        "{}",
        String::from_utf8_lossy(&simulated.stderr)
    );
    let reports = work.path().join("reports.jsonl");
    std::fs::write(&reports, &simulated.stdout).unwrap();
    assert_eq!(
        simulated.stdout.iter().filter(|b| **b == b'\n').count(),
        100_000
    );

    let decoded = aisle_json(&["report".as_ref(), reports.as_os_str(), "--json".as_ref()]);
    assert_eq!(decoded["reports"], 100_000);
    assert_eq!(decoded["epsilon"], 1.0);
    for (arm, open) in [("A", 0.05), ("B", 0.06)] {
        let estimate = &decoded["arms"][arm]["open"];
        let (low, high) = (
            estimate["low"].as_f64().unwrap(),
            estimate["high"].as_f64().unwrap(),
        );
        // The interval is about ±1.2 points wide at 50,000 reports an arm, and holds the truth.
        assert!(low <= open && open <= high, "{arm}: {estimate}");
        assert!(high - low < 0.03, "{arm}: {estimate}");
        let after = &decoded["arms"][arm]["purchase_after_open"];
        assert!(after["estimate"].is_f64() && after["low"].is_f64() && after["high"].is_f64());
    }
    for field in ["open", "purchase_after_open"] {
        let difference = &decoded["difference"][field];
        let p_value = difference["p_value"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p_value), "{difference}");
        assert!(difference["estimate"].is_f64());
    }

    // The same seed writes the same reports.
    let again = simulate(&truth, 5);
    assert_eq!(again.stdout, simulated.stdout);
}

#[test]
fn a_report_a_store_would_not_send_is_named_by_file_line_and_column() {
    let work = tempfile::tempdir().unwrap();
    let reports = work.path().join("week.jsonl");
    let good = r#"{"schema":1,"period":"2026-W49","epsilon":1.0,"arm":"A","answer":"opened"}"#;
    let tracked = r#"{"schema":1,"period":"2026-W49","epsilon":1.0,"arm":"A","answer":"opened","product":"85123A"}"#;
    std::fs::write(&reports, format!("{good}\n{tracked}\n")).unwrap();
    let output = aisle(&["report".as_ref(), reports.as_os_str()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: line 2: column 83: unknown field `product`",
            reports.display()
        )),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());

    let truth = work.path().join("truth.json");
    std::fs::write(
        &truth,
        r#"{"arms": {"A": {"share": 0.7, "open": 0.05, "purchase_after_open": 0.2}}}"#,
    )
    .unwrap();
    let output = aisle(&[
        "simulate-reports".as_ref(),
        "--shoppers".as_ref(),
        "10".as_ref(),
        "--truth".as_ref(),
        truth.as_os_str(),
        "--epsilon".as_ref(),
        "1".as_ref(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("truth.json") && stderr.contains("add up to 0.7"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}
