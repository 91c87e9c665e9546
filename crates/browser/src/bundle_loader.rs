//! Fetching the shop's bundle and turning it into a [`Model`]: at page load, and again when the
//! shop has deployed a new one ([`load_if_changed`]).
//!
//! Every file is checked against the manifest's sha256 by aisle-core before it is decoded; this
//! module only moves bytes from the network into memory. At page load it fetches every file but
//! those the manifest marks on demand: what each product brings to a history (its EASE weights,
//! most of a large shop's bundle, its basket partners and re-order rate), split into shards of
//! products ([`aisle_core::catalog::shards`]). A new shopper's first page ranks without them;
//! [`load_history_shards`] fetches the shards a shopper's history needs, when it first needs
//! them, so the host learns which shards were fetched and no more. A large catalog's texts, but
//! its first page's, are on demand too ([`aisle_core::catalog::first_page`]): [`load_texts`]
//! fetches them once the first page is shown, the same request for every shopper. A new deploy
//! found in the
//! background is fetched the same way. A broken personal part (a shard, segments) does not stop
//! the store: it loads unpersonalised and says which file failed, so the shopper can still
//! browse.
//!
//! The manifest is the one file with a fixed name: looking for a new deploy revalidates it with
//! the server (`cache: no-cache`). The files it lists are named by their content and may come
//! from any cache.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use aisle_core::bundle::{Bundle, Manifest};
use aisle_core::catalog::columns::TextColumns;
use aisle_core::catalog::shards::Grouping;
use aisle_core::models::history_rows::HistoryShard;
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
    /// The manifest, read, for the files fetched on demand.
    parsed: Arc<Manifest>,
    /// The folder the bundle's files are in.
    dir: String,
    /// The scales of the EASE weights, once fetched, where the bundle ships them apart from
    /// the shards (format versions 7 to 10): every shard of such a bundle decodes with them.
    ease_scales: Arc<OnceLock<Vec<f32>>>,
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
/// and decoded as for a first page ([`Parts::FirstPage`]: its shards come as histories need
/// them, so a tab open across a deploy never downloads the whole model); `None` when the
/// shop has not deployed since.
pub async fn load_if_changed(
    manifest_url: &str,
    current: &LoadedModel,
) -> Result<Option<LoadedModel>, LoadError> {
    let bytes = fetch_bytes(manifest_url, web_sys::RequestCache::NoCache).await?;
    if *bytes == *current.manifest {
        return Ok(None);
    }
    load_manifest(manifest_url, bytes, Parts::FirstPage)
        .await
        .map(Some)
}

/// Fetches, verifies and decodes `shards` of what products bring to a history (with the EASE
/// scales they need, the first time) and gives them to the model, for a model loaded with
/// [`Parts::FirstPage`]. A shard that cannot be used gets empty rows, so no shelf waits for it
/// any longer, and the error says why, for the shopper.
pub async fn load_history_shards(loaded: &LoadedModel, shards: &[usize]) -> Result<(), LoadError> {
    let Some(grouping) = loaded.model.history_rows().grouping() else {
        return Ok(());
    };
    let provided = provide_history_shards(loaded, grouping, shards).await;
    for &shard in shards {
        let members = grouping.members(shard).len();
        // Nothing changes for a shard that arrived.
        loaded
            .model
            .provide_shard(shard, HistoryShard::empty(members));
    }
    provided.map_err(LoadError::from)
}

/// [`load_texts`] and [`load_history_shards`] of `shards` side by side, for a model loaded with
/// [`Parts::FirstPage`]; why each could not be used.
pub async fn load_missing_parts(loaded: &LoadedModel, shards: &[usize]) -> Vec<LoadError> {
    let history = async {
        match shards {
            [] => Ok(()),
            shards => load_history_shards(loaded, shards).await,
        }
    };
    let (texts, history) = futures::join!(load_texts(loaded), history);
    [texts.err(), history.err()].into_iter().flatten().collect()
}

/// Fetches, verifies and decodes a large catalog's texts, which a model loaded with
/// [`Parts::FirstPage`] awaits ([`aisle_core::catalog::Catalog::texts_pending`]), and gives them
/// to its catalog; nothing when it awaits none. The request is the same for every shopper. When
/// they cannot be used, the products they lack are shown by their codes, so no card waits for
/// them any longer, and the error says why.
pub async fn load_texts(loaded: &LoadedModel) -> Result<(), LoadError> {
    let catalog = loaded.model.catalog();
    let Some(name) = Bundle::texts_file(&loaded.parsed).filter(|_| catalog.texts_pending()) else {
        return Ok(());
    };
    let url = format!("{}{name}", loaded.dir);
    let mut fetched = fetch_bytes_or_none(url.clone()).await;
    keep_offline(&url);
    let read = |_: &str| fetched.take();
    match Bundle::decode_texts(&loaded.parsed, read, catalog.len()) {
        Ok(texts) => {
            catalog.provide_texts(texts);
            Ok(())
        }
        Err(error) => {
            catalog.provide_texts(TextColumns::naming(catalog.ids()));
            Err(error.into())
        }
    }
}

/// [`load_history_shards`] but for the shards it could not use; the first error.
async fn provide_history_shards(
    loaded: &LoadedModel,
    grouping: &Grouping,
    shards: &[usize],
) -> aisle_core::Result<()> {
    let (model, manifest) = (&loaded.model, &loaded.parsed);
    // Bundles of format versions 7 to 10 ship the EASE weights' scales apart from the shards.
    let scales_file = Bundle::ease_scales_file(manifest)?;
    let scales_wanted = scales_file.is_some() && loaded.ease_scales.get().is_none();
    let mut names = Vec::with_capacity(shards.len() + 1);
    if let Some(file) = scales_file.filter(|_| scales_wanted) {
        names.push(file);
    }
    for &shard in shards {
        names.push(Bundle::history_shard_file(manifest, shard)?);
    }
    let urls: Vec<String> = names
        .iter()
        .map(|name| format!("{}{name}", loaded.dir))
        .collect();
    let fetched = futures::future::join_all(urls.iter().cloned().map(fetch_bytes_or_none)).await;
    urls.iter().for_each(|url| keep_offline(url));
    let mut files: HashMap<&str, Vec<u8>> = names
        .iter()
        .copied()
        .zip(fetched)
        .filter_map(|(name, bytes)| Some((name, bytes?)))
        .collect();
    let mut read = |name: &str| files.remove(name);
    if scales_wanted {
        let scales = Bundle::decode_ease_scales(manifest, &mut read, model.catalog().len())?;
        let _ = loaded.ease_scales.set(scales);
    }
    let scales = loaded.ease_scales.get().map_or(&[][..], Vec::as_slice);
    let products = model.catalog().len();
    let mut first_error = Ok(());
    for &shard in shards {
        let members = grouping.members(shard);
        match Bundle::decode_history_shard(manifest, shard, &mut read, members, products, scales) {
            Ok(rows) => {
                model.provide_shard(shard, rows);
            }
            Err(error) => first_error = first_error.and(Err(error)),
        }
    }
    first_error
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
    /// Every file but those fetched on demand: the shards of what products bring to a history,
    /// which [`load_history_shards`] fetches as a shopper's history needs them, and a large
    /// catalog's texts, which [`load_texts`] fetches once the first page is shown. A page shows
    /// a shopper with no history their recommendations sooner, and no shopper downloads the
    /// whole model. A bundle whose co-purchase pairs and re-order rates are whole (format
    /// version 7 and before) loads whole.
    FirstPage,
}

async fn load_manifest(
    manifest_url: &str,
    bytes: Vec<u8>,
    parts: Parts,
) -> Result<LoadedModel, LoadError> {
    let dir = folder_of(manifest_url);
    let manifest = Manifest::from_json(&bytes)?;
    let plan = manifest
        .history_plan()
        .cloned()
        .filter(|_| parts == Parts::FirstPage);
    let names: Vec<&str> = manifest
        .files
        .iter()
        .filter(|entry| plan.is_none() || !entry.on_demand)
        .map(|entry| entry.name.as_str())
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
    let decoded = match &plan {
        None => Bundle::decode_lenient(&manifest, read)?,
        Some(_) => Bundle::decode_lenient_without_history(&manifest, read)?,
    };
    let model = match &plan {
        None => Model::new(decoded.bundle),
        Some(plan) => Model::awaiting_history(decoded.bundle, plan),
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
        parsed: Arc::new(manifest),
        dir: dir.to_owned(),
        ease_scales: Arc::default(),
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
