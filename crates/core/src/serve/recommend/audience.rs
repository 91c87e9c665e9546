//! Whom the store speaks to and what it says: the shopper's audience and customer segment, from
//! their orders, and the marketing copy written for them.

use super::{Model, Recommendation};
use crate::segmentation::segment_model::ShippedSegment;
use crate::serve::copy::{Audience, Channel, Featured, MarketingCopy};
use crate::serve::locales::Locale;
use crate::shopper::profile::Profile;

impl Model {
    /// Whom the store's copy speaks to: the shopper's own segment by the naming rule once they
    /// have ordered, else a browsing or new visitor.
    pub fn audience(&self, profile: &Profile, now_ms: i64) -> Audience {
        match self.segments.name_for(&profile.order_totals(), now_ms) {
            Some(name) => Audience::from_segment(name),
            None if profile.is_empty() => Audience::New,
            None => Audience::Browsing,
        }
    }

    /// Marketing copy for this shopper on `channel`: the words written for their audience,
    /// featuring `featured` (usually their first "For you" product, with its category, price
    /// and, when it is the shopper's own doing, the reason) or, with none, "our best seller".
    /// The copy is `locale`'s ([`Model::locale`]); `variant` picks among its templates;
    /// `price_text` writes a price the locale's way.
    #[allow(clippy::too_many_arguments)]
    pub fn copy_for(
        &self,
        locale: &Locale,
        profile: &Profile,
        now_ms: i64,
        featured: Option<&Recommendation>,
        channel: Channel,
        variant: usize,
        price_text: impl FnOnce(f64) -> String,
    ) -> (Audience, MarketingCopy) {
        let audience = self.audience(profile, now_ms);
        let featured = featured
            .and_then(|recommendation| {
                let item = recommendation.item;
                let product = self.catalog.product(item)?;
                let title = self.catalog.title(item)?;
                let price = price_text(product.price);
                Some(Featured {
                    reason: recommendation.reason.clause(&self.catalog),
                    ..Featured::priced(title, &product.category, price)
                })
            })
            .unwrap_or_else(Featured::fallback);
        let copy = locale
            .copy_templates()
            .write(audience, channel, &featured, variant);
        (audience, copy)
    }

    /// The group of the shop's customers most like this shopper at `now_ms`, from what they
    /// ordered; `None` before their first order (or when the shop ships no segments).
    pub fn segment(&self, profile: &Profile, now_ms: i64) -> Option<&ShippedSegment> {
        let index =
            self.segments
                .assign(&profile.order_totals(), profile.purchased().len(), now_ms)?;
        self.segments.segments().get(index)
    }
}
