//! The catalog as a bundle ships it: one column per field rather than one record per product,
//! so that gzip sees like next to like.
//!
//! The catalog is the largest file a new shopper fetches before the first page, so its layout is
//! chosen for what gzip does with it. Ids are sorted (the catalog is ordered by id), so each is
//! stored front-coded: how many leading bytes it shares with the id before, then the rest. Shops'
//! product codes share long prefixes, and a column of short suffixes compresses to a fraction of
//! the ids written out. Categories are few and repeated: a dictionary and one index per product.
//! Titles and descriptions travel as numbers of words in one vocabulary ([`WordCoded`]), built
//! in a column of their own ([`TextColumns`]). Prices come from a short list of
//! price points, so they travel as a dictionary of the distinct prices, most used first, and
//! each product's place in it ([`PriceColumn`]): most places then fit one byte, where a price
//! written out takes eight. On the 100,000-product scale workload ([`crate::synth`]) the catalog
//! is 0.14 MB gzip with its first page's texts, and the texts apart ([`TextColumns`]) 0.32 MB
//! (`scripts/bench-scale`; `docs/scale.md`, "What a shopper fetches").
//!
//! ```
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::catalog::columns::CatalogColumns;
//! let catalog = Catalog::new(vec![
//!     Product::new("84029E", "Red Woolly Hottie", 3.75),
//!     Product::new("84029G", "Knitted Union Flag Hot Water Bottle", 3.39),
//! ]);
//! let shipped = CatalogColumns::from(&catalog).word_coded();
//! assert_eq!(Catalog::try_from(shipped).unwrap(), catalog);
//! ```

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::catalog::word_coded::WordCoded;
use crate::catalog::{Catalog, Product};

/// A catalog's products by field; [`Catalog::try_from`] checks and puts them back together.
///
/// `Prices` is the price column's layout: a [`PriceColumn`] in what this build writes, one
/// `f64` per product ([`PlainPrices`]) in bundles of versions 9 to 11. `Texts` is the titles'
/// and descriptions' layout: [`WordCoded`] in what this build writes and ships, the texts
/// written out ([`TextColumns`]) while a build puts the columns together and in bundles of
/// versions 9 to 13. Postcard writes a struct as its fields one after the other, so each
/// reads the bytes its version wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogColumns<Prices = PriceColumn, Texts = WordCoded> {
    /// For each id, how many leading bytes it shares with the id before.
    id_shared: Vec<u32>,
    /// For each id, the bytes after those it shares.
    id_rest: Vec<String>,
    texts: Texts,
    /// The distinct categories, in order of first use.
    category_names: Vec<String>,
    /// For each product, its category's place in `category_names`.
    categories: Vec<u32>,
    prices: Prices,
}

/// The price column of catalogs written before [`PriceColumn`]: each product's price in full.
pub type PlainPrices = Vec<f64>;

/// Prices as a dictionary: the distinct prices, most used first, and each product's place among
/// them. Exact for any price, since the dictionary holds the prices themselves; a catalog whose
/// every price differs pays a few bytes a product over writing them out, and shops price in
/// points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PriceColumn {
    /// The distinct prices, by how many products carry each (most first), ties by value.
    distinct: Vec<f64>,
    /// For each product, its price's place in `distinct`.
    places: Vec<u32>,
}

impl PriceColumn {
    /// The dictionary of `prices`, compared bit for bit so that every price reads back exactly.
    pub fn new(prices: &[f64]) -> Self {
        let mut uses: FxHashMap<u64, u32> = FxHashMap::default();
        for price in prices {
            *uses.entry(price.to_bits()).or_default() += 1;
        }
        let mut distinct: Vec<(u64, u32)> = uses.into_iter().collect();
        distinct.sort_by(|(a, a_uses), (b, b_uses)| {
            b_uses
                .cmp(a_uses)
                .then(f64::from_bits(*a).total_cmp(&f64::from_bits(*b)))
        });
        let place: FxHashMap<u64, u32> = distinct
            .iter()
            .enumerate()
            .map(|(place, (bits, _))| (*bits, place as u32))
            .collect();
        Self {
            places: prices.iter().map(|price| place[&price.to_bits()]).collect(),
            distinct: distinct
                .into_iter()
                .map(|(bits, _)| f64::from_bits(bits))
                .collect(),
        }
    }

    fn len(&self) -> usize {
        self.places.len()
    }

    /// Product `row`'s price, or what is wrong with its place.
    fn price(&self, row: usize) -> Result<f64, String> {
        let place = self.places[row];
        self.distinct.get(place as usize).copied().ok_or_else(|| {
            format!(
                "product {row}: price {place} of {} distinct",
                self.distinct.len()
            )
        })
    }
}

impl<Prices, Texts> CatalogColumns<Prices, Texts> {
    /// The same columns with the price and text columns turned into other layouts, or what
    /// is wrong with the texts.
    fn converted<OtherPrices, OtherTexts>(
        self,
        prices: impl FnOnce(Prices) -> OtherPrices,
        texts: impl FnOnce(Texts) -> Result<OtherTexts, String>,
    ) -> Result<CatalogColumns<OtherPrices, OtherTexts>, String> {
        Ok(CatalogColumns {
            id_shared: self.id_shared,
            id_rest: self.id_rest,
            texts: texts(self.texts)?,
            category_names: self.category_names,
            categories: self.categories,
            prices: prices(self.prices),
        })
    }
}

impl CatalogColumns<PriceColumn, TextColumns> {
    /// The same columns in the layout of versions 9 to 11, for tests that write those bundles.
    #[cfg(test)]
    pub(crate) fn with_plain_prices(self) -> CatalogColumns<PlainPrices, TextColumns> {
        let prices = |prices: PriceColumn| {
            (0..prices.len())
                .map(|row| prices.price(row).expect("a column this build wrote"))
                .collect()
        };
        self.converted(prices, Ok).expect("no conversion fails")
    }

    /// The same columns with their texts coded as words, as a bundle ships them.
    pub fn word_coded(self) -> CatalogColumns {
        let coded = |texts: TextColumns| Ok(WordCoded::from(&texts));
        self.converted(|prices| prices, coded)
            .expect("coding never fails")
    }
}

impl From<CatalogColumns<PlainPrices, TextColumns>> for CatalogColumns<PriceColumn, TextColumns> {
    fn from(columns: CatalogColumns<PlainPrices, TextColumns>) -> Self {
        (columns.converted(|prices| PriceColumn::new(&prices), Ok)).expect("no conversion fails")
    }
}

impl From<&Catalog> for CatalogColumns<PriceColumn, TextColumns> {
    fn from(catalog: &Catalog) -> Self {
        let products = catalog.products();
        let prices: Vec<f64> = products.iter().map(|product| product.price).collect();
        let mut columns: Self = CatalogColumns {
            prices: PriceColumn::new(&prices),
            ..CatalogColumns::default()
        };
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
            columns.texts.titles.push(product.title.clone());
            columns.texts.descriptions.push(product.description.clone());
            let next = category_places.len() as u32;
            let category = *category_places
                .entry(product.category.as_str())
                .or_insert_with(|| {
                    columns.category_names.push(product.category.clone());
                    next
                });
            columns.categories.push(category);
        }
        columns
    }
}

impl CatalogColumns<PriceColumn, TextColumns> {
    /// These columns with the titles and descriptions of the products `kept` marks only, and
    /// the others' texts apart ([`TextColumns`]): a large catalog's bundle ships the texts of
    /// the products its first page can show with the catalog and the rest in a part of its own
    /// ([`crate::catalog::first_page`]). Each product's texts are in one of the two, and empty
    /// in the other.
    pub fn keeping_texts_of(mut self, kept: &[bool]) -> (Self, TextColumns) {
        let mut apart = TextColumns::default();
        let texts = self
            .texts
            .titles
            .iter_mut()
            .zip(&mut self.texts.descriptions);
        for (position, (title, description)) in texts.enumerate() {
            let keep = kept.get(position).copied().unwrap_or(false);
            let (title, description) = if keep {
                (String::new(), String::new())
            } else {
                (std::mem::take(title), std::mem::take(description))
            };
            apart.titles.push(title);
            apart.descriptions.push(description);
        }
        (self, apart)
    }
}

/// Products' titles and descriptions by position, as a bundle ships those it keeps apart from
/// its catalog (the `texts` part): one entry per catalog product, empty for a product whose
/// texts travel in the catalog itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextColumns {
    titles: Vec<String>,
    descriptions: Vec<String>,
}

impl TextColumns {
    /// Whether it has one title and one description for each of `products` products.
    pub fn check(&self, products: usize) -> Result<(), String> {
        match (self.titles.len(), self.descriptions.len()) {
            (titles, descriptions) if titles == products && descriptions == products => Ok(()),
            (titles, descriptions) => Err(format!(
                "{titles} titles and {descriptions} descriptions, but the catalog has {products} products"
            )),
        }
    }

    /// The title and description kept here for the product at `position`: empty where the
    /// catalog carries them.
    pub fn texts(&self, position: usize) -> (&str, &str) {
        let title = self.titles.get(position).map_or("", String::as_str);
        let description = self.descriptions.get(position).map_or("", String::as_str);
        (title, description)
    }

    /// Texts naming each of `ids` by itself, for a store whose `texts` part could not be used:
    /// a product is still shown, by its code.
    pub fn naming(ids: impl Iterator<Item = impl Into<String>>) -> Self {
        let titles: Vec<String> = ids.map(Into::into).collect();
        Self {
            descriptions: vec![String::new(); titles.len()],
            titles,
        }
    }
}

/// Titles, then descriptions, coded as one list, so they share one vocabulary.
impl From<&TextColumns> for WordCoded {
    fn from(texts: &TextColumns) -> Self {
        let listed = texts.titles.iter().chain(&texts.descriptions);
        WordCoded::new(listed.map(String::as_str))
    }
}

impl TryFrom<&WordCoded> for TextColumns {
    /// What is wrong, for the caller to put beside the file's name.
    type Error = String;

    fn try_from(coded: &WordCoded) -> Result<Self, String> {
        let mut titles = coded.texts()?;
        if titles.len() % 2 != 0 {
            return Err(format!(
                "{} texts, not a title and a description for each product",
                titles.len()
            ));
        }
        let descriptions = titles.split_off(titles.len() / 2);
        Ok(Self {
            titles,
            descriptions,
        })
    }
}

impl TryFrom<CatalogColumns> for Catalog {
    /// What is wrong, for the caller to put beside the file's name.
    type Error = String;

    fn try_from(columns: CatalogColumns) -> Result<Self, String> {
        let texts = |coded: WordCoded| TextColumns::try_from(&coded);
        Catalog::try_from(columns.converted(|prices| prices, texts)?)
    }
}

impl TryFrom<CatalogColumns<PriceColumn, TextColumns>> for Catalog {
    /// What is wrong, for the caller to put beside the file's name.
    type Error = String;

    fn try_from(columns: CatalogColumns<PriceColumn, TextColumns>) -> Result<Self, String> {
        let products = columns.id_shared.len();
        let lengths = [
            ("id_rest", columns.id_rest.len()),
            ("titles", columns.texts.titles.len()),
            ("descriptions", columns.texts.descriptions.len()),
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
            .zip(columns.texts.titles)
            .zip(columns.texts.descriptions)
            .zip(columns.categories);
        for (row, ((((shared, rest), title), description), category)) in fields.enumerate() {
            let price = columns.prices.price(row)?;
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
        short.prices.places.pop();
        let error = Catalog::try_from(short).unwrap_err();
        assert_eq!(error, "column `prices` has 1 entries, `id_shared` 2");

        let mut overlong = good.clone();
        overlong.id_shared[1] = 5;
        let error = Catalog::try_from(overlong).unwrap_err();
        assert_eq!(error, "product 1: its id shares 5 bytes with an id of 2");

        let mut unknown = good.clone();
        unknown.categories[0] = 3;
        let error = Catalog::try_from(unknown).unwrap_err();
        assert_eq!(error, "product 0: category 3 of 1");

        let mut unpriced = good;
        unpriced.prices.places[1] = 1;
        let error = Catalog::try_from(unpriced).unwrap_err();
        assert_eq!(error, "product 1: price 1 of 1 distinct");
    }

    #[test]
    fn prices_are_a_dictionary_most_used_first_and_read_back_bit_for_bit() {
        let prices = [2.5, 0.1 + 0.2, 1.25, 2.5, 0.3, -0.0, 0.0, 1.25, 2.5];
        let column = PriceColumn::new(&prices);
        // 0.1 + 0.2 is not 0.3, and -0.0 is not 0.0: each keeps a place of its own.
        assert_eq!(column.distinct, [2.5, 1.25, -0.0, 0.0, 0.3, 0.1 + 0.2]);
        assert_eq!(column.places, [0, 5, 1, 0, 4, 2, 3, 1, 0]);
        let read: Vec<u64> = (0..prices.len())
            .map(|row| column.price(row).unwrap().to_bits())
            .collect();
        let written: Vec<u64> = prices.iter().map(|price| price.to_bits()).collect();
        assert_eq!(read, written);
    }

    #[test]
    fn plain_prices_of_older_bundles_read_into_the_same_catalog() {
        let catalog = Catalog::new(vec![product("A1", "Toys"), product("A2", "Kitchen")]);
        let columns = CatalogColumns::from(&catalog);
        let plain = columns.clone().with_plain_prices();
        assert_eq!(plain.prices, [1.25, 1.25]);
        let bytes = postcard::to_stdvec(&plain).unwrap();
        let read: CatalogColumns<PlainPrices, TextColumns> = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(CatalogColumns::from(read), columns);
    }

    #[test]
    fn texts_travel_coded_as_words_and_read_back_the_same_catalog() {
        let catalog = Catalog::new(vec![
            Product::new("A1", "Red Heart Cushion", 1.0),
            Product {
                description: "A red heart, stitched.".to_owned(),
                ..Product::new("A2", "Heart  Mug ", 2.0)
            },
        ]);
        let columns = CatalogColumns::from(&catalog).word_coded();
        let bytes = postcard::to_stdvec(&columns).unwrap();
        let read: CatalogColumns = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(Catalog::try_from(read).unwrap(), catalog);

        let (_, apart) = CatalogColumns::from(&catalog).keeping_texts_of(&[true, false]);
        assert_eq!(apart.texts(1), ("Heart  Mug ", "A red heart, stitched."));
        assert_eq!(
            TextColumns::try_from(&WordCoded::from(&apart)).unwrap(),
            apart
        );
        let odd = WordCoded::new(["a", "b", "c"]);
        let error = TextColumns::try_from(&odd).unwrap_err();
        assert_eq!(
            error,
            "3 texts, not a title and a description for each product"
        );
    }
}
