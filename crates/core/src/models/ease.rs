//! EASE (Steck, 2019): a linear item-to-item model with a closed-form solution.
//!
//! Learn `B` minimising `‖X − XB‖² + λ‖B‖²` with `diag(B) = 0`. With `P = (XᵀX + λI)⁻¹` the answer
//! is `B_ij = −P_ij / P_jj`: one dense inverse of an items × items matrix, so training is native
//! only (this module needs the `train-dense` feature) and takes seconds for a few thousand items.
//!
//! `X` is binary (bought or not) unless [`EaseParams::fading`] gives a time constant: then a
//! customer's entry for a product is `exp(−age / days)`, its age counted from their last purchase
//! of it to `now`, so what customers buy together lately outweighs last year's habits (a shop
//! whose tastes shift with the seasons gains most; the blend's search picks the constant).
//! The browser never sees the dense matrix: each target keeps its `top_n` largest weights as
//! [`ItemWeights`], which is what the evaluation measures too.
//!
//! ```
//! use aisle_core::models::ease::Ease;
//! # use aisle_core::{catalog::Catalog, models::interactions::Interactions, input::orders::OrderLine};
//! // Customers 1 and 2 bought A and B; customer 3 bought C.
//! let lines = [("1", "A"), ("1", "B"), ("2", "A"), ("2", "B"), ("3", "C")].map(|(c, i)| OrderLine::purchase(c, i, 0));
//! let matrix = Interactions::from_orders(&Catalog::from_orders(&lines), &lines);
//! let model = Ease::params().lambda(1.0).fit(&matrix).unwrap();
//! let mut scores = vec![0.0; 3];
//! model.add_scores(&[0], 1.0, &mut scores); // history: A
//! assert!(scores[1] > 0.0 && scores[2] <= 0.0); // B goes with A; C does not
//! ```

use faer::linalg::solvers::DenseSolveCore;
use faer::{Mat, Side};

use crate::error::{Error, Result, ensure_at_least_one, ensure_positive};
#[cfg(test)]
use crate::input::orders::OrderLine;
use crate::math::sparse::SparseRows;
use crate::models::interactions::Interactions;
use crate::models::item_weights::{ItemWeights, keep_strongest};

/// EASE; [`Ease::params`] starts its configuration.
pub struct Ease;

/// Settings for EASE; check and fit with [`EaseParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct EaseParams {
    lambda: f64,
    top_n: usize,
    /// (time constant in days, now in seconds since the epoch), or binary entries.
    fading: Option<(f64, i64)>,
}

impl Ease {
    /// Defaults: λ = 300, 100 weights kept per target item.
    pub fn params() -> EaseParams {
        EaseParams {
            lambda: 300.0,
            top_n: 100,
            fading: None,
        }
    }
}

impl EaseParams {
    /// L2 regularisation λ (> 0): larger values trust rare co-purchases less.
    pub fn lambda(mut self, lambda: f64) -> Self {
        self.lambda = lambda;
        self
    }

    /// Weights kept per target item (at least 1).
    pub fn top_n(mut self, top_n: usize) -> Self {
        self.top_n = top_n;
        self
    }

    /// Entries fade with the age of the customer's last purchase of the product at `now`
    /// (seconds since the epoch), falling to 1/e over `days` (> 0).
    pub fn fading(mut self, days: f64, now: i64) -> Self {
        self.fading = Some((days, now));
        self
    }

    fn check(&self) -> Result<()> {
        ensure_positive("lambda", self.lambda)?;
        if let Some((days, _)) = self.fading {
            ensure_positive("days", days)?;
        }
        ensure_at_least_one("top_n", self.top_n)
    }

    /// Solves for the weights and keeps each target's `top_n` largest.
    pub fn fit(&self, matrix: &Interactions) -> Result<ItemWeights> {
        self.check()?;
        let n = matrix.n_items();
        // Gram matrix XᵀX + λI: (faded) co-purchase counts, built from each customer's items.
        let mut gram = Mat::<f64>::zeros(n, n);
        let mut entries: Vec<(usize, f64)> = Vec::new();
        for user in 0..matrix.n_users() {
            entries.clear();
            entries.extend(matrix.user_items(user).iter().map(|purchase| {
                let value = match self.fading {
                    None => 1.0,
                    Some((days, now)) => {
                        let age_days = (now - purchase.last_at).max(0) as f64 / 86_400.0;
                        (-age_days / days).exp()
                    }
                };
                (purchase.item as usize, value)
            }));
            for &(a, x) in &entries {
                for &(b, y) in &entries {
                    gram[(a, b)] += x * y;
                }
            }
        }
        for i in 0..n {
            gram[(i, i)] += self.lambda;
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

        let rows = (0..n)
            .map(|target| {
                let pivot = inverse[(target, target)];
                let mut row: Vec<(u32, f32)> = (0..n)
                    .filter(|&source| source != target)
                    .map(|source| (source as u32, (-inverse[(source, target)] / pivot) as f32))
                    .collect();
                keep_strongest(&mut row, self.top_n);
                row
            })
            .collect();
        Ok(ItemWeights::from_targets(SparseRows::from_rows(rows)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::matrix;

    #[test]
    fn two_items_match_the_closed_form() {
        // One user bought A and B: XᵀX = [[1, 1], [1, 1]]. With λ = 1, G = [[2, 1], [1, 2]],
        // P = G⁻¹ = [[2, -1], [-1, 2]] / 3, so B_AB = -P_AB / P_BB = (1/3) / (2/3) = 0.5.
        let model = Ease::params()
            .lambda(1.0)
            .fit(&matrix(&[("u", "A"), ("u", "B")], &["A", "B"]))
            .unwrap();
        let (sources, weights) = model.targets().row(1);
        assert_eq!(sources, [0]);
        assert!((weights[0] - 0.5).abs() < 1e-6);
    }

    #[test]
    fn weights_are_cut_to_top_n_per_target() {
        let bought = [
            ("u1", "A"),
            ("u1", "B"),
            ("u1", "C"),
            ("u2", "A"),
            ("u2", "B"),
            ("u3", "C"),
            ("u3", "D"),
        ];
        let model = Ease::params()
            .lambda(0.5)
            .top_n(1)
            .fit(&matrix(&bought, &["A", "B", "C", "D"]))
            .unwrap();
        for target in 0..4 {
            assert_eq!(model.targets().row(target).0.len(), 1);
        }
        // A's strongest source is B (bought together twice).
        assert_eq!(model.targets().row(0).0, [1]);
    }

    #[test]
    fn fading_weighs_recent_co_purchases_more() {
        // u1 bought A and B long ago; u2 and u3 bought A and C just now. B's weight from A
        // shrinks with fading; C's does not.
        let day = 86_400;
        let lines = [
            OrderLine::purchase("u1", "A", 0),
            OrderLine::purchase("u1", "B", 0),
            OrderLine::purchase("u2", "A", 100 * day),
            OrderLine::purchase("u2", "C", 100 * day),
        ];
        let catalog = crate::catalog::Catalog::from_orders(&lines);
        let matrix = Interactions::from_orders(&catalog, &lines);
        let [a, b, c] = ["A", "B", "C"].map(|id| catalog.position(id).unwrap());
        let weight = |model: &ItemWeights, target: usize| {
            let (sources, weights) = model.targets().row(target);
            sources
                .iter()
                .position(|&source| source as usize == a)
                .map_or(0.0, |at| weights[at])
        };
        let plain = Ease::params().lambda(1.0).fit(&matrix).unwrap();
        let faded = Ease::params()
            .lambda(1.0)
            .fading(30.0, 100 * day)
            .fit(&matrix)
            .unwrap();
        assert!((weight(&plain, b) - weight(&plain, c)).abs() < 1e-6);
        assert!(weight(&faded, b) < 0.01 && weight(&faded, c) > 0.3);
    }

    #[test]
    fn bad_parameters_are_named() {
        let empty = matrix(&[], &["A"]);
        assert!(matches!(
            Ease::params().lambda(0.0).fit(&empty).unwrap_err(),
            Error::InvalidParameter { name: "lambda", .. }
        ));
        assert!(matches!(
            Ease::params().top_n(0).fit(&empty).unwrap_err(),
            Error::InvalidParameter { name: "top_n", .. }
        ));
    }
}
