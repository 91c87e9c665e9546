//! The shopper's session: their profile as a reactive signal, saved on this device after every
//! change, plus any storage problem worth telling them about.

use aisle_core::shopper::events::Event;
use aisle_core::shopper::profile::Profile;
use leptos::prelude::*;
use leptos::task::spawn_local;

use aisle_browser::storage::{self, Backend, DATABASE, PROFILE_KEY};

/// Handles to the shopper's state; cheap to copy into components.
#[derive(Debug, Clone, Copy)]
pub struct Shopper {
    /// What the shopper did, compacted.
    pub profile: RwSignal<Profile>,
    /// A storage problem to show, if any.
    pub notice: RwSignal<Option<String>>,
    /// Where saves go; memory until [`Shopper::restore`] has opened the device's storage.
    backend: StoredValue<Backend, LocalStorage>,
}

impl Shopper {
    /// An empty session that saves nowhere yet.
    pub fn new() -> Self {
        Self {
            profile: RwSignal::new(Profile::default()),
            notice: RwSignal::new(None),
            backend: StoredValue::new_local(Backend::Memory),
        }
    }

    /// Opens this device's storage and restores the shopper's profile from it.
    pub async fn restore(self) {
        let opened = storage::open(DATABASE, PROFILE_KEY).await;
        let notice = match (opened.problem, opened.loaded.set_aside) {
            (Some(problem), _) => Some(problem.to_string()),
            (None, Some(set_aside)) => Some(format!(
                "Your saved activity could not be read ({}). It was kept aside, and you start afresh.",
                set_aside.reason
            )),
            (None, None) => None,
        };
        self.backend.set_value(opened.backend);
        self.profile.set(opened.loaded.profile);
        self.notice.set(notice);
    }

    /// Records what the shopper did and saves the profile.
    pub fn record(&self, event: Event) {
        self.record_all([event]);
    }

    /// Records several events at once (one save, one update of every list). The storefront only
    /// makes valid events, so a refused one is a bug worth seeing in the console, not a shopper's
    /// problem.
    pub fn record_all(&self, events: impl IntoIterator<Item = Event>) {
        self.change(|profile| {
            for event in events {
                if let Err(error) = profile.record(event) {
                    leptos::logging::error!("event not recorded: {error}");
                }
            }
        });
    }

    /// Applies `change` to the profile and saves the result.
    pub fn change(&self, change: impl FnOnce(&mut Profile)) {
        self.profile.update(change);
        let text = self.profile.with_untracked(Profile::to_json);
        let saved = self
            .backend
            .with_value(|backend| backend.save(PROFILE_KEY, &text));
        let notice = self.notice;
        spawn_local(async move {
            if let Err(error) = saved.await {
                notice.set(Some(error.to_string()));
            }
        });
    }
}

impl Default for Shopper {
    fn default() -> Self {
        Self::new()
    }
}

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
