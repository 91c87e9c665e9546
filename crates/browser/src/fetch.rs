//! GET requests to the site, from a page or a Web Worker: the global `fetch` both have
//! (`window.fetch` is a page's only), so the JS package runs in either, with failures put in
//! words for a person.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> js_sys::Promise;
}

/// The successful response to a GET of `url`, HTTP caching as `cache` says, or why there is
/// none ("the network request failed", "HTTP 404").
pub async fn fetch_ok(url: &str, cache: RequestCache) -> Result<Response, String> {
    let init = RequestInit::new();
    init.set_cache(cache);
    let response: Response = JsFuture::from(global_fetch(url, &init))
        .await
        .map_err(|_| "the network request failed".to_owned())?
        .dyn_into()
        .map_err(|_| "not an HTTP response".to_owned())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    Ok(response)
}
