//! What the order lines say about each product: the descriptions and unit prices it was sold
//! under, each with the number of lines that used it. The catalog a log alone gives takes each
//! product's most used description and its median price from them
//! ([`crate::catalog::Catalog::from_products`]).
//!
//! ```
//! use aisle_core::input::orders::OrderLine;
//! use aisle_core::statistics::products::Products;
//! let line = |description: &str, price: f64| OrderLine {
//!     description: description.into(), unit_price: price, ..OrderLine::purchase("c", "A", 0)
//! };
//! let products = Products::from_lines(&[line("MUG", 2.0), line("MUG", 3.0), line("CUP", 10.0)]);
//! let mug = &products.tallies()[0];
//! assert_eq!((mug.title(), mug.median_price()), ("MUG", 3.0));
//! ```

use rustc_hash::FxHashMap;

use crate::input::interner::TextKey;
use crate::input::orders::OrderLine;
use crate::math::stats::quantile;

/// One product's descriptions and prices, each with its number of lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductTally {
    /// The product code.
    pub id: String,
    /// Each non-empty description and its lines, sorted by description.
    pub descriptions: Vec<(String, u64)>,
    /// Each unit price and its lines, sorted by price.
    pub prices: Vec<(f64, u64)>,
}

impl ProductTally {
    /// The most used description; among equals the alphabetically first, for determinism; the
    /// code itself when no line described the product.
    pub fn title(&self) -> &str {
        self.descriptions
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map_or(&self.id, |(text, _)| text)
    }

    /// The median of the prices over its lines (the mean of the two middle ones for an even
    /// count), 0 when it has none.
    pub fn median_price(&self) -> f64 {
        let lines: u64 = self.prices.iter().map(|(_, lines)| lines).sum();
        if lines == 0 {
            return 0.0;
        }
        let middle = (lines - 1) as f64 * 0.5;
        let (below, above) = (middle.floor() as u64, middle.ceil() as u64);
        let at = |rank: u64| {
            let mut seen = 0;
            for &(price, count) in &self.prices {
                seen += count;
                if rank < seen {
                    return price;
                }
            }
            0.0
        };
        quantile(&[at(below), at(above)], middle - below as f64)
    }

    /// Puts each list in its order and adds up entries that repeat, as parts of a table written
    /// by several workers may hold the same description or price twice.
    fn settle(&mut self) {
        self.descriptions.sort_by(|a, b| a.0.cmp(&b.0));
        self.descriptions.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        self.prices.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.prices.dedup_by(|later, kept| {
            let same = later.0.to_bits() == kept.0.to_bits();
            if same {
                kept.1 += later.1;
            }
            same
        });
    }
}

/// Every product of the log, sorted by code: a product's place in this list is its number in
/// the other statistics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Products {
    tallies: Vec<ProductTally>,
    numbers: FxHashMap<String, u32>,
}

impl Products {
    /// Tallies the cleaned lines.
    pub fn from_lines(lines: &[OrderLine]) -> Self {
        /// Lines per description, and per price (by its bits). Keyed by [`TextKey`]: a line's
        /// code and description are most often the very copy an earlier line holds.
        type Counted<'a> = (FxHashMap<TextKey<'a>, u64>, FxHashMap<u64, u64>);
        let mut by_id: FxHashMap<TextKey, Counted> = FxHashMap::default();
        for line in lines {
            let (descriptions, prices) = by_id.entry(TextKey(&line.item)).or_default();
            if !line.description.is_empty() {
                *descriptions.entry(TextKey(&line.description)).or_default() += 1;
            }
            *prices.entry(line.unit_price.to_bits()).or_default() += 1;
        }
        let tallies = by_id
            .into_iter()
            .map(|(TextKey(id), (descriptions, prices))| ProductTally {
                id: id.to_owned(),
                descriptions: descriptions
                    .into_iter()
                    .map(|(TextKey(text), lines)| (text.to_owned(), lines))
                    .collect(),
                prices: prices
                    .into_iter()
                    .map(|(bits, lines)| (f64::from_bits(bits), lines))
                    .collect(),
            })
            .collect();
        Self::from_tallies(tallies)
    }

    /// Products from their tallies in any order; tallies of one code are merged.
    pub fn from_tallies(mut tallies: Vec<ProductTally>) -> Self {
        tallies.sort_by(|a, b| a.id.cmp(&b.id));
        tallies.dedup_by(|later, kept| {
            let same = later.id == kept.id;
            if same {
                kept.descriptions.append(&mut later.descriptions);
                kept.prices.append(&mut later.prices);
            }
            same
        });
        tallies.iter_mut().for_each(ProductTally::settle);
        let numbers = tallies
            .iter()
            .enumerate()
            .map(|(number, tally)| (tally.id.clone(), number as u32))
            .collect();
        Self { tallies, numbers }
    }

    /// Every product's tally, by number.
    pub fn tallies(&self) -> &[ProductTally] {
        &self.tallies
    }

    /// The number of the product with code `id`.
    pub fn number(&self, id: &str) -> Option<u32> {
        self.numbers.get(id).copied()
    }

    /// Number of products.
    pub fn len(&self) -> usize {
        self.tallies.len()
    }

    /// True when the log named no product.
    pub fn is_empty(&self) -> bool {
        self.tallies.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::stats::median;

    #[test]
    fn the_median_of_counted_prices_is_the_median_of_the_lines() {
        let prices: [&[f64]; 4] = [&[2.5, 2.5, 1.0, 4.0], &[3.0], &[1.0, 2.0], &[]];
        for prices in prices {
            let mut counted: FxHashMap<u64, u64> = FxHashMap::default();
            for price in prices {
                *counted.entry(price.to_bits()).or_default() += 1;
            }
            let mut tally = ProductTally {
                id: "A".into(),
                descriptions: Vec::new(),
                prices: counted
                    .into_iter()
                    .map(|(bits, lines)| (f64::from_bits(bits), lines))
                    .collect(),
            };
            tally.settle();
            assert_eq!(tally.median_price(), median(&mut prices.to_vec()));
        }
    }

    #[test]
    fn tallies_of_one_code_from_several_parts_are_merged() {
        let part = |description: &str, lines| ProductTally {
            id: "B".into(),
            descriptions: vec![(description.into(), lines)],
            prices: vec![(1.0, lines)],
        };
        let products = Products::from_tallies(vec![part("MUG", 2), part("CUP", 1), part("MUG", 1)]);
        assert_eq!(products.len(), 1);
        assert_eq!(
            products.tallies()[0].descriptions,
            [("CUP".to_string(), 1), ("MUG".to_string(), 3)]
        );
        assert_eq!(products.tallies()[0].prices, [(1.0, 4)]);
        assert_eq!(products.number("B"), Some(0));
    }
}
