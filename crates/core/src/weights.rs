//! Per-placement weights: how much each signal counts on a shelf.
//!
//! The blended shelves ([`crate::recommend::Model::for_you_with`] and
//! [`crate::recommend::Model::similar_with`]) add up the same signals, each scaled by its weight
//! here. The store's own shelves use the constants; a page with a shelf of its own passes other
//! weights (the JS package's `weights` option), for instance a "More from this range" shelf that
//! leans on title similarity, or a "For you" without segment popularity.
//!
//! ```
//! use aisle_core::weights::Weights;
//! let no_segments = Weights { segment: 0.0, ..Weights::FOR_YOU };
//! assert!(no_segments.check().is_ok());
//! assert!(Weights { content: -1.0, ..Weights::SIMILAR }.check().is_err());
//! ```

use serde::{Deserialize, Serialize};

use crate::blend::TREND_WEIGHT;
use crate::error::{Error, Result};

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
    /// What customers of the shopper's segment buy most (its first product gets this).
    pub segment: f32,
    /// What sells now, per unit of the trending score (1 for the week's top product).
    pub trending: f32,
    /// How far each "Not interested" pushes its look-alikes down, per unit of cosine.
    pub dismiss: f32,
}

impl Weights {
    /// "For you": every signal. A close look-alike (cosine 0.6) adds 0.3, about as much as a
    /// strong co-purchase link, so both kinds of relation show; trending is the blend's own
    /// weight, so the shelf is the model `aisle evaluate` reports as `aisle`.
    pub const FOR_YOU: Self = Self {
        co_purchase: 1.0,
        content: 0.5,
        search: 0.5,
        segment: 0.3,
        trending: TREND_WEIGHT,
        dismiss: 0.3,
    };

    /// "Similar items": title similarity only; trending just orders near-equal matches, far
    /// too little to lift a weaker match over a closer one.
    pub const SIMILAR: Self = Self {
        co_purchase: 0.0,
        content: 1.0,
        search: 0.0,
        segment: 0.0,
        trending: 0.01,
        dismiss: 0.0,
    };

    /// Refuses a negative or non-finite weight, naming it.
    pub fn check(&self) -> Result<()> {
        let named = [
            ("coPurchase", self.co_purchase),
            ("content", self.content),
            ("search", self.search),
            ("segment", self.segment),
            ("trending", self.trending),
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
