//! `aisle evaluate`: the offline protocol (temporal holdout, tasks `all` and `new`) for every
//! model, printed as JSON on stdout.

use std::collections::BTreeMap;
use std::path::PathBuf;

use aisle_core::holdout::{Holdout, Task, TaskScore};
use aisle_core::itemknn::ItemKnn;
use aisle_core::popularity::Popularity;
use aisle_core::repeat::add_repeat_scores;
use anyhow::{Context, Result};
use serde_json::json;

use crate::input::{read_clean_orders, spinner};

/// Enough to put any purchase ahead of any popularity score (normalised to at most 1).
const REPEAT_FIRST: f32 = 1_000.0;

pub fn run(orders: &[PathBuf], cutoff: &str, k: usize, quiet: bool) -> Result<()> {
    let cutoff_at = aisle_core::fields::parse_timestamp(cutoff)
        .with_context(|| format!("--cutoff `{cutoff}` is not a date (such as 2011-11-01)"))?;
    let lines = read_clean_orders(orders, quiet)?;

    let fitting = spinner(quiet, "splitting and fitting");
    let holdout = Holdout::split(&lines, cutoff_at);
    let train = holdout.train();
    let popularity = Popularity::fit(holdout.catalog(), holdout.train_lines());
    let popularity_prior = popularity.normalised();
    let itemknn = ItemKnn::params().neighbours(100).fit(train)?;
    fitting.finish_and_clear();

    let mut tasks: BTreeMap<&str, BTreeMap<&str, TaskScore>> = BTreeMap::new();
    for (task_name, task) in [("all", Task::All), ("new", Task::New)] {
        let evaluating = spinner(quiet, &format!("evaluating task {task_name}"));
        let models = tasks.entry(task_name).or_default();
        models.insert(
            "popularity",
            holdout.evaluate(task, k, |_, scores| popularity.add_scores(1.0, scores)),
        );
        models.insert(
            "itemknn",
            holdout.evaluate(task, k, |user, scores| {
                let history: Vec<u32> = train
                    .user_items(user)
                    .iter()
                    .map(|&(item, _)| item)
                    .collect();
                itemknn.add_scores(&history, 1.0, scores);
            }),
        );
        if task == Task::All {
            models.insert(
                "repeat",
                holdout.evaluate(task, k, |user, scores| {
                    scores.copy_from_slice(&popularity_prior);
                    add_repeat_scores(train.user_items(user), REPEAT_FIRST, scores);
                }),
            );
        }
        evaluating.finish_and_clear();
    }
    let report = json!({ "k": k, "tasks": tasks });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
