//! The compact wire form of item-to-item weights: what makes the model small enough to download.
//!
//! Each row is stored with its columns sorted and delta-encoded (varints of a byte or two) and its
//! weights as signed 8-bit levels of its scale: the row's largest magnitude, kept to 16 bits
//! ([`bfloat16`]). The demo store's EASE weights shrink from 2.2 MB to well under half that; the
//! rounding is at most half a level (0.4% of the row's largest weight, as the scale is within
//! 0.4% of it), and `aisle evaluate` measures the model after this round trip, as shipped.
//!
//! A bundle ships the same levels read the other way, by column, in groups of columns
//! ([`ColumnGroup`]: the EASE rows of one shard of products, listed by the history product that
//! feeds them), with the rows' scales in a file of their own. Every reader turns a level into a
//! weight with one expression, so a weight read from a group is the same number, to the bit, as
//! the one read from the whole rows.
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

use crate::math::bfloat16;
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
                (key as u32, weight_of(level as i8, scale))
            }));
            offsets.push(entries.len() as u32);
        }
        Ok(SparseRows::from_csr(offsets, entries))
    }
}

/// One stored weight: (row, column, level).
type Entry = (u32, u32, i8);

/// The weight an 8-bit `level` stands for in a row whose level 127 weighs `scale`: one
/// expression for every reader, so a row read whole or from a shard gives the same bits.
fn weight_of(level: i8, scale: f32) -> f32 {
    f32::from(level) * scale / LEVELS
}

impl QuantizedRows {
    /// Each row's scale: the weight of its level 127.
    pub(crate) fn scales(&self) -> &[f32] {
        &self.scales
    }

    /// Every entry as (row, column, level); see [`listed_entries`].
    fn entries(&self) -> Result<Vec<Entry>, String> {
        listed_entries(&self.lengths, &self.column_deltas, &self.levels)
    }

    /// Packs (row, column, level) entries sorted by row then column, for `n_rows` rows with
    /// these scales.
    fn from_entries(n_rows: usize, scales: Vec<f32>, entries: &[Entry]) -> Self {
        let mut packed = QuantizedRows {
            lengths: vec![0; n_rows],
            column_deltas: Vec::with_capacity(entries.len()),
            scales,
            levels: Vec::with_capacity(entries.len()),
        };
        let mut previous = (u32::MAX, 0);
        for &(row, column, level) in entries {
            packed.lengths[row as usize] += 1;
            let base = if previous.0 == row { previous.1 } else { 0 };
            packed.column_deltas.push(column - base);
            packed.levels.push(level);
            previous = (row, column);
        }
        packed
    }

    /// The same weights listed by column and split into groups of columns: group `g` holds,
    /// for each column of `groups[g]` (ascending), that column's (row, level) entries. What a
    /// per-row scale keeps exact when rows are read by column: the levels, with the scales
    /// ([`QuantizedRows::scales`]) shipped apart.
    pub(crate) fn split_by_column(&self, groups: &[&[u32]]) -> Vec<ColumnGroup> {
        let n_columns = groups.iter().map(|columns| columns.len()).sum();
        let entries = self
            .entries()
            .expect("packing well-formed lists yields well-formed lists");
        let by_column = sorted_by_first(swapped(entries), n_columns);
        let mut slot_of = vec![(0, 0); n_columns];
        for (group, columns) in groups.iter().enumerate() {
            for (slot, &column) in columns.iter().enumerate() {
                slot_of[column as usize] = (group, slot);
            }
        }
        let mut split: Vec<(Vec<Entry>, usize)> = groups
            .iter()
            .map(|columns| (Vec::new(), columns.len()))
            .collect();
        for (column, row, level) in by_column {
            let (group, slot) = slot_of[column as usize];
            split[group].0.push((slot as u32, row, level));
        }
        split
            .into_iter()
            .map(|(entries, n_columns)| {
                let packed = Self::from_entries(n_columns, Vec::new(), &entries);
                ColumnGroup {
                    lengths: packed.lengths,
                    row_deltas: packed.column_deltas,
                    levels: packed.levels,
                }
            })
            .collect()
    }

    /// Puts groups made by [`QuantizedRows::split_by_column`] back together: `groups` pairs
    /// each with the columns it was made for; `scales` are the rows'.
    pub(crate) fn join_columns(
        groups: &[(&[u32], &ColumnGroup)],
        scales: Vec<f32>,
    ) -> Result<Self, String> {
        let mut entries = Vec::new();
        for (columns, group) in groups {
            for (slot, row, level) in group.entries()? {
                let column = *columns.get(slot as usize).ok_or_else(|| {
                    format!(
                        "{} lists, for {} products",
                        group.lengths.len(),
                        columns.len()
                    )
                })?;
                entries.push((row, column, level));
            }
        }
        let n_rows = scales.len();
        if let Some(&(row, ..)) = entries.iter().find(|entry| entry.0 as usize >= n_rows) {
            return Err(format!("an entry of row {row}, beyond the {n_rows} scales"));
        }
        // By row, then column: sorting by column first keeps that order within each row.
        let n_columns = groups.iter().map(|(columns, _)| columns.len()).sum();
        let by_column = sorted_by_first(swapped(entries), n_columns);
        let by_row = sorted_by_first(swapped(by_column), n_rows);
        Ok(Self::from_entries(n_rows, scales, &by_row))
    }
}

/// Each entry with its first two fields swapped: (row, column, level) as (column, row, level),
/// and back.
fn swapped(entries: Vec<Entry>) -> Vec<Entry> {
    entries
        .into_iter()
        .map(|(first, second, level)| (second, first, level))
        .collect()
}

/// `entries` in order of their first field, each below `n_keys`, keeping the order of entries
/// with the same first field: a counting sort, linear in the entries and keys, where comparing
/// would cost a log factor more (and the store's download a comparison sort's code).
fn sorted_by_first(entries: Vec<Entry>, n_keys: usize) -> Vec<Entry> {
    let mut starts = vec![0usize; n_keys + 1];
    for entry in &entries {
        starts[entry.0 as usize + 1] += 1;
    }
    for key in 0..n_keys {
        starts[key + 1] += starts[key];
    }
    let mut sorted = vec![(0, 0, 0); entries.len()];
    for entry in entries {
        let at = &mut starts[entry.0 as usize];
        sorted[*at] = entry;
        *at += 1;
    }
    sorted
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

/// One group of columns of [`QuantizedRows`], read by column: for each column, its rows
/// ascending (the first as is, then differences) and their levels. The rows' scales travel
/// apart, so each weight is exactly what the whole rows give.
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
    /// The group's columns as rows of (row, weight), given the rows' `scales`, for a group
    /// made for `n_columns` columns. Fails with a reason when the lists disagree, there is not
    /// one list per column, or an entry's row has no scale.
    pub(crate) fn weights(&self, n_columns: usize, scales: &[f32]) -> Result<SparseRows, String> {
        let entries = self
            .checked_entries(n_columns, scales.len())?
            .into_iter()
            .map(|(_, row, level)| (row, weight_of(level, scales[row as usize])))
            .collect();
        let offsets = std::iter::once(0)
            .chain(self.lengths.iter().scan(0, |end, &length| {
                *end += length;
                Some(*end)
            }))
            .collect();
        Ok(SparseRows::from_csr(offsets, entries))
    }

    /// Checks that the group has one list per column of `n_columns` and every entry a row
    /// below `n_rows`, with a reason when not.
    pub(crate) fn check(&self, n_columns: usize, n_rows: usize) -> Result<(), String> {
        self.checked_entries(n_columns, n_rows).map(drop)
    }

    /// [`ColumnGroup::check`], giving the entries when they pass.
    fn checked_entries(&self, n_columns: usize, n_rows: usize) -> Result<Vec<Entry>, String> {
        if self.lengths.len() != n_columns {
            return Err(format!(
                "{} lists, for {n_columns} products",
                self.lengths.len()
            ));
        }
        let entries = self.entries()?;
        match entries.iter().find(|entry| entry.1 as usize >= n_rows) {
            Some(&(_, row, _)) => Err(format!(
                "an entry of item {row}, beyond the {n_rows} products"
            )),
            None => Ok(entries),
        }
    }

    /// Every entry as (column slot, row, level), slots in order and each one's rows ascending.
    fn entries(&self) -> Result<Vec<Entry>, String> {
        listed_entries(&self.lengths, &self.row_deltas, &self.levels)
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
