//! `aisle inspect DIR`: checks a bundle as the browser would (every checksum, the version, that
//! every part fits the catalog) and prints what is in it. Any mismatch is a non-zero exit.

use std::path::Path;

use aisle_core::bundle::{Bundle, MANIFEST_FILE, Manifest};
use anyhow::{Context, Result, bail};

pub fn run(dir: &Path) -> Result<()> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest_bytes = std::fs::read(&manifest_path)
        .with_context(|| format!("cannot read {}", manifest_path.display()))?;
    let manifest =
        Manifest::from_json(&manifest_bytes).with_context(|| format!("in {}", dir.display()))?;

    println!(
        "{}: {} version {}",
        dir.display(),
        manifest.format,
        manifest.version
    );
    println!(
        "built from {} order lines, {} customers, {} products",
        manifest.counts.order_lines, manifest.counts.customers, manifest.counts.products
    );
    // Every file is checked and reported, not just the first bad one, so one run says all.
    let mut failures = Vec::new();
    for entry in &manifest.files {
        let path = dir.join(&entry.name);
        let status = match std::fs::read(&path) {
            Err(error) => Err(format!("cannot read: {error}")),
            Ok(bytes) if bytes.len() as u64 != entry.bytes => Err(format!(
                "{} bytes, the manifest says {}",
                bytes.len(),
                entry.bytes
            )),
            Ok(bytes) => manifest
                .verify(&entry.name, &bytes)
                .map_err(|error| error.to_string()),
        };
        match status {
            Ok(()) => println!(
                "  ok      {:<16} {:>10} bytes  sha256 {}",
                entry.name, entry.bytes, entry.sha256
            ),
            Err(reason) => {
                println!("  FAILED  {:<16} {reason}", entry.name);
                failures.push(format!("{}: {reason}", entry.name));
            }
        }
    }
    if !failures.is_empty() {
        bail!(
            "{} of {} bundle files failed: {}",
            failures.len(),
            manifest.files.len(),
            failures.join("; ")
        );
    }

    let bundle = Bundle::decode(&manifest, |name| std::fs::read(dir.join(name)).ok())
        .with_context(|| format!("in {}", dir.display()))?;
    if bundle.catalog.len() as u64 != manifest.counts.products {
        bail!(
            "the catalog has {} products, the manifest counts {}",
            bundle.catalog.len(),
            manifest.counts.products
        );
    }
    let total: u64 = manifest.files.iter().map(|entry| entry.bytes).sum();
    let segments: Vec<&str> = bundle
        .segments
        .segments()
        .iter()
        .map(|segment| segment.name.as_str())
        .collect();
    let categories: std::collections::BTreeSet<&str> = bundle
        .catalog
        .products()
        .iter()
        .map(|product| product.category.as_str())
        .filter(|category| !category.is_empty())
        .collect();
    println!(
        "decoded: {} products in {} categories, {} co-purchase weights, {} segments ({}); {} model bytes in {} files",
        bundle.catalog.len(),
        categories.len(),
        bundle.ease.targets().n_entries(),
        segments.len(),
        segments.join(", "),
        total,
        manifest.files.len()
    );
    Ok(())
}
