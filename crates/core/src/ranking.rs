//! Picking the best few of many scores, the last step of every recommender.
//!
//! ```
//! use aisle_core::ranking::top_k;
//! assert_eq!(top_k(&[0.2, f32::NEG_INFINITY, 0.9, 0.2], 2), [(2, 0.9), (0, 0.2)]);
//! ```

/// The `k` highest finite scores as (position, score), best first; equal scores keep position
/// order. Excluded positions are marked with a non-finite score.
pub fn top_k(scores: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut ranked: Vec<(usize, f32)> = scores
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, score)| score.is_finite())
        .collect();
    let by_score = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if k < ranked.len() {
        ranked.select_nth_unstable_by(k, by_score);
        ranked.truncate(k);
    }
    ranked.sort_by(by_score);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_k_beyond_the_list_and_zero() {
        let items: Vec<usize> = top_k(&[0.5, f32::NEG_INFINITY, 0.5, 0.9], 10)
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(items, [3, 0, 2]);
        assert!(top_k(&[1.0], 0).is_empty());
    }
}
