//! aisle-js: the JavaScript/TypeScript package for shops that do not use Leptos.
//!
//! Thin glue over aisle-core, compiled with wasm-bindgen `--target web`. The crate holds its
//! place in the workspace so the layout is settled; the API (`Recommender.load`, `track`,
//! `recommend`, ...) arrives with the embed issue.

pub use aisle_core as core;
