//! The bundle in use, and the shop's next one: a tab open across a redeploy switches to the new
//! bundle at a navigation, between two renders, so no page ever shows a mix of the two.
//!
//! Every [`CHECK_EVERY`] the tab asks the server whether the manifest changed (a revalidation:
//! usually a bodiless 304). A new bundle is fetched, verified and decoded in the background and
//! kept aside, if every part of it verified; the next navigation renders with it. Its
//! shards, like the first bundle's, are fetched when a shopper's history needs them, so a
//! shopper with a history sees its shelves a moment after that navigation. The check runs
//! on a timer rather than at each navigation, so the shop's server learns only that the tab is
//! open, never when or how often the shopper moves through the store. The profile lives apart
//! from the bundle, by product id, so it survives any deploy; a product the new catalog lacks is
//! kept in it but not shown, and shows again if the product returns.
//!
//! A manifest this code cannot read (a newer bundle format, deployed with newer code) is not an
//! error for the shopper: the next navigation reloads the page, once every change to the
//! profile is saved, and the new code reads it.

use std::sync::Arc;
use std::time::Duration;

use aisle_browser::bundle_loader::{LoadedModel, load_if_changed, load_missing_parts};
use aisle_browser::locale_choice;
use aisle_browser::money;
use aisle_core::catalog::Catalog;
use aisle_core::catalog::money::Money;
use aisle_core::serve::locales::Locale;
use aisle_core::serve::reason::Reason;
use aisle_core::serve::recommend::Model;
use aisle_core::shopper::profile::Profile;
use leptos::prelude::*;

use crate::shopper::Shopper;

/// How often an open tab looks for a new deploy.
pub const CHECK_EVERY: Duration = Duration::from_secs(5 * 60);

/// What the next navigation switches to.
enum Next {
    /// A new bundle, verified and decoded.
    Bundle(LoadedModel),
    /// A bundle this code cannot read: reload the page.
    Reload,
}

/// Where fetching what the first page did without stands: the shards a shopper's history
/// needs, and a large catalog's texts.
#[derive(Clone, Copy, PartialEq)]
enum PartsFetch {
    /// The first page is not painted yet: nothing may delay it.
    BeforeFirstPaint,
    /// Free to fetch what a history needs.
    Idle,
    /// Fetching; what else is missing is fetched when this is done.
    Busy,
}

/// The bundle the pages render with, and the one waiting for the next navigation.
#[derive(Clone, Copy)]
pub struct Deploys {
    current: StoredValue<LoadedModel, LocalStorage>,
    next: StoredValue<Option<Next>, LocalStorage>,
    /// Notified when shards or texts have arrived (or failed to), and when fetching may start.
    arrival: Trigger,
    parts_fetch: StoredValue<PartsFetch, LocalStorage>,
    /// Why a part could not be used, for the shopper: the first load's, then any shard's.
    faults: RwSignal<Vec<String>>,
}

impl Deploys {
    /// Renders with `loaded`, and looks for the shop's next bundle at `manifest_url` every
    /// [`CHECK_EVERY`]; why a part of the bundle could not be used goes to `faults`.
    pub fn start(
        loaded: LoadedModel,
        manifest_url: &'static str,
        faults: RwSignal<Vec<String>>,
    ) -> Self {
        let deploys = Self {
            current: StoredValue::new_local(loaded),
            next: StoredValue::new_local(None),
            arrival: Trigger::new(),
            parts_fetch: StoredValue::new_local(PartsFetch::BeforeFirstPaint),
            faults,
        };
        set_interval(
            move || leptos::task::spawn_local(deploys.look_for_next(manifest_url)),
            CHECK_EVERY,
        );
        deploys
    }

    async fn look_for_next(self, manifest_url: &'static str) {
        if self.next.with_value(Option::is_some) {
            return;
        }
        let current = self.current.get_value();
        let next = match load_if_changed(manifest_url, &current).await {
            Ok(Some(found)) if found.skipped.is_empty() && found.unused_extras.is_empty() => {
                Some(Next::Bundle(found))
            }
            // Part of the new bundle failed its check (most often: a deploy still uploading).
            // The tab keeps the whole bundle it has; a fresh page load says what is wrong.
            Ok(Some(found)) => {
                let faults = found.skipped.iter().chain(&found.unused_extras);
                leptos::logging::warn!(
                    "the new bundle is not whole yet: {:?}",
                    faults.collect::<Vec<_>>()
                );
                None
            }
            Ok(None) => None,
            Err(error) if error.needs_reload => Some(Next::Reload),
            // A network hiccup or a deploy caught half-uploaded: the tab keeps what it has and
            // looks again next time.
            Err(error) => {
                leptos::logging::warn!("no new bundle yet: {error}");
                None
            }
        };
        self.next.set_value(next);
    }

    /// Lets the shards a history needs, and a large catalog's texts, be fetched once the first
    /// page is painted, so fetching and decoding them never delays it, and wakes every shelf
    /// waiting for them.
    pub fn finish_loading(&self) {
        let deploys = *self;
        let start = move || {
            deploys.parts_fetch.set_value(PartsFetch::Idle);
            deploys.arrival.notify();
        };
        // The frame's callbacks run before it is painted; a task queued from one runs after.
        request_animation_frame(move || set_timeout(start, Duration::ZERO));
    }

    /// True while `model` cannot yet rank for `profile` as the evaluation measured: it lacks
    /// shards the history needs ([`Model::missing_shards`]), or the shopper has a history or
    /// searches and the catalog's texts, which look-alikes and search read, are still to come
    /// ([`Catalog::texts_pending`]). This fetches what is missing, one batch at a time, and the
    /// texts whoever the shopper is, since cards show titles from them. A closure reading it
    /// runs again when they arrive.
    pub fn waits_for_parts(&self, model: &Model, profile: &Profile) -> bool {
        self.arrival.track();
        let missing = model.missing_shards(profile);
        let texts_pending = model.catalog().texts_pending();
        let waits = !missing.is_empty() || (texts_pending && !profile.is_empty());
        if waits || texts_pending {
            self.fetch_missing(model, missing);
        }
        waits
    }

    /// True while `model`'s catalog awaits its texts, which search reads; this fetches them.
    /// A closure reading it runs again when they arrive.
    pub fn waits_for_texts(&self, model: &Model) -> bool {
        self.arrival.track();
        let pending = model.catalog().texts_pending();
        if pending {
            self.fetch_missing(model, Vec::new());
        }
        pending
    }

    /// Fetches the texts `model` awaits and its `shards`, unless a fetch is under way or the first
    /// page is not painted yet (whoever waits then asks again when they are).
    fn fetch_missing(&self, model: &Model, shards: Vec<usize>) {
        if self.parts_fetch.get_value() != PartsFetch::Idle {
            return;
        }
        // Only the bundle in use fetches: a page still showing the one before a deploy
        // switches at its next navigation.
        let loaded = self.current.get_value();
        if std::ptr::eq(model, &*loaded.model) {
            self.fetch_now(loaded, shards);
        }
    }

    fn fetch_now(&self, loaded: LoadedModel, shards: Vec<usize>) {
        let deploys = *self;
        self.parts_fetch.set_value(PartsFetch::Busy);
        leptos::task::spawn_local(async move {
            for error in load_missing_parts(&loaded, &shards).await {
                deploys
                    .faults
                    .update(|faults| faults.push(error.to_string()));
            }
            deploys.parts_fetch.set_value(PartsFetch::Idle);
            deploys.arrival.notify();
        });
    }

    /// The title of `model`'s product at `item`, once known: a large catalog's texts come after
    /// the first page ([`Catalog::title`]). A closure reading it runs again when they arrive.
    pub fn title(&self, model: &Model, item: usize) -> Option<String> {
        self.arrival.track();
        model.catalog().title(item).map(str::to_owned)
    }

    /// The description of `model`'s product at `item`, as [`Deploys::title`].
    pub fn description(&self, model: &Model, item: usize) -> Option<String> {
        self.arrival.track();
        model.catalog().description(item).map(str::to_owned)
    }

    /// Called as the shopper navigates, before the new page renders: switches to the bundle
    /// waiting, if any.
    pub fn at_navigation(&self, shopper: &Shopper) {
        match self.next.try_update_value(Option::take).flatten() {
            Some(Next::Bundle(loaded)) => self.current.set_value(loaded),
            Some(Next::Reload) if shopper.is_saved() => {
                let _ = window().location().reload();
            }
            // A change still being saved would be lost in a reload: wait for the next navigation.
            Some(Next::Reload) => self.next.set_value(Some(Next::Reload)),
            None => {}
        }
    }
}

/// Numbers written the way the shopper's locale writes them, in the shop's currency; cheap to
/// copy into closures. The bundle changes only at a navigation, and the locale only with a
/// choice that renders the page again.
#[derive(Clone, Copy)]
pub struct Numbers(Deploys, Texts);

impl Numbers {
    /// A price.
    pub fn price(&self, amount: f64) -> String {
        self.with_money(|money| money::price_text(money, amount))
    }

    /// A number with `decimals` decimals.
    pub fn number(&self, value: f64, decimals: u8) -> String {
        self.with_money(|money| money::number_text(money, value, decimals))
    }

    /// A share as a whole percentage.
    pub fn percent(&self, share: f64) -> String {
        self.with_money(|money| money::percent_text(money, share))
    }

    /// The day of `at_ms` (the browser's clock), written in full the reader's way.
    pub fn date(&self, at_ms: i64) -> String {
        self.with_money(|money| {
            aisle_browser::dates::date_text(money.locale.as_deref().unwrap_or("en"), at_ms / 1000)
        })
    }

    fn with_money(&self, write: impl FnOnce(&Money) -> String) -> String {
        self.0
            .current
            .with_value(|loaded| write(&self.1.money(loaded.model.money())))
    }
}

/// How the current page writes numbers.
pub fn use_numbers() -> Numbers {
    Numbers(expect_context::<Deploys>(), use_texts())
}

/// The model the current page renders with.
pub fn use_model() -> Arc<Model> {
    expect_context::<Deploys>()
        .current
        .with_value(|loaded| loaded.model.clone())
}

/// The store's words in the shopper's locale, among those the bundle in use offers
/// ([`aisle_core::serve::locales`]); English before a bundle has loaded. Cheap to copy into
/// closures. Reading them in a closure re-renders it when the language changes: the masthead
/// renders before the bundle loads, the shopper may pick another locale, and a deploy may change
/// the shop's.
#[derive(Clone, Copy)]
pub struct Texts(RwSignal<Speech, LocalStorage>);

/// What the store speaks with: one signal for both, so a closure tracks one source, and the
/// store's download carries one signal type's code rather than two.
#[derive(Default)]
struct Speech {
    model: Option<Arc<Model>>,
    /// The tag of the locale spoken (`None`: the shop's own, when it names none).
    locale: Option<String>,
}

impl Texts {
    /// English, until [`Texts::speak`].
    pub fn new() -> Self {
        Self(RwSignal::new_local(Speech::default()))
    }

    /// Speaks to the shopper in a locale of `model`'s bundle from now on: the one they chose in
    /// this browser if the shop still offers it, else the first of their browser's languages
    /// the shop offers, else the shop's own. The same model again changes nothing, so a
    /// navigation without a deploy re-renders nothing.
    pub fn speak(&self, model: Arc<Model>) {
        let same = self.0.with_untracked(|speech| {
            speech
                .model
                .as_ref()
                .is_some_and(|current| Arc::ptr_eq(current, &model))
        });
        if same {
            return;
        }
        let saved = locale_choice::saved();
        let locale = model
            .locale_to_speak(saved.as_deref(), &locale_choice::preferred_languages())
            .map(str::to_owned);
        self.0.set(Speech {
            model: Some(model),
            locale,
        });
        self.mark_page();
    }

    /// Speaks the locale tagged `tag` from now on, and keeps the choice for the shopper's next
    /// visit.
    pub fn choose(&self, tag: String) {
        locale_choice::save(&tag);
        self.0.update(|speech| speech.locale = Some(tag));
        self.mark_page();
    }

    /// Marks the page as written in the locale's language (`<html lang>`), so screen readers
    /// and translation tools read it right.
    fn mark_page(&self) {
        let language = untrack(|| self.with(|locale| locale.language().to_owned()));
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", &language);
        }
    }

    /// The shop's line for the store's foot (`aisle build --credit`); empty before a bundle has
    /// loaded, or for a shop that gave none.
    pub fn credit(&self) -> String {
        self.0.with(|speech| {
            speech
                .model
                .as_ref()
                .map_or_else(String::new, |model| model.credit().to_owned())
        })
    }

    /// The locale's tag. A closure reading it renders again when the shopper picks another.
    pub fn locale_tag(&self) -> Option<String> {
        self.0.with(|speech| speech.locale.clone())
    }

    /// The locales the shopper may pick among, as (tag, name in its own language); empty when
    /// the shop offers one.
    pub fn offered(&self) -> Vec<(String, String)> {
        self.0.with(|speech| {
            let locales = speech
                .model
                .as_ref()
                .map_or(&[][..], |model| model.locales());
            if locales.len() < 2 {
                return Vec::new();
            }
            locales
                .iter()
                .map(|locale| {
                    (
                        locale.tag().unwrap_or_default().to_owned(),
                        locale.name().to_owned(),
                    )
                })
                .collect()
        })
    }

    /// How the shop's prices and numbers read in this locale.
    pub fn money(&self, shop: &Money) -> Money {
        untrack(|| self.with(|locale| locale.money(shop)))
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        self.with(|locale| locale.ui_texts().get(key).to_owned())
    }

    /// The text of `key` with its slots filled.
    pub fn fill(&self, key: &'static str, slots: &[(&str, &str)]) -> String {
        self.with(|locale| locale.ui_texts().fill(key, slots))
    }

    /// The form of `key` for `count` things, `{count}` and the other slots filled.
    pub fn count(&self, key: &'static str, count: u64, slots: &[(&str, &str)]) -> String {
        self.with(|locale| {
            let category = money::plural_category(locale.language(), count);
            locale.ui_texts().count(key, count, category, slots)
        })
    }

    /// Why a product was recommended, in the store's language.
    pub fn reason(&self, reason: &Reason, catalog: &Catalog) -> String {
        self.with(|locale| {
            reason.describe_in(catalog, locale.ui_texts(), |count| {
                money::plural_category(locale.language(), count)
            })
        })
    }

    /// The locale's copy and texts, as `read` needs them.
    pub fn with<T>(&self, read: impl FnOnce(&Locale) -> T) -> T {
        self.0.with(|speech| match &speech.model {
            Some(model) => read(model.locale(speech.locale.as_deref())),
            None => read(Locale::english()),
        })
    }
}

impl Default for Texts {
    fn default() -> Self {
        Self::new()
    }
}

/// The store's words, in the shopper's locale.
pub fn use_texts() -> Texts {
    expect_context::<Texts>()
}
