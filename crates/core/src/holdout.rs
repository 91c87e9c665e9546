//! The offline evaluation protocol: a temporal holdout, two tasks, Recall@K and NDCG@K, with
//! HR@K, Precision@K, coverage and diversity beside them.
//!
//! Orders before the cut-off train the models; each customer who also bought catalog products
//! after it is a test user. Task `all` ranks every catalog product (re-buying is normal in
//! retail); task `new` leaves out what the user bought in train and asks for the rest. This is
//! `shared/eval/PROTOCOL.md`, so figures here compare with its reference table.
//!
//! ```
//! use aisle_core::holdout::{Holdout, Task};
//! use aisle_core::orders::OrderLine;
//! let line = OrderLine::purchase;
//! let lines = [line("u1", "A", 0), line("u1", "B", 0), line("u2", "A", 0), line("u2", "B", 9)];
//! let holdout = Holdout::split(&lines, 5);
//! assert_eq!(holdout.test_users(Task::All), 1); // u2 bought B after the cut-off
//! let unrelated = |_, _| 0.0; // item similarity, for diversity
//! let popular = holdout.evaluate(Task::All, 1, unrelated, |_, scores| scores.copy_from_slice(&[1.0, 2.0]));
//! assert_eq!(popular.recall, 1.0); // B ranks first and u2 bought it
//! ```

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::catalog::Catalog;
use crate::interactions::Interactions;
use crate::metrics::{
    Coverage, hit_rate_at_k, intra_list_diversity, ndcg_at_k, precision_at_k, recall_at_k,
};
use crate::orders::OrderLine;
use crate::ranking::top_k;

/// Which evaluation task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Rank every catalog product; relevant: everything bought after the cut-off.
    All,
    /// Rank products the user has not bought; relevant: new products bought after the cut-off.
    New,
}

/// Averaged metrics for one model on one task.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TaskScore {
    /// Mean Recall@K.
    pub recall: f64,
    /// Mean NDCG@K.
    pub ndcg: f64,
    /// Mean HR@K: the share of users with at least one hit.
    pub hit_rate: f64,
    /// Mean Precision@K.
    pub precision: f64,
    /// Share of the catalogue shown to at least one user.
    pub coverage: f64,
    /// Mean intra-list diversity, by the similarity [`Holdout::evaluate`] was given.
    pub diversity: f64,
    /// Users averaged over.
    pub users: usize,
}

struct TestUser {
    /// Row in the training matrix.
    row: usize,
    /// Distinct catalog products bought after the cut-off, sorted.
    bought_after: Vec<u32>,
    /// The same, less what the user bought before.
    new_after: Vec<u32>,
}

/// A temporal train/test split of order lines.
pub struct Holdout {
    cutoff: i64,
    catalog: Catalog,
    train_lines: Vec<OrderLine>,
    train: Interactions,
    test: Vec<TestUser>,
}

impl Holdout {
    /// Splits cleaned order lines at `cutoff` (seconds since the epoch): train is strictly
    /// before, test at or after. The catalog is the products seen in train.
    pub fn split(lines: &[OrderLine], cutoff: i64) -> Self {
        let (train_lines, test_lines): (Vec<OrderLine>, Vec<OrderLine>) = lines
            .iter()
            .cloned()
            .partition(|line| line.timestamp < cutoff);
        Self::from_parts(train_lines, &test_lines, cutoff)
    }

    /// A holdout from a split made elsewhere (pre-split interaction files). `now` is the moment
    /// models that weigh recency measure from: the end of the training period.
    pub fn from_parts(train_lines: Vec<OrderLine>, test_lines: &[OrderLine], now: i64) -> Self {
        let cutoff = now;
        let catalog = Catalog::from_orders(&train_lines);
        let train = Interactions::from_orders(&catalog, &train_lines);

        let rows: HashMap<&str, usize> = (0..train.n_users())
            .map(|row| (train.user_id(row), row))
            .collect();
        let mut after: HashMap<usize, BTreeSet<u32>> = HashMap::new();
        for line in test_lines {
            let found = line
                .customer
                .as_deref()
                .and_then(|customer| rows.get(customer))
                .zip(catalog.position(&line.item));
            if let Some((&row, item)) = found {
                after.entry(row).or_default().insert(item as u32);
            }
        }
        let mut test: Vec<TestUser> = after
            .into_iter()
            .map(|(row, items)| {
                let bought_after: Vec<u32> = items.into_iter().collect();
                let before = train.user_items(row);
                let new_after = bought_after
                    .iter()
                    .copied()
                    .filter(|item| {
                        before
                            .binary_search_by_key(item, |purchase| purchase.item)
                            .is_err()
                    })
                    .collect();
                TestUser {
                    row,
                    bought_after,
                    new_after,
                }
            })
            .collect();
        test.sort_by_key(|user| user.row);
        Self {
            cutoff,
            catalog,
            train_lines,
            train,
            test,
        }
    }

    /// The cut-off, seconds since the epoch: "now" for models that weigh recency.
    pub fn cutoff(&self) -> i64 {
        self.cutoff
    }

    /// The products seen in train.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The order lines before the cut-off, for models that train on lines.
    pub fn train_lines(&self) -> &[OrderLine] {
        &self.train_lines
    }

    /// The training purchase matrix.
    pub fn train(&self) -> &Interactions {
        &self.train
    }

    /// How many users a task evaluates.
    pub fn test_users(&self, task: Task) -> usize {
        self.test
            .iter()
            .filter(|user| !relevant(user, task).is_empty())
            .count()
    }

    /// Ranks the catalog for every test user with `score` (given the user's training row and a
    /// zeroed score per catalog product) and averages the metrics of [`crate::metrics`] at
    /// `k`; diversity is measured with `similarity` between two catalog positions.
    pub fn evaluate(
        &self,
        task: Task,
        k: usize,
        similarity: impl Fn(u32, u32) -> f32,
        mut score: impl FnMut(usize, &mut [f32]),
    ) -> TaskScore {
        let mut scores = vec![0.0f32; self.catalog.len()];
        let mut coverage = Coverage::new(self.catalog.len());
        let (mut recall, mut ndcg, mut hit_rate, mut precision, mut diversity, mut users) =
            (0.0, 0.0, 0.0, 0.0, 0.0, 0);
        for user in &self.test {
            let relevant = relevant(user, task);
            if relevant.is_empty() {
                continue;
            }
            scores.fill(0.0);
            score(user.row, &mut scores);
            if task == Task::New {
                for purchase in self.train.user_items(user.row) {
                    scores[purchase.item as usize] = f32::NEG_INFINITY;
                }
            }
            let ranked: Vec<u32> = top_k(&scores, k)
                .into_iter()
                .map(|(item, _)| item as u32)
                .collect();
            recall += recall_at_k(&ranked, relevant, k);
            ndcg += ndcg_at_k(&ranked, relevant, k);
            hit_rate += hit_rate_at_k(&ranked, relevant, k);
            precision += precision_at_k(&ranked, relevant, k);
            diversity += intra_list_diversity(&ranked, &similarity);
            coverage.add(&ranked);
            users += 1;
        }
        let mean = |total: f64| {
            if users == 0 {
                0.0
            } else {
                total / users as f64
            }
        };
        TaskScore {
            recall: mean(recall),
            ndcg: mean(ndcg),
            hit_rate: mean(hit_rate),
            precision: mean(precision),
            coverage: coverage.share(),
            diversity: mean(diversity),
            users,
        }
    }
}

fn relevant(user: &TestUser, task: Task) -> &[u32] {
    match task {
        Task::All => &user.bought_after,
        Task::New => &user.new_after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(user: &str, item: &str, at: i64) -> OrderLine {
        OrderLine::purchase(user, item, at)
    }

    /// Train (t < 10): u1 A B; u2 A; u3 C.  Test: u1 A D(not in catalog); u2 B C; u4 A (no train).
    fn holdout() -> Holdout {
        Holdout::split(
            &[
                line("u1", "A", 1),
                line("u1", "B", 2),
                line("u2", "A", 3),
                line("u3", "C", 4),
                line("u1", "A", 10),
                line("u1", "D", 11),
                line("u2", "B", 12),
                line("u2", "C", 13),
                line("u4", "A", 14),
            ],
            10,
        )
    }

    #[test]
    fn split_keeps_users_with_both_sides_and_catalog_items() {
        let holdout = holdout();
        assert_eq!(holdout.catalog().len(), 3);
        assert_eq!(holdout.test_users(Task::All), 2); // u1 (A), u2 (B, C)
        assert_eq!(holdout.test_users(Task::New), 1); // u1 re-bought only; u2 has B, C new
    }

    #[test]
    fn evaluation_averages_hand_computed_metrics() {
        let holdout = holdout();
        // A fixed ranking B > C > A for everyone (catalog order A, B, C).
        let fixed = |_: usize, scores: &mut [f32]| scores.copy_from_slice(&[1.0, 3.0, 2.0]);
        // B and C are alike (0.5), so both lists [B, C] have diversity 0.5.
        let similarity = |a: u32, b: u32| if a + b == 3 { 0.5 } else { 0.0 };
        let all = holdout.evaluate(Task::All, 2, similarity, fixed);
        // u1 relevant {A}: top-2 [B, C], no hit. u2 relevant {B, C}: both hit. Recall (0 + 1) / 2.
        assert_eq!(all.users, 2);
        assert!((all.recall - 0.5).abs() < 1e-12);
        assert!((all.ndcg - 0.5).abs() < 1e-12);
        assert!((all.hit_rate - 0.5).abs() < 1e-12);
        assert!((all.precision - 0.5).abs() < 1e-12); // (0/2 + 2/2) / 2
        assert!((all.coverage - 2.0 / 3.0).abs() < 1e-12); // B and C of A, B, C
        assert!((all.diversity - 0.5).abs() < 1e-12);
        // Task new for u2 (bought A before): ranking among B, C gives [B, C]: recall 1.
        let new = holdout.evaluate(Task::New, 2, similarity, fixed);
        assert_eq!(new.users, 1);
        assert!((new.recall - 1.0).abs() < 1e-12);
    }
}
