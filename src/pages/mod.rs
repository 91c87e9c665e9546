//! The storefront's pages, one per [`crate::route::Route`].

pub mod cart;
pub mod home;
pub mod not_found;
pub mod privacy;
pub mod product;
pub mod search;
