//! Picking the best few of many scores, the last step of every recommender.
//!
//! ```
//! use aisle_core::math::ranking::top_k;
//! assert_eq!(top_k(&[0.2, f32::NEG_INFINITY, 0.9, 0.2], 2), [(2, 0.9), (0, 0.2)]);
//! ```

/// Up to this `k`, [`top_k`] keeps a small sorted list in one pass over the scores; above it,
/// it selects from all of them (insertion would cost O(k) per candidate).
const SMALL_K: usize = 256;

/// The `k` highest finite scores as (position, score), best first; equal scores keep position
/// order. Excluded positions are marked with a non-finite score.
pub fn top_k(scores: &[f32], k: usize) -> Vec<(usize, f32)> {
    if k <= SMALL_K {
        top_few(scores, k)
    } else {
        top_many(scores, k)
    }
}

/// One pass, keeping the best `k` so far in order: most scores fall below the k-th best seen
/// and cost one comparison.
fn top_few(scores: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut best: Vec<(usize, f32)> = Vec::with_capacity(k + 1);
    if k == 0 {
        return best;
    }
    let mut floor = f32::NEG_INFINITY;
    for (position, &score) in scores.iter().enumerate() {
        if !score.is_finite() || (best.len() == k && score <= floor) {
            continue;
        }
        // Earlier positions were seen first, so an equal score goes after them.
        let at = best.partition_point(|&(_, kept)| kept >= score);
        best.insert(at, (position, score));
        if best.len() > k {
            best.pop();
        }
        if best.len() == k {
            floor = best[k - 1].1;
        }
    }
    best
}

fn top_many(scores: &[f32], k: usize) -> Vec<(usize, f32)> {
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

    #[test]
    fn the_one_pass_and_the_selection_agree() {
        // Many ties and excluded slots, to exercise both orders.
        let scores: Vec<f32> = (0..5_000)
            .map(|i| match i % 7 {
                0 => f32::NEG_INFINITY,
                r => ((i * 31) % 97) as f32 / r as f32,
            })
            .collect();
        for k in [1, 5, 20, 256, 1_000] {
            assert_eq!(top_few(&scores, k), top_many(&scores, k), "k = {k}");
        }
    }
}
