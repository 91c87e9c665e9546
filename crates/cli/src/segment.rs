//! `aisle segment`: customer segments from order history (features, scaling, k-means, names),
//! printed as JSON on stdout.

use std::path::PathBuf;

use aisle_core::features::CustomerFeatures;
use aisle_core::segments::segment_customers;
use anyhow::{Context, Result};

use crate::input::{read_clean_orders, spinner};

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
    SegmentCount(k): SegmentCount,
    seed: u64,
    quiet: bool,
) -> Result<()> {
    let lines = read_clean_orders(orders, quiet)?;
    let working = spinner(quiet, "computing features and segments");
    // "Now" is the newest order, so recency reads as "days before the data ends".
    let now = lines.iter().map(|line| line.timestamp).max().unwrap_or(0);
    let table = CustomerFeatures::from_orders(&lines, now).log1p_heavy_tailed();
    let segmentation = segment_customers(&table, k, seed).context("segmenting customers")?;
    working.finish_and_clear();
    println!("{}", serde_json::to_string_pretty(&segmentation)?);
    Ok(())
}
