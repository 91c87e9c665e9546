//! The blend's settings: every number that decides how "For you" ranks, learned per shop by
//! [`crate::models::blend::tune`] and shipped in the bundle, so the store ranks exactly as `aisle
//! evaluate` measured.
//!
//! Two kinds live here. **Scoring** settings are read in the browser on every ranking: each
//! signal's weight (0 switches it off) and the time constants that fade the shopper's history.
//! **Training** settings shape the model parts the bundle carries (EASE's λ and how many weights
//! per product it ships, the next-purchase model summed into them, the trending time constant); the browser never reads them, but they
//! travel with the rest so `aisle inspect` shows what the bundle was built with.
//!
//! [`BlendSettings::DEFAULT`] is what a shop gets when its history is too short to hold out a
//! validation window. Those values are priors, not fitted to any data set: a week for what is
//! trending, half a year for tastes, a year for re-orders and for co-purchases, each signal
//! present with a moderate weight, except the next-purchase model, which only a search that
//! finds it helps switches on. EASE ships 50 weights per product: every weight is bytes a
//! shopper fetches for each product viewed, and with these settings 100 ranked no better on the
//! synthetic logs of docs/scale.md. A catalog of more than 10,000 products, where EASE is solved
//! over each product's strongest partners, starts from 25 (`BlendSettings::defaults_for`), the
//! fewest of the search's grid: on the 20,000-product synthetic log 25 ranked as 50 at the
//! development cut-off, for fewer bytes a view fetches (docs/scale.md), while on the demo log 50
//! ranked better on `new`.
//!
//! ```
//! use aisle_core::models::blend::BlendSettings;
//! let settings = BlendSettings { content: 0.0, ..BlendSettings::DEFAULT };
//! assert!(settings.check().is_ok());
//! let json = serde_json::to_string(&settings).unwrap();
//! assert_eq!(serde_json::from_str::<BlendSettings>(&json).unwrap(), settings);
//! assert!(BlendSettings { history_days: 0.0, ..settings }.check().is_err());
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
#[cfg(feature = "train-dense")]
use crate::models::ease::DENSE_LIMIT;

/// How the blend ranks, and how its parts were trained. See the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BlendSettings {
    /// Weight of the co-purchase (EASE) pull of the shopper's history.
    pub co_purchase: f32,
    /// Weight of the title similarity (TF-IDF cosine) pull of the shopper's history.
    pub content: f32,
    /// Weight of the trending score (1 for the top product of the week).
    pub trending: f32,
    /// Weight of all-time popularity (1 for the product with most buyers).
    pub popularity: f32,
    /// Days over which a history product's pull falls to 1/e.
    pub history_days: f32,
    /// A bought product pulls `orders ^ history_frequency` times as much as one bought once.
    pub history_frequency: f32,
    /// Weight of buying again: a product bought once, just now, out of season.
    pub repeat: f32,
    /// Days over which an order's wish to buy again falls to 1/e.
    pub repeat_days: f32,
    /// The faded orders of a product are raised to this power: 1 counts each order in full,
    /// 0 makes one order as good as many.
    pub repeat_frequency: f32,
    /// Exponent on the share of the product's buyers who bought it again (0 ignores it).
    pub repeat_item_rate: f32,
    /// Exponent on the share of the shopper's own orders that were re-orders (0 ignores it).
    pub repeat_user_rate: f32,
    /// A re-order in season (trending 1) counts `1 + season` times as much as out of season.
    pub season: f32,
    /// Training: the trending time constant, in days.
    pub trending_days: f32,
    /// Training: EASE's L2 regularisation λ.
    pub ease_lambda: f32,
    /// Training: days over which a customer's purchase fades in EASE's co-purchase counts.
    pub ease_days: f32,
    /// Training: EASE weights shipped per product.
    pub ease_weights: u32,
    /// Training: weight of what customers went on to buy new to them
    /// ([`crate::models::next_purchase`]), summed into EASE's weights; 1 makes it as large as
    /// EASE, 0 leaves it out. Absent from bundles that predate it: 0.
    #[serde(default)]
    pub next_purchase: f32,
    /// Training: the next-purchase model's L2 regularisation λ.
    #[serde(default = "default_next_purchase_lambda")]
    pub next_purchase_lambda: f32,
}

fn default_next_purchase_lambda() -> f32 {
    BlendSettings::DEFAULT.next_purchase_lambda
}

impl BlendSettings {
    /// Priors for a shop whose history cannot be validated on (see the module docs).
    pub const DEFAULT: Self = Self {
        co_purchase: 1.0,
        content: 0.1,
        trending: 0.1,
        popularity: 0.05,
        history_days: 180.0,
        history_frequency: 0.0,
        repeat: 0.4,
        repeat_days: 365.0,
        repeat_frequency: 1.0,
        repeat_item_rate: 0.0,
        repeat_user_rate: 0.0,
        season: 1.0,
        trending_days: 7.0,
        ease_lambda: 300.0,
        ease_days: 365.0,
        ease_weights: 50,
        next_purchase: 0.0,
        next_purchase_lambda: 1_600.0,
    };

    /// EASE weights per product the priors ship for a catalog past [`DENSE_LIMIT`] products.
    #[cfg(feature = "train-dense")]
    pub const LARGE_CATALOG_EASE_WEIGHTS: u32 = 25;

    /// The priors for a catalog of `products` (see the module docs): [`BlendSettings::DEFAULT`],
    /// with [`BlendSettings::LARGE_CATALOG_EASE_WEIGHTS`] past [`DENSE_LIMIT`] products.
    ///
    /// ```
    /// use aisle_core::models::blend::BlendSettings;
    /// assert_eq!(BlendSettings::defaults_for(3_659), BlendSettings::DEFAULT);
    /// assert_eq!(BlendSettings::defaults_for(100_000).ease_weights, 25);
    /// ```
    #[cfg(feature = "train-dense")]
    pub fn defaults_for(products: usize) -> Self {
        if products > DENSE_LIMIT {
            Self {
                ease_weights: Self::LARGE_CATALOG_EASE_WEIGHTS,
                ..Self::DEFAULT
            }
        } else {
            Self::DEFAULT
        }
    }

    /// Refuses a weight below 0, a time constant or λ of 0 or less, no shipped weights, or
    /// anything not finite, naming the setting.
    pub fn check(&self) -> Result<()> {
        let weights = [
            ("coPurchase", self.co_purchase),
            ("content", self.content),
            ("trending", self.trending),
            ("popularity", self.popularity),
            ("historyFrequency", self.history_frequency),
            ("repeat", self.repeat),
            ("repeatFrequency", self.repeat_frequency),
            ("repeatItemRate", self.repeat_item_rate),
            ("repeatUserRate", self.repeat_user_rate),
            ("season", self.season),
            ("nextPurchase", self.next_purchase),
        ];
        let positive = [
            ("historyDays", self.history_days),
            ("repeatDays", self.repeat_days),
            ("trendingDays", self.trending_days),
            ("easeLambda", self.ease_lambda),
            ("easeDays", self.ease_days),
            ("nextPurchaseLambda", self.next_purchase_lambda),
        ];
        let bad = |name: &'static str, reason: String| Error::InvalidParameter { name, reason };
        if let Some((name, value)) = weights
            .into_iter()
            .find(|(_, value)| !(value.is_finite() && *value >= 0.0))
        {
            return Err(bad(
                name,
                format!("{value} is not a finite number, 0 or more"),
            ));
        }
        if let Some((name, value)) = positive
            .into_iter()
            .find(|(_, value)| !(value.is_finite() && *value > 0.0))
        {
            return Err(bad(name, format!("{value} is not a finite number above 0")));
        }
        if self.ease_weights == 0 {
            return Err(bad("easeWeights", "at least one weight per product".into()));
        }
        Ok(())
    }
}

impl Default for BlendSettings {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The settings a bundle ranks with, and how they were chosen: what the manifest carries and
/// `aisle inspect` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tuning {
    /// The settings.
    pub settings: BlendSettings,
    /// Their scores on the validation split they were chosen on, when they were searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<ValidationReport>,
    /// Why the defaults are used, when they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults_because: Option<String>,
}

impl Tuning {
    /// Priors (`settings`, [`BlendSettings::DEFAULT`] or those for the catalog's size), for the
    /// reason given.
    pub fn defaults(settings: BlendSettings, because: String) -> Self {
        Self {
            settings,
            validation: None,
            defaults_because: Some(because),
        }
    }
}

/// How the learned settings did on the validation split, beside the defaults on the same split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidationReport {
    /// Which lines validated, in words.
    pub split: String,
    /// Validation customers of task `all`.
    pub users_all: usize,
    /// Validation customers of task `new`.
    pub users_new: usize,
    /// Recall of the learned settings on task `all`.
    pub recall_all: f64,
    /// Recall of the learned settings on task `new`.
    pub recall_new: f64,
    /// Recall of the priors the search starts from (`BlendSettings::defaults_for`) on task `all`.
    pub default_recall_all: f64,
    /// The same on task `new`.
    pub default_recall_new: f64,
    /// Settings scored by the search.
    pub evaluations: usize,
}
