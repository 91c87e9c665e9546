//! The Aisle demo storefront: a Leptos app compiled to WebAssembly.
//!
//! Thin by design: recommendations, the bundle format and the profile are aisle-core's, fetching the
//! bundle and keeping the profile on the device are `aisle-browser`'s; this crate fetches and shows. Pages are picked
//! by [`route`] from the URL's hash, so the built `dist/` works from any static file server,
//! under any sub-path.

pub mod app;
pub mod components;
pub mod deploy;
pub mod focus;
pub mod measuring;
pub mod pages;
pub mod route;
pub mod shopper;

use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point: wasm-bindgen calls it when the module loads.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
