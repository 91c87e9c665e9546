//! What a shopper does, one event at a time, as the storefront and the JS package report it.
//!
//! Events never leave the browser. They are folded into a [`Profile`](crate::shopper::profile::Profile)
//! as they happen; only the most recent ones are kept verbatim (for the privacy center's export),
//! the rest live on as decayed interest.
//!
//! Dwell is its own event, sent when the shopper leaves a product page, so that the view itself
//! counts the moment it happens even if the tab is then closed.
//!
//! ```
//! use aisle_core::shopper::events::{Event, EventKind};
//! let event = Event::add_to_cart("85123A", 2, 1_700_000_000_000);
//! assert_eq!(event.kind.name(), "add_to_cart");
//! assert_eq!(event.item(), Some("85123A"));
//! assert!(Event::search("   ", 0).check().is_err());
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Longest product id accepted, in bytes; real codes are a few characters.
pub const MAX_ITEM_ID_BYTES: usize = 64;
/// Longest search query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 200;
/// Longest placement name accepted, in bytes.
pub const MAX_PLACEMENT_BYTES: usize = 40;

/// What the shopper did.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// Opened a product's page.
    View {
        /// The product id.
        item: String,
    },
    /// Left a product's page after looking at it this long.
    Dwell {
        /// The product id.
        item: String,
        /// Time on the page in milliseconds.
        ms: u64,
    },
    /// Searched the catalog.
    Search {
        /// The query as typed.
        query: String,
    },
    /// Put a product in the cart.
    AddToCart {
        /// The product id.
        item: String,
        /// How many.
        quantity: u32,
    },
    /// Took a product out of the cart.
    RemoveFromCart {
        /// The product id.
        item: String,
    },
    /// Bought a product.
    Purchase {
        /// The product id.
        item: String,
        /// How many.
        quantity: u32,
        /// Unit price paid.
        price: f64,
    },
    /// Opened a recommended product.
    Click {
        /// The product id.
        item: String,
        /// The list it was recommended in (`for-you`).
        placement: String,
    },
    /// Said "not interested" to a recommended product.
    Dismiss {
        /// The product id.
        item: String,
    },
}

impl EventKind {
    /// Every kind's name, in the order the privacy center lists them.
    pub const NAMES: [&'static str; 8] = [
        "view",
        "dwell",
        "search",
        "add_to_cart",
        "remove_from_cart",
        "purchase",
        "click",
        "dismiss",
    ];

    /// The kind's name as stored (`add_to_cart`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::View { .. } => "view",
            Self::Dwell { .. } => "dwell",
            Self::Search { .. } => "search",
            Self::AddToCart { .. } => "add_to_cart",
            Self::RemoveFromCart { .. } => "remove_from_cart",
            Self::Purchase { .. } => "purchase",
            Self::Click { .. } => "click",
            Self::Dismiss { .. } => "dismiss",
        }
    }
}

/// One thing the shopper did, and when. Stored flat, its kind a field beside the others
/// (`{"at_ms":5,"kind":"purchase","item":"22633","quantity":2,"price":1.85}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FlatEvent", into = "FlatEvent")]
pub struct Event {
    /// Milliseconds since the Unix epoch (JavaScript's `Date.now()`).
    pub at_ms: i64,
    /// What happened.
    pub kind: EventKind,
}

/// The stored form of an [`Event`]: every field any kind has, each kind taking its own. serde's
/// tagged, flattened enum would read the same JSON, but its generated code was the largest
/// single function of the storefront's wasm (30 KB before wasm-opt); this one is a plain struct
/// and a `match`.
#[derive(Serialize, Deserialize)]
struct FlatEvent {
    at_ms: i64,
    kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quantity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    price: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    placement: Option<String>,
}

/// The `kind` of a stored event.
#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    View,
    Dwell,
    Search,
    AddToCart,
    RemoveFromCart,
    Purchase,
    Click,
    Dismiss,
}

impl TryFrom<FlatEvent> for Event {
    type Error = String;

    fn try_from(flat: FlatEvent) -> std::result::Result<Self, String> {
        let missing = |field: &str| format!("missing field `{field}`");
        let item = || flat.item.clone().ok_or_else(|| missing("item"));
        let quantity = || flat.quantity.ok_or_else(|| missing("quantity"));
        let kind = match flat.kind {
            Kind::View => EventKind::View { item: item()? },
            Kind::Dwell => EventKind::Dwell {
                item: item()?,
                ms: flat.ms.ok_or_else(|| missing("ms"))?,
            },
            Kind::Search => EventKind::Search {
                query: flat.query.clone().ok_or_else(|| missing("query"))?,
            },
            Kind::AddToCart => EventKind::AddToCart {
                item: item()?,
                quantity: quantity()?,
            },
            Kind::RemoveFromCart => EventKind::RemoveFromCart { item: item()? },
            Kind::Purchase => EventKind::Purchase {
                item: item()?,
                quantity: quantity()?,
                price: flat.price.ok_or_else(|| missing("price"))?,
            },
            Kind::Click => EventKind::Click {
                item: item()?,
                placement: flat.placement.clone().ok_or_else(|| missing("placement"))?,
            },
            Kind::Dismiss => EventKind::Dismiss { item: item()? },
        };
        Ok(Event {
            at_ms: flat.at_ms,
            kind,
        })
    }
}

impl From<Event> for FlatEvent {
    fn from(event: Event) -> Self {
        let mut flat = FlatEvent {
            at_ms: event.at_ms,
            kind: Kind::View,
            item: None,
            ms: None,
            query: None,
            quantity: None,
            price: None,
            placement: None,
        };
        match event.kind {
            EventKind::View { item } => flat.item = Some(item),
            EventKind::Dwell { item, ms } => {
                (flat.kind, flat.item, flat.ms) = (Kind::Dwell, Some(item), Some(ms));
            }
            EventKind::Search { query } => (flat.kind, flat.query) = (Kind::Search, Some(query)),
            EventKind::AddToCart { item, quantity } => {
                (flat.kind, flat.item, flat.quantity) =
                    (Kind::AddToCart, Some(item), Some(quantity));
            }
            EventKind::RemoveFromCart { item } => {
                (flat.kind, flat.item) = (Kind::RemoveFromCart, Some(item));
            }
            EventKind::Purchase {
                item,
                quantity,
                price,
            } => {
                (flat.kind, flat.item, flat.quantity, flat.price) =
                    (Kind::Purchase, Some(item), Some(quantity), Some(price));
            }
            EventKind::Click { item, placement } => {
                (flat.kind, flat.item, flat.placement) = (Kind::Click, Some(item), Some(placement));
            }
            EventKind::Dismiss { item } => (flat.kind, flat.item) = (Kind::Dismiss, Some(item)),
        }
        flat
    }
}

impl Event {
    fn new(kind: EventKind, at_ms: i64) -> Self {
        Self { at_ms, kind }
    }

    /// A product view.
    pub fn view(item: impl Into<String>, at_ms: i64) -> Self {
        Self::new(EventKind::View { item: item.into() }, at_ms)
    }

    /// Time spent on a product page, reported when the shopper leaves it.
    pub fn dwell(item: impl Into<String>, ms: u64, at_ms: i64) -> Self {
        Self::new(
            EventKind::Dwell {
                item: item.into(),
                ms,
            },
            at_ms,
        )
    }

    /// A catalog search.
    pub fn search(query: impl Into<String>, at_ms: i64) -> Self {
        Self::new(
            EventKind::Search {
                query: query.into(),
            },
            at_ms,
        )
    }

    /// Products put in the cart.
    pub fn add_to_cart(item: impl Into<String>, quantity: u32, at_ms: i64) -> Self {
        Self::new(
            EventKind::AddToCart {
                item: item.into(),
                quantity,
            },
            at_ms,
        )
    }

    /// A product taken out of the cart.
    pub fn remove_from_cart(item: impl Into<String>, at_ms: i64) -> Self {
        Self::new(EventKind::RemoveFromCart { item: item.into() }, at_ms)
    }

    /// A purchase of `quantity` at `price` each.
    pub fn purchase(item: impl Into<String>, quantity: u32, price: f64, at_ms: i64) -> Self {
        Self::new(
            EventKind::Purchase {
                item: item.into(),
                quantity,
                price,
            },
            at_ms,
        )
    }

    /// A recommended product opened from `placement`.
    pub fn click(item: impl Into<String>, placement: impl Into<String>, at_ms: i64) -> Self {
        Self::new(
            EventKind::Click {
                item: item.into(),
                placement: placement.into(),
            },
            at_ms,
        )
    }

    /// "Not interested" in a product.
    pub fn dismiss(item: impl Into<String>, at_ms: i64) -> Self {
        Self::new(EventKind::Dismiss { item: item.into() }, at_ms)
    }

    /// The product the event is about, if any (a search is about none).
    pub fn item(&self) -> Option<&str> {
        match &self.kind {
            EventKind::View { item }
            | EventKind::Dwell { item, .. }
            | EventKind::AddToCart { item, .. }
            | EventKind::RemoveFromCart { item }
            | EventKind::Purchase { item, .. }
            | EventKind::Click { item, .. }
            | EventKind::Dismiss { item } => Some(item),
            EventKind::Search { .. } => None,
        }
    }

    /// Checks the event can be recorded: ids and queries present and of sane length, quantities
    /// positive, prices finite and not negative. The error names the event kind and field.
    pub fn check(&self) -> Result<()> {
        let kind = self.kind.name();
        let invalid = |field: &str, reason: String| Error::InvalidEvent {
            kind,
            field: field.to_owned(),
            reason,
        };
        let bounded = |field: &str, text: &str, max: usize| {
            if text.trim().is_empty() {
                Err(invalid(field, "is empty".into()))
            } else if text.len() > max {
                Err(invalid(
                    field,
                    format!("is {} bytes, longer than {max}", text.len()),
                ))
            } else {
                Ok(())
            }
        };
        if let Some(item) = self.item() {
            bounded("item", item, MAX_ITEM_ID_BYTES)?;
        }
        match &self.kind {
            EventKind::Search { query } => bounded("query", query, MAX_QUERY_BYTES),
            EventKind::Click { placement, .. } => {
                bounded("placement", placement, MAX_PLACEMENT_BYTES)
            }
            EventKind::AddToCart { quantity: 0, .. } | EventKind::Purchase { quantity: 0, .. } => {
                Err(invalid("quantity", "must be at least 1".into()))
            }
            EventKind::Purchase { price, .. } if !price.is_finite() || *price < 0.0 => {
                Err(invalid(
                    "price",
                    format!("must be a finite amount >= 0, got {price}"),
                ))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialise_flat_with_their_kind() {
        let json = serde_json::to_string(&Event::purchase("22633", 2, 1.85, 5)).unwrap();
        assert_eq!(
            json,
            r#"{"at_ms":5,"kind":"purchase","item":"22633","quantity":2,"price":1.85}"#
        );
        let back: Event = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Event::purchase("22633", 2, 1.85, 5));
    }

    #[test]
    fn names_cover_every_kind() {
        let all = [
            Event::view("A", 0),
            Event::dwell("A", 1, 0),
            Event::search("q", 0),
            Event::add_to_cart("A", 1, 0),
            Event::remove_from_cart("A", 0),
            Event::purchase("A", 1, 1.0, 0),
            Event::click("A", "for-you", 0),
            Event::dismiss("A", 0),
        ];
        let names: Vec<&str> = all.iter().map(|event| event.kind.name()).collect();
        assert_eq!(names, EventKind::NAMES);
        for event in &all {
            let json = serde_json::to_value(event).unwrap();
            assert_eq!(json["kind"], event.kind.name());
            assert!(event.check().is_ok(), "{event:?}");
        }
    }

    #[test]
    fn bad_events_are_refused_naming_the_field() {
        let cases = [
            (Event::view("", 0), "view event: item is empty"),
            (Event::search(" ", 0), "search event: query is empty"),
            (
                Event::add_to_cart("A", 0, 0),
                "add_to_cart event: quantity must be at least 1",
            ),
            (
                Event::purchase("A", 1, f64::NAN, 0),
                "purchase event: price must be a finite amount >= 0, got NaN",
            ),
            (
                Event::view("x".repeat(65), 0),
                "view event: item is 65 bytes, longer than 64",
            ),
        ];
        for (event, message) in cases {
            assert_eq!(event.check().unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn unknown_kinds_and_missing_fields_do_not_parse() {
        let error = |json: &str| serde_json::from_str::<Event>(json).unwrap_err().to_string();
        assert!(error(r#"{"at_ms":1,"kind":"teleport"}"#).contains("unknown variant `teleport`"));
        assert!(error(r#"{"at_ms":1,"kind":"view"}"#).contains("missing field `item`"));
        assert!(
            error(r#"{"at_ms":1,"kind":"purchase","item":"A","quantity":1}"#)
                .contains("missing field `price`")
        );
    }

    #[test]
    fn every_kind_reads_back_as_written() {
        let all = [
            Event::view("A", 1),
            Event::dwell("A", 1_500, 2),
            Event::search("red lanterns", 3),
            Event::add_to_cart("A", 2, 4),
            Event::remove_from_cart("A", 5),
            Event::purchase("A", 1, 2.5, 6),
            Event::click("A", "for-you", 7),
            Event::dismiss("A", 8),
        ];
        for event in all {
            let json = serde_json::to_string(&event).unwrap();
            assert_eq!(
                serde_json::from_str::<Event>(&json).unwrap(),
                event,
                "{json}"
            );
        }
    }
}
