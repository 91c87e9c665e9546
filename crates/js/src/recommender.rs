//! The `Recommender` class: one shop's model and one shopper's profile.

use std::sync::Arc;

use aisle_browser::bundle_loader::load_model;
use aisle_browser::storage::{self, Backend, DATABASE, PROFILE_KEY};
use aisle_core::bundle::Bundle;
use aisle_core::serve::recommend::{Model, Recommendation};
use aisle_core::serve::shelf_weights::Weights;
use aisle_core::shopper::features::ShopperFeatures;
use aisle_core::shopper::profile::Profile;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::input::{
    CopyOptions, LoadOptions, Persistence, Placement, RecommendOptions, TrackEvent, parse,
};

/// Products in a list when `k` is not given.
const DEFAULT_K: usize = 10;

/// Recommendations for one shopper from one shop's bundle, computed in this browser.
#[wasm_bindgen]
pub struct Recommender {
    model: Arc<Model>,
    profile: Profile,
    backend: Backend,
    key: String,
    warnings: Vec<String>,
    storage_error: std::rc::Rc<std::cell::RefCell<Option<String>>>,
}

/// `Recommendation` as JavaScript sees it.
#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    title: &'a str,
    category: &'a str,
    price: f64,
    score: f32,
    reason: String,
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("plain data serialises")
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

#[wasm_bindgen]
impl Recommender {
    /// Downloads the bundle whose manifest is at `manifestUrl`, verifies every file's sha256,
    /// decodes it once, and restores the shopper's profile.
    pub async fn load(
        #[wasm_bindgen(js_name = manifestUrl)] manifest_url: String,
        #[wasm_bindgen(unchecked_param_type = "LoadOptions")] options: Option<js_sys::Object>,
    ) -> Result<Recommender, JsError> {
        let options: LoadOptions = match options {
            Some(options) => parse(options.into(), "Recommender.load options")?,
            None => LoadOptions::default(),
        };
        let loaded = load_model(&manifest_url)
            .await
            .map_err(|error| JsError::new(&format!("Recommender.load: {error}")))?;
        let key = options
            .profile_key
            .unwrap_or_else(|| PROFILE_KEY.to_owned());
        let (backend, profile, mut warnings) = match options.persistence {
            Persistence::Memory => (Backend::Memory, Profile::default(), Vec::new()),
            Persistence::Indexeddb => {
                let opened = storage::open(DATABASE, &key).await;
                let mut warnings: Vec<String> =
                    opened.problem.iter().map(ToString::to_string).collect();
                warnings.extend(opened.loaded.set_aside.map(|set_aside| {
                    format!(
                        "the stored profile could not be read ({}); it was kept under `{}`",
                        set_aside.reason, set_aside.key
                    )
                }));
                (opened.backend, opened.loaded.profile, warnings)
            }
        };
        warnings.extend(loaded.skipped);
        Ok(Recommender::new(
            loaded.model,
            profile,
            backend,
            key,
            warnings,
        ))
    }

    /// What did not go as planned while loading (a bundle part left out, a profile set aside,
    /// storage unavailable). Empty when all is well.
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// The last error saving the profile, if the latest save failed.
    #[wasm_bindgen(getter, js_name = storageError)]
    pub fn storage_error(&self) -> Option<String> {
        self.storage_error.borrow().clone()
    }

    /// Records what the shopper did. A malformed event throws and changes nothing.
    pub fn track(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "TrackEvent")] event: JsValue,
    ) -> Result<(), JsError> {
        let event: TrackEvent = parse(event, "track")?;
        let events = event.into_events(now_ms());
        // Checked first, all of them: a view with a bad dwell must not half-record.
        for event in &events {
            event
                .check()
                .map_err(|error| JsError::new(&format!("track: {error}")))?;
        }
        for event in events {
            self.profile
                .record(event)
                .map_err(|error| JsError::new(&format!("track: {error}")))?;
        }
        self.save();
        Ok(())
    }

    /// Up to `k` products for a placement, best first, each with its reason.
    #[wasm_bindgen(unchecked_return_type = "Recommendation[]")]
    pub fn recommend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RecommendOptions")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let options: RecommendOptions = parse(options, "recommend")?;
        let k = options.k.unwrap_or(DEFAULT_K);
        let all = self.model.catalog().len();
        let item = || -> Result<usize, JsError> {
            let id = options.item.as_deref().ok_or_else(|| {
                JsError::new(&format!(
                    "recommend: placement \"{}\" needs `item`, the product to recommend for",
                    options.placement.name()
                ))
            })?;
            self.position(id, "recommend")
        };
        let weights = |base: Weights| -> Result<Weights, JsError> {
            let weights = options
                .weights
                .as_ref()
                .map_or(base, |overrides| overrides.over(base));
            weights
                .check()
                .map_err(|error| JsError::new(&format!("recommend: weights: {error}")))?;
            Ok(weights)
        };
        if options.weights.is_some()
            && !matches!(options.placement, Placement::ForYou | Placement::Similar)
        {
            return Err(JsError::new(&format!(
                "recommend: placement \"{}\" has no weights to set (only \"for-you\" and \"similar\" blend signals)",
                options.placement.name()
            )));
        }
        let now = now_ms();
        let profile = &self.profile;
        let list = match options.placement {
            Placement::ForYou => {
                let weights = weights(Weights::for_you(self.model.settings()))?;
                self.model.for_you_with(profile, now, all, &weights)
            }
            Placement::BuyAgain => self.model.buy_again(profile, now, all),
            Placement::Trending => self.model.trending(profile, all),
            Placement::Recent => self.model.recently_viewed(profile, all),
            Placement::Similar => {
                let weights = weights(Weights::SIMILAR)?;
                self.model.similar_with(item()?, profile, all, &weights)
            }
            Placement::BoughtTogether => self.model.bought_together(item()?, profile, all),
            Placement::CustomersLikeYou => self.model.customers_like_you(profile, now, all),
        };
        if !(0.0..=1.0).contains(&options.diversity) {
            return Err(JsError::new(&format!(
                "recommend: diversity must be between 0 and 1, got {}",
                options.diversity
            )));
        }
        let kept = options.rules().apply(&self.model, list, k);
        Ok(self.items(&kept))
    }

    /// Up to `k` products that look like `itemId`.
    #[wasm_bindgen(unchecked_return_type = "Recommendation[]")]
    pub fn similar(
        &self,
        #[wasm_bindgen(js_name = itemId)] item_id: &str,
        k: usize,
    ) -> Result<JsValue, JsError> {
        let item = self.position(item_id, "similar")?;
        Ok(self.items(&self.model.similar(item, &self.profile, k)))
    }

    /// Up to `k` products often bought together with `itemId`.
    #[wasm_bindgen(js_name = boughtTogether, unchecked_return_type = "Recommendation[]")]
    pub fn bought_together(
        &self,
        #[wasm_bindgen(js_name = itemId)] item_id: &str,
        k: usize,
    ) -> Result<JsValue, JsError> {
        let item = self.position(item_id, "boughtTogether")?;
        Ok(self.items(&self.model.bought_together(item, &self.profile, k)))
    }

    /// The shopper's customer segment, or `null` before their first order.
    #[wasm_bindgen(unchecked_return_type = "Segment | null")]
    pub fn segment(&self) -> JsValue {
        #[derive(Serialize)]
        struct Segment {
            name: &'static str,
        }
        match self.model.audience(&self.profile, now_ms()).segment_name() {
            None => JsValue::NULL,
            Some(name) => to_js(&Segment { name }),
        }
    }

    /// The settings the shop's bundle ranks "for-you" and "buy-again" with, learned from its
    /// order history (`aisle inspect` prints the same, with how they were chosen).
    #[wasm_bindgen(unchecked_return_type = "BlendSettings")]
    pub fn settings(&self) -> JsValue {
        to_js(self.model.settings())
    }

    /// The shopper's five features (browse and purchase frequency, search keywords, browse
    /// duration, purchase amount) and category affinity, from this browser's record only.
    #[wasm_bindgen(unchecked_return_type = "ShopperFeatures")]
    pub fn features(&self) -> JsValue {
        to_js(&ShopperFeatures::of(
            &self.profile,
            self.model.catalog(),
            now_ms(),
        ))
    }

    /// Marketing copy for this shopper's audience on a channel, featuring their first "For you"
    /// product.
    #[wasm_bindgen(unchecked_return_type = "Copy")]
    pub fn copy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CopyOptions")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let options: CopyOptions = parse(options, "copy")?;
        let now = now_ms();
        let for_you = self.model.for_you(&self.profile, now, 1);
        let (_, copy) = self.model.copy_for(
            &self.profile,
            now,
            for_you.first(),
            options.channel,
            options.variant,
        );
        Ok(to_js(&copy))
    }

    /// Everything stored about the shopper, as versioned JSON.
    #[wasm_bindgen(js_name = exportProfile)]
    pub fn export_profile(&self) -> String {
        self.profile.to_json()
    }

    /// Replaces the profile with an exported one (any version this package reads). Invalid
    /// JSON throws and keeps the current profile.
    #[wasm_bindgen(js_name = importProfile)]
    pub fn import_profile(&mut self, json: &str) -> Result<(), JsError> {
        self.profile = Profile::from_json(json)
            .map_err(|error| JsError::new(&format!("importProfile: {error}")))?;
        self.save();
        Ok(())
    }

    /// Forgets one product entirely. Returns whether anything was known about it.
    pub fn forget(&mut self, #[wasm_bindgen(js_name = itemId)] item_id: &str) -> bool {
        let known = self.profile.forget_item(item_id);
        self.save();
        known
    }

    /// Deletes everything stored about the shopper.
    pub fn wipe(&mut self) {
        self.profile = Profile::default();
        self.save();
    }
}

impl Recommender {
    fn new(
        model: Arc<Model>,
        profile: Profile,
        backend: Backend,
        key: String,
        warnings: Vec<String>,
    ) -> Self {
        Self {
            model,
            profile,
            backend,
            key,
            warnings,
            storage_error: Default::default(),
        }
    }

    /// A recommender over an already decoded bundle, keeping the profile in memory only (for
    /// Rust callers and tests; JavaScript uses `Recommender.load`).
    pub fn from_bundle(bundle: Bundle) -> Self {
        let key = PROFILE_KEY.to_owned();
        Self::new(
            Arc::new(Model::new(bundle)),
            Profile::default(),
            Backend::Memory,
            key,
            Vec::new(),
        )
    }

    fn position(&self, id: &str, what: &str) -> Result<usize, JsError> {
        self.model
            .catalog()
            .position(id)
            .ok_or_else(|| JsError::new(&format!("{what}: no product `{id}` in the catalog")))
    }

    fn items(&self, list: &[Recommendation]) -> JsValue {
        let catalog = self.model.catalog();
        let items: Vec<Item> = list
            .iter()
            .filter_map(|recommendation| {
                let product = catalog.product(recommendation.item)?;
                Some(Item {
                    id: &product.id,
                    title: &product.title,
                    category: &product.category,
                    price: product.price,
                    score: recommendation.score,
                    reason: recommendation.reason.describe(catalog),
                })
            })
            .collect();
        to_js(&items)
    }

    /// Saves the profile in the background; a failure is kept for `storageError` and logged.
    fn save(&self) {
        let saved = self.backend.save(&self.key, &self.profile.to_json());
        let slot = self.storage_error.clone();
        spawn_local(async move {
            let outcome = saved.await.err().map(|error| error.to_string());
            if let Some(error) = &outcome {
                web_sys::console::warn_1(&format!("aisle: {error}").into());
            }
            *slot.borrow_mut() = outcome;
        });
    }
}
