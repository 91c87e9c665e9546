//! Reads the order statistics a warehouse job wrote (`jobs/spark/`; the tables and their columns
//! are defined in docs/statistics.md): one folder per table, each of Parquet files finished by
//! Spark's `_SUCCESS` marker.
//!
//! Parquet is what Spark, and every warehouse, writes; the `parquet` crate reads it without
//! Arrow, row by row, which is fast enough for tables bounded by a shop's customers and
//! products. A folder without its marker is refused, since a job that failed halfway leaves
//! some of its parts and not others. A cell of the wrong type is reported with its file, row
//! and column.

use std::fs::File;
use std::path::{Path, PathBuf};

use aisle_core::models::interactions::Purchase;
use aisle_core::statistics::customers::{CustomerTotals, Purchases, in_order};
use aisle_core::statistics::pairs::PairCounts;
use aisle_core::statistics::products::{ProductTally, Products};
use aisle_core::statistics::{BuyerDay, OrderStatistics};
use anyhow::{Context, Result, bail};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use rustc_hash::FxHashMap;

use crate::input::spinner;

/// Reads every table under `dir` into the statistics a build trains from.
pub fn read(dir: &Path, quiet: bool) -> Result<OrderStatistics> {
    let reading = spinner(
        quiet,
        &format!("reading the order statistics in {}", dir.display()),
    );
    let mut totals = None;
    each_row(dir, "totals", &["lines", "newest_at", "baskets"], |row| {
        if totals.is_some() {
            bail!("{}: more than one row", row.place());
        }
        totals = Some((row.count(0)?, row.integer(1)?, row.count(2)?));
        Ok(())
    })?;
    let Some((lines, newest_at, baskets)) = totals else {
        bail!("{}: no row", dir.join("totals").display());
    };

    let mut tallies: FxHashMap<String, ProductTally> = FxHashMap::default();
    let mut descriptions = Vec::new();
    each_row(
        dir,
        "descriptions",
        &["item", "description", "lines"],
        |row| {
            descriptions.push((row.text(0)?, row.text(1)?, row.count(2)?));
            Ok(())
        },
    )?;
    let mut prices = Vec::new();
    each_row(dir, "prices", &["item", "unit_price", "lines"], |row| {
        prices.push((row.text(0)?, row.number(1)?, row.count(2)?));
        Ok(())
    })?;
    fn tally(tallies: &mut FxHashMap<String, ProductTally>, item: String) -> &mut ProductTally {
        tallies.entry(item.clone()).or_insert_with(|| ProductTally {
            id: item,
            ..ProductTally::default()
        })
    }
    for (item, description, count) in descriptions {
        tally(&mut tallies, item)
            .descriptions
            .push((description, count));
    }
    for (item, price, count) in prices {
        tally(&mut tallies, item).prices.push((price, count));
    }
    let products = Products::from_tallies(tallies.into_values().collect());
    let number = |place: &dyn Fn() -> String, item: &str| {
        products.number(item).with_context(|| {
            format!(
                "{}: product `{item}` is in neither the `descriptions` nor the `prices` table",
                place()
            )
        })
    };

    let mut customers = Vec::new();
    let columns = [
        "customer", "first_at", "last_at", "orders", "spent", "items",
    ];
    each_row(dir, "customers", &columns, |row| {
        customers.push(CustomerTotals {
            id: row.text(0)?,
            first_at: row.integer(1)?,
            last_at: row.integer(2)?,
            orders: row.count(3)? as u32,
            spent: row.number(4)?,
            items: row.count(5)? as u32,
        });
        Ok(())
    })?;

    let mut bought: FxHashMap<String, Vec<Purchase>> = FxHashMap::default();
    let columns = ["customer", "item", "orders", "first_at", "last_at"];
    each_row(dir, "purchases", &columns, |row| {
        let purchase = Purchase {
            item: number(&|| row.place(), &row.text(1)?)?,
            orders: row.count(2)? as u32,
            first_at: row.integer(3)?,
            last_at: row.integer(4)?,
        };
        bought.entry(row.text(0)?).or_default().push(purchase);
        Ok(())
    })?;

    let mut buyer_days = Vec::new();
    each_row(dir, "buyer_days", &["item", "first_at"], |row| {
        let product = number(&|| row.place(), &row.text(0)?)?;
        buyer_days.push(BuyerDay {
            product,
            at: row.integer(1)?,
        });
        Ok(())
    })?;
    buyer_days.sort_unstable();

    let mut holding = vec![0u32; products.len()];
    each_row(dir, "baskets", &["item", "baskets"], |row| {
        holding[number(&|| row.place(), &row.text(0)?)? as usize] = row.count(1)? as u32;
        Ok(())
    })?;
    let mut partners: Vec<Vec<(u32, u32)>> = vec![Vec::new(); products.len()];
    each_row(dir, "pairs", &["item", "partner", "baskets"], |row| {
        let item = number(&|| row.place(), &row.text(0)?)?;
        let partner = number(&|| row.place(), &row.text(1)?)?;
        partners[item as usize].push((partner, row.count(2)? as u32));
        Ok(())
    })?;
    reading.finish_and_clear();

    Ok(OrderStatistics {
        lines,
        newest_at,
        customers: in_order(customers),
        purchases: Purchases::from_customers(bought.into_iter().collect()),
        buyer_days,
        pairs: PairCounts::counted(baskets, holding, partners),
        products,
    })
}

/// One row of a table, its cells in the order they were asked for.
struct Row<'a> {
    file: &'a Path,
    number: usize,
    names: &'a [&'a str],
    cells: Vec<&'a Field>,
}

impl Row<'_> {
    /// Where the row is, for errors.
    fn place(&self) -> String {
        format!("{}: row {}", self.file.display(), self.number)
    }

    fn fault(&self, column: usize, expected: &str) -> anyhow::Error {
        anyhow::anyhow!(
            "{}: column `{}`: expected {expected}, found {}",
            self.place(),
            self.names[column],
            self.cells[column]
        )
    }

    fn text(&self, column: usize) -> Result<String> {
        match self.cells[column] {
            Field::Str(text) => Ok(text.clone()),
            _ => Err(self.fault(column, "text")),
        }
    }

    fn integer(&self, column: usize) -> Result<i64> {
        match *self.cells[column] {
            Field::Long(value) => Ok(value),
            Field::Int(value) => Ok(i64::from(value)),
            _ => Err(self.fault(column, "a whole number")),
        }
    }

    /// A whole number of at least 0 and at most `u32::MAX`.
    fn count(&self, column: usize) -> Result<u64> {
        match self.integer(column)? {
            value @ 0..=0xFFFF_FFFF => Ok(value as u64),
            _ => Err(self.fault(column, "a count from 0 to 4294967295")),
        }
    }

    fn number(&self, column: usize) -> Result<f64> {
        match *self.cells[column] {
            Field::Double(value) => Ok(value),
            Field::Float(value) => Ok(f64::from(value)),
            Field::Long(value) => Ok(value as f64),
            Field::Int(value) => Ok(f64::from(value)),
            _ => Err(self.fault(column, "a number")),
        }
    }
}

/// Calls `each` with every row of table `name` under `dir`, its `columns` picked by name.
fn each_row(
    dir: &Path,
    name: &str,
    columns: &[&str],
    mut each: impl FnMut(&Row) -> Result<()>,
) -> Result<()> {
    for path in table_files(&dir.join(name))? {
        let fail = || format!("cannot read {}", path.display());
        let reader =
            SerializedFileReader::new(File::open(&path).with_context(fail)?).with_context(fail)?;
        let schema = reader.metadata().file_metadata().schema_descr();
        let names: Vec<&str> = schema
            .root_schema()
            .get_fields()
            .iter()
            .map(|f| f.name())
            .collect();
        let positions = columns
            .iter()
            .map(|column| {
                names
                    .iter()
                    .position(|name| name == column)
                    .with_context(|| {
                        format!(
                            "{}: no column `{column}` (it has {})",
                            path.display(),
                            names.join(", ")
                        )
                    })
            })
            .collect::<Result<Vec<usize>>>()?;
        for (index, row) in reader.into_iter().enumerate() {
            let row = row.with_context(fail)?;
            let fields: Vec<&Field> = row.get_column_iter().map(|(_, field)| field).collect();
            let row = Row {
                file: &path,
                number: index + 1,
                names: columns,
                cells: positions.iter().map(|&position| fields[position]).collect(),
            };
            each(&row)?;
        }
    }
    Ok(())
}

/// The Parquet files of one table's folder, by name; refused without Spark's `_SUCCESS`.
fn table_files(folder: &Path) -> Result<Vec<PathBuf>> {
    if !folder.join("_SUCCESS").is_file() {
        bail!(
            "{}: no `_SUCCESS` marker: the table is missing, or the job writing it did not finish",
            folder.display()
        );
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .with_context(|| format!("cannot list {}", folder.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot list {}", folder.display()))?;
    files.retain(|path| path.extension().is_some_and(|ext| ext == "parquet"));
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    use super::*;

    /// A cell of a one-row table.
    enum Cell {
        Text(&'static str),
        Whole(i64),
    }

    /// Table `name` under `dir` with one row of `cells`, as Spark would write it, finished with
    /// its marker.
    fn one_row_table(dir: &Path, name: &str, cells: &[(&str, Cell)]) {
        let folder = dir.join(name);
        std::fs::create_dir_all(&folder).unwrap();
        let fields: Vec<String> = cells
            .iter()
            .map(|(column, cell)| match cell {
                Cell::Text(_) => format!("required binary {column} (UTF8);"),
                Cell::Whole(_) => format!("required int64 {column};"),
            })
            .collect();
        let schema = format!("message spark_schema {{ {} }}", fields.join(" "));
        let schema = Arc::new(parse_message_type(&schema).unwrap());
        let file = File::create(folder.join("part-00000.parquet")).unwrap();
        let properties = Arc::new(WriterProperties::builder().build());
        let mut writer = SerializedFileWriter::new(file, schema, properties).unwrap();
        let mut group = writer.next_row_group().unwrap();
        for (_, cell) in cells {
            let mut column = group.next_column().unwrap().unwrap();
            match *cell {
                Cell::Text(text) => {
                    let text = [ByteArray::from(text)];
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&text, None, None)
                }
                Cell::Whole(value) => column
                    .typed::<Int64Type>()
                    .write_batch(&[value], None, None),
            }
            .unwrap();
            column.close().unwrap();
        }
        group.close().unwrap();
        writer.close().unwrap();
        File::create(folder.join("_SUCCESS")).unwrap();
    }

    #[test]
    fn a_cell_of_the_wrong_type_is_named_by_file_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let totals = [
            ("lines", Cell::Text("many")),
            ("newest_at", Cell::Whole(7)),
            ("baskets", Cell::Whole(3)),
        ];
        one_row_table(dir.path(), "totals", &totals);
        let error = read(dir.path(), true).unwrap_err().to_string();
        assert!(
            error.ends_with(
                "totals/part-00000.parquet: row 1: column `lines`: expected a whole number, \
                 found \"many\""
            ),
            "{error}"
        );
    }

    #[test]
    fn a_missing_table_or_column_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let error = read(dir.path(), true).unwrap_err().to_string();
        let missing = "totals: no `_SUCCESS` marker: the table is missing, or the job writing it \
                       did not finish";
        assert!(error.ends_with(missing), "{error}");
        let totals = [
            ("lines", Cell::Whole(1)),
            ("newest_at", Cell::Whole(7)),
            ("baskets", Cell::Whole(1)),
        ];
        one_row_table(dir.path(), "totals", &totals);
        let descriptions = [("product", Cell::Text("A")), ("lines", Cell::Whole(1))];
        one_row_table(dir.path(), "descriptions", &descriptions);
        let error = read(dir.path(), true).unwrap_err().to_string();
        let missing = "descriptions/part-00000.parquet: no column `item` (it has product, lines)";
        assert!(error.ends_with(missing), "{error}");
    }
}
