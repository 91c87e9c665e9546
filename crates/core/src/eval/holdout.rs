//! The offline evaluation protocol: a train/test split, two tasks, Recall@K and NDCG@K, with
//! HR@K, Precision@K, coverage, diversity and the repeat/explore split beside them.
//!
//! Orders before the cut-off train the models; each customer who also bought catalog products
//! in the test window is a test user. Task `all` ranks every catalog product (re-buying is
//! normal in retail); task `new` leaves out what the user bought in train and asks for the rest.
//! `docs/evaluation.md` states the protocol in full.
//!
//! Three ways to split:
//! - [`Holdout::split`]: train before the cut-off, test everything from it (the protocol's
//!   single split);
//! - [`Holdout::window`]: test only a window after the cut-off, as rolling-origin evaluation and
//!   the validation window inside a training history do;
//! - [`Holdout::by_customer`]: a random share of each customer's products held out, for
//!   histories without times.
//!
//! Recall is also split, as Li et al. ("A Next Basket Recommendation Reality Check", TOIS 2023)
//! do, into **repeat** (the relevant products the user bought before) and **explore** (the
//! rest), each averaged over the users who have some.
//!
//! ```
//! use aisle_core::eval::holdout::{Holdout, Task};
//! use aisle_core::input::orders::OrderLine;
//! let line = OrderLine::purchase;
//! let lines = [line("u1", "A", 0), line("u1", "B", 0), line("u2", "A", 0), line("u2", "B", 9)];
//! let holdout = Holdout::split(&lines, 5);
//! assert_eq!(holdout.test_users(Task::All), 1); // u2 bought B after the cut-off
//! let unrelated = |_, _| 0.0; // item similarity, for diversity
//! let popular = holdout.evaluate(Task::All, 1, unrelated, |_, scores| scores.copy_from_slice(&[1.0, 2.0]));
//! assert_eq!(popular.recall, 1.0); // B ranks first and u2 bought it
//! assert_eq!(popular.explore_recall, Some(1.0)); // u2 had not bought B before
//! assert_eq!(popular.repeat_recall, None);
//! ```

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64Mcg;
use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;

use crate::catalog::Catalog;
use crate::eval::metrics::{
    Coverage, hit_rate_at_k, intra_list_diversity, ndcg_at_k, precision_at_k, recall_at_k,
};
use crate::input::orders::OrderLine;
use crate::math::parallel::in_parallel;
use crate::math::ranking::top_k;
use crate::models::interactions::Interactions;

/// Test users a thread of [`Holdout::recalls`] takes at a time: enough to make handing them out
/// cheap, few enough to share the last ones out evenly.
const USERS_PER_CHUNK: usize = 64;

/// Which evaluation task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Rank every catalog product; relevant: everything bought in the test window.
    All,
    /// Rank products the user has not bought; relevant: new products bought in the test window.
    New,
}

impl Task {
    /// Both tasks, `all` first.
    pub const BOTH: [Task; 2] = [Task::All, Task::New];

    /// The task's name in reports: `all` or `new`.
    pub fn name(self) -> &'static str {
        match self {
            Task::All => "all",
            Task::New => "new",
        }
    }
}

/// A length of history: a number of days, or of calendar months (so "the month after
/// 2011-09-01" ends on 2011-10-01 and the one after 2011-10-01 on 2011-11-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// This many days.
    Days(u32),
    /// This many calendar months.
    Months(u32),
}

impl Window {
    /// Reads `30`, `30d`, `4w` or `1m`; `None` for anything else (or a length of 0).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (number, unit) = match text.char_indices().last()? {
            (at, unit) if unit.is_ascii_alphabetic() => (&text[..at], Some(unit)),
            _ => (text, None),
        };
        let count: u32 = number.parse().ok().filter(|&count| count > 0)?;
        match unit {
            None | Some('d') => Some(Window::Days(count)),
            Some('w') => Some(Window::Days(count.checked_mul(7)?)),
            Some('m') => Some(Window::Months(count)),
            Some(_) => None,
        }
    }

    /// The moment this long after `at` (seconds since the epoch).
    pub fn after(self, at: i64) -> i64 {
        self.shift(at, true)
    }

    /// The moment this long before `at`.
    pub fn before(self, at: i64) -> i64 {
        self.shift(at, false)
    }

    fn shift(self, at: i64, forward: bool) -> i64 {
        let sign = if forward { 1 } else { -1 };
        match self {
            Window::Days(days) => at + sign * i64::from(days) * 86_400,
            Window::Months(months) => {
                let moment = chrono::DateTime::from_timestamp(at, 0).map(|time| time.naive_utc());
                let months = chrono::Months::new(months);
                moment
                    .and_then(|moment| {
                        if forward {
                            moment.checked_add_months(months)
                        } else {
                            moment.checked_sub_months(months)
                        }
                    })
                    .map(|moment| moment.and_utc().timestamp())
                    // Beyond chrono's years (±262,000): as far as an i64 goes.
                    .unwrap_or(if forward { i64::MAX } else { i64::MIN })
            }
        }
    }
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
    /// Mean Recall@K of the relevant products the user bought before, over the users with
    /// some (`None` when nobody has any, as in task `new`).
    pub repeat_recall: Option<f64>,
    /// Users averaged over for `repeat_recall`.
    pub repeat_users: usize,
    /// Mean Recall@K of the relevant products new to the user, over the users with some.
    pub explore_recall: Option<f64>,
    /// Users averaged over for `explore_recall`.
    pub explore_users: usize,
    /// Mean share of each list that the user bought before.
    pub repeat_share: f64,
}

struct TestUser {
    /// Row in the training matrix.
    row: usize,
    /// Distinct catalog products bought in the test window, sorted.
    bought_after: Vec<u32>,
    /// The same, less what the user bought before.
    new_after: Vec<u32>,
    /// What the user bought before and again in the test window.
    again_after: Vec<u32>,
}

/// A train/test split of order lines.
pub struct Holdout {
    now: i64,
    catalog: Catalog,
    train_lines: Vec<OrderLine>,
    train: Interactions,
    test: Vec<TestUser>,
}

impl Holdout {
    /// Splits cleaned order lines at `cutoff` (seconds since the epoch): train is strictly
    /// before, test at or after. The catalog is the products seen in train.
    pub fn split(lines: &[OrderLine], cutoff: i64) -> Self {
        Self::window(lines, cutoff, i64::MAX)
    }

    /// Like [`Holdout::split`], but only lines before `end` test: a window of the history
    /// after the cut-off.
    pub fn window(lines: &[OrderLine], cutoff: i64, end: i64) -> Self {
        let mut train_lines = Vec::new();
        let mut test_lines = Vec::new();
        for line in lines {
            if line.timestamp < cutoff {
                train_lines.push(line.clone());
            } else if line.timestamp < end {
                test_lines.push(line.clone());
            }
        }
        Self::from_parts(train_lines, &test_lines, cutoff)
    }

    /// Holds out about `share` of each customer's distinct products (at random, by `seed`; at
    /// least one, and never all of them): every line of a held-out product tests, the rest
    /// train. For histories whose times say nothing (ratings without timestamps). "Now" is the
    /// newest training line.
    pub fn by_customer(lines: &[OrderLine], share: f64, seed: u64) -> Self {
        let mut products: FxHashMap<&str, BTreeSet<&str>> = FxHashMap::default();
        for line in lines {
            if let Some(customer) = line.customer.as_deref() {
                products.entry(customer).or_default().insert(&line.item);
            }
        }
        let held_out: FxHashMap<&str, BTreeSet<&str>> = products
            .into_iter()
            .map(|(customer, items)| {
                let mut items: Vec<&str> = items.into_iter().collect();
                let held = if items.len() < 2 {
                    0
                } else {
                    ((items.len() as f64 * share).round() as usize).clamp(1, items.len() - 1)
                };
                // Each customer's draw depends on the seed and their id only, so it does not
                // change when other customers come or go.
                let mut hasher = FxHasher::default();
                (seed, customer).hash(&mut hasher);
                items.shuffle(&mut Pcg64Mcg::seed_from_u64(hasher.finish()));
                (customer, items.into_iter().take(held).collect())
            })
            .collect();
        let (test_lines, train_lines): (Vec<OrderLine>, Vec<OrderLine>) =
            lines.iter().cloned().partition(|line| {
                line.customer
                    .as_deref()
                    .and_then(|customer| held_out.get(customer))
                    .is_some_and(|items| items.contains(&*line.item))
            });
        let now = train_lines
            .iter()
            .map(|line| line.timestamp)
            .max()
            .unwrap_or(0);
        Self::from_parts(train_lines, &test_lines, now)
    }

    /// A holdout from a split made elsewhere (pre-split interaction files). `now` is the moment
    /// models that weigh recency measure from: the end of the training period.
    pub fn from_parts(train_lines: Vec<OrderLine>, test_lines: &[OrderLine], now: i64) -> Self {
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
                let bought_before = |item: &u32| {
                    before
                        .binary_search_by_key(item, |purchase| purchase.item)
                        .is_ok()
                };
                let (again_after, new_after) =
                    bought_after.iter().copied().partition(bought_before);
                TestUser {
                    row,
                    bought_after,
                    new_after,
                    again_after,
                }
            })
            .collect();
        test.sort_by_key(|user| user.row);
        Self {
            now,
            catalog,
            train_lines,
            train,
            test,
        }
    }

    /// "Now" for models that weigh recency: the cut-off, or the end of the training period.
    pub fn now(&self) -> i64 {
        self.now
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

    /// Each test user's Recall@K on `task` with `score`, in test order: the samples a search
    /// compares settings by. Users are ranked on every core (`math::parallel`): a search ranks
    /// thousands of them for each setting it tries, and once the setting's models are fitted,
    /// ranking them over a large catalog is all it costs.
    pub fn recalls(
        &self,
        task: Task,
        k: usize,
        score: impl Fn(usize, &mut [f32]) + Sync,
    ) -> Vec<f64> {
        let users: Vec<&TestUser> = self
            .test
            .iter()
            .filter(|user| !relevant(user, task).is_empty())
            .collect();
        in_parallel(
            users.len(),
            USERS_PER_CHUNK,
            || vec![0.0f32; self.catalog.len()],
            |scores, at| {
                let user = users[at];
                let ranked = self.ranked(user, task, k, scores, &score);
                recall_at_k(&ranked, relevant(user, task), k)
            },
        )
    }

    /// `user`'s top `k` on `task` (catalog positions, best first), scored by `score` into
    /// `scores`, one zeroed slot per catalog product; task `new` leaves out what they bought.
    fn ranked(
        &self,
        user: &TestUser,
        task: Task,
        k: usize,
        scores: &mut [f32],
        score: impl FnOnce(usize, &mut [f32]),
    ) -> Vec<u32> {
        scores.fill(0.0);
        score(user.row, scores);
        if task == Task::New {
            for purchase in self.train.user_items(user.row) {
                scores[purchase.item as usize] = f32::NEG_INFINITY;
            }
        }
        top_k(scores, k)
            .into_iter()
            .map(|(item, _)| item as u32)
            .collect()
    }

    /// Keeps at most `max` test users, drawn by `seed` (each user's draw depends on the seed and
    /// their id only): a search that ranks every user for every setting it tries stays bounded
    /// however many customers a shop has.
    pub fn keep_test_users(&mut self, max: usize, seed: u64) {
        if self.test.len() <= max {
            return;
        }
        let train = &self.train;
        let draw = |user: &TestUser| {
            let mut hasher = FxHasher::default();
            (seed, train.user_id(user.row)).hash(&mut hasher);
            hasher.finish()
        };
        let mut draws: Vec<(u64, usize)> = self
            .test
            .iter()
            .map(|user| (draw(user), user.row))
            .collect();
        draws.sort_unstable();
        let mut kept: Vec<usize> = draws[..max].iter().map(|&(_, row)| row).collect();
        kept.sort_unstable();
        self.test
            .retain(|user| kept.binary_search(&user.row).is_ok());
    }

    /// The training rows of the users a task evaluates, in order.
    pub fn test_rows(&self, task: Task) -> impl Iterator<Item = usize> + '_ {
        self.test
            .iter()
            .filter(move |user| !relevant(user, task).is_empty())
            .map(|user| user.row)
    }

    /// Ranks the catalog for every test user with `score` (given the user's training row and a
    /// zeroed score per catalog product) and averages the metrics of [`crate::eval::metrics`] at
    /// `k`; diversity is measured with `similarity` between two catalog positions.
    pub fn evaluate(
        &self,
        task: Task,
        k: usize,
        similarity: impl Fn(u32, u32) -> f32,
        score: impl FnMut(usize, &mut [f32]),
    ) -> TaskScore {
        self.evaluate_lists(task, k, similarity, score, |_, _, _| {})
    }

    /// [`Holdout::evaluate`], also handing each user's training row, ranked list (catalog
    /// positions, best first) and Recall@K to `ranked_list`.
    pub fn evaluate_lists(
        &self,
        task: Task,
        k: usize,
        similarity: impl Fn(u32, u32) -> f32,
        mut score: impl FnMut(usize, &mut [f32]),
        mut ranked_list: impl FnMut(usize, &[u32], f64),
    ) -> TaskScore {
        let mut scores = vec![0.0f32; self.catalog.len()];
        let mut coverage = Coverage::new(self.catalog.len());
        let mut totals = Totals::default();
        for user in &self.test {
            let relevant = relevant(user, task);
            if relevant.is_empty() {
                continue;
            }
            let ranked = self.ranked(user, task, k, &mut scores, &mut score);
            let before = self.train.user_items(user.row);
            let recall = recall_at_k(&ranked, relevant, k);
            ranked_list(user.row, &ranked, recall);
            totals.recall += recall;
            totals.ndcg += ndcg_at_k(&ranked, relevant, k);
            totals.hit_rate += hit_rate_at_k(&ranked, relevant, k);
            totals.precision += precision_at_k(&ranked, relevant, k);
            totals.diversity += intra_list_diversity(&ranked, &similarity);
            let (again, new) = match task {
                Task::All => (&user.again_after[..], &user.new_after[..]),
                Task::New => (&[][..], &user.new_after[..]),
            };
            if !again.is_empty() {
                totals.repeat_recall += recall_at_k(&ranked, again, k);
                totals.repeat_users += 1;
            }
            if !new.is_empty() {
                totals.explore_recall += recall_at_k(&ranked, new, k);
                totals.explore_users += 1;
            }
            if !ranked.is_empty() {
                let repeats = ranked
                    .iter()
                    .filter(|item| {
                        before
                            .binary_search_by_key(*item, |purchase| purchase.item)
                            .is_ok()
                    })
                    .count();
                totals.repeat_share += repeats as f64 / ranked.len() as f64;
            }
            coverage.add(&ranked);
            totals.users += 1;
        }
        totals.score(coverage.share())
    }
}

/// Sums over users, before averaging.
#[derive(Default)]
struct Totals {
    recall: f64,
    ndcg: f64,
    hit_rate: f64,
    precision: f64,
    diversity: f64,
    users: usize,
    repeat_recall: f64,
    repeat_users: usize,
    explore_recall: f64,
    explore_users: usize,
    repeat_share: f64,
}

impl Totals {
    fn score(&self, coverage: f64) -> TaskScore {
        let mean = |total: f64, users: usize| (users > 0).then(|| total / users as f64);
        let mean_or_zero = |total: f64| mean(total, self.users).unwrap_or(0.0);
        TaskScore {
            recall: mean_or_zero(self.recall),
            ndcg: mean_or_zero(self.ndcg),
            hit_rate: mean_or_zero(self.hit_rate),
            precision: mean_or_zero(self.precision),
            coverage,
            diversity: mean_or_zero(self.diversity),
            users: self.users,
            repeat_recall: mean(self.repeat_recall, self.repeat_users),
            repeat_users: self.repeat_users,
            explore_recall: mean(self.explore_recall, self.explore_users),
            explore_users: self.explore_users,
            repeat_share: mean_or_zero(self.repeat_share),
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

    /// Train (t < 10): u1 A B; u2 A; u3 C.  Test: u1 A D(not in catalog); u2 B C; u4 A (no
    /// train); u3 C at 20 (outside a window ending at 20).
    fn lines() -> Vec<OrderLine> {
        vec![
            line("u1", "A", 1),
            line("u1", "B", 2),
            line("u2", "A", 3),
            line("u3", "C", 4),
            line("u1", "A", 10),
            line("u1", "D", 11),
            line("u2", "B", 12),
            line("u2", "C", 13),
            line("u4", "A", 14),
            line("u3", "C", 20),
        ]
    }

    #[test]
    fn split_keeps_users_with_both_sides_and_catalog_items() {
        let holdout = Holdout::split(&lines(), 10);
        assert_eq!(holdout.catalog().len(), 3);
        assert_eq!(holdout.test_users(Task::All), 3); // u1 (A), u2 (B, C), u3 (C)
        assert_eq!(holdout.test_users(Task::New), 1); // u2 has B, C new
        let window = Holdout::window(&lines(), 10, 20);
        assert_eq!(window.test_users(Task::All), 2); // u3's C at 20 is outside
        assert_eq!(window.now(), 10);
    }

    #[test]
    fn evaluation_averages_hand_computed_metrics() {
        let holdout = Holdout::window(&lines(), 10, 20);
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
        // Repeat: u1 re-bought A (missed). Explore: u2's B and C (both found).
        assert_eq!((all.repeat_recall, all.repeat_users), (Some(0.0), 1));
        assert_eq!((all.explore_recall, all.explore_users), (Some(1.0), 1));
        // Both lists are [B, C]: u1 bought B before (1/2), u2 bought only A (0). Mean 0.25.
        assert!((all.repeat_share - 0.25).abs() < 1e-12);
        // Task new for u2 (bought A before): ranking among B, C gives [B, C]: recall 1.
        let new = holdout.evaluate(Task::New, 2, similarity, fixed);
        assert_eq!(new.users, 1);
        assert!((new.recall - 1.0).abs() < 1e-12);
        assert_eq!((new.repeat_recall, new.repeat_users), (None, 0));
        assert_eq!(new.explore_recall, Some(1.0));
        assert_eq!(new.repeat_share, 0.0);
    }

    #[test]
    fn windows_are_read_and_step_in_days_or_calendar_months() {
        let date = |text| crate::input::fields::parse_timestamp(text).unwrap();
        assert_eq!(Window::parse("30"), Some(Window::Days(30)));
        assert_eq!(Window::parse("2w"), Some(Window::Days(14)));
        assert_eq!(Window::parse("1m"), Some(Window::Months(1)));
        assert_eq!(Window::parse("0d"), None);
        assert_eq!(Window::parse("1y"), None);
        let month = Window::Months(1);
        assert_eq!(month.after(date("2011-09-01")), date("2011-10-01"));
        assert_eq!(month.after(date("2011-10-01")), date("2011-11-01"));
        assert_eq!(month.before(date("2011-03-31")), date("2011-02-28"));
        assert_eq!(
            Window::Days(2).before(date("2011-03-01")),
            date("2011-02-27")
        );
    }

    #[test]
    fn test_users_can_be_capped_by_a_seeded_draw() {
        let lines: Vec<OrderLine> = (0..50)
            .flat_map(|user| {
                let name = format!("u{user}");
                [line(&name, "A", 0), line(&name, "A", 10)]
            })
            .collect();
        let mut holdout = Holdout::split(&lines, 5);
        assert_eq!(holdout.test_users(Task::All), 50);
        holdout.keep_test_users(20, 1);
        assert_eq!(holdout.test_users(Task::All), 20);
        let mut again = Holdout::split(&lines, 5);
        again.keep_test_users(20, 1);
        assert!(holdout.test_rows(Task::All).eq(again.test_rows(Task::All)));
        holdout.keep_test_users(100, 1);
        assert_eq!(holdout.test_users(Task::All), 20);
    }

    #[test]
    fn recalls_ranked_on_every_core_are_each_users_in_test_order() {
        // 300 users (several chunks a thread), each buying a product of 20 before and after.
        let lines: Vec<OrderLine> = (0..300)
            .flat_map(|user| {
                let name = format!("u{user}");
                let item = |offset: usize| format!("i{}", (user * 7 + offset) % 20);
                [line(&name, &item(0), 0), line(&name, &item(user % 3), 10)]
            })
            .collect();
        let holdout = Holdout::split(&lines, 5);
        // A score that differs by user: the lists, and so the recalls, differ too.
        let score = |row: usize, scores: &mut [f32]| {
            for (item, score) in scores.iter_mut().enumerate() {
                *score = ((item * 13 + row * 5) % 20) as f32;
            }
        };
        for task in Task::BOTH {
            let mut one_by_one = Vec::new();
            holdout.evaluate_lists(
                task,
                3,
                |_, _| 0.0,
                score,
                |_, _, recall| one_by_one.push(recall),
            );
            assert_eq!(one_by_one.len(), holdout.test_users(task));
            assert!(one_by_one.contains(&0.0) && one_by_one.contains(&1.0));
            assert_eq!(holdout.recalls(task, 3, score), one_by_one);
        }
    }

    #[test]
    fn by_customer_holds_out_some_of_each_history_and_never_all() {
        let lines: Vec<OrderLine> = (0..40)
            .flat_map(|user| {
                (0..10).map(move |item| line(&format!("u{user}"), &format!("i{item}"), 0))
            })
            .chain([line("lone", "i0", 0)])
            .collect();
        let holdout = Holdout::by_customer(&lines, 0.2, 7);
        // 40 users with 10 products each: 2 held out each; "lone" has one product, kept.
        assert_eq!(holdout.test_users(Task::All), 40);
        assert_eq!(holdout.train().n_users(), 41);
        assert_eq!(holdout.train_lines().len(), 40 * 8 + 1);
        // The same seed draws the same products; another seed others.
        let again = Holdout::by_customer(&lines, 0.2, 7);
        assert_eq!(holdout.train_lines(), again.train_lines());
        let other = Holdout::by_customer(&lines, 0.2, 8);
        assert_ne!(holdout.train_lines(), other.train_lines());
    }
}
