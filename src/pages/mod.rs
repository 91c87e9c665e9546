//! The storefront's pages, one per [`crate::route::Route`].

pub mod home;
pub mod not_found;
pub mod product;
