//! Running the `aisle` binary from integration tests.

use std::ffi::OsStr;
use std::process::{Command, Output};

/// Runs `aisle` with these arguments and collects its output.
pub fn aisle<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aisle"))
        .args(args)
        .output()
        .expect("the aisle binary runs")
}
