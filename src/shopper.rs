//! The shopper's session: their profile as a reactive signal, saved to the device on every
//! change, plus any storage problem worth telling them about.

use aisle_core::events::Event;
use aisle_core::profile::Profile;
use leptos::prelude::*;

use crate::storage::ProfileStore;

/// Handles to the shopper's state; cheap to copy into components.
#[derive(Debug, Clone, Copy)]
pub struct Shopper {
    /// What the shopper did, compacted.
    pub profile: RwSignal<Profile>,
    /// A storage problem to show, if any.
    pub notice: RwSignal<Option<String>>,
}

impl Shopper {
    /// Restores the shopper's profile from this device.
    pub fn restore() -> Self {
        let (profile, notice) = match ProfileStore::STOREFRONT.load() {
            Ok(loaded) => (
                loaded.profile,
                loaded.set_aside.map(|set_aside| {
                    let why = set_aside.reason;
                    format!("Your saved activity could not be read ({why}). It was kept aside, and you start afresh.")
                }),
            ),
            Err(error) => (Profile::default(), Some(error.to_string())),
        };
        Self {
            profile: RwSignal::new(profile),
            notice: RwSignal::new(notice),
        }
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
        let saved = self
            .profile
            .with_untracked(|profile| ProfileStore::STOREFRONT.save(profile));
        if let Err(error) = saved {
            self.notice.set(Some(error.to_string()));
        }
    }
}

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
