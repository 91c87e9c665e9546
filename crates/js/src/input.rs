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
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum TrackEvent {
    #[serde(rename_all = "camelCase")]
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
