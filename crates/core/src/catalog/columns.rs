//! The catalog as a bundle ships it: one column per field rather than one record per product,
//! so that gzip sees like next to like.
//!
//! The catalog is the largest file a new shopper fetches before the first page, so its layout is
//! chosen for what gzip does with it. Ids are sorted (the catalog is ordered by id), so each is
//! stored front-coded: how many leading bytes it shares with the id before, then the rest. Shops'
//! product codes share long prefixes, and a column of short suffixes compresses to a fraction of
//! the ids written out. Categories are few and repeated: a dictionary and one index per product.
//! Titles, descriptions and prices each run in a column of their own. On the 100,000-product
//! scale workload ([`crate::synth`]) the catalog is 0.82 MB gzip by column and 1.16 MB as one
//! record a product (`docs/scale.md` gives the command).
//!
//! ```
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::catalog::columns::CatalogColumns;
//! let catalog = Catalog::new(vec![
//!     Product::new("84029E", "Red Woolly Hottie", 3.75),
//!     Product::new("84029G", "Knitted Union Flag Hot Water Bottle", 3.39),
//! ]);
//! let columns = CatalogColumns::from(&catalog);
//! assert_eq!(Catalog::try_from(columns).unwrap(), catalog);
//! ```

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Product};

/// A catalog's products by field; [`Catalog::try_from`] checks and puts them back together.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogColumns {
    /// For each id, how many leading bytes it shares with the id before.
    id_shared: Vec<u32>,
    /// For each id, the bytes after those it shares.
    id_rest: Vec<String>,
    titles: Vec<String>,
    descriptions: Vec<String>,
    /// The distinct categories, in order of first use.
    category_names: Vec<String>,
    /// For each product, its category's place in `category_names`.
    categories: Vec<u32>,
    prices: Vec<f64>,
}

impl From<&Catalog> for CatalogColumns {
    fn from(catalog: &Catalog) -> Self {
        let products = catalog.products();
        let mut columns = CatalogColumns::default();
        let mut category_places: FxHashMap<&str, u32> = FxHashMap::default();
        let mut previous = "";
        for product in products {
            let id = product.id.as_str();
            // Shared bytes are counted on whole characters, so the rest is itself UTF-8.
            let shared = id
                .char_indices()
                .zip(previous.chars())
                .take_while(|((_, mine), theirs)| mine == theirs)
                .last()
                .map_or(0, |((at, mine), _)| at + mine.len_utf8());
            columns.id_shared.push(shared as u32);
            columns.id_rest.push(id[shared..].to_owned());
            previous = id;
            columns.titles.push(product.title.clone());
            columns.descriptions.push(product.description.clone());
            let next = category_places.len() as u32;
            let category = *category_places
                .entry(product.category.as_str())
                .or_insert_with(|| {
                    columns.category_names.push(product.category.clone());
                    next
                });
            columns.categories.push(category);
            columns.prices.push(product.price);
        }
        columns
    }
}

impl TryFrom<CatalogColumns> for Catalog {
    /// What is wrong, for the caller to put beside the file's name.
    type Error = String;

    fn try_from(columns: CatalogColumns) -> Result<Self, String> {
        let products = columns.id_shared.len();
        let lengths = [
            ("id_rest", columns.id_rest.len()),
            ("titles", columns.titles.len()),
            ("descriptions", columns.descriptions.len()),
            ("categories", columns.categories.len()),
            ("prices", columns.prices.len()),
        ];
        if let Some((column, length)) = lengths.iter().find(|(_, length)| *length != products) {
            return Err(format!(
                "column `{column}` has {length} entries, `id_shared` {products}"
            ));
        }
        let mut previous = String::new();
        let mut rows = Vec::with_capacity(products);
        let fields = columns
            .id_shared
            .into_iter()
            .zip(columns.id_rest)
            .zip(columns.titles)
            .zip(columns.descriptions)
            .zip(columns.categories)
            .zip(columns.prices);
        for (row, (((((shared, rest), title), description), category), price)) in fields.enumerate()
        {
            let shared = shared as usize;
            let Some(prefix) = previous.get(..shared) else {
                return Err(format!(
                    "product {row}: its id shares {shared} bytes with an id of {}",
                    previous.len()
                ));
            };
            let id = format!("{prefix}{rest}");
            let Some(category) = columns.category_names.get(category as usize) else {
                return Err(format!(
                    "product {row}: category {category} of {}",
                    columns.category_names.len()
                ));
            };
            rows.push(Product {
                id: id.clone(),
                title,
                description,
                category: category.clone(),
                price,
            });
            previous = id;
        }
        Ok(Catalog::new(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(id: &str, category: &str) -> Product {
        Product {
            id: id.to_owned(),
            title: format!("Title of {id}"),
            description: String::new(),
            category: category.to_owned(),
            price: 1.25,
        }
    }

    #[test]
    fn ids_are_front_coded_on_whole_characters_and_read_back_exactly() {
        let catalog = Catalog::new(vec![
            product("10080", "Toys"),
            product("10120", "Toys"),
            product("10123C", ""),
            product("caf\u{e9}", "Kitchen"),
            product("caf\u{e8}s", "Toys"),
        ]);
        let columns = CatalogColumns::from(&catalog);
        assert_eq!(columns.id_shared, [0, 2, 4, 0, 3]);
        assert_eq!(
            columns.id_rest,
            ["10080", "120", "3C", "caf\u{e9}", "\u{e8}s"]
        );
        assert_eq!(columns.category_names, ["Toys", "", "Kitchen"]);
        assert_eq!(columns.categories, [0, 0, 1, 2, 0]);
        assert_eq!(Catalog::try_from(columns).unwrap(), catalog);
    }

    #[test]
    fn inconsistent_columns_are_named() {
        let catalog = Catalog::new(vec![product("A1", "Toys"), product("A2", "Toys")]);
        let good = CatalogColumns::from(&catalog);

        let mut short = good.clone();
        short.prices.pop();
        let error = Catalog::try_from(short).unwrap_err();
        assert_eq!(error, "column `prices` has 1 entries, `id_shared` 2");

        let mut overlong = good.clone();
        overlong.id_shared[1] = 5;
        let error = Catalog::try_from(overlong).unwrap_err();
        assert_eq!(error, "product 1: its id shares 5 bytes with an id of 2");

        let mut unknown = good;
        unknown.categories[0] = 3;
        let error = Catalog::try_from(unknown).unwrap_err();
        assert_eq!(error, "product 0: category 3 of 1");
    }
}
