//! The shopper's session: their profile as a reactive signal, shared with the store's other tabs
//! and saved on this device after every change, plus any storage problem worth telling them about.

use aisle_browser::storage::shared::{SharedProfile, Update};
use aisle_browser::storage::{DATABASE, PROFILE_KEY};
use aisle_core::shopper::changes::Change;
use aisle_core::shopper::events::Event;
use aisle_core::shopper::profile::Profile;
use leptos::prelude::*;

/// A storage problem the store tells the shopper about.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The browser's storage cannot be opened, in its words: nothing is kept past this visit.
    Problem(String),
    /// Saving failed, in the browser's words; the next save that succeeds clears it.
    SaveFailed(String),
    /// The saved profile could not be read, for this reason, and was set aside.
    SetAside(String),
}

/// Handles to the shopper's state; cheap to copy into components.
#[derive(Debug, Clone, Copy)]
pub struct Shopper {
    /// Notified whenever the profile changes (here or in another tab); read through
    /// [`Shopper::with_profile`], which tracks it.
    changed: Trigger,
    /// A storage problem to show, if any.
    pub notice: RwSignal<Option<Notice>>,
    /// Whether the browser keeps the store's data under storage pressure (`None`: not known).
    pub kept: RwSignal<Option<bool>>,
    /// The shared profile; in memory until [`Shopper::restore`] has opened the device's storage.
    shared: StoredValue<SharedProfile, LocalStorage>,
}

impl Shopper {
    /// An empty session that saves nowhere yet.
    pub fn new() -> Self {
        Self {
            changed: Trigger::new(),
            notice: RwSignal::new(None),
            kept: RwSignal::new(None),
            shared: StoredValue::new_local(SharedProfile::in_memory()),
        }
    }

    /// Opens this device's storage and restores the shopper's profile from it.
    pub async fn restore(self) {
        let opened = SharedProfile::open(DATABASE, PROFILE_KEY).await;
        let notice = match (opened.problem, opened.set_aside) {
            (Some(problem), _) => Some(Notice::Problem(problem.to_string())),
            (None, Some(set_aside)) => Some(Notice::SetAside(set_aside.reason)),
            (None, None) => None,
        };
        let shared = opened.profile;
        shared.subscribe(move |update| match update {
            Update::Changed => self.changed.notify(),
            // A save that succeeds clears a failed save's notice only: the shopper still needs
            // to know their old profile was set aside, or that this browser keeps nothing.
            Update::Problem(Some(problem)) => self
                .notice
                .set(Some(Notice::SaveFailed(problem.to_string()))),
            Update::Problem(None) => {
                let failed = self
                    .notice
                    .with_untracked(|notice| matches!(notice, Some(Notice::SaveFailed(_))));
                if failed {
                    self.notice.set(None);
                }
            }
            Update::Kept(kept) => self.kept.set(Some(kept)),
        });
        shared.check_kept();
        self.shared.set_value(shared);
        self.changed.notify();
        self.notice.set(notice);
    }

    /// Reads the profile, and re-runs the reader's effect or memo when it changes. The profile
    /// is read in place, never copied: the storefront holds one copy of it.
    pub fn with_profile<R>(&self, read: impl FnOnce(&Profile) -> R) -> R {
        self.changed.track();
        self.with_profile_untracked(read)
    }

    /// Reads the profile without subscribing to its changes.
    pub fn with_profile_untracked<R>(&self, read: impl FnOnce(&Profile) -> R) -> R {
        // One clone of a handle, then a plain borrow: this keeps the generic part of each
        // reader small, and the storefront's download with it.
        let shared = self.shared.get_value();
        read(&shared.profile())
    }

    /// Records what the shopper did and saves it.
    pub fn record(&self, event: Event) {
        self.record_all([event]);
    }

    /// Records several events at once (one save, one update of every list). The storefront only
    /// makes valid events, so a refused one is a bug worth seeing in the console, not a shopper's
    /// problem.
    pub fn record_all(&self, events: impl IntoIterator<Item = Event>) {
        self.change(Change::Record(events.into_iter().collect()));
    }

    /// Applies `change` to the profile (in every tab of the store) and saves it.
    pub fn change(&self, change: Change) {
        let refused = self.shared.with_value(|shared| shared.change(change));
        if let Err(error) = refused {
            leptos::logging::error!("change not made: {error}");
        }
    }

    /// True when every change made in this tab is in storage, so the page may reload.
    pub fn is_saved(&self) -> bool {
        self.shared.with_value(SharedProfile::is_saved)
    }

    /// Asks the browser to keep the store's data under storage pressure (the answer lands in
    /// [`Shopper::kept`]).
    pub fn ask_to_keep(&self) {
        self.shared.with_value(SharedProfile::ask_to_keep);
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
