//! The compact wire form of item-to-item weights: what makes the model small enough to download.
//!
//! Each row is stored with its columns sorted and delta-encoded (varints of a byte or two) and its
//! weights as signed 8-bit levels of the row's largest magnitude. The demo store's EASE weights
//! shrink from 2.2 MB to well under half that; the rounding is at most half a level (0.4% of the
//! row's largest weight), and `aisle evaluate` measures the model after this round trip, as
//! shipped.
//!
//! ```
//! use aisle_core::models::quantized::QuantizedRows;
//! use aisle_core::math::sparse::SparseRows;
//! let rows = SparseRows::from_rows(vec![vec![(2, 1.0), (0, -0.5)], vec![]]);
//! let back = QuantizedRows::from(&rows).unpack().unwrap();
//! assert_eq!(back.row(0).0, [2, 0]); // strongest first, as packed
//! assert!((back.row(0).1[1] + 0.5).abs() < 0.01);
//! ```

use serde::{Deserialize, Serialize};

use crate::math::sparse::SparseRows;

/// The largest magnitude of an 8-bit level.
const LEVELS: f32 = 127.0;

/// Sparse rows with delta-coded columns and 8-bit weights.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuantizedRows {
    /// Entries per row.
    lengths: Vec<u32>,
    /// Per row, columns ascending: the first as is, then differences.
    column_deltas: Vec<u32>,
    /// Per row: the weight of level 127.
    scales: Vec<f32>,
    /// Per entry: the weight in units of its row's scale / 127.
    levels: Vec<i8>,
}

impl From<&SparseRows> for QuantizedRows {
    fn from(rows: &SparseRows) -> Self {
        let mut packed = QuantizedRows::default();
        for row in 0..rows.n_rows() {
            let (columns, weights) = rows.row(row);
            let mut entries: Vec<(u32, f32)> = columns
                .iter()
                .copied()
                .zip(weights.iter().copied())
                .collect();
            entries.sort_unstable_by_key(|&(column, _)| column);
            let scale = entries.iter().map(|(_, w)| w.abs()).fold(0.0, f32::max);
            packed.lengths.push(entries.len() as u32);
            packed.scales.push(scale);
            let mut previous = 0;
            for (column, weight) in entries {
                packed.column_deltas.push(column - previous);
                previous = column;
                let level = if scale > 0.0 {
                    (weight / scale * LEVELS).round()
                } else {
                    0.0
                };
                packed.levels.push(level as i8);
            }
        }
        packed
    }
}

impl QuantizedRows {
    /// Restores the rows, each sorted strongest first (ties: lower column first; a file whose
    /// scale is not positive, which packing never writes, is sorted by level). Fails with a
    /// reason when the arrays disagree in length or a column overflows.
    pub fn unpack(&self) -> Result<SparseRows, String> {
        let entries: u64 = self.lengths.iter().map(|&n| u64::from(n)).sum();
        if self.scales.len() != self.lengths.len()
            || entries != self.column_deltas.len() as u64
            || entries != self.levels.len() as u64
        {
            return Err(format!(
                "inconsistent lists: {} rows, {} scales, {} entries declared, {} columns, {} weights",
                self.lengths.len(),
                self.scales.len(),
                entries,
                self.column_deltas.len(),
                self.levels.len()
            ));
        }
        let mut offsets = Vec::with_capacity(self.lengths.len() + 1);
        let mut entries = Vec::with_capacity(self.levels.len());
        offsets.push(0);
        // One row's entries as integer sort keys: the level's rank from the top, then the
        // column. Sorting these is the weights' order, strongest first with ties to the lower
        // column, as the scale is positive; and integers sort faster than a float comparison.
        let mut keys: Vec<u64> = Vec::new();
        let mut at = 0;
        for (&length, &scale) in self.lengths.iter().zip(&self.scales) {
            keys.clear();
            let mut column: u32 = 0;
            for _ in 0..length {
                column = column
                    .checked_add(self.column_deltas[at])
                    .ok_or_else(|| "a column number overflows".to_owned())?;
                let rank = (i32::from(i8::MAX) - i32::from(self.levels[at])) as u64;
                keys.push(rank << 32 | u64::from(column));
                at += 1;
            }
            keys.sort_unstable();
            entries.extend(keys.iter().map(|&key| {
                let level = i32::from(i8::MAX) - (key >> 32) as i32;
                (key as u32, level as f32 * scale / LEVELS)
            }));
            offsets.push(entries.len() as u32);
        }
        Ok(SparseRows::from_csr(offsets, entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_within_half_a_level() {
        let rows = SparseRows::from_rows(vec![
            vec![(7, 0.9), (3, 0.3), (5, -0.2), (1, 0.001)],
            vec![],
            vec![(0, 0.0)],
        ]);
        let back = QuantizedRows::from(&rows).unpack().unwrap();
        assert_eq!(back.n_rows(), 3);
        let (columns, weights) = back.row(0);
        assert_eq!(columns, [7, 3, 1, 5]);
        for (column, weight) in columns.iter().zip(weights) {
            let original = rows
                .row(0)
                .0
                .iter()
                .position(|c| c == column)
                .map(|i| rows.row(0).1[i])
                .unwrap();
            assert!(
                (weight - original).abs() <= 0.9 / 127.0 / 2.0 + 1e-6,
                "{column}: {weight} vs {original}"
            );
        }
        assert_eq!(back.row(2), (&[0][..], &[0.0][..]));
    }

    #[test]
    fn equal_weights_come_lower_column_first() {
        let rows = SparseRows::from_rows(vec![vec![(9, 0.5), (2, 0.5), (4, 1.0), (5, 0.5)]]);
        let back = QuantizedRows::from(&rows).unpack().unwrap();
        assert_eq!(back.row(0).0, [4, 2, 5, 9]);
    }

    proptest::proptest! {
        #[test]
        fn unpacked_rows_are_strongest_first_with_ties_to_the_lower_column(
            row in proptest::collection::btree_map(0u32..500, -4i8..5, 0..60),
        ) {
            // Few distinct weights, so that ties happen.
            let row: Vec<(u32, f32)> = row.into_iter().map(|(column, w)| (column, f32::from(w) / 4.0)).collect();
            let back = QuantizedRows::from(&SparseRows::from_rows(vec![row])).unpack().unwrap();
            let (columns, weights) = back.row(0);
            let mut expected: Vec<(u32, f32)> = columns.iter().copied().zip(weights.iter().copied()).collect();
            expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            proptest::prop_assert_eq!(columns, expected.iter().map(|e| e.0).collect::<Vec<_>>());
        }
    }

    #[test]
    fn inconsistent_arrays_are_refused() {
        let mut packed = QuantizedRows::from(&SparseRows::from_rows(vec![vec![(1, 1.0)]]));
        packed.levels.clear();
        assert!(packed.unpack().unwrap_err().contains("inconsistent lists"));
        let overflow = QuantizedRows {
            lengths: vec![2],
            column_deltas: vec![u32::MAX, 1],
            scales: vec![1.0],
            levels: vec![1, 1],
        };
        assert!(overflow.unpack().unwrap_err().contains("overflows"));
    }
}
