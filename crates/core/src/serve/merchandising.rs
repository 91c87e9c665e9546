//! The shop's own merchandising rules, declared in a file given to `aisle build`, carried in the
//! bundle's manifest and applied to every shelf after ranking, in the store and the JS package
//! alike: hide a product from every shelf, pin a product to a position of a shelf, boost or bury
//! a product or a category.
//!
//! Boosting and burying work on positions rather than scores, because scores are comparable
//! within one list only: a product boosted `by` 2 competes from half its ranked position (10th
//! as 5th), one buried `by` 2 from twice it. A pin places the product at its position whatever
//! the ranking, unless the shop hides it or the shopper dismissed it: the shopper's "Not
//! interested" outranks the shop's wish.
//!
//! ```
//! use aisle_core::serve::merchandising::Merchandising;
//! let rules = Merchandising::from_json(br#"{
//!     "hide": ["22633"],
//!     "pin": [{ "product": "85123A", "shelf": "for-you", "position": 1 }],
//!     "boost": [{ "category": "Candles & lighting", "by": 2 }],
//!     "bury": [{ "product": "POST", "by": 4 }]
//! }"#, "rules.json").unwrap();
//! assert_eq!(rules.hide, ["22633"]);
//! let error = Merchandising::from_json(br#"{ "pin": [{ "product": "1", "shelf": "for-you", "position": 0 }] }"#, "rules.json").unwrap_err();
//! assert_eq!(error.to_string(), "invalid data: rules.json: pin[0].position: 0 is not a position (the first is 1)");
//! ```

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::serve::reason::Reason;
use crate::serve::recommend::Recommendation;

/// The shelves (placements) a pin may name.
pub const SHELVES: [&str; 8] = [
    "for-you",
    "buy-again",
    "customers-like-you",
    "trending",
    "recent",
    "similar",
    "bought-together",
    "complete-order",
];

/// The shop's rules. The default changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merchandising {
    /// Products never recommended, on any shelf (still in the catalog and search).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hide: Vec<String>,
    /// Products placed at a position of a shelf.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pin: Vec<Pin>,
    /// Products or categories moved up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boost: Vec<Shift>,
    /// Products or categories moved down.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bury: Vec<Shift>,
}

/// A product at a position of a shelf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The product's id.
    pub product: String,
    /// The shelf, one of [`SHELVES`].
    pub shelf: String,
    /// 1 for the first place.
    pub position: usize,
}

/// A product or a category (exactly one of them) and how far it moves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    /// A product's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// A category's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The factor its ranked position is divided (boost) or multiplied (bury) by; above 1.
    pub by: f64,
}

impl Merchandising {
    /// Reads and checks rules from JSON; an error names `source_name` and the field at fault.
    pub fn from_json(bytes: &[u8], source_name: &str) -> Result<Self> {
        let rules: Self = serde_json::from_slice(bytes).map_err(|error| Error::InvalidData {
            reason: format!("{source_name}: {error}"),
        })?;
        rules.check().map_err(|reason| Error::InvalidData {
            reason: format!("{source_name}: {reason}"),
        })?;
        Ok(rules)
    }

    /// Whether the rules change nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Checks what JSON cannot: known shelves, positions from 1, factors above 1, one target
    /// per shift. The message names the field.
    pub fn check(&self) -> std::result::Result<(), String> {
        for (index, pin) in self.pin.iter().enumerate() {
            if !SHELVES.contains(&pin.shelf.as_str()) {
                return Err(format!(
                    "pin[{index}].shelf: `{}` is not a shelf (the shelves are {})",
                    pin.shelf,
                    SHELVES.join(", ")
                ));
            }
            if pin.position == 0 {
                return Err(format!(
                    "pin[{index}].position: 0 is not a position (the first is 1)"
                ));
            }
        }
        for (kind, shifts) in [("boost", &self.boost), ("bury", &self.bury)] {
            for (index, shift) in shifts.iter().enumerate() {
                if shift.product.is_some() == shift.category.is_some() {
                    return Err(format!(
                        "{kind}[{index}]: names a product or a category, one of the two"
                    ));
                }
                if !(shift.by.is_finite() && shift.by > 1.0) {
                    return Err(format!(
                        "{kind}[{index}].by: {} is not a factor above 1",
                        shift.by
                    ));
                }
            }
        }
        Ok(())
    }

    /// The ids the rules name that `catalog` lacks, for the build to warn about (a rule may
    /// name a product the shop will add later).
    pub fn unknown_products<'a>(&'a self, catalog: &Catalog) -> Vec<&'a str> {
        let named = self
            .hide
            .iter()
            .chain(self.pin.iter().map(|pin| &pin.product));
        let shifted = self.boost.iter().chain(&self.bury);
        named
            .chain(shifted.filter_map(|shift| shift.product.as_ref()))
            .map(String::as_str)
            .filter(|id| catalog.position(id).is_none())
            .collect()
    }

    /// `ranked` (best first, deeper than `k` so that what is hidden leaves room) for `shelf`,
    /// with the rules applied, cut to `k`: hidden products out, boosted and buried ones moved,
    /// pinned ones placed. `dismissed` are the shopper's "Not interested" products, which a pin
    /// does not bring back.
    pub fn apply(
        &self,
        shelf: &str,
        ranked: Vec<Recommendation>,
        catalog: &Catalog,
        dismissed: &[&str],
        k: usize,
    ) -> Vec<Recommendation> {
        if self.is_empty() {
            return ranked.into_iter().take(k).collect();
        }
        let id = |item: usize| {
            catalog
                .product(item)
                .map_or("", |product| product.id.as_str())
        };
        let factor = |item: usize| {
            let Some(product) = catalog.product(item) else {
                return 1.0;
            };
            let matches = |shift: &&Shift| {
                shift.product.as_deref() == Some(product.id.as_str())
                    || shift.category.as_deref() == Some(product.category.as_str())
            };
            let boost: f64 = self
                .boost
                .iter()
                .filter(matches)
                .map(|shift| shift.by)
                .product();
            let bury: f64 = self
                .bury
                .iter()
                .filter(matches)
                .map(|shift| shift.by)
                .product();
            bury / boost
        };
        let pins: Vec<&Pin> = self
            .pin
            .iter()
            .filter(|pin| pin.shelf == shelf)
            .filter(|pin| {
                !self.hide.contains(&pin.product) && !dismissed.contains(&pin.product.as_str())
            })
            .collect();
        let mut moved: Vec<(f64, usize, Recommendation)> = ranked
            .into_iter()
            .filter(|recommendation| {
                let id = id(recommendation.item);
                !self.hide.iter().any(|hidden| hidden == id)
                    && !pins.iter().any(|pin| pin.product == id)
            })
            .enumerate()
            .map(|(rank, recommendation)| {
                (
                    (rank + 1) as f64 * factor(recommendation.item),
                    rank,
                    recommendation,
                )
            })
            .collect();
        // Ties keep the ranked order; an unstable sort by (position, rank) is one already in
        // the store's code, where a stable sort would add its own.
        moved.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut shelf_items: Vec<Recommendation> = moved
            .into_iter()
            .map(|(_, _, recommendation)| recommendation)
            .collect();
        let mut pins = pins;
        pins.sort_by_key(|pin| pin.position);
        for pin in pins {
            let Some(item) = catalog.position(&pin.product) else {
                continue;
            };
            let at = pin.position.saturating_sub(1).min(shelf_items.len());
            shelf_items.insert(
                at,
                Recommendation {
                    item,
                    score: f32::INFINITY,
                    reason: Reason::PickedByTheShop,
                },
            );
        }
        shelf_items.truncate(k);
        shelf_items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Product;

    fn catalog() -> Catalog {
        let product = |id: &str, title: &str| Product {
            category: if title.contains("Lantern") {
                "Lights"
            } else {
                "Kitchen"
            }
            .into(),
            ..Product::new(id, title, 1.0)
        };
        Catalog::new(vec![
            product("A", "Tea Cup"),
            product("B", "White Lantern"),
            product("C", "Red Lantern"),
            product("D", "Tea Towel"),
            product("E", "Milk Jug"),
        ])
    }

    fn ranked(items: &[usize]) -> Vec<Recommendation> {
        items
            .iter()
            .map(|&item| Recommendation {
                item,
                score: 1.0,
                reason: Reason::Trending,
            })
            .collect()
    }

    fn ids(catalog: &Catalog, list: &[Recommendation]) -> Vec<String> {
        list.iter()
            .map(|r| catalog.product(r.item).unwrap().id.clone())
            .collect()
    }

    #[test]
    fn hide_pin_boost_and_bury_after_ranking() {
        let catalog = catalog();
        let rules = |json: &str| Merchandising::from_json(json.as_bytes(), "rules.json").unwrap();
        let order = ranked(&[0, 1, 2, 3, 4]);
        let apply = |rules: &Merchandising, shelf: &str, dismissed: &[&str]| {
            ids(
                &catalog,
                &rules.apply(shelf, order.clone(), &catalog, dismissed, 4),
            )
        };
        assert_eq!(
            apply(&Merchandising::default(), "for-you", &[]),
            ["A", "B", "C", "D"]
        );
        // Hidden: gone, and the next one fills the shelf.
        assert_eq!(
            apply(&rules(r#"{"hide":["B"]}"#), "trending", &[]),
            ["A", "C", "D", "E"]
        );
        // Pinned on its shelf only; taken from where it was ranked.
        let pin = rules(r#"{"pin":[{"product":"E","shelf":"for-you","position":2}]}"#);
        assert_eq!(apply(&pin, "for-you", &[]), ["A", "E", "B", "C"]);
        assert_eq!(apply(&pin, "trending", &[]), ["A", "B", "C", "D"]);
        let pinned = pin.apply("for-you", order.clone(), &catalog, &[], 4);
        assert_eq!(pinned[1].reason, Reason::PickedByTheShop);
        // The shopper's "Not interested" outranks the pin; so does the shop's own hiding.
        assert_eq!(apply(&pin, "for-you", &["E"]), ["A", "B", "C", "D"]);
        // Boosted by 2, the lanterns compete from half their rank: B 2nd -> 1, C 3rd -> 1.5.
        let boost = rules(r#"{"boost":[{"category":"Lights","by":2}]}"#);
        assert_eq!(apply(&boost, "for-you", &[]), ["A", "B", "C", "D"]);
        let boost = rules(r#"{"boost":[{"category":"Lights","by":3}]}"#);
        // By 3: B from 2/3, C from 1 (level with A, which keeps its place), then A.
        assert_eq!(apply(&boost, "for-you", &[]), ["B", "A", "C", "D"]);
        let bury = rules(r#"{"bury":[{"product":"A","by":10}]}"#);
        assert_eq!(apply(&bury, "for-you", &[]), ["B", "C", "D", "E"]);
    }

    #[test]
    fn bad_rules_are_named_by_field() {
        let error = |json: &str| {
            Merchandising::from_json(json.as_bytes(), "rules.json")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error(r#"{"pin":[{"product":"A","shelf":"front","position":1}]}"#),
            "invalid data: rules.json: pin[0].shelf: `front` is not a shelf (the shelves are \
             for-you, buy-again, customers-like-you, trending, recent, similar, bought-together, \
             complete-order)"
        );
        assert_eq!(
            error(r#"{"boost":[{"product":"A","category":"Lights","by":2}]}"#),
            "invalid data: rules.json: boost[0]: names a product or a category, one of the two"
        );
        assert_eq!(
            error(r#"{"bury":[{"category":"Lights","by":0.5}]}"#),
            "invalid data: rules.json: bury[0].by: 0.5 is not a factor above 1"
        );
        assert!(error(r#"{"hidden":["A"]}"#).contains("unknown field `hidden`"));
        let rules = Merchandising::from_json(br#"{"hide":["A","Z"]}"#, "r").unwrap();
        assert_eq!(rules.unknown_products(&catalog()), ["Z"]);
    }
}
