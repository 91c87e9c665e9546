//! EASE's exact solution: one dense inverse of the regularised Gram matrix.
//!
//! `P = (XᵀX + λI)⁻¹` and `B_ij = −P_ij / P_jj`. Memory is two items × items matrices of f64 and
//! time grows as the cube of the catalog, so [`super::EaseParams::fit`] takes this path only up
//! to [`super::DENSE_LIMIT`] products.

use faer::linalg::solvers::DenseSolveCore;
use faer::{Mat, Side};

use super::{Entries, TargetRows};
use crate::error::{Error, Result};
use crate::models::item_weights::keep_strongest;

/// Each target's `top_n` strongest weights, from the exact inverse.
pub(super) fn solve(entries: &Entries, lambda: f64, top_n: usize) -> Result<TargetRows> {
    let n = entries.n_items();
    // Gram matrix XᵀX + λI: (faded) co-purchase counts, built from each customer's items.
    let mut gram = Mat::<f64>::zeros(n, n);
    for user in entries.users() {
        for &(a, x) in user {
            for &(b, y) in user {
                gram[(a as usize, b as usize)] += x * y;
            }
        }
    }
    for i in 0..n {
        gram[(i, i)] += lambda;
    }
    // Symmetric positive definite for any λ > 0, so Cholesky applies.
    let inverse = gram
        .llt(Side::Lower)
        .map_err(|error| Error::InvalidParameter {
            name: "lambda",
            reason: format!("the regularised Gram matrix is not positive definite ({error:?})"),
        })?
        .inverse();
    drop(gram);

    Ok((0..n)
        .map(|target| {
            let pivot = inverse[(target, target)];
            let mut row: Vec<(u32, f32)> = (0..n)
                .filter(|&source| source != target)
                .map(|source| (source as u32, (-inverse[(source, target)] / pivot) as f32))
                .collect();
            keep_strongest(&mut row, top_n);
            row
        })
        .collect())
}
