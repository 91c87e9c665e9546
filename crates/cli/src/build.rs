//! `aisle build`: read, clean, train and write a bundle, with progress on stderr.

use std::path::{Path, PathBuf};
use std::time::Instant;

use aisle_core::bundle::MANIFEST_FILE;
use aisle_core::train::{TrainOptions, train};
use anyhow::{Context, Result};

use crate::atomic_write::write_dir_atomically;
use crate::input::{ColumnArgs, read_clean_orders, spinner};

pub fn run(
    orders: &[PathBuf],
    columns: &ColumnArgs,
    out: &Path,
    options: &TrainOptions,
    quiet: bool,
) -> Result<()> {
    let started = Instant::now();
    let lines = read_clean_orders(orders, columns, quiet)?;

    let training = spinner(quiet, "training (catalog, EASE, co-purchase, segments)");
    let (bundle, counts) = train(&lines, options)?;
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
