//! The compact wire form of item-to-item weights: what makes the model small enough to download.
//!
//! Each row is stored with its columns sorted and delta-encoded (varints of a byte or two) and its
//! weights as signed 8-bit levels of its scale: the row's largest magnitude, kept to 16 bits
//! ([`bfloat16`]). The demo store's EASE weights shrink from 2.2 MB to well under half that; the
//! rounding is at most half a level (0.4% of the row's largest weight, as the scale is within
//! 0.4% of it), and `aisle evaluate` measures the model after this round trip, as shipped.
//!
//! A bundle's shards ship rows of this form with their scales as 16-bit planes
//! ([`PlanarRows`]), each shard the rows of its products, so a shard carries every number its
//! rows need. Bundles of format versions 7 to 10 shipped the EASE weights by column instead, in
//! groups of columns whose rows' scales travelled in a file of their own ([`ColumnGroup`]),
//! still read. Every reader turns a level into a weight with one expression, so a weight read
//! from a shard is the same number, to the bit, as the one read from the whole rows.
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

use crate::math::bfloat16::{self, Bfloat16Planes};
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
            let mut entries: Vec<(u32, f32)> = rows.entries(row).collect();
            entries.sort_unstable_by_key(|&(column, _)| column);
            // The scale travels as 16 bits when a bundle ships the scales apart from their
            // levels, so it is rounded here, for every reader alike. Rounding takes it at most
            // 2^-8 of the largest weight below it, whose level, just under 127.5, still rounds
            // to 127.
            let scale = bfloat16::round(entries.iter().map(|(_, w)| w.abs()).fold(0.0, f32::max));
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
        let entries = self.checked_entries()?;
        let mut offsets = Vec::with_capacity(self.lengths.len() + 1);
        let mut unpacked = Vec::with_capacity(entries.len());
        offsets.push(0);
        // One row's entries as integer sort keys: the level's rank from the top, then the
        // column. Sorting these is the weights' order, strongest first with ties to the lower
        // column, as the scale is positive; and integers sort faster than a float comparison.
        let mut keys: Vec<u64> = Vec::new();
        for (row, &scale) in self.scales.iter().enumerate() {
            keys.clear();
            let end = unpacked.len() + self.lengths[row] as usize;
            keys.extend(
                entries[unpacked.len()..end]
                    .iter()
                    .map(|&(_, column, level)| {
                        let rank = (i32::from(i8::MAX) - i32::from(level)) as u64;
                        rank << 32 | u64::from(column)
                    }),
            );
            keys.sort_unstable();
            unpacked.extend(keys.iter().map(|&key| {
                let level = i32::from(i8::MAX) - (key >> 32) as i32;
                (key as u32, weight_of(level as i8, scale))
            }));
            offsets.push(unpacked.len() as u32);
        }
        Ok(SparseRows::from_csr(offsets, unpacked))
    }

    /// Restores the rows as stored, each one's columns ascending: what a reader wants that
    /// adds rows up rather than ranks within them. Fails as [`QuantizedRows::unpack`] does.
    pub fn unpack_in_column_order(&self) -> Result<SparseRows, String> {
        let entries = self.checked_entries()?;
        let weights = entries
            .into_iter()
            .map(|(row, column, level)| (column, weight_of(level, self.scales[row as usize])))
            .collect();
        Ok(SparseRows::from_csr(offsets_of(&self.lengths), weights))
    }

    /// Every entry as (row, column, level), once the lists are checked to agree: one scale a
    /// row, one column and level an entry, no column overflowing.
    fn checked_entries(&self) -> Result<Vec<Entry>, String> {
        if self.scales.len() != self.lengths.len() {
            return Err(format!(
                "inconsistent lists: {} rows, {} scales",
                self.lengths.len(),
                self.scales.len()
            ));
        }
        listed_entries(&self.lengths, &self.column_deltas, &self.levels)
    }
}

/// One stored weight: (row, column, level).
type Entry = (u32, u32, i8);

/// The weight an 8-bit `level` stands for in a row whose level 127 weighs `scale`: one
/// expression for every reader, so a row read whole or from a shard gives the same bits.
fn weight_of(level: i8, scale: f32) -> f32 {
    f32::from(level) * scale / LEVELS
}

/// [`QuantizedRows`] as a bundle's shard ships them: the scales, which packing rounds to 16
/// bits, as [`Bfloat16Planes`], half the bytes of f32s and fewer after gzip, without loss.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanarRows {
    lengths: Vec<u32>,
    column_deltas: Vec<u32>,
    levels: Vec<i8>,
    scales: Bfloat16Planes,
}

impl From<&QuantizedRows> for PlanarRows {
    fn from(rows: &QuantizedRows) -> Self {
        Self {
            lengths: rows.lengths.clone(),
            column_deltas: rows.column_deltas.clone(),
            levels: rows.levels.clone(),
            scales: Bfloat16Planes::from(&rows.scales[..]),
        }
    }
}

impl TryFrom<PlanarRows> for QuantizedRows {
    type Error = String;

    /// Fails with a reason when the scales' planes disagree in length; the lists are checked
    /// when unpacked.
    fn try_from(rows: PlanarRows) -> Result<Self, String> {
        Ok(Self {
            lengths: rows.lengths,
            column_deltas: rows.column_deltas,
            scales: rows.scales.floats()?,
            levels: rows.levels,
        })
    }
}

/// Entries given as lengths per row, delta-coded columns and levels, as (row, column, level):
/// rows in order, each row's columns ascending. Fails with a reason when the lists disagree in
/// length or a column overflows.
fn listed_entries(
    lengths: &[u32],
    column_deltas: &[u32],
    levels: &[i8],
) -> Result<Vec<Entry>, String> {
    let declared: u64 = lengths.iter().map(|&n| u64::from(n)).sum();
    if declared != column_deltas.len() as u64 || declared != levels.len() as u64 {
        return Err(format!(
            "inconsistent lists: {declared} entries declared, {} positions, {} weights",
            column_deltas.len(),
            levels.len()
        ));
    }
    let mut entries = Vec::with_capacity(levels.len());
    let mut at = 0;
    for (row, &length) in lengths.iter().enumerate() {
        let mut column: u32 = 0;
        for _ in 0..length {
            column = column
                .checked_add(column_deltas[at])
                .ok_or_else(|| "a column number overflows".to_owned())?;
            entries.push((row as u32, column, levels[at]));
            at += 1;
        }
    }
    Ok(entries)
}

impl QuantizedRows {
    /// Each row's scale: the weight of its level 127.
    #[cfg(test)]
    pub(crate) fn scales(&self) -> &[f32] {
        &self.scales
    }
}

/// Row offsets, from 0, of rows of these `lengths`.
fn offsets_of(lengths: &[u32]) -> Vec<u32> {
    std::iter::once(0)
        .chain(lengths.iter().scan(0, |end, &length| {
            *end += length;
            Some(*end)
        }))
        .collect()
}

/// One group of columns of per-row quantized weights, read by column: for each column, its
/// rows ascending (the first as is, then differences) and their levels, each in units of its
/// row's scale, which travels apart. How bundles of format versions 7 to 10 ship the EASE
/// weights (rows the targets, a group's columns the products of one shard).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnGroup {
    /// Entries per column.
    lengths: Vec<u32>,
    /// Per column, rows ascending: the first as is, then differences.
    row_deltas: Vec<u32>,
    /// Per entry: the weight in units of its row's scale / 127.
    levels: Vec<i8>,
}

impl ColumnGroup {
    /// The group's columns as rows of (row, weight), rows ascending, given the rows' `scales`,
    /// for a group made for `n_columns` columns. Fails with a reason when the lists disagree,
    /// there is not one list per column, or an entry's row has no scale.
    pub(crate) fn weights(&self, n_columns: usize, scales: &[f32]) -> Result<SparseRows, String> {
        if self.lengths.len() != n_columns {
            return Err(format!(
                "{} lists, for {n_columns} products",
                self.lengths.len()
            ));
        }
        let entries = listed_entries(&self.lengths, &self.row_deltas, &self.levels)?;
        if let Some(&(_, row, _)) = entries
            .iter()
            .find(|entry| entry.1 as usize >= scales.len())
        {
            return Err(format!(
                "an entry of item {row}, beyond the {} products",
                scales.len()
            ));
        }
        let weights = entries
            .into_iter()
            .map(|(_, row, level)| (row, weight_of(level, scales[row as usize])))
            .collect();
        Ok(SparseRows::from_csr(offsets_of(&self.lengths), weights))
    }

    /// `rows` split into groups of their columns, `groups[g]` the columns of group `g`: the
    /// layout of versions 7 to 10, which tests write to check it is still read.
    #[cfg(test)]
    pub(crate) fn split(rows: &QuantizedRows, groups: &[&[u32]]) -> Vec<ColumnGroup> {
        let entries = rows.checked_entries().unwrap();
        groups
            .iter()
            .map(|columns| {
                let mut group = ColumnGroup::default();
                for &column in *columns {
                    let mut previous = 0;
                    let mut length = 0;
                    for &(row, _, level) in entries.iter().filter(|entry| entry.1 == column) {
                        group.row_deltas.push(row - previous);
                        group.levels.push(level);
                        previous = row;
                        length += 1;
                    }
                    group.lengths.push(length);
                }
                group
            })
            .collect()
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
                // Half a level of a scale up to 2^-8 above the largest weight.
                (weight - original).abs() <= 0.9 * (1.0 + 1.0 / 256.0) / 127.0 / 2.0 + 1e-6,
                "{column}: {weight} vs {original}"
            );
        }
        assert_eq!(back.row(2), (&[0][..], &[0.0][..]));
    }

    #[test]
    fn the_largest_weight_stays_level_127_when_its_scale_rounds_down() {
        // Just under halfway above 1 in 16 bits: the scale rounds down to 1.
        let largest = 1.0 + 2f32.powi(-8) - 2f32.powi(-20);
        for sign in [1.0, -1.0] {
            let rows = SparseRows::from_rows(vec![vec![(0, sign * largest), (1, 0.5)]]);
            let packed = QuantizedRows::from(&rows);
            assert_eq!(packed.scales(), [1.0]);
            assert_eq!(packed.levels[0], (sign * 127.0) as i8);
        }
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
            let columns = back.row(0).0;
            let mut expected: Vec<(u32, f32)> = back.entries(0).collect();
            expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            proptest::prop_assert_eq!(columns, expected.iter().map(|e| e.0).collect::<Vec<_>>());
        }
    }

    #[test]
    fn rows_in_column_order_and_planar_scales_carry_the_same_weights() {
        let rows = SparseRows::from_rows(vec![vec![(7, 0.9), (3, -0.3)], vec![], vec![(2, 1e-3)]]);
        let packed = QuantizedRows::from(&rows);
        let planar = PlanarRows::from(&packed);
        let back = QuantizedRows::try_from(planar).unwrap();
        assert_eq!(back, packed);
        let in_column_order = back.unpack_in_column_order().unwrap();
        let strongest_first = back.unpack().unwrap();
        assert_eq!(in_column_order.row(0).0, [3, 7]);
        for row in 0..3 {
            let mut sorted: Vec<(u32, f32)> = strongest_first.entries(row).collect();
            sorted.sort_by_key(|entry| entry.0);
            assert_eq!(in_column_order.entries(row).collect::<Vec<_>>(), sorted);
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
