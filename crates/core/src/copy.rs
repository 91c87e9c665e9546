//! Marketing copy per audience and channel, written on the device from templates.
//!
//! The audience is a customer segment (by the base of its name: "At risk 2" reads as "At risk")
//! or, for a shopper who has not ordered, a browsing or brand-new visitor. Each audience has a
//! tone (thanks for champions, a welcome back for those at risk, ...) and each channel a shape: a
//! site banner (headline and line), an email (subject and preview), a push notification (title
//! and body) and a social post (post and hashtags). Several variants per pair let a marketer
//! "regenerate"; the featured product's title is filled in.
//!
//! ```
//! use aisle_core::copy::{Audience, Channel, write};
//! let copy = write(Audience::from_segment("At risk 2"), Channel::EmailSubject, "Red Lantern", 0);
//! assert_eq!(copy.headline, "We've missed you: Red Lantern is waiting");
//! ```

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

    /// The audience of a segment named by [`crate::segments::name_segments`]; a name it does
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
    /// Every channel, in the order a studio lists them.
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

    /// The channel's name for a person.
    pub fn label(self) -> &'static str {
        match self {
            Self::Banner => "Banner",
            Self::EmailSubject => "Email subject",
            Self::Push => "Push notification",
            Self::Social => "Social post",
        }
    }
}

/// What copy features when there is no product to name (a new shop, an empty segment).
pub const FALLBACK_PRODUCT: &str = "our best sellers";

/// A piece of copy: the headline (banner headline, subject, push title, post) and the line that
/// goes with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketingCopy {
    /// The first thing read.
    pub headline: String,
    /// What follows it.
    pub body: String,
}

/// (headline, body) templates; `{product}` is replaced by the featured product's title.
type Template = (&'static str, &'static str);

fn templates(audience: Audience, channel: Channel) -> &'static [Template] {
    use Audience::*;
    use Channel::*;
    match (audience, channel) {
        (Champions, Banner) => &[
            (
                "Thank you for being one of our best",
                "First pick for you: {product}, and more we think you'll love.",
            ),
            (
                "Picked for our favourite customers",
                "{product} leads today's selection, chosen for you.",
            ),
        ],
        (Champions, EmailSubject) => &[
            (
                "First look for you: {product}",
                "You shop with us more than almost anyone. Here's what's new.",
            ),
            (
                "You're one of our best. Here's {product}",
                "A thank-you selection, picked from what you love.",
            ),
        ],
        (Champions, Push) => &[
            (
                "Picked for you",
                "{product} is here, and we saved you a first look.",
            ),
            ("Thank you!", "Our best customers see {product} first."),
        ],
        (Champions, Social) => &[
            (
                "Our regulars have spoken: {product} is the one this week.",
                "#favourites #giftideas",
            ),
            (
                "Loved by our most loyal shoppers: {product}.",
                "#bestsellers #shopsmall",
            ),
        ],
        (Loyal, Banner) => &[
            (
                "Good to see you again",
                "Your kind of thing: {product}, and more like it.",
            ),
            (
                "Back for more?",
                "We think {product} fits right in with your favourites.",
            ),
        ],
        (Loyal, EmailSubject) => &[
            (
                "{product}, and more you'll like",
                "Picked from what you keep coming back for.",
            ),
            (
                "Your favourites, plus {product}",
                "A few new things that go with what you love.",
            ),
        ],
        (Loyal, Push) => &[
            ("Something for you", "{product} goes with your favourites."),
            ("New for regulars", "Have a look at {product}."),
        ],
        (Loyal, Social) => &[
            (
                "If you love our classics, meet {product}.",
                "#newin #giftideas",
            ),
            (
                "A regular's pick this week: {product}.",
                "#shopsmall #homeware",
            ),
        ],
        (Promising, Banner) => &[
            (
                "Glad you found us",
                "Start with {product}: customers like you love it.",
            ),
            ("Welcome back", "Here's {product}, and more picked for you."),
        ],
        (Promising, EmailSubject) => &[
            (
                "Your next favourite? {product}",
                "Picked for you from what customers like you buy.",
            ),
            (
                "Thanks for your order. Meet {product}",
                "Something to go with what you chose.",
            ),
        ],
        (Promising, Push) => &[
            ("Picked for you", "Customers like you love {product}."),
            ("Your next find", "Take a look at {product}."),
        ],
        (Promising, Social) => &[
            ("New here? Start with {product}.", "#giftideas #newin"),
            (
                "A first favourite for many: {product}.",
                "#bestsellers #homeware",
            ),
        ],
        (AtRisk, Banner) => &[
            (
                "We've missed you",
                "A lot is new since your last visit, starting with {product}.",
            ),
            (
                "Welcome back",
                "We kept your favourites, and added {product}.",
            ),
        ],
        (AtRisk, EmailSubject) => &[
            (
                "We've missed you: {product} is waiting",
                "Come and see what's new since your last order.",
            ),
            (
                "It's been a while. {product} is back",
                "Your favourites are still here, with a few new ones.",
            ),
        ],
        (AtRisk, Push) => &[
            ("We've missed you", "{product} is waiting for you."),
            (
                "Come back and see",
                "What's new since your last order, like {product}.",
            ),
        ],
        (AtRisk, Social) => &[
            (
                "Been a while? {product} is a good reason to come back.",
                "#newin #giftideas",
            ),
            ("Back in the shop: {product}.", "#restocked #homeware"),
        ],
        (Hibernating, Banner) => &[
            (
                "It's been a while",
                "Here's what's popular now, starting with {product}.",
            ),
            (
                "So much is new",
                "Catch up with {product} and this season's favourites.",
            ),
        ],
        (Hibernating, EmailSubject) => &[
            (
                "What's new since you last visited: {product}",
                "A quick catch-up on this season's favourites.",
            ),
            (
                "Still looking for gifts? Try {product}",
                "Our most popular picks right now.",
            ),
        ],
        (Hibernating, Push) => &[
            (
                "What's new",
                "{product} is one of this season's favourites.",
            ),
            ("Catch up", "See {product} and more."),
        ],
        (Hibernating, Social) => &[
            (
                "This season's favourite: {product}.",
                "#trending #giftideas",
            ),
            (
                "Everyone's buying {product} right now.",
                "#trending #homeware",
            ),
        ],
        (Browsing, Banner) => &[
            (
                "Picked from what you looked at",
                "Start with {product}, chosen on your device.",
            ),
            (
                "More like what you browsed",
                "Have a look at {product}, and more below.",
            ),
        ],
        (Browsing, EmailSubject) => &[
            (
                "Still thinking about it? {product}",
                "A few things like what you looked at.",
            ),
            (
                "{product}, and more like it",
                "Picked from what you browsed.",
            ),
        ],
        (Browsing, Push) => &[
            ("Still interested?", "Take another look at {product}."),
            ("More like this", "{product} and similar finds."),
        ],
        (Browsing, Social) => &[
            (
                "Looking for something like {product}? We have more.",
                "#giftideas #homeware",
            ),
            (
                "Shoppers who look at {product} love these too.",
                "#newin #shopsmall",
            ),
        ],
        (New, Banner) => &[
            (
                "Gifts and homeware, picked on your device",
                "Browse freely: what you look at shapes this store, and it never leaves this browser. Start with {product}.",
            ),
            (
                "Welcome",
                "Selling fast this week: {product}. Look around and the store learns what you like, privately.",
            ),
        ],
        (New, EmailSubject) => &[
            (
                "Welcome! Start with {product}",
                "This week's favourite, and more to discover.",
            ),
            (
                "Our bestseller this week: {product}",
                "Gifts and homeware for every occasion.",
            ),
        ],
        (New, Push) => &[
            ("Welcome", "Start with this week's favourite: {product}."),
            ("Trending now", "{product} is selling fast."),
        ],
        (New, Social) => &[
            ("This week's bestseller: {product}.", "#trending #giftideas"),
            ("Everyone's talking about {product}.", "#newin #homeware"),
        ],
    }
}

/// The copy for `audience` on `channel` featuring `product`; `variant` picks among the
/// templates (any number: it wraps around), so "regenerate" is `variant + 1`.
pub fn write(audience: Audience, channel: Channel, product: &str, variant: usize) -> MarketingCopy {
    let options = templates(audience, channel);
    let (headline, body) = options[variant % options.len()];
    MarketingCopy {
        headline: headline.replace("{product}", product),
        body: body.replace("{product}", product),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_keys_are_the_serde_names() {
        for channel in Channel::ALL {
            let json = serde_json::to_string(&channel).unwrap();
            assert_eq!(json, format!("\"{}\"", channel.key()));
        }
    }

    const AUDIENCES: [Audience; 7] = [
        Audience::Champions,
        Audience::Loyal,
        Audience::Promising,
        Audience::AtRisk,
        Audience::Hibernating,
        Audience::Browsing,
        Audience::New,
    ];

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

    #[test]
    fn every_pair_has_variants_that_name_the_product() {
        for audience in AUDIENCES {
            for channel in Channel::ALL {
                let variants = templates(audience, channel);
                assert!(variants.len() >= 2, "{audience:?} {channel:?}");
                for variant in 0..variants.len() {
                    let copy = write(audience, channel, "Red Lantern", variant);
                    let text = format!("{} {}", copy.headline, copy.body);
                    assert!(
                        text.contains("Red Lantern"),
                        "{audience:?} {channel:?}: {text}"
                    );
                    assert!(!text.contains('{'), "{text}");
                }
                // Regenerating gives another text, and wraps around.
                assert_ne!(
                    write(audience, channel, "X", 0),
                    write(audience, channel, "X", 1)
                );
                assert_eq!(
                    write(audience, channel, "X", 0),
                    write(audience, channel, "X", variants.len())
                );
            }
        }
    }
}
