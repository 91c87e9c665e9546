//! PCA to two dimensions, for the studio's scatter plot of customers by segment.
//!
//! The feature tables are narrow (a dozen features at most), so the covariance matrix is small
//! and its eigenvectors come from cyclic Jacobi rotations: exact, dependency-free and the same
//! in the browser as natively. Each component's sign is fixed so its largest coordinate is
//! positive, so plots do not flip between runs.
//!
//! ```
//! use aisle_core::segmentation::pca::Pca2;
//! use ndarray::array;
//! let points = array![[0.0f32, 0.0], [1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]; // all on y = 2x
//! let pca = Pca2::fit(points.view()).unwrap();
//! assert!(pca.explained_variance_ratio()[0] > 0.999);
//! assert_eq!(pca.transform(points.view()).dim(), (4, 2));
//! ```

use ndarray::{Array1, Array2, ArrayView2, Axis};

use crate::error::{Error, Result, ensure_finite};

/// A fitted projection onto the two directions of largest variance.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca2 {
    mean: Array1<f32>,
    /// (2, n_features): the components as rows.
    components: Array2<f32>,
    explained_variance_ratio: [f64; 2],
}

impl Pca2 {
    /// Fits on `table` (shape (n_rows, n_features)), which needs at least one row.
    pub fn fit(table: ArrayView2<f32>) -> Result<Self> {
        if table.nrows() == 0 || table.ncols() == 0 {
            return Err(Error::InvalidData {
                reason: "PCA needs at least one row and one feature".into(),
            });
        }
        ensure_finite(table)?;
        let (n, d) = table.dim();
        let mean = table
            .mapv(f64::from)
            .mean_axis(Axis(0))
            .expect("at least one row");
        let mut covariance = Array2::<f64>::zeros((d, d));
        for row in table.rows() {
            let centred: Vec<f64> = row
                .iter()
                .zip(&mean)
                .map(|(&v, m)| f64::from(v) - m)
                .collect();
            for a in 0..d {
                for b in a..d {
                    covariance[(a, b)] += centred[a] * centred[b] / n as f64;
                }
            }
        }
        for a in 0..d {
            for b in 0..a {
                covariance[(a, b)] = covariance[(b, a)];
            }
        }
        let (values, vectors) = symmetric_eigen(covariance);
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
        let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
        let mut components = Array2::<f32>::zeros((2, d));
        let mut explained_variance_ratio = [0.0; 2];
        for (slot, &which) in order.iter().take(2).enumerate() {
            let column = vectors.column(which);
            let largest = column
                .iter()
                .copied()
                .fold(0.0f64, |m, v| if v.abs() > m.abs() { v } else { m });
            let sign = if largest < 0.0 { -1.0 } else { 1.0 };
            components
                .row_mut(slot)
                .assign(&column.mapv(|v| (v * sign) as f32));
            explained_variance_ratio[slot] = if total > 0.0 {
                values[which].max(0.0) / total
            } else {
                0.0
            };
        }
        Ok(Self {
            mean: mean.mapv(|m| m as f32),
            components,
            explained_variance_ratio,
        })
    }

    /// Projects rows onto the two components. Shape (n_rows, n_features) in, (n_rows, 2) out.
    pub fn transform(&self, table: ArrayView2<f32>) -> Array2<f32> {
        (&table - &self.mean).dot(&self.components.t())
    }

    /// The share of the total variance along each component.
    pub fn explained_variance_ratio(&self) -> [f64; 2] {
        self.explained_variance_ratio
    }

    /// The components as rows. Shape (2, n_features).
    pub fn components(&self) -> ArrayView2<'_, f32> {
        self.components.view()
    }
}

/// Eigenvalues and eigenvectors (as columns) of a symmetric matrix by cyclic Jacobi rotations.
fn symmetric_eigen(mut a: Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let d = a.nrows();
    let mut vectors = Array2::<f64>::eye(d);
    let scale: f64 = a
        .iter()
        .map(|v| v * v)
        .sum::<f64>()
        .sqrt()
        .max(f64::MIN_POSITIVE);
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|p| (0..d).filter(move |&q| q != p).map(move |q| (p, q)))
            .map(|(p, q)| a[(p, q)].powi(2))
            .sum();
        if off.sqrt() <= 1e-14 * scale {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                if a[(p, q)].abs() <= f64::MIN_POSITIVE {
                    continue;
                }
                // The rotation that zeroes a[p][q] (Golub & Van Loan, symmetric Schur).
                let theta = (a[(q, q)] - a[(p, p)]) / (2.0 * a[(p, q)]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (akp, akq) = (a[(k, p)], a[(k, q)]);
                    a[(k, p)] = c * akp - s * akq;
                    a[(k, q)] = s * akp + c * akq;
                }
                for k in 0..d {
                    let (apk, aqk) = (a[(p, k)], a[(q, k)]);
                    a[(p, k)] = c * apk - s * aqk;
                    a[(q, k)] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let (vkp, vkq) = (vectors[(k, p)], vectors[(k, q)]);
                    vectors[(k, p)] = c * vkp - s * vkq;
                    vectors[(k, q)] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..d).map(|i| a[(i, i)]).collect(), vectors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn finds_the_line_the_data_lies_on() {
        let points = array![[0.0f32, 0.0], [1.0, 2.0], [2.0, 4.0], [3.0, 6.0]];
        let pca = Pca2::fit(points.view()).unwrap();
        let first = pca.components().row(0).to_vec();
        let expected = [1.0 / 5f32.sqrt(), 2.0 / 5f32.sqrt()];
        assert!(
            (first[0] - expected[0]).abs() < 1e-6 && (first[1] - expected[1]).abs() < 1e-6,
            "{first:?}"
        );
        // Projections are distances along the line from the mean (1.5, 3).
        let projected = pca.transform(points.view());
        assert!((projected[(0, 0)] + 1.5 * 5f32.sqrt()).abs() < 1e-5);
        assert!(projected.column(1).iter().all(|v| v.abs() < 1e-5));
    }

    #[test]
    fn eigen_decomposition_of_a_known_matrix() {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1.
        let (mut values, _) = symmetric_eigen(array![[2.0, 1.0], [1.0, 2.0]]);
        values.sort_by(f64::total_cmp);
        assert!((values[0] - 1.0).abs() < 1e-12 && (values[1] - 3.0).abs() < 1e-12);
    }

    #[test]
    fn independent_features_split_the_variance() {
        // Variances 4 (feature 0) and 1 (feature 1), uncorrelated.
        let points = array![[2.0f32, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]];
        let pca = Pca2::fit(points.view()).unwrap();
        let [first, second] = pca.explained_variance_ratio();
        assert!((first - 0.8).abs() < 1e-9 && (second - 0.2).abs() < 1e-9);
        assert_eq!(pca.components().row(0).to_vec(), [1.0, 0.0]);
    }

    #[test]
    fn a_single_feature_or_empty_table() {
        let one = array![[1.0f32], [3.0]];
        let pca = Pca2::fit(one.view()).unwrap();
        assert_eq!(
            pca.transform(one.view()),
            array![[-1.0f32, 0.0], [1.0, 0.0]]
        );
        assert!(Pca2::fit(Array2::<f32>::zeros((0, 3)).view()).is_err());
    }
}
