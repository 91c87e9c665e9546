//! Which customer features tell a label apart (a segment, a repeat-buyer flag): chi-square,
//! mutual information and gain ratio, and picking the best k.
//!
//! - **Chi-square** (as scikit-learn's `chi2`): for each feature, the class totals of the
//!   feature's values against what the class sizes alone would give. Values must be
//!   non-negative (counts, amounts, min-max scaled values).
//! - **Mutual information** (in nats) of the label and the feature cut into equal-count bins
//!   (quantiles), so skewed money columns are not squeezed into one bin. This is also what
//!   decision trees call *information gain*.
//! - **Gain ratio** (C4.5): mutual information over the binned feature's own entropy, which stops
//!   a feature with many distinct values from looking informative merely for being fine-grained.
//!
//! ```
//! use aisle_core::segmentation::feature_ranking::{chi_square, select_k_best};
//! use ndarray::array;
//! // Feature 0 follows the label, feature 1 does not.
//! let features = array![[1.0f32, 3.0], [1.0, 2.0], [0.0, 3.0], [0.0, 2.0]];
//! let scores = chi_square(features.view(), &[1, 1, 0, 0]).unwrap();
//! assert_eq!(select_k_best(&scores, 1), [0]);
//! ```

use ndarray::ArrayView2;

use crate::error::{Error, Result, ensure_finite};

/// Equal-count bins a feature is cut into for mutual information, unless fewer distinct values.
pub const DEFAULT_BINS: usize = 10;

fn check(features: ArrayView2<f32>, labels: &[usize]) -> Result<usize> {
    if features.nrows() != labels.len() {
        return Err(Error::InvalidData {
            reason: format!(
                "{} rows of features but {} labels",
                features.nrows(),
                labels.len()
            ),
        });
    }
    if labels.is_empty() {
        return Err(Error::InvalidData {
            reason: "no rows to rank features on".into(),
        });
    }
    ensure_finite(features)?;
    Ok(labels.iter().max().map_or(0, |&max| max + 1))
}

/// Chi-square statistic of each feature against `labels` (one per row, `0..n_classes`).
pub fn chi_square(features: ArrayView2<f32>, labels: &[usize]) -> Result<Vec<f64>> {
    let classes = check(features, labels)?;
    if let Some(value) = features.iter().find(|&&value| value < 0.0) {
        return Err(Error::InvalidData {
            reason: format!("chi-square needs non-negative features, found {value}"),
        });
    }
    let n = labels.len() as f64;
    let mut class_sizes = vec![0.0f64; classes];
    for &label in labels {
        class_sizes[label] += 1.0;
    }
    Ok(features
        .columns()
        .into_iter()
        .map(|column| {
            let mut observed = vec![0.0f64; classes];
            for (&value, &label) in column.iter().zip(labels) {
                observed[label] += f64::from(value);
            }
            let total: f64 = observed.iter().sum();
            observed
                .iter()
                .zip(&class_sizes)
                .map(|(&observed, &size)| {
                    let expected = total * size / n;
                    if expected > 0.0 {
                        (observed - expected).powi(2) / expected
                    } else {
                        0.0
                    }
                })
                .sum()
        })
        .collect())
}

/// Each row's bin for one feature: equal-count cuts at quantiles, ties kept in one bin.
fn bin(column: impl Iterator<Item = f32>, bins: usize) -> Vec<usize> {
    let values: Vec<f32> = column.collect();
    let mut sorted = values.clone();
    sorted.sort_by(f32::total_cmp);
    let n = sorted.len();
    let mut cuts: Vec<f32> = (1..bins)
        .map(|b| sorted[(b * n / bins).min(n - 1)])
        .collect();
    cuts.dedup();
    values
        .iter()
        .map(|&value| cuts.partition_point(|&cut| cut <= value))
        .collect()
}

fn entropy(counts: impl Iterator<Item = f64>, n: f64) -> f64 {
    counts
        .filter(|&count| count > 0.0)
        .map(|count| {
            let p = count / n;
            -p * p.ln()
        })
        .sum()
}

/// Mutual information and the binned feature's entropy, per feature.
fn information(
    features: ArrayView2<f32>,
    labels: &[usize],
    bins: usize,
) -> Result<Vec<(f64, f64)>> {
    let classes = check(features, labels)?;
    if bins < 2 {
        return Err(Error::InvalidParameter {
            name: "bins",
            reason: format!("must be at least 2, not {bins}"),
        });
    }
    let n = labels.len() as f64;
    let mut class_counts = vec![0.0; classes];
    for &label in labels {
        class_counts[label] += 1.0;
    }
    let label_entropy = entropy(class_counts.into_iter(), n);
    Ok(features
        .columns()
        .into_iter()
        .map(|column| {
            let binned = bin(column.iter().copied(), bins);
            let used = binned.iter().max().map_or(0, |&max| max + 1);
            let mut joint = vec![0.0; used * classes];
            let mut bin_counts = vec![0.0; used];
            for (&b, &label) in binned.iter().zip(labels) {
                joint[b * classes + label] += 1.0;
                bin_counts[b] += 1.0;
            }
            let conditional: f64 = bin_counts
                .iter()
                .enumerate()
                .filter(|(_, count)| **count > 0.0)
                .map(|(b, &count)| {
                    let row = joint[b * classes..(b + 1) * classes].iter().copied();
                    count / n * entropy(row, count)
                })
                .sum();
            let information = (label_entropy - conditional).max(0.0);
            (information, entropy(bin_counts.into_iter(), n))
        })
        .collect())
}

/// Mutual information (nats) of each feature, cut into `bins` equal-count bins, with `labels`.
pub fn mutual_information(
    features: ArrayView2<f32>,
    labels: &[usize],
    bins: usize,
) -> Result<Vec<f64>> {
    Ok(information(features, labels, bins)?
        .into_iter()
        .map(|(information, _)| information)
        .collect())
}

/// Gain ratio of each feature: mutual information over the binned feature's entropy (0 for a
/// constant feature).
pub fn gain_ratio(features: ArrayView2<f32>, labels: &[usize], bins: usize) -> Result<Vec<f64>> {
    Ok(information(features, labels, bins)?
        .into_iter()
        .map(|(information, split)| {
            if split > 0.0 {
                information / split
            } else {
                0.0
            }
        })
        .collect())
}

/// The positions of the `k` highest scores, best first (ties keep feature order).
pub fn select_k_best(scores: &[f64], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order.truncate(k);
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn chi_square_matches_a_hand_computed_value() {
        // Feature totals per class: class 0 gets 1, class 1 gets 3; classes of 2 rows each,
        // so 2 is expected in each: (1-2)²/2 + (3-2)²/2 = 1.
        let features = array![[0.0f32], [1.0], [1.0], [2.0]];
        let scores = chi_square(features.view(), &[0, 0, 1, 1]).unwrap();
        assert!((scores[0] - 1.0).abs() < 1e-12);
        let negative = array![[-1.0f32]];
        assert!(chi_square(negative.view(), &[0]).is_err());
    }

    #[test]
    fn mutual_information_of_a_perfect_split_is_the_label_entropy() {
        // Two equal classes, perfectly told apart: ln 2 nats, gain ratio 1.
        let features = array![[1.0f32, 5.0], [2.0, 5.0], [10.0, 5.0], [11.0, 5.0]];
        let labels = [0, 0, 1, 1];
        let information = mutual_information(features.view(), &labels, 2).unwrap();
        assert!((information[0] - 2f64.ln()).abs() < 1e-12);
        assert_eq!(information[1], 0.0); // constant: tells nothing
        let ratio = gain_ratio(features.view(), &labels, 2).unwrap();
        assert!((ratio[0] - 1.0).abs() < 1e-12);
        assert_eq!(ratio[1], 0.0);
    }

    #[test]
    fn a_partial_split_is_worth_less() {
        // Bins {1,2} and {10,11}; the first holds one of each class, the second both class 1:
        // H(Y) - H(Y|X) = H(1/4, 3/4) - 1/2 ln 2.
        let features = array![[1.0f32], [2.0], [10.0], [11.0]];
        let information = mutual_information(features.view(), &[0, 1, 1, 1], 2).unwrap();
        let h = -(0.25f64 * 0.25f64.ln() + 0.75 * 0.75f64.ln());
        assert!((information[0] - (h - 0.5 * 2f64.ln())).abs() < 1e-12);
    }

    #[test]
    fn select_k_best_orders_by_score() {
        assert_eq!(select_k_best(&[0.1, 0.9, 0.5, 0.9], 3), [1, 3, 2]);
        assert!(select_k_best(&[1.0], 0).is_empty());
    }

    #[test]
    fn mismatched_or_empty_input_is_refused() {
        let features = array![[1.0f32]];
        assert!(chi_square(features.view(), &[0, 1]).is_err());
        assert!(mutual_information(features.view(), &[0], 1).is_err());
        let empty = ndarray::Array2::<f32>::zeros((0, 1));
        assert!(chi_square(empty.view(), &[]).is_err());
    }
}
