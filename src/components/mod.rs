//! Reusable pieces of the storefront's pages.

pub mod product_card;
pub mod shelf;
