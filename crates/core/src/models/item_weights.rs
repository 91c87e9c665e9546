//! Item-to-item weight models (item-kNN, sparsified EASE) in the form the browser applies.
//!
//! Both models score a shopper's candidate `j` as `Σ w(i, j)` over the items `i` in their
//! history, with each target `j` keeping only its strongest incoming weights. Pruning per target
//! (not per history item) is the classic item-kNN formulation, the one the evaluation protocol's
//! reference numbers use, and it keeps a popular history item from spreading weight to hundreds
//! of weak targets.
//!
//! Scoring walks the history, so alongside the per-target lists the model keeps their transpose
//! ("which targets does `i` feed"). Only the per-target lists are serialised, in the compact
//! [`QuantizedRows`] form; the transpose is rebuilt on load in one pass.
//!
//! ```
//! use aisle_core::models::item_weights::ItemWeights;
//! use aisle_core::math::sparse::SparseRows;
//! // Target 0 is fed by item 1 (weight 0.5); target 1 by item 0 (weight 0.25).
//! let model = ItemWeights::from_targets(SparseRows::from_rows(vec![vec![(1, 0.5)], vec![(0, 0.25)]]));
//! let mut scores = vec![0.0; 2];
//! model.add_scores(&[1], 2.0, &mut scores);
//! assert_eq!(scores, [1.0, 0.0]);
//! ```

use serde::{Deserialize, Serialize};

use crate::math::sparse::SparseRows;
use crate::models::quantized::QuantizedRows;

/// Sparse item-to-item weights, pruned per target item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "QuantizedRows", into = "QuantizedRows")]
pub struct ItemWeights {
    /// Row `j`: (source item `i`, `w(i, j)`), strongest first.
    per_target: SparseRows,
    /// Row `i`: (target item `j`, `w(i, j)`) for every target that kept `i`.
    per_source: SparseRows,
}

/// Decoding checks the lists before transposing them, so a damaged file is an error, not a panic.
impl TryFrom<QuantizedRows> for ItemWeights {
    type Error = String;

    fn try_from(packed: QuantizedRows) -> Result<Self, Self::Error> {
        let per_target = packed.unpack()?;
        if !per_target.is_well_formed(per_target.n_rows()) {
            return Err(format!(
                "malformed item lists: offsets out of order or an item beyond the {} listed",
                per_target.n_rows()
            ));
        }
        Ok(Self::from_targets(per_target))
    }
}

impl From<ItemWeights> for QuantizedRows {
    fn from(model: ItemWeights) -> Self {
        QuantizedRows::from(&model.per_target)
    }
}

impl ItemWeights {
    /// Wraps per-target lists: row `j` holds the (source, weight) pairs feeding target `j`.
    ///
    /// # Panics
    /// When a source is not below the number of rows; decoded data goes through `TryFrom`,
    /// which checks first.
    pub fn from_targets(per_target: SparseRows) -> Self {
        let per_source = per_target.transpose(per_target.n_rows());
        Self {
            per_target,
            per_source,
        }
    }

    /// No weights at all for `n_items` items: what stands in for a part that could not be used.
    pub fn none(n_items: usize) -> Self {
        Self::from_targets(SparseRows::from_rows(vec![vec![]; n_items]))
    }

    /// The model as a browser gets it: through the 8-bit wire form and back.
    pub fn as_shipped(&self) -> ItemWeights {
        Self::shipped(&self.per_target)
    }

    /// `per_target` through the 8-bit wire form and back.
    fn shipped(per_target: &SparseRows) -> ItemWeights {
        ItemWeights::try_from(QuantizedRows::from(per_target))
            .expect("packing well-formed lists yields well-formed lists")
    }

    /// The model as shipped with only each target's `n` strongest of `per_target`'s weights
    /// (rows strongest first, as [`crate::models::ease::EaseParams::fit_each`] gives
    /// them): what fitting with `n` kept and shipping would give. The 8-bit wire form scales
    /// each row by its largest weight, which truncation keeps, so truncating before or after
    /// packing is the same.
    pub fn shipped_top(per_target: &SparseRows, n: usize) -> ItemWeights {
        let rows = (0..per_target.n_rows())
            .map(|target| {
                let (sources, weights) = per_target.row(target);
                sources
                    .iter()
                    .copied()
                    .zip(weights.iter().copied())
                    .take(n)
                    .collect()
            })
            .collect();
        Self::shipped(&SparseRows::from_rows(rows))
    }

    /// Row `j`: the items feeding target `j` with their weights, strongest first. For item-kNN
    /// these are `j`'s nearest neighbours ("similar items").
    pub fn targets(&self) -> &SparseRows {
        &self.per_target
    }

    /// Row `i`: the targets item `i` feeds with their weights, targets ascending.
    pub fn sources(&self) -> &SparseRows {
        &self.per_source
    }

    /// Number of items the model covers.
    pub fn n_items(&self) -> usize {
        self.per_target.n_rows()
    }

    /// True when the lists are well formed and cover exactly `n_items` items: what a decoder
    /// checks before trusting a file.
    pub fn fits_catalog(&self, n_items: usize) -> bool {
        self.per_target.n_rows() == n_items && self.per_target.is_well_formed(n_items)
    }

    /// Adds `weight * w(i, j)` to `scores[j]` for each history item `i` that target `j` kept.
    pub fn add_scores(&self, history: &[u32], weight: f32, scores: &mut [f32]) {
        for &item in history {
            self.per_source.add_row(item as usize, weight, scores);
        }
    }
}

/// Keeps the `n` largest weights of a row, sorted descending; ties go to the lower column.
pub(crate) fn keep_strongest(row: &mut Vec<(u32, f32)>, n: usize) {
    let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if row.len() > n {
        row.select_nth_unstable_by(n, order);
        row.truncate(n);
    }
    row.sort_unstable_by(order);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_keeps_the_lists_and_rebuilds_the_transpose() {
        let model = ItemWeights::from_targets(SparseRows::from_rows(vec![
            vec![(1, 0.5)],
            vec![(0, 0.25)],
            vec![],
        ]));
        let bytes = postcard::to_stdvec(&model).unwrap();
        assert_eq!(postcard::from_bytes::<ItemWeights>(&bytes).unwrap(), model);
    }

    #[test]
    fn strongest_weights_are_kept_in_order() {
        let mut row = vec![(4, 0.1), (2, 0.9), (7, 0.5), (1, 0.5)];
        keep_strongest(&mut row, 3);
        assert_eq!(row, [(2, 0.9), (1, 0.5), (7, 0.5)]);
    }
}
