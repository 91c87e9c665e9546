//! The product catalog a shop ships: one entry per product with a readable title, a description,
//! a category and a price.
//!
//! Derived from cleaned order lines: the title is the item's most frequent description in
//! readable case, the category is derived from it ([`crate::catalog::category`]), the price is the median
//! unit price paid (robust to the odd discount or wholesale line). A shop's own product file
//! ([`crate::input::product_file`]) then overrides what it knows better and adds products nobody has
//! ordered yet ([`Catalog::with_products`]).
//!
//! A product's photo, when the shop gave one, is kept beside it ([`images`]); it travels in a
//! bundle part of its own, so a catalog serialises as its products only.
//!
//! A large catalog's bundle ships most products' titles and descriptions apart from the
//! catalog ([`first_page`]): a catalog decoded without them knows those products by id,
//! category and price until [`Catalog::provide_texts`], and [`Catalog::title`] says which titles
//! it has.
//!
//! Beside the catalog live what is read from its texts: categories ([`category`]), tokens
//! ([`text`], in the shop's [`language`]), look-alikes by TF-IDF ([`content`]) and search by
//! BM25 ([`search`]), and how its prices read ([`money`]).
//!
//! ```
//! use aisle_core::catalog::Catalog;
//! let catalog = Catalog::new(vec![]);
//! assert!(catalog.is_empty());
//! ```

pub mod category;
pub mod columns;
pub mod content;
pub(crate) mod corpus;
pub mod first_page;
pub mod images;
pub mod language;
pub mod money;
pub mod search;
pub mod shards;
pub mod text;
pub mod word_coded;

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::catalog::category::derive_category;
use crate::catalog::columns::TextColumns;
use crate::catalog::images::{ProductImage, ProductImages};
use crate::catalog::text::readable_title;
use crate::input::orders::OrderLine;
use crate::input::product_file::ProductRecord;
use crate::statistics::products::Products;

/// One product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// The shop's product code (`85123A`).
    pub id: String,
    /// Readable title (`White Hanging Heart T-Light Holder`).
    pub title: String,
    /// Longer text from the shop's product file; empty when the shop gave none.
    pub description: String,
    /// The shop's category, or one derived from the text ([`crate::catalog::category`]); empty when
    /// neither says.
    pub category: String,
    /// Typical unit price.
    pub price: f64,
}

impl Product {
    /// The text that content similarity and search read: the title, then the description.
    pub fn text(&self) -> Cow<'_, str> {
        joined(&self.title, &self.description)
    }

    /// A product with no description, its category derived from its title.
    ///
    /// ```
    /// use aisle_core::catalog::Product;
    /// let lantern = Product::new("23145", "White Metal Lantern", 3.75);
    /// assert_eq!(lantern.category, "Candles & lighting");
    /// ```
    pub fn new(id: &str, title: &str, price: f64) -> Self {
        Self {
            id: id.to_owned(),
            title: title.to_owned(),
            description: String::new(),
            category: derive_category(title).to_owned(),
            price,
        }
    }
}

/// What [`Catalog::with_products`] did with a product file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductMerge {
    /// Products of the orders that the file described.
    pub updated: usize,
    /// Products only the file lists, added.
    pub added: usize,
    /// Products only the file lists, left out because it gives no price.
    pub unpriced: Vec<String>,
}

/// All products, ordered by id. An item's position in this list is its index in every model
/// array of the bundle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<Product>", into = "Vec<Product>")]
pub struct Catalog {
    products: Vec<Product>,
    positions: FxHashMap<String, usize>,
    images: ProductImages,
    /// The texts shipped apart from the catalog, once they have come ([`Catalog::awaiting_texts`]);
    /// `None` when every product's texts are in `products`.
    apart: Option<OnceLock<TextColumns>>,
}

impl From<Vec<Product>> for Catalog {
    fn from(products: Vec<Product>) -> Self {
        Self::new(products)
    }
}

impl From<Catalog> for Vec<Product> {
    fn from(catalog: Catalog) -> Self {
        if catalog.apart.is_none() {
            return catalog.products;
        }
        let products = catalog.products.iter().enumerate();
        products
            .map(|(position, product)| {
                let (title, description) = catalog.texts(position).unwrap_or_default();
                Product {
                    title: title.to_owned(),
                    description: description.to_owned(),
                    ..product.clone()
                }
            })
            .collect()
    }
}

/// The text content similarity and search read: the title, then the description.
fn joined<'a>(title: &'a str, description: &'a str) -> Cow<'a, str> {
    if description.is_empty() {
        title.into()
    } else {
        format!("{title} {description}").into()
    }
}

impl Catalog {
    /// A catalog of these products, in the order given.
    pub fn new(products: Vec<Product>) -> Self {
        let positions = products
            .iter()
            .enumerate()
            .map(|(position, product)| (product.id.clone(), position))
            .collect();
        Self {
            products,
            positions,
            images: ProductImages::default(),
            apart: None,
        }
    }

    /// This catalog with the texts shipped apart from it ([`first_page`]): every product takes
    /// what it lacks (an empty title or description) from `apart`, one entry per product
    /// ([`TextColumns::check`]).
    pub fn with_texts(self, apart: TextColumns) -> Self {
        let images = self.images.clone();
        let awaiting = self.awaiting_texts();
        awaiting.provide_texts(apart);
        Self::new(awaiting.into()).with_images(images)
    }

    /// This catalog, decoded without the texts shipped apart from it: the products whose
    /// title is empty have theirs in a part still to come, which [`Catalog::provide_texts`]
    /// gives it.
    pub fn awaiting_texts(mut self) -> Self {
        self.apart = Some(OnceLock::new());
        self
    }

    /// True while texts shipped apart are awaited: [`Catalog::title`] knows the first page's
    /// products only, and look-alikes and search wait.
    pub fn texts_pending(&self) -> bool {
        self.apart
            .as_ref()
            .is_some_and(|apart| apart.get().is_none())
    }

    /// Gives a catalog [`Catalog::awaiting_texts`] the texts shipped apart, one entry per
    /// product ([`TextColumns::check`]); texts given twice keep the first.
    pub fn provide_texts(&self, apart: TextColumns) {
        if let Some(slot) = &self.apart {
            let _ = slot.set(apart);
        }
    }

    /// The title of the product at `position`; `None` outside the catalog, or while its title
    /// is among the texts still to come ([`Catalog::texts_pending`]).
    pub fn title(&self, position: usize) -> Option<&str> {
        self.texts(position).map(|(title, _)| title)
    }

    /// The description of the product at `position`, as [`Catalog::title`].
    pub fn description(&self, position: usize) -> Option<&str> {
        self.texts(position).map(|(_, description)| description)
    }

    /// The title and description of the product at `position`, as [`Catalog::title`].
    fn texts(&self, position: usize) -> Option<(&str, &str)> {
        let product = self.products.get(position)?;
        let own = (product.title.as_str(), product.description.as_str());
        match &self.apart {
            None => Some(own),
            Some(apart) => match apart.get() {
                Some(apart) => {
                    let (title, description) = apart.texts(position);
                    let title = if own.0.is_empty() { title } else { own.0 };
                    let description = if own.1.is_empty() { description } else { own.1 };
                    Some((title, description))
                }
                None => (!product.title.is_empty()).then_some(own),
            },
        }
    }

    /// The text look-alikes and search read for the product at `position`: its title, then its
    /// description ([`Product::text`]); empty while it is among the texts still to come.
    pub fn text(&self, position: usize) -> Cow<'_, str> {
        let (title, description) = self.texts(position).unwrap_or_default();
        joined(title, description)
    }

    /// This catalog with its products' photos, by catalog position.
    pub fn with_images(mut self, images: ProductImages) -> Self {
        self.images = images;
        self
    }

    /// The photo of the product at `position`, if the shop gave one.
    pub fn image(&self, position: usize) -> Option<&ProductImage> {
        self.images.get(position)
    }

    /// Every product's photo.
    pub fn images(&self) -> &ProductImages {
        &self.images
    }

    /// Derives the catalog from cleaned order lines ([`Catalog::from_products`]).
    pub fn from_orders(lines: &[OrderLine]) -> Self {
        Self::from_products(&Products::from_lines(lines))
    }

    /// The catalog the log's products give: each with its most used description as its title
    /// ([`ProductTally::title`](crate::statistics::products::ProductTally::title)) and its
    /// median price, in the products' order (by code).
    pub fn from_products(products: &Products) -> Self {
        let products = products.tallies().iter().map(|tally| {
            Product::new(
                &tally.id,
                &readable_title(tally.title()),
                tally.median_price(),
            )
        });
        Self::new(products.collect())
    }

    /// This catalog with a shop's product file applied: what the file gives (title, description,
    /// category, price) replaces what the orders suggested, and a product the orders never
    /// mention is added when the file gives its price (a product without one could not be
    /// shown). Where the file gives a title or description but no category, the category is
    /// derived again from the new text.
    ///
    /// ```
    /// use aisle_core::catalog::{Catalog, Product};
    /// use aisle_core::input::product_file::read_products;
    /// let file = read_products("id,title,price\nA,Red Lantern,4\nB,New Mug,3\nC,No Price,\n".as_bytes(), "p.csv").unwrap();
    /// let (catalog, merge) = Catalog::new(vec![Product::new("A", "Lantern", 2.0)]).with_products(&file.products);
    /// assert_eq!((merge.updated, merge.added, merge.unpriced.as_slice()), (1, 1, ["C".to_string()].as_slice()));
    /// assert_eq!(catalog.products()[0].title, "Red Lantern");
    /// assert_eq!(catalog.products()[1].category, "Kitchen & dining");
    /// ```
    pub fn with_products(self, records: &[ProductRecord]) -> (Self, ProductMerge) {
        let mut merge = ProductMerge::default();
        let mut products = self.products;
        for record in records {
            let known = self.positions.get(&record.id).copied();
            let product = match (known, record.price) {
                (Some(position), _) => {
                    merge.updated += 1;
                    &mut products[position]
                }
                (None, Some(price)) => {
                    merge.added += 1;
                    products.push(Product::new(&record.id, &record.id, price));
                    products.last_mut().expect("just pushed")
                }
                (None, None) => {
                    merge.unpriced.push(record.id.clone());
                    continue;
                }
            };
            let text_changed = record.title.is_some() || record.description.is_some();
            if let Some(title) = &record.title {
                product.title.clone_from(title);
            }
            if let Some(description) = &record.description {
                product.description.clone_from(description);
            }
            if let Some(price) = record.price {
                product.price = price;
            }
            match &record.category {
                Some(category) => product.category.clone_from(category),
                None if text_changed => {
                    product.category = derive_category(&product.text()).to_owned();
                }
                None => {}
            }
        }
        products.sort_by(|a, b| a.id.cmp(&b.id));
        (Self::new(products), merge)
    }

    /// Number of products.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// True when there are no products.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// All products, in catalog order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The products' ids, by position.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.products.iter().map(|product| product.id.as_str())
    }

    /// The product at a catalog position.
    pub fn product(&self, position: usize) -> Option<&Product> {
        self.products.get(position)
    }

    /// Every category with its number of products, largest first (ties by name); products
    /// without a category are not counted.
    ///
    /// ```
    /// use aisle_core::catalog::{Catalog, Product};
    /// let catalog = Catalog::new(vec![Product::new("1", "Mug", 1.0), Product::new("2", "Bowl", 1.0), Product::new("3", "Lantern", 1.0)]);
    /// assert_eq!(catalog.categories(), [("Kitchen & dining", 2), ("Candles & lighting", 1)]);
    /// ```
    pub fn categories(&self) -> Vec<(&str, usize)> {
        let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
        for product in self.products.iter().filter(|p| !p.category.is_empty()) {
            *counts.entry(product.category.as_str()).or_default() += 1;
        }
        let mut categories: Vec<(&str, usize)> = counts.into_iter().collect();
        categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        categories
    }

    /// The catalog position of a product id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(item: &str, description: &str, price: f64) -> OrderLine {
        OrderLine {
            invoice: "1".into(),
            item: item.into(),
            description: description.into(),
            quantity: 1,
            timestamp: 0,
            unit_price: price,
            customer: Some("1".into()),
        }
    }

    #[test]
    fn catalog_takes_the_usual_description_and_the_median_price() {
        let lines = [
            line("22633", "HAND WARMER UNION JACK", 1.85),
            line("22633", "HAND WARMER UNION JACK", 2.10),
            line("22633", "hand warmer", 1.65),
            line("22633", "", 9.99),
            line("10002", "INFLATABLE POLITICAL GLOBE", 0.85),
        ];
        let catalog = Catalog::from_orders(&lines);
        assert_eq!(catalog.len(), 2);
        assert_eq!(catalog.position("10002"), Some(0));
        let warmer = catalog.product(catalog.position("22633").unwrap()).unwrap();
        assert_eq!(warmer.title, "Hand Warmer Union Jack");
        // Prices 1.65, 1.85, 2.10, 9.99: median is (1.85 + 2.10) / 2.
        assert!((warmer.price - 1.975).abs() < 1e-12);
    }

    #[test]
    fn catalog_round_trips_through_serde_with_its_index() {
        let catalog = Catalog::from_orders(&[line("22633", "HAND WARMER", 1.0)]);
        let json = serde_json::to_string(&catalog).unwrap();
        let back: Catalog = serde_json::from_str(&json).unwrap();
        assert_eq!(back.position("22633"), Some(0));
        assert_eq!(back, catalog);
    }
}
