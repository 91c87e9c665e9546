//! aisle-browser: the browser side that the storefront and the JS package share. It fetches and
//! verifies the shop's bundle ([`bundle_loader`]) and keeps the shopper's profile on the device
//! ([`storage`]), writes prices the shop's way ([`money`]) and dates the reader's ([`dates`]), reads which language the shopper
//! wants ([`locale_choice`]) and saves files the page made
//! ([`download`]), fetching from the site in a page or a worker ([`fetch`]), and sends the
//! shop's weekly randomized report when its bundle asks for one ([`send`]). The logic is
//! aisle-core's; this crate only moves bytes between the network, the browser's storage and
//! memory.

#![warn(missing_docs)]

pub mod bundle_loader;
pub mod dates;
pub mod download;
pub mod fetch;
pub mod locale_choice;
pub mod money;
pub mod send;
pub mod storage;
