//! Why a product was recommended, in words a shopper understands ("Because you viewed White
//! Metal Lantern"), in the store's language ([`UiTexts`]).
//!
//! Every list the [`Model`](crate::serve::recommend::Model) returns carries a reason per product, taken
//! from the signal that contributed most to its score, so "Why this?" tells the truth about the
//! ranking rather than a guess made afterwards.
//!
//! ```
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::serve::reason::{Interaction, Reason};
//! let catalog = Catalog::new(vec![Product::new("1", "White Metal Lantern", 1.0)]);
//! let reason = Reason::Because { item: 0, interaction: Interaction::Viewed };
//! assert_eq!(reason.describe(&catalog), "Because you viewed White Metal Lantern");
//! ```

use crate::catalog::Catalog;
use crate::serve::ui_texts::UiTexts;

/// What the shopper did with the product a recommendation follows from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interaction {
    /// Looked at it.
    Viewed,
    /// Has it in the cart.
    InCart,
    /// Bought it.
    Bought,
}

/// Why a product is in a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Related to a product the shopper interacted with (co-purchase or look-alike).
    Because {
        /// Catalog position of that product.
        item: usize,
        /// What they did with it.
        interaction: Interaction,
    },
    /// Matches something the shopper searched for.
    Searched {
        /// The query, as the profile keeps it.
        query: String,
    },
    /// Selling fast right now.
    Trending,
    /// One of the shop's best sellers of all time.
    BestSeller,
    /// The shopper bought it before.
    BoughtBefore {
        /// How many times.
        times: u32,
    },
    /// The shopper looked at it recently.
    RecentlyViewed,
    /// Its title is like the product being shown.
    LooksLike {
        /// Catalog position of that product.
        item: usize,
    },
    /// Customers often buy it together with the product being shown.
    BoughtWith {
        /// Catalog position of that product.
        item: usize,
    },
    /// Popular with the customers of the shopper's segment.
    CustomersLikeYou,
    /// Placed on the shelf by the shop ([`crate::serve::merchandising`]).
    PickedByTheShop,
}

impl Reason {
    /// The reason as an English sentence, naming products by their titles.
    pub fn describe(&self, catalog: &Catalog) -> String {
        self.describe_in(catalog, UiTexts::english(), english_plural)
    }

    /// The reason as a sentence in `texts`' language; `plural` names the plural category of a
    /// count in that language (`Intl.PluralRules` in the browser).
    pub fn describe_in(
        &self,
        catalog: &Catalog,
        texts: &UiTexts,
        plural: impl Fn(u64) -> &'static str,
    ) -> String {
        let title = |item: usize| {
            catalog.title(item).map_or_else(
                || texts.get("reason.a-product").to_owned(),
                ToOwned::to_owned,
            )
        };
        let naming = |key: &str, item: usize| texts.fill(key, &[("product", &title(item))]);
        match self {
            Self::Because {
                item,
                interaction: Interaction::Viewed,
            } => naming("reason.viewed", *item),
            Self::Because {
                item,
                interaction: Interaction::InCart,
            } => naming("reason.in-cart", *item),
            Self::Because {
                item,
                interaction: Interaction::Bought,
            } => naming("reason.bought", *item),
            Self::Searched { query } => texts.fill("reason.searched", &[("query", query)]),
            Self::Trending => texts.get("reason.trending").to_owned(),
            Self::BestSeller => texts.get("reason.best-seller").to_owned(),
            Self::BoughtBefore { times } => {
                let times = u64::from(*times);
                texts.count("reason.bought-before", times, plural(times), &[])
            }
            Self::RecentlyViewed => texts.get("reason.recently-viewed").to_owned(),
            Self::LooksLike { item } => naming("reason.looks-like", *item),
            Self::BoughtWith { item } => naming("reason.bought-with", *item),
            Self::CustomersLikeYou => texts.get("reason.customers-like-you").to_owned(),
            Self::PickedByTheShop => texts.get("reason.picked-by-shop").to_owned(),
        }
    }

    /// The reason as a clause that can open a sentence of marketing copy ("Because you viewed
    /// White Metal Lantern, ..."): only for reasons that are the shopper's own doing.
    pub fn clause(&self, catalog: &Catalog) -> Option<String> {
        matches!(self, Self::Because { .. } | Self::Searched { .. }).then(|| self.describe(catalog))
    }
}

/// English plural categories: `one` for 1, else `other`.
fn english_plural(count: u64) -> &'static str {
    if count == 1 { "one" } else { "other" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Product;

    #[test]
    fn every_reason_reads_as_a_sentence() {
        let catalog = Catalog::new(vec![Product::new("A", "Tea Cup", 1.0)]);
        let because = |interaction| Reason::Because {
            item: 0,
            interaction,
        };
        let cases = [
            (because(Interaction::Viewed), "Because you viewed Tea Cup"),
            (
                because(Interaction::InCart),
                "Because Tea Cup is in your cart",
            ),
            (because(Interaction::Bought), "Because you bought Tea Cup"),
            (
                Reason::Searched {
                    query: "tea".into(),
                },
                "Because you searched for “tea”",
            ),
            (Reason::BoughtBefore { times: 1 }, "You bought this before"),
            (Reason::BoughtBefore { times: 3 }, "You bought this 3 times"),
            (Reason::LooksLike { item: 0 }, "Looks like Tea Cup"),
            (
                Reason::BoughtWith { item: 9 },
                "Often bought with a product",
            ),
            (Reason::PickedByTheShop, "Picked for you by the shop"),
        ];
        for (reason, text) in cases {
            assert_eq!(reason.describe(&catalog), text);
        }
    }

    #[test]
    fn reasons_read_in_the_language_of_the_texts() {
        use crate::catalog::language::Language;
        let catalog = Catalog::new(vec![Product::new("A", "Teetasse", 1.0)]);
        let german = UiTexts::built_in(Language::German).unwrap();
        let plural = english_plural;
        let viewed = Reason::Because {
            item: 0,
            interaction: Interaction::Viewed,
        };
        assert_eq!(
            viewed.describe_in(&catalog, &german, plural),
            "Weil du Teetasse angesehen hast"
        );
        let twice = Reason::BoughtBefore { times: 2 };
        assert_eq!(
            twice.describe_in(&catalog, &german, plural),
            "Du hast das schon 2-mal gekauft"
        );
        let once = Reason::BoughtBefore { times: 1 };
        assert_eq!(
            once.describe_in(&catalog, &german, plural),
            "Du hast das schon einmal gekauft"
        );
    }
}
