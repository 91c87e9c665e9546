//! A feature's distribution, summarised for a chart: a histogram over the bulk of the values
//! (minimum to the 99th percentile) and a count of the long tail beyond it, so one wholesale
//! buyer does not squash every other bar into the first.
//!
//! ```
//! use aisle_core::studio::Histogram;
//! let histogram = Histogram::new(&[1.0, 2.0, 2.0, 3.0], 2);
//! assert_eq!(histogram.counts, [1, 3]);
//! assert_eq!((histogram.lower, histogram.upper), (1.0, 3.0));
//! ```

use ndarray::ArrayView1;
use serde::{Deserialize, Serialize};

use crate::math::stats::quantile;
use crate::segmentation::customer_features::Feature;

/// Bars per histogram: enough to see a shape, few enough to label.
pub const BINS: usize = 20;

/// Equal-width bins from `lower` to `upper`, plus the values above `upper`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Left edge of the first bin.
    pub lower: f64,
    /// Right edge of the last bin.
    pub upper: f64,
    /// Values per bin; a value on an inner edge counts in the bin to its right, `upper` in the
    /// last bin.
    pub counts: Vec<u64>,
    /// Values above `upper`.
    pub above: u64,
}

impl Histogram {
    /// `bins` equal bins over all of `values` (no tail cut off).
    pub fn new(values: &[f64], bins: usize) -> Self {
        let lower = values.iter().copied().fold(f64::INFINITY, f64::min);
        let upper = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Self::between(values, bins, lower, upper)
    }

    /// `bins` equal bins from `lower` to `upper`; values above `upper` are counted in `above`.
    pub fn between(values: &[f64], bins: usize, lower: f64, upper: f64) -> Self {
        let bins = bins.max(1);
        let (lower, upper) = if values.is_empty() {
            (0.0, 0.0)
        } else {
            (lower, upper)
        };
        let width = (upper - lower) / bins as f64;
        let mut counts = vec![0u64; bins];
        let mut above = 0;
        for &value in values {
            if value > upper {
                above += 1;
            } else if width > 0.0 {
                let bin = ((value - lower) / width).floor().max(0.0) as usize;
                counts[bin.min(bins - 1)] += 1;
            } else {
                counts[0] += 1;
            }
        }
        Self {
            lower,
            upper,
            counts,
            above,
        }
    }
}

/// One feature as the features step shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSummary {
    /// Column name; what it measures is the studio's text `feature.<name>` ([`super::texts`]).
    pub name: String,
    /// True for money and counts, which `log1p` compresses.
    pub heavy_tailed: bool,
    /// Smallest value.
    pub min: f64,
    /// Median value.
    pub median: f64,
    /// Largest value.
    pub max: f64,
    /// The distribution from the minimum to the 99th percentile, with the tail above counted.
    pub histogram: Histogram,
}

impl FeatureSummary {
    /// Summarises one column of the customer table.
    pub fn new(feature: Feature, column: ArrayView1<f32>) -> Self {
        let mut values: Vec<f64> = column.iter().map(|&v| f64::from(v)).collect();
        values.sort_by(f64::total_cmp);
        let (min, median, p99, max) = if values.is_empty() {
            (0.0, 0.0, 0.0, 0.0)
        } else {
            (
                values[0],
                quantile(&values, 0.5),
                quantile(&values, 0.99),
                values[values.len() - 1],
            )
        };
        Self {
            name: feature.name.to_owned(),
            heavy_tailed: feature.heavy_tailed,
            min,
            median,
            max,
            histogram: Histogram::between(&values, BINS, min, p99),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_edges_and_the_tail() {
        let histogram = Histogram::between(&[0.0, 0.5, 1.0, 9.9, 10.0, 50.0], 10, 0.0, 10.0);
        assert_eq!(histogram.counts, [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
        assert_eq!(histogram.above, 1);
        let constant = Histogram::new(&[3.0, 3.0], 4);
        assert_eq!((constant.counts[0], constant.above), (2, 0));
        assert_eq!(Histogram::new(&[], 4).counts, [0, 0, 0, 0]);
    }

    #[test]
    fn a_summary_cuts_the_tail_at_the_99th_percentile() {
        let mut column = vec![1.0f32; 99];
        column.push(1000.0);
        let summary = FeatureSummary::new(
            Feature {
                name: "monetary",
                heavy_tailed: true,
            },
            ndarray::Array1::from(column).view(),
        );
        assert_eq!(
            (summary.min, summary.median, summary.max),
            (1.0, 1.0, 1000.0)
        );
        // p99 of 99 ones and one 1000 interpolates to 1 + 0.01 * 999 = 10.99.
        assert!((summary.histogram.upper - 10.99).abs() < 1e-9);
        assert_eq!(summary.histogram.above, 1);
        assert_eq!(summary.histogram.counts.iter().sum::<u64>(), 99);
    }
}
