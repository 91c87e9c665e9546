//! The segmentation studio: its own page (`studio/` beside the store), so shoppers never
//! download it. A marketer drops an order export; aisle-core's studio runs in a Web Worker
//! (`aisle-studio-worker`) and this crate shows each step and sends the marketer's choices.

mod chart;
mod cleaning;
mod client;
mod demo_orders;
mod export;
mod features;
mod file_step;
mod k_chart;
mod mapping;
mod page;
mod scatter;
mod segment_card;
mod texts;

use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point: wasm-bindgen calls it when the module loads.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(page::StudioPage);
}
