//! `aisle synth`: a synthetic order log of any size in the shape of a real one
//! ([`aisle_core::synth`]), the workload for measuring how Aisle scales. Written whole (a
//! partial file renamed at the end), gzip when the name ends in `.gz`, with a progress bar.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use aisle_core::synth::{CSV_HEADER, LogShape, SynthParams, Synthesizer, csv_row};
use anyhow::{Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::atomic_write::write_atomically;
use crate::input::{ColumnArgs, progress_steps, read_clean_orders};

/// What to write.
pub struct Plan<'a> {
    /// The log whose shape to copy.
    pub orders: &'a [PathBuf],
    pub columns: &'a ColumnArgs,
    pub params: SynthParams,
    pub out: &'a Path,
}

pub fn run(plan: &Plan, quiet: bool) -> Result<()> {
    let started = Instant::now();
    if plan.params.products == 0 || plan.params.lines == 0 {
        bail!("--products and --lines must be at least 1");
    }
    let source = read_clean_orders(plan.orders, plan.columns, quiet)?;
    if source.is_empty() {
        bail!("the orders have no lines left after cleaning: there is no shape to copy");
    }
    let shape = LogShape::measure(&source);
    drop(source);
    if !quiet {
        eprintln!(
            "shape: {} products, {:.1} lines an order, {:.2} orders a customer, {:.1}% of later \
             lines re-buy, the top 10% of products carry {:.1}% of lines",
            shape.popularity.len(),
            shape.mean_basket(),
            shape.mean_orders(),
            100.0 * shape.repeat_share,
            100.0 * shape.head_share(0.1)
        );
    }
    let progress = progress_steps(quiet, plan.params.lines, "writing order lines");
    let write_log = |out: &mut dyn Write| -> Result<()> {
        out.write_all(CSV_HEADER.as_bytes())?;
        let mut row = String::new();
        Synthesizer::new(&shape, plan.params).write_lines(
            |line, catalog| {
                row.clear();
                csv_row(line, catalog, &mut row);
                out.write_all(row.as_bytes())
            },
            |written| progress.set_position(written),
        )?;
        Ok(())
    };
    let gzip = plan.out.extension().is_some_and(|ext| ext == "gz");
    write_atomically(plan.out, |file| {
        if gzip {
            let mut compressed = GzEncoder::new(file, Compression::fast());
            write_log(&mut compressed)?;
            compressed.finish()?;
            Ok(())
        } else {
            write_log(file)
        }
    })?;
    progress.finish_and_clear();
    if !quiet {
        eprintln!(
            "wrote {} ({} lines, {} products) in {:.1} s",
            plan.out.display(),
            plan.params.lines,
            plan.params.products,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
