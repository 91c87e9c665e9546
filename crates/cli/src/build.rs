//! `aisle build`: read, clean, sum the orders up into their statistics, learn the blend's
//! settings, train and write a bundle, with progress on stderr.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use aisle_core::catalog::Catalog;
use aisle_core::catalog::money::Money;
use aisle_core::eval::holdout::Window;
use aisle_core::input::orders::OrderLine;
use aisle_core::input::product_file::{ProductFile, read_products};
use aisle_core::measure::experiment::Measuring;
use aisle_core::models::blend::Tuning;
use aisle_core::models::blend::tune::{FOLDS, TuneOptions, Validation, tune};
use aisle_core::models::train::{TrainOptions, train};
use aisle_core::serve::copy::CopyTemplates;
use aisle_core::serve::locales;
use aisle_core::serve::merchandising::Merchandising;
use aisle_core::serve::ui_texts::UiTexts;
use aisle_core::statistics::OrderStatistics;
use aisle_core::statistics::products::Products;
use anyhow::{Context, Result, bail};

use crate::bundle_dir::{replaced_manifest, write_bundle_dir};
use crate::images;
use crate::input::{
    ColumnArgs, progress_steps, read_clean_orders, read_settings, report_skipped, spinner,
};
use crate::statistics_files;

/// Where the blend's settings come from.
pub enum Blend {
    /// Searched on the history's last `window`.
    Learned {
        window: String,
        options: TuneOptions,
    },
    /// Read from a JSON file.
    Given(PathBuf),
}

/// What to build.
pub struct Plan<'a> {
    /// The order logs; empty when the build reads `statistics` instead.
    pub orders: &'a [PathBuf],
    /// A folder of the order statistics a warehouse job wrote (docs/statistics.md).
    pub statistics: Option<&'a Path>,
    pub columns: &'a ColumnArgs,
    pub products: Option<&'a Path>,
    /// The folder of the product file's photos (its own folder without it).
    pub images: Option<&'a Path>,
    pub out: &'a Path,
    pub segments: Option<usize>,
    pub seed: u64,
    pub money: Money,
    /// The shop's copy templates (docs/copy.md); the built-in English ones without.
    pub copy: Option<&'a Path>,
    /// The store's own words in the shop's language (docs/languages.md).
    pub ui_texts: Option<&'a Path>,
    /// The locales the store offers besides the shop's own (docs/languages.md).
    pub more_locales: &'a [String],
    /// The shop's merchandising rules (docs/merchandising.md).
    pub merchandising: Option<&'a Path>,
    /// The line the store shows at its foot; empty for none.
    pub credit: &'a str,
    /// The shop's experiment and report endpoint (docs/measuring.md).
    pub measuring: Option<&'a Path>,
    pub blend: Blend,
    /// Partners each EASE target is solved over; `None` chooses by catalog size.
    pub ease_candidates: Option<usize>,
    /// Fewest products in a shard of what products bring to a history.
    pub shard_products: usize,
    /// Print what was written as JSON on stdout.
    pub json: bool,
}

/// What `--json` prints.
#[derive(serde::Serialize)]
struct Built<'a> {
    out: &'a Path,
    manifest: &'a aisle_core::bundle::Manifest,
    seconds: f64,
}

/// What a build trains from: the cleaned order lines with their products tallied, or the
/// statistics a warehouse job wrote.
enum Source {
    Lines(Vec<OrderLine>, Products),
    Statistics(OrderStatistics),
}

pub fn run(plan: &Plan, quiet: bool) -> Result<()> {
    let started = Instant::now();
    plan.money.check()?;
    let copy = plan.copy.map(read_copy).transpose()?;
    let ui_texts = plan.ui_texts.map(read_ui_texts).transpose()?;
    let more_locales = locales::more_locales(&plan.money, plan.more_locales)?;
    let merchandising = plan
        .merchandising
        .map(read_merchandising)
        .transpose()?
        .unwrap_or_default();
    let measuring = plan
        .measuring
        .map(read_measuring)
        .transpose()?
        .unwrap_or_default();
    // Settings given are read before the long work, so a fault in them is reported at once.
    let given = match &plan.blend {
        Blend::Given(path) => Some(read_settings(path)?),
        Blend::Learned { .. } => None,
    };
    // The lines are read only when no statistics are given: the statistics are all training
    // reads, and the lines are kept only as long as the blend's settings are searched on them.
    // From lines, the products are tallied first, for the catalog, and the other statistics
    // once the search is done, so the search never holds them beside the lines.
    let source = match plan.statistics {
        Some(dir) => Source::Statistics(statistics_files::read(dir, quiet)?),
        None => {
            let lines = read_clean_orders(plan.orders, plan.columns, quiet)?;
            let products = Products::from_lines(&lines);
            Source::Lines(lines, products)
        }
    };
    let (lines, products) = match &source {
        Source::Lines(lines, products) => (Some(lines), products),
        Source::Statistics(statistics) => (None, &statistics.products),
    };
    let mut catalog = Catalog::from_products(products);
    let mut photo_files = Vec::new();
    if let Some(path) = plan.products {
        let file;
        (catalog, file) = apply_product_file(catalog, path, quiet)?;
        if file.image_column.is_some() {
            let photos = images::prepare(&catalog, &file, path, plan.images, quiet);
            images::report(&photos, quiet);
            catalog = catalog.with_images(photos.images);
            photo_files = photos.files;
        }
    }
    let unknown = merchandising.unknown_products(&catalog);
    if !unknown.is_empty() && !quiet {
        eprintln!(
            "merchandising: {} product(s) not in the catalog, kept for when they are: {}",
            unknown.len(),
            unknown.join(", ")
        );
    }
    let tuning = match (&plan.blend, given, lines) {
        (_, Some(tuning), _) => tuning,
        (Blend::Learned { window, options }, None, Some(lines)) => {
            let options = TuneOptions {
                catalog_products: Some(catalog.len()),
                ..*options
            };
            learn(lines, window, &options, quiet)?
        }
        (_, None, _) => bail!(
            "the blend's settings are searched on order lines, which statistics do not hold: \
             give them with --settings (docs/statistics.md)"
        ),
    };
    let statistics = match source {
        Source::Statistics(statistics) => statistics,
        Source::Lines(lines, products) => {
            let summing = spinner(quiet, "summing the orders up (customers, baskets, days)");
            let statistics = OrderStatistics::from_products_and_lines(products, &lines);
            summing.finish_and_clear();
            statistics
        }
    };
    if !quiet {
        match (&tuning.validation, &tuning.defaults_because) {
            (Some(report), _) => eprintln!(
                "blend settings learned on {} ({} settings scored): Recall@{} {:.4} on `all` and \
                 {:.4} on `new`, against {:.4} and {:.4} with the defaults",
                report.split,
                report.evaluations,
                TuneOptions::default().k,
                report.recall_all,
                report.recall_new,
                report.default_recall_all,
                report.default_recall_new
            ),
            (None, Some(because)) => eprintln!("blend settings: the defaults, because {because}"),
            (None, None) => {}
        }
    }

    let training = spinner(quiet, "training (catalog, EASE, co-purchase, segments)");
    let options = TrainOptions {
        segments: plan.segments,
        seed: plan.seed,
        tuning,
        money: plan.money.clone(),
        copy,
        ui_texts,
        more_locales,
        merchandising,
        credit: plan.credit.to_owned(),
        measuring,
        ease_candidates: plan.ease_candidates,
    };
    let (bundle, counts) = train(catalog, &statistics, &options)?;
    // The deploy being replaced lends its shard cuts, so shards nest across deploys and a host
    // that sees a shopper on both sides learns no narrower a set of products than one shard.
    let previous = replaced_manifest(plan.out).and_then(|replaced| replaced.shards);
    let (manifest, mut files) =
        bundle.encode_in_shards_of(counts, plan.shard_products, previous.as_ref());
    files.extend(photo_files);
    training.finish_and_clear();

    write_bundle_dir(plan.out, &manifest, &files)
        .with_context(|| format!("cannot write the bundle to {}", plan.out.display()))?;

    if plan.json {
        let built = Built {
            out: plan.out,
            manifest: &manifest,
            seconds: started.elapsed().as_secs_f64(),
        };
        writeln!(
            io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&built)?
        )?;
    }
    if !quiet {
        let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
        eprintln!(
            "wrote {} ({} products, {} customers, {} segments, {} model bytes) in {:.1} s",
            plan.out.display(),
            counts.products,
            counts.customers,
            bundle.segments.segments().len(),
            bytes,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Reads and checks the shop's copy templates, before the long work, so a fault in them is
/// reported at once.
fn read_copy(path: &Path) -> Result<CopyTemplates> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the copy templates {}", path.display()))?;
    Ok(CopyTemplates::parse(&path.display().to_string(), &text)?)
}

/// Reads and checks the store's texts in the shop's language, before the long work.
fn read_ui_texts(path: &Path) -> Result<UiTexts> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the store's texts {}", path.display()))?;
    Ok(UiTexts::parse(&path.display().to_string(), &text)?)
}

/// Reads and checks what the shop measures, before the long work.
fn read_measuring(path: &Path) -> Result<Measuring> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the measuring declaration {}", path.display()))?;
    Ok(Measuring::from_json(&bytes, &path.display().to_string())?)
}

/// Reads and checks the shop's merchandising rules, before the long work.
fn read_merchandising(path: &Path) -> Result<Merchandising> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the merchandising rules {}", path.display()))?;
    Ok(Merchandising::from_json(
        &bytes,
        &path.display().to_string(),
    )?)
}

/// Searches the blend's settings on the history's last `window`.
fn learn(lines: &[OrderLine], window: &str, options: &TuneOptions, quiet: bool) -> Result<Tuning> {
    let length = Window::parse(window).with_context(|| {
        format!("--validation-window `{window}` is not a length such as 30d, 4w or 1m")
    })?;
    let end = lines.iter().map(|line| line.timestamp).max().unwrap_or(0) + 1;
    let folds = Validation::for_history(lines, end, length, FOLDS).split(lines, options);
    let searching = progress_steps(
        quiet,
        options.budget as u64,
        &format!("learning the blend's settings on {}", folds.description),
    );
    let tuning = tune(&folds, options, |done, _| {
        searching.set_position(done as u64)
    })?;
    searching.finish_and_clear();
    Ok(tuning)
}

/// Reads the shop's product file and applies it to the catalog, saying what it changed.
fn apply_product_file(
    catalog: Catalog,
    path: &Path,
    quiet: bool,
) -> Result<(Catalog, ProductFile)> {
    let name = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
    let products = read_products(file, &name)?;
    report_skipped(&products.report, quiet);
    let (catalog, merge) = catalog.with_products(&products.products);
    if !quiet {
        eprintln!(
            "{name}: {} rows read, {} skipped; {} products described, {} added{}",
            products.report.rows_read,
            products.report.rows_skipped,
            merge.updated,
            merge.added,
            match merge.unpriced.as_slice() {
                [] => String::new(),
                unpriced => format!(
                    ", {} left out for want of a price (first: {})",
                    unpriced.len(),
                    unpriced[0]
                ),
            }
        );
    }
    Ok((catalog, products))
}
