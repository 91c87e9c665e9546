//! Learning the blend's settings from a shop's own history: a bounded, deterministic search on
//! a validation split that the reported figures never see.
//!
//! The caller holds out the end of the training history ([`Validation`]: by default its last
//! three windows, each trained on what came before it, fewer when the newest already hold the
//! customers the search ranks), and [`tune`] fits every part on each
//! fold's training side and searches [`BlendSettings`] by coordinate ascent
//! ([`coordinate_ascent_batched`]), maximising the mean recall over every fold's customers
//! (moving only for gains beyond their noise, [`crate::eval::coordinate_search`]), in two stages:
//! 1. **explore**: co-purchase, look-alike, trending and popularity weights, the history's time
//!    constant and frequency exponent, the trending time constant, EASE's λ, the time constant
//!    its purchases fade over, the number of weights shipped per product, and the weight and λ
//!    of the next-purchase model summed into EASE's (dense catalogs only), chosen for Recall@K
//!    on task `new` (what "For you" shows);
//! 2. **repeat**: the buy-again weight, its time constant, frequency exponent and season boost,
//!    chosen with the explore settings held for Recall@K on task `all`.
//!
//! Every weight may be 0, so a signal that does not help the shop is switched off. The search
//! scores at most [`TuneOptions::budget`] settings in all (each is one ranking of every
//! validation customer). It scores the values of one axis together, fold by fold
//! ([`coordinate_ascent_batched`]), so that a sweep of λ or of the next-purchase model fits
//! EASE once per fold for all its values ([`crate::models::ease::EaseParams::fit_each`]), and
//! refits EASE only for a model it no longer holds ([`EASE_KEPT_BYTES`]). Where EASE is
//! restricted to each product's strongest partners, the search solves over fewer of them
//! ([`SEARCH_CANDIDATES`]) than the bundle's model. Then the caller
//! retrains every part on the whole training history with the chosen settings.
//!
//! A fold with fewer than [`TuneOptions::min_users`] customers for either task would be noise
//! and is left out ([`Validation::split`]); with no fold left, [`tune`] returns
//! [`BlendSettings::DEFAULT`] and says why.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::catalog::content::ContentIndex;
use crate::catalog::language::Language;
use crate::error::Result;
use crate::eval::coordinate_search::{Axis, coordinate_ascent_batched};
use crate::eval::holdout::{Holdout, Task, Window};
use crate::input::orders::OrderLine;
use crate::math::groups::groups_of_equal;
use crate::math::sparse::SparseRows;
use crate::models::blend::{Blend, BlendSettings, HistoryItem, Tuning, ValidationReport};
use crate::models::ease::{AddedWeights, DENSE_LIMIT, Ease, EaseVariant, restricted_candidates};
use crate::models::history_rows::HistoryRows;
use crate::models::item_weights::ItemWeights;
use crate::models::next_purchase::{NextPurchase, NextPurchaseWeights};
use crate::models::popularity::Popularity;
use crate::models::repeat::RepeatRates;
use crate::models::trending::Trending;
use crate::statistics::{BuyerDay, buyer_days};

const DAY_SECONDS: i64 = 86_400;

/// Validation folds [`Validation::for_history`] cuts by default: three windows (or draws)
/// average out a month that happens to be unlike the others, for a shop whose months are small
/// enough to be searched on together ([`TuneOptions::max_users`]).
pub const FOLDS: usize = 3;

/// How a training history is split to validate on.
#[derive(Debug, Clone, PartialEq)]
pub enum Validation {
    /// Consecutive windows, each `(start, end)` in seconds since the epoch (`end` excluded),
    /// newest first: each trains on what came before it and validates on itself.
    Windows(Vec<(i64, i64)>),
    /// A `share` of each customer's products validates, drawn `folds` times from `seed` on.
    ByCustomer {
        /// Share of each customer's distinct products held out.
        share: f64,
        /// Seed of the first draw.
        seed: u64,
        /// Draws.
        folds: usize,
    },
}

impl Validation {
    /// The split of a training history that ends at `end`: its last `folds` windows of
    /// `length` when its lines carry different times, else `folds` draws of a fifth of each
    /// customer's products.
    ///
    /// A window asks what the test asks (what customers buy over the same horizon), so it keeps
    /// the length asked for, unless the history is too short to train on something as long
    /// before it: then it is half the history. A fold with less history before it than its
    /// window is left out.
    pub fn for_history(lines: &[OrderLine], end: i64, length: Window, folds: usize) -> Self {
        let earliest = lines.iter().map(|line| line.timestamp).min();
        let latest = lines.iter().map(|line| line.timestamp).max();
        match earliest.zip(latest) {
            Some((earliest, latest)) if earliest < latest => {
                let span = end - earliest;
                let length = if end - length.before(end) > span / 2 {
                    Window::Days(((span / 2) / DAY_SECONDS).max(1) as u32)
                } else {
                    length
                };
                let mut windows = Vec::new();
                let mut window_end = end;
                for _ in 0..folds.max(1) {
                    let start = length.before(window_end);
                    if start - earliest < window_end - start && !windows.is_empty() {
                        break;
                    }
                    windows.push((start, window_end));
                    window_end = start;
                }
                Validation::Windows(windows)
            }
            _ => Validation::ByCustomer {
                share: 0.2,
                seed: 0,
                folds: folds.max(1),
            },
        }
    }

    /// Splits `lines` this way, newest window (or first draw) first, keeping the folds that
    /// have at least `options.min_users` customers in each task (a fold with fewer would be
    /// noise, or has no history before it to train on) until they hold `options.max_users`
    /// validation customers in all; the fold that reaches it keeps a seeded draw of them.
    ///
    /// The folds after that are not cut at all: the search fits EASE once per fold for every
    /// setting that shapes it, so a shop whose newest window holds as many customers as the
    /// search ranks validates on that window alone, at a third of the fitting, with the same
    /// number of samples behind every comparison.
    pub fn split(&self, lines: &[OrderLine], options: &TuneOptions) -> Folds {
        let enough = |fold: &Holdout| {
            fold.test_users(Task::All).min(fold.test_users(Task::New)) >= options.min_users
        };
        // Folds in the order given, each cut only while the kept ones are short of customers.
        let take = |folds: &mut dyn Iterator<Item = Holdout>| -> Vec<(usize, Holdout)> {
            let mut kept = Vec::new();
            let mut users = 0;
            for (at, mut fold) in folds.enumerate() {
                fold.keep_test_users(options.max_users - users, 0);
                if enough(&fold) {
                    // Every customer a fold tests bought something: all of them are in `all`.
                    users += fold.test_users(Task::All);
                    kept.push((at, fold));
                }
                // The next fold is not even cut once it could add no fold worth searching on.
                if users + options.min_users > options.max_users {
                    break;
                }
            }
            kept
        };
        match self {
            Validation::Windows(windows) => {
                let mut folds = windows
                    .iter()
                    .map(|&(start, end)| Holdout::window(lines, start, end));
                let kept = take(&mut folds);
                let first = kept.iter().map(|&(at, _)| windows[at].0).min();
                let last = kept.iter().map(|&(at, _)| windows[at].1).max();
                let description = match first.zip(last) {
                    Some((first, last)) => format!(
                        "{}, {} to {}",
                        count(kept.len(), "window", "windows"),
                        date(first),
                        date(last - 1)
                    ),
                    None => "no window".to_owned(),
                };
                Folds {
                    holdouts: kept.into_iter().map(|(_, fold)| fold).collect(),
                    description,
                }
            }
            Validation::ByCustomer { share, seed, folds } => {
                let mut draws =
                    (0..*folds as u64).map(|fold| Holdout::by_customer(lines, *share, seed + fold));
                let holdouts: Vec<Holdout> =
                    take(&mut draws).into_iter().map(|(_, fold)| fold).collect();
                let description = format!(
                    "{} of {:.0}% of each customer's products",
                    count(holdouts.len(), "draw", "draws"),
                    share * 100.0
                );
                Folds {
                    holdouts,
                    description,
                }
            }
        }
    }
}

/// The validation folds [`tune`] searches on, and how they were cut, in words.
pub struct Folds {
    /// One holdout per fold.
    pub holdouts: Vec<Holdout>,
    /// `3 windows, 2011-08-01 to 2011-10-31` or `3 draws of 20% of each customer's products`.
    pub description: String,
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|time| time.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| seconds.to_string())
}

/// Bounds of the search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TuneOptions {
    /// Length of the ranked lists Recall is measured on.
    pub k: usize,
    /// Most settings scored, over both stages.
    pub budget: usize,
    /// Most EASE weights per product the bundle may ship (the download budget), or `None` for
    /// the limit by catalog size ([`most_weights_for`]).
    pub max_ease_weights: Option<usize>,
    /// Fewest validation customers, per task, worth searching on.
    pub min_users: usize,
    /// Most validation customers the search ranks for each setting tried, over all its folds
    /// ([`Validation::split`]).
    pub max_users: usize,
    /// How product texts are read for the look-alike signal: the shop's language.
    pub language: Language,
    /// Partners each EASE target of the model trained afterwards is solved over, or `None` to
    /// choose by catalog size ([`crate::models::ease::EaseParams::candidates`]); the search's
    /// own models are solved over `search_candidates` at most.
    pub ease_candidates: Option<usize>,
    /// Most partners each EASE target is solved over while the search compares settings,
    /// where EASE is restricted ([`SEARCH_CANDIDATES`] by default); the search also chooses no
    /// more weights per product than that.
    pub search_candidates: usize,
    /// Products in the catalog the chosen settings are trained on afterwards, when known (a
    /// shop's product file may list more than its orders): the next-purchase model is searched
    /// only when EASE is solved densely there too.
    pub catalog_products: Option<usize>,
}

impl Default for TuneOptions {
    fn default() -> Self {
        Self {
            k: 20,
            budget: 160,
            max_ease_weights: None,
            min_users: 30,
            max_users: 6_000,
            language: Language::default(),
            ease_candidates: None,
            search_candidates: SEARCH_CANDIDATES,
            catalog_products: None,
        }
    }
}

/// The explore stage's axes, in search order, with their candidates and starting values (the
/// priors', `start`). The weights per product start from the priors' number and go no lower:
/// each weight is bytes a shopper fetches for each product viewed, and the priors' number is
/// the fewest that ranked as well as more on logs of the catalog's size (see
/// [`BlendSettings::defaults_for`]).
fn explore_axes(max_ease_weights: usize, start: &BlendSettings, next_purchase: bool) -> Vec<Axis> {
    let weights: Vec<f64> = [25.0, 50.0, 100.0, 200.0, 400.0]
        .into_iter()
        .filter(|&n| n >= f64::from(start.ease_weights) && n <= max_ease_weights as f64)
        .collect();
    let weights = if weights.is_empty() {
        vec![max_ease_weights.max(1) as f64]
    } else {
        weights
    };
    let start_weights = weights
        .iter()
        .position(|&n| n == f64::from(start.ease_weights))
        .unwrap_or(0);
    // Without it, the next-purchase model's axes hold one value each and cost nothing.
    let (next_weight, next_lambda) = if next_purchase {
        (
            Axis::new("nextPurchase", &[0.0, 0.25, 0.5, 1.0], 0),
            Axis::new("nextPurchaseLambda", &[400.0, 1_600.0, 6_400.0], 1),
        )
    } else {
        (
            Axis::new("nextPurchase", &[0.0], 0),
            Axis::new("nextPurchaseLambda", &[1_600.0], 0),
        )
    };
    vec![
        Axis::new("coPurchase", &[0.0, 1.0], 1),
        Axis::new(
            "historyDays",
            &[15.0, 30.0, 60.0, 90.0, 180.0, 365.0, 730.0],
            4,
        ),
        Axis::new("historyFrequency", &[0.0, 0.5, 1.0], 0),
        Axis::new("trending", &[0.0, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8], 3),
        Axis::new("trendingDays", &[3.0, 7.0, 14.0, 30.0, 60.0], 1),
        Axis::new("popularity", &[0.0, 0.025, 0.05, 0.1, 0.2, 0.4], 2),
        Axis::new("content", &[0.0, 0.05, 0.1, 0.2, 0.4, 0.8], 2),
        Axis::new(
            "easeLambda",
            &[10.0, 20.0, 40.0, 75.0, 150.0, 300.0, 600.0, 1200.0],
            5,
        ),
        Axis::new("easeDays", &[30.0, 60.0, 120.0, 365.0, 1095.0], 3),
        Axis::new("easeWeights", &weights, start_weights),
        next_weight,
        next_lambda,
    ]
}

/// Partners each EASE target is solved over while the search scores settings, by default
/// ([`TuneOptions::search_candidates`]), where the restricted solver fits a fold
/// ([`restricted_candidates`]): the bundle's model is then solved over more
/// ([`crate::models::ease::DEFAULT_CANDIDATES`]), once, with the settings chosen.
///
/// The search compares settings; it ships none of its models. A block of 100 candidates has a
/// quarter of the pairs to count and an eighth of the solving of one of 200, and the settings
/// found with it rank as well: on the 20,000-product synthetic log the bundle's
/// models scored within 0.005 Recall@20 of those a search over 200 chose, at two cut-offs, in
/// 0.65 to 0.71 of the time (docs/scale.md, "The search's fits").
pub const SEARCH_CANDIDATES: usize = 100;

/// The partners each EASE target is solved over in the search on a fold of `products`
/// products: `None` where EASE is solved densely, else the bundle's candidates, at most
/// [`TuneOptions::search_candidates`].
fn search_candidates(products: usize, options: &TuneOptions) -> Option<usize> {
    let restricted = restricted_candidates(options.ease_candidates, products)?;
    Some(restricted.min(options.search_candidates))
}

/// The most EASE weights per product a bundle of a catalog of `products` ships when the shop
/// sets no limit of its own: up to [`DENSE_LIMIT`] products, 200; past it, the priors' number
/// ([`BlendSettings::defaults_for`]). Past it a shopper fetches, for each product viewed, a
/// shard of 500 products' weights: on the 100,000-product scale workload a shard is 46 KB gzip
/// with 25 weights per product and 120 KB with 100, which ranked alike at the test cut-off
/// (docs/scale.md), and 20 views cost 1.20 MB with 25, 2.47 MB with 100, against the 1.5 MB
/// a storefront's shopper may fetch.
pub fn most_weights_for(products: usize) -> usize {
    if products > DENSE_LIMIT {
        BlendSettings::LARGE_CATALOG_EASE_WEIGHTS as usize
    } else {
        200
    }
}

/// The most EASE weights per product the search may choose: the bundle's limit, and no more
/// than a restricted model of the search holds, since more would score as the same weights.
fn most_searched_weights(folds: &[&Holdout], options: &TuneOptions) -> usize {
    let limit = options
        .max_ease_weights
        .unwrap_or_else(|| most_weights_for(largest_catalog(folds, options)));
    folds
        .iter()
        .filter_map(|fold| search_candidates(fold.catalog().len(), options))
        .fold(limit, usize::min)
}

/// The most products of any catalog the search or the training after it sees: every fold's
/// and, when known, the one trained on afterwards. What is solved densely, and the priors, are
/// decided by it.
fn largest_catalog(folds: &[&Holdout], options: &TuneOptions) -> usize {
    folds
        .iter()
        .map(|fold| fold.catalog().len())
        .chain(options.catalog_products)
        .max()
        .unwrap_or(0)
}

/// Whether the search tries the next-purchase model: it is summed into EASE's whole rows,
/// which only the dense solver holds, on every fold and on the catalog trained on afterwards.
fn searches_next_purchase(folds: &[&Holdout], options: &TuneOptions) -> bool {
    restricted_candidates(options.ease_candidates, largest_catalog(folds, options)).is_none()
}

fn with_explore(settings: BlendSettings, values: &[f64]) -> BlendSettings {
    BlendSettings {
        co_purchase: values[0] as f32,
        history_days: values[1] as f32,
        history_frequency: values[2] as f32,
        trending: values[3] as f32,
        trending_days: values[4] as f32,
        popularity: values[5] as f32,
        content: values[6] as f32,
        ease_lambda: values[7] as f32,
        ease_days: values[8] as f32,
        ease_weights: values[9] as u32,
        next_purchase: values[10] as f32,
        next_purchase_lambda: values[11] as f32,
        ..settings
    }
}

fn repeat_axes() -> Vec<Axis> {
    vec![
        Axis::new("repeat", &[0.0, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4], 4),
        Axis::new(
            "repeatDays",
            &[7.0, 15.0, 30.0, 60.0, 120.0, 240.0, 365.0, 730.0],
            6,
        ),
        Axis::new("repeatFrequency", &[0.0, 0.5, 1.0, 1.5], 2),
        Axis::new("season", &[0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0], 2),
        Axis::new("repeatItemRate", &[0.0, 0.5, 1.0, 2.0], 0),
        Axis::new("repeatUserRate", &[0.0, 0.5, 1.0, 2.0], 0),
    ]
}

fn with_repeat(settings: BlendSettings, values: &[f64]) -> BlendSettings {
    BlendSettings {
        repeat: values[0] as f32,
        repeat_days: values[1] as f32,
        repeat_frequency: values[2] as f32,
        season: values[3] as f32,
        repeat_item_rate: values[4] as f32,
        repeat_user_rate: values[5] as f32,
        ..settings
    }
}

/// Searches the blend's settings on the validation `folds`, maximising the mean recall over
/// them. `progress` hears (settings scored, budget).
pub fn tune(
    folds: &Folds,
    options: &TuneOptions,
    mut progress: impl FnMut(usize, usize),
) -> Result<Tuning> {
    let split = folds.description.clone();
    let folds: Vec<&Holdout> = folds.holdouts.iter().collect();
    let default = BlendSettings::defaults_for(largest_catalog(&folds, options));
    if folds.is_empty() {
        return Ok(Tuning::defaults(
            default,
            format!(
                "too little history to learn from: no validation window has {} customers who \
                 bought again and {} who bought something new",
                options.min_users, options.min_users
            ),
        ));
    }
    let users = |task| folds.iter().map(|fold| fold.test_users(task)).sum();
    let most_weights = most_searched_weights(&folds, options);
    let mut parts: Vec<Parts> = folds
        .iter()
        .map(|fold| Parts::new(fold, options, most_weights, folds.len()))
        .collect();
    let mut failure = None;
    // Every validation customer of every fold is one sample of the search's objective. A batch
    // of settings is scored fold by fold, so one fold's EASE models for the batch are fitted
    // together and dropped before the next fold's.
    let mut recalls = |batch: &[BlendSettings], task: Task| -> Vec<Vec<f64>> {
        let mut samples = vec![Vec::new(); batch.len()];
        for (fold, parts) in folds.iter().zip(&mut parts) {
            match parts.recalls(fold, batch, task, options.k) {
                Ok(recalls) => {
                    for (samples, recalls) in samples.iter_mut().zip(recalls) {
                        samples.extend(recalls);
                    }
                }
                Err(error) => {
                    failure = Some(error);
                    return vec![Vec::new(); batch.len()];
                }
            }
        }
        samples
    };
    // The priors are scored first: their EASE model is the search's starting one, so it is
    // fitted once for both.
    let mean = |samples: Vec<f64>| samples.iter().sum::<f64>() / samples.len().max(1) as f64;
    let default_recall_all = mean(recalls(&[default], Task::All).remove(0));
    let default_recall_new = mean(recalls(&[default], Task::New).remove(0));
    let explore_budget = options.budget * 2 / 3;
    let mut scored = 0;
    let explore = coordinate_ascent_batched(
        &explore_axes(
            most_weights,
            &default,
            searches_next_purchase(&folds, options),
        ),
        explore_budget,
        |points| {
            let batch: Vec<BlendSettings> = points
                .iter()
                .map(|values| with_explore(default, values))
                .collect();
            recalls(&batch, Task::New)
        },
        |done, _| {
            scored = done;
            progress(done, options.budget);
        },
    );
    let explored = with_explore(default, &explore.values);
    let repeat = coordinate_ascent_batched(
        &repeat_axes(),
        options.budget - scored,
        |points| {
            let batch: Vec<BlendSettings> = points
                .iter()
                .map(|values| with_repeat(explored, values))
                .collect();
            recalls(&batch, Task::All)
        },
        |done, _| progress(scored + done, options.budget),
    );
    let settings = with_repeat(explored, &repeat.values);
    if let Some(error) = failure {
        return Err(error);
    }
    Ok(Tuning {
        settings,
        validation: Some(ValidationReport {
            split,
            users_all: users(Task::All),
            users_new: users(Task::New),
            recall_all: repeat.score,
            recall_new: explore.score,
            default_recall_all,
            default_recall_new,
            evaluations: explore.evaluations + repeat.evaluations,
        }),
        defaults_because: None,
    })
}

/// Bytes of EASE models the search keeps between batches, over all folds. The coordinate
/// search comes back to the models it used: a sweep of λ wants every λ at the fading constant
/// held, and a sweep of the fading constant every constant at the λ held, again on the next
/// sweep when neither moved. A model holds as many weights per product as the search may ship:
/// at 20,000 products (100 weights, [`SEARCH_CANDIDATES`]) it is 15 MB and all the search uses
/// fit; at 100,000 products, 75 MB: twenty-seven when the search validates on one window, nine
/// a fold on three, dropping first those of the fading constant with the most kept (they are
/// fitted again in one pass).
pub const EASE_KEPT_BYTES: usize = 2 << 30;

/// An EASE model's key: the bits of its variant (λ, the next-purchase weight and that model's
/// λ, 0 when the weight is 0), and of its fading constant. One pass fits every variant of a
/// fading constant.
type ModelKey = ([u32; 3], u32);

/// The key of the EASE model `settings` rank with.
fn model_key(settings: &BlendSettings) -> ModelKey {
    let next_lambda = if settings.next_purchase > 0.0 {
        settings.next_purchase_lambda.to_bits()
    } else {
        0
    };
    let variant = [
        settings.ease_lambda.to_bits(),
        settings.next_purchase.to_bits(),
        next_lambda,
    ];
    (variant, settings.ease_days.to_bits())
}

/// EASE models (their target lists) by [`ModelKey`], the most recently used first.
struct KeptModels {
    models: Vec<(ModelKey, SparseRows)>,
    budget_bytes: usize,
}

impl KeptModels {
    fn new(budget_bytes: usize) -> Self {
        Self {
            models: Vec::new(),
            budget_bytes,
        }
    }

    fn get(&self, key: ModelKey) -> Option<&SparseRows> {
        let found = self.models.iter().find(|(kept, _)| *kept == key);
        found.map(|(_, targets)| targets)
    }

    /// Adds a model as the least recently used: kept at least until the next
    /// [`KeptModels::forget_beyond_budget`].
    fn insert(&mut self, key: ModelKey, targets: SparseRows) {
        self.models.push((key, targets));
    }

    /// Marks `key`'s model, if kept, as the most recently used.
    fn touch(&mut self, key: ModelKey) {
        if let Some(at) = self.models.iter().position(|(kept, _)| *kept == key) {
            let model = self.models.remove(at);
            self.models.insert(0, model);
        }
    }

    /// Drops models until those kept fit the budget. A fading constant's models are fitted
    /// again in one pass for all their variants, so one of many sharing a constant costs a
    /// fraction of a fit to get back and a lone one a whole fit: the models dropped are of the
    /// constant with the most kept, its least recently used first.
    fn forget_beyond_budget(&mut self) {
        let bytes = |models: &[(ModelKey, SparseRows)]| -> usize {
            models.iter().map(|(_, targets)| targets.heap_bytes()).sum()
        };
        while bytes(&self.models) > self.budget_bytes {
            let sharing = |days: u32| {
                let same = self.models.iter().filter(|((_, other), _)| *other == days);
                same.count()
            };
            let most = self
                .models
                .iter()
                .map(|((_, days), _)| sharing(*days))
                .max()
                .unwrap_or(0);
            let at = self
                .models
                .iter()
                .rposition(|((_, days), _)| sharing(*days) == most)
                .expect("a model is kept while over budget");
            self.models.remove(at);
        }
    }
}

/// The validation split's model parts, fitted once per setting that shapes them.
struct Parts {
    catalog: Catalog,
    content: ContentIndex,
    popularity: Vec<f32>,
    repeat_rates: Vec<f32>,
    /// Per test customer's training row: their history.
    histories: HashMap<usize, Vec<HistoryItem>>,
    /// EASE's target lists at the most weights the search may ship, within this fold's share
    /// of [`EASE_KEPT_BYTES`].
    ease: KeptModels,
    /// Trending scores by time constant's bits.
    trending: HashMap<u32, Vec<f32>>,
    /// The training lines' buyer days, which every time constant's trending weighs anew:
    /// gathered once, by the first.
    buyer_days: Option<Vec<BuyerDay>>,
    /// Next-purchase models by λ's bits.
    next_purchase: HashMap<u32, NextPurchaseWeights>,
    max_ease_weights: usize,
    /// Partners each target is solved over in this fold ([`search_candidates`]).
    ease_candidates: Option<usize>,
}

impl Parts {
    fn new(
        validation: &Holdout,
        options: &TuneOptions,
        max_ease_weights: usize,
        folds: usize,
    ) -> Self {
        let catalog = validation.catalog().clone();
        let ease_candidates = search_candidates(catalog.len(), options);
        let train = validation.train();
        let histories = Task::BOTH
            .into_iter()
            .flat_map(|task| validation.test_rows(task))
            .map(|row| {
                let history = train
                    .user_items(row)
                    .iter()
                    .map(HistoryItem::from)
                    .collect();
                (row, history)
            })
            .collect();
        Self {
            content: ContentIndex::of_catalog(&catalog, options.language),
            popularity: Popularity::from_interactions(train).normalised(),
            repeat_rates: RepeatRates::fit(train).rates().to_vec(),
            catalog,
            histories,
            ease: KeptModels::new(EASE_KEPT_BYTES / folds.max(1)),
            trending: HashMap::new(),
            buyer_days: None,
            next_purchase: HashMap::new(),
            max_ease_weights,
            ease_candidates,
        }
    }

    /// For each of `batch`, each validation customer's Recall at `k` with the blend under
    /// those settings on `task`. The EASE models the batch needs and this fold does not keep
    /// are fitted together, one pass per fading constant for all their variants.
    fn recalls(
        &mut self,
        validation: &Holdout,
        batch: &[BlendSettings],
        task: Task,
        k: usize,
    ) -> Result<Vec<Vec<f64>>> {
        // The models the batch needs and this fold does not keep, in the batch's order, each
        // with the weights per product of the first settings that need it.
        let mut missing: Vec<(ModelKey, usize)> = Vec::new();
        for settings in batch {
            let wanted = model_key(settings);
            if self.ease.get(wanted).is_none() && missing.iter().all(|(other, _)| *other != wanted)
            {
                let top_n = self.max_ease_weights.max(settings.ease_weights as usize);
                missing.push((wanted, top_n));
            }
        }
        // The next-purchase models they add, fitted once per fold and λ.
        for &(([_, weight, lambda], _), _) in &missing {
            if f32::from_bits(weight) > 0.0 && !self.next_purchase.contains_key(&lambda) {
                let model = NextPurchase::params()
                    .lambda(f64::from(f32::from_bits(lambda)))
                    .fit(validation.train(), validation.now())?;
                self.next_purchase.insert(lambda, model);
            }
        }
        // One fit per fading constant, for all of its variants.
        let fading: Vec<u32> = missing.iter().map(|&((_, days), _)| days).collect();
        for same_days in groups_of_equal(&fading) {
            let ((_, days), top_n) = missing[same_days[0]];
            let variants: Vec<EaseVariant> = same_days
                .iter()
                .map(|&at| {
                    let (([lambda, weight, next_lambda], _), _) = missing[at];
                    EaseVariant {
                        lambda: f64::from(f32::from_bits(lambda)),
                        added: (f32::from_bits(weight) > 0.0).then(|| AddedWeights {
                            model: &self.next_purchase[&next_lambda],
                            weight: f64::from(f32::from_bits(weight)),
                        }),
                    }
                })
                .collect();
            let models = Ease::params()
                .fading(f64::from(f32::from_bits(days)), validation.now())
                .top_n(top_n)
                .candidates(self.ease_candidates)
                .fit_each(validation.train(), &variants)?;
            for (at, model) in same_days.into_iter().zip(models) {
                self.ease.insert(missing[at].0, model);
            }
        }
        for settings in batch {
            self.fit_trending(validation, settings.trending_days)?;
        }
        // Settings that share a model and its weights per product share its shipped form,
        // made once.
        let mut recalls = vec![Vec::new(); batch.len()];
        let shipped: Vec<(ModelKey, u32)> = batch
            .iter()
            .map(|settings| (model_key(settings), settings.ease_weights))
            .collect();
        for sharing in groups_of_equal(&shipped) {
            let (wanted, weights) = shipped[sharing[0]];
            let targets = self
                .ease
                .get(wanted)
                .expect("every model the batch needs was fitted above");
            let ease = ItemWeights::shipped_top(targets, weights as usize);
            // Each but the last scores a copy; the last takes the shipped model itself.
            let (&last, copies) = sharing.split_last().expect("a group is never empty");
            for &at in copies {
                recalls[at] = self.recalls_with(validation, &batch[at], ease.clone(), task, k);
            }
            recalls[last] = self.recalls_with(validation, &batch[last], ease, task, k);
        }
        // The models the batch used are now the most recent.
        for settings in batch.iter().rev() {
            self.ease.touch(model_key(settings));
        }
        self.ease.forget_beyond_budget();
        Ok(recalls)
    }

    /// Each validation customer's Recall at `k` with the blend under `settings` on `task`, with
    /// `ease` shipped for them and their trending scores already fitted ([`Parts::fit_trending`]).
    fn recalls_with(
        &self,
        validation: &Holdout,
        settings: &BlendSettings,
        ease: ItemWeights,
        task: Task,
        k: usize,
    ) -> Vec<f64> {
        let blend = Blend::new(
            *settings,
            HistoryRows::whole(ease, self.repeat_rates.clone()),
            self.trending[&settings.trending_days.to_bits()].clone(),
            self.popularity.clone(),
        );
        let content = blend.needs_content().then_some(&self.content);
        let now = validation.now();
        let histories = &self.histories;
        validation.recalls(task, k, |row, scores| {
            let history = &histories[&row];
            match task {
                Task::All => blend.add_scores(history, now, content, scores),
                Task::New => blend.add_explore_scores(history, now, content, scores),
            }
        })
    }

    /// Fits trending with `days` as its time constant, unless it was already.
    fn fit_trending(&mut self, validation: &Holdout, days: f32) -> Result<()> {
        if !self.trending.contains_key(&days.to_bits()) {
            let catalog = &self.catalog;
            let buyer_days = self.buyer_days.get_or_insert_with(|| {
                buyer_days(validation.train_lines(), |item| {
                    Some(catalog.position(item)? as u32)
                })
            });
            let trend = Trending::params()
                .time_constant_days(f64::from(days))
                .fit_days(catalog.len(), buyer_days, Some, validation.now())?
                .scores()
                .to_vec();
            self.trending.insert(days.to_bits(), trend);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::ease::DENSE_LIMIT;

    const DAY: i64 = 86_400;

    /// Customers in two taste groups of six products. Each month a customer buys two of their
    /// group's products, in turn, so that by month 4 they have bought five of the six; in month 5
    /// they buy the sixth (new to them) and their first again.
    fn history() -> Vec<OrderLine> {
        let mut lines = Vec::new();
        for customer in 0..80usize {
            let group = customer % 2;
            for month in 0..6usize {
                let at = (month * 30 * 86_400 + customer * 60) as i64;
                let items = match month {
                    5 => [customer + 5, customer],
                    4 => [customer, customer + 1],
                    _ => [customer + month, customer + month + 1],
                };
                for item in items {
                    lines.push(OrderLine {
                        invoice: format!("{customer}-{month}").into(),
                        ..OrderLine::purchase(
                            &format!("c{customer}"),
                            &format!("g{group}i{}", item % 6),
                            at,
                        )
                    });
                }
            }
        }
        lines
    }

    #[test]
    fn too_little_history_gives_the_defaults_and_says_why() {
        let lines = &history()[..40];
        let validation = Validation::for_history(lines, 200 * DAY, Window::Days(30), FOLDS);
        let options = TuneOptions::default();
        let tuned = tune(&validation.split(lines, &options), &options, |_, _| {}).unwrap();
        assert_eq!(tuned.settings, BlendSettings::DEFAULT);
        assert!(tuned.validation.is_none());
        assert!(
            tuned
                .defaults_because
                .unwrap()
                .contains("too little history")
        );
        // A large shop's priors ship fewer weights per product.
        let large = TuneOptions {
            catalog_products: Some(20_000),
            ..options
        };
        let tuned = tune(&validation.split(lines, &large), &large, |_, _| {}).unwrap();
        assert_eq!(tuned.settings.ease_weights, 25);
    }

    #[test]
    fn the_search_is_bounded_deterministic_and_no_worse_than_the_defaults() {
        let lines = history();
        let validation = Validation::for_history(&lines, 180 * DAY, Window::Days(30), 1);
        let options = TuneOptions {
            budget: 40,
            min_users: 10,
            ..TuneOptions::default()
        };
        let run = || {
            let mut calls = 0;
            let folds = validation.split(&lines, &options);
            let tuned = tune(&folds, &options, |_, _| calls += 1).unwrap();
            (tuned, calls)
        };
        let (tuned, calls) = run();
        let report = tuned.validation.clone().unwrap();
        assert!(report.evaluations <= 40 && calls == report.evaluations);
        assert!(report.recall_all >= report.default_recall_all);
        assert!(report.recall_new >= report.default_recall_new);
        assert_eq!(run().0, tuned);
        assert_eq!(report.split, "1 window, 1970-05-31 to 1970-06-29");
    }

    #[test]
    fn the_next_purchase_model_is_searched_only_where_ease_is_dense() {
        let lines = history();
        let validation = Validation::for_history(&lines, 180 * DAY, Window::Days(30), 1);
        let options = TuneOptions {
            min_users: 10,
            ..TuneOptions::default()
        };
        let folds = validation.split(&lines, &options);
        let folds: Vec<&Holdout> = folds.holdouts.iter().collect();
        let searched = |options: TuneOptions| searches_next_purchase(&folds, &options);
        assert!(searched(options));
        let small_catalog = Some(folds[0].catalog().len());
        assert!(searched(TuneOptions {
            catalog_products: small_catalog,
            ..options
        }));
        // A product file that grows the catalog past the dense limit, or EASE candidates asked
        // for, would leave the model nothing to be summed into.
        assert!(!searched(TuneOptions {
            catalog_products: Some(DENSE_LIMIT + 1),
            ..options
        }));
        assert!(!searched(TuneOptions {
            ease_candidates: Some(200),
            ..options
        }));
    }

    #[test]
    fn the_search_solves_restricted_ease_over_fewer_candidates_than_the_bundle() {
        let options = TuneOptions::default();
        assert_eq!(search_candidates(DENSE_LIMIT, &options), None);
        assert_eq!(
            search_candidates(DENSE_LIMIT + 1, &options),
            Some(SEARCH_CANDIDATES)
        );
        let asked = |candidates| TuneOptions {
            ease_candidates: Some(candidates),
            min_users: 10,
            budget: 20,
            ..options
        };
        assert_eq!(search_candidates(12, &asked(4)), Some(4));
        assert_eq!(
            search_candidates(12, &asked(4 * SEARCH_CANDIDATES)),
            Some(SEARCH_CANDIDATES)
        );
        // It chooses no more weights per product than its models hold: with 4 partners
        // asked for, 4, where the grid starts at 50.
        let lines = history();
        let validation = Validation::for_history(&lines, 180 * DAY, Window::Days(30), 1);
        let folds = validation.split(&lines, &asked(4));
        let fold_refs: Vec<&Holdout> = folds.holdouts.iter().collect();
        assert_eq!(most_searched_weights(&fold_refs, &asked(4)), 4);
        assert_eq!(most_searched_weights(&fold_refs, &options), 200);
        // Past the dense limit, unless the shop sets its own, the priors' weights per product:
        // each is bytes a shopper fetches for every product viewed.
        let large = TuneOptions {
            catalog_products: Some(DENSE_LIMIT + 1),
            ..options
        };
        assert_eq!(
            most_searched_weights(&fold_refs, &large),
            BlendSettings::LARGE_CATALOG_EASE_WEIGHTS as usize
        );
        let raised = TuneOptions {
            max_ease_weights: Some(100),
            ..large
        };
        assert_eq!(most_searched_weights(&fold_refs, &raised), 100);
        let tuned = tune(&folds, &asked(4), |_, _| {}).unwrap();
        assert!(tuned.validation.is_some());
        assert_eq!(tuned.settings.ease_weights, 4);
    }

    #[test]
    fn the_search_starts_from_the_priors_of_the_catalogs_size() {
        let start = |axes: &[Axis]| -> Vec<f64> {
            axes.iter().map(|axis| axis.values[axis.start]).collect()
        };
        let weights = |axes: &[Axis]| -> Vec<f64> {
            let axis = axes.iter().find(|axis| axis.name == "easeWeights").unwrap();
            axis.values.clone()
        };
        let priors_and_grids = [
            (3_659, vec![50.0, 100.0]),
            (100_000, vec![25.0, 50.0, 100.0]),
        ];
        for (products, grid) in priors_and_grids {
            let default = BlendSettings::defaults_for(products);
            for next_purchase in [false, true] {
                let axes = explore_axes(100, &default, next_purchase);
                assert_eq!(with_explore(default, &start(&axes)), default);
                // Never fewer weights than the priors ship.
                assert_eq!(weights(&axes), grid);
            }
            assert_eq!(with_repeat(default, &start(&repeat_axes())), default);
        }
    }

    #[test]
    fn kept_models_drop_first_those_refitted_together() {
        let model = || SparseRows::from_rows(vec![vec![(0, 1.0)]; 10]);
        let mut kept = KeptModels::new(3 * model().heap_bytes());
        let held = |kept: &KeptModels| -> Vec<(u32, u32)> {
            let mut keys: Vec<_> = kept
                .models
                .iter()
                .map(|&(([lambda, ..], days), _)| (lambda, days))
                .collect();
            keys.sort();
            keys
        };
        // A sweep of the fading constant at λ 10 (constants 2 and 3), then one of λ at
        // constant 1, its first value the most recently used.
        for (lambda, days) in [(10, 2), (10, 3), (30, 1), (20, 1), (10, 1)] {
            kept.insert(([lambda, 0, 0], days), model());
            kept.touch(([lambda, 0, 0], days));
        }
        kept.forget_beyond_budget();
        // The λ sweep's models, fitted again in one pass, go first, the least recent first: the
        // lone models of constants 2 and 3 stay.
        assert_eq!(held(&kept), [(10, 1), (10, 2), (10, 3)]);
        assert!(kept.get(([10, 0, 0], 2)).is_some() && kept.get(([20, 0, 0], 1)).is_none());
    }

    #[test]
    fn a_short_history_gets_shorter_windows_each_with_enough_before_it() {
        // 100 days of history, asked for 60-day windows: 50-day windows, and only as many as
        // leave as long before them (days 50-100).
        let lines: Vec<OrderLine> = (0..100)
            .map(|day| OrderLine::purchase("c", "A", day * DAY))
            .collect();
        let validation = Validation::for_history(&lines, 100 * DAY, Window::Days(60), FOLDS);
        assert_eq!(validation, Validation::Windows(vec![(50 * DAY, 100 * DAY)]));
        // Asked for 30 days: the windows asked for, as many as have 30 days or more before them.
        let validation = Validation::for_history(&lines, 100 * DAY, Window::Days(30), FOLDS);
        assert_eq!(
            validation,
            Validation::Windows(vec![(70 * DAY, 100 * DAY), (40 * DAY, 70 * DAY)])
        );
        // A long history keeps the windows asked for.
        let validation = Validation::for_history(&lines, 100 * DAY, Window::Days(10), FOLDS);
        assert_eq!(
            validation,
            Validation::Windows(vec![
                (90 * DAY, 100 * DAY),
                (80 * DAY, 90 * DAY),
                (70 * DAY, 80 * DAY)
            ])
        );
    }

    #[test]
    fn windows_are_taken_newest_first_until_they_hold_the_customers_searched_on() {
        // The three 30-day windows before day 180 each test the same 80 customers; in the
        // middle one, none buys anything new, so it is never a fold.
        let lines = history();
        let validation = Validation::for_history(&lines, 180 * DAY, Window::Days(30), FOLDS);
        let split = |max_users| {
            let options = TuneOptions {
                min_users: 10,
                max_users,
                ..TuneOptions::default()
            };
            let folds = validation.split(&lines, &options);
            let users: Vec<usize> = folds
                .holdouts
                .iter()
                .map(|fold| fold.test_users(Task::All))
                .collect();
            (users, folds.description)
        };
        let both = "2 windows, 1970-04-01 to 1970-06-29".to_owned();
        assert_eq!(split(1_000), (vec![80, 80], both.clone()));
        // The oldest window tops the newest up to 100 customers, with a draw of 20 of its own.
        assert_eq!(split(100), (vec![80, 20], both));
        // Fewer than 10 customers short of the most: no window after the newest is cut.
        assert_eq!(
            split(85),
            (vec![80], "1 window, 1970-05-31 to 1970-06-29".to_owned())
        );
    }

    #[test]
    fn a_history_without_times_validates_by_customer() {
        let lines: Vec<OrderLine> = history()
            .into_iter()
            .map(|line| OrderLine {
                timestamp: 0,
                ..line
            })
            .collect();
        let validation = Validation::for_history(&lines, 1, Window::Days(30), FOLDS);
        assert!(matches!(
            validation,
            Validation::ByCustomer { folds: 3, .. }
        ));
        let options = TuneOptions {
            min_users: 10,
            ..TuneOptions::default()
        };
        let folds = validation.split(&lines, &options);
        assert_eq!(folds.holdouts.len(), 3);
        assert_eq!(
            folds.description,
            "3 draws of 20% of each customer's products"
        );
    }
}
