//! EASE's exact solution: one dense inverse of the regularised Gram matrix.
//!
//! `P = (XᵀX + λI)⁻¹` and `B_ij = −P_ij / P_jj`. Memory is two items × items matrices of f64 and
//! time grows as the cube of the catalog, so [`super::EaseParams::fit`] takes this path only up
//! to [`super::DENSE_LIMIT`] products. Holding every target's whole row, it is also where other
//! weights can be summed into EASE's before each target keeps its strongest ([`AddedWeights`]).

use faer::linalg::solvers::DenseSolveCore;
use faer::{Mat, Side};

use super::{AddedWeights, Entries, TargetRows};
use crate::error::{Error, Result};
use crate::models::item_weights::keep_strongest;

/// Each target's `top_n` strongest weights, from the exact inverse, once for each of `added`:
/// what is summed in first, if anything. The inverse is computed once for all of them.
pub(super) fn solve(
    entries: &Entries,
    lambda: f64,
    top_n: usize,
    added: &[Option<AddedWeights>],
) -> Result<Vec<TargetRows>> {
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
    let ease =
        |source: usize, target: usize| -inverse[(source, target)] / inverse[(target, target)];
    // EASE's Frobenius norm, which the added weights are scaled against.
    let norm = added.iter().any(Option::is_some).then(|| {
        let squares: f64 = (0..n)
            .flat_map(|target| (0..n).map(move |source| (source, target)))
            .filter(|&(source, target)| source != target)
            .map(|(source, target)| ease(source, target).powi(2))
            .sum();
        squares.sqrt()
    });
    let mut full = vec![0.0; n];
    Ok(added
        .iter()
        .map(|added| {
            // `weight` times the ratio of the two matrices' Frobenius norms.
            let added = added.map(|added| {
                let scale = added.weight * norm.unwrap_or(0.0) / added.model.norm();
                (added.model.targets(), scale)
            });
            (0..n)
                .map(|target| {
                    for (source, weight) in full.iter_mut().enumerate() {
                        *weight = ease(source, target);
                    }
                    if let Some((targets, scale)) = added {
                        let (sources, weights) = targets.row(target);
                        for (&source, &weight) in sources.iter().zip(weights) {
                            full[source as usize] += scale * f64::from(weight);
                        }
                    }
                    let mut row: Vec<(u32, f32)> = (0..n)
                        .filter(|&source| source != target)
                        .map(|source| (source as u32, full[source] as f32))
                        .collect();
                    keep_strongest(&mut row, top_n);
                    row
                })
                .collect()
        })
        .collect())
}
