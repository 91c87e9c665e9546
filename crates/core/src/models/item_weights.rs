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

    /// Wraps per-source lists: row `i` holds the (target, weight) pairs `i` feeds, targets
    /// ascending. Each target's list is then sorted strongest first, ties to the lower source.
    ///
    /// # Panics
    /// When a target is not below the number of rows; decoders check first.
    pub fn from_sources(per_source: SparseRows) -> Self {
        let by_target = per_source.transpose(per_source.n_rows());
        let mut offsets = Vec::with_capacity(by_target.n_rows() + 1);
        let mut entries = Vec::with_capacity(by_target.n_entries());
        offsets.push(0);
        // Each row's entries as integer keys, the weight's rank from the top then the source,
        // so one unstable integer sort puts them strongest first, ties to the lower source.
        let mut keys: Vec<u64> = Vec::new();
        for target in 0..by_target.n_rows() {
            let (sources, weights) = by_target.row(target);
            keys.clear();
            keys.extend(sources.iter().zip(weights).map(|(&source, &weight)| {
                u64::from(rank_from_top(weight)) << 32 | u64::from(source)
            }));
            keys.sort_unstable();
            entries.extend(
                keys.iter()
                    .map(|&key| (key as u32, weight_of_rank((key >> 32) as u32))),
            );
            offsets.push(entries.len() as u32);
        }
        Self {
            per_target: SparseRows::from_csr(offsets, entries),
            per_source,
        }
    }

    /// The model as a browser gets it: each source's weights through the 8-bit wire form and
    /// back, as a bundle's shards carry them ([`QuantizedRows`], a scale per source product).
    pub fn as_shipped(&self) -> ItemWeights {
        let per_source = QuantizedRows::from(&self.per_source)
            .unpack_in_column_order()
            .expect("packing well-formed lists yields well-formed lists");
        Self::from_sources(per_source)
    }

    /// The model as shipped with only each target's `n` strongest of `per_target`'s weights
    /// (rows strongest first, as [`crate::models::ease::EaseParams::fit_each`] gives
    /// them): what fitting with `n` kept and shipping would give.
    pub fn shipped_top(per_target: &SparseRows, n: usize) -> ItemWeights {
        let kept = SparseRows::from_row_slices((0..per_target.n_rows()).map(|target| {
            let (sources, weights) = per_target.row(target);
            let n = n.min(sources.len());
            (&sources[..n], &weights[..n])
        }));
        Self::from_targets(kept).as_shipped()
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

/// A weight's place in a descending order, as an integer: 0 for the largest f32, counting up
/// as weights get smaller (`total_cmp`'s order, reversed).
fn rank_from_top(weight: f32) -> u32 {
    let bits = weight.to_bits();
    let ascending = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    };
    !ascending
}

/// The weight whose [`rank_from_top`] is `rank`.
fn weight_of_rank(rank: u32) -> f32 {
    let ascending = !rank;
    let bits = if ascending >> 31 == 1 {
        ascending & !(1 << 31)
    } else {
        !ascending
    };
    f32::from_bits(bits)
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

    proptest::proptest! {
        #[test]
        fn ranks_order_weights_from_the_top_and_give_them_back(a in proptest::num::f32::ANY, b in proptest::num::f32::ANY) {
            proptest::prop_assume!(!a.is_nan() && !b.is_nan());
            proptest::prop_assert_eq!(weight_of_rank(rank_from_top(a)).to_bits(), a.to_bits());
            proptest::prop_assert_eq!(rank_from_top(a).cmp(&rank_from_top(b)), b.total_cmp(&a));
        }
    }

    #[test]
    fn per_source_lists_give_each_target_its_feeders_strongest_first() {
        let per_source = SparseRows::from_rows(vec![
            vec![(2, 0.25)],
            vec![(0, -0.5), (2, 0.5)],
            vec![(2, 0.25)],
        ]);
        let model = ItemWeights::from_sources(per_source.clone());
        assert_eq!(
            model.targets().row(2),
            (&[1, 0, 2][..], &[0.5, 0.25, 0.25][..])
        );
        assert_eq!(model.targets().row(0), (&[1][..], &[-0.5][..]));
        assert_eq!(model.sources(), &per_source);
        assert_eq!(ItemWeights::from_targets(model.targets().clone()), model);
    }

    #[test]
    fn strongest_weights_are_kept_in_order() {
        let mut row = vec![(4, 0.1), (2, 0.9), (7, 0.5), (1, 0.5)];
        keep_strongest(&mut row, 3);
        assert_eq!(row, [(2, 0.9), (1, 0.5), (7, 0.5)]);
    }
}
