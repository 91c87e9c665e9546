//! Why a product was recommended, in words a shopper understands ("Because you viewed White
//! Metal Lantern").
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
    /// The reason as a sentence, naming products by their titles.
    pub fn describe(&self, catalog: &Catalog) -> String {
        self.sentence(catalog)
    }

    /// The reason as a clause that can open a sentence of marketing copy ("Because you viewed
    /// White Metal Lantern, ..."): only for reasons that are the shopper's own doing.
    pub fn clause(&self, catalog: &Catalog) -> Option<String> {
        matches!(self, Self::Because { .. } | Self::Searched { .. }).then(|| self.sentence(catalog))
    }

    fn sentence(&self, catalog: &Catalog) -> String {
        let title = |item: usize| {
            catalog
                .product(item)
                .map_or("a product", |product| product.title.as_str())
                .to_owned()
        };
        match self {
            Self::Because {
                item,
                interaction: Interaction::Viewed,
            } => format!("Because you viewed {}", title(*item)),
            Self::Because {
                item,
                interaction: Interaction::InCart,
            } => format!("Because {} is in your cart", title(*item)),
            Self::Because {
                item,
                interaction: Interaction::Bought,
            } => format!("Because you bought {}", title(*item)),
            Self::Searched { query } => format!("Because you searched for “{query}”"),
            Self::Trending => "Trending: selling fast this week".to_owned(),
            Self::BestSeller => "One of our best sellers".to_owned(),
            Self::BoughtBefore { times: 1 } => "You bought this before".to_owned(),
            Self::BoughtBefore { times } => format!("You bought this {times} times"),
            Self::RecentlyViewed => "You looked at this recently".to_owned(),
            Self::LooksLike { item } => format!("Looks like {}", title(*item)),
            Self::BoughtWith { item } => format!("Often bought with {}", title(*item)),
            Self::CustomersLikeYou => "Popular with customers like you".to_owned(),
            Self::PickedByTheShop => "Picked for you by the shop".to_owned(),
        }
    }
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
}
