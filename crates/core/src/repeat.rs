//! Buy it again: the products a customer bought before, most often bought first.
//!
//! In a gift wholesaler's log most of next month's basket is a re-order, so this simple signal
//! beats every collaborative model on task `all` of the evaluation protocol; it is also what the
//! "Buy it again" placement shows.
//!
//! ```
//! use aisle_core::repeat::add_repeat_scores;
//! let mut scores = vec![0.0; 3];
//! add_repeat_scores(&[(0, 1), (2, 5)], 1.0, &mut scores); // item 2 bought in five lines
//! assert!(scores[2] > scores[0] && scores[0] > scores[1]);
//! ```

/// Adds `weight * (1 + ln(lines))` for each (product, lines bought) in `history`: any purchase
/// counts, and repeated ones count more with diminishing returns.
pub fn add_repeat_scores(history: &[(u32, u32)], weight: f32, scores: &mut [f32]) {
    for &(item, lines) in history {
        scores[item as usize] += weight * (1.0 + (lines.max(1) as f32).ln());
    }
}
