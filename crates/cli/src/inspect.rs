//! `aisle inspect DIR`: checks a bundle as the browser would (every checksum, the version, that
//! every part fits the catalog) and prints what is in it, with the settings its blend ranks with
//! and how they were chosen. Any mismatch is a non-zero exit.

use std::io::{self, Write};
use std::path::Path;

use aisle_core::bundle::{Bundle, MANIFEST_FILE, Manifest};
use aisle_core::models::blend::Tuning;
use aisle_core::serve::copy::CopyTemplates;
use aisle_core::serve::ui_texts::UiTexts;
use anyhow::{Context, Result, bail};
use serde::Serialize;

/// What `--json` prints.
#[derive(Serialize)]
struct Report {
    bundle: String,
    format: String,
    version: u32,
    counts: aisle_core::bundle::Counts,
    money: aisle_core::catalog::money::Money,
    merchandising: aisle_core::serve::merchandising::Merchandising,
    /// The line the store shows at its foot; absent for none.
    #[serde(skip_serializing_if = "String::is_empty")]
    credit: String,
    /// The shop's experiment and report endpoint; absent for neither.
    #[serde(skip_serializing_if = "aisle_core::measure::experiment::Measuring::is_empty")]
    measuring: aisle_core::measure::experiment::Measuring,
    files: Vec<FileReport>,
    blend: Tuning,
    decoded: Option<Decoded>,
}

#[derive(Serialize)]
struct FileReport {
    name: String,
    bytes: u64,
    sha256: String,
    /// Why the file cannot be used; absent when it checks out.
    #[serde(skip_serializing_if = "Option::is_none")]
    failed: Option<String>,
}

/// Whose texts (copy templates, the store's own words) a bundle's store writes with (`shop`,
/// `translation` or `built-in` in the JSON).
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
enum TextSource {
    /// The bundle ships the shop's own.
    Shop,
    /// The bundle ships Aisle's own in the language of the shop's locale.
    Translation,
    /// The built-in English ones every store carries.
    BuiltIn,
}

#[derive(Serialize)]
struct Decoded {
    products: usize,
    categories: usize,
    co_purchase_weights: usize,
    segments: Vec<String>,
    /// Whose copy templates the store writes with.
    copy: TextSource,
    /// Whose words the store's pages are in.
    ui_texts: TextSource,
    /// The other locales the store offers its shoppers, as `tag (name)`.
    more_locales: Vec<String>,
    /// Products with a photo.
    photos: usize,
    /// Photo files the bundle names that are not in the directory (the store would show them
    /// broken).
    photos_missing: Vec<String>,
    model_bytes: u64,
}

pub fn run(dir: &Path, json: bool) -> Result<()> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest_bytes = std::fs::read(&manifest_path)
        .with_context(|| format!("cannot read {}", manifest_path.display()))?;
    let manifest =
        Manifest::from_json(&manifest_bytes).with_context(|| format!("in {}", dir.display()))?;
    // Every file is checked and reported, not just the first bad one, so one run says all.
    let files: Vec<FileReport> = manifest
        .files
        .iter()
        .map(|entry| {
            let failed = match std::fs::read(dir.join(&entry.name)) {
                Err(error) => Some(format!("cannot read: {error}")),
                Ok(bytes) if bytes.len() as u64 != entry.bytes => Some(format!(
                    "{} bytes, the manifest says {}",
                    bytes.len(),
                    entry.bytes
                )),
                Ok(bytes) => manifest
                    .verify(&entry.name, &bytes)
                    .err()
                    .map(|e| e.to_string()),
            };
            FileReport {
                name: entry.name.clone(),
                bytes: entry.bytes,
                sha256: entry.sha256.clone(),
                failed,
            }
        })
        .collect();
    let mut failures: Vec<String> = files
        .iter()
        .filter_map(|file| Some(format!("{}: {}", file.name, file.failed.as_ref()?)))
        .collect();
    if let Err(fault) = manifest.merchandising.check() {
        failures.push(format!("{MANIFEST_FILE}: merchandising: {fault}"));
    }
    let decoded = if failures.is_empty() {
        Some(decode(dir, &manifest)?)
    } else {
        None
    };
    if let Some(decoded) = &decoded {
        failures.extend(
            decoded
                .photos_missing
                .iter()
                .map(|name| format!("{name}: missing")),
        );
    }
    let report = Report {
        bundle: dir.display().to_string(),
        format: manifest.format.clone(),
        version: manifest.version,
        counts: manifest.counts,
        money: manifest.money.clone(),
        merchandising: manifest.merchandising.clone(),
        credit: manifest.credit.clone(),
        measuring: manifest.measuring.clone(),
        files,
        blend: manifest.tuning(),
        decoded,
    };
    if json {
        writeln!(
            io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&report)?
        )?;
    } else {
        print_text(&report)?;
    }
    if !failures.is_empty() {
        bail!(
            "{} bundle file(s) failed: {}",
            failures.len(),
            failures.join("; ")
        );
    }
    Ok(())
}

/// Decodes the bundle as the browser does and checks it against the manifest's counts.
fn decode(dir: &Path, manifest: &Manifest) -> Result<Decoded> {
    let bundle = Bundle::decode(manifest, |name| std::fs::read(dir.join(name)).ok())
        .with_context(|| format!("in {}", dir.display()))?;
    if bundle.catalog.len() as u64 != manifest.counts.products {
        bail!(
            "the catalog has {} products, the manifest counts {}",
            bundle.catalog.len(),
            manifest.counts.products
        );
    }
    let categories: std::collections::BTreeSet<&str> = bundle
        .catalog
        .products()
        .iter()
        .map(|product| product.category.as_str())
        .filter(|category| !category.is_empty())
        .collect();
    let language = manifest.money.language();
    Ok(Decoded {
        products: bundle.catalog.len(),
        categories: categories.len(),
        co_purchase_weights: bundle.ease.targets().n_entries(),
        segments: bundle
            .segments
            .segments()
            .iter()
            .map(|segment| segment.name.clone())
            .collect(),
        copy: source_of(bundle.copy.as_ref(), CopyTemplates::built_in(language)),
        ui_texts: source_of(bundle.ui_texts.as_ref(), UiTexts::built_in(language)),
        more_locales: bundle
            .more_locales
            .iter()
            .map(|locale| format!("{} ({})", locale.tag().unwrap_or_default(), locale.name()))
            .collect(),
        photos: (0..bundle.catalog.len())
            .filter(|&position| bundle.catalog.image(position).is_some())
            .count(),
        photos_missing: bundle
            .catalog
            .images()
            .file_names()
            .filter(|name| !dir.join(name).is_file())
            .map(str::to_owned)
            .collect(),
        model_bytes: manifest.files.iter().map(|entry| entry.bytes).sum(),
    })
}

fn print_text(report: &Report) -> io::Result<()> {
    let out = &mut io::stdout().lock();
    writeln!(
        out,
        "{}: {} version {}",
        report.bundle, report.format, report.version
    )?;
    writeln!(
        out,
        "built from {} order lines, {} customers, {} products",
        report.counts.order_lines, report.counts.customers, report.counts.products
    )?;
    writeln!(
        out,
        "prices in {}, written for {}",
        report
            .money
            .currency
            .as_deref()
            .unwrap_or("no stated currency"),
        report
            .money
            .locale
            .as_deref()
            .unwrap_or("each shopper's locale")
    )?;
    for file in &report.files {
        match &file.failed {
            None => writeln!(
                out,
                "  ok      {:<32} {:>10} bytes  sha256 {}",
                file.name, file.bytes, file.sha256
            )?,
            Some(reason) => writeln!(out, "  FAILED  {:<32} {reason}", file.name)?,
        }
    }
    let blend = &report.blend;
    match (&blend.validation, &blend.defaults_because) {
        (Some(validation), _) => writeln!(
            out,
            "blend settings learned on {} ({} customers for `all`, {} for `new`; {} settings \
             scored): Recall {:.4} on `all` and {:.4} on `new`, against {:.4} and {:.4} with the \
             defaults",
            validation.split,
            validation.users_all,
            validation.users_new,
            validation.evaluations,
            validation.recall_all,
            validation.recall_new,
            validation.default_recall_all,
            validation.default_recall_new
        )?,
        (None, Some(because)) => writeln!(out, "blend settings: the defaults, because {because}")?,
        (None, None) => writeln!(out, "blend settings: given when the bundle was built")?,
    }
    let settings = serde_json::to_value(blend.settings).unwrap_or_default();
    if let Some(fields) = settings.as_object() {
        // The settings are f32: shown as f32, 0.05 reads 0.05 and not 0.05000000074505806.
        let line: Vec<String> = fields
            .iter()
            .map(|(name, value)| match value.as_f64() {
                Some(number) => format!("{name} {}", number as f32),
                None => format!("{name} {value}"),
            })
            .collect();
        writeln!(out, "  {}", line.join(", "))?;
    }
    if let Some(decoded) = &report.decoded {
        writeln!(
            out,
            "decoded: {} products in {} categories, {} co-purchase weights, {} segments ({}); {} model bytes in {} files",
            decoded.products,
            decoded.categories,
            decoded.co_purchase_weights,
            decoded.segments.len(),
            decoded.segments.join(", "),
            decoded.model_bytes,
            report.files.len()
        )?;
        if decoded.photos > 0 {
            writeln!(
                out,
                "photos: {} products{}",
                decoded.photos,
                match decoded.photos_missing.as_slice() {
                    [] => String::new(),
                    missing => format!(", {} files MISSING: {}", missing.len(), missing.join(", ")),
                }
            )?;
        }
        if !report.credit.is_empty() {
            writeln!(out, "credit: {}", report.credit)?;
        }
        if let Some(experiment) = &report.measuring.experiment {
            let arms: Vec<String> = experiment
                .arms
                .iter()
                .map(|arm| match arm.hide.as_slice() {
                    [] => format!("{} {}", arm.name, arm.share),
                    hidden => format!("{} {} (hides {})", arm.name, arm.share, hidden.join(", ")),
                })
                .collect();
            writeln!(out, "experiment: {}: {}", experiment.name, arms.join(", "))?;
        }
        if let Some(reports) = &report.measuring.reports {
            writeln!(
                out,
                "reports: weekly to {}, epsilon {} each",
                reports.endpoint, reports.epsilon
            )?;
        }
        let rules = &report.merchandising;
        if !rules.is_empty() {
            writeln!(
                out,
                "merchandising: {} hidden, {} pinned, {} boosted, {} buried: {}",
                rules.hide.len(),
                rules.pin.len(),
                rules.boost.len(),
                rules.bury.len(),
                serde_json::to_string(rules).unwrap_or_default()
            )?;
        }
        let source = |source: &TextSource, what: &str| match source {
            TextSource::Shop => format!("the shop's own {what}"),
            TextSource::Translation => format!(
                "Aisle's own {what} in {:?}, for the shop's locale",
                report.money.language()
            ),
            TextSource::BuiltIn => format!("the built-in English {what}"),
        };
        writeln!(out, "copy: {}", source(&decoded.copy, "templates"))?;
        writeln!(out, "store texts: {}", source(&decoded.ui_texts, "texts"))?;
        if !decoded.more_locales.is_empty() {
            writeln!(out, "more locales: {}", decoded.more_locales.join(", "))?;
        }
    }
    Ok(())
}

/// Whose texts a bundle ships: none (the built-in English), Aisle's own translation for the
/// shop's language, or the shop's own.
fn source_of<T: PartialEq>(shipped: Option<&T>, translation: Option<T>) -> TextSource {
    match shipped {
        None => TextSource::BuiltIn,
        Some(texts) if Some(texts) == translation.as_ref() => TextSource::Translation,
        Some(_) => TextSource::Shop,
    }
}
