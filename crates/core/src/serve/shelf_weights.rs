//! Per-placement weights: how much each signal counts on a shelf.
//!
//! The blended shelves ([`crate::serve::recommend::Model::for_you_with`] and
//! [`crate::serve::recommend::Model::similar_with`]) add up the same signals, each scaled by its weight
//! here. "For you" takes the weights the shop's bundle learned ([`Weights::for_you`]) plus the
//! two signals only a live shopper has (searches and "Not interested"), whose weights cannot be
//! learned from order history and are fixed here. A page with a shelf of its own passes other
//! weights (the JS package's `weights` option), for instance a "More from this range" shelf
//! that leans on title similarity.
//!
//! ```
//! use aisle_core::models::blend::BlendSettings;
//! use aisle_core::serve::shelf_weights::Weights;
//! let learned = Weights::for_you(&BlendSettings::DEFAULT);
//! assert_eq!(learned.trending, BlendSettings::DEFAULT.trending);
//! let no_trending = Weights { trending: 0.0, ..learned };
//! assert!(no_trending.check().is_ok());
//! assert!(Weights { content: -1.0, ..Weights::SIMILAR }.check().is_err());
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::models::blend::BlendSettings;

/// A search's best match on "For you" gets this, about a strong co-purchase link: a search
/// says what the shopper wants now.
const SEARCH: f32 = 0.5;

/// A dismissed product's look-alikes lose this per unit of title cosine.
const DISMISS: f32 = 0.3;

/// The weight of each signal on one shelf. All are zero or more.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Weights {
    /// Co-purchase (EASE) pull of the products the shelf starts from.
    pub co_purchase: f32,
    /// Title similarity (TF-IDF cosine) to them.
    pub content: f32,
    /// Matches of the shopper's recent searches (the strongest scaled to this).
    pub search: f32,
    /// What sells now, per unit of the trending score (1 for the week's top product).
    pub trending: f32,
    /// All-time popularity (1 for the product with most buyers).
    pub popularity: f32,
    /// How far each "Not interested" pushes its look-alikes down, per unit of cosine.
    pub dismiss: f32,
}

impl Weights {
    /// "For you": the blend's learned weights, with searches and dismissals on top.
    pub fn for_you(settings: &BlendSettings) -> Self {
        Self {
            co_purchase: settings.co_purchase,
            content: settings.content,
            search: SEARCH,
            trending: settings.trending,
            popularity: settings.popularity,
            dismiss: DISMISS,
        }
    }

    /// "Similar items": title similarity only; trending just orders near-equal matches, far
    /// too little to lift a weaker match over a closer one.
    pub const SIMILAR: Self = Self {
        co_purchase: 0.0,
        content: 1.0,
        search: 0.0,
        trending: 0.01,
        popularity: 0.0,
        dismiss: 0.0,
    };

    /// `settings` with these weights for the signals the blend shares with the shelf.
    pub fn over(&self, settings: &BlendSettings) -> BlendSettings {
        BlendSettings {
            co_purchase: self.co_purchase,
            content: self.content,
            trending: self.trending,
            popularity: self.popularity,
            ..*settings
        }
    }

    /// Refuses a negative or non-finite weight, naming it.
    pub fn check(&self) -> Result<()> {
        let named = [
            ("coPurchase", self.co_purchase),
            ("content", self.content),
            ("search", self.search),
            ("trending", self.trending),
            ("popularity", self.popularity),
            ("dismiss", self.dismiss),
        ];
        match named
            .into_iter()
            .find(|(_, weight)| !(weight.is_finite() && *weight >= 0.0))
        {
            Some((name, weight)) => Err(Error::InvalidParameter {
                name,
                reason: format!("{weight} is not a weight (a finite number, 0 or more)"),
            }),
            None => Ok(()),
        }
    }
}
