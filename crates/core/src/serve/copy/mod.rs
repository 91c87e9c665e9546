//! Marketing copy per audience and channel, written on the device from templates.
//!
//! The audience is a customer segment (by the base of its name: "At risk 2" reads as "At risk")
//! or, for a shopper who has not ordered, a browsing or brand-new visitor. Each audience has a
//! tone (thanks for champions, a welcome back for those at risk, ...) and each channel a shape: a
//! site banner (headline and line), an email (subject and preview), a push notification (title
//! and body) and a social post (post and hashtags). Several variants per pair let a marketer
//! "regenerate".
//!
//! The templates are data ([`templates`]): the built-in English ones, or a shop's own shipped in
//! its bundle. They have slots for what is known of the featured product ([`Featured`]):
//! `{product}` (its title, always known), `{category}`, `{price}` and `{reason}` (why it is
//! recommended, as a clause: "Because you viewed White Metal Lantern"). A template with a slot
//! that cannot be filled is never chosen, and every audience and channel has templates that need
//! only the product, so no copy shows an empty slot.
//!
//! ```
//! use aisle_core::serve::copy::{Audience, Channel, CopyTemplates, Featured};
//! let english = CopyTemplates::english();
//! let lantern = Featured::titled("Red Lantern");
//! let copy = english.write(Audience::from_segment("At risk 2"), Channel::EmailSubject, &lantern, 0);
//! assert_eq!(copy.headline, "We've missed you: Red Lantern is waiting");
//! let priced = Featured { price: Some("£3.75".into()), category: "Candles & lighting".into(), ..lantern };
//! let copy = english.write(Audience::Loyal, Channel::Banner, &priced, 2);
//! assert_eq!(copy.body, "Red Lantern, £3.75, leads what's new in Candles & lighting.");
//! ```

pub mod templates;

pub use templates::CopyTemplates;

use serde::{Deserialize, Serialize};

/// Who the copy speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// Recent, frequent, big spenders.
    Champions,
    /// Recent and frequent.
    Loyal,
    /// Recent, not yet frequent.
    Promising,
    /// Were frequent or valuable, not recent.
    AtRisk,
    /// Neither recent nor frequent nor valuable.
    Hibernating,
    /// Has looked around but not ordered.
    Browsing,
    /// Nothing known yet.
    New,
}

impl Audience {
    /// Every audience, in the order of the declaration (which indexes the templates).
    pub const ALL: [Audience; 7] = [
        Audience::Champions,
        Audience::Loyal,
        Audience::Promising,
        Audience::AtRisk,
        Audience::Hibernating,
        Audience::Browsing,
        Audience::New,
    ];

    /// The audience's name in template files and the JS API (as serde writes it).
    pub fn key(self) -> &'static str {
        match self {
            Self::Champions => "champions",
            Self::Loyal => "loyal",
            Self::Promising => "promising",
            Self::AtRisk => "at-risk",
            Self::Hibernating => "hibernating",
            Self::Browsing => "browsing",
            Self::New => "new",
        }
    }

    /// The customer segment's name, or `None` for a visitor who has not ordered (new or
    /// browsing), who has no segment.
    pub fn segment_name(&self) -> Option<&'static str> {
        match self {
            Self::New | Self::Browsing => None,
            segment => Some(segment.label()),
        }
    }

    /// The audience's name as shown to the shopper or marketer.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Champions => "Champions",
            Self::Loyal => "Loyal",
            Self::Promising => "Promising",
            Self::AtRisk => "At risk",
            Self::Hibernating => "Hibernating",
            Self::Browsing => "Browsing",
            Self::New => "New visitor",
        }
    }

    /// The audience of a segment named by [`crate::segmentation::segments::name_segments`]; a name it does
    /// not know (a marketer's own) is spoken to as [`Audience::Promising`], the neutral tone.
    pub fn from_segment(name: &str) -> Self {
        let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
        match base {
            "Champions" => Self::Champions,
            "Loyal" => Self::Loyal,
            "At risk" => Self::AtRisk,
            "Hibernating" => Self::Hibernating,
            _ => Self::Promising,
        }
    }
}

/// Where the copy appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// The store's banner: a headline and one line.
    Banner,
    /// An email: subject and preview text.
    EmailSubject,
    /// A push notification: title and body.
    Push,
    /// A social post: the post and its hashtags.
    Social,
}

impl Channel {
    /// Every channel, in the order a studio lists them (the order of the declaration, which
    /// indexes the templates).
    pub const ALL: [Channel; 4] = [
        Channel::Banner,
        Channel::EmailSubject,
        Channel::Push,
        Channel::Social,
    ];

    /// The channel's name in files and the JS API (as serde writes it).
    pub fn key(self) -> &'static str {
        match self {
            Self::Banner => "banner",
            Self::EmailSubject => "email-subject",
            Self::Push => "push",
            Self::Social => "social",
        }
    }
}

/// What copy features when there is no product to name (a new shop, an empty segment).
pub const FALLBACK_PRODUCT: &str = "our best seller";

/// What copy may say about the product it features. Empty or `None` slots are left unsaid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Featured {
    /// The product's title (or [`FALLBACK_PRODUCT`]).
    pub product: String,
    /// Its category; empty when unknown.
    pub category: String,
    /// Its price as shown to shoppers (`£3.75`).
    pub price: Option<String>,
    /// Why it is featured, a clause that can open a sentence ("Because you viewed ...").
    pub reason: Option<String>,
}

impl Featured {
    /// A product known only by its title.
    pub fn titled(title: &str) -> Self {
        Self {
            product: title.to_owned(),
            category: String::new(),
            price: None,
            reason: None,
        }
    }

    /// A product by its title, category (empty when unknown) and price as shown to shoppers.
    pub fn priced(title: &str, category: &str, price: String) -> Self {
        Self {
            category: category.to_owned(),
            price: Some(price),
            ..Self::titled(title)
        }
    }

    /// No product to name: [`FALLBACK_PRODUCT`], and nothing else.
    pub fn fallback() -> Self {
        Self::titled(FALLBACK_PRODUCT)
    }

    /// The text for `slot` (`{product}`, `{category}`, `{price}` or `{reason}`), if known.
    fn slot(&self, slot: &str) -> Option<&str> {
        match slot {
            "{product}" => Some(self.product.as_str()),
            "{category}" => Some(self.category.as_str()).filter(|text| !text.is_empty()),
            "{price}" => self.price.as_deref(),
            "{reason}" => self.reason.as_deref(),
            _ => None,
        }
    }
}

/// A piece of copy: the headline (banner headline, subject, push title, post) and the line that
/// goes with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketingCopy {
    /// The first thing read.
    pub headline: String,
    /// What follows it.
    pub body: String,
}

/// Upper-cases the first letter of each sentence, for slots that open one ("our best seller is
/// here" reads "Our best seller is here").
fn capitalise_sentences(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut sentence_start = true;
    for c in text.chars() {
        if sentence_start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            sentence_start = false;
        } else {
            out.push(c);
            if matches!(c, '.' | '!' | '?') {
                sentence_start = true;
            } else if !c.is_whitespace() {
                sentence_start = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_serde_names() {
        for channel in Channel::ALL {
            let json = serde_json::to_string(&channel).unwrap();
            assert_eq!(json, format!("\"{}\"", channel.key()));
        }
        for (index, audience) in Audience::ALL.into_iter().enumerate() {
            let json = serde_json::to_string(&audience).unwrap();
            assert_eq!(json, format!("\"{}\"", audience.key()));
            assert_eq!(audience as usize, index, "ALL is in declaration order");
        }
        for (index, channel) in Channel::ALL.into_iter().enumerate() {
            assert_eq!(channel as usize, index, "ALL is in declaration order");
        }
    }

    #[test]
    fn segment_names_map_to_audiences() {
        assert_eq!(Audience::from_segment("Champions"), Audience::Champions);
        assert_eq!(Audience::from_segment("At risk 2"), Audience::AtRisk);
        assert_eq!(
            Audience::from_segment("Hibernating 10"),
            Audience::Hibernating
        );
        assert_eq!(
            Audience::from_segment("Weekend crafters"),
            Audience::Promising
        );
    }
}
