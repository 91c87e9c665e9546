//! `aisle`: the native command that turns a shop's order history into the static bundle its
//! storefront downloads.
//!
//! ```text
//! aisle build --orders data/*.csv.gz [--products products.csv] --out www/bundle
//! ```
//!
//! Errors are printed with their whole chain (`{:#}`) and a non-zero exit, as ripgrep does.

mod atomic_write;
mod build;
mod evaluate;
mod input;
mod inspect;
mod segment;

use std::path::PathBuf;
use std::process::ExitCode;

use aisle_core::train::TrainOptions;
use clap::builder::TypedValueParser;
use clap::{Parser, Subcommand};

/// Private, on-device recommendations for static storefronts.
#[derive(Parser)]
#[command(name = "aisle", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the bundle a shop hosts: clean the orders, learn the catalog and models, write them.
    Build {
        /// Order logs: CSV, optionally gzip-compressed. The Online Retail columns are recognised.
        #[arg(long, num_args = 1.., required = true)]
        orders: Vec<PathBuf>,
        #[command(flatten)]
        columns: input::ColumnArgs,
        /// The shop's product file (CSV, optionally gzip): titles, descriptions, categories and
        /// prices that replace what the orders suggest, and products not yet ordered. Only an
        /// id column (`id`, `sku`, `StockCode`, ...) is required.
        #[arg(long)]
        products: Option<PathBuf>,
        /// The bundle directory to write. It is replaced whole, or left as it was on failure.
        #[arg(long)]
        out: PathBuf,
        /// Customer segments to ship, or `auto` to choose 2-10 by silhouette.
        #[arg(long, default_value = "auto")]
        segments: segment::SegmentCount,
        /// Seed of every random choice (k-means), so a build reproduces.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Co-purchase (EASE) weights shipped per product: more is larger and a little better.
        #[arg(long, default_value_t = aisle_core::train::SHIPPED_EASE_WEIGHTS,
              value_parser = clap::value_parser!(u64).range(1..).map(|n| n as usize))]
        neighbours: usize,
        /// No progress bars or summary on stderr.
        #[arg(long)]
        quiet: bool,
    },
    /// Evaluate every model offline on a temporal holdout (shared/eval/PROTOCOL.md); JSON on stdout.
    Evaluate {
        /// Order logs, as for `build`, split in time at `--cutoff`.
        #[arg(long, num_args = 1.., required_unless_present = "train", conflicts_with = "train")]
        orders: Vec<PathBuf>,
        #[command(flatten)]
        columns: input::ColumnArgs,
        /// Orders before this date train; the rest test.
        #[arg(long, default_value = "2011-11-01")]
        cutoff: String,
        /// A pre-split training file: `user, item[, rating[, timestamp]]`, comma, tab or
        /// semicolon separated, header optional.
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
        /// Print JSON (the only format so far; accepted so scripts can say what they expect).
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
        /// Number of segments, or `auto` to choose 2-10 by silhouette.
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
    /// Check a bundle as the browser would (checksums, version, counts) and summarise it.
    Inspect {
        /// The bundle directory (the one holding manifest.json).
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            orders,
            columns,
            products,
            out,
            segments: segment::SegmentCount(segments),
            seed,
            neighbours,
            quiet,
        } => {
            let options = TrainOptions {
                segments,
                seed,
                neighbours,
            };
            build::run(
                &orders,
                &columns,
                products.as_deref(),
                &out,
                &options,
                quiet,
            )
        }
        Command::Inspect { dir } => inspect::run(&dir),
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
            train,
            test,
            min_rating,
            k,
            json: _,
            quiet,
        } => {
            let source = match (train, test) {
                (Some(train), Some(test)) => evaluate::Source::PreSplit {
                    train,
                    test,
                    min_rating,
                },
                _ => evaluate::Source::Orders {
                    orders,
                    columns,
                    cutoff,
                },
            };
            evaluate::run(source, k, quiet)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("aisle: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
