//! Sparse weighted rows in compressed (CSR) form: item neighbour lists, top-N model weights.
//!
//! Three flat arrays instead of a vector per row, so a 100,000-item model is three allocations,
//! encodes compactly in the bundle and is walked without pointer chasing.
//!
//! ```
//! use aisle_core::math::sparse::SparseRows;
//! let rows = SparseRows::from_rows(vec![vec![(2, 0.5)], vec![], vec![(0, 0.5), (1, 0.25)]]);
//! assert_eq!(rows.row(2), (&[0, 1][..], &[0.5, 0.25][..]));
//! assert_eq!(rows.n_rows(), 3);
//! ```

use serde::{Deserialize, Serialize};

/// Rows of (column, weight) pairs, stored as CSR.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SparseRows {
    /// Row `r` spans `offsets[r]..offsets[r + 1]` of `columns` and `weights`.
    offsets: Vec<u32>,
    columns: Vec<u32>,
    weights: Vec<f32>,
}

impl SparseRows {
    /// Packs rows of (column, weight) pairs, keeping each row's order.
    pub fn from_rows(rows: Vec<Vec<(u32, f32)>>) -> Self {
        let total = rows.iter().map(Vec::len).sum();
        let mut packed = Self {
            offsets: Vec::with_capacity(rows.len() + 1),
            columns: Vec::with_capacity(total),
            weights: Vec::with_capacity(total),
        };
        packed.offsets.push(0);
        for row in rows {
            packed.push_row(&row);
        }
        packed
    }

    /// No rows yet: [`SparseRows::push_row`] adds them.
    pub fn new() -> Self {
        Self {
            offsets: vec![0],
            ..Self::default()
        }
    }

    /// Adds a row of (column, weight) pairs after the last, keeping its order.
    pub fn push_row(&mut self, row: &[(u32, f32)]) {
        // A default value has no offsets at all; its first row starts at 0 all the same.
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        for &(column, weight) in row {
            self.columns.push(column);
            self.weights.push(weight);
        }
        self.offsets.push(self.columns.len() as u32);
    }

    /// Adds `other`'s rows after the last.
    pub fn append(&mut self, other: &SparseRows) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        let shift = self.columns.len() as u32;
        let ends = other.offsets.iter().skip(1).map(|&end| end + shift);
        self.offsets.extend(ends);
        self.columns.extend_from_slice(&other.columns);
        self.weights.extend_from_slice(&other.weights);
    }

    /// Gives back the room the arrays grew beyond their entries.
    pub fn shrink_to_fit(&mut self) {
        self.offsets.shrink_to_fit();
        self.columns.shrink_to_fit();
        self.weights.shrink_to_fit();
    }

    /// Packs rows given as slices of columns and weights, as [`SparseRows::row`] gives them
    /// (a row's columns and weights are paired up to the shorter of the two).
    pub fn from_row_slices<'a>(rows: impl IntoIterator<Item = (&'a [u32], &'a [f32])>) -> Self {
        let mut packed = Self::new();
        for (columns, weights) in rows {
            let length = columns.len().min(weights.len());
            packed.columns.extend_from_slice(&columns[..length]);
            packed.weights.extend_from_slice(&weights[..length]);
            packed.offsets.push(packed.columns.len() as u32);
        }
        packed
    }

    /// Packs rows given as offsets into `entries` (row `r` spans `offsets[r]..offsets[r + 1]`),
    /// without a `Vec` per row.
    ///
    /// # Panics
    /// When the offsets do not start at 0, go down, or end anywhere but at the last entry.
    pub(crate) fn from_csr(offsets: Vec<u32>, entries: Vec<(u32, f32)>) -> Self {
        assert!(
            offsets.first() == Some(&0)
                && offsets.windows(2).all(|pair| pair[0] <= pair[1])
                && offsets
                    .last()
                    .is_some_and(|&end| end as usize == entries.len()),
            "offsets out of order"
        );
        let (columns, weights) = entries.into_iter().unzip();
        Self {
            offsets,
            columns,
            weights,
        }
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of stored entries.
    pub fn n_entries(&self) -> usize {
        self.columns.len()
    }

    /// Bytes its arrays take.
    pub fn heap_bytes(&self) -> usize {
        self.offsets.len() * size_of::<u32>()
            + self.columns.len() * size_of::<u32>()
            + self.weights.len() * size_of::<f32>()
    }

    /// Row `row`'s (column, weight) pairs in its order (none past the last row).
    pub fn entries(&self, row: usize) -> impl Iterator<Item = (u32, f32)> + '_ {
        let (columns, weights) = self.row(row);
        columns.iter().copied().zip(weights.iter().copied())
    }

    /// The columns and weights of row `row` (empty past the last row).
    pub fn row(&self, row: usize) -> (&[u32], &[f32]) {
        match (self.offsets.get(row), self.offsets.get(row + 1)) {
            (Some(&start), Some(&end)) => {
                let span = start as usize..end as usize;
                (&self.columns[span.clone()], &self.weights[span])
            }
            _ => (&[], &[]),
        }
    }

    /// Adds `scale * weight` to `scores[column]` for every entry of `row`.
    pub fn add_row(&self, row: usize, scale: f32, scores: &mut [f32]) {
        let (columns, weights) = self.row(row);
        for (&column, &weight) in columns.iter().zip(weights) {
            scores[column as usize] += scale * weight;
        }
    }

    /// The transpose: row `c` lists every (row, weight) whose column is `c`, in row order.
    /// `n_columns` is the number of rows of the result.
    ///
    /// # Panics
    /// When a column is not below `n_columns` (see [`SparseRows::is_well_formed`]).
    pub fn transpose(&self, n_columns: usize) -> SparseRows {
        // A counting sort: entries per column, their running sums as the new offsets, then
        // every entry dropped into the next free place of its column's row.
        let mut offsets = vec![0u32; n_columns + 1];
        for &column in &self.columns {
            offsets[column as usize + 1] += 1;
        }
        for column in 0..n_columns {
            offsets[column + 1] += offsets[column];
        }
        let mut next = offsets[..n_columns].to_vec();
        let mut columns = vec![0; self.columns.len()];
        let mut weights = vec![0.0; self.weights.len()];
        for row in 0..self.n_rows() {
            let (row_columns, row_weights) = self.row(row);
            for (&column, &weight) in row_columns.iter().zip(row_weights) {
                let at = &mut next[column as usize];
                columns[*at as usize] = row as u32;
                weights[*at as usize] = weight;
                *at += 1;
            }
        }
        SparseRows {
            offsets,
            columns,
            weights,
        }
    }

    /// True when offsets are monotone and end at the entry count, and every column is below
    /// `n_columns`: what a decoder checks before trusting a file.
    pub fn is_well_formed(&self, n_columns: usize) -> bool {
        self.offsets.first() == Some(&0)
            && self.offsets.windows(2).all(|pair| pair[0] <= pair[1])
            && self.offsets.last().map(|&end| end as usize) == Some(self.columns.len())
            && self.columns.len() == self.weights.len()
            && self
                .columns
                .iter()
                .all(|&column| (column as usize) < n_columns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_pushed_and_appended_a_chunk_at_a_time_equal_rows_packed_at_once() {
        let rows = vec![
            vec![(2, 0.5)],
            vec![],
            vec![(0, 0.5), (1, 0.25)],
            vec![(7, 1.0)],
        ];
        let mut first = SparseRows::new();
        first.push_row(&rows[0]);
        first.push_row(&rows[1]);
        let mut second = SparseRows::new();
        second.push_row(&rows[2]);
        second.push_row(&rows[3]);
        for mut packed in [SparseRows::new(), SparseRows::default()] {
            packed.append(&first);
            packed.append(&SparseRows::new());
            packed.append(&second);
            packed.shrink_to_fit();
            assert_eq!(packed, SparseRows::from_rows(rows.clone()));
        }
    }

    #[test]
    fn rows_pushed_onto_a_default_value_keep_the_first() {
        let mut pushed = SparseRows::default();
        pushed.push_row(&[(3, 0.5)]);
        pushed.push_row(&[]);
        assert_eq!(pushed.n_rows(), 2);
        assert_eq!(pushed.row(0), (&[3][..], &[0.5][..]));
        assert_eq!(pushed, SparseRows::from_rows(vec![vec![(3, 0.5)], vec![]]));
    }

    #[test]
    fn rows_packed_from_slices_read_back_as_given() {
        let rows = SparseRows::from_rows(vec![vec![(2, 0.5)], vec![], vec![(0, 0.5), (1, 0.25)]]);
        let again = SparseRows::from_row_slices((0..3).rev().map(|row| rows.row(row)));
        assert_eq!(again.n_rows(), 3);
        assert_eq!(again.row(0), rows.row(2));
        assert_eq!(again.row(1), rows.row(1));
        assert_eq!(again.row(2), rows.row(0));
    }

    #[test]
    fn rows_pack_and_unpack() {
        let rows = SparseRows::from_rows(vec![vec![(1, 1.0), (3, 2.0)], vec![], vec![(0, 4.0)]]);
        assert_eq!(rows.n_rows(), 3);
        assert_eq!(rows.n_entries(), 3);
        assert_eq!(rows.row(0), (&[1, 3][..], &[1.0, 2.0][..]));
        assert_eq!(rows.row(1), (&[][..], &[][..]));
        assert_eq!(rows.row(9), (&[][..], &[][..]));
        let mut scores = vec![0.0; 4];
        rows.add_row(0, 0.5, &mut scores);
        assert_eq!(scores, [0.0, 0.5, 0.0, 1.0]);
        assert!(rows.is_well_formed(4));
        assert!(!rows.is_well_formed(3));
    }

    #[test]
    fn transpose_swaps_rows_and_columns() {
        let rows = SparseRows::from_rows(vec![vec![(1, 1.0), (2, 2.0)], vec![(2, 3.0)]]);
        let transposed = rows.transpose(3);
        assert_eq!(transposed.row(0), (&[][..], &[][..]));
        assert_eq!(transposed.row(1), (&[0][..], &[1.0][..]));
        assert_eq!(transposed.row(2), (&[0, 1][..], &[2.0, 3.0][..]));
        assert_eq!(transposed.transpose(2), rows);
    }

    #[test]
    fn malformed_offsets_are_caught() {
        let broken = SparseRows {
            offsets: vec![0, 2, 1],
            columns: vec![0, 0],
            weights: vec![1.0, 1.0],
        };
        assert!(!broken.is_well_formed(5));
        assert!(!SparseRows::default().is_well_formed(5));
    }
}
