//! Which locale the store speaks to this shopper: the languages their browser prefers
//! (`navigator.languages`), and the locale they chose in the store, kept in `localStorage` apart
//! from the profile: it is a setting of this browser, not a record of what they did, and a store
//! must read it before its first words, without waiting for IndexedDB. The choice among the
//! shop's locales is aisle-core's ([`aisle_core::serve::locales::negotiate`]).

use wasm_bindgen::JsCast;

/// The `localStorage` key of the shopper's choice.
pub const KEY: &str = "aisle-locale";

/// The browser's languages, most preferred first; empty outside a browser.
pub fn preferred_languages() -> Vec<String> {
    let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
        return Vec::new();
    };
    let listed: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|tag| tag.dyn_into::<js_sys::JsString>().ok().map(String::from))
        .collect();
    if listed.is_empty() {
        navigator.language().into_iter().collect()
    } else {
        listed
    }
}

/// The locale the shopper chose in this browser, if any (and if storage can be read).
pub fn saved() -> Option<String> {
    storage()?.get_item(KEY).ok().flatten()
}

/// Keeps the shopper's choice for their next visit. A browser that refuses storage keeps it for
/// this page only, which is all it allows: the store still speaks the chosen language.
pub fn save(tag: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, tag);
    }
}

/// Forgets the shopper's choice (the privacy center's wipe).
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
