//! A shop's own product file: titles, descriptions, categories and prices that the order log
//! does not have, and products nobody has ordered yet.
//!
//! A CSV (plain or gzip) with a header row. Only a product id column is required; the others
//! are used when present. Columns are found by the names common exports use (compared without
//! case, spaces or underscores):
//!
//! | field | header names |
//! |---|---|
//! | id | `id`, `sku`, `product_id`, `product_code`, `item_id`, `item`, `code`, `StockCode`, `Variant SKU` |
//! | title | `title`, `name`, `product_name`, `product_title` |
//! | description | `description`, `product_description`, `body`, `Body (HTML)` |
//! | category | `category`, `product_category`, `product_type`, `type`, `department` |
//! | price | `price`, `unit_price`, `list_price`, `Variant Price` |
//! | image | `image`, `Image Src`, `image_link`, `image_url`, `image_path`, `picture`, `photo` |
//!
//! Descriptions written as HTML (as shop platforms export them) are reduced to their text, and
//! kept to [`DESCRIPTION_CHARS`] characters so the catalog stays a small download. A title
//! written in capitals is put in readable case, as order-log titles are. An image cell is kept as
//! written (a path or an address); `aisle build` finds and resizes the file it names.
//!
//! Rows are reported, not fatal: a row without an id, with a price that does not parse, or
//! repeating an earlier row's id is skipped and recorded with its line and column.
//!
//! ```
//! use aisle_core::input::product_file::read_products;
//! let csv = "sku,name,product_type,price\n85123A,Heart T-Light Holder,Candles,2.55\n,No Id,,1\n";
//! let file = read_products(csv.as_bytes(), "products.csv").unwrap();
//! assert_eq!(file.products[0].title.as_deref(), Some("Heart T-Light Holder"));
//! assert_eq!(file.products[0].category.as_deref(), Some("Candles"));
//! assert_eq!(file.report.rows_skipped, 1);
//! ```

use std::io::Read;

use rustc_hash::FxHashMap;

use crate::catalog::text::readable_title;
use crate::error::{Error, Result};
use crate::input::csv_file::{CsvFile, comparable_name, open_csv, unreadable};
use crate::input::fields::{decode_text, normalise_code, parse_price};
use crate::input::orders::{ReadReport, RowIssue};

/// The longest description kept, in characters; longer ones are cut at a word.
pub const DESCRIPTION_CHARS: usize = 600;

const ID_NAMES: &[&str] = &[
    "id",
    "sku",
    "productid",
    "productcode",
    "itemid",
    "item",
    "code",
    "stockcode",
    "variantsku",
];
const TITLE_NAMES: &[&str] = &["title", "name", "productname", "producttitle"];
const DESCRIPTION_NAMES: &[&str] = &["description", "productdescription", "body", "body(html)"];
const CATEGORY_NAMES: &[&str] = &[
    "category",
    "productcategory",
    "producttype",
    "type",
    "department",
];
const PRICE_NAMES: &[&str] = &["price", "unitprice", "listprice", "variantprice"];
const IMAGE_NAMES: &[&str] = &[
    "image",
    "imagesrc",
    "imagelink",
    "imageurl",
    "imagepath",
    "picture",
    "photo",
];

/// What the product file says about one product; `None` where its column is absent or the cell
/// blank, so that the order log's value stands.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRecord {
    /// The product code, normalised as order logs' codes are (trimmed, upper case).
    pub id: String,
    /// The title, in readable case.
    pub title: Option<String>,
    /// Plain text, at most [`DESCRIPTION_CHARS`] characters.
    pub description: Option<String>,
    /// The shop's category.
    pub category: Option<String>,
    /// The list price.
    pub price: Option<f64>,
    /// The product's photo: a file path or an address, as written.
    pub image: Option<String>,
    /// The row's line in its file, for messages about it.
    pub line: u64,
}

/// The products read, and what was skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductFile {
    /// One record per distinct id, in file order.
    pub products: Vec<ProductRecord>,
    /// Rows read and skipped, with the reason for each skipped row.
    pub report: ReadReport,
    /// The header of the image column, when the file has one, for messages about its cells.
    pub image_column: Option<String>,
}

/// Column positions of the fields a file has.
struct Columns {
    id: usize,
    title: Option<usize>,
    description: Option<usize>,
    category: Option<usize>,
    price: Option<usize>,
    image: Option<usize>,
}

impl Columns {
    fn find(header: &[String], source_name: &str) -> Result<Self> {
        let names: Vec<String> = header.iter().map(|name| comparable_name(name)).collect();
        let position = |wanted: &[&str]| {
            names
                .iter()
                .position(|name| wanted.contains(&name.as_str()))
        };
        Ok(Self {
            id: position(ID_NAMES).ok_or_else(|| Error::MissingColumn {
                source_name: source_name.to_owned(),
                column: "id (or sku, product_id, StockCode, ...)".to_owned(),
                found: header.join(","),
            })?,
            title: position(TITLE_NAMES),
            description: position(DESCRIPTION_NAMES),
            category: position(CATEGORY_NAMES),
            price: position(PRICE_NAMES),
            image: position(IMAGE_NAMES),
        })
    }
}

/// Reads a product file (CSV, plain or gzip). Fails only when the file cannot be read or has
/// no id column; bad rows are skipped and reported.
pub fn read_products<R: Read>(input: R, source_name: &str) -> Result<ProductFile> {
    let CsvFile { mut rows, header } = open_csv(input, source_name)?;
    let columns = Columns::find(&header, source_name)?;

    let mut file = ProductFile {
        image_column: columns.image.map(|position| header[position].clone()),
        ..ProductFile::default()
    };
    let mut first_line: FxHashMap<String, u64> = FxHashMap::default();
    while let Some(row) = rows
        .next_row()
        .map_err(|error| unreadable(source_name, error.to_string()))?
    {
        file.report.rows_read += 1;
        let line = row.line;
        let cell = |position: usize| {
            row.get(position)
                .map(decode_text)
                .map(|text| text.trim().to_owned())
                .filter(|text| !text.is_empty())
        };
        let optional = |position: Option<usize>| position.and_then(cell);
        let issue = |column: usize, message: String| RowIssue {
            source_name: source_name.to_owned(),
            line,
            column: header[column].clone(),
            message,
        };
        let Some(id) = cell(columns.id).map(|id| normalise_code(&id).into_owned()) else {
            file.report
                .skip(issue(columns.id, "no product id".to_owned()));
            continue;
        };
        if let Some(earlier) = first_line.get(&id) {
            let message =
                format!("`{id}` was already given on line {earlier}; this row is ignored");
            file.report.skip(issue(columns.id, message));
            continue;
        }
        let price = match columns
            .price
            .and_then(|position| Some((position, cell(position)?)))
        {
            None => None,
            Some((position, text)) => match parse_price(&text) {
                Some(price) if price >= 0.0 => Some(price),
                _ => {
                    file.report
                        .skip(issue(position, format!("`{text}` is not a price")));
                    continue;
                }
            },
        };
        first_line.insert(id.clone(), line);
        file.products.push(ProductRecord {
            id,
            title: optional(columns.title).map(|title| readable_if_shouting(&title)),
            description: optional(columns.description)
                .map(|text| plain_text(&text))
                .filter(|text| !text.is_empty()),
            category: optional(columns.category),
            price,
            image: optional(columns.image),
            line,
        });
    }
    Ok(file)
}

/// A title in readable case when it is written all in capitals; as the shop wrote it otherwise.
fn readable_if_shouting(title: &str) -> String {
    if title.chars().any(char::is_lowercase) {
        title.to_owned()
    } else {
        readable_title(title)
    }
}

/// The text of a description that may be HTML, cut at a word to [`DESCRIPTION_CHARS`].
///
/// An HTML parser (html2text, over html5ever) turns it into text: tags dropped, every named and
/// numeric entity decoded (`&eacute;`, `&#8217;`), script and style left out, without the
/// decorations it can add (emphasis marks, link footnotes). Whitespace is then collapsed: the
/// product page shows one paragraph.
fn plain_text(html: &str) -> String {
    // Wide enough never to wrap: lines are joined below anyway. A description the parser
    // cannot render (it reads any text, so this is not expected) is kept as written.
    let decoded = html2text::config::plain_no_decorate()
        .string_from_read(html.as_bytes(), 100_000)
        .unwrap_or_else(|_| html.to_owned());
    let mut kept = String::new();
    for word in decoded.split_whitespace() {
        if kept.chars().count() + word.chars().count() + 1 > DESCRIPTION_CHARS {
            kept.push('…');
            break;
        }
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(word);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> ProductFile {
        read_products(text.as_bytes(), "products.csv").unwrap()
    }

    #[test]
    fn a_platform_export_is_read_by_its_own_column_names() {
        let file = read(
            "Handle,Title,Body (HTML),Product Type,Variant SKU,Variant Price,Image Src\n\
             lantern,WHITE METAL LANTERN,\"<p>Hangs <b>anywhere</b>&nbsp;&amp; glows.</p>\",Lighting, 23145 ,\"£3.75\",https://cdn.example/files/lantern.jpg?v=3\n",
        );
        assert_eq!(
            file.products,
            [ProductRecord {
                id: "23145".into(),
                title: Some("White Metal Lantern".into()),
                description: Some("Hangs anywhere & glows.".into()),
                category: Some("Lighting".into()),
                price: Some(3.75),
                image: Some("https://cdn.example/files/lantern.jpg?v=3".into()),
                line: 2,
            }]
        );
        assert_eq!(file.image_column.as_deref(), Some("Image Src"));
    }

    #[test]
    fn bad_rows_are_skipped_with_line_and_column_and_blank_cells_say_nothing() {
        let file = read(
            "id,title,price\n\
             A,Mug,1.50\n\
             ,No id,2\n\
             B,Bowl,cheap\n\
             A,Mug again,9\n\
             C,,\n",
        );
        let ids: Vec<&str> = file.products.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["A", "C"]);
        assert_eq!(file.products[1].title, None);
        assert_eq!(file.products[1].price, None);
        assert_eq!(file.report.rows_read, 5);
        let issues: Vec<String> = file.report.issues.iter().map(ToString::to_string).collect();
        assert_eq!(
            issues,
            [
                "products.csv: line 3: column `id`: no product id",
                "products.csv: line 4: column `price`: `cheap` is not a price",
                "products.csv: line 5: column `id`: `A` was already given on line 2; this row is ignored",
            ]
        );
        let crlf = read("id,title,price\r\nA,Mug,1.50\r\nB,Bowl,cheap\r\n");
        assert_eq!(crlf.report.issues[0].line, 3);
    }

    #[test]
    fn a_file_without_an_id_column_is_refused_with_its_header() {
        let error = read_products("title,price\nMug,1\n".as_bytes(), "p.csv").unwrap_err();
        assert!(error.to_string().contains("p.csv: line 1"), "{error}");
        assert!(error.to_string().contains("title,price"), "{error}");
    }

    #[test]
    fn html_descriptions_become_text_with_every_entity_decoded() {
        assert_eq!(
            plain_text(
                "<p>Caf&eacute; lantern &#8217;n&#x2019; <b>more</b>&hellip;</p><script>alert(1)</script>"
            ),
            "Café lantern ’n’ more…"
        );
        assert_eq!(
            plain_text("<ul><li>One</li><li>Two</li></ul>"),
            "* One * Two"
        );
        assert_eq!(plain_text("Plain 3 < 4 & 5 > 2"), "Plain 3 < 4 & 5 > 2");
    }

    #[test]
    fn long_descriptions_are_cut_at_a_word() {
        let long = "word ".repeat(400);
        let text = plain_text(&long);
        assert!(text.chars().count() <= DESCRIPTION_CHARS + 1);
        assert!(text.ends_with("word…"));
    }
}
