//! `aisle evaluate`: the offline protocol (a holdout in time, tasks `all` and `new`) for every
//! model, printed as JSON on stdout.
//!
//! Models that have settings to learn (the `aisle` blend, `tifuknn`) learn them on a validation
//! window cut from the end of each training history, never on the test window; with several
//! cut-offs (rolling origin) each one trains on what came before it and tests on the window
//! after it.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;

use aisle_core::catalog::content::ContentIndex;
use aisle_core::eval::derived;
use aisle_core::eval::holdout::{Holdout, Task, TaskScore, Window};
use aisle_core::input::fields::parse_timestamp;
use aisle_core::input::interaction_file::read_interactions;
use aisle_core::input::orders::OrderLine;
use aisle_core::models::baskets::Baskets;
use aisle_core::models::blend::tune::{FOLDS, TuneOptions, Validation, tune};
use aisle_core::models::blend::{BlendSettings, HistoryItem, Tuning};
use aisle_core::models::ease::Ease;
use aisle_core::models::itemknn::ItemKnn;
use aisle_core::models::popularity::Popularity;
use aisle_core::models::repeat::add_repeat_scores;
use aisle_core::models::tifuknn::TifuKnnParams;
use aisle_core::models::train::train_blend;
use aisle_core::models::userknn::UserKnn;
use aisle_core::statistics::buyer_days;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::json;

use crate::atomic_write::write_file_atomically;
use crate::input::{ColumnArgs, progress_steps, read_clean_orders, read_settings, spinner};

/// Enough to put any purchase ahead of any popularity score (normalised to at most 1).
const REPEAT_FIRST: f32 = 1_000.0;

/// EASE weights per product for the `ease` anchor (docs/evaluation.md): a number of its own, so
/// the anchor does not move with what the blend's search chooses.
const ANCHOR_EASE_WEIGHTS: usize = 100;

/// A model as the evaluation sees it: fill the scores for a training row.
type Scorer<'a> = Box<dyn Fn(usize, &mut [f32]) + 'a>;

/// Where the train/test splits come from.
pub enum Source {
    /// Order logs, cleaned as the protocol says and split in time at each cut-off.
    Orders {
        orders: Vec<PathBuf>,
        columns: Box<ColumnArgs>,
        cutoffs: Vec<String>,
        /// The test window after each cut-off; `None`: the rest of the log.
        window: Option<String>,
        /// Evaluate on data of another shape derived from the orders.
        derive: Option<Derive>,
    },
    /// Interaction files split by someone else.
    PreSplit {
        train: PathBuf,
        test: PathBuf,
        min_rating: Option<f64>,
    },
}

/// Data of another shape, derived from the order log (see `aisle_core::eval::derived`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Derive {
    /// Each customer's first order of each product only: nobody buys anything twice.
    NoRepeat,
    /// Each order a customer of its own, one of its products held out: no cut-off.
    BasketCompletion,
    /// Only the log's last three months.
    ShortHistory,
}

/// How the evaluation runs.
pub struct Options {
    /// Length of the ranked lists.
    pub k: usize,
    /// Most settings each search scores.
    pub budget: usize,
    /// Most validation customers each setting is ranked for, over the validation windows.
    pub validation_customers: usize,
    /// The blend's settings, instead of searching for them.
    pub settings: Option<PathBuf>,
    /// Only these models (all when empty).
    pub models: Vec<String>,
    /// Partners each EASE target is solved over (the `ease` anchor's and the blend's); `None`
    /// chooses by catalog size.
    pub ease_candidates: Option<usize>,
    /// Most partners each EASE target is solved over in the blend's search.
    pub search_candidates: usize,
    /// Most EASE weights per product the blend's search may choose; `None` by catalog size.
    pub neighbours: Option<usize>,
    /// Where to write every ranked list, as JSON lines.
    pub rankings: Option<PathBuf>,
    pub quiet: bool,
}

/// The models, in report order.
pub const MODELS: [&str; 8] = [
    "popularity",
    "ptopfreq",
    "itemknn",
    "userknn",
    "ease",
    "content",
    "tifuknn",
    "aisle",
];

impl Options {
    fn wants(&self, model: &str) -> bool {
        self.models.is_empty() || self.models.iter().any(|wanted| wanted == model)
    }
}

/// One ranked list, as `--rankings` writes it.
#[derive(Serialize)]
struct RankedList<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    cutoff: Option<&'a str>,
    task: &'static str,
    model: &'static str,
    user: &'a str,
    items: Vec<&'a str>,
}

/// One split to evaluate, and how its training history is split to validate on.
struct Split {
    name: Option<String>,
    holdout: Holdout,
    validation: Validation,
}

impl Source {
    fn splits(&self, quiet: bool) -> Result<Vec<Split>> {
        match self {
            Source::Orders {
                orders,
                columns,
                cutoffs,
                window,
                derive,
            } => {
                let window = window
                    .as_deref()
                    .map(|text| {
                        Window::parse(text).with_context(|| {
                            format!("--window `{text}` is not a length such as 30d, 4w or 1m")
                        })
                    })
                    .transpose()?;
                let mut moments = Vec::new();
                for cutoff in cutoffs {
                    let at = parse_timestamp(cutoff).with_context(|| {
                        format!("--cutoff `{cutoff}` is not a date (such as 2011-11-01)")
                    })?;
                    moments.push((cutoff.clone(), at));
                }
                let mut lines = read_clean_orders(orders, columns, quiet)?;
                match derive {
                    None => {}
                    Some(Derive::NoRepeat) => lines = derived::no_repeat(&lines),
                    Some(Derive::ShortHistory) => {
                        lines = derived::last_months(&lines, Window::Months(3))
                    }
                    Some(Derive::BasketCompletion) => {
                        let (train, test) = derived::basket_completion(&lines, 0);
                        let now = train.iter().map(|line| line.timestamp).max().unwrap_or(0);
                        return Ok(vec![Split {
                            name: None,
                            holdout: Holdout::from_parts(train, &test, now),
                            validation: by_customer(),
                        }]);
                    }
                }
                let end = lines.iter().map(|line| line.timestamp).max().unwrap_or(0) + 1;
                let named = moments.len() > 1;
                Ok(moments
                    .into_iter()
                    .map(|(name, cutoff)| {
                        let (holdout, length) = match window {
                            Some(window) => (
                                Holdout::window(&lines, cutoff, window.after(cutoff)),
                                window,
                            ),
                            None => (
                                Holdout::split(&lines, cutoff),
                                Window::Days(((end - cutoff).max(86_400) / 86_400) as u32),
                            ),
                        };
                        let validation =
                            Validation::for_history(holdout.train_lines(), cutoff, length, FOLDS);
                        Split {
                            name: named.then_some(name),
                            holdout,
                            validation,
                        }
                    })
                    .collect())
            }
            Source::PreSplit {
                train,
                test,
                min_rating,
            } => {
                let read = |path: &PathBuf| -> Result<Vec<OrderLine>> {
                    let file = File::open(path)
                        .with_context(|| format!("cannot open {}", path.display()))?;
                    Ok(read_interactions(
                        file,
                        &path.display().to_string(),
                        *min_rating,
                    )?)
                };
                let (train, test) = (read(train)?, read(test)?);
                let span = |lines: &[OrderLine]| {
                    let times = lines.iter().map(|line| line.timestamp);
                    times.clone().min().zip(times.max())
                };
                // Validate the way the test was split: by time when it comes after the
                // training period, else by customer.
                let (train_span, test_span) = (span(&train), span(&test));
                let now = train_span.map_or(0, |(_, last)| last);
                let validation = match (train_span, test_span) {
                    (Some((first, last)), Some((test_first, test_last)))
                        if first < last && test_first >= last =>
                    {
                        let days = ((test_last - test_first) / 86_400).max(1) as u32;
                        Validation::for_history(&train, last + 1, Window::Days(days), FOLDS)
                    }
                    _ => by_customer(),
                };
                Ok(vec![Split {
                    name: None,
                    holdout: Holdout::from_parts(train, &test, now),
                    validation,
                }])
            }
        }
    }
}

/// Validation for a test that is not later than its training: a fifth of each customer's
/// products, drawn [`FOLDS`] times.
fn by_customer() -> Validation {
    Validation::ByCustomer {
        share: 0.2,
        seed: 0,
        folds: FOLDS,
    }
}

/// Each model's scores per task.
type Scores = BTreeMap<&'static str, BTreeMap<&'static str, TaskScore>>;

/// One split's figures, with the settings the blend learned there.
#[derive(Serialize)]
struct SplitReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    cutoff: Option<String>,
    tasks: Scores,
    aisle: Tuning,
}

pub fn run(source: Source, options: &Options) -> Result<()> {
    if options.k == 0 {
        bail!("--k must be at least 1");
    }
    if let Some(unknown) = options
        .models
        .iter()
        .find(|model| !MODELS.contains(&model.as_str()))
    {
        bail!(
            "--models: no model `{unknown}` (the models are {})",
            MODELS.join(", ")
        );
    }
    let given = options.settings.as_deref().map(read_settings).transpose()?;
    let splits = source.splits(options.quiet)?;
    let mut rankings = Vec::new();
    let reports = splits
        .into_iter()
        .map(|split| evaluate_split(split, options, given.as_ref(), &mut rankings))
        .collect::<Result<Vec<_>>>()?;
    if let Some(path) = &options.rankings {
        write_file_atomically(path, &rankings)?;
    }
    let report = match reports.as_slice() {
        [one] if one.cutoff.is_none() => {
            json!({ "k": options.k, "tasks": one.tasks, "aisle": one.aisle })
        }
        several => json!({ "k": options.k, "tasks": means(several), "cutoffs": several }),
    };
    writeln!(
        io::stdout().lock(),
        "{}",
        serde_json::to_string_pretty(&report)?
    )?;
    Ok(())
}

fn evaluate_split(
    split: Split,
    options: &Options,
    given: Option<&Tuning>,
    rankings: &mut Vec<u8>,
) -> Result<SplitReport> {
    let Split {
        name,
        holdout,
        validation,
    } = split;
    let name_of_split = name.clone();
    let quiet = options.quiet;
    let label = name
        .as_deref()
        .map(|name| format!(" (cut-off {name})"))
        .unwrap_or_default();
    let now = holdout.now();

    // The validation split is the training history's end: what the searches may look at.
    let tune_options = TuneOptions {
        k: options.k,
        budget: options.budget,
        max_users: options.validation_customers,
        ease_candidates: options.ease_candidates,
        search_candidates: options.search_candidates,
        max_ease_weights: options.neighbours,
        catalog_products: Some(holdout.catalog().len()),
        ..TuneOptions::default()
    };
    let validating = validation.split(holdout.train_lines(), &tune_options);
    let searching = progress_steps(
        quiet,
        (options.budget * 3) as u64,
        &format!("learning settings on {}{label}", validating.description),
    );
    let tuning = match given {
        Some(given) => given.clone(),
        None if options.wants("aisle") => tune(&validating, &tune_options, |done, _| {
            searching.set_position(done as u64)
        })?,
        None => Tuning::defaults(BlendSettings::DEFAULT, "the blend is not evaluated".into()),
    };
    let tifu_tasks = if options.wants("tifuknn") {
        &Task::BOTH[..]
    } else {
        &[]
    };
    let tifu_params: Vec<(Task, TifuKnnParams)> = tifu_tasks
        .iter()
        .copied()
        .enumerate()
        .map(|(index, task)| {
            let start = ((index + 1) * options.budget) as u64;
            let params = TifuKnnParams::tune(
                &validating.holdouts,
                task,
                options.k,
                options.budget,
                |done, _| searching.set_position(start + done as u64),
            )?;
            Ok((task, params))
        })
        .collect::<Result<_>>()?;
    searching.finish_and_clear();
    drop(validating);

    let fitting = spinner(quiet, &format!("fitting every model{label}"));
    let catalog = holdout.catalog();
    let train = holdout.train();
    let popularity = Popularity::from_interactions(train);
    let popularity_prior = popularity.normalised();
    // Only the models asked for are fitted; the others score nothing and are never asked to.
    let itemknn = options
        .wants("itemknn")
        .then(|| ItemKnn::params().neighbours(100).fit(train))
        .transpose()?;
    let userknn = options
        .wants("userknn")
        .then(|| UserKnn::params().fit(train))
        .transpose()?;
    // Measured as a bundle ships it: sparsified and through its 8-bit wire form.
    let ease = options
        .wants("ease")
        .then(|| {
            Ease::params()
                .top_n(ANCHOR_EASE_WEIGHTS)
                .candidates(options.ease_candidates)
                .fit(train)
                .map(|model| model.as_shipped())
        })
        .transpose()?;
    // Trending as a bundle built from the same lines has it: as of the newest line.
    let newest = holdout
        .train_lines()
        .iter()
        .map(|line| line.timestamp)
        .max()
        .unwrap_or(now);
    let blend = options
        .wants("aisle")
        .then(|| {
            let days = buyer_days(holdout.train_lines(), |item| {
                Some(catalog.position(item)? as u32)
            });
            train_blend(
                catalog,
                train,
                &days,
                &tuning.settings,
                newest,
                options.ease_candidates,
            )
        })
        .transpose()?;
    let baskets = Baskets::from_orders(train, catalog, holdout.train_lines());
    let tifuknn: Vec<(Task, _)> = tifu_params
        .iter()
        .map(|(task, params)| Ok((*task, params.fit(&baskets, catalog.len())?)))
        .collect::<Result<_>>()?;
    let content = ContentIndex::of_catalog(catalog, tune_options.language);
    let blend_content = blend
        .as_ref()
        .and_then(|blend| blend.needs_content().then_some(&content));
    fitting.finish_and_clear();

    let items = |user: usize| -> Vec<u32> {
        train
            .user_items(user)
            .iter()
            .map(|purchase| purchase.item)
            .collect()
    };
    let history = |user: usize| -> Vec<HistoryItem> {
        train
            .user_items(user)
            .iter()
            .map(HistoryItem::from)
            .collect()
    };
    let mut tasks = Scores::new();
    for task in Task::BOTH {
        let tifu = tifuknn
            .iter()
            .find(|(of, _)| *of == task)
            .map(|(_, model)| model);
        let models: Vec<(&'static str, Scorer)> = vec![
            (
                "popularity",
                Box::new(|_, scores| popularity.add_scores(1.0, scores)),
            ),
            // P-TopFreq: the customer's own products by how often they ordered them, then
            // popularity (Li et al.'s GP-TopFreq). On task `new` only the popularity is left.
            (
                "ptopfreq",
                Box::new(|user, scores| {
                    scores.copy_from_slice(&popularity_prior);
                    add_repeat_scores(train.user_items(user), REPEAT_FIRST, scores);
                }),
            ),
            (
                "itemknn",
                Box::new(|user, scores| {
                    if let Some(itemknn) = &itemknn {
                        itemknn.add_scores(&items(user), 1.0, scores)
                    }
                }),
            ),
            (
                "userknn",
                Box::new(|user, scores| {
                    if let Some(userknn) = &userknn {
                        userknn.add_scores_for(user, 1.0, scores)
                    }
                }),
            ),
            (
                "ease",
                Box::new(|user, scores| {
                    if let Some(ease) = &ease {
                        ease.add_scores(&items(user), 1.0, scores)
                    }
                }),
            ),
            (
                "content",
                // The profile is the sum of the bought items' TF-IDF vectors.
                Box::new(|user, scores| {
                    for item in items(user) {
                        content.add_similar(item as usize, 1.0, scores);
                    }
                }),
            ),
            (
                "tifuknn",
                Box::new(|user, scores| {
                    if let Some(tifu) = tifu {
                        tifu.add_scores_for(user, 1.0, scores)
                    }
                }),
            ),
            (
                "aisle",
                Box::new(|user, scores| {
                    if let Some(blend) = &blend {
                        blend.add_scores(&history(user), now, blend_content, scores)
                    }
                }),
            ),
        ];
        let evaluating = spinner(quiet, &format!("evaluating task {}{label}", task.name()));
        for (name, scorer) in models.iter().filter(|(name, _)| options.wants(name)) {
            // Diversity by title similarity: what a shopper sees as "more of the same".
            let score = holdout.evaluate_lists(
                task,
                options.k,
                |a, b| content.cosine(a as usize, b as usize),
                scorer,
                |user, ranked, _| {
                    if options.rankings.is_some() {
                        let list = RankedList {
                            cutoff: name_of_split.as_deref(),
                            task: task.name(),
                            model: name,
                            user: train.user_id(user),
                            items: ranked
                                .iter()
                                .filter_map(|&item| catalog.product(item as usize))
                                .map(|product| product.id.as_str())
                                .collect(),
                        };
                        serde_json::to_writer(&mut *rankings, &list)
                            .expect("a list serialises to a vector");
                        rankings.push(b'\n');
                    }
                },
            );
            tasks.entry(task.name()).or_default().insert(name, score);
        }
        evaluating.finish_and_clear();
    }
    Ok(SplitReport {
        cutoff: name,
        tasks,
        aisle: tuning,
    })
}

/// Each model's mean over the splits: every rate averaged over the splits that have it, users
/// summed.
fn means(reports: &[SplitReport]) -> Scores {
    let mut means = Scores::new();
    let first = &reports[0].tasks;
    for (task, models) in first {
        for model in models.keys() {
            let scores: Vec<&TaskScore> = reports
                .iter()
                .filter_map(|report| report.tasks.get(task)?.get(model))
                .collect();
            let mean = |field: fn(&TaskScore) -> f64| {
                scores.iter().map(|score| field(score)).sum::<f64>() / scores.len() as f64
            };
            let mean_of_some = |field: fn(&TaskScore) -> Option<f64>| {
                let some: Vec<f64> = scores.iter().filter_map(|score| field(score)).collect();
                (!some.is_empty()).then(|| some.iter().sum::<f64>() / some.len() as f64)
            };
            let sum = |field: fn(&TaskScore) -> usize| scores.iter().map(|s| field(s)).sum();
            means.entry(task).or_default().insert(
                model,
                TaskScore {
                    recall: mean(|s| s.recall),
                    ndcg: mean(|s| s.ndcg),
                    hit_rate: mean(|s| s.hit_rate),
                    precision: mean(|s| s.precision),
                    coverage: mean(|s| s.coverage),
                    diversity: mean(|s| s.diversity),
                    users: sum(|s| s.users),
                    repeat_recall: mean_of_some(|s| s.repeat_recall),
                    repeat_users: sum(|s| s.repeat_users),
                    explore_recall: mean_of_some(|s| s.explore_recall),
                    explore_users: sum(|s| s.explore_users),
                    repeat_share: mean(|s| s.repeat_share),
                },
            );
        }
    }
    means
}
