//! Fetching the shop's bundle and turning it into a [`Model`], once per page load.
//!
//! Every file is checked against the manifest's sha256 by aisle-core before it is decoded; this
//! module only moves bytes from the network into memory, all files at once. A broken personal
//! part (co-purchase weights, segments) does not stop the store: it loads unpersonalised and says
//! which file failed, so the shopper can still browse.

use std::collections::HashMap;
use std::sync::Arc;

use aisle_core::bundle::{Bundle, Manifest};
use aisle_core::serve::recommend::Model;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why the store could not load its bundle, in words for the shopper.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct LoadError(String);

/// The model, and what of the bundle could not be used.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    /// The model to recommend with.
    pub model: Arc<Model>,
    /// Why each personal part was left out (empty when the whole bundle verified).
    pub skipped: Vec<String>,
}

/// Fetches, verifies and decodes the bundle whose manifest is at `manifest_url` (relative URLs
/// resolve against the page); the model files are fetched from beside the manifest.
pub async fn load_model(manifest_url: &str) -> Result<LoadedModel, LoadError> {
    let dir = manifest_url
        .rfind('/')
        .map_or("", |slash| &manifest_url[..=slash]);
    let manifest = Manifest::from_json(&fetch_bytes(manifest_url).await?)
        .map_err(|error| LoadError(error.to_string()))?;
    let names: Vec<&str> = Bundle::file_names(&manifest).collect();
    let downloads = names
        .iter()
        .map(|name| fetch_bytes_or_none(format!("{dir}{name}")));
    let mut files: HashMap<&str, Vec<u8>> = names
        .iter()
        .copied()
        .zip(futures::future::join_all(downloads).await)
        .filter_map(|(name, bytes)| Some((name, bytes?)))
        .collect();
    let decoded = Bundle::decode_lenient(&manifest, |name| files.remove(name))
        .map_err(|error| LoadError(error.to_string()))?;
    Ok(LoadedModel {
        model: Arc::new(Model::new(decoded.bundle)),
        skipped: decoded.skipped.iter().map(ToString::to_string).collect(),
    })
}

/// A file's bytes, or `None` when it could not be downloaded: decoding then reports it missing,
/// and decides whether the store can do without it.
async fn fetch_bytes_or_none(url: String) -> Option<Vec<u8>> {
    match fetch_bytes(&url).await {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            web_sys::console::warn_1(&error.to_string().into());
            None
        }
    }
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
