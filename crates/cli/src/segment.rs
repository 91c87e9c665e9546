//! `aisle segment`: customer segments from order history (exact duplicates dropped, features,
//! scaling, k-means, names, feature ranking: the studio's pipeline), printed as JSON on stdout;
//! optionally each customer's features and segment as CSV.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use aisle_core::input::clean::remove_exact_duplicates;
use aisle_core::segmentation::customer_features::CustomerFeatures;
use aisle_core::segmentation::segments::{SegmentRequest, segment_customers};
use aisle_core::studio::export::customers_csv;
use anyhow::{Context, Result};

use crate::atomic_write::write_file_atomically;
use crate::input::{ColumnArgs, read_clean_orders, spinner};

/// `--k`: a number of segments, or `auto` to pick by silhouette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentCount(pub Option<usize>);

impl std::str::FromStr for SegmentCount {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.eq_ignore_ascii_case("auto") {
            return Ok(Self(None));
        }
        match text.parse::<usize>() {
            Ok(k) if k >= 1 => Ok(Self(Some(k))),
            _ => Err(format!(
                "`{text}` is neither a number of segments (1 or more) nor `auto`"
            )),
        }
    }
}

pub fn run(
    orders: &[PathBuf],
    columns: &ColumnArgs,
    SegmentCount(k): SegmentCount,
    seed: u64,
    customers_out: Option<&Path>,
    quiet: bool,
) -> Result<()> {
    // Segments describe customers, so a row exported twice must not count twice.
    let (lines, duplicates) = remove_exact_duplicates(read_clean_orders(orders, columns, quiet)?);
    if !quiet && duplicates > 0 {
        eprintln!("dropped {duplicates} exact duplicate rows");
    }
    let working = spinner(quiet, "computing features and segments");
    // "Now" is the newest order, so recency reads as "days before the data ends".
    let now = lines.iter().map(|line| line.timestamp).max().unwrap_or(0);
    let table = CustomerFeatures::from_orders(&lines, now);
    let request = SegmentRequest {
        k,
        seed,
        ..SegmentRequest::default()
    };
    let segmentation =
        segment_customers(&table, &request, &mut |_, _| {}).context("segmenting customers")?;
    working.finish_and_clear();
    if let Some(path) = customers_out {
        let names: Vec<String> = segmentation
            .segments
            .iter()
            .map(|segment| segment.name.clone())
            .collect();
        let csv = customers_csv(&table, &segmentation.labels, &names)?;
        write_file_atomically(path, csv.as_bytes())?;
    }
    writeln!(
        io::stdout().lock(),
        "{}",
        serde_json::to_string_pretty(&segmentation)?
    )?;
    Ok(())
}
