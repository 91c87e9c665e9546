//! Ranking metrics for offline evaluation, as the evaluation protocol defines them.
//!
//! Per user and list:
//! - **Recall@K** divides hits by `min(K, |relevant|)`, so a user with three relevant items can
//!   reach 1.0;
//! - **NDCG@K** uses binary gains and a log2 discount, normalised by the ideal DCG over
//!   `min(K, |relevant|)` items;
//! - **HR@K** (hit rate) is 1 when any of the first K is relevant, else 0;
//! - **Precision@K** divides hits by K (a list shorter than K is not excused);
//! - **intra-list diversity** is the mean dissimilarity `1 − similarity` over the list's pairs.
//!
//! Across users, **catalogue coverage** is the share of the catalogue that appears in at least
//! one list: a recommender that shows everyone the same twenty products covers little.
//!
//! ```
//! use aisle_core::eval::metrics::{Coverage, hit_rate_at_k, ndcg_at_k, precision_at_k, recall_at_k};
//! assert_eq!(recall_at_k(&[4, 2, 9], &[2, 7], 3), 0.5);
//! assert!((ndcg_at_k(&[2, 4], &[2], 2) - 1.0).abs() < 1e-12);
//! assert_eq!(hit_rate_at_k(&[4, 2, 9], &[9], 2), 0.0);
//! assert_eq!(precision_at_k(&[4, 2, 9, 1], &[2, 9], 4), 0.5);
//! let mut coverage = Coverage::new(10);
//! coverage.add(&[1, 2]);
//! coverage.add(&[2, 3]);
//! assert_eq!(coverage.share(), 0.3);
//! ```

/// Hits in the first `k` of `ranked` over `min(k, |relevant|)`; 0 when nothing is relevant.
pub fn recall_at_k(ranked: &[u32], relevant: &[u32], k: usize) -> f64 {
    let denominator = k.min(relevant.len());
    if denominator == 0 {
        return 0.0;
    }
    hits(ranked, relevant, k) as f64 / denominator as f64
}

/// Relevant items in the first `k` of `ranked`.
fn hits(ranked: &[u32], relevant: &[u32], k: usize) -> usize {
    ranked
        .iter()
        .take(k)
        .filter(|item| relevant.contains(item))
        .count()
}

/// Normalised discounted cumulative gain at `k` with binary relevance.
pub fn ndcg_at_k(ranked: &[u32], relevant: &[u32], k: usize) -> f64 {
    let ideal: f64 = (0..k.min(relevant.len())).map(discount).sum();
    if ideal == 0.0 {
        return 0.0;
    }
    let gained: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, item)| relevant.contains(item))
        .map(|(rank, _)| discount(rank))
        .sum();
    gained / ideal
}

/// 1 when any of the first `k` of `ranked` is relevant, else 0.
pub fn hit_rate_at_k(ranked: &[u32], relevant: &[u32], k: usize) -> f64 {
    f64::from(u8::from(hits(ranked, relevant, k) > 0))
}

/// Hits in the first `k` of `ranked` over `k`; 0 when `k` is 0.
pub fn precision_at_k(ranked: &[u32], relevant: &[u32], k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    hits(ranked, relevant, k) as f64 / k as f64
}

/// Mean of `1 − similarity(a, b)` over every pair of the list; 0 for fewer than two items.
///
/// ```
/// use aisle_core::eval::metrics::intra_list_diversity;
/// // Items 1 and 2 are alike (0.8); 3 is unlike both (0).
/// let similarity = |a: u32, b: u32| if a.min(b) == 1 && a.max(b) == 2 { 0.8 } else { 0.0 };
/// let diversity = intra_list_diversity(&[1, 2, 3], similarity);
/// assert!((diversity - (0.2 + 1.0 + 1.0) / 3.0).abs() < 1e-6);
/// ```
pub fn intra_list_diversity(list: &[u32], similarity: impl Fn(u32, u32) -> f32) -> f64 {
    let mut total = 0.0;
    let mut pairs = 0usize;
    for (position, &a) in list.iter().enumerate() {
        for &b in &list[position + 1..] {
            total += 1.0 - f64::from(similarity(a, b));
            pairs += 1;
        }
    }
    if pairs == 0 {
        0.0
    } else {
        total / pairs as f64
    }
}

/// Which catalogue products appeared in at least one list.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    shown: Vec<bool>,
    distinct: usize,
}

impl Coverage {
    /// Nothing shown yet, of a catalogue of `catalog_len` products.
    pub fn new(catalog_len: usize) -> Self {
        Self {
            shown: vec![false; catalog_len],
            distinct: 0,
        }
    }

    /// Counts the products of one list (positions outside the catalogue are ignored).
    pub fn add(&mut self, list: &[u32]) {
        for &item in list {
            if let Some(shown) = self.shown.get_mut(item as usize)
                && !*shown
            {
                *shown = true;
                self.distinct += 1;
            }
        }
    }

    /// Distinct products shown over the catalogue's size; 0 for an empty catalogue.
    pub fn share(&self) -> f64 {
        if self.shown.is_empty() {
            0.0
        } else {
            self.distinct as f64 / self.shown.len() as f64
        }
    }
}

/// The gain of a hit at 0-based `rank`: 1 / log2(rank + 2).
fn discount(rank: usize) -> f64 {
    1.0 / ((rank + 2) as f64).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recall_counts_hits_within_k() {
        assert_eq!(recall_at_k(&[1, 2, 3, 4], &[4], 3), 0.0);
        assert_eq!(recall_at_k(&[1, 2, 3, 4], &[4], 4), 1.0);
        // Five relevant, k = 2: the denominator is 2, not 5.
        assert_eq!(recall_at_k(&[1, 2], &[1, 2, 3, 4, 5], 2), 1.0);
        assert_eq!(recall_at_k(&[1], &[], 5), 0.0);
    }

    #[test]
    fn hit_rate_and_precision_count_within_k() {
        assert_eq!(hit_rate_at_k(&[1, 2, 3], &[3], 2), 0.0);
        assert_eq!(hit_rate_at_k(&[1, 2, 3], &[3, 2], 2), 1.0);
        assert_eq!(hit_rate_at_k(&[], &[3], 2), 0.0);
        // Two hits in a list of 3 at k = 4: 2 / 4, the short list is not excused.
        assert_eq!(precision_at_k(&[5, 6, 7], &[5, 7], 4), 0.5);
        assert_eq!(precision_at_k(&[5], &[5], 0), 0.0);
    }

    #[test]
    fn diversity_and_coverage_match_hand_computed_values() {
        assert_eq!(intra_list_diversity(&[4], |_, _| 0.0), 0.0);
        assert_eq!(intra_list_diversity(&[4, 5], |_, _| 1.0), 0.0);
        assert_eq!(intra_list_diversity(&[4, 5, 6], |_, _| 0.25), 0.75);
        let mut coverage = Coverage::new(4);
        assert_eq!(coverage.share(), 0.0);
        coverage.add(&[0, 0, 9]);
        coverage.add(&[3]);
        assert_eq!(coverage.share(), 0.5);
        assert_eq!(Coverage::new(0).share(), 0.0);
    }

    #[test]
    fn ndcg_matches_a_hand_computed_value() {
        // Hits at ranks 0 and 2 of three, two relevant: (1 + 1/2) / (1 + 1/log2(3)).
        let expected = (1.0 + 0.5) / (1.0 + 1.0 / 3f64.log2());
        assert!((ndcg_at_k(&[7, 8, 9], &[7, 9], 3) - expected).abs() < 1e-12);
        assert_eq!(ndcg_at_k(&[1, 2], &[], 2), 0.0);
    }
}
