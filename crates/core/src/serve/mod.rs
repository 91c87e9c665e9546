//! What the shopper sees: shelves ranked on the device with the reason for each product
//! ([`recommend`], [`reason`]), the weights of each shelf's signals ([`shelf_weights`]), the
//! rules a page applies (price, stock, categories, variety: [`rules`], [`diversity`]), the
//! shop's merchandising (hide, pin, boost, bury: [`merchandising`]) and the marketing copy
//! written for the shopper's audience ([`copy`]), and the store's own words in the shop's
//! language ([`ui_texts`]) and the others it offers ([`locales`]).

pub mod copy;
pub mod diversity;
pub mod locales;
pub mod merchandising;
pub mod reason;
pub mod recommend;
pub mod rules;
pub mod shelf_weights;
pub mod ui_texts;

pub use recommend::{Model, Recommendation};
pub use shelf_weights::Weights;
