//! Diversity re-ranking by maximal marginal relevance (MMR, Carbonell and Goldstein, 1998).
//!
//! A list ranked by score alone often repeats itself: eight colours of one lunch bag. MMR builds
//! the list greedily, each time taking the candidate with the best
//! `(1 − diversity) × relevance − diversity × (largest similarity to anything already taken)`,
//! where relevance is the candidate's score rescaled to [0, 1] over the candidates (best 1,
//! worst 0). `diversity` 0 keeps the score order; 1 cares only about being unlike what is
//! already shown. The first pick is always the best-scored candidate.
//!
//! ```
//! use aisle_core::serve::diversity::rerank;
//! // Scores 1.0, 0.9, 0.5; candidates 0 and 1 are near twins, 2 is unlike both.
//! let similarity = |a: usize, b: usize| if a + b == 1 { 0.95 } else { 0.0 };
//! assert_eq!(rerank(&[(0, 1.0), (1, 0.9), (2, 0.5)], 3, 0.0, similarity), [0, 1, 2]);
//! assert_eq!(rerank(&[(0, 1.0), (1, 0.9), (2, 0.5)], 3, 0.5, similarity), [0, 2, 1]);
//! ```

/// Up to `k` of `candidates` (item, score), in MMR order for `diversity` in [0, 1] (clamped),
/// with `similarity` between two items in [0, 1]. Ties go to the earlier candidate.
pub fn rerank(
    candidates: &[(usize, f32)],
    k: usize,
    diversity: f32,
    similarity: impl Fn(usize, usize) -> f32,
) -> Vec<usize> {
    let diversity = if diversity.is_nan() {
        0.0
    } else {
        diversity.clamp(0.0, 1.0)
    };
    let finite = candidates.iter().map(|c| c.1).filter(|s| s.is_finite());
    let best = finite.clone().fold(f32::NEG_INFINITY, f32::max);
    let worst = finite.fold(f32::INFINITY, f32::min);
    let span = best - worst;
    let relevance = |score: f32| {
        if !score.is_finite() {
            0.0
        } else if span > 0.0 {
            (score - worst) / span
        } else {
            1.0
        }
    };
    let mut remaining: Vec<(usize, f32)> = candidates
        .iter()
        .map(|&(item, score)| (item, relevance(score)))
        .collect();
    // Per remaining candidate, its largest similarity to the list so far.
    let mut closest = vec![0.0f32; remaining.len()];
    let mut chosen = Vec::with_capacity(k.min(remaining.len()));
    while chosen.len() < k && !remaining.is_empty() {
        let mut pick = 0;
        let mut pick_value = f32::NEG_INFINITY;
        for (position, (&(_, relevant), &near)) in remaining.iter().zip(&closest).enumerate() {
            let value = (1.0 - diversity) * relevant - diversity * near;
            if value > pick_value {
                (pick, pick_value) = (position, value);
            }
        }
        let (item, _) = remaining.remove(pick);
        closest.remove(pick);
        for (&(other, _), near) in remaining.iter().zip(&mut closest) {
            *near = near.max(similarity(item, other));
        }
        chosen.push(item);
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items 0..4: 0 and 1 twins (0.9), 1 and 2 alike (0.5), 3 unlike all.
    fn similarity(a: usize, b: usize) -> f32 {
        match (a.min(b), a.max(b)) {
            (0, 1) => 0.9,
            (1, 2) => 0.5,
            _ => 0.0,
        }
    }

    const CANDIDATES: [(usize, f32); 4] = [(0, 4.0), (1, 3.0), (2, 2.0), (3, 0.0)];

    #[test]
    fn matches_a_hand_computed_order() {
        // diversity 0.5. Relevance: 1, 0.75, 0.5, 0. Pick 0. Then values: 1 -> (0.75 - 0.9) / 2
        // < 0; 2 -> 0.25; 3 -> 0. Pick 2. Then 1 -> still (0.75 - 0.9) / 2; 3 -> 0. Pick 3, then 1.
        assert_eq!(rerank(&CANDIDATES, 4, 0.5, similarity), [0, 2, 3, 1]);
    }

    #[test]
    fn no_diversity_keeps_the_score_order_and_k_truncates() {
        assert_eq!(rerank(&CANDIDATES, 3, 0.0, similarity), [0, 1, 2]);
        assert_eq!(rerank(&CANDIDATES, 9, 0.0, similarity), [0, 1, 2, 3]);
        assert!(rerank(&CANDIDATES, 0, 0.5, similarity).is_empty());
        assert!(rerank(&[], 3, 0.5, similarity).is_empty());
    }

    #[test]
    fn out_of_range_diversity_is_clamped_and_odd_scores_are_safe() {
        assert_eq!(
            rerank(&CANDIDATES, 4, 7.0, similarity),
            rerank(&CANDIDATES, 4, 1.0, similarity)
        );
        assert_eq!(
            rerank(&CANDIDATES, 2, f32::NAN, similarity),
            rerank(&CANDIDATES, 2, 0.0, similarity)
        );
        // Equal scores: every candidate is fully relevant; an excluded one ranks last.
        let odd = [(0, 1.0), (1, 1.0), (2, f32::NEG_INFINITY)];
        assert_eq!(rerank(&odd, 3, 0.0, similarity), [0, 1, 2]);
    }
}
