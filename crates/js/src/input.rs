//! What JavaScript passes in, as Rust types: parsed with serde so that a wrong shape is refused
//! with a message naming the field, never half-used.

use aisle_core::serve::copy::Channel;
use aisle_core::serve::rules::Rules;
use aisle_core::serve::shelf_weights::Weights;
use aisle_core::shopper::events::Event;
use serde::Deserialize;
use wasm_bindgen::{JsError, JsValue};

/// `LoadOptions`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadOptions {
    #[serde(default)]
    pub persistence: Persistence,
    pub profile_key: Option<String>,
}

/// Where the profile is kept.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Persistence {
    #[default]
    Indexeddb,
    Memory,
}

/// `TrackEvent`.
#[derive(Debug, Deserialize)]
#[serde(try_from = "TrackFields")]
pub enum TrackEvent {
    View {
        item: String,
        dwell_ms: Option<u64>,
        at: Option<f64>,
    },
    Search {
        query: String,
        at: Option<f64>,
    },
    AddToCart {
        item: String,
        quantity: Option<u32>,
        at: Option<f64>,
    },
    RemoveFromCart {
        item: String,
        at: Option<f64>,
    },
    Purchase {
        item: String,
        quantity: Option<u32>,
        price: f64,
        at: Option<f64>,
    },
    Click {
        item: String,
        placement: Placement,
        at: Option<f64>,
    },
    Dismiss {
        item: String,
        at: Option<f64>,
    },
}

/// A `TrackEvent` as JavaScript writes it: its `kind` and every field any kind takes, each kind
/// then checked for its own. serde's internally tagged enum reads the same objects, but buffers
/// each one into a generic tree first, code the JS package's download would carry for this
/// alone.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TrackFields {
    kind: TrackKind,
    item: Option<String>,
    dwell_ms: Option<u64>,
    query: Option<String>,
    quantity: Option<u32>,
    price: Option<f64>,
    placement: Option<Placement>,
    at: Option<f64>,
}

/// `TrackEvent.kind`.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum TrackKind {
    View,
    Search,
    AddToCart,
    RemoveFromCart,
    Purchase,
    Click,
    Dismiss,
}

impl TryFrom<TrackFields> for TrackEvent {
    type Error = String;

    fn try_from(fields: TrackFields) -> Result<Self, String> {
        let TrackFields {
            kind,
            item,
            dwell_ms,
            query,
            quantity,
            price,
            placement,
            at,
        } = fields;
        let (name, takes): (&str, &[&str]) = match kind {
            TrackKind::View => ("view", &["item", "dwellMs"]),
            TrackKind::Search => ("search", &["query"]),
            TrackKind::AddToCart => ("add-to-cart", &["item", "quantity"]),
            TrackKind::RemoveFromCart => ("remove-from-cart", &["item"]),
            TrackKind::Purchase => ("purchase", &["item", "quantity", "price"]),
            TrackKind::Click => ("click", &["item", "placement"]),
            TrackKind::Dismiss => ("dismiss", &["item"]),
        };
        let given = [
            ("item", item.is_some()),
            ("dwellMs", dwell_ms.is_some()),
            ("query", query.is_some()),
            ("quantity", quantity.is_some()),
            ("price", price.is_some()),
            ("placement", placement.is_some()),
        ];
        if let Some((field, _)) = given
            .iter()
            .find(|(field, given)| *given && !takes.contains(field))
        {
            return Err(format!("unknown field `{field}` for a `{name}` event"));
        }
        fn required<T>(value: Option<T>, field: &str) -> Result<T, String> {
            value.ok_or_else(|| format!("missing field `{field}`"))
        }
        Ok(match kind {
            TrackKind::View => TrackEvent::View {
                item: required(item, "item")?,
                dwell_ms,
                at,
            },
            TrackKind::Search => TrackEvent::Search {
                query: required(query, "query")?,
                at,
            },
            TrackKind::AddToCart => TrackEvent::AddToCart {
                item: required(item, "item")?,
                quantity,
                at,
            },
            TrackKind::RemoveFromCart => TrackEvent::RemoveFromCart {
                item: required(item, "item")?,
                at,
            },
            TrackKind::Purchase => TrackEvent::Purchase {
                item: required(item, "item")?,
                quantity,
                price: required(price, "price")?,
                at,
            },
            TrackKind::Click => TrackEvent::Click {
                item: required(item, "item")?,
                placement: required(placement, "placement")?,
                at,
            },
            TrackKind::Dismiss => TrackEvent::Dismiss {
                item: required(item, "item")?,
                at,
            },
        })
    }
}

impl TrackEvent {
    /// The profile events this stands for (a view with dwell time is a view and a dwell), at
    /// the given time or `now_ms`.
    pub fn into_events(self, now_ms: i64) -> Vec<Event> {
        let when = |at: Option<f64>| at.map_or(now_ms, |at| at as i64);
        match self {
            TrackEvent::View { item, dwell_ms, at } => {
                let at = when(at);
                let mut events = vec![Event::view(item.clone(), at)];
                events.extend(dwell_ms.map(|ms| Event::dwell(item, ms, at)));
                events
            }
            TrackEvent::Search { query, at } => vec![Event::search(query, when(at))],
            TrackEvent::AddToCart { item, quantity, at } => {
                vec![Event::add_to_cart(item, quantity.unwrap_or(1), when(at))]
            }
            TrackEvent::RemoveFromCart { item, at } => {
                vec![Event::remove_from_cart(item, when(at))]
            }
            TrackEvent::Purchase {
                item,
                quantity,
                price,
                at,
            } => vec![Event::purchase(
                item,
                quantity.unwrap_or(1),
                price,
                when(at),
            )],
            TrackEvent::Click {
                item,
                placement,
                at,
            } => vec![Event::click(item, placement.name(), when(at))],
            TrackEvent::Dismiss { item, at } => vec![Event::dismiss(item, when(at))],
        }
    }
}

/// `Placement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    ForYou,
    BuyAgain,
    Trending,
    Recent,
    Similar,
    BoughtTogether,
    CompleteOrder,
    CustomersLikeYou,
}

impl Placement {
    /// The placement's name as JavaScript writes it.
    pub fn name(self) -> &'static str {
        match self {
            Placement::ForYou => "for-you",
            Placement::BuyAgain => "buy-again",
            Placement::Trending => "trending",
            Placement::Recent => "recent",
            Placement::Similar => "similar",
            Placement::BoughtTogether => "bought-together",
            Placement::CompleteOrder => "complete-order",
            Placement::CustomersLikeYou => "customers-like-you",
        }
    }
}

/// `RecommendOptions`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecommendOptions {
    pub placement: Placement,
    pub k: Option<usize>,
    pub item: Option<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub unavailable: Vec<String>,
    #[serde(default)]
    pub filters: Filters,
    #[serde(default)]
    pub diversity: f32,
    #[serde(default)]
    pub weights: Option<WeightOverrides>,
}

/// `RecommendOptions.weights`: the placement's own weights, with these changed.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WeightOverrides {
    pub co_purchase: Option<f32>,
    pub content: Option<f32>,
    pub search: Option<f32>,
    pub trending: Option<f32>,
    pub popularity: Option<f32>,
    pub dismiss: Option<f32>,
}

impl WeightOverrides {
    /// `base` with every weight given here replaced.
    pub fn over(&self, base: Weights) -> Weights {
        Weights {
            co_purchase: self.co_purchase.unwrap_or(base.co_purchase),
            content: self.content.unwrap_or(base.content),
            search: self.search.unwrap_or(base.search),
            trending: self.trending.unwrap_or(base.trending),
            popularity: self.popularity.unwrap_or(base.popularity),
            dismiss: self.dismiss.unwrap_or(base.dismiss),
        }
    }
}

impl RecommendOptions {
    /// The shelf's rules, as aisle-core applies them.
    pub fn rules(&self) -> Rules {
        Rules {
            min_price: self.filters.min_price,
            max_price: self.filters.max_price,
            exclude: self.exclude.clone(),
            unavailable: self.unavailable.clone(),
            categories: self.filters.categories.clone(),
            diversity: self.diversity,
        }
    }
}

/// `RecommendOptions.filters`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Filters {
    pub min_price: Option<f64>,
    pub max_price: Option<f64>,
    #[serde(default)]
    pub categories: Vec<String>,
}

/// `CopyOptions`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CopyOptions {
    pub channel: Channel,
    #[serde(default)]
    pub variant: usize,
}

/// Reads `value` as `T`; the error starts with `what` (the method) and names the field.
///
/// Through JSON rather than serde-wasm-bindgen: that reads only the fields a struct names, so a
/// misspelt option (`wieghts`) would pass unnoticed, where serde_json refuses it.
pub fn parse<T: for<'de> Deserialize<'de>>(value: JsValue, what: &str) -> Result<T, JsError> {
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| JsError::new(&format!("{what}: expected an object")))?;
    serde_json::from_str(&text).map_err(|error| JsError::new(&format!("{what}: {error}")))
}
