//! Feature scaling before clustering: z-score, min-max and robust (median / IQR).
//!
//! k-means measures plain Euclidean distance, so a feature in pounds would drown one in visits
//! per month unless both are put on one scale. A [`Scaler`] is fitted on the training table and
//! kept, so new customers are scaled the same way and centroids can be turned back into original
//! units for the segment cards ([`Scaler::inverse_transform`]).
//!
//! Constant columns: their spread is 0, so dividing would give NaN. The policy is to divide by
//! 1 instead: the column becomes all zeros (or its offset), contributes nothing to distances, and
//! inverts exactly.
//!
//! ```
//! use aisle_core::segmentation::scaling::{Scaler, Scaling};
//! use ndarray::array;
//! let table = array![[1.0f32, 10.0], [3.0, 10.0]];
//! let scaler = Scaler::fit(Scaling::ZScore, table.view()).unwrap();
//! assert_eq!(scaler.transform(table.view()), array![[-1.0f32, 0.0], [1.0, 0.0]]);
//! ```

use ndarray::{Array1, Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, ensure_finite};
use crate::math::stats::quantile;

/// How to scale each feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scaling {
    /// (x − mean) / standard deviation.
    ZScore,
    /// (x − min) / (max − min), into [0, 1].
    MinMax,
    /// (x − median) / interquartile range: outliers (one wholesale buyer) barely move it.
    Robust,
}

/// A fitted per-feature affine map: `scaled = (x − offset) / spread`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    scaling: Scaling,
    offset: Vec<f32>,
    spread: Vec<f32>,
}

impl Scaler {
    /// Fits the scaling on `table` (shape (n_rows, n_features)).
    pub fn fit(scaling: Scaling, table: ArrayView2<f32>) -> Result<Self> {
        if table.nrows() == 0 {
            return Err(Error::InvalidData {
                reason: "no rows to fit a scaler on".into(),
            });
        }
        ensure_finite(table)?;
        let (offset, spread): (Vec<f32>, Vec<f32>) = table
            .axis_iter(Axis(1))
            .map(|column| {
                let mut values: Vec<f64> = column.iter().map(|&v| f64::from(v)).collect();
                let (offset, spread) = match scaling {
                    Scaling::ZScore => {
                        let mean = values.iter().sum::<f64>() / values.len() as f64;
                        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
                            / values.len() as f64;
                        (mean, variance.sqrt())
                    }
                    Scaling::MinMax => {
                        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
                        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        (min, max - min)
                    }
                    Scaling::Robust => {
                        values.sort_by(f64::total_cmp);
                        (
                            quantile(&values, 0.5),
                            quantile(&values, 0.75) - quantile(&values, 0.25),
                        )
                    }
                };
                // Constant column: divide by 1 (see the module docs).
                let spread = if spread > f64::EPSILON * offset.abs().max(1.0) {
                    spread
                } else {
                    1.0
                };
                (offset as f32, spread as f32)
            })
            .unzip();
        Ok(Self {
            scaling,
            offset,
            spread,
        })
    }

    /// The scaling this scaler applies.
    pub fn scaling(&self) -> Scaling {
        self.scaling
    }

    /// Scales a table with the fitted parameters. Shape (n_rows, n_features) in and out.
    pub fn transform(&self, table: ArrayView2<f32>) -> Array2<f32> {
        Array2::from_shape_fn(table.dim(), |(row, feature)| {
            self.scale(feature, table[[row, feature]])
        })
    }

    /// Scales one row (a value per feature) as [`Scaler::transform`] scales each row of a table.
    /// The store places one shopper at a time with it, and so carries no table arithmetic.
    pub fn transform_row(&self, row: &[f32]) -> Vec<f32> {
        row.iter()
            .enumerate()
            .map(|(feature, &value)| self.scale(feature, value))
            .collect()
    }

    fn scale(&self, feature: usize, value: f32) -> f32 {
        (value - self.offset[feature]) / self.spread[feature]
    }

    /// Maps scaled values back to original units (for centroids on segment cards).
    pub fn inverse_transform(&self, table: ArrayView2<f32>) -> Array2<f32> {
        let offset = Array1::from(self.offset.clone());
        let spread = Array1::from(self.spread.clone());
        &table * &spread + &offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;
    use proptest::prelude::*;

    #[test]
    fn each_scaling_matches_hand_computed_values() {
        let table = array![[1.0f32], [2.0], [3.0], [4.0], [100.0]];
        let minmax = Scaler::fit(Scaling::MinMax, table.view())
            .unwrap()
            .transform(table.view());
        assert_eq!(
            minmax.column(0).to_vec(),
            [0.0, 1.0 / 99.0, 2.0 / 99.0, 3.0 / 99.0, 1.0]
        );
        // Median 3, quartiles 2 and 4: IQR 2.
        let robust = Scaler::fit(Scaling::Robust, table.view())
            .unwrap()
            .transform(table.view());
        assert_eq!(robust.column(0).to_vec(), [-1.0, -0.5, 0.0, 0.5, 48.5]);
        // Mean 22, population standard deviation sqrt(1522) = 39.0128.
        let z = Scaler::fit(Scaling::ZScore, table.view())
            .unwrap()
            .transform(table.view());
        assert!((z[(4, 0)] - 78.0 / 1522f32.sqrt()).abs() < 1e-5);
    }

    #[test]
    fn a_row_scales_as_the_tables_rows_do() {
        let table = array![[1.0f32, 10.0, -3.0], [2.5, 12.0, 0.0], [7.0, 11.0, 4.0]];
        for scaling in [Scaling::ZScore, Scaling::MinMax, Scaling::Robust] {
            let scaler = Scaler::fit(scaling, table.view()).unwrap();
            let scaled = scaler.transform(table.view());
            for (row, expected) in table.rows().into_iter().zip(scaled.rows()) {
                let row = scaler.transform_row(row.as_slice().unwrap());
                assert_eq!(row, expected.to_vec(), "{scaling:?}");
            }
        }
    }

    #[test]
    fn constant_columns_become_offsets_not_nan() {
        let table = array![[5.0f32, 1.0], [5.0, 2.0]];
        for scaling in [Scaling::ZScore, Scaling::MinMax, Scaling::Robust] {
            let scaler = Scaler::fit(scaling, table.view()).unwrap();
            let scaled = scaler.transform(table.view());
            assert!(scaled.iter().all(|v| v.is_finite()), "{scaling:?}");
            assert_eq!(scaled.column(0).to_vec(), [0.0, 0.0], "{scaling:?}");
        }
    }

    #[test]
    fn bad_tables_are_refused() {
        assert!(Scaler::fit(Scaling::ZScore, Array2::<f32>::zeros((0, 2)).view()).is_err());
        let error =
            Scaler::fit(Scaling::ZScore, array![[1.0f32, f32::INFINITY]].view()).unwrap_err();
        assert_eq!(error.to_string(), "invalid data: row 0, feature 1 is inf");
    }

    proptest! {
        #[test]
        fn scaling_then_inverse_scaling_is_the_identity(
            values in prop::collection::vec(-1.0e4f32..1.0e4, 3..120),
            which in 0usize..3,
        ) {
            let rows = values.len() / 3;
            let table = Array2::from_shape_vec((rows, 3), values[..rows * 3].to_vec()).unwrap();
            let scaling = [Scaling::ZScore, Scaling::MinMax, Scaling::Robust][which];
            let scaler = Scaler::fit(scaling, table.view()).unwrap();
            let back = scaler.inverse_transform(scaler.transform(table.view()).view());
            // Identity up to f32 rounding at the column's own scale: a value near 0 in a column
            // reaching 10^4 cannot come back closer than about 10^4 * f32::EPSILON.
            for (column, restored) in table.columns().into_iter().zip(back.columns()) {
                let magnitude = column.iter().fold(1.0f32, |m, v| m.max(v.abs()));
                for (original, restored) in column.iter().zip(restored) {
                    prop_assert!((original - restored).abs() <= 16.0 * f32::EPSILON * magnitude, "{original} vs {restored}");
                }
            }
        }
    }
}
