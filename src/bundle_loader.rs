//! Fetching the shop's bundle and turning it into a [`Model`], once per page load.
//!
//! Every file is checked against the manifest's sha256 by aisle-core before it is decoded; this
//! module only moves bytes from the network into memory.

use std::collections::HashMap;
use std::sync::Arc;

use aisle_core::bundle::{Bundle, MANIFEST_FILE, Manifest};
use aisle_core::recommend::Model;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the bundle sits relative to the page, so the store works under any sub-path.
pub const BUNDLE_DIR: &str = "bundle/";

/// Why the store could not load its bundle, in words for the shopper.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct LoadError(String);

/// Fetches, verifies and decodes the bundle under `dir`.
pub async fn load_model(dir: &str) -> Result<Arc<Model>, LoadError> {
    let manifest = Manifest::from_json(&fetch_bytes(&format!("{dir}{MANIFEST_FILE}")).await?)
        .map_err(|error| LoadError(error.to_string()))?;
    let mut files = HashMap::new();
    for name in Bundle::file_names(&manifest) {
        files.insert(name.to_owned(), fetch_bytes(&format!("{dir}{name}")).await?);
    }
    let bundle = Bundle::decode(&manifest, |name| files.remove(name))
        .map_err(|error| LoadError(error.to_string()))?;
    Ok(Arc::new(Model::new(bundle)))
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, LoadError> {
    let failed = |why: &str| LoadError(format!("could not download {url}: {why}"));
    let window = web_sys::window().ok_or_else(|| failed("no window"))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| failed("the network request failed"))?
        .dyn_into()
        .map_err(|_| failed("not an HTTP response"))?;
    if !response.ok() {
        return Err(failed(&format!("HTTP {}", response.status())));
    }
    let buffer = JsFuture::from(
        response
            .array_buffer()
            .map_err(|_| failed("unreadable body"))?,
    )
    .await
    .map_err(|_| failed("the download was interrupted"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
