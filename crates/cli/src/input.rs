//! Reading and cleaning order files for any subcommand, with a progress bar per file and a
//! report of what was skipped and dropped on stderr.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use aisle_core::input::clean::{CleaningRules, clean};
use aisle_core::input::fields::{DateOrder, NumberFormat};
use aisle_core::input::orders::{ColumnMap, OrderLine, OrderLog, ReadReport};
use aisle_core::input::parts::{FileCuts, OrderPart};
use aisle_core::models::blend::{BlendSettings, Tuning};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

/// Which column of the order files holds what: the Online Retail names unless told otherwise,
/// so a shop's own export works without renaming its header.
#[derive(Debug, Clone, clap::Args)]
pub struct ColumnArgs {
    /// Header of the order (invoice) number column (in the Online Retail layout, a leading `C`
    /// marks a cancellation).
    #[arg(long = "invoice-column", default_value = "InvoiceNo")]
    invoice: String,
    /// Header of the customer id column.
    #[arg(long = "customer-column", default_value = "CustomerID")]
    customer: String,
    /// Header of the product code column.
    #[arg(long = "item-column", default_value = "StockCode")]
    item: String,
    /// Header of the quantity column.
    #[arg(long = "quantity-column", default_value = "Quantity")]
    quantity: String,
    /// Header of the unit price column.
    #[arg(long = "price-column", default_value = "UnitPrice")]
    price: String,
    /// Header of the order date-time column.
    #[arg(long = "timestamp-column", default_value = "InvoiceDate")]
    timestamp: String,
    /// Header of the product description column (optional in the file).
    #[arg(long = "description-column", default_value = "Description")]
    description: String,
    /// How prices are written: `decimal-point` (1,234.56), `decimal-comma` (1.234,56), or
    /// `auto` (each value read as it can only be read; one that reads two ways, like 1,234, is
    /// a skipped row with its line and column).
    #[arg(long = "number-format", value_enum, default_value = "auto")]
    number_format: NumberFormatArg,
    /// How slash dates are written: `month-first` (12/31/2011), `day-first` (31/12/2011), or
    /// `auto` (decided per file from its dates: a file with both kinds is refused, one whose
    /// dates all read both ways is read month-first, with a warning).
    #[arg(long = "date-order", value_enum, default_value = "auto")]
    date_order: DateOrderArg,
    /// Product codes that are not products (postage, fees), comma-separated, `*` for any run
    /// of characters: `--not-products 'POST,SHIPPING-*'`. Outside the Online Retail layout,
    /// nothing else is dropped for the shape of its code.
    #[arg(long = "not-products", value_delimiter = ',', value_name = "PATTERNS")]
    not_products: Vec<String>,
}

/// `--date-order` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum DateOrderArg {
    Auto,
    MonthFirst,
    DayFirst,
}

/// `--number-format` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum NumberFormatArg {
    Auto,
    DecimalPoint,
    DecimalComma,
}

impl ColumnArgs {
    /// The cleaning rules for files with these columns (see [`CleaningRules::for_columns`]),
    /// with the shop's own non-product codes.
    pub fn cleaning_rules(&self) -> CleaningRules {
        CleaningRules::for_columns(&ColumnMap::from(self))
            .with_not_products(self.not_products.clone())
    }
}

impl From<&ColumnArgs> for ColumnMap {
    fn from(args: &ColumnArgs) -> Self {
        ColumnMap {
            invoice: args.invoice.clone(),
            item: args.item.clone(),
            description: args.description.clone(),
            quantity: args.quantity.clone(),
            timestamp: args.timestamp.clone(),
            unit_price: args.price.clone(),
            customer: args.customer.clone(),
            number_format: match args.number_format {
                NumberFormatArg::Auto => NumberFormat::Auto,
                NumberFormatArg::DecimalPoint => NumberFormat::DecimalPoint,
                NumberFormatArg::DecimalComma => NumberFormat::DecimalComma,
            },
            date_order: match args.date_order {
                DateOrderArg::Auto => DateOrder::Auto,
                DateOrderArg::MonthFirst => DateOrder::MonthFirst,
                DateOrderArg::DayFirst => DateOrder::DayFirst,
            },
        }
    }
}

/// Skipped rows printed in full; the rest are counted only.
const ISSUES_SHOWN: usize = 10;

/// Bytes of a plain order file per part read on its own core, at the least: below that, starting
/// a thread and joining its rows cost more than reading them.
const MIN_PART_BYTES: u64 = 4 << 20;

/// Appends one order file to `log`: a plain CSV file in parts on every core
/// ([`aisle_core::input::parts`]), a gzip one (or one whose cuts fall in a quoted line break)
/// whole.
fn read_order_file(
    log: &mut OrderLog,
    path: &Path,
    name: &str,
    columns: &ColumnMap,
    quiet: bool,
) -> Result<()> {
    let open = || File::open(path).with_context(|| format!("cannot open {name}"));
    let mut file = open()?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress_bar(quiet, size, name);
    let cores = std::thread::available_parallelism().map_or(1, |cores| cores.get());
    let window = |from: u64, len: u64| -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        let mut file = open().ok()?;
        file.seek(SeekFrom::Start(from)).ok()?;
        file.take(len).read_to_end(&mut bytes).ok()?;
        Some(bytes)
    };
    let head = window(0, 64 << 10).unwrap_or_default();
    let cuts = FileCuts::plan(&head, size, cores, MIN_PART_BYTES, |at| {
        window(at, 64 << 10)
    });
    if let Some(cuts) = cuts {
        let header = &head[..cuts.header_len()];
        let parts = std::thread::scope(|scope| {
            let reading: Vec<_> = cuts
                .parts()
                .map(|bounds| {
                    let bar = bar.clone();
                    scope.spawn(move || -> Result<OrderPart> {
                        let mut file = open()?;
                        file.seek(SeekFrom::Start(bounds.start))
                            .with_context(|| format!("cannot read {name}"))?;
                        let stream = header.chain(bar.wrap_read(file.take(bounds.read_len())));
                        Ok(OrderPart::read(stream, &bounds, name, columns)?)
                    })
                })
                .collect();
            reading
                .into_iter()
                .map(|part| {
                    part.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect::<Result<Vec<_>>>()
        })?;
        if log.append_parts(parts, name)? {
            bar.finish_and_clear();
            return Ok(());
        }
        bar.reset();
    }
    file.seek(SeekFrom::Start(0))
        .with_context(|| format!("cannot read {name}"))?;
    log.read_csv(bar.wrap_read(file), name, columns)?;
    bar.finish_and_clear();
    Ok(())
}

/// Reads every file, cleans the rows as the evaluation protocol says, and reports both steps.
/// Fails only when a file cannot be read or nothing usable remains.
pub fn read_clean_orders(
    paths: &[PathBuf],
    columns_args: &ColumnArgs,
    quiet: bool,
) -> Result<Vec<OrderLine>> {
    let say = |text: String| {
        if !quiet {
            eprintln!("{text}");
        }
    };
    let mut log = OrderLog::default();
    let columns = ColumnMap::from(columns_args);
    for path in paths {
        let name = path.display().to_string();
        read_order_file(&mut log, path, &name, &columns, quiet)?;
    }
    let read = log.report;
    report_skipped(&read, quiet);
    if read.dates_assumed_month_first > 0 {
        say(format!(
            "warning: {} dates read both as day/month and month/day, and no date in their file \
             decided which: read month-first (--date-order day-first if they are not)",
            read.dates_assumed_month_first
        ));
    }

    let (lines, cleaning) = clean(log.lines, &columns_args.cleaning_rules());
    say(format!(
        "read {} rows ({} skipped as malformed, {} dropped for a blank quantity, price or \
         timestamp); cleaning kept {} (dropped: {} without customer, \
         {} cancelled, {} quantity <= 0, {} price <= 0, {} not a product)",
        read.rows_read,
        read.rows_skipped,
        read.rows_incomplete,
        cleaning.rows_kept,
        cleaning.missing_customer,
        cleaning.cancelled,
        cleaning.non_positive_quantity,
        cleaning.non_positive_price,
        cleaning.not_a_product,
    ));
    if lines.is_empty() {
        return Err(aisle_core::Error::NoUsableRows {
            rows_read: read.rows_read,
        }
        .into());
    }
    Ok(lines)
}

/// Reads blend settings from a JSON file (an object like the `settings` `aisle inspect --json`
/// prints), checked: what `--settings` gives instead of a search.
pub fn read_settings(path: &Path) -> Result<Tuning> {
    let name = path.display();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
    let settings: BlendSettings =
        serde_json::from_str(&text).with_context(|| format!("{name}: not blend settings"))?;
    settings.check().with_context(|| format!("{name}"))?;
    Ok(Tuning {
        settings,
        validation: None,
        defaults_because: None,
    })
}

/// Prints the first skipped rows of a file in full, and counts the rest.
pub fn report_skipped(read: &ReadReport, quiet: bool) {
    if quiet {
        return;
    }
    for issue in read.issues.iter().take(ISSUES_SHOWN) {
        eprintln!("skipped: {issue}");
    }
    if read.rows_skipped as usize > ISSUES_SHOWN {
        eprintln!(
            "skipped: ... and {} more rows",
            read.rows_skipped as usize - ISSUES_SHOWN
        );
    }
}

/// A bytes progress bar on stderr, or a hidden one when quiet. indicatif draws nothing when
/// stderr is not a terminal, so logs stay clean.
pub fn progress_bar(quiet: bool, bytes: u64, name: &str) -> ProgressBar {
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

/// A progress bar over `steps` steps of a search, or a hidden one when quiet.
pub fn progress_steps(quiet: bool, steps: u64, message: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(steps).with_message(message.to_owned());
    bar.set_style(
        ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({eta})")
            .expect("the template is valid"),
    );
    bar
}

/// A spinner for a step of unknown length, or a hidden one when quiet.
pub fn spinner(quiet: bool, message: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner().with_message(message.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
