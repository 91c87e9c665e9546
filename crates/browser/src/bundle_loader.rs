//! Fetching the shop's bundle and turning it into a [`Model`]: at page load, and again when the
//! shop has deployed a new one ([`load_if_changed`]).
//!
//! Every file is checked against the manifest's sha256 by aisle-core before it is decoded; this
//! module only moves bytes from the network into memory. At page load it fetches every file but
//! the EASE weights, which are most of a large shop's bundle and which a new shopper's first page
//! does not rank with; [`load_ease`] fetches them next, while the shopper looks at that page. A
//! new deploy found in the background is fetched whole, all files at once. A broken personal
//! part (co-purchase weights, segments) does not stop the store: it loads unpersonalised and says
//! which file failed, so the shopper can still browse.
//!
//! The manifest is the one file with a fixed name: looking for a new deploy revalidates it with
//! the server (`cache: no-cache`). The files it lists are named by their content and may come
//! from any cache.

use std::collections::HashMap;
use std::sync::Arc;

use aisle_core::bundle::{Bundle, Manifest};
use aisle_core::models::item_weights::ItemWeights;
use aisle_core::serve::recommend::Model;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::fetch::fetch_ok;

/// Why the store could not load its bundle, in words for the shopper.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct LoadError {
    message: String,
    /// The manifest is of a format or version this code does not read: a newer deploy, which
    /// the page's newer code reads after a reload.
    pub needs_reload: bool,
}

impl LoadError {
    fn new(message: String) -> Self {
        Self {
            message,
            needs_reload: false,
        }
    }
}

impl From<aisle_core::Error> for LoadError {
    fn from(error: aisle_core::Error) -> Self {
        Self {
            needs_reload: matches!(error, aisle_core::Error::UnsupportedBundle { .. }),
            message: error.to_string(),
        }
    }
}

/// The model, and what of the bundle could not be used.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    /// The model to recommend with.
    pub model: Arc<Model>,
    /// Why each personal part was left out (empty when the whole bundle verified).
    pub skipped: Vec<String>,
    /// Why each part presenting the store (texts, copy, photos) was left out.
    pub unused_extras: Vec<String>,
    /// The manifest's bytes, to tell a new deploy from this one.
    pub manifest: Arc<[u8]>,
    /// The folder the bundle's files are in.
    dir: String,
    /// Whether the model still lacks its EASE weights, for [`load_ease`] to fetch.
    pub awaits_ease: bool,
}

/// Fetches, verifies and decodes `parts` of the bundle whose manifest is at `manifest_url`
/// (relative URLs resolve against the page); the model files are fetched from beside the
/// manifest. The manifest is fetched as HTTP caching says, so a page's `<link rel="preload">`
/// of it serves this request.
pub async fn load_model(manifest_url: &str, parts: Parts) -> Result<LoadedModel, LoadError> {
    let bytes = fetch_bytes(manifest_url, web_sys::RequestCache::Default).await?;
    load_manifest(manifest_url, bytes, parts).await
}

/// As [`load_model`], with the manifest's bytes already on their way: `downloading` is the
/// page's own request for them (a promise of an `ArrayBuffer`), so the manifest is requested
/// once. When that request failed, the manifest is fetched here, and its error is the one told.
pub async fn load_model_downloading(
    manifest_url: &str,
    downloading: js_sys::Promise,
    parts: Parts,
) -> Result<LoadedModel, LoadError> {
    match JsFuture::from(downloading).await {
        Ok(buffer) => {
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            load_manifest(manifest_url, bytes, parts).await
        }
        Err(_) => load_model(manifest_url, parts).await,
    }
}

/// The bundle at `manifest_url` when its manifest differs from `current`'s, fetched, verified
/// and decoded; `None` when the shop has not deployed since.
pub async fn load_if_changed(
    manifest_url: &str,
    current: &LoadedModel,
) -> Result<Option<LoadedModel>, LoadError> {
    let bytes = fetch_bytes(manifest_url, web_sys::RequestCache::NoCache).await?;
    if *bytes == *current.manifest {
        return Ok(None);
    }
    load_manifest(manifest_url, bytes, Parts::All)
        .await
        .map(Some)
}

/// Fetches, verifies and decodes the EASE weights of a model loaded without them, and gives
/// them to it. When they cannot be used, the model gets none, so no shelf waits for them any
/// longer, and the error says why, for the shopper.
pub async fn load_ease(loaded: &LoadedModel) -> Result<(), LoadError> {
    let products = loaded.model.catalog().len();
    let result = async {
        let manifest = Manifest::from_json(&loaded.manifest)?;
        let name = Bundle::ease_file(&manifest)?;
        let url = format!("{}{name}", loaded.dir);
        let mut bytes = fetch_bytes_or_none(url.clone()).await;
        keep_offline(&url);
        Ok(Bundle::decode_ease(&manifest, |_| bytes.take(), products)?)
    }
    .await;
    match result {
        Ok(ease) => {
            loaded.model.provide_ease(ease);
            Ok(())
        }
        Err(error) => {
            loaded.model.provide_ease(ItemWeights::none(products));
            Err(error)
        }
    }
}

/// Tells the store's service worker, through its start-up script's `aisleKeepOffline`, that
/// `url` has arrived, so it keeps a copy for offline use; nothing where there is none (the JS
/// package's hosts).
fn keep_offline(url: &str) {
    let window = js_sys::global();
    let keep = js_sys::Reflect::get(&window, &"aisleKeepOffline".into())
        .ok()
        .and_then(|keep| keep.dyn_into::<js_sys::Function>().ok());
    if let Some(keep) = keep {
        let _ = keep.call1(&window, &url.into());
    }
}

/// Which of a bundle's files to fetch now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parts {
    /// Every file: the model ranks every shopper as soon as it is loaded.
    All,
    /// Every file but the EASE weights, for [`load_ease`] to fetch next: a page can show a
    /// shopper with no history their recommendations sooner.
    AllButEase,
}

async fn load_manifest(
    manifest_url: &str,
    bytes: Vec<u8>,
    parts: Parts,
) -> Result<LoadedModel, LoadError> {
    let dir = folder_of(manifest_url);
    let manifest = Manifest::from_json(&bytes)?;
    let ease_file = Bundle::ease_file(&manifest).ok();
    let names: Vec<&str> = Bundle::file_names(&manifest)
        .filter(|&name| parts == Parts::All || Some(name) != ease_file)
        .collect();
    let downloads = names
        .iter()
        .map(|name| fetch_bytes_or_none(format!("{dir}{name}")));
    let mut files: HashMap<&str, Vec<u8>> = names
        .iter()
        .copied()
        .zip(futures::future::join_all(downloads).await)
        .filter_map(|(name, bytes)| Some((name, bytes?)))
        .collect();
    let read = |name: &str| files.remove(name);
    let decoded = match parts {
        Parts::All => Bundle::decode_lenient(&manifest, read)?,
        Parts::AllButEase => Bundle::decode_lenient_without_ease(&manifest, read)?,
    };
    let model = match parts {
        Parts::All => Model::new(decoded.bundle),
        Parts::AllButEase => Model::awaiting_ease(decoded.bundle),
    };
    Ok(LoadedModel {
        model: Arc::new(model),
        skipped: decoded.skipped.iter().map(ToString::to_string).collect(),
        unused_extras: decoded
            .unused_extras
            .iter()
            .map(ToString::to_string)
            .collect(),
        manifest: bytes.into(),
        dir: dir.to_owned(),
        awaits_ease: parts == Parts::AllButEase,
    })
}

/// The folder of a manifest's URL (up to its last `/`, without query or fragment), which the
/// bundle's file names and photo names are relative to; `""` for a bare file name.
pub fn folder_of(manifest_url: &str) -> &str {
    let path = manifest_url
        .split(['?', '#'])
        .next()
        .unwrap_or(manifest_url);
    path.rfind('/').map_or("", |slash| &path[..=slash])
}

/// A file's bytes, or `None` when it could not be downloaded: decoding then reports it missing,
/// and decides whether the store can do without it.
async fn fetch_bytes_or_none(url: String) -> Option<Vec<u8>> {
    match fetch_bytes(&url, web_sys::RequestCache::Default).await {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            web_sys::console::warn_1(&error.to_string().into());
            None
        }
    }
}

async fn fetch_bytes(url: &str, cache: web_sys::RequestCache) -> Result<Vec<u8>, LoadError> {
    let failed = |why: &str| LoadError::new(format!("could not download {url}: {why}"));
    let response = fetch_ok(url, cache).await.map_err(|why| failed(&why))?;
    let buffer = JsFuture::from(
        response
            .array_buffer()
            .map_err(|_| failed("unreadable body"))?,
    )
    .await
    .map_err(|_| failed("the download was interrupted"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn names_are_relative_to_the_manifests_folder() {
        assert_eq!(folder_of("/shop/bundle/manifest.json?v=2"), "/shop/bundle/");
        assert_eq!(
            folder_of("https://shop.example/b/manifest.json#x"),
            "https://shop.example/b/"
        );
        assert_eq!(folder_of("manifest.json"), "");
    }
}
