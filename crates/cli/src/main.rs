//! `aisle`: the native command that turns a shop's order history into the static bundle its
//! storefront downloads.
//!
//! ```text
//! aisle build --orders data/*.csv.gz [--products products.csv] --out www/bundle
//! aisle synth --orders data/*.csv.gz --products 100000 --lines 10000000 --out synth.csv.gz
//! ```
//!
//! Errors are printed with their whole chain (`{:#}`) and a non-zero exit, as ripgrep does.

mod atomic_write;
mod build;
mod bundle_dir;
mod evaluate;
mod images;
mod input;
mod inspect;
mod report;
mod segment;
mod statistics_files;
mod synth;

use std::path::PathBuf;
use std::process::ExitCode;

use aisle_core::catalog::language::Language;
use aisle_core::catalog::money::Money;
use aisle_core::catalog::shards::MIN_SHARD_PRODUCTS;
use aisle_core::models::blend::tune::TuneOptions;
use clap::builder::TypedValueParser;
use clap::{Parser, Subcommand};

/// Private, on-device recommendations for static storefronts.
#[derive(Parser)]
#[command(name = "aisle", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How `build` and `evaluate` solve EASE.
#[derive(clap::Args)]
struct EaseArgs {
    /// Solve each product's co-purchase (EASE) weights over its K strongest partners instead
    /// of inverting the whole catalog's matrix (docs/scale.md). Without it, catalogs up to
    /// 10,000 products are solved exactly and larger ones over 200 partners.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..).map(|n| n as usize))]
    ease_candidates: Option<usize>,
}

/// How `build` and `evaluate` search the blend's settings.
#[derive(clap::Args)]
struct SearchArgs {
    /// Most settings each search scores on the validation windows (the blend's; in `evaluate`,
    /// TIFU-KNN's per task too).
    #[arg(long, default_value_t = TuneOptions::default().budget)]
    search_budget: usize,
    /// Most validation customers each setting is ranked for: the search takes the history's
    /// last windows newest first, at most three, until they hold this many (docs/evaluation.md).
    /// More averages over more months, at one more EASE fit per window for each model tried.
    #[arg(long, value_name = "N", default_value_t = TuneOptions::default().max_users,
          value_parser = clap::value_parser!(u64).range(1..).map(|n| n as usize))]
    validation_customers: usize,
    /// Most partners each product's co-purchase (EASE) weights are solved over while the search
    /// compares settings, where EASE is solved over its strongest partners (docs/scale.md): the
    /// search ships none of its models, and fewer partners cost it much less. It chooses no
    /// more weights per product than this either.
    #[arg(long, value_name = "K", default_value_t = TuneOptions::default().search_candidates,
          value_parser = clap::value_parser!(u64).range(1..).map(|n| n as usize))]
    search_candidates: usize,
    /// Most co-purchase (EASE) weights shipped per product, the bundle's largest part: the
    /// search chooses how many, up to this. Without it, up to 200 for a catalog of 10,000
    /// products or fewer, and 25 for a larger one, whose shoppers fetch a shard of weights
    /// for each product they view (docs/scale.md).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..).map(|n| n as usize))]
    neighbours: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the bundle a shop hosts: clean the orders, learn the catalog and models, write them.
    Build {
        /// Order logs: CSV, optionally gzip-compressed. The Online Retail columns are recognised.
        #[arg(long, num_args = 1.., required_unless_present = "stats")]
        orders: Vec<PathBuf>,
        /// Train from the order statistics a warehouse job wrote (jobs/spark/; docs/statistics.md)
        /// instead of from order lines. The blend's settings are then given with --settings.
        #[arg(
            long,
            value_name = "DIR",
            conflicts_with = "orders",
            requires = "settings"
        )]
        stats: Option<PathBuf>,
        #[command(flatten)]
        columns: input::ColumnArgs,
        /// The shop's product file (CSV, optionally gzip): titles, descriptions, categories and
        /// prices that replace what the orders suggest, and products not yet ordered. Only an
        /// id column (`id`, `sku`, `StockCode`, ...) is required. An `image` (or `Image Src`)
        /// column names each product's photo, resized into the bundle's `images/`.
        #[arg(long)]
        products: Option<PathBuf>,
        /// The folder the product file's photos are in: relative paths are read from it, and an
        /// address (`https://cdn.example/files/mug.jpg`) by its file name, since Aisle
        /// downloads nothing. Without it, the product file's own folder.
        #[arg(long, requires = "products")]
        images: Option<PathBuf>,
        /// The bundle directory to write. Its files are named by their content and written
        /// beside the old ones, the manifest last, so a store open meanwhile keeps working; on
        /// failure the old manifest stays (docs/deploying.md).
        #[arg(long)]
        out: PathBuf,
        /// Customer segments to ship, or `auto`: the best silhouette among 3 to 8 (docs/studio.md).
        #[arg(long, default_value = "auto")]
        segments: segment::SegmentCount,
        /// Seed of every random choice (k-means), so a build reproduces.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The shop's currency, an ISO 4217 code (`GBP`, `EUR`, `JPY`): the store writes prices
        /// with its symbol and decimals. Without it, prices are plain numbers.
        #[arg(long)]
        currency: Option<String>,
        /// The shop's locale, a BCP 47 tag (`en-GB`, `de-DE`): how the store writes numbers and
        /// prices. Without it, each shopper's browser chooses.
        #[arg(long)]
        locale: Option<String>,
        /// The shop's marketing copy templates, a text file like the built-in
        /// `crates/core/copy/en.txt` (docs/copy.md), shipped in the bundle. Without it, the
        /// store writes the built-in English copy.
        #[arg(long)]
        copy: Option<PathBuf>,
        /// The store's own words (shelf titles, buttons, the privacy center) in the shop's
        /// language, a text file like the built-in `crates/core/ui/en.txt`
        /// (docs/languages.md), shipped in the bundle. Without it, a shop whose --locale is in
        /// German or Chinese gets Aisle's own translation, any other the English texts.
        #[arg(long, value_name = "FILE")]
        ui_texts: Option<PathBuf>,
        /// Other locales the store offers its shoppers besides --locale, comma-separated
        /// (`en-GB,zh-CN`), each in a language Aisle has texts in (English, German, Simplified
        /// Chinese). A shopper gets the first of their browser's languages the shop offers, and
        /// may choose another in the store's header (docs/languages.md).
        #[arg(long, value_name = "TAGS", value_delimiter = ',')]
        more_locales: Vec<String>,
        /// The shop's merchandising rules, a JSON file: products hidden from every shelf,
        /// pinned to a position of one, products or categories boosted or buried
        /// (docs/merchandising.md). Carried in the manifest; every shelf applies them.
        #[arg(long)]
        merchandising: Option<PathBuf>,
        /// A line the store shows at its foot, in the shop's language: a credit the shop's data
        /// or photos require, its name or its terms. Without it, none.
        #[arg(long, value_name = "TEXT", default_value = "")]
        credit: String,
        /// What the shop measures, a JSON file: an experiment (arms, their shares, the shelves
        /// each hides) and the endpoint weekly randomized reports go to (docs/measuring.md).
        /// Without it the store measures nothing and sends nothing.
        #[arg(long, value_name = "FILE")]
        measuring: Option<PathBuf>,
        /// Fewest products in a shard of the model a store fetches as its shopper's history
        /// needs it (each product's co-purchase weights, partners and re-order rate): a request
        /// for a shard tells the host that the history holds one of at least this many
        /// products. Bigger shards hide more and cost the shopper more bytes per product viewed
        /// (docs/scale.md, "Shard size"). At least 500.
        #[arg(long, value_name = "N", default_value_t = MIN_SHARD_PRODUCTS, value_parser = shard_products)]
        shard_products: usize,
        /// The end of the history the blend's settings are validated on: days (`30d`), weeks
        /// (`4w`) or calendar months (`1m`).
        #[arg(long, default_value = "1m")]
        validation_window: String,
        #[command(flatten)]
        ease: EaseArgs,
        #[command(flatten)]
        search: SearchArgs,
        /// Rank with these settings (a JSON object like the `settings` that `aisle inspect`
        /// prints) instead of searching for them.
        #[arg(long)]
        settings: Option<PathBuf>,
        /// Print what was written (the bundle's directory and its manifest: counts, files with
        /// their sha256, the blend's settings and validation scores) as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// No progress bars or summary on stderr.
        #[arg(long)]
        quiet: bool,
    },
    /// Evaluate every model offline on a holdout in time (docs/evaluation.md); JSON on stdout.
    Evaluate {
        /// Order logs, as for `build`, split in time at `--cutoff` (or each of `--cutoffs`).
        #[arg(long, num_args = 1.., required_unless_present = "train", conflicts_with = "train")]
        orders: Vec<PathBuf>,
        #[command(flatten)]
        columns: input::ColumnArgs,
        /// Orders before this date train; the rest (or `--window` of it) test.
        #[arg(long, default_value = "2011-11-01", conflicts_with = "cutoffs")]
        cutoff: String,
        /// Rolling origin: several cut-offs, comma-separated, each training on what came before
        /// it and testing on `--window` after it (one month unless given); the report gives each
        /// cut-off's figures and their mean.
        #[arg(long, value_delimiter = ',', num_args = 1..)]
        cutoffs: Vec<String>,
        /// The test window after each cut-off: days (`30` or `30d`), weeks (`4w`) or calendar
        /// months (`1m`). Without it, a single cut-off tests the rest of the log.
        #[arg(long)]
        window: Option<String>,
        /// Evaluate on data of another shape derived from the orders (docs/evaluation.md).
        #[arg(long, value_enum)]
        derive: Option<evaluate::Derive>,
        /// A pre-split training file: `user, item[, rating[, timestamp]]`, comma, tab or
        /// semicolon separated, header optional. Settings are learned on it alone.
        #[arg(long, requires = "test")]
        train: Option<PathBuf>,
        /// The matching test file, in the same format.
        #[arg(long, requires = "train")]
        test: Option<PathBuf>,
        /// With --train/--test: keep only rows rated at least this.
        #[arg(long)]
        min_rating: Option<f64>,
        /// The length of each ranked list.
        #[arg(long, default_value_t = 20)]
        k: usize,
        #[command(flatten)]
        search: SearchArgs,
        /// Rank the blend with these settings (a JSON object like the `settings` that `aisle
        /// inspect --json` prints) instead of searching for them.
        #[arg(long)]
        settings: Option<PathBuf>,
        /// Only these models, comma-separated (popularity, ptopfreq, itemknn, userknn, ease,
        /// content, tifuknn, aisle).
        #[arg(long, value_delimiter = ',', num_args = 1..)]
        models: Vec<String>,
        #[command(flatten)]
        ease: EaseArgs,
        /// Also write every ranked list to this file, one JSON object per line: cutoff, task,
        /// model, user and the product ids, best first.
        #[arg(long)]
        rankings: Option<PathBuf>,
        /// Print JSON (the only format; accepted so scripts can say what they expect).
        #[arg(long)]
        json: bool,
        /// No progress or summary on stderr.
        #[arg(long)]
        quiet: bool,
    },
    /// Segment customers (RFM features, log1p, z-score, k-means, named segments); JSON on stdout.
    Segment {
        /// Order logs, as for `build`.
        #[arg(long, num_args = 1.., required = true)]
        orders: Vec<PathBuf>,
        #[command(flatten)]
        columns: input::ColumnArgs,
        /// Number of segments, or `auto`: the best silhouette among 3 to 8 (docs/studio.md).
        #[arg(long, default_value = "auto")]
        k: segment::SegmentCount,
        /// Seed of every random choice, so a run reproduces.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Also write each customer's segment and features (original units) to this CSV.
        #[arg(long)]
        customers_out: Option<PathBuf>,
        /// Print JSON (the only format so far).
        #[arg(long)]
        json: bool,
        /// No progress or summary on stderr.
        #[arg(long)]
        quiet: bool,
    },
    /// Write a synthetic order log of any size in the shape of a real one (its popularity
    /// curve, basket sizes, orders per customer, repeat share, months, prices), with products
    /// bought together across the whole catalog: the workload for measuring how Aisle scales.
    Synth {
        /// The order log whose shape to copy, as for `build`.
        #[arg(long, num_args = 1.., required = true)]
        orders: Vec<PathBuf>,
        #[command(flatten)]
        columns: input::ColumnArgs,
        /// Products in the synthetic catalog.
        #[arg(long)]
        products: usize,
        /// Order lines to write.
        #[arg(long)]
        lines: u64,
        /// Seed of every random choice: the same seed writes the same file.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The CSV to write (Online Retail's columns), gzip when it ends in `.gz`.
        #[arg(long)]
        out: PathBuf,
        /// No progress bar or summary on stderr.
        #[arg(long)]
        quiet: bool,
    },
    /// Check a bundle as the browser would (checksums, version, counts) and summarise it, with
    /// the settings its blend ranks with and how they were chosen.
    Inspect {
        /// The bundle directory (the one holding manifest.json).
        dir: PathBuf,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Decode reports a shop collected (one JSON object a line, each randomized in a shopper's
    /// browser) into open and purchase-after-open rates per arm, with 95% intervals and a test
    /// of the difference between two arms (docs/measuring.md). A table on stderr.
    Report {
        /// Files of reports, one JSON object a line.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the estimates as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Write reports from a known truth through the randomizer a store uses, one JSON object a
    /// line on stdout: the input `aisle report` is tested with.
    SimulateReports {
        /// Shoppers, one report each.
        #[arg(long)]
        shoppers: usize,
        /// What is true of each arm: `{"arms": {"A": {"share": 0.5, "open": 0.05,
        /// "purchase_after_open": 0.2}, ...}}`.
        #[arg(long)]
        truth: PathBuf,
        /// Privacy budget per report (above 0, at most 10).
        #[arg(long)]
        epsilon: f64,
        /// Seed of every random choice: the same seed writes the same reports.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

/// Parses `--shard-products`: a whole number, at least [`MIN_SHARD_PRODUCTS`].
fn shard_products(text: &str) -> Result<usize, String> {
    let products: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    if products < MIN_SHARD_PRODUCTS {
        return Err(format!(
            "{products} is fewer than {MIN_SHARD_PRODUCTS}: a request for a shard must hide a \
             shopper's history among at least {MIN_SHARD_PRODUCTS} products"
        ));
    }
    Ok(products)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            orders,
            stats,
            columns,
            products,
            images,
            out,
            segments: segment::SegmentCount(segments),
            seed,
            currency,
            locale,
            copy,
            ui_texts,
            more_locales,
            merchandising,
            credit,
            measuring,
            shard_products,
            validation_window,
            ease: EaseArgs { ease_candidates },
            search:
                SearchArgs {
                    search_budget,
                    validation_customers,
                    search_candidates,
                    neighbours,
                },
            settings,
            json,
            quiet,
        } => {
            let blend = match settings {
                Some(path) => build::Blend::Given(path),
                None => build::Blend::Learned {
                    window: validation_window,
                    options: TuneOptions {
                        budget: search_budget,
                        max_users: validation_customers,
                        max_ease_weights: neighbours,
                        language: Language::of_locale(locale.as_deref()),
                        ease_candidates,
                        search_candidates,
                        ..TuneOptions::default()
                    },
                },
            };
            build::run(
                &build::Plan {
                    orders: &orders,
                    statistics: stats.as_deref(),
                    columns: &columns,
                    products: products.as_deref(),
                    images: images.as_deref(),
                    out: &out,
                    segments,
                    seed,
                    money: Money { currency, locale },
                    copy: copy.as_deref(),
                    ui_texts: ui_texts.as_deref(),
                    more_locales: &more_locales,
                    merchandising: merchandising.as_deref(),
                    credit: credit.trim(),
                    measuring: measuring.as_deref(),
                    blend,
                    ease_candidates,
                    shard_products,
                    json,
                },
                quiet,
            )
        }
        Command::Synth {
            orders,
            columns,
            products,
            lines,
            seed,
            out,
            quiet,
        } => synth::run(
            &synth::Plan {
                orders: &orders,
                columns: &columns,
                params: aisle_core::synth::SynthParams {
                    products,
                    lines,
                    seed,
                },
                out: &out,
            },
            quiet,
        ),
        Command::Inspect { dir, json } => inspect::run(&dir, json),
        Command::Report { files, json } => report::run_report(&files, json),
        Command::SimulateReports {
            shoppers,
            truth,
            epsilon,
            seed,
        } => report::run_simulate(shoppers, &truth, epsilon, seed),
        Command::Segment {
            orders,
            columns,
            k,
            seed,
            customers_out,
            json: _,
            quiet,
        } => segment::run(&orders, &columns, k, seed, customers_out.as_deref(), quiet),
        Command::Evaluate {
            orders,
            columns,
            cutoff,
            cutoffs,
            window,
            derive,
            train,
            test,
            min_rating,
            k,
            search:
                SearchArgs {
                    search_budget,
                    validation_customers,
                    search_candidates,
                    neighbours,
                },
            settings,
            models,
            ease: EaseArgs { ease_candidates },
            rankings,
            json: _,
            quiet,
        } => {
            let source = match (train, test) {
                (Some(train), Some(test)) => evaluate::Source::PreSplit {
                    train,
                    test,
                    min_rating,
                },
                _ if cutoffs.is_empty() => evaluate::Source::Orders {
                    orders,
                    columns: Box::new(columns),
                    cutoffs: vec![cutoff],
                    window,
                    derive,
                },
                _ => evaluate::Source::Orders {
                    orders,
                    columns: Box::new(columns),
                    cutoffs,
                    window: window.or_else(|| Some("1m".to_owned())),
                    derive,
                },
            };
            let options = evaluate::Options {
                k,
                budget: search_budget,
                validation_customers,
                settings,
                models,
                ease_candidates,
                search_candidates,
                neighbours,
                rankings,
                quiet,
            };
            evaluate::run(source, &options)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`aisle inspect DIR | head`) closes the pipe: the output it
        // wanted was written, so the command ends quietly, as other command-line tools do.
        Err(error) if closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("aisle: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `error` comes from writing to a pipe whose reader has gone.
fn closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
