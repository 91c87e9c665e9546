//! The shopper's session: their event log as a reactive signal, saved to the device on every
//! change, plus any storage problem worth telling them about.

use aisle_core::events::{Event, EventLog};
use leptos::prelude::*;

use crate::storage::EventStore;

/// Handles to the shopper's state; cheap to copy into components.
#[derive(Debug, Clone, Copy)]
pub struct Shopper {
    /// Everything the shopper did, oldest first.
    pub events: RwSignal<EventLog>,
    /// A storage problem to show, if any.
    pub notice: RwSignal<Option<String>>,
}

impl Shopper {
    /// Restores the shopper's log from this device.
    pub fn restore() -> Self {
        let (log, notice) = match EventStore::STOREFRONT.load() {
            Ok(loaded) => (
                loaded.log,
                loaded.set_aside.map(|set_aside| {
                    let why = set_aside.reason;
                    format!("Your saved activity could not be read ({why}). It was kept aside, and you start afresh.")
                }),
            ),
            Err(error) => (EventLog::default(), Some(error.to_string())),
        };
        Self {
            events: RwSignal::new(log),
            notice: RwSignal::new(notice),
        }
    }

    /// Records what the shopper did and saves the log.
    pub fn record(&self, event: Event) {
        self.events.update(|log| log.push(event));
        let saved = self
            .events
            .with_untracked(|log| EventStore::STOREFRONT.save(log));
        if let Err(error) = saved {
            self.notice.set(Some(error.to_string()));
        }
    }
}

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
