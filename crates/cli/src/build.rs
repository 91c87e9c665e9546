//! `aisle build`: read, clean, train and write a bundle, with progress on stderr.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Instant;

use aisle_core::bundle::MANIFEST_FILE;
use aisle_core::clean::clean;
use aisle_core::orders::{ColumnMap, OrderLog};
use aisle_core::train::train;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use crate::write_dir::write_dir_atomically;

/// Skipped rows printed in full; the rest are counted only.
const ISSUES_SHOWN: usize = 10;

pub fn run(orders: &[PathBuf], out: &Path, quiet: bool) -> Result<()> {
    let started = Instant::now();
    let say = |text: String| {
        if !quiet {
            eprintln!("{text}");
        }
    };

    let mut log = OrderLog::default();
    let columns = ColumnMap::online_retail();
    for path in orders {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = progress_bar(quiet, size, &path.display().to_string());
        log.read_csv(bar.wrap_read(file), &path.display().to_string(), &columns)?;
        bar.finish_and_clear();
    }
    let read = log.report;
    for issue in read.issues.iter().take(ISSUES_SHOWN) {
        say(format!("skipped: {issue}"));
    }
    if read.rows_skipped as usize > ISSUES_SHOWN {
        say(format!(
            "skipped: ... and {} more rows",
            read.rows_skipped as usize - ISSUES_SHOWN
        ));
    }

    let (lines, cleaning) = clean(log.lines);
    if lines.is_empty() {
        return Err(aisle_core::Error::NoUsableRows {
            rows_read: read.rows_read,
        }
        .into());
    }
    let (bundle, counts) = train(&lines);
    let (manifest, files) = bundle.encode(counts);

    let mut contents: Vec<(String, Vec<u8>)> = files;
    contents.push((MANIFEST_FILE.to_owned(), manifest.to_json().into_bytes()));
    write_dir_atomically(out, &contents)
        .with_context(|| format!("cannot write the bundle to {}", out.display()))?;

    say(format!(
        "read {} rows ({} skipped as malformed); cleaning kept {} (dropped: {} without customer, \
         {} cancelled, {} quantity <= 0, {} price <= 0, {} not a product)",
        read.rows_read,
        read.rows_skipped,
        cleaning.rows_kept,
        cleaning.missing_customer,
        cleaning.cancelled,
        cleaning.non_positive_quantity,
        cleaning.non_positive_price,
        cleaning.not_a_product,
    ));
    let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    say(format!(
        "wrote {} ({} products, {} customers, {} model bytes) in {:.1} s",
        out.display(),
        counts.products,
        counts.customers,
        bytes,
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

fn progress_bar(quiet: bool, bytes: u64, name: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes).with_message(format!("reading {name}"));
    bar.set_style(
        ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} ({eta})")
            .expect("the template is valid"),
    );
    bar
}
