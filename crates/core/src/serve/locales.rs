//! The locales a store speaks: the shop's own (its `--locale`, with its texts and copy) and any
//! others the shop offers (`aisle build --more-locales`), each with the store's words
//! ([`UiTexts`]) and marketing copy ([`CopyTemplates`]) in its language; and which of them a
//! shopper is shown ([`negotiate`]): the one they chose in the store, else the first of their
//! browser's languages the shop offers, else the shop's own.
//!
//! Only the store's words, its copy and how numbers read change with the shopper's locale. The
//! products' own texts are in the shop's language whatever the shopper picks, so search reads
//! them (and the shopper's queries) in that language.
//!
//! ```
//! use aisle_core::serve::locales::{Locale, negotiate};
//! let offered = [Locale::new(Some("de-DE".into()), None, None), Locale::built_in("en-GB").unwrap()];
//! let tags: Vec<_> = offered.iter().map(Locale::tag).collect();
//! assert_eq!(negotiate(&tags, &["en-US".to_owned(), "de".to_owned()]), 1);
//! assert_eq!(negotiate(&tags, &["fr-FR".to_owned()]), 0);
//! assert_eq!(offered[1].name(), "English");
//! ```

use crate::catalog::language::{Language, primary_subtag};
use crate::catalog::money::Money;
use crate::error::{Error, Result};
use crate::serve::copy::CopyTemplates;
use crate::serve::ui_texts::UiTexts;

/// One locale the store speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    /// Its BCP 47 tag; `None` for a shop that names no locale (each browser writes numbers its
    /// own way, and the store speaks English).
    tag: Option<String>,
    /// The store's words in it; `None` for the built-in English ones.
    ui_texts: Option<UiTexts>,
    /// The marketing copy in it; `None` for the built-in English templates.
    copy: Option<CopyTemplates>,
}

/// The locale of a shop that names none: the built-in English.
static ENGLISH: Locale = Locale {
    tag: None,
    ui_texts: None,
    copy: None,
};

impl Locale {
    /// The built-in English, with no tag: how a store speaks before its bundle has loaded.
    pub fn english() -> &'static Self {
        &ENGLISH
    }

    /// A locale with these texts and copy (`None`: the built-in English ones).
    pub fn new(
        tag: Option<String>,
        ui_texts: Option<UiTexts>,
        copy: Option<CopyTemplates>,
    ) -> Self {
        Self {
            tag,
            ui_texts,
            copy,
        }
    }

    /// `tag` with Aisle's own texts and copy in its language; `None` when Aisle has none in it
    /// (it speaks English, German and Simplified Chinese).
    pub fn built_in(tag: &str) -> Option<Self> {
        let language = Language::of_locale(Some(tag));
        if language == Language::Other {
            return None;
        }
        Some(Self::new(
            Some(tag.to_owned()),
            UiTexts::built_in(language),
            CopyTemplates::built_in(language),
        ))
    }

    /// Its BCP 47 tag, if the shop named one.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The store's words in it.
    pub fn ui_texts(&self) -> &UiTexts {
        self.ui_texts.as_ref().unwrap_or(UiTexts::english())
    }

    /// Its marketing copy templates.
    pub fn copy_templates(&self) -> &CopyTemplates {
        self.copy
            .as_ref()
            .unwrap_or_else(|| CopyTemplates::english())
    }

    /// The texts and copy a bundle ships for it: `None` where the built-in English serve.
    pub fn shipped(&self) -> (Option<&UiTexts>, Option<&CopyTemplates>) {
        (self.ui_texts.as_ref(), self.copy.as_ref())
    }

    /// The language tag of its words, for the page's `lang`: its own tag when it carries texts
    /// of its own or is English, else `en` (the store then speaks the built-in English).
    pub fn language(&self) -> &str {
        match &self.tag {
            Some(tag)
                if self.ui_texts.is_some()
                    || Language::of_locale(Some(tag)) == Language::English =>
            {
                tag
            }
            _ => "en",
        }
    }

    /// Its name in its own language (`Deutsch`, `中文`), for the shopper's choice of locale.
    pub fn name(&self) -> &str {
        self.ui_texts().get("locale.name")
    }

    /// How prices and numbers read in it: the shop's currency, written this locale's way (the
    /// shop's when this one has no tag).
    pub fn money(&self, shop: &Money) -> Money {
        Money {
            currency: shop.currency.clone(),
            locale: self.tag.clone().or_else(|| shop.locale.clone()),
        }
    }
}

/// The locales `tags` names, for a shop whose own locale is `shop`'s: each with Aisle's own texts
/// and copy in its language. Refuses a tag that is not well formed, repeats the shop's own or
/// another, or is in a language Aisle has no texts in (a shop in that language ships its own as
/// its own locale: `aisle build --locale --ui-texts --copy`).
pub fn more_locales(shop: &Money, tags: &[String]) -> Result<Vec<Locale>> {
    let refuse = |reason: String| Error::InvalidParameter {
        name: "more-locales",
        reason,
    };
    if shop.locale.is_none() && !tags.is_empty() {
        return Err(refuse(
            "needs the shop's own locale too (--locale), the one a shopper whose browser \
             asks for none of them gets"
                .to_owned(),
        ));
    }
    let mut seen: Vec<&str> = shop.locale.iter().map(String::as_str).collect();
    tags.iter()
        .map(|tag| {
            Money {
                currency: None,
                locale: Some(tag.clone()),
            }
            .check()
            .map_err(|_| {
                refuse(format!(
                    "`{tag}` is not a language tag such as en-GB or zh-CN"
                ))
            })?;
            if seen.iter().any(|other| other.eq_ignore_ascii_case(tag)) {
                return Err(refuse(format!(
                    "`{tag}` is named twice (the shop's own locale counts)"
                )));
            }
            seen.push(tag);
            Locale::built_in(tag).ok_or_else(|| {
                refuse(format!(
                    "Aisle has no texts in `{tag}`'s language (it has English, German and \
                     Simplified Chinese)"
                ))
            })
        })
        .collect()
}

/// Which of the `offered` locales (by tag, the shop's own first) a shopper whose browser prefers
/// `preferred` (BCP 47 tags, most preferred first, as `navigator.languages` lists them) is shown:
/// for the first preference the shop can meet, the offered locale with exactly that tag, else the
/// first with the same language (`de-AT` gets `de-DE`). The shop's own (0) when none meets any.
/// Tags are compared without regard to case, as BCP 47 says.
pub fn negotiate(offered: &[Option<&str>], preferred: &[String]) -> usize {
    let same_language =
        |tag: &str, wanted: &str| primary_subtag(tag).eq_ignore_ascii_case(primary_subtag(wanted));
    preferred
        .iter()
        .find_map(|wanted| {
            let exact = offered
                .iter()
                .position(|tag| tag.is_some_and(|tag| tag.eq_ignore_ascii_case(wanted)));
            exact.or_else(|| {
                offered
                    .iter()
                    .position(|tag| tag.is_some_and(|tag| same_language(tag, wanted)))
            })
        })
        .unwrap_or(0)
}

/// Which of the `offered` locales to speak to a person who chose `saved` in this browser and
/// whose browser prefers `preferred`: [`negotiate`]'s answer with the choice as the first
/// preference, so a choice made where other tags were offered (`de` in the studio, `de-DE` in a
/// store) still finds its language.
pub fn choose(offered: &[Option<&str>], saved: Option<&str>, preferred: &[String]) -> usize {
    let wanted: Vec<String> = saved
        .map(str::to_owned)
        .into_iter()
        .chain(preferred.iter().cloned())
        .collect();
    negotiate(offered, &wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preferring(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|tag| (*tag).to_owned()).collect()
    }

    #[test]
    fn the_first_preference_the_shop_meets_wins_exact_tags_before_languages() {
        let offered = [Some("de-DE"), Some("en-GB"), Some("en-US"), Some("zh-CN")];
        assert_eq!(negotiate(&offered, &preferring(&["en-US", "de-DE"])), 2);
        assert_eq!(negotiate(&offered, &preferring(&["en-AU", "de-DE"])), 1);
        assert_eq!(negotiate(&offered, &preferring(&["fr-FR", "ZH-cn"])), 3);
        assert_eq!(negotiate(&offered, &preferring(&["zh-TW"])), 3);
        assert_eq!(negotiate(&offered, &preferring(&["fr-FR", "it"])), 0);
        assert_eq!(negotiate(&offered, &[]), 0);
        assert_eq!(negotiate(&[None], &preferring(&["en-GB"])), 0);
    }

    #[test]
    fn a_built_in_locale_speaks_its_language_and_an_unknown_one_is_refused() {
        let german = Locale::built_in("de-AT").unwrap();
        assert_eq!(german.language(), "de-AT");
        assert_eq!(german.name(), "Deutsch");
        assert_eq!(german.ui_texts().get("header.cart"), "Warenkorb");
        assert!(german.shipped().0.is_some() && german.shipped().1.is_some());
        let chinese = Locale::built_in("zh-CN").unwrap();
        assert_eq!(chinese.name(), "简体中文");
        let english = Locale::built_in("en-GB").unwrap();
        assert_eq!(english.language(), "en-GB");
        assert_eq!(english.shipped(), (None, None));
        assert_eq!(Locale::built_in("pl-PL"), None);
        // A shop in Polish without texts of its own speaks English, and says so.
        assert_eq!(
            Locale::new(Some("pl-PL".into()), None, None).language(),
            "en"
        );
        assert_eq!(Locale::new(None, None, None).language(), "en");
    }

    #[test]
    fn more_locales_are_checked_whole_and_named_when_refused() {
        let shop = Money {
            currency: None,
            locale: Some("de-DE".into()),
        };
        let tags = |tags: &[&str]| tags.iter().map(|tag| (*tag).to_owned()).collect::<Vec<_>>();
        let offered = more_locales(&shop, &tags(&["en-GB", "zh-CN"])).unwrap();
        assert_eq!(
            offered.iter().map(Locale::tag).collect::<Vec<_>>(),
            [Some("en-GB"), Some("zh-CN")]
        );
        for (asked, fault) in [
            (&["en-GB", "pl-PL"][..], "no texts in `pl-PL`'s language"),
            (&["DE-de"][..], "`DE-de` is named twice"),
            (&["en-GB", "en-GB"][..], "`en-GB` is named twice"),
            (&["english"][..], "`english` is not a language tag"),
        ] {
            let message = more_locales(&shop, &tags(asked)).unwrap_err().to_string();
            assert!(
                message.contains("more-locales") && message.contains(fault),
                "{message}"
            );
        }
        let message = more_locales(&Money::default(), &tags(&["en-GB"]))
            .unwrap_err()
            .to_string();
        assert!(message.contains("needs the shop's own locale"), "{message}");
        assert_eq!(more_locales(&Money::default(), &[]).unwrap(), []);
    }

    #[test]
    fn numbers_read_the_shoppers_way_in_the_shops_currency() {
        let shop = Money {
            currency: Some("EUR".into()),
            locale: Some("de-DE".into()),
        };
        let english = Locale::built_in("en-GB").unwrap();
        assert_eq!(
            english.money(&shop),
            Money {
                currency: Some("EUR".into()),
                locale: Some("en-GB".into())
            }
        );
        assert_eq!(Locale::new(None, None, None).money(&shop), shop);
    }
}
