//! Ranking metrics for offline evaluation, as the evaluation protocol defines them.
//!
//! Recall@K divides hits by `min(K, |relevant|)`, so a user with three relevant items can reach
//! 1.0; NDCG@K uses binary gains and a log2 discount, normalised by the ideal DCG over
//! `min(K, |relevant|)` items.
//!
//! ```
//! use aisle_core::metrics::{ndcg_at_k, recall_at_k};
//! assert_eq!(recall_at_k(&[4, 2, 9], &[2, 7], 3), 0.5);
//! assert!((ndcg_at_k(&[2, 4], &[2], 2) - 1.0).abs() < 1e-12);
//! ```

/// Hits in the first `k` of `ranked` over `min(k, |relevant|)`; 0 when nothing is relevant.
pub fn recall_at_k(ranked: &[u32], relevant: &[u32], k: usize) -> f64 {
    let denominator = k.min(relevant.len());
    if denominator == 0 {
        return 0.0;
    }
    let hits = ranked
        .iter()
        .take(k)
        .filter(|item| relevant.contains(item))
        .count();
    hits as f64 / denominator as f64
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
    fn ndcg_matches_a_hand_computed_value() {
        // Hits at ranks 0 and 2 of three, two relevant: (1 + 1/2) / (1 + 1/log2(3)).
        let expected = (1.0 + 0.5) / (1.0 + 1.0 / 3f64.log2());
        assert!((ndcg_at_k(&[7, 8, 9], &[7, 9], 3) - expected).abs() < 1e-12);
        assert_eq!(ndcg_at_k(&[1, 2], &[], 2), 0.0);
    }
}
