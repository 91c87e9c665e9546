//! `aisle build`: read, clean, train and write a bundle, with progress on stderr.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Instant;

use aisle_core::bundle::MANIFEST_FILE;
use aisle_core::catalog::Catalog;
use aisle_core::product_file::read_products;
use aisle_core::train::{TrainOptions, train};
use anyhow::{Context, Result};

use crate::atomic_write::write_dir_atomically;
use crate::input::{ColumnArgs, read_clean_orders, report_skipped, spinner};

pub fn run(
    orders: &[PathBuf],
    columns: &ColumnArgs,
    products: Option<&Path>,
    out: &Path,
    options: &TrainOptions,
    quiet: bool,
) -> Result<()> {
    let started = Instant::now();
    let lines = read_clean_orders(orders, columns, quiet)?;
    let mut catalog = Catalog::from_orders(&lines);
    if let Some(path) = products {
        catalog = apply_product_file(catalog, path, quiet)?;
    }

    let training = spinner(quiet, "training (catalog, EASE, co-purchase, segments)");
    let (bundle, counts) = train(catalog, &lines, options)?;
    let (manifest, files) = bundle.encode(counts);
    training.finish_and_clear();

    let mut contents: Vec<(String, Vec<u8>)> = files;
    contents.push((MANIFEST_FILE.to_owned(), manifest.to_json().into_bytes()));
    write_dir_atomically(out, &contents)
        .with_context(|| format!("cannot write the bundle to {}", out.display()))?;

    if !quiet {
        let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
        eprintln!(
            "wrote {} ({} products, {} customers, {} segments, {} model bytes) in {:.1} s",
            out.display(),
            counts.products,
            counts.customers,
            bundle.segments.segments().len(),
            bytes,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Reads the shop's product file and applies it to the catalog, saying what it changed.
fn apply_product_file(catalog: Catalog, path: &Path, quiet: bool) -> Result<Catalog> {
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
    Ok(catalog)
}
