//! `aisle report` and `aisle simulate-reports`: a shop's collected reports decoded into rates
//! per arm of its experiment, and reports written from a known truth to test that decoding
//! (docs/measuring.md). The randomizing and the estimates are `aisle_core::measure`'s.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use aisle_core::measure::estimate::{ArmEstimate, Estimates, Interval, estimate_arms};
use aisle_core::measure::report::read_reports;
use aisle_core::measure::simulate::{Truth, simulate};
use anyhow::{Context, Result};

/// Decodes the reports in `files` and prints the table on stderr, and the JSON on stdout when
/// asked.
pub fn run_report(files: &[PathBuf], json: bool) -> Result<()> {
    let mut reports = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the reports {}", file.display()))?;
        reports.extend(read_reports(&file.display().to_string(), &text)?);
    }
    let estimates = estimate_arms(&reports)?;
    eprint!("{}", table(&estimates));
    if json {
        writeln!(
            io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&estimates)?
        )?;
    }
    Ok(())
}

/// Writes one report per simulated shopper on stdout, one JSON object a line.
pub fn run_simulate(shoppers: usize, truth: &Path, epsilon: f64, seed: u64) -> Result<()> {
    let bytes = std::fs::read(truth)
        .with_context(|| format!("cannot read the truth file {}", truth.display()))?;
    let truth = Truth::from_json(&bytes).with_context(|| truth.display().to_string())?;
    let reports = simulate(&truth, shoppers, epsilon, seed)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for report in reports {
        writeln!(out, "{}", report.to_json())?;
    }
    out.flush()?;
    Ok(())
}

/// The estimates as a table a person reads: rates in percent with their 95% intervals.
fn table(estimates: &Estimates) -> String {
    let percent = |interval: &Interval| {
        format!(
            "{:.2}% ({:.2} to {:.2})",
            100.0 * interval.estimate,
            100.0 * interval.low,
            100.0 * interval.high
        )
    };
    let mut text = format!(
        "{} reports, epsilon {} each; rates with 95% intervals\n{:<12} {:>9}  {:<28} {}\n",
        estimates.reports, estimates.epsilon, "arm", "reports", "opened", "bought after opening"
    );
    for (
        name,
        ArmEstimate {
            reports,
            open,
            purchase_after_open,
        },
    ) in &estimates.arms
    {
        let after = purchase_after_open
            .as_ref()
            .map_or_else(|| "- (no opens estimated)".to_owned(), percent);
        text += &format!("{name:<12} {reports:>9}  {:<28} {after}\n", percent(open));
    }
    if let Some(difference) = &estimates.difference {
        let names: Vec<&String> = estimates.arms.keys().collect();
        text += &format!(
            "{} minus {}: opened {:+.2} points (p = {:.3})",
            names[1],
            names[0],
            100.0 * difference.open.estimate,
            difference.open.p_value
        );
        if let Some(after) = &difference.purchase_after_open {
            text += &format!(
                ", bought after opening {:+.2} points (p = {:.3})",
                100.0 * after.estimate,
                after.p_value
            );
        }
        text += "\n";
    }
    text
}
