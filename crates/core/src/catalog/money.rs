//! How a shop's prices read: its currency (an ISO 4217 code) and locale (a BCP 47 tag), carried
//! in the bundle's manifest so that every page of the store shows prices the shop's way.
//!
//! The browser formats with `Intl.NumberFormat` (aisle-browser's `money`), which knows every
//! currency's symbol, decimals and placement in every locale; [`Money::plain`] is the fallback
//! where there is no browser (the CLI, the studio's copy, tests). Both are given only values
//! [`Money::check`] accepted, since `Intl` throws on a malformed code or tag.
//!
//! ```
//! use aisle_core::catalog::money::Money;
//! let euros = Money { currency: Some("EUR".into()), locale: Some("fr-FR".into()) };
//! assert!(euros.check().is_ok());
//! assert_eq!(euros.plain(3.5), "3.50 EUR");
//! assert_eq!(Money::default().plain(1.999), "2.00");
//! assert!(Money { currency: Some("euro".into()), locale: None }.check().is_err());
//! ```

use serde::{Deserialize, Serialize};

use crate::catalog::language::Language;
use crate::error::{Error, Result};

/// A shop's currency and locale; either may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Money {
    /// ISO 4217 code, three capital letters (`GBP`, `EUR`, `JPY`). Without it prices are plain
    /// numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// BCP 47 language tag (`en-GB`, `de-DE`, `zh-CN`). Without it the shopper's browser
    /// chooses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

impl Money {
    /// The language the shop's product texts are in: its locale's ([`Language::of_locale`]).
    pub fn language(&self) -> Language {
        Language::of_locale(self.locale.as_deref())
    }

    /// Refuses a currency that is not three capital letters, or a locale that is not letters
    /// and digits in subtags of 1 to 8 separated by `-`, the first of 2 to 3 letters.
    pub fn check(&self) -> Result<()> {
        if let Some(code) = &self.currency
            && !(code.len() == 3 && code.bytes().all(|byte| byte.is_ascii_uppercase()))
        {
            return Err(Error::InvalidParameter {
                name: "currency",
                reason: format!("`{code}` is not an ISO 4217 code such as GBP or EUR"),
            });
        }
        if let Some(tag) = &self.locale {
            let mut subtags = tag.split('-');
            let language = subtags.next().unwrap_or_default();
            let well_formed = (2..=3).contains(&language.len())
                && language.bytes().all(|byte| byte.is_ascii_alphabetic())
                && subtags.all(|subtag| {
                    (1..=8).contains(&subtag.len())
                        && subtag.bytes().all(|byte| byte.is_ascii_alphanumeric())
                });
            if !well_formed {
                return Err(Error::InvalidParameter {
                    name: "locale",
                    reason: format!("`{tag}` is not a language tag such as en-GB or de-DE"),
                });
            }
        }
        Ok(())
    }

    /// `amount` to two decimals, followed by the currency's code when known: for places that
    /// have no `Intl`.
    pub fn plain(&self, amount: f64) -> String {
        match &self.currency {
            Some(code) => format!("{amount:.2} {code}"),
            None => format!("{amount:.2}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(currency: Option<&str>, locale: Option<&str>) -> Money {
        Money {
            currency: currency.map(str::to_owned),
            locale: locale.map(str::to_owned),
        }
    }

    #[test]
    fn well_formed_codes_and_tags_pass() {
        for (currency, locale) in [
            (Some("GBP"), Some("en-GB")),
            (Some("JPY"), Some("ja")),
            (None, Some("zh-Hans-CN")),
            (Some("EUR"), Some("de-DE-1996")),
            (None, None),
        ] {
            assert!(
                money(currency, locale).check().is_ok(),
                "{currency:?} {locale:?}"
            );
        }
    }

    #[test]
    fn malformed_codes_and_tags_are_refused_and_named() {
        for (currency, locale, name) in [
            (Some("gbp"), None, "currency"),
            (Some("£"), None, "currency"),
            (Some("EURO"), None, "currency"),
            (None, Some("en_GB"), "locale"),
            (None, Some("en--GB"), "locale"),
            (None, Some("e"), "locale"),
            (None, Some("en-GB\"}"), "locale"),
            (None, Some(""), "locale"),
        ] {
            let error = money(currency, locale).check().unwrap_err();
            assert!(
                matches!(&error, Error::InvalidParameter { name: n, .. } if *n == name),
                "{error}"
            );
        }
    }

    #[test]
    fn plain_prices_name_the_currency_when_known() {
        assert_eq!(money(Some("JPY"), None).plain(1200.0), "1200.00 JPY");
        assert_eq!(money(None, Some("de-DE")).plain(0.5), "0.50");
    }
}
