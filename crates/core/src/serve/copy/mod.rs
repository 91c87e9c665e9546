//! Marketing copy per audience and channel, written on the device from templates.
//!
//! The audience is a customer segment (by the base of its name: "At risk 2" reads as "At risk")
//! or, for a shopper who has not ordered, a browsing or brand-new visitor. Each audience has a
//! tone (thanks for champions, a welcome back for those at risk, ...) and each channel a shape: a
//! site banner (headline and line), an email (subject and preview), a push notification (title
//! and body) and a social post (post and hashtags). Several variants per pair let a marketer
//! "regenerate".
//!
//! Templates have slots for what is known of the featured product ([`Featured`]): `{product}`
//! (its title, always known), `{category}`, `{price}` and `{reason}` (why it is recommended, as
//! a clause: "Because you viewed White Metal Lantern"). A template with a slot that cannot be
//! filled is never chosen, and every audience and channel has templates that need only the
//! product, so no copy shows an empty slot.
//!
//! ```
//! use aisle_core::serve::copy::{Audience, Channel, Featured, write};
//! let lantern = Featured::titled("Red Lantern");
//! let copy = write(Audience::from_segment("At risk 2"), Channel::EmailSubject, &lantern, 0);
//! assert_eq!(copy.headline, "We've missed you: Red Lantern is waiting");
//! let priced = Featured { price: Some("£3.75".into()), category: "Candles & lighting".into(), ..lantern };
//! let copy = write(Audience::Loyal, Channel::Banner, &priced, 2);
//! assert_eq!(copy.body, "Red Lantern, £3.75, leads what's new in Candles & lighting.");
//! ```

use serde::{Deserialize, Serialize};

use crate::catalog::Product;

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

    /// A catalog product: its title, category and price, written by `price_text` the way the
    /// shop writes prices.
    pub fn product(product: &Product, price_text: impl FnOnce(f64) -> String) -> Self {
        Self::priced(&product.title, &product.category, price_text(product.price))
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

    /// The text for `slot` (`product`, `category`, `price` or `reason`), if known.
    fn slot(&self, slot: &str) -> Option<&str> {
        match slot {
            "product" => Some(self.product.as_str()),
            "category" => Some(self.category.as_str()).filter(|text| !text.is_empty()),
            "price" => self.price.as_deref(),
            "reason" => self.reason.as_deref(),
            _ => None,
        }
    }
}

/// The slots templates may use.
const SLOTS: [&str; 4] = ["product", "category", "price", "reason"];

/// A piece of copy: the headline (banner headline, subject, push title, post) and the line that
/// goes with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarketingCopy {
    /// The first thing read.
    pub headline: String,
    /// What follows it.
    pub body: String,
}

/// (headline, body) templates, with [`Featured`] slots in braces.
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
            (
                "Thank you for being one of our best",
                "{reason}: {product}, picked for you.",
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
            (
                "First look for you: new in {category}",
                "{product} at {price}, saved for our best customers.",
            ),
        ],
        (Champions, Push) => &[
            (
                "Picked for you",
                "{product} is here, and we saved you a first look.",
            ),
            ("Thank you!", "Our best customers see {product} first."),
            ("New in {category}", "{product}, {price}: you see it first."),
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
            (
                "Our regulars love {category}, and this week it is {product}.",
                "#favourites #shopsmall",
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
            (
                "Good to see you again",
                "{product}, {price}, leads what's new in {category}.",
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
            (
                "More {category} for you: {product}",
                "{product} is {price}, and goes with your favourites.",
            ),
        ],
        (Loyal, Push) => &[
            ("Something for you", "{product} goes with your favourites."),
            ("New for regulars", "Have a look at {product}."),
            ("{reason}", "{product} might be next. Take a look."),
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
            ("New in {category}: {product}.", "#newin #shopsmall"),
        ],
        (Promising, Banner) => &[
            (
                "Glad you found us",
                "Start with {product}: customers like you love it.",
            ),
            ("Welcome back", "Here's {product}, and more picked for you."),
            ("Glad you found us", "{reason}, try {product}."),
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
            (
                "Your next favourite from {category}",
                "{product}, {price}: customers like you love it.",
            ),
        ],
        (Promising, Push) => &[
            ("Picked for you", "Customers like you love {product}."),
            ("Your next find", "Take a look at {product}."),
            (
                "Picked for you",
                "{product} from our {category} range, {price}.",
            ),
        ],
        (Promising, Social) => &[
            ("New here? Start with {product}.", "#giftideas #newin"),
            (
                "A first favourite for many: {product}.",
                "#bestsellers #homeware",
            ),
            (
                "A first favourite from {category}: {product}.",
                "#giftideas #newin",
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
            ("We've missed you", "{reason}, we kept {product} for you."),
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
            (
                "We've missed you: new in {category}",
                "Starting with {product}, {price}.",
            ),
        ],
        (AtRisk, Push) => &[
            ("We've missed you", "{product} is waiting for you."),
            (
                "Come back and see",
                "What's new since your last order, like {product}.",
            ),
            (
                "We've missed you",
                "{product} is back in {category}, {price}.",
            ),
        ],
        (AtRisk, Social) => &[
            (
                "Been a while? {product} is a good reason to come back.",
                "#newin #giftideas",
            ),
            ("Back in the shop: {product}.", "#restocked #homeware"),
            ("Back in {category}: {product}.", "#restocked #newin"),
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
            (
                "It's been a while",
                "Popular now in {category}: {product}, {price}.",
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
            (
                "What's new in {category}",
                "{product}, {price}, and this season's favourites.",
            ),
        ],
        (Hibernating, Push) => &[
            (
                "What's new",
                "{product} is one of this season's favourites.",
            ),
            ("Catch up", "See {product} and more."),
            (
                "What's new",
                "{product} is a favourite in {category} this season.",
            ),
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
            (
                "This season's favourite in {category}: {product}.",
                "#trending #giftideas",
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
            (
                "Picked from what you looked at",
                "{reason}, take a look at {product}.",
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
            (
                "Still thinking about it? More {category}",
                "{product}, {price}, and more like what you looked at.",
            ),
        ],
        (Browsing, Push) => &[
            ("Still interested?", "Take another look at {product}."),
            ("More like this", "{product} and similar finds."),
            ("{reason}", "{product} is {price}. Take a look."),
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
            (
                "Into {category}? {product} is one to see.",
                "#giftideas #newin",
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
            (
                "Welcome",
                "Popular in {category} this week: {product}, {price}. What you look at shapes this store, privately.",
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
            (
                "Welcome! This week in {category}",
                "{product}, {price}, and more to discover.",
            ),
        ],
        (New, Push) => &[
            ("Welcome", "Start with this week's favourite: {product}."),
            ("Trending now", "{product} is selling fast."),
            ("Trending in {category}", "{product} is selling fast."),
        ],
        (New, Social) => &[
            ("This week's bestseller: {product}.", "#trending #giftideas"),
            ("Everyone's talking about {product}.", "#newin #homeware"),
            (
                "This week's favourite in {category}: {product}.",
                "#trending #newin",
            ),
        ],
    }
}

/// The copy for `audience` on `channel` featuring `featured`; `variant` picks among the
/// templates whose slots `featured` can fill (any number: it wraps around), so "regenerate" is
/// `variant + 1`, and the same variant always gives the same copy.
pub fn write(
    audience: Audience,
    channel: Channel,
    featured: &Featured,
    variant: usize,
) -> MarketingCopy {
    let fillable = |text: &str| {
        SLOTS
            .iter()
            .all(|slot| !text.contains(&format!("{{{slot}}}")) || featured.slot(slot).is_some())
    };
    let usable: Vec<&Template> = templates(audience, channel)
        .iter()
        .filter(|(headline, body)| fillable(headline) && fillable(body))
        .collect();
    let (headline, body) = usable[variant % usable.len()];
    let fill = |template: &str| {
        let filled = SLOTS.iter().fold(template.to_owned(), |text, slot| {
            match featured.slot(slot) {
                Some(value) => text.replace(&format!("{{{slot}}}"), value),
                None => text,
            }
        });
        capitalise_sentences(&filled)
    };
    MarketingCopy {
        headline: fill(headline),
        body: fill(body),
    }
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
                let lantern = Featured::titled("Red Lantern");
                for variant in 0..variants.len() {
                    let copy = write(audience, channel, &lantern, variant);
                    let text = format!("{} {}", copy.headline, copy.body);
                    assert!(
                        text.contains("Red Lantern"),
                        "{audience:?} {channel:?}: {text}"
                    );
                    assert!(!text.contains('{'), "{text}");
                }
                // Regenerating gives another text, and wraps around the usable templates.
                let x = Featured::titled("X");
                let product_only = variants
                    .iter()
                    .filter(|(h, b)| !format!("{h}{b}").contains("{category}"))
                    .filter(|(h, b)| !format!("{h}{b}").contains("{price}"))
                    .filter(|(h, b)| !format!("{h}{b}").contains("{reason}"))
                    .count();
                assert!(product_only >= 2, "{audience:?} {channel:?}");
                assert_ne!(
                    write(audience, channel, &x, 0),
                    write(audience, channel, &x, 1)
                );
                assert_eq!(
                    write(audience, channel, &x, 0),
                    write(audience, channel, &x, product_only)
                );
            }
        }
    }

    #[test]
    fn every_slot_combination_fills_every_slot_it_uses() {
        let full = Featured {
            product: "Red Lantern".into(),
            category: "Candles & lighting".into(),
            price: Some("£3.75".into()),
            reason: Some("Because you viewed White Metal Lantern".into()),
        };
        let mut slot_templates_used = 0;
        for mask in 0..8u8 {
            let featured = Featured {
                category: if mask & 1 == 1 {
                    full.category.clone()
                } else {
                    String::new()
                },
                price: full.price.clone().filter(|_| mask & 2 == 2),
                reason: full.reason.clone().filter(|_| mask & 4 == 4),
                ..full.clone()
            };
            for audience in AUDIENCES {
                for channel in Channel::ALL {
                    for variant in 0..8 {
                        let copy = write(audience, channel, &featured, variant);
                        let text = format!("{} | {}", copy.headline, copy.body);
                        assert!(!text.contains('{') && !text.contains('}'), "{text}");
                        assert!(!text.contains("  ") && !text.contains(" ,"), "{text}");
                        assert!(!copy.headline.is_empty() && !copy.body.is_empty());
                        slot_templates_used += usize::from(
                            text.contains("Candles")
                                || text.contains('£')
                                || text.contains("Because"),
                        );
                    }
                }
            }
        }
        assert!(
            slot_templates_used > 0,
            "templates with slots are chosen when they can be"
        );
    }
}
