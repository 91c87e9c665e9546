//! `aisle evaluate`: the offline protocol (temporal holdout, tasks `all` and `new`) for every
//! model, printed as JSON on stdout.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::PathBuf;

use aisle_core::blend::{Blend, HistoryItem};
use aisle_core::content::ContentIndex;
use aisle_core::ease::Ease;
use aisle_core::holdout::{Holdout, Task, TaskScore};
use aisle_core::interaction_file::read_interactions;
use aisle_core::itemknn::ItemKnn;
use aisle_core::orders::OrderLine;
use aisle_core::popularity::Popularity;
use aisle_core::repeat::add_repeat_scores;
use aisle_core::train::SHIPPED_EASE_WEIGHTS;
use aisle_core::trending::Trending;
use aisle_core::userknn::UserKnn;
use anyhow::{Context, Result};
use serde_json::json;

use crate::input::{ColumnArgs, read_clean_orders, spinner};

/// Enough to put any purchase ahead of any popularity score (normalised to at most 1).
const REPEAT_FIRST: f32 = 1_000.0;

/// A model as the evaluation sees it: fill the scores for a training row.
type Scorer<'a> = Box<dyn Fn(usize, &mut [f32]) + 'a>;

/// Where the train/test split comes from.
pub enum Source {
    /// Order logs, cleaned as the protocol says and split in time.
    Orders {
        orders: Vec<PathBuf>,
        columns: ColumnArgs,
        cutoff: String,
    },
    /// Interaction files split by someone else.
    PreSplit {
        train: PathBuf,
        test: PathBuf,
        min_rating: Option<f64>,
    },
}

impl Source {
    fn holdout(&self, quiet: bool) -> Result<Holdout> {
        match self {
            Source::Orders {
                orders,
                columns,
                cutoff,
            } => {
                let cutoff_at = aisle_core::fields::parse_timestamp(cutoff).with_context(|| {
                    format!("--cutoff `{cutoff}` is not a date (such as 2011-11-01)")
                })?;
                Ok(Holdout::split(
                    &read_clean_orders(orders, columns, quiet)?,
                    cutoff_at,
                ))
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
                // Recency is measured from the end of the training period.
                let now = train.iter().map(|line| line.timestamp).max().unwrap_or(0);
                Ok(Holdout::from_parts(train, &test, now))
            }
        }
    }
}

pub fn run(source: Source, k: usize, quiet: bool) -> Result<()> {
    let holdout = source.holdout(quiet)?;
    let cutoff_at = holdout.cutoff();
    let fitting = spinner(quiet, "fitting");
    let train = holdout.train();
    let popularity = Popularity::fit(holdout.catalog(), holdout.train_lines());
    let popularity_prior = popularity.normalised();
    let itemknn = ItemKnn::params().neighbours(100).fit(train)?;
    let userknn = UserKnn::params().fit(train)?;
    // Measured as shipped: sparsified to the bundle's size and through its 8-bit wire form.
    let ease = Ease::params()
        .top_n(SHIPPED_EASE_WEIGHTS)
        .fit(train)?
        .as_shipped();
    let trending = Trending::params().fit(holdout.catalog(), holdout.train_lines(), cutoff_at)?;
    let blend = Blend::new(ease.clone(), trending.scores().to_vec());
    let texts: Vec<_> = holdout
        .catalog()
        .products()
        .iter()
        .map(|p| p.text())
        .collect();
    let content = ContentIndex::build(texts.iter().map(AsRef::as_ref));
    fitting.finish_and_clear();

    let history = |user: usize| -> Vec<u32> {
        train
            .user_items(user)
            .iter()
            .map(|purchase| purchase.item)
            .collect()
    };
    // (name, tasks it takes part in, scorer). `repeat` is meaningless on `new`, where every
    // bought item is removed.
    let both: &[Task] = &[Task::All, Task::New];
    let models: Vec<(&str, &[Task], Scorer)> = vec![
        (
            "popularity",
            both,
            Box::new(|_, scores| popularity.add_scores(1.0, scores)),
        ),
        (
            "itemknn",
            both,
            Box::new(|user, scores| itemknn.add_scores(&history(user), 1.0, scores)),
        ),
        (
            "userknn",
            both,
            Box::new(|user, scores| userknn.add_scores_for(user, 1.0, scores)),
        ),
        (
            "ease",
            both,
            Box::new(|user, scores| ease.add_scores(&history(user), 1.0, scores)),
        ),
        (
            "content",
            both,
            // The profile is the sum of the bought items' TF-IDF vectors.
            Box::new(|user, scores| {
                for item in history(user) {
                    content.add_similar(item as usize, 1.0, scores);
                }
            }),
        ),
        (
            "repeat",
            &[Task::All],
            Box::new(|user, scores| {
                scores.copy_from_slice(&popularity_prior);
                add_repeat_scores(train.user_items(user), REPEAT_FIRST, scores);
            }),
        ),
        (
            "aisle",
            both,
            Box::new(|user, scores| {
                let history: Vec<HistoryItem> = train
                    .user_items(user)
                    .iter()
                    .map(HistoryItem::from)
                    .collect();
                blend.add_scores(&history, cutoff_at, scores);
            }),
        ),
    ];

    let mut tasks: BTreeMap<&str, BTreeMap<&str, TaskScore>> = BTreeMap::new();
    for (task_name, task) in [("all", Task::All), ("new", Task::New)] {
        let evaluating = spinner(quiet, &format!("evaluating task {task_name}"));
        for (name, _, scorer) in models
            .iter()
            .filter(|(_, in_tasks, _)| in_tasks.contains(&task))
        {
            // Diversity by title similarity: what a shopper sees as "more of the same".
            let score = holdout.evaluate(
                task,
                k,
                |a, b| content.cosine(a as usize, b as usize),
                scorer,
            );
            tasks.entry(task_name).or_default().insert(name, score);
        }
        evaluating.finish_and_clear();
    }
    let report = json!({ "k": k, "tasks": tasks });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
