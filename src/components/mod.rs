//! Reusable pieces of the storefront's pages.

pub mod header;
pub mod product_card;
pub mod rec_card;
pub mod shelf;
