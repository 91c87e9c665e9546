//! Running the `aisle` binary from integration tests.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `aisle` with these arguments and collects its output.
pub fn aisle<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aisle"))
        .args(args)
        .output()
        .expect("the aisle binary runs")
}

/// Runs `aisle`, requires success (showing stderr otherwise), and parses stdout as JSON.
#[allow(dead_code)] // Not every test file prints JSON.
pub fn aisle_json<S: AsRef<OsStr>>(args: &[S]) -> serde_json::Value {
    let output = aisle(args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// The demo log's three parts, in `data/`.
#[allow(dead_code)] // Only the tests over the demo log read it.
pub fn demo_orders() -> Vec<PathBuf> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&data)
        .expect("the demo data is in data/")
        .map(|entry| entry.expect("data/ lists").path())
        .filter(|path| path.to_string_lossy().ends_with(".csv.gz"))
        .collect();
    parts.sort();
    assert_eq!(parts.len(), 3, "the demo log's three parts");
    parts
}
