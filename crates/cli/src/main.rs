//! `aisle`: the native command that turns a shop's order history into the static bundle its
//! storefront downloads.
//!
//! ```text
//! aisle build --orders data/*.csv.gz --out www/bundle
//! ```
//!
//! Errors are printed with their whole chain (`{:#}`) and a non-zero exit, as ripgrep does.

mod build;
mod write_dir;

use std::path::PathBuf;
use std::process::ExitCode;

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
        /// The bundle directory to write. It is replaced whole, or left as it was on failure.
        #[arg(long)]
        out: PathBuf,
        /// No progress bars or summary on stderr.
        #[arg(long)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { orders, out, quiet } => build::run(&orders, &out, quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("aisle: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
