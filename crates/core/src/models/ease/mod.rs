//! EASE (Steck, 2019): a linear item-to-item model with a closed-form solution.
//!
//! Learn `B` minimising `‖X − XB‖² + λ‖B‖²` with `diag(B) = 0`. With `P = (XᵀX + λI)⁻¹` the answer
//! is `B_ij = −P_ij / P_jj`. Two solvers share these settings (training is native only: this
//! module needs the `train-dense` feature):
//! - `dense.rs`: the exact inverse, for catalogs up to [`DENSE_LIMIT`] products (seconds for a
//!   few thousand; memory grows as the square of the catalog, time as its cube);
//! - `restricted.rs`: each target solved over its strongest co-purchase partners, for larger
//!   catalogs or when [`EaseParams::candidates`] asks for it.
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

mod dense;
mod restricted;

use crate::error::{Error, Result, ensure_at_least_one, ensure_positive};
#[cfg(test)]
use crate::input::orders::OrderLine;
use crate::math::groups::groups_of_equal;
use crate::math::sparse::SparseRows;
use crate::models::interactions::Interactions;
use crate::models::item_weights::ItemWeights;
use crate::models::next_purchase::NextPurchaseWeights;

/// Largest catalog solved densely when [`EaseParams::candidates`] is not set: two 10,000 ×
/// 10,000 matrices of f64 are 1.6 GB, about what a laptop spares for a build.
pub const DENSE_LIMIT: usize = 10_000;

/// Partners each target is solved over beyond [`DENSE_LIMIT`]: on the demo log at the
/// development cut-off 2011-08-01, 100 lost 0.008 Recall@20 on `all` against dense EASE and 200
/// lost 0.004 (docs/scale.md).
pub const DEFAULT_CANDIDATES: usize = 200;

/// Partners each target of a catalog of `products` is solved over: those `asked` for, else
/// [`DEFAULT_CANDIDATES`] past [`DENSE_LIMIT`]; `None` where EASE is solved densely.
pub fn restricted_candidates(asked: Option<usize>, products: usize) -> Option<usize> {
    asked.or((products > DENSE_LIMIT).then_some(DEFAULT_CANDIDATES))
}

/// EASE; [`Ease::params`] starts its configuration.
pub struct Ease;

/// Settings for EASE; check and fit with [`EaseParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct EaseParams {
    lambda: f64,
    top_n: usize,
    /// (time constant in days, now in seconds since the epoch), or binary entries.
    fading: Option<(f64, i64)>,
    /// Partners per target for the restricted solver, or `None` to choose by catalog size.
    candidates: Option<usize>,
}

impl Ease {
    /// Defaults: λ = 300, 100 weights kept per target item, the solver chosen by catalog size.
    pub fn params() -> EaseParams {
        EaseParams {
            lambda: 300.0,
            top_n: 100,
            fading: None,
            candidates: None,
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

    /// Solves each target over its `candidates` strongest co-purchase partners (at least
    /// `top_n`), whatever the catalog's size; `None` chooses by size ([`DENSE_LIMIT`]).
    pub fn candidates(mut self, candidates: impl Into<Option<usize>>) -> Self {
        self.candidates = candidates.into();
        self
    }

    fn check(&self) -> Result<()> {
        ensure_positive("lambda", self.lambda)?;
        if let Some((days, _)) = self.fading {
            ensure_positive("days", days)?;
        }
        ensure_at_least_one("top_n", self.top_n)?;
        if let Some(candidates) = self.candidates {
            ensure_at_least_one("candidates", candidates)?;
        }
        Ok(())
    }

    /// Solves for the weights and keeps each target's `top_n` largest.
    pub fn fit(&self, matrix: &Interactions) -> Result<ItemWeights> {
        self.fit_with(matrix, None)
    }

    /// As [`EaseParams::fit`], with `added` weights summed into EASE's before each target keeps
    /// its strongest.
    pub fn fit_with(
        &self,
        matrix: &Interactions,
        added: Option<AddedWeights>,
    ) -> Result<ItemWeights> {
        let variant = EaseVariant {
            lambda: self.lambda,
            added,
        };
        let mut fitted = self.fit_each(matrix, &[variant])?;
        Ok(ItemWeights::from_targets(fitted.remove(0)))
    }

    /// Each target's `top_n` largest weights, strongest first (what [`ItemWeights::from_targets`]
    /// takes), for each of `variants` in their order: this model with the variant's λ and its
    /// added weights. What costs most is shared: the dense solver inverts once per λ for all
    /// the variants that differ only in what they add, and the restricted one counts each
    /// target's block once for every λ, so that a search over λ costs a little more than one
    /// fit, not one fit per value. Added weights need the dense solver: the restricted one
    /// never holds a target's whole row.
    pub fn fit_each(
        &self,
        matrix: &Interactions,
        variants: &[EaseVariant],
    ) -> Result<Vec<SparseRows>> {
        self.check()?;
        for variant in variants {
            ensure_positive("lambda", variant.lambda)?;
        }
        let entries = Entries::new(matrix, self.fading);
        let candidates = restricted_candidates(self.candidates, matrix.n_items());
        let added: Vec<Option<AddedWeights>> = variants
            .iter()
            .map(|variant| {
                variant
                    .added
                    .filter(|added| added.weight > 0.0 && added.model.norm() > 0.0)
            })
            .collect();
        let per_variant = match candidates {
            None => {
                let lambdas: Vec<u64> = variants
                    .iter()
                    .map(|variant| variant.lambda.to_bits())
                    .collect();
                let mut solved: Vec<Option<TargetRows>> = vec![None; variants.len()];
                for same_lambda in groups_of_equal(&lambdas) {
                    let adds: Vec<Option<AddedWeights>> =
                        same_lambda.iter().map(|&at| added[at]).collect();
                    let lambda = variants[same_lambda[0]].lambda;
                    let rows = dense::solve(&entries, lambda, self.top_n, &adds)?;
                    for (at, rows) in same_lambda.into_iter().zip(rows) {
                        solved[at] = Some(rows);
                    }
                }
                solved
                    .into_iter()
                    .map(|rows| SparseRows::from_rows(rows.expect("every variant is in a group")))
                    .collect()
            }
            Some(_) if added.iter().any(Option::is_some) => {
                return Err(Error::InvalidParameter {
                    name: "nextPurchase",
                    reason: format!(
                        "the next-purchase model needs EASE solved densely: a catalog of at \
                         most {DENSE_LIMIT} products and no EASE candidates given"
                    ),
                });
            }
            Some(candidates) => {
                let lambdas: Vec<f64> = variants.iter().map(|variant| variant.lambda).collect();
                restricted::solve(
                    &entries,
                    &lambdas,
                    self.top_n,
                    candidates.max(self.top_n),
                    restricted::HEAD_SIZE,
                )?
            }
        };
        Ok(per_variant)
    }
}

/// One model [`EaseParams::fit_each`] fits: a λ, and what is summed into EASE's weights before
/// each target keeps its strongest.
#[derive(Debug, Clone, Copy)]
pub struct EaseVariant<'a> {
    /// L2 regularisation λ (> 0).
    pub lambda: f64,
    /// Weights summed in, or none.
    pub added: Option<AddedWeights<'a>>,
}

/// Weights summed into EASE's before each target keeps its strongest: the next-purchase model,
/// scaled so that `weight` 1 makes the whole of it as large as EASE's whole matrix (Frobenius
/// norms), whatever either's λ.
#[derive(Debug, Clone, Copy)]
pub struct AddedWeights<'a> {
    /// The model added.
    pub model: &'a NextPurchaseWeights,
    /// Its size beside EASE's (0 adds nothing).
    pub weight: f64,
}

/// Per target product, its strongest (source, weight) pairs: what a solver gives.
type TargetRows = Vec<Vec<(u32, f32)>>;

/// The entries of `X`: each customer's products with their (faded) value.
struct Entries {
    by_user: Vec<Vec<(u32, f64)>>,
    n_items: usize,
}

impl Entries {
    fn new(matrix: &Interactions, fading: Option<(f64, i64)>) -> Self {
        let by_user = (0..matrix.n_users())
            .map(|user| {
                matrix
                    .user_items(user)
                    .iter()
                    .map(|purchase| {
                        let value = match fading {
                            None => 1.0,
                            Some((days, now)) => {
                                let age_days = (now - purchase.last_at).max(0) as f64 / 86_400.0;
                                (-age_days / days).exp()
                            }
                        };
                        (purchase.item, value)
                    })
                    .collect()
            })
            .collect();
        Self {
            by_user,
            n_items: matrix.n_items(),
        }
    }

    fn n_items(&self) -> usize {
        self.n_items
    }

    fn n_users(&self) -> usize {
        self.by_user.len()
    }

    fn users(&self) -> impl Iterator<Item = &[(u32, f64)]> {
        self.by_user.iter().map(Vec::as_slice)
    }

    fn user(&self, user: usize) -> &[(u32, f64)] {
        &self.by_user[user]
    }

    /// Each product's customers with their values: the transpose, for the restricted solver.
    fn by_item(&self) -> Vec<Vec<(u32, f64)>> {
        let mut by_item = vec![Vec::new(); self.n_items];
        for (user, items) in self.by_user.iter().enumerate() {
            for &(item, value) in items {
                by_item[item as usize].push((user as u32, value));
            }
        }
        by_item
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

    /// Forty customers with seeded baskets over twelve products, each of three themes bought
    /// together more often.
    fn seeded_baskets() -> Interactions {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
        let mut lines = Vec::new();
        for customer in 0..40 {
            let theme = customer % 3;
            for item in 0..12 {
                let chance = if item % 3 == theme { 0.8 } else { 0.4 };
                if rng.random_bool(chance) {
                    let (customer, item) = (format!("c{customer}"), format!("p{item}"));
                    lines.push(OrderLine::purchase(&customer, &item, 0));
                }
            }
        }
        let catalog = crate::catalog::Catalog::from_orders(&lines);
        Interactions::from_orders(&catalog, &lines)
    }

    fn dense_rows(model: &ItemWeights) -> Vec<Vec<f32>> {
        let n = model.n_items();
        (0..n)
            .map(|target| {
                let mut row = vec![0.0; n];
                let (sources, weights) = model.targets().row(target);
                for (&source, &weight) in sources.iter().zip(weights) {
                    row[source as usize] = weight;
                }
                row
            })
            .collect()
    }

    #[test]
    fn restricted_to_every_partner_is_dense_ease() {
        let matrix = seeded_baskets();
        // Every pair was bought together by someone, so every product is a partner of every
        // other and nothing is left out of any target's regression.
        for a in 0..matrix.n_items() {
            for b in 0..matrix.n_items() {
                assert!(
                    matrix
                        .item_users(a)
                        .iter()
                        .any(|u| matrix.item_users(b).contains(u))
                );
            }
        }
        let params = Ease::params().lambda(5.0).top_n(11);
        let dense = dense_rows(&params.fit(&matrix).unwrap());
        let restricted = dense_rows(&params.candidates(11).fit(&matrix).unwrap());
        for (dense, restricted) in dense.iter().zip(&restricted) {
            for (a, b) in dense.iter().zip(restricted) {
                assert!((a - b).abs() < 1e-5, "{a} against {b}");
            }
        }
    }

    #[test]
    fn restricted_solves_over_the_strongest_partners_only() {
        let matrix = seeded_baskets();
        let model = Ease::params()
            .lambda(5.0)
            .top_n(3)
            .candidates(3)
            .fit(&matrix)
            .unwrap();
        for target in 0..matrix.n_items() {
            let (sources, _) = model.targets().row(target);
            assert!(sources.len() <= 3);
            // The candidates are the target's most frequent co-buyers.
            let together = |other: usize| {
                matrix
                    .item_users(target)
                    .iter()
                    .filter(|user| matrix.item_users(other).contains(user))
                    .count()
            };
            let mut counts: Vec<usize> = (0..matrix.n_items())
                .filter(|&other| other != target)
                .map(together)
                .collect();
            counts.sort_unstable_by(|a, b| b.cmp(a));
            for &source in sources {
                assert!(together(source as usize) >= counts[2]);
            }
        }
    }

    #[test]
    fn the_head_block_counted_once_gives_the_same_weights() {
        let matrix = seeded_baskets();
        let entries = Entries::new(&matrix, Some((30.0, 0)));
        let solve = |head| {
            restricted::solve(&entries, &[5.0], 4, 6, head)
                .unwrap()
                .remove(0)
        };
        // No head (every pair counted per target), a head that cuts candidate lists in two,
        // and every product in the head.
        let all_counted = solve(0);
        for head in [5, matrix.n_items()] {
            let other = solve(head);
            assert_eq!(all_counted.n_rows(), other.n_rows());
            for target in 0..other.n_rows() {
                let ((sources_a, a), (sources_b, b)) = (all_counted.row(target), other.row(target));
                assert_eq!(sources_a, sources_b);
                for (a, b) in a.iter().zip(b) {
                    assert!((a - b).abs() < 1e-6, "{a} against {b}");
                }
            }
        }
    }

    #[test]
    fn fitting_several_lambdas_at_once_fits_each() {
        let matrix = seeded_baskets();
        for candidates in [None, Some(6)] {
            let params = Ease::params().top_n(4).candidates(candidates);
            let variants = [2.0, 50.0].map(|lambda| EaseVariant {
                lambda,
                added: None,
            });
            let together = params.fit_each(&matrix, &variants).unwrap();
            assert_eq!(together.len(), 2);
            assert_ne!(together[0], together[1]);
            for (lambda, fitted) in [2.0, 50.0].into_iter().zip(&together) {
                let alone = params.clone().lambda(lambda).fit(&matrix).unwrap();
                assert_eq!(fitted, alone.targets());
            }
        }
    }

    #[test]
    fn shipping_the_strongest_of_more_weights_is_fitting_fewer() {
        let matrix = seeded_baskets();
        for candidates in [None, Some(6)] {
            let params = Ease::params().lambda(5.0).candidates(candidates);
            let more = params.clone().top_n(6).fit_each(
                &matrix,
                &[EaseVariant {
                    lambda: 5.0,
                    added: None,
                }],
            );
            let fewer = params.top_n(3).fit(&matrix).unwrap();
            assert_eq!(
                ItemWeights::shipped_top(&more.unwrap()[0], 3),
                fewer.as_shipped()
            );
        }
    }

    /// Forty customers over twelve products, each buying one a month for eight months, in one
    /// fixed order from their own starting product, so what follows what is there to learn.
    fn dated_baskets() -> Interactions {
        let day = 86_400;
        let mut lines = Vec::new();
        for customer in 0..40 {
            for month in 0..8 {
                let item = format!("p{}", (customer + month) % 12);
                let at = (month * 30 + 1) * day;
                lines.push(OrderLine::purchase(&format!("c{customer}"), &item, at));
            }
        }
        let catalog = crate::catalog::Catalog::from_orders(&lines);
        Interactions::from_orders(&catalog, &lines)
    }

    #[test]
    fn next_purchase_weights_are_summed_in_before_the_strongest_are_kept() {
        use crate::models::next_purchase::NextPurchase;
        let matrix = dated_baskets();
        let now = 241 * 86_400;
        let next = NextPurchase::params()
            .lambda(1.0)
            .fit(&matrix, now)
            .unwrap();
        assert!(next.examples() > 0);
        let params = Ease::params().lambda(5.0);
        let added = |weight| AddedWeights {
            model: &next,
            weight,
        };
        let plain = params.clone().top_n(3).fit(&matrix).unwrap();
        let with_next = params.clone().top_n(3).fit_with(&matrix, Some(added(1.0)));
        let with_next = with_next.unwrap();
        assert_ne!(with_next.targets(), plain.targets());
        // Variants of one λ, fitted together, are each what it is alone.
        let variants = [None, Some(added(1.0))].map(|added| EaseVariant { lambda: 5.0, added });
        let together = params
            .clone()
            .top_n(3)
            .fit_each(&matrix, &variants)
            .unwrap();
        assert_eq!(
            [&together[0], &together[1]],
            [plain.targets(), with_next.targets()]
        );
        // Weight 0 adds nothing.
        let none = params.clone().top_n(3).fit_with(&matrix, Some(added(0.0)));
        assert_eq!(none.unwrap().targets(), plain.targets());
        // Keeping more and shipping fewer is still fitting fewer: what the search scores is
        // what the build ships.
        let more = params.clone().top_n(6).fit_each(
            &matrix,
            &[EaseVariant {
                lambda: 5.0,
                added: Some(added(1.0)),
            }],
        );
        let fewer = params.clone().top_n(3).fit_with(&matrix, Some(added(1.0)));
        assert_eq!(
            ItemWeights::shipped_top(&more.unwrap()[0], 3),
            fewer.unwrap().as_shipped()
        );
        // The restricted solver never holds a whole row to add to.
        let restricted = params.candidates(6).fit_with(&matrix, Some(added(1.0)));
        assert!(matches!(
            restricted.unwrap_err(),
            Error::InvalidParameter {
                name: "nextPurchase",
                ..
            }
        ));
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
        assert!(matches!(
            Ease::params().candidates(0).fit(&empty).unwrap_err(),
            Error::InvalidParameter {
                name: "candidates",
                ..
            }
        ));
    }
}
