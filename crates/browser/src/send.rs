//! Sending the weekly report: a POST of its JSON body with nothing else attached, and the
//! randomness its randomizing draws on.
//!
//! The request carries no cookie or HTTP authentication (`credentials: 'omit'`), no referrer
//! (`referrerPolicy: 'no-referrer'`), and is a CORS "simple request" (`text/plain`), so a
//! collector on another origin gets no preflight and the browser sends no custom header. Nothing
//! of the response is read but its status.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, ReferrerPolicy, RequestCache, RequestCredentials, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> js_sys::Promise;

    /// The global `crypto` (a page's or a worker's).
    #[wasm_bindgen(thread_local_v2, js_name = crypto)]
    static CRYPTO: web_sys::Crypto;
}

/// POSTs `body` to `endpoint`; whether the endpoint took it (a 2xx answer), or why not.
pub async fn post_report(endpoint: &str, body: &str) -> Result<(), String> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body.into());
    init.set_credentials(RequestCredentials::Omit);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    init.set_cache(RequestCache::NoStore);
    let headers = Headers::new().map_err(|_| "no Headers in this browser".to_owned())?;
    headers
        .set("Content-Type", "text/plain;charset=UTF-8")
        .map_err(|_| "the Content-Type was refused".to_owned())?;
    init.set_headers(&headers);
    let response: Response = JsFuture::from(global_fetch(endpoint, &init))
        .await
        .map_err(|_| "the network request failed".to_owned())?
        .dyn_into()
        .map_err(|_| "not an HTTP response".to_owned())?;
    if response.ok() {
        Ok(())
    } else {
        Err(format!("HTTP {}", response.status()))
    }
}

/// 64 bits from the browser's cryptographic generator (`crypto.getRandomValues`): a randomizing
/// seeded from anything guessable would not hide the true answer.
pub fn random_u64() -> Result<u64, String> {
    let mut bytes = [0u8; 8];
    CRYPTO
        .with(|crypto| crypto.get_random_values_with_u8_array(&mut bytes))
        .map_err(|_| "crypto.getRandomValues failed".to_owned())?;
    Ok(u64::from_le_bytes(bytes))
}

/// Waits `ms` milliseconds (a page's or a worker's `setTimeout`).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout = js_sys::Reflect::get(&global, &"setTimeout".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(set_timeout) => {
                let _ = set_timeout.call2(&global, &resolve, &ms.into());
            }
            None => {
                let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            }
        }
    });
    let _ = JsFuture::from(promise).await;
}
