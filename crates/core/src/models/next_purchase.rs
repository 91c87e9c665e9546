//! What customers go on to buy that is new to them: a ridge regression from a customer's history
//! to the products they first buy in the window that follows, learned from the shop's own past
//! windows.
//!
//! EASE learns which products the same customers buy, whenever they bought them; it has no
//! direction in time. This model has one. For each of the last [`WINDOWS`] windows of
//! [`WINDOW_DAYS`] before `now`, every customer who had bought something before the window and
//! bought something new to them in it gives one example: `x`, the products bought before the
//! window (bought or not), and `y`, those first bought in it. Stacked into `X` and `Y`,
//! `W = (XᵀX + λI)⁻¹ XᵀY`, so a shopper's history times `W` scores what customers with such
//! histories went on to buy next. It is the question "For you" answers, asked of the shop's own
//! past; the blend's search decides per shop how much it counts, 0 leaving it out.
//!
//! The blend adds `W` to EASE's weights before each product keeps its strongest
//! ([`crate::models::ease::EaseParams::fit_each`]), scaled so that a weight of 1 gives both
//! the same total size: the bundle, the store and the JS package rank with one matrix as
//! before. A history whose lines all carry one time has no windows, hence no examples, and the
//! model is empty.
//!
//! `XᵀX` and `XᵀY` are products x products and solved densely, so the model is fitted only for
//! catalogs EASE also solves densely ([`crate::models::ease::DENSE_LIMIT`]): three such matrices of
//! f64 at the peak (0.3 GB for the demo's 3,659 products, 2.4 GB at 10,000), and a Cholesky
//! solve with one right-hand side per product, shared among the cores (about a second and a half
//! for the demo log on two).

use faer::linalg::solvers::Solve;
use faer::{Mat, MatRef, Side};

use crate::error::{Error, Result, ensure_positive};
use crate::math::parallel::in_parallel;
use crate::math::sparse::SparseRows;
use crate::models::interactions::Interactions;
use crate::models::item_weights::keep_strongest;

/// Days in each window an example looks ahead: a month, the horizon "For you" is measured on.
pub const WINDOW_DAYS: i64 = 30;

/// Windows before `now` that give examples: half a year, so a season's turn is in them while
/// most examples see much of the history the final model will.
pub const WINDOWS: i64 = 6;

/// Weights kept per target product: twice the most the bundle ships by default (200), so that
/// adding them to EASE's whole rows and keeping the strongest is, for those shipped, all but
/// adding the whole matrix.
pub const KEPT_PER_TARGET: usize = 400;

/// Targets solved together, on one core: wide enough for blocked arithmetic, narrow enough to
/// share the targets among cores.
const SOLVE_BLOCK: usize = 256;

/// The next-purchase regression; [`NextPurchase::params`] starts its configuration.
pub struct NextPurchase;

/// Settings for [`NextPurchase`]; check and fit with [`NextPurchaseParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct NextPurchaseParams {
    lambda: f64,
}

/// A fitted model: each target product's strongest sources, and the size of the whole matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct NextPurchaseWeights {
    /// Per target: up to [`KEPT_PER_TARGET`] (source, weight), strongest first.
    targets: SparseRows,
    /// Frobenius norm of the whole `W` off its diagonal, before any weight was left out: what
    /// scales it beside EASE.
    norm: f64,
    /// Examples it was learned from.
    examples: usize,
}

impl NextPurchase {
    /// Defaults: λ = 1,600.
    pub fn params() -> NextPurchaseParams {
        NextPurchaseParams { lambda: 1_600.0 }
    }
}

impl NextPurchaseParams {
    /// L2 regularisation λ (> 0). Examples are few (a customer per window), so it is larger
    /// than EASE's.
    pub fn lambda(mut self, lambda: f64) -> Self {
        self.lambda = lambda;
        self
    }

    /// Learns `W` from `matrix`'s first purchases in the [`WINDOWS`] windows before `now`
    /// (seconds since the epoch).
    pub fn fit(&self, matrix: &Interactions, now: i64) -> Result<NextPurchaseWeights> {
        ensure_positive("lambda", self.lambda)?;
        let n = matrix.n_items();
        let mut gram = Mat::<f64>::zeros(n, n);
        let mut cross = Mat::<f64>::zeros(n, n);
        let mut examples = 0;
        let (mut before, mut within) = (Vec::new(), Vec::new());
        for window in 1..=WINDOWS {
            let start = now - window * WINDOW_DAYS * 86_400;
            let end = start + WINDOW_DAYS * 86_400;
            for user in 0..matrix.n_users() {
                before.clear();
                within.clear();
                for purchase in matrix.user_items(user) {
                    if purchase.first_at < start {
                        before.push(purchase.item as usize);
                    } else if purchase.first_at < end {
                        within.push(purchase.item as usize);
                    }
                }
                if before.is_empty() || within.is_empty() {
                    continue;
                }
                examples += 1;
                for &a in &before {
                    for &b in &before {
                        gram[(a, b)] += 1.0;
                    }
                    for &b in &within {
                        cross[(a, b)] += 1.0;
                    }
                }
            }
        }
        if examples == 0 {
            return Ok(NextPurchaseWeights {
                targets: SparseRows::from_rows(vec![Vec::new(); n]),
                norm: 0.0,
                examples,
            });
        }
        for i in 0..n {
            gram[(i, i)] += self.lambda;
        }
        // Symmetric positive definite for any λ > 0, so Cholesky applies.
        let factor = gram
            .llt(Side::Lower)
            .map_err(|error| Error::InvalidParameter {
                name: "lambda",
                reason: format!("the regularised Gram matrix is not positive definite ({error:?})"),
            })?;
        drop(gram);
        // Solving for the targets' columns is most of the time: the cores share it, a block of
        // targets at a time, each solved with the one factor and cut to its strongest. The
        // blocks have a fixed width, so the arithmetic (and the bundle) is the same whatever
        // the number of cores.
        let solved = in_parallel(
            n.div_ceil(SOLVE_BLOCK),
            1,
            || (),
            |(), block| {
                let first = block * SOLVE_BLOCK;
                let mut weights = cross
                    .as_ref()
                    .subcols(first, SOLVE_BLOCK.min(n - first))
                    .to_owned();
                factor.solve_in_place(weights.as_mut());
                strongest_per_target(weights.as_ref(), first)
            },
        );
        let norm = solved
            .iter()
            .map(|(_, squares)| squares)
            .sum::<f64>()
            .sqrt();
        let targets = solved.into_iter().flat_map(|(rows, _)| rows).collect();
        Ok(NextPurchaseWeights {
            targets: SparseRows::from_rows(targets),
            norm,
            examples,
        })
    }
}

/// Each column of `weights` (targets `first..`) as its strongest (source, weight) pairs, and the
/// sum of the squares of all its weights off the diagonal.
fn strongest_per_target(weights: MatRef<f64>, first: usize) -> (Vec<Vec<(u32, f32)>>, f64) {
    let mut squares = 0.0;
    let rows = (0..weights.ncols())
        .map(|column| {
            let target = first + column;
            let mut row: Vec<(u32, f32)> = (0..weights.nrows())
                .filter(|&source| source != target)
                .map(|source| {
                    let weight = weights[(source, column)];
                    squares += weight * weight;
                    (source as u32, weight as f32)
                })
                .filter(|&(_, weight)| weight != 0.0)
                .collect();
            keep_strongest(&mut row, KEPT_PER_TARGET);
            row
        })
        .collect();
    (rows, squares)
}

impl NextPurchaseWeights {
    /// Per target: its strongest (source, weight) pairs.
    pub fn targets(&self) -> &SparseRows {
        &self.targets
    }

    /// Frobenius norm of the whole matrix off its diagonal (0 when it learned from no example).
    pub fn norm(&self) -> f64 {
        self.norm
    }

    /// Examples (a customer in a window) it was learned from.
    pub fn examples(&self) -> usize {
        self.examples
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::input::orders::OrderLine;

    const DAY: i64 = 86_400;

    /// Customers who bought A go on, a month later, to buy B; customers who bought C buy D.
    fn history() -> (Catalog, Interactions) {
        let mut lines = Vec::new();
        for customer in 0..20 {
            let id = format!("c{customer}");
            let (first, next) = if customer % 2 == 0 {
                ("A", "B")
            } else {
                ("C", "D")
            };
            let month = customer % 4;
            lines.push(OrderLine::purchase(&id, first, (month * 30 + 1) * DAY));
            lines.push(OrderLine::purchase(&id, next, ((month + 1) * 30 + 1) * DAY));
        }
        let catalog = Catalog::from_orders(&lines);
        let matrix = Interactions::from_orders(&catalog, &lines);
        (catalog, matrix)
    }

    #[test]
    fn learns_what_follows_not_what_goes_with() {
        let (catalog, matrix) = history();
        let model = NextPurchase::params()
            .lambda(1.0)
            .fit(&matrix, 181 * DAY)
            .unwrap();
        assert!(model.examples() > 0 && model.norm() > 0.0);
        let [a, b, c, d] = ["A", "B", "C", "D"].map(|id| catalog.position(id).unwrap() as u32);
        let weight = |source: u32, target: u32| {
            let (sources, weights) = model.targets().row(target as usize);
            sources
                .iter()
                .position(|&s| s == source)
                .map_or(0.0, |at| weights[at])
        };
        assert!(weight(a, b) > 0.5 && weight(c, d) > 0.5);
        // Direction: B never led to A, and A says nothing of D.
        assert!(weight(b, a) <= 0.0 && weight(a, d) <= 0.0);
    }

    #[test]
    fn a_history_without_times_learns_nothing() {
        let lines = [("1", "A"), ("1", "B"), ("2", "A")].map(|(c, i)| OrderLine::purchase(c, i, 0));
        let matrix = Interactions::from_orders(&Catalog::from_orders(&lines), &lines);
        let model = NextPurchase::params().fit(&matrix, 0).unwrap();
        assert_eq!((model.examples(), model.norm()), (0, 0.0));
        assert!((0..2).all(|target| model.targets().row(target).0.is_empty()));
    }

    #[test]
    fn lambda_must_be_positive() {
        let (_, matrix) = history();
        let error = NextPurchase::params()
            .lambda(0.0)
            .fit(&matrix, 0)
            .unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidParameter { name: "lambda", .. }
        ));
    }
}
