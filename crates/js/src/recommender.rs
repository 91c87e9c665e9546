//! The `Recommender` class: one shop's model and one shopper's profile.

use std::sync::Arc;

use aisle_browser::bundle_loader::{Parts, folder_of, load_model};
use aisle_browser::money::{plural_category, price_text};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use aisle_browser::storage::shared::{SharedProfile, Update};
use aisle_browser::storage::{DATABASE, PROFILE_KEY};
use aisle_core::bundle::Bundle;
use aisle_core::serve::recommend::{Model, Recommendation};
use aisle_core::serve::shelf_weights::Weights;
use aisle_core::shopper::changes::Change;
use aisle_core::shopper::features::ShopperFeatures;
use aisle_core::shopper::profile::Profile;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::input::{
    CopyOptions, LoadOptions, Persistence, Placement, RecommendOptions, TrackEvent, parse,
};

/// Products in a list when `k` is not given.
const DEFAULT_K: usize = 10;

/// Recommendations for one shopper from one shop's bundle, computed in this browser.
#[wasm_bindgen]
pub struct Recommender {
    model: Arc<Model>,
    profile: SharedProfile,
    warnings: Vec<String>,
    storage_error: Rc<RefCell<Option<String>>>,
    kept: Rc<Cell<Option<bool>>>,
    listeners: Rc<RefCell<Vec<js_sys::Function>>>,
    /// The manifest's folder, which the bundle's photo names are relative to.
    bundle_dir: String,
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
    /// The card-size photo; `null` when the shop gave none.
    image: Option<Photo>,
}

/// A product photo as JavaScript sees it.
#[derive(Serialize)]
struct Photo {
    src: String,
    width: u16,
    height: u16,
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
extern "C" {
    /// `Recommender.load`'s options as TypeScript sees them: an optional `LoadOptions`, so
    /// `Recommender.load(url)` type-checks as the README writes it.
    #[wasm_bindgen(typescript_type = "LoadOptions")]
    pub type LoadOptionsObject;
}

#[wasm_bindgen]
impl Recommender {
    /// Downloads the bundle whose manifest is at `manifestUrl`, verifies every file's sha256,
    /// decodes it once, and restores the shopper's profile.
    pub async fn load(
        #[wasm_bindgen(js_name = manifestUrl)] manifest_url: String,
        options: Option<LoadOptionsObject>,
    ) -> Result<Recommender, JsError> {
        let options: LoadOptions = match options {
            Some(options) => parse(options.into(), "Recommender.load options")?,
            None => LoadOptions::default(),
        };
        let loaded = load_model(&manifest_url, Parts::All)
            .await
            .map_err(|error| JsError::new(&format!("Recommender.load: {error}")))?;
        let key = options
            .profile_key
            .unwrap_or_else(|| PROFILE_KEY.to_owned());
        let (profile, mut warnings) = match options.persistence {
            Persistence::Memory => (SharedProfile::in_memory(), Vec::new()),
            Persistence::Indexeddb => {
                let opened = SharedProfile::open(DATABASE, &key).await;
                let mut warnings: Vec<String> =
                    opened.problem.iter().map(ToString::to_string).collect();
                warnings.extend(opened.set_aside.map(|set_aside| {
                    format!(
                        "the stored profile could not be read ({}); it was kept under `{}`",
                        set_aside.reason, set_aside.key
                    )
                }));
                (opened.profile, warnings)
            }
        };
        warnings.extend(loaded.skipped);
        warnings.extend(loaded.unused_extras);
        let mut recommender = Recommender::new(loaded.model, profile, warnings);
        recommender.bundle_dir = folder_of(&manifest_url).to_owned();
        Ok(recommender)
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

    /// Whether the browser keeps the profile when the device runs short of space: `true` or
    /// `false` once it has said (it is asked after the first save), `undefined` before or where
    /// it cannot say.
    #[wasm_bindgen(getter, js_name = storageKept)]
    pub fn storage_kept(&self) -> Option<bool> {
        self.kept.get()
    }

    /// Calls `callback` (no arguments) whenever the profile changes: something tracked here, or
    /// a change saved by another tab of the same site with the same `profileKey`, so the page
    /// can refresh what it shows.
    #[wasm_bindgen(js_name = onChange)]
    pub fn on_change(&self, callback: js_sys::Function) {
        self.listeners.borrow_mut().push(callback);
    }

    /// Records what the shopper did. A malformed event throws and changes nothing.
    pub fn track(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "TrackEvent")] event: JsValue,
    ) -> Result<(), JsError> {
        let event: TrackEvent = parse(event, "track")?;
        // All checked before any is recorded: a view with a bad dwell must not half-record.
        self.profile
            .change(Change::Record(event.into_events(now_ms())))
            .map_err(|error| JsError::new(&format!("track: {error}")))
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
        let list = self.profile.with(|profile| -> Result<_, JsError> {
            let ranked = match options.placement {
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
                Placement::CompleteOrder => self.model.complete_the_order(profile, all),
                Placement::CustomersLikeYou => self.model.customers_like_you(profile, now, all),
            };
            // The shop's merchandising first, then the page's own rules on top.
            Ok(self
                .model
                .shelf(options.placement.name(), ranked, profile, all))
        })?;
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
        Ok(self.items(
            &self
                .profile
                .with(|profile| self.model.similar(item, profile, k)),
        ))
    }

    /// Up to `k` products often bought together with `itemId`.
    #[wasm_bindgen(js_name = boughtTogether, unchecked_return_type = "Recommendation[]")]
    pub fn bought_together(
        &self,
        #[wasm_bindgen(js_name = itemId)] item_id: &str,
        k: usize,
    ) -> Result<JsValue, JsError> {
        let item = self.position(item_id, "boughtTogether")?;
        let list = self
            .profile
            .with(|profile| self.model.bought_together(item, profile, k));
        Ok(self.items(&list))
    }

    /// The shopper's customer segment, or `null` before their first order.
    #[wasm_bindgen(unchecked_return_type = "Segment | null")]
    pub fn segment(&self) -> JsValue {
        #[derive(Serialize)]
        struct Segment {
            name: &'static str,
        }
        let audience = self
            .profile
            .with(|profile| self.model.audience(profile, now_ms()));
        match audience.segment_name() {
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
        to_js(&self.profile.with(|profile| {
            ShopperFeatures::of(
                profile,
                self.model.catalog(),
                self.model.language(),
                now_ms(),
            )
        }))
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
        let (_, copy) = self.profile.with(|profile| {
            let for_you = self.model.for_you(profile, now, 1);
            self.model.copy_for(
                self.model.locale(None),
                profile,
                now,
                for_you.first(),
                options.channel,
                options.variant,
                |price| price_text(self.model.money(), price),
            )
        });
        Ok(to_js(&copy))
    }

    /// A price written the shop's way: its currency (from the bundle) in its locale, by the
    /// browser's `Intl.NumberFormat` (`£3.50`, `3,50 €`); a plain number when the shop named no
    /// currency.
    #[wasm_bindgen(js_name = formatPrice)]
    pub fn format_price(&self, amount: f64) -> String {
        price_text(self.model.money(), amount)
    }

    /// Everything stored about the shopper, as versioned JSON.
    #[wasm_bindgen(js_name = exportProfile)]
    pub fn export_profile(&self) -> String {
        self.profile.with(Profile::to_json)
    }

    /// Replaces the profile with an exported one (any version this package reads). Invalid
    /// JSON throws and keeps the current profile.
    #[wasm_bindgen(js_name = importProfile)]
    pub fn import_profile(&self, json: &str) -> Result<(), JsError> {
        self.profile
            .change(Change::Import(json.to_owned()))
            .map_err(|error| JsError::new(&format!("importProfile: {error}")))
    }

    /// Forgets one product entirely. Returns whether anything was known about it.
    pub fn forget(&self, #[wasm_bindgen(js_name = itemId)] item_id: &str) -> bool {
        let known = self.profile.with(|profile| profile.item(item_id).is_some());
        self.change(Change::ForgetItem(item_id.to_owned()));
        known
    }

    /// Deletes everything stored about the shopper.
    pub fn wipe(&self) {
        self.change(Change::Wipe);
    }
}

impl Recommender {
    fn new(model: Arc<Model>, profile: SharedProfile, warnings: Vec<String>) -> Self {
        let storage_error: Rc<RefCell<Option<String>>> = Rc::default();
        let kept: Rc<Cell<Option<bool>>> = Rc::default();
        let listeners: Rc<RefCell<Vec<js_sys::Function>>> = Rc::default();
        profile.subscribe({
            let (storage_error, kept, listeners) =
                (storage_error.clone(), kept.clone(), listeners.clone());
            move |update| match update {
                Update::Changed => {
                    for listener in listeners.borrow().clone() {
                        if let Err(error) = listener.call0(&JsValue::NULL) {
                            web_sys::console::error_1(&error);
                        }
                    }
                }
                Update::Problem(problem) => {
                    *storage_error.borrow_mut() = problem.map(ToString::to_string);
                }
                Update::Kept(answer) => kept.set(Some(answer)),
            }
        });
        profile.check_kept();
        Self {
            model,
            profile,
            warnings,
            storage_error,
            kept,
            listeners,
            bundle_dir: String::new(),
        }
    }

    /// Makes a change the package itself builds (always valid).
    fn change(&self, change: Change) {
        if let Err(error) = self.profile.change(change) {
            web_sys::console::error_1(&format!("aisle: {error}").into());
        }
    }

    /// A recommender over an already decoded bundle, keeping the profile in memory only (for
    /// Rust callers and tests; JavaScript uses `Recommender.load`).
    pub fn from_bundle(bundle: Bundle) -> Self {
        Self::new(
            Arc::new(Model::new(bundle)),
            SharedProfile::in_memory(),
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
                    reason: recommendation.reason.describe_in(
                        catalog,
                        self.model.locale(None).ui_texts(),
                        |count| plural_category(self.model.locale(None).language(), count),
                    ),
                    image: catalog.image(recommendation.item).map(|image| Photo {
                        src: format!("{}{}", self.bundle_dir, image.card.name),
                        width: image.card.width,
                        height: image.card.height,
                    }),
                })
            })
            .collect();
        to_js(&items)
    }
}
